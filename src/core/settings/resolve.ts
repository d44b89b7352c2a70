// Reading the settings a face was given, row by row of the table, into one checked Settings.
import { InputError, Problem } from '../errors.ts'
import type { Face } from './kinds.ts'
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

/** Where a value comes from: text that a workflow or a shell typed, or a program's value. */
export type Source = 'text' | 'value'

/** Reads one setting: its default when absent or blank; throws InputError in the face's words. */
export function readSetting<K extends SettingKey>(
  key: K,
  given: unknown,
  source: Source,
  face: Face
): Settings[K] {
  const setting = SETTINGS[key] as Setting<unknown, Settings[K]>
  try {
    const value =
      source === 'text'
        ? setting.kind.fromText(asText(given), face)
        : setting.kind.fromValue(given, face)
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

/** Validates every setting; throws InputError naming the first bad one, before any request. */
export function resolveSettings(
  given: Partial<Record<SettingKey, unknown>>,
  ctx: FaceContext
): Settings {
  const read = <K extends SettingKey>(key: K) => readSetting(key, given[key], ctx.source, ctx.face)
  const values = Object.fromEntries(
    SETTING_KEYS.filter((key) => key !== 'apiKey').map((key) => [key, read(key)])
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
