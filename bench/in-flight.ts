// Counting requests in flight at once, as the server side sees them: from arrival to answer. The
// small-files cases print the most API requests and the most PUTs in flight during each run of
// the action, the emulator's from its request log (a request is logged on arrival and reported to
// onChange once answered), the interop target's from its latency proxies (latency-proxy.ts).
import type { Emulator, EmulatorOptions, RecordedRequest } from '../emulator/emulator.ts'
import { emulatorWith } from './fixtures.ts'

/** How many requests of one kind are in flight now, and the most at once since the last reset. */
export class InFlight {
  /** In flight now. */
  now = 0
  /** The most in flight at once since the last reset. */
  max = 0

  /** A request arrived. */
  enter(): void {
    this.now++
    if (this.now > this.max) this.max = this.now
  }

  /** A request was answered (or dropped). */
  leave(): void {
    this.now--
  }

  /** Starts a new count from what is in flight now. */
  reset(): void {
    this.max = this.now
  }
}

/** What is in flight on a target: its API requests, and the PUTs to its storage. */
export interface Concurrency {
  /** Requests to the Files API. */
  api: InFlight
  /** PUTs to storage. */
  puts: InFlight
}

/** A fresh pair of counters. */
export function newConcurrency(): Concurrency {
  return { api: new InFlight(), puts: new InFlight() }
}

/** The counters a request of the emulator's log counts in. */
function countersOf(concurrency: Concurrency, request: RecordedRequest): InFlight[] {
  if (request.server === 'api') return [concurrency.api]
  return request.method === 'PUT' ? [concurrency.puts] : []
}

/**
 * An emulator (see emulatorWith) whose requests are counted in flight. The emulator's log has no
 * times, but it is appended to the moment a request arrives, before the latency is waited out,
 * and onChange hears of each request just before its answer is written: the log's push marks the
 * arrival, onChange the answer.
 */
export async function countedEmulator(
  options: EmulatorOptions
): Promise<{ emulator: Emulator; concurrency: Concurrency }> {
  const concurrency = newConcurrency()
  // A dropped request whose answer was started is reported twice; it leaves once.
  const answered = new WeakSet<RecordedRequest>()
  const emulator = await emulatorWith({
    ...options,
    onChange: (request) => {
      if (answered.has(request)) return
      answered.add(request)
      for (const counter of countersOf(concurrency, request)) counter.leave()
    }
  })
  const log = emulator.requests
  const push = log.push.bind(log)
  // reset() empties this same array (length = 0), so the wrapper lasts as long as the emulator.
  log.push = (...requests: RecordedRequest[]): number => {
    for (const request of requests) {
      for (const counter of countersOf(concurrency, request)) counter.enter()
    }
    return push(...requests)
  }
  return { emulator, concurrency }
}
