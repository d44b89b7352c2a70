import { formatBytes } from '../format.ts'

/** What a progress line reports. */
export interface ProgressState {
  /** Bytes that have left for storage. */
  sentBytes: number
  /** Bytes to send in all. */
  totalBytes: number
  /** Files finished, whichever way. */
  doneFiles: number
  /** Files in all. */
  totalFiles: number
  /** Bytes per second over the last interval. */
  bytesPerSecond: number
}

/** One progress line: `… 1.20 GiB of 3.40 GiB sent (35%), 3 of 120 files done, 45.8 MiB/s`. */
export function progressLine(state: ProgressState): string {
  const percent = state.totalBytes ? Math.floor((100 * state.sentBytes) / state.totalBytes) : 100
  return (
    `… ${formatBytes(state.sentBytes)} of ${formatBytes(state.totalBytes)} sent (${percent}%), ` +
    `${state.doneFiles} of ${state.totalFiles} files done, ${formatBytes(state.bytesPerSecond)}/s`
  )
}

/**
 * Counts bytes as they leave and files as they finish, and reports them every `intervalMs`
 * while uploads run. A run shorter than one interval reports nothing.
 */
export class Progress {
  readonly #state: ProgressState
  readonly #report: (state: Readonly<ProgressState>) => void
  readonly #timer: NodeJS.Timeout
  #lastBytes = 0
  #lastTime = performance.now()

  constructor(
    totals: { bytes: number; files: number },
    intervalMs: number,
    report: (state: Readonly<ProgressState>) => void
  ) {
    this.#state = {
      sentBytes: 0,
      totalBytes: totals.bytes,
      doneFiles: 0,
      totalFiles: totals.files,
      bytesPerSecond: 0
    }
    this.#report = report
    this.#timer = setInterval(() => this.#tick(), intervalMs)
    // Never the reason the process stays alive.
    this.#timer.unref()
  }

  /** Bytes that left (or, negative, a failed attempt's bytes that must be sent again). */
  sent(bytes: number): void {
    this.#state.sentBytes += bytes
  }

  /** One more file finished. */
  fileDone(): void {
    this.#state.doneFiles++
  }

  /** Stops the timer; nothing is reported after this. */
  stop(): void {
    clearInterval(this.#timer)
  }

  #tick(): void {
    const now = performance.now()
    const seconds = (now - this.#lastTime) / 1000
    const rate = (this.#state.sentBytes - this.#lastBytes) / seconds
    this.#state.bytesPerSecond = Math.max(0, Math.round(rate))
    this.#lastBytes = this.#state.sentBytes
    this.#lastTime = now
    this.#report({ ...this.#state })
  }
}
