// The stall detector of an upload, on a fake clock: when a PUT counts as stopped, how long the
// answer may take once the body is handed over, and what the failure then says.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  bufferedTail,
  formatSpan,
  MAX_BUFFERED_BYTES,
  SendWatch,
  type Sample
} from '../src/core/send-watch.ts'

const never = new AbortController().signal

describe('SendWatch', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('abandons a request that made no progress for the whole timeout, and says so', () => {
    const watch = new SendWatch(2000, never)
    vi.advanceTimersByTime(1999)
    expect(watch.stalled).toBe(false)
    expect(watch.signal.aborted).toBe(false)
    vi.advanceTimersByTime(1)
    expect(watch.stalled).toBe(true)
    expect(watch.signal.aborted).toBe(true)
    expect((watch.signal.reason as Error).message).toBe('no progress and no answer for 2 s')
    expect(watch.describe()).toBe('no progress and no answer for 2 s')
  })

  it('counts the timeout from the last part the connection took', () => {
    const watch = new SendWatch(1000, never)
    vi.advanceTimersByTime(600)
    watch.progress(0)
    vi.advanceTimersByTime(900)
    watch.progress(128 * 1024)
    vi.advanceTimersByTime(999)
    expect(watch.stalled).toBe(false)
    vi.advanceTimersByTime(1)
    expect(watch.stalled).toBe(true)
  })

  it('never abandons a request once stopped', () => {
    const watch = new SendWatch(500, never)
    watch.stop()
    vi.advanceTimersByTime(60_000)
    expect(watch.stalled).toBe(false)
    expect(watch.signal.aborted).toBe(false)
  })

  it('passes a cancel on without calling it a stall', () => {
    const cancel = new AbortController()
    const watch = new SendWatch(500, cancel.signal)
    cancel.abort()
    expect(watch.signal.aborted).toBe(true)
    expect(watch.stalled).toBe(false)
    watch.stop()
  })

  it('a body taken at once leaves only the timeout for the answer', () => {
    const watch = new SendWatch(1500, never)
    watch.progress(0)
    for (let i = 0; i < 4; i++) watch.progress(128 * 1024)
    watch.finished()
    vi.advanceTimersByTime(1499)
    expect(watch.stalled).toBe(false)
    vi.advanceTimersByTime(1)
    expect(watch.stalled).toBe(true)
    expect(watch.describe()).toBe('no progress and no answer for 1500 ms')
  })

  it('after a body sent at storage pace, allows the time its buffered tail needs, and names it', () => {
    const watch = new SendWatch(1500, never)
    // 4 KiB taken at once by the buffers, then 1 KiB per second: 4 KiB were still on the way.
    watch.progress(0)
    watch.progress(4096)
    for (let second = 1; second <= 4; second++) {
      vi.advanceTimersByTime(1000)
      watch.progress(1024)
    }
    watch.finished()
    // The buffered 4 KiB need 4 s at 1 KiB/s; then the timeout runs.
    vi.advanceTimersByTime(4000 + 1499)
    expect(watch.stalled).toBe(false)
    vi.advanceTimersByTime(1)
    expect(watch.stalled).toBe(true)
    expect(watch.describe()).toBe(
      'no progress and no answer for 1500 ms, after the 4.0 s allowed for the last 4.00 KiB still on the way to storage'
    )
  })

  it('names an allowance from 100 ms on', () => {
    const watch = new SendWatch(1000, never)
    watch.progress(0)
    watch.progress(100)
    vi.advanceTimersByTime(100)
    watch.progress(100)
    vi.advanceTimersByTime(100)
    watch.progress(100)
    watch.finished()
    expect(watch.describe()).toBe(
      'no progress and no answer for 1 s, after the 100 ms allowed for the last 100 B still on the way to storage'
    )
    watch.stop()
  })

  it('a stall before the end of the body gets no allowance', () => {
    const watch = new SendWatch(1000, never)
    watch.progress(0)
    watch.progress(4096)
    vi.advanceTimersByTime(1000)
    watch.progress(1024)
    vi.advanceTimersByTime(1000)
    expect(watch.stalled).toBe(true)
    expect(watch.describe()).toBe('no progress and no answer for 1 s')
  })

  it('keeps its estimate over a long body whose samples it thins', () => {
    const watch = new SendWatch(1000, never)
    watch.progress(0)
    watch.progress(100_000)
    for (let i = 0; i < 1000; i++) {
      vi.advanceTimersByTime(10)
      watch.progress(100)
    }
    watch.finished()
    // 100,000 bytes buffered at 10 bytes per ms: 10 s allowed, then the timeout.
    vi.advanceTimersByTime(10_000 + 999)
    expect(watch.stalled).toBe(false)
    vi.advanceTimersByTime(1)
    expect(watch.stalled).toBe(true)
    expect(watch.describe()).toBe(
      'no progress and no answer for 1 s, after the 10.0 s allowed for the last 97.7 KiB still on the way to storage'
    )
  })
})

describe('bufferedTail', () => {
  it('is the bytes sent beyond storage pace from the start, and their time at that pace', () => {
    const samples: Sample[] = [
      { ms: 0, bytes: 0 },
      { ms: 0, bytes: 4096 },
      { ms: 1000, bytes: 5096 },
      { ms: 2000, bytes: 6096 }
    ]
    expect(bufferedTail(samples, { ms: 2000, bytes: 6096 })).toEqual({ bytes: 4096, ms: 4096 })
  })

  it('takes the pace over the later half of the time, from the last sample at its middle', () => {
    const samples: Sample[] = [
      { ms: 100, bytes: 0 },
      { ms: 100, bytes: 4096 },
      { ms: 600, bytes: 4596 },
      { ms: 1100, bytes: 5096 },
      { ms: 1600, bytes: 6096 }
    ]
    // Middle 1100: 2,000 bytes in the last 1,000 ms, 2 bytes per ms.
    expect(bufferedTail(samples, { ms: 2100, bytes: 7096 })).toEqual({ bytes: 3096, ms: 1548 })
  })

  it('is nothing without samples, for a body taken at once, or when storage kept pace', () => {
    expect(bufferedTail([], { ms: 5, bytes: 10 })).toEqual({ bytes: 0, ms: 0 })
    const burst = [0, 1, 2, 3].map((i) => ({ ms: 5, bytes: i * 1000 }))
    expect(bufferedTail(burst, { ms: 5, bytes: 4000 })).toEqual({ bytes: 0, ms: 0 })
    const steady = [0, 1, 2, 3, 4].map((i) => ({ ms: i * 100, bytes: i * 1000 }))
    expect(bufferedTail(steady, { ms: 400, bytes: 4000 })).toEqual({ bytes: 0, ms: 0 })
    const speeding = [
      { ms: 0, bytes: 0 },
      { ms: 100, bytes: 50 },
      { ms: 200, bytes: 150 }
    ]
    expect(bufferedTail(speeding, { ms: 200, bytes: 150 })).toEqual({ bytes: 0, ms: 0 })
  })

  it('is nothing when the later half took no bytes: a stall is no pace to go by', () => {
    const stalled = [
      { ms: 0, bytes: 0 },
      { ms: 100, bytes: 1000 }
    ]
    expect(bufferedTail(stalled, { ms: 1000, bytes: 1000 })).toEqual({ bytes: 0, ms: 0 })
  })

  it('counts from the first sample, whatever it holds', () => {
    const samples: Sample[] = [
      { ms: 0, bytes: 500 },
      { ms: 0, bytes: 4596 },
      { ms: 1000, bytes: 5596 },
      { ms: 2000, bytes: 6596 }
    ]
    expect(bufferedTail(samples, { ms: 2000, bytes: 6596 })).toEqual({ bytes: 4096, ms: 4096 })
  })

  it('never counts more than MAX_BUFFERED_BYTES', () => {
    const samples: Sample[] = [
      { ms: 0, bytes: 0 },
      { ms: 0, bytes: 64 * 1024 * 1024 },
      { ms: 1000, bytes: 64 * 1024 * 1024 + 1000 }
    ]
    const tail = bufferedTail(samples, { ms: 2000, bytes: 64 * 1024 * 1024 + 2000 })
    expect(tail).toEqual({ bytes: MAX_BUFFERED_BYTES, ms: MAX_BUFFERED_BYTES })
  })
})

describe('formatSpan', () => {
  it.each([
    [2000, '2 s'],
    [60_000, '60 s'],
    [1500, '1500 ms'],
    [300, '300 ms']
  ])('%d ms is %s', (ms, text) => {
    expect(formatSpan(ms)).toBe(text)
  })
})

describe('SendWatch on the real clock', () => {
  it('never keeps the process alive on its own', () => {
    const timers = (): number =>
      process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length
    const before = timers()
    const watch = new SendWatch(60_000, never)
    expect(timers()).toBe(before)
    watch.stop()
  })
})
