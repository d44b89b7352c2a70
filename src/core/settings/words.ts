/**
 * What the core tells a user to change, in the words of the face the run came through: the
 * action's inputs (`set 'if-no-files-found' to warn`), the CLI's flags (`give --if-no-files-found
 * warn`), the library's options (`set ifNoFilesFound to 'warn'`).
 */
import { HttpError, isAuthFailure } from '../errors.ts'
import { dialectAt } from '../http/dialect.ts'
import { KEY_ENV, nameOf, type Face, type SettingKey } from './settings.ts'

/** `set 'x' to a or b` (action), `give --x a or b` / `add --x` (CLI), `set x to 'a' or 'b'` (library). */
export function setTo(face: Face, key: SettingKey, values: readonly (string | boolean)[]): string {
  const name = nameOf(key, face)
  const either = (shown: readonly string[]): string => shown.join(' or ')
  if (face === 'action') return `set '${name}' to ${either(values.map(String))}`
  if (face === 'library')
    return `set ${name} to ${either(values.map((value) => (typeof value === 'string' ? `'${value}'` : String(value))))}`
  if (values.length === 1 && values[0] === true) return `add ${name}`
  return `give ${name} ${either(values.map(String))}`
}

/** `check project-id`, in the face's words; the action names the key's input and its variable. */
export function check(face: Face, key: SettingKey): string {
  if (face === 'action' && key === 'apiKey') return `check auth-key / ${KEY_ENV}`
  return `check ${nameOf(key, face)}`
}

/** Why a refused key failed, and what to check. */
export function keyRefusedHint(face: Face): string {
  return `the API key was refused: ${check(face, 'apiKey')} and that the key is not revoked`
}

/**
 * Why the API answered 404 to a request on the project's files, and what to check. Both settings
 * can cause it, so both are named; `filesUrl` shows where the API was looked for, which makes a
 * base URL with one path segment too many plain to see, and which API it was: where the request
 * names the project (files) that is project-id; where the key picks it (resources), the key.
 */
export function notFoundHint(face: Face, filesUrl: string): string {
  const dialect = dialectAt(filesUrl)
  const project = dialect.projectInRequest
    ? `no such project, or the key cannot see it: ${check(face, 'projectId')}`
    : `the key's project cannot be reached (the key picks the project): ${check(face, 'apiKey')}`
  return `${project}; or no ${dialect.many} API at ${filesUrl}: ${check(face, 'baseUrl')}`
}

/** The hint for a failure a setting explains (a refused key, a 404 from the API), if any. */
export function settingHint(error: unknown, filesUrl: string, face: Face): string | undefined {
  if (isAuthFailure(error)) return keyRefusedHint(face)
  const onFiles = error instanceof HttpError && (error.step === 'create' || error.step === 'list')
  return onFiles && error.status === 404 ? notFoundHint(face, filesUrl) : undefined
}
