// The output paths a caller names (the CLI's --manifest and --checksums, the library's manifest and
// checksums options): what the check refuses before any request, in each face's words, that it
// leaves nothing behind, and what writing them once the run is done does when one fails after all.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/errors.ts'
import type { Manifest } from '../../../src/core/results/manifest.ts'
import {
  checkOutputPaths,
  writeOutputs,
  type OutputPaths
} from '../../../src/core/results/output-paths.ts'
import type { Face } from '../../../src/core/settings/settings.ts'

const SHA = 'b'.repeat(64)

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'output-paths-'))
  await writeFile(path.join(dir, 'old.json'), 'earlier')
  await writeFile(path.join(dir, 'a.txt'), 'alpha')
  await mkdir(path.join(dir, 'reports'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The check's error for these paths in `face`, or undefined when it passes. */
async function refusal(
  paths: OutputPaths | Record<string, unknown>,
  face: Face = 'cli',
  dryRun = false
): Promise<InputError | undefined> {
  try {
    await checkOutputPaths(paths as OutputPaths, { dryRun, workspace: dir }, face)
    return undefined
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
}

describe('checkOutputPaths', () => {
  it('passes a new file, a file there, and a path in a subfolder, from the workspace', async () => {
    expect(await refusal({ manifest: 'new.json', checksums: 'old.json' })).toBeUndefined()
    expect(await refusal({ manifest: 'reports/m.json' }, 'library')).toBeUndefined()
    expect(await refusal({ checksums: path.join(dir, 'sums.txt') })).toBeUndefined()
    expect(await refusal({})).toBeUndefined()
    expect(
      await refusal({ manifest: undefined, checksums: undefined }, 'cli', true)
    ).toBeUndefined()
  })

  it('leaves nothing behind: a file there keeps its bytes, and the file it made is gone', async () => {
    await checkOutputPaths(
      { manifest: 'new.json', checksums: 'old.json' },
      { dryRun: false, workspace: dir },
      'cli'
    )
    expect(await readFile(path.join(dir, 'old.json'), 'utf8')).toBe('earlier')
    expect((await readdir(dir)).sort()).toEqual(['a.txt', 'old.json', 'reports'])
  })

  it.each<[string, OutputPaths, string]>([
    [
      'a folder',
      { checksums: 'reports' },
      '--checksums: cannot write reports: it is a folder; name a file in it, such as reports/checksums.txt'
    ],
    [
      'a path ending in a slash, not there yet',
      { manifest: 'out/' },
      '--manifest: cannot write out/: it is a folder; name a file in it, such as out/manifest.json'
    ],
    [
      'a path ending in a backslash',
      { manifest: 'out\\' },
      `--manifest: cannot write out\\: it is a folder; name a file in it, such as ${path.join('out\\', 'manifest.json')}`
    ],
    [
      'a folder that does not exist',
      { manifest: 'no/such/m.json' },
      `--manifest: cannot write no/such/m.json: its folder <dir>/no/such does not exist`
    ],
    [
      'a folder that is a file',
      { manifest: 'a.txt/m.json' },
      `--manifest: cannot write a.txt/m.json: <dir>/a.txt is not a folder`
    ],
    [
      'a folder under a file',
      { checksums: 'a.txt/x/sums.txt' },
      `--checksums: cannot write a.txt/x/sums.txt: its folder <dir>/a.txt/x cannot be reached (ENOTDIR)`
    ],
    [
      'an empty path',
      { manifest: '' },
      '--manifest: needs a path, such as --manifest manifest.json'
    ],
    [
      'an empty path for checksums',
      { checksums: '' },
      '--checksums: needs a path, such as --checksums checksums.txt'
    ],
    [
      'one file for both',
      { manifest: 'both.txt', checksums: './both.txt' },
      '--checksums: cannot write ./both.txt: --manifest writes there; give each its own file'
    ]
  ])('refuses %s, naming the flag', async (_what, paths, written) => {
    // The table is read before `dir` is made; <dir> stands for it.
    const message = written.replace('<dir>', dir)
    const error = await refusal(paths)
    expect(error).toBeInstanceOf(InputError)
    expect(error?.message).toBe(message)
    const output = /^--(\w+)/.exec(message)?.[1]
    expect(error).toMatchObject({ option: output, input: output, flag: output })
    expect(error?.detail).toBe(message.replace(/^--\w+: /, ''))
  })

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a folder',
      { manifest: 'reports' },
      "Option 'manifest': cannot write reports: it is a folder; name a file in it, such as reports/manifest.json"
    ],
    [
      'an empty path',
      { checksums: '' },
      "Option 'checksums': needs a path, such as 'checksums.txt'"
    ],
    [
      'a value that is not text',
      { manifest: 42 },
      "Option 'manifest': give a path as a string, such as 'manifest.json'"
    ],
    [
      'null',
      { checksums: null },
      "Option 'checksums': give a path as a string, such as 'checksums.txt'"
    ],
    [
      'one file for both',
      { manifest: 'x.txt', checksums: 'reports/../x.txt' },
      "Option 'checksums': cannot write reports/../x.txt: manifest writes there; give each its own file"
    ]
  ])('refuses %s in the library’s words', async (_what, paths, message) => {
    expect((await refusal(paths, 'library'))?.message).toBe(message)
  })

  it('refuses checksums on a dry run first, in each face’s words', async () => {
    expect((await refusal({ checksums: 'reports' }, 'cli', true))?.message).toBe(
      '--checksums: a dry run uploads nothing, so there is nothing to sum; leave out --dry-run or --checksums'
    )
    expect((await refusal({ checksums: 'sums.txt' }, 'library', true))?.message).toBe(
      "Option 'checksums': a dry run uploads nothing, so there is nothing to sum; leave out dryRun or checksums"
    )
    expect(await refusal({ manifest: 'm.json' }, 'cli', true)).toBeUndefined()
  })

  it('takes a device or a pipe as it is, without opening it, and refuses a socket', async () => {
    expect(await refusal({ manifest: '/dev/null' })).toBeUndefined()
    // Opening a pipe that has no reader would hang: the check must not open it.
    execFileSync('mkfifo', [path.join(dir, 'pipe')])
    expect(await refusal({ manifest: 'pipe' })).toBeUndefined()
    const server = net.createServer()
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'sock'), resolve))
    try {
      expect((await refusal({ manifest: 'sock' }))?.message).toBe(
        '--manifest: cannot write sock: it is not a regular file, a pipe or a device'
      )
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  }, 4000)

  it('leaves a link to a file it may write to alone, and refuses one to a folder', async () => {
    await symlink(path.join(dir, 'old.json'), path.join(dir, 'link.json'))
    await symlink(path.join(dir, 'reports'), path.join(dir, 'folder'))
    expect(await refusal({ manifest: 'link.json' })).toBeUndefined()
    expect((await refusal({ manifest: 'folder' }))?.message).toBe(
      '--manifest: cannot write folder: it is a folder; name a file in it, such as folder/manifest.json'
    )
    expect(await readFile(path.join(dir, 'old.json'), 'utf8')).toBe('earlier')
  })

  it.runIf(process.platform === 'linux')(
    'refuses a folder where no file can be made, as /proc is even to root',
    async () => {
      expect((await refusal({ manifest: '/proc/m.json' }))?.message).toMatch(
        /^--manifest: cannot write \/proc\/m\.json: no file can be made in its folder \/proc \((ENOENT|EACCES)\)$/
      )
    }
  )

  it.runIf(existsSync('/sys/kernel/notes'))(
    'refuses a file that cannot be opened for writing',
    async () => {
      expect((await refusal({ checksums: '/sys/kernel/notes' }, 'library'))?.message).toBe(
        "Option 'checksums': cannot write /sys/kernel/notes: it cannot be opened for writing (EACCES)"
      )
    }
  )
})

describe('writeOutputs', () => {
  const manifest: Manifest = {
    projectId: 7,
    namePrefix: '',
    dryRun: false,
    totals: { files: 1, bytes: 5, uploaded: 1, existing: 0, failed: 0, cancelled: 0 },
    files: [
      { path: 'a.txt', name: 'a.txt', sizeBytes: 5, mimeType: 'text/plain', id: 1, sha256: SHA }
    ]
  }
  const result = { ...manifest, failure: undefined as string | undefined, cancelled: false }

  it('writes the manifest’s JSON and the checksums file, from the workspace, and returns the result as it was', async () => {
    const written = await writeOutputs(
      result,
      { manifest: 'old.json', checksums: 'reports/sums.txt' },
      dir
    )
    expect(written).toBe(result)
    const json = JSON.parse(await readFile(path.join(dir, 'old.json'), 'utf8')) as unknown
    expect(json).toMatchObject({ project_id: 7, totals: { uploaded: 1 }, files: [{ id: 1 }] })
    expect(await readFile(path.join(dir, 'reports', 'sums.txt'), 'utf8')).toBe(`${SHA}  a.txt\n`)
  })

  it('writes nothing it was not asked for', async () => {
    expect(await writeOutputs(result, {}, dir)).toBe(result)
    expect((await readdir(dir)).sort()).toEqual(['a.txt', 'old.json', 'reports'])
  })

  it('adds each output it could not write to the failure, writing the others, and keeps the result', async () => {
    const failed = await writeOutputs(
      { ...result, failure: '1 of 2 files failed to upload' },
      { manifest: 'reports', checksums: 'sums.txt' },
      dir
    )
    expect(failed).toMatchObject({ cancelled: false, files: result.files })
    expect(failed.failure).toBe(
      `1 of 2 files failed to upload\nThe manifest could not be written to reports: EISDIR: illegal operation on a directory, open '${path.join(dir, 'reports')}'`
    )
    expect(await readFile(path.join(dir, 'sums.txt'), 'utf8')).toBe(`${SHA}  a.txt\n`)
    const both = await writeOutputs(result, { manifest: 'm.json', checksums: 'reports' }, dir)
    expect(both.failure).toBe(
      `The checksums file could not be written to reports: EISDIR: illegal operation on a directory, open '${path.join(dir, 'reports')}'`
    )
  })
})
