import type { LocalFile } from '../files/files.ts';
import { type Outcome, type TransferOptions } from './upload.ts';
/**
 * Uploads every file with at most `concurrency` files sending at once. Each worker confirms a
 * file while it creates and sends the next, so a confirm costs no round trip of its own; it keeps
 * at most one confirm in flight. A failed file does not stop the others, except a refused key,
 * which stops everything. Outcomes come back in the order of `files`.
 */
export declare function runWorkers(ctx: TransferOptions, files: readonly LocalFile[], concurrency: number, signal: AbortSignal, onOutcome: (outcome: Outcome) => void): Promise<Outcome[]>;
