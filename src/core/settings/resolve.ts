// Reading the settings a face was given, row by row of the table, into one checked Settings.
import { InputError, Problem } from '../errors.ts'
import { DIALECTS, type Dialect } from '../http/dialect.ts'
import { parseBaseUrl, text, type Face, type Kind } from './kinds.ts'
import {
  inputError,
  KEY_ENV,
  nameOf,
  PROGRESS_INTERVAL_ENV,
  RETRY_BASE_ENV,
  SETTING_KEYS,
  SETTINGS,
  type Setting,
  type SettingKey,
  type Settings
} from './settings.ts'
import { setTo } from './words.ts'

/** Where a value comes from: text that a workflow or a shell typed, or a program's value. */
export type Source = 'text' | 'value'

/**
 * Reads one setting: its default when absent or blank; throws InputError in the face's words.
 * `kind` stands in for the row's where the API changes the check (the base URL).
 */
export function readSetting<K extends SettingKey>(
  key: K,
  given: unknown,
  source: Source,
  face: Face,
  kind?: Kind<unknown, Settings[K]>
): Settings[K] {
  const setting = SETTINGS[key] as Setting<unknown, Settings[K]>
  const { fromText, fromValue } = kind ?? setting.kind
  try {
    const value = source === 'text' ? fromText(asText(given), face) : fromValue(given, face)
    if (value !== undefined) return value
    if (setting.default !== undefined) return setting.default
    throw new Problem(`is required: give ${setting.kind.allowed(face)}`)
  } catch (error) {
    if (error instanceof Problem) throw inputError(key, error.message, face)
    throw error
  }
}

/** Text as typed: a list (patterns given one by one) is one line each. */
function asText(given: unknown): string {
  if (given === undefined) return ''
  return Array.isArray(given) ? given.join('\n') : String(given)
}

/** What the faces add to the settings. */
export interface FaceContext {
  /** The face whose words errors use. */
  face: Face
  /** Whether the values are text (the action, the CLI) or a program's values (the library). */
  source: Source
  /** The directory patterns start from. */
  workspace: string
  /** First retry delay in milliseconds (a test hook; default 1000). */
  retryBaseMs?: string | number | undefined
  /** Milliseconds between progress lines (a test hook; default 10000). */
  progressIntervalMs?: string | number | undefined
}

/**
 * Validates every setting; throws InputError naming the first bad one, before any request. The
 * API is read first: whether a project ID is wanted, the base URL's default and the path it must
 * not hold depend on it.
 */
export function resolveSettings(
  given: Partial<Record<SettingKey, unknown>>,
  ctx: FaceContext
): Settings {
  const read = <K extends SettingKey>(key: K) => readSetting(key, given[key], ctx.source, ctx.face)
  const api = read('api')
  const dialect = DIALECTS[api]
  const byApi: Partial<Record<SettingKey, () => unknown>> = {
    api: () => api,
    projectId: () => readProject(given.projectId, ctx, dialect),
    baseUrl: () => readBaseUrl(given.baseUrl, ctx, dialect)
  }
  const values = Object.fromEntries(
    SETTING_KEYS.filter((key) => key !== 'apiKey').map((key) => [
      key,
      (byApi[key] ?? (() => read(key)))()
    ])
  ) as Omit<Settings, 'apiKey' | 'workspace' | 'retryBaseMs' | 'progressIntervalMs'>
  const apiKey = read('apiKey')
  requireKey(apiKey, values, ctx.face)
  return {
    ...values,
    apiKey,
    workspace: ctx.workspace,
    retryBaseMs: hook(RETRY_BASE_ENV, ctx.retryBaseMs, 0, 1000),
    progressIntervalMs: hook(PROGRESS_INTERVAL_ENV, ctx.progressIntervalMs, 1, 10_000)
  }
}

/**
 * `projectId`: required where requests name the project (the Files API), as its row says. Where
 * the key picks it (the Resources API) there is nothing to send it in, so one given is refused
 * rather than ignored: the files would land in the key's project, which may not be that one.
 */
function readProject(given: unknown, ctx: FaceContext, dialect: Dialect): number | undefined {
  if (dialect.projectInRequest) return readSetting('projectId', given, ctx.source, ctx.face)
  // Blank is absent, in every face, as it is for any setting.
  if (!asText(given).trim()) return undefined
  const fix = `leave it out, or ${setTo(ctx.face, 'api', ['files'])} to name the project by its ID`
  throw inputError(
    'projectId',
    `is not used with the Resources API, where the key picks the project: ${fix}`,
    ctx.face
  )
}

/** `baseUrl`: the API's own when blank; never holding the path that API adds itself. */
function readBaseUrl(given: unknown, ctx: FaceContext, dialect: Dialect): string {
  const kind = text((value, face) => parseBaseUrl(value, face, dialect))
  return readSetting('baseUrl', given, ctx.source, ctx.face, kind) || dialect.defaultBaseUrl
}

/** The key is needed for every request: all but a dry run that does not list the project. */
function requireKey(
  apiKey: string,
  values: Pick<Settings, 'dryRun' | 'skipExisting'>,
  face: Face
): void {
  if (apiKey || (values.dryRun && !values.skipExisting)) return
  // The action's words stay as they were; the other faces say why a dry run needs the key.
  const listing =
    values.dryRun && face !== 'action'
      ? `${nameOf('skipExisting', face)} lists the project, which needs the key even on a dry run: `
      : ''
  throw inputError('apiKey', `no API key: ${listing}${KEY_WHERE[face]}`, face, true)
}

/** Where each face takes the key from. */
const KEY_WHERE: Readonly<Record<Face, string>> = {
  action: `set 'auth-key' (e.g. \${{ secrets.${KEY_ENV} }}) or the ${KEY_ENV} environment variable (apiKey in the library)`,
  cli: `set the ${KEY_ENV} environment variable (there is no flag for the key: it would leak into shell history and the process list)`,
  library: `pass apiKey, or set the ${KEY_ENV} environment variable`
}

/** A test hook read from the environment: a whole number, or its fallback. */
function hook(
  name: string,
  raw: string | number | undefined,
  min: number,
  fallback: number
): number {
  const value = String(raw ?? '').trim()
  if (!value) return fallback
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(parsed) || parsed < min) {
    throw new InputError(
      { setting: undefined, input: name, flag: undefined },
      `'${value}' is not allowed: give an integer >= ${min}`,
      `${name}: '${value}' is not allowed: give an integer >= ${min}`
    )
  }
  return parsed
}
