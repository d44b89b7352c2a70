// Which files a run takes and what it names them, through uploadFiles on a dry run (no request):
// names below the patterns' common folder, hidden files inside and outside the workspace,
// entries that are not regular files; and the human-readable sizes and times it prints.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatBytes, formatDuration } from '../src/core/format.ts'
import { uploadFiles, type UploadResult } from '../src/core/upload-files.ts'

let root: string
let count = 0

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'core-files-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

async function workspace(files: Record<string, string>): Promise<string> {
  const dir = path.join(root, `ws${count++}`)
  await mkdir(dir, { recursive: true })
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
    await writeFile(path.join(dir, name), content)
  }
  return dir
}

function dryRun(cwd: string, files: string, debug?: (line: string) => void): Promise<UploadResult> {
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
  ])('%j names %j', async (patterns, names) => {
    expect(named(await dryRun(await workspace(tree), patterns))).toEqual(names)
  })
})

describe('order', () => {
  it('lists files by path, not in the order the folders were walked', async () => {
    const cwd = await workspace({
      'a/z.txt': '',
      'a-b.txt': '',
      'a.txt': '',
      'B.txt': '',
      'b.txt': ''
    })
    const result = await dryRun(cwd, '**/*.txt')
    expect(result.files.map((entry) => entry.path)).toEqual([
      'B.txt',
      'a-b.txt',
      'a.txt',
      'a/z.txt',
      'b.txt'
    ])
  })
})

describe('hidden files', () => {
  it('a hidden folder inside the workspace is left out, even when a pattern names it', async () => {
    const cwd = await workspace({ '.config/a.txt': 'a', 'b.txt': 'b' })
    expect(named(await dryRun(cwd, '.config/*.txt\nb.txt'))).toEqual(['b.txt'])
  })

  it('outside the workspace, only what lies below the patterns counts as hidden', async () => {
    const base = await workspace({ '.hid/sub/a.txt': 'a', '.hid/sub/.b.txt': 'b', 'ws/keep': '' })
    const result = await dryRun(path.join(base, 'ws'), '../.hid/sub/*.txt')
    expect(result.files.map((entry) => [entry.path, entry.name])).toEqual([
      ['../.hid/sub/a.txt', 'a.txt']
    ])
  })
})

describe('entries that are not regular files', () => {
  it.skipIf(process.platform === 'win32')(
    'are skipped, with a debug line naming them',
    async () => {
      const cwd = await workspace({ 'pipes/regular.txt': 'r' })
      const fifo = path.join(cwd, 'pipes', 'queue')
      execFileSync('mkfifo', [fifo])
      const lines: string[] = []
      const result = await dryRun(cwd, 'pipes', (line) => lines.push(line))
      expect(named(result)).toEqual(['regular.txt'])
      expect(lines).toContain(`Skipping ${fifo}: not a regular file`)
    }
  )
})

describe('sizes and times at the edge of a unit', () => {
  it.each([
    [999.4, '999 ms'],
    [999.5, '1.0 s'],
    [59_949, '59.9 s'],
    [59_950, '1 min 0 s'],
    [125_000, '2 min 5 s']
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  it.each([
    [1023, '1023 B'],
    [1023.95 * 1024, '1.00 MiB'],
    [9.995 * 1024, '10.0 KiB'],
    [9.99 * 1024, '9.99 KiB']
  ])('%d bytes is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text)
  })
})
