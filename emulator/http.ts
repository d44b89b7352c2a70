import type { FileHandle } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { setTimeout as delay } from 'node:timers/promises'
import type { S3Code } from './s3errors.ts'
import { S3_ERRORS, s3ErrorXml } from './s3errors.ts'
import type { RecordedRequest } from './types.ts'

/** One request being handled, with its entry in `requests`. */
export interface Exchange {
  /** The incoming request. */
  req: IncomingMessage
  /** The response to write. */
  res: ServerResponse
  /** The recorded entry; its status and bodyBytes are updated as the exchange goes. */
  rec: RecordedRequest
  /** When true (lost-answer fault), `send` destroys the socket instead of answering. */
  drop: boolean
  /** Reports a change to the owner (EmulatorOptions.onChange). */
  notify: () => void
}

/** Splits a request target into its path and its raw query (without '?'). */
export function splitTarget(target: string | undefined): [path: string, query: string] {
  const url = target ?? '/'
  const mark = url.indexOf('?')
  return mark < 0 ? [url, ''] : [url.slice(0, mark), url.slice(mark + 1)]
}

/** Bodies up to this size are drained before an early error answer so the client reads it cleanly. */
const DRAIN_LIMIT = 16 * 1024 * 1024

/** Waits `ms` without keeping the process alive (close() must not wait for it). */
export async function sleep(ms: number): Promise<void> {
  if (ms > 0) await delay(ms, undefined, { ref: false })
}

/** Answers the exchange, or drops the connection when `ex.drop` is set. */
export function send(
  ex: Exchange,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer = ''
): void {
  const { res } = ex
  if (ex.drop) {
    res.socket?.destroy()
    return
  }
  if (res.headersSent || res.destroyed) return
  ex.rec.status = status
  // Before the answer leaves, so a state file is current by the time the client sees it.
  ex.notify()
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) })
  res.end(body)
}

/**
 * Answers with the `size` bytes of an open file, streamed (the file is closed at the end), or
 * drops the connection when `ex.drop` is set. A client that goes away ends the stream quietly.
 */
export async function sendStream(
  ex: Exchange,
  status: number,
  headers: Record<string, string>,
  file: FileHandle,
  size: number
): Promise<void> {
  const { res } = ex
  if (ex.drop || res.headersSent || res.destroyed) {
    await file.close()
    if (ex.drop) res.socket?.destroy()
    return
  }
  ex.rec.status = status
  ex.notify()
  res.writeHead(status, { ...headers, 'content-length': String(size) })
  if (size === 0) {
    await file.close()
    res.end()
    return
  }
  const body = file.createReadStream({ start: 0, end: size - 1, highWaterMark: 1024 * 1024 })
  await pipeline(body, res).catch(() => res.destroy())
}

/** Answers with a JSON body. */
export function sendJson(ex: Exchange, status: number, value: unknown): void {
  send(ex, status, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(value))
}

/** Answers with an S3 XML error; status and message default to the code's usual ones. */
export function sendS3Error(ex: Exchange, code: S3Code, status?: number, message?: string): void {
  const [usualStatus, usualMessage] = S3_ERRORS[code]
  const body = s3ErrorXml(code, message ?? usualMessage)
  send(ex, status ?? usualStatus, { 'content-type': 'application/xml' }, body)
}

/** How a body read ended: fully, cut by the client, or stopped by the consumer. */
export type PumpResult = 'end' | 'aborted' | 'stopped'

/**
 * Feeds body chunks to `onChunk`, which returns whether to go on, until the body ends or the client
 * goes away. On false the stream is paused, not destroyed: a stalled reader keeps the socket open.
 */
export function pump(ex: Exchange, onChunk: (chunk: Buffer) => boolean): Promise<PumpResult> {
  const { req, rec } = ex
  const socket = req.socket
  let onSocketClose = (): void => {}
  return new Promise<PumpResult>((resolve) => {
    if (req.complete && req.readableEnded) return resolve('end')
    const onData = (chunk: Buffer): void => {
      rec.bodyBytes += chunk.length
      if (onChunk(chunk) === false) {
        req.off('data', onData)
        req.pause()
        resolve('stopped')
      }
    }
    // A body cut short by a parse error (the clientError handler answers and destroys the
    // socket) gets no 'close' of its own: the socket's close says that the client is gone.
    onSocketClose = () => {
      if (!req.complete) resolve('aborted')
    }
    socket.once('close', onSocketClose)
    req.on('data', onData)
    req.once('end', () => resolve('end'))
    req.once('error', () => resolve('aborted'))
    req.once('close', () => resolve(req.complete ? 'end' : 'aborted'))
  }).finally(() => socket.off('close', onSocketClose))
}

/** Reads and discards the whole body. */
export async function drain(ex: Exchange): Promise<PumpResult> {
  return pump(ex, () => true)
}

/**
 * Drains a small body so an early error answer reaches the client; a large one is not read and
 * the connection is closed after the answer instead, as S3 does.
 */
export async function prepareEarlyAnswer(ex: Exchange): Promise<void> {
  if (Number(ex.req.headers['content-length'] ?? 0) > DRAIN_LIMIT) {
    ex.res.setHeader('connection', 'close')
    return
  }
  let seen = 0
  const result = await pump(ex, (chunk) => (seen += chunk.length) <= DRAIN_LIMIT)
  if (result !== 'end') ex.res.setHeader('connection', 'close')
}

/** Reads a whole body into memory, giving up past `limit` bytes. */
export async function readAll(
  ex: Exchange,
  limit: number
): Promise<Buffer | 'too-large' | 'aborted'> {
  const chunks: Buffer[] = []
  let size = 0
  const result = await pump(ex, (chunk) => {
    size += chunk.length
    chunks.push(chunk)
    return size <= limit
  })
  if (result === 'aborted') return 'aborted'
  if (result === 'stopped') return 'too-large'
  return Buffer.concat(chunks)
}
