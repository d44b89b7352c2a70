/** The three protocol steps, and the two reads: `list` (the project's files) and `get` (one file). */
export type Step = 'create' | 'upload' | 'confirm' | 'list' | 'get';
/** A bad input value, found before any request is made. */
export declare class InputError extends Error {
    /** The setting (the action input, the CLI flag, or an environment variable) that holds the bad value. */
    readonly input: string;
    /** What is wrong and what is allowed, without the setting's name. */
    readonly detail: string;
    /** The same setting as the library's option names it (`projectId`, `apiKey`). */
    readonly option: string;
    constructor(input: string, detail: string);
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
/** A confirm failed without a definite answer, and reading the record back failed too. */
export declare class UnknownStateError extends Error {
    /** The record whose state is unknown. */
    readonly id: number;
    constructor(id: number, confirmError: unknown, readError: unknown);
}
/** Why a refused key failed, and what to check. */
export declare const KEY_REFUSED_HINT = "the API key was refused: check auth-key / EMPIRICALRUN_KEY and that the key is not revoked";
/**
 * Why the API answered 404 to a request on the project's files, and what to check. Both settings
 * can cause it, so both are named; `filesUrl` shows where the files API was looked for, which
 * makes a base-url with one path segment too many plain to see.
 */
export declare function notFoundHint(filesUrl: string): string;
/** The hint for a failure a setting explains (a refused key, a 404 from the API), if any. */
export declare function settingHint(error: unknown, filesUrl: string): string | undefined;
/** Listing the project's files (`skip-existing`) failed for good, so nothing may be uploaded. */
export declare class ListFailedError extends Error {
    /** @param hint what to check, when a setting explains the failure (see settingHint) */
    constructor(cause: unknown, hint?: string);
}
/** The run was cancelled (SIGINT/SIGTERM) before this work finished. */
export declare class CancelledError extends Error {
    constructor();
}
/** The server refused the API key: nothing else can succeed, so the whole run stops. */
export declare function isAuthFailure(error: unknown): boolean;
/** Returns a one-line message for any thrown value, without a stack trace. */
export declare function messageOf(error: unknown): string;
