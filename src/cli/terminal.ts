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
  readonly #secrets = new Secrets()
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
        this.#secrets.add(secret)
      }
    }
  }

  /** Writes one line of the log, above the progress line if one is shown. */
  line(message: string): void {
    const text = `${this.#secrets.hide(message)}\n`
    if (!this.#progress) this.#stream.write(text)
    else this.#stream.write(`${CLEAR_LINE}${text}${this.#progress}`)
  }

  /** Redraws the progress line (a terminal only). */
  progress(state: Readonly<ProgressState>): void {
    this.#progress = this.#secrets.hide(progressBar(state))
    this.#stream.write(`${CLEAR_LINE}${this.#progress}`)
  }

  /** Removes the progress line, so that what follows starts on a clean line. */
  endProgress(): void {
    if (!this.#progress) return
    this.#progress = ''
    this.#stream.write(CLEAR_LINE)
  }
}

/**
 * The secrets a log hides, and a text with each of them replaced by `***`. One pass over the text
 * that looks up each stretch as long as some secret: a run's thousands of URL signatures cost a
 * line a few lookups per character, not a pass per secret.
 */
export class Secrets {
  readonly #values = new Set<string>()
  /** The secrets' lengths, longest first: where two secrets start at one place, the longer wins. */
  #lengths: number[] = []

  /** Hides `secret` from now on; an empty one hides nothing. */
  add(secret: string): void {
    if (!secret || this.#values.has(secret)) return
    this.#values.add(secret)
    if (!this.#lengths.includes(secret.length))
      this.#lengths = [...this.#lengths, secret.length].sort((a, b) => b - a)
  }

  /** `text` with every secret in it replaced by `***`, leftmost first. */
  hide(text: string): string {
    let hidden = ''
    let copied = 0
    for (let at = 0; at < text.length;) {
      const length = this.#lengths.find((n) => this.#values.has(text.slice(at, at + n)))
      if (length === undefined) {
        at++
        continue
      }
      hidden += `${text.slice(copied, at)}***`
      at += length
      copied = at
    }
    return hidden + text.slice(copied)
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
