// The heap settings the faces ask for, and the minor collection a download's read-back asks for.
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks'
import v8 from 'node:v8'
import { afterEach, describe, expect, it, vi } from 'vitest'

afterEach(() => {
  vi.restoreAllMocks()
  vi.resetModules()
})

/** The kinds of the collections V8 reports while `work` runs, and a little after. */
async function collections(work: () => void): Promise<number[]> {
  const kinds: number[] = []
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[])
      kinds.push(entry.detail?.kind ?? -1)
  })
  observer.observe({ entryTypes: ['gc'] })
  work()
  await new Promise((resolve) => setTimeout(resolve, 50))
  observer.disconnect()
  return kinds
}

describe('releaseGarbage', () => {
  it('does nothing in a process whose heap the faces did not tune (a library caller)', async () => {
    const heap = await import('../../src/core/heap.ts')
    const flags = vi.spyOn(v8, 'setFlagsFromString')
    const kinds = await collections(() => {
      for (let i = 0; i < 20; i++) heap.releaseGarbage()
    })
    expect(flags).not.toHaveBeenCalled()
    // Twenty calls would be twenty collections; V8 may run one of its own meanwhile.
    expect(
      kinds.filter((kind) => kind === constants.NODE_PERFORMANCE_GC_MINOR).length
    ).toBeLessThan(3)
  })

  it('runs a minor collection once tuneHeap made one available', async () => {
    const heap = await import('../../src/core/heap.ts')
    heap.tuneHeap()
    const kinds = await collections(() => {
      for (let i = 0; i < 3; i++) heap.releaseGarbage()
    })
    expect(
      kinds.filter((kind) => kind === constants.NODE_PERFORMANCE_GC_MINOR).length
    ).toBeGreaterThanOrEqual(3)
  })
})
