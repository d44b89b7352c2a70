// Small helpers the tests share: a digest, the HttpError a call throws, and the stall message's
// optional part.
import { createHash } from 'node:crypto'
import { expect } from 'vitest'
import { HttpError } from '../../src/core/errors.ts'

/** Hex sha256 of a string or buffer. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/**
 * The part of the stall detector's message (src/core/http/send-watch.ts) that names the allowance for
 * bytes still in the socket's buffers when storage stopped reading: present or not by the
 * machine's timing, so a test of a stalled upload accepts either. Regular-expression source.
 */
export const STALL_ALLOWANCE = String.raw`(, after the [\d.]+ m?s allowed for the last [\d.]+ [KM]iB still on the way to storage)?`

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
