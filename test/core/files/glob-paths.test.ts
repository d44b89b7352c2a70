// The text of patterns and paths as @actions/glob 0.7.0 reads them: a relative pattern rooted at
// a directory whose own name stays literal, drive letters, drive-relative patterns and UNC roots,
// segments split and joined again, separators normalized and trimmed. The module fixes its
// platform when it loads, so each test loads it as POSIX or as Windows (with `path` the matching
// flavour), whatever the machine.
import os from 'node:os'
import type nodePath from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type * as globPaths from '../../../src/core/files/glob-paths.ts'

type GlobPaths = typeof globPaths

const PLATFORM = process.platform

/** The module as it loads on `platform`: process.platform and `path` swapped while it loads. */
async function loadOn(platform: 'linux' | 'win32'): Promise<GlobPaths> {
  const actual = await vi.importActual<typeof nodePath>('node:path')
  const flavour = platform === 'win32' ? actual.win32 : actual.posix
  vi.resetModules()
  vi.doMock('node:path', () => ({ ...flavour, default: flavour }))
  Object.defineProperty(process, 'platform', { value: platform, configurable: true })
  try {
    return await import('../../../src/core/files/glob-paths.ts')
  } finally {
    Object.defineProperty(process, 'platform', { value: PLATFORM, configurable: true })
    vi.doUnmock('node:path')
    vi.resetModules()
  }
}

const posix = (): Promise<GlobPaths> => loadOn('linux')
const windows = (): Promise<GlobPaths> => loadOn('win32')

describe('the platform', () => {
  it('is read when the module loads: POSIX keeps backslashes as part of a name', async () => {
    const { WINDOWS, normalizeSeparators, splitSegments } = await posix()
    expect(WINDOWS).toBe(false)
    expect(normalizeSeparators('a\\b//c')).toBe('a\\b/c')
    expect(splitSegments('/a\\b/c')).toEqual(['/', 'a\\b', 'c'])
  })

  it('is read when the module loads: Windows takes both separators', async () => {
    const { WINDOWS, normalizeSeparators, splitSegments } = await windows()
    expect(WINDOWS).toBe(true)
    expect(normalizeSeparators('a\\b//c')).toBe('a\\b\\c')
    expect(splitSegments('C:\\a/b')).toEqual(['C:\\', 'a', 'b'])
  })
})

describe('anchored', () => {
  it('keeps the root literal when a pattern names the root itself', async () => {
    const { anchored } = await posix()
    expect(anchored('.', '/ws[1]')).toBe('/ws[[]1]')
    expect(anchored('src/..', '/ws[1]')).toBe('/ws[[]1]')
  })

  it('escapes only the ancestor a .. climbs to, not a sibling whose name starts the same', async () => {
    const { anchored } = await posix()
    expect(anchored('../w[s]x/f', '/a/w[s]')).toBe('/a/w[s]x/f')
    expect(anchored('../w[s]/f', '/a/w[s]')).toBe('/a/w[[]s]/f')
  })
})

describe('absolutePattern on POSIX', () => {
  it('escapes a class of several characters in the root', async () => {
    const { absolutePattern } = await posix()
    expect(absolutePattern('x/*', '/ws[12]')).toBe('/ws[[]12]/x/*')
  })

  it('refuses ~ when the home directory is unknown', async () => {
    const { absolutePattern } = await posix()
    const home = vi.spyOn(os, 'homedir').mockReturnValue('')
    try {
      expect(() => absolutePattern('~/docs', '/ws')).toThrow('Unable to determine HOME directory')
    } finally {
      home.mockRestore()
    }
  })
})

describe('absolutePattern on Windows', () => {
  it('roots a bare drive at the cwd on that drive, with no trailing separator', async () => {
    const { absolutePattern } = await windows()
    expect(absolutePattern('C:', 'C:\\work\\repo')).toBe('C:\\work\\repo')
    expect(absolutePattern('c:docs', 'C:\\work\\repo')).toBe('c:\\work\\repo\\docs')
    expect(absolutePattern('D:', 'C:\\work\\repo')).toBe('D:\\')
    expect(absolutePattern('D:foo', 'C:\\work\\repo')).toBe('D:\\foo')
  })

  it('joins a relative pattern to a UNC cwd with a separator', async () => {
    const { absolutePattern } = await windows()
    expect(absolutePattern('src\\*', '\\\\server\\share\\dir')).toBe(
      '\\\\server\\share\\dir\\src\\*'
    )
  })

  it('refuses a drive-relative or root-relative pattern when the cwd is not on a drive', async () => {
    const { absolutePattern } = await windows()
    expect(() => absolutePattern('\\src', '\\\\server\\share')).toThrow(
      "Expected current directory to start with an absolute drive root. Actual '\\\\server\\share'"
    )
    expect(() => absolutePattern('C:src', '\\\\?\\C:\\work')).toThrow(
      "Expected current directory to start with an absolute drive root. Actual '\\\\?\\C:\\work'"
    )
  })

  it('keeps a pattern relative when a later segment looks like a drive', async () => {
    const { absolutePattern } = await windows()
    expect(absolutePattern('docs\\c:\\x', 'C:\\work')).toBe('C:\\work\\docs\\c:\\x')
  })
})

describe('splitSegments and joinSegments', () => {
  it('splits a relative POSIX path into its names alone', async () => {
    const { splitSegments } = await posix()
    expect(splitSegments('a/b/')).toEqual(['a', 'b'])
    expect(splitSegments('/a/b/')).toEqual(['/', 'a', 'b'])
  })

  it('splits a relative Windows path into its names alone', async () => {
    const { splitSegments } = await windows()
    expect(splitSegments('src\\lib')).toEqual(['src', 'lib'])
    expect(splitSegments('docs\\c:x')).toEqual(['docs', 'c:x'])
  })

  it('takes a bare drive as the root and joins the next name to it without a separator', async () => {
    const { joinSegments, splitSegments } = await windows()
    expect(splitSegments('C:docs\\x')).toEqual(['C:', 'docs', 'x'])
    expect(joinSegments(['C:', 'docs', 'x'])).toBe('C:docs\\x')
  })

  it.each([
    'C:\\work\\repo',
    'C:docs\\x',
    'C:\\',
    '\\work',
    '\\\\server\\share\\dir',
    'src\\lib',
    'notes:\\x'
  ])('joins the segments of %s back into it on Windows', async (p) => {
    const { joinSegments, splitSegments } = await windows()
    expect(joinSegments(splitSegments(p))).toBe(p)
  })
})

describe('separators', () => {
  it('collapses any run of slashes on POSIX', async () => {
    const { normalizeSeparators } = await posix()
    expect(normalizeSeparators('/a///b////c')).toBe('/a/b/c')
  })

  it('drops a trailing separator on Windows unless it is the root’s own', async () => {
    const { trimTrailingSeparator } = await windows()
    expect(trimTrailingSeparator('C:\\')).toBe('C:\\')
    expect(trimTrailingSeparator('\\')).toBe('\\')
    expect(trimTrailingSeparator('C:\\work\\')).toBe('C:\\work')
    expect(trimTrailingSeparator('docs\\c:\\')).toBe('docs\\c:')
  })
})
