import type { LocalFile } from './files/files.ts';
import { FilesClient } from './http/client.ts';
import type { Logger } from './log.ts';
import { type Face, type Settings } from './settings/settings.ts';
import { type ExistingFiles } from './transfer/listing.ts';
import { type ProgressState } from './transfer/progress.ts';
import type { Outcome } from './transfer/upload.ts';
/** One run's settings and hooks. */
export interface Run {
    /** What the run was asked to do. */
    settings: Settings;
    /** Where its lines go. */
    log: Logger;
    /** Whose words its messages speak. */
    face: Face;
    /** Cancels the run. */
    signal: AbortSignal;
    /** Called while uploads run; undefined sends a progress line to the log. */
    onProgress: ((progress: Readonly<ProgressState>) => void) | undefined;
}
/** The one HTTP client of a run, its secrets masked in the log, its requests logged under debug. */
export declare function createClient({ settings, log }: Run): FilesClient;
/** Lists the files already in the project (`skip-existing`); any failure stops the run before an upload. */
export declare function listProject(run: Run, client: FilesClient, files: readonly LocalFile[]): Promise<ExistingFiles>;
/** Uploads in a log group, one line per file, with progress reports while it takes long. */
export declare function uploadEverything(run: Run, client: FilesClient, files: LocalFile[], existing: ExistingFiles | undefined): Promise<Outcome[]>;
