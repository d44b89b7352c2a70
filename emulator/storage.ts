import { createHash } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { drawChaos } from './chaos.ts'
import { corruptOffset, drawCorrupt } from './corrupt.ts'
import { applyFault, takeFault } from './faults.ts'
import type { Exchange } from './http.ts'
import {
  prepareEarlyAnswer,
  pump,
  send,
  sendS3Error,
  sendStream,
  sleep,
  splitTarget
} from './http.ts'
import { openObject, removeObject, writeObject, type ObjectWriter } from './objects.ts'
import type { S3Code } from './s3errors.ts'
import { S3_ERRORS, s3CodeFor, s3ErrorXml } from './s3errors.ts'
import { canonicalPath, isExpired, parseQueryAuth } from './sigv4.ts'
import type { State } from './state.ts'
import { MAX_OBJECT_BYTES } from './state.ts'
import { throttle } from './throttle.ts'
import type { FileRecord, StoredObject } from './types.ts'

/** A storage request once its path is understood. */
interface ObjectRequest {
  ex: Exchange
  /** Canonical object key, without the leading '/'; undefined when the path is malformed. */
  key: string | undefined
  /** Decoded query. */
  query: URLSearchParams
  /** The record owning the key, if any. */
  record: FileRecord | undefined
}

/** An error answer: the S3 code, and a status or message other than the code's usual ones. */
type Refusal = [code: S3Code, status?: number, message?: string]

/** Handles one request to the storage server. */
export async function handleStorage(state: State, ex: Exchange): Promise<void> {
  const [rawPath, rawQuery] = splitTarget(ex.req.url)
  const key = canonicalPath(rawPath)?.slice(1)
  const id = key === undefined ? undefined : state.byKey.get(key)
  const record = id === undefined ? undefined : state.files.get(id)
  if (record) ex.rec.fileId = record.id
  const request: ObjectRequest = { ex, key, query: new URLSearchParams(rawQuery), record }
  if (ex.req.method === 'PUT') return handlePut(state, request)
  if (ex.req.method === 'GET') return handleGet(state, request)
  return reject(ex, ['MethodNotAllowed'])
}

async function handlePut(state: State, request: ObjectRequest): Promise<void> {
  const { ex, record } = request
  ex.rec.step = 'put'
  const fault =
    takeFault(state.faults, 'put', record?.name) ??
    drawChaos(state.chaos, state.chaosStats, ex.rec, 'put')
  if (fault) {
    await sleep(fault.latencyMs ?? 0)
    if (await applyFault(ex, fault, storageErrorBody)) return
  }
  return putObject(state, request, fault?.action.type === 'corrupt')
}

async function handleGet(state: State, request: ObjectRequest): Promise<void> {
  const { ex, record } = request
  ex.rec.step = 'download'
  const fault =
    takeFault(state.faults, 'download', record?.name) ??
    drawChaos(state.chaos, state.chaosStats, ex.rec, 'download')
  if (fault) {
    await sleep(fault.latencyMs ?? 0)
    if (await applyFault(ex, fault, storageErrorBody)) return
  }
  return getObject(state, request)
}

function storageErrorBody(status: number): { contentType: string; body: string } {
  const code = s3CodeFor(status)
  return { contentType: 'application/xml', body: s3ErrorXml(code, S3_ERRORS[code][1]) }
}

/** Answers an S3 error after draining a small body, so the client can read the answer. */
async function reject(ex: Exchange, [code, status, message]: Refusal): Promise<void> {
  await prepareEarlyAnswer(ex)
  sendS3Error(ex, code, status, message)
}

/** What R2 refuses before reading a PUT body, checked in R2's order. */
async function refusePut(state: State, request: ObjectRequest): Promise<Refusal | undefined> {
  const headers = request.ex.req.headers
  if (headers.authorization !== undefined) return ['InvalidArgument']
  if (headers['transfer-encoding'] !== undefined) return ['MissingContentLength']
  if (headers['content-length'] === undefined) return ['MissingContentLength']
  const refusal = await refuseAuth(state, request)
  if (refusal) return refusal
  if (Number(headers['content-length']) > MAX_OBJECT_BYTES) return ['EntityTooLarge']
  if (!request.record) return ['AccessDenied', 403, 'No upload was issued for this key.']
  return undefined
}

/** What is wrong with the presigned query: missing, malformed, expired or badly signed. */
async function refuseAuth(state: State, request: ObjectRequest): Promise<Refusal | undefined> {
  const { ex, query, key } = request
  if (key === undefined) return ['InvalidURI']
  const auth = parseQueryAuth(query)
  if (typeof auth === 'string') {
    const anonymous = !query.has('X-Amz-Signature') && !query.has('X-Amz-Algorithm')
    return anonymous ? ['AccessDenied'] : ['AuthorizationQueryParametersError', 400, auth]
  }
  if (isExpired(auth)) return expiredRefusal(state)
  const method = ex.req.method ?? ''
  const headers = ex.req.headers
  const valid = await state.presigner.verify({ method, path: `/${key}`, headers, query, auth })
  if (!valid) return ['SignatureDoesNotMatch']
  return unsignedAmzHeader(request) ? ['AccessDenied', 403, HEADERS_NOT_SIGNED] : undefined
}

const HEADERS_NOT_SIGNED = 'There were headers present in the request which were not signed'

/** S3 refuses x-amz-* headers a presigned URL did not sign (e.g. an SDK's own checksum header). */
function unsignedAmzHeader(request: ObjectRequest): boolean {
  const signed = (request.query.get('X-Amz-SignedHeaders') ?? '').split(';')
  const names = Object.keys(request.ex.req.headers)
  return names.some((name) => name.startsWith('x-amz-') && !signed.includes(name))
}

function expiredRefusal(state: State): Refusal {
  if (state.expiredForm === 's3') return ['AccessDenied', 403, 'Request has expired']
  if (state.expiredForm === '400') return ['ExpiredRequest', 400]
  return ['ExpiredRequest']
}

async function putObject(
  state: State,
  request: ObjectRequest,
  corruptFault: boolean
): Promise<void> {
  const { ex, record, query, key } = request
  const refusal = await refusePut(state, request)
  if (refusal || !record) return reject(ex, refusal ?? ['AccessDenied'])
  // Drawn for every PUT that gets this far, so that the rule counts PUTs as documented.
  const corrupt = drawCorrupt(state.corrupt, record.name, key ?? '') || corruptFault
  const flipAt = corrupt ? corruptOffset(Number(ex.req.headers['content-length'])) : undefined
  const received = await receive(state, ex, query.get('x-amz-checksum-crc32'), flipAt)
  if (received === 'IncompleteBody' || received === 'BadDigest') return sendS3Error(ex, received)
  // The object this PUT replaces goes; a download already reading it keeps its open file.
  if (record.stored?.path !== received.path) removeObject(record.stored?.path)
  record.stored = received
  if (received.receivedSha256 !== undefined) ex.rec.corrupted = true
  // The ETag of the body received: the answer looks like that of a PUT stored as it came.
  send(ex, 200, { etag: etagOf(received.receivedSha256 ?? received.sha256) })
}

/**
 * Reads the body, no faster than the throttle, hashing and counting it; keeps bytes if asked, in
 * memory or (keepBytes 'disk') streamed to a file of their own. With `flipAt`, the byte at that
 * offset is stored inverted (in memory or on disk), and the body's own hash is kept too.
 */
async function receive(
  state: State,
  ex: Exchange,
  expectedCrc: string | null,
  flipAt: number | undefined
): Promise<StoredObject | 'IncompleteBody' | 'BadDigest'> {
  const hash = createHash('sha256')
  const bodyHash = flipAt === undefined ? undefined : createHash('sha256')
  const chunks: Buffer[] = []
  const writer = state.objects ? writeObject(state.objects, ex.req) : undefined
  let size = 0
  let crc = 0
  const paced = throttle(ex.req, state.bytesPerSecond)
  const result = await pump(ex, (chunk) => {
    paced(chunk.length)
    bodyHash?.update(chunk)
    if (expectedCrc !== null) crc = crc32(chunk, crc)
    const kept = flipAt === undefined ? chunk : flipped(chunk, flipAt - size)
    size += chunk.length
    hash.update(kept)
    if (writer) writer.write(kept)
    else if (state.keepBytes) chunks.push(kept)
    return true
  })
  const refusal =
    result !== 'end' || size !== Number(ex.req.headers['content-length'])
      ? 'IncompleteBody'
      : expectedCrc !== null && crcBase64(crc) !== expectedCrc
        ? 'BadDigest'
        : undefined
  if (refusal) {
    await writer?.discard()
    return refusal
  }
  const contentType = ex.req.headers['content-type'] ?? 'binary/octet-stream'
  const stored: StoredObject = { size, sha256: hash.digest('hex'), contentType }
  if (bodyHash) stored.receivedSha256 = bodyHash.digest('hex')
  if (writer) stored.path = await finished(writer)
  else if (state.keepBytes) stored.bytes = Buffer.concat(chunks)
  return stored
}

/** The path of a written object once all of it is on disk; a failed write removes the file. */
async function finished(writer: ObjectWriter): Promise<string> {
  try {
    await writer.finish()
  } catch (error) {
    await writer.discard()
    throw error
  }
  return writer.path
}

/** The chunk with its byte at `offset` inverted, when the chunk holds that offset (a copy then). */
function flipped(chunk: Buffer, offset: number): Buffer {
  if (offset < 0 || offset >= chunk.length) return chunk
  const copy = Buffer.from(chunk)
  copy[offset] = (copy[offset] as number) ^ 0xff
  return copy
}

function crcBase64(crc: number): string {
  const buffer = Buffer.alloc(4)
  buffer.writeUInt32BE(crc >>> 0)
  return buffer.toString('base64')
}

/** An S3-looking ETag; sha256-based because md5 would slow GiB benchmarks for nothing. */
function etagOf(sha256: string): string {
  return `"${sha256.slice(0, 32)}"`
}

async function getObject(state: State, request: ObjectRequest): Promise<void> {
  const { ex, record } = request
  if (ex.req.headers.authorization !== undefined) return reject(ex, ['InvalidArgument'])
  const refusal = await refuseAuth(state, request)
  if (refusal) return reject(ex, refusal)
  const stored = record?.stored
  if (!stored || (!stored.bytes && stored.path === undefined)) return reject(ex, ['NoSuchKey'])
  const headers = { 'content-type': stored.contentType, etag: etagOf(stored.sha256) }
  if (stored.bytes) return send(ex, 200, headers, stored.bytes)
  // Opened before answering: a PUT that replaces the object meanwhile removes only its name.
  const file = await openObject(stored.path!)
  if (!file) return reject(ex, ['NoSuchKey'])
  await sendStream(ex, 200, headers, file, stored.size)
}
