import { CancelledError } from './errors.ts'

/** One of a pool's workers: it takes items one at a time, and may carry work past an item. */
export interface Worker<T> {
  /** Handles one item; the worker takes its next item once this settles. */
  take: (item: T, index: number) => Promise<void>
  /** Awaited once no item is left for this worker: the work it carried past its last item. */
  drain?: () => Promise<void>
}

/** How a pool runs. */
export interface PoolOptions {
  /** Most workers at once; fewer when there are fewer items. */
  limit: number
  /** Once it aborts, no item is started, and the pool rejects with CancelledError. */
  signal?: AbortSignal | undefined
}

/**
 * Runs `items` through at most `limit` workers, each made by `worker` and taking the next item,
 * in order, as soon as its last one settled. The first rejection stops every worker from taking
 * another item and is what the pool rejects with, at once.
 */
export async function runPool<T>(
  items: readonly T[],
  options: PoolOptions,
  worker: () => Worker<T>
): Promise<void> {
  let next = 0
  let failed = false
  const work = async (): Promise<void> => {
    const { take, drain } = worker()
    while (next < items.length && !failed) {
      if (options.signal?.aborted) throw new CancelledError()
      const index = next++
      await take(items[index] as T, index)
    }
    await drain?.()
  }
  const workers = Array.from({ length: Math.min(options.limit, items.length) }, () =>
    work().catch((error: unknown) => {
      failed = true
      throw error
    })
  )
  await Promise.all(workers)
}

/** Runs `run` over every item, at most `options.limit` at once; the results in the order of `items`. */
export async function mapLimit<T, R>(
  items: readonly T[],
  options: PoolOptions,
  run: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const results: R[] = []
  await runPool(items, options, () => ({
    take: async (item, index) => {
      results[index] = await run(item, index)
    }
  }))
  return results
}
