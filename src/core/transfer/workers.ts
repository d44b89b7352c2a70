// Stage transfer/: owns each file's journey (create → PUT → confirm, then the read-back), the
// workers that run the journeys, the project's listing (skip-existing) and the progress count;
// may import files/, settings/, http/ and the core's shared modules.
import { CancelledError, FileChangedError, HttpError, isAuthFailure, messageOf } from '../errors.ts'
import type { LocalFile } from '../files/files.ts'
import { runPool, type Worker } from '../pool.ts'
import { settingHint } from '../settings/words.ts'
import { boundedApi } from './api-slots.ts'
import { isExpiredUrl, journey, type Lane, type TransferOptions, type Way } from './journey.ts'
import type { Outcome } from './outcome.ts'

/**
 * Runs every file's journey, `concurrency` workers at once. Each worker keeps up to four files on
 * the way: one whose PUT runs; the next, whose create is asked once that PUT has at most
 * AHEAD_BYTES left, so that its PUT starts as soon as the first ends; and the two before, whose
 * last steps (confirm, verify's read-back, download URL) trail behind. A small file then costs one
 * round trip on the critical path, a slow confirm included. At most `concurrency` PUTs are in
 * flight, and at most twice as many API requests (boundedApi), a create first.
 * A failed file does not stop the others, except a refused key, which stops everything.
 * Outcomes come back in the order of `files`; `onOutcome` hears each as it settles.
 */
export async function runWorkers(
  ctx: TransferOptions,
  files: readonly LocalFile[],
  concurrency: number,
  signal: AbortSignal,
  onOutcome: (outcome: Outcome) => void
): Promise<Outcome[]> {
  const client = boundedApi(ctx.client, 2 * concurrency)
  const workers = new Workers({ ...ctx, client }, files, signal, onOutcome)
  await runPool(files, { limit: concurrency }, () => workers.worker())
  return workers.outcomes
}

/** The state shared by the workers of one run: the outcomes, and why it stopped. */
class Workers {
  /** One outcome per file, in the order of the files. */
  readonly outcomes: Outcome[] = []
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
  }

  /** One worker: it takes its next file as soon as its last one lets go (see Convoy). */
  worker(): Worker<LocalFile> {
    const convoy = new Convoy()
    return {
      take: (file, index) => this.#start(file, index, convoy),
      drain: () => convoy.drained()
    }
  }

  /** Starts one file's journey; settles once the worker may take its next file. */
  #start(file: LocalFile, index: number, convoy: Convoy): Promise<void> {
    const started = performance.now()
    if (this.#signal.aborted) {
      this.#fail(index, new CancelledError(), started)
      return Promise.resolve()
    }
    return convoy.start(this.#signal, (way) =>
      journey(this.#ctx, file, way).then(
        (done) =>
          this.#settle(index, {
            ok: true,
            file,
            ...done,
            ...way.found,
            durationMs: performance.now() - started
          }),
        (error: unknown) => this.#fail(index, error, started, way)
      )
    )
  }

  #settle(index: number, outcome: Outcome): void {
    this.outcomes[index] = outcome
    this.#onOutcome(outcome)
  }

  /** Records a failed file, with what verify found; a refused key stops every worker at once. */
  #fail(index: number, error: unknown, started: number, { found }: Partial<Way> = {}): void {
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

/**
 * One worker's files on their way. A file may PUT once the file before it is past its send and
 * the file three before has ended. So a worker has at most one PUT running, one create asked
 * ahead of its turn, and two files sent whose last steps trail behind: a slow confirm is off the
 * critical path.
 */
class Convoy {
  /** Sends one at a time: a PUT, or the whole of a send again under verify. */
  readonly #lane = oneAtATime()
  /** Settles once the worker's last file is past its send, or has ended. */
  #passed: Promise<unknown> = Promise.resolve()
  /** When each of the worker's last three files ended, the oldest first. */
  #ends: readonly [Promise<unknown>, Promise<unknown>, Promise<unknown>] = [
    Promise.resolve(),
    Promise.resolve(),
    Promise.resolve()
  ]
  /** Settles once every journey this worker started has ended. */
  #ended: Promise<unknown> = Promise.resolve()

  /** Starts a journey on its way; settles once the worker may take its next file. */
  start(signal: AbortSignal, travel: (way: Way) => Promise<void>): Promise<void> {
    const free = new Gate()
    const past = new Gate()
    const ended = new Gate()
    const [threeBefore, twoBefore, before] = this.#ends
    const turn = Promise.all([this.#passed, threeBefore])
    this.#passed = Promise.all([turn, past.promise])
    this.#ends = [twoBefore, before, ended.promise]
    const way: Way = {
      signal,
      lane: this.#lane,
      found: {},
      turn: async () => void (await turn),
      letGo: () => free.open(),
      trail: () => {
        past.open()
        free.open()
      }
    }
    const running = travel(way).finally(() => {
      ended.open()
      past.open()
      free.open()
    })
    this.#ended = Promise.all([this.#ended, running])
    return free.promise
  }

  /** Settles once every journey this worker started has ended. */
  async drained(): Promise<void> {
    await this.#ended
  }
}

/** A promise, and what settles it. */
class Gate {
  /** Settles once the gate is open. */
  readonly promise: Promise<void>
  /** Opens the gate; opening it again does nothing. */
  open!: () => void

  constructor() {
    this.promise = new Promise<void>((resolve) => {
      this.open = resolve
    })
  }
}

/** A lane: each send starts once the one before it has settled. */
function oneAtATime(): Lane {
  let last: Promise<unknown> = Promise.resolve()
  return (send) => {
    const run = last.then(send)
    last = run.catch(() => {})
    return run
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
