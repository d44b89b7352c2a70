// One file's journey, start to end (journey, below): a listed file's check (skip-existing), create →
// PUT (a fresh URL when one expired) → confirm (settled by reading the record back when its
// outcome is unknown) → under `verify` the read-back (sent again as a new record while the stored
// bytes differ) → the download URL. The worker that runs it lends it a Way: when it may send, when
// its last steps may start, and how it tells the worker to take the next file (workers.ts).
import {
  CancelledError,
  HttpError,
  isAuthFailure,
  messageOf,
  UnknownStateError
} from '../errors.ts'
import { hashFile, type LocalFile } from '../files/files.ts'
import { assertOpens } from '../http/body.ts'
import type { FileRecord } from '../http/responses.ts'
import { isTransient, retrier, type Retrier, type RetryPolicy } from '../http/retry.ts'
import type { CreateRequest, PutResult, StoredContent, Transport } from '../http/transport.ts'
import type { Face } from '../settings/settings.ts'
import type { ProjectListing } from './listing.ts'
import {
  describeDifference,
  type Arrival,
  type Arrived,
  type Digest,
  type Mismatch,
  type UploadedFile,
  type Verified
} from './outcome.ts'

/** Everything the upload of one file needs besides the file. */
export interface TransferOptions {
  /** The calls to the API and to storage: the HTTP client, or a test's transport. */
  client: Transport
  /** The project that receives the files; undefined where the key picks it. */
  projectId: number | undefined
  /** Description set on each file. */
  description: string | undefined
  /** Retry policy for each request. */
  policy: RetryPolicy
  /** The project's listing: files it already holds (`skip-existing`); undefined uploads every file. */
  listing?: ProjectListing | undefined
  /** Read each file's download URL once it is in the project. */
  downloadUrl?: boolean
  /**
   * Read each file back through its download URL once it is in the project and compare its size
   * and sha256 with what was read from disk: a file whose stored bytes differ is uploaded again as
   * a new record, at most `policy.retries` times. A record the listing matches is kept only if its
   * stored bytes are the file's; otherwise the file is uploaded. Off: nothing is downloaded.
   */
  verify?: boolean
  /** Called when storage holds other bytes than the file, before it is uploaded (again) or given up. */
  onMismatch?: (file: LocalFile, mismatch: Mismatch) => void
  /** Called before a retry, for the log. */
  onRetry?: (file: LocalFile, error: unknown, attempt: number, delayMs: number) => void
  /** Called as bytes leave for storage; negative when a failed attempt's bytes must be sent again. */
  onSent?: (bytes: number) => void
  /** Whose words a failure's hint speaks (default the library's). */
  face?: Face
}

/** Runs a worker's sends one after another, so that a file sent again never overlaps the next. */
export type Lane = <T>(send: () => Promise<T>) => Promise<T>

/** What the worker lends each file's journey: the gates of its pipeline, the cancel, what verify found. */
export interface Way {
  /** Cancels the file: the run's cancel, or the stop a refused key makes. */
  signal: AbortSignal
  /** Settles once the file may be sent: the worker's file before it is past its send. */
  turn: () => Promise<void>
  /** The worker's sends, one at a time. */
  lane: Lane
  /** Tells the worker it may take its next file, whose create then overlaps this file's PUT. */
  letGo: () => void
  /** Tells the worker the file is past its send: its last steps now trail behind the next files. */
  trail: () => void
  /** What verify found, filled in on the way. */
  found: Verified
}

/**
 * The most bytes of a PUT still to send when the worker takes its next file and asks for its
 * create: the upload URL it gets is used within moments, never a large file's send later.
 */
export const AHEAD_BYTES = 1024 * 1024

/** An expired URL needs a new record; a few fresh URLs are enough for any honest clock skew. */
const FRESH_URL_ATTEMPTS = 3

/** A record the file is in: its ID, the sha256 of its bytes, how it got there, the record if read. */
interface Entry {
  id: number
  sha256: string
  arrival: Arrival
  record?: FileRecord | undefined
}

/** A file whose bytes are stored but not yet confirmed. */
interface SentFile {
  /** The record that holds the bytes. */
  id: number
  /** Hex sha256 of the bytes sent. */
  sha256: string
}

/** One file, start to end: what it ends as, or the error that ended it. */
export async function journey(ctx: TransferOptions, file: LocalFile, way: Way): Promise<Arrived> {
  const held = await heldCopy(ctx, file, way.signal)
  if (held && !isMismatch(held)) return arrived(ctx, file, held, way.signal)
  if (held) replaced(ctx, file, held, way.found)
  let sent = await send(ctx, file, way)
  way.trail()
  for (;;) {
    const entry = await confirm(ctx, file, sent, way.signal)
    const checked = ctx.verify ? await readBack(ctx, file, entry, way.signal) : entry
    if (!isMismatch(checked)) return arrived(ctx, file, checked, way.signal)
    sent = await sendAgain(ctx, file, checked, way)
  }
}

function isMismatch(checked: Entry | Mismatch): checked is Mismatch {
  return 'stored' in checked
}

/**
 * A file the listing matches (skip-existing): hashed on disk for the outputs, never sent; under
 * `verify`, kept only if its record's stored bytes are the file's. Undefined for any other file.
 */
async function heldCopy(
  ctx: TransferOptions,
  file: LocalFile,
  signal: AbortSignal
): Promise<Entry | Mismatch | undefined> {
  const id = ctx.listing?.idOf(file)
  if (id === undefined) return undefined
  const entry: Entry = { id, sha256: await hashFile(file), arrival: 'existing' }
  return ctx.verify ? readBack(ctx, file, entry, signal) : entry
}

/** A listed record that holds other bytes: the file's content changed, so it is uploaded. */
function replaced(
  ctx: TransferOptions,
  file: LocalFile,
  mismatch: Mismatch,
  found: Verified
): void {
  found.replaced = mismatch.id
  ctx.onMismatch?.(file, mismatch)
}

/**
 * Steps 1 and 2: create → PUT, each retried; an expired URL restarts at create. The create is
 * asked as soon as the worker takes the file, while the file before may still be sending; the PUT
 * waits for its turn.
 */
async function send(ctx: TransferOptions, file: LocalFile, way: Way): Promise<SentFile> {
  // A file that cannot be read (or changed size) fails here, before a create leaves a record
  // pending that no upload will ever fill.
  assertOpens(file)
  const retry = retrying(ctx, file, way.signal)
  for (let url = 1; ; url++) {
    const created = await retry(() => ctx.client.create(createRequest(ctx, file), way.signal))
    await way.turn()
    try {
      const put = () => retry(() => putCounted(ctx, created.uploadUrl, file, way))
      const { sha256 } = await way.lane(put)
      return { id: created.id, sha256 }
    } catch (error) {
      if (!isExpiredUrl(error) || url >= FRESH_URL_ATTEMPTS) throw error
    }
  }
}

function createRequest(ctx: TransferOptions, file: LocalFile): CreateRequest {
  return {
    projectId: ctx.projectId,
    name: file.name,
    mimeType: file.mimeType,
    size: file.size,
    description: ctx.description
  }
}

/**
 * One PUT that reports its bytes as they leave (and takes them back if the attempt fails), and
 * lets the worker take its next file once at most AHEAD_BYTES are left to send.
 */
async function putCounted(
  ctx: TransferOptions,
  url: URL,
  file: LocalFile,
  way: Way
): Promise<PutResult> {
  let left = file.size
  const nearEnd = (): void => {
    if (left <= AHEAD_BYTES) way.letGo()
  }
  nearEnd()
  const onSent = (bytes: number): void => {
    left -= bytes
    ctx.onSent?.(bytes)
    nearEnd()
  }
  try {
    return await ctx.client.put(url, file, way.signal, onSent)
  } catch (error) {
    ctx.onSent?.(left - file.size)
    throw error
  }
}

/** True when the storage says the presigned URL has expired (R2's 403 or 400 form, or S3's). */
export function isExpiredUrl(error: unknown): boolean {
  if (!(error instanceof HttpError) || error.step !== 'upload') return false
  if (error.status !== 400 && error.status !== 403) return false
  return error.code === 'ExpiredRequest' || /request has expired/i.test(error.serverMessage)
}

/** Runs one request of `file`'s journey with the retry policy, reporting each retry. */
function retrying(ctx: TransferOptions, file: LocalFile, signal: AbortSignal): Retrier {
  return retrier(ctx.policy, signal, (error, attempt, delayMs) =>
    ctx.onRetry?.(file, error, attempt, delayMs)
  )
}

/**
 * Step 3: confirm, retried (confirming twice is harmless). When it fails for good without a
 * definite answer (no answer, 429, 5xx), the server may still have applied it, so the record is
 * read back: `uploaded` with the right size settles it. Create needs no such read-back: a lost
 * create leaves a pending record, which is never listed.
 */
async function confirm(
  ctx: TransferOptions,
  file: LocalFile,
  sent: SentFile,
  signal: AbortSignal
): Promise<Entry> {
  try {
    await retrying(ctx, file, signal)(() => ctx.client.confirm(sent.id, signal))
    return { ...sent, arrival: 'uploaded' }
  } catch (error) {
    // A cancel is never transient: the retrier ends with CancelledError.
    if (!isTransient(error)) throw error
    return { ...sent, arrival: 'settled', record: await settle(ctx, file, sent.id, error, signal) }
  }
}

/** Reads the record after a confirm of unknown outcome; the confirm's error stands unless it says uploaded. */
async function settle(
  ctx: TransferOptions,
  file: LocalFile,
  id: number,
  confirmError: unknown,
  signal: AbortSignal
): Promise<FileRecord> {
  let record: FileRecord
  try {
    record = await retrying(ctx, file, signal)(() => ctx.client.get(id, signal))
  } catch (error) {
    if (error instanceof CancelledError || isAuthFailure(error)) throw error
    throw new UnknownStateError(id, confirmError, error)
  }
  if (record.status === 'uploaded' && record.sizeBytes === file.size) return record
  throw confirmError
}

/** `verify`: the record's stored bytes against the file's; the record as read, or how they differ. */
async function readBack(
  ctx: TransferOptions,
  file: LocalFile,
  entry: Entry,
  signal: AbortSignal
): Promise<Entry | Mismatch> {
  const existing = entry.arrival === 'existing'
  const stored = await storedOf(ctx, file, entry.id, existing, signal)
  const local = { size: file.size, sha256: entry.sha256 }
  if (sameBytes(stored, local)) return { ...entry, record: stored.record }
  return { id: entry.id, stored: { size: stored.size, sha256: stored.sha256 }, local, existing }
}

/** What storage holds for a record, read back with the retry policy. */
async function storedOf(
  ctx: TransferOptions,
  file: LocalFile,
  id: number,
  existing: boolean,
  signal: AbortSignal
): Promise<StoredContent> {
  try {
    return await retrying(ctx, file, signal)(() => ctx.client.readStored(id, signal))
  } catch (error) {
    if (error instanceof CancelledError || isAuthFailure(error)) throw error
    throw new ReadBackError(id, existing, error)
  }
}

/** True when storage holds exactly the bytes read from disk. */
export function sameBytes(stored: Digest, local: Digest): boolean {
  return stored.size === local.size && stored.sha256 === local.sha256
}

/**
 * Notes a record this run left with other bytes, then sends the file again as a new record, or
 * gives up once the retries are spent. The whole send holds the worker's lane, so its fresh upload
 * URL is used at once, not after the next file's PUT.
 */
async function sendAgain(
  ctx: TransferOptions,
  file: LocalFile,
  mismatch: Mismatch,
  way: Way
): Promise<SentFile> {
  const bad = (way.found.badRecords ??= [])
  bad.push(mismatch.id)
  ctx.onMismatch?.(file, mismatch)
  if (bad.length > ctx.policy.retries) throw new StoredBytesError(mismatch, [...bad])
  // The bytes sent are to be sent again.
  ctx.onSent?.(-file.size)
  // Its turn came before its first send; in the lane already, it sends at once.
  return way.lane(() => send(ctx, file, { ...way, lane: (run) => run() }))
}

/** The download URL: from a record already read, or from a get of its own, retried. */
async function downloadUrlOf(
  ctx: TransferOptions,
  file: LocalFile,
  entry: Entry,
  signal: AbortSignal
): Promise<string> {
  const record = entry.record?.url
    ? entry.record
    : await retrying(ctx, file, signal)(() => ctx.client.get(entry.id, signal))
  if (!record.url) throw new HttpError('get', 200, 'the answer has no download url')
  return record.url
}

/** The file as the outputs name it, with its download URL when one is asked for. */
async function arrived(
  ctx: TransferOptions,
  file: LocalFile,
  entry: Entry,
  signal: AbortSignal
): Promise<Arrived> {
  const uploaded: UploadedFile = {
    id: entry.id,
    name: file.name,
    path: file.path,
    sizeBytes: file.size,
    mimeType: file.mimeType,
    sha256: entry.sha256,
    existing: entry.arrival === 'existing'
  }
  if (!ctx.downloadUrl) return { uploaded, arrival: entry.arrival }
  try {
    uploaded.url = await downloadUrlOf(ctx, file, entry, signal)
    return { uploaded, arrival: entry.arrival }
  } catch (error) {
    if (error instanceof CancelledError || isAuthFailure(error)) throw error
    return { uploaded, arrival: entry.arrival, urlError: messageOf(error) }
  }
}

/** The stored bytes of a file still differed from it after every upload the retries allow. */
export class StoredBytesError extends Error {
  /** The records this run left holding other bytes than the file, in the order they were sent. */
  readonly badRecords: readonly number[]

  constructor(last: Mismatch, badRecords: readonly number[]) {
    const left =
      badRecords.length === 1
        ? `uploaded 1 time; record ${badRecords[0]} holds other bytes, and the API cannot delete it`
        : `uploaded ${badRecords.length} times; records ${badRecords.join(', ')} hold other bytes, ` +
          'and the API cannot delete them'
    super(
      `stored bytes differ from the file: ${describeDifference(last.stored, last.local)} (${left})`
    )
    this.name = 'StoredBytesError'
    this.badRecords = badRecords
  }
}

/** A record's stored bytes could not be read back, so nothing is proven about them. */
export class ReadBackError extends Error {
  /** The record that could not be read. */
  readonly id: number

  /** @param existing true for a record the project already held, false for one this run sent */
  constructor(id: number, existing: boolean, cause: unknown) {
    const whose = existing
      ? `the project's record ${id} of the same name and size`
      : `record ${id} is in the project, but it`
    super(`${whose} could not be read back to verify its bytes: ${messageOf(cause)}`, { cause })
    this.name = 'ReadBackError'
    this.id = id
  }
}
