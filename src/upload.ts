import type { FilesClient } from './client.ts'
import { CancelledError, FileChangedError, HttpError, isAuthFailure, messageOf } from './errors.ts'
import type { LocalFile } from './files.ts'
import { withRetry, type RetryPolicy } from './retry.ts'

/** A file that went through all three steps. */
export interface UploadedFile {
  /** The confirmed record's ID. */
  id: number
  /** The name it was uploaded under. */
  name: string
  /** Its path relative to the workspace. */
  path: string
  /** Bytes sent. */
  size_bytes: number
  /** The declared and sent Content-Type. */
  mime_type: string
  /** Hex sha256 of the bytes sent. */
  sha256: string
}

/** How one file ended. */
export type Outcome =
  | { ok: true; file: LocalFile; uploaded: UploadedFile; durationMs: number }
  | { ok: false; file: LocalFile; error: string; durationMs: number }

/** Everything the upload of one file needs besides the file. */
export interface UploadContext {
  /** The HTTP client. */
  client: FilesClient
  /** The project that receives the files. */
  projectId: number
  /** Description set on each file. */
  description: string | undefined
  /** Retry policy for each request. */
  policy: RetryPolicy
  /** Called before a retry, for the log. */
  onRetry?: (file: LocalFile, error: unknown, attempt: number, delayMs: number) => void
}

/** An expired URL needs a new record; a few fresh URLs are enough for any honest clock skew. */
const FRESH_URL_ATTEMPTS = 3

/** True when the storage says the presigned URL has expired (R2's 403 or 400 form, or S3's). */
function isExpiredUrl(error: unknown): boolean {
  if (!(error instanceof HttpError) || error.step !== 'upload') return false
  if (error.status !== 400 && error.status !== 403) return false
  return error.code === 'ExpiredRequest' || /request has expired/i.test(error.serverMessage)
}

/** A file whose bytes are stored but not yet confirmed. */
export interface SentFile {
  /** The record that holds the bytes. */
  id: number
  /** Hex sha256 of the bytes sent. */
  sha256: string
}

/** Runs one request of `file`'s protocol with the retry policy, reporting each retry. */
function retrying(ctx: UploadContext, file: LocalFile, signal: AbortSignal) {
  return <T>(operation: () => Promise<T>): Promise<T> =>
    withRetry(operation, ctx.policy, signal, (error, attempt, delayMs) =>
      ctx.onRetry?.(file, error, attempt, delayMs)
    )
}

/** Steps 1 and 2 for one file: create → PUT, each retried; an expired URL restarts at create. */
export async function sendFile(
  ctx: UploadContext,
  file: LocalFile,
  signal: AbortSignal
): Promise<SentFile> {
  const retry = retrying(ctx, file, signal)
  const request = {
    projectId: ctx.projectId,
    name: file.name,
    mimeType: file.mimeType,
    size: file.size,
    description: ctx.description
  }
  for (let freshUrl = 1; ; freshUrl++) {
    const created = await retry(() => ctx.client.create(request, signal))
    try {
      const { sha256 } = await retry(() => ctx.client.put(created.uploadUrl, file, signal))
      return { id: created.id, sha256 }
    } catch (error) {
      if (!isExpiredUrl(error) || freshUrl >= FRESH_URL_ATTEMPTS) throw error
    }
  }
}

/** Step 3 for one file: confirm, retried (confirming twice is harmless). */
export async function confirmFile(
  ctx: UploadContext,
  file: LocalFile,
  sent: SentFile,
  signal: AbortSignal
): Promise<UploadedFile> {
  await retrying(ctx, file, signal)(() => ctx.client.confirm(sent.id, signal))
  return {
    id: sent.id,
    name: file.name,
    path: file.path,
    size_bytes: file.size,
    mime_type: file.mimeType,
    sha256: sent.sha256
  }
}

/**
 * Uploads every file with at most `concurrency` files sending at once. Each worker confirms a
 * file while it creates and sends the next, so a confirm costs no round trip of its own; it keeps
 * at most one confirm in flight. A failed file does not stop the others, except a refused key,
 * which stops everything. Outcomes come back in the order of `files`.
 */
export async function uploadAll(
  ctx: UploadContext,
  files: readonly LocalFile[],
  concurrency: number,
  signal: AbortSignal,
  onOutcome: (outcome: Outcome) => void
): Promise<Outcome[]> {
  const pool = new UploadPool(ctx, files, signal, onOutcome)
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, () => pool.work()))
  return pool.outcomes
}

/** The state shared by the workers of one run: the next file, the outcomes, why it stopped. */
class UploadPool {
  /** One outcome per file, in the order of the files. */
  readonly outcomes: Outcome[]
  readonly #ctx: UploadContext
  readonly #files: readonly LocalFile[]
  readonly #onOutcome: (outcome: Outcome) => void
  readonly #stop = new AbortController()
  readonly #signal: AbortSignal
  #stopReason: string | undefined
  #next = 0

  constructor(
    ctx: UploadContext,
    files: readonly LocalFile[],
    signal: AbortSignal,
    onOutcome: (outcome: Outcome) => void
  ) {
    this.#ctx = ctx
    this.#files = files
    this.#onOutcome = onOutcome
    this.#signal = AbortSignal.any([signal, this.#stop.signal])
    this.outcomes = new Array<Outcome>(files.length)
  }

  /** One worker: takes files until none are left, confirming each while it sends the next. */
  async work(): Promise<void> {
    let confirming: Promise<void> = Promise.resolve()
    while (this.#next < this.#files.length) {
      const index = this.#next++
      const file = this.#files[index] as LocalFile
      const started = performance.now()
      let sent: SentFile
      try {
        if (this.#signal.aborted) throw new CancelledError()
        sent = await sendFile(this.#ctx, file, this.#signal)
      } catch (error) {
        this.#fail(index, error, started)
        continue
      }
      await confirming
      confirming = confirmFile(this.#ctx, file, sent, this.#signal).then(
        (uploaded) =>
          this.#settle(index, {
            ok: true,
            file,
            uploaded,
            durationMs: performance.now() - started
          }),
        (error: unknown) => this.#fail(index, error, started)
      )
    }
    await confirming
  }

  #settle(index: number, outcome: Outcome): void {
    this.outcomes[index] = outcome
    this.#onOutcome(outcome)
  }

  /** Records a failed file; a refused key stops every worker at once. */
  #fail(index: number, error: unknown, started: number): void {
    if (isAuthFailure(error) && !this.#stopReason) {
      this.#stopReason = 'not uploaded: the API key was refused'
      this.#stop.abort()
    }
    const file = this.#files[index] as LocalFile
    const message = failureMessage(error, this.#stopReason)
    this.#settle(index, {
      ok: false,
      file,
      error: message,
      durationMs: performance.now() - started
    })
  }
}

/** One line that names the step, the status and the server's words, with a hint where one helps. */
function failureMessage(error: unknown, stopReason?: string): string {
  if (error instanceof CancelledError) return stopReason ?? 'not uploaded: the run was cancelled'
  if (error instanceof FileChangedError) return `read failed: ${error.message}`
  const message = messageOf(error)
  if (isAuthFailure(error)) {
    return `${message} (the API key was refused: check auth-key / EMPIRICALRUN_KEY and that the key is not revoked)`
  }
  if (error instanceof HttpError && error.code === 'BadDigest') {
    return `${message} (the upload URL was signed with a checksum that no non-empty file can match; only the server can fix this)`
  }
  if (isExpiredUrl(error))
    return `${message} (every fresh upload URL had expired by the time it was used: the server issues URLs that live too briefly)`
  return message
}
