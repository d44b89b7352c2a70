// What the benchmark cases share: the case type and the rows of the results table, the emulator
// and the inputs they run the bundle with, the small files of cases 1, 7, 8 and 10 and their
// pipelined floor, the big files of cases 2, 4 and 9, the warm-up and the start-up baselines, the
// untimed diagnostic runs, runs with and without an input in alternation (cases 6 to 9) and what
// the two verify cases check. Nothing here runs on import.
import { randomBytes } from 'node:crypto'
import { access, open, truncate, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/emulator.ts'
import { describe, diagnose } from './diagnose.ts'
import {
  expectSuccess,
  expectUploaded,
  markdownTable,
  measure,
  ms,
  NODE,
  onCleanUp,
  removeDir,
  runBundle,
  tempDir,
  writeManyFiles,
  type ActionMeasured,
  type Measured
} from './lib.ts'

// ── cases and the final table ───────────────────────────────────────────────────────────────────

/**
 * Repetitions of a cheap timed run, of a middling one, of a GiB run (case 9's pairs too), of a
 * 10,000-file run, of a pair of runs with and without a release input (cases 6, 7 and 8), and of
 * the small-files cases (1 and 10: the action on each target, its dry run and the curl baselines).
 */
export interface Reps {
  small: number
  medium: number
  big: number
  many: number
  pair: number
  /** The small-files cases: their figures are medians of this many runs. */
  floor: number
}

/** What the driver hands each case. */
export interface CaseOptions {
  /** `--quick`: fewer repetitions, and no 4 GiB or 10,000-file runs. */
  quick: boolean
  reps: Reps
}

/** One row of the final table; `pass` undefined makes it an 'info' row. */
export interface Row {
  case: string
  action: string
  baseline: string
  ratio: string
  target: string
  pass: boolean | undefined
}

/** One benchmark case: bench/cases/ holds one a file, bench/run.ts runs them in order. */
export interface BenchCase {
  /** Its number in the table's rows and in `--only`. */
  number: number
  /** Its name in `--only`. */
  name: string
  /** What it measures: the heading the driver prints before it runs, and its line in `--help`. */
  measures: string
  /** Runs the case after the warm-up, printing as it goes; resolves to its rows of the table. */
  run: (options: CaseOptions) => Promise<Row[]>
}

/** A row of the final table. */
export function row(r: Omit<Row, 'pass'>, pass: boolean | undefined): Row {
  return { ...r, pass }
}

export function printTable(rows: readonly Row[]): void {
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

// ── the emulator and inputs ─────────────────────────────────────────────────────────────────────

export const KEY = 'bench-key'
export const PROJECT = 1

/** An emulator with the bench's key and project, closed at clean-up unless closed before. */
export async function emulatorWith(options: EmulatorOptions): Promise<Emulator> {
  const emulator = await startEmulator({ apiKey: KEY, projects: [PROJECT], ...options })
  const forget = onCleanUp(() => emulator.close())
  const close = emulator.close
  emulator.close = async () => {
    forget()
    await close()
  }
  return emulator
}

/** The inputs of an upload of `files` to a server (the emulator, or any with its apiUrl). */
export function uploadInputs(
  emulator: Pick<Emulator, 'apiUrl'>,
  files: string,
  extra: Record<string, string> = {}
): Record<string, string> {
  return {
    'auth-key': KEY,
    'project-id': String(PROJECT),
    'base-url': emulator.apiUrl,
    files,
    ...extra
  }
}

export function dryRunInputs(
  files: string,
  extra: Record<string, string> = {}
): Record<string, string> {
  return { 'project-id': String(PROJECT), files, 'dry-run': 'true', ...extra }
}

/** One run of each, untimed, so the first timed run does not pay for a cold page cache. */
let warmedUp = false
export async function warmUp(): Promise<void> {
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
export async function startupBaselineOnce(): Promise<{
  nodeOnly: Measured
  noMatch: ActionMeasured
}> {
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
export async function printDiagnosis(
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

// ── the small files of cases 1 and 10 (and of the download-url and verify cases) ───────────────

export const SMALL = { files: 150, size: 2048, latency: 20, concurrency: 8 }

/** The file count of case 10, otherwise as SMALL. */
export const SMALL_400 = 400

/** The name of small file `i` under the workspace. */
export const smallFile = (i: number): string => `reports/r${String(i).padStart(3, '0')}.json`

/** A fresh temp dir holding `files` small files (SMALL's 150 unless told). */
export async function smallWorkspace(prefix: string, files = SMALL.files): Promise<string> {
  const ws = await tempDir(prefix)
  await writeManyFiles(ws, files, SMALL.size, smallFile)
  return ws
}

/** Throws unless the emulator holds every small file (SMALL's 150 unless told). */
export function expectAllSmall(emulator: Emulator, what: string, files = SMALL.files): void {
  const uploaded = emulator.uploaded().length
  if (uploaded !== files) {
    throw new Error(`${what}: the emulator holds ${uploaded} of ${files}`)
  }
}

/**
 * The pipelined floor: start-up + depth × latency + ⌈files ÷ concurrency⌉ × latency.
 * It is the time of a client that, `concurrency` files at a time, starts a file's first request
 * while the previous file's later ones are still in flight, so that each lane starts a file every
 * round trip, and whose file takes `depth` requests one after another (3: create, PUT, confirm).
 * Start-up is the action's dry run of the same files, measured beside it.
 */
export function pipelinedFloor({
  startUp,
  files,
  latency,
  concurrency,
  depth = 3
}: {
  startUp: number
  files: number
  latency: number
  concurrency: number
  depth?: number
}): number {
  return startUp + depth * latency + Math.ceil(files / concurrency) * latency
}

/** The floor's sum as printed: 'start-up 250 ms + 3 × 20 ms + ⌈150 ÷ 8⌉ = 19 × 20 ms'. */
export function floorSum({
  startUp,
  files,
  latency,
  concurrency,
  depth = 3
}: Parameters<typeof pipelinedFloor>[0]): string {
  const rounds = Math.ceil(files / concurrency)
  return `start-up ${ms(startUp)} + ${depth} × ${latency} ms + ⌈${files} ÷ ${concurrency}⌉ = ${rounds} × ${latency} ms`
}

// ── the big files of cases 2, 4 and 9 ───────────────────────────────────────────────────────────

export const MiB = 1024 * 1024
export const GiB = 1024 * MiB

/** The temp dir for big files, made at the first one and shared by every case after. */
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
export async function randomFile(name: string, mebibytes: number): Promise<string> {
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

/** How fast a GiB went in `wall` ms, in MB/s. */
export const gibRate = (wall: number): string => `${(((GiB / wall) * 1000) / 1e6).toFixed(0)} MB/s`

/** The 1 GiB file of cases 2, 4 and 9, written once. */
export const bigFile = (): Promise<string> => randomFile('big.bin', 1024)

/** A sparse file: fs.truncate costs no disk, reading it gives zeros. */
export async function sparseFile(name: string, bytes: number): Promise<string> {
  return dataFile(name, async (file) => {
    await writeFile(file, '')
    await truncate(file, bytes)
  })
}

// ── runs with and without an input (cases 6 to 9) ───────────────────────────────────────────────

/** One entry of the action's `files` output, as far as the cases read it. */
export interface OutputFile {
  name?: string
  existing?: boolean
  url?: string
  sha256?: string
}

/** The `files` output of a run, parsed. */
export function outputFiles(run: ActionMeasured): OutputFile[] {
  return JSON.parse(run.outputs.files || '[]') as OutputFile[]
}

/**
 * Runs `a` and `b` once per repetition, `a` first on even ones and `b` first on odd ones; with
 * `warmUp`, one untimed run of each before.
 */
export async function alternate<T extends { wallMs: number }>(
  reps: number,
  a: () => Promise<T>,
  b: () => Promise<T>,
  { warmUp = false } = {}
): Promise<{ a: T[]; b: T[] }> {
  if (warmUp) {
    await a()
    await b()
  }
  const runs = { a: [] as T[], b: [] as T[] }
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 0) runs.a.push(await a())
    runs.b.push(await b())
    if (i % 2 === 1) runs.a.push(await a())
    console.log(
      `  run ${i + 1}/${reps} (${i % 2 ? 'without first' : 'with first'}): with ${ms(runs.a[i]!.wallMs)}, without ${ms(runs.b[i]!.wallMs)}`
    )
  }
  return runs
}

// ── what the verify cases (8 and 9) check ───────────────────────────────────────────────────────
//
// With verify, every file is read back once confirmed (GET /api/files/{id} for its signed
// download URL, then GET the URL, hashed as it streams) and compared with what was read from
// disk. Until dist/index.js reads the input, INPUT_VERIFY is ignored: the runs "with" then
// download nothing, which the emulator's log shows; the rows say so and pass or fail nothing.

/** One run, with what the emulator saw of the read-backs. */
export interface VerifyRun extends ActionMeasured {
  /** GETs of stored objects (the download URLs). */
  downloads: number
}

/** What a case found out about the bundle: whether its runs with verify read anything back. */
export type Landed = { landed: true } | { landed: false; note: string }

const NOT_LANDED = 'verify not in dist/index.js: no download seen, nothing measured'

/**
 * One run of the bundle on a fresh emulator state. Without verify it must download nothing (no
 * run gets slower, no read happens); with verify, each file exactly once, or none at all when the
 * bundle predates the input.
 */
export async function verifyRun(
  emulator: Emulator,
  ws: string,
  inputs: Record<string, string>,
  files: number,
  what: string
): Promise<VerifyRun> {
  emulator.reset()
  const run = await runBundle({ workspace: ws, inputs })
  expectUploaded(run, files, what)
  const downloads = emulator.requests.filter(
    (r) => r.step === 'download' && r.status === 200
  ).length
  const verifying = inputs.verify === 'true'
  if (!verifying && downloads !== 0) {
    throw new Error(`${what} without verify: ${downloads} downloads, none expected`)
  }
  if (verifying && downloads !== 0 && downloads !== files) {
    throw new Error(`${what} with verify: ${downloads} downloads for ${files} files\n${run.tail}`)
  }
  return { ...run, downloads }
}

/** Whether every run with verify read its files back; throws when only some did. */
export function landedIn(runs: VerifyRun[], what: string): Landed {
  const reading = runs.filter((r) => r.downloads > 0).length
  if (reading === runs.length) return { landed: true }
  if (reading === 0) return { landed: false, note: NOT_LANDED }
  throw new Error(`${what}: ${reading} of ${runs.length} runs with verify read files back`)
}

/** The ratio cell, with the note when nothing was measured. */
export function ratioCell(ratio: string, landed: Landed): string {
  return landed.landed ? ratio : `${ratio} (${landed.note})`
}
