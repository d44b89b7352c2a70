import { createHash, randomUUID } from 'node:crypto'
import { objectKeyFor } from './api.ts'
import { HEADER_VALUE } from './dialects.ts'
import { zeroFile } from './objects.ts'
import type { State } from './state.ts'
import { MAX_OBJECT_BYTES } from './state.ts'
import type { FileRecord, SeedEntry, StoredObject } from './types.ts'

/**
 * Seeded objects up to this size keep their bytes (when keepBytes is on), so downloads work; with
 * keepBytes 'disk', a larger one is a sparse file of zeros.
 */
const KEPT_BYTES_LIMIT = 1024 * 1024

// One shared zero buffer: every seeded object's bytes are a view of it, so 10,000 seeded files
// cost no memory of their own. Nothing writes into stored bytes.
const ZEROS = Buffer.alloc(KEPT_BYTES_LIMIT)

/** sha256 of n zero bytes, by n: seeded files tend to share a few sizes. */
const zeroHashes = new Map<number, string>()

/**
 * Creates records straight into the state, as if created (and, for uploaded ones, PUT and
 * confirmed) through the API, without requests. Checks every entry before creating any.
 */
export function seedFiles(state: State, entries: SeedEntry[]): FileRecord[] {
  entries.forEach((entry, index) => {
    const problem = entryProblem(entry)
    if (problem !== undefined) throw new RangeError(`seedFiles entry ${index}: ${problem}`)
  })
  const now = new Date().toISOString()
  const uuidStem = randomUUID().slice(0, 24)
  return entries.map((entry) => {
    const record = seededRecord(state, entry, now, uuidStem)
    state.projects.add(record.project_id)
    state.files.set(record.id, record)
    state.byKey.set(record.objectKey, record.id)
    return record
  })
}

/** What is wrong with an entry (the API's own create rules, plus status), if anything. */
function entryProblem(entry: SeedEntry): string | undefined {
  const { project_id, name, size_bytes, mime_type, status } = entry
  if (!Number.isSafeInteger(project_id) || project_id <= 0) {
    return 'project_id must be a positive integer'
  }
  if (typeof name !== 'string' || name === '') return 'name must be a non-empty string'
  if (!Number.isSafeInteger(size_bytes) || size_bytes < 0 || size_bytes > MAX_OBJECT_BYTES) {
    return `size_bytes must be an integer from 0 to ${MAX_OBJECT_BYTES}`
  }
  if (mime_type !== undefined && !HEADER_VALUE.test(mime_type)) {
    return 'mime_type must be printable ASCII without surrounding spaces'
  }
  if (status !== undefined && status !== 'uploaded' && status !== 'pending') {
    return 'status must be "uploaded" or "pending"'
  }
  return undefined
}

function seededRecord(state: State, entry: SeedEntry, now: string, uuidStem: string): FileRecord {
  const status = entry.status ?? 'uploaded'
  const mimeType = entry.mime_type ?? null
  const id = state.nextId++
  const record: FileRecord = {
    id,
    project_id: entry.project_id,
    name: entry.name,
    mime_type: mimeType,
    size_bytes: entry.size_bytes,
    description: null,
    status,
    created_at: now,
    updated_at: now,
    objectKey: objectKeyFor(entry.project_id, entry.name, seededUuid(uuidStem, id)),
    // No PATCH was applied: confirmCount counts requests, and a seeded record had none.
    confirmCount: 0
  }
  if (status === 'uploaded') {
    const contentType = mimeType ?? 'application/octet-stream'
    record.stored = zeroObject(state, entry.size_bytes, contentType)
  }
  return record
}

/**
 * A UUID-shaped key segment, unique per record: one random stem per call, the id as the last 12
 * hex digits. A randomUUID() per record would cost more than all the rest of seeding.
 */
function seededUuid(stem: string, id: number): string {
  return `${stem}${id.toString(16).padStart(12, '0')}`
}

/**
 * A stored object of `size` zero bytes. Its sha256 is worked out on first read, not here: hashing
 * 10,000 objects of distinct sizes up front would take seconds, and most are never looked at.
 */
function zeroObject(state: State, size: number, contentType: string): StoredObject {
  const stored: StoredObject = { size, sha256: '', contentType }
  Object.defineProperty(stored, 'sha256', {
    enumerable: true,
    configurable: true,
    get(): string {
      const value = zeroSha256(size)
      Object.defineProperty(stored, 'sha256', { value, enumerable: true, writable: true })
      return value
    }
  })
  if (state.keepBytes && size <= KEPT_BYTES_LIMIT) stored.bytes = ZEROS.subarray(0, size)
  else if (state.objects) stored.path = zeroFile(state.objects, size)
  return stored
}

/** Hex sha256 of `size` zero bytes, fed from the shared zero buffer, remembered by size. */
function zeroSha256(size: number): string {
  const known = zeroHashes.get(size)
  if (known !== undefined) return known
  const hash = createHash('sha256')
  for (let left = size; left > 0; left -= ZEROS.length) {
    hash.update(ZEROS.subarray(0, Math.min(left, ZEROS.length)))
  }
  const value = hash.digest('hex')
  zeroHashes.set(size, value)
  return value
}
