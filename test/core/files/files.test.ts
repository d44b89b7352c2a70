// Which local files a run takes and what it names them: findFiles against a tree of hidden,
// nested, linked and oddly named files, and through uploadFiles on a dry run (no request); the
// patterns relative to the glob's root, the common root and relative names on POSIX and Windows,
// the MIME type by extension, and the hash of a file already in the project.
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { InputError } from '../../../src/core/errors.ts'
import {
  hashFile,
  commonRoot,
  findFiles,
  MAX_FILE_BYTES,
  mimeTypeOf,
  relativeName,
  type LocalFile
} from '../../../src/core/files/files.ts'
import { glob } from '../../../src/core/files/glob.ts'
import { mimeTypeOf as typeByExtension } from '../../../src/core/files/mime.ts'
import type { UploadResult } from '../../../src/core/run.ts'
import { parsePatternLines } from '../../../src/core/settings/patterns.ts'
import { uploadFiles } from '../../../src/lib/upload-files.ts'

/** Every temp directory of this file lives under this one, removed at the end. */
let scratch = ''
/** The main workspace, with the tree below. */
let ws = ''

/** Relative path → contents. Hidden files and dirs, nesting, spaces and non-ASCII names. */
const TREE: Record<string, string> = {
  'dist/app.js': 'console.log(1)\n',
  'dist/app.js.map': '{"version":3}',
  'dist/data.json': '{"a":1}',
  'dist/notes.txt': 'hello',
  'dist/empty.txt': '',
  'dist/archive.zip': 'PK\u0003\u0004',
  'dist/blob.unknownext': 'x',
  'dist/Makefile': 'all:\n',
  'dist/sub/deep/util.js': 'export {}\n',
  'dist/sub/deep/util.js.map': '{}',
  'dist/.env': 'SECRET=1',
  'dist/.cache/c.txt': 'cached',
  '.hidden-top.txt': 'h',
  '.github/workflow.yml': 'on: push',
  '.github/deep/ci.yml': 'on: pull_request',
  'dir with spaces/my file.txt': 'spaces',
  'ñandú/日本語.json': '[]',
  'ñandú/Ünïcode file.txt': 'u'
}

async function makeTree(files: Record<string, string>, prefix = 'ws-'): Promise<string> {
  const root = await fs.mkdtemp(path.join(scratch, prefix))
  for (const [name, contents] of Object.entries(files)) {
    const file = path.join(root, name)
    await fs.mkdir(path.dirname(file), { recursive: true })
    await fs.writeFile(file, contents)
  }
  return root
}

async function find(
  patterns: string,
  workspace = ws,
  includeHiddenFiles = false
): Promise<LocalFile[]> {
  const lines = parsePatternLines(patterns)
  return (await findFiles({ patterns: lines, workspace, includeHiddenFiles, face: 'action' })).files
}

const names = (files: LocalFile[]): string[] => files.map((file) => file.name)
const paths = (files: LocalFile[]): string[] => files.map((file) => file.path)

/** Expects `promise` to reject with an InputError and returns it. */
async function rejectsWithInputError(promise: Promise<unknown>): Promise<InputError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason
  )
  expect(error).toBeInstanceOf(InputError)
  return error as InputError
}

function hasMkfifo(): boolean {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'files-test-'))
  ws = await makeTree(TREE)
})

afterAll(async () => {
  if (scratch) await fs.rm(scratch, { recursive: true, force: true })
})

// findFiles logs skipped entries with core.debug, which writes to stdout.
beforeEach(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
})
afterEach(() => {
  vi.restoreAllMocks()
})

const VISIBLE_DIST = [
  'Makefile',
  'app.js',
  'app.js.map',
  'archive.zip',
  'blob.unknownext',
  'data.json',
  'empty.txt',
  'notes.txt',
  'sub/deep/util.js',
  'sub/deep/util.js.map'
]

describe('findFiles', () => {
  it('takes a directory pattern to mean every file below it, named below it', async () => {
    const files = await find('dist')
    expect(names(files)).toEqual(VISIBLE_DIST)
    expect(paths(files)).toEqual(VISIBLE_DIST.map((name) => `dist/${name}`))
  })

  it('treats dist/ and dist/** like dist', async () => {
    const expected = names(await find('dist'))
    expect(names(await find('dist/'))).toEqual(expected)
    expect(names(await find('dist/**'))).toEqual(expected)
  })

  it('names files relative to the common root of the search paths', async () => {
    const files = await find('dist/**/*.js\ndist/**/*.map')
    expect(names(files)).toEqual([
      'app.js',
      'app.js.map',
      'sub/deep/util.js',
      'sub/deep/util.js.map'
    ])
    expect(paths(files)).toEqual([
      'dist/app.js',
      'dist/app.js.map',
      'dist/sub/deep/util.js',
      'dist/sub/deep/util.js.map'
    ])
  })

  it('names files relative to the workspace when the patterns start in different folders', async () => {
    const files = await find('dist/*.json\nñandú/*.json')
    expect(names(files)).toEqual(['dist/data.json', 'ñandú/日本語.json'])
  })

  it('names a lone literal file by its base name', async () => {
    const files = await find('dist/sub/deep/util.js')
    expect(files).toHaveLength(1)
    expect(files[0]).toMatchObject({ name: 'util.js', path: 'dist/sub/deep/util.js' })
  })

  it('names two literal files in one folder by their base names', async () => {
    const files = await find('dist/notes.txt\ndist/data.json')
    expect(names(files)).toEqual(['data.json', 'notes.txt'])
  })

  it('lists a file named by several patterns once', async () => {
    const files = await find('dist/notes.txt\ndist/*.txt\ndist/notes.txt\ndist/**/notes.txt')
    expect(paths(files)).toEqual(['dist/empty.txt', 'dist/notes.txt'])
  })

  it('applies ! exclusions to files and to whole directories', async () => {
    expect(names(await find('dist/**\n!dist/**/*.map'))).toEqual(
      VISIBLE_DIST.filter((name) => !name.endsWith('.map'))
    )
    expect(names(await find('dist\n!dist/sub'))).toEqual(
      VISIBLE_DIST.filter((name) => !name.startsWith('sub/'))
    )
  })

  it('ignores # comment lines wherever they are', async () => {
    const files = await find('# everything:\n# dist/**\ndist/*.txt\n  # trailing comment')
    expect(paths(files)).toEqual(['dist/empty.txt', 'dist/notes.txt'])
  })

  it('finds names with spaces and non-ASCII characters', async () => {
    expect(names(await find('dir with spaces'))).toEqual(['my file.txt'])
    expect(names(await find('ñandú/**'))).toEqual(['Ünïcode file.txt', '日本語.json'])
    expect(paths(await find('**/*.txt\n!dist/**'))).toEqual([
      'dir with spaces/my file.txt',
      'ñandú/Ünïcode file.txt'
    ])
  })

  it('leaves out hidden files and folders by default', async () => {
    const files = await find('**')
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) {
      expect(file.path.split('/').some((segment) => segment.startsWith('.'))).toBe(false)
    }
    expect(await find('.github/**')).toEqual([])
    expect(await find('dist/.env')).toEqual([])
  })

  it('includes hidden files and folders when asked', async () => {
    const files = await find('**', ws, true)
    expect(paths(files)).toEqual(
      expect.arrayContaining([
        '.hidden-top.txt',
        '.github/workflow.yml',
        '.github/deep/ci.yml',
        'dist/.env',
        'dist/.cache/c.txt'
      ])
    )
    expect(files).toHaveLength(Object.keys(TREE).length)
    expect(names(await find('.github', ws, true))).toEqual(['deep/ci.yml', 'workflow.yml'])
  })

  // action.yml: hidden means "any path segment that starts with `.`".
  it('leaves out files under a hidden folder when the pattern starts inside it', async () => {
    // .github/*.yml is left out (its search path is .github); .github/deep/*.yml must be too.
    expect(await find('.github/*.yml')).toEqual([])
    expect(await find('.github/deep/*.yml')).toEqual([])
  })

  it('leaves out a literal file under a hidden folder', async () => {
    expect(await find('.github/workflow.yml')).toEqual([])
  })

  it('orders files by path', async () => {
    const files = await find('**', ws, true)
    const sorted = [...paths(files)].sort()
    expect(paths(files)).toEqual(sorted)
  })

  it('gives each file its absolute path, size and workspace path with /', async () => {
    const files = await find('**', ws, true)
    for (const file of files) {
      expect(path.isAbsolute(file.absolutePath)).toBe(true)
      expect(file.absolutePath).toBe(path.join(ws, ...file.path.split('/')))
      expect(file.path).not.toContain('\\')
      expect(file.size).toBe(Buffer.byteLength(TREE[file.path] ?? '?'))
    }
    expect(files.find((file) => file.path === 'dist/empty.txt')?.size).toBe(0)
  })

  it('types files by extension', async () => {
    const byName = new Map((await find('dist')).map((file) => [file.name, file.mimeType]))
    expect(byName.get('data.json')).toBe('application/json')
    expect(byName.get('notes.txt')).toBe('text/plain')
    expect(byName.get('archive.zip')).toBe('application/zip')
    expect(byName.get('app.js')).toBe('text/javascript')
    expect(byName.get('blob.unknownext')).toBe('application/octet-stream')
    expect(byName.get('Makefile')).toBe('application/octet-stream')
  })

  it('accepts absolute patterns', async () => {
    const files = await find(path.join(ws, 'dist', '*.json'))
    expect(files).toHaveLength(1)
    expect(files[0]).toMatchObject({ name: 'data.json', path: 'dist/data.json' })
  })

  it('anchors relative patterns at the workspace, not the current directory', async () => {
    expect(process.cwd()).not.toBe(ws)
    expect(paths(await find('dist/*.json'))).toEqual(['dist/data.json'])
  })

  it('applies an exclusion of a file whose name starts with #', async () => {
    const root = await makeTree({ 'docs/#draft.md': 'd', 'docs/final.md': 'f', '#notes.md': 'n' })
    expect(paths(await find('docs/*.md\n!docs/#draft.md', root))).toEqual(['docs/final.md'])
    expect(paths(await find('**/*.md\n!#notes.md', root))).not.toContain('#notes.md')
  })

  it('returns nothing when nothing matches', async () => {
    expect(await find('missing/**\n*.nothing')).toEqual([])
  })

  it.skipIf(!hasMkfifo())('skips a non-regular entry (a FIFO)', async () => {
    const root = await makeTree({ 'pipes/regular.txt': 'r' })
    execFileSync('mkfifo', [path.join(root, 'pipes', 'queue')])
    const files = await find('pipes', root)
    expect(names(files)).toEqual(['regular.txt'])
    expect(await find('pipes/queue', root)).toEqual([])
  })

  it('follows a symbolic link to a file', async () => {
    const root = await makeTree({ 'links/target.json': '{"linked":true}' })
    await fs.symlink('target.json', path.join(root, 'links', 'alias.json'))
    const files = await find('links', root)
    expect(paths(files)).toEqual(['links/alias.json', 'links/target.json'])
    expect(files[0]).toMatchObject({
      name: 'alias.json',
      size: Buffer.byteLength('{"linked":true}'),
      mimeType: 'application/json'
    })
  })

  it('omits a broken symbolic link', async () => {
    const root = await makeTree({ 'broken/ok.txt': 'ok' })
    await fs.symlink('does-not-exist.txt', path.join(root, 'broken', 'dangling.txt'))
    expect(names(await find('broken', root))).toEqual(['ok.txt'])
  })

  it('refuses a symbolic link that points at itself, naming the files input', async () => {
    const root = await makeTree({ 'looped/ok.txt': 'ok' })
    await fs.symlink('loop', path.join(root, 'looped', 'loop'))
    const error = await rejectsWithInputError(find('looped', root))
    expect(error.input).toBe('files')
    expect(error.message).toContain("Input 'files'")
    expect(error.message).toMatch(/loops back on itself/)
    // Named directly, the same link is refused the same way.
    const direct = await rejectsWithInputError(find('looped/loop', root))
    expect(direct.input).toBe('files')
  })

  describe('a folder that cannot be listed', () => {
    /** Makes readdir refuse `folder` as Node refuses it (root reads any folder whatever its mode). */
    function refuseToList(folder: string, code: string, words: string, errno: number): void {
      const readdir = fs.readdir
      vi.spyOn(fs, 'readdir').mockImplementation(((...args: Parameters<typeof fs.readdir>) => {
        if (args[0] !== folder) return readdir(...args)
        const error = new Error(`${code}: ${words}, scandir '${folder}'`)
        return Promise.reject(
          Object.assign(error, { code, errno, syscall: 'scandir', path: folder })
        )
      }) as typeof fs.readdir)
    }

    afterEach(() => {
      vi.restoreAllMocks()
    })

    it('is named below the workspace, with the reason in words and its code', async () => {
      const root = await makeTree({ 'reports/private/a.txt': 'a', 'reports/b.txt': 'b' })
      refuseToList(path.join(root, 'reports', 'private'), 'EACCES', 'permission denied', -13)
      const error = await rejectsWithInputError(find('reports/**', root))
      expect(error.message).toBe(
        "Input 'files': cannot read folder reports/private: permission denied (EACCES)"
      )
      expect(error.detail).toBe('cannot read folder reports/private: permission denied (EACCES)')
    })

    // Root lists any folder whatever its mode; a runner's user does not.
    it.skipIf(process.getuid?.() === 0)('as a real folder of mode 000 is', async () => {
      const root = await makeTree({ 'reports/private/a.txt': 'a' })
      await fs.chmod(path.join(root, 'reports', 'private'), 0o000)
      try {
        const error = await rejectsWithInputError(find('reports/**', root))
        expect(error.detail).toBe('cannot read folder reports/private: permission denied (EACCES)')
      } finally {
        await fs.chmod(path.join(root, 'reports', 'private'), 0o755)
      }
    })

    it('outside the workspace, or the workspace itself, by its absolute path', async () => {
      const root = await makeTree({ 'in/a.txt': 'a' })
      const other = await makeTree({ 'x/a.txt': 'a' }, 'other-')
      refuseToList(path.join(other, 'x'), 'EPERM', 'operation not permitted', -1)
      const outside = await rejectsWithInputError(find(`${other}/x/*`, root))
      expect(outside.detail).toBe(
        `cannot read folder ${path.join(other, 'x')}: operation not permitted (EPERM)`
      )
      refuseToList(root, 'EACCES', 'permission denied', -13)
      const itself = await rejectsWithInputError(find('**', root))
      expect(itself.detail).toBe(`cannot read folder ${root}: permission denied (EACCES)`)
      vi.restoreAllMocks()
      const parent = path.dirname(root)
      refuseToList(parent, 'EACCES', 'permission denied', -13)
      const above = await rejectsWithInputError(find(`${parent}/*`, root))
      expect(above.detail).toBe(`cannot read folder ${parent}: permission denied (EACCES)`)
    })
  })

  it('refuses an absolute pattern with a .. segment, which the glob cannot take, as a bad files input', async () => {
    const root = await makeTree({ 'reports/a.txt': 'a' })
    const error = await rejectsWithInputError(find(`${root}/reports/../reports/*`, root))
    expect(error.input).toBe('files')
    expect(error.message).toMatch(
      /Invalid pattern .*Relative pathing '\.' and '\.\.' is not allowed/
    )
  })

  it('words a refused pattern as a library option when no face is given', async () => {
    const root = await makeTree({ 'reports/a.txt': 'a' })
    const patterns = parsePatternLines(`${root}/reports/../reports/*`)
    const error = await rejectsWithInputError(
      findFiles({ patterns, workspace: root, includeHiddenFiles: false })
    )
    expect(error.message).toMatch(/^Option 'files': Invalid pattern /)
  })

  it('does not hang on a directory symlink cycle', async () => {
    const root = await makeTree({ 'cycle/a/file.txt': 'f', 'cycle/top.txt': 't' })
    await fs.symlink('..', path.join(root, 'cycle', 'a', 'up'))
    await fs.symlink('.', path.join(root, 'cycle', 'self'))
    const started = Date.now()
    const files = await find('cycle', root)
    expect(Date.now() - started).toBeLessThan(5000)
    expect(paths(files)).toContain('cycle/a/file.txt')
    expect(paths(files)).toContain('cycle/top.txt')
    // Each real file shows up a bounded number of times, under distinct paths.
    expect(new Set(paths(files)).size).toBe(files.length)
    expect(files.length).toBeLessThan(10)
  })

  it('refuses a file over 5 GiB, naming the limit, and accepts one of exactly 5 GiB', async () => {
    const root = await makeTree({ 'big/small.txt': 's' })
    const huge = path.join(root, 'big', 'huge.bin')
    // Sparse: truncate allocates no blocks.
    await fs.writeFile(huge, '')
    await fs.truncate(huge, MAX_FILE_BYTES)
    const files = await find('big', root)
    expect(files.find((file) => file.name === 'huge.bin')?.size).toBe(5 * 1024 ** 3)

    await fs.truncate(huge, MAX_FILE_BYTES + 1)
    const error = await rejectsWithInputError(find('big', root))
    expect(error.input).toBe('files')
    expect(error.message).toContain('5 GiB')
    expect(error.message).toContain(huge)
    expect(error.message).toContain(String(MAX_FILE_BYTES + 1))
    await fs.rm(huge)
  })
})

describe('uploadFiles on a dry run', () => {
  /** uploadFiles on a dry run of `files` from `cwd`: no request, nothing uploaded. */
  function dryRun(
    cwd: string,
    files: string,
    debug?: (line: string) => void
  ): Promise<UploadResult> {
    return uploadFiles({
      projectId: 1,
      files,
      cwd,
      dryRun: true,
      ifNoFilesFound: 'ignore',
      ...(debug ? { log: { debug } } : {})
    })
  }

  const named = (result: UploadResult): string[] => result.files.map((entry) => entry.name)

  describe('names below the common folder of the patterns', () => {
    const tree = {
      'deep/er/x.txt': 'x',
      'deep/y.txt': 'y',
      'p/q/r/a.txt': 'a',
      'p/q/s/b.txt': 'b',
      'm/a.txt': 'a',
      'n/b.txt': 'b'
    }

    it.each([
      ['deep/er/*.txt\ndeep/*.txt', ['er/x.txt', 'y.txt']],
      ['deep/*.txt\ndeep/er/*.txt', ['er/x.txt', 'y.txt']],
      ['p/q/r/*.txt\np/q/s/*.txt', ['r/a.txt', 's/b.txt']],
      ['m/*.txt\nn/*.txt', ['m/a.txt', 'n/b.txt']],
      ['deep/er/x.txt', ['x.txt']]
    ])('%j names %j', async (patterns, expected) => {
      expect(named(await dryRun(await makeTree(tree), patterns))).toEqual(expected)
    })
  })

  describe('order', () => {
    it('lists files by path, not in the order the folders were walked', async () => {
      const created = ['a/z.txt', 'a-b.txt', 'a.txt', 'B.txt', 'b.txt']
      const cwd = await makeTree(Object.fromEntries(created.map((name) => [name, ''])))
      const result = await dryRun(cwd, '**/*.txt')
      const listed = result.files.map((entry) => entry.path)
      expect(listed).toEqual(['B.txt', 'a-b.txt', 'a.txt', 'a/z.txt', 'b.txt'])
    })
  })

  describe('hidden files', () => {
    it('a hidden folder inside the workspace is left out, even when a pattern names it', async () => {
      const cwd = await makeTree({ '.config/a.txt': 'a', 'b.txt': 'b' })
      expect(named(await dryRun(cwd, '.config/*.txt\nb.txt'))).toEqual(['b.txt'])
    })

    it('outside the workspace, only what lies below the patterns counts as hidden', async () => {
      const base = await makeTree({ '.hid/sub/a.txt': 'a', '.hid/sub/.b.txt': 'b', 'ws/keep': '' })
      const result = await dryRun(path.join(base, 'ws'), '../.hid/sub/*.txt')
      expect(result.files.map((entry) => [entry.path, entry.name])).toEqual([
        ['../.hid/sub/a.txt', 'a.txt']
      ])
    })
  })

  describe('entries that are not regular files', () => {
    it.skipIf(!hasMkfifo())('are skipped, with a debug line naming them', async () => {
      const cwd = await makeTree({ 'pipes/regular.txt': 'r' })
      const fifo = path.join(cwd, 'pipes', 'queue')
      execFileSync('mkfifo', [fifo])
      const lines: string[] = []
      const result = await dryRun(cwd, 'pipes', (line) => lines.push(line))
      expect(named(result)).toEqual(['regular.txt'])
      expect(lines).toContain(`Skipping ${fifo}: not a regular file`)
    })
  })
})

describe('patterns relative to the root glob is given', () => {
  const searchPaths = async (text: string, root: string): Promise<string[]> =>
    (
      await glob(parsePatternLines(text), {
        root,
        followSymbolicLinks: true,
        implicitDescendants: true,
        matchDirectories: false,
        omitBrokenSymbolicLinks: true,
        excludeHiddenFiles: false
      })
    ).searchPaths

  it('joins relative patterns to the root and keeps the rest', async () => {
    const input = [
      'dist/**/*.js',
      '!dist/skip.js',
      '!!dist/double.js',
      '# a comment',
      '',
      '/abs/*.txt',
      '!/abs/skip.txt',
      '~/home.txt',
      './here/*.txt',
      '../up/*.txt'
    ].join('\n')
    expect(await searchPaths(input, '/ws')).toEqual([
      '/ws/dist',
      '/abs',
      path.join(os.homedir(), 'home.txt'),
      '/ws/here',
      '/up'
    ])
  })

  it('keeps the number and order of lines', () => {
    const input = 'a\n#b\n!c\n\nd'
    expect(parsePatternLines(input).map((line) => line.text)).toEqual(['a', '!c', 'd'])
    expect(parsePatternLines('')).toEqual([])
  })

  // Only a line that starts with # is a comment (@actions/glob); an exclusion of a file
  // whose name starts with # is a pattern and must be anchored like any other.
  it('anchors an exclusion whose pattern starts with #', () => {
    expect(parsePatternLines('dist/**\n!dist/#draft.md\n!#notes.md')).toEqual([
      { text: 'dist/**', negate: false, body: 'dist/**' },
      { text: '!dist/#draft.md', negate: true, body: 'dist/#draft.md' },
      { text: '!#notes.md', negate: true, body: '#notes.md' }
    ])
  })

  it('reads a root whose name holds glob characters literally', async () => {
    const root = await makeTree({ 'dist/app.js': 'x', 'dist/b.txt': 'y' }, 'ws[1]*?-')
    expect(path.basename(root)).toMatch(/^ws\[1\]\*\?-/)
    expect(names(await find('dist/**', root))).toEqual(['app.js', 'b.txt'])
    expect(names(await find('./dist/*.js', root))).toEqual(['app.js'])
  })
})

describe('commonRoot', () => {
  it('is the deepest common directory of POSIX search paths', () => {
    const p = path.posix
    expect(commonRoot(['/ws/dist'], new Set(), p)).toBe('/ws/dist')
    expect(commonRoot(['/ws/dist', '/ws/dist/sub'], new Set(), p)).toBe('/ws/dist')
    expect(commonRoot(['/ws/dist/a', '/ws/dist/b/c'], new Set(), p)).toBe('/ws/dist')
    expect(commonRoot(['/ws/dist', '/ws/lib'], new Set(), p)).toBe('/ws')
    expect(commonRoot(['/a/x', '/b/y'], new Set(), p)).toBe('/')
    expect(commonRoot(['/ws/dist', '/ws/distribution'], new Set(), p)).toBe('/ws')
    expect(commonRoot(['/ws/dist/', '/ws//dist/./x/..'], new Set(), p)).toBe('/ws/dist')
  })

  it('uses the directory of a search path that is a matched file', () => {
    const p = path.posix
    expect(commonRoot(['/ws/dist/a.txt'], new Set(['/ws/dist/a.txt']), p)).toBe('/ws/dist')
    expect(
      commonRoot(
        ['/ws/dist/a.txt', '/ws/dist/b.txt'],
        new Set(['/ws/dist/a.txt', '/ws/dist/b.txt']),
        p
      )
    ).toBe('/ws/dist')
    expect(commonRoot(['/ws/dist/a.txt', '/ws/dist/sub'], new Set(['/ws/dist/a.txt']), p)).toBe(
      '/ws/dist'
    )
  })

  it('is empty without search paths', () => {
    expect(commonRoot([], new Set())).toBe('')
  })

  it('is empty for Windows paths on different drives', () => {
    expect(commonRoot(['C:\\work\\dist', 'D:\\out'], new Set(), path.win32)).toBe('')
  })

  it('is the root itself when a search path is a root', () => {
    expect(commonRoot(['/'], new Set(), path.posix)).toBe('/')
    expect(commonRoot(['/', '/ws/dist'], new Set(), path.posix)).toBe('/')
    expect(commonRoot(['/ws/dist', '/'], new Set(), path.posix)).toBe('/')
    expect(commonRoot(['C:\\', 'c:\\work'], new Set(), path.win32)).toBe('C:\\')
    expect(commonRoot(['\\\\server\\share\\'], new Set(), path.win32)).toBe('\\\\server\\share\\')
  })

  it('compares POSIX paths case-sensitively', () => {
    expect(commonRoot(['/ws/Dist/a', '/ws/dist/b'], new Set(), path.posix)).toBe('/ws')
  })

  it('handles Windows paths, ignoring the case of drive and folders', () => {
    const w = path.win32
    expect(commonRoot(['C:\\work\\repo\\dist', 'c:\\Work\\REPO\\lib'], new Set(), w)).toBe(
      'C:\\work\\repo'
    )
    expect(
      commonRoot(['C:\\work\\repo\\dist\\a.txt'], new Set(['C:\\work\\repo\\dist\\a.txt']), w)
    ).toBe('C:\\work\\repo\\dist')
    expect(commonRoot(['C:\\a', 'C:\\b'], new Set(), w)).toBe('C:\\')
    expect(commonRoot(['C:/work/repo/dist', 'C:\\work\\repo\\dist\\x'], new Set(), w)).toBe(
      'C:\\work\\repo\\dist'
    )
    expect(commonRoot(['\\\\server\\share\\a\\b', '\\\\server\\share\\a\\c'], new Set(), w)).toBe(
      '\\\\server\\share\\a'
    )
  })
})

describe('relativeName', () => {
  it('names POSIX files with /', () => {
    const p = path.posix
    expect(relativeName('/ws/dist', '/ws/dist/a.txt', p)).toBe('a.txt')
    expect(relativeName('/ws/dist', '/ws/dist/sub/deep/a.txt', p)).toBe('sub/deep/a.txt')
    expect(relativeName('/', '/etc/hosts', p)).toBe('etc/hosts')
    expect(relativeName('/ws', '/ws/dir with spaces/ñ.txt', p)).toBe('dir with spaces/ñ.txt')
  })

  it('names Windows files with /, ignoring the case of drive and folders', () => {
    const w = path.win32
    expect(relativeName('C:\\work\\repo', 'C:\\work\\repo\\dist\\a.txt', w)).toBe('dist/a.txt')
    expect(relativeName('c:\\WORK\\Repo', 'C:\\work\\repo\\dist\\sub\\a.txt', w)).toBe(
      'dist/sub/a.txt'
    )
    expect(relativeName('C:\\work\\repo\\dist', 'C:\\work\\repo\\dist\\a.txt', w)).toBe('a.txt')
    expect(relativeName('C:\\', 'C:\\a\\b.txt', w)).toBe('a/b.txt')
    expect(relativeName('C:\\work', 'C:/work/mixed/sep.txt', w)).toBe('mixed/sep.txt')
  })

  it('agrees with commonRoot for the files below it', () => {
    const w = path.win32
    const files = ['C:\\w\\dist\\a.js', 'c:\\W\\dist\\maps\\a.js.map']
    const root = commonRoot(['C:\\w\\dist', 'c:\\W\\dist\\maps'], new Set(), w)
    expect(files.map((file) => relativeName(root, file, w))).toEqual(['a.js', 'maps/a.js.map'])
  })
})

describe('mimeTypeOf', () => {
  // Each listed file is typed by the MIME module, whose cases mime.test.ts covers.
  it('is the MIME module’s', () => {
    expect(mimeTypeOf).toBe(typeByExtension)
  })
})

describe('hashFile (a file already in the project, with skip-existing)', () => {
  it('hashes the file, and names a file that vanished or changed size since it was listed', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hash-test-'))
    const absolutePath = path.join(dir, 'a.txt')
    await fs.writeFile(absolutePath, 'abc')
    expect(await hashFile({ absolutePath, size: 3 })).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    )
    await expect(hashFile({ absolutePath, size: 4 })).rejects.toThrow(
      'the file changed size from 4 to 3 bytes after it was listed'
    )
    await fs.rm(dir, { recursive: true })
    await expect(hashFile({ absolutePath, size: 3 })).rejects.toThrow(
      /^the file disappeared after it was listed$/
    )
  })

  it('hashes every chunk of a file larger than its buffer, and an empty file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hash-test-'))
    try {
      // Three buffers and a part: each chunk must be hashed once, the last one only as far as read.
      const bytes = Buffer.from(
        Array.from({ length: 3 * 256 * 1024 + 1000 }, (_, i) => (i * 7) % 251)
      )
      const absolutePath = path.join(dir, 'big.bin')
      await fs.writeFile(absolutePath, bytes)
      expect(await hashFile({ absolutePath, size: bytes.length })).toBe(
        createHash('sha256').update(bytes).digest('hex')
      )
      const empty = path.join(dir, 'empty.bin')
      await fs.writeFile(empty, '')
      expect(await hashFile({ absolutePath: empty, size: 0 })).toBe(
        createHash('sha256').digest('hex')
      )
    } finally {
      await fs.rm(dir, { recursive: true })
    }
  })
})
