import { type Logger } from './log.ts';
import { type UploadResult } from './results/result.ts';
import { type Face, type Settings } from './settings/settings.ts';
import { type ProgressState } from './transfer/progress.ts';
/** How a face runs the core: its hooks, the words it speaks, and how strict it is with paths. */
export interface RunHooks {
    /** Where log lines go, method by method; the ones left out are dropped. */
    log?: Partial<Logger> | undefined;
    /** Called every `progressIntervalMs` while uploads run; by default a line goes to `log.info`. */
    onProgress?: ((progress: Readonly<ProgressState>) => void) | undefined;
    /** Aborting it cancels the run: what is in flight is settled, the rest is not started. */
    signal?: AbortSignal | undefined;
    /** Whose words the messages speak. */
    face: Face;
    /**
     * What a pattern without wildcards that names no path is under `ifNoFilesFound: 'error'`: a bad
     * `files` value, as a shell's `cp` takes it (the CLI), or a warning, as for any pattern that
     * matched nothing (default). Under `warn` or `ignore` it is always what they say.
     */
    missingPath?: 'error' | 'warn' | undefined;
}
/** The result of a run (see results/result.ts), which every face presents. */
export type { UploadResult } from './results/result.ts';
/** The core's one entry, for every face: the settings already read and checked. */
export declare function runUpload(settings: Settings, hooks: RunHooks): Promise<UploadResult>;
