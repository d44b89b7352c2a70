// The stall detector of an upload, on a fake clock: when a PUT counts as stopped, how long the
// answer may take once the body is handed over, what the failure then says, and how a long
// upload's history is thinned to stay small yet spread evenly over time.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  bufferedTail,
  MAX_BUFFERED_BYTES,
  SendWatch,
  type Sample
} from '../../../src/core/http/send-watch.ts'

const never = new AbortController().signal
const MiB = 1024 * 1024

describe('SendWatch', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  /** Hands the body over: `burst` bytes at once, then a part of `part` bytes every `everyMs`. */
  function send(watch: SendWatch, burst: number, parts: number, everyMs: number, part: number) {
    watch.progress(0)
    watch.progress(burst)
    for (let i = 0; i < parts; i++) {
      vi.advanceTimersByTime(everyMs)
      watch.progress(part)
    }
    watch.finished()
  }

  /** Expects the watch to call the request stalled `ms` from now, and not a millisecond before. */
  function expectStallIn(watch: SendWatch, ms: number): void {
    vi.advanceTimersByTime(ms - 1)
    expect(watch.stalled).toBe(false)
    vi.advanceTimersByTime(1)
    expect(watch.stalled).toBe(true)
  }

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
    expectStallIn(watch, 1000)
  })

  it('sleeps until the timeout is up: an idle request wakes it once, when it stalls', () => {
    const watch = new SendWatch(1000, never)
    const start = performance.now()
    vi.advanceTimersToNextTimer()
    expect(performance.now() - start).toBe(1000)
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
    expectStallIn(watch, 1500)
    expect(watch.describe()).toBe('no progress and no answer for 1500 ms')
  })

  it.each<[string, number, [number, number, number, number], number, string]>([
    [
      // 4 KiB taken at once by the buffers, then 1 KiB per second: 4 KiB were still on the way,
      // and need 4 s at 1 KiB/s; then the timeout runs.
      'after a body sent at storage pace, allows the time its buffered tail needs, and names it',
      1500,
      [4096, 4, 1000, 1024],
      4000,
      'no progress and no answer for 1500 ms, after the 4.0 s allowed for the last 4.00 KiB still on the way to storage'
    ],
    [
      // 100,000 bytes buffered at 10 bytes per ms: 10 s allowed, then the timeout.
      'keeps its estimate over a long body whose samples it thins',
      1000,
      [100_000, 1000, 10, 100],
      10_000,
      'no progress and no answer for 1 s, after the 10.0 s allowed for the last 97.7 KiB still on the way to storage'
    ]
  ])('%s', (_label, timeoutMs, [burst, parts, everyMs, part], allowedMs, message) => {
    const watch = new SendWatch(timeoutMs, never)
    send(watch, burst, parts, everyMs, part)
    expectStallIn(watch, allowedMs + timeoutMs)
    expect(watch.describe()).toBe(message)
  })

  it('names an allowance from 100 ms on', () => {
    const watch = new SendWatch(1000, never)
    send(watch, 100, 2, 100, 100)
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

  describe("over a long upload's history, which it thins", () => {
    it.each([300, 2000, 5000])(
      'after %i parts at storage pace, still allows the 4 MiB tail its 4 s',
      (parts) => {
        const watch = new SendWatch(1000, never)
        // The buffers take 4 MiB at once, then storage reads 128 KiB every 125 ms (1 MiB/s).
        send(watch, 4 * MiB, parts, 125, 128 * 1024)
        vi.advanceTimersByTime(1000 + 3800)
        expect(watch.stalled).toBe(false)
        vi.advanceTimersByTime(400)
        expect(watch.stalled).toBe(true)
        expect(watch.describe()).toMatch(/after the 4\.0 s allowed for the last 4\.\d\d MiB/)
      }
    )

    it('reads the rate of the later half from a thinned history as from the whole one', () => {
      const timeoutMs = 1000
      const watch = new SendWatch(timeoutMs, never)
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

    it.each([
      [
        // Thinned each time it reaches 256 samples, the history holds one sample per 8 ms by the
        // end; one is at 512 ms, halfway, so the rate is the later one, 100 B/ms: of the 153,600
        // bytes, 51,200 are beyond it, and need 512 ms at that pace.
        'reads the sample halfway through when one is kept there',
        1024,
        'after the 512 ms allowed for the last 50.0 KiB'
      ],
      [
        // By the end the history holds one sample per 8 ms: the last at or before halfway
        // (511 ms) is at 504 ms, so the rate takes in 7 parts at the earlier pace, 52,500 bytes
        // in 518 ms; 49,719 of the 153,300 bytes are beyond it, and need 491 ms at that pace.
        'reads the last sample kept before halfway when none is kept there',
        1022,
        'after the 491 ms allowed for the last 48.6 KiB'
      ]
    ])('%s', (_label, parts, allowance) => {
      // A clock that does not start at 0, as no real one does.
      vi.advanceTimersByTime(1000)
      const watch = new SendWatch(1000, never)
      // A part a millisecond: 200 bytes each for the first half of the parts, 100 after.
      watch.progress(0)
      for (let i = 1; i <= parts; i++) {
        vi.advanceTimersByTime(1)
        watch.progress(i <= parts / 2 ? 200 : 100)
      }
      watch.finished()
      expect(watch.describe()).toBe(
        `no progress and no answer for 1 s, ${allowance} still on the way to storage`
      )
      watch.stop()
    })
  })
})

describe('bufferedTail', () => {
  /** Samples and the end as [ms, bytes] pairs. */
  const at = ([ms, bytes]: readonly [number, number]): Sample => ({ ms, bytes })

  it.each<[string, [number, number][], [number, number], { bytes: number; ms: number }]>([
    [
      'is the bytes sent beyond storage pace from the start, and their time at that pace',
      [
        [0, 0],
        [0, 4096],
        [1000, 5096],
        [2000, 6096]
      ],
      [2000, 6096],
      { bytes: 4096, ms: 4096 }
    ],
    [
      // Middle 1100: 2,000 bytes in the last 1,000 ms, 2 bytes per ms.
      'takes the pace over the later half of the time, from the last sample at its middle',
      [
        [100, 0],
        [100, 4096],
        [600, 4596],
        [1100, 5096],
        [1600, 6096]
      ],
      [2100, 7096],
      { bytes: 3096, ms: 1548 }
    ],
    [
      'is nothing when the later half took no bytes: a stall is no pace to go by',
      [
        [0, 0],
        [100, 1000]
      ],
      [1000, 1000],
      { bytes: 0, ms: 0 }
    ],
    [
      'counts from the first sample, whatever it holds',
      [
        [0, 500],
        [0, 4596],
        [1000, 5596],
        [2000, 6596]
      ],
      [2000, 6596],
      { bytes: 4096, ms: 4096 }
    ],
    [
      'never counts more than MAX_BUFFERED_BYTES',
      [
        [0, 0],
        [0, 64 * MiB],
        [1000, 64 * MiB + 1000]
      ],
      [2000, 64 * MiB + 2000],
      { bytes: MAX_BUFFERED_BYTES, ms: MAX_BUFFERED_BYTES }
    ]
  ])('%s', (_label, samples, end, want) => {
    expect(bufferedTail(samples.map(at), at(end))).toEqual(want)
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
