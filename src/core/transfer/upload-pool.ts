// Stage transfer/: owns each file's journey (create → PUT → confirm, then the read-back), the
// workers that run the journeys, the project's listing (skip-existing) and the progress count;
// may import files/, settings/, http/ and the core's shared modules.
import { CancelledError, FileChangedError, HttpError, isAuthFailure, messageOf } from '../errors.ts'
import type { LocalFile } from '../files/files.ts'
import { runPool, type Worker } from '../pool.ts'
import { settingHint } from '../settings/words.ts'
import { completeFile, existingFile, oneAtATime, type Journey, type Lane } from './upload-verify.ts'
import {
  isExpiredUrl,
  sendFile,
  type Arrived,
  type Outcome,
  type SentFile,
  type TransferOptions,
  type Verified
} from './upload.ts'

/**
 * Uploads every file with at most `concurrency` files sending at once. Each worker confirms a
 * file while it creates and sends the next, so a confirm costs no round trip of its own; it keeps
 * at most one confirm in flight. A failed file does not stop the others, except a refused key,
 * which stops everything. Outcomes come back in the order of `files`.
 */
export async function runWorkers(
  ctx: TransferOptions,
  files: readonly LocalFile[],
  concurrency: number,
  signal: AbortSignal,
  onOutcome: (outcome: Outcome) => void
): Promise<Outcome[]> {
  const pool = new UploadPool(ctx, files, signal, onOutcome)
  await runPool(files, { limit: concurrency }, () => pool.worker())
  return pool.outcomes
}

/** The state shared by the workers of one run: the outcomes, and why it stopped. */
class UploadPool {
  /** One outcome per file, in the order of the files. */
  readonly outcomes: Outcome[]
  readonly #ctx: TransferOptions
  readonly #files: readonly LocalFile[]
  readonly #onOutcome: (outcome: Outcome) => void
  readonly #stop = new AbortController()
  readonly #signal: AbortSignal
  #stopReason: string | undefined

  constructor(
    ctx: TransferOptions,
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

  /** One worker: its own lane of sends, confirming each file while it sends the next. */
  worker(): Worker<LocalFile> {
    const lane = oneAtATime()
    let confirming: Promise<void> = Promise.resolve()
    return {
      take: async (file, index) => {
        confirming = (await this.#take(file, index, lane, confirming)).confirming
      },
      drain: () => confirming
    }
  }

  /**
   * Starts one file: sends it, then leaves its confirm running once the one before it is done.
   * Returns the confirm the worker's next file waits for (boxed: an async function would await it).
   */
  async #take(
    file: LocalFile,
    index: number,
    lane: Lane,
    confirming: Promise<void>
  ): Promise<{ confirming: Promise<void> }> {
    const started = performance.now()
    const journey: Journey = { lane, found: {}, signal: this.#signal }
    if (this.#signal.aborted) {
      this.#fail(index, new CancelledError(), started)
      return { confirming }
    }
    const existingId = this.#ctx.listing?.idOf(file)
    if (existingId !== undefined) {
      const done = existingFile(this.#ctx, file, existingId, journey)
      await this.#finish(index, done, started, journey.found)
      return { confirming }
    }
    let sent: SentFile
    try {
      sent = await lane(() => sendFile(this.#ctx, file, this.#signal))
    } catch (error) {
      this.#fail(index, error, started)
      return { confirming }
    }
    await confirming
    const done = completeFile(this.#ctx, file, sent, journey)
    return { confirming: this.#finish(index, done, started, journey.found) }
  }

  /** Records the outcome of a file's last steps, whichever way they end, with what verify found. */
  #finish(index: number, last: Promise<Arrived>, started: number, found: Verified): Promise<void> {
    const file = this.#files[index] as LocalFile
    return last.then(
      (done) =>
        this.#settle(index, {
          ok: true,
          file,
          ...done,
          ...found,
          durationMs: performance.now() - started
        }),
      (error: unknown) => this.#fail(index, error, started, found)
    )
  }

  #settle(index: number, outcome: Outcome): void {
    this.outcomes[index] = outcome
    this.#onOutcome(outcome)
  }

  /** Records a failed file; a refused key stops every worker at once. */
  #fail(index: number, error: unknown, started: number, found: Verified = {}): void {
    if (isAuthFailure(error) && !this.#stopReason) {
      this.#stopReason = 'not uploaded: the API key was refused'
      this.#stop.abort()
    }
    const file = this.#files[index] as LocalFile
    const message = failureMessage(error, this.#ctx, this.#stopReason)
    const cancelled = error instanceof CancelledError && !this.#stopReason
    this.#settle(index, {
      ok: false,
      file,
      error: message,
      ...(cancelled ? { cancelled } : {}),
      ...found,
      durationMs: performance.now() - started
    })
  }
}

/** One line that names the step, the status and the server's words, with a hint where one helps. */
function failureMessage(error: unknown, ctx: TransferOptions, stopReason?: string): string {
  if (error instanceof CancelledError) return stopReason ?? 'not uploaded: the run was cancelled'
  if (error instanceof FileChangedError) return `read failed: ${error.message}`
  const message = messageOf(error)
  const hint = settingHint(error, ctx.client.filesUrl, ctx.face ?? 'library')
  if (hint) return `${message} (${hint})`
  if (error instanceof HttpError && error.code === 'BadDigest') {
    return `${message} (the upload URL was signed with a checksum that no non-empty file can match; only the server can fix this)`
  }
  if (isExpiredUrl(error))
    return `${message} (every fresh upload URL had expired by the time it was used: the server issues URLs that live too briefly)`
  return message
}
