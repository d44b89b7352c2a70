import type { IncomingMessage } from 'node:http'

/**
 * Shortest pause worth a timer. Below it the reader runs on, at most this far ahead of the
 * schedule, so a fast limit does not cost a timer per 64 KiB chunk.
 */
const MIN_PAUSE_MS = 50

/** Checks a read limit: a positive, finite number of bytes per second, or undefined for none. */
export function checkRate(bytesPerSecond: number | undefined): number | undefined {
  if (bytesPerSecond === undefined) return undefined
  if (!(bytesPerSecond > 0 && Number.isFinite(bytesPerSecond))) {
    throw new RangeError('storageBytesPerSecond must be a positive number')
  }
  return bytesPerSecond
}

/**
 * Returns the function to call with the size of each body chunk read. Whenever reading runs ahead
 * of `bytesPerSecond` since the start, it pauses the request, which stops the socket and lets TCP
 * push back on the client as a slow link would, and resumes it once back on schedule. The timer is
 * unref'd and a destroyed request is not resumed, so close() is never held up.
 */
export function throttle(
  req: IncomingMessage,
  bytesPerSecond: number | undefined
): (chunkBytes: number) => void {
  if (bytesPerSecond === undefined) return () => {}
  const started = Date.now()
  let bytes = 0
  return (chunkBytes) => {
    bytes += chunkBytes
    const ahead = started + (bytes / bytesPerSecond) * 1000 - Date.now()
    if (ahead < MIN_PAUSE_MS) return
    req.pause()
    setTimeout(() => {
      if (!req.destroyed) req.resume()
    }, ahead).unref()
  }
}
