import * as core from '@actions/core'
import { resolveSettings } from '../core/settings/resolve.ts'
import {
  KEY_ENV,
  PROGRESS_INTERVAL_ENV,
  RETRY_BASE_ENV,
  SETTING_KEYS,
  SETTINGS,
  type SettingKey,
  type Settings
} from '../core/settings/settings.ts'

/** Secrets this process has registered with the runner, which keeps each for the whole job. */
const registered = new Set<string>()

/** Registers a secret with the runner (`::add-mask::`), unless this process already has. */
export function maskSecret(secret: string): void {
  if (registered.has(secret)) return
  registered.add(secret)
  core.setSecret(secret)
}

/** Every input, parsed and validated once. */
export type Inputs = Settings

/** Reads one input by name; `core.getInput` in the action, a table in tests. */
export type InputReader = (name: string) => string

/**
 * Reads every input of the table as the text the workflow gave, and validates it as the core
 * will; throws InputError naming the first bad input. The key (from `auth-key`, else the
 * environment) is masked before anything else can print it.
 */
export function getInputs(
  read: InputReader = (name) => core.getInput(name),
  env: NodeJS.ProcessEnv = process.env
): Inputs {
  const given = Object.fromEntries(
    SETTING_KEYS.map((key) => [key, read(SETTINGS[key].input)])
  ) as Record<SettingKey, string>
  const apiKey = given.apiKey.trim() || (env[KEY_ENV] ?? '').trim()
  // Registered on every call, as a step's first line; the action's log then skips it.
  if (apiKey) {
    registered.add(apiKey)
    core.setSecret(apiKey)
  }
  return resolveSettings(
    { ...given, apiKey },
    {
      face: 'action',
      source: 'text',
      workspace: env.GITHUB_WORKSPACE || process.cwd(),
      retryBaseMs: env[RETRY_BASE_ENV],
      progressIntervalMs: env[PROGRESS_INTERVAL_ENV]
    }
  )
}
