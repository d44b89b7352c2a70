// The benchmarks behind the README's Performance section: `npm run bench` (add `-- --quick` for
// fewer repetitions without the 4 GiB and 10,000-file runs, `-- --only <case>` for one case, by
// name or number). Cases 1 to 5 are here, 6 and 7 (the skip-existing and download-url inputs) in
// release.ts, 8 and 9 (the verify input, on small files and on 1 GiB) in verify.ts; what they
// share is in fixtures.ts.
//
// Everything runs in this one process tree on loopback: the emulator of the Files API and of
// presigned storage lives in this process, and the bundled dist/index.js is spawned exactly as a
// runner spawns it (INPUT_* environment, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, cwd = the
// workspace), under GNU time for its peak RSS. Wall times are taken here, from just before spawn()
// to the child's exit. Note that the emulator shares this machine's two cores with the action: it
// hashes every uploaded byte and signs every URL, as storage and the API would, but elsewhere.
import { randomBytes } from 'node:crypto'
import { access, open, readFile, truncate, writeFile } from 'node:fs/promises'
import {
  createServer,
  request as httpRequest,
  Agent,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { Emulator } from '../emulator/emulator.ts'
import { describe, diagnose } from './diagnose.ts'
import {
  dryRunInputs,
  emulatorWith,
  expectAllSmall,
  hasRows,
  KEY,
  PROJECT,
  printTable,
  row,
  SMALL,
  smallFile,
  uploadInputs,
  warmUp
} from './fixtures.ts'
import {
  cleanUp,
  cpuOf,
  CURL_LOOP,
  CURL_PARALLEL,
  DIST,
  expectSuccess,
  expectUploaded,
  loadAverage,
  mb,
  measure,
  median,
  ms,
  NODE,
  onCleanUp,
  removeDir,
  rssOf,
  runBundle,
  tempDir,
  times,
  wallOf,
  withOwnCpu,
  writeManyFiles,
  type ActionMeasured,
  type Measured
} from './lib.ts'
import { caseDownloadUrl, caseListing } from './release.ts'
import { caseVerifyLarge, caseVerifySmall } from './verify.ts'

// ── arguments ───────────────────────────────────────────────────────────────────────────────────

const CASES = [
  'small',
  'large',
  'many',
  'memory',
  'startup',
  'listing',
  'download-url',
  'verify-small',
  'verify-large'
] as const
type CaseName = (typeof CASES)[number]
const USAGE = `usage: npm run bench -- [--quick] [--only ${CASES.join('|')}|1-${CASES.length}[,…]]`

function parseCli(): { quick: boolean; only: Set<CaseName> } {
  let values: { quick?: boolean; only?: string; help?: boolean }
  try {
    values = parseArgs({
      options: {
        quick: { type: 'boolean' },
        only: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true
    }).values
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`)
    process.exit(2)
  }
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const only = new Set<CaseName>()
  for (const raw of (values.only ?? CASES.join(',')).split(',')) {
    const name = /^\d+$/.test(raw) ? CASES[Number(raw) - 1] : CASES.find((c) => c === raw)
    if (!name) {
      console.error(`unknown case '${raw}'\n${USAGE}`)
      process.exit(2)
    }
    only.add(name)
  }
  return { quick: values.quick ?? false, only }
}

const { quick, only } = parseCli()
/**
 * Repetitions of a cheap timed run, of a middling one, of a GiB run (case 9's pairs too), of a
 * 10,000-file run, and of a pair of runs with and without a release input (cases 6, 7 and 8).
 */
const REPS = quick
  ? { small: 3, medium: 1, big: 1, many: 1, pair: 3 }
  : { small: 5, medium: 3, big: 3, many: 3, pair: 7 }

// ── shared fixtures ─────────────────────────────────────────────────────────────────────────────

const MiB = 1024 * 1024
const GiB = 1024 * MiB

/** The temp dir for big files, shared by the 1 GiB and memory cases. */
let dataDir: string | undefined
async function dataFile(name: string, make: (file: string) => Promise<void>): Promise<string> {
  dataDir ??= await tempDir('data')
  const file = path.join(dataDir, name)
  const exists = await access(file).then(
    () => true,
    () => false
  )
  if (!exists) await make(file)
  return file
}

/** A file of `mebibytes` MiB of random-ish content: one random MiB written over and over. */
async function randomFile(name: string, mebibytes: number): Promise<string> {
  return dataFile(name, async (file) => {
    const started = performance.now()
    const block = randomBytes(MiB)
    const handle = await open(file, 'w')
    try {
      for (let i = 0; i < mebibytes; i++) {
        block.writeUInt32LE(i, 0) // no two MiB alike
        await handle.write(block)
      }
    } finally {
      await handle.close()
    }
    if (mebibytes >= 64)
      console.log(`  (wrote ${name}, ${mebibytes} MiB, in ${ms(performance.now() - started)})`)
  })
}

/** A sparse file: fs.truncate costs no disk, reading it gives zeros. */
async function sparseFile(name: string, bytes: number): Promise<string> {
  return dataFile(name, async (file) => {
    await writeFile(file, '')
    await truncate(file, bytes)
  })
}

/**
 * One `node -e ''` and one run of the bundle on a dry run that matches nothing (it loads every
 * dependency, reads the inputs, globs an empty directory and exits). Cases 1 and 5 take one of
 * each per repetition, next to their own runs, so that all of them see the same machine load.
 */
async function startupBaselineOnce(): Promise<{ nodeOnly: Measured; noMatch: ActionMeasured }> {
  const dir = await tempDir('empty')
  try {
    const nodeOnly = await measure(NODE, ['-e', ''])
    expectSuccess(nodeOnly, "node -e ''")
    const noMatch = await runBundle({
      workspace: dir,
      inputs: dryRunInputs('nothing-*.none', { 'if-no-files-found': 'ignore' })
    })
    expectSuccess(noMatch, 'dry run matching nothing')
    return { nodeOnly, noMatch }
  } finally {
    await removeDir(dir)
  }
}

/** An untimed run with the probe preloaded (see diagnose.ts), printed under `title`. */
async function printDiagnosis(
  emulator: Emulator,
  title: string,
  options: Parameters<typeof diagnose>[0],
  pick: (lines: string[]) => string[] = (lines) => lines
): Promise<void> {
  emulator.reset()
  const d = await diagnose(options)
  console.log(title)
  for (const line of pick(describe(d))) console.log(`    ${line}`)
}

// ── case 1: 150 small files behind 20 ms of latency ─────────────────────────────────────────────

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

/** Case 1: the action against the seed's curl loop, sequential and 8 at a time, and the latency floor. */
async function caseSmall(): Promise<void> {
  const { files, size, latency } = SMALL
  console.log(
    `\n## 1. ${files} files of ${size} bytes, ${latency} ms latency on every request (API and storage)`
  )
  await warmUp()
  const emulator = await emulatorWith({ latencyMs: latency, keepBytes: false })
  const ws = await tempDir('small')
  await writeManyFiles(ws, files, size, smallFile)
  const inputs = uploadInputs(emulator, 'reports/')
  emulator.reset()
  expectUploaded(await runBundle({ workspace: ws, inputs }), files, 'warm-up')
  const figures = reportSmall(await measureSmall(emulator, ws, inputs))
  await printDiagnosis(
    emulator,
    '  diagnostic run (untimed, undici diagnostics channels preloaded):',
    { workspace: ws, inputs }
  )
  const put = emulator.requests.filter((r) => r.step === 'put')
  console.log(
    `    emulator saw ${emulator.requests.length} requests; PUT Content-Length ${put[0]?.headers['content-length']}, transfer-encoding ${put[0]?.headers['transfer-encoding'] ?? 'none'}`
  )
  smallRows(figures)
  await emulator.close()
  await removeDir(ws)
}

/** Each repetition runs the action, its dry run, the start-up baselines and the curl loop. */
async function measureSmall(
  emulator: Emulator,
  ws: string,
  inputs: Record<string, string>
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
  for (let i = 0; i < REPS.small; i++) {
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
      `  run ${i + 1}/${REPS.small}: action ${ms(run.wallMs)} (${mb(run.maxRss)}), dry run ${ms(dryRun.wallMs)}, curl loop ${ms(loop.wallMs)}, curl -P 8 ${ms(parallel.wallMs)}`
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
function reportSmall(runs: SmallRuns): SmallFigures {
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
  console.log(`  emulator CPU per action run: ${ms(runs.emulatorCpu / REPS.small)}`)
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
function smallRows({ actionMs, curlMs, parallelMs, floor, dryMs }: SmallFigures): void {
  const { files, latency } = SMALL
  row(
    {
      case: `1. ${files} × 2 KiB, ${latency} ms: curl loop ÷ action`,
      action: ms(actionMs),
      baseline: `${ms(curlMs)} (curl loop)`,
      ratio: times(curlMs / actionMs),
      target: '≥ 15×'
    },
    curlMs / actionMs >= 15
  )
  row(
    {
      case: `1. ${files} × 2 KiB, ${latency} ms: curl -P 8 ÷ action`,
      action: ms(actionMs),
      baseline: `${ms(parallelMs)} (curl, xargs -P 8)`,
      ratio: times(parallelMs / actionMs),
      target: '> 1× (ahead)'
    },
    parallelMs / actionMs > 1
  )
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
}

// ── case 2: one 1 GiB file ──────────────────────────────────────────────────────────────────────

/** The type both the action and curl send the 1 GiB file as. */
const BIG_MIME = 'application/octet-stream'

/** Every run of case 2, with the emulator's CPU time summed over each kind. */
interface LargeRuns {
  action: ActionMeasured[]
  curl: Measured[]
  actionCpu: number
  curlCpu: number
}

/** Case 2: the action against `curl -T` of the same 1 GiB file. */
async function caseLarge(): Promise<void> {
  console.log('\n## 2. One 1 GiB file, no added latency (storage hashes, keeps no bytes)')
  await warmUp()
  const file = await randomFile('big.bin', 1024)
  const ws = path.dirname(file)
  const emulator = await emulatorWith({ keepBytes: false })
  const inputs = uploadInputs(emulator, 'big.bin')
  const runs: LargeRuns = { action: [], curl: [], actionCpu: 0, curlCpu: 0 }
  for (let i = 0; i < REPS.big; i++) {
    const [run, cpu] = await uploadLarge(emulator, ws, inputs)
    runs.action.push(run)
    runs.actionCpu += cpu
    const [put, cpu2] = await curlLarge(emulator, file)
    runs.curl.push(put)
    runs.curlCpu += cpu2
    console.log(
      `  run ${i + 1}/${REPS.big}: action ${ms(run.wallMs)} (${mb(run.maxRss)}, CPU ${ms(run.cpuS * 1000)}), curl -T ${ms(put.wallMs)} (CPU ${ms(put.cpuS * 1000)})`
    )
  }
  const { actionMs, curlMs } = reportLarge(runs)
  await printDiagnosis(emulator, '  diagnostic run (untimed):', { workspace: ws, inputs })
  row(
    {
      case: '2. 1 GiB: action ÷ curl -T',
      action: ms(actionMs),
      baseline: `${ms(curlMs)} (curl -T)`,
      ratio: times(actionMs / curlMs),
      target: '≤ 1.1×'
    },
    actionMs / curlMs <= 1.1
  )
  await emulator.close()
}

/** One timed upload of the 1 GiB file by the action, with the emulator's CPU time meanwhile. */
async function uploadLarge(
  emulator: Emulator,
  ws: string,
  inputs: Record<string, string>
): Promise<[ActionMeasured, number]> {
  emulator.reset()
  const [run, cpu] = await withOwnCpu(() => runBundle({ workspace: ws, inputs }))
  expectUploaded(run, 1, 'action')
  const sent = (JSON.parse(run.outputs.files ?? '[]') as { mime_type?: string }[])[0]?.mime_type
  if (sent !== BIG_MIME) throw new Error(`the action sent ${sent}, curl sends ${BIG_MIME}`)
  return [run, cpu]
}

/** One timed `curl -T` of the 1 GiB file to a fresh upload URL, with the emulator's CPU time. */
async function curlLarge(emulator: Emulator, file: string): Promise<[Measured, number]> {
  emulator.reset()
  const { id, url } = await createUrl(emulator)
  const [put, cpu] = await withOwnCpu(() =>
    // Expect: off saves curl a 100-continue round trip: the baseline is curl at its best.
    measure('curl', [
      '-sS',
      '-f',
      '-o',
      '/dev/null',
      '-T',
      file,
      '-H',
      `Content-Type: ${BIG_MIME}`,
      '-H',
      'Expect:',
      url
    ])
  )
  expectSuccess(put, 'curl -T')
  const stored = emulator.files.get(id)?.stored
  if (stored?.size !== GiB) throw new Error(`curl -T: storage holds ${stored?.size} bytes`)
  return [put, cpu]
}

/** A fresh upload URL from a create made here, untimed. */
async function createUrl(emulator: Emulator): Promise<{ id: number; url: string }> {
  const response = await fetch(`${emulator.apiUrl}/api/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      project_id: PROJECT,
      name: 'big.bin',
      mime_type: BIG_MIME,
      size_bytes: GiB
    })
  })
  const body = (await response.json()) as { data: { file: { id: number; upload_url: string } } }
  return { id: body.data.file.id, url: body.data.file.upload_url }
}

/** Prints case 2's medians and throughputs. */
function reportLarge(runs: LargeRuns): { actionMs: number; curlMs: number } {
  const actionMs = wallOf(runs.action)
  const curlMs = wallOf(runs.curl)
  const rate = (wall: number): string => `${(((GiB / wall) * 1000) / 1e6).toFixed(0)} MB/s`
  console.log(
    `  action: median ${ms(actionMs)} (${rate(actionMs)} end to end), peak RSS ${mb(rssOf(runs.action))}`
  )
  console.log(`  curl -T: median ${ms(curlMs)} (${rate(curlMs)})`)
  console.log(
    `  emulator CPU per run (it hashes the GiB): during the action ${ms(runs.actionCpu / REPS.big)}, during curl ${ms(runs.curlCpu / REPS.big)}`
  )
  return { actionMs, curlMs }
}

// ── case 3: many tiny files ─────────────────────────────────────────────────────────────────────

/** The medians of one file count. */
interface ManyResult {
  count: number
  wall: number
  rss: number
  cpu: number
  dryRss: number
}

/** Case 3: wall time and peak RSS as the number of files grows. */
async function caseMany(): Promise<void> {
  const counts = quick ? [2500, 5000] : [2500, 5000, 10_000]
  console.log(`\n## 3. Many tiny files (16 bytes each, in nested directories), no added latency`)
  await warmUp()
  const emulator = await emulatorWith({ keepBytes: false })
  const results: ManyResult[] = []
  for (const count of counts) {
    const ws = await tempDir(`many${count}`)
    await writeManyFiles(ws, count, 16, (i) => `out/t${i % 5}/s${Math.floor(i / 5) % 4}/f${i}.txt`)
    const inputs = uploadInputs(emulator, 'out/')
    results.push(await measureMany(emulator, ws, inputs, count))
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
  manyRows(results)
  await emulator.close()
}

/** Uploads `count` files a few times, then runs their dry run once; prints and returns the medians. */
async function measureMany(
  emulator: Emulator,
  ws: string,
  inputs: Record<string, string>,
  count: number
): Promise<ManyResult> {
  const reps = count >= 10_000 ? REPS.many : REPS.medium
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
function manyRows(results: ManyResult[]): void {
  const [a, b, c] = results
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
  for (const r of results) {
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
  }
  if (a && b) linearity(a, b, c)
}

/** Prints the marginal cost per file between counts; with three counts, compares the two. */
function linearity(a: ManyResult, b: ManyResult, c: ManyResult | undefined): void {
  const last = c ?? b
  const prev = c ? b : a
  const early = (b.wall - a.wall) / (b.count - a.count)
  const late = (last.wall - prev.wall) / (last.count - prev.count)
  console.log(
    `  marginal cost: ${early.toFixed(3)} ms per file from ${a.count} to ${b.count}${c ? `, ${late.toFixed(3)} ms per file from ${b.count} to ${c.count}` : ''}`
  )
  if (!c) return
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
}

// ── case 4: peak memory against file size ───────────────────────────────────────────────────────

/** One file size of case 4. */
interface MemorySize {
  label: string
  bytes: number
  make: () => Promise<string>
}

/** Case 4: peak RSS above a dry run, from 1 MiB to 1 GiB (4 GiB sparse in a full run). */
async function caseMemory(): Promise<void> {
  console.log(
    '\n## 4. Peak RSS against file size (action vs the same bundle on a dry run of the same file)'
  )
  await warmUp()
  const emulator = await emulatorWith({ keepBytes: false })
  const sizes: MemorySize[] = [
    { label: '1 MiB', bytes: MiB, make: () => randomFile('m1.bin', 1) },
    { label: '64 MiB', bytes: 64 * MiB, make: () => randomFile('m64.bin', 64) },
    { label: '1 GiB', bytes: GiB, make: () => randomFile('big.bin', 1024) }
  ]
  if (!quick) {
    sizes.push({
      label: '4 GiB sparse',
      bytes: 4 * GiB,
      make: () => sparseFile('sparse4g.bin', 4 * GiB)
    })
  }
  for (const size of sizes) await measureMemory(emulator, size)
  await emulator.close()
}

/** Peak RSS of uploads of one file against dry runs of it, alternating; prints and adds a row. */
async function measureMemory(emulator: Emulator, size: MemorySize): Promise<void> {
  const file = await size.make()
  const ws = path.dirname(file)
  const name = path.basename(file)
  const reps = size.bytes >= GiB ? REPS.big : REPS.medium
  const runs: ActionMeasured[] = []
  const dry: ActionMeasured[] = []
  for (let i = 0; i < reps; i++) {
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
    `  ${size.label} × ${reps}: peak RSS ${mb(rss)}, idle ${mb(idle)}, above idle ${mb(above)}; wall ${ms(wallOf(runs))}`
  )
  row(
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

// ── case 5: start-up ────────────────────────────────────────────────────────────────────────────

/** A proxy in front of the emulator's API that notes when the first connection and request come. */
interface Recorder {
  url: string
  /** performance.now() at the first accepted connection and first parsed request since reset(). */
  first: { connection: number; request: number }
  reset: () => void
  close: () => Promise<void>
}

/** What case 5 measured: spawn → first connection and → first request, and the baselines. */
interface StartupRuns {
  toConnection: number[]
  toRequest: number[]
  total: number[]
  nodeOnly: Measured[]
  noMatch: ActionMeasured[]
}

/**
 * How the first request is timed: the emulator records requests but not when they arrive, and
 * nothing is added to it. Instead `base-url` points at a small recording server in this process
 * that notes performance.now() when the first connection is accepted and when the first request's
 * headers are parsed, then forwards everything to the emulator's API. Both clocks are this
 * process's, and the start is performance.now() taken just before spawn(), so the figure includes
 * fork/exec, Node's boot, loading the bundle, reading inputs, the glob and the first connect. Only
 * the API goes through the recorder (storage URLs point at the emulator directly), and the recorder
 * adds its hop only after the moment measured. The child runs without GNU time here, so nothing sits
 * between spawn() and Node.
 */
async function caseStartup(): Promise<void> {
  console.log('\n## 5. Start-up')
  await warmUp()
  const emulator = await emulatorWith({ keepBytes: false })
  const recorder = await startRecorder(emulator.apiUrl)
  const ws = await tempDir('startup')
  await writeManyFiles(ws, 1, 2048, () => 'report.json')
  const runs = await measureStartup(emulator, recorder, ws)
  const withRss: ActionMeasured[] = []
  for (let i = 0; i < REPS.small; i++) {
    emulator.reset()
    const run = await runBundle({ workspace: ws, inputs: uploadInputs(emulator, 'report.json') })
    expectUploaded(run, 1, 'one file')
    withRss.push(run)
  }
  const firstMs = reportStartup(runs, withRss)
  await printDiagnosis(emulator, '  diagnostic run (untimed; the preload itself adds a little):', {
    workspace: ws,
    inputs: uploadInputs(emulator, 'report.json')
  })
  startupRows(firstMs, runs)
  await recorder.close()
  await emulator.close()
  await removeDir(ws)
}

/** Starts the recorder on a free loopback port; it is closed at clean-up unless closed before. */
async function startRecorder(apiUrl: string): Promise<Recorder> {
  const first = { connection: NaN, request: NaN }
  const upstream = new Agent({ keepAlive: true })
  const server: Server = createServer((req, res) => {
    if (Number.isNaN(first.request)) first.request = performance.now()
    forward(req, res, apiUrl, upstream)
  })
  server.on('connection', () => {
    if (Number.isNaN(first.connection)) first.connection = performance.now()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const close = async (): Promise<void> => {
    upstream.destroy()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  const forget = onCleanUp(close)
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    first,
    reset: () => {
      first.connection = NaN
      first.request = NaN
    },
    close: async () => {
      forget()
      await close()
    }
  }
}

/** Passes one request on to the emulator's API and its answer back. */
function forward(req: IncomingMessage, res: ServerResponse, apiUrl: string, agent: Agent): void {
  const target = new URL(apiUrl)
  const request = httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    }
  )
  request.on('error', () => res.destroy())
  req.pipe(request)
}

/** Times spawn → first connection and → first request, after one untimed warm-up run. */
async function measureStartup(
  emulator: Emulator,
  recorder: Recorder,
  ws: string
): Promise<StartupRuns> {
  const inputs = { ...uploadInputs(emulator, 'report.json'), 'base-url': recorder.url }
  const runs: StartupRuns = {
    toConnection: [],
    toRequest: [],
    total: [],
    nodeOnly: [],
    noMatch: []
  }
  for (let i = 0; i < REPS.small + 1; i++) {
    emulator.reset()
    recorder.reset()
    let spawnedAt = NaN
    const run = await runBundle({
      workspace: ws,
      inputs,
      gnuTime: false,
      onSpawn: (t) => (spawnedAt = t)
    })
    expectUploaded(run, 1, 'one file')
    if (i === 0) continue // warm-up
    const baseline = await startupBaselineOnce()
    runs.nodeOnly.push(baseline.nodeOnly)
    runs.noMatch.push(baseline.noMatch)
    runs.toConnection.push(recorder.first.connection - spawnedAt)
    runs.toRequest.push(recorder.first.request - spawnedAt)
    runs.total.push(run.wallMs)
  }
  return runs
}

/** Prints case 5's medians; returns spawn → first request. */
function reportStartup(runs: StartupRuns, withRss: ActionMeasured[]): number {
  const firstMs = median(runs.toRequest)
  console.log(`  node -e '': ${ms(wallOf(runs.nodeOnly))}, peak RSS ${mb(rssOf(runs.nodeOnly))}`)
  console.log(
    `  bundle, dry run matching nothing (dependencies loaded, inputs read, empty glob): ${ms(wallOf(runs.noMatch))}, peak RSS ${mb(rssOf(runs.noMatch))}`
  )
  console.log(
    `  bundle uploading 1 file: spawn → first connection ${ms(median(runs.toConnection))}, → first request ${ms(firstMs)}, → exit ${ms(median(runs.total))}; peak RSS ${mb(rssOf(withRss))}`
  )
  return firstMs
}

/** Case 5's rows: the first-request target, and the bundle's own start-up for information. */
function startupRows(firstMs: number, { nodeOnly, noMatch }: StartupRuns): void {
  row(
    {
      case: '5. start-up: spawn → first request',
      action: ms(firstMs),
      baseline: `${ms(wallOf(nodeOnly))} (node -e '')`,
      ratio: times(firstMs / wallOf(nodeOnly)),
      target: '< 250 ms'
    },
    firstMs < 250
  )
  row(
    {
      case: '5. start-up: bundle dry run matching nothing',
      action: `${ms(wallOf(noMatch))}, ${mb(rssOf(noMatch))}`,
      baseline: `${ms(wallOf(nodeOnly))}, ${mb(rssOf(nodeOnly))} (node -e '')`,
      ratio: times(wallOf(noMatch) / wallOf(nodeOnly)),
      target: '—'
    },
    undefined
  )
}

// ── main ────────────────────────────────────────────────────────────────────────────────────────

async function machine(): Promise<void> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '')
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown'
  const curl = await measure('curl', ['--version'], { gnuTime: false })
  const bundle = (await readFile(DIST)).length
  console.log('# Benchmarks of the bundled action (dist/index.js) against the local emulator\n')
  console.log(
    `machine: ${model}, ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`
  )
  console.log(
    `node ${process.version} (${NODE}); ${curl.tail.split('\n')[0]?.split(' ').slice(0, 2).join(' ')}; bundle ${mb(bundle)}`
  )
  console.log(`mode: ${quick ? 'quick' : 'full'}; cases: ${[...only].join(', ')}`)
  console.log(`load average at the start: ${loadAverage()}`)
  if (os.loadavg()[0]! > 0.5) {
    console.log('  (other work is running on this machine: expect noisier figures, slower ones)')
  }
}

const CASE_RUNNERS: Record<CaseName, () => Promise<void>> = {
  small: caseSmall,
  large: caseLarge,
  many: caseMany,
  memory: caseMemory,
  startup: caseStartup,
  listing: () => caseListing(REPS.pair),
  'download-url': () => caseDownloadUrl(REPS.pair),
  'verify-small': () => caseVerifySmall(REPS.pair),
  'verify-large': () => caseVerifyLarge(REPS.big, () => randomFile('big.bin', 1024))
}

let interrupted = false
const onSignal = (signal: NodeJS.Signals): void => {
  if (interrupted) return
  interrupted = true
  console.error(`\n${signal}: stopping, cleaning up`)
  void cleanUp().finally(() => process.exit(130))
}
process.once('SIGINT', onSignal)
process.once('SIGTERM', onSignal)

const started = performance.now()
try {
  await machine()
  for (const name of CASES) {
    if (!only.has(name)) continue
    const caseStarted = performance.now()
    await CASE_RUNNERS[name]()
    console.log(`  (case took ${ms(performance.now() - caseStarted)})`)
  }
  printTable()
  console.log(`\nload average at the end: ${loadAverage()}`)
  console.log(
    `Targets of my own choosing: linearity ≤ 1.25×. "idle" = the bundle on a dry run of the same file. MB = 10^6 bytes. Total ${ms(performance.now() - started)}.`
  )
} catch (error) {
  process.exitCode = 1
  // After Ctrl-C the children were killed on purpose: their failures are not news.
  if (!interrupted) {
    console.error(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`
    )
    if (hasRows()) printTable()
  }
} finally {
  if (!interrupted) await cleanUp()
}
