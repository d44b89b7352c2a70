// Helpers of the benchmarks: running the bundle as a runner does (under GNU time for peak RSS),
// temp files that always go away, statistics and formatting.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DIST, parseOutputs, runnerFiles } from '../scripts/run-action.ts'

export { DIST }

/** Node 24, the one running the bench (npm puts node_modules/.bin first on PATH). */
export const NODE = process.execPath
/** GNU time: its -v report gives the peak RSS of the process it runs. */
export const GNU_TIME = '/usr/bin/time'
/** The diagnostics preload (connections and request timings); used only in untimed runs. */
export const PROBE = fileURLToPath(new URL('./probe.mjs', import.meta.url))
/** The seed's three curl calls per file, in bash. */
export const CURL_LOOP = fileURLToPath(new URL('./curl-loop.sh', import.meta.url))
/** The same three calls per file, 8 files at a time (`xargs -P 8`). */
export const CURL_PARALLEL = fileURLToPath(new URL('./curl-parallel.sh', import.meta.url))

// ── clean-up ────────────────────────────────────────────────────────────────────────────────────

const tempDirs = new Set<string>()
const liveGroups = new Set<number>()
const closers = new Set<() => Promise<void>>()

/** A fresh temp dir under os.tmpdir(), removed by cleanUp() whatever happens. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `bench-${prefix}-`))
  tempDirs.add(dir)
  return dir
}

/** Removes a temp dir now instead of at the end. */
export async function removeDir(dir: string): Promise<void> {
  tempDirs.delete(dir)
  await rm(dir, { recursive: true, force: true })
}

/** Registers something to close at the end (an emulator, a server). */
export function onCleanUp(close: () => Promise<void>): () => void {
  closers.add(close)
  return () => closers.delete(close)
}

/** Kills every child still running (by its own process group), closes servers, removes temp dirs. */
export async function cleanUp(): Promise<void> {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
  liveGroups.clear()
  for (const close of [...closers].reverse()) await close().catch(() => {})
  closers.clear()
  await Promise.all([...tempDirs].map((dir) => rm(dir, { recursive: true, force: true })))
  tempDirs.clear()
}

// ── running processes ───────────────────────────────────────────────────────────────────────────

/** What one measured process did. */
export interface Measured {
  /** Exit code (of the measured command; GNU time passes it through). */
  code: number | null
  /** From just before spawn() to the child's exit, in ms. */
  wallMs: number
  /** Peak RSS in bytes, from GNU time; NaN when not run under it. */
  maxRss: number
  /** CPU seconds of the measured process (user + system), from GNU time. */
  cpuS: number
  /** The last few KB of stdout and stderr, for failure messages. */
  tail: string
  /** ms from spawn to the first byte on stdout (NaN if none). */
  firstOutputMs: number
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  cwd?: string
  env?: Record<string, string>
  /** Run under GNU time -v to get peak RSS and CPU time (default true). */
  gnuTime?: boolean
  /** Kill the whole process group after this long (default 10 minutes). */
  timeoutMs?: number
  /** Data for stdin (default: none). */
  stdin?: string
  /** Called right after spawn() with the performance.now() taken just before it. */
  onSpawn?: (startedAt: number) => void
}

const TAIL_BYTES = 8192

/**
 * Runs a command to completion and measures it. The child gets its own process group (detached),
 * so a timeout or Ctrl-C kills GNU time and what it runs together; stdout and stderr are drained
 * (as a runner does) and only their tail is kept.
 */
export async function measure(
  command: string,
  args: string[],
  options: MeasureOptions = {}
): Promise<Measured> {
  const useTime = options.gnuTime ?? true
  const timeDir = useTime ? await tempDir('time') : ''
  const timeFile = path.join(timeDir, 'time.txt')
  const [file, argv] = useTime
    ? [GNU_TIME, ['-v', '-o', timeFile, command, ...args]]
    : [command, args]
  const startedAt = performance.now()
  const child = spawn(file, argv, {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.homedir() },
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    detached: true
  })
  options.onSpawn?.(startedAt)
  if (child.pid !== undefined) liveGroups.add(child.pid)
  const output = collectOutput(child, startedAt)
  if (options.stdin !== undefined) child.stdin?.end(options.stdin)
  const { code, wallMs } = await waitForExit(child, startedAt, options.timeoutMs ?? 600_000)
  if (child.pid !== undefined) liveGroups.delete(child.pid)
  const usage = useTime ? await readTimeReport(timeDir, timeFile) : { maxRss: NaN, cpuS: NaN }
  return { code, wallMs, ...usage, tail: output.tail, firstOutputMs: output.firstOutputMs }
}

/** Drains the child's stdout and stderr, keeping their tail and when stdout first spoke. */
function collectOutput(
  child: ChildProcess,
  startedAt: number
): { tail: string; firstOutputMs: number } {
  const output = { tail: '', firstOutputMs: NaN }
  const keep = (chunk: Buffer): void => {
    output.tail = (output.tail + chunk.toString()).slice(-TAIL_BYTES)
  }
  child.stdout?.on('data', (chunk: Buffer) => {
    if (Number.isNaN(output.firstOutputMs)) output.firstOutputMs = performance.now() - startedAt
    keep(chunk)
  })
  child.stderr?.on('data', keep)
  return output
}

/** The exit code once stdio is closed; the wall time ends at the exit itself. */
async function waitForExit(
  child: ChildProcess,
  startedAt: number,
  timeoutMs: number
): Promise<{ code: number | null; wallMs: number }> {
  const timer = setTimeout(() => {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
  }, timeoutMs)
  let wallMs = NaN
  child.once('exit', () => (wallMs = performance.now() - startedAt))
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (exitCode) => resolve(exitCode))
  })
  clearTimeout(timer)
  return { code, wallMs }
}

/** Peak RSS (bytes) and CPU seconds from GNU time's -v report; removes its temp dir. */
async function readTimeReport(
  timeDir: string,
  timeFile: string
): Promise<{ maxRss: number; cpuS: number }> {
  const report = await readFile(timeFile, 'utf8').catch(() => '')
  await removeDir(timeDir)
  const field = (name: string): number =>
    Number(new RegExp(`${name}: ([\\d.]+)`).exec(report)?.[1] ?? NaN)
  return {
    maxRss: field('Maximum resident set size \\(kbytes\\)') * 1024,
    cpuS: field('User time \\(seconds\\)') + field('System time \\(seconds\\)')
  }
}

/** One run of the bundled action. */
export interface ActionMeasured extends Measured {
  /** Parsed GITHUB_OUTPUT. */
  outputs: Record<string, string>
}

/** Options of {@link runBundle}. */
export interface BundleOptions {
  /** Inputs by their action.yml names. */
  inputs: Record<string, string>
  /** cwd and GITHUB_WORKSPACE. */
  workspace: string
  /** Extra node flags before the script (e.g. --import for the probe). */
  nodeArgs?: string[]
  /** Extra environment. */
  env?: Record<string, string>
  gnuTime?: boolean
  onSpawn?: (startedAt: number) => void
}

/**
 * Runs dist/index.js as a runner does, with the conventions of scripts/run-action.ts: INPUT_* in
 * the environment, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, cwd = workspace. Unlike runAction
 * it does not set EMPIRICALRUN_RETRY_BASE_MS (a runner would not), runs under GNU time for the
 * peak RSS, and keeps only the tail of the log (10,000 files make a long one).
 */
export async function runBundle(options: BundleOptions): Promise<ActionMeasured> {
  const dir = await tempDir('run')
  try {
    const { env, outputFile } = await runnerFiles(
      dir,
      options.workspace,
      options.inputs,
      options.env
    )
    const measured = await measure(NODE, [...(options.nodeArgs ?? []), DIST], {
      cwd: options.workspace,
      env,
      ...(options.gnuTime === undefined ? {} : { gnuTime: options.gnuTime }),
      ...(options.onSpawn ? { onSpawn: options.onSpawn } : {})
    })
    const outputs = parseOutputs(await readFile(outputFile, 'utf8'))
    return { ...measured, outputs }
  } finally {
    await removeDir(dir)
  }
}

/** Throws with the log's tail unless the run exited 0 and uploaded `count` files. */
export function expectUploaded(run: ActionMeasured, count: number, what: string): void {
  if (run.code === 0 && run.outputs.count === String(count)) return
  throw new Error(
    `${what}: exit ${run.code}, count ${run.outputs.count ?? '(none)'} instead of ${count}\n${run.tail}`
  )
}

/** Throws with the output's tail unless the process exited 0. */
export function expectSuccess(run: Measured, what: string): void {
  if (run.code !== 0) throw new Error(`${what}: exit ${run.code}\n${run.tail}`)
}

// ── files ───────────────────────────────────────────────────────────────────────────────────────

/** Writes `count` files of `bytes` bytes each under `root`, spread over nested directories. */
export async function writeManyFiles(
  root: string,
  count: number,
  bytes: number,
  layout: (index: number) => string
): Promise<void> {
  const content = Buffer.alloc(bytes, 'x')
  const dirs = new Set<string>()
  const paths = Array.from({ length: count }, (_, i) => path.join(root, layout(i)))
  for (const file of paths) dirs.add(path.dirname(file))
  for (const dir of dirs) await mkdir(dir, { recursive: true })
  const BATCH = 256
  for (let i = 0; i < paths.length; i += BATCH) {
    await Promise.all(paths.slice(i, i + BATCH).map((file) => writeFile(file, content)))
  }
}

// ── statistics and formatting ───────────────────────────────────────────────────────────────────

/** Median; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** The median wall time of some runs. */
export function wallOf(runs: readonly Measured[]): number {
  return median(runs.map((r) => r.wallMs))
}

/** The median peak RSS of some runs. */
export function rssOf(runs: readonly Measured[]): number {
  return median(runs.map((r) => r.maxRss))
}

/** The median CPU time of some runs, in ms. */
export function cpuOf(runs: readonly Measured[]): number {
  return median(runs.map((r) => r.cpuS * 1000))
}

/** CPU ms this process (the emulator, mostly) spent while `work` ran. */
export async function withOwnCpu<T>(work: () => Promise<T>): Promise<[T, number]> {
  const before = process.cpuUsage()
  const result = await work()
  const used = process.cpuUsage(before)
  return [result, (used.user + used.system) / 1000]
}

/** Milliseconds, as ms below 10 s and as s above. */
export function ms(value: number): string {
  if (Number.isNaN(value)) return 'n/a'
  if (Math.abs(value) >= 10_000) return `${(value / 1000).toFixed(2)} s`
  return `${value.toFixed(value < 100 ? 1 : 0)} ms`
}

/** Bytes as MB (10^6: what "150 MB" means in a target). */
export function mb(bytes: number): string {
  return Number.isNaN(bytes) ? 'n/a' : `${(bytes / 1e6).toFixed(1)} MB`
}

/** A ratio like 1.07×. */
export function times(value: number): string {
  if (Number.isNaN(value)) return 'n/a'
  return `${value.toFixed(value >= 10 ? 1 : 2)}×`
}

/** The 1, 5 and 15 minute load averages, e.g. '1.52 1.31 1.20'. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
}

/** A markdown table with aligned columns. */
export function markdownTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [
    line(head),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line)
  ].join('\n')
}
