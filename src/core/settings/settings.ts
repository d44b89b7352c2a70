// Stage settings/: owns the settings: the table, their kinds, reading a face's values, the lines
// of the `files` setting and each face's words; may import http/ (the URL policy) and the core's
// shared modules.
/**
 * The contract, written once: a row per setting with its action input, CLI flag, library option,
 * kind, default and help. The action's input reading, the CLI's parser and --help, the library's
 * types and every InputError derive from this table.
 */
import { InputError } from '../errors.ts'
import { API_NAMES, DIALECTS, type Api } from '../http/dialect.ts'
import {
  boolean,
  choice,
  integer,
  patterns,
  text,
  type Face,
  type Kind,
  parseBaseUrl,
  parseKey,
  parseNamePrefix
} from './kinds.ts'
import type { PatternLine } from './patterns.ts'

export type { Face } from './kinds.ts'

/** The environment variable that holds the API key, in every face. */
export const KEY_ENV = 'EMPIRICALRUN_KEY'
/** Test hook: the first retry delay in milliseconds (default 1000). */
export const RETRY_BASE_ENV = 'EMPIRICALRUN_RETRY_BASE_MS'
/** Test hook: milliseconds between progress lines (default 10000). */
export const PROGRESS_INTERVAL_ENV = 'EMPIRICALRUN_PROGRESS_INTERVAL_MS'
/** What to do when the patterns match nothing. */
export type NoFilesBehaviour = 'error' | 'warn' | 'ignore'

/** One setting of the contract. */
export interface Setting<In = unknown, Out = unknown> {
  /** The action's input in action.yml. */
  input: string
  /** The CLI's flag without its dashes; none for the key, which comes from the environment only. */
  flag: string | undefined
  /** What --help shows after a flag that takes a value (`<n>`); none for a switch. */
  value: string | undefined
  /** How the value is read, checked and described. */
  kind: Kind<In, Out>
  /** The value when none is given; a setting without one is required. */
  default: Out | undefined
  /** One line of help, as --help shows it. */
  help: string
}

function row<In, Out>(setting: Setting<In, Out>): Setting<In, Out> {
  return setting
}

/** Upper bounds that keep a typo from becoming a denial of service. */
const MAX_CONCURRENCY = 64
const MAX_RETRIES = 10
const MAX_TIMEOUT_SECONDS = 3600

/** Every setting, in action.yml's order; the keys are the library's option names. */
export const SETTINGS = {
  /** The API key; needed unless `dryRun` is set without `skipExisting`. */
  apiKey: row({
    input: 'auth-key',
    flag: undefined,
    value: undefined,
    kind: text(parseKey),
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
    kind: text(),
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
    kind: text(parseBaseUrl),
    default: '',
    help: `the API origin, optionally with a path prefix (default ${DIALECTS.files.defaultBaseUrl}, or ${DIALECTS.resources.defaultBaseUrl} with --api resources)`
  }),
  /** Which of the vendor's APIs to call: `files` (default, the project named by projectId) or `resources` (the key's project). */
  api: row<Api, Api>({
    input: 'api',
    flag: 'api',
    value: '<api>',
    kind: choice<Api>(API_NAMES),
    default: 'files',
    help: 'the API to call: files (/api/files, --project-id names the project) or resources (/api/resources, the key picks it)'
  }),
  /** What to do when nothing matches: `error` (default), `warn` or `ignore`. */
  ifNoFilesFound: row<NoFilesBehaviour, NoFilesBehaviour>({
    input: 'if-no-files-found',
    flag: 'if-no-files-found',
    value: '<what>',
    kind: choice<NoFilesBehaviour>(['error', 'warn', 'ignore']),
    default: 'error',
    help: 'error, warn or ignore when nothing matches'
  }),
  /** Upload dot-files and files under dot-directories too (default false). */
  includeHiddenFiles: row({
    input: 'include-hidden-files',
    flag: 'include-hidden-files',
    value: undefined,
    kind: boolean(),
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
    kind: boolean(),
    default: false,
    help: 'list what would be uploaded; upload nothing'
  }),
  /** Put verbatim before every name, such as `builds/v1.2.3/` (default none). */
  namePrefix: row({
    input: 'name-prefix',
    flag: 'name-prefix',
    value: '<text>',
    kind: text(parseNamePrefix),
    default: '',
    help: 'put before every name, such as builds/v1.2.3/ or nightly-'
  }),
  /** Leave out files the project already holds under the same name and size (default false). */
  skipExisting: row({
    input: 'skip-existing',
    flag: 'skip-existing',
    value: undefined,
    kind: boolean(),
    default: false,
    help: 'leave out files the project holds under the same name and size'
  }),
  /** Read each file's signed download URL once it is in the project (default false). */
  downloadUrl: row({
    input: 'download-url',
    flag: 'download-url',
    value: undefined,
    kind: boolean(),
    default: false,
    help: "read each file's signed download URL (valid for 1 hour)"
  }),
  /** Read each file back from storage and compare its sha256; upload it again when they differ (default false). */
  verify: row({
    input: 'verify',
    flag: 'verify',
    value: undefined,
    kind: boolean(),
    default: false,
    help: 'read each stored file back, compare its sha256, and upload it again if storage holds other bytes'
  })
} as const

/** A setting's key: the library's option name. */
export type SettingKey = keyof typeof SETTINGS
/** The keys in the table's order. */
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[]

type InOf<S> = S extends Setting<infer In, unknown> ? In : never
type OutOf<S> = S extends Setting<unknown, infer Out> ? Out : never
type RequiredKey = 'files'

/** A setting's value as a program gives it. */
export type OptionValue<K extends SettingKey> = InOf<(typeof SETTINGS)[K]>

/** What an upload is asked to do, as a program gives it: one option per setting, typed as values. */
export type SettingOptions = { [K in RequiredKey]: OptionValue<K> } & {
  [K in Exclude<SettingKey, RequiredKey>]?: OptionValue<K> | undefined
}

/** Every setting, parsed and validated once, with what the faces add. */
export type Settings = { [K in Exclude<SettingKey, 'projectId'>]: OutOf<(typeof SETTINGS)[K]> } & {
  /** The project that receives the files; undefined with the Resources API, where the key picks it. */
  projectId: number | undefined
  /** The directory patterns are relative to and output paths are relative to. */
  workspace: string
  /** First retry delay in milliseconds; doubles each time. */
  retryBaseMs: number
  /** Milliseconds between progress lines while uploads run. */
  progressIntervalMs: number
}

/** The patterns of `files`, parsed. */
export type Patterns = PatternLine[]

/** How a face names a setting: `auth-key` in the action, `--project-id` on a command line, `apiKey` in code. */
export function nameOf(key: SettingKey, face: Face): string {
  const setting: Setting = SETTINGS[key]
  if (face === 'action') return setting.input
  if (face === 'library') return key
  return setting.flag === undefined ? KEY_ENV : `--${setting.flag}`
}

/**
 * An InputError for `key`, in the words of `face`. On a command line, a detail that names its
 * own subject (a pattern, the missing key) stands alone.
 */
export function inputError(key: SettingKey, detail: string, face: Face, bare = false): InputError {
  const setting: Setting = SETTINGS[key]
  const message = inputMessage(key, detail, face, bare)
  return new InputError({ setting: key, input: setting.input, flag: setting.flag }, detail, message)
}

/** Details that go on from the setting's name as a sentence does: `Input 'files' is required: …`. */
const PREDICATE = /^(is required|holds only comments|is not used)\b/

/** The CLI's patterns come from --files and arguments alike: a predicate on them, with its subject. */
const CLI_PATTERNS: Readonly<Record<string, string>> = {
  'is required': 'a pattern (--files or an argument) is required',
  'holds only comments': 'the patterns (--files and arguments) hold only comments'
}

function inputMessage(key: SettingKey, detail: string, face: Face, bare: boolean): string {
  const predicate = PREDICATE.exec(detail)?.[0]
  if (face === 'cli' && key === 'files') {
    return predicate ? `${CLI_PATTERNS[predicate]}${detail.slice(predicate.length)}` : detail
  }
  if (face === 'cli' && bare) return detail
  const name =
    face === 'action'
      ? `Input '${SETTINGS[key].input}'`
      : face === 'library'
        ? `Option '${key}'`
        : nameOf(key, face)
  return predicate ? `${name} ${detail}` : `${name}: ${detail}`
}
