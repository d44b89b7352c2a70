// src/core/files/glob.ts against @actions/glob 0.7.0 on Windows paths: drive letters, drive-relative
// patterns, UNC roots, `\` as the separator, and case, under the dozen option sets of
// test/core/files/glob.test.ts.
//
// Both engines are made to believe they run on Windows. @actions/glob runs in a child process that
// preloads a hook: it sets process.platform to win32 and, for @actions/glob's own modules, swaps
// `path` for path.win32 and `fs` for one that maps `C:\…` and `\\host\…` onto a folder here. Its
// answers are kept on disk between runs (test/support/glob-tree.ts), as they never change. Our
// engine loads in this process with the same swaps, where mutation testing reaches it.
import { execFile } from 'node:child_process'
import type nodeFs from 'node:fs'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { glob as Glob, GlobOptions } from '../../../src/core/files/glob.ts'
import { comparedName, kept, LINKS, OPTION_BITS, optionsOf } from '../../support/glob-tree.ts'
import { windowsPromises } from '../../support/windows-fs.ts'

/** The dozen option sets of test/core/files/glob.test.ts. */
const OPTION_SETS = OPTION_BITS.map(optionsOf)

const PLATFORM = process.platform

/** The fake drives' module, which the child imports too. */
const WINDOWS_FS_MODULE = new URL('../../support/windows-fs.ts', import.meta.url).href

/** The child's preload: Windows for @actions/glob, through data: modules for `path` and `fs`. */
const HOOK = String.raw`
  import { registerHooks } from 'node:module'
  Object.defineProperty(process, 'platform', { value: 'win32' })
  const shims = new Map([['path', process.env.SHIM_PATH], ['fs', process.env.SHIM_FS]])
  registerHooks({
    resolve(specifier, context, next) {
      const shim = shims.get(specifier.replace(/^node:/, ''))
      return shim && /@actions\/glob\//.test(context.parentURL ?? '')
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
  const { windowsPromises } = await import(process.env.WINDOWS_FS_MODULE)
  const promises = windowsPromises(process.env.WINDOWS_FS)
  export * from 'node:fs'
  export { promises }
  export default { ...fs, promises }`
/** The child's program: every case under every option set, its answers as JSON on stdout. */
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

const CASES = [
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
  'src\\..\\x',
  '*\\{index,util}.ts',
  '*\\+(index).ts',
  '\\\\\\server\\share\\dir\\*',
  'docs\\c:x',
  'C:\\work\\repo\\src\\\\\\lib\\**',
  'straße\\*\nSTRASSE\\x\\*'
]

interface Answer {
  patterns: string
  options: GlobOptions
  theirs: unknown
}

let base = ''

/** The fake drives: files, and links to a file, to a folder and to nowhere. */
beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'core-glob-windows-'))
  for (const file of FAKE_FILES) {
    await fs.mkdir(path.dirname(path.join(base, file)), { recursive: true })
    await fs.writeFile(path.join(base, file), file)
  }
  await fs.mkdir(path.join(base, 'C/work/repo/links'))
  for (const [link, target] of LINKS.slice(1, 4)) {
    await fs.symlink(target, path.join(base, 'C/work/repo', link))
  }
})

afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true })
})

/** @actions/glob's answers, from a child process that believes it runs on Windows. */
async function theirAnswers(): Promise<Answer[]> {
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
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      maxBuffer: 64 * 1024 ** 2,
      env: {
        ...process.env,
        HOME: 'C:\\Users\\me',
        WINDOWS_FS: base,
        WINDOWS_FS_MODULE: WINDOWS_FS_MODULE,
        SHIM_PATH,
        SHIM_FS,
        CASES: JSON.stringify(CASES),
        OPTION_SETS: JSON.stringify(OPTION_SETS)
      }
    }
  )
  return JSON.parse(stdout) as Answer[]
}

/** @actions/glob's answer with its error's class named as comparisons name it. */
function comparable(theirs: unknown): unknown {
  const answer = theirs as { error?: string; code?: string }
  if (typeof answer.error !== 'string') return theirs
  const [name = '', ...rest] = answer.error.split(': ')
  const code = answer.code === 'ERR_ASSERTION' ? undefined : answer.code
  return { ...answer, error: [comparedName(name), ...rest].join(': '), code }
}

/** Our engine as it loads on Windows: the platform, `path` and `fs` swapped as in the child. */
async function windowsGlob(): Promise<typeof Glob> {
  const posix = await vi.importActual<typeof path>('node:path')
  const realFs = await vi.importActual<typeof nodeFs>('node:fs')
  const promises = windowsPromises(base)
  vi.resetModules()
  vi.doMock('node:path', () => ({ ...posix.win32, default: posix.win32 }))
  const fsModule = { ...realFs, promises, default: { ...realFs, promises } }
  vi.doMock('node:fs', () => fsModule)
  vi.doMock('fs', () => fsModule)
  Object.defineProperty(process, 'platform', { value: 'win32', configurable: true })
  try {
    return (await import('../../../src/core/files/glob.ts')).glob
  } finally {
    Object.defineProperty(process, 'platform', { value: PLATFORM, configurable: true })
    vi.doUnmock('node:path')
    vi.doUnmock('node:fs')
    vi.doUnmock('fs')
    vi.resetModules()
  }
}

describe('glob on a simulated Windows, differentially', () => {
  it('agrees with @actions/glob on Windows paths', async () => {
    const answers = await kept('core-glob-windows', [FAKE_FILES, CASES, OPTION_SETS], theirAnswers)
    expect(answers).toHaveLength(CASES.length * OPTION_SETS.length)
    expect(
      answers.filter(({ theirs }) => JSON.stringify(theirs).includes('.ts')).length
    ).toBeGreaterThan(100)
    const windows = await windowsGlob()
    const cwd = vi.spyOn(process, 'cwd').mockReturnValue('C:\\work\\repo')
    vi.stubEnv('HOME', 'C:\\Users\\me')
    vi.stubEnv('USERPROFILE', 'C:\\Users\\me')
    try {
      const failure = (error: Error & { code?: string }) => ({
        error: `${comparedName(error.name)}: ${error.message}`,
        code: error.code === 'ERR_ASSERTION' ? undefined : error.code
      })
      for (const { patterns, options, theirs } of answers) {
        const ours = await windows(patterns, options).then(
          ({ files, searchPaths }) => ({ files, searchPaths }),
          failure
        )
        expect(JSON.parse(JSON.stringify(ours)), JSON.stringify({ patterns, options })).toEqual(
          comparable(theirs)
        )
      }
    } finally {
      cwd.mockRestore()
      vi.unstubAllEnvs()
    }
  })
})
