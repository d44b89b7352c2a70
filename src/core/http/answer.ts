import { createHash } from 'node:crypto'
import type { Dispatcher } from 'undici'
import { CancelledError, HttpError, NetworkError, type Step } from '../errors.ts'
import { formatSpan } from '../format.ts'
import { releaseGarbage } from '../heap.ts'
import { parseServerWords } from './responses.ts'
import { parseRetryAfter } from './retry.ts'

// Reading what the client's requests got back: the body of a 2xx or the server's words, a
// download hashed as it streams, and a failure that came without any answer, told in short.

/** Reads the answer; returns the body of a 2xx, throws HttpError with the server's words otherwise. */
export async function expectSuccess(
  step: Step,
  response: Dispatcher.ResponseData
): Promise<string> {
  let text: string
  try {
    text = await response.body.text()
  } catch (error) {
    throw new NetworkError(step, `the answer was cut off: ${describeNetworkError(error, 0)}`, {
      cause: error
    })
  }
  const status = response.statusCode
  if (status >= 200 && status < 300) return text
  const words = parseServerWords(text, header(response, 'content-type'))
  const location = header(response, 'location')
  const redirect = status >= 300 && status < 400 ? redirectWords(location) : ''
  throw new HttpError(step, status, redirect || words.message, {
    code: words.code,
    retryAfterSeconds: parseRetryAfter(header(response, 'retry-after'))
  })
}

/** Redirects are never followed: the key must not travel to another host. */
function redirectWords(location: string | undefined): string {
  let host = 'an unknown place'
  try {
    if (location) host = new URL(location).host
  } catch {
    // An unparseable Location is reported as unknown.
  }
  return `a redirect to ${host}, which is not followed`
}

function header(response: Dispatcher.ResponseData, name: string): string | undefined {
  const value = response.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** How many downloaded bytes are hashed between two minor collections (see releaseGarbage). */
const RELEASE_EVERY_BYTES = 1024 * 1024

/**
 * Hashes and counts a download as it streams, one chunk at a time, calling `release` after each
 * RELEASE_EVERY_BYTES hashed. A body that stalls past the request timeout (undici's bodyTimeout)
 * or is cut off is a NetworkError of the verify step.
 */
export async function digestBody(
  body: Dispatcher.ResponseData['body'],
  signal: AbortSignal,
  timeoutMs: number,
  release: () => void = releaseGarbage
): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256')
  let size = 0
  let unreleased = 0
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      hash.update(chunk)
      size += chunk.length
      unreleased += chunk.length
      if (unreleased >= RELEASE_EVERY_BYTES) {
        unreleased = 0
        release()
      }
    }
  } catch (error) {
    if (signal.aborted) throw new CancelledError()
    const words = describeNetworkError(error, timeoutMs)
    throw new NetworkError('verify', `the download was cut off: ${words}`, { cause: error })
  }
  return { size, sha256: hash.digest('hex') }
}

/** A short account of a failure without an answer; never includes a URL's query. */
export function describeNetworkError(error: unknown, timeoutMs: number): string {
  const code = (error as { code?: unknown }).code
  const span = formatSpan(timeoutMs)
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return `no progress and no answer for ${span}`
  if (code === 'UND_ERR_BODY_TIMEOUT') return `the answer stalled for ${span}`
  const message = error instanceof Error ? error.message : String(error)
  const scrubbed = message.replace(/\?[^\s'"]*/g, '?…')
  return typeof code === 'string' && !scrubbed.includes(code) ? `${scrubbed} (${code})` : scrubbed
}
