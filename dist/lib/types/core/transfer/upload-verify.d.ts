import { type LocalFile } from '../files/files.ts';
import { type Arrived, type SentFile, type TransferOptions, type Verified } from './upload.ts';
/** Runs a worker's sends one after another, so that a file sent again never overlaps the next. */
export type Lane = <T>(send: () => Promise<T>) => Promise<T>;
/** A lane: each send starts once the one before it has settled. */
export declare function oneAtATime(): Lane;
/** What one file's journey shares once it is sent: its worker's lane, what verify found, the cancel signal. */
export interface Journey {
    /** The worker's lane, which every send of the file goes through. */
    lane: Lane;
    /** What verify found, filled in on the way. */
    found: Verified;
    /** Cancels the file. */
    signal: AbortSignal;
}
/**
 * Step 3 and what follows it: the confirm (settled if need be), under `verify` the read-back,
 * then the download URL. Stored bytes that differ send the file again as a new record.
 */
export declare function completeFile(ctx: TransferOptions, file: LocalFile, first: SentFile, journey: Journey): Promise<Arrived>;
/**
 * A file the project already holds: hashed on disk for the outputs, never sent. Under `verify`,
 * kept only if the record's stored bytes are the file's; otherwise its content changed, and it is
 * uploaded.
 */
export declare function existingFile(ctx: TransferOptions, file: LocalFile, id: number, journey: Journey): Promise<Arrived>;
