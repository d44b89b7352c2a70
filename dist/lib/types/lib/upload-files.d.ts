import type { Logger } from '../core/log.ts';
import { type UploadResult } from '../core/run.ts';
import { type SettingOptions } from '../core/settings/settings.ts';
import type { ProgressState } from '../core/transfer/progress.ts';
/** What an upload is asked to do, as a program gives it: one option per setting, and where to start. */
export type UploadOptions = SettingOptions & {
    /**
     * The directory patterns start from and paths are relative to (default: the current directory);
     * a relative one is taken from the current directory.
     */
    cwd?: string | undefined;
    /** Where to write the manifest's JSON once the run is done; relative to `cwd`. */
    manifest?: string | undefined;
    /** Where to write the checksums file once the run is done; relative to `cwd`. Not on a dry run. */
    checksums?: string | undefined;
};
/**
 * What an upload reports to its caller while it runs, and how it is stopped: the hooks of the
 * core's run (RunHooks) that the library hands on.
 */
export interface UploadHooks {
    /** Where log lines go, method by method; the ones left out are dropped. */
    log?: Partial<Logger> | undefined;
    /** Called every `progressIntervalMs` while uploads run; by default a line goes to `log.info`. */
    onProgress?: ((progress: Readonly<ProgressState>) => void) | undefined;
    /** Aborting it cancels the run: what is in flight is settled, the rest is not started. */
    signal?: AbortSignal | undefined;
}
/**
 * The library: finds the files the patterns name and puts each one into the project (create →
 * PUT → confirm), or on a dry run says what it would do; then writes `manifest` and `checksums`
 * where asked. Rejects with InputError for a bad or unknown option, before any request; every
 * other failure is in the result, file by file.
 */
export declare function uploadFiles(options: UploadOptions & UploadHooks): Promise<UploadResult>;
