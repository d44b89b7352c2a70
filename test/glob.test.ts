import { create } from '@actions/glob'
import fc from 'fast-check'
import { execFile } from 'node:child_process'
import type nodeFs from 'node:fs'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { glob, type GlobOptions } from '../src/core/glob.ts'

/** Regular files of the tree: nesting, hidden files and dirs, and names glob syntax could trip on. */
const FILES = [
  'a.txt',
  'b.js',
  'README.md',
  '.hidden.txt',
  '.hdir/x.txt',
  '.hdir/sub/y.txt',
  'src/index.ts',
  'src/util.ts',
  'src/.env',
  'src/lib/deep/file.ts',
  'src/lib/deep/file.test.ts',
  'src/lib/.cache/c.ts',
  'docs/guide.md',
  'docs/api/ref.md',
  'odd/space name.txt',
  'odd/[brackets].txt',
  'odd/[b].txt',
  'odd/{braces}.txt',
  'odd/ünï cödé.txt',
  'odd/日本.md',
  'odd/#hash.txt',
  'odd/!bang.txt',
  'odd/a*b.txt',
  'odd/q?.txt',
  'odd/+(ext).txt',
  'odd/back\\slash.txt'
]

/** Link → target: to a file, to a dir, broken, and two cycles (a dir link to its own dir, and to its parent). */
const LINKS: [string, string][] = [
  ['links/file-link', '../a.txt'],
  ['links/dir-link', '../src'],
  ['links/broken', '../missing-target'],
  ['links/loop', '.'],
  ['src/lib/up', '..']
]

/** Pattern sets; `<root>` is the escaped tree root (also the cwd and HOME), `<scratch>` its parent. */
const CASES: [string, string][] = [
  ['everything', '**'],
  ['top level', '*'],
  ['extension at top', '*.txt'],
  ['extension anywhere', '**/*.ts'],
  ['a directory', 'src'],
  ['a directory, trailing slash', 'src/'],
  ['globstar below a directory', 'src/**'],
  ['globstar with trailing slash', 'src/**/'],
  ['one level', 'src/*'],
  ['directories one level down', '*/'],
  ['exclusion', 'src/**/*.ts\n!src/**/*.test.ts'],
  ['re-inclusion after exclusion', '**\n!src/**\nsrc/lib/**'],
  ['double negation includes', '!!src/*.ts'],
  ['triple negation excludes', 'src/**\n!!!src/util.ts'],
  ['exclusion only', '!src/**'],
  ['comments and blanks', '# comment\n\n   src/index.ts   \n#src/util.ts\n  # indented comment'],
  ['negated hash is a pattern', '!#hash.txt\nodd/*'],
  ['one file', 'a.txt'],
  ['dot-slash file', './a.txt'],
  ['dot', '.'],
  ['dot-slash glob', './src/**/*.ts'],
  ['every odd name', 'odd/*'],
  ['escaped bracket', 'odd/[[]brackets].txt'],
  ['single-char class', 'odd/[b].txt\nsrc/[i]ndex.ts'],
  ['class', 'odd/[!a-z]*\n[ds]*/*.md'],
  ['braces are literal', 'odd/{braces}.txt'],
  ['hash and bang names', 'odd/#hash.txt\nodd/!bang.txt'],
  ['escaped wildcards', 'odd/a\\*b.txt\nodd/q\\?.txt'],
  ['extglob is literal', 'odd/+(ext).txt'],
  ['space and unicode', 'odd/space name.txt\nodd/ünï cödé.txt\nodd/日本.md'],
  ['question mark', 's?c/index.ts\n???.md'],
  ['hidden dir', '.hdir/**'],
  ['hidden anywhere', '**/.*'],
  ['hidden file', '.hidden.txt'],
  ['links', 'links/*'],
  ['below links', 'links/**'],
  ['through a dir link', 'links/dir-link/**'],
  ['a file link', 'links/file-link'],
  ['a broken link', 'links/broken'],
  ['a cycle', 'links/loop/**'],
  ['cycle to the parent', 'src/lib/**'],
  ['empty dir', 'empty\nempty/**'],
  ['missing paths', 'missing/**\nmissing.txt\nmissing/dir/'],
  ['matches nothing', 'nothing*.xyz\nsrc/*.nope'],
  ['nested search paths', 'src/lib/**\nsrc/**\nsrc/lib/deep/file.ts'],
  ['same search path twice', 'docs/api/ref.md\ndocs/**/*.md\ndocs/*.md'],
  ['directory by name', '**/deep\n*/*/deep/'],
  ['absolute', '<root>/docs/**\n<root>/src/*.ts'],
  ['absolute, doubled slashes', '<root>//docs///api/'],
  ['home', '~/docs/*.md\n~/src'],
  ['tilde alone', '~\n!~/links/**'],
  ['tilde without slash is relative', '~docs'],
  ['outside the cwd', '<scratch>/*'],
  ['not a directory', 'a.txt/x'],
  ['self-referencing link', '<scratch>/eloop/**'],
  ['empty negation', '!'],
  ['dot-dot', 'src/../a.txt'],
  ['inner dot', 'src/./index.ts']
]

/** Every combination of the five options. */
const OPTION_SETS: GlobOptions[] = Array.from({ length: 32 }, (_, bits) => ({
  followSymbolicLinks: (bits & 1) > 0,
  implicitDescendants: (bits & 2) > 0,
  matchDirectories: (bits & 4) > 0,
  omitBrokenSymbolicLinks: (bits & 8) > 0,
  excludeHiddenFiles: (bits & 16) > 0
}))

/** What one glob produced: its result and debug lines, or what it threw. */
type Outcome =
  | { files: string[]; searchPaths: string[]; debug: string[] }
  | { error: string; code: unknown; debug: string[] }

let scratch = ''
/** The tree; its name holds glob syntax, which relative patterns must treat literally. */
let root = ''
let cwdBefore = ''

beforeAll(async () => {
  cwdBefore = process.cwd()
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'glob-'))
  root = path.join(scratch, 'cw[d] *? {x}\\')
  for (const file of FILES) {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true })
    await fs.writeFile(path.join(root, file), file)
  }
  await fs.mkdir(path.join(root, 'links'))
  for (const [link, target] of LINKS) await fs.symlink(target, path.join(root, link))
  await fs.mkdir(path.join(root, 'empty'))
  await fs.mkdir(path.join(scratch, 'eloop'))
  await fs.symlink('self', path.join(scratch, 'eloop', 'self'))
  process.chdir(root)
  vi.stubEnv('HOME', root)
})

afterAll(async () => {
  process.chdir(cwdBefore)
  vi.unstubAllEnvs()
  await fs.rm(scratch, { recursive: true, force: true })
})

/** Backslash-escapes what POSIX glob syntax would otherwise read. */
function escapeGlob(text: string): string {
  return text.replace(/[\\*?[]/g, '\\$&')
}

/** Puts the tree's paths, escaped, into a case's patterns. */
function fill(template: string): string {
  return template
    .replaceAll('<root>', escapeGlob(root))
    .replaceAll('<scratch>', escapeGlob(scratch))
}

/** What is compared of a thrown error: the class name, message and fs code. */
function failure(error: unknown, debug: string[]): Outcome {
  const { name, message, code } = error as NodeJS.ErrnoException
  return { error: `${name}: ${message}`, code, debug }
}

/** @actions/glob's result, with its `::debug::` output captured instead of printed. */
async function reference(patterns: string, options: GlobOptions): Promise<Outcome> {
  let output = ''
  const write = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      output += String(chunk)
      return true
    })
  try {
    const globber = await create(patterns, options)
    const files = await globber.glob()
    return { files, searchPaths: globber.getSearchPaths(), debug: debugLines(output) }
  } catch (error) {
    return failure(error, debugLines(output))
  } finally {
    write.mockRestore()
  }
}

/**
 * The messages of `::debug::` commands, without the options block @actions/glob repeats when
 * glob() starts (our engine logs the options once).
 */
function debugLines(output: string): string[] {
  const lines = output
    .split(os.EOL)
    .filter(Boolean)
    .map((line) => line.replace(/^::debug::/, '').replace(/%0D|%0A|%25/g, decodeURIComponent))
  const repeated = lines.slice(5, 10).join('\n') === lines.slice(0, 5).join('\n')
  return repeated ? [...lines.slice(0, 5), ...lines.slice(10)] : lines
}

/** Our engine's result, with the lines it reported through onDebug. */
async function ours(patterns: string, options: GlobOptions): Promise<Outcome> {
  const debug: string[] = []
  try {
    return { ...(await glob(patterns, { ...options, onDebug: (line) => debug.push(line) })), debug }
  } catch (error) {
    return failure(error, debug)
  }
}

describe('glob, differentially against @actions/glob 0.7.0', () => {
  it.each(CASES)('%s', async (_name, template) => {
    const patterns = fill(template)
    for (const options of OPTION_SETS) {
      const expected = await reference(patterns, options)
      expect(await ours(patterns, options), JSON.stringify(options)).toEqual(expected)
    }
  })

  it('runs on a tree that has what the cases need: links, cycles, and errors', async () => {
    const options = OPTION_SETS[31]!
    const all = await reference('**', options)
    expect(all).toMatchObject({
      files: expect.arrayContaining([path.join(root, 'links/dir-link/index.ts')])
    })
    expect(all).not.toMatchObject({
      files: expect.arrayContaining([path.join(root, 'links/loop/b.js')])
    })
    expect(
      await reference('links/*', { ...options, omitBrokenSymbolicLinks: false })
    ).toMatchObject({
      error: expect.stringContaining('broken symbolic link')
    })
    expect(await reference(fill('<scratch>/eloop/*'), options)).toMatchObject({ code: 'ELOOP' })
  })

  it('agrees on random patterns built from the tree', async () => {
    const piece = fc.constantFrom(
      ...['src', 'lib', 'deep', 'docs', 'api', 'odd', 'links', 'dir-link', 'loop', 'up', 'empty'],
      ...['.hdir', 'a.txt', 'file.ts', '[[]brackets].txt', '#hash.txt', '!bang.txt', 'missing'],
      ...['*', '**', '*.ts', '*.md', '?', '[ab]*', 'f*', '.*', '*e*', '[!.]*', '**/']
    )
    const prefix = fc.constantFrom('', '', '', '!', '!!', '#', './', '~/', `${escapeGlob(root)}/`)
    const line = fc
      .tuple(prefix, fc.array(piece, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '/'))
      .map(([start, pieces, end]) => start + pieces.join('/') + end)
    const patterns = fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'))
    const options = fc.constantFrom(...OPTION_SETS)
    await fc.assert(
      fc.asyncProperty(patterns, options, async (p, o) => {
        expect(await ours(p, o)).toEqual(await reference(p, o))
      }),
      { seed: 20_250_101, numRuns: 300 }
    )
  })
})

describe('glob, as a library', () => {
  const options: GlobOptions = {
    followSymbolicLinks: true,
    implicitDescendants: true,
    matchDirectories: false,
    omitBrokenSymbolicLinks: true,
    excludeHiddenFiles: false
  }

  it('writes nothing to stdout or stderr and reports debug lines through onDebug', async () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    const lines: string[] = []
    try {
      await glob('links/*\nmissing/**', options)
      await glob('links/*\nmissing/**', { ...options, onDebug: (line) => lines.push(line) })
      expect(stdout).not.toHaveBeenCalled()
      expect(stderr).not.toHaveBeenCalled()
    } finally {
      stdout.mockRestore()
      stderr.mockRestore()
    }
    const [links, src] = [path.join(root, 'links'), path.join(root, 'src')]
    expect(lines.slice(0, 7)).toEqual([
      "followSymbolicLinks 'true'",
      "implicitDescendants 'true'",
      "matchDirectories 'false'",
      "omitBrokenSymbolicLinks 'true'",
      "excludeHiddenFiles 'false'",
      `Search path '${links}'`,
      `Search path '${path.join(root, 'missing')}'`
    ])
    // The walk's lines come in readdir order, which the filesystem decides.
    expect(lines.slice(7).sort()).toEqual(
      [
        `Broken symlink '${links}/broken'`,
        `Symlink cycle detected for path '${links}/loop' and realpath '${links}'`,
        `Symlink cycle detected for path '${links}/dir-link/lib/up' and realpath '${src}'`
      ].sort()
    )
  })

  it('rejects with the fs error code on a self-referencing link', async () => {
    await expect(glob(`${escapeGlob(scratch)}/eloop/*`, options)).rejects.toMatchObject({
      code: 'ELOOP'
    })
  })

  it('throws on a broken link unless told to omit it', async () => {
    await expect(glob('links/*', { ...options, omitBrokenSymbolicLinks: false })).rejects.toThrow(
      /This may indicate a broken symbolic link/
    )
  })
})

/**
 * Windows semantics (drive letters, UNC roots, `\`, case) can only be checked on Linux by making
 * both engines believe they run on Windows: a child process preloads a hook that sets
 * process.platform to win32 and, for @actions/glob and src/core/glob.ts only, swaps `path` for
 * path.win32 and `fs` for one that maps `C:\…` and `\\host\…` onto a directory here.
 */
const PLATFORM = process.platform

describe('glob on a simulated Windows, differentially', () => {
  const HOOK = String.raw`
    import { registerHooks } from 'node:module'
    Object.defineProperty(process, 'platform', { value: 'win32' })
    const shims = new Map([['path', process.env.SHIM_PATH], ['fs', process.env.SHIM_FS]])
    registerHooks({
      resolve(specifier, context, next) {
        const shim = shims.get(specifier.replace(/^node:/, ''))
        return shim && /@actions\/glob\/|src\/core\/glob\.ts$/.test(context.parentURL ?? '')
          ? { url: 'data:text/javascript,' + encodeURIComponent(shim), shortCircuit: true }
          : next(specifier, context)
      }
    })`
  const SHIM_PATH = String.raw`
    import path from 'node:path'
    const { win32 } = path
    export default win32
    export const { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } = win32`
  const SHIM_FS = String.raw`
    import fs from 'node:fs'
    import path from 'node:path'
    const base = process.env.WINDOWS_FS
    const toPosix = (p) => {
      const drive = /^([A-Za-z]):\\(.*)$/.exec(p)
      if (drive) return path.join(base, drive[1].toUpperCase(), ...drive[2].split('\\'))
      const unc = /^\\\\(.*)$/.exec(p)
      return unc ? path.join(base, 'UNC', ...unc[1].split('\\')) : p
    }
    const toWindows = (p) => {
      const [top, ...rest] = path.relative(base, p).split('/')
      return (top === 'UNC' ? '\\\\' : top + ':\\') + rest.join('\\')
    }
    const { lstat, stat, readdir, realpath } = fs.promises
    export * from 'node:fs'
    export const promises = {
      lstat: (p) => lstat(toPosix(p)),
      stat: (p) => stat(toPosix(p)),
      readdir: (p) => readdir(toPosix(p)),
      realpath: async (p) => toWindows(await realpath(toPosix(p)))
    }
    export default { ...fs, promises }`
  const RUN = String.raw`
    process.cwd = () => 'C:\\work\\repo'
    const { create } = await import('@actions/glob')
    const failure = (error) => ({ error: error.name + ': ' + error.message, code: error.code })
    const results = []
    for (const patterns of JSON.parse(process.env.CASES)) {
      for (const options of JSON.parse(process.env.OPTION_SETS)) {
        const write = process.stdout.write
        process.stdout.write = () => true
        let theirs
        try {
          const globber = await create(patterns, options)
          theirs = { files: await globber.glob(), searchPaths: globber.getSearchPaths() }
        } catch (error) {
          theirs = failure(error)
        } finally {
          process.stdout.write = write
        }
        results.push({ patterns, options, theirs })
      }
    }
    process.stdout.write(JSON.stringify(results))`

  /**
   * Our engine as it loads on Windows, in this process (where mutation testing reaches it): the
   * platform, `path` and `fs` are swapped as the child's hook swaps them for @actions/glob.
   */
  async function windowsGlob(base: string): Promise<typeof glob> {
    const posix = await vi.importActual<typeof path>('node:path')
    const realFs = await vi.importActual<typeof nodeFs>('node:fs')
    const toPosix = (p: string): string => {
      const drive = /^([A-Za-z]):\\(.*)$/.exec(p)
      if (drive)
        return posix.join(base, (drive[1] ?? '').toUpperCase(), ...(drive[2] ?? '').split('\\'))
      const unc = /^\\\\(.*)$/.exec(p)
      return unc ? posix.join(base, 'UNC', ...(unc[1] ?? '').split('\\')) : p
    }
    const toWindows = (p: string): string => {
      const [top, ...rest] = posix.relative(base, p).split('/')
      return (top === 'UNC' ? '\\\\' : `${top}:\\`) + rest.join('\\')
    }
    const { lstat, stat, readdir, realpath } = realFs.promises
    const promises = {
      lstat: (p: string) => lstat(toPosix(p)),
      stat: (p: string) => stat(toPosix(p)),
      readdir: (p: string) => readdir(toPosix(p)),
      realpath: async (p: string) => toWindows(await realpath(toPosix(p)))
    }
    vi.resetModules()
    vi.doMock('node:path', () => ({ ...posix.win32, default: posix.win32 }))
    const fsModule = { ...realFs, promises, default: { ...realFs, promises } }
    vi.doMock('node:fs', () => fsModule)
    vi.doMock('fs', () => fsModule)
    Object.defineProperty(process, 'platform', { value: 'win32', configurable: true })
    try {
      return (await import('../src/core/glob.ts')).glob
    } finally {
      Object.defineProperty(process, 'platform', { value: PLATFORM, configurable: true })
      vi.doUnmock('node:path')
      vi.doUnmock('node:fs')
      vi.doUnmock('fs')
      vi.resetModules()
    }
  }

  /** Drive C: holds the cwd `C:\work\repo` and HOME `C:\Users\me`; there is a D: and a UNC share. */
  const FAKE_FILES = [
    'C/work/repo/src/index.ts',
    'C/work/repo/src/lib/deep/file.ts',
    'C/work/repo/docs/guide.md',
    'C/work/repo/Mixed/Case.TXT',
    'C/work/repo/.hidden/x.txt',
    'C/Users/me/docs/home.md',
    'D/foo/bar.txt',
    'UNC/server/share/dir/a.txt'
  ]
  const CASES_WINDOWS = [
    '**',
    'src\\**\\*.ts',
    'src/**/*.ts',
    'src\\*.TS',
    'SRC\\**\nsrc\\lib\\**',
    'mixed\\*.txt\nMixed\\*.txt',
    'mixed\\case.txt',
    'src\\\\\\lib',
    'src/lib/\nsrc\\lib\\',
    '.\\src\\lib',
    '**\n!src\\lib\\**',
    '!!src\\index.ts\r!docs\\**\r\ndocs\\*.md',
    'links\\**',
    'links\\*',
    '[s]rc\\index.ts',
    'C:\\work\\repo\\docs\\**',
    'c:\\work\\repo\\docs\\*.md',
    'C:docs\\*.md',
    'c:docs\\*.md\nc:',
    'C:',
    'D:foo',
    'D:\\foo\\*',
    '\\work\\repo\\src',
    '\\',
    'C:\\*',
    '~\\docs',
    '~',
    '\\\\server\\share\\dir\\*',
    '\\\\server\\share',
    '\\\\server',
    '\\\\h*st\\share\\x',
    'src\\..\\x'
  ]

  it('agrees with @actions/glob on Windows paths', async () => {
    const base = path.join(scratch, 'windows')
    for (const file of FAKE_FILES) {
      await fs.mkdir(path.dirname(path.join(base, file)), { recursive: true })
      await fs.writeFile(path.join(base, file), file)
    }
    await fs.mkdir(path.join(base, 'C/work/repo/links'))
    for (const [link, target] of LINKS.slice(1, 4)) {
      await fs.symlink(target, path.join(base, 'C/work/repo', link))
    }
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        `data:text/javascript,${encodeURIComponent(HOOK)}`,
        '--input-type=module',
        '--eval',
        RUN
      ],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        maxBuffer: 64 * 1024 ** 2,
        env: {
          ...process.env,
          HOME: 'C:\\Users\\me',
          WINDOWS_FS: base,
          SHIM_PATH,
          SHIM_FS,
          CASES: JSON.stringify(CASES_WINDOWS),
          OPTION_SETS: JSON.stringify(OPTION_SETS)
        }
      }
    )
    const results = JSON.parse(stdout) as {
      patterns: string
      options: GlobOptions
      theirs: unknown
    }[]
    expect(results).toHaveLength(CASES_WINDOWS.length * OPTION_SETS.length)
    const windows = await windowsGlob(base)
    const cwd = vi.spyOn(process, 'cwd').mockReturnValue('C:\\work\\repo')
    vi.stubEnv('HOME', 'C:\\Users\\me')
    vi.stubEnv('USERPROFILE', 'C:\\Users\\me')
    try {
      for (const { patterns, options, theirs } of results) {
        const failure = (error: Error & { code?: string }) => ({
          error: `${error.name}: ${error.message}`,
          code: error.code
        })
        const ours = await windows(patterns, options).catch(failure)
        expect(JSON.parse(JSON.stringify(ours)), JSON.stringify({ patterns, options })).toEqual(
          theirs
        )
      }
    } finally {
      cwd.mockRestore()
      vi.unstubAllEnvs()
    }
    expect(
      results.filter(({ theirs }) => JSON.stringify(theirs).includes('.ts')).length
    ).toBeGreaterThan(100)
  })
})
