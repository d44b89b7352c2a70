// Case 1: 150 small files behind 20 ms of latency on every request, the action against the seed's
// curl loop (one file after another, and 8 at a time with `xargs -P 8`) and against the latency
// floor plus start-up.
import type { Emulator } from '../../emulator/emulator.ts'
import {
  dryRunInputs,
  emulatorWith,
  expectAllSmall,
  KEY,
  printDiagnosis,
  PROJECT,
  row,
  SMALL,
  smallFile,
  smallWorkspace,
  startupBaselineOnce,
  uploadInputs,
  type BenchCase,
  type Row
} from '../fixtures.ts'
import {
  cpuOf,
  CURL_LOOP,
  CURL_PARALLEL,
  expectSuccess,
  expectUploaded,
  mb,
  measure,
  ms,
  removeDir,
  rssOf,
  runBundle,
  times,
  wallOf,
  withOwnCpu,
  type ActionMeasured,
  type Measured
} from '../lib.ts'

/** Every run of case 1, one of each kind per repetition. */
interface SmallRuns {
  action: ActionMeasured[]
  curl: Measured[]
  /** The same curl calls, 8 files at a time. */
  curlParallel: Measured[]
  dry: ActionMeasured[]
  nodeOnly: Measured[]
  noMatch: ActionMeasured[]
  /** Summed over the action's runs. */
  emulatorCpu: number
}

/** The medians that case 1's targets compare. */
interface SmallFigures {
  actionMs: number
  curlMs: number
  parallelMs: number
  /** The latency floor: every request's latency, spread over the concurrency. */
  floor: number
  dryMs: number
}

export const smallFiles: BenchCase = {
  number: 1,
  name: 'small',
  measures: `${SMALL.files} files of ${SMALL.size} bytes, ${SMALL.latency} ms latency on every request (API and storage)`,
  async run({ reps }) {
    const { files, latency } = SMALL
    const emulator = await emulatorWith({ latencyMs: latency, keepBytes: false })
    const ws = await smallWorkspace('small')
    const inputs = uploadInputs(emulator, 'reports/')
    emulator.reset()
    expectUploaded(await runBundle({ workspace: ws, inputs }), files, 'warm-up')
    const figures = reportSmall(await measureSmall(emulator, ws, inputs, reps.small), reps.small)
    await printDiagnosis(
      emulator,
      '  diagnostic run (untimed, undici diagnostics channels preloaded):',
      { workspace: ws, inputs }
    )
    const put = emulator.requests.filter((r) => r.step === 'put')
    console.log(
      `    emulator saw ${emulator.requests.length} requests; PUT Content-Length ${put[0]?.headers['content-length']}, transfer-encoding ${put[0]?.headers['transfer-encoding'] ?? 'none'}`
    )
    await emulator.close()
    await removeDir(ws)
    return smallRows(figures)
  }
}

/** Each repetition runs the action, its dry run, the start-up baselines and the curl loop. */
async function measureSmall(
  emulator: Emulator,
  ws: string,
  inputs: Record<string, string>,
  reps: number
): Promise<SmallRuns> {
  const runs: SmallRuns = {
    action: [],
    curl: [],
    curlParallel: [],
    dry: [],
    nodeOnly: [],
    noMatch: [],
    emulatorCpu: 0
  }
  for (let i = 0; i < reps; i++) {
    emulator.reset()
    const [run, cpu] = await withOwnCpu(() => runBundle({ workspace: ws, inputs }))
    expectUploaded(run, SMALL.files, 'action')
    expectAllSmall(emulator, 'action')
    runs.action.push(run)
    runs.emulatorCpu += cpu
    const dryRun = await runBundle({ workspace: ws, inputs: dryRunInputs('reports/') })
    expectSuccess(dryRun, 'dry run')
    runs.dry.push(dryRun)
    const baseline = await startupBaselineOnce()
    runs.nodeOnly.push(baseline.nodeOnly)
    runs.noMatch.push(baseline.noMatch)
    const loop = await curlLoop(emulator, ws, CURL_LOOP, 'curl loop')
    runs.curl.push(loop)
    const parallel = await curlLoop(emulator, ws, CURL_PARALLEL, 'curl, xargs -P 8')
    runs.curlParallel.push(parallel)
    console.log(
      `  run ${i + 1}/${reps}: action ${ms(run.wallMs)} (${mb(run.maxRss)}), dry run ${ms(dryRun.wallMs)}, curl loop ${ms(loop.wallMs)}, curl -P 8 ${ms(parallel.wallMs)}`
    )
  }
  return runs
}

/** The seed's flow, three curl calls per file: one file after another, or 8 at a time. */
async function curlLoop(
  emulator: Emulator,
  ws: string,
  script: string,
  what: string
): Promise<Measured> {
  const { files, size } = SMALL
  const list = Array.from({ length: files }, (_, i) => `${size} ${smallFile(i)}`).join('\n') + '\n'
  emulator.reset()
  const loop = await measure(
    'bash',
    [script, emulator.apiUrl, KEY, String(PROJECT), 'application/json'],
    { cwd: ws, stdin: list, gnuTime: false }
  )
  expectSuccess(loop, what)
  expectAllSmall(emulator, what)
  return loop
}

/** Prints case 1's medians against the latency floor and the start-up costs. */
function reportSmall(runs: SmallRuns, reps: number): SmallFigures {
  const { files, latency, concurrency } = SMALL
  const actionMs = wallOf(runs.action)
  const curlMs = wallOf(runs.curl)
  const parallelMs = wallOf(runs.curlParallel)
  const floor = (files * 3 * latency) / concurrency
  const dryMs = wallOf(runs.dry)
  const rounds = Math.ceil(files / concurrency) * 3 * latency
  const noMatchMs = wallOf(runs.noMatch)
  console.log(
    `  action (concurrency ${concurrency}): median ${ms(actionMs)}, peak RSS ${mb(rssOf(runs.action))}, CPU ${ms(cpuOf(runs.action))}`
  )
  console.log(`  emulator CPU per action run: ${ms(runs.emulatorCpu / reps)}`)
  console.log(
    `  curl loop: median ${ms(curlMs)} = ${ms(curlMs / files)} per file, ${ms(curlMs / files / 3)} per request (${latency} ms of it is latency)`
  )
  console.log(
    `  curl, 8 files at a time (xargs -P 8): median ${ms(parallelMs)} = ${ms((parallelMs * 8) / files)} per file in each of the 8 lanes`
  )
  console.log(
    `  latency floor: ${files} × 3 × ${latency} ms ÷ ${concurrency} = ${ms(floor)} (in whole rounds of ${concurrency}: ${ms(rounds)})`
  )
  console.log(
    `  start-up, dry run of the same ${files} files: ${ms(dryMs)} → floor + start-up = ${ms(floor + dryMs)}`
  )
  console.log(
    `  start-up, node -e '' + bundle load (dry run matching nothing): ${ms(noMatchMs)} → floor + start-up = ${ms(floor + noMatchMs)}; node -e '' alone: ${ms(wallOf(runs.nodeOnly))}`
  )
  return { actionMs, curlMs, parallelMs, floor, dryMs }
}

/** Case 1's targets: against the curl loop, sequential and 8 at a time, and against floor + start-up. */
function smallRows({ actionMs, curlMs, parallelMs, floor, dryMs }: SmallFigures): Row[] {
  const { files, latency } = SMALL
  return [
    row(
      {
        case: `1. ${files} × 2 KiB, ${latency} ms: curl loop ÷ action`,
        action: ms(actionMs),
        baseline: `${ms(curlMs)} (curl loop)`,
        ratio: times(curlMs / actionMs),
        target: '≥ 15×'
      },
      curlMs / actionMs >= 15
    ),
    row(
      {
        case: `1. ${files} × 2 KiB, ${latency} ms: curl -P 8 ÷ action`,
        action: ms(actionMs),
        baseline: `${ms(parallelMs)} (curl, xargs -P 8)`,
        ratio: times(parallelMs / actionMs),
        target: '> 1× (ahead)'
      },
      parallelMs / actionMs > 1
    ),
    row(
      {
        case: `1. ${files} × 2 KiB, ${latency} ms: action ÷ (floor + start-up)`,
        action: ms(actionMs),
        baseline: `${ms(floor)} + ${ms(dryMs)} = ${ms(floor + dryMs)}`,
        ratio: times(actionMs / (floor + dryMs)),
        target: '≤ 1.3×'
      },
      actionMs / (floor + dryMs) <= 1.3
    )
  ]
}
