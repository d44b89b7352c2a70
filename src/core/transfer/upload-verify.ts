import { CancelledError, isAuthFailure } from '../errors.ts'
import { hashFile, type LocalFile } from '../files/files.ts'
import type { StoredContent } from '../http/transport.ts'
import type { FileRecord } from '../http/responses.ts'
import {
  arrived,
  confirmFile,
  retrying,
  sendFile,
  type Arrival,
  type Arrived,
  type SentFile,
  type TransferOptions,
  type Verified
} from './upload.ts'
import { ReadBackError, sameBytes, StoredBytesError, type Digest, type Mismatch } from './verify.ts'

// What follows a file's send: the confirm, then under `verify` the read-back of what storage
// holds, which sends the file again as a new record while the bytes differ.

/** Runs a worker's sends one after another, so that a file sent again never overlaps the next. */
export type Lane = <T>(send: () => Promise<T>) => Promise<T>

/** A lane: each send starts once the one before it has settled. */
export function oneAtATime(): Lane {
  let last: Promise<unknown> = Promise.resolve()
  return (send) => {
    const run = last.then(send)
    last = run.catch(() => {})
    return run
  }
}

/** What one file's journey shares once it is sent: its worker's lane, what verify found, the cancel signal. */
export interface Journey {
  /** The worker's lane, which every send of the file goes through. */
  lane: Lane
  /** What verify found, filled in on the way. */
  found: Verified
  /** Cancels the file. */
  signal: AbortSignal
}

/**
 * Step 3 and what follows it: the confirm (settled if need be), under `verify` the read-back,
 * then the download URL. Stored bytes that differ send the file again as a new record.
 */
export async function completeFile(
  ctx: TransferOptions,
  file: LocalFile,
  first: SentFile,
  journey: Journey
): Promise<Arrived> {
  const { signal } = journey
  for (let sent = first; ;) {
    const record = await confirmFile(ctx, file, sent, signal)
    const entry = { id: sent.id, sha256: sent.sha256, arrival: arrivalOf(record), record }
    if (!ctx.verify) return arrived(ctx, file, entry, signal)
    const stored = await storedOf(ctx, file, sent.id, false, signal)
    const local = { size: file.size, sha256: sent.sha256 }
    if (sameBytes(stored, local)) {
      return arrived(ctx, file, { ...entry, record: stored.record }, signal)
    }
    const mismatch = { id: sent.id, stored: digestOf(stored), local, existing: false }
    sent = await sendAgain(ctx, file, mismatch, journey)
  }
}

function digestOf({ size, sha256 }: StoredContent): Digest {
  return { size, sha256 }
}

function arrivalOf(settledBy: FileRecord | undefined): Arrival {
  return settledBy ? 'settled' : 'uploaded'
}

/** Notes a record left with other bytes, then sends the file again, or gives up once retries are spent. */
async function sendAgain(
  ctx: TransferOptions,
  file: LocalFile,
  mismatch: Mismatch,
  { lane, found, signal }: Journey
): Promise<SentFile> {
  const bad = (found.badRecords ??= [])
  bad.push(mismatch.id)
  ctx.onMismatch?.(file, mismatch)
  if (bad.length > ctx.policy.retries) throw new StoredBytesError(mismatch, [...bad])
  // The bytes sent are to be sent again.
  ctx.onSent?.(-file.size)
  return lane(() => sendFile(ctx, file, signal))
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

/**
 * A file the project already holds: hashed on disk for the outputs, never sent. Under `verify`,
 * kept only if the record's stored bytes are the file's; otherwise its content changed, and it is
 * uploaded.
 */
export async function existingFile(
  ctx: TransferOptions,
  file: LocalFile,
  id: number,
  journey: Journey
): Promise<Arrived> {
  const { signal } = journey
  const sha256 = await hashFile(file)
  const entry = { id, sha256, arrival: 'existing' as const }
  if (!ctx.verify) return arrived(ctx, file, entry, signal)
  const stored = await storedOf(ctx, file, id, true, signal)
  const local = { size: file.size, sha256 }
  if (sameBytes(stored, local)) {
    return arrived(ctx, file, { ...entry, record: stored.record }, signal)
  }
  journey.found.replaced = id
  ctx.onMismatch?.(file, { id, stored: digestOf(stored), local, existing: true })
  const sent = await journey.lane(() => sendFile(ctx, file, signal))
  return completeFile(ctx, file, sent, journey)
}
