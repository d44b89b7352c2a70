import type { Hash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { Dispatcher } from 'undici';
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
/** A request body as undici takes it. */
export type RequestBody = NonNullable<Dispatcher.RequestOptions['body']>;
/** Opens the file and checks it still is the size that was listed. */
export declare function openUnchanged(source: UploadSource): Promise<fs.FileHandle>;
/** Fails when the file vanished or changed size while it was being sent. */
export declare function assertUnchanged(source: UploadSource): Promise<void>;
/**
 * The PUT's body: exactly `size` bytes of the open file, hashed into `hash` as they are read,
 * each part's progress and the body's end reported to the watch, each part sent to `onSent`.
 */
export declare function fileBody(handle: fs.FileHandle, size: number, hash: Hash, watch: SendWatch, onSent?: SentListener): RequestBody;
