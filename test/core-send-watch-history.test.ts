// A long upload's history: the stall detector thins it to stay small, and must keep it spread
// evenly over time, or the rate it reads halfway through comes from the wrong moment.
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { SendWatch } from '../src/core/send-watch.ts'

const MiB = 1024 * 1024

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
})
afterEach(() => {
  vi.useRealTimers()
})

it.each([300, 2000, 5000])(
  'after %i parts at storage pace, still allows the 4 MiB tail its 4 s',
  (parts) => {
    const watch = new SendWatch(1000, new AbortController().signal)
    // The buffers take 4 MiB at once, then storage reads 128 KiB every 125 ms (1 MiB/s).
    watch.progress(0)
    watch.progress(4 * MiB)
    for (let i = 0; i < parts; i++) {
      vi.advanceTimersByTime(125)
      watch.progress(128 * 1024)
    }
    watch.finished()
    vi.advanceTimersByTime(1000 + 3800)
    expect(watch.stalled).toBe(false)
    vi.advanceTimersByTime(400)
    expect(watch.stalled).toBe(true)
    expect(watch.describe()).toMatch(/after the 4\.0 s allowed for the last 4\.\d\d MiB/)
  }
)
