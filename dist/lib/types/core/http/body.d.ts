import type { Hash } from 'node:crypto';
import type { SendWatch } from './send-watch.ts';
/** What the PUT needs to know about the file on disk. */
export interface UploadSource {
    /** Absolute path. */
    absolutePath: string;
    /** The size it had when listed; it must still have it. */
    size: number;
    /** The Content-Type the upload URL was signed for. */
    mimeType: string;
}
/** Called with the size of each part that has left for storage. */
export type SentListener = (bytes: number) => void;
/**
 * Files up to this size are read whole, in one synchronous read, and sent from memory: no
 * thread-pool round trips for the many small files of a test report, and at most this much held.
 */
export declare const WHOLE_READ_BYTES: number;
/** A PUT's body, what releases it, and what checks the file once the body is sent. */
export interface OpenedBody {
    /** Releases what the body holds (the open file). */
    close(): Promise<void>;
    /** Fails when the file vanished or changed size while it was being sent. */
    recheck(): Promise<void>;
}
/**
 * The file as a PUT's body, hashed into `hash` as it is read, each part's progress reported to
 * the watch and to `onSent`. A small file is read whole before the send, so the bytes sent are the
 * bytes hashed and nothing can change under it; a larger one streams from an open handle and is
 * checked again once sent.
 */
export declare function openBody(source: UploadSource, hash: Hash, watch: SendWatch, onSent?: SentListener): Promise<OpenedBody>;
/**
 * Fails as openUnchanged does unless the file opens and still has the size it was listed with.
 * Synchronous (one open, stat and close), so that files reach their creates in the order they
 * were started, and their records' IDs follow their paths.
 */
export declare function assertOpens(source: UploadSource): void;
