import { describe, expect, it } from 'vitest'
import {
  allOf,
  capitalized,
  formatBytes,
  formatDuration,
  formatSpan
} from '../../src/core/format.ts'

const KiB = 1024
const MiB = 1024 ** 2
const GiB = 1024 ** 3
const TiB = 1024 ** 4

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1023.95, '1.00 KiB'],
    [KiB, '1.00 KiB'],
    [1536, '1.50 KiB'],
    [9.99 * KiB, '9.99 KiB'],
    [9.995 * KiB, '10.0 KiB'],
    [10 * KiB, '10.0 KiB'],
    [100.5 * KiB, '100.5 KiB'],
    [1023.95 * KiB, '1.00 MiB'],
    [MiB, '1.00 MiB'],
    [2.25 * MiB, '2.25 MiB'],
    [4 * GiB, '4.00 GiB'],
    [5 * GiB, '5.00 GiB'],
    [TiB, '1.00 TiB'],
    [2048 * TiB, '2048.0 TiB']
  ])('%s bytes → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text)
  })

  it('uses two decimals below 10 and one from 10 up', () => {
    expect(formatBytes(9.5 * KiB)).toMatch(/^9\.50 KiB$/)
    expect(formatBytes(99 * MiB)).toMatch(/^99\.0 MiB$/)
  })

  // Rounding must not produce a value that belongs to the next unit or the next precision:
  // 1 MiB - 1 byte is "1.00 MiB", not "1024.0 KiB"; 10 KiB - 1 byte is "10.0 KiB", not "10.00 KiB".
  it('never shows 1024 of a unit or two decimals at 10 after rounding', () => {
    expect(formatBytes(MiB - 1)).toBe('1.00 MiB')
    expect(formatBytes(GiB - 1)).toBe('1.00 GiB')
    expect(formatBytes(10 * KiB - 1)).toBe('10.0 KiB')
  })
})

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [1.4, '1 ms'],
    [850, '850 ms'],
    [999, '999 ms'],
    [999.4, '999 ms'],
    [999.5, '1.0 s'],
    [1000, '1.0 s'],
    [1200, '1.2 s'],
    [1250, '1.3 s'],
    [59_000, '59.0 s'],
    [59_949, '59.9 s'],
    [59_950, '1 min 0 s'],
    [60_000, '1 min 0 s'],
    [125_000, '2 min 5 s'],
    [185_000, '3 min 5 s'],
    [3_600_000, '60 min 0 s']
  ])('%s ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  // Rounding must carry into the larger unit: 119.6 s is "2 min 0 s", not "1 min 60 s".
  it('carries rounding into the next unit', () => {
    expect(formatDuration(119_600)).toBe('2 min 0 s')
    expect(formatDuration(59_960)).toBe('1 min 0 s')
    expect(formatDuration(999.7)).toBe('1.0 s')
  })
})

describe('allOf', () => {
  it.each([
    [1, 'the file'],
    [2, 'both files'],
    [3, 'all 3 files'],
    [1025, 'all 1025 files']
  ])('%i → %s', (count, text) => {
    expect(allOf(count, 'file')).toBe(text)
  })
})

describe('capitalized', () => {
  it('upper-cases the first letter only, and leaves an empty text alone', () => {
    expect(capitalized('both files')).toBe('Both files')
    expect(capitalized('All')).toBe('All')
    expect(capitalized('')).toBe('')
  })
})

describe('formatSpan', () => {
  it.each([
    [2000, '2 s'],
    [60_000, '60 s']
  ])('shows whole seconds in seconds: %d ms is %s', (ms, text) => {
    expect(formatSpan(ms)).toBe(text)
  })

  it.each([
    [1500, '1500 ms'],
    [300, '300 ms']
  ])('shows any other span in milliseconds: %d ms is %s', (ms, text) => {
    expect(formatSpan(ms)).toBe(text)
  })
})
