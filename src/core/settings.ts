import { InputError } from './errors.ts'

/** The names of the settings: the action's inputs in action.yml, and the CLI's flags. */
export const Input = {
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
} as const

/** The environment variable that holds the API key. */
export const KEY_ENV = 'EMPIRICALRUN_KEY'
/** Test hook: the first retry delay in milliseconds (default 1000). */
export const RETRY_BASE_ENV = 'EMPIRICALRUN_RETRY_BASE_MS'
/** Test hook: milliseconds between progress lines (default 10000). */
export const PROGRESS_INTERVAL_ENV = 'EMPIRICALRUN_PROGRESS_INTERVAL_MS'

/** What to do when the patterns match nothing. */
export type NoFilesBehaviour = 'error' | 'warn' | 'ignore'

/** The default API origin. */
export const DEFAULT_BASE_URL = 'https://dash.empirical.run'

/**
 * What an upload is asked to do, as a program gives it. Numbers and booleans may also come as the
 * text a user typed (`'42'`, `'true'`): they are read by the same rules as the action's inputs.
 */
export interface UploadOptions {
  /** The API key. Needed unless `dryRun` is set without `skipExisting`. */
  apiKey?: string | undefined
  /** The project that receives the files: an integer from 1. */
  projectId: number | string
  /** Glob patterns, one per entry or one per line: globs, directories, `!` exclusions, `#` comments. */
  files: string | readonly string[]
  /** The directory patterns start from and paths are relative to (default: the current directory). */
  cwd?: string | undefined
  /** Description set on every file. */
  description?: string | undefined
  /** The API's base URL (default https://dash.empirical.run); http only to a loopback host. */
  baseUrl?: string | undefined
  /** What to do when nothing matches: `error` (default), `warn` or `ignore`. */
  ifNoFilesFound?: NoFilesBehaviour | string | undefined
  /** Upload dot-files and files under dot-directories too (default false). */
  includeHiddenFiles?: boolean | string | undefined
  /** Files in flight at once, 1 to 64 (default 8). */
  concurrency?: number | string | undefined
  /** Retries of a transient failure per request, 0 to 10 (default 5). */
  retries?: number | string | undefined
  /** Seconds a request may go without progress, 1 to 3600 (default 60). */
  requestTimeout?: number | string | undefined
  /** List the files and make no upload (default false). */
  dryRun?: boolean | string | undefined
  /** Prepended verbatim to every name, such as `builds/v1.2.3/` (default none). */
  namePrefix?: string | undefined
  /** Leave out files the project already holds under the same name and size (default false). */
  skipExisting?: boolean | string | undefined
  /** Read each file's signed download URL once it is in the project (default false). */
  downloadUrl?: boolean | string | undefined
  /** First retry delay in milliseconds; doubles each time (default 1000). */
  retryBaseMs?: number | string | undefined
  /** Milliseconds between progress reports while uploads run (default 10000). */
  progressIntervalMs?: number | string | undefined
}

/** Every setting, parsed and validated once. */
export interface Settings {
  /** The API key; empty only on a dry run. */
  authKey: string
  /** The project that receives the files. */
  projectId: number
  /** The newline-separated glob patterns, comments and blank lines left out. */
  patterns: string
  /** Description set on every file; undefined when empty. */
  description: string | undefined
  /** The API's base URL, without a trailing slash. */
  baseUrl: string
  /** What to do when nothing matches. */
  ifNoFilesFound: NoFilesBehaviour
  /** Upload files under dot-directories and dot-files too. */
  includeHiddenFiles: boolean
  /** Files in flight at once. */
  concurrency: number
  /** Retries of a transient failure, per request. */
  retries: number
  /** Milliseconds a request may go without progress. */
  requestTimeoutMs: number
  /** First retry delay in milliseconds; doubles each time. */
  retryBaseMs: number
  /** List only; make no upload (with skipExisting, the project is still listed). */
  dryRun: boolean
  /** Prepended verbatim to every computed name; '' for none. */
  namePrefix: string
  /** Leave out files the project already holds under the same name and size. */
  skipExisting: boolean
  /** Read each file's signed download URL once it is in the project. */
  downloadUrl: boolean
  /** Milliseconds between progress lines while uploads run. */
  progressIntervalMs: number
  /** The directory patterns are relative to and output paths are relative to. */
  workspace: string
}

/** Upper bounds that keep a typo from becoming a denial of service. */
const MAX_CONCURRENCY = 64
const MAX_RETRIES = 10
const MAX_TIMEOUT_SECONDS = 3600

/** A value as given: absent, typed, or as text. */
type Given = string | number | boolean | readonly string[] | undefined

/** The text of a given value: '' when absent; booleans and numbers as a user would type them. */
function text(value: Given): string {
  if (value === undefined) return ''
  if (Array.isArray(value)) return value.join('\n')
  return String(value)
}

/** Validates every setting; throws InputError naming the first bad one, before any request. */
export function resolveSettings(options: UploadOptions): Settings {
  const dryRun = parseBoolean(Input.DryRun, text(options.dryRun), false)
  const skipExisting = parseBoolean(Input.SkipExisting, text(options.skipExisting), false)
  // A dry run that skips existing files still lists the project, which takes the key.
  const authKey = parseKey(text(options.apiKey), dryRun && !skipExisting)
  return {
    authKey,
    dryRun,
    skipExisting,
    namePrefix: parseNamePrefix(text(options.namePrefix)),
    downloadUrl: parseBoolean(Input.DownloadUrl, text(options.downloadUrl), false),
    projectId: parseInteger(Input.ProjectId, text(options.projectId), {
      min: 1,
      max: Number.MAX_SAFE_INTEGER
    }),
    patterns: parsePatterns(text(options.files)),
    description: text(options.description).trim() || undefined,
    baseUrl: parseBaseUrl(text(options.baseUrl)),
    ifNoFilesFound: parseNoFiles(text(options.ifNoFilesFound)),
    includeHiddenFiles: parseBoolean(
      Input.IncludeHiddenFiles,
      text(options.includeHiddenFiles),
      false
    ),
    concurrency: parseInteger(Input.Concurrency, text(options.concurrency), {
      min: 1,
      max: MAX_CONCURRENCY,
      fallback: 8
    }),
    retries: parseInteger(Input.Retries, text(options.retries), {
      min: 0,
      max: MAX_RETRIES,
      fallback: 5
    }),
    requestTimeoutMs:
      1000 *
      parseInteger(Input.RequestTimeout, text(options.requestTimeout), {
        min: 1,
        max: MAX_TIMEOUT_SECONDS,
        fallback: 60
      }),
    retryBaseMs: parseInteger(RETRY_BASE_ENV, text(options.retryBaseMs), {
      min: 0,
      fallback: 1000
    }),
    progressIntervalMs: parseInteger(PROGRESS_INTERVAL_ENV, text(options.progressIntervalMs), {
      min: 1,
      fallback: 10_000
    }),
    workspace: options.cwd || process.cwd()
  }
}

/** Checks the key: present unless optional, and fit for an HTTP header. */
function parseKey(raw: string, optional: boolean): string {
  const key = raw.trim()
  if (!key && !optional) {
    throw new InputError(
      Input.AuthKey,
      `no API key: set 'auth-key' (e.g. \${{ secrets.${KEY_ENV} }}) or the ${KEY_ENV} environment variable (apiKey in the library)`
    )
  }
  // A key is sent in a header: other characters would split, corrupt or reject it.
  if (/[^\x21-\x7e]/.test(key)) {
    throw new InputError(
      Input.AuthKey,
      'the key contains characters an HTTP header cannot carry (spaces, control or non-ASCII characters)'
    )
  }
  return key
}

interface IntegerRule {
  min: number
  max?: number
  /** The value when none is given; without one, the input is required. */
  fallback?: number
}

/** Parses a whole decimal number within bounds; an empty value takes the fallback. */
function parseInteger(name: string, raw: string, rule: IntegerRule): number {
  const value = raw.trim()
  const allowed =
    rule.max === undefined
      ? `an integer >= ${rule.min}`
      : `an integer from ${rule.min} to ${rule.max}`
  if (!value) {
    if (rule.fallback !== undefined) return rule.fallback
    throw new InputError(name, `is required: give ${allowed}`)
  }
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN
  if (
    !Number.isSafeInteger(parsed) ||
    parsed < rule.min ||
    parsed > (rule.max ?? Number.POSITIVE_INFINITY)
  ) {
    throw new InputError(name, `'${value}' is not allowed: give ${allowed}`)
  }
  return parsed
}

/** Accepts the YAML 1.2 core booleans, as `core.getBooleanInput` does, but names the input on error. */
function parseBoolean(name: string, raw: string, fallback: boolean): boolean {
  const value = raw.trim()
  if (!value) return fallback
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(name, `'${value}' is not allowed: give true or false`)
}

/** Longest `name-prefix`; names are short strings on the server too. */
const MAX_PREFIX_CHARS = 512

/**
 * Parses `name-prefix`, kept verbatim (spaces included) so that `nightly-` and `builds/v1/` both
 * work. What could climb out of the project's folder, or mean another thing on Windows, is refused.
 */
function parseNamePrefix(input: string): string {
  // core.getInput trims every input; trimming here too keeps every face in step with it.
  const raw = input.trim()
  const refuse = (why: string): never => {
    throw new InputError(Input.NamePrefix, `${why}: give something like builds/v1.2.3/ or nightly-`)
  }
  if (raw.length > MAX_PREFIX_CHARS)
    refuse(`is ${raw.length} characters long; at most ${MAX_PREFIX_CHARS} characters are allowed`)
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) refuse('must not contain control characters (line breaks, tabs)')
  if (raw.includes('\\')) refuse("must not contain a backslash '\\'; use '/' between folders")
  if (raw.startsWith('/')) refuse("must not start with '/'")
  // URL parsers drop '.' and '..' path segments, so an upload URL made from such a name would
  // reach another key than the one signed.
  if (raw.split('/').some((segment) => segment === '.' || segment === '..'))
    refuse("must not contain a '.' or '..' segment")
  // `a//b/` would name files `a//b/app.zip`: a folder with no name, which no file system shows.
  if (raw.split('/').slice(0, -1).includes('')) refuse("must not contain an empty segment ('//')")
  return raw
}

/** Requires at least one pattern that is not an exclusion or a comment. */
function parsePatterns(raw: string): string {
  const lines = raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
  if (!lines.some((line) => !line.startsWith('!'))) {
    throw new InputError(
      Input.Files,
      lines.length
        ? 'every pattern is an exclusion (!): add at least one pattern that includes files'
        : 'is required: give one or more glob patterns, one per line'
    )
  }
  return lines.join('\n')
}

const NO_FILES_VALUES: readonly NoFilesBehaviour[] = ['error', 'warn', 'ignore']

/** Parses `if-no-files-found`. */
function parseNoFiles(raw: string): NoFilesBehaviour {
  const value = raw.trim().toLowerCase() || 'error'
  const match = NO_FILES_VALUES.find((allowed) => allowed === value)
  if (!match) {
    throw new InputError(
      Input.IfNoFilesFound,
      `'${raw.trim()}' is not allowed: give error, warn or ignore`
    )
  }
  return match
}

/** Parses `base-url`: https anywhere, http only to this machine, so the key never crosses a network in clear. */
function parseBaseUrl(raw: string): string {
  const value = raw.trim() || DEFAULT_BASE_URL
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(
      Input.BaseUrl,
      `'${value}' is not a URL: give one like https://dash.empirical.run`
    )
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(Input.BaseUrl, 'must not contain credentials, a query or a fragment')
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new InputError(
      Input.BaseUrl,
      `'${url.protocol}//${url.host}' is not allowed: give an https:// URL (http:// only to a loopback host such as 127.0.0.1)`
    )
  }
  const prefix = url.pathname.replace(/\/+$/, '')
  refuseApiPath(value, url.origin, prefix)
  return `${url.origin}${prefix}`
}

/**
 * A path prefix is kept, for an API served under one (behind a reverse proxy). But the client
 * adds `/api/files` itself, so a prefix that already holds it would call `/api/api/files`, and
 * the 404 that comes back reads like a wrong project-id. Refused before any request instead.
 */
function refuseApiPath(value: string, origin: string, prefix: string): void {
  const files = /\/api\/files(\/|$)/.exec(prefix)
  const at = files ? files.index : /\/api$/.test(prefix) ? prefix.length - '/api'.length : -1
  if (at < 0) return
  throw new InputError(
    Input.BaseUrl,
    `'${value}' ${files ? 'contains /api/files' : 'ends in /api'}, which the action adds itself ` +
      `(it calls <base URL>/api/files): give ${origin}${prefix.slice(0, at)} instead (the base ` +
      'URL is an origin, optionally with a path prefix the API is served under)'
  )
}

/** True for hosts that never leave this machine. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}
