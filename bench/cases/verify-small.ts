// Case 8: what `verify` costs on case 1's 150 small files at 20 ms: every file read back once
// confirmed (two more requests a file), against the same run without the input, one run of each
// per repetition, the one that goes first alternating. What a verify run checks is in fixtures.ts.
import {
  alternate,
  emulatorWith,
  expectAllSmall,
  landedIn,
  ratioCell,
  row,
  SMALL,
  smallWorkspace,
  uploadInputs,
  verifyRun,
  type BenchCase,
  type VerifyRun
} from '../fixtures.ts'
import { loadAverage, ms, removeDir, times, wallOf } from '../lib.ts'

/** The target of verify on many small files. */
const MAX_RATIO = 1.6

export const verifySmall: BenchCase = {
  number: 8,
  name: 'verify-small',
  measures: `verify: ${SMALL.files} files of ${SMALL.size} bytes, ${SMALL.latency} ms latency, each read back (2 more requests per file)`,
  async run({ reps }) {
    const { files, latency } = SMALL
    // keepBytes (in memory, 300 KiB in all), so that the download URLs serve the bytes.
    const emulator = await emulatorWith({ latencyMs: latency, keepBytes: true })
    const ws = await smallWorkspace('verify-small')
    const run = (extra: Record<string, string>) => async (): Promise<VerifyRun> => {
      const inputs = uploadInputs(emulator, 'reports/', extra)
      const done = await verifyRun(emulator, ws, inputs, files, 'verify')
      expectAllSmall(emulator, 'verify')
      return done
    }
    const runs = await alternate(reps.pair, run({ verify: 'true' }), run({}), { warmUp: true })
    const landed = landedIn(runs.a, 'verify, small files')
    const [withMs, withoutMs] = [wallOf(runs.a), wallOf(runs.b)]
    const ratio = withMs / withoutMs
    console.log(
      `  with verify: median ${ms(withMs)}, ${runs.a[0]?.downloads} downloads per run; without: median ${ms(withoutMs)}; ${times(ratio)}, ${ms((withMs - withoutMs) / files)} more per file; load average ${loadAverage()}`
    )
    if (!landed.landed) console.log(`  (${landed.note})`)
    await emulator.close()
    await removeDir(ws)
    return [
      row(
        {
          case: `8. ${files} × 2 KiB, ${latency} ms: verify ÷ without`,
          action: ms(withMs),
          baseline: `${ms(withoutMs)} (without)`,
          ratio: ratioCell(times(ratio), landed),
          target: `≤ ${MAX_RATIO}×`
        },
        landed.landed ? ratio <= MAX_RATIO : undefined
      )
    ]
  }
}
