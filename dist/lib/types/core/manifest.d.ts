import type { ExistingFiles } from './existing.ts';
import type { LocalFile } from './files.ts';
import type { Outcome } from './upload.ts';
/** One matched file in the manifest, with what became of it. */
export interface ManifestEntry {
    /** Path relative to the workspace. */
    path: string;
    /** Name in the project, `name-prefix` included. */
    name: string;
    /** Size in bytes. */
    size_bytes: number;
    /** MIME type. */
    mime_type: string;
    /** The record's ID, once the file is in the project (or, on a dry run, already was). */
    id?: number;
    /** Hex sha256 of the bytes sent, or of the file on disk when it was already there. */
    sha256?: string;
    /** True when the project already held the file (`skip-existing`). */
    existing?: boolean;
    /** The signed download URL (`download-url`). */
    url?: string;
    /** Why the file failed, or why its download URL is missing. */
    error?: string;
}
/** The full result of a run, written as JSON where no output size limit applies. */
export interface Manifest {
    /** The project the files went to. */
    project_id: number;
    /** The `name-prefix` input. */
    name_prefix: string;
    /** True for a dry run: nothing was uploaded. */
    dry_run: boolean;
    /** Counts over `files`. */
    totals: {
        files: number;
        bytes: number;
        uploaded: number;
        existing: number;
        failed: number;
    };
    /** One entry per matched file, ordered by path. */
    files: ManifestEntry[];
}
/** What a manifest is made from: the run's settings and each file's outcome (none on a dry run). */
export interface ManifestSource {
    projectId: number;
    namePrefix: string;
    files: readonly LocalFile[];
    outcomes?: readonly Outcome[];
    existing?: ExistingFiles | undefined;
}
/** Builds the manifest of a run or a dry run. */
export declare function buildManifest(source: ManifestSource): Manifest;
/** The manifest's own fields of a value that may carry more (a run's result), in their order. */
export declare function manifestOnly(manifest: Manifest): Manifest;
/** The manifest as JSON text, as it is written to a file or printed. */
export declare function manifestJson(manifest: Manifest): string;
/** Writes the manifest to a new folder under `base` (the OS temp dir by default); returns its path. */
export declare function writeManifest(manifest: Manifest, base?: string): Promise<string>;
