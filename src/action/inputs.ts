import * as core from '@actions/core'
import {
  Input,
  KEY_ENV,
  PROGRESS_INTERVAL_ENV,
  resolveSettings,
  RETRY_BASE_ENV,
  type Settings,
  type UploadOptions
} from '../core/settings.ts'

export { Input, KEY_ENV, PROGRESS_INTERVAL_ENV, RETRY_BASE_ENV }

/** Every input, parsed and validated once. */
export type Inputs = Settings

/** Reads one input by name; `core.getInput` in the action, a table in tests. */
export type InputReader = (name: string) => string

/** Reads every input and validates it, as the core will; throws InputError naming the first bad one. */
export function getInputs(read: InputReader, env: NodeJS.ProcessEnv = process.env): Inputs {
  return resolveSettings(readInputs(read, env))
}

/**
 * Reads every input once, as the text the workflow gave. The key (from `auth-key`, else the
 * environment) is masked before anything else can print it.
 */
export function readInputs(
  read: InputReader = (name) => core.getInput(name),
  env: NodeJS.ProcessEnv = process.env
): UploadOptions {
  const apiKey = read(Input.AuthKey).trim() || (env[KEY_ENV] ?? '').trim()
  if (apiKey) core.setSecret(apiKey)
  return {
    apiKey,
    projectId: read(Input.ProjectId),
    files: read(Input.Files),
    description: read(Input.Description),
    baseUrl: read(Input.BaseUrl),
    ifNoFilesFound: read(Input.IfNoFilesFound),
    includeHiddenFiles: read(Input.IncludeHiddenFiles),
    concurrency: read(Input.Concurrency),
    retries: read(Input.Retries),
    requestTimeout: read(Input.RequestTimeout),
    dryRun: read(Input.DryRun),
    namePrefix: read(Input.NamePrefix),
    skipExisting: read(Input.SkipExisting),
    downloadUrl: read(Input.DownloadUrl),
    retryBaseMs: env[RETRY_BASE_ENV],
    progressIntervalMs: env[PROGRESS_INTERVAL_ENV],
    cwd: env.GITHUB_WORKSPACE || process.cwd()
  }
}
