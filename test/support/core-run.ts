// The workers (runWorkers) run in this process: over the memory transport (memoryScene), or against
// one emulator a test file (poolScene). Each scene has a scratch directory for the files it sends,
// and checks that each outcome is reported once.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { startEmulator, type Emulator } from '../../emulator/emulator.ts'
import type { LocalFile } from '../../src/core/files/files.ts'
import type { ClientOptions } from '../../src/core/http/client.ts'
import type { Transport } from '../../src/core/http/transport.ts'
import type { TransferOptions } from '../../src/core/transfer/journey.ts'
import type { Outcome } from '../../src/core/transfer/outcome.ts'
import { runWorkers } from '../../src/core/transfer/workers.ts'

/** A signal that never aborts. */
export const never = new AbortController().signal

/** What a test file of the workers works with. */
export interface Scene {
  /** Writes each file into the scratch directory, named as given, listed under `files/`. */
  localFiles(contents: Record<string, string | Buffer>): Promise<LocalFile[]>
  /** Runs the workers and checks that onOutcome saw each outcome once. */
  run(
    ctx: TransferOptions,
    files: readonly LocalFile[],
    concurrency?: number,
    signal?: AbortSignal,
    onOutcome?: (outcome: Outcome) => void
  ): Promise<Outcome[]>
}

/** A scene against one emulator, which starts before the first test. */
export interface PoolScene extends Scene {
  /** The emulator, with storage honest again and its records cleared after each test. */
  readonly emulator: Emulator
  /** A client's options against `target` (the scene's emulator unless given). */
  clientOptions(overrides?: Partial<ClientOptions>, target?: Emulator): ClientOptions
  /** Keeps `client` to close after the test, and returns it. */
  track<Client extends Transport>(client: Client): Client
}

/** A scene whose transport a test makes (test/support/memory-transport.ts); `name` names its directory. */
export function memoryScene(name: string): Scene {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), `${name}-`))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })
  return {
    localFiles: async (contents) =>
      Promise.all(
        Object.entries(contents).map(([fileName, content]) => write(dir, fileName, content))
      ),
    run: async (ctx, files, concurrency = 2, signal = never, onOutcome = () => {}) => {
      const reported: Outcome[] = []
      const outcomes = await runWorkers(ctx, files, concurrency, signal, (outcome) => {
        reported.push(outcome)
        onOutcome(outcome)
      })
      expect(reported).toHaveLength(files.length)
      expect(new Set(reported)).toEqual(new Set(outcomes))
      return outcomes
    }
  }
}

async function write(dir: string, fileName: string, content: string | Buffer): Promise<LocalFile> {
  const absolutePath = path.join(dir, fileName)
  await writeFile(absolutePath, content)
  return {
    absolutePath,
    path: `files/${fileName}`,
    name: fileName,
    size: Buffer.byteLength(content),
    mimeType: 'text/plain'
  }
}

/** Starts an emulator of `project` for this test file; `name` names its directory and user agent. */
export function poolScene(project: number, name: string): PoolScene {
  let emulator: Emulator | undefined
  const clients: Transport[] = []
  const started = (): Emulator => {
    if (!emulator) throw new Error('the emulator starts before the first test')
    return emulator
  }

  beforeAll(async () => {
    emulator = await startEmulator({ projects: [project] })
  })
  afterAll(async () => {
    await emulator?.close()
  })
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()))
    started().setCorrupt(undefined)
    started().reset()
  })

  return {
    ...memoryScene(name),
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
    }
  }
}
