// Case 3: many tiny files (16 bytes each, in nested directories), no added latency: wall time and
// peak RSS as the number of files grows (2,500, 5,000 and, in a full run, 10,000), and whether the
// cost per file stays flat.
import type { Emulator } from '../../emulator/emulator.ts'
import {
  dryRunInputs,
  emulatorWith,
  printDiagnosis,
  row,
  uploadInputs,
  type BenchCase,
  type Reps,
  type Row
} from '../fixtures.ts'
import {
  cpuOf,
  expectSuccess,
  expectUploaded,
  mb,
  ms,
  removeDir,
  rssOf,
  runBundle,
  tempDir,
  times,
  wallOf,
  withOwnCpu,
  writeManyFiles,
  type ActionMeasured
} from '../lib.ts'

/** The medians of one file count. */
interface ManyResult {
  count: number
  wall: number
  rss: number
  cpu: number
  dryRss: number
}

export const manyFiles: BenchCase = {
  number: 3,
  name: 'many',
  measures: `Many tiny files (16 bytes each, in nested directories), no added latency`,
  async run({ quick, reps }) {
    const counts = quick ? [2500, 5000] : [2500, 5000, 10_000]
    const emulator = await emulatorWith({ keepBytes: false })
    const results: ManyResult[] = []
    for (const count of counts) {
      const ws = await tempDir(`many${count}`)
      await writeManyFiles(
        ws,
        count,
        16,
        (i) => `out/t${i % 5}/s${Math.floor(i / 5) % 4}/f${i}.txt`
      )
      const inputs = uploadInputs(emulator, 'out/')
      results.push(await measureMany(emulator, ws, inputs, count, reps))
      if (count === counts[0]) {
        await printDiagnosis(
          emulator,
          `  diagnostic run of ${count} files with a full GC every 250 ms (untimed, and slowed by the GCs):`,
          { workspace: ws, inputs, gcEveryMs: 250 },
          (lines) => lines.slice(-3)
        )
      }
      if (count === counts[counts.length - 1]) {
        const title = `  diagnostic run of ${count} files (untimed):`
        await printDiagnosis(emulator, title, { workspace: ws, inputs })
      }
      await removeDir(ws)
    }
    const rows = manyRows(results)
    await emulator.close()
    return rows
  }
}

/** Uploads `count` files a few times, then runs their dry run once; prints and returns the medians. */
async function measureMany(
  emulator: Emulator,
  ws: string,
  inputs: Record<string, string>,
  count: number,
  { many, medium }: Reps
): Promise<ManyResult> {
  const reps = count >= 10_000 ? many : medium
  const runs: ActionMeasured[] = []
  let emulatorCpu = 0
  for (let i = 0; i < reps; i++) {
    emulator.reset()
    const [run, cpu] = await withOwnCpu(() => runBundle({ workspace: ws, inputs }))
    expectUploaded(run, count, `${count} files`)
    if (emulator.uploaded().length !== count) throw new Error(`${count} files: emulator disagrees`)
    runs.push(run)
    emulatorCpu += cpu
  }
  const dry = await runBundle({ workspace: ws, inputs: dryRunInputs('out/') })
  expectSuccess(dry, 'dry run')
  const wall = wallOf(runs)
  console.log(
    `  ${count} files × ${reps}: median ${ms(wall)} = ${(wall / count).toFixed(3)} ms per file, peak RSS ${mb(rssOf(runs))} (dry run: ${mb(dry.maxRss)}, ${ms(dry.wallMs)}), action CPU ${ms(cpuOf(runs))}, emulator CPU ${ms(emulatorCpu / reps)}`
  )
  return { count, wall, rss: rssOf(runs), cpu: cpuOf(runs), dryRss: dry.maxRss }
}

/** Case 3's rows: peak RSS at 10,000 files, the wall time of each count, and linearity. */
function manyRows(results: ManyResult[]): Row[] {
  const [a, b, c] = results
  const rows = [
    row(
      {
        case: '3. 10,000 × 16 B: peak RSS',
        action: c ? mb(c.rss) : 'skipped (--quick)',
        baseline: c ? `${mb(c.dryRss)} (dry run)` : '—',
        ratio: '—',
        target: '< 150 MB'
      },
      c ? c.rss < 150e6 : undefined
    )
  ]
  for (const r of results) {
    rows.push(
      row(
        {
          case: `3. ${r.count.toLocaleString('en')} × 16 B: wall time`,
          action: `${ms(r.wall)} (${(r.wall / r.count).toFixed(3)} ms/file)`,
          baseline: '—',
          ratio: '—',
          target: '—'
        },
        undefined
      )
    )
  }
  if (a && b) rows.push(...linearity(a, b, c))
  return rows
}

/** Prints the marginal cost per file between counts; with three counts, compares the two. */
function linearity(a: ManyResult, b: ManyResult, c: ManyResult | undefined): Row[] {
  const last = c ?? b
  const prev = c ? b : a
  const early = (b.wall - a.wall) / (b.count - a.count)
  const late = (last.wall - prev.wall) / (last.count - prev.count)
  console.log(
    `  marginal cost: ${early.toFixed(3)} ms per file from ${a.count} to ${b.count}${c ? `, ${late.toFixed(3)} ms per file from ${b.count} to ${c.count}` : ''}`
  )
  if (!c) return []
  return [
    row(
      {
        case: '3. linearity: marginal ms/file 5k→10k ÷ 2.5k→5k',
        action: `${late.toFixed(3)} ms/file`,
        baseline: `${early.toFixed(3)} ms/file`,
        ratio: times(late / early),
        target: '≤ 1.25×'
      },
      late / early <= 1.25
    )
  ]
}
