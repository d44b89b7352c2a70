/**
 * A thin Files API in front of @20minutes/s3rver, signing with the AWS SDK: a backend whose
 * storage and signer were not written here. Test-only; nothing under src/ may import it. It
 * serves create, confirm, list and get (with a signed download URL the storage verifies) in either
 * of the vendor's dialects: /api/files (the create and the list name a project_id) or
 * /api/resources (the key picks the project).
 *
 * The storage verifies presigned SigV4 URLs as S3 and R2 do: a wrong key, a changed path or query,
 * an expired URL or a signed header sent with another value gets 403. It does not check the
 * checksum parameters, and it accepts a PUT that carries no signature at all.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  PutObjectCommand,
  S3Client
} from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import S3rver from '@20minutes/s3rver'
import { createHash, randomUUID } from 'node:crypto'
import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/** The bucket every test object goes to. */
export const BUCKET = 'project-files'

/** The storage's one key pair, built into the server. */
const STORAGE_KEY_ID = 'S3RVER'
const STORAGE_SECRET = 'S3RVER'

/** How the S3 client computes request checksums: the SDK's default, or only when an operation requires one. */
export type ChecksumCalculation = 'sdk-default' | 'WHEN_REQUIRED'

/** How the API presigns upload URLs; each optional field models a backend that gets it wrong. */
export interface SignerOptions {
  checksums: ChecksumCalculation
  /** The secret it signs with; any other than the storage's makes every signature wrong. */
  secretAccessKey?: string
  /** How far behind its clock runs: each URL is signed that many seconds before it is handed out. */
  clockBehindSeconds?: number
  /** Lifetime of each URL in seconds (default 900, the SDK's own). */
  expiresIn?: number
  /** The Content-Type it signs, given the one the create declared (default: that one). */
  signedType?: (declared: string) => string
}

/** One request as the storage's HTTP server received it, and the status it answered. */
export interface StorageRequest {
  method: string
  /** The request target exactly as it arrived: path and query, still percent-encoded. */
  target: string
  headers: IncomingHttpHeaders
  /** Set once the answer has been sent. */
  status?: number
}

/** A running storage server on loopback. */
export interface S3Storage {
  /** e.g. http://127.0.0.1:41234 */
  endpoint: string
  /** Every request the storage received, in order. */
  requests: StorageRequest[]
  close(): Promise<void>
}

/**
 * Starts the verifying server on a free loopback port, silent, storing in `directory`, with
 * {@link BUCKET}. It is served from a server of our own rather than run(), whose listen error
 * would be an uncaught exception instead of a rejection.
 */
export async function startS3rver(directory: string): Promise<S3Storage> {
  const s3rver = new S3rver({
    silent: true,
    directory,
    // Spelled out: this is what makes the storage refuse a bad signature.
    allowMismatchedSignatures: false,
    configureBuckets: [{ name: BUCKET }]
  })
  await s3rver.configureBuckets()
  const requests: StorageRequest[] = []
  const handle = s3rver.getMiddleware()
  const server = http.createServer((request, response) => {
    const seen: StorageRequest = {
      method: request.method ?? '',
      target: request.url ?? '',
      headers: request.headers
    }
    requests.push(seen)
    response.on('finish', () => (seen.status = response.statusCode))
    handle(request, response)
  })
  const port = await listen(server)
  return { endpoint: `http://127.0.0.1:${port}`, requests, close: () => stop(server) }
}

/** Listens on a free loopback port; rejects when it cannot. */
function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/** Closes a server without waiting for idle keep-alive connections to time out. */
function stop(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}

/** An S3 client for the storage, as a backend would configure one for R2 (path style, static keys). */
export function s3Client(
  endpoint: string,
  checksums: ChecksumCalculation,
  secretAccessKey = STORAGE_SECRET
): S3Client {
  const s3 = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: STORAGE_KEY_ID, secretAccessKey },
    ...(checksums === 'WHEN_REQUIRED' ? { requestChecksumCalculation: 'WHEN_REQUIRED' } : {})
  })
  dropBucketSlash(s3)
  return s3
}

/**
 * The SDK signs a bucket-level request (ListObjectsV2) for the path `/bucket/`, but the storage
 * verifies it against `/bucket` and refuses it. Both serve the same bucket either way, so the
 * slash is dropped before signing. Object paths (every upload URL) are left alone.
 */
function dropBucketSlash(s3: S3Client): void {
  s3.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { path?: unknown }
      if (request.path === `/${BUCKET}/`) request.path = `/${BUCKET}`
      return next(args)
    },
    { step: 'build', name: 'dropBucketSlash' }
  )
}

/** A file record as the API keeps it. */
export interface ApiRecord {
  id: number
  project_id: number
  name: string
  description: string | null
  mime_type: string
  size_bytes: number | null
  status: 'pending' | 'uploaded'
  created_at: string
  updated_at: string
  /** The object key in {@link BUCKET}. */
  key: string
  /** The presigned PUT URL handed out at create. */
  upload_url: string
}

/** One request the API answered. */
export interface ApiRequest {
  method: string
  /** The path, without the query. */
  route: string
  status: number
}

/** A running API. */
export interface InteropApi {
  /** Base URL for the action's base-url input. */
  url: string
  apiKey: string
  /** Every record created, by id. */
  records: Map<number, ApiRecord>
  /** Every request answered, in order. */
  requests: ApiRequest[]
  close(): Promise<void>
}

/**
 * Which of the vendor's APIs the backend speaks: 'files' (POST /api/files with project_id) or
 * 'resources' (POST /api/resources, the key's project). Each answers 404 to the other's paths.
 */
export type InteropDialect = 'files' | 'resources'

/** What the API needs: a client to read storage with, and one to presign upload URLs with. */
export interface ApiOptions {
  s3: S3Client
  presigner: S3Client
  signer: SignerOptions
  /** The one key it accepts; with 'resources', it belongs to the first of `projects`. */
  apiKey: string
  projects: number[]
  /** The dialect (default 'files'). */
  api?: InteropDialect
}

interface Context extends ApiOptions {
  records: Map<number, ApiRecord>
  nextId: number
}

type Json = Record<string, unknown>

/** A JSON answer: status and body. */
interface Answer {
  status: number
  body: Json
}

const MAX_BODY_BYTES = 1024 * 1024
const URL_EXPIRES_SECONDS = 900

/** Starts the API on a free loopback port. */
export async function startInteropApi(options: ApiOptions): Promise<InteropApi> {
  const context: Context = { ...options, records: new Map(), nextId: 1 }
  const requests: ApiRequest[] = []
  const server = http.createServer((request, response) => {
    answer(context, request)
      .catch((error: unknown): Answer => ({ status: 500, body: { error: String(error) } }))
      .then((result) => {
        const route = (request.url ?? '').replace(/\?.*$/s, '')
        requests.push({ method: request.method ?? '', route, status: result.status })
        sendJson(response, result)
      })
  })
  const port = await listen(server)
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: options.apiKey,
    records: context.records,
    requests,
    close: () => stop(server)
  }
}

function sendJson(response: ServerResponse, { status, body }: Answer): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text)
  })
  response.end(text)
}

async function answer(context: Context, request: IncomingMessage): Promise<Answer> {
  const raw = await readBody(request)
  if (raw === undefined) return { status: 413, body: { error: 'Request body too large' } }
  if (request.headers.authorization !== `Bearer ${context.apiKey}`) {
    return { status: 401, body: { error: 'Unauthorized' } }
  }
  const dialect = DIALECTS[context.api ?? 'files']
  const target = (request.url ?? '').replace(/\?.*$/s, '')
  const { route, id } = routeOf(dialect, request.method ?? '', target)
  switch (route) {
    case 'POST collection':
      return create(context, dialect, raw)
    case 'GET collection':
      return list(context, dialect, new URL(request.url ?? '', 'http://api').searchParams)
    case 'PATCH one':
      return confirm(context, dialect, id, raw)
    case 'GET one':
      return getOne(context, dialect, id)
    default:
      return { status: 404, body: { error: 'Not found' } }
  }
}

/** What a request asks for (`POST collection`, `GET one`, …; '' for nothing served) and its record's id. */
function routeOf(dialect: Dialect, method: string, target: string): { route: string; id: number } {
  if (target === dialect.collection) return { route: `${method} collection`, id: 0 }
  const id = target.startsWith(`${dialect.collection}/`)
    ? /^\d+$/.exec(target.slice(dialect.collection.length + 1))?.[0]
    : undefined
  return id === undefined ? { route: '', id: 0 } : { route: `${method} one`, id: Number(id) }
}

/** What differs between the dialects: the path, the create's fields, the answers' shapes. */
interface Dialect {
  collection: string
  /** The envelope's key: data.file or data.resource. */
  one: 'file' | 'resource'
  noun: 'File' | 'Resource'
  /** The first problem with a create body, or undefined. */
  problem(body: Json): string | undefined
  /** The project a create goes to: the body's, or the key's. */
  project(context: Context, body: Json): number
  createdStatus: 200 | 201
  /** A record as create answers it. */
  created(record: ApiRecord): Json
  /** A record as confirm, list and get answer it. */
  view(record: ApiRecord): Json
  /** The query parameters its list takes. */
  listParams: ReadonlySet<string>
  /** The project a list is of: the query's project_id (a problem when absent), or the key's. */
  listProject(context: Context, query: URLSearchParams): number | undefined
}

const DIALECTS: Record<InteropDialect, Dialect> = {
  files: {
    collection: '/api/files',
    one: 'file',
    noun: 'File',
    problem: (body) => projectProblem(body) ?? fieldsProblem(body),
    project: (_, body) => body.project_id as number,
    createdStatus: 201,
    created: (record) => ({ ...fileView(record), upload_url: record.upload_url }),
    view: fileView,
    listParams: new Set(['project_id', 'page', 'per_page']),
    listProject: (_, query) => positive(query.get('project_id'))
  },
  resources: {
    collection: '/api/resources',
    one: 'resource',
    noun: 'Resource',
    problem: (body) => unknownField(body) ?? fieldsProblem(body),
    // The key's project: the API takes one key, which belongs to the first project.
    project: (context) => context.projects[0]!,
    createdStatus: 200,
    created: resourceCreated,
    view: resourceView,
    listParams: new Set(['page', 'per_page']),
    listProject: (context) => context.projects[0]!
  }
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) return undefined
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function parseJson(raw: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(raw)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Json)
      : undefined
  } catch {
    return undefined
  }
}

/** What is wrong with a Files create's project_id, if anything. */
function projectProblem({ project_id }: Json): string | undefined {
  return Number.isSafeInteger(project_id) && (project_id as number) >= 1
    ? undefined
    : 'project_id must be a positive integer'
}

/** Fields a Resources create may hold. `url` (a link-type resource, no upload) is not served. */
const RESOURCE_FIELDS = new Set(['name', 'mime_type', 'size_bytes', 'description'])

/** The Resources create refuses what it does not know: a project_id above all, the key's job. */
function unknownField(body: Json): string | undefined {
  const unknown = Object.keys(body).find((key) => !RESOURCE_FIELDS.has(key))
  return unknown === undefined ? undefined : `Unknown field: ${unknown}`
}

/** The first problem with the fields both dialects' creates share, or undefined. */
function fieldsProblem(body: Json): string | undefined {
  const { name, mime_type, size_bytes, description } = body
  if (typeof name !== 'string' || name === '') return 'name must be a non-empty string'
  if (mime_type !== undefined && typeof mime_type !== 'string') return 'mime_type must be a string'
  if (
    size_bytes !== undefined &&
    (!Number.isSafeInteger(size_bytes) || (size_bytes as number) < 0)
  ) {
    return 'size_bytes must be a non-negative integer'
  }
  if (description !== undefined && typeof description !== 'string') {
    return 'description must be a string'
  }
  return undefined
}

/**
 * A presigned PUT for `key`, with Content-Type signed as a careful backend signs it, so that
 * storage refuses a PUT of any other type.
 */
function presignPut(context: Context, key: string, contentType: string): Promise<string> {
  const { signer } = context
  const behindMs = (signer.clockBehindSeconds ?? 0) * 1000
  return getSignedUrl(
    context.presigner,
    new PutObjectCommand({ Bucket: BUCKET, Key: key, ContentType: contentType }),
    {
      expiresIn: signer.expiresIn ?? URL_EXPIRES_SECONDS,
      signableHeaders: new Set(['content-type']),
      ...(behindMs ? { signingDate: new Date(Date.now() - behindMs) } : {})
    }
  )
}

async function create(context: Context, dialect: Dialect, raw: string): Promise<Answer> {
  const body = parseJson(raw)
  if (!body) return { status: 400, body: { error: 'Body is not a JSON object' } }
  const problem = dialect.problem(body)
  if (problem !== undefined) return { status: 400, body: { error: problem } }
  const projectId = dialect.project(context, body)
  if (!context.projects.includes(projectId)) {
    return { status: 404, body: { error: 'Project not found' } }
  }
  const name = body.name as string
  const key = `project-resources/${projectId}/${randomUUID()}/${name}`
  const declared = (body.mime_type as string | undefined) ?? 'application/octet-stream'
  const mimeType = context.signer.signedType?.(declared) ?? declared
  const uploadUrl = await presignPut(context, key, mimeType)
  const now = new Date().toISOString()
  const record: ApiRecord = {
    id: context.nextId++,
    project_id: projectId,
    name,
    description: (body.description as string | undefined) ?? null,
    mime_type: mimeType,
    size_bytes: (body.size_bytes as number | undefined) ?? null,
    status: 'pending',
    created_at: now,
    updated_at: now,
    key,
    upload_url: uploadUrl
  }
  context.records.set(record.id, record)
  return {
    status: dialect.createdStatus,
    body: { data: { [dialect.one]: dialect.created(record) } }
  }
}

/** A file as the Files API shows it: no key, no upload URL. */
function fileView(record: ApiRecord): Json {
  return {
    id: record.id,
    project_id: record.project_id,
    name: record.name,
    status: record.status,
    description: record.description,
    mime_type: record.mime_type,
    size_bytes: record.size_bytes,
    created_by: 'interop-user',
    created_at: record.created_at,
    updated_at: record.updated_at
  }
}

/** A resource as the reference's create example shows it: no status, no project_id. */
function resourceCreated(record: ApiRecord): Json {
  const shown = resourceView(record)
  delete shown.project_id
  delete shown.status
  return { ...shown, upload_url: record.upload_url }
}

/** A resource as the Resources API shows it after create; `url` is a link-type resource's own. */
function resourceView(record: ApiRecord): Json {
  return {
    id: record.id,
    project_id: record.project_id,
    name: record.name,
    url: null,
    description: record.description,
    mime_type: record.mime_type,
    size_bytes: record.size_bytes,
    access_level: 'private',
    status: record.status,
    created_by: 'interop-user',
    created_at: record.created_at,
    updated_at: record.updated_at
  }
}

async function confirm(
  context: Context,
  dialect: Dialect,
  id: number,
  raw: string
): Promise<Answer> {
  const record = context.records.get(id)
  if (!record) return { status: 404, body: { error: `${dialect.noun} not found` } }
  const body = parseJson(raw)
  if (!body || body.status !== 'uploaded') {
    return { status: 400, body: { error: 'status must be "uploaded"' } }
  }
  const conflict = await storageConflict(context.s3, dialect, record)
  if (conflict !== undefined) return { status: 409, body: { error: conflict } }
  record.status = 'uploaded'
  record.updated_at = new Date().toISOString()
  return { status: 200, body: { data: { [dialect.one]: dialect.view(record) } } }
}

/** Why storage does not hold what the record promises, if it does not. */
async function storageConflict(
  s3: S3Client,
  dialect: Dialect,
  record: ApiRecord
): Promise<string | undefined> {
  let size: number | undefined
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: record.key }))
    size = head.ContentLength
  } catch (error) {
    if (error instanceof NotFound) return `${dialect.noun} has not been uploaded to storage`
    throw error
  }
  if (record.size_bytes !== null && size !== record.size_bytes) {
    return `Stored object has ${size} bytes but size_bytes is ${record.size_bytes}`
  }
  return undefined
}

/** A whole number from 1 written in a query, or undefined. */
function positive(text: string | null): number | undefined {
  return text !== null && /^[1-9]\d{0,8}$/.test(text) ? Number(text) : undefined
}

/** One page of a project's uploaded records, newest first, as the reference pages them. */
function list(context: Context, dialect: Dialect, query: URLSearchParams): Answer {
  const unknown = [...query.keys()].find((key) => !dialect.listParams.has(key))
  if (unknown !== undefined) {
    return { status: 400, body: { error: `Unknown query parameter: ${unknown}` } }
  }
  const projectId = dialect.listProject(context, query)
  const page = query.has('page') ? positive(query.get('page')) : 1
  const perPage = query.has('per_page') ? positive(query.get('per_page')) : 20
  if (projectId === undefined) return { status: 400, body: { error: 'project_id is required' } }
  if (page === undefined || perPage === undefined || perPage > 100) {
    return { status: 400, body: { error: 'page from 1; per_page from 1 to 100' } }
  }
  if (!context.projects.includes(projectId)) {
    return { status: 404, body: { error: 'Project not found' } }
  }
  const all = [...context.records.values()]
    .filter((record) => record.project_id === projectId && record.status === 'uploaded')
    .sort((a, b) => b.id - a.id)
  const rows = all.slice((page - 1) * perPage, page * perPage).map(dialect.view)
  return {
    status: 200,
    body: {
      data: { [`${dialect.one}s`]: rows },
      pagination: {
        page,
        per_page: perPage,
        total: all.length,
        total_pages: Math.ceil(all.length / perPage)
      }
    }
  }
}

/** How long a download URL lives: an hour, as the reference says. */
const DOWNLOAD_EXPIRES_SECONDS = 60 * 60

/** One record, with a fresh download URL presigned by the SDK for the storage to verify. */
async function getOne(context: Context, dialect: Dialect, id: number): Promise<Answer> {
  const record = context.records.get(id)
  const visible =
    record !== undefined &&
    context.projects.includes(record.project_id) &&
    (dialect.one === 'file' || record.project_id === context.projects[0])
  if (!visible) return { status: 404, body: { error: `${dialect.noun} not found` } }
  const url = await getSignedUrl(
    context.presigner,
    new GetObjectCommand({ Bucket: BUCKET, Key: record.key }),
    { expiresIn: DOWNLOAD_EXPIRES_SECONDS }
  )
  return { status: 200, body: { data: { [dialect.one]: { ...dialect.view(record), url } } } }
}

/** What storage holds for one key, read back with GetObject. */
export interface StoredObject {
  size: number
  sha256: string
  contentType: string | undefined
}

/** Reads an object back and hashes it as it streams. */
export async function readObject(s3: S3Client, key: string): Promise<StoredObject> {
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of object.Body as AsyncIterable<Uint8Array>) {
    hash.update(chunk)
    size += chunk.length
  }
  return { size, sha256: hash.digest('hex'), contentType: object.ContentType }
}

/** What the storage's listings escape twice, and the one character each stands for. */
const TWICE_ESCAPED: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&#x27;': "'",
  '&#x60;': '`'
}

/**
 * A listed key as it is stored. The storage escapes XML text twice in listings (a key's `&`
 * arrives as `&amp;`), so the key the SDK parses is one layer too escaped. No test key holds an
 * entity of its own, and GetObject by the exact key proves each object's name besides.
 */
function unescapeListedKey(key: string): string {
  return key.replace(/&(?:amp|lt|gt|#x27|#x60);/g, (entity) => TWICE_ESCAPED[entity] ?? entity)
}

/** Every key below `prefix`, across pages. */
export async function listKeys(s3: S3Client, prefix: string): Promise<string[]> {
  const keys: string[] = []
  let token: string | undefined
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token })
    )
    const listed = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []))
    keys.push(...listed.map(unescapeListedKey))
    token = page.NextContinuationToken
  } while (token)
  return keys
}

/** The storage, a client that reads it with the right key, and the API in front of it. */
export interface InteropStack {
  storage: S3Storage
  s3: S3Client
  api: InteropApi
  close(): Promise<void>
}

/** Starts the whole backend in a fresh temp directory; throws when any part cannot start. */
export async function startInterop(
  signer: SignerOptions,
  options: { apiKey: string; projects: number[]; api?: InteropDialect }
): Promise<InteropStack> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 's3rver-'))
  const stops: (() => Promise<void>)[] = [() => rm(directory, { recursive: true, force: true })]
  const close = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop()
  }
  try {
    const storage = await startS3rver(directory)
    stops.push(() => storage.close())
    const s3 = s3Client(storage.endpoint, signer.checksums)
    const presigner = s3Client(storage.endpoint, signer.checksums, signer.secretAccessKey)
    stops.push(async () => {
      s3.destroy()
      presigner.destroy()
    })
    const api = await startInteropApi({ s3, presigner, signer, ...options })
    stops.push(() => api.close())
    return { storage, s3, api, close }
  } catch (error) {
    await close()
    throw error
  }
}
