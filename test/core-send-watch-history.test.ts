// A long upload's history: the stall detector thins it to stay small, and must keep it spread
// evenly over time, or the rate it reads halfway through comes from the wrong moment.
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { bufferedTail, SendWatch, type Sample } from '../src/core/send-watch.ts'

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

it('reads the rate of the later half from a thinned history as from the whole one', () => {
  const timeoutMs = 1000
  const watch = new SendWatch(timeoutMs, new AbortController().signal)
  const whole: Sample[] = []
  let bytes = 0
  const take = (part: number): void => {
    bytes += part
    watch.progress(part)
    whole.push({ ms: performance.now(), bytes })
  }
  // The buffers take 4 MiB at once; storage reads at 1.25 MiB/s for 30 s, then at 1 MiB/s for
  // 250 s. Halfway through, at 140 s, the pace is the later one: the allowance must use it, and
  // a history thinned unevenly (or no longer sampled after a thinning) reads the earlier pace.
  take(0)
  take(4 * MiB)
  for (const [parts, everyMs] of [
    [300, 100],
    [2000, 125]
  ] as const) {
    for (let i = 0; i < parts; i++) {
      vi.advanceTimersByTime(everyMs)
      take(128 * 1024)
    }
  }
  watch.finished()
  const expected = bufferedTail(whole, { ms: performance.now(), bytes })
  // 4 MiB + 30 s × (1.25 − 1) MiB/s = 11.5 MiB still buffered, 11.5 s at 1 MiB/s.
  expect(expected.ms).toBeCloseTo(11_500, -1)
  vi.advanceTimersByTime(timeoutMs + expected.ms - 50)
  expect(watch.stalled).toBe(false)
  vi.advanceTimersByTime(100)
  expect(watch.stalled).toBe(true)
})
