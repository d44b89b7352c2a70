import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

// Importing a module of bench/ starts nothing: `npm run bench` runs bench/run.ts, and only its
// `import.meta.main` block runs the cases. One child process imports every module under bench/
// (bench/probe.mjs aside: it is the preload of diagnostic runs, for `node --import` alone) with
// the ways of starting something watched, and reports what they saw.
const BENCH = path.join(import.meta.dirname, '..', '..', 'bench')

/** Every TypeScript module under bench/, by its path relative to bench/. */
function benchModules(): string[] {
  return readdirSync(BENCH, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.split(path.sep).join('/'))
    .sort()
}

/**
 * Runs in the child: wraps child_process's ways of starting a process and net.Server's listen
 * before importing the modules, then prints one JSON line of what was started, whose signal
 * listeners changed, which handles are open that were not before, and all else that was written
 * to stdout or stderr.
 */
const WATCH = `
import childProcess from 'node:child_process'
import net from 'node:net'
import { syncBuiltinESMExports } from 'node:module'
import { pathToFileURL } from 'node:url'
const seen = { started: [], signals: [], output: '' }
for (const name of ['spawn', 'spawnSync', 'exec', 'execFile', 'execFileSync', 'execSync', 'fork']) {
  const real = childProcess[name]
  childProcess[name] = (...args) => (seen.started.push(name + ' ' + args[0]), real(...args))
}
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  seen.started.push('listen')
  return listen.apply(this, args)
}
syncBuiltinESMExports()
const before = { SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') }
const report = process.stdout.write.bind(process.stdout)
for (const stream of [process.stdout, process.stderr]) {
  stream.write = (chunk) => ((seen.output += String(chunk)), true)
}
const handlesBefore = process.getActiveResourcesInfo()
for (const file of JSON.parse(process.env.BENCH_MODULES)) await import(pathToFileURL(file).href)
for (const signal of ['SIGINT', 'SIGTERM']) {
  if (process.listenerCount(signal) !== before[signal]) seen.signals.push(signal)
}
seen.handles = process.getActiveResourcesInfo()
for (const resource of handlesBefore) seen.handles.splice(seen.handles.indexOf(resource), 1)
report(JSON.stringify(seen) + '\\n')
`

describe('bench/', () => {
  it('holds the driver, its helpers and one module a case', () => {
    const modules = benchModules()
    expect(modules).toContain('run.ts')
    expect(modules.filter((m) => m.startsWith('cases/')).length).toBe(10)
  })

  it('starts nothing when its modules are imported: no process, server, signal handler or output', () => {
    const modules = benchModules().map((m) => path.join(BENCH, m))
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', WATCH], {
      env: { ...process.env, BENCH_MODULES: JSON.stringify(modules) },
      encoding: 'utf8',
      timeout: 10_000
    })
    expect(child.stderr).toBe('')
    expect(child.status).toBe(0)
    expect(JSON.parse(child.stdout)).toEqual({ started: [], signals: [], output: '', handles: [] })
  })
})

// What the small-files cases rest on: how cases are named on the command line, the floor they are
// set against, and the counts of requests in flight, on the emulator and through the proxy that
// gives the interop target its latency.
describe('bench/ small-files cases', () => {
  it('runs the cases named after the options, as --only names them', async () => {
    const { parseCli } = await import('../../bench/run.ts')
    const names = (args: string[]): string[] => [...parseCli(args).only].map((c) => c.name)
    expect(names(['small-150', 'small-400'])).toEqual(['small-150', 'small-400'])
    expect(names(['--quick', '--only', '8', 'small-400'])).toEqual(['verify-small', 'small-400'])
    expect(names([])).toHaveLength(10)
  })

  it('sets them against start-up + depth × latency + ⌈files ÷ concurrency⌉ × latency', async () => {
    const { pipelinedFloor, floorSum } = await import('../../bench/fixtures.ts')
    const parts = { startUp: 250, files: 150, latency: 20, concurrency: 8 }
    expect(pipelinedFloor(parts)).toBe(250 + 3 * 20 + 19 * 20)
    expect(pipelinedFloor({ ...parts, files: 400 })).toBe(250 + 3 * 20 + 50 * 20)
    expect(pipelinedFloor({ ...parts, depth: 5 })).toBe(250 + 5 * 20 + 19 * 20)
    expect(floorSum(parts)).toBe('start-up 250 ms + 3 × 20 ms + ⌈150 ÷ 8⌉ = 19 × 20 ms')
  })

  it('counts creates and confirms per file name', async () => {
    const { perFile } = await import('../../bench/targets.ts')
    expect(perFile(['a', 'b', 'a'])).toEqual({ files: 2, min: 1, max: 2 })
    expect(perFile([])).toEqual({ files: 0, min: 0, max: 0 })
  })

  it("counts the emulator's API requests and PUTs in flight, from arrival to answer", async () => {
    const { countedEmulator } = await import('../../bench/in-flight.ts')
    const { emulator, concurrency } = await countedEmulator({ latencyMs: 50 })
    try {
      const refused = (): Promise<number> =>
        fetch(`${emulator.apiUrl}/api/files`, { method: 'POST', body: '{}' }).then((r) => r.status)
      const put = (): Promise<number> =>
        fetch(`${emulator.storageUrl}/nowhere`, { method: 'PUT', body: 'x' }).then((r) => r.status)
      const statuses = await Promise.all([refused(), refused(), refused(), put(), put()])
      expect(statuses).toEqual([401, 401, 401, 403, 403])
      expect([concurrency.api.max, concurrency.puts.max]).toEqual([3, 2])
      expect([concurrency.api.now, concurrency.puts.now]).toEqual([0, 0])
      emulator.reset()
      concurrency.api.reset()
      await refused()
      expect(concurrency.api.max).toBe(1)
    } finally {
      await emulator.close()
    }
  })

  it('holds each request for the latency, passes it on as it came, and counts it', async () => {
    const http = await import('node:http')
    const { startLatencyProxy } = await import('../../bench/latency-proxy.ts')
    const hosts: (string | undefined)[] = []
    const upstream = http.createServer((request, response) => {
      hosts.push(request.headers.host)
      request.resume().on('end', () => response.end(`${request.method} ${request.url}`))
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    const { port } = upstream.address() as { port: number }
    const proxy = await startLatencyProxy(`http://127.0.0.1:${port}`, 60)
    try {
      const started = performance.now()
      const send = (method: string): Promise<string> =>
        fetch(`${proxy.url}/a?b=c`, { method, body: 'x' }).then((r) => r.text())
      const answers = await Promise.all([send('PUT'), send('PUT'), send('POST')])
      expect(performance.now() - started).toBeGreaterThanOrEqual(59)
      expect(answers).toEqual(['PUT /a?b=c', 'PUT /a?b=c', 'POST /a?b=c'])
      expect(hosts).toEqual(Array(3).fill(new URL(proxy.url).host))
      expect([proxy.requests.max, proxy.puts.max, proxy.requests.now]).toEqual([3, 2, 0])
      expect(proxy.served.map((s) => s.method).sort()).toEqual(['POST', 'PUT', 'PUT'])
    } finally {
      await proxy.close()
      upstream.closeAllConnections()
      await new Promise<void>((resolve) => upstream.close(() => resolve()))
    }
  })
})
