// The retry rules: which failures are temporary, how long to wait before the next attempt
// (backoff with jitter, or the server's Retry-After), and withRetry, which retries, gives up and
// ends at once on a cancel, the cancellation winning over the failure it caused.
import { describe, expect, it } from 'vitest'
import {
  CancelledError,
  FileChangedError,
  HttpError,
  InputError,
  messageOf,
  NetworkError
} from '../../../src/core/errors.ts'
import {
  isTransient,
  parseRetryAfter,
  retryDelay,
  withRetry,
  type RetryPolicy
} from '../../../src/core/http/retry.ts'

const http = (status: number, code?: string, retryAfterSeconds?: number): HttpError =>
  new HttpError('upload', status, code ? `${code}: words` : 'words', { code, retryAfterSeconds })

describe('isTransient', () => {
  /** The HttpError of an answer written `status` or `status Code`, as the lists below give it. */
  const answer = (text: string): HttpError => {
    const [status, code] = text.split(' ')
    return http(Number(status), code)
  }

  /** HTTP answers worth another attempt. */
  const AGAIN = [
    '408',
    '429',
    '429 TooManyRequests',
    '500',
    '500 InternalError',
    '502',
    '503',
    '503 ServiceUnavailable',
    '504',
    '400 ClientDisconnect',
    '400 RequestTimeout',
    '400 IncompleteBody',
    '503 SlowDown',
    // A storage code that means "again" is temporary whatever its status.
    '403 ClientDisconnect',
    '404 RequestTimeout',
    '413 IncompleteBody',
    '400 SlowDown'
  ]

  /** HTTP answers that another attempt would only repeat. */
  const FINAL = [
    '400',
    '400 BadDigest',
    '409 BadDigest',
    '400 EntityTooLarge',
    '401',
    '403',
    '403 SignatureDoesNotMatch',
    '404',
    '411 MissingContentLength',
    '413'
  ]

  it.each<[string, boolean, unknown]>([
    ...AGAIN.map((text): [string, boolean, unknown] => [text, true, answer(text)]),
    ...FINAL.map((text): [string, boolean, unknown] => [text, false, answer(text)]),
    ['NetworkError', true, new NetworkError('create', 'ECONNRESET')],
    ['NetworkError on upload', true, new NetworkError('upload', 'socket hang up')],
    ['200 with an unreadable body', false, new HttpError('create', 200, 'not JSON')],
    ['FileChangedError', false, new FileChangedError('changed')],
    ['CancelledError', false, new CancelledError()],
    [
      'InputError',
      false,
      new InputError({ setting: 'files', input: 'files', flag: 'files' }, 'bad', 'bad')
    ],
    ['plain Error', false, new Error('boom')],
    ['a string', false, 'ECONNRESET'],
    ['undefined', false, undefined]
  ])('%s → transient: %s', (_label, expected, error) => {
    expect(isTransient(error)).toBe(expected)
  })
})

const POLICY: RetryPolicy = { retries: 5, baseMs: 1000, maxDelayMs: 60_000 }

describe('retryDelay', () => {
  it('honours Retry-After in seconds', () => {
    expect(retryDelay(0, http(429, undefined, 3), POLICY, () => 0.5)).toBe(3000)
    expect(retryDelay(4, http(503, undefined, 7), POLICY, () => 0.5)).toBe(7000)
    expect(retryDelay(0, http(429, undefined, 0), POLICY, () => 0.5)).toBe(0)
  })

  it('caps Retry-After at maxDelayMs', () => {
    expect(retryDelay(0, http(429, undefined, 120), POLICY)).toBe(60_000)
    expect(retryDelay(0, http(429, undefined, 1e12), POLICY)).toBe(60_000)
  })

  it('honours a Retry-After given as an HTTP date', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')
    const seconds = parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', now)
    expect(seconds).toBe(30)
    expect(retryDelay(0, http(503, undefined, seconds), POLICY)).toBe(30_000)
  })

  it('grows exponentially from baseMs without Retry-After', () => {
    const low = [0, 1, 2, 3, 4].map((attempt) => retryDelay(attempt, http(503), POLICY, () => 0))
    const high = [0, 1, 2, 3, 4].map((attempt) =>
      retryDelay(attempt, http(503), POLICY, () => 0.999999)
    )
    expect(low).toEqual([500, 1000, 2000, 4000, 8000])
    expect(high).toEqual([1000, 2000, 4000, 8000, 16_000])
  })

  it('keeps the jitter between half and all of the ceiling', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(POLICY.maxDelayMs, POLICY.baseMs * 2 ** attempt)
      for (let i = 0; i < 50; i++) {
        const delay = retryDelay(attempt, new NetworkError('upload', 'reset'), POLICY)
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2)
        expect(delay).toBeLessThanOrEqual(ceiling)
      }
    }
  })

  it('actually spreads retries apart', () => {
    const delays = new Set(
      Array.from({ length: 20 }, () => retryDelay(3, http(500), POLICY, Math.random))
    )
    expect(delays.size).toBeGreaterThan(1)
  })

  it('caps the backoff at maxDelayMs, even after very many attempts', () => {
    for (const attempt of [6, 7, 20, 1100, 5000]) {
      const delay = retryDelay(attempt, http(500), POLICY, () => 0.999999)
      expect(delay).toBeLessThanOrEqual(60_000)
      expect(delay).toBeGreaterThanOrEqual(30_000)
      expect(Number.isFinite(delay)).toBe(true)
    }
  })

  it('is zero with a zero base (the test hook)', () => {
    expect(retryDelay(3, http(500), { ...POLICY, baseMs: 0 })).toBe(0)
  })

  it('falls back to the backoff for junk in Retry-After, never to retrying at once', () => {
    const error = http(503, undefined, parseRetryAfter('x-5'))
    expect(retryDelay(0, error, POLICY, () => 0)).toBe(500)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')

  it.each([
    ['0', 0],
    ['5', 5],
    [' 120 ', 120],
    ['Wed, 21 Oct 2015 07:28:30 GMT', 30],
    ['Wed, 21 Oct 2015 07:29:00 GMT', 60],
    ['Wed, 21 Oct 2015 07:28:00 GMT', 0],
    ['Tue, 20 Oct 2015 07:28:00 GMT', 0]
  ])('%j → %s seconds', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds)
  })

  it('rounds a date a fraction of a second away up to the next second', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', now - 500)).toBe(11)
  })

  it.each([undefined, '', '   ', 'soon', 'later please'])('%j → undefined', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined()
  })

  // RFC 9110: Retry-After is an HTTP-date or a non-negative integer of seconds; anything else is
  // invalid and should fall back to backoff. V8's lenient Date.parse reads '1.5' and '-5' as dates
  // in 2001, which turns them into "retry now".
  it.each(['1.5', '-5', '2.5 seconds'])('ignores the invalid value %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined()
  })

  it.each(['x-5', 'a1', '1.5', '-5', 'soon', 'in 5 s', ' ', 'Mon'])(
    '%j is not understood in 2025 either, so it asks for no particular wait',
    (value) => {
      expect(parseRetryAfter(value, Date.parse('2025-06-01T00:00:00Z'))).toBeUndefined()
    }
  )

  it('reads seconds, and an HTTP date as the seconds until then', () => {
    const june = Date.parse('2025-06-01T00:00:00Z')
    expect(parseRetryAfter(' 7 ', june)).toBe(7)
    expect(parseRetryAfter('Sun, 01 Jun 2025 00:00:30 GMT', june)).toBe(30)
    expect(parseRetryAfter('Sat, 31 May 2025 23:00:00 GMT', june)).toBe(0)
  })
})

const FAST: RetryPolicy = { retries: 3, baseMs: 1, maxDelayMs: 5 }
/** Attempts past this end a test that retries without end (a broken loop) at once. */
const RUNAWAY = 20

/** A failure that is never retried, thrown once an operation was called RUNAWAY times. */
function runaway(calls: number): void {
  if (calls > RUNAWAY) throw new Error(`called ${calls} times`)
}

/** withRetry with no wait between attempts, recording each retry it announces. */
async function attempt(
  operation: () => Promise<string>,
  signal: AbortSignal
): Promise<{ result: unknown; retries: number[] }> {
  const retries: number[] = []
  const instant: RetryPolicy = { retries: 3, baseMs: 0, maxDelayMs: 0 }
  const result = await withRetry(operation, instant, signal, (_error, n) => retries.push(n)).catch(
    (error: unknown) => error
  )
  return { result, retries }
}

/** An operation that fails with the given errors in turn, then succeeds. */
function failing<T>(
  errors: unknown[],
  value: T
): { operation: () => Promise<T>; calls: () => number } {
  let calls = 0
  return {
    operation: async () => {
      const error = errors[calls++]
      if (error !== undefined) throw error
      return value
    },
    calls: () => calls
  }
}

describe('withRetry', () => {
  it('returns at once when the first attempt succeeds', async () => {
    const { operation, calls } = failing([], 'ok')
    await expect(withRetry(operation, FAST, new AbortController().signal)).resolves.toBe('ok')
    expect(calls()).toBe(1)
  })

  it('retries transient failures and returns the eventual result', async () => {
    const retried: [unknown, number, number][] = []
    const first = new NetworkError('create', 'ECONNRESET')
    const second = http(503)
    const { operation, calls } = failing([first, second], 42)
    const result = await withRetry(operation, FAST, new AbortController().signal, (e, a, d) =>
      retried.push([e, a, d])
    )
    expect(result).toBe(42)
    expect(calls()).toBe(3)
    expect(retried.map(([error, attempt]) => [error, attempt])).toEqual([
      [first, 1],
      [second, 2]
    ])
    for (const [, , delay] of retried) {
      expect(delay).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThanOrEqual(FAST.maxDelayMs)
    }
  })

  it('gives up after `retries` retries and throws the last error', async () => {
    const errors = [http(500), http(502), http(503), http(504), http(599)]
    const { operation, calls } = failing(errors, 'never')
    const outcome = withRetry(operation, FAST, new AbortController().signal)
    await expect(outcome).rejects.toBe(errors[3])
    expect(calls()).toBe(FAST.retries + 1)
  })

  it('the last error says the retries were spent, in its message only', async () => {
    const errors = [http(500), http(502), http(503), http(504)]
    const { operation } = failing(errors, 'never')
    const error = await withRetry(operation, FAST, new AbortController().signal).catch(
      (thrown: unknown) => thrown
    )
    expect(error).toBe(errors[3])
    expect(messageOf(error)).toBe(`upload failed: HTTP 504: words (after ${FAST.retries} retries)`)
    expect((error as Error).message).toBe('upload failed: HTTP 504: words')
    // The earlier ones were retried, not given up on.
    expect(messageOf(errors[0])).toBe('upload failed: HTTP 500: words')
  })

  it('says one retry in the singular', async () => {
    const errors = [new NetworkError('create', 'ECONNRESET'), new NetworkError('create', 'EPIPE')]
    const { operation } = failing(errors, 'never')
    const policy = { ...FAST, retries: 1 }
    const error = await withRetry(operation, policy, new AbortController().signal).catch(
      (thrown: unknown) => thrown
    )
    expect(messageOf(error)).toBe('create failed: EPIPE (after 1 retry)')
  })

  it('says nothing of retries with retries = 0, nor for a failure that is not retried', async () => {
    const once = http(503)
    await withRetry(
      failing([once], 'never').operation,
      { ...FAST, retries: 0 },
      new AbortController().signal
    ).catch(() => {})
    expect(messageOf(once)).toBe('upload failed: HTTP 503: words')
    const refused = http(400)
    await withRetry(
      failing([http(503), refused], 'never').operation,
      FAST,
      new AbortController().signal
    ).catch(() => {})
    expect(messageOf(refused)).toBe('upload failed: HTTP 400: words')
  })

  it('makes exactly one attempt with retries = 0', async () => {
    const error = http(503)
    const { operation, calls } = failing([error], 'never')
    await expect(
      withRetry(operation, { ...FAST, retries: 0 }, new AbortController().signal)
    ).rejects.toBe(error)
    expect(calls()).toBe(1)
  })

  it.each([400, 401, 403, 404, 413])('does not retry a %s', async (status) => {
    const error = http(status)
    const { operation, calls } = failing([error], 'never')
    let retries = 0
    await expect(
      withRetry(operation, FAST, new AbortController().signal, () => retries++)
    ).rejects.toBe(error)
    expect(calls()).toBe(1)
    expect(retries).toBe(0)
  })

  it('does not retry an error that is not an HTTP or network failure', async () => {
    const error = new TypeError('bug')
    const { operation, calls } = failing([error], 'never')
    await expect(withRetry(operation, FAST, new AbortController().signal)).rejects.toBe(error)
    expect(calls()).toBe(1)
  })

  it('throws CancelledError without calling when the signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const { operation, calls } = failing([], 'never')
    await expect(withRetry(operation, FAST, controller.signal)).rejects.toBeInstanceOf(
      CancelledError
    )
    expect(calls()).toBe(0)
  })

  it('stops with CancelledError when the signal aborts during a wait', async () => {
    const controller = new AbortController()
    const slow: RetryPolicy = { retries: 5, baseMs: 60_000, maxDelayMs: 60_000 }
    const { operation, calls } = failing([http(503), http(503)], 'never')
    const started = Date.now()
    const outcome = withRetry(operation, slow, controller.signal, () => {
      setTimeout(() => controller.abort(), 20)
    })
    await expect(outcome).rejects.toBeInstanceOf(CancelledError)
    expect(Date.now() - started).toBeLessThan(5000)
    expect(calls()).toBe(1)
  })

  it('turns a failure caused by the abort into CancelledError', async () => {
    const controller = new AbortController()
    const operation = async (): Promise<never> => {
      controller.abort()
      throw new NetworkError('upload', 'aborted')
    }
    await expect(withRetry(operation, FAST, controller.signal)).rejects.toBeInstanceOf(
      CancelledError
    )
  })

  it('waits Retry-After between attempts', async () => {
    const delays: number[] = []
    const { operation } = failing([http(429, undefined, 0)], 'ok')
    await withRetry(
      operation,
      { retries: 2, baseMs: 10_000, maxDelayMs: 60_000 },
      new AbortController().signal,
      (_e, _a, delay) => delays.push(delay)
    )
    expect(delays).toEqual([0])
  })

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
})
