/**
 * The log's words of a run: the upload's heading, one line per file, the closing tally, what a dry
 * run would do, and what a run that matched nothing says. What other faces say too is in words.ts.
 */
import type { LocalFile } from '../files/files.ts';
import type { Logger } from '../log.ts';
import { type PatternLine } from '../settings/patterns.ts';
import type { Face, Settings } from '../settings/settings.ts';
import { type Mismatch, type Outcome } from '../transfer/outcome.ts';
import { type UploadResult } from './result.ts';
/**
 * The heading of the upload's log group. `checking` counts the files the project already holds
 * that `verify` reads back before they are kept (sent again if their bytes differ); `existing`,
 * those it holds, read back or not (`skip-existing`).
 */
export declare function uploadHeading(settings: Settings, count: number, bytes: number, checking?: number, existing?: number): string;
/** The log's closing tally of the outcomes of a run's uploads (see tallyOf). */
export declare function tally(outcomes: readonly Outcome[]): string;
/**
 * Of the local files, how many the project's listing holds by name and size: `1 of the 3 local
 * files matches one by name and size`, `both local files match one …`, `none of the 3 …`.
 */
export declare function matchedClause(matched: number, total: number): string;
/** `verify` found other bytes in storage than in the file: the line that says what happens next. */
export declare function mismatchLine(file: LocalFile, mismatch: Mismatch): string;
/** `  ↻ a.txt: create failed: HTTP 503: …; retry 1 of 5 in 1.2 s` (no path for the listing). */
export declare function retryLine(subject: string, message: string, attempt: number, retries: number, delayMs: number): string;
/** Logs how one file ended: ✓ uploaded, = already there, ✗ failed. */
export declare function logOutcome(log: Logger, outcome: Outcome, namePrefix: string): void;
/** Why nothing matched, with the hints that explain the usual causes. */
export declare function noFilesMessage(settings: Settings, face: Face): string;
/** A pattern that matched nothing while others matched files. */
export declare function unmatchedMessage(settings: Settings, line: PatternLine, face: Face): string;
/** The failure of a run that matched nothing under `if-no-files-found: error`. */
export declare function noFilesFailure(message: string, face: Face): string;
/** Says what a dry run would upload, and what it would skip as already there (`listed`: skip-existing listed the project). */
export declare function logDryRun(log: Logger, result: UploadResult, listed: boolean): void;
