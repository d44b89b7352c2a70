// Case 8: what `verify` costs on case 1's 150 small files at 20 ms: every file read back once
// confirmed (two more requests a file), against the same run without the input, one run of each
// per repetition, the one that goes first alternating. What a verify run checks is in fixtures.ts.
// The run with verify is also set against the pipelined floor of cases 1 and 10 with a depth of
// 5 requests a file rather than 3 (create, PUT, confirm, the record's GET, the download).
import {
  alternate,
  dryRunInputs,
  emulatorWith,
  expectAllSmall,
  floorSum,
  landedIn,
  pipelinedFloor,
  ratioCell,
  row,
  SMALL,
  smallWorkspace,
  uploadInputs,
  verifyRun,
  type BenchCase,
  type Landed,
  type Row,
  type VerifyRun
} from '../fixtures.ts'
import {
  expectSuccess,
  loadAverage,
  ms,
  removeDir,
  runBundle,
  times,
  wallOf,
  type ActionMeasured
} from '../lib.ts'

/** Requests one after another for a file with verify: create, PUT, confirm, GET, download. */
const VERIFY_DEPTH = 5

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
    const floor = await verifyFloor(ws, reps.floor)
    console.log(
      `  pipelined floor with verify: ${floor.sum} = ${ms(floor.ms)}; with verify ${times(withMs / floor.ms)} the floor`
    )
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
      ),
      floorRow(withMs, floor, landed)
    ]
  }
}

/** The pipelined floor of a run with verify, its start-up the median of `reps` dry runs. */
async function verifyFloor(ws: string, reps: number): Promise<{ ms: number; sum: string }> {
  const dry: ActionMeasured[] = []
  for (let i = 0; i < reps; i++) {
    const run = await runBundle({ workspace: ws, inputs: dryRunInputs('reports/') })
    expectSuccess(run, 'dry run')
    dry.push(run)
  }
  const { files, latency, concurrency } = SMALL
  const parts = { startUp: wallOf(dry), files, latency, concurrency, depth: VERIFY_DEPTH }
  return { ms: pipelinedFloor(parts), sum: floorSum(parts) }
}

/** Case 8's run with verify against its pipelined floor: for information, no target yet. */
function floorRow(withMs: number, floor: { ms: number }, landed: Landed): Row {
  return row(
    {
      case: `8. ${SMALL.files} × 2 KiB, ${SMALL.latency} ms: verify ÷ floor`,
      action: ms(withMs),
      baseline: `${ms(floor.ms)} (pipelined floor, ${VERIFY_DEPTH} requests deep)`,
      ratio: ratioCell(times(withMs / floor.ms), landed),
      target: '—'
    },
    undefined
  )
}
