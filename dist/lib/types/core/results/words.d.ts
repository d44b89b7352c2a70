import type { ManifestEntry, Totals } from './manifest.ts';
/**
 * How messages name the project: `empirical.run project 42`, or, where the key picks it (the
 * Resources API) and no ID is known, `the key's empirical.run project`; `noun` replaces
 * `empirical.run project` (`project`).
 */
export declare function projectName(projectId: number | undefined, noun?: string): string;
/** The verb for one file, and for more, in each tense. */
declare const VERBS: {
    readonly is: readonly ["is", "are"];
    readonly was: readonly ["was", "were"];
};
/** `the file is already in`, `all 3 files were already in`: every one of `count` files is there. */
export declare function allAlreadyIn(count: number, tense: keyof typeof VERBS): string;
/**
 * The log's closing tally: `3 of 5 files uploaded, 2 already in the project, 1 failed`, leaving
 * out the zeros after the first; a re-run that finds everything there says so, and cancelled
 * files and the records `verify` left with wrong bytes are counted apart.
 */
export declare function tallyOf(totals: Totals, badRecords: number): string;
/** The summary's totals row: `2 uploaded, 1 already in the project, 0 failed`. */
export declare function countsLine(totals: Totals): string;
/**
 * The summary's heading of a run: `Uploaded 2 of 3 files to empirical.run project 42`, with how
 * many are in the project when some were already there, or that all were, or that it was cancelled.
 */
export declare function runHeading(totals: Totals, projectId: number | undefined, cancelled: boolean): string;
/** The summary's heading of a run that matched no file, dry or not. */
export declare function noMatchHeading(dryRun: boolean, projectId: number | undefined): string;
/** `Dry run: 2 files would be uploaded to empirical.run project 9` (the ones already there are not). */
export declare function dryRunHead(totals: Totals, projectId: number | undefined): string;
/** The error of a file in the project whose download URL could not be read, for its entry. */
export declare function urlUnread(reason: string): string;
/**
 * The run's failure: how many files failed (or that it was cancelled), then each file that is
 * not in the project or lacks the download URL asked for; undefined when there is none.
 */
export declare function failureOf(entries: readonly ManifestEntry[], totals: Totals, cancelled: boolean): string | undefined;
export {};
