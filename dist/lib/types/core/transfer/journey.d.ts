import { type LocalFile } from '../files/files.ts';
import { type RetryPolicy } from '../http/retry.ts';
import type { Transport } from '../http/transport.ts';
import type { Face } from '../settings/settings.ts';
import type { ProjectListing } from './listing.ts';
import { type Arrived, type Digest, type Mismatch, type Verified } from './outcome.ts';
/** Everything the upload of one file needs besides the file. */
export interface TransferOptions {
    /** The calls to the API and to storage: the HTTP client, or a test's transport. */
    client: Transport;
    /** The project that receives the files; undefined where the key picks it. */
    projectId: number | undefined;
    /** Description set on each file. */
    description: string | undefined;
    /** Retry policy for each request. */
    policy: RetryPolicy;
    /** The project's listing: files it already holds (`skip-existing`); undefined uploads every file. */
    listing?: ProjectListing | undefined;
    /** Read each file's download URL once it is in the project. */
    downloadUrl?: boolean;
    /**
     * Read each file back through its download URL once it is in the project and compare its size
     * and sha256 with what was read from disk: a file whose stored bytes differ is uploaded again as
     * a new record, at most `policy.retries` times. A record the listing matches is kept only if its
     * stored bytes are the file's; otherwise the file is uploaded. Off: nothing is downloaded.
     */
    verify?: boolean;
    /** Called when storage holds other bytes than the file, before it is uploaded (again) or given up. */
    onMismatch?: (file: LocalFile, mismatch: Mismatch) => void;
    /** Called before a retry, for the log. */
    onRetry?: (file: LocalFile, error: unknown, attempt: number, delayMs: number) => void;
    /** Called as bytes leave for storage; negative when a failed attempt's bytes must be sent again. */
    onSent?: (bytes: number) => void;
    /** Whose words a failure's hint speaks (default the library's). */
    face?: Face;
}
/** Runs a worker's sends one after another, so that a file sent again never overlaps the next. */
export type Lane = <T>(send: () => Promise<T>) => Promise<T>;
/** What the worker lends each file's journey: the gates of its pipeline, the cancel, what verify found. */
export interface Way {
    /** Cancels the file: the run's cancel, or the stop a refused key makes. */
    signal: AbortSignal;
    /** Settles once the file may be sent: the worker's file before it is past its send. */
    turn: () => Promise<void>;
    /** The worker's sends, one at a time. */
    lane: Lane;
    /** Tells the worker it may take its next file, whose create then overlaps this file's PUT. */
    letGo: () => void;
    /** Tells the worker the file is past its send: its last steps now trail behind the next files. */
    trail: () => void;
    /** What verify found, filled in on the way. */
    found: Verified;
}
/**
 * The most bytes of a PUT still to send when the worker takes its next file and asks for its
 * create: the upload URL it gets is used within moments, never a large file's send later.
 */
export declare const AHEAD_BYTES: number;
/** One file, start to end: what it ends as, or the error that ended it. */
export declare function journey(ctx: TransferOptions, file: LocalFile, way: Way): Promise<Arrived>;
/** True when the storage says the presigned URL has expired (R2's 403 or 400 form, or S3's). */
export declare function isExpiredUrl(error: unknown): boolean;
/** True when storage holds exactly the bytes read from disk. */
export declare function sameBytes(stored: Digest, local: Digest): boolean;
/** The stored bytes of a file still differed from it after every upload the retries allow. */
export declare class StoredBytesError extends Error {
    /** The records this run left holding other bytes than the file, in the order they were sent. */
    readonly badRecords: readonly number[];
    constructor(last: Mismatch, badRecords: readonly number[]);
}
/** A record's stored bytes could not be read back, so nothing is proven about them. */
export declare class ReadBackError extends Error {
    /** The record that could not be read. */
    readonly id: number;
    /** @param existing true for a record the project already held, false for one this run sent */
    constructor(id: number, existing: boolean, cause: unknown);
}
