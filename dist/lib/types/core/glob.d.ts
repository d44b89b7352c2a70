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
    /** Called with each debug line (options once, each search path, broken links, link cycles); never printed by the engine. */
    onDebug?: (line: string) => void;
}
/** What `glob` found. */
export interface GlobResult {
    /** Matched paths, absolute, each once, in the order @actions/glob yields them. */
    files: string[];
    /** The search paths, as @actions/glob's getSearchPaths() returns them. */
    searchPaths: string[];
}
/** Expands newline-separated patterns as @actions/glob 0.7.0 does. */
export declare function glob(patterns: string, options: GlobOptions): Promise<GlobResult>;
