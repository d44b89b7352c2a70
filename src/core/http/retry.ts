import { setTimeout as sleep } from 'node:timers/promises'
import { CancelledError, HttpError, NetworkError, spentRetries } from '../errors.ts'

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number
  /** Delay before the first retry, in milliseconds; doubles each time. */
  baseMs: number
  /** No single wait is longer than this, Retry-After included. */
  maxDelayMs: number
}

/** Storage error codes that mean "try the same request again". */
const TRANSIENT_STORAGE_CODES = new Set([
  'ClientDisconnect',
  'RequestTimeout',
  'IncompleteBody',
  'SlowDown'
])

/** True for failures that a later attempt can fix: no answer, 408, 429, 5xx, a dropped storage body. */
export function isTransient(error: unknown): boolean {
  if (error instanceof NetworkError) return true
  if (!(error instanceof HttpError)) return false
  if (error.status === 408 || error.status === 429 || error.status >= 500) return true
  return error.code !== undefined && TRANSIENT_STORAGE_CODES.has(error.code)
}

/** Milliseconds to wait before retry number `attempt` (0-based): Retry-After when given, else backoff with jitter. */
export function retryDelay(
  attempt: number,
  error: unknown,
  policy: RetryPolicy,
  random: () => number = Math.random
): number {
  const asked = error instanceof HttpError ? error.retryAfterSeconds : undefined
  if (asked !== undefined) return Math.min(asked * 1000, policy.maxDelayMs)
  const ceiling = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** attempt)
  // Half fixed, half random: spreads clients apart without ever retrying at once.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** Parses a Retry-After header: seconds, or an HTTP date. */
export function parseRetryAfter(
  value: string | undefined,
  now: number = Date.now()
): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  // An HTTP date names its weekday and month; `1.5` or `-5` is not a date for V8 to guess at.
  const date = /[a-z]{3}/i.test(trimmed) ? Date.parse(trimmed) : NaN
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000))
}

/** Called before each retry with the failure and the wait. */
export type RetryListener = (error: unknown, attempt: number, delayMs: number) => void

/** Runs `operation` until it succeeds, fails for good, runs out of retries, or is cancelled. */
export async function withRetry<T>(
  operation: () => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal,
  onRetry?: RetryListener
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    if (signal.aborted) throw new CancelledError()
    try {
      return await operation()
    } catch (error) {
      if (signal.aborted) throw new CancelledError()
      if (!isTransient(error)) throw error
      if (attempt >= policy.retries) {
        // isTransient holds only for an Error; the final message says the retries were spent.
        if (attempt > 0) spentRetries(error as Error, attempt)
        throw error
      }
      const delayMs = retryDelay(attempt, error, policy)
      onRetry?.(error, attempt + 1, delayMs)
      try {
        await sleep(delayMs, undefined, { signal })
      } catch {
        // Only the signal ends the wait early; the loop's top throws CancelledError for it.
      }
    }
  }
}

/** Runs one request at a time with the same policy, signal and listener. */
export type Retrier = <T>(operation: () => Promise<T>) => Promise<T>

/** A Retrier: withRetry with its policy, signal and listener bound. */
export function retrier(
  policy: RetryPolicy,
  signal: AbortSignal,
  onRetry?: RetryListener
): Retrier {
  return (operation) => withRetry(operation, policy, signal, onRetry)
}
