// The body of a PUT on its own, pulled the way undici pulls it: what becomes of a read of the next
// chunk that fails, or is still under way, while the part before it is being sent; and which
// files are read whole before the send.
import { createHash } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import fs from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FileChangedError } from '../../../src/core/errors.ts'
import { assertOpens, fileBody, openBody, WHOLE_READ_BYTES } from '../../../src/core/http/body.ts'
import { SendWatch } from '../../../src/core/http/send-watch.ts'

const never = new AbortController().signal
const MiB = 1024 * 1024
const watches: SendWatch[] = []
afterEach(() => {
  for (const watch of watches.splice(0)) watch.stop()
})

/**
 * A file of `bytes` bytes, as a handle reads it. A read from `heldFrom` on waits until the
 * returned `release` is called; `pending` counts the reads under way.
 */
function disk(bytes: number, heldFrom = Infinity) {
  let release = (): void => {}
  const held = new Promise<void>((resolve) => {
    release = resolve
  })
  const state = { pending: 0, release: () => release() }
  const handle = {
    async read(buffer: Buffer, offset: number, length: number, position: number) {
      state.pending++
      try {
        if (position >= heldFrom) await held
        const bytesRead = Math.max(0, Math.min(length, bytes - position))
        buffer.fill(7, offset, offset + bytesRead)
        return { bytesRead, buffer }
      } finally {
        state.pending--
      }
    }
  }
  return { handle: handle as unknown as FileHandle, state }
}

/** The PUT body of a `size`-byte file read through `handle`, as an iterator undici would pull. */
function body(handle: FileHandle, size: number): AsyncIterator<Buffer> {
  const watch = new SendWatch(60_000, never)
  watches.push(watch)
  const parts = fileBody(handle, size, createHash('sha256'), watch) as AsyncIterable<Buffer>
  return parts[Symbol.asyncIterator]()
}

/** Lets the event loop turn, as it does while a part drains into the socket. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('fileBody', () => {
  it('a file that ends early while a part is being sent fails the body once, and no rejection goes unhandled', async () => {
    const unhandled: unknown[] = []
    const listener = (reason: unknown): void => {
      unhandled.push(reason)
    }
    process.on('unhandledRejection', listener)
    try {
      // Listed at 2 MiB, it holds only 1: the read ahead of the second MiB finds nothing.
      const parts = body(disk(MiB).handle, 2 * MiB)
      expect((await parts.next()).value).toHaveLength(128 * 1024)
      await turn()
      await turn()
      let error: unknown
      try {
        while (!(await parts.next()).done);
      } catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(FileChangedError)
      expect((error as Error).message).toBe(
        'the file changed size while it was being uploaded: it ended early'
      )
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', listener)
    }
  })

  it('abandoned mid-file, it ends only once the read under way is done, so the file can be closed', async () => {
    const { handle, state } = disk(2 * MiB, MiB)
    const parts = body(handle, 2 * MiB)
    await parts.next()
    expect(state.pending).toBe(1)
    let ended = false
    const ending = parts.return?.(undefined).then(() => {
      ended = true
    })
    await turn()
    expect(ended).toBe(false)
    state.release()
    await ending
    expect(ended).toBe(true)
    expect(state.pending).toBe(0)
  })
})

describe('assertOpens', () => {
  it('passes a file that opens at its listed size, and closes what it opened', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'body-opens-'))
    const file = path.join(dir, 'a.txt')
    await writeFile(file, 'alpha')
    const close = vi.spyOn(fs, 'closeSync')
    try {
      const source = { absolutePath: file, size: 5, mimeType: 'text/plain' }
      expect(assertOpens(source)).toBeUndefined()
      expect(close).toHaveBeenCalledTimes(1)
      expect(() => assertOpens({ ...source, size: 3 })).toThrow(
        new FileChangedError('the file changed size from 3 to 5 bytes after it was listed')
      )
      expect(close).toHaveBeenCalledTimes(2)
      expect(() => assertOpens({ ...source, absolutePath: path.join(dir, 'gone.txt') })).toThrow(
        new FileChangedError('the file disappeared after it was listed')
      )
      expect(close).toHaveBeenCalledTimes(2)
    } finally {
      vi.restoreAllMocks()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('openBody', () => {
  /** A file of `size` bytes in a fresh folder, its source, and what the body reported. */
  async function opened(size: number) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'body-open-'))
    const file = path.join(dir, 'f.bin')
    const bytes = Buffer.alloc(size, 5)
    await writeFile(file, bytes)
    const watch = new SendWatch(60_000, never)
    watches.push(watch)
    const finished = vi.spyOn(watch, 'finished')
    const sent: number[] = []
    const hash = createHash('sha256')
    const source = { absolutePath: file, size, mimeType: 'application/octet-stream' }
    const body = await openBody(source, hash, watch, (part) => sent.push(part))
    const cleanup = async (): Promise<void> => {
      await body.close()
      await rm(dir, { recursive: true, force: true })
    }
    return { body, bytes, file, hash, sent, finished, cleanup }
  }

  it(`reads a file of up to ${WHOLE_READ_BYTES} bytes whole: its bytes, hashed and counted, the body already sent whole`, async () => {
    const run = await opened(WHOLE_READ_BYTES)
    try {
      expect(Buffer.isBuffer(run.body.body)).toBe(true)
      expect(Buffer.compare(run.body.body as Buffer, run.bytes)).toBe(0)
      expect(run.hash.digest('hex')).toBe(createHash('sha256').update(run.bytes).digest('hex'))
      expect(run.sent).toEqual([WHOLE_READ_BYTES])
      expect(run.finished).toHaveBeenCalledTimes(1)
      // Read before the send: a change after it cannot reach the bytes sent, so nothing is checked.
      await writeFile(run.file, 'shorter')
      await expect(run.body.recheck()).resolves.toBeUndefined()
    } finally {
      await run.cleanup()
    }
  })

  it('streams a larger file, and checks it again after the send', async () => {
    const run = await opened(WHOLE_READ_BYTES + 1)
    try {
      expect(Buffer.isBuffer(run.body.body)).toBe(false)
      expect(run.sent).toEqual([])
      expect(run.finished).not.toHaveBeenCalled()
      await expect(run.body.recheck()).resolves.toBeUndefined()
      await writeFile(run.file, 'shorter')
      await expect(run.body.recheck()).rejects.toThrow(
        new FileChangedError(
          `the file changed size from ${WHOLE_READ_BYTES + 1} to 7 bytes while it was being uploaded`
        )
      )
    } finally {
      await run.cleanup()
    }
  })

  it('refuses a small file that changed size or vanished since it was listed, closing what it opened', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'body-open-'))
    const file = path.join(dir, 'a.txt')
    await writeFile(file, 'alpha')
    const close = vi.spyOn(fs, 'closeSync')
    const watch = new SendWatch(60_000, never)
    watches.push(watch)
    const source = { absolutePath: file, size: 3, mimeType: 'text/plain' }
    try {
      await expect(openBody(source, createHash('sha256'), watch)).rejects.toThrow(
        new FileChangedError('the file changed size from 3 to 5 bytes after it was listed')
      )
      expect(close).toHaveBeenCalledTimes(1)
      // Shorter by the time it is read, after its size was checked: two bytes, then nothing.
      const reads = vi.spyOn(fs, 'readSync').mockReturnValueOnce(2).mockReturnValueOnce(0)
      await expect(openBody({ ...source, size: 5 }, createHash('sha256'), watch)).rejects.toThrow(
        new FileChangedError('the file changed size from 5 to 2 bytes after it was listed')
      )
      expect(reads).toHaveBeenCalledTimes(2)
      expect(close).toHaveBeenCalledTimes(2)
      const gone = { ...source, absolutePath: path.join(dir, 'gone.txt') }
      await expect(openBody(gone, createHash('sha256'), watch)).rejects.toThrow(
        new FileChangedError('the file disappeared after it was listed')
      )
    } finally {
      vi.restoreAllMocks()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('refuses a larger file that changed size or vanished since it was listed, and closes its handle', async () => {
    const run = await opened(WHOLE_READ_BYTES + 1)
    const opens = vi.spyOn(fs.promises, 'open')
    const watch = new SendWatch(60_000, never)
    watches.push(watch)
    const source = {
      absolutePath: run.file,
      size: WHOLE_READ_BYTES + 2,
      mimeType: 'application/octet-stream'
    }
    try {
      await expect(openBody(source, createHash('sha256'), watch)).rejects.toThrow(
        new FileChangedError(
          `the file changed size from ${WHOLE_READ_BYTES + 2} to ${WHOLE_READ_BYTES + 1} bytes after it was listed`
        )
      )
      const refused = (await opens.mock.results[0]?.value) as FileHandle
      expect(refused.fd).toBe(-1)
      const gone = { ...source, absolutePath: `${run.file}.gone` }
      await expect(openBody(gone, createHash('sha256'), watch)).rejects.toThrow(
        new FileChangedError('the file disappeared after it was listed')
      )
      const kept = await openBody(
        { ...source, size: WHOLE_READ_BYTES + 1 },
        createHash('sha256'),
        watch
      )
      const handle = (await opens.mock.results[2]?.value) as FileHandle
      expect(handle.fd).toBeGreaterThan(-1)
      await kept.close()
      expect(handle.fd).toBe(-1)
    } finally {
      vi.restoreAllMocks()
      await run.cleanup()
    }
  })

  it('sends an empty file as an empty body', async () => {
    const run = await opened(0)
    try {
      expect(run.body.body).toEqual(Buffer.alloc(0))
      expect(run.sent).toEqual([0])
    } finally {
      await run.cleanup()
    }
  })
})
