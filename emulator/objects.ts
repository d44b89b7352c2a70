// Stored objects' bytes on disk (keepBytes: 'disk'): one file per stored object, in a folder the
// emulator makes when it starts and removes when it closes, so that a GiB upload can be read back
// without the emulator holding the GiB in memory.
import { once } from 'node:events'
import { closeSync, createWriteStream, ftruncateSync, openSync, rmSync } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { mkdtemp, open, rm } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The folder of one emulator's objects, and the number of the last file made in it. */
export interface ObjectsDir {
  path: string
  count: number
}

/** Makes a fresh folder under the system's temp dir. */
export async function makeObjectsDir(): Promise<ObjectsDir> {
  return { path: await mkdtemp(join(tmpdir(), 'emulator-objects-')), count: 0 }
}

/** Removes the folder and everything in it; a file still open elsewhere just loses its name. */
export async function removeObjectsDir(dir: ObjectsDir): Promise<void> {
  await rm(dir.path, { recursive: true, force: true })
}

/** A new file name in the folder; names are never reused, so a late unlink cannot hit a new file. */
function nextPath(dir: ObjectsDir): string {
  dir.count += 1
  return join(dir.path, `${dir.count}.bin`)
}

/** Removes one object's file now; missing is fine (the folder may be gone already). */
export function removeObject(path: string | undefined): void {
  if (path !== undefined) rmSync(path, { force: true })
}

/** A file of `size` zero bytes that costs no disk (sparse), for a seeded object. */
export function zeroFile(dir: ObjectsDir, size: number): string {
  const path = nextPath(dir)
  const fd = openSync(path, 'w')
  try {
    ftruncateSync(fd, size)
  } finally {
    closeSync(fd)
  }
  return path
}

/** Where a PUT body's stored bytes go while it is read. */
export interface ObjectWriter {
  /** The file being written. */
  path: string
  /** Writes a chunk; pauses the request while the file lags behind, so memory stays flat. */
  write(chunk: Buffer): void
  /** Waits until every byte is in the file and the file is closed; throws a write error. */
  finish(): Promise<void>
  /** Stops writing and removes the file. */
  discard(): Promise<void>
}

/** Starts writing a new file in the folder for the body of `req`. */
export function writeObject(dir: ObjectsDir, req: IncomingMessage): ObjectWriter {
  const path = nextPath(dir)
  const out = createWriteStream(path, { highWaterMark: 1024 * 1024 })
  let error: Error | undefined
  out.on('error', (cause: Error) => (error ??= cause))
  const closed = once(out, 'close').catch(() => {})
  let waiting = false
  return {
    path,
    write(chunk) {
      if (out.write(chunk) || waiting) return
      waiting = true
      req.pause()
      out.once('drain', () => {
        waiting = false
        if (!req.destroyed) req.resume()
      })
    },
    async finish() {
      out.end()
      await closed
      if (error) throw error
    },
    async discard() {
      out.destroy()
      await closed
      removeObject(path)
    }
  }
}

/** Opens an object's file for reading; undefined when it is gone. */
export async function openObject(path: string): Promise<FileHandle | undefined> {
  return open(path, 'r').catch(() => undefined)
}
