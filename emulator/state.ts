import type { ChaosRun } from './chaos.ts'
import type { Presigner } from './sigv4.ts'
import type { Fault, FileRecord, RecordedRequest } from './types.ts'

/** Everything both servers share; one per emulator instance. */
export interface State {
  /** Bearer key the API accepts. */
  apiKey: string
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
  /** Whether stored bytes are kept in memory. */
  keepBytes: boolean
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
  /** Whether GET /api/files skips its project and status filters. */
  listIgnoresFilters: boolean
}

/** Largest object one PUT may carry on R2 and S3: 5 GiB. */
export const MAX_OBJECT_BYTES = 5 * 1024 * 1024 * 1024
