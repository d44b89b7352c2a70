#!/usr/bin/env node
/******/ var __webpack_modules__ = ({

/***/ 573:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   i: () => (/* binding */ tooOldNode)
/* harmony export */ });
/* unused harmony export MIN_NODE */
/**
 * The oldest Node.js the CLI runs on: package.json's `engines.node` without its `>=`
 * (test/cli-engines.test.ts checks that the two agree). On an older one the CLI's bundle fails
 * while it loads (undici's set-up on Node 20 throws), so the bin checks before it loads it.
 */
const MIN_NODE = '22.19.0';
/**
 * The one line the bin prints instead of starting when `version` (such as `process.version`) is
 * older than `needed`; undefined when it is not, or when it is not a version at all.
 */
function tooOldNode(version, needed = MIN_NODE) {
    const found = rank(version);
    if (found === undefined || found >= (rank(needed) ?? 0))
        return undefined;
    return `empiricalrun-upload needs Node.js ${needed} or later; this is Node.js ${version}`;
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


/***/ }),

/***/ 486:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _engines_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(573);
/* harmony import */ var _quick_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(45);
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


const tooOld = (0,_engines_js__WEBPACK_IMPORTED_MODULE_1__/* .tooOldNode */ .i)(process.version);
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

/***/ 45:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  C: () => (/* binding */ quickAnswer)
});

;// CONCATENATED MODULE: ./src/core/version.ts
/** The package's version: the CLI's `--version`, the library's and the action's release. */
const VERSION = '1.1.0';
/** The product's name and version, sent as the User-Agent of every request. */
const USER_AGENT = (/* unused pure expression or super */ null && (`empiricalrun-upload-files/${VERSION}`));

;// CONCATENATED MODULE: ./src/core/errors.ts
/** A bad input value, found before any request is made. */
class errors_InputError extends Error {
    /** The setting (the action input, the CLI flag, or an environment variable) that holds the bad value. */
    input;
    /** What is wrong and what is allowed, without the setting's name. */
    detail;
    /** The same setting as the library's option names it (`projectId`, `apiKey`). */
    option;
    constructor(input, detail) {
        super(`Input '${input}': ${detail}`);
        this.name = 'InputError';
        this.input = input;
        this.detail = detail;
        this.option = optionOf(input);
    }
}
/** Library options whose names are not the input's in camelCase. */
const OPTION_NAMES = {
    'auth-key': 'apiKey',
    EMPIRICALRUN_RETRY_BASE_MS: 'retryBaseMs',
    EMPIRICALRUN_PROGRESS_INTERVAL_MS: 'progressIntervalMs'
};
/** `project-id` → `projectId`: an action input's name as the library's option. */
function optionOf(input) {
    return (OPTION_NAMES[input] ?? input.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase()));
}
/** An HTTP answer outside 2xx, or a 2xx whose body is not what the API documents. */
class HttpError extends Error {
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
/** Why a refused key failed, and what to check. */
const KEY_REFUSED_HINT = 'the API key was refused: check auth-key / EMPIRICALRUN_KEY and that the key is not revoked';
/**
 * Why the API answered 404 to a request on the project's files, and what to check. Both settings
 * can cause it, so both are named; `filesUrl` shows where the files API was looked for, which
 * makes a base-url with one path segment too many plain to see.
 */
function notFoundHint(filesUrl) {
    return ('no such project, or the key cannot see it: check project-id; ' +
        `or no files API at ${filesUrl}: check base-url`);
}
/** The hint for a failure a setting explains (a refused key, a 404 from the API), if any. */
function settingHint(error, filesUrl) {
    if (isAuthFailure(error))
        return KEY_REFUSED_HINT;
    const onFiles = error instanceof HttpError && (error.step === 'create' || error.step === 'list');
    return onFiles && error.status === 404 ? notFoundHint(filesUrl) : undefined;
}
/** Listing the project's files (`skip-existing`) failed for good, so nothing may be uploaded. */
class ListFailedError extends Error {
    /** @param hint what to check, when a setting explains the failure (see settingHint) */
    constructor(cause, hint) {
        super("skip-existing: the project's files could not be listed, so nothing was uploaded " +
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
    return error instanceof HttpError && error.status === 401 && error.step !== 'upload';
}
/** Returns a one-line message for any thrown value, without a stack trace. */
function messageOf(error) {
    if (error instanceof Error)
        return error.message;
    return String(error);
}

;// CONCATENATED MODULE: ./src/core/settings.ts

/** The names of the settings: the action's inputs in action.yml, and the CLI's flags. */
const Input = {
    AuthKey: 'auth-key',
    ProjectId: 'project-id',
    Files: 'files',
    Description: 'description',
    BaseUrl: 'base-url',
    IfNoFilesFound: 'if-no-files-found',
    IncludeHiddenFiles: 'include-hidden-files',
    Concurrency: 'concurrency',
    Retries: 'retries',
    RequestTimeout: 'request-timeout',
    DryRun: 'dry-run',
    NamePrefix: 'name-prefix',
    SkipExisting: 'skip-existing',
    DownloadUrl: 'download-url'
};
/** The environment variable that holds the API key. */
const KEY_ENV = 'EMPIRICALRUN_KEY';
/** Test hook: the first retry delay in milliseconds (default 1000). */
const RETRY_BASE_ENV = 'EMPIRICALRUN_RETRY_BASE_MS';
/** Test hook: milliseconds between progress lines (default 10000). */
const PROGRESS_INTERVAL_ENV = 'EMPIRICALRUN_PROGRESS_INTERVAL_MS';
/** The default API origin. */
const DEFAULT_BASE_URL = 'https://dash.empirical.run';
/** Upper bounds that keep a typo from becoming a denial of service. */
const MAX_CONCURRENCY = 64;
const MAX_RETRIES = 10;
const MAX_TIMEOUT_SECONDS = 3600;
/** The text of a given value: '' when absent; booleans and numbers as a user would type them. */
function settings_text(value) {
    if (value === undefined)
        return '';
    if (Array.isArray(value))
        return value.join('\n');
    return String(value);
}
/** Validates every setting; throws InputError naming the first bad one, before any request. */
function resolveSettings(options) {
    const dryRun = parseBoolean(Input.DryRun, settings_text(options.dryRun), false);
    const skipExisting = parseBoolean(Input.SkipExisting, settings_text(options.skipExisting), false);
    // A dry run that skips existing files still lists the project, which takes the key.
    const authKey = parseKey(settings_text(options.apiKey), dryRun && !skipExisting);
    return {
        authKey,
        dryRun,
        skipExisting,
        namePrefix: parseNamePrefix(settings_text(options.namePrefix)),
        downloadUrl: parseBoolean(Input.DownloadUrl, settings_text(options.downloadUrl), false),
        projectId: parseInteger(Input.ProjectId, settings_text(options.projectId), {
            min: 1,
            max: Number.MAX_SAFE_INTEGER
        }),
        patterns: parsePatterns(settings_text(options.files)),
        description: settings_text(options.description).trim() || undefined,
        baseUrl: parseBaseUrl(settings_text(options.baseUrl)),
        ifNoFilesFound: parseNoFiles(settings_text(options.ifNoFilesFound)),
        includeHiddenFiles: parseBoolean(Input.IncludeHiddenFiles, settings_text(options.includeHiddenFiles), false),
        concurrency: parseInteger(Input.Concurrency, settings_text(options.concurrency), {
            min: 1,
            max: MAX_CONCURRENCY,
            fallback: 8
        }),
        retries: parseInteger(Input.Retries, settings_text(options.retries), {
            min: 0,
            max: MAX_RETRIES,
            fallback: 5
        }),
        requestTimeoutMs: 1000 *
            parseInteger(Input.RequestTimeout, settings_text(options.requestTimeout), {
                min: 1,
                max: MAX_TIMEOUT_SECONDS,
                fallback: 60
            }),
        retryBaseMs: parseInteger(RETRY_BASE_ENV, settings_text(options.retryBaseMs), {
            min: 0,
            fallback: 1000
        }),
        progressIntervalMs: parseInteger(PROGRESS_INTERVAL_ENV, settings_text(options.progressIntervalMs), {
            min: 1,
            fallback: 10_000
        }),
        workspace: options.cwd || process.cwd()
    };
}
/** Checks the key: present unless optional, and fit for an HTTP header. */
function parseKey(raw, optional) {
    const key = raw.trim();
    if (!key && !optional) {
        throw new InputError(Input.AuthKey, `no API key: set 'auth-key' (e.g. \${{ secrets.${KEY_ENV} }}) or the ${KEY_ENV} environment variable (apiKey in the library)`);
    }
    // A key is sent in a header: other characters would split, corrupt or reject it.
    if (/[^\x21-\x7e]/.test(key)) {
        throw new InputError(Input.AuthKey, 'the key contains characters an HTTP header cannot carry (spaces, control or non-ASCII characters)');
    }
    return key;
}
/** Parses a whole decimal number within bounds; an empty value takes the fallback. */
function parseInteger(name, raw, rule) {
    const value = raw.trim();
    const allowed = rule.max === undefined
        ? `an integer >= ${rule.min}`
        : `an integer from ${rule.min} to ${rule.max}`;
    if (!value) {
        if (rule.fallback !== undefined)
            return rule.fallback;
        throw new InputError(name, `is required: give ${allowed}`);
    }
    const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(parsed) ||
        parsed < rule.min ||
        parsed > (rule.max ?? Number.POSITIVE_INFINITY)) {
        throw new InputError(name, `'${value}' is not allowed: give ${allowed}`);
    }
    return parsed;
}
/** Accepts the YAML 1.2 core booleans, as `core.getBooleanInput` does, but names the input on error. */
function parseBoolean(name, raw, fallback) {
    const value = raw.trim();
    if (!value)
        return fallback;
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    throw new InputError(name, `'${value}' is not allowed: give true or false`);
}
/** Longest `name-prefix`; names are short strings on the server too. */
const MAX_PREFIX_CHARS = 512;
/**
 * Parses `name-prefix`, kept verbatim (spaces included) so that `nightly-` and `builds/v1/` both
 * work. What could climb out of the project's folder, or mean another thing on Windows, is refused.
 */
function parseNamePrefix(input) {
    // core.getInput trims every input; trimming here too keeps every face in step with it.
    const raw = input.trim();
    const refuse = (why) => {
        throw new InputError(Input.NamePrefix, `${why}: give something like builds/v1.2.3/ or nightly-`);
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
/** Requires at least one pattern that is not an exclusion or a comment. */
function parsePatterns(raw) {
    const lines = raw
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('#'));
    if (!lines.some((line) => !line.startsWith('!'))) {
        throw new InputError(Input.Files, lines.length
            ? 'every pattern is an exclusion (!): add at least one pattern that includes files'
            : 'is required: give one or more glob patterns, one per line');
    }
    return lines.join('\n');
}
const NO_FILES_VALUES = (/* unused pure expression or super */ null && (['error', 'warn', 'ignore']));
/** Parses `if-no-files-found`. */
function parseNoFiles(raw) {
    const value = raw.trim().toLowerCase() || 'error';
    const match = NO_FILES_VALUES.find((allowed) => allowed === value);
    if (!match) {
        throw new InputError(Input.IfNoFilesFound, `'${raw.trim()}' is not allowed: give error, warn or ignore`);
    }
    return match;
}
/** Parses `base-url`: https anywhere, http only to this machine, so the key never crosses a network in clear. */
function parseBaseUrl(raw) {
    const value = raw.trim() || DEFAULT_BASE_URL;
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new InputError(Input.BaseUrl, `'${value}' is not a URL: give one like https://dash.empirical.run`);
    }
    if (url.username || url.password || url.search || url.hash) {
        throw new InputError(Input.BaseUrl, 'must not contain credentials, a query or a fragment');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
        throw new InputError(Input.BaseUrl, `'${url.protocol}//${url.host}' is not allowed: give an https:// URL (http:// only to a loopback host such as 127.0.0.1)`);
    }
    const prefix = url.pathname.replace(/\/+$/, '');
    refuseApiPath(value, url.origin, prefix);
    return `${url.origin}${prefix}`;
}
/**
 * A path prefix is kept, for an API served under one (behind a reverse proxy). But the client
 * adds `/api/files` itself, so a prefix that already holds it would call `/api/api/files`, and
 * the 404 that comes back reads like a wrong project-id. Refused before any request instead.
 */
function refuseApiPath(value, origin, prefix) {
    const files = /\/api\/files(\/|$)/.exec(prefix);
    const at = files ? files.index : /\/api$/.test(prefix) ? prefix.length - '/api'.length : -1;
    if (at < 0)
        return;
    throw new InputError(Input.BaseUrl, `'${value}' ${files ? 'contains /api/files' : 'ends in /api'}, which the action adds itself ` +
        `(it calls <base URL>/api/files): give ${origin}${prefix.slice(0, at)} instead (the base ` +
        'URL is an origin, optionally with a path prefix the API is served under)');
}
/** True for hosts that never leave this machine. */
function isLoopback(hostname) {
    return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

;// CONCATENATED MODULE: ./src/cli/help.ts

/** The text `--help` prints. */
const HELP = `Usage: empiricalrun-upload [options] <pattern>...

Uploads the files the patterns match to an empirical.run project, through the Files API
(create → upload to a signed URL → confirm), and prints the ID of each file in the project.

Each <pattern> is one line of the action's 'files' input: a glob (dist/**/*.apk), a directory
(everything below it), or an exclusion (!**/*.map). Quote globs so that the shell leaves them
alone. Paths are relative to the current directory; names are relative to the patterns' common
directory, as the action names them.

The API key is read from the ${KEY_ENV} environment variable only: a flag would leave it in
shell history and in the process list.

Options (each stands for the action input of the same name, with the same rules):
  --files <pattern>            one more pattern, as an argument is (may be repeated)
  --project-id <id>            the project that receives the files (required)
  --name-prefix <text>         put before every name, such as builds/v1.2.3/ or nightly-
  --skip-existing              leave out files the project holds under the same name and size
  --download-url               read each file's signed download URL (valid for 1 hour)
  --dry-run                    list what would be uploaded; upload nothing
  --concurrency <n>            files in flight at once, 1 to 64 (default 8)
  --retries <n>                retries of a transient failure per request, 0 to 10 (default 5)
  --request-timeout <s>        seconds a request may go without progress, 1 to 3600 (default 60)
  --base-url <url>             the API's origin, optionally with a path prefix (default ${DEFAULT_BASE_URL})
  --if-no-files-found <what>   error, warn or ignore when nothing matches (default error)
  --include-hidden-files       upload dot-files and files under dot-directories too
  --description <text>         description set on every file
  A switch also takes a value as the input does: --dry-run=false.

Output:
  --json                       print the manifest as one JSON document on stdout, nothing else
  --manifest <path>            also write the manifest to <path>
  -v, --verbose                print debug lines (one per request) on stderr
  -h, --help                   print this help
  -V, --version                print the version

stdout carries one line per file in the project: <id><TAB><name>, and <TAB><url> with
--download-url. The log goes to stderr; on a terminal a progress line is redrawn in place.

Exit codes:
  0    every file is in the project (or a dry run, or no match allowed by --if-no-files-found)
  1    a file failed, the project could not be listed, or nothing matched
  2    a usage error or a bad value, found before any request
  130  stopped by SIGINT (Ctrl-C), 143 by SIGTERM, once what was in flight is settled

Example:
  ${KEY_ENV}=... empiricalrun-upload --project-id 42 --name-prefix "build-$CI_PIPELINE_ID/" 'dist/*.apk'
`;

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
        return HELP;
    if (only === '--version' || only === '-V')
        return `${VERSION}\n`;
    return undefined;
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
