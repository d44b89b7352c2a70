import type { Dispatcher } from 'undici';
import { type Step } from '../errors.ts';
/** Reads the answer; returns the body of a 2xx, throws HttpError with the server's words otherwise. */
export declare function expectSuccess(step: Step, response: Dispatcher.ResponseData): Promise<string>;
/**
 * Hashes and counts a download as it streams, one chunk at a time, calling `release` after each
 * RELEASE_EVERY_BYTES hashed. A body that stalls past the request timeout (undici's bodyTimeout)
 * or is cut off is a NetworkError of the verify step.
 */
export declare function digestBody(body: Dispatcher.ResponseData['body'], signal: AbortSignal, timeoutMs: number, release?: () => void): Promise<{
    size: number;
    sha256: string;
}>;
/** A short account of a failure without an answer; never includes a URL's query. */
export declare function describeNetworkError(error: unknown, timeoutMs: number): string;
