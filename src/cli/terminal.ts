import { formatBytes, formatDuration } from '../core/format.ts'
import type { Logger } from '../core/log.ts'
import type { ProgressState } from '../core/transfer/progress.ts'

/** The stream the human log goes to: stderr, or a test's stand-in. */
export interface LogStream {
  write(text: string): unknown
  /** True on a terminal, where a progress line can be redrawn in place. */
  isTTY?: boolean | undefined
}

/** Erases the current line of a terminal and returns to its start. */
const CLEAR_LINE = '\r\x1b[2K'

/**
 * The CLI's log on stderr: the action's lines without workflow commands. Every secret it is told
 * of is replaced by `***` in whatever it writes, as a runner does with `::add-mask::`. On a
 * terminal it keeps one progress line at the bottom, redrawn in place.
 */
export class Terminal {
  readonly #stream: LogStream
  readonly #verbose: boolean
  readonly #secrets = new Set<string>()
  #progress = ''

  constructor(stream: LogStream, verbose: boolean) {
    this.#stream = stream
    this.#verbose = verbose
  }

  /** True when a progress line can be redrawn in place. */
  get interactive(): boolean {
    return this.#stream.isTTY === true
  }

  /** The core's logger, writing here. */
  logger(): Logger {
    return {
      info: (message) => this.line(message),
      warning: (message) => this.line(`warning: ${message}`),
      debug: (message) => {
        if (this.#verbose) this.line(`debug: ${message}`)
      },
      isDebug: () => this.#verbose,
      startGroup: (heading) => this.line(heading),
      endGroup: () => {},
      mask: (secret) => {
        if (secret) this.#secrets.add(secret)
      }
    }
  }

  /** Writes one line of the log, above the progress line if one is shown. */
  line(message: string): void {
    const text = `${this.#redact(message)}\n`
    if (!this.#progress) this.#stream.write(text)
    else this.#stream.write(`${CLEAR_LINE}${text}${this.#progress}`)
  }

  /** Redraws the progress line (a terminal only). */
  progress(state: Readonly<ProgressState>): void {
    this.#progress = this.#redact(progressBar(state))
    this.#stream.write(`${CLEAR_LINE}${this.#progress}`)
  }

  /** Removes the progress line, so that what follows starts on a clean line. */
  endProgress(): void {
    if (!this.#progress) return
    this.#progress = ''
    this.#stream.write(CLEAR_LINE)
  }

  #redact(text: string): string {
    let safe = text
    for (const secret of this.#secrets) safe = safe.split(secret).join('***')
    return safe
  }
}

/** `3 of 120 files, 1.20 GiB of 3.40 GiB (35%), 45.8 MiB/s, 48 s left` */
export function progressBar(state: Readonly<ProgressState>): string {
  const percent = state.totalBytes ? Math.floor((100 * state.sentBytes) / state.totalBytes) : 100
  const left = state.totalBytes - state.sentBytes
  const eta =
    state.bytesPerSecond > 0 && left > 0
      ? `, ${formatDuration((1000 * left) / state.bytesPerSecond)} left`
      : ''
  return (
    `${state.doneFiles} of ${state.totalFiles} files, ` +
    `${formatBytes(state.sentBytes)} of ${formatBytes(state.totalBytes)} (${percent}%), ` +
    `${formatBytes(state.bytesPerSecond)}/s${eta}`
  )
}
