// Soak: hundreds of files through the bundled action while a share of all requests fail at random
// (the emulator's seeded chaos mode: 503 and 429 from the API, creates and confirms applied with
// their answers lost, storage 500, 503 and resets mid-body). Whatever happens, the outputs must
// agree with what the server holds.
import { createHash, randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/emulator.ts'
import type { ActionRun } from '../../scripts/run-action.ts'
import { emulatorWith, inputsFor, runAction, workspace } from '../support/bundle.ts'

const FILES = 400
const SEEDS = [1, 2, 3]
const RATES = [0.1, 0.3]

let emulator: Emulator
let dir: string
/** Name → sha256 of the bytes on disk, in path order. */
const local = new Map<string, string>()

beforeAll(async () => {
  emulator = await emulatorWith()
  const files: Record<string, Buffer> = {}
  for (let i = 0; i < FILES; i++) {
    // Every 40th file is over 1 MiB, so that PUTs are reset mid-body across several read chunks.
    const size = i % 40 === 0 ? 1024 * 1024 + 1000 * i : 1 + ((i * 7919) % 20_000)
    files[`f${String(i).padStart(3, '0')}.bin`] = randomBytes(size)
  }
  dir = await workspace(files)
  for (const [name, bytes] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    local.set(name, createHash('sha256').update(bytes).digest('hex'))
  }
})

async function soak(rate: number, seed: number): Promise<ActionRun> {
  emulator.reset()
  emulator.setChaos({ rate, seed })
  const result = await runAction({
    workspace: dir,
    inputs: inputsFor(emulator, { files: '*.bin', 'request-timeout': '5' }),
    env: { EMPIRICALRUN_RETRY_BASE_MS: '1' },
    timeoutMs: 60_000
  })
  emulator.setChaos(undefined)
  return result
}

/**
 * Failed files whose confirm and read-back both went unanswered: the action says so, and that the
 * project may list them as uploaded (UnknownStateError), for the server may have applied the
 * confirm whose answer was lost.
 */
function unknownState(log: string): Set<string> {
  const lines = log.matchAll(/✗ (\S+): .*so its state is unknown: the project may list it/g)
  return new Set([...lines].map((match) => match[1] ?? ''))
}

/** The promise the action makes, checked against the emulator's own records. */
function expectOutputsAgreeWithServer(result: ActionRun): void {
  const failed = new Set(JSON.parse(result.outputs['failed-files'] ?? '') as string[])
  const unknown = unknownState(result.log)
  const ids = JSON.parse(result.outputs['file-ids'] ?? '') as number[]
  const uploaded = emulator.uploaded()
  const expected: number[] = []
  for (const [name, sha] of local) {
    const records = uploaded.filter((record) => record.name === name)
    if (failed.has(name)) {
      // Named as failed: then the server must not hold it, unless the action said it may.
      const most = unknown.has(name) ? 1 : 0
      expect(records.length, `${name} is in failed-files and uploaded`).toBeLessThanOrEqual(most)
      continue
    }
    expect(records, `${name} must be uploaded exactly once`).toHaveLength(1)
    expect(records[0]?.stored?.sha256, `${name} holds the bytes on disk`).toBe(sha)
    expected.push(records[0]!.id)
  }
  const mayHold = [...unknown].filter((name) => uploaded.some((record) => record.name === name))
  expect(uploaded).toHaveLength(local.size - failed.size + mayHold.length)
  expect(ids).toEqual(expected)
  expect(result.outputs.count).toBe(String(expected.length))
  expect(result.code === 0).toBe(failed.size === 0)
  expect(result.log).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/)
}

describe.each(RATES)('%s of all requests fail at random', (rate) => {
  it.each(SEEDS)(
    `${FILES} files, seed %i: every file uploaded once or named as failed`,
    async (seed) => {
      const result = await soak(rate, seed)
      const stats = emulator.chaosStats()
      const injected = Object.values(stats).reduce((sum, count) => sum + count, 0)
      const requests = emulator.requests.filter((request) => request.step !== 'other').length
      // The faults happened, at about the rate asked for.
      expect(injected / requests).toBeGreaterThan(rate * 0.7)
      expect(injected / requests).toBeLessThan(rate * 1.3)
      for (const kind of ['create:lost-answer', 'confirm:lost-answer', 'put:reset-mid-body']) {
        expect(stats[kind], kind).toBeGreaterThan(0)
      }
      expectOutputsAgreeWithServer(result)
    }
  )
})
