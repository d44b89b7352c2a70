import { formatBytes, formatDuration, formatSpan } from '../format.ts'

/**
 * The stall detector of one upload (PUT).
 *
 * undici's own headersTimeout cannot serve here: it runs from the last write into the socket, and
 * after the last write several MiB of the body may still sit in the socket's send buffer and the
 * storage's receive buffer. On a slow link they need seconds to drain, and nothing on this side
 * shows that they move, so a moving upload would be cut off. The watch counts the body's progress
 * itself: while the body is being sent, each part the connection takes is progress; once all of
 * it is handed over, the answer may take `timeoutMs` plus the time the bytes still buffered need
 * at the rate the body moved. A storage that stops reading mid-body still stops the connection
 * taking bytes, and is cut off `timeoutMs` after the last part was taken.
 */
export class SendWatch {
  /** Aborts the request: when the run is cancelled, or when the upload stopped moving. */
  readonly signal: AbortSignal
  readonly #timeoutMs: number
  readonly #stall = new AbortController()
  readonly #samples: Sample[] = []
  /** The least time between two samples kept; it grows as a long upload's history is thinned. */
  #gapMs = 0
  #timer: NodeJS.Timeout | undefined
  #bytes = 0
  /** When the request last moved: its start, a part of the body taken, or the body's end. */
  #lastMs = performance.now()
  /** The extra wait for the answer once the body is handed over: its buffered tail's drain time. */
  #allowanceMs = 0
  #allowedBytes = 0

  constructor(timeoutMs: number, cancel: AbortSignal) {
    this.#timeoutMs = timeoutMs
    this.signal = AbortSignal.any([cancel, this.#stall.signal])
    this.#arm(timeoutMs)
  }

  /** The connection took `bytes` more of the body (0 when it asks for the first part). */
  progress(bytes: number): void {
    this.#bytes += bytes
    this.#lastMs = performance.now()
    const last = this.#samples.at(-1)
    // Kept at most one per gap, so that the history stays evenly spread over time: the estimate
    // reads the sample halfway through it, wherever that falls.
    if (last && this.#lastMs - last.ms < this.#gapMs) return
    this.#samples.push({ ms: this.#lastMs, bytes: this.#bytes })
    // Thinned, not capped: the estimate needs the whole history, at any resolution.
    if (this.#samples.length >= MAX_SAMPLES) this.#gapMs = thin(this.#samples)
  }

  /** The whole body is handed over; from now on only the answer counts, after the drain allowance. */
  finished(): void {
    this.#lastMs = performance.now()
    const tail = bufferedTail(this.#samples, { ms: this.#lastMs, bytes: this.#bytes })
    this.#allowanceMs = tail.ms
    this.#allowedBytes = tail.bytes
  }

  /** The answer has begun, or the request is over: nothing more to watch. */
  stop(): void {
    clearTimeout(this.#timer)
  }

  /** True when the watch abandoned the request because it stopped moving. */
  get stalled(): boolean {
    return this.#stall.signal.aborted
  }

  /** Why the request was abandoned, in the words the README documents. */
  describe(): string {
    const span = formatSpan(this.#timeoutMs)
    // A body taken all at once leaves only a few ms of noise, not worth a mention.
    if (this.#allowanceMs < 100) return `no progress and no answer for ${span}`
    return (
      `no progress and no answer for ${span}, after the ${formatDuration(this.#allowanceMs)} ` +
      `allowed for the last ${formatBytes(this.#allowedBytes)} still on the way to storage`
    )
  }

  /** One timer per request, re-armed only when it fires early: progress itself costs no timer call. */
  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => this.#check(), Math.max(1, delayMs))
    // The request's socket keeps the process alive while it matters; the timer must not on its own.
    this.#timer.unref()
  }

  #check(): void {
    const left = this.#lastMs + this.#allowanceMs + this.#timeoutMs - performance.now()
    if (left > 0) return this.#arm(left)
    this.#stall.abort(new Error(this.describe()))
  }
}

/** One moment of a body's progress: a `performance.now()` time, and the bytes taken by then. */
export interface Sample {
  ms: number
  bytes: number
}

/**
 * Most bytes taken to be buffered on the way: Linux lets a socket's send buffer grow to 4 MiB and
 * the receiver's to 6 MiB by default; 16 MiB bounds that with room for other systems, and keeps a
 * slow rate from stretching the wait after a stall without end.
 */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024

/** Samples kept per upload; reaching it drops every other one, so memory stays flat at any size. */
const MAX_SAMPLES = 256

/** Drops every other sample; returns the gap that keeps new ones as far apart as the kept ones. */
function thin(samples: Sample[]): number {
  let kept = 0
  for (let i = 0; i < samples.length; i += 2) samples[kept++] = samples[i] as Sample
  samples.length = kept
  const first = samples[0] as Sample
  const last = samples.at(-1) as Sample
  return (last.ms - first.ms) / Math.max(1, kept - 1)
}

/**
 * The bytes still buffered when the body was handed over (`end`), and the time they need to reach
 * storage. The rate is the body's over the later half of the time it took: by then the buffers are
 * full and the connection takes bytes only as fast as storage reads them. Read at that rate from
 * the first byte, storage would have `end.bytes - rate * elapsed` left; that is the part the
 * buffers took at once before storage's pace set in. A body taken all at once gives no rate (the
 * later half holds no bytes), so nothing is allowed: such a body must reach storage within the
 * timeout.
 */
export function bufferedTail(
  samples: readonly Sample[],
  end: Sample
): { bytes: number; ms: number } {
  const first = samples[0]
  if (!first) return { bytes: 0, ms: 0 }
  const elapsed = end.ms - first.ms
  const middle = lastAtOrBefore(samples, first.ms + elapsed / 2)
  const rate = (end.bytes - middle.bytes) / (end.ms - middle.ms)
  if (!(rate > 0 && Number.isFinite(rate))) return { bytes: 0, ms: 0 }
  const bytes = Math.min(MAX_BUFFERED_BYTES, end.bytes - first.bytes - rate * elapsed)
  return bytes > 0 ? { bytes, ms: bytes / rate } : { bytes: 0, ms: 0 }
}

/** The last sample taken at or before `ms` (the first one when none is). */
function lastAtOrBefore(samples: readonly Sample[], ms: number): Sample {
  let found = samples[0] as Sample
  for (const sample of samples) {
    if (sample.ms > ms) break
    found = sample
  }
  return found
}
