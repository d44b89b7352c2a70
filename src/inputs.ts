import * as core from '@actions/core'
import { InputError } from './errors.ts'

/** The names of the action's inputs, as declared in action.yml. */
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

/** The environment variable read when `auth-key` is empty. */
export const KEY_ENV = 'EMPIRICALRUN_KEY'
/** Test hook: the first retry delay in milliseconds (default 1000). */
export const RETRY_BASE_ENV = 'EMPIRICALRUN_RETRY_BASE_MS'
/** Test hook: milliseconds between progress lines (default 10000). */
export const PROGRESS_INTERVAL_ENV = 'EMPIRICALRUN_PROGRESS_INTERVAL_MS'

/** What to do when the patterns match nothing. */
export type NoFilesBehaviour = 'error' | 'warn' | 'ignore'

/** Every input, parsed and validated once. */
export interface Inputs {
  /** The API key; empty only on a dry run. */
  authKey: string
  /** The project that receives the files. */
  projectId: number
  /** The raw newline-separated glob patterns. */
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

/** Reads one input by name; `core.getInput` in the action, a table in tests. */
export type InputReader = (name: string) => string

/** Upper bounds that keep a typo from becoming a denial of service. */
const MAX_CONCURRENCY = 64
const MAX_RETRIES = 10
const MAX_TIMEOUT_SECONDS = 3600

/** Reads and validates every input; throws InputError naming the first bad one. */
export function getInputs(
  read: InputReader = (name) => core.getInput(name),
  env: NodeJS.ProcessEnv = process.env
): Inputs {
  const dryRun = parseBoolean(Input.DryRun, read(Input.DryRun), false)
  const skipExisting = parseBoolean(Input.SkipExisting, read(Input.SkipExisting), false)
  // A dry run that skips existing files still lists the project, which takes the key.
  const authKey = parseKey(read(Input.AuthKey), env[KEY_ENV], dryRun && !skipExisting)
  return {
    authKey,
    dryRun,
    skipExisting,
    namePrefix: parseNamePrefix(read(Input.NamePrefix)),
    downloadUrl: parseBoolean(Input.DownloadUrl, read(Input.DownloadUrl), false),
    projectId: parseInteger(Input.ProjectId, read(Input.ProjectId), { min: 1, required: true }),
    patterns: parsePatterns(read(Input.Files)),
    description: read(Input.Description).trim() || undefined,
    baseUrl: parseBaseUrl(read(Input.BaseUrl)),
    ifNoFilesFound: parseNoFiles(read(Input.IfNoFilesFound)),
    includeHiddenFiles: parseBoolean(
      Input.IncludeHiddenFiles,
      read(Input.IncludeHiddenFiles),
      false
    ),
    concurrency: parseInteger(Input.Concurrency, read(Input.Concurrency), {
      min: 1,
      max: MAX_CONCURRENCY,
      fallback: 8
    }),
    retries: parseInteger(Input.Retries, read(Input.Retries), {
      min: 0,
      max: MAX_RETRIES,
      fallback: 5
    }),
    requestTimeoutMs:
      1000 *
      parseInteger(Input.RequestTimeout, read(Input.RequestTimeout), {
        min: 1,
        max: MAX_TIMEOUT_SECONDS,
        fallback: 60
      }),
    retryBaseMs: parseInteger(RETRY_BASE_ENV, env[RETRY_BASE_ENV] ?? '', {
      min: 0,
      fallback: 1000
    }),
    progressIntervalMs: parseInteger(PROGRESS_INTERVAL_ENV, env[PROGRESS_INTERVAL_ENV] ?? '', {
      min: 1,
      fallback: 10_000
    }),
    workspace: env.GITHUB_WORKSPACE || process.cwd()
  }
}

/** Picks the key from the input or the environment, and masks it before anything can print it. */
function parseKey(input: string, fromEnv: string | undefined, optional: boolean): string {
  const key = input.trim() || (fromEnv ?? '').trim()
  if (key) core.setSecret(key)
  if (!key && !optional) {
    throw new InputError(
      Input.AuthKey,
      `no API key: set 'auth-key' (e.g. \${{ secrets.${KEY_ENV} }}) or the ${KEY_ENV} environment variable`
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
  fallback?: number
  required?: boolean
}

/** Parses a whole decimal number within bounds; an empty value takes the fallback. */
function parseInteger(name: string, raw: string, rule: IntegerRule): number {
  const value = raw.trim()
  const allowed =
    rule.max === undefined
      ? `an integer >= ${rule.min}`
      : `an integer from ${rule.min} to ${rule.max}`
  if (!value) {
    if (rule.fallback !== undefined && !rule.required) return rule.fallback
    throw new InputError(name, `is required: give ${allowed}`)
  }
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN
  if (
    !Number.isSafeInteger(parsed) ||
    parsed < rule.min ||
    (rule.max !== undefined && parsed > rule.max)
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
  // core.getInput trims every input; trimming here too keeps a table reader in step with it.
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
  const value = raw.trim() || 'https://dash.empirical.run'
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
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

/** True for hosts that never leave this machine. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}
