// Proof of what was published, as a new user meets it: the checksums file and `verify`, through dist/index.js (run as a
// runner runs it, scripts/run-action.ts) and through the CLI bundle (test/support/cli.ts), against
// the emulator as storage that lies (corrupt). The checksums file is checked by the tools users
// check it with (GNU sha256sum, Perl shasum) and by a port of actions/attest's parser
// (test/support/attest-checksums.ts, where its origin is given).
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import type { FileRecord } from '../../emulator/emulator.ts'
import type { ActionRun } from '../../scripts/run-action.ts'
import { attestSubjects } from '../support/attest-checksums.ts'
import { inputsFor, runAction, runCli, sharedEmulator, workspace } from '../support/bundle.ts'
import type { CliRun } from '../support/cli.ts'
import { sha256 } from '../support/harness.ts'

const exec = promisify(execFile)

/** A key no test prints. */
const KEY = `erk_${randomBytes(16).toString('hex')}`

// keepBytes: true, so that download URLs serve what storage holds.
const emulator = sharedEmulator({ projects: [7], apiKey: KEY, keepBytes: true })
afterEach(() => {
  emulator.setCorrupt(undefined)
})

/**
 * Files under out/, named (relative to out/) with spaces and non-ASCII letters, so that their
 * names in the project are those relative to out/, the folder `sha256sum -c` runs in.
 */
const TREE: Record<string, string> = {
  'out/app release.apk': 'apk bytes, version 1',
  'out/Größe é.txt': 'größe und überlänge',
  'out/sub/报告 1.json': '{"passed":12,"failed":0}',
  'out/z.bin': '\u0000\u0001\u0002binary\u00ff'
}

/** TREE's names in the project. */
const NAMES = Object.keys(TREE).map((file) => file.slice('out/'.length))

function inputs(extra: Record<string, string>): Record<string, string> {
  return inputsFor(emulator, { 'project-id': '7', ...extra })
}

function action(dir: string, extra: Record<string, string>): Promise<ActionRun> {
  return runAction({
    workspace: dir,
    inputs: inputs(extra),
    timeoutMs: 30_000,
    allow: { downloadUrls: extra['download-url'] === 'true' }
  })
}

function cli(dir: string, args: readonly string[]): Promise<CliRun> {
  return runCli({
    cwd: dir,
    args: ['--project-id', '7', '--base-url', emulator.apiUrl, ...args],
    env: { EMPIRICALRUN_KEY: KEY, EMPIRICALRUN_RETRY_BASE_MS: '10' },
    timeoutMs: 30_000,
    allow: { downloadUrls: args.includes('--download-url') }
  })
}

/** One object of the `files` output, or of the manifest's `files` in the project. */
interface FileOut {
  id: number
  name: string
  path: string
  size_bytes: number
  sha256: string
  existing: boolean
}

interface ManifestOut {
  files: (Omit<FileOut, 'id' | 'sha256' | 'existing'> & Partial<FileOut>)[]
}

function filesOutput(result: ActionRun): FileOut[] {
  return JSON.parse(result.outputs.files ?? '') as FileOut[]
}

function fileIds(result: ActionRun): number[] {
  return JSON.parse(result.outputs['file-ids'] ?? '') as number[]
}

function manifestIds(text: string): number[] {
  const manifest = JSON.parse(text) as ManifestOut
  return manifest.files.flatMap((file) => (file.id === undefined ? [] : [file.id]))
}

/** The `<id>\t<name>` lines of the CLI's stdout. */
function idLines(stdout: string): [number, string][] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id, name] = line.split('\t')
      return [Number(id), name ?? '']
    })
}

/** Sorted as the checksums file sorts: by the UTF-8 bytes of each name (LC_ALL=C sort). */
function byUtf8(names: readonly string[]): string[] {
  return [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
}

/**
 * The checksums file as its readers take it: `sha256sum -c --strict` and `shasum -a 256 -c
 * --strict` in `folder` pass with one `<name>: OK` per line, and under actions/attest's rules every
 * line gives the name and digest of one of `expected` (in the project from this run), sorted by
 * name, LF line ends only.
 */
async function expectChecksumsFile(
  text: string,
  folder: string,
  expected: readonly { name: string; sha256: string }[]
): Promise<void> {
  expect(text).not.toContain('\r')
  expect(text.endsWith('\n')).toBe(true)
  const names = expected.map((entry) => entry.name)
  expect(attestSubjects(text)).toEqual(
    byUtf8(names).map((name) => ({
      name,
      digest: { sha256: expected.find((entry) => entry.name === name)?.sha256 }
    }))
  )
  expect(text.split('\n').filter(Boolean)).toHaveLength(expected.length)
  const file = path.join(folder, '..', `sums-${randomBytes(4).toString('hex')}.txt`)
  await writeFile(file, text)
  const tools = [
    ['sha256sum', ['-c', '--strict', file]],
    ['shasum', ['-a', '256', '-c', '--strict', file]]
  ] as const
  for (const [tool, args] of tools) {
    const { stdout } = await exec(tool, args, { cwd: folder })
    expect(stdout.split('\n').filter(Boolean), tool).toEqual(
      byUtf8(names).map((name) => `${name}: OK`)
    )
  }
}

/** The expected entries of these project names, from the workspace's files under out/. */
async function entriesOf(
  dir: string,
  names: readonly string[]
): Promise<{ name: string; sha256: string }[]> {
  return Promise.all(
    names.map(async (name) => ({
      name,
      sha256: sha256(await readFile(path.join(dir, 'out', name)))
    }))
  )
}

/** Records whose stored bytes are not what their PUT carried: the ones storage corrupted. */
function corruptedRecords(): FileRecord[] {
  return [...emulator.files.values()].filter(
    (record) => record.stored?.receivedSha256 !== undefined
  )
}

/** What the project serves for a record, read as a user would: GET /api/files/{id}, then its url. */
async function download(id: number): Promise<Buffer> {
  const answer = await fetch(`${emulator.apiUrl}/api/files/${id}`, {
    headers: { authorization: `Bearer ${KEY}` }
  })
  expect(answer.status).toBe(200)
  const body = (await answer.json()) as { data: { file: { url: string } } }
  const object = await fetch(body.data.file.url)
  expect(object.status).toBe(200)
  return Buffer.from(await object.arrayBuffer())
}

/** Every id holds the bytes of its file under out/ in `dir`, in storage and through its download URL. */
async function expectRightBytes(
  dir: string,
  files: readonly { id: number; name: string }[]
): Promise<void> {
  for (const { id, name } of files) {
    const local = await readFile(path.join(dir, 'out', name))
    const record = emulator.files.get(id)
    expect(record?.name, `record ${id}`).toBe(name)
    expect(record?.status, `record ${id}`).toBe('uploaded')
    expect(record?.stored?.receivedSha256, `record ${id} was corrupted`).toBeUndefined()
    expect(record?.stored?.bytes?.equals(local), `stored bytes of record ${id}`).toBe(true)
    expect((await download(id)).equals(local), `downloaded bytes of record ${id}`).toBe(true)
  }
}

/** Requests of a step, optionally of one record. */
function requestsOf(step: string, id?: number): number {
  return emulator.requests.filter(
    (request) => request.step === step && (id === undefined || request.fileId === id)
  ).length
}

/** The X-Amz-Signature of every download URL the run read (the storage GETs it made). */
function downloadSignatures(): string[] {
  const signatures = emulator.requests
    .filter((request) => request.step === 'download')
    .map((request) => request.query['X-Amz-Signature'] ?? '')
  expect(signatures.every((signature) => /^[0-9a-f]{64}$/.test(signature))).toBe(true)
  return signatures
}

describe('the checksums file', () => {
  it('action: the checksums output passes sha256sum -c and shasum -a 256 -c in out/, and matches files under attest', async () => {
    const dir = await workspace(TREE)
    const result = await action(dir, { files: 'out/**' })
    expect(result.code).toBe(0)
    const checksums = result.outputs.checksums ?? ''
    expect(path.isAbsolute(checksums)).toBe(true)
    expect(path.dirname(checksums)).toBe(path.dirname(result.outputs.manifest ?? ''))
    expect(path.basename(checksums)).toBe('checksums.txt')
    const files = filesOutput(result)
    expect(files.map((file) => file.name).sort()).toEqual([...NAMES].sort())
    for (const file of files) {
      expect(file.sha256).toBe(sha256(await readFile(path.join(dir, file.path))))
    }
    const text = checksumsText(result)
    await expectChecksumsFile(text, path.join(dir, 'out'), files)
    expect(result.outputs['file-sha256']).toBe('')
  })

  it('CLI: --checksums writes the same file, matching --json', async () => {
    const dir = await workspace(TREE)
    const result = await cli(dir, ['--json', '--checksums', 'sums.txt', 'out/'])
    expect(result.code).toBe(0)
    const manifest = JSON.parse(result.stdout) as { files: FileOut[] }
    expect(manifest.files.map((file) => file.name).sort()).toEqual([...NAMES].sort())
    const text = await readFile(path.join(dir, 'sums.txt'), 'utf8')
    await expectChecksumsFile(text, path.join(dir, 'out'), manifest.files)
    expect(text).toBe(
      byUtf8(NAMES)
        .map((name) => `${manifest.files.find((file) => file.name === name)?.sha256}  ${name}\n`)
        .join('')
    )
  })

  it('a failed file is not in it; the rest are', async () => {
    const dir = await workspace(TREE)
    emulator.faults.push({
      step: 'create',
      name: 'z.bin',
      times: 100,
      action: { type: 'status', status: 400, body: '{"error":"refused"}' }
    })
    const result = await action(dir, { files: 'out/**' })
    expect(result.code).not.toBe(0)
    expect(JSON.parse(result.outputs['failed-files'] ?? '')).toEqual(['out/z.bin'])
    const kept = NAMES.filter((name) => name !== 'z.bin')
    expect(
      filesOutput(result)
        .map((file) => file.name)
        .sort()
    ).toEqual([...kept].sort())
    const text = checksumsText(result)
    expect(text).not.toContain('z.bin')
    await expectChecksumsFile(text, path.join(dir, 'out'), await entriesOf(dir, kept))

    emulator.reset()
    emulator.faults.push({
      step: 'create',
      name: 'z.bin',
      times: 100,
      action: { type: 'status', status: 400, body: '{"error":"refused"}' }
    })
    const viaCli = await cli(dir, ['--checksums', 'sums.txt', 'out/'])
    expect(viaCli.code).toBe(1)
    const cliText = await readFile(path.join(dir, 'sums.txt'), 'utf8')
    expect(cliText).toBe(text)
  })

  it('under skip-existing, the files already there are in it', async () => {
    const dir = await workspace(TREE)
    const first = await action(dir, { files: 'out/app release.apk\nout/z.bin' })
    expect(first.code).toBe(0)
    const result = await action(dir, { files: 'out/**', 'skip-existing': 'true' })
    expect(result.code).toBe(0)
    const files = filesOutput(result)
    expect(files.filter((file) => file.existing).map((file) => file.name)).toEqual([
      'app release.apk',
      'z.bin'
    ])
    const text = checksumsText(result)
    await expectChecksumsFile(text, path.join(dir, 'out'), await entriesOf(dir, NAMES))

    const viaCli = await cli(dir, ['--skip-existing', '--checksums', 'sums.txt', 'out/'])
    expect(viaCli.code).toBe(0)
    expect(await readFile(path.join(dir, 'sums.txt'), 'utf8')).toBe(text)
  })

  it('one file: file-sha256 is its sha256, as sha256sum prints it', async () => {
    const dir = await workspace(TREE)
    const result = await action(dir, { files: 'out/Größe é.txt' })
    expect(result.code).toBe(0)
    const bytes = await readFile(path.join(dir, 'out/Größe é.txt'))
    expect(result.outputs['file-sha256']).toBe(sha256(bytes))
    const { stdout } = await exec('sha256sum', ['out/Größe é.txt'], { cwd: dir })
    expect(stdout.split(' ')[0]).toBe(result.outputs['file-sha256'])
    expect(filesOutput(result)[0]?.sha256).toBe(result.outputs['file-sha256'])
    expect(checksumsText(result)).toBe(`${sha256(bytes)}  Größe é.txt\n`)
  })

  it("a dry run sets checksums to ''; the CLI refuses --checksums with --dry-run", async () => {
    const dir = await workspace(TREE)
    const result = await action(dir, { files: 'out/**', 'dry-run': 'true' })
    expect(result.code).toBe(0)
    expect(result.outputs.checksums).toBe('')
    expect(result.outputs['file-sha256']).toBe('')
    const viaCli = await cli(dir, ['--dry-run', '--checksums', 'sums.txt', 'out/'])
    expect(viaCli.code).toBe(2)
    expect(viaCli.stderr).toMatch(/^error: --checksums: /)
    await expect(stat(path.join(dir, 'sums.txt'))).rejects.toThrow()
    expect(emulator.requests).toEqual([])
  })
})

describe('verify: storage that corrupts every first PUT', () => {
  it('action: the run passes, every id holds the right bytes, the log names each file sent again', async () => {
    const dir = await workspace(TREE)
    emulator.setCorrupt({ puts: 'first' })
    const result = await action(dir, { files: 'out/**', verify: 'true' })
    expect(result.code, result.log).toBe(0)
    const bad = corruptedRecords()
    expect(bad.map((record) => record.name).sort()).toEqual([...NAMES].sort())
    const badIds = bad.map((record) => record.id)
    const files = filesOutput(result)
    const ids = fileIds(result)
    expect(ids).toEqual(files.map((file) => file.id))
    expect(manifestIds(result.manifest)).toEqual(ids)
    for (const id of badIds) {
      expect(ids).not.toContain(id)
      expect(manifestIds(result.manifest)).not.toContain(id)
    }
    await expectRightBytes(dir, files)
    const text = checksumsText(result)
    await expectChecksumsFile(text, path.join(dir, 'out'), files)
    for (const record of bad) {
      expect(text).not.toContain(record.stored?.sha256)
      expect(result.outputs.files).not.toContain(record.stored?.sha256)
      expect(result.log).toContain(
        `≠ out/${record.name}: storage holds other bytes in record ${record.id} than were sent`
      )
    }
    expect(result.log).toMatch(/records? left in the project with wrong bytes/)
    expect(result.summary).toContain(
      `${NAMES.length} records were left in the project holding other bytes than their files`
    )
  })

  it('CLI: exit 0, stdout names only records with the right bytes, stderr names each file sent again', async () => {
    const dir = await workspace(TREE)
    emulator.setCorrupt({ puts: 'first' })
    const result = await cli(dir, ['--verify', '--checksums', 'sums.txt', 'out/'])
    expect(result.code, result.stderr).toBe(0)
    const bad = corruptedRecords()
    expect(bad).toHaveLength(NAMES.length)
    const lines = idLines(result.stdout)
    expect(lines.map(([, name]) => name).sort()).toEqual([...NAMES].sort())
    for (const record of bad) {
      expect(lines.map(([id]) => id)).not.toContain(record.id)
      expect(result.stderr).toContain(
        `≠ out/${record.name}: storage holds other bytes in record ${record.id} than were sent`
      )
    }
    await expectRightBytes(
      dir,
      lines.map(([id, name]) => ({ id, name }))
    )
    const text = await readFile(path.join(dir, 'sums.txt'), 'utf8')
    await expectChecksumsFile(text, path.join(dir, 'out'), await entriesOf(dir, NAMES))
  })
})

describe('verify: storage that always corrupts', () => {
  it('action: the step fails naming the file and both digests; no corrupted record in any output', async () => {
    const dir = await workspace(TREE)
    emulator.setCorrupt({ puts: 'always', name: 'z.bin' })
    const result = await action(dir, { files: 'out/**', verify: 'true', retries: '1' })
    expect(result.code).not.toBe(0)
    const bad = corruptedRecords()
    expect(bad.map((record) => record.name)).toEqual(['z.bin', 'z.bin'])
    const local = sha256(TREE['out/z.bin'] ?? '')
    const errors = result.log.split('\n').filter((line) => line.startsWith('::error'))
    expect(errors.join('\n')).toContain('out/z.bin')
    for (const record of bad) {
      expect(errors.join('\n')).toContain(`sha256 ${record.stored?.sha256} in the project`)
    }
    expect(errors.join('\n')).toContain(`${local} on disk`)
    expect(JSON.parse(result.outputs['failed-files'] ?? '')).toEqual(['out/z.bin'])
    const ids = fileIds(result)
    const files = filesOutput(result)
    expect(files.map((file) => file.name)).not.toContain('z.bin')
    for (const record of bad) {
      expect(ids).not.toContain(record.id)
      expect(files.map((file) => file.id)).not.toContain(record.id)
      expect(manifestIds(result.manifest)).not.toContain(record.id)
    }
    await expectRightBytes(dir, files)
    const text = checksumsText(result)
    expect(text).not.toContain('z.bin')
    await expectChecksumsFile(text, path.join(dir, 'out'), files)
    expect(result.summary).toContain('2 records were left in the project holding other bytes')
  })

  it('CLI: exit 1 naming the file and both digests; stdout and --checksums hold no corrupted record', async () => {
    const dir = await workspace({ 'out/app release.apk': TREE['out/app release.apk'] ?? '' })
    emulator.setCorrupt({ puts: 'always' })
    const result = await cli(dir, [
      '--verify',
      '--retries',
      '1',
      '--checksums',
      'sums.txt',
      '--manifest',
      'm.json',
      'out/'
    ])
    expect(result.code).toBe(1)
    const bad = corruptedRecords()
    expect(bad).toHaveLength(2)
    const local = sha256(TREE['out/app release.apk'] ?? '')
    const failure = result.stderr.slice(result.stderr.lastIndexOf('error: '))
    expect(failure).toContain('out/app release.apk')
    expect(failure).toContain(`${local} on disk`)
    expect(failure).toContain(`sha256 ${bad[1]?.stored?.sha256} in the project`)
    expect(result.stdout).toBe('')
    expect(await readFile(path.join(dir, 'sums.txt'), 'utf8')).toBe('')
    expect(manifestIds(await readFile(path.join(dir, 'm.json'), 'utf8'))).toEqual([])
  })
})

describe('skip-existing with verify: a file changed in place at the same size', () => {
  /** Uploads TREE, then changes out/sub/报告 1.json in place, keeping its size. */
  async function changedInPlace(): Promise<{ dir: string; before: ActionRun }> {
    const dir = await workspace(TREE)
    const before = await action(dir, { files: 'out/**' })
    expect(before.code).toBe(0)
    const file = path.join(dir, 'out/sub/报告 1.json')
    const old = await readFile(file)
    const changed = Buffer.from('{"passed":11,"failed":1}')
    expect(changed.length).toBe(old.length)
    await writeFile(file, changed)
    return { dir, before }
  }

  it('action: without verify nothing is uploaded; with verify exactly that file is, and the log says why', async () => {
    const { dir, before } = await changedInPlace()
    const oldIds = new Map(filesOutput(before).map((file) => [file.name, file.id]))
    const records = emulator.files.size

    const trusting = await action(dir, { files: 'out/**', 'skip-existing': 'true' })
    expect(trusting.code).toBe(0)
    expect(emulator.files.size).toBe(records)
    expect(filesOutput(trusting).every((file) => file.existing)).toBe(true)
    expect(requestsOf('download')).toBe(0)

    emulator.requests.length = 0
    const result = await action(dir, { files: 'out/**', 'skip-existing': 'true', verify: 'true' })
    expect(result.code, result.log).toBe(0)
    const creates = emulator.requests.filter((request) => request.step === 'create')
    expect(creates.map((request) => emulator.files.get(request.fileId ?? 0)?.name)).toEqual([
      'sub/报告 1.json'
    ])
    expect(emulator.files.size).toBe(records + 1)
    const files = filesOutput(result)
    const changed = files.find((file) => file.name === 'sub/报告 1.json')
    expect(changed?.existing).toBe(false)
    expect(changed?.id).toBe(records + 1)
    for (const file of files.filter((entry) => entry.name !== 'sub/报告 1.json')) {
      expect(file.existing).toBe(true)
      expect(file.id).toBe(oldIds.get(file.name))
    }
    const oldId = oldIds.get('sub/报告 1.json')
    expect(fileIds(result)).not.toContain(oldId)
    expect(result.log).toContain(
      `≠ out/sub/报告 1.json: record ${oldId} of the same name and size holds other bytes`
    )
    expect(reuploadLine(result.log, oldId)).toMatch(/^✓ out\/sub\/报告 1\.json → 5 \(/)
    await expectRightBytes(dir, files)
    await expectChecksumsFile(checksumsText(result), path.join(dir, 'out'), files)
  })

  it('CLI: --skip-existing alone uploads nothing; with --verify exactly that file', async () => {
    const { dir, before } = await changedInPlace()
    const oldId = filesOutput(before).find((file) => file.name === 'sub/报告 1.json')?.id
    const records = emulator.files.size

    const trusting = await cli(dir, ['--skip-existing', 'out/'])
    expect(trusting.code).toBe(0)
    expect(emulator.files.size).toBe(records)

    emulator.requests.length = 0
    const result = await cli(dir, ['--skip-existing', '--verify', 'out/'])
    expect(result.code, result.stderr).toBe(0)
    const creates = emulator.requests.filter((request) => request.step === 'create')
    expect(creates).toHaveLength(1)
    expect(emulator.files.get(creates[0]?.fileId ?? 0)?.name).toBe('sub/报告 1.json')
    expect(reuploadLine(result.stderr, oldId)).toMatch(/^✓ out\/sub\/报告 1\.json → 5 \(/)
    const lines = idLines(result.stdout)
    expect(lines).toContainEqual([records + 1, 'sub/报告 1.json'])
    expect(lines.map(([id]) => id)).not.toContain(oldId)
    await expectRightBytes(
      dir,
      lines.map(([id, name]) => ({ id, name }))
    )
  })
})

describe('downloads happen only under verify', () => {
  it('action: none without verify, one GET /api/files/{id} per file with download-url, one download per file with verify', async () => {
    const dir = await workspace(TREE)
    const plain = await action(dir, { files: 'out/**' })
    expect(plain.code).toBe(0)
    expect(requestsOf('download')).toBe(0)
    expect(requestsOf('get')).toBe(0)

    emulator.reset()
    const withUrl = await action(dir, { files: 'out/**', 'download-url': 'true' })
    expect(withUrl.code).toBe(0)
    expect(requestsOf('download')).toBe(0)
    for (const id of fileIds(withUrl)) expect(requestsOf('get', id), `record ${id}`).toBe(1)
    expect(requestsOf('get')).toBe(NAMES.length)

    emulator.reset()
    const verified = await action(dir, { files: 'out/**', verify: 'true' })
    expect(verified.code).toBe(0)
    for (const id of fileIds(verified)) expect(requestsOf('download', id), `record ${id}`).toBe(1)
    expect(requestsOf('download')).toBe(NAMES.length)
  })

  it('CLI: none without --verify, one per file with it', async () => {
    const dir = await workspace(TREE)
    expect((await cli(dir, ['out/'])).code).toBe(0)
    expect(requestsOf('download')).toBe(0)
    expect(requestsOf('get')).toBe(0)

    emulator.reset()
    const verified = await cli(dir, ['--verify', 'out/'])
    expect(verified.code).toBe(0)
    for (const [id] of idLines(verified.stdout)) {
      expect(requestsOf('download', id), `record ${id}`).toBe(1)
    }
    expect(requestsOf('download')).toBe(NAMES.length)
  })
})

describe("the download URL's signature is a secret", () => {
  it('action: each signature is masked before the log shows it, and is in no output', async () => {
    const dir = await workspace(TREE)
    emulator.setCorrupt({ puts: 'first' })
    const result = await action(dir, { files: 'out/**', verify: 'true' })
    expect(result.code).toBe(0)
    const signatures = downloadSignatures()
    expect(signatures).toHaveLength(2 * NAMES.length)
    const lines = result.log.split('\n')
    for (const signature of signatures) {
      const shown = lines.filter((line) => line.includes(signature))
      expect(shown, signature).toEqual([`::add-mask::${signature}`])
      expect(Object.values(result.outputs).join('\n')).not.toContain(signature)
      expect(result.manifest).not.toContain(signature)
      expect(result.summary).not.toContain(signature)
    }
  })

  it('CLI: no signature on stdout or stderr, even with --verbose and --json', async () => {
    const dir = await workspace(TREE)
    emulator.setCorrupt({ puts: 'first' })
    for (const args of [['--verbose'], ['--verbose', '--json']]) {
      emulator.reset()
      const result = await cli(dir, [...args, '--verify', 'out/'])
      expect(result.code).toBe(0)
      const signatures = downloadSignatures()
      expect(signatures).toHaveLength(2 * NAMES.length)
      for (const signature of signatures) {
        expect(result.stdout).not.toContain(signature)
        expect(result.stderr).not.toContain(signature)
      }
    }
  })
})

/**
 * The one line of the log that says a file was re-uploaded because its content changed, naming
 * `oldId` as the record with the old bytes.
 */
function reuploadLine(log: string, oldId: number | undefined): string {
  const lines = log
    .split('\n')
    .filter((line) => line.includes('re-uploaded because its content changed'))
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(new RegExp(`record ${oldId} holds the old bytes\\)$`))
  return lines[0] ?? ''
}

/** The text of the checksums file a run's `checksums` output named, which must be set. */
function checksumsText(result: ActionRun): string {
  expect(result.outputs.checksums).toMatch(/checksums\.txt$/)
  return result.checksums
}
