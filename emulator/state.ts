import { appendFileSync, closeSync, openSync } from 'node:fs'
import type { ChaosRun } from './chaos.ts'
import type { CorruptRun } from './corrupt.ts'
import type { ObjectsDir } from './objects.ts'
import type { Presigner } from './sigv4.ts'
import type { ApiDialect, Fault, FileRecord, RecordedRequest } from './types.ts'

/** Everything both servers share; one per emulator instance. */
export interface State {
  /** The dialect the API serves. */
  api: ApiDialect
  /** The Bearer key Emulator.apiKey names. */
  apiKey: string
  /** Every Bearer key the API accepts, with the project it belongs to. */
  keys: Map<string, number>
  /** Project IDs that exist. */
  projects: Set<number>
  /** Records by id. */
  files: Map<number, FileRecord>
  /** Record ids by canonical object key (no leading '/'). */
  byKey: Map<string, number>
  /** Every request, in order of arrival. */
  requests: RecordedRequest[]
  /** Fault queue. */
  faults: Fault[]
  /** Next file id. */
  nextId: number
  /** X-Amz-Expires of upload URLs. */
  urlExpiresSeconds: number
  /** Delay before every answer. */
  latencyMs: number
  /** How expired URLs are refused. */
  expiredForm: 'r2' | 's3' | '400'
  /** Whether stored bytes are kept, in memory (true) or on disk ('disk'). */
  keepBytes: boolean | 'disk'
  /** With keepBytes 'disk', the folder of the stored objects' files. */
  objects: ObjectsDir | undefined
  /** Signs and verifies storage URLs. */
  presigner: Presigner
  /** Origin of the storage server, known once it listens. */
  storageUrl: string
  /** Host header value clients send to the storage server. */
  storageHost: string
  /** Chaos mode, when on. */
  chaos: ChaosRun | undefined
  /** Chaos faults injected, by 'step:kind'. */
  chaosStats: Record<string, number>
  /** Read limit of PUT bodies in bytes per second; undefined when unlimited. */
  bytesPerSecond: number | undefined
  /** Whether the list skips its project and status filters. */
  listIgnoresFilters: boolean
  /** Storage that lies about chosen PUTs, when on. */
  corrupt: CorruptRun | undefined
}

/** Largest object one PUT may carry on R2 and S3: 5 GiB. */
export const MAX_OBJECT_BYTES = 5 * 1024 * 1024 * 1024

/** Headers whose values are credentials: the state file keeps only their scheme. */
const SECRET_HEADERS = ['authorization', 'proxy-authorization']

/** The --state-file: what the emulator answered, one JSON line per request. */
export interface StateLog {
  /** Appends a request, with the record it concerns as it now stands; nothing once closed. */
  append(request: RecordedRequest, file: FileRecord | undefined): void
  close(): void
}

/**
 * Opens (and empties) a state file. Each line is `{"request": …, "file": …}`; the last line naming
 * a file id holds that record's latest state. Appending costs the size of one line, however long
 * the run: rewriting a snapshot on every request made a 6,000-file upload 60 times slower.
 */
export function openStateLog(path: string): StateLog {
  let fd: number | undefined = openSync(path, 'w')
  return {
    append(request, file) {
      if (fd === undefined) return
      const line = { request: { ...request, headers: redacted(request.headers) }, file: bare(file) }
      // Synchronous, so the line is in the file before the answer reaches the client.
      appendFileSync(fd, `${JSON.stringify(line)}\n`)
    },
    close() {
      if (fd !== undefined) closeSync(fd)
      fd = undefined
    }
  }
}

/** Headers with each credential replaced by its scheme and `***`, e.g. `Bearer ***`. */
function redacted(headers: RecordedRequest['headers']): RecordedRequest['headers'] {
  const copy = { ...headers }
  const mask = (value: string): string => value.replace(/^(\S+ +)?[\s\S]*$/, '$1***')
  for (const name of SECRET_HEADERS) {
    const value = copy[name]
    if (value !== undefined) copy[name] = Array.isArray(value) ? value.map(mask) : mask(value)
  }
  return copy
}

/** A record without its stored bytes, which tests and contributors never need in a file. */
function bare(file: FileRecord | undefined): FileRecord | undefined {
  if (file?.stored === undefined) return file
  const { size, sha256, receivedSha256, contentType } = file.stored
  const received = receivedSha256 === undefined ? {} : { receivedSha256 }
  return { ...file, stored: { size, sha256, ...received, contentType } }
}
