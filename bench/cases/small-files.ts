// Cases 1 and 10: many small files behind 20 ms of latency on every request (150 and 400 files of
// 2 KiB, concurrency 8), on two targets: the emulator, and storage the project did not write
// (s3rver behind the interop Files API, targets.ts). The action is timed against the pipelined
// floor (start-up, its own dry run of the same files, + 3 × latency + ⌈files ÷ 8⌉ × latency) and
// beside the seed's curl loop (one file after another, and 8 at a time with `xargs -P 8`); each
// of its runs also counts the most requests in flight at once and the creates and confirms per file.
import {
  dryRunInputs,
  floorSum,
  KEY,
  pipelinedFloor,
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
  median,
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
import {
  emulatorTarget,
  exactlyOnce,
  interopTarget,
  type EmulatorTarget,
  type PerFile,
  type Target,
  type Traffic
} from '../targets.ts'

/** One run of the action on a target, with what its requests did. */
interface TargetRun extends ActionMeasured {
  traffic: Traffic
}

/** Every run of a small-files case, one of each kind per repetition. */
interface SmallRuns {
  emulator: TargetRun[]
  interop: TargetRun[]
  curl: Measured[]
  /** The same curl calls, 8 files at a time, on each target. */
  curlParallel: Measured[]
  interopCurlParallel: Measured[]
  dry: ActionMeasured[]
  nodeOnly: Measured[]
  noMatch: ActionMeasured[]
  /** Summed over the action's runs on the emulator. */
  emulatorCpu: number
}

/** The medians a small-files case's rows compare. */
interface SmallFigures {
  files: number
  emulatorMs: number
  interopMs: number
  curlMs: number
  parallelMs: number
  interopParallelMs: number
  /** The action's dry run of the same files. */
  dryMs: number
  /** The pipelined floor, the dry run included. */
  floor: number
  emulator: TrafficSummary
  interop: TrafficSummary
}

/** A target's traffic over all the timed runs of a case. */
interface TrafficSummary {
  apiMax: number
  putMax: number
  creates: PerFile
  confirms: PerFile
  /** Whether every run created and confirmed each file exactly once. */
  once: boolean
  /** The median over the runs of each run's median time at the server (see Traffic). */
  apiServedMs: number
  putServedMs: number
}

/** The targets of one case, started once and reset before each run. */
interface Targets {
  emulator: EmulatorTarget
  interop: Target
}

/** A small-files case of `files` files of SMALL's size, latency and concurrency. */
export function smallFilesCase(number: number, files: number): BenchCase {
  return {
    number,
    name: `small-${files}`,
    measures: `${files} files of ${SMALL.size} bytes, ${SMALL.latency} ms latency on every request (API and storage), on the emulator and on s3rver, against the pipelined floor`,
    async run({ reps }) {
      const targets: Targets = {
        emulator: await emulatorTarget(SMALL.latency),
        interop: await interopTarget(SMALL.latency)
      }
      const ws = await smallWorkspace(`small-${files}`, files)
      for (const target of [targets.emulator, targets.interop]) {
        await actionRun(target, ws, files) // untimed: the first run on each pays for cold caches
      }
      const runs = await measureSmall(targets, ws, files, reps.floor)
      const figures = reportSmall(runs, files, reps.floor)
      const { emulator } = targets.emulator
      const inputs = uploadInputs(emulator, 'reports/')
      await printDiagnosis(
        emulator,
        '  diagnostic run on the emulator (untimed, undici diagnostics channels preloaded):',
        { workspace: ws, inputs }
      )
      const put = emulator.requests.filter((r) => r.step === 'put')
      console.log(
        `    emulator saw ${emulator.requests.length} requests; PUT Content-Length ${put[0]?.headers['content-length']}, transfer-encoding ${put[0]?.headers['transfer-encoding'] ?? 'none'}`
      )
      await targets.interop.close()
      await targets.emulator.close()
      await removeDir(ws)
      return smallRows(number, figures)
    }
  }
}

/** Case 1: 150 files. */
export const smallFiles: BenchCase = smallFilesCase(1, SMALL.files)

/** One run of the action on a fresh target; throws unless every file was uploaded. */
async function actionRun(target: Target, ws: string, files: number): Promise<TargetRun> {
  target.reset()
  const what = `action on ${target.name}`
  const run = await runBundle({ workspace: ws, inputs: uploadInputs(target, 'reports/') })
  expectUploaded(run, files, what)
  const traffic = target.traffic()
  if (traffic.uploaded !== files) {
    throw new Error(`${what}: ${target.name} holds ${traffic.uploaded} of ${files} files`)
  }
  return { ...run, traffic }
}

/** Each repetition runs the action on each target, its dry run, the start-ups and the curl calls. */
async function measureSmall(
  targets: Targets,
  ws: string,
  files: number,
  reps: number
): Promise<SmallRuns> {
  const runs: SmallRuns = {
    emulator: [],
    interop: [],
    curl: [],
    curlParallel: [],
    interopCurlParallel: [],
    dry: [],
    nodeOnly: [],
    noMatch: [],
    emulatorCpu: 0
  }
  for (let i = 0; i < reps; i++) {
    const [onEmulator, cpu] = await withOwnCpu(() => actionRun(targets.emulator, ws, files))
    runs.emulator.push(onEmulator)
    runs.emulatorCpu += cpu
    const onInterop = await actionRun(targets.interop, ws, files)
    runs.interop.push(onInterop)
    const dryRun = await runBundle({ workspace: ws, inputs: dryRunInputs('reports/') })
    expectSuccess(dryRun, 'dry run')
    runs.dry.push(dryRun)
    const baseline = await startupBaselineOnce()
    runs.nodeOnly.push(baseline.nodeOnly)
    runs.noMatch.push(baseline.noMatch)
    const loop = await curlRun(targets.emulator, ws, files, CURL_LOOP, 'curl loop')
    runs.curl.push(loop)
    const parallel = await curlRun(targets.emulator, ws, files, CURL_PARALLEL, 'curl -P 8')
    runs.curlParallel.push(parallel)
    const interopParallel = await curlRun(targets.interop, ws, files, CURL_PARALLEL, 'curl -P 8')
    runs.interopCurlParallel.push(interopParallel)
    console.log(
      `  run ${i + 1}/${reps}: action ${ms(onEmulator.wallMs)} on the emulator (${inFlight(onEmulator.traffic)}), ${ms(onInterop.wallMs)} on s3rver (${inFlight(onInterop.traffic)}); dry run ${ms(dryRun.wallMs)}; curl loop ${ms(loop.wallMs)}, curl -P 8 ${ms(parallel.wallMs)} on the emulator, ${ms(interopParallel.wallMs)} on s3rver`
    )
  }
  return runs
}

/** 'API 16, PUT 8 in flight' */
function inFlight({ apiMax, putMax }: { apiMax: number; putMax: number }): string {
  return `API ${apiMax}, PUT ${putMax} in flight`
}

/** The seed's flow, three curl calls per file: one file after another, or 8 at a time. */
async function curlRun(
  target: Target,
  ws: string,
  files: number,
  script: string,
  what: string
): Promise<Measured> {
  const list =
    Array.from({ length: files }, (_, i) => `${SMALL.size} ${smallFile(i)}`).join('\n') + '\n'
  target.reset()
  const run = await measure(
    'bash',
    [script, target.apiUrl, KEY, String(PROJECT), 'application/json'],
    { cwd: ws, stdin: list, gnuTime: false }
  )
  expectSuccess(run, `${what} on ${target.name}`)
  const uploaded = target.traffic().uploaded
  if (uploaded !== files) {
    throw new Error(`${what}: ${target.name} holds ${uploaded} of ${files} files`)
  }
  return run
}

/** A target's in-flight maxima and per-file counts over some runs. */
function summarize(runs: readonly TargetRun[], files: number): TrafficSummary {
  const all = runs.map((r) => r.traffic)
  const spread = (pick: (t: Traffic) => PerFile): PerFile => ({
    files: Math.min(...all.map((t) => pick(t).files)),
    min: Math.min(...all.map((t) => pick(t).min)),
    max: Math.max(...all.map((t) => pick(t).max))
  })
  return {
    apiMax: Math.max(...all.map((t) => t.apiMax)),
    putMax: Math.max(...all.map((t) => t.putMax)),
    creates: spread((t) => t.creates),
    confirms: spread((t) => t.confirms),
    once: all.every((t) => exactlyOnce(t, files)),
    apiServedMs: median(all.map((t) => t.apiServedMs)),
    putServedMs: median(all.map((t) => t.putServedMs))
  }
}

/** '1' when every file had one, else 'min–max'. */
function perFileText({ min, max }: PerFile): string {
  return min === max ? String(min) : `${min}–${max}`
}

/** '1 create and 1 confirm per file' */
function onceText(summary: TrafficSummary): string {
  return `${perFileText(summary.creates)} create and ${perFileText(summary.confirms)} confirm per file`
}

/** Prints a case's medians against the pipelined floor and the curl baselines. */
function reportSmall(runs: SmallRuns, files: number, reps: number): SmallFigures {
  const { latency, concurrency } = SMALL
  const dryMs = wallOf(runs.dry)
  const floorOf = { startUp: dryMs, files, latency, concurrency }
  const floor = pipelinedFloor(floorOf)
  const figures: SmallFigures = {
    files,
    emulatorMs: wallOf(runs.emulator),
    interopMs: wallOf(runs.interop),
    curlMs: wallOf(runs.curl),
    parallelMs: wallOf(runs.curlParallel),
    interopParallelMs: wallOf(runs.interopCurlParallel),
    dryMs,
    floor,
    emulator: summarize(runs.emulator, files),
    interop: summarize(runs.interop, files)
  }
  const against = (value: number): string => `${ms(value)} = ${times(value / floor)} the floor`
  console.log(`  medians of ${reps} runs; concurrency ${concurrency}`)
  console.log(`  pipelined floor: ${floorSum(floorOf)} = ${ms(floor)}`)
  console.log(
    `  emulator: action ${against(figures.emulatorMs)} (peak RSS ${mb(rssOf(runs.emulator))}, CPU ${ms(cpuOf(runs.emulator))}, emulator CPU ${ms(runs.emulatorCpu / reps)}); curl loop ${against(figures.curlMs)}; curl -P 8 ${against(figures.parallelMs)}`
  )
  console.log(
    `  s3rver:   action ${against(figures.interopMs)}; curl -P 8 ${against(figures.interopParallelMs)}; time at the servers behind the proxies, beyond the ${latency} ms: API request median ${ms(figures.interop.apiServedMs)}, PUT median ${ms(figures.interop.putServedMs)}`
  )
  for (const [name, summary] of [
    ['emulator', figures.emulator],
    ['s3rver', figures.interop]
  ] as const) {
    console.log(
      `  ${name}: most in flight at once during the action's runs: ${summary.apiMax} API requests, ${summary.putMax} PUTs; ${onceText(summary)}${summary.once ? '' : ' (NOT exactly one each)'}`
    )
  }
  console.log(
    `  curl loop: ${ms(figures.curlMs / files)} per file, ${ms(figures.curlMs / files / 3)} per request (${latency} ms of it is latency); start-up of node -e '' + bundle load (dry run matching nothing): ${ms(wallOf(runs.noMatch))}, node -e '' alone: ${ms(wallOf(runs.nodeOnly))}`
  )
  return figures
}

/** A case's rows: against the curl calls, against the floor on each target, the counts. */
function smallRows(number: number, f: SmallFigures): Row[] {
  const label = `${number}. ${f.files} × 2 KiB, ${SMALL.latency} ms`
  const floorCell = `${ms(f.floor)} (pipelined floor, start-up ${ms(f.dryMs)})`
  return [
    row(
      {
        case: `${label}: curl loop ÷ action`,
        action: ms(f.emulatorMs),
        baseline: `${ms(f.curlMs)} (curl loop)`,
        ratio: times(f.curlMs / f.emulatorMs),
        target: '≥ 15×'
      },
      f.curlMs / f.emulatorMs >= 15
    ),
    row(
      {
        case: `${label}: curl -P 8 ÷ action`,
        action: ms(f.emulatorMs),
        baseline: `${ms(f.parallelMs)} (curl, xargs -P 8)`,
        ratio: times(f.parallelMs / f.emulatorMs),
        target: '> 1× (ahead)'
      },
      f.parallelMs / f.emulatorMs > 1
    ),
    floorRow(`${label}, emulator: action ÷ floor`, f.emulatorMs, floorCell, f.floor),
    floorRow(`${label}, s3rver: action ÷ floor`, f.interopMs, floorCell, f.floor),
    row(
      {
        case: `${label}, s3rver: action ÷ floor with the servers' time`,
        action: ms(f.interopMs),
        baseline: `${ms(servedFloor(f))} (a round trip ${ms(servedRoundTrip(f))})`,
        ratio: times(f.interopMs / servedFloor(f)),
        target: '—'
      },
      undefined
    ),
    row(
      {
        case: `${label}, s3rver: curl -P 8 ÷ action`,
        action: ms(f.interopMs),
        baseline: `${ms(f.interopParallelMs)} (curl, xargs -P 8)`,
        ratio: times(f.interopParallelMs / f.interopMs),
        target: '—'
      },
      undefined
    ),
    row(
      {
        case: `${label}: most in flight at once (API, PUT)`,
        action: `emulator ${f.emulator.apiMax}, ${f.emulator.putMax}; s3rver ${f.interop.apiMax}, ${f.interop.putMax}`,
        baseline: `concurrency ${SMALL.concurrency}`,
        ratio: '—',
        target: '—'
      },
      undefined
    ),
    row(
      {
        case: `${label}: creates, confirms per file`,
        action: `emulator ${perFileText(f.emulator.creates)}, ${perFileText(f.emulator.confirms)}; s3rver ${perFileText(f.interop.creates)}, ${perFileText(f.interop.confirms)}`,
        baseline: '—',
        ratio: '—',
        target: 'exactly 1 each'
      },
      f.emulator.once && f.interop.once
    )
  ]
}

/** A round trip on s3rver: the latency plus the servers' median time, an API request's or a PUT's, the slower. */
function servedRoundTrip(f: SmallFigures): number {
  return SMALL.latency + Math.max(f.interop.putServedMs, f.interop.apiServedMs)
}

/** The pipelined floor on s3rver once the servers' own time is counted in each round trip. */
function servedFloor(f: SmallFigures): number {
  return f.dryMs + (3 + Math.ceil(f.files / SMALL.concurrency)) * servedRoundTrip(f)
}

/** The goal for the small-files cases: within 1.25× the pipelined floor. */
const MAX_FLOOR_RATIO = 1.25

/** A row of the action against the pipelined floor. */
function floorRow(name: string, actionMs: number, floorCell: string, floor: number): Row {
  return row(
    {
      case: name,
      action: ms(actionMs),
      baseline: floorCell,
      ratio: times(actionMs / floor),
      target: `≤ ${MAX_FLOOR_RATIO}×`
    },
    actionMs / floor <= MAX_FLOOR_RATIO
  )
}
