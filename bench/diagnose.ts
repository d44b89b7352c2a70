// Reads what bench/probe.ts recorded in one untimed run and says where the time went.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { mb, median, ms, PROBE, runBundle, tempDir, removeDir, type BundleOptions } from './lib.ts'

/** One request as bench/probe.mjs saw it (epoch ms). */
interface ProbeRequest {
  origin: string
  method: string
  /** Path without the query string. */
  path: string
  /** Index into connections of the connection that carried it; -1 if unknown. */
  connection: number
  createdAt: number
  headersAt?: number
  doneAt?: number
  error?: string
}

/** What bench/probe.mjs writes at exit. */
interface ProbeReport {
  /** When the preload ran: Node has booted, the bundle is not loaded yet. */
  loadedAt: number
  exitAt: number
  connections: { origin: string; at: number }[]
  requests: ProbeRequest[]
  /** Peaks of process.memoryUsage(), sampled every 20 ms. */
  peak: Memory
  /** process.memoryUsage() after a full GC at exit; only with --expose-gc. */
  afterGc?: Memory
  /** Heap left by periodic full GCs (BENCH_PROBE_GC_MS), with the requests done by then. */
  survivors: Survivor[]
}

interface Survivor {
  at: number
  requestsDone: number
  heapUsed: number
}

interface Memory {
  rss: number
  heapTotal: number
  heapUsed: number
  external: number
  arrayBuffers: number
}

/** Where the time of one run went, from the child's own clock and undici's events. */
export interface Diagnosis {
  /** spawn() → the preload runs: exec and Node's own boot. */
  bootMs: number
  /** spawn() → first request created: boot, bundle load, inputs, glob, stat. */
  firstRequestMs: number
  /** First request created → last request done. */
  uploadPhaseMs: number
  /** Last request done → process exit: outputs, summary, closing the pool. */
  teardownMs: number
  /** spawn() → exit, as the child saw it. */
  totalMs: number
  /** TCP connections opened, by origin. */
  connections: Record<string, number>
  /** Requests, by origin. */
  requests: Record<string, number>
  /** Median and max request duration (created → done), by method. */
  durations: Record<string, { median: number; max: number }>
  /** Most requests in flight at once. */
  maxInFlight: number
  /** Σ request durations ÷ upload phase: how many requests were in flight on average. */
  meanInFlight: number
  /** Requests that failed without an answer. */
  errors: number
  /** Sampled memory peaks, and what a full GC at exit left (with --expose-gc). */
  peak: Memory
  afterGc: Memory | undefined
  survivors: Survivor[]
}

/**
 * Runs the bundle once with the probe preloaded and analyses what it recorded. With `gcEveryMs`
 * the probe also forces a full GC that often, to tell retained memory from uncollected garbage
 * (this slows the run: its timings are then not representative).
 */
export async function diagnose(
  options: BundleOptions & { gcEveryMs?: number }
): Promise<Diagnosis> {
  const dir = await tempDir('probe')
  try {
    const out = path.join(dir, 'probe.json')
    let spawnedAt = NaN
    await runBundle({
      ...options,
      gnuTime: false,
      nodeArgs: ['--expose-gc', '--import', PROBE],
      env: {
        ...options.env,
        BENCH_PROBE_OUT: out,
        ...(options.gcEveryMs ? { BENCH_PROBE_GC_MS: String(options.gcEveryMs) } : {})
      },
      onSpawn: (startedAt) => (spawnedAt = performance.timeOrigin + startedAt)
    })
    const report = JSON.parse(await readFile(out, 'utf8')) as ProbeReport
    return analyse(report, spawnedAt)
  } finally {
    await removeDir(dir)
  }
}

function count<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1
  return counts
}

function analyse(report: ProbeReport, spawnedAt: number): Diagnosis {
  const requests = report.requests
  const done = (r: ProbeRequest): number => r.doneAt ?? r.headersAt ?? r.createdAt
  const first = Math.min(...requests.map((r) => r.createdAt))
  const last = Math.max(...requests.map(done))
  const durations: Diagnosis['durations'] = {}
  for (const method of new Set(requests.map((r) => r.method))) {
    const values = requests.filter((r) => r.method === method).map((r) => done(r) - r.createdAt)
    durations[method] = { median: median(values), max: Math.max(...values) }
  }
  const events = requests
    .flatMap((r) => [
      [r.createdAt, 1],
      [done(r), -1]
    ])
    .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!)
  let inFlight = 0
  let maxInFlight = 0
  for (const [, delta] of events) maxInFlight = Math.max(maxInFlight, (inFlight += delta!))
  const busy = requests.reduce((sum, r) => sum + done(r) - r.createdAt, 0)
  return {
    bootMs: report.loadedAt - spawnedAt,
    firstRequestMs: first - spawnedAt,
    uploadPhaseMs: last - first,
    teardownMs: report.exitAt - last,
    totalMs: report.exitAt - spawnedAt,
    connections: count(report.connections, (c) => c.origin),
    requests: count(requests, (r) => r.origin.replace(/^https?:\/\//, '')),
    durations,
    maxInFlight,
    meanInFlight: busy / (last - first),
    errors: requests.filter((r) => r.error !== undefined).length,
    peak: report.peak,
    afterGc: report.afterGc,
    survivors: report.survivors
  }
}

function memory(m: Memory): string {
  return `rss ${mb(m.rss)}, heap total ${mb(m.heapTotal)}, heap used ${mb(m.heapUsed)}, external ${mb(m.external)}, array buffers ${mb(m.arrayBuffers)}`
}

/** Up to six evenly spread points: "N requests done → X MB". */
function survivors(points: readonly Survivor[]): string {
  const step = Math.max(1, Math.ceil(points.length / 6))
  const picked = points.filter((_, i) => i % step === 0 || i === points.length - 1)
  return picked.map((p) => `${p.requestsDone} requests done → ${mb(p.heapUsed)}`).join(', ')
}

/** The diagnosis as indented lines. */
export function describe(d: Diagnosis): string[] {
  const per = (record: Record<string, number>): string =>
    Object.entries(record)
      .map(([origin, n]) => `${origin}: ${n}`)
      .join(', ')
  const durations = Object.entries(d.durations)
    .map(([method, v]) => `${method} median ${ms(v.median)} (max ${ms(v.max)})`)
    .join(', ')
  return [
    `spawn → Node booted (preload runs): ${ms(d.bootMs)}; spawn → first request: ${ms(d.firstRequestMs)}`,
    `first request → last answer: ${ms(d.uploadPhaseMs)}; last answer → exit: ${ms(d.teardownMs)}; total ${ms(d.totalMs)}`,
    `TCP connections opened: ${per(d.connections)}`,
    `requests: ${per(d.requests)}${d.errors ? ` (${d.errors} failed without an answer)` : ''}`,
    `request durations (queued + sent + answered): ${durations}`,
    `requests in flight: at most ${d.maxInFlight}, on average ${d.meanInFlight.toFixed(2)} over the upload phase`,
    `memory peaks (sampled every 20 ms): ${memory(d.peak)}`,
    ...(d.afterGc ? [`after a full GC at exit: ${memory(d.afterGc)}`] : []),
    ...(d.survivors.length ? [`heap surviving periodic full GCs: ${survivors(d.survivors)}`] : [])
  ]
}
