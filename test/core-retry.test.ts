// The retry rules as the core's requests meet them: a cancel ends retrying at once and wins over
// the failure it caused, and a Retry-After the core cannot read is no reason to retry at once.
import { describe, expect, it } from 'vitest'
import { CancelledError, HttpError, NetworkError } from '../src/core/errors.ts'
import {
  isTransient,
  parseRetryAfter,
  retryDelay,
  withRetry,
  type RetryPolicy
} from '../src/core/retry.ts'

const POLICY: RetryPolicy = { retries: 3, baseMs: 0, maxDelayMs: 0 }
/** Attempts past this end a test that retries without end (a broken loop) at once. */
const RUNAWAY = 20

/** A failure that is never retried, thrown once an operation was called RUNAWAY times. */
function runaway(calls: number): void {
  if (calls > RUNAWAY) throw new Error(`called ${calls} times`)
}

/** withRetry, recording each retry it announces. */
async function attempt(
  operation: () => Promise<string>,
  signal: AbortSignal,
  policy = POLICY
): Promise<{ result: unknown; retries: number[] }> {
  const retries: number[] = []
  const result = await withRetry(operation, policy, signal, (_error, n) => retries.push(n)).catch(
    (error: unknown) => error
  )
  return { result, retries }
}

describe('a cancel during a request', () => {
  it('a temporary failure caused by the cancel is not retried, and the cancellation is thrown', async () => {
    const controller = new AbortController()
    let calls = 0
    const { result, retries } = await attempt(async () => {
      runaway(++calls)
      controller.abort()
      throw new NetworkError('create', 'socket hang up')
    }, controller.signal)
    expect(result).toBeInstanceOf(CancelledError)
    expect(retries).toEqual([])
    expect(calls).toBe(1)
  })

  it('nothing is attempted once the run is cancelled', async () => {
    const controller = new AbortController()
    controller.abort()
    let calls = 0
    const { result } = await attempt(async () => {
      runaway(++calls)
      return 'done'
    }, controller.signal)
    expect(result).toBeInstanceOf(CancelledError)
    expect(calls).toBe(0)
  })

  it('a cancel during the wait before a retry ends it at once', { timeout: 4000 }, async () => {
    const controller = new AbortController()
    let calls = 0
    const patient: RetryPolicy = { retries: 3, baseMs: 600_000, maxDelayMs: 600_000 }
    const started = performance.now()
    const running = withRetry(
      async () => {
        runaway(++calls)
        throw new NetworkError('create', 'ECONNRESET')
      },
      patient,
      controller.signal,
      () => controller.abort()
    )
    await expect(running).rejects.toBeInstanceOf(CancelledError)
    expect(calls).toBe(1)
    expect(performance.now() - started).toBeLessThan(3000)
  })

  it('without a cancel, a temporary failure is retried and the last one thrown', async () => {
    let calls = 0
    const { result, retries } = await attempt(async () => {
      runaway(++calls)
      throw new NetworkError('create', `reset ${calls}`)
    }, new AbortController().signal)
    expect((result as Error).message).toBe('create failed: reset 4')
    expect(retries).toEqual([1, 2, 3])
  })
})

describe('Retry-After', () => {
  it.each(['x-5', 'a1', '1.5', '-5', 'soon', 'in 5 s', ' ', 'Mon'])(
    '%j is not understood, so it asks for no particular wait',
    (value) => {
      expect(parseRetryAfter(value, Date.parse('2025-06-01T00:00:00Z'))).toBeUndefined()
    }
  )

  it('junk in Retry-After falls back to the backoff, never to retrying at once', () => {
    const error = new HttpError('create', 503, 'busy', {
      retryAfterSeconds: parseRetryAfter('x-5')
    })
    const policy: RetryPolicy = { retries: 3, baseMs: 1000, maxDelayMs: 60_000 }
    expect(retryDelay(0, error, policy, () => 0)).toBe(500)
  })

  it('reads seconds, and an HTTP date as the seconds until then', () => {
    const now = Date.parse('2025-06-01T00:00:00Z')
    expect(parseRetryAfter(' 7 ', now)).toBe(7)
    expect(parseRetryAfter('Sun, 01 Jun 2025 00:00:30 GMT', now)).toBe(30)
    expect(parseRetryAfter('Sat, 31 May 2025 23:00:00 GMT', now)).toBe(0)
  })
})

describe('storage codes that mean "again"', () => {
  it.each(['ClientDisconnect', 'RequestTimeout', 'IncompleteBody', 'SlowDown'])(
    '%s is temporary whatever its status',
    (code) => {
      expect(isTransient(new HttpError('upload', 400, `${code}: words`, { code }))).toBe(true)
    }
  )

  it('another code with a 4xx is not', () => {
    expect(isTransient(new HttpError('upload', 400, 'BadDigest: x', { code: 'BadDigest' }))).toBe(
      false
    )
  })
})
