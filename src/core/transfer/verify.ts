// `verify`: what was read from disk against what storage serves, and what a difference becomes.
import { messageOf } from '../errors.ts'

/** A size and a sha256: of the bytes read from disk, or of those a download served. */
export interface Digest {
  /** Bytes. */
  size: number
  /** Hex sha256 of them. */
  sha256: string
}

/** Storage held other bytes than the file. */
export interface Mismatch {
  /** The record whose stored bytes differ. */
  id: number
  /** What its download served. */
  stored: Digest
  /** What was read from disk (while the file was sent, or hashed for `skip-existing`). */
  local: Digest
  /** True for a record the project already held (`skip-existing`); false for one this run sent. */
  existing: boolean
}

/** True when storage holds exactly the bytes read from disk. */
export function sameBytes(stored: Digest, local: Digest): boolean {
  return stored.size === local.size && stored.sha256 === local.sha256
}

/** `sha256 <stored> in the project, <local> on disk`, with both sizes when they differ too. */
export function describeDifference(stored: Digest, local: Digest): string {
  if (stored.size === local.size) {
    return `sha256 ${stored.sha256} in the project, ${local.sha256} on disk`
  }
  return (
    `${stored.size} bytes with sha256 ${stored.sha256} in the project, ` +
    `${local.size} bytes with sha256 ${local.sha256} on disk`
  )
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
