// The upload pool (runWorkers) run in this process against one emulator a test file: a scratch
// directory for the files it sends, clients closed after each test, and each outcome reported once.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { startEmulator, type Emulator } from '../../emulator/emulator.ts'
import type { LocalFile } from '../../src/core/files/files.ts'
import type { ClientOptions, FilesClient } from '../../src/core/http/client.ts'
import { runWorkers } from '../../src/core/transfer/upload-pool.ts'
import type { Outcome, TransferOptions } from '../../src/core/transfer/upload.ts'

/** A signal that never aborts. */
export const never = new AbortController().signal

/** What a test file of the pool works with; its emulator starts before the first test. */
export interface PoolScene {
  /** The emulator, with storage honest again and its records cleared after each test. */
  readonly emulator: Emulator
  /** A client's options against `target` (the scene's emulator unless given). */
  clientOptions(overrides?: Partial<ClientOptions>, target?: Emulator): ClientOptions
  /** Keeps `client` to close after the test, and returns it. */
  track<Client extends FilesClient>(client: Client): Client
  /** Writes each file into the scratch directory, named as given, listed under `files/`. */
  localFiles(contents: Record<string, string | Buffer>): Promise<LocalFile[]>
  /** Runs the pool and checks that onOutcome saw each outcome once. */
  run(
    ctx: TransferOptions,
    files: readonly LocalFile[],
    concurrency?: number,
    signal?: AbortSignal
  ): Promise<Outcome[]>
}

/** Starts an emulator of `project` for this test file; `name` names its directory and user agent. */
export function poolScene(project: number, name: string): PoolScene {
  let emulator: Emulator | undefined
  let dir = ''
  const clients: FilesClient[] = []
  const started = (): Emulator => {
    if (!emulator) throw new Error('the emulator starts before the first test')
    return emulator
  }

  beforeAll(async () => {
    emulator = await startEmulator({ projects: [project] })
    dir = await mkdtemp(path.join(os.tmpdir(), `${name}-`))
  })
  afterAll(async () => {
    await emulator?.close()
    await rm(dir, { recursive: true, force: true })
  })
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()))
    started().setCorrupt(undefined)
    started().reset()
  })

  return {
    get emulator() {
      return started()
    },
    clientOptions: (overrides = {}, target = started()) => ({
      baseUrl: target.apiUrl,
      authKey: target.apiKey,
      connections: 8,
      requestTimeoutMs: 5000,
      userAgent: `${name}/1.0`,
      ...overrides
    }),
    track: (client) => {
      clients.push(client)
      return client
    },
    localFiles: async (contents) =>
      Promise.all(
        Object.entries(contents).map(async ([fileName, content]) => {
          const absolutePath = path.join(dir, fileName)
          await writeFile(absolutePath, content)
          const size = Buffer.byteLength(content)
          return {
            absolutePath,
            path: `files/${fileName}`,
            name: fileName,
            size,
            mimeType: 'text/plain'
          }
        })
      ),
    run: async (ctx, files, concurrency = 2, signal = never) => {
      const reported: Outcome[] = []
      const outcomes = await runWorkers(ctx, files, concurrency, signal, (outcome) =>
        reported.push(outcome)
      )
      expect(reported).toHaveLength(files.length)
      expect(new Set(reported)).toEqual(new Set(outcomes))
      return outcomes
    }
  }
}
