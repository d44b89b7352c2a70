import { type Face, type Settings } from '../settings/settings.ts';
import { type Manifest } from './manifest.ts';
/** Where a run writes its manifest and its checksums file: paths relative to the workspace. */
export interface OutputPaths {
    /** The manifest's JSON, as `--json` prints it. */
    manifest?: string | undefined;
    /** The checksums file, as `sha256sum` writes it; refused on a dry run. */
    checksums?: string | undefined;
}
/**
 * Refuses an output that cannot be written as asked, before any request: not a path, a folder,
 * a folder that does not exist, a file that cannot be opened for writing, a folder where no file
 * can be made, both at one path, or checksums on a dry run. Throws InputError naming the output;
 * leaves nothing behind.
 */
export declare function checkOutputPaths(paths: OutputPaths, settings: Pick<Settings, 'dryRun' | 'workspace'>, face: Face): Promise<void>;
/**
 * Writes the outputs asked for, once the run is done. One that cannot be written after all (the
 * disk filled, the path changed since the check) is added to the result's failure, as a file that
 * failed to upload is, so that the result itself is not lost.
 */
export declare function writeOutputs<R extends Manifest & {
    failure: string | undefined;
}>(result: R, paths: OutputPaths, workspace: string): Promise<R>;
