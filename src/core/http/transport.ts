// The seam under the core: the calls a run makes to the API and to storage, as the core uses them.
// The HTTP client (client.ts) is the one implementation a run makes; tests hand the core an
// in-memory one (test/support/memory-transport.ts), as tus-js-client's tests hand it an HttpStack.
import type { SentListener, UploadSource } from './body.ts'
import type { FilePage, FileRecord } from './responses.ts'

export type { SentListener, UploadSource } from './body.ts'

/** A created file record: its ID and where to PUT the bytes. */
export interface CreatedFile {
  /** The record's ID. */
  id: number
  /** The presigned upload URL; its signature is already masked. */
  uploadUrl: URL
}

/** What create sends. */
export interface CreateRequest {
  /** The project that receives the file; undefined where the key picks it (the Resources API). */
  projectId: number | undefined
  /** The file's display name. */
  name: string
  /** The MIME type the PUT will send. */
  mimeType: string
  /** Exact size in bytes. */
  size: number
  /** Optional description. */
  description?: string | undefined
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

/**
 * Every call of a run: create, upload, confirm, list, get, and reading back what storage holds.
 * Each rejects with the core's typed errors (HttpError, NetworkError, CancelledError,
 * FileChangedError), which the retrier and the messages read.
 */
export interface Transport {
  /**
   * Where the API is called, for messages: the base URL and its collection's path (`/api/files`,
   * or `/api/resources`, which tells the hints which API answered).
   */
  readonly filesUrl: string
  /** Step 1: creates the record and returns its presigned upload URL. */
  create(request: CreateRequest, signal: AbortSignal): Promise<CreatedFile>
  /** Step 2: sends the file's bytes to the upload URL, hashing them as they go. */
  put(
    url: URL,
    source: UploadSource,
    signal: AbortSignal,
    onSent?: SentListener
  ): Promise<PutResult>
  /** Step 3: marks the record uploaded; confirming twice is harmless. */
  confirm(id: number, signal: AbortSignal): Promise<void>
  /** One page of the project's uploaded files (`page` from 1); the key's project without an ID. */
  list(
    projectId: number | undefined,
    page: number,
    perPage: number,
    signal: AbortSignal
  ): Promise<FilePage>
  /** One record, with its signed download URL; the URL's signature is already masked. */
  get(id: number, signal: AbortSignal): Promise<FileRecord>
  /** What storage holds for a record: its bytes counted and hashed, none kept. */
  readStored(id: number, signal: AbortSignal): Promise<StoredContent>
  /** Releases what the transport holds (connections). */
  close(): Promise<void>
}
