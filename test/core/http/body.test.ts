// The body of a PUT on its own, pulled the way undici pulls it: what becomes of a read of the next
// chunk that fails, or is still under way, while the part before it is being sent.
import { createHash } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import fs from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FileChangedError } from '../../../src/core/errors.ts'
import { assertOpens, fileBody } from '../../../src/core/http/body.ts'
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
