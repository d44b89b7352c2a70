import { type PatternLine } from '../settings/patterns.ts';
/** How `glob` expands patterns; the same options as @actions/glob 0.7.0, all explicit. */
export interface GlobOptions {
    /** Stat through links (stopping at cycles) rather than treating a link as a file. */
    followSymbolicLinks: boolean;
    /** A matched directory brings everything below it. */
    implicitDescendants: boolean;
    /** Yield matched directories as well as files. */
    matchDirectories: boolean;
    /** Skip a broken link (reporting it) rather than throwing. */
    omitBrokenSymbolicLinks: boolean;
    /** Prune every entry whose name starts with `.`. */
    excludeHiddenFiles: boolean;
    /**
     * The directory relative patterns start from, joined to each as `path.join` does (so `..`
     * climbs out of it) with its own text escaped, never read as a glob. Without one, patterns
     * start from the current directory and `..` is refused, exactly as in @actions/glob.
     */
    root?: string | undefined;
    /** Called with each debug line (options once, each search path, broken links, link cycles); never printed by the engine. */
    onDebug?: (line: string) => void;
}
/** What `glob` found. */
export interface GlobResult {
    /** Matched paths, absolute, each once, in the order @actions/glob yields them. */
    files: string[];
    /** The search paths, as @actions/glob's getSearchPaths() returns them. */
    searchPaths: string[];
    /** For each of `files`, the indices of the including pattern lines that match it. */
    matchedBy: number[][];
}
/**
 * Expands pattern lines as @actions/glob 0.7.0 does, relative ones from `options.root`. Text is
 * parsed into lines first, as the platform the engine loaded on splits it. Throws PatternError
 * for a pattern it refuses.
 */
export declare function glob(patterns: string | readonly PatternLine[], options: GlobOptions): Promise<GlobResult>;
