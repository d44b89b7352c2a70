import type { LocalFile } from '../files/files.ts';
import type { ProjectListing } from '../transfer/listing.ts';
import type { Outcome } from '../transfer/upload.ts';
/** One matched file in the manifest, with what became of it. */
export interface ManifestEntry {
    /** Path relative to the workspace. */
    path: string;
    /** Name in the project, `name-prefix` included. */
    name: string;
    /** Size in bytes. */
    sizeBytes: number;
    /** MIME type. */
    mimeType: string;
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
    /** True when the file was not uploaded because the run was cancelled (not written to JSON). */
    cancelled?: boolean;
}
/** The full result of a run; written as JSON (snake_case, see ManifestJson) where no output size limit applies. */
export interface Manifest {
    /** The project the files went to. */
    projectId: number;
    /** The name prefix. */
    namePrefix: string;
    /** True for a dry run: nothing was uploaded. */
    dryRun: boolean;
    /** Counts over `files`; `failed` leaves out the files a cancel stopped, which `cancelled` counts. */
    totals: {
        files: number;
        bytes: number;
        uploaded: number;
        existing: number;
        failed: number;
        cancelled: number;
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
    /** The project's listing (`skip-existing`), for a dry run's entries. */
    listing?: ProjectListing | undefined;
}
/** Builds the manifest of a run or a dry run. */
export declare function buildManifest(source: ManifestSource): Manifest;
/** One file as the manifest file and `--json` write it. */
export interface ManifestJsonEntry {
    path: string;
    name: string;
    size_bytes: number;
    mime_type: string;
    id?: number;
    sha256?: string;
    existing?: boolean;
    url?: string;
    error?: string;
}
/** The manifest as JSON carries it, in snake_case: the shape of the manifest file and of `--json`. */
export interface ManifestJson {
    project_id: number;
    name_prefix: string;
    dry_run: boolean;
    /** `failed` counts every file not in the project with an error, cancelled ones included. */
    totals: {
        files: number;
        bytes: number;
        uploaded: number;
        existing: number;
        failed: number;
    };
    files: ManifestJsonEntry[];
}
/** The JSON shape of a manifest (or of a run's result, whose other fields are left out), in its order. */
export declare function toManifestJson(manifest: Manifest): ManifestJson;
/** The manifest as JSON text, as it is written to a file or printed. */
export declare function manifestJson(manifest: Manifest): string;
/** Writes the manifest to a new folder under `base` (the OS temp dir by default); returns its path. */
export declare function writeManifest(manifest: Manifest, base?: string): Promise<string>;
