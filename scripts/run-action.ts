import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The bundle users run. */
export const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url))

/** What a run of the bundled action produced. */
export interface ActionRun {
  code: number | null
  signal: NodeJS.Signals | null
  /** stdout and stderr together: everything a runner would show in the log. */
  log: string
  outputs: Record<string, string>
  summary: string
  /** The text of the manifest the run wrote under RUNNER_TEMP (removed with it), or ''. */
  manifest: string
  /** The text of the checksums file the run wrote beside the manifest (removed with it), or ''. */
  checksums: string
  durationMs: number
}

/** Options for one run. */
export interface RunOptions {
  /** Action inputs by their action.yml names. */
  inputs: Record<string, string>
  /** The workspace (cwd and GITHUB_WORKSPACE). */
  workspace: string
  /** Extra environment. */
  env?: Record<string, string>
  /** Called once the child is started, e.g. to send it a signal. */
  onStart?: (child: ChildProcess) => void
  /** Kill the child after this many ms (a hang is a failure, not a stuck test). */
  timeoutMs?: number
  /** The bundle to run (default dist/index.js), such as an older build to compare with. */
  bundle?: string
}

/** Runs dist/index.js exactly as a runner does: INPUT_* in, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY out. */
export async function runAction(options: RunOptions): Promise<ActionRun> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'action-run-'))
  const { env, outputFile, summaryFile } = await runnerFiles(
    dir,
    options.workspace,
    options.inputs,
    {
      EMPIRICALRUN_RETRY_BASE_MS: '20',
      ...options.env
    }
  )
  const started = performance.now()
  const child = spawn(process.execPath, [options.bundle ?? DIST], {
    cwd: options.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()))
  options.onStart?.(child)
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]))
  )
  clearTimeout(timer)
  const durationMs = performance.now() - started
  const outputs = parseOutputs(await readFile(outputFile, 'utf8'))
  const summary = await readFile(summaryFile, 'utf8')
  const manifest = outputs.manifest ? await readFile(outputs.manifest, 'utf8').catch(() => '') : ''
  const checksums = outputs.checksums
    ? await readFile(outputs.checksums, 'utf8').catch(() => '')
    : ''
  await rm(dir, { recursive: true, force: true })
  return { code, signal, log, outputs, summary, manifest, checksums, durationMs }
}

/** A runner's environment for one step: empty GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files in `dir`, INPUT_* for each input. */
export async function runnerFiles(
  dir: string,
  workspace: string,
  inputs: Record<string, string>,
  extra: Record<string, string> = {}
): Promise<{ env: Record<string, string>; outputFile: string; summaryFile: string }> {
  const outputFile = path.join(dir, 'output')
  const summaryFile = path.join(dir, 'summary')
  await writeFile(outputFile, '')
  await writeFile(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.homedir(),
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: dir,
    ...extra
  }
  for (const [name, value] of Object.entries(inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  return { env, outputFile, summaryFile }
}

/** Parses the GITHUB_OUTPUT file format: `name<<DELIMITER\nvalue\nDELIMITER`. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '')
    if (!match) continue
    const [, name, delimiter] = match as unknown as [string, string, string]
    const value: string[] = []
    while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i] ?? '')
    outputs[name] = value.join('\n')
  }
  return outputs
}

/** Creates a temp workspace (in `parent`) with the given files (path → content); returns its path. */
export async function makeWorkspace(
  files: Record<string, string | Buffer>,
  parent = os.tmpdir()
): Promise<string> {
  const dir = await mkdtemp(path.join(parent, 'ws-'))
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(dir, name)
    await mkdir(path.dirname(full), { recursive: true })
    await writeFile(full, content)
  }
  return dir
}
