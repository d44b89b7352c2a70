// Process cleanup: each step runs in its own process group, and whatever the job leaves running
// is found and ended at its end, as GitHub's runner does with RUNNER_TRACKING_ID.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { setTimeout as delay } from 'node:timers/promises'
import type { Leftover } from './types.ts'

/** A step's process, ready to start. */
export interface Command {
  command: string
  args: string[]
  cwd: string
  env: Record<string, string>
}

/** How a step's process ended, and what it printed. */
export interface Exec {
  code: number | null
  signal: NodeJS.Signals | null
  log: string
  error: string | null
  timedOut: boolean
}

/** Sends a signal (0 only asks whether the process or, for -pid, the group exists); false if gone. */
function signal(pid: number, name: NodeJS.Signals | 0): boolean {
  try {
    return process.kill(pid, name)
  } catch {
    return false
  }
}

/**
 * Runs a command in its own process group (recorded in `groups`, so that what it leaves running
 * in the background can be found and killed at the end of the job) and collects its output.
 */
export function exec(run: Command, timeoutMs: number, groups: Set<number>): Promise<Exec> {
  return new Promise((resolve) => {
    const { command, args, cwd, env } = run
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true
    })
    if (child.pid !== undefined) groups.add(child.pid)
    const output = { log: '', timedOut: false }
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.log += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.log += chunk))
    const timer = setTimeout(() => {
      output.timedOut = true
      if (child.pid !== undefined) signal(-child.pid, 'SIGKILL')
    }, timeoutMs)
    child.once('error', (error) => {
      clearTimeout(timer)
      resolve({ code: null, signal: null, ...output, error: error.message })
    })
    // The step is over when its process exits. A background process that inherited stdout or
    // stderr keeps them open: read them for 500 ms more, then let go of them.
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      const release = setTimeout(() => {
        output.log +=
          "\n##[warning]A background process still holds this step's output; it is no longer read.\n"
        child.stdout.destroy()
        child.stderr.destroy()
      }, 500)
      child.once('close', () => {
        clearTimeout(release)
        resolve({ code, signal, ...output, error: null })
      })
    })
  })
}

/**
 * The processes of a job that are still running: on Linux, every process whose environment
 * carries the job's RUNNER_TRACKING_ID (as GitHub's runner finds orphans) or that is in one of
 * the job's process groups; elsewhere, the process groups still alive (as negative numbers).
 */
export async function findTrackedProcesses(
  trackingId: string,
  groups: ReadonlySet<number> = new Set()
): Promise<number[]> {
  if (!existsSync('/proc/self/stat')) {
    return [...groups].map((pid) => -pid).filter((group) => signal(group, 0))
  }
  const found: number[] = []
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid) || pid === process.pid) continue
    if (await isTracked(pid, trackingId, groups)) found.push(pid)
  }
  return found
}

/** Whether a live process is in one of the job's groups or carries its RUNNER_TRACKING_ID. */
async function isTracked(
  pid: number,
  trackingId: string,
  groups: ReadonlySet<number>
): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (state === 'Z' || state === 'X') return false
    if (groups.has(Number(group))) return true
    const marker = `RUNNER_TRACKING_ID=${trackingId}\0`
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8')
    return environ.startsWith(marker) || environ.includes(`\0${marker}`)
  } catch {
    return false // gone, or not ours to read
  }
}

async function commandOf(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim()
  } catch {
    return ''
  }
}

/**
 * Ends what the job left running, as the runner's orphan-process cleanup does: SIGTERM once
 * (a second one would cut a graceful shutdown short), then SIGKILL after 3 s.
 */
export async function cleanUp(trackingId: string, groups: Set<number>): Promise<Leftover[]> {
  const found = new Map<number, Leftover>()
  const started = performance.now()
  for (;;) {
    const remaining = await findTrackedProcesses(trackingId, groups)
    if (remaining.length === 0) return [...found.values()]
    const late = performance.now() - started > 3_000
    if (performance.now() - started > 5_000) {
      throw new Error(`processes of the job survived SIGKILL: ${remaining.join(', ')}`)
    }
    for (const pid of remaining) {
      if (!found.has(pid)) {
        found.set(pid, { pid, command: await commandOf(pid) })
        signal(pid, 'SIGTERM')
      } else if (late) {
        signal(pid, 'SIGKILL')
      }
    }
    await delay(50)
  }
}
