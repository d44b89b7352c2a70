// The syntax of the `files` setting: one pattern a line (split as the platform splits lines),
// blanks and `#` comments skipped, each leading `!` flipping the pattern into an exclusion.
import { describe, expect, it } from 'vitest'
import { parsePatternLines } from '../../../src/core/settings/patterns.ts'

const PLATFORM = process.platform

/** `run`'s result with process.platform set to `platform` while it runs. */
function on<T>(platform: NodeJS.Platform, run: () => T): T {
  Object.defineProperty(process, 'platform', { value: platform, configurable: true })
  try {
    return run()
  } finally {
    Object.defineProperty(process, 'platform', { value: PLATFORM, configurable: true })
  }
}

const bodies = (text: string | readonly string[], windows?: boolean): string[] =>
  parsePatternLines(text, windows).map((line) => line.body)

describe('parsePatternLines', () => {
  it('splits on \\r and \\r\\n too when running on Windows, and only on \\n elsewhere', () => {
    expect(on('win32', () => bodies('a\rb\r\nc\nd'))).toEqual(['a', 'b', 'c', 'd'])
    expect(on('linux', () => bodies('a\rb\r\nc\nd'))).toEqual(['a\rb', 'c', 'd'])
  })

  it('splits as told, whatever the platform', () => {
    expect(on('linux', () => bodies('a\rb', true))).toEqual(['a', 'b'])
    expect(on('win32', () => bodies('a\rb', false))).toEqual(['a\rb'])
  })

  it('takes an array as one line per entry', () => {
    expect(parsePatternLines(['dist/**', '!dist/*.map', '# note'])).toEqual([
      { text: 'dist/**', negate: false, body: 'dist/**' },
      { text: '!dist/*.map', negate: true, body: 'dist/*.map' }
    ])
  })
})
