import path from 'node:path';
import { type Logger } from '../log.ts';
import type { PatternLine } from '../settings/patterns.ts';
import { type Face } from '../settings/settings.ts';
/** The largest body one presigned PUT accepts (S3 and R2 single-part limit). */
export declare const MAX_FILE_BYTES: number;
/** One regular file to upload. */
export interface LocalFile {
    /** Absolute path on disk. */
    absolutePath: string;
    /** Path relative to the workspace, with `/` separators. */
    path: string;
    /** Name sent to the API: `name-prefix` and the path below the patterns' common root, with `/` separators. */
    name: string;
    /** Size in bytes when listed. */
    size: number;
    /** MIME type from the extension. */
    mimeType: string;
}
/** What finding files needs to know. */
export interface FindOptions {
    /** The parsed pattern lines. */
    patterns: readonly PatternLine[];
    /** Include dot-files and files under dot-directories. */
    includeHiddenFiles: boolean;
    /** The directory relative patterns start from. */
    workspace: string;
    /** Prepended verbatim to every name (none by default). */
    namePrefix?: string;
    /** Whose words an InputError speaks (default the library's). */
    face?: Face;
}
/** What the patterns found. */
export interface FoundFiles {
    /** The regular files, named and typed, ordered by path. */
    files: LocalFile[];
    /** The including lines that no file in `files` came from, in their order. */
    unmatched: PatternLine[];
}
/** Expands the patterns into regular files, named and typed, ordered by path. */
export declare function findFiles(options: FindOptions, log?: Pick<Logger, 'debug'>): Promise<FoundFiles>;
/**
 * The deepest directory common to the search paths. A search path that is itself a matched file
 * (a pattern naming one file) contributes its directory, so a lone file is named by its base name.
 */
export declare function commonRoot(searchPaths: readonly string[], files: ReadonlySet<string>, p?: path.PlatformPath): string;
/** `file` relative to `root`, with `/` separators on every OS. */
export declare function relativeName(root: string, file: string, p?: path.PlatformPath): string;
/**
 * Hex sha256 of the file on disk, which must still be the size it was listed with. It reads into
 * one buffer, reused for every chunk: a stream's fresh buffer per chunk lives outside the heap, so
 * V8 collects none of them until tens of MB have piled up (a 1 GiB file took 60 MB above a dry run).
 */
export declare function hashFile(file: Pick<LocalFile, 'absolutePath' | 'size'>): Promise<string>;
export { mimeTypeOf } from './mime.ts';
