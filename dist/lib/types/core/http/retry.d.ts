/** How often and how patiently to retry. */
export interface RetryPolicy {
    /** Retries after the first attempt. */
    retries: number;
    /** Delay before the first retry, in milliseconds; doubles each time. */
    baseMs: number;
    /** No single wait is longer than this, Retry-After included. */
    maxDelayMs: number;
}
/** True for failures that a later attempt can fix: no answer, 408, 429, 5xx, a dropped storage body. */
export declare function isTransient(error: unknown): boolean;
/** Milliseconds to wait before retry number `attempt` (0-based): Retry-After when given, else backoff with jitter. */
export declare function retryDelay(attempt: number, error: unknown, policy: RetryPolicy, random?: () => number): number;
/** Parses a Retry-After header: seconds, or an HTTP date. */
export declare function parseRetryAfter(value: string | undefined, now?: number): number | undefined;
/** Called before each retry with the failure and the wait. */
export type RetryListener = (error: unknown, attempt: number, delayMs: number) => void;
/** Runs `operation` until it succeeds, fails for good, runs out of retries, or is cancelled. */
export declare function withRetry<T>(operation: () => Promise<T>, policy: RetryPolicy, signal: AbortSignal, onRetry?: RetryListener): Promise<T>;
/** Runs one request at a time with the same policy, signal and listener. */
export type Retrier = <T>(operation: () => Promise<T>) => Promise<T>;
/** A Retrier: withRetry with its policy, signal and listener bound. */
export declare function retrier(policy: RetryPolicy, signal: AbortSignal, onRetry?: RetryListener): Retrier;
