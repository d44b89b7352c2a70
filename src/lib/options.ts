// What the library checks of its options beyond the settings table: names it does not know, the
// folder `cwd` names, and where the key comes from when `apiKey` is left out.
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { InputError } from '../core/errors.ts'
import { KEY_ENV } from '../core/settings/settings.ts'
import { nearest } from '../core/settings/suggest.ts'

/** An InputError for an option the settings table does not hold, in the library's words. */
function optionError(option: string, detail: string): InputError {
  return new InputError(
    { setting: option, input: option, flag: undefined },
    detail,
    `Option '${option}': ${detail}`
  )
}

/**
 * Refuses an option no one knows, with the nearest known one when one is close: a misspelt
 * `skipExisting` would otherwise be dropped without a word and every file uploaded again.
 */
export function refuseUnknownOptions(options: object, known: readonly string[]): void {
  for (const option of Object.keys(options)) {
    if (known.includes(option)) continue
    const near = nearest(option, known)
    throw optionError(option, `unknown option${near ? `; did you mean '${near}'?` : ''}`)
  }
}

/** The folder `cwd` names, taken from the current directory when relative. */
export function workspaceOf(cwd: unknown): string {
  if (cwd !== undefined && typeof cwd !== 'string')
    throw optionError('cwd', `give a folder's path as a string, not a ${typeof cwd}`)
  return path.resolve(cwd ?? '')
}

/** Refuses a `cwd` that is not a folder, before any request: patterns would match nothing in it. */
export async function requireFolder(folder: string): Promise<void> {
  const found = await stat(folder).catch((error: unknown) => error as NodeJS.ErrnoException)
  if (found instanceof Error)
    throw optionError(
      'cwd',
      found.code === 'ENOENT'
        ? `${folder} does not exist`
        : `${folder} cannot be read (${found.code})`
    )
  if (!found.isDirectory()) throw optionError('cwd', `${folder} is not a folder`)
}

/** `apiKey`, or the EMPIRICALRUN_KEY environment variable when it is left out or blank, as the action does. */
export function keyOf(apiKey: unknown, env: NodeJS.ProcessEnv): unknown {
  const blank = apiKey === undefined || (typeof apiKey === 'string' && apiKey.trim() === '')
  return blank ? (env[KEY_ENV] ?? apiKey) : apiKey
}
