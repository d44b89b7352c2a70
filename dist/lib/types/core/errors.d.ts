/**
 * The three protocol steps; the two reads of the API, `list` (the project's files) and `get` (one
 * file); and `verify`, the read of the stored bytes through a signed download URL.
 */
export type Step = 'create' | 'upload' | 'confirm' | 'list' | 'get' | 'verify';
/** The names of the setting a bad value was given for. */
export interface SettingNames {
    /** The library's option name (`projectId`); undefined for a test hook's environment variable. */
    setting: string | undefined;
    /** The action's input (`project-id`), or the environment variable of a test hook. */
    input: string;
    /** The CLI's flag without its dashes; undefined for the key, which has none. */
    flag: string | undefined;
}
/** What is wrong with a value, without the setting's name. */
export declare class Problem extends Error {
    constructor(detail: string);
}
/** A bad setting, found before any request. Its message names the setting in the words of the face it came through. */
export declare class InputError extends Error {
    /** The setting as the library's option names it (`projectId`, `apiKey`). */
    readonly option: string;
    /** The setting as the action's input names it (`project-id`, `auth-key`). */
    readonly input: string;
    /** The CLI's flag without dashes (`project-id`); undefined for the key, which comes from EMPIRICALRUN_KEY. */
    readonly flag: string | undefined;
    /** What is wrong and what is allowed, without the setting's name. */
    readonly detail: string;
    constructor(names: SettingNames, detail: string, message: string);
}
/** An HTTP answer outside 2xx, or a 2xx whose body is not what the API documents. */
export declare class HttpError extends Error {
    /** Which protocol step the request belonged to. */
    readonly step: Step;
    /** The HTTP status, or 0 when no answer arrived. */
    readonly status: number;
    /** The server's own words: `error`/`message` from JSON, `<Code>`/`<Message>` from XML, or a short text slice. */
    readonly serverMessage: string;
    /** The storage error code (`ExpiredRequest`, `SignatureDoesNotMatch`, ...) when the body carried one. */
    readonly code: string | undefined;
    /** Seconds the server asked us to wait (`Retry-After`), when it said. */
    readonly retryAfterSeconds: number | undefined;
    constructor(step: Step, status: number, serverMessage: string, extra?: {
        code?: string | undefined;
        retryAfterSeconds?: number | undefined;
    });
}
/** No HTTP answer: connection refused or reset, DNS failure, timeout, a stalled upload. */
export declare class NetworkError extends Error {
    /** Which protocol step the request belonged to. */
    readonly step: Step;
    constructor(step: Step, message: string, options?: {
        cause?: unknown;
    });
}
/** The file on disk is not what was listed: it vanished, changed size, or cannot be read. */
export declare class FileChangedError extends Error {
    constructor(message: string);
}
/**
 * A file that could not be opened or read. One that is gone was there when it was listed, so it
 * is reported as such (README: a file removed while the action ran), not as a bare ENOENT.
 * @param when `after it was listed` or `while it was being uploaded`
 */
export declare function unreadableFile(error: unknown, when: string): FileChangedError;
/**
 * The file is no longer the size it was listed with.
 * @param when `after it was listed` or `while it was being uploaded`
 */
export declare function changedSize(listed: number, size: number, when: string): FileChangedError;
/** A confirm failed without a definite answer, and reading the record back failed too. */
export declare class UnknownStateError extends Error {
    /** The record whose state is unknown. */
    readonly id: number;
    constructor(id: number, confirmError: unknown, readError: unknown);
}
/** Listing the project's files (`skip-existing`) failed for good, so nothing may be uploaded. */
export declare class ListFailedError extends Error {
    /**
     * @param setting how the face names skip-existing
     * @param hint what to check, when a setting explains the failure (see settingHint)
     */
    constructor(setting: string, cause: unknown, hint?: string);
}
/** The run was cancelled (SIGINT/SIGTERM) before this work finished. */
export declare class CancelledError extends Error {
    constructor();
}
/** The server refused the API key: nothing else can succeed, so the whole run stops. */
export declare function isAuthFailure(error: unknown): boolean;
/** Marks `error` as the end of a request that spent all its `retries` (one or more). */
export declare function spentRetries(error: Error, retries: number): void;
/**
 * Returns a one-line message for any thrown value, without a stack trace; for a request that
 * failed after spending its retries, it says so: `create failed: HTTP 503 (after 5 retries)`.
 */
export declare function messageOf(error: unknown): string;
/** A pattern the glob refuses: empty, with a `.` or `..` segment, or a wildcard in its root. */
export declare class PatternError extends Error {
    constructor(message: string);
}
