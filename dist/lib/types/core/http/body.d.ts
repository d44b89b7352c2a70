import { promises as fs } from 'node:fs';
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
/** Opens the file and checks it still is the size that was listed. */
export declare function openUnchanged(source: UploadSource): Promise<fs.FileHandle>;
/**
 * Fails as openUnchanged does unless the file opens and still has the size it was listed with.
 * Synchronous (one open, stat and close), so that files reach their creates in the order they
 * were started, and their records' IDs follow their paths.
 */
export declare function assertOpens(source: UploadSource): void;
/** Fails when the file vanished or changed size while it was being sent. */
export declare function assertUnchanged(source: UploadSource): Promise<void>;
