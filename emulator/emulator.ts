import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import { createServer as createTlsServer, Server as HttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { handleApi } from './api.ts'
import { HEADER_VALUE } from './dialects.ts'
import { emptyChaosStats, startChaos } from './chaos.ts'
import { startCorrupt } from './corrupt.ts'
import { makeObjectsDir, removeObject, removeObjectsDir } from './objects.ts'
import type { Exchange } from './http.ts'
import { sendJson, sendS3Error, sleep, splitTarget } from './http.ts'
import { seedFiles } from './seed.ts'
import { createPresigner } from './sigv4.ts'
import type { State } from './state.ts'
import { handleStorage } from './storage.ts'
import { checkRate } from './throttle.ts'
import type { ApiDialect, Emulator, EmulatorOptions, FileRecord, RecordedRequest } from './types.ts'

export type {
  ApiDialect,
  ChaosKind,
  ChaosOptions,
  CorruptOptions,
  CorruptPut,
  Emulator,
  EmulatorOptions,
  Fault,
  FaultAction,
  FileRecord,
  RecordedRequest,
  SeedEntry,
  Step,
  StoredObject
} from './types.ts'

type Handler = (state: State, ex: Exchange) => Promise<void>

/** Starts the API server and the storage server; resolves once both listen. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const state = createState(options)
  if (state.keepBytes === 'disk') state.objects = await makeObjectsDir()
  const host = options.host ?? '127.0.0.1'
  const sockets = new Set<Socket>()
  // Each change comes with its request, which the CLI's state file appends (see state.ts).
  const notify: (request: RecordedRequest) => void = options.onChange ?? (() => {})
  const api = serve(state, 'api', handleApi, sockets, notify, options.tls)
  const storage = serve(state, 'storage', handleStorage, sockets, notify, options.tls)
  const close = async (): Promise<void> => {
    await closeAll([api, storage], sockets)
    if (state.objects) await removeObjectsDir(state.objects)
  }
  let apiUrl: string
  try {
    apiUrl = await listen(api, host, options.apiPort ?? 0)
    state.storageUrl = await listen(storage, host, options.storagePort ?? 0)
  } catch (error) {
    await close()
    throw error
  }
  state.storageHost = new URL(state.storageUrl).host
  return {
    api: state.api,
    apiUrl,
    storageUrl: state.storageUrl,
    apiKey: state.apiKey,
    keys: Object.fromEntries(state.keys),
    files: state.files,
    requests: state.requests,
    faults: state.faults,
    uploaded: () => uploaded(state.files),
    reset: () => reset(state),
    setChaos: (chaos) => setChaos(state, chaos),
    chaosStats: () => ({ ...state.chaosStats }),
    setThrottle: (bytesPerSecond) => {
      state.bytesPerSecond = checkRate(bytesPerSecond)
    },
    setListIgnoresFilters: (ignore) => {
      state.listIgnoresFilters = ignore
    },
    setCorrupt: (corrupt) => {
      state.corrupt = startCorrupt(corrupt)
    },
    seedFiles: (entries) => seedFiles(state, entries),
    objectsDir: state.objects?.path,
    close
  }
}

function createState(options: EmulatorOptions): State {
  const keepBytes = options.keepBytes ?? true
  if (typeof keepBytes !== 'boolean' && keepBytes !== 'disk') {
    throw new RangeError("keepBytes must be true, false or 'disk'")
  }
  const urlExpiresSeconds = options.urlExpiresSeconds ?? 900
  if (!Number.isInteger(urlExpiresSeconds) || urlExpiresSeconds < 1 || urlExpiresSeconds > 604800) {
    throw new RangeError('urlExpiresSeconds must be an integer from 1 to 604800')
  }
  const projects = options.projects ?? [1]
  const keys = keysOf(options, projects[0] ?? 1)
  return {
    api: dialectOf(options.api),
    apiKey: options.apiKey ?? keys.keys().next().value!,
    keys,
    projects: new Set([...projects, ...keys.values()]),
    files: new Map(),
    byKey: new Map(),
    requests: [],
    faults: [],
    nextId: 1,
    urlExpiresSeconds,
    latencyMs: options.latencyMs ?? 0,
    expiredForm: options.expiredForm ?? 'r2',
    keepBytes,
    objects: undefined,
    presigner: createPresigner(),
    storageUrl: '',
    storageHost: '',
    chaos: startChaos(options.chaos),
    chaosStats: emptyChaosStats(),
    bytesPerSecond: checkRate(options.storageBytesPerSecond),
    listIgnoresFilters: options.listIgnoresFilters ?? false,
    corrupt: startCorrupt(options.corrupt)
  }
}

function dialectOf(api: EmulatorOptions['api']): ApiDialect {
  if (api === undefined || api === 'files' || api === 'resources') return api ?? 'files'
  throw new RangeError("api must be 'files' or 'resources'")
}

/**
 * Every key the API accepts, with its project: the options' keys, and apiKey with the first
 * project unless keys name it too ('test-key' when neither is given). A key is sent in a header,
 * so it must survive HTTP.
 */
function keysOf(options: EmulatorOptions, firstProject: number): Map<string, number> {
  const keys = new Map(Object.entries(options.keys ?? {}))
  const apiKey = options.apiKey ?? (options.keys === undefined ? 'test-key' : undefined)
  if (apiKey !== undefined && !keys.has(apiKey)) keys.set(apiKey, firstProject)
  for (const [key, project] of keys) {
    if (!HEADER_VALUE.test(key)) {
      throw new RangeError('every key must be printable ASCII without surrounding spaces')
    }
    if (!Number.isSafeInteger(project) || project < 1) {
      throw new RangeError(`the project of key ${JSON.stringify(key)} must be a positive integer`)
    }
  }
  if (keys.size === 0) throw new RangeError('keys must hold at least one key')
  return keys
}

function serve(
  state: State,
  server: RecordedRequest['server'],
  handler: Handler,
  sockets: Set<Socket>,
  notify: (request: RecordedRequest) => void,
  tls: EmulatorOptions['tls']
): Server {
  const inFlight = new WeakMap<object, Exchange>()
  // requestTimeout 0: a GiB upload or a deliberate hang must not be cut by Node's 5-minute default.
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const ex = begin(state, server, req, res, notify)
    inFlight.set(req.socket, ex)
    res.on('close', () => {
      if (ex.rec.status === 0) ex.notify() // dropped or hung: send() never reported it
    })
    sleep(state.latencyMs)
      .then(() => handler(state, ex))
      .catch((error: unknown) => failed(ex, error))
  }
  const http = tls
    ? createTlsServer({ requestTimeout: 0, key: tls.key, cert: tls.cert }, onRequest)
    : createServer({ requestTimeout: 0 }, onRequest)
  if (server === 'storage') {
    http.on('clientError', (error, socket) => clientError(error, socket, inFlight))
  }
  http.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  return http
}

/** Records the request on arrival; its status is filled in when answered. */
function begin(
  state: State,
  server: RecordedRequest['server'],
  req: IncomingMessage,
  res: ServerResponse,
  notify: (request: RecordedRequest) => void
): Exchange {
  const [path, query] = splitTarget(req.url)
  const rec: RecordedRequest = {
    server,
    method: req.method ?? '',
    path,
    query: Object.fromEntries(new URLSearchParams(query)),
    headers: { ...req.headers },
    status: 0,
    bodyBytes: 0,
    remotePort: req.socket.remotePort ?? 0,
    step: 'other'
  }
  state.requests.push(rec)
  return { req, res, rec, drop: false, notify: () => notify(rec) }
}

/**
 * A client that ends its side before sending Content-Length bytes gets S3's 400 IncompleteBody
 * instead of Node's bare 400; other parse errors get Node's default treatment.
 */
function clientError(
  error: Error & { code?: string },
  socket: Duplex,
  inFlight: WeakMap<object, Exchange>
): void {
  const ex = inFlight.get(socket)
  if (error.code === 'HPE_INVALID_EOF_STATE' && ex && !ex.res.headersSent) {
    ex.res.setHeader('connection', 'close')
    sendS3Error(ex, 'IncompleteBody')
    return
  }
  if (socket.writable && error.code?.startsWith('HPE_') && !ex?.res.headersSent) {
    socket.write('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
  }
  socket.destroy()
}

/** A bug in the emulator still gets an answer, in the server's own error format. */
function failed(ex: Exchange, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error)
  if (ex.rec.server === 'api') sendJson(ex, 500, { error: message })
  else sendS3Error(ex, 'InternalError', 500, message)
}

function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      const address = server.address() as AddressInfo
      const shownHost = address.address.includes(':') ? `[${address.address}]` : address.address
      resolve(`${server instanceof HttpsServer ? 'https' : 'http'}://${shownHost}:${address.port}`)
    })
  })
}

function uploaded(files: Map<number, FileRecord>): FileRecord[] {
  return [...files.values()].filter((r) => r.status === 'uploaded').sort((a, b) => a.id - b.id)
}

function reset(state: State): void {
  // Synchronous, so that the disk holds nothing of the cleared records once reset() returns.
  for (const record of state.files.values()) removeObject(record.stored?.path)
  state.files.clear()
  state.byKey.clear()
  state.requests.length = 0
  state.faults.length = 0
  state.nextId = 1
  // Settings stay; chaos and corrupt start over so a run after reset() meets the same faults as the first.
  state.chaos = startChaos(state.chaos)
  state.chaosStats = emptyChaosStats()
  state.corrupt = startCorrupt(state.corrupt?.options)
}

/** Starts chaos afresh, or stops it; a stopped run's counts stay readable until the next run. */
function setChaos(state: State, chaos: EmulatorOptions['chaos']): void {
  state.chaos = startChaos(chaos)
  if (chaos) state.chaosStats = emptyChaosStats()
}

/** Stops listening, then destroys every socket so hung and stalled exchanges cannot block. */
async function closeAll(servers: Server[], sockets: Set<Socket>): Promise<void> {
  const closed = servers.map(
    (server) => new Promise<void>((resolve) => server.close(() => resolve()))
  )
  for (const socket of sockets) socket.destroy()
  await Promise.all(closed)
}
