import { type Logger } from './log.ts';
import { type Manifest } from './manifest.ts';
import { type ProgressState } from './progress.ts';
import { type UploadOptions } from './settings.ts';
/** What an upload reports to its caller while it runs, and how it is stopped. */
export interface UploadHooks {
    /** Where log lines go, method by method; the ones left out are dropped. */
    log?: Partial<Logger> | undefined;
    /** Called every `progressIntervalMs` while uploads run; by default a line goes to `log.info`. */
    onProgress?: ((progress: Readonly<ProgressState>) => void) | undefined;
    /** Aborting it cancels the run: what is in flight is settled, the rest is not started. */
    signal?: AbortSignal | undefined;
}
/** The result of a run: the manifest's data, and whether the run did all it was asked to. */
export interface UploadResult extends Manifest {
    /**
     * Why the run did not do all it was asked to, naming each file that failed; undefined when it
     * did (every file is in the project, a dry run, or no match allowed by `ifNoFilesFound`).
     */
    failure: string | undefined;
    /** True when the signal stopped the run before every file was done. */
    cancelled: boolean;
}
/**
 * Finds the files the patterns name and puts each one into the project (create → PUT →
 * confirm), or on a dry run says what it would do. Rejects with InputError for a bad option,
 * before any request; every other failure is in the result, file by file.
 */
export declare function uploadFiles(options: UploadOptions & UploadHooks): Promise<UploadResult>;
