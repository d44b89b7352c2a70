/** Options of {@link startEmulator}; every field is optional. */
export interface EmulatorOptions {
  /**
   * Which of the vendor's APIs the API server speaks (default 'files'): 'files' serves /api/files,
   * whose create body names its project_id; 'resources' serves /api/resources, where the key picks
   * the project. Each answers 404 to every path of the other.
   */
  api?: ApiDialect | undefined
  /**
   * Bearer key the API accepts, belonging to the first of `projects` unless `keys` names it too
   * (default 'test-key', or none when `keys` are given).
   */
  apiKey?: string | undefined
  /**
   * More keys, each belonging to one project (the project is added to `projects`). With 'resources'
   * a key reaches its own project's records only; with 'files' any key reaches every project.
   */
  keys?: Readonly<Record<string, number>> | undefined
  /** Project IDs that exist (default [1]). */
  projects?: number[] | undefined
  /** Interface both servers listen on (default '127.0.0.1'). */
  host?: string | undefined
  /** Port of the API server (default 0: any free port). */
  apiPort?: number | undefined
  /** Port of the storage server (default 0: any free port). */
  storagePort?: number | undefined
  /** X-Amz-Expires of issued upload URLs, in seconds (default 900). */
  urlExpiresSeconds?: number | undefined
  /** Delay added before answering every request, API and storage (default 0). */
  latencyMs?: number | undefined
  /** How storage answers an expired URL: R2 403 ExpiredRequest, S3 403 AccessDenied, or old R2 400. */
  expiredForm?: 'r2' | 's3' | '400' | undefined
  /**
   * Keep uploaded bytes in memory (default true); false only hashes and counts them (downloads
   * then answer 404 NoSuchKey); 'disk' streams each PUT body to a file in a folder the emulator
   * makes under the system's temp dir and removes on close() (see Emulator.objectsDir), and serves
   * downloads from it, so an object of any size can be read back without being held in memory.
   */
  keepBytes?: boolean | 'disk' | undefined
  /** Called with the request when it is answered (just before the answer is written) or dropped; for --state-file. */
  onChange?: ((request: RecordedRequest) => void) | undefined
  /** Serve both servers over https with this key and certificate (PEM); default plain http. */
  tls?: { key: string | Buffer; cert: string | Buffer } | undefined
  /** Seeded random faults on a share of classified requests (default off); see Emulator.setChaos. */
  chaos?: ChaosOptions | undefined
  /** Storage reads PUT bodies at most this many bytes per second (default unlimited). */
  storageBytesPerSecond?: number | undefined
  /** The list answers every project's records, pending ones too (default false). */
  listIgnoresFilters?: boolean | undefined
  /** Storage that lies: chosen PUTs store other bytes than they carried (default off); see Emulator.setCorrupt. */
  corrupt?: CorruptOptions | undefined
}

/** The vendor's two APIs: the seed's Files API, and the Resources API of its current reference. */
export type ApiDialect = 'files' | 'resources'

/**
 * Storage that lies about what it stored. A chosen PUT is answered 200 as if its body were stored,
 * but the object holds the body with one byte inverted (the middle one): same length, other
 * sha256, served so by its download URL. An empty body is stored as it came.
 */
export interface CorruptOptions {
  /**
   * Which PUTs: 'first', each name's first PUT; 'always', every PUT; numbers, the n-th PUTs
   * (from 1); or a function of the PUT. A PUT counts once storage begins to read its body (it
   * passed the signature and size checks), whether or not the body then arrives whole, from the
   * setting or the last reset().
   */
  puts: 'first' | 'always' | readonly number[] | ((put: CorruptPut) => boolean)
  /** Only PUTs of records of this name (a string is matched whole); default every name. */
  name?: string | RegExp | undefined
}

/** A PUT as a CorruptOptions function sees it. */
export interface CorruptPut {
  /** The record's name. */
  name: string
  /** The object key, as in the URL path. */
  key: string
  /** Its number among the PUTs counted (from 1). */
  n: number
}

/** Chaos mode: a seeded random fault on a share of requests. */
export interface ChaosOptions {
  /** Share of classified requests (create, put, confirm, list, get, download) that get a fault, 0 to 1. */
  rate: number
  /** Integer seed of the PRNG: the same seed gives the same faults to the same request series. */
  seed: number
}

/**
 * A fault chaos mode can inject: an HTTP status ('429' with Retry-After: 0), a lost answer (the
 * request is applied, then the connection dropped) or a reset halfway through a PUT body.
 * API steps draw from 503, 429, lost-answer; put and download from 500, 503, reset-mid-body.
 */
export type ChaosKind = '500' | '503' | '429' | 'lost-answer' | 'reset-mid-body'

/** One record for Emulator.seedFiles. */
export interface SeedEntry {
  /** Project of the record; a project that does not exist yet is added. */
  project_id: number
  /** Display name; also the last segment of the object key. */
  name: string
  /** Size of the record and of its stored object (all zero bytes). */
  size_bytes: number
  /** mime_type of the record (default null: the stored object is then application/octet-stream). */
  mime_type?: string | undefined
  /** Status of the record (default 'uploaded'); only uploaded records get a stored object. */
  status?: 'uploaded' | 'pending' | undefined
}

/** A running emulator: an API server and a presigned storage server on loopback. */
export interface Emulator {
  /** The dialect the API serves. */
  api: ApiDialect
  /** Origin of the API, e.g. 'http://127.0.0.1:41234' (no trailing slash). */
  apiUrl: string
  /** Origin of the storage server (a different port from the API). */
  storageUrl: string
  /** A Bearer key the API accepts: EmulatorOptions.apiKey, else the first of keys. */
  apiKey: string
  /** Every key the API accepts, with the project it belongs to. */
  keys: Readonly<Record<string, number>>
  /** Every record created, pending or uploaded, by id. */
  files: Map<number, FileRecord>
  /** Every request received by either server, in order of arrival. */
  requests: RecordedRequest[]
  /** Queue of fault rules; tests push onto it. */
  faults: Fault[]
  /** Records with status 'uploaded', ordered by id. */
  uploaded(): FileRecord[]
  /**
   * Clears files, requests and faults; ids start again from 1. Settings stay (chaos, throttle,
   * listIgnoresFilters, corrupt, projects added by seedFiles), but chaos restarts its PRNG from its
   * seed and its counts from 0, and corrupt its count of PUTs, so a run after reset() meets the
   * same faults as the first.
   */
  reset(): void
  /** Starts chaos mode, or restarts it (PRNG from the seed, counts at 0); undefined stops it. */
  setChaos(chaos: ChaosOptions | undefined): void
  /**
   * Chaos faults injected since the last setChaos(options) or reset(), keyed 'step:kind' (e.g.
   * 'confirm:lost-answer'); every key chaos can use is present, 0 when not injected yet.
   */
  chaosStats(): Record<string, number>
  /** Limits storage reads of PUT bodies that start from now on; undefined lifts the limit. */
  setThrottle(bytesPerSecond: number | undefined): void
  /** Makes the list ignore (true) or apply (false) its project and status filters. */
  setListIgnoresFilters(ignore: boolean): void
  /** Starts corrupting chosen PUTs, counting them from 0 again; undefined stops it. */
  setCorrupt(corrupt: CorruptOptions | undefined): void
  /**
   * Creates records directly, without requests, with ids from the same counter. Uploaded ones get
   * a stored object of size_bytes zero bytes (its bytes kept when keepBytes is on and it is at most
   * 1 MiB, or as a sparse file when keepBytes is 'disk' and it is larger, so its download URL
   * works). Projects that do not exist yet are added. All entries are checked before any is created.
   */
  seedFiles(entries: SeedEntry[]): FileRecord[]
  /**
   * With keepBytes 'disk', the folder holding one file per stored object (reset() removes the
   * files, close() the folder); otherwise undefined.
   */
  objectsDir: string | undefined
  /** Closes both servers and destroys every open socket, hung or not; removes objectsDir. */
  close(): Promise<void>
}

/** What the storage server holds for one object after a successful PUT. */
export interface StoredObject {
  /** Number of bytes received. */
  size: number
  /** Hex sha256 of the bytes stored. */
  sha256: string
  /** Hex sha256 of the body the PUT carried, when storage stored other bytes (corrupt). */
  receivedSha256?: string
  /** Content-Type header of the PUT. */
  contentType: string
  /** The bytes themselves, only when keepBytes is true (or 'disk', for a seeded object ≤ 1 MiB). */
  bytes?: Buffer
  /** The file holding the bytes, under Emulator.objectsDir, only when keepBytes is 'disk'. */
  path?: string
}

/** One record (a file, or in 'resources' a resource), plus what the emulator knows about its storage. */
export interface FileRecord {
  /** Sequential id, from 1 per emulator instance. */
  id: number
  /** Project the file belongs to. */
  project_id: number
  /** Display name (the name given at create, or renamed by PATCH). */
  name: string
  /** mime_type given at create, or null. */
  mime_type: string | null
  /** size_bytes declared at create, or null. */
  size_bytes: number | null
  /** Description, or null. */
  description: string | null
  /** 'pending' until a PATCH {status:'uploaded'} succeeds. */
  status: 'pending' | 'uploaded'
  /** ISO timestamp of creation. */
  created_at: string
  /** ISO timestamp of the last change. */
  updated_at: string
  /** Storage key as it appears in the URL path (URL-safe), e.g. 'project-resources/1/<uuid>/a%20b.txt'. */
  objectKey: string
  /** Set when a PUT succeeded; a later successful PUT overwrites it. */
  stored?: StoredObject
  /** How many PATCH {status:'uploaded'} were applied. */
  confirmCount: number
}

/** The step a request was classified as; faults match on it. 'download' is a GET of a stored object. */
export type Step = 'create' | 'put' | 'confirm' | 'list' | 'get' | 'download'

/** One request received by either server. */
export interface RecordedRequest {
  /** Which server received it. */
  server: 'api' | 'storage'
  /** HTTP method. */
  method: string
  /** Path without the query string, as received (still percent-encoded). */
  path: string
  /** Decoded query parameters (last value wins). */
  query: Record<string, string>
  /** Headers with lower-case names, as received. */
  headers: Record<string, string | string[] | undefined>
  /** Status the emulator answered; 0 if it dropped or hung the connection. */
  status: number
  /** Body bytes read so far. */
  bodyBytes: number
  /** The client's port: with a proxy in between, the proxy's upstream socket. */
  remotePort: number
  /** The file concerned, when known. */
  fileId?: number
  /** How the request was classified. */
  step: Step | 'other'
  /** The chaos fault that hit the request, if one did. */
  chaos?: ChaosKind
  /** When a stall fault stopped reading the body (Date.now()), for tests that time the client. */
  stalledAt?: number
  /** True when storage stored other bytes than this PUT carried (corrupt). */
  corrupted?: boolean
}

/** What a fault does instead of (or on top of) the normal answer. */
export type FaultAction =
  | { type: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { type: 'lost-answer' }
  | { type: 'reset-mid-body' }
  | { type: 'hang' }
  /** Reads `afterBytes` of a PUT body (default: about half), then stops reading, keeping the connection. */
  | { type: 'stall'; afterBytes?: number }
  | { type: 'html' }
  | { type: 'expire-url' }
  | { type: 'checksum-trap' }
  | { type: 'redirect'; location: string }
  /** On put: answers 200, but stores the body with one byte changed (see CorruptOptions). */
  | { type: 'corrupt' }

/** A one-shot (or n-shot) fault rule, matched in queue order. */
export interface Fault {
  /** Step the fault applies to. */
  step: Step
  /** How many matching requests it applies to (default 1); then it leaves the queue. */
  times?: number
  /** Only requests for a file of this name (create: body.name; put/confirm/get/download: the record's name). */
  name?: string | RegExp
  /** Extra delay before acting. */
  latencyMs?: number
  /** What to do. */
  action: FaultAction
}
