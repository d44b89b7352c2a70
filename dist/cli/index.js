#!/usr/bin/env node
/******/ var __webpack_modules__ = ({

/***/ 486:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _core_engines_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(516);
/* harmony import */ var _quick_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(60);
var __rewriteRelativeImportExtension = (undefined && undefined.__rewriteRelativeImportExtension) || function (path, preserveJsx) {
    if (typeof path === "string" && /^\.\.?\//.test(path)) {
        return path.replace(/\.(tsx)$|((?:\.d)?)((?:\.[^./]+?)?)\.([cm]?)ts$/i, function (m, tsx, d, ext, cm) {
            return tsx ? preserveJsx ? ".jsx" : ".js" : d && (!ext || !cm) ? m : (d + ext + "." + cm.toLowerCase() + "js");
        });
    }
    return path;
};
// The bin. ES modules evaluate their static imports before their own body, so the check of the
// Node.js version comes in a bundle of its own, which loads the CLI (run.ts, built into
// dist/cli/run/) only when the check has passed: an import that ncc leaves as it is. A command
// line of only --help or --version is answered here, without the CLI's start-up.


const tooOld = (0,_core_engines_js__WEBPACK_IMPORTED_MODULE_1__/* .tooOldNode */ .i)('empiricalrun-upload', process.version);
const answer = tooOld === undefined ? (0,_quick_js__WEBPACK_IMPORTED_MODULE_0__/* .quickAnswer */ .C)(process.argv.slice(2)) : undefined;
if (tooOld !== undefined) {
    process.stderr.write(`${tooOld}\n`);
    process.exitCode = 1;
}
else if (answer !== undefined) {
    process.stdout.write(answer);
}
else {
    const cli = './run/index.js';
    await import(__rewriteRelativeImportExtension(/* webpackIgnore: true */ cli));
}

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 60:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  C: () => (/* binding */ quickAnswer)
});

;// CONCATENATED MODULE: ./src/core/version.ts
/** The package's version: the CLI's `--version`, the library's and the action's release. */
const VERSION = '2.1.0';
/** The product's name and version, sent as the User-Agent of every request. */
const USER_AGENT = (/* unused pure expression or super */ null && (`empiricalrun-upload-files/${VERSION}`));

;// CONCATENATED MODULE: ./src/core/errors.ts
/** What is wrong with a value, without the setting's name. */
class Problem extends Error {
    constructor(detail) {
        super(detail);
        this.name = 'Problem';
    }
}
/** A bad setting, found before any request. Its message names the setting in the words of the face it came through. */
class errors_InputError extends Error {
    /** The setting as the library's option names it (`projectId`, `apiKey`). */
    option;
    /** The setting as the action's input names it (`project-id`, `auth-key`). */
    input;
    /** The CLI's flag without dashes (`project-id`); undefined for the key, which comes from EMPIRICALRUN_KEY. */
    flag;
    /** What is wrong and what is allowed, without the setting's name. */
    detail;
    constructor(names, detail, message) {
        super(message);
        this.name = 'InputError';
        this.option = names.setting ?? names.input;
        this.input = names.input;
        this.flag = names.flag;
        this.detail = detail;
    }
}
/** An HTTP answer outside 2xx, or a 2xx whose body is not what the API documents. */
class errors_HttpError extends Error {
    /** Which protocol step the request belonged to. */
    step;
    /** The HTTP status, or 0 when no answer arrived. */
    status;
    /** The server's own words: `error`/`message` from JSON, `<Code>`/`<Message>` from XML, or a short text slice. */
    serverMessage;
    /** The storage error code (`ExpiredRequest`, `SignatureDoesNotMatch`, ...) when the body carried one. */
    code;
    /** Seconds the server asked us to wait (`Retry-After`), when it said. */
    retryAfterSeconds;
    constructor(step, status, serverMessage, extra = {}) {
        super(`${step} failed: HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}`);
        this.name = 'HttpError';
        this.step = step;
        this.status = status;
        this.serverMessage = serverMessage;
        this.code = extra.code;
        this.retryAfterSeconds = extra.retryAfterSeconds;
    }
}
/** No HTTP answer: connection refused or reset, DNS failure, timeout, a stalled upload. */
class NetworkError extends Error {
    /** Which protocol step the request belonged to. */
    step;
    constructor(step, message, options) {
        super(`${step} failed: ${message}`, options);
        this.name = 'NetworkError';
        this.step = step;
    }
}
/** The file on disk is not what was listed: it vanished, changed size, or cannot be read. */
class FileChangedError extends Error {
    constructor(message) {
        super(message);
        this.name = 'FileChangedError';
    }
}
/**
 * A file that could not be opened or read. One that is gone was there when it was listed, so it
 * is reported as such (README: a file removed while the action ran), not as a bare ENOENT.
 * @param when `after it was listed` or `while it was being uploaded`
 */
function unreadableFile(error, when) {
    if (error.code === 'ENOENT') {
        return new FileChangedError(`the file disappeared ${when}`);
    }
    return new FileChangedError(`cannot read the file: ${messageOf(error)}`);
}
/**
 * The file is no longer the size it was listed with.
 * @param when `after it was listed` or `while it was being uploaded`
 */
function changedSize(listed, size, when) {
    return new FileChangedError(`the file changed size from ${listed} to ${size} bytes ${when}`);
}
/** A confirm failed without a definite answer, and reading the record back failed too. */
class UnknownStateError extends Error {
    /** The record whose state is unknown. */
    id;
    constructor(id, confirmError, readError) {
        super(`${messageOf(confirmError)}; reading record ${id} back failed too (${messageOf(readError)}), ` +
            'so its state is unknown: the project may list it as uploaded');
        this.name = 'UnknownStateError';
        this.id = id;
    }
}
/** Listing the project's files (`skip-existing`) failed for good, so nothing may be uploaded. */
class ListFailedError extends Error {
    /**
     * @param setting how the face names skip-existing
     * @param hint what to check, when a setting explains the failure (see settingHint)
     */
    constructor(setting, cause, hint) {
        super(`${setting}: the project's files could not be listed, so nothing was uploaded ` +
            `(uploading without the list could make duplicates): ${messageOf(cause)}` +
            (hint ? ` (${hint})` : ''), { cause });
        this.name = 'ListFailedError';
    }
}
/** The run was cancelled (SIGINT/SIGTERM) before this work finished. */
class CancelledError extends Error {
    constructor() {
        super('cancelled');
        this.name = 'CancelledError';
    }
}
/** The server refused the API key: nothing else can succeed, so the whole run stops. */
function isAuthFailure(error) {
    // Storage (an upload or a read-back through a signed URL) never sees the key.
    const storage = error instanceof errors_HttpError && (error.step === 'upload' || error.step === 'verify');
    return error instanceof errors_HttpError && error.status === 401 && !storage;
}
/** The failures a request gave up with once every retry was spent, with how many that was. */
const retriesSpent = new WeakMap();
/** Marks `error` as the end of a request that spent all its `retries` (one or more). */
function spentRetries(error, retries) {
    retriesSpent.set(error, retries);
}
/**
 * Returns a one-line message for any thrown value, without a stack trace; for a request that
 * failed after spending its retries, it says so: `create failed: HTTP 503 (after 5 retries)`.
 */
function messageOf(error) {
    if (!(error instanceof Error))
        return String(error);
    const retries = retriesSpent.get(error);
    if (retries === undefined)
        return error.message;
    return `${error.message} (after ${retries} ${retries === 1 ? 'retry' : 'retries'})`;
}
/** A pattern the glob refuses: empty, with a `.` or `..` segment, or a wildcard in its root. */
class PatternError extends Error {
    constructor(message) {
        super(message);
        this.name = 'PatternError';
    }
}

;// CONCATENATED MODULE: ./src/core/http/dialect.ts
// The vendor's two APIs over the same flow (create → PUT → confirm, list, get), in one table: where
// each is served, the envelope keys of its answers and how it learns the project. The client, the
// answers' parsers, the settings and the hints read this table; nothing else tells them apart.
/** Every API, by name; `files` first, the default. */
const DIALECTS = {
    files: {
        path: '/api/files',
        one: 'file',
        many: 'files',
        projectInRequest: true,
        defaultBaseUrl: 'https://dash.empirical.run'
    },
    resources: {
        path: '/api/resources',
        one: 'resource',
        many: 'resources',
        projectInRequest: false,
        defaultBaseUrl: 'https://api.empirical.run'
    }
};
/** The APIs' names, the default first. */
const API_NAMES = Object.keys(DIALECTS);
/**
 * The dialect a collection URL belongs to (the transport's `filesUrl`): the one whose path it
 * ends in, else `files`, as a transport that names none is.
 */
function dialectAt(collectionUrl) {
    return (Object.values(DIALECTS).find((dialect) => collectionUrl.endsWith(dialect.path)) ??
        DIALECTS.files);
}

;// CONCATENATED MODULE: ./src/core/http/url-policy.ts


/** Masks the upload URL's signature and refuses to send bytes in clear text across a network. */
function checkUploadUrl(raw, mask) {
    maskSignature(raw, mask);
    return checkSignedUrl(raw, { step: 'create', field: 'upload_url' });
}
/**
 * A signed URL goes to https only (or plain http on this machine): its query is a secret.
 * @param answer the step whose answer held the URL, and the field's name, for the message
 */
function checkSignedUrl(raw, answer) {
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        throw new HttpError(answer.step, 200, `the answer has no valid ${answer.field}`);
    }
    if (!isSecureTransport(url)) {
        throw new HttpError(answer.step, 200, `the ${answer.field} uses ${url.protocol} to ${url.host}; only https is accepted`);
    }
    return url;
}
/**
 * Masks the secret part of a signed URL: its SigV4 signature, or with another signing scheme the
 * whole query. An unparseable URL is masked whole.
 */
function maskSignature(raw, mask) {
    let secret;
    try {
        const url = new URL(raw);
        secret = url.searchParams.get('X-Amz-Signature') || url.search.slice(1);
    }
    catch {
        secret = raw;
    }
    if (secret)
        mask(secret);
}
/**
 * Checks a base URL of the API: https anywhere, http only to this machine, so the key never
 * crosses a network in clear; no credentials, query or fragment; no `/api/files` (the dialect's
 * collection) of its own. Returns its origin and path prefix; throws a Problem in words that
 * follow the setting's name.
 * @param caller who calls `<base URL>/api/files`, in the face's words (`the action`)
 * @param dialect the API called (default files): the collection it adds, the URL an example gives
 */
function checkBaseUrl(value, caller, dialect = DIALECTS.files) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new Problem(`'${value}' is not a URL: give one like ${dialect.defaultBaseUrl}`);
    }
    if (url.username || url.password || url.search || url.hash) {
        throw new Problem('must not contain credentials, a query or a fragment');
    }
    if (!isSecureTransport(url)) {
        throw new Problem(`'${url.protocol}//${url.host}' is not allowed: give an https:// URL (http:// only to a loopback host such as 127.0.0.1)`);
    }
    const prefix = url.pathname.replace(/\/+$/, '');
    refuseApiPath(value, url.origin, prefix, { caller, collection: dialect.path });
    return `${url.origin}${prefix}`;
}
/**
 * A path prefix is kept, for an API served under one (behind a reverse proxy). But the client
 * adds `/api/files` (the collection) itself, so a prefix that already holds it would call
 * `/api/api/files`, and the 404 that comes back reads like a wrong project ID. Refused before any
 * request instead.
 */
function refuseApiPath(value, origin, prefix, { caller, collection }) {
    const files = new RegExp(`${collection}(/|$)`).exec(prefix);
    const at = files ? files.index : /\/api$/.test(prefix) ? prefix.length - '/api'.length : -1;
    if (at < 0)
        return;
    throw new Problem(`'${value}' ${files ? `contains ${collection}` : 'ends in /api'}, which ${caller} adds itself ` +
        `(it calls <base URL>${collection}): give ${origin}${prefix.slice(0, at)} instead (the base ` +
        'URL is an origin, optionally with a path prefix the API is served under)');
}
/** True for hosts that never leave this machine. */
function isLoopback(hostname) {
    return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
/** True where a secret may travel: https anywhere, plain http only to this machine. */
function isSecureTransport(url) {
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
}

;// CONCATENATED MODULE: ./src/core/settings/patterns.ts
/**
 * The one parser of pattern lines, the syntax of the `files` setting: one pattern a line, blank
 * lines and `#` comments skipped, each leading `!` flipping the pattern into an exclusion. The
 * glob, the settings, the names and the hints all read its result, never the text.
 */
/**
 * Splits `text` into pattern lines, as @actions/glob does: on `\n` (also `\r` on Windows), each
 * line trimmed, blank lines and lines starting with `#` left out. Each leading `!` flips negation,
 * with the space after it trimmed (`! *.map` excludes `*.map`).
 * @param windows split on `\r` and `\r\n` too (the platform a glob engine loaded on)
 */
function parsePatternLines(text, windows = process.platform === 'win32') {
    const joined = typeof text === 'string' ? text : text.join('\n');
    return joined
        .split(windows ? /\r\n|\r|\n/ : '\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('#'))
        .map(parseLine);
}
function parseLine(text) {
    let negate = false;
    let body = text;
    while (body.startsWith('!')) {
        negate = !negate;
        body = body.slice(1).trim();
    }
    return { text, negate, body };
}
/** The lines as the user wrote them, one per line: how a message shows the patterns. */
function patternText(lines) {
    return lines.map((line) => line.text).join('\n');
}
/** True when the pattern has no wildcard (`*`, `?`, `[`): it names one path, which must exist. */
function isLiteral(line) {
    return !/[*?[]/.test(line.body);
}
/** True when a path segment of the pattern starts with `.` (`out/.env`, `.github/**`). */
function namesHidden(line) {
    return line.body.split(/[\\/]/).some((segment) => /^\.[^./]/.test(segment));
}

;// CONCATENATED MODULE: ./src/core/settings/kinds.ts
/**
 * The kinds of setting (integer, boolean, choice, text, patterns): how each is read from text
 * (the action's inputs, the CLI's flags), checked as a program's value (the library), and
 * described in an error. A problem is thrown as a Problem; the table turns it into an InputError
 * that names the setting in the face's words.
 */



/** A program's value of the wrong type: says which type is wanted and what came instead. */
function wrongType(wanted, value) {
    const got = typeof value === 'string' ? `the string '${value}'` : `${typeof value} ${String(value)}`;
    return new Problem(`${got} is not allowed: give ${wanted}`);
}
/** A whole number within bounds. */
function integer(min, max) {
    // Every face words an unbounded one alike: its bound is no number a user should read.
    const allowed = () => max === Number.MAX_SAFE_INTEGER
        ? `a whole number from ${min}, such as 42`
        : `an integer from ${min} to ${max}`;
    const check = (parsed, shown) => {
        if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max)
            throw new Problem(`'${shown}' is not allowed: give ${allowed()}`);
        return parsed;
    };
    return {
        fromText(raw) {
            const value = raw.trim();
            if (!value)
                return undefined;
            return check(/^\d+$/.test(value) ? Number(value) : NaN, value);
        },
        fromValue(value) {
            if (value === undefined)
                return undefined;
            if (typeof value !== 'number')
                throw wrongType(`a number: ${allowed()}`, value);
            return check(value, String(value));
        },
        allowed,
        ...(max === Number.MAX_SAFE_INTEGER ? {} : { range: `${min} to ${max}` })
    };
}
/** The YAML 1.2 core booleans, as `core.getBooleanInput` reads them. */
function kinds_boolean() {
    return {
        fromText(raw) {
            const value = raw.trim();
            if (!value)
                return undefined;
            if (['true', 'True', 'TRUE'].includes(value))
                return true;
            if (['false', 'False', 'FALSE'].includes(value))
                return false;
            throw new Problem(`'${value}' is not allowed: give true or false`);
        },
        fromValue(value) {
            if (value === undefined)
                return undefined;
            if (typeof value !== 'boolean')
                throw wrongType('true or false', value);
            return value;
        },
        allowed: () => 'true or false',
        switch: true
    };
}
/** One of a few words, read without regard to case. */
function choice(values) {
    const allowed = () => `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
    const pick = (raw) => {
        const value = raw.trim();
        if (!value)
            return undefined;
        const match = values.find((allowedValue) => allowedValue === value.toLowerCase());
        if (!match)
            throw new Problem(`'${value}' is not allowed: give ${allowed()}`);
        return match;
    };
    return {
        fromText: pick,
        fromValue(value) {
            if (value === undefined)
                return undefined;
            if (typeof value !== 'string')
                throw wrongType(allowed(), value);
            return pick(value);
        },
        allowed
    };
}
/** Text, trimmed as `core.getInput` trims it, then checked by `refine` (which may rewrite it). */
function kinds_text(refine = (value) => value) {
    const read = (raw, face) => {
        const value = raw.trim();
        return value ? refine(value, face) : undefined;
    };
    return {
        fromText: read,
        fromValue(value, face) {
            if (value === undefined)
                return undefined;
            if (typeof value !== 'string')
                throw wrongType('a string', value);
            return read(value, face);
        },
        allowed: () => 'a value'
    };
}
/** Pattern lines: at least one that includes files. */
function patterns() {
    const allowed = () => 'one or more glob patterns, one per line';
    const read = (given) => {
        const lines = parsePatternLines(given);
        // Blank is absent; text that is all comments was meant as patterns, and is told so.
        if (!lines.length &&
            (typeof given === 'string' ? [given] : given).some((entry) => entry.trim()))
            throw new Problem(`holds only comments (lines starting with #): give ${allowed()}`);
        if (!lines.length)
            return undefined;
        if (!lines.some((line) => !line.negate))
            throw new Problem('every pattern is an exclusion (!): add at least one pattern that includes files');
        return lines;
    };
    return {
        fromText: (raw) => read(raw),
        fromValue(value) {
            if (value === undefined)
                return undefined;
            const list = typeof value === 'string' ? [value] : value;
            if (!Array.isArray(list) || !list.every((entry) => typeof entry === 'string'))
                throw wrongType('a string or an array of strings', value);
            return read(list);
        },
        allowed
    };
}
/** Checks the key: fit for an HTTP header. */
function parseKey(key) {
    // A key is sent in a header: other characters would split, corrupt or reject it.
    if (/[^\x21-\x7e]/.test(key)) {
        throw new Problem('the key contains characters an HTTP header cannot carry (spaces, control or non-ASCII characters)');
    }
    return key;
}
/** Longest `name-prefix`; names are short strings on the server too. */
const MAX_PREFIX_CHARS = 512;
/**
 * Checks `name-prefix`, kept verbatim (inner spaces included) so that `nightly-` and `builds/v1/`
 * both work. What could climb out of the project's folder, or mean another thing on Windows, is
 * refused.
 */
function parseNamePrefix(raw) {
    const refuse = (why) => {
        throw new Problem(`${why}: give something like builds/v1.2.3/ or nightly-`);
    };
    if (raw.length > MAX_PREFIX_CHARS)
        refuse(`is ${raw.length} characters long; at most ${MAX_PREFIX_CHARS} characters are allowed`);
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1f\x7f]/.test(raw))
        refuse('must not contain control characters (line breaks, tabs)');
    if (raw.includes('\\'))
        refuse("must not contain a backslash '\\'; use '/' between folders");
    if (raw.startsWith('/'))
        refuse("must not start with '/'");
    // URL parsers drop '.' and '..' path segments, so an upload URL made from such a name would
    // reach another key than the one signed.
    if (raw.split('/').some((segment) => segment === '.' || segment === '..'))
        refuse("must not contain a '.' or '..' segment");
    // `a//b/` would name files `a//b/app.zip`: a folder with no name, which no file system shows.
    if (raw.split('/').slice(0, -1).includes(''))
        refuse("must not contain an empty segment ('//')");
    return raw;
}
/** Who calls `<base URL>/api/files` (or `/api/resources`), in each face's words. */
const CALLER = {
    action: 'the action',
    cli: 'empiricalrun-upload',
    library: 'uploadFiles()'
};
/**
 * Checks `base-url`: https anywhere, http only to this machine, so the key never crosses a network
 * in clear; without the path the API's `dialect` adds itself (default the Files API's).
 */
function parseBaseUrl(value, face, dialect) {
    return checkBaseUrl(value, CALLER[face], dialect);
}

;// CONCATENATED MODULE: ./src/core/settings/settings.ts
// Stage settings/: owns the settings: the table, their kinds, reading a face's values, the lines
// of the `files` setting and each face's words; may import http/ (the URL policy) and the core's
// shared modules.
/**
 * The contract, written once: a row per setting with its action input, CLI flag, library option,
 * kind, default and help. The action's input reading, the CLI's parser and --help, the library's
 * types and every InputError derive from this table.
 */



/** The environment variable that holds the API key, in every face. */
const KEY_ENV = 'EMPIRICALRUN_KEY';
/** Test hook: the first retry delay in milliseconds (default 1000). */
const RETRY_BASE_ENV = 'EMPIRICALRUN_RETRY_BASE_MS';
/** Test hook: milliseconds between progress lines (default 10000). */
const PROGRESS_INTERVAL_ENV = 'EMPIRICALRUN_PROGRESS_INTERVAL_MS';
function row(setting) {
    return setting;
}
/** Upper bounds that keep a typo from becoming a denial of service. */
const MAX_CONCURRENCY = 64;
const MAX_RETRIES = 10;
const MAX_TIMEOUT_SECONDS = 3600;
/** Every setting, in action.yml's order; the keys are the library's option names. */
const SETTINGS = {
    /** The API key; needed unless `dryRun` is set without `skipExisting`. */
    apiKey: row({
        input: 'auth-key',
        flag: undefined,
        value: undefined,
        kind: kinds_text(parseKey),
        default: '',
        help: `the API key (the CLI reads it from ${KEY_ENV} only)`
    }),
    /**
     * The project that receives the files: an integer from 1. Required with the Files API; refused
     * with the Resources API, where the key picks the project (resolve.ts decides).
     */
    projectId: row({
        input: 'project-id',
        flag: 'project-id',
        value: '<id>',
        kind: integer(1, Number.MAX_SAFE_INTEGER),
        default: undefined,
        help: 'the project that receives the files (required with --api files, refused with resources)'
    }),
    /** Glob patterns, one per entry or line: globs, directories, `!` exclusions, `#` comments. */
    files: row({
        input: 'files',
        flag: 'files',
        value: '<pattern>',
        kind: patterns(),
        default: undefined,
        help: 'one more pattern, as an argument is (may be repeated)'
    }),
    /** Description set on every file (default none). */
    description: row({
        input: 'description',
        flag: 'description',
        value: '<text>',
        kind: kinds_text(),
        default: '',
        help: 'description set on every file'
    }),
    /**
     * The API's base URL: an origin, optionally with a path prefix; http only to a loopback host.
     * Blank is the API's own (resolve.ts): https://dash.empirical.run for files,
     * https://api.empirical.run for resources.
     */
    baseUrl: row({
        input: 'base-url',
        flag: 'base-url',
        value: '<url>',
        kind: kinds_text(parseBaseUrl),
        default: '',
        help: `the API origin, optionally with a path prefix (default ${DIALECTS.files.defaultBaseUrl}, or ${DIALECTS.resources.defaultBaseUrl} with --api resources)`
    }),
    /** Which of the vendor's APIs to call: `files` (default, the project named by projectId) or `resources` (the key's project). */
    api: row({
        input: 'api',
        flag: 'api',
        value: '<api>',
        kind: choice(API_NAMES),
        default: 'files',
        help: 'the API to call: files (/api/files, --project-id names the project) or resources (/api/resources, the key picks it)'
    }),
    /** What to do when nothing matches: `error` (default), `warn` or `ignore`. */
    ifNoFilesFound: row({
        input: 'if-no-files-found',
        flag: 'if-no-files-found',
        value: '<what>',
        kind: choice(['error', 'warn', 'ignore']),
        default: 'error',
        help: 'error, warn or ignore when nothing matches'
    }),
    /** Upload dot-files and files under dot-directories too (default false). */
    includeHiddenFiles: row({
        input: 'include-hidden-files',
        flag: 'include-hidden-files',
        value: undefined,
        kind: kinds_boolean(),
        default: false,
        help: 'upload dot-files and files under dot-directories too'
    }),
    /** Files in flight at once, 1 to 64 (default 8). */
    concurrency: row({
        input: 'concurrency',
        flag: 'concurrency',
        value: '<n>',
        kind: integer(1, MAX_CONCURRENCY),
        default: 8,
        help: 'files in flight at once'
    }),
    /** Retries of a transient failure per request, 0 to 10 (default 5). */
    retries: row({
        input: 'retries',
        flag: 'retries',
        value: '<n>',
        kind: integer(0, MAX_RETRIES),
        default: 5,
        help: 'retries of a transient failure per request'
    }),
    /** Seconds a request may go without progress, 1 to 3600 (default 60). */
    requestTimeout: row({
        input: 'request-timeout',
        flag: 'request-timeout',
        value: '<s>',
        kind: integer(1, MAX_TIMEOUT_SECONDS),
        default: 60,
        help: 'seconds a request may go without progress'
    }),
    /** List the files and upload nothing (default false). */
    dryRun: row({
        input: 'dry-run',
        flag: 'dry-run',
        value: undefined,
        kind: kinds_boolean(),
        default: false,
        help: 'list what would be uploaded; upload nothing'
    }),
    /** Put verbatim before every name, such as `builds/v1.2.3/` (default none). */
    namePrefix: row({
        input: 'name-prefix',
        flag: 'name-prefix',
        value: '<text>',
        kind: kinds_text(parseNamePrefix),
        default: '',
        help: 'put before every name, such as builds/v1.2.3/ or nightly-'
    }),
    /** Leave out files the project already holds under the same name and size (default false). */
    skipExisting: row({
        input: 'skip-existing',
        flag: 'skip-existing',
        value: undefined,
        kind: kinds_boolean(),
        default: false,
        help: 'leave out files the project holds under the same name and size'
    }),
    /** Read each file's signed download URL once it is in the project (default false). */
    downloadUrl: row({
        input: 'download-url',
        flag: 'download-url',
        value: undefined,
        kind: kinds_boolean(),
        default: false,
        help: "read each file's signed download URL (valid for 1 hour)"
    }),
    /** Read each file back from storage and compare its sha256; upload it again when they differ (default false). */
    verify: row({
        input: 'verify',
        flag: 'verify',
        value: undefined,
        kind: kinds_boolean(),
        default: false,
        help: 'read each stored file back, compare its sha256, and upload it again if storage holds other bytes'
    })
};
/** The keys in the table's order. */
const SETTING_KEYS = Object.keys(SETTINGS);
/** How a face names a setting: `auth-key` in the action, `--project-id` on a command line, `apiKey` in code. */
function nameOf(key, face) {
    const setting = SETTINGS[key];
    if (face === 'action')
        return setting.input;
    if (face === 'library')
        return key;
    return setting.flag === undefined ? KEY_ENV : `--${setting.flag}`;
}
/**
 * An InputError for `key`, in the words of `face`. On a command line, a detail that names its
 * own subject (a pattern, the missing key) stands alone.
 */
function inputError(key, detail, face, bare = false) {
    const setting = SETTINGS[key];
    const message = inputMessage(key, detail, face, bare);
    return new InputError({ setting: key, input: setting.input, flag: setting.flag }, detail, message);
}
/** Details that go on from the setting's name as a sentence does: `Input 'files' is required: …`. */
const PREDICATE = /^(is required|holds only comments|is not used)\b/;
/** The CLI's patterns come from --files and arguments alike: a predicate on them, with its subject. */
const CLI_PATTERNS = {
    'is required': 'a pattern (--files or an argument) is required',
    'holds only comments': 'the patterns (--files and arguments) hold only comments'
};
function inputMessage(key, detail, face, bare) {
    const predicate = PREDICATE.exec(detail)?.[0];
    if (face === 'cli' && key === 'files') {
        return predicate ? `${CLI_PATTERNS[predicate]}${detail.slice(predicate.length)}` : detail;
    }
    if (face === 'cli' && bare)
        return detail;
    const name = face === 'action'
        ? `Input '${SETTINGS[key].input}'`
        : face === 'library'
            ? `Option '${key}'`
            : nameOf(key, face);
    return predicate ? `${name} ${detail}` : `${name}: ${detail}`;
}

;// CONCATENATED MODULE: ./src/cli/help.ts

/** Where the help column starts. */
const COLUMN = 29;
/** One line of --help: the flag and its value, then the help. */
function line(left, help) {
    return `  ${left.padEnd(COLUMN)}${help}`;
}
/** A setting's line: its help, its bounds and its default, from the table. */
function settingLine(setting) {
    if (setting.flag === undefined)
        return [];
    const left = setting.value ? `--${setting.flag} ${setting.value}` : `--${setting.flag}`;
    const range = setting.kind.range ? `, ${setting.kind.range}` : '';
    const shown = setting.default === undefined || setting.default === '' || setting.default === false;
    const fallback = shown ? '' : ` (default ${String(setting.default)})`;
    return [line(left, `${setting.help}${range}${fallback}`)];
}
/** The text `--help` prints, built from the settings table when asked for. */
function helpText() {
    return `Usage: empiricalrun-upload [options] <pattern>...

Uploads the files the patterns match to an empirical.run project, through the Files API
(create → upload to a signed URL → confirm), and prints the ID of each file in the project.
With --api resources it calls the Resources API instead, where the key picks the project:
leave out --project-id there.

Each <pattern> is one line of the action's 'files' input: a glob (dist/**/*.apk), a directory
(everything below it), or an exclusion (!**/*.map), applied in the order given. Quote globs so
that the shell leaves them alone. A path without wildcards must exist, unless
--if-no-files-found is warn or ignore. Paths are relative to the current directory; names are
relative to the patterns' common directory, as the action names them.

The API key is read from the ${KEY_ENV} environment variable only: a flag would leave it in
shell history and in the process list.

Options (each stands for the action input of the same name, with the same rules):
${SETTING_KEYS.flatMap((key) => settingLine(SETTINGS[key])).join('\n')}
  A switch takes a value only after '=': --dry-run=false. A flag with a value takes the next
  argument, even one that starts with '-': --name-prefix -nightly-.

Output:
${line('--json', 'print the manifest as one JSON document on stdout, nothing else')}
${line('--manifest <path>', 'also write the manifest to <path>')}
${line('--checksums <path>', 'also write a checksums file (sha256sum -c reads it) to <path>')}
${line('-v, --verbose', 'print debug lines (one per request) on stderr')}
${line('-h, --help', 'print this help')}
${line('-V, --version', 'print the version')}

stdout carries one line per file in the project: <id><TAB><name>, and <TAB><url> with
--download-url. In those lines a backslash, tab, newline or carriage return in a name is written
\\\\, \\t, \\n or \\r; --json gives names exactly. The log goes to stderr; on a terminal a progress
line is redrawn in place.

Exit codes:
  0    every file is in the project (or a dry run, or no match allowed by --if-no-files-found)
  1    a file failed, the project could not be listed, nothing matched, or --manifest or
       --checksums could not be written after all
  2    a usage error or a bad value, found before any request
  130  stopped by SIGINT (Ctrl-C), 143 by SIGTERM, once what was in flight is settled

Examples:
  ${KEY_ENV}=... empiricalrun-upload --project-id 42 --name-prefix "build-$CI_PIPELINE_ID/" 'dist/*.apk'
  ${KEY_ENV}=... empiricalrun-upload --api resources 'dist/*.apk'
`;
}

;// CONCATENATED MODULE: ./src/cli/quick.ts


/**
 * What the bin prints on stdout (exit 0) when the whole command line is `--help`, `-h`,
 * `--version` or `-V`, without loading the CLI's bundle: the text main() would print for it.
 * Undefined for any other command line, which the CLI reads (--help among other flags too).
 */
function quickAnswer(argv) {
    if (argv.length !== 1)
        return undefined;
    const [only] = argv;
    if (only === '--help' || only === '-h')
        return helpText();
    if (only === '--version' || only === '-V')
        return `${VERSION}\n`;
    return undefined;
}


/***/ }),

/***/ 516:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   i: () => (/* binding */ tooOldNode)
/* harmony export */ });
/* unused harmony export MIN_NODE */
/**
 * The oldest Node.js the CLI and the library run on: package.json's `engines.node` without its
 * `>=` (test/core/engines.test.ts checks that the two agree). On an older one their bundles fail
 * while they load (undici's set-up on Node 20 throws), so each face checks before it loads them.
 */
const MIN_NODE = '22.19.0';
/**
 * The one line a face gives instead of starting when `version` (such as `process.version`) is
 * older than `needed`, naming `product` as the user knows it (`empiricalrun-upload`, or the
 * package `@empiricalrun/upload-files`); undefined when it is not older, or not a version at all.
 */
function tooOldNode(product, version, needed = MIN_NODE) {
    const found = rank(version);
    if (found === undefined || found >= (rank(needed) ?? 0))
        return undefined;
    return `${product} needs Node.js ${needed} or later; this is Node.js ${version}`;
}
/**
 * A version's major, minor and patch as one number that orders versions as they are ordered; what
 * follows them (a pre-release's `-rc.1`) is left out.
 */
function rank(version) {
    const parts = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
    if (!parts)
        return undefined;
    const [major, minor, patch] = parts.slice(1).map(Number);
    return (major * 1000 + minor) * 1000 + patch;
}


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(486);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
