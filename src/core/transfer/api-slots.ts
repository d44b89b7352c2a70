// The workers' bound on the API: at most so many of its calls at once, a create first. The
// workers' transport is the run's, wrapped (boundedApi); uploads to storage pass straight through.
import type { Transport } from '../http/transport.ts'

/** Who waits for a slot: the next file's create, on the critical path, or a call behind it. */
type Rank = 'create' | 'behind'

/**
 * The run's transport with at most `limit` API calls (create, confirm, list, get, read-back) in
 * flight at once. A freed slot goes to a waiting create before any other call: the next file's
 * PUT waits for its create, while a confirm or a read-back only trails behind.
 */
export function boundedApi(transport: Transport, limit: number): Transport {
  const slots = new Slots(limit)
  return {
    filesUrl: transport.filesUrl,
    create: (request, signal) => slots.run('create', () => transport.create(request, signal)),
    put: (url, source, signal, onSent) => transport.put(url, source, signal, onSent),
    confirm: (id, signal) => slots.run('behind', () => transport.confirm(id, signal)),
    list: (projectId, page, perPage, signal) =>
      slots.run('behind', () => transport.list(projectId, page, perPage, signal)),
    get: (id, signal) => slots.run('behind', () => transport.get(id, signal)),
    readStored: (id, signal) => slots.run('behind', () => transport.readStored(id, signal)),
    close: () => transport.close()
  }
}

/** A counting semaphore whose waiting creates go first. */
class Slots {
  readonly #limit: number
  #busy = 0
  readonly #waiting: Record<Rank, (() => void)[]> = { create: [], behind: [] }

  constructor(limit: number) {
    this.#limit = limit
  }

  /** Runs `call` once a slot is free, and frees it when the call settles. */
  async run<T>(rank: Rank, call: () => Promise<T>): Promise<T> {
    if (this.#busy >= this.#limit) {
      await new Promise<void>((resolve) => this.#waiting[rank].push(resolve))
    } else this.#busy++
    try {
      return await call()
    } finally {
      this.#release()
    }
  }

  /** Hands the slot to the first waiting create, else to the first other call, else frees it. */
  #release(): void {
    const next = this.#waiting.create.shift() ?? this.#waiting.behind.shift()
    if (next) next()
    else this.#busy--
  }
}
