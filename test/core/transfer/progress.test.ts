import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Progress, progressLine, type ProgressState } from '../../../src/core/transfer/progress.ts'

const KiB = 1024
const MiB = 1024 ** 2
const GiB = 1024 ** 3

describe('progressLine', () => {
  it.each<{ name: string; state: ProgressState; line: string }>([
    {
      name: 'the documented example',
      state: {
        sentBytes: Math.round(1.2 * GiB),
        totalBytes: Math.round(3.4 * GiB),
        doneFiles: 3,
        totalFiles: 120,
        bytesPerSecond: Math.round(45.8 * MiB)
      },
      line: '… 1.20 GiB of 3.40 GiB sent (35%), 3 of 120 files done, 45.8 MiB/s'
    },
    {
      name: 'nothing sent yet',
      state: { sentBytes: 0, totalBytes: 10 * MiB, doneFiles: 0, totalFiles: 4, bytesPerSecond: 0 },
      line: '… 0 B of 10.0 MiB sent (0%), 0 of 4 files done, 0 B/s'
    },
    {
      name: 'a percentage that floors rather than rounds (999 of 1000)',
      state: { sentBytes: 999, totalBytes: 1000, doneFiles: 0, totalFiles: 1, bytesPerSecond: 999 },
      line: '… 999 B of 1000 B sent (99%), 0 of 1 files done, 999 B/s'
    },
    {
      name: 'two thirds (66%, not 67%)',
      state: { sentBytes: 2, totalBytes: 3, doneFiles: 1, totalFiles: 2, bytesPerSecond: 1 },
      line: '… 2 B of 3 B sent (66%), 1 of 2 files done, 1 B/s'
    },
    {
      name: 'everything sent',
      state: {
        sentBytes: 1536,
        totalBytes: 1536,
        doneFiles: 2,
        totalFiles: 2,
        bytesPerSecond: 512 * KiB
      },
      line: '… 1.50 KiB of 1.50 KiB sent (100%), 2 of 2 files done, 512.0 KiB/s'
    },
    {
      name: 'only empty files (0 total bytes is 100%)',
      state: { sentBytes: 0, totalBytes: 0, doneFiles: 1, totalFiles: 3, bytesPerSecond: 0 },
      line: '… 0 B of 0 B sent (100%), 1 of 3 files done, 0 B/s'
    }
  ])('formats $name', ({ state, line }) => {
    expect(progressLine(state)).toBe(line)
  })
})

describe('Progress', () => {
  let lines: string[] = []
  const print = (state: Readonly<ProgressState>): void => {
    lines.push(progressLine(state))
  }

  beforeEach(() => {
    lines = []
    // Progress reads performance.now() at construction and at every tick: it follows the fake
    // clock. (Faking `performance` itself leaves it faked for later files of a shared process.)
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
    vi.spyOn(performance, 'now').mockImplementation(() => Date.now())
  })

  afterEach(() => {
    vi.restoreAllMocks()
    vi.useRealTimers()
  })

  it('prints nothing before the first interval, then one line per interval', () => {
    const progress = new Progress({ bytes: 4 * MiB, files: 2 }, 1000, print)
    progress.sent(MiB)
    vi.advanceTimersByTime(999)
    expect(lines).toEqual([])
    vi.advanceTimersByTime(1)
    expect(lines).toHaveLength(1)
    vi.advanceTimersByTime(3000)
    expect(lines).toHaveLength(4)
    vi.advanceTimersByTime(500)
    expect(lines).toHaveLength(4)
    progress.stop()
  })

  it('prints nothing for a run shorter than one interval', () => {
    const progress = new Progress({ bytes: 100, files: 1 }, 5000, print)
    progress.sent(100)
    progress.fileDone()
    vi.advanceTimersByTime(4999)
    progress.stop()
    vi.advanceTimersByTime(60_000)
    expect(lines).toEqual([])
  })

  it('reports the bytes and files so far and the rate over the last interval', () => {
    const progress = new Progress({ bytes: 10 * MiB, files: 5 }, 1000, print)
    progress.sent(MiB)
    vi.advanceTimersByTime(1000)
    progress.sent(2 * MiB)
    progress.sent(MiB)
    progress.fileDone()
    vi.advanceTimersByTime(1000)
    vi.advanceTimersByTime(1000)
    progress.fileDone()
    progress.sent(6 * MiB)
    vi.advanceTimersByTime(1000)
    expect(lines).toEqual([
      '… 1.00 MiB of 10.0 MiB sent (10%), 0 of 5 files done, 1.00 MiB/s',
      '… 4.00 MiB of 10.0 MiB sent (40%), 1 of 5 files done, 3.00 MiB/s',
      '… 4.00 MiB of 10.0 MiB sent (40%), 1 of 5 files done, 0 B/s',
      '… 10.0 MiB of 10.0 MiB sent (100%), 2 of 5 files done, 6.00 MiB/s'
    ])
    progress.stop()
  })

  it('divides by the interval in seconds, not by one second', () => {
    const progress = new Progress({ bytes: MiB, files: 1 }, 250, print)
    progress.sent(256 * KiB)
    vi.advanceTimersByTime(250)
    expect(lines).toEqual(['… 256.0 KiB of 1.00 MiB sent (25%), 0 of 1 files done, 1.00 MiB/s'])
    progress.stop()
  })

  it('takes back the bytes of a rewound attempt, with no negative rate', () => {
    const progress = new Progress({ bytes: 8 * MiB, files: 1 }, 1000, print)
    progress.sent(4 * MiB)
    vi.advanceTimersByTime(1000)
    // The attempt failed: its 3 MiB must be sent again.
    progress.sent(-3 * MiB)
    vi.advanceTimersByTime(1000)
    progress.sent(2 * MiB)
    vi.advanceTimersByTime(1000)
    expect(lines).toEqual([
      '… 4.00 MiB of 8.00 MiB sent (50%), 0 of 1 files done, 4.00 MiB/s',
      '… 1.00 MiB of 8.00 MiB sent (12%), 0 of 1 files done, 0 B/s',
      '… 3.00 MiB of 8.00 MiB sent (37%), 0 of 1 files done, 2.00 MiB/s'
    ])
    progress.stop()
  })

  it('prints nothing after stop(), and leaves no timer behind', () => {
    const progress = new Progress({ bytes: 100, files: 1 }, 1000, print)
    progress.sent(50)
    vi.advanceTimersByTime(1000)
    expect(lines).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(1)
    progress.stop()
    expect(vi.getTimerCount()).toBe(0)
    progress.sent(50)
    progress.fileDone()
    vi.advanceTimersByTime(10_000)
    expect(lines).toHaveLength(1)
    // A second stop is harmless.
    progress.stop()
  })

  it('does not keep the process alive (its timer is unref-ed)', () => {
    const spy = vi.spyOn(globalThis, 'setInterval')
    const progress = new Progress({ bytes: 1, files: 1 }, 1000, print)
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout
    expect(timer.hasRef()).toBe(false)
    progress.stop()
    spy.mockRestore()
  })
})
