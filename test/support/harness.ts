// Small helpers the tests share: a digest, and the HttpError a call throws.
import { createHash } from 'node:crypto'
import { expect } from 'vitest'
import { HttpError } from '../../src/core/errors.ts'

/** Hex sha256 of a string or buffer. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
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

/**
 * Makes @actions/core's job summary read GITHUB_STEP_SUMMARY again: it keeps the first path it
 * reads for the life of the process, and in-process tests of one process each set their own.
 */
export async function forgetSummaryPath(): Promise<void> {
  const core = await import('@actions/core')
  Reflect.deleteProperty(core.summary, '_filePath')
}
