/** The names of the settings: the action's inputs in action.yml, and the CLI's flags. */
export declare const Input: {
    readonly AuthKey: "auth-key";
    readonly ProjectId: "project-id";
    readonly Files: "files";
    readonly Description: "description";
    readonly BaseUrl: "base-url";
    readonly IfNoFilesFound: "if-no-files-found";
    readonly IncludeHiddenFiles: "include-hidden-files";
    readonly Concurrency: "concurrency";
    readonly Retries: "retries";
    readonly RequestTimeout: "request-timeout";
    readonly DryRun: "dry-run";
    readonly NamePrefix: "name-prefix";
    readonly SkipExisting: "skip-existing";
    readonly DownloadUrl: "download-url";
};
/** The environment variable that holds the API key. */
export declare const KEY_ENV = "EMPIRICALRUN_KEY";
/** Test hook: the first retry delay in milliseconds (default 1000). */
export declare const RETRY_BASE_ENV = "EMPIRICALRUN_RETRY_BASE_MS";
/** Test hook: milliseconds between progress lines (default 10000). */
export declare const PROGRESS_INTERVAL_ENV = "EMPIRICALRUN_PROGRESS_INTERVAL_MS";
/** What to do when the patterns match nothing. */
export type NoFilesBehaviour = 'error' | 'warn' | 'ignore';
/** The default API origin. */
export declare const DEFAULT_BASE_URL = "https://dash.empirical.run";
/**
 * What an upload is asked to do, as a program gives it. Numbers and booleans may also come as the
 * text a user typed (`'42'`, `'true'`): they are read by the same rules as the action's inputs.
 */
export interface UploadOptions {
    /** The API key. Needed unless `dryRun` is set without `skipExisting`. */
    apiKey?: string | undefined;
    /** The project that receives the files: an integer from 1. */
    projectId: number | string;
    /** Glob patterns, one per entry or one per line: globs, directories, `!` exclusions, `#` comments. */
    files: string | readonly string[];
    /** The directory patterns start from and paths are relative to (default: the current directory). */
    cwd?: string | undefined;
    /** Description set on every file. */
    description?: string | undefined;
    /** The API's base URL (default https://dash.empirical.run); http only to a loopback host. */
    baseUrl?: string | undefined;
    /** What to do when nothing matches: `error` (default), `warn` or `ignore`. */
    ifNoFilesFound?: NoFilesBehaviour | string | undefined;
    /** Upload dot-files and files under dot-directories too (default false). */
    includeHiddenFiles?: boolean | string | undefined;
    /** Files in flight at once, 1 to 64 (default 8). */
    concurrency?: number | string | undefined;
    /** Retries of a transient failure per request, 0 to 10 (default 5). */
    retries?: number | string | undefined;
    /** Seconds a request may go without progress, 1 to 3600 (default 60). */
    requestTimeout?: number | string | undefined;
    /** List the files and make no upload (default false). */
    dryRun?: boolean | string | undefined;
    /** Prepended verbatim to every name, such as `builds/v1.2.3/` (default none). */
    namePrefix?: string | undefined;
    /** Leave out files the project already holds under the same name and size (default false). */
    skipExisting?: boolean | string | undefined;
    /** Read each file's signed download URL once it is in the project (default false). */
    downloadUrl?: boolean | string | undefined;
    /** First retry delay in milliseconds; doubles each time (default 1000). */
    retryBaseMs?: number | string | undefined;
    /** Milliseconds between progress reports while uploads run (default 10000). */
    progressIntervalMs?: number | string | undefined;
}
/** Every setting, parsed and validated once. */
export interface Settings {
    /** The API key; empty only on a dry run. */
    authKey: string;
    /** The project that receives the files. */
    projectId: number;
    /** The newline-separated glob patterns, comments and blank lines left out. */
    patterns: string;
    /** Description set on every file; undefined when empty. */
    description: string | undefined;
    /** The API's base URL, without a trailing slash. */
    baseUrl: string;
    /** What to do when nothing matches. */
    ifNoFilesFound: NoFilesBehaviour;
    /** Upload files under dot-directories and dot-files too. */
    includeHiddenFiles: boolean;
    /** Files in flight at once. */
    concurrency: number;
    /** Retries of a transient failure, per request. */
    retries: number;
    /** Milliseconds a request may go without progress. */
    requestTimeoutMs: number;
    /** First retry delay in milliseconds; doubles each time. */
    retryBaseMs: number;
    /** List only; make no upload (with skipExisting, the project is still listed). */
    dryRun: boolean;
    /** Prepended verbatim to every computed name; '' for none. */
    namePrefix: string;
    /** Leave out files the project already holds under the same name and size. */
    skipExisting: boolean;
    /** Read each file's signed download URL once it is in the project. */
    downloadUrl: boolean;
    /** Milliseconds between progress lines while uploads run. */
    progressIntervalMs: number;
    /** The directory patterns are relative to and output paths are relative to. */
    workspace: string;
}
/** Validates every setting; throws InputError naming the first bad one, before any request. */
export declare function resolveSettings(options: UploadOptions): Settings;
/** True for hosts that never leave this machine. */
export declare function isLoopback(hostname: string): boolean;
