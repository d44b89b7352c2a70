/**
 * A vitest pool of test processes that outlive a run, for the mutation run (vitest.stryker.config.ts).
 *
 * Stryker runs vitest once per mutant, and vitest starts a new process for every run: booting Node
 * and vitest's worker and loading undici, @actions/core and the other packages again cost more CPU
 * than most mutants' tests. Here a process that finished a run waits for the next run of the same
 * project instead of exiting. kept-fork-entry.ts, its entry, gives each run the config of that run
 * and evaluates the project's own modules afresh, so a run sees a new process's state in everything
 * but the packages under node_modules.
 *
 * Folders named in `keepLoaded` (relative to the project's root) are the exception: their modules
 * are evaluated once per process. That suits code whose modules hold no state a run changes, such
 * as mutated sources whose mutants switch on and off at call time.
 *
 * vitest's side of the protocol is unchanged: a process that is kept answers `start` and `stop`
 * itself. One that exited, failed or served MAX_RUNS runs is not kept.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { fileURLToPath } from 'node:url'
import type { PoolOptions, PoolWorker, WorkerRequest } from 'vitest/node'

const KEPT_FORKS = 'kept-forks'

/** What a kept process is sent instead of a second `start`: the config of the run to come. */
export interface KeptConfigMessage {
  keptConfig: unknown
}

/** Runs a process serves before it is replaced, which bounds what tests may leave behind in it. */
const MAX_RUNS = 100

const ENTRY = fileURLToPath(new URL('./kept-fork-entry.ts', import.meta.url))

interface Kept {
  child: ChildProcess
  started: boolean
  runs: number
}

/** Idle processes, by project. */
const idle = new Map<string, Kept[]>()

/** The vitest instances that end the idle processes when they close. */
const closing = new WeakSet<PoolOptions['project']['vitest']>()

/** Ends every idle process: when vitest closes, and at the latest when this process exits. */
function closeKeptForks(): void {
  for (const kept of [...idle.values()].flat()) kept.child.kill()
  idle.clear()
}
process.once('exit', closeKeptForks)

/** How the pool is set up. */
export interface KeptForksOptions {
  /** Folders, relative to the project's root, whose modules stay loaded from one run to the next. */
  keepLoaded?: readonly string[]
}

class KeptForkWorker implements PoolWorker {
  readonly name = KEPT_FORKS
  readonly cacheFs = true
  private readonly events = new EventEmitter()
  private readonly options: PoolOptions
  private readonly keepLoaded: readonly string[]
  private readonly key: string
  private kept: Kept | undefined
  private stopRequested = false

  constructor(options: PoolOptions, keepLoaded: readonly string[]) {
    this.options = options
    this.keepLoaded = keepLoaded
    this.key = options.project.name
  }

  async start(): Promise<void> {
    const kept = idle.get(this.key)?.pop() ?? this.spawn()
    kept.child.on('message', this.forward)
    kept.child.on('exit', this.onExit)
    this.kept = kept
  }

  send(message: WorkerRequest): void {
    const kept = this.current()
    if (message.type === 'start' && kept.started) {
      kept.child.send({ keptConfig: message.context.config } satisfies KeptConfigMessage)
      this.reply({ type: 'started' })
      return
    }
    if (message.type === 'stop') {
      this.stopRequested = true
      this.reply({ type: 'stopped' })
      return
    }
    if (message.type === 'start') kept.started = true
    if (message.type === 'run') kept.runs++
    kept.child.send(message)
  }

  async stop(): Promise<void> {
    const kept = this.current()
    kept.child.off('message', this.forward)
    kept.child.off('exit', this.onExit)
    this.kept = undefined
    const reusable = this.stopRequested && kept.child.connected && kept.runs < MAX_RUNS
    if (reusable) {
      const list = idle.get(this.key) ?? []
      list.push(kept)
      idle.set(this.key, list)
      return
    }
    const exited = new Promise((resolve) => kept.child.once('exit', resolve))
    if (kept.child.exitCode === null && kept.child.signalCode === null) kept.child.kill()
    await exited
  }

  on(event: string, callback: (...args: unknown[]) => void): void {
    this.events.on(event, callback)
  }

  off(event: string, callback: (...args: unknown[]) => void): void {
    this.events.off(event, callback)
  }

  deserialize(data: unknown): unknown {
    return data
  }

  private spawn(): Kept {
    const child = fork(ENTRY, [this.options.distPath, ...this.keepLoaded], {
      env: this.options.env,
      execArgv: this.options.execArgv,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced'
    })
    const vitest = this.options.project.vitest
    if (!closing.has(vitest)) {
      closing.add(vitest)
      vitest.onClose(closeKeptForks)
    }
    const logger = vitest.logger
    child.stdout?.pipe(logger.outputStream, { end: false })
    child.stderr?.pipe(logger.errorStream, { end: false })
    child.on('error', (error) => this.events.emit('error', error))
    return { child, started: false, runs: 0 }
  }

  private current(): Kept {
    if (this.kept === undefined) throw new Error('kept-forks: the worker is not started')
    return this.kept
  }

  private reply(message: { type: string }): void {
    setImmediate(() =>
      this.events.emit('message', { ...message, __vitest_worker_response__: true })
    )
  }

  private readonly forward = (message: unknown): void => {
    this.events.emit('message', message)
  }

  private readonly onExit = (...args: unknown[]): void => {
    this.events.emit('exit', ...args)
  }
}

/** The pool, as vitest's `pool` option takes it. */
export function keptForks({ keepLoaded = [] }: KeptForksOptions = {}): {
  name: string
  createPoolWorker: (options: PoolOptions) => PoolWorker
} {
  return {
    name: KEPT_FORKS,
    createPoolWorker: (options) => new KeptForkWorker(options, keepLoaded)
  }
}
