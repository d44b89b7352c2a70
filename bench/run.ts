// The benchmarks behind the README's Performance section: `npm run bench` (add `-- --quick` for
// fewer repetitions without the 4 GiB and 10,000-file runs, `-- --only <case>` for one case).
//
// Everything runs in this one process tree on loopback: the emulator of the Files API and of
// presigned storage lives in this process, and the bundled dist/index.js is spawned exactly as a
// runner spawns it (INPUT_* environment, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, cwd = the
// workspace), under GNU time for its peak RSS. Wall times are taken here, from just before spawn()
// to the child's exit. Note that the emulator shares this machine's two cores with the action: it
// hashes every uploaded byte and signs every URL, as storage and the API would, but elsewhere.
import { randomBytes } from 'node:crypto'
import { access, open, readFile, truncate, writeFile } from 'node:fs/promises'
import { createServer, request as httpRequest, Agent, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/emulator.ts'
import { describe, diagnose } from './diagnose.ts'
import {
  cleanUp,
  CURL_LOOP,
  DIST,
  expectSuccess,
  expectUploaded,
  markdownTable,
  mb,
  measure,
  median,
  ms,
  NODE,
  onCleanUp,
  removeDir,
  runBundle,
  tempDir,
  times,
  writeManyFiles,
  type ActionMeasured,
  type Measured
} from './lib.ts'

// ── arguments ───────────────────────────────────────────────────────────────────────────────────

const CASES = ['small', 'large', 'many', 'memory', 'startup'] as const
type CaseName = (typeof CASES)[number]
const USAGE = `usage: npm run bench -- [--quick] [--only ${CASES.join('|')}|1-5[,…]]`

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
    const name = /^[1-5]$/.test(raw) ? CASES[Number(raw) - 1] : CASES.find((c) => c === raw)
    if (!name) {
      console.error(`unknown case '${raw}'\n${USAGE}`)
      process.exit(2)
    }
    only.add(name)
  }
  return { quick: values.quick ?? false, only }
}

const { quick, only } = parseCli()
/** Repetitions of a cheap timed run, of a GiB run, of a 10,000-file run. */
const REPS = quick ? { small: 3, big: 1, many: 1 } : { small: 5, big: 3, many: 3 }

// ── the final table ─────────────────────────────────────────────────────────────────────────────

interface Row {
  case: string
  action: string
  baseline: string
  ratio: string
  target: string
  pass: boolean | undefined
}
const rows: Row[] = []

function row(r: Omit<Row, 'pass'>, pass: boolean | undefined): void {
  rows.push({ ...r, pass })
}

function printTable(): void {
  console.log('\n## Results\n')
  console.log(
    markdownTable(
      ['case', 'action', 'baseline', 'ratio', 'target', 'result'],
      rows.map((r) => [
        r.case,
        r.action,
        r.baseline,
        r.ratio,
        r.target,
        r.pass === undefined ? 'info' : r.pass ? 'pass' : 'FAIL'
      ])
    )
  )
}

// ── shared fixtures ─────────────────────────────────────────────────────────────────────────────

const KEY = 'bench-key'
const PROJECT = 1
const MiB = 1024 * 1024
const GiB = 1024 * MiB

async function emulatorWith(options: EmulatorOptions): Promise<Emulator> {
  const emulator = await startEmulator({ apiKey: KEY, projects: [PROJECT], ...options })
  const forget = onCleanUp(() => emulator.close())
  const close = emulator.close
  emulator.close = async () => {
    forget()
    await close()
  }
  return emulator
}

function uploadInputs(emulator: Emulator, files: string, extra: Record<string, string> = {}) {
  return {
    'auth-key': KEY,
    'project-id': String(PROJECT),
    'base-url': emulator.apiUrl,
    files,
    ...extra
  }
}

function dryRunInputs(files: string, extra: Record<string, string> = {}) {
  return { 'project-id': String(PROJECT), files, 'dry-run': 'true', ...extra }
}

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

/** One run of each, untimed, so the first timed run does not pay for a cold page cache. */
let warmedUp = false
async function warmUp(): Promise<void> {
  if (warmedUp) return
  warmedUp = true
  const dir = await tempDir('warm')
  await measure(NODE, ['-e', ''])
  await runBundle({
    workspace: dir,
    inputs: dryRunInputs('nothing-*.none', { 'if-no-files-found': 'ignore' })
  })
  await removeDir(dir)
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

const wallOf = (runs: readonly Measured[]): number => median(runs.map((r) => r.wallMs))
const rssOf = (runs: readonly Measured[]): number => median(runs.map((r) => r.maxRss))
const cpuOf = (runs: readonly Measured[]): number => median(runs.map((r) => r.cpuS * 1000))

/** CPU ms this process (the emulator, mostly) spent while `work` ran. */
async function withOwnCpu<T>(work: () => Promise<T>): Promise<[T, number]> {
  const before = process.cpuUsage()
  const result = await work()
  const used = process.cpuUsage(before)
  return [result, (used.user + used.system) / 1000]
}

// ── case 1: 150 small files behind 20 ms of latency ─────────────────────────────────────────────

async function caseSmall(): Promise<void> {
  const FILES = 150
  const SIZE = 2048
  const LATENCY = 20
  const CONCURRENCY = 8
  console.log(
    `\n## 1. ${FILES} files of ${SIZE} bytes, ${LATENCY} ms latency on every request (API and storage)`
  )
  await warmUp()
  const emulator = await emulatorWith({ latencyMs: LATENCY, keepBytes: false })
  const ws = await tempDir('small')
  await writeManyFiles(ws, FILES, SIZE, (i) => `reports/r${String(i).padStart(3, '0')}.json`)
  const inputs = uploadInputs(emulator, 'reports/')
  const list =
    Array.from(
      { length: FILES },
      (_, i) => `${SIZE} reports/r${String(i).padStart(3, '0')}.json`
    ).join('\n') + '\n'

  const expectAll = (what: string): void => {
    const uploaded = emulator.uploaded().length
    if (uploaded !== FILES) throw new Error(`${what}: the emulator holds ${uploaded} of ${FILES}`)
  }
  emulator.reset()
  expectUploaded(await runBundle({ workspace: ws, inputs }), FILES, 'warm-up')

  const action: ActionMeasured[] = []
  const curl: Measured[] = []
  const dry: ActionMeasured[] = []
  const nodeOnly: Measured[] = []
  const noMatch: ActionMeasured[] = []
  let emulatorCpu = 0
  for (let i = 0; i < REPS.small; i++) {
    emulator.reset()
    const [run, cpu] = await withOwnCpu(() => runBundle({ workspace: ws, inputs }))
    expectUploaded(run, FILES, 'action')
    expectAll('action')
    action.push(run)
    emulatorCpu += cpu
    const dryRun = await runBundle({ workspace: ws, inputs: dryRunInputs('reports/') })
    expectSuccess(dryRun, 'dry run')
    dry.push(dryRun)
    const baseline = await startupBaselineOnce()
    nodeOnly.push(baseline.nodeOnly)
    noMatch.push(baseline.noMatch)
    emulator.reset()
    const loop = await measure(
      'bash',
      [CURL_LOOP, emulator.apiUrl, KEY, String(PROJECT), 'application/json'],
      { cwd: ws, stdin: list, gnuTime: false }
    )
    expectSuccess(loop, 'curl loop')
    expectAll('curl loop')
    curl.push(loop)
    console.log(
      `  run ${i + 1}/${REPS.small}: action ${ms(run.wallMs)} (${mb(run.maxRss)}), dry run ${ms(dryRun.wallMs)}, curl loop ${ms(loop.wallMs)}`
    )
  }
  const actionMs = wallOf(action)
  const curlMs = wallOf(curl)
  const floor = (FILES * 3 * LATENCY) / CONCURRENCY
  const dryMs = wallOf(dry)
  const rounds = Math.ceil(FILES / CONCURRENCY) * 3 * LATENCY
  console.log(
    `  action (concurrency ${CONCURRENCY}): median ${ms(actionMs)}, peak RSS ${mb(rssOf(action))}, CPU ${ms(cpuOf(action))}`
  )
  console.log(`  emulator CPU per action run: ${ms(emulatorCpu / REPS.small)}`)
  console.log(
    `  curl loop: median ${ms(curlMs)} = ${ms(curlMs / FILES)} per file, ${ms(curlMs / FILES / 3)} per request (${LATENCY} ms of it is latency)`
  )
  console.log(
    `  latency floor: ${FILES} × 3 × ${LATENCY} ms ÷ ${CONCURRENCY} = ${ms(floor)} (in whole rounds of ${CONCURRENCY}: ${ms(rounds)})`
  )
  console.log(
    `  start-up, dry run of the same ${FILES} files: ${ms(dryMs)} → floor + start-up = ${ms(floor + dryMs)}`
  )
  console.log(
    `  start-up, node -e '' + bundle load (dry run matching nothing): ${ms(wallOf(noMatch))} → floor + start-up = ${ms(floor + wallOf(noMatch))}; node -e '' alone: ${ms(wallOf(nodeOnly))}`
  )

  emulator.reset()
  const d = await diagnose({ workspace: ws, inputs })
  console.log('  diagnostic run (untimed, undici diagnostics channels preloaded):')
  for (const line of describe(d)) console.log(`    ${line}`)
  const put = emulator.requests.filter((r) => r.step === 'put')
  console.log(
    `    emulator saw ${emulator.requests.length} requests; PUT Content-Length ${put[0]?.headers['content-length']}, transfer-encoding ${put[0]?.headers['transfer-encoding'] ?? 'none'}`
  )

  row(
    {
      case: `1. ${FILES} × 2 KiB, ${LATENCY} ms: curl loop ÷ action`,
      action: ms(actionMs),
      baseline: `${ms(curlMs)} (curl loop)`,
      ratio: times(curlMs / actionMs),
      target: '≥ 15×'
    },
    curlMs / actionMs >= 15
  )
  row(
    {
      case: `1. ${FILES} × 2 KiB, ${LATENCY} ms: action ÷ (floor + start-up)`,
      action: ms(actionMs),
      baseline: `${ms(floor)} + ${ms(dryMs)} = ${ms(floor + dryMs)}`,
      ratio: times(actionMs / (floor + dryMs)),
      target: '≤ 1.3×'
    },
    actionMs / (floor + dryMs) <= 1.3
  )
  await emulator.close()
  await removeDir(ws)
}

// ── case 2: one 1 GiB file ──────────────────────────────────────────────────────────────────────

async function caseLarge(): Promise<void> {
  console.log('\n## 2. One 1 GiB file, no added latency (storage hashes, keeps no bytes)')
  await warmUp()
  const file = await randomFile('big.bin', 1024)
  const ws = path.dirname(file)
  const MIME = 'application/octet-stream'
  const emulator = await emulatorWith({ keepBytes: false })
  const inputs = uploadInputs(emulator, 'big.bin')

  /** A fresh upload URL from a create made here, untimed. */
  const createUrl = async (): Promise<{ id: number; url: string }> => {
    const response = await fetch(`${emulator.apiUrl}/api/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        project_id: PROJECT,
        name: 'big.bin',
        mime_type: MIME,
        size_bytes: GiB
      })
    })
    const body = (await response.json()) as { data: { file: { id: number; upload_url: string } } }
    return { id: body.data.file.id, url: body.data.file.upload_url }
  }

  const action: ActionMeasured[] = []
  const curl: Measured[] = []
  let actionCpu = 0
  let curlCpu = 0
  for (let i = 0; i < REPS.big; i++) {
    emulator.reset()
    const [run, cpu] = await withOwnCpu(() => runBundle({ workspace: ws, inputs }))
    expectUploaded(run, 1, 'action')
    const sent = (JSON.parse(run.outputs.files ?? '[]') as { mime_type?: string }[])[0]?.mime_type
    if (sent !== MIME) throw new Error(`the action sent ${sent}, curl sends ${MIME}`)
    action.push(run)
    actionCpu += cpu
    emulator.reset()
    const { id, url } = await createUrl()
    const [put, cpu2] = await withOwnCpu(() =>
      // Expect: off saves curl a 100-continue round trip: the baseline is curl at its best.
      measure('curl', [
        '-sS',
        '-f',
        '-o',
        '/dev/null',
        '-T',
        file,
        '-H',
        `Content-Type: ${MIME}`,
        '-H',
        'Expect:',
        url
      ])
    )
    expectSuccess(put, 'curl -T')
    const stored = emulator.files.get(id)?.stored
    if (stored?.size !== GiB) throw new Error(`curl -T: storage holds ${stored?.size} bytes`)
    curl.push(put)
    curlCpu += cpu2
    console.log(
      `  run ${i + 1}/${REPS.big}: action ${ms(run.wallMs)} (${mb(run.maxRss)}, CPU ${ms(run.cpuS * 1000)}), curl -T ${ms(put.wallMs)} (CPU ${ms(put.cpuS * 1000)})`
    )
  }
  const actionMs = wallOf(action)
  const curlMs = wallOf(curl)
  const rate = (wall: number): string => `${(((GiB / wall) * 1000) / 1e6).toFixed(0)} MB/s`
  console.log(
    `  action: median ${ms(actionMs)} (${rate(actionMs)} end to end), peak RSS ${mb(rssOf(action))}`
  )
  console.log(`  curl -T: median ${ms(curlMs)} (${rate(curlMs)})`)
  console.log(
    `  emulator CPU per run (it hashes the GiB): during the action ${ms(actionCpu / REPS.big)}, during curl ${ms(curlCpu / REPS.big)}`
  )
  emulator.reset()
  const d = await diagnose({ workspace: ws, inputs })
  console.log('  diagnostic run (untimed):')
  for (const line of describe(d)) console.log(`    ${line}`)
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

// ── case 3: many tiny files ─────────────────────────────────────────────────────────────────────

async function caseMany(): Promise<void> {
  const counts = quick ? [2500, 5000] : [2500, 5000, 10_000]
  console.log(`\n## 3. Many tiny files (16 bytes each, in nested directories), no added latency`)
  await warmUp()
  const emulator = await emulatorWith({ keepBytes: false })
  const results: { count: number; wall: number; rss: number; cpu: number; dryRss: number }[] = []
  for (const count of counts) {
    const ws = await tempDir(`many${count}`)
    await writeManyFiles(ws, count, 16, (i) => `out/t${i % 5}/s${Math.floor(i / 5) % 4}/f${i}.txt`)
    const inputs = uploadInputs(emulator, 'out/')
    const reps = count >= 10_000 ? REPS.many : REPS.small === 5 ? 3 : 1
    const runs: ActionMeasured[] = []
    let emulatorCpu = 0
    for (let i = 0; i < reps; i++) {
      emulator.reset()
      const [run, cpu] = await withOwnCpu(() => runBundle({ workspace: ws, inputs }))
      expectUploaded(run, count, `${count} files`)
      if (emulator.uploaded().length !== count)
        throw new Error(`${count} files: emulator disagrees`)
      runs.push(run)
      emulatorCpu += cpu
    }
    const dry = await runBundle({ workspace: ws, inputs: dryRunInputs('out/') })
    expectSuccess(dry, 'dry run')
    const wall = wallOf(runs)
    results.push({ count, wall, rss: rssOf(runs), cpu: cpuOf(runs), dryRss: dry.maxRss })
    console.log(
      `  ${count} files × ${reps}: median ${ms(wall)} = ${(wall / count).toFixed(3)} ms per file, peak RSS ${mb(rssOf(runs))} (dry run: ${mb(dry.maxRss)}, ${ms(dry.wallMs)}), action CPU ${ms(cpuOf(runs))}, emulator CPU ${ms(emulatorCpu / reps)}`
    )
    if (count === counts[0]) {
      emulator.reset()
      const d = await diagnose({ workspace: ws, inputs, gcEveryMs: 250 })
      console.log(
        `  diagnostic run of ${count} files with a full GC every 250 ms (untimed, and slowed by the GCs):`
      )
      for (const line of describe(d).slice(-3)) console.log(`    ${line}`)
    }
    if (count === counts[counts.length - 1]) {
      emulator.reset()
      const d = await diagnose({ workspace: ws, inputs })
      console.log(`  diagnostic run of ${count} files (untimed):`)
      for (const line of describe(d)) console.log(`    ${line}`)
    }
    await removeDir(ws)
  }
  const [a, b, c] = results
  if (c) {
    row(
      {
        case: '3. 10,000 × 16 B: peak RSS',
        action: mb(c.rss),
        baseline: `${mb(c.dryRss)} (dry run)`,
        ratio: '—',
        target: '< 150 MB'
      },
      c.rss < 150e6
    )
  } else {
    row(
      {
        case: '3. 10,000 × 16 B: peak RSS',
        action: 'skipped (--quick)',
        baseline: '—',
        ratio: '—',
        target: '< 150 MB'
      },
      undefined
    )
  }
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
  if (a && b) {
    const last = c ?? b
    const prev = c ? b : a
    const early = (b.wall - a.wall) / (b.count - a.count)
    const late = (last.wall - prev.wall) / (last.count - prev.count)
    console.log(
      `  marginal cost: ${early.toFixed(3)} ms per file from ${a.count} to ${b.count}${c ? `, ${late.toFixed(3)} ms per file from ${b.count} to ${c.count}` : ''}`
    )
    if (c) {
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
  }
  await emulator.close()
}

// ── case 4: peak memory against file size ───────────────────────────────────────────────────────

async function caseMemory(): Promise<void> {
  console.log(
    '\n## 4. Peak RSS against file size (action vs the same bundle on a dry run of the same file)'
  )
  await warmUp()
  const emulator = await emulatorWith({ keepBytes: false })
  const sizes: { label: string; make: () => Promise<string>; bytes: number }[] = [
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
  for (const size of sizes) {
    const file = await size.make()
    const ws = path.dirname(file)
    const name = path.basename(file)
    const reps = size.bytes >= GiB ? REPS.big : REPS.small === 5 ? 3 : 1
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
  await emulator.close()
}

// ── case 5: start-up ────────────────────────────────────────────────────────────────────────────

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
  let firstConnection = NaN
  let firstRequest = NaN
  const upstream = new Agent({ keepAlive: true })
  const recorder: Server = createServer((req, res) => {
    if (Number.isNaN(firstRequest)) firstRequest = performance.now()
    const target = new URL(emulator.apiUrl)
    const forward = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: upstream
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  recorder.on('connection', () => {
    if (Number.isNaN(firstConnection)) firstConnection = performance.now()
  })
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve))
  const closeRecorder = async (): Promise<void> => {
    upstream.destroy()
    recorder.closeAllConnections()
    await new Promise<void>((resolve) => recorder.close(() => resolve()))
  }
  const forget = onCleanUp(closeRecorder)
  const recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`

  const ws = await tempDir('startup')
  await writeManyFiles(ws, 1, 2048, () => 'report.json')
  const inputs = { ...uploadInputs(emulator, 'report.json'), 'base-url': recorderUrl }
  const toConnection: number[] = []
  const toRequest: number[] = []
  const total: number[] = []
  const nodeOnly: Measured[] = []
  const noMatch: ActionMeasured[] = []
  for (let i = 0; i < REPS.small + 1; i++) {
    emulator.reset()
    firstConnection = NaN
    firstRequest = NaN
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
    nodeOnly.push(baseline.nodeOnly)
    noMatch.push(baseline.noMatch)
    toConnection.push(firstConnection - spawnedAt)
    toRequest.push(firstRequest - spawnedAt)
    total.push(run.wallMs)
  }
  const withRss: ActionMeasured[] = []
  for (let i = 0; i < REPS.small; i++) {
    emulator.reset()
    const run = await runBundle({ workspace: ws, inputs: uploadInputs(emulator, 'report.json') })
    expectUploaded(run, 1, 'one file')
    withRss.push(run)
  }
  const firstMs = median(toRequest)
  console.log(`  node -e '': ${ms(wallOf(nodeOnly))}, peak RSS ${mb(rssOf(nodeOnly))}`)
  console.log(
    `  bundle, dry run matching nothing (dependencies loaded, inputs read, empty glob): ${ms(wallOf(noMatch))}, peak RSS ${mb(rssOf(noMatch))}`
  )
  console.log(
    `  bundle uploading 1 file: spawn → first connection ${ms(median(toConnection))}, → first request ${ms(firstMs)}, → exit ${ms(median(total))}; peak RSS ${mb(rssOf(withRss))}`
  )
  emulator.reset()
  const d = await diagnose({ workspace: ws, inputs: uploadInputs(emulator, 'report.json') })
  console.log('  diagnostic run (untimed; the preload itself adds a little):')
  for (const line of describe(d)) console.log(`    ${line}`)
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
  forget()
  await closeRecorder()
  await emulator.close()
  await removeDir(ws)
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

function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
}

const CASE_RUNNERS: Record<CaseName, () => Promise<void>> = {
  small: caseSmall,
  large: caseLarge,
  many: caseMany,
  memory: caseMemory,
  startup: caseStartup
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
    if (rows.length) printTable()
  }
} finally {
  if (!interrupted) await cleanUp()
}
