import type { Hash } from 'node:crypto'
import fsSync, { promises as fs } from 'node:fs'
import type { Dispatcher } from 'undici'
import { changedSize, FileChangedError, unreadableFile } from '../errors.ts'
import type { SendWatch } from './send-watch.ts'

/** What the PUT needs to know about the file on disk. */
export interface UploadSource {
  /** Absolute path. */
  absolutePath: string
  /** The size it had when listed; it must still have it. */
  size: number
  /** The Content-Type the upload URL was signed for. */
  mimeType: string
}

/** Called with the size of each part that has left for storage. */
export type SentListener = (bytes: number) => void

/**
 * A request body as undici takes it.
 * @internal Left out of the published declarations, which must not need undici's types.
 */
export type RequestBody = NonNullable<Dispatcher.RequestOptions['body']>

/** Read size for uploads: large enough for few syscalls, small enough to keep memory flat. */
const CHUNK_BYTES = 1024 * 1024

/**
 * Write size for uploads. Each write the socket takes is one sign of progress, so a smaller part
 * lets a slow link count as moving (at least this much per request-timeout). It stays twice the
 * socket's default high-water mark (64 KiB), so that every write waits for 'drain' (see readHashed).
 */
const PART_BYTES = 128 * 1024

/**
 * Files up to this size are read whole, in one synchronous read, and sent from memory: no
 * thread-pool round trips for the many small files of a test report, and at most this much held.
 */
export const WHOLE_READ_BYTES = 64 * 1024

/** A PUT's body, what releases it, and what checks the file once the body is sent. */
export interface OpenedBody {
  /** @internal undici's type, which the published declarations must not need. */
  body: RequestBody
  /** Releases what the body holds (the open file). */
  close(): Promise<void>
  /** Fails when the file vanished or changed size while it was being sent. */
  recheck(): Promise<void>
}

/**
 * The file as a PUT's body, hashed into `hash` as it is read, each part's progress reported to
 * the watch and to `onSent`. A small file is read whole before the send, so the bytes sent are the
 * bytes hashed and nothing can change under it; a larger one streams from an open handle and is
 * checked again once sent.
 */
export async function openBody(
  source: UploadSource,
  hash: Hash,
  watch: SendWatch,
  onSent?: SentListener
): Promise<OpenedBody> {
  if (source.size <= WHOLE_READ_BYTES) {
    const bytes = readWhole(source)
    hash.update(bytes)
    watch.finished()
    onSent?.(bytes.length)
    return { body: bytes, close: async () => {}, recheck: async () => {} }
  }
  const handle = await openUnchanged(source)
  return {
    body: fileBody(handle, source.size, hash, watch, onSent),
    close: () => handle.close(),
    recheck: () => assertUnchanged(source)
  }
}

/** A small file's bytes, read at once; it must still have the size it was listed with. */
function readWhole(source: UploadSource): Buffer {
  const fd = openSyncListed(source)
  try {
    const bytes = Buffer.allocUnsafe(source.size)
    let filled = 0
    while (filled < bytes.length) {
      const read = fsSync.readSync(fd, bytes, filled, bytes.length - filled, filled)
      if (read === 0) throw changedSize(source.size, filled, 'after it was listed')
      filled += read
    }
    return bytes
  } finally {
    fsSync.closeSync(fd)
  }
}

/** Opens the file synchronously and checks it still is the size that was listed. */
function openSyncListed(source: UploadSource): number {
  let fd: number
  try {
    fd = fsSync.openSync(source.absolutePath, 'r')
  } catch (error) {
    throw unreadableFile(error, 'after it was listed')
  }
  const { size } = fsSync.fstatSync(fd)
  if (size === source.size) return fd
  fsSync.closeSync(fd)
  throw changedSize(source.size, size, 'after it was listed')
}

/** Opens the file and checks it still is the size that was listed. */
async function openUnchanged(source: UploadSource): Promise<fs.FileHandle> {
  const handle = await fs.open(source.absolutePath, 'r').catch((error: unknown) => {
    throw unreadableFile(error, 'after it was listed')
  })
  const { size } = await handle.stat()
  if (size !== source.size) {
    await handle.close()
    throw changedSize(source.size, size, 'after it was listed')
  }
  return handle
}

/**
 * Fails as openUnchanged does unless the file opens and still has the size it was listed with.
 * Synchronous (one open, stat and close), so that files reach their creates in the order they
 * were started, and their records' IDs follow their paths.
 */
export function assertOpens(source: UploadSource): void {
  fsSync.closeSync(openSyncListed(source))
}

/** Fails when the file vanished or changed size while it was being sent. */
async function assertUnchanged(source: UploadSource): Promise<void> {
  const when = 'while it was being uploaded'
  const { size } = await fs.stat(source.absolutePath).catch((error: unknown) => {
    throw unreadableFile(error, when)
  })
  if (size !== source.size) throw changedSize(source.size, size, when)
}

/**
 * The PUT body of a file over WHOLE_READ_BYTES: exactly `size` bytes of the open file, hashed
 * into `hash` as they are read, each part's progress and the body's end reported to the watch,
 * each part sent to `onSent`.
 * @internal Its type is undici's, which the published declarations must not need.
 */
export function fileBody(
  handle: fs.FileHandle,
  size: number,
  hash: Hash,
  watch: SendWatch,
  onSent?: SentListener
): RequestBody {
  // undici sends an async iterable as a body (lib/core/request.js), though its types list only streams.
  return watched(readHashed(handle, size, hash, onSent), watch) as unknown as RequestBody
}

/**
 * Exactly `size` bytes of the file, hashed as they are read, in chunks read ahead one at a time
 * and handed to undici in parts of PART_BYTES.
 *
 * Two buffers serve the whole file, so memory stays flat at any size. Reusing a buffer is safe
 * because undici pulls the next part only after the socket has drained the previous one: a part
 * larger than the socket's high-water mark always makes `write` return false, and undici then
 * waits for 'drain' (client-h1 writeIterable). Only the file's last part can be smaller, and no
 * read follows it. The read of chunk k+1 overlaps the send of chunk k; its buffer held chunk k-1,
 * whose parts had all drained before chunk k was asked for.
 */
async function* readHashed(
  handle: fs.FileHandle,
  size: number,
  hash: Hash,
  onSent?: SentListener
): AsyncGenerator<Buffer> {
  const length = Math.min(size, CHUNK_BYTES)
  const buffers = [Buffer.allocUnsafe(length), Buffer.allocUnsafe(length)] as const
  const readAt = (position: number, slot: 0 | 1): Promise<Buffer> => {
    const read = readChunk(handle, buffers[slot], position, Math.min(length, size - position), hash)
    // Marked handled now: if the upload fails while this read is pending, nobody awaits it.
    read.catch(() => {})
    return read
  }
  let position = 0
  let slot: 0 | 1 = 0
  let next: Promise<Buffer> | undefined = readAt(0, 0)
  try {
    while (next) {
      const chunk: Buffer = await next
      position += chunk.length
      slot = slot === 0 ? 1 : 0
      next = position < size ? readAt(position, slot) : undefined
      for (let offset = 0; offset < chunk.length; offset += PART_BYTES) {
        const part = chunk.subarray(offset, offset + PART_BYTES)
        yield part
        // undici asks for the next part only once this one is written and drained.
        onSent?.(part.length)
      }
    }
  } finally {
    await next?.catch(() => {})
  }
}

/** Passes the parts through: each pull is the connection taking the previous part. */
async function* watched(parts: AsyncIterable<Buffer>, watch: SendWatch): AsyncGenerator<Buffer> {
  // The first pull: connected, headers written, the body starts.
  watch.progress(0)
  for await (const part of parts) {
    yield part
    watch.progress(part.length)
  }
  watch.finished()
}

/** Fills `want` bytes of `buffer` from `position` and hashes them; a short file is a changed file. */
async function readChunk(
  handle: fs.FileHandle,
  buffer: Buffer,
  position: number,
  want: number,
  hash: Hash
): Promise<Buffer> {
  let filled = 0
  while (filled < want) {
    const { bytesRead } = await handle.read(buffer, filled, want - filled, position + filled)
    if (bytesRead === 0) {
      throw new FileChangedError(
        'the file changed size while it was being uploaded: it ended early'
      )
    }
    filled += bytesRead
  }
  const chunk = buffer.subarray(0, want)
  hash.update(chunk)
  return chunk
}
