// What release workflows do around an upload, through the bundled action against the emulator:
// names that group (name-prefix), re-runs that change nothing (skip-existing), a download URL for
// the next step (download-url), the manifest and the output size limit, and progress lines.
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ActionRun } from '../../scripts/run-action.ts'
import type { ManifestJson as Manifest } from '../../src/core/results/manifest.ts'
import type { UploadedFile } from '../../src/core/transfer/outcome.ts'
import {
  emulatorWith,
  inputsFor,
  runAction,
  sharedEmulator,
  visibleLog,
  workspace
} from '../support/bundle.ts'
import { sha256 } from '../support/harness.ts'

const emulator = sharedEmulator({ projects: [7, 8] })

/**
 * Runs the bundle against project 7; the harness checks its invariants (a download URL asked for
 * may stand in the outputs).
 */
async function run(
  dir: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): Promise<ActionRun> {
  return runAction({
    workspace: dir,
    inputs: inputsFor(emulator, { 'project-id': '7', ...inputs }),
    env,
    allow: { downloadUrls: inputs['download-url'] === 'true' }
  })
}

/** One entry of the `files` output. */
type FileOutput = UploadedFile

function filesOf(result: ActionRun): FileOutput[] {
  return JSON.parse(result.outputs.files ?? '') as FileOutput[]
}

function idsOf(result: ActionRun): number[] {
  return JSON.parse(result.outputs['file-ids'] ?? '') as number[]
}

async function manifestOf(result: ActionRun): Promise<Manifest> {
  return JSON.parse(result.manifest) as Manifest
}

function requestsOf(step: string): number {
  return emulator.requests.filter((request) => request.step === step).length
}

const RELEASE = {
  'release/app.apk': randomBytes(200_000),
  'release/index.html': '<!doctype html><title>app</title>',
  'release/notes/CHANGES.md': '# 1.2.3\n'
}

describe('name-prefix', () => {
  it('puts the prefix before every name: in the records, the outputs, the log and the summary', async () => {
    const dir = await workspace(RELEASE)
    const result = await run(dir, { files: 'release/', 'name-prefix': 'builds/v1.2.3/' })
    expect(result.code).toBe(0)
    const names = [
      'builds/v1.2.3/app.apk',
      'builds/v1.2.3/index.html',
      'builds/v1.2.3/notes/CHANGES.md'
    ]
    expect(filesOf(result).map((file) => file.name)).toEqual(names)
    expect(emulator.uploaded().map((record) => record.name)).toEqual(names)
    expect(result.log).toContain("names prefixed with 'builds/v1.2.3/'")
    expect(result.log).toMatch(/✓ release\/app\.apk → \d+ as builds\/v1\.2\.3\/app\.apk \(/)
    expect(result.summary).toContain('<code>builds/v1.2.3/notes/CHANGES.md</code>')
    const manifest = await manifestOf(result)
    expect(manifest.name_prefix).toBe('builds/v1.2.3/')
    expect(manifest.files.map((file) => file.name)).toEqual(names)
  })

  it('is verbatim: nightly- makes nightly-app.apk', async () => {
    const dir = await workspace({ 'app.apk': 'apk' })
    const result = await run(dir, { files: 'app.apk', 'name-prefix': 'nightly-' })
    expect(result.code).toBe(0)
    expect(filesOf(result)[0]?.name).toBe('nightly-app.apk')
  })

  it.each([
    ['/abs/', "must not start with '/'"],
    ['..\\up\\', 'backslash'],
    ['a/../../b/', "'..' segment"],
    ['a'.repeat(513), 'at most 512 characters'],
    ['a//b/', 'empty segment']
  ])('%j is refused before any request, naming the input', async (prefix, why) => {
    const dir = await workspace({ 'a.txt': 'a' })
    const result = await run(dir, { files: 'a.txt', 'name-prefix': prefix })
    expect(result.code).toBe(1)
    expect(result.log).toContain(`::error::Input 'name-prefix': `)
    expect(result.log).toContain(why)
    expect(emulator.requests).toHaveLength(0)
  })
})

describe('skip-existing', () => {
  it('a re-run uploads nothing and sets the same IDs, marking them existing', async () => {
    const dir = await workspace(RELEASE)
    const inputs = { files: 'release/', 'name-prefix': 'v1/', 'skip-existing': 'true' }
    const first = await run(dir, inputs)
    expect(first.code).toBe(0)
    expect(filesOf(first).every((file) => !file.existing)).toBe(true)
    const creates = requestsOf('create')

    const again = await run(dir, inputs)
    expect(again.code).toBe(0)
    expect(requestsOf('create')).toBe(creates)
    expect(emulator.requests.filter((r) => r.step === 'put')).toHaveLength(3)
    expect(idsOf(again)).toEqual(idsOf(first))
    expect(again.outputs.count).toBe('3')
    expect(again.outputs['failed-files']).toBe('[]')
    expect(filesOf(again)).toEqual(filesOf(first).map((file) => ({ ...file, existing: true })))
    const [apk] = filesOf(again)
    expect(again.log).toContain(
      `= release/app.apk → ${apk?.id} as v1/app.apk (already in the project)`
    )
    expect(again.log).toContain('all 3 files are already in the project, nothing to upload')
    expect(again.summary).toContain('0 uploaded, 3 already in the project, 0 failed')
    expect(emulator.uploaded()).toHaveLength(3)
  })

  it('uploads what is new or has another size, and takes a changed file of the same size as there', async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta', 'c.txt': 'gamma' })
    const first = await run(dir, { files: '*.txt', 'skip-existing': 'true' })
    const [a, b] = filesOf(first)
    await writeFile(path.join(dir, 'a.txt'), 'ALPHA') // same size, other bytes
    await writeFile(path.join(dir, 'b.txt'), 'beta, longer now')
    await writeFile(path.join(dir, 'd.txt'), 'delta')
    const again = await run(dir, { files: '*.txt', 'skip-existing': 'true' })
    expect(again.code).toBe(0)
    const files = filesOf(again)
    expect(files.map((file) => [file.name, file.existing])).toEqual([
      ['a.txt', true],
      ['b.txt', false],
      ['c.txt', true],
      ['d.txt', false]
    ])
    expect(files[0]?.id).toBe(a?.id)
    // An existing file's sha256 is of the file on disk, which was not compared with the server's.
    expect(files[0]?.sha256).toBe(sha256('ALPHA'))
    expect(files[1]?.id).not.toBe(b?.id)
    expect(again.summary).toContain('2 uploaded, 2 already in the project, 0 failed')
  })

  it('takes the highest ID when several records match', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    await run(dir, { files: 'a.txt' })
    const second = await run(dir, { files: 'a.txt' })
    const newest = idsOf(second)[0]
    const third = await run(dir, { files: 'a.txt', 'skip-existing': 'true' })
    expect(idsOf(third)).toEqual([newest])
    expect(third.outputs['file-id']).toBe(String(newest))
  })

  it('reads every page of a long list, the rest concurrently after the first', async () => {
    const seeded = emulator.seedFiles(
      Array.from({ length: 250 }, (_, i) => ({
        project_id: 7,
        name: `old-${i}.txt`,
        size_bytes: 5
      }))
    )
    const dir = await workspace({ 'old-3.txt': 'three', 'new.txt': 'fresh' })
    const result = await run(dir, { files: '*.txt', 'skip-existing': 'true' })
    expect(result.code).toBe(0)
    const lists = emulator.requests.filter((request) => request.step === 'list')
    expect(lists.map((request) => request.query.page).sort()).toEqual(['1', '2', '3'])
    for (const request of lists) {
      expect(request.query).toMatchObject({ project_id: '7', per_page: '100' })
      expect(request.headers.authorization).toBe(`Bearer ${emulator.apiKey}`)
    }
    const old = seeded.find((record) => record.name === 'old-3.txt')
    expect(filesOf(result).map((file) => [file.name, file.existing])).toEqual([
      ['new.txt', false],
      ['old-3.txt', true]
    ])
    expect(filesOf(result)[1]?.id).toBe(old?.id)
    expect(result.log).toContain('Project 7 holds 250 uploaded files')
  })

  it('does not trust the server to filter: another project and pending records never match', async () => {
    emulator.setListIgnoresFilters(true)
    try {
      emulator.seedFiles([
        { project_id: 8, name: 'a.txt', size_bytes: 5 },
        { project_id: 7, name: 'a.txt', size_bytes: 5, status: 'pending' }
      ])
      const dir = await workspace({ 'a.txt': 'alpha' })
      const result = await run(dir, { files: 'a.txt', 'skip-existing': 'true' })
      expect(result.code).toBe(0)
      expect(filesOf(result)[0]?.existing).toBe(false)
      expect(requestsOf('create')).toBe(1)
    } finally {
      emulator.setListIgnoresFilters(false)
    }
  })

  it('a list that keeps failing fails the step before any upload, naming every file', async () => {
    emulator.faults.push({ step: 'list', times: 3, action: { type: 'status', status: 503 } })
    const dir = await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta' })
    const result = await run(dir, { files: '*.txt', 'skip-existing': 'true', retries: '2' })
    expect(result.code).toBe(1)
    expect(requestsOf('list')).toBe(3)
    expect(requestsOf('create')).toBe(0)
    expect(result.log).toContain(
      "::error::skip-existing: the project's files could not be listed, so nothing was uploaded"
    )
    expect(result.log).toContain('list failed: HTTP 503: Emulated fault: HTTP 503')
    expect(JSON.parse(result.outputs['failed-files'] ?? '')).toEqual(['a.txt', 'b.txt'])
    expect(result.outputs['file-ids']).toBe('[]')
    const manifest = await manifestOf(result)
    expect(manifest.totals).toMatchObject({ files: 2, uploaded: 0, failed: 2 })
  })

  it('a refused key stops at the list, naming the key', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const result = await run(dir, { files: 'a.txt', 'skip-existing': 'true', 'auth-key': 'wrong' })
    expect(result.code).toBe(1)
    expect(requestsOf('list')).toBe(1)
    expect(result.log).toContain('list failed: HTTP 401')
    expect(result.log).toContain('the API key was refused')
  })

  it('a list answer that is not the documented JSON is a clear error', async () => {
    emulator.faults.push({ step: 'list', action: { type: 'html' } })
    const dir = await workspace({ 'a.txt': 'alpha' })
    const result = await run(dir, { files: 'a.txt', 'skip-existing': 'true' })
    expect(result.code).toBe(1)
    expect(result.log).toContain(
      'list failed: HTTP 200: the answer is not the documented JSON (no data.files array): an HTML page: Sign in to network'
    )
    expect(requestsOf('create')).toBe(0)
  })

  it('a dry run lists the project and says which files would be skipped', async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta' })
    const first = await run(dir, { files: 'a.txt' })
    const result = await run(dir, { files: '*.txt', 'skip-existing': 'true', 'dry-run': 'true' })
    expect(result.code).toBe(0)
    expect(requestsOf('create')).toBe(1)
    expect(requestsOf('list')).toBe(1)
    expect(result.log).toContain(
      'Dry run: 1 file would be uploaded to empirical.run project 7 and 1 skipped as already there'
    )
    expect(result.log).toContain(
      `= a.txt → ${idsOf(first)[0]} (already in the project; would be skipped)`
    )
    expect(result.summary).toContain('1 skipped as already in the project')
    expect(result.outputs['file-ids']).toBe('[]')
    const manifest = await manifestOf(result)
    expect(manifest.dry_run).toBe(true)
    expect(manifest.files).toEqual([
      expect.objectContaining({ path: 'a.txt', id: idsOf(first)[0], existing: true }),
      { path: 'b.txt', name: 'b.txt', size_bytes: 4, mime_type: 'text/plain' }
    ])
  })
})

describe('download-url', () => {
  it('hands on a signed URL that downloads the bytes, with its signature masked', async () => {
    const apk = randomBytes(150_000)
    const dir = await workspace({ 'build/app-release.apk': apk })
    const result = await run(dir, { files: 'build/app-release.apk', 'download-url': 'true' })
    expect(result.code).toBe(0)
    const url = result.outputs['file-url'] ?? ''
    expect(new URL(url).pathname).toMatch(/\/app-release\.apk$/)
    expect(filesOf(result)[0]?.url).toBe(url)
    const signature = new URL(url).searchParams.get('X-Amz-Signature') ?? ''
    expect(signature).toMatch(/^[0-9a-f]{64}$/)
    expect(result.log).toContain(`::add-mask::${signature}`)
    expect(visibleLog(result)).not.toContain(signature)
    const download = await fetch(url)
    expect(download.status).toBe(200)
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(apk))
    expect((await manifestOf(result)).files[0]?.url).toBe(url)
  })

  it('gives every file a URL, existing ones too; file-url stays empty for several files', async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta' })
    await run(dir, { files: 'a.txt' })
    const result = await run(dir, {
      files: '*.txt',
      'skip-existing': 'true',
      'download-url': 'true'
    })
    expect(result.code).toBe(0)
    const files = filesOf(result)
    expect(files.map((file) => file.existing)).toEqual([true, false])
    for (const file of files)
      expect(file.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/project-resources\//)
    expect(result.outputs['file-url']).toBe('')
    expect(result.outputs['file-id']).toBe('')
  })

  it('a GET that keeps failing fails the step naming the file, which stays in the outputs without a URL', async () => {
    emulator.faults.push({
      step: 'get',
      name: 'b.txt',
      times: 3,
      action: { type: 'status', status: 503 }
    })
    const dir = await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta' })
    const result = await run(dir, { files: '*.txt', 'download-url': 'true', retries: '2' })
    expect(result.code).toBe(1)
    const files = filesOf(result)
    expect(files.map((file) => file.name)).toEqual(['a.txt', 'b.txt'])
    expect(files[0]?.url).toBeDefined()
    expect(files[1]).not.toHaveProperty('url')
    expect(result.outputs['failed-files']).toBe('[]')
    expect(result.outputs.count).toBe('2')
    expect(result.log).toContain(
      `b.txt: uploaded as ${files[1]?.id}, but its download URL could not be read: get failed: HTTP 503`
    )
    expect(result.log).toContain('1 of 2 files are uploaded without the download URL asked for')
    const entry = (await manifestOf(result)).files[1]
    expect(entry).toMatchObject({ id: files[1]?.id, existing: false })
    expect(entry?.error).toContain('the download URL could not be read: get failed: HTTP 503')
  })
})

describe('the manifest', () => {
  it('is written under RUNNER_TEMP with one entry per matched file, ordered by path, and the totals', async () => {
    emulator.faults.push({ step: 'create', name: 'b.bin', action: { type: 'status', status: 413 } })
    const dir = await workspace({ 'c.txt': 'gamma', 'a.json': '{}', 'b.bin': 'xx' })
    const result = await run(dir, { files: '*' })
    expect(result.code).toBe(1)
    const file = result.outputs.manifest ?? ''
    expect(path.isAbsolute(file)).toBe(true)
    expect(path.basename(file)).toBe('manifest.json')
    const manifest = await manifestOf(result)
    const ids = idsOf(result)
    expect(manifest).toEqual({
      project_id: 7,
      name_prefix: '',
      dry_run: false,
      totals: { files: 3, bytes: 9, uploaded: 2, existing: 0, failed: 1 },
      files: [
        {
          path: 'a.json',
          name: 'a.json',
          size_bytes: 2,
          mime_type: 'application/json',
          id: ids[0],
          sha256: sha256('{}'),
          existing: false
        },
        {
          path: 'b.bin',
          name: 'b.bin',
          size_bytes: 2,
          mime_type: 'application/octet-stream',
          error: 'create failed: HTTP 413: Emulated fault: HTTP 413'
        },
        {
          path: 'c.txt',
          name: 'c.txt',
          size_bytes: 5,
          mime_type: 'text/plain',
          id: ids[1],
          sha256: sha256('gamma'),
          existing: false
        }
      ]
    })
  })

  it('is written on a dry run too, with no key and no request', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const result = await run(dir, { files: 'a.txt', 'dry-run': 'true', 'auth-key': '' })
    expect(result.code).toBe(0)
    expect(emulator.requests).toHaveLength(0)
    const manifest = await manifestOf(result)
    expect(manifest.dry_run).toBe(true)
    expect(manifest.files).toEqual([
      { path: 'a.txt', name: 'a.txt', size_bytes: 5, mime_type: 'text/plain' }
    ])
  })

  it('is written, empty, when nothing matches', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const result = await run(dir, { files: '*.zip', 'if-no-files-found': 'ignore' })
    expect(result.code).toBe(0)
    expect(emulator.requests).toHaveLength(0)
    expect(JSON.parse(result.manifest)).toEqual({
      project_id: 7,
      name_prefix: '',
      dry_run: false,
      totals: { files: 0, bytes: 0, uploaded: 0, existing: 0, failed: 0 },
      files: []
    })
  })

  it('holds what an output cannot: files over 1,000,000 bytes is left empty, with a warning', async () => {
    const long = 'x'.repeat(180)
    const files: Record<string, string> = {}
    for (let i = 0; i < 2000; i++) files[`${long}-${String(i).padStart(4, '0')}.txt`] = String(i)
    const dir = await workspace(files)
    const result = await run(dir, { files: '*.txt', concurrency: '32' })
    expect(result.code).toBe(0)
    expect(result.outputs.files).toBe('')
    expect(idsOf(result)).toHaveLength(2000)
    expect(result.outputs.count).toBe('2000')
    const manifestPath = result.outputs.manifest ?? ''
    expect(result.log).toMatch(
      new RegExp(
        `::warning::Output 'files' is left empty: it would be 1,\\d{3},\\d{3} bytes, over GitHub's limit of 1,000,000 bytes per output; read the full result from the manifest: ${manifestPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`
      )
    )
    const manifest = await manifestOf(result)
    expect(manifest.files).toHaveLength(2000)
    expect(manifest.files.map((file) => file.id)).toEqual(idsOf(result))
  }, 60_000)
})

describe('progress', () => {
  it('prints a line at most every interval while a slow upload runs, counting bytes as they leave', async () => {
    // Socket buffers on loopback take a few MiB before the throttle holds the sender back.
    const slow = await emulatorWith({ projects: [7], storageBytesPerSecond: 5 * 1024 * 1024 })
    const dir = await workspace({ 'big.bin': randomBytes(10 * 1024 * 1024), 'small.txt': 'hi' })
    const result = await runAction({
      workspace: dir,
      inputs: { 'auth-key': slow.apiKey, 'project-id': '7', 'base-url': slow.apiUrl, files: '*' },
      env: { EMPIRICALRUN_PROGRESS_INTERVAL_MS: '300' }
    })
    expect(result.code).toBe(0)
    const lines = result.log.split('\n').filter((line) => line.startsWith('… '))
    expect(lines.length).toBeGreaterThanOrEqual(2)
    const sent = lines.map((line) => {
      const match =
        /^… ([\d.]+ \w+) of 10\.0 MiB sent \((\d+)%\), (\d) of 2 files done, [\d.]+ \w+\/s$/.exec(
          line
        )
      expect(match, line).not.toBeNull()
      return Number(match?.[2])
    })
    // A single large file shows progress before it completes.
    expect(sent.some((percent) => percent > 0 && percent < 100)).toBe(true)
    expect(sent).toEqual([...sent].sort((a, b) => a - b))
  })

  it('prints nothing when the run ends within one interval', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const result = await run(dir, { files: 'a.txt' })
    expect(result.code).toBe(0)
    expect(result.log).not.toMatch(/^… /m)
  })
})

describe('patterns with braces', () => {
  it('says that braces are not expanded when nothing matches', async () => {
    const dir = await workspace({ 'a.txt': 'a', 'b.txt': 'b' })
    const result = await run(dir, { files: '{a,b}.txt' })
    expect(result.code).toBe(1)
    expect(result.log).toContain('No files were found with the provided patterns')
    expect(result.log).toContain(
      'Braces such as {a,b} are not expanded: list each pattern on its own line instead.'
    )
  })
})
