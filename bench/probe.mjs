// @ts-check
// Diagnostics preload for untimed runs: `node --import bench/probe.mjs dist/index.js` with
// BENCH_PROBE_OUT set. Plain JavaScript on purpose: a .ts preload would make Node load its type
// stripper first, which adds ~150 ms to the very start-up being looked at.
//
// It subscribes to undici's diagnostics channels (global by name, so the copy of undici bundled
// in dist/ publishes to them) and, at exit, writes one JSON document (ProbeReport in diagnose.ts):
// every TCP connection opened and every request with its timings, all as epoch ms
// (performance.timeOrigin + performance.now(), comparable across processes).
import { subscribe } from 'node:diagnostics_channel'
import { writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import process from 'node:process'
import { setInterval } from 'node:timers'

const now = () => performance.timeOrigin + performance.now()
/** @type {{ loadedAt: number, exitAt: number, connections: { origin: string, at: number }[], requests: Record<string, unknown>[] }} */
const report = { loadedAt: now(), exitAt: NaN, connections: [], requests: [] }
const byRequest = new WeakMap()
const bySocket = new WeakMap()

subscribe('undici:client:connected', (/** @type {any} */ message) => {
  const params = message.connectParams ?? {}
  report.connections.push({ origin: `${params.hostname ?? params.host}:${params.port}`, at: now() })
  if (message.socket) bySocket.set(message.socket, report.connections.length - 1)
})
subscribe('undici:request:create', (/** @type {any} */ { request }) => {
  const entry = {
    origin: String(request.origin),
    method: String(request.method),
    path: String(request.path).split('?')[0], // upload URLs carry a signature
    connection: -1,
    createdAt: now()
  }
  byRequest.set(request, entry)
  report.requests.push(entry)
})
subscribe('undici:client:sendHeaders', (/** @type {any} */ { request, socket }) => {
  const entry = byRequest.get(request)
  if (entry) entry.connection = bySocket.get(socket) ?? -1
})
subscribe('undici:request:headers', (/** @type {any} */ { request }) => {
  const entry = byRequest.get(request)
  if (entry) entry.headersAt = now()
})
subscribe('undici:request:trailers', (/** @type {any} */ { request }) => {
  const entry = byRequest.get(request)
  if (entry) entry.doneAt = now()
})
subscribe('undici:request:error', (/** @type {any} */ { request, error }) => {
  const entry = byRequest.get(request)
  if (entry) entry.error = error?.message ?? 'error'
})

// Peak memory by kind, sampled: tells retained buffers (arrayBuffers, external) from heap objects.
const peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }
const sample = () => {
  const usage = process.memoryUsage()
  peak.rss = Math.max(peak.rss, usage.rss)
  peak.heapTotal = Math.max(peak.heapTotal, usage.heapTotal)
  peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed)
  peak.external = Math.max(peak.external, usage.external)
  peak.arrayBuffers = Math.max(peak.arrayBuffers, usage.arrayBuffers)
}
setInterval(sample, 20).unref()

// With --expose-gc and BENCH_PROBE_GC_MS: a full GC every so often, noting the heap that survives
// it and how many requests were done by then. Heap that grows with the requests done is retained
// (a leak until the end of the run); heap that a GC gives back was only garbage not yet collected.
const gcEvery = Number(process.env.BENCH_PROBE_GC_MS ?? 0)
const exposedGc = /** @type {{ gc?: () => void }} */ (globalThis).gc
/** @type {{ at: number, requestsDone: number, heapUsed: number }[]} */
const survivors = []
if (gcEvery > 0 && exposedGc) {
  setInterval(() => {
    exposedGc()
    const requestsDone = report.requests.filter((r) => r.doneAt !== undefined).length
    survivors.push({ at: now(), requestsDone, heapUsed: process.memoryUsage().heapUsed })
  }, gcEvery).unref()
}

process.on('exit', () => {
  report.exitAt = now()
  sample()
  Object.assign(report, { peak, survivors })
  // With --expose-gc: what is still reachable once everything is done (a leak stays, garbage goes).
  const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc
  if (gc) {
    gc()
    Object.assign(report, { afterGc: process.memoryUsage() })
  }
  const out = process.env.BENCH_PROBE_OUT
  if (out) writeFileSync(out, JSON.stringify(report))
})
