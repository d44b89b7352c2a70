// Runs the bundled CLI (dist/cli/index.js) as a child process, as a user's shell would: with a
// pipe for each stream, or under a pseudo-terminal through util-linux `script`.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The bundle the `empiricalrun-upload` bin points at. */
export const CLI = path.join(ROOT, 'dist/cli/index.js')

/**
 * The Node that runs the CLI: CLI_NODE (a path, relative to the repository's root or absolute),
 * or the one running the tests (Node 24).
 */
export const CLI_NODE = process.env.CLI_NODE
  ? path.resolve(ROOT, process.env.CLI_NODE)
  : process.execPath

/** What one run of the CLI produced. */
export interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  durationMs: number
}

/** Options of one run. */
export interface CliOptions {
  /** The arguments after the script. */
  args: readonly string[]
  /** The working directory: the workspace patterns start from. */
  cwd: string
  /** Environment on top of PATH and HOME; an undefined value leaves the variable out. */
  env?: Record<string, string | undefined>
  /** The program and its first arguments (default: CLI_NODE and the bundle). */
  command?: readonly string[]
  /** Called once the child is started. */
  onStart?: (child: ChildProcess) => void
  /** Called with each chunk of output as it arrives (under a terminal, stdout and stderr are one). */
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void
  /** Kill the child after this many ms: a hang fails the test instead of stalling it. */
  timeoutMs?: number
}

/**
 * The child's environment: PATH (with CLI_NODE's directory first, so that a `#!/usr/bin/env node`
 * bin finds it), HOME and what the test gives; nothing else of the test runner's leaks in (no CI,
 * no GITHUB_ACTIONS, no EMPIRICALRUN_KEY of the developer's).
 */
export function cliEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const base = {
    PATH: [path.dirname(CLI_NODE), process.env.PATH ?? ''].join(path.delimiter),
    HOME: process.env.HOME ?? ''
  }
  const entries = Object.entries({ ...base, ...extra })
  return Object.fromEntries(
    entries.filter((entry): entry is [string, string] => entry[1] !== undefined)
  )
}

/** Runs the CLI with a pipe for stdout and for stderr; resolves once it has exited. */
export function runCli(options: CliOptions): Promise<CliRun> {
  const [program, ...first] = options.command ?? [CLI_NODE, CLI]
  const child = spawn(program ?? CLI_NODE, [...first, ...options.args], {
    cwd: options.cwd,
    env: cliEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  return settle(child, options, (stdout, stderr) => ({ stdout, stderr }))
}

/** What a run under a pseudo-terminal showed: stdout and stderr interleaved, as a user sees them. */
export interface TerminalRun {
  code: number | null
  signal: NodeJS.Signals | null
  /** Everything written to the terminal; the terminal turns each `\n` into `\r\n`. */
  screen: string
  durationMs: number
}

/**
 * Runs the CLI under a pseudo-terminal made by util-linux `script`, so that its stdout and stderr
 * are TTYs. `script -e` exits with the CLI's exit code. Its stdin stays an open pipe: on EOF,
 * script would end the session early.
 */
export function runCliInTerminal(options: CliOptions): Promise<TerminalRun> {
  const command = [...(options.command ?? [CLI_NODE, CLI]), ...options.args].map(shellQuote)
  const child = spawn('script', ['-q', '-e', '-c', command.join(' '), '/dev/null'], {
    cwd: options.cwd,
    env: cliEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe']
  })
  return settle(child, options, (screen, scriptErrors) => {
    if (scriptErrors) throw new Error(`script failed: ${scriptErrors}`)
    return { screen }
  })
}

async function settle<T>(
  child: ChildProcess,
  options: CliOptions,
  result: (stdout: string, stderr: string) => T
): Promise<T & { code: number | null; signal: NodeJS.Signals | null; durationMs: number }> {
  const started = performance.now()
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout?.on('data', (chunk: Buffer) => {
    out.push(chunk)
    options.onOutput?.(chunk.toString('utf8'), 'stdout')
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    err.push(chunk)
    options.onOutput?.(chunk.toString('utf8'), 'stderr')
  })
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve([code, signal]))
  })
  options.onStart?.(child)
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
  try {
    const [code, signal] = await closed
    const durationMs = performance.now() - started
    child.stdin?.end()
    const text = (chunks: Buffer[]): string => Buffer.concat(chunks).toString('utf8')
    return { ...result(text(out), text(err)), code, signal, durationMs }
  } finally {
    clearTimeout(timer)
  }
}

/** Quotes one word for `sh -c`. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/**
 * Resolves once `condition` holds, checking every 10 ms: a wait for an event the test cannot
 * subscribe to (bytes arriving at the emulator's storage), never a fixed sleep. Rejects after
 * `timeoutMs`, naming what it waited for.
 */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 20_000
): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
