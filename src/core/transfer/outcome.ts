// What a file's journey ends in: the file as the outputs name it, how it got into the project,
// what `verify` found on the way, and the digests it compares. The results read these.
import type { LocalFile } from '../files/files.ts'

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
