// An in-memory Transport (src/core/http/transport.ts) for the core's tests, as tus-js-client's
// tests hand its core a TestHttpStack: records, the bytes each PUT read from disk, upload and
// download URLs with a signature, and what a test steers and watches a run with: a log of calls,
// the calls in flight (now and at most), queued faults built from the core's own error classes,
// held calls, latency, and storage that corrupts what it keeps.
import { createHash, randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import {
  CancelledError,
  changedSize,
  HttpError,
  NetworkError,
  unreadableFile,
  type Step
} from '../../src/core/errors.ts'
import type { FilePage, FileRecord } from '../../src/core/http/responses.ts'
import type {
  CreatedFile,
  CreateRequest,
  PutResult,
  SentListener,
  StoredContent,
  Transport,
  UploadSource
} from '../../src/core/http/transport.ts'

/** The transport's calls, named as its methods are. */
export type CallStep = 'create' | 'put' | 'confirm' | 'list' | 'get' | 'readStored'

/** One call, as the log keeps it: its step, and the record or the file's name it concerns. */
export interface Call {
  step: CallStep
  id?: number | undefined
  name?: string | undefined
}

/** A record as the memory keeps it. */
export interface MemoryRecord {
  id: number
  /** Undefined where the key picked the project (the Resources API). */
  projectId: number | undefined
  name: string
  mimeType: string
  size: number
  description: string | undefined
  status: 'pending' | 'uploaded'
  /** The upload URL's signature. */
  secret: string
  /** What storage keeps: the bytes (corrupted or not), their sha256, and the sha256 of those received. */
  stored?: { bytes: Buffer; sha256: string; receivedSha256: string }
}

/**
 * How a call fails: an HttpError of the call's step (status, the server's words, a storage code),
 * a NetworkError (no answer), or a lost answer: the call is applied, then fails as no answer.
 */
export type Fault =
  | { status: number; message?: string; code?: string; retryAfterSeconds?: number }
  | { network: string }
  | 'lost-answer'

/** Where a fault or a hold applies: its step, and only the file of that name when one is given. */
interface Target {
  step: CallStep
  name?: string | undefined
}

/** The core's step for errors of each call (a read-back fails as `verify`). */
const STEP_OF: Readonly<Record<CallStep, Step>> = {
  create: 'create',
  put: 'upload',
  confirm: 'confirm',
  list: 'list',
  get: 'get',
  readStored: 'verify'
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

/** What a memory transport starts with. */
export interface MemoryOptions {
  /** The projects create accepts (any when left out). */
  projects?: number[]
  /** A wait before each call is answered, as a network's round trip; a cancel cuts it. */
  latencyMs?: number
  /** How many bytes each part of a PUT reports to onSent (default 256 KiB). */
  partBytes?: number
}

/** The Files API and its storage, in memory. */
export class MemoryTransport implements Transport {
  readonly filesUrl = 'https://api.test/api/files'
  /** Every record, by ID; IDs count from 1 in the order of the creates. */
  readonly records = new Map<number, MemoryRecord>()
  /** Every call, in the order they came. */
  readonly calls: Call[] = []
  /** `→ step name` as each call comes and `← step name` as it is answered, in one order. */
  readonly timeline: string[] = []
  /** API calls (all but PUTs) and PUTs in flight now, and the most seen at once. */
  readonly inFlight = { api: 0, puts: 0, maxApi: 0, maxPuts: 0 }
  /** How many times close was called. */
  closed = 0
  /** A wait before each call is answered; a cancel cuts it. */
  latencyMs: number
  /** Called as each call comes, before it is answered; what it returns is awaited, in flight. */
  onCall: ((call: Call) => unknown) | undefined
  /** Storage keeps other bytes (the first flipped) for each PUT this says yes to. */
  corrupt: ((record: MemoryRecord, put: number) => boolean) | undefined
  readonly #projects: readonly number[] | undefined
  readonly #partBytes: number
  readonly #faults: (Target & { fault: Fault; times: number })[] = []
  readonly #holds: (Target & { released: Promise<void> })[] = []
  #puts = 0

  constructor(options: MemoryOptions = {}) {
    this.#projects = options.projects
    this.latencyMs = options.latencyMs ?? 0
    this.#partBytes = options.partBytes ?? 256 * 1024
  }

  /** The next `times` calls of `step` (for the file `name` only, when given) fail with `fault`. */
  fail(step: CallStep, fault: Fault, options: { times?: number; name?: string } = {}): void {
    this.#faults.push({ step, name: options.name, fault, times: options.times ?? 1 })
  }

  /**
   * Holds every call of `step` (of the file `name` only, when given) until the returned function
   * is called. A held call is an answer on its way: a cancel does not cut it.
   */
  hold(step: CallStep, name?: string): () => void {
    let release = (): void => {}
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    this.#holds.push({ step, name, released })
    return release
  }

  /** Adds uploaded records with these bytes, as another run left them. */
  seed(projectId: number, files: Record<string, string | Buffer>): MemoryRecord[] {
    return Object.entries(files).map(([name, content]) => {
      const bytes = Buffer.from(content)
      const record = this.#add({ projectId, name, mimeType: 'text/plain', size: bytes.length })
      record.status = 'uploaded'
      record.stored = { bytes, sha256: sha256(bytes), receivedSha256: sha256(bytes) }
      return record
    })
  }

  /** The records confirmed, in the order they were created. */
  uploaded(): MemoryRecord[] {
    return [...this.records.values()].filter((record) => record.status === 'uploaded')
  }

  /** The records left pending, in the order they were created. */
  pending(): MemoryRecord[] {
    return [...this.records.values()].filter((record) => record.status === 'pending')
  }

  /** How many calls of `step` came (for the file `name` only, when given). */
  count(step: CallStep, name?: string): number {
    return this.calls.filter((call) => call.step === step && (!name || call.name === name)).length
  }

  async create(request: CreateRequest, signal: AbortSignal): Promise<CreatedFile> {
    return this.#answer({ step: 'create', name: request.name }, signal, () => {
      const { projectId } = request
      if (this.#projects && projectId !== undefined && !this.#projects.includes(projectId)) {
        throw new HttpError('create', 404, 'Project not found')
      }
      const record = this.#add({ ...request, size: request.size })
      const uploadUrl = new URL(`https://storage.test/put/${record.id}`)
      uploadUrl.searchParams.set('X-Amz-Signature', record.secret)
      return { id: record.id, uploadUrl }
    })
  }

  async put(
    url: URL,
    source: UploadSource,
    signal: AbortSignal,
    onSent?: SentListener
  ): Promise<PutResult> {
    const record = this.#signed(url)
    const call = { step: 'put' as const, id: record?.id, name: record?.name }
    return this.#answer(call, signal, async () => {
      if (!record) {
        const words = 'SignatureDoesNotMatch: The request signature we calculated does not match'
        throw new HttpError('upload', 403, words, { code: 'SignatureDoesNotMatch' })
      }
      const bytes = await readSource(source)
      for (let sent = 0; sent < bytes.length; sent += this.#partBytes) {
        await nextTurn()
        if (signal.aborted) throw new CancelledError()
        onSent?.(Math.min(this.#partBytes, bytes.length - sent))
      }
      this.#store(record, bytes)
      return { sha256: sha256(bytes) }
    })
  }

  async confirm(id: number, signal: AbortSignal): Promise<void> {
    await this.#answer(this.#call('confirm', id), signal, () => {
      this.#record('confirm', id).status = 'uploaded'
    })
  }

  async list(
    projectId: number | undefined,
    page: number,
    perPage: number,
    signal: AbortSignal
  ): Promise<FilePage> {
    return this.#answer({ step: 'list' }, signal, () => {
      const listed = this.uploaded()
        .filter((record) => record.projectId === projectId)
        .reverse()
      const files = listed.slice((page - 1) * perPage, page * perPage).map(fileRecord)
      return { files, totalPages: Math.ceil(listed.length / perPage) }
    })
  }

  async get(id: number, signal: AbortSignal): Promise<FileRecord> {
    return this.#answer(this.#call('get', id), signal, () => fileRecord(this.#record('get', id)))
  }

  async readStored(id: number, signal: AbortSignal): Promise<StoredContent> {
    return this.#answer(this.#call('readStored', id), signal, () => {
      const record = this.#record('get', id)
      if (!record.stored) {
        const words = 'NoSuchKey: The specified key does not exist.'
        throw new HttpError('verify', 404, words, { code: 'NoSuchKey' })
      }
      const { bytes, sha256: digest } = record.stored
      return { record: fileRecord(record), size: bytes.length, sha256: digest }
    })
  }

  async close(): Promise<void> {
    this.closed++
  }

  /** Logs the call, counts it in flight, waits as told, then applies it or fails as queued. */
  async #answer<T>(call: Call, signal: AbortSignal, apply: () => T | Promise<T>): Promise<T> {
    this.calls.push(call)
    const label = `${call.step} ${call.name ?? call.id ?? ''}`.trimEnd()
    this.timeline.push(`→ ${label}`)
    const kind = call.step === 'put' ? 'puts' : 'api'
    const max = kind === 'puts' ? 'maxPuts' : 'maxApi'
    this.inFlight[max] = Math.max(this.inFlight[max], ++this.inFlight[kind])
    try {
      if (signal.aborted) throw new CancelledError()
      await this.onCall?.(call)
      await this.#held(call)
      if (this.latencyMs) await sleep(this.latencyMs, undefined, { signal }).catch(cancelled)
      const fault = this.#fault(call)
      if (fault === undefined) return await apply()
      if (fault !== 'lost-answer') throw errorOf(call.step, fault)
      await apply()
      throw new NetworkError(STEP_OF[call.step], 'the connection closed before the answer came')
    } finally {
      this.inFlight[kind]--
      this.timeline.push(`← ${label}`)
    }
  }

  async #held(call: Call): Promise<void> {
    for (const hold of this.#holds) if (matches(hold, call)) await hold.released
  }

  #fault(call: Call): Fault | undefined {
    const queued = this.#faults.find((fault) => fault.times > 0 && matches(fault, call))
    if (!queued) return undefined
    queued.times--
    return queued.fault
  }

  #add(request: Omit<CreateRequest, 'description'> & { description?: string | undefined }) {
    const record: MemoryRecord = {
      id: this.records.size + 1,
      projectId: request.projectId,
      name: request.name,
      mimeType: request.mimeType,
      size: request.size,
      description: request.description,
      status: 'pending',
      secret: randomBytes(32).toString('hex')
    }
    this.records.set(record.id, record)
    return record
  }

  #call(step: CallStep, id: number): Call {
    return { step, id, name: this.records.get(id)?.name }
  }

  #record(step: Step, id: number): MemoryRecord {
    const record = this.records.get(id)
    if (!record) throw new HttpError(step, 404, 'File not found')
    return record
  }

  /** The record an upload URL is for, when its signature is that record's. */
  #signed(url: URL): MemoryRecord | undefined {
    const id = /^\/put\/(\d+)$/.exec(url.pathname)?.[1]
    const record = this.records.get(Number(id))
    const signature = url.searchParams.get('X-Amz-Signature')
    return url.origin === 'https://storage.test' && record?.secret === signature
      ? record
      : undefined
  }

  #store(record: MemoryRecord, received: Buffer): void {
    const bytes = Buffer.from(received)
    if (bytes.length > 0 && this.corrupt?.(record, ++this.#puts)) bytes[0] = (bytes[0] ?? 0) ^ 0xff
    record.stored = { bytes, sha256: sha256(bytes), receivedSha256: sha256(received) }
  }
}

function matches(target: Target, call: Call): boolean {
  return target.step === call.step && (target.name === undefined || target.name === call.name)
}

function cancelled(): never {
  throw new CancelledError()
}

/** The fault as the core's own error of the call's step. */
function errorOf(step: CallStep, fault: Exclude<Fault, 'lost-answer'>): Error {
  if ('network' in fault) return new NetworkError(STEP_OF[step], fault.network)
  return new HttpError(STEP_OF[step], fault.status, fault.message ?? `HTTP ${fault.status}`, {
    code: fault.code,
    retryAfterSeconds: fault.retryAfterSeconds
  })
}

/** The file's bytes, failing as the HTTP client does when it is gone or no longer its size. */
async function readSource(source: UploadSource): Promise<Buffer> {
  const bytes = await readFile(source.absolutePath).catch((error: unknown) => {
    throw unreadableFile(error, 'after it was listed')
  })
  if (bytes.length !== source.size)
    throw changedSize(source.size, bytes.length, 'after it was listed')
  return bytes
}

/** A record as get and list answer it, with a signed download URL. */
function fileRecord(record: MemoryRecord): FileRecord {
  const url = `https://storage.test/get/${record.id}?X-Amz-Signature=${sha256(Buffer.from(record.secret))}`
  return {
    id: record.id,
    projectId: record.projectId,
    name: record.name,
    sizeBytes: record.size,
    status: record.status,
    url
  }
}

/** A transport that passes every call to `inner`, but those `overrides` answers itself. */
export function delegate(
  inner: Transport,
  overrides: Partial<Omit<Transport, 'filesUrl'>> = {}
): Transport {
  return {
    get filesUrl() {
      return inner.filesUrl
    },
    create: (request, signal) => inner.create(request, signal),
    put: (url, source, signal, onSent) => inner.put(url, source, signal, onSent),
    confirm: (id, signal) => inner.confirm(id, signal),
    list: (projectId, page, perPage, signal) => inner.list(projectId, page, perPage, signal),
    get: (id, signal) => inner.get(id, signal),
    readStored: (id, signal) => inner.readStored(id, signal),
    close: () => inner.close(),
    ...overrides
  }
}
