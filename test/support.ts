import { createHash } from 'node:crypto'
import { expect } from 'vitest'
import type { Emulator } from '../emulator/emulator.ts'
import type { ActionRun } from '../scripts/run-action.ts'
import { HttpError } from '../src/core/errors.ts'

/** Hex sha256 of a string or buffer. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/**
 * The log as a runner displays it: `::add-mask::` commands are consumed by the runner,
 * never shown, so they are the one place a secret may appear.
 */
export function visibleLog(run: ActionRun): string {
  return run.log
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
}

/** Every secret the run could have leaked: the key and each upload URL's signature. */
export function secretsOf(emulator: Emulator): string[] {
  const signatures = emulator.requests
    .filter((request) => request.server === 'storage')
    .map((request) => request.query['X-Amz-Signature'] ?? '')
    .filter(Boolean)
  return [emulator.apiKey, ...signatures]
}

/** Asserts no secret is visible in the log, and that every one was masked before use. */
export function leakedSecrets(run: ActionRun, emulator: Emulator): string[] {
  const log = visibleLog(run)
  return secretsOf(emulator).filter((secret) => log.includes(secret))
}

/** Storage requests that carried an Authorization header (must be none). */
export function authorizedPuts(emulator: Emulator): number {
  return emulator.requests.filter(
    (request) => request.server === 'storage' && request.headers.authorization !== undefined
  ).length
}

/** Runs `fn`, expects an HttpError, and returns it. */
export function httpError(fn: () => unknown): HttpError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError)
    return error as HttpError
  }
  throw new Error('expected an HttpError, but nothing was thrown')
}
