// Case 5: start-up, from spawn() to the bundle's first request, beside `node -e ''` and the
// bundle's own start-up on a dry run that matches nothing.
//
// How the first request is timed: the emulator records requests but not when they arrive, and
// nothing is added to it. Instead `base-url` points at a small recording server in this process
// that notes performance.now() when the first connection is accepted and when the first request's
// headers are parsed, then forwards everything to the emulator's API. Both clocks are this
// process's, and the start is performance.now() taken just before spawn(), so the figure includes
// fork/exec, Node's boot, loading the bundle, reading inputs, the glob and the first connect. Only
// the API goes through the recorder (storage URLs point at the emulator directly), and the recorder
// adds its hop only after the moment measured. The child runs without GNU time here, so nothing sits
// between spawn() and Node.
import {
  createServer,
  request as httpRequest,
  Agent,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Emulator } from '../../emulator/emulator.ts'
import {
  emulatorWith,
  printDiagnosis,
  row,
  startupBaselineOnce,
  uploadInputs,
  type BenchCase,
  type Row
} from '../fixtures.ts'
import {
  expectUploaded,
  mb,
  median,
  ms,
  onCleanUp,
  removeDir,
  rssOf,
  runBundle,
  tempDir,
  times,
  wallOf,
  writeManyFiles,
  type ActionMeasured,
  type Measured
} from '../lib.ts'

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

export const startUp: BenchCase = {
  number: 5,
  name: 'startup',
  measures: 'Start-up',
  async run({ reps }) {
    const emulator = await emulatorWith({ keepBytes: false })
    const recorder = await startRecorder(emulator.apiUrl)
    const ws = await tempDir('startup')
    await writeManyFiles(ws, 1, 2048, () => 'report.json')
    const runs = await measureStartup(emulator, recorder, ws, reps.small)
    const withRss: ActionMeasured[] = []
    for (let i = 0; i < reps.small; i++) {
      emulator.reset()
      const run = await runBundle({ workspace: ws, inputs: uploadInputs(emulator, 'report.json') })
      expectUploaded(run, 1, 'one file')
      withRss.push(run)
    }
    const firstMs = reportStartup(runs, withRss)
    await printDiagnosis(
      emulator,
      '  diagnostic run (untimed; the preload itself adds a little):',
      {
        workspace: ws,
        inputs: uploadInputs(emulator, 'report.json')
      }
    )
    await recorder.close()
    await emulator.close()
    await removeDir(ws)
    return startupRows(firstMs, runs)
  }
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
  ws: string,
  reps: number
): Promise<StartupRuns> {
  const inputs = { ...uploadInputs(emulator, 'report.json'), 'base-url': recorder.url }
  const runs: StartupRuns = {
    toConnection: [],
    toRequest: [],
    total: [],
    nodeOnly: [],
    noMatch: []
  }
  for (let i = 0; i < reps + 1; i++) {
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
function startupRows(firstMs: number, { nodeOnly, noMatch }: StartupRuns): Row[] {
  return [
    row(
      {
        case: '5. start-up: spawn → first request',
        action: ms(firstMs),
        baseline: `${ms(wallOf(nodeOnly))} (node -e '')`,
        ratio: times(firstMs / wallOf(nodeOnly)),
        target: '< 250 ms'
      },
      firstMs < 250
    ),
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
  ]
}
