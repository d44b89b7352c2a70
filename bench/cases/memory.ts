// Case 4: peak RSS against file size, from 1 MiB to 1 GiB (and 4 GiB, sparse, in a full run): each
// upload beside the same bundle on a dry run of the same file, alternating.
import path from 'node:path'
import type { Emulator } from '../../emulator/emulator.ts'
import {
  bigFile,
  dryRunInputs,
  emulatorWith,
  GiB,
  MiB,
  randomFile,
  row,
  sparseFile,
  uploadInputs,
  type BenchCase,
  type Reps,
  type Row
} from '../fixtures.ts'
import {
  expectSuccess,
  expectUploaded,
  mb,
  ms,
  rssOf,
  runBundle,
  wallOf,
  type ActionMeasured
} from '../lib.ts'

/** One file size of case 4. */
interface MemorySize {
  label: string
  bytes: number
  make: () => Promise<string>
}

export const memory: BenchCase = {
  number: 4,
  name: 'memory',
  measures: 'Peak RSS against file size (action vs the same bundle on a dry run of the same file)',
  async run({ quick, reps }) {
    const emulator = await emulatorWith({ keepBytes: false })
    const sizes: MemorySize[] = [
      { label: '1 MiB', bytes: MiB, make: () => randomFile('m1.bin', 1) },
      { label: '64 MiB', bytes: 64 * MiB, make: () => randomFile('m64.bin', 64) },
      { label: '1 GiB', bytes: GiB, make: bigFile }
    ]
    if (!quick) {
      sizes.push({
        label: '4 GiB sparse',
        bytes: 4 * GiB,
        make: () => sparseFile('sparse4g.bin', 4 * GiB)
      })
    }
    const rows: Row[] = []
    for (const size of sizes) rows.push(await measureMemory(emulator, size, reps))
    await emulator.close()
    return rows
  }
}

/** Peak RSS of uploads of one file against dry runs of it, alternating; prints it, returns its row. */
async function measureMemory(emulator: Emulator, size: MemorySize, reps: Reps): Promise<Row> {
  const file = await size.make()
  const ws = path.dirname(file)
  const name = path.basename(file)
  const count = size.bytes >= GiB ? reps.big : reps.medium
  const runs: ActionMeasured[] = []
  const dry: ActionMeasured[] = []
  for (let i = 0; i < count; i++) {
    emulator.reset()
    const run = await runBundle({ workspace: ws, inputs: uploadInputs(emulator, name) })
    expectUploaded(run, 1, size.label)
    runs.push(run)
    const idle = await runBundle({ workspace: ws, inputs: dryRunInputs(name) })
    expectSuccess(idle, `${size.label} dry run`)
    dry.push(idle)
  }
  const rss = rssOf(runs)
  const idle = rssOf(dry)
  const above = rss - idle
  console.log(
    `  ${size.label} × ${count}: peak RSS ${mb(rss)}, idle ${mb(idle)}, above idle ${mb(above)}; wall ${ms(wallOf(runs))}`
  )
  return row(
    {
      case: `4. ${size.label}: peak RSS above idle`,
      action: mb(rss),
      baseline: `${mb(idle)} (dry run)`,
      ratio: `+${mb(above)}`,
      target: '≤ 20 MB'
    },
    above <= 20e6
  )
}
