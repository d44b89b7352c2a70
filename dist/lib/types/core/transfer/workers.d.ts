import type { LocalFile } from '../files/files.ts';
import { type TransferOptions } from './journey.ts';
import type { Outcome } from './outcome.ts';
/**
 * Runs every file's journey, `concurrency` workers at once. Each worker keeps up to four files on
 * the way: one whose PUT runs; the next, whose create is asked once that PUT has at most
 * AHEAD_BYTES left, so that its PUT starts as soon as the first ends; and the two before, whose
 * last steps (confirm, verify's read-back, download URL) trail behind. A small file then costs one
 * round trip on the critical path, a slow confirm included. At most `concurrency` PUTs are in
 * flight, and at most twice as many API requests (boundedApi), a create first.
 * A failed file does not stop the others, except a refused key, which stops everything.
 * Outcomes come back in the order of `files`; `onOutcome` hears each as it settles.
 */
export declare function runWorkers(ctx: TransferOptions, files: readonly LocalFile[], concurrency: number, signal: AbortSignal, onOutcome: (outcome: Outcome) => void): Promise<Outcome[]>;
