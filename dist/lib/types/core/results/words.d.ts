import type { ManifestEntry, Totals } from './manifest.ts';
/** `empirical.run project 42` */
export declare function projectName(projectId: number): string;
/** `the file is already in`, `all 3 files were already in`: every one of `count` files is there. */
export declare function allAlreadyIn(count: number, tense: 'is' | 'was'): string;
/**
 * The log's closing tally: `3 of 5 files uploaded, 2 already in the project, 1 failed`, leaving
 * out the zeros after the first; a re-run that finds everything there says so, and cancelled
 * files and the records `verify` left with wrong bytes are counted apart.
 */
export declare function tallyOf(totals: Totals, badRecords: number): string;
/** `Dry run: 2 files would be uploaded to empirical.run project 9` (the ones already there are not). */
export declare function dryRunHead(totals: Totals, projectId: number): string;
/** The error of a file in the project whose download URL could not be read, for its entry. */
export declare function urlUnread(reason: string): string;
/**
 * The run's failure: how many files failed (or that it was cancelled), then each file that is
 * not in the project or lacks the download URL asked for; undefined when there is none.
 */
export declare function failureOf(entries: readonly ManifestEntry[], totals: Totals, cancelled: boolean): string | undefined;
