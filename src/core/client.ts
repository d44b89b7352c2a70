import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import { EnvHttpProxyAgent, type Dispatcher } from 'undici'
import {
  CancelledError,
  FileChangedError,
  HttpError,
  NetworkError,
  unreadableFile,
  type Step
} from './errors.ts'
import { isLoopback } from './settings.ts'
import {
  parseFileEnvelope,
  parseFilePage,
  parseFileRecord,
  parseServerWords,
  type FilePage,
  type FileRecord
} from './responses.ts'
import { parseRetryAfter } from './retry.ts'
import { formatSpan, SendWatch } from './send-watch.ts'

/** What the client needs; nothing here is read from the environment. */
export interface ClientOptions {
  /** The API's base URL, without a trailing slash. */
  baseUrl: string
  /** The Bearer key; sent to the API origin only, never to storage. */
  authKey: string
  /** Most connections kept to each origin. */
  connections: number
  /** Milliseconds a request may go without progress before it is abandoned. */
  requestTimeoutMs: number
  /** The User-Agent header of every request. */
  userAgent: string
  /**
   * Injected in tests; by default an agent that honours HTTP(S)_PROXY and NO_PROXY.
   * @internal Left out of the published declarations, which must not need undici's types.
   */
  dispatcher?: Dispatcher
  /** Called when each request is answered (status 0 when no answer came), for debug logging. */
  onRequest?: (event: RequestEvent) => void
  /** Called with each secret (a URL's signature) before anything could print it. */
  mask?: (secret: string) => void
}

/** One request, as debug logging sees it. */
export interface RequestEvent {
  /** The protocol step. */
  step: Step
  /** The HTTP method. */
  method: string
  /** Origin and path, never the query: the query of an upload URL holds its signature. */
  url: string
  /** The answer's status, or 0 when none came. */
  status: number
  /** Milliseconds until the answer's headers (or the failure). */
  ms: number
}

/** A created file record: its ID and where to PUT the bytes. */
export interface CreatedFile {
  /** The record's ID. */
  id: number
  /** The presigned upload URL; its signature is already masked. */
  uploadUrl: URL
}

/** What create sends. */
export interface CreateRequest {
  /** The project that receives the file. */
  projectId: number
  /** The file's display name. */
  name: string
  /** The MIME type the PUT will send. */
  mimeType: string
  /** Exact size in bytes. */
  size: number
  /** Optional description. */
  description?: string | undefined
}

/** What the PUT needs to know about the file on disk. */
export interface UploadSource {
  /** Absolute path. */
  absolutePath: string
  /** The size it had when listed; it must still have it. */
  size: number
  /** The Content-Type the upload URL was signed for. */
  mimeType: string
}

/** The outcome of a PUT. */
export interface PutResult {
  /** Hex sha256 of exactly the bytes sent. */
  sha256: string
}

/** What storage holds for a record, as its download URL served it. */
export interface StoredContent {
  /** The record, as get answered it; its download URL's signature is already masked. */
  record: FileRecord
  /** Bytes the download carried. */
  size: number
  /** Hex sha256 of those bytes. */
  sha256: string
}

/** Read size for uploads: large enough for few syscalls, small enough to keep memory flat. */
const CHUNK_BYTES = 1024 * 1024

/**
 * Write size for uploads. Each write the socket takes is one sign of progress, so a smaller part
 * lets a slow link count as moving (at least this much per request-timeout). It stays twice the
 * socket's default high-water mark (64 KiB), so that every write waits for 'drain' (see readHashed).
 */
const PART_BYTES = 128 * 1024

/** Called with the size of each part that has left for storage. */
export type SentListener = (bytes: number) => void

/** Every HTTP call of the action: create, upload, confirm, list, get. Holds only the connection pool. */
export class FilesClient {
  readonly #options: ClientOptions
  readonly #dispatcher: Dispatcher
  /** The API's origin, and the path prefix its routes hang below (usually empty). */
  readonly #api: { origin: string; prefix: string }
  readonly #mask: (secret: string) => void

  constructor(options: ClientOptions) {
    this.#options = options
    this.#mask = options.mask ?? (() => {})
    const base = new URL(options.baseUrl)
    this.#api = { origin: base.origin, prefix: base.pathname.replace(/\/$/, '') }
    this.#dispatcher =
      options.dispatcher ??
      new EnvHttpProxyAgent({
        connections: options.connections,
        keepAliveTimeout: 30_000,
        headersTimeout: options.requestTimeoutMs,
        bodyTimeout: options.requestTimeoutMs
      })
  }

  /** Where the files API is called: the base URL and `/api/files`, for messages. */
  get filesUrl(): string {
    return `${this.#api.origin}${this.#api.prefix}/api/files`
  }

  /** Step 1: creates the record and returns its presigned upload URL. */
  async create(request: CreateRequest, signal: AbortSignal): Promise<CreatedFile> {
    const body: Record<string, string | number> = {
      project_id: request.projectId,
      name: request.name,
      mime_type: request.mimeType,
      size_bytes: request.size
    }
    if (request.description !== undefined) body.description = request.description
    const text = await this.#call('create', 'POST', '/api/files', body, signal)
    const file = parseFileEnvelope('create', text, { uploadUrl: true })
    return { id: file.id, uploadUrl: checkUploadUrl(file.uploadUrl ?? '', this.#mask) }
  }

  /**
   * Step 2: streams the file to the presigned URL, hashing it in the same read. No Authorization
   * header, ever. A SendWatch, not undici's headersTimeout, decides when it stopped moving.
   */
  async put(
    url: URL,
    source: UploadSource,
    signal: AbortSignal,
    onSent?: SentListener
  ): Promise<PutResult> {
    const handle = await openUnchanged(source)
    const watch = new SendWatch(this.#options.requestTimeoutMs, signal)
    try {
      const hash = createHash('sha256')
      const response = await this.#send(
        'upload',
        signal,
        url.origin,
        {
          method: 'PUT',
          path: url.pathname + url.search,
          headers: {
            'content-type': source.mimeType,
            'content-length': String(source.size),
            'user-agent': this.#options.userAgent
          },
          body: putBody(readHashed(handle, source.size, hash, onSent), source.size, watch)
        },
        watch
      ).catch(async (error: unknown) => {
        await assertUnchanged(source)
        throw error
      })
      await expectSuccess('upload', response)
      await assertUnchanged(source)
      return { sha256: hash.digest('hex') }
    } finally {
      watch.stop()
      await handle.close()
    }
  }

  /** Step 3: marks the record uploaded. Confirming twice is harmless, so retries are safe. */
  async confirm(id: number, signal: AbortSignal): Promise<void> {
    const text = await this.#call(
      'confirm',
      'PATCH',
      `/api/files/${id}`,
      { status: 'uploaded' },
      signal
    )
    parseFileEnvelope('confirm', text, { uploadUrl: false })
  }

  /** Reads one page of the project's uploaded files (`page` from 1). */
  async list(
    projectId: number,
    page: number,
    perPage: number,
    signal: AbortSignal
  ): Promise<FilePage> {
    const query = new URLSearchParams({
      project_id: String(projectId),
      page: String(page),
      per_page: String(perPage)
    })
    const text = await this.#call('list', 'GET', `/api/files?${query}`, undefined, signal)
    return parseFilePage(text)
  }

  /** Reads one file record; its download URL's signature is masked before it is returned. */
  async get(id: number, signal: AbortSignal): Promise<FileRecord> {
    const text = await this.#call('get', 'GET', `/api/files/${id}`, undefined, signal)
    const record = parseFileRecord('get', text)
    if (record.url !== undefined) maskQuerySecret(record.url, this.#mask)
    return record
  }

  /**
   * Reads what storage holds for a record: gets the record, then streams its signed download URL,
   * hashing and counting the bytes as they come and keeping none of them, so memory stays flat at
   * any size. Fails as `get` for the record, as `verify` for the download.
   */
  async readStored(id: number, signal: AbortSignal): Promise<StoredContent> {
    const record = await this.get(id, signal)
    if (!record.url) throw new HttpError('get', 200, 'the answer has no download url')
    const url = checkSignedUrl(record.url, { step: 'get', field: 'download url' })
    const response = await this.#send('verify', signal, url.origin, {
      method: 'GET',
      path: url.pathname + url.search,
      headers: { 'user-agent': this.#options.userAgent },
      body: null
    })
    // Anything but a 2xx (undici hands over final answers only, 200 and up): its (short) error
    // body is read for the storage's words, and thrown.
    if (response.statusCode >= 300) {
      await expectSuccess('verify', response)
    }
    return { record, ...(await digestBody(response.body, signal, this.#options.requestTimeoutMs)) }
  }

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    await this.#dispatcher.destroy()
  }

  /** A JSON call to the API origin with the Bearer key; returns the 2xx body text. */
  async #call(
    step: Step,
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body: object | undefined,
    signal: AbortSignal
  ): Promise<string> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#options.authKey}`,
      accept: 'application/json',
      'user-agent': this.#options.userAgent
    }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await this.#send(step, signal, this.#api.origin, {
      method,
      path: this.#api.prefix + path,
      headers,
      body: body === undefined ? null : JSON.stringify(body)
    })
    return expectSuccess(step, response)
  }

  /**
   * Sends one request; a failure without an HTTP answer becomes NetworkError (or CancelledError).
   * With a watch (uploads), the watch times the wait for the answer instead of undici.
   */
  async #send(
    step: Step,
    signal: AbortSignal,
    origin: string,
    request: Pick<Dispatcher.RequestOptions, 'method' | 'path' | 'headers' | 'body'>,
    watch?: SendWatch
  ): Promise<Dispatcher.ResponseData> {
    const started = performance.now()
    const report = (status: number): void =>
      this.#options.onRequest?.({
        step,
        method: request.method,
        url: origin + request.path.replace(/\?.*$/s, ''),
        status,
        ms: performance.now() - started
      })
    try {
      const response = await this.#dispatcher.request({
        ...request,
        origin,
        signal: watch?.signal ?? signal,
        // 0 turns undici's timer off; the watch's runs from the body's progress instead.
        headersTimeout: watch ? 0 : this.#options.requestTimeoutMs,
        bodyTimeout: this.#options.requestTimeoutMs
      })
      watch?.stop()
      report(response.statusCode)
      return response
    } catch (error) {
      report(0)
      if (signal.aborted) throw new CancelledError()
      if (error instanceof FileChangedError) throw error
      const message = watch?.stalled
        ? watch.describe()
        : describeNetworkError(error, this.#options.requestTimeoutMs)
      throw new NetworkError(step, message, { cause: error })
    }
  }
}

/** Reads the answer; returns the body of a 2xx, throws HttpError with the server's words otherwise. */
async function expectSuccess(step: Step, response: Dispatcher.ResponseData): Promise<string> {
  let text: string
  try {
    text = await response.body.text()
  } catch (error) {
    throw new NetworkError(step, `the answer was cut off: ${describeNetworkError(error, 0)}`, {
      cause: error
    })
  }
  const status = response.statusCode
  if (status >= 200 && status < 300) return text
  const words = parseServerWords(text, header(response, 'content-type'))
  const location = header(response, 'location')
  const redirect = status >= 300 && status < 400 ? redirectWords(location) : ''
  throw new HttpError(step, status, redirect || words.message, {
    code: words.code,
    retryAfterSeconds: parseRetryAfter(header(response, 'retry-after'))
  })
}

/** Redirects are never followed: the key must not travel to another host. */
function redirectWords(location: string | undefined): string {
  let host = 'an unknown place'
  try {
    if (location) host = new URL(location).host
  } catch {
    // An unparseable Location is reported as unknown.
  }
  return `a redirect to ${host}, which is not followed`
}

function header(response: Dispatcher.ResponseData, name: string): string | undefined {
  const value = response.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** Masks the URL's signature and refuses to send bytes in clear text across a network. */
function checkUploadUrl(raw: string, mask: (secret: string) => void): URL {
  maskQuerySecret(raw, mask)
  return checkSignedUrl(raw, { step: 'create', field: 'upload_url' })
}

/** A signed URL goes to https only (or plain http on this machine): its query is a secret. */
function checkSignedUrl(raw: string, answer: { step: Step; field: string }): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new HttpError(answer.step, 200, `the answer has no valid ${answer.field}`)
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new HttpError(
      answer.step,
      200,
      `the ${answer.field} uses ${url.protocol} to ${url.host}; only https is accepted`
    )
  }
  return url
}

/**
 * Hashes and counts a download as it streams, one chunk at a time. A body that stalls past the
 * request timeout (undici's bodyTimeout) or is cut off is a NetworkError of the verify step.
 */
async function digestBody(
  body: Dispatcher.ResponseData['body'],
  signal: AbortSignal,
  timeoutMs: number
): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256')
  let size = 0
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      hash.update(chunk)
      size += chunk.length
    }
  } catch (error) {
    if (signal.aborted) throw new CancelledError()
    const words = describeNetworkError(error, timeoutMs)
    throw new NetworkError('verify', `the download was cut off: ${words}`, { cause: error })
  }
  return { size, sha256: hash.digest('hex') }
}

/**
 * Masks the secret part of a signed URL: its SigV4 signature, or with another signing scheme the
 * whole query. An unparseable URL is masked whole.
 */
function maskQuerySecret(raw: string, mask: (secret: string) => void): void {
  let secret: string
  try {
    const url = new URL(raw)
    secret = url.searchParams.get('X-Amz-Signature') || url.search.slice(1)
  } catch {
    secret = raw
  }
  if (secret) mask(secret)
}

/** Opens the file and checks it still is the size that was listed. */
async function openUnchanged(source: UploadSource): Promise<fs.FileHandle> {
  const handle = await fs.open(source.absolutePath, 'r').catch((error: unknown) => {
    throw unreadableFile(error, 'after it was listed')
  })
  const { size } = await handle.stat()
  if (size !== source.size) {
    await handle.close()
    throw new FileChangedError(
      `the file changed size from ${source.size} to ${size} bytes after it was listed`
    )
  }
  return handle
}

/** Fails when the file vanished or changed size while it was being sent. */
async function assertUnchanged(source: UploadSource): Promise<void> {
  const { size } = await fs.stat(source.absolutePath).catch((error: unknown) => {
    throw unreadableFile(error, 'while it was being uploaded')
  })
  if (size !== source.size) {
    throw new FileChangedError(
      `the file changed size from ${source.size} to ${size} bytes while it was being uploaded`
    )
  }
}

/**
 * Exactly `size` bytes of the file, hashed as they are read, in chunks read ahead one at a time
 * and handed to undici in parts of PART_BYTES.
 *
 * Two buffers serve the whole file, so memory stays flat at any size. Reusing a buffer is safe
 * because undici pulls the next part only after the socket has drained the previous one: a part
 * larger than the socket's high-water mark always makes `write` return false, and undici then
 * waits for 'drain' (client-h1 writeIterable). Only the file's last part can be smaller, and no
 * read follows it. The read of chunk k+1 overlaps the send of chunk k; its buffer held chunk k-1,
 * whose parts had all drained before chunk k was asked for.
 */
async function* readHashed(
  handle: fs.FileHandle,
  size: number,
  hash: ReturnType<typeof createHash>,
  onSent?: SentListener
): AsyncGenerator<Buffer> {
  const length = Math.min(size, CHUNK_BYTES)
  const buffers = [Buffer.allocUnsafe(length), Buffer.allocUnsafe(length)] as const
  const readAt = (position: number, slot: 0 | 1): Promise<Buffer> => {
    const read = readChunk(handle, buffers[slot], position, Math.min(length, size - position), hash)
    // Marked handled now: if the upload fails while this read is pending, nobody awaits it.
    read.catch(() => {})
    return read
  }
  let position = 0
  let slot: 0 | 1 = 0
  let next: Promise<Buffer> | undefined = readAt(0, 0)
  try {
    while (next) {
      const chunk: Buffer = await next
      position += chunk.length
      slot = slot === 0 ? 1 : 0
      next = position < size ? readAt(position, slot) : undefined
      for (let offset = 0; offset < chunk.length; offset += PART_BYTES) {
        const part = chunk.subarray(offset, offset + PART_BYTES)
        yield part
        // undici asks for the next part only once this one is written and drained.
        onSent?.(part.length)
      }
    }
  } finally {
    await next?.catch(() => {})
  }
}

/** The PUT's body, with each part's progress and the body's end reported to the watch. */
function putBody(
  parts: AsyncIterable<Buffer>,
  size: number,
  watch: SendWatch
): NonNullable<Dispatcher.RequestOptions['body']> {
  if (size === 0) {
    watch.finished()
    return ''
  }
  // undici sends an async iterable as a body (lib/core/request.js), though its types list only streams.
  return watched(parts, watch) as unknown as NonNullable<Dispatcher.RequestOptions['body']>
}

/** Passes the parts through: each pull is the connection taking the previous part. */
async function* watched(parts: AsyncIterable<Buffer>, watch: SendWatch): AsyncGenerator<Buffer> {
  // The first pull: connected, headers written, the body starts.
  watch.progress(0)
  for await (const part of parts) {
    yield part
    watch.progress(part.length)
  }
  watch.finished()
}

/** Fills `want` bytes of `buffer` from `position` and hashes them; a short file is a changed file. */
async function readChunk(
  handle: fs.FileHandle,
  buffer: Buffer,
  position: number,
  want: number,
  hash: ReturnType<typeof createHash>
): Promise<Buffer> {
  let filled = 0
  while (filled < want) {
    const { bytesRead } = await handle.read(buffer, filled, want - filled, position + filled)
    if (bytesRead === 0) {
      throw new FileChangedError(
        'the file changed size while it was being uploaded: it ended early'
      )
    }
    filled += bytesRead
  }
  const chunk = buffer.subarray(0, want)
  hash.update(chunk)
  return chunk
}

/** A short account of a failure without an answer; never includes a URL's query. */
function describeNetworkError(error: unknown, timeoutMs: number): string {
  const code = (error as { code?: unknown }).code
  const span = formatSpan(timeoutMs)
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return `no progress and no answer for ${span}`
  if (code === 'UND_ERR_BODY_TIMEOUT') return `the answer stalled for ${span}`
  const message = error instanceof Error ? error.message : String(error)
  const scrubbed = message.replace(/\?[^\s'"]*/g, '?…')
  return typeof code === 'string' && !scrubbed.includes(code) ? `${scrubbed} (${code})` : scrubbed
}
