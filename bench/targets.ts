// The two servers the small-files cases upload to, behind one interface: the emulator, with its
// own latencyMs, and storage the project did not write. That one is test/support/interop-api.ts's
// Files API in front of @20minutes/s3rver, an S3 server that verifies presigned SigV4 URLs, with
// upload URLs presigned by the AWS SDK; each of the two stands behind a latency proxy
// (latency-proxy.ts), so that every request the action makes waits as long as on the emulator. The
// presigner signs for the storage proxy's address, so the upload URLs go through that proxy and
// s3rver checks the very signature the action was handed. The API's HeadObject at confirm goes
// to s3rver directly: it is the backend's own call, not one the action waits for twice.
//
// The interop modules (the AWS SDK, s3rver) are imported only when that target starts.
import type { Emulator } from '../emulator/emulator.ts'
import type { InteropApi } from '../test/support/interop-api.ts'
import { KEY, PROJECT } from './fixtures.ts'
import { countedEmulator, type Concurrency } from './in-flight.ts'
import { startLatencyProxy } from './latency-proxy.ts'
import { median, onCleanUp, tempDir } from './lib.ts'

/** A server the action and the curl baselines upload to. */
export interface Target {
  /** Its name in the printed lines and the table. */
  name: string
  /** The Files API's base URL: the action's base-url. */
  apiUrl: string
  /** Forgets the previous run: its records, its requests and the in-flight maxima. */
  reset(): void
  /** What the action's requests did since the last reset. */
  traffic(): Traffic
  close(): Promise<void>
}

/** The emulator target, with the emulator itself for the untimed diagnostic run. */
export interface EmulatorTarget extends Target {
  emulator: Emulator
}

/** The fewest and the most of something per file, over the files named in the creates. */
export interface PerFile {
  /** Distinct file names. */
  files: number
  min: number
  max: number
}

/** What one run of uploads did on a target. */
export interface Traffic {
  /** The most Files API requests in flight at once. */
  apiMax: number
  /** The most PUTs to storage in flight at once. */
  putMax: number
  /** Files confirmed (status uploaded). */
  uploaded: number
  /** Create requests in all, and per file name (one record per create the API accepted). */
  createRequests: number
  creates: PerFile
  /** Confirm requests in all, and per file name. */
  confirmRequests: number
  confirms: PerFile
  /**
   * The median time the servers behind the latency proxies took to answer an API request and a
   * PUT, latency excluded (the interop target only: NaN on the emulator, whose latency is its own).
   */
  apiServedMs: number
  putServedMs: number
}

/** How many times each name occurs. */
export function perFile(names: readonly string[]): PerFile {
  const counts = new Map<string, number>()
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1)
  const values = [...counts.values()]
  return values.length === 0
    ? { files: 0, min: 0, max: 0 }
    : { files: counts.size, min: Math.min(...values), max: Math.max(...values) }
}

/** Whether each of `files` files was created once and confirmed once, and nothing else was. */
export function exactlyOnce(traffic: Traffic, files: number): boolean {
  const once = (count: PerFile): boolean =>
    count.files === files && count.min === 1 && count.max === 1
  return (
    once(traffic.creates) &&
    once(traffic.confirms) &&
    traffic.createRequests === files &&
    traffic.confirmRequests === files
  )
}

/** The most API requests and the most PUTs in flight at once since the counters' reset. */
function maxima(concurrency: Concurrency): { apiMax: number; putMax: number } {
  return { apiMax: concurrency.api.max, putMax: concurrency.puts.max }
}

/** The emulator with `latencyMs` on every request, storage hashing and discarding what it gets. */
export async function emulatorTarget(latencyMs: number): Promise<EmulatorTarget> {
  const { emulator, concurrency } = await countedEmulator({ latencyMs, keepBytes: false })
  const nameOf = (id: number | undefined): string => emulator.files.get(id ?? NaN)?.name ?? `#${id}`
  return {
    name: 'emulator',
    apiUrl: emulator.apiUrl,
    emulator,
    reset: () => {
      emulator.reset()
      concurrency.api.reset()
      concurrency.puts.reset()
    },
    traffic: () => {
      const creates = emulator.requests.filter((r) => r.step === 'create')
      const confirms = emulator.requests.filter((r) => r.step === 'confirm')
      return {
        ...maxima(concurrency),
        uploaded: emulator.uploaded().length,
        createRequests: creates.length,
        creates: perFile([...emulator.files.values()].map((f) => f.name)),
        confirmRequests: confirms.length,
        confirms: perFile(confirms.map((r) => nameOf(r.fileId))),
        apiServedMs: NaN,
        putServedMs: NaN
      }
    },
    close: () => emulator.close()
  }
}

/** The confirm route of the interop API, with the file's id. */
const CONFIRM = /^\/api\/files\/(\d+)$/

/** What the interop API was asked: creates, and confirms by file name. */
function interopTraffic(
  api: InteropApi
): Omit<Traffic, 'apiMax' | 'putMax' | 'apiServedMs' | 'putServedMs'> {
  const records = [...api.records.values()]
  const creates = api.requests.filter((r) => r.method === 'POST' && r.route === '/api/files')
  const confirms = api.requests.flatMap((r) => {
    const id = r.method === 'PATCH' ? CONFIRM.exec(r.route)?.[1] : undefined
    return id === undefined ? [] : [api.records.get(Number(id))?.name ?? `#${id}`]
  })
  return {
    uploaded: records.filter((r) => r.status === 'uploaded').length,
    createRequests: creates.length,
    creates: perFile(records.map((r) => r.name)),
    confirmRequests: confirms.length,
    confirms: perFile(confirms)
  }
}

/**
 * The interop API and s3rver, each behind a latency proxy of `latencyMs`. Upload URLs leave out
 * the SDK's default checksum parameters ('WHEN_REQUIRED'), the form every S3-compatible server takes.
 */
export async function interopTarget(latencyMs: number): Promise<Target> {
  const interop = await import('../test/support/interop-api.ts')
  const stops: (() => Promise<void>)[] = []
  const close = async (): Promise<void> => {
    forget()
    for (const stop of stops.splice(0).reverse()) await stop()
  }
  const forget = onCleanUp(close)
  const storage = await interop.startS3rver(await tempDir('s3rver'))
  stops.push(() => storage.close())
  const storageProxy = await startLatencyProxy(storage.endpoint, latencyMs)
  stops.push(() => storageProxy.close())
  const s3 = interop.s3Client(storage.endpoint, 'WHEN_REQUIRED')
  const presigner = interop.s3Client(storageProxy.url, 'WHEN_REQUIRED')
  stops.push(async () => {
    s3.destroy()
    presigner.destroy()
  })
  const api = await interop.startInteropApi({
    s3,
    presigner,
    signer: { checksums: 'WHEN_REQUIRED' },
    apiKey: KEY,
    projects: [PROJECT]
  })
  stops.push(() => api.close())
  const apiProxy = await startLatencyProxy(api.url, latencyMs)
  stops.push(() => apiProxy.close())
  const concurrency = { api: apiProxy.requests, puts: storageProxy.puts }
  return {
    name: 's3rver',
    apiUrl: apiProxy.url,
    reset: () => {
      api.records.clear()
      api.requests.length = 0
      storage.requests.length = 0
      apiProxy.served.length = 0
      storageProxy.served.length = 0
      concurrency.api.reset()
      concurrency.puts.reset()
    },
    traffic: () => ({
      ...maxima(concurrency),
      ...interopTraffic(api),
      apiServedMs: median(apiProxy.served.map((s) => s.ms)),
      putServedMs: median(storageProxy.served.filter((s) => s.method === 'PUT').map((s) => s.ms))
    }),
    close
  }
}
