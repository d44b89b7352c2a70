// Stage http/: owns the transport under the core: the one HTTP client, the streamed hashed body,
// reading answers, the stall watch, retries and the URL policy; may import the core's shared
// modules only.
import { createHash } from 'node:crypto'
import { EnvHttpProxyAgent, type Dispatcher } from 'undici'
import { CancelledError, FileChangedError, HttpError, NetworkError, type Step } from '../errors.ts'
import { describeNetworkError, digestBody, expectSuccess } from './answer.ts'
import { DIALECTS, type Api, type Dialect } from './dialect.ts'
import { openBody, type OpenedBody, type SentListener, type UploadSource } from './body.ts'
import {
  parseFileEnvelope,
  parseFilePage,
  parseFileRecord,
  type FilePage,
  type FileRecord
} from './responses.ts'
import { SendWatch } from './send-watch.ts'
import { checkSignedUrl, checkUploadUrl, maskSignature } from './url-policy.ts'

import type {
  CreatedFile,
  CreateRequest,
  PutResult,
  StoredContent,
  Transport
} from './transport.ts'

export type {
  CreatedFile,
  CreateRequest,
  PutResult,
  SentListener,
  StoredContent,
  Transport,
  UploadSource
} from './transport.ts'

/** What the client needs; nothing here is read from the environment. */
export interface ClientOptions {
  /** The API's base URL, without a trailing slash. */
  baseUrl: string
  /** The Bearer key; sent to the API origin only, never to storage. */
  authKey: string
  /** Which of the vendor's APIs to call (default `files`): its paths and its answers' keys. */
  api?: Api | undefined
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

/** Every HTTP call of the action: create, upload, confirm, list, get. Holds only the connection pool. */
export class FilesClient implements Transport {
  readonly #options: ClientOptions
  readonly #dispatcher: Dispatcher
  /** The API called: its collection's path, its answers' keys, whether requests name the project. */
  readonly #dialect: Dialect
  /** The API's origin, and the path prefix its routes hang below (usually empty). */
  readonly #api: { origin: string; prefix: string }
  readonly #mask: (secret: string) => void

  constructor(options: ClientOptions) {
    this.#options = options
    this.#mask = options.mask ?? (() => {})
    this.#dialect = DIALECTS[options.api ?? 'files']
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

  /** Where the API's collection is called: the base URL and `/api/files` (or `/api/resources`), for messages. */
  get filesUrl(): string {
    return `${this.#api.origin}${this.#api.prefix}${this.#dialect.path}`
  }

  /** Step 1: creates the record and returns its presigned upload URL. */
  async create(request: CreateRequest, signal: AbortSignal): Promise<CreatedFile> {
    const body: Record<string, string | number | undefined> = {
      ...this.#project(request.projectId),
      name: request.name,
      mime_type: request.mimeType,
      size_bytes: request.size
    }
    if (request.description !== undefined) body.description = request.description
    const text = await this.#call('create', 'POST', this.#dialect.path, body, signal)
    const file = parseFileEnvelope('create', text, { uploadUrl: true }, this.#dialect)
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
    const watch = new SendWatch(this.#options.requestTimeoutMs, signal)
    const hash = createHash('sha256')
    let opened: OpenedBody | undefined
    try {
      opened = await openBody(source, hash, watch, onSent)
      const { body, recheck } = opened
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
          body
        },
        watch
      ).catch(async (error: unknown) => {
        await recheck()
        throw error
      })
      await expectSuccess('upload', response)
      await recheck()
      return { sha256: hash.digest('hex') }
    } finally {
      watch.stop()
      await opened?.close()
    }
  }

  /** Step 3: marks the record uploaded. Confirming twice is harmless, so retries are safe. */
  async confirm(id: number, signal: AbortSignal): Promise<void> {
    const text = await this.#call(
      'confirm',
      'PATCH',
      `${this.#dialect.path}/${id}`,
      { status: 'uploaded' },
      signal
    )
    parseFileEnvelope('confirm', text, { uploadUrl: false }, this.#dialect)
  }

  /** Reads one page of the project's uploaded files (`page` from 1); the key's project where it picks one. */
  async list(
    projectId: number | undefined,
    page: number,
    perPage: number,
    signal: AbortSignal
  ): Promise<FilePage> {
    const query = new URLSearchParams({
      ...this.#project(String(projectId)),
      page: String(page),
      per_page: String(perPage)
    })
    const path = `${this.#dialect.path}?${query}`
    const text = await this.#call('list', 'GET', path, undefined, signal)
    return parseFilePage(text, this.#dialect)
  }

  /** Reads one file record; its download URL's signature is masked before it is returned. */
  async get(id: number, signal: AbortSignal): Promise<FileRecord> {
    const path = `${this.#dialect.path}/${id}`
    const text = await this.#call('get', 'GET', path, undefined, signal)
    const record = parseFileRecord('get', text, this.#dialect)
    if (record.url !== undefined) maskSignature(record.url, this.#mask)
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

  /**
   * `project_id` where the API takes it from the request (first, as the Files API's create body
   * has always begun); nothing where the key picks the project.
   */
  #project<T>(projectId: T): { project_id?: T } {
    return this.#dialect.projectInRequest ? { project_id: projectId } : {}
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
