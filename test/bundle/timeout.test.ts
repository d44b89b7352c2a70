import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/emulator.ts'
import type { ActionRun } from '../../scripts/run-action.ts'
import { emulatorWith, inputsFor, runAction, workspace } from '../support/bundle.ts'
import { sha256, STALL_ALLOWANCE } from '../support/harness.ts'

const MiB = 1024 * 1024

/** Runs the bundle on one file `big.bin`; `onLine` sees each log line as it arrives. */
async function upload(
  emulator: Emulator,
  bytes: Buffer,
  inputs: Record<string, string>,
  onLine: (line: string) => void = () => {}
): Promise<ActionRun> {
  return runAction({
    workspace: await workspace({ 'big.bin': bytes }),
    inputs: inputsFor(emulator, { files: 'big.bin', ...inputs }),
    env: { EMPIRICALRUN_RETRY_BASE_MS: '0' },
    onStart: (child) => {
      let pending = ''
      child.stdout?.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString()).split('\n')
        pending = lines.pop() ?? ''
        for (const line of lines) onLine(line)
      })
    }
  })
}

function puts(emulator: Emulator): number {
  return emulator.requests.filter((request) => request.step === 'put').length
}

describe('request-timeout and a slow storage (through dist/)', () => {
  it('a 6 MiB file at 1 MiB/s with request-timeout 2 uploads on its first try', async () => {
    // Several MiB sit in socket buffers after the last write; storage needs seconds to read them.
    const emulator = await emulatorWith({ storageBytesPerSecond: MiB })
    const bytes = randomBytes(6 * MiB)
    const result = await upload(emulator, bytes, { 'request-timeout': '2', retries: '1' })
    expect(result.log).not.toContain('↻')
    expect(result.code).toBe(0)
    expect(puts(emulator)).toBe(1)
    expect(emulator.uploaded().map((file) => file.stored?.sha256)).toEqual([sha256(bytes)])
  }, 60_000)

  it('a storage that stops reading a 64 MiB body after 2 MiB is cut off within the timeout, and the retry succeeds', async () => {
    const emulator = await emulatorWith()
    emulator.faults.push({ step: 'put', action: { type: 'stall', afterBytes: 2 * MiB } })
    const bytes = randomBytes(64 * MiB)
    let cutOffAt: number | undefined
    const result = await upload(emulator, bytes, { 'request-timeout': '2' }, (line) => {
      if (line.includes('↻ big.bin: upload failed')) cutOffAt ??= Date.now()
    })
    expect(result.log).toMatch(
      new RegExp(
        String.raw`↻ big\.bin: upload failed: no progress and no answer for 2 s${STALL_ALLOWANCE}; retry 1 of 5`
      )
    )
    const stalled = emulator.requests.find((request) => request.stalledAt !== undefined)
    expect(stalled?.bodyBytes).toBeGreaterThanOrEqual(2 * MiB)
    expect(stalled?.bodyBytes).toBeLessThan(3 * MiB)
    // Timed from the moment storage stopped reading, to the retry line in the log.
    const cutOffMs = (cutOffAt ?? Number.NaN) - (stalled?.stalledAt ?? Number.NaN)
    expect(cutOffMs).toBeGreaterThanOrEqual(2000 - 50)
    expect(cutOffMs).toBeLessThanOrEqual(2000 + 1500)
    expect(result.code).toBe(0)
    expect(puts(emulator)).toBe(2)
    expect(emulator.uploaded().map((file) => file.stored?.sha256)).toEqual([sha256(bytes)])
  }, 60_000)
})
