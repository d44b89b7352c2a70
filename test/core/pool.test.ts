// The worker pool under the uploads and the listing: how many items run at once, what a cancel
// stops, and how the first failure stops every worker from taking another item.
import { describe, expect, it } from 'vitest'
import { CancelledError } from '../../src/core/errors.ts'
import { mapLimit, runPool } from '../../src/core/pool.ts'

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {}
  const promise = new Promise<void>((done) => {
    resolve = done
  })
  return { promise, resolve }
}

describe('runPool', () => {
  it('takes no item once the signal has aborted, and rejects with CancelledError', async () => {
    const controller = new AbortController()
    controller.abort()
    const taken: string[] = []
    const run = runPool(['a', 'b', 'c'], { limit: 2, signal: controller.signal }, () => ({
      take: async (item) => {
        taken.push(item)
      }
    }))
    await expect(run).rejects.toBeInstanceOf(CancelledError)
    expect(taken).toEqual([])
  })

  it('starts no further item once the signal aborts mid-run', async () => {
    const controller = new AbortController()
    const taken: string[] = []
    const run = runPool(['a', 'b', 'c', 'd'], { limit: 1, signal: controller.signal }, () => ({
      take: async (item) => {
        taken.push(item)
        if (item === 'b') controller.abort()
      }
    }))
    await expect(run).rejects.toBeInstanceOf(CancelledError)
    expect(taken).toEqual(['a', 'b'])
  })

  it('after the first failure, no worker takes another item', async () => {
    const slow = deferred()
    const taken: string[] = []
    const failure = new Error('a failed')
    const run = runPool(['a', 'b', 'c', 'd'], { limit: 2 }, () => ({
      take: async (item) => {
        taken.push(item)
        if (item === 'a') throw failure
        if (item === 'b') await slow.promise
      }
    }))
    await expect(run).rejects.toBe(failure)
    // The other worker was busy with b when a failed; once b is done, it stops.
    slow.resolve()
    await slow.promise
    await new Promise((resolve) => setImmediate(resolve))
    expect(taken).toEqual(['a', 'b'])
  })

  it('makes one worker per item when the items are fewer than the limit, and drains each once', async () => {
    const made: string[] = []
    await runPool(['a', 'b'], { limit: 8 }, () => {
      const name = `worker ${made.length + 1}`
      made.push(name)
      return {
        take: async () => undefined,
        drain: async () => {
          made.push(`${name} drained`)
        }
      }
    })
    expect(made).toEqual(['worker 1', 'worker 2', 'worker 1 drained', 'worker 2 drained'])
  })

  it('makes `limit` workers when the items are more, which take them in order', async () => {
    const taken: string[] = []
    let workers = 0
    await runPool(['a', 'b', 'c', 'd', 'e'], { limit: 2 }, () => {
      const worker = ++workers
      return {
        take: async (item, index) => {
          taken.push(`${worker}:${item}${index}`)
        }
      }
    })
    expect(workers).toBe(2)
    expect(taken).toEqual(['1:a0', '2:b1', '1:c2', '2:d3', '1:e4'])
  })
})

describe('mapLimit', () => {
  it('returns no results for no items', async () => {
    expect(await mapLimit([], { limit: 4 }, async () => 'never')).toEqual([])
  })

  it('returns the results in the order of the items, whatever order they finish in', async () => {
    const gates = [deferred(), deferred(), deferred()]
    const results = mapLimit([0, 1, 2], { limit: 3 }, async (item) => {
      await gates[item]?.promise
      return item * 10
    })
    gates[2]?.resolve()
    gates[0]?.resolve()
    gates[1]?.resolve()
    expect(await results).toEqual([0, 10, 20])
  })
})
