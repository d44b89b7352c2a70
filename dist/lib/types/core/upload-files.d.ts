import { type Logger } from './log.ts';
import { type Manifest } from './results/manifest.ts';
import { type Face, type SettingOptions, type Settings } from './settings/settings.ts';
import type { ProgressState } from './transfer/progress.ts';
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
/** What an upload reports to its caller while it runs, and how it is stopped. */
export interface UploadHooks {
    /** Where log lines go, method by method; the ones left out are dropped. */
    log?: Partial<Logger> | undefined;
    /** Called every `progressIntervalMs` while uploads run; by default a line goes to `log.info`. */
    onProgress?: ((progress: Readonly<ProgressState>) => void) | undefined;
    /** Aborting it cancels the run: what is in flight is settled, the rest is not started. */
    signal?: AbortSignal | undefined;
}
/** How a face runs the core: its hooks, the words it speaks, and how strict it is with paths. */
export interface RunHooks extends UploadHooks {
    /** Whose words the messages speak. */
    face: Face;
    /**
     * What a pattern without wildcards that names no path is under `ifNoFilesFound: 'error'`: a bad
     * `files` value, as a shell's `cp` takes it (the CLI), or a warning, as for any pattern that
     * matched nothing (default). Under `warn` or `ignore` it is always what they say.
     */
    missingPath?: 'error' | 'warn' | undefined;
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
    /** The including patterns that matched no file, as given (every one when nothing matched). */
    unmatchedPatterns: string[];
    /**
     * Records this run left in the project holding other bytes than their files (`verify` found
     * them and uploaded the file again); the API cannot delete them. They are in no other field.
     */
    badRecords: number[];
}
/**
 * The library: finds the files the patterns name and puts each one into the project (create →
 * PUT → confirm), or on a dry run says what it would do; then writes `manifest` and `checksums`
 * where asked. Rejects with InputError for a bad or unknown option, before any request; every
 * other failure is in the result, file by file.
 */
export declare function uploadFiles(options: UploadOptions & UploadHooks): Promise<UploadResult>;
/** The core's one entry, for every face: the settings already read and checked. */
export declare function runUpload(settings: Settings, hooks: RunHooks): Promise<UploadResult>;
