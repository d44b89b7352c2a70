// Case 9: what `verify` costs on one 1 GiB file with no added latency, against the same run
// without the input (one run of each per repetition, the one that goes first alternating), and
// the peak RSS of the runs with it against a dry run of the same file. The emulator keeps stored
// objects on disk (keepBytes 'disk'), so that the download streams from a file and this process
// stays small. What a verify run checks is in fixtures.ts.
import path from 'node:path'
import type { Emulator } from '../../emulator/emulator.ts'
import {
  bigFile,
  dryRunInputs,
  emulatorWith,
  GiB,
  gibRate,
  landedIn,
  outputFiles,
  printDiagnosis,
  ratioCell,
  row,
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
  mb,
  ms,
  rssOf,
  runBundle,
  times,
  wallOf,
  type ActionMeasured
} from '../lib.ts'

/** The targets of verify on one large file. */
const TARGET = { ratio: 2.2, rssAboveDry: 20e6 }

/** Every run of case 9. */
interface LargeVerifyRuns {
  verify: VerifyRun[]
  plain: VerifyRun[]
  dry: ActionMeasured[]
  /** Re-runs with skip-existing and verify: the file is already there, read back and hashed on disk. */
  reread: ActionMeasured[]
}

export const verifyLarge: BenchCase = {
  number: 9,
  name: 'verify-large',
  measures:
    'verify: one 1 GiB file, no added latency (storage keeps the bytes on disk and streams them back); and a skip-existing + verify re-run of it',
  async run({ reps }) {
    const file = await bigFile()
    const ws = path.dirname(file)
    const name = path.basename(file)
    const emulator = await emulatorWith({ keepBytes: 'disk' })
    const run = (verify: boolean) => async (): Promise<VerifyRun> => {
      const extra = verify ? { verify: 'true' } : {}
      const done = await verifyRun(emulator, ws, uploadInputs(emulator, name, extra), 1, '1 GiB')
      expectStored(emulator, done)
      return done
    }
    const dryRun = async (): Promise<ActionMeasured> => {
      const dry = await runBundle({ workspace: ws, inputs: dryRunInputs(name) })
      expectSuccess(dry, '1 GiB dry run')
      return dry
    }
    await run(true)() // warm-up: the page cache holds the file from here on
    const runs: LargeVerifyRuns = { verify: [], plain: [], dry: [], reread: [] }
    const reread = async (): Promise<ActionMeasured> => {
      const again = await runBundle({
        workspace: ws,
        inputs: uploadInputs(emulator, name, { verify: 'true', 'skip-existing': 'true' })
      })
      expectSuccess(again, '1 GiB skip-existing + verify re-run')
      return again
    }
    for (let i = 0; i < reps.big; i++) {
      const order = i % 2 === 0 ? [true, false] : [false, true]
      for (const verify of order) (verify ? runs.verify : runs.plain).push(await run(verify)())
      runs.dry.push(await dryRun())
      runs.reread.push(await reread())
      const [v, p, d, r] = [runs.verify[i]!, runs.plain[i]!, runs.dry[i]!, runs.reread[i]!]
      console.log(
        `  run ${i + 1}/${reps.big} (${i % 2 ? 'without first' : 'with first'}): with ${ms(v.wallMs)} (${mb(v.maxRss)}, CPU ${ms(v.cpuS * 1000)}), without ${ms(p.wallMs)} (${mb(p.maxRss)}), dry run ${mb(d.maxRss)}, skip-existing re-run ${ms(r.wallMs)} (${mb(r.maxRss)})`
      )
    }
    const landed = landedIn(runs.verify, 'verify, 1 GiB')
    if (landed.landed) {
      const inputs = uploadInputs(emulator, name, { verify: 'true' })
      await printDiagnosis(
        emulator,
        '  diagnostic run with verify (untimed):',
        { workspace: ws, inputs },
        (lines) => lines.slice(-2)
      )
    }
    await emulator.close()
    return largeRows(runs, landed)
  }
}

/** Throws unless storage holds the whole GiB, with the sha256 the action reported. */
function expectStored(emulator: Emulator, run: VerifyRun): void {
  const stored = emulator.uploaded()[0]?.stored
  const reported = outputFiles(run)[0]?.sha256
  if (stored?.size !== GiB) throw new Error(`1 GiB: storage holds ${stored?.size} bytes`)
  if (reported !== undefined && reported !== stored.sha256) {
    throw new Error(`1 GiB: the action reported sha256 ${reported}, storage holds ${stored.sha256}`)
  }
}

/** Prints case 9's medians and returns its two rows: the time ratio and the memory above a dry run. */
function largeRows(runs: LargeVerifyRuns, landed: Landed): Row[] {
  const [withMs, withoutMs] = [wallOf(runs.verify), wallOf(runs.plain)]
  const ratio = withMs / withoutMs
  const [rss, plainRss, dryRss] = [rssOf(runs.verify), rssOf(runs.plain), rssOf(runs.dry)]
  const above = rss - dryRss
  const rereadAbove = rssOf(runs.reread) - dryRss
  console.log(
    `  with verify: median ${ms(withMs)} (${gibRate(withMs)} of upload end to end), peak RSS ${mb(rss)}; without: median ${ms(withoutMs)} (${gibRate(withoutMs)}), peak RSS ${mb(plainRss)}; dry run: peak RSS ${mb(dryRss)}`
  )
  console.log(
    `  ${times(ratio)}; verify adds ${ms(withMs - withoutMs)}; load average ${loadAverage()}`
  )
  if (!landed.landed) console.log(`  (${landed.note})`)
  return [
    row(
      {
        case: '9. 1 GiB: verify ÷ without',
        action: ms(withMs),
        baseline: `${ms(withoutMs)} (without)`,
        ratio: ratioCell(times(ratio), landed),
        target: `≤ ${TARGET.ratio}×`
      },
      landed.landed ? ratio <= TARGET.ratio : undefined
    ),
    row(
      {
        case: '9. 1 GiB with verify: peak RSS above dry run',
        action: mb(rss),
        baseline: `${mb(dryRss)} (dry run)`,
        ratio: ratioCell(`${above < 0 ? '−' : '+'}${mb(Math.abs(above))}`, landed),
        target: `≤ ${mb(TARGET.rssAboveDry)}`
      },
      landed.landed ? above <= TARGET.rssAboveDry : undefined
    ),
    row(
      {
        case: '9. 1 GiB skip-existing + verify re-run: peak RSS above dry run',
        action: mb(rssOf(runs.reread)),
        baseline: `${mb(dryRss)} (dry run)`,
        ratio: ratioCell(`${rereadAbove < 0 ? '−' : '+'}${mb(Math.abs(rereadAbove))}`, landed),
        target: `≤ ${mb(TARGET.rssAboveDry)}`
      },
      landed.landed ? rereadAbove <= TARGET.rssAboveDry : undefined
    )
  ]
}
