import type { LocalFile } from '../files/files.ts'
import type { Transport } from '../http/transport.ts'
import type { FileRecord } from '../http/responses.ts'
import { mapLimit } from '../pool.ts'

/** The most records the API serves on one page. */
export const PAGE_SIZE = 100

/** What listing the project needs. */
export interface ListOptions {
  /** The HTTP client. */
  client: Transport
  /** The project whose files are listed; undefined lists the key's (the Resources API). */
  projectId: number | undefined
  /** Pages fetched at once after the first. */
  concurrency: number
  /** Runs one request with the retry policy. */
  retry: <T>(operation: () => Promise<T>) => Promise<T>
  /** Cancels the listing. */
  signal: AbortSignal
}

/**
 * The project's uploaded files, by name and size. A local file of the same name and size is
 * taken as already there; where several records match, the newest (highest ID) wins. Without a
 * project ID (the key's project), an uploaded record naming no project is the key's, and of those
 * naming one, only the project the first of them names counts.
 */
export class ProjectListing {
  readonly #ids = new Map<string, number>()
  /** How many uploaded records of this project the list held. */
  readonly count: number

  constructor(records: Iterable<FileRecord>, projectId: number | undefined) {
    let count = 0
    const fromKey = projectId === undefined
    let project = projectId
    for (const record of records) {
      // The server is not trusted to filter: a pending or another project's record never matches.
      if (record.status !== 'uploaded') continue
      // The key's listing names no project to compare with: the first record that names one does.
      project ??= record.projectId
      if ((fromKey ? (record.projectId ?? project) : record.projectId) !== project) continue
      count++
      const key = keyOf(record.name, record.sizeBytes)
      this.#ids.set(key, Math.max(this.#ids.get(key) ?? 0, record.id))
    }
    this.count = count
  }

  /** The ID of the record this file matches, if any. */
  idOf(file: Pick<LocalFile, 'name' | 'size'>): number | undefined {
    return this.#ids.get(keyOf(file.name, file.size))
  }
}

/**
 * A name and size as one key. A record without a size (none was declared at create) gets the key
 * `undefined:<name>`, which no file has: it never matches.
 */
function keyOf(name: string, size: number | undefined): string {
  return `${size}:${name}`
}

/** Lists every page: the first to learn how many there are, then the rest concurrently. */
export async function listProject(options: ListOptions): Promise<ProjectListing> {
  const { client, projectId, retry } = options
  // The first page that fails for good stops the others: the listing has failed either way.
  const stop = new AbortController()
  const signal = AbortSignal.any([options.signal, stop.signal])
  const page = (n: number) => retry(() => client.list(projectId, n, PAGE_SIZE, signal))
  const first = await page(1)
  const rest = Array.from({ length: Math.max(0, first.totalPages - 1) }, (_, i) => i + 2)
  const pages = await mapLimit(rest, { limit: options.concurrency, signal }, (n) =>
    page(n).then(
      (next) => next.files,
      (error: unknown) => {
        stop.abort()
        throw error
      }
    )
  )
  return new ProjectListing([first.files, ...pages].flat(), projectId)
}
