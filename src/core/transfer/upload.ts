import {
  CancelledError,
  HttpError,
  isAuthFailure,
  messageOf,
  UnknownStateError
} from '../errors.ts'
import type { LocalFile } from '../files/files.ts'
import { assertOpens } from '../http/body.ts'
import type { Transport } from '../http/transport.ts'
import type { FileRecord } from '../http/responses.ts'
import { isTransient, retrier, type Retrier, type RetryPolicy } from '../http/retry.ts'
import type { Face } from '../settings/settings.ts'
import type { ProjectListing } from './listing.ts'
import type { Mismatch } from './verify.ts'

/** A file that is in the project: uploaded by this run, or already there. */
export interface UploadedFile {
  /** The confirmed record's ID. */
  id: number
  /** The name it is stored under, `name-prefix` included. */
  name: string
  /** Its path relative to the workspace. */
  path: string
  /** Its size in bytes. */
  sizeBytes: number
  /** The declared and sent Content-Type. */
  mimeType: string
  /** Hex sha256 of the bytes sent; for a file already in the project, of the file on disk. */
  sha256: string
  /** True when the project already held it (`skip-existing`), so it was not uploaded again. */
  existing: boolean
  /** The signed download URL (`download-url`), when it was read. */
  url?: string
}

/** How a file that is in the project got there. */
export type Arrival = 'uploaded' | 'settled' | 'existing'

/** A file that is in the project, how it got there, and why its download URL is missing, if it is. */
export interface Arrived {
  /** The file as the outputs name it. */
  uploaded: UploadedFile
  /** How it got into the project. */
  arrival: Arrival
  /** Why its download URL is missing, when it was asked for and could not be read. */
  urlError?: string
}

/** What `verify` found on the way, whichever way the file ended. */
export interface Verified {
  /**
   * Records this run left holding other bytes than the file (`verify`), in the order they were
   * sent; absent when none. They are in the project, listed as uploaded, and the API cannot
   * delete them: no output may name them.
   */
  badRecords?: number[]
  /**
   * The record of the same name and size whose stored bytes differ from the file (`verify` with
   * `skip-existing`), so the file was uploaded again: its content changed. Absent otherwise.
   */
  replaced?: number
}

/** How one file ended. */
export type Outcome =
  | ({
      ok: true
      file: LocalFile
      uploaded: UploadedFile
      /** Uploaded and confirmed; uploaded and confirmed by reading the record back; or already there. */
      arrival: Arrival
      /** Why the download URL is missing, when `download-url` asked for it and reading it failed. */
      urlError?: string
      durationMs: number
    } & Verified)
  | ({
      ok: false
      file: LocalFile
      error: string
      /** True when the file was not started, or was stopped, because the run was cancelled. */
      cancelled?: boolean
      durationMs: number
    } & Verified)

/** How many files were uploaded (settled ones included), were already there, failed, or were cancelled. */
export function countOutcomes(outcomes: readonly Outcome[]): {
  uploaded: number
  existing: number
  failed: number
  cancelled: number
} {
  const existing = outcomes.filter((outcome) => outcome.ok && outcome.arrival === 'existing').length
  const cancelled = outcomes.filter((outcome) => !outcome.ok && outcome.cancelled).length
  const failed = outcomes.filter((outcome) => !outcome.ok).length - cancelled
  return { uploaded: outcomes.length - existing - failed - cancelled, existing, failed, cancelled }
}

/** Everything the upload of one file needs besides the file. */
export interface TransferOptions {
  /** The HTTP client. */
  client: Transport
  /** The project that receives the files. */
  projectId: number
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

/** An expired URL needs a new record; a few fresh URLs are enough for any honest clock skew. */
const FRESH_URL_ATTEMPTS = 3

/** True when the storage says the presigned URL has expired (R2's 403 or 400 form, or S3's). */
export function isExpiredUrl(error: unknown): boolean {
  if (!(error instanceof HttpError) || error.step !== 'upload') return false
  if (error.status !== 400 && error.status !== 403) return false
  return error.code === 'ExpiredRequest' || /request has expired/i.test(error.serverMessage)
}

/** A file whose bytes are stored but not yet confirmed. */
export interface SentFile {
  /** The record that holds the bytes. */
  id: number
  /** Hex sha256 of the bytes sent. */
  sha256: string
}

/** Runs one request of `file`'s protocol with the retry policy, reporting each retry. */
export function retrying(ctx: TransferOptions, file: LocalFile, signal: AbortSignal): Retrier {
  return retrier(ctx.policy, signal, (error, attempt, delayMs) =>
    ctx.onRetry?.(file, error, attempt, delayMs)
  )
}

/**
 * Steps 1 and 2 for one file, once it is known to open: create → PUT, each retried; an expired URL
 * restarts at create.
 */
export async function sendFile(
  ctx: TransferOptions,
  file: LocalFile,
  signal: AbortSignal
): Promise<SentFile> {
  // A file that cannot be read (or changed size) fails here, before a create leaves a record
  // pending that no upload will ever fill.
  assertOpens(file)
  const retry = retrying(ctx, file, signal)
  const request = {
    projectId: ctx.projectId,
    name: file.name,
    mimeType: file.mimeType,
    size: file.size,
    description: ctx.description
  }
  for (let freshUrl = 1; ; freshUrl++) {
    const created = await retry(() => ctx.client.create(request, signal))
    try {
      const { sha256 } = await retry(() => putCounted(ctx, created.uploadUrl, file, signal))
      return { id: created.id, sha256 }
    } catch (error) {
      if (!isExpiredUrl(error) || freshUrl >= FRESH_URL_ATTEMPTS) throw error
    }
  }
}

/** One PUT that reports its bytes as they leave, and takes them back if the attempt fails. */
async function putCounted(
  ctx: TransferOptions,
  url: URL,
  file: LocalFile,
  signal: AbortSignal
): Promise<{ sha256: string }> {
  let sent = 0
  const onSent = (bytes: number): void => {
    sent += bytes
    // Stryker disable next-line OptionalChaining: put gets it only when ctx.onSent is set
    ctx.onSent?.(bytes)
  }
  try {
    return await ctx.client.put(url, file, signal, ctx.onSent && onSent)
  } catch (error) {
    ctx.onSent?.(-sent)
    throw error
  }
}

/**
 * Step 3 for one file: confirm, retried (confirming twice is harmless). When the confirm fails for
 * good without a definite answer (no answer, 429, 5xx), the server may still have applied it, so
 * the record is read back: `uploaded` with the right size settles it. Returns that record, if read.
 * Create needs no such read-back: a lost create leaves a pending record, which is never listed.
 */
export async function confirmFile(
  ctx: TransferOptions,
  file: LocalFile,
  sent: SentFile,
  signal: AbortSignal
): Promise<FileRecord | undefined> {
  const retry = retrying(ctx, file, signal)
  try {
    await retry(() => ctx.client.confirm(sent.id, signal))
    return undefined
  } catch (error) {
    if (!isTransient(error) || signal.aborted) throw error
    return readBack(ctx, file, sent.id, error, signal)
  }
}

/** Reads the record after a confirm of unknown outcome; the confirm's error stands unless it says uploaded. */
async function readBack(
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

/** The file's download URL: from a record already read, or from a get of its own, retried. */
async function downloadUrlOf(
  ctx: TransferOptions,
  file: LocalFile,
  id: number,
  known: FileRecord | undefined,
  signal: AbortSignal
): Promise<string> {
  const record = known?.url
    ? known
    : await retrying(ctx, file, signal)(() => ctx.client.get(id, signal))
  if (!record.url) throw new HttpError('get', 200, 'the answer has no download url')
  return record.url
}

/** The entry for a file the project holds, with its download URL when one is asked for. */
export async function arrived(
  ctx: TransferOptions,
  file: LocalFile,
  entry: { id: number; sha256: string; arrival: Arrival; record?: FileRecord | undefined },
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
    uploaded.url = await downloadUrlOf(ctx, file, entry.id, entry.record, signal)
    return { uploaded, arrival: entry.arrival }
  } catch (error) {
    if (error instanceof CancelledError || isAuthFailure(error)) throw error
    return { uploaded, arrival: entry.arrival, urlError: messageOf(error) }
  }
}
