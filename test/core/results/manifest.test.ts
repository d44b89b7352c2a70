import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { LocalFile } from '../../../src/core/files/files.ts'
import {
  manifestJson,
  toManifestJson,
  writeManifest,
  type Manifest,
  type ManifestEntry,
  type ManifestJson,
  type ManifestJsonEntry
} from '../../../src/core/results/manifest.ts'
import { buildResult, type RunEnd } from '../../../src/core/results/result.ts'
import { ProjectListing } from '../../../src/core/transfer/listing.ts'
import type { Outcome } from '../../../src/core/transfer/outcome.ts'
import { FAKE_SHA, failedOutcome as failed, okOutcome as ok } from '../../support/outcomes.ts'

function local(name: string, size: number, mimeType = 'text/plain'): LocalFile {
  return {
    absolutePath: `/ws/out/${name}`,
    path: `out/${name}`,
    name: `pre/${name}`,
    size,
    mimeType
  }
}

/** The manifest part of a run's result (its other fields left out). */
function manifestOf(run: RunEnd): Manifest {
  const { projectId, namePrefix, dryRun, totals, files } = buildResult(run)
  return { projectId, namePrefix, dryRun, totals, files }
}

/** The manifest of a run in which every file was sent and ended as its outcome. */
function sentManifest(
  projectId: number | undefined,
  namePrefix: string,
  outcomes: readonly Outcome[]
): Manifest {
  const files = outcomes.map((outcome) => outcome.file)
  const ending = { how: 'sent' as const, outcomes, cancelled: false }
  return manifestOf({ projectId, namePrefix, dryRun: false, files, unmatched: [], ending })
}

/** The manifest of a dry run over `files`, with the project's listing when it was listed. */
function dryRunManifest(
  projectId: number,
  namePrefix: string,
  files: readonly LocalFile[],
  listing?: ProjectListing
): Manifest {
  const ending = { how: 'dry-run' as const, listing }
  return manifestOf({ projectId, namePrefix, dryRun: true, files, unmatched: [], ending })
}

/** The fields every entry starts with, in order, in the manifest and in its JSON. */
const ENTRY_KEYS = ['path', 'name', 'sizeBytes', 'mimeType']
const JSON_ENTRY_KEYS = ['path', 'name', 'size_bytes', 'mime_type']
/** The fields that follow them for a file in the project, in order. */
const IN_PROJECT_KEYS = ['id', 'sha256', 'existing']
/** The fields of a manifest's JSON, in order. */
const JSON_KEYS = ['project_id', 'name_prefix', 'dry_run', 'totals', 'files']

/** The JSON form of an expected manifest entry: the same fields, in snake_case. */
function jsonEntry({ sizeBytes, mimeType, ...rest }: ManifestEntry): ManifestJsonEntry {
  return { ...rest, size_bytes: sizeBytes, mime_type: mimeType }
}

/** A run of project 42 under 'pre/' with one file of every kind of outcome, in path order. */
function runOfEveryKind(): Manifest {
  const outcomes = [
    ok(local('a.txt', 10), 1, 'uploaded'),
    ok(local('b.bin', 20, 'application/octet-stream'), 2, 'settled'),
    ok(local('c.txt', 30), 3, 'existing'),
    failed(local('d.txt', 40), 'create failed: HTTP 500: boom'),
    ok(local('e.txt', 50), 5, 'uploaded', { urlError: 'get failed: HTTP 503: unavailable' }),
    ok(local('f.txt', 60), 6, 'uploaded', { url: 'https://cdn.example/f.txt?sig=1' }),
    ok(local('g.txt', 70), 7, 'existing', { url: 'https://cdn.example/g.txt?sig=2' })
  ]
  return sentManifest(42, 'pre/', outcomes)
}

/** The entries of `runOfEveryKind`, one per file. */
const EVERY_KIND_ENTRIES: ManifestEntry[] = [
  {
    path: 'out/a.txt',
    name: 'pre/a.txt',
    sizeBytes: 10,
    mimeType: 'text/plain',
    id: 1,
    sha256: FAKE_SHA,
    existing: false
  },
  {
    path: 'out/b.bin',
    name: 'pre/b.bin',
    sizeBytes: 20,
    mimeType: 'application/octet-stream',
    id: 2,
    sha256: FAKE_SHA,
    existing: false
  },
  {
    path: 'out/c.txt',
    name: 'pre/c.txt',
    sizeBytes: 30,
    mimeType: 'text/plain',
    id: 3,
    sha256: FAKE_SHA,
    existing: true
  },
  {
    path: 'out/d.txt',
    name: 'pre/d.txt',
    sizeBytes: 40,
    mimeType: 'text/plain',
    error: 'create failed: HTTP 500: boom'
  },
  {
    path: 'out/e.txt',
    name: 'pre/e.txt',
    sizeBytes: 50,
    mimeType: 'text/plain',
    id: 5,
    sha256: FAKE_SHA,
    existing: false,
    error: 'the download URL could not be read: get failed: HTTP 503: unavailable'
  },
  {
    path: 'out/f.txt',
    name: 'pre/f.txt',
    sizeBytes: 60,
    mimeType: 'text/plain',
    id: 6,
    sha256: FAKE_SHA,
    existing: false,
    url: 'https://cdn.example/f.txt?sig=1'
  },
  {
    path: 'out/g.txt',
    name: 'pre/g.txt',
    sizeBytes: 70,
    mimeType: 'text/plain',
    id: 7,
    sha256: FAKE_SHA,
    existing: true,
    url: 'https://cdn.example/g.txt?sig=2'
  }
]

/** A record of project 9 that a listing of the project returns. */
function record(id: number, name: string, sizeBytes: number, status = 'uploaded') {
  return { id, projectId: 9, name, sizeBytes, status, url: undefined }
}

describe('the manifest of a result', () => {
  it('describes a run with every kind of outcome', () => {
    const manifest = runOfEveryKind()
    expect(manifest).toEqual<Manifest>({
      projectId: 42,
      namePrefix: 'pre/',
      dryRun: false,
      totals: { files: 7, bytes: 280, uploaded: 4, existing: 2, failed: 1, cancelled: 0 },
      files: EVERY_KIND_ENTRIES
    })
    // No undefined-valued keys: the JSON has exactly the fields shown.
    expect(Object.keys(manifest.files[0] ?? {})).toEqual([...ENTRY_KEYS, ...IN_PROJECT_KEYS])
    expect(Object.keys(manifest.files[3] ?? {})).toEqual([...ENTRY_KEYS, 'error'])
  })

  it.each<{
    name: string
    outcomes: (files: LocalFile[]) => Outcome[]
    totals: Manifest['totals']
  }>([
    {
      name: 'all uploaded',
      outcomes: (files) => files.map((file, i) => ok(file, i + 1, 'uploaded')),
      totals: { files: 3, bytes: 6, uploaded: 3, existing: 0, failed: 0, cancelled: 0 }
    },
    {
      name: 'all settled',
      outcomes: (files) => files.map((file, i) => ok(file, i + 1, 'settled')),
      totals: { files: 3, bytes: 6, uploaded: 3, existing: 0, failed: 0, cancelled: 0 }
    },
    {
      name: 'all existing',
      outcomes: (files) => files.map((file, i) => ok(file, i + 1, 'existing')),
      totals: { files: 3, bytes: 6, uploaded: 0, existing: 3, failed: 0, cancelled: 0 }
    },
    {
      name: 'all failed',
      outcomes: (files) => files.map((file) => failed(file, 'nope')),
      totals: { files: 3, bytes: 6, uploaded: 0, existing: 0, failed: 3, cancelled: 0 }
    },
    {
      name: 'uploaded without their download URLs (not failures)',
      outcomes: (files) =>
        files.map((file, i) => ok(file, i + 1, 'uploaded', { urlError: 'timeout' })),
      totals: { files: 3, bytes: 6, uploaded: 3, existing: 0, failed: 0, cancelled: 0 }
    },
    {
      name: 'existing without their download URLs (not failures)',
      outcomes: (files) =>
        files.map((file, i) => ok(file, i + 1, 'existing', { urlError: 'timeout' })),
      totals: { files: 3, bytes: 6, uploaded: 0, existing: 3, failed: 0, cancelled: 0 }
    }
  ])('counts a run with $name', ({ outcomes, totals }) => {
    const files = [local('a', 1), local('b', 2), local('c', 3)]
    expect(sentManifest(1, '', outcomes(files)).totals).toEqual(totals)
  })

  it('describes a run that matched no files', () => {
    expect(sentManifest(3, '', [])).toEqual({
      projectId: 3,
      namePrefix: '',
      dryRun: false,
      totals: { files: 0, bytes: 0, uploaded: 0, existing: 0, failed: 0, cancelled: 0 },
      files: []
    })
  })

  it('describes a dry run without a listing: the files and no outcome', () => {
    const files = [local('a.txt', 10), local('b.txt', 0)]
    expect(dryRunManifest(9, 'pre/', files)).toEqual({
      projectId: 9,
      namePrefix: 'pre/',
      dryRun: true,
      totals: { files: 2, bytes: 10, uploaded: 0, existing: 0, failed: 0, cancelled: 0 },
      files: [
        { path: 'out/a.txt', name: 'pre/a.txt', sizeBytes: 10, mimeType: 'text/plain' },
        { path: 'out/b.txt', name: 'pre/b.txt', sizeBytes: 0, mimeType: 'text/plain' }
      ]
    })
  })

  it('describes a dry run with a listing: the files already there get their id and existing', () => {
    const files = [local('a.txt', 10), local('b.txt', 20), local('c.txt', 30)]
    const listing = new ProjectListing(
      [
        // a.txt: the newest of two matches wins.
        record(11, 'pre/a.txt', 10),
        record(12, 'pre/a.txt', 10),
        // b.txt: another size, no match.
        record(13, 'pre/b.txt', 21),
        // c.txt: pending, no match.
        record(14, 'pre/c.txt', 30, 'pending')
      ],
      9
    )
    const manifest = dryRunManifest(9, 'pre/', files, listing)
    const entries: ManifestEntry[] = [
      {
        path: 'out/a.txt',
        name: 'pre/a.txt',
        sizeBytes: 10,
        mimeType: 'text/plain',
        id: 12,
        existing: true
      },
      { path: 'out/b.txt', name: 'pre/b.txt', sizeBytes: 20, mimeType: 'text/plain' },
      { path: 'out/c.txt', name: 'pre/c.txt', sizeBytes: 30, mimeType: 'text/plain' }
    ]
    expect(manifest).toEqual({
      projectId: 9,
      namePrefix: 'pre/',
      dryRun: true,
      totals: { files: 3, bytes: 60, uploaded: 0, existing: 1, failed: 0, cancelled: 0 },
      files: entries
    })
    expect(Object.keys(manifest.files[1] ?? {})).toEqual(ENTRY_KEYS)
    // The JSON shape keeps its snake_case names.
    expect(toManifestJson(manifest)).toEqual<ManifestJson>({
      project_id: 9,
      name_prefix: 'pre/',
      dry_run: true,
      totals: { files: 3, bytes: 60, uploaded: 0, existing: 1, failed: 0 },
      files: entries.map(jsonEntry)
    })
    expect(Object.keys(toManifestJson(manifest).files[1] ?? {})).toEqual(JSON_ENTRY_KEYS)
  })
})

describe('toManifestJson', () => {
  it('writes the snake_case JSON shape of a run with every kind of outcome, in its order', () => {
    const json = toManifestJson(runOfEveryKind())
    expect(json).toEqual<ManifestJson>({
      project_id: 42,
      name_prefix: 'pre/',
      dry_run: false,
      totals: { files: 7, bytes: 280, uploaded: 4, existing: 2, failed: 1 },
      files: EVERY_KIND_ENTRIES.map(jsonEntry)
    })
    // In its order, with no undefined-valued keys: the JSON has exactly the fields shown.
    expect(Object.keys(json)).toEqual(JSON_KEYS)
    expect(Object.keys(json.totals)).toEqual(['files', 'bytes', 'uploaded', 'existing', 'failed'])
    expect(Object.keys(json.files[0] ?? {})).toEqual([...JSON_ENTRY_KEYS, ...IN_PROJECT_KEYS])
    expect(Object.keys(json.files[3] ?? {})).toEqual([...JSON_ENTRY_KEYS, 'error'])
    expect(Object.keys(json.files[5] ?? {})).toEqual([
      ...JSON_ENTRY_KEYS,
      ...IN_PROJECT_KEYS,
      'url'
    ])
  })

  it('counts cancelled files apart inside, and among the failed in the JSON, with no cancelled field', () => {
    const cancelledOutcome = (file: LocalFile): Outcome => ({
      ok: false,
      file,
      error: 'not uploaded: the run was cancelled',
      cancelled: true,
      durationMs: 5
    })
    const outcomes = [
      ok(local('a', 1), 1, 'uploaded'),
      failed(local('b', 2), 'nope'),
      cancelledOutcome(local('c', 3)),
      cancelledOutcome(local('d', 4))
    ]
    const manifest = sentManifest(1, '', outcomes)
    expect(manifest.totals).toEqual<Manifest['totals']>({
      files: 4,
      bytes: 10,
      uploaded: 1,
      existing: 0,
      failed: 1,
      cancelled: 2
    })
    expect(manifest.files[1]).toEqual({
      path: 'out/b',
      name: 'pre/b',
      sizeBytes: 2,
      mimeType: 'text/plain',
      error: 'nope'
    })
    expect(manifest.files[2]).toEqual({
      path: 'out/c',
      name: 'pre/c',
      sizeBytes: 3,
      mimeType: 'text/plain',
      error: 'not uploaded: the run was cancelled',
      cancelled: true
    })
    const json = toManifestJson(manifest)
    expect(json.totals).toEqual({ files: 4, bytes: 10, uploaded: 1, existing: 0, failed: 3 })
    expect(json.totals).not.toHaveProperty('cancelled')
    expect(json.files[2]).toEqual({
      path: 'out/c',
      name: 'pre/c',
      size_bytes: 3,
      mime_type: 'text/plain',
      error: 'not uploaded: the run was cancelled'
    })
    for (const entry of json.files) expect(entry).not.toHaveProperty('cancelled')
    expect(manifestJson(manifest)).not.toContain('"cancelled"')
    expect(manifestJson(manifest)).toBe(`${JSON.stringify(json, null, 2)}\n`)
  })

  it('leaves out the fields of a run result that are not the manifest', () => {
    const ending = { how: 'no-match' as const, failure: 'none' }
    const run = { projectId: 3, namePrefix: 'x/', dryRun: false, files: [], unmatched: ['a'] }
    const result = { ...buildResult({ ...run, ending }), extra: 1 }
    expect(toManifestJson(result)).toEqual<ManifestJson>({
      project_id: 3,
      name_prefix: 'x/',
      dry_run: false,
      totals: { files: 0, bytes: 0, uploaded: 0, existing: 0, failed: 0 },
      files: []
    })
    expect(Object.keys(toManifestJson(result))).toEqual(JSON_KEYS)
  })
})

describe("the key's project (the Resources API), which has no ID", () => {
  it('writes project_id null, in its place', () => {
    const manifest = sentManifest(undefined, '', [])
    expect(manifest.projectId).toBeUndefined()
    expect(Object.keys(toManifestJson(manifest))).toEqual(JSON_KEYS)
    expect(manifestJson(manifest)).toContain('\n  "project_id": null,\n')
  })
})

describe('writeManifest', () => {
  const saved = process.env.RUNNER_TEMP
  let runnerTemp = ''
  const written: string[] = []

  beforeAll(async () => {
    runnerTemp = await fs.mkdtemp(path.join(os.tmpdir(), 'manifest-test-'))
  })

  afterEach(() => {
    if (saved === undefined) delete process.env.RUNNER_TEMP
    else process.env.RUNNER_TEMP = saved
  })

  afterAll(async () => {
    await fs.rm(runnerTemp, { recursive: true, force: true })
    // Manifests written under the OS temp dir by the fallback tests.
    for (const file of written) await fs.rm(path.dirname(file), { recursive: true, force: true })
  })

  const manifest = sentManifest(5, '', [
    ok(local('ünï €.txt', 3), 8, 'uploaded', { url: 'https://x/y?a=1&b=2' })
  ])

  it('writes pretty JSON with a final newline to a new folder under RUNNER_TEMP', async () => {
    process.env.RUNNER_TEMP = runnerTemp
    const file = await writeManifest(manifest, process.env.RUNNER_TEMP)
    expect(path.basename(file)).toBe('manifest.json')
    expect(path.dirname(path.dirname(file))).toBe(runnerTemp)
    expect(path.basename(path.dirname(file))).toMatch(/^empiricalrun-upload-.+/)
    const text = await fs.readFile(file, 'utf8')
    expect(text).toBe(`${JSON.stringify(toManifestJson(manifest), null, 2)}\n`)
    expect(text).toBe(manifestJson(manifest))
    expect(text.endsWith('}\n')).toBe(true)
    expect(JSON.parse(text)).toEqual(toManifestJson(manifest))
    expect(JSON.parse(text)).toMatchObject({
      project_id: 5,
      files: [{ path: 'out/ünï €.txt', size_bytes: 3, url: 'https://x/y?a=1&b=2' }]
    })
  })

  it('writes each manifest to its own folder', async () => {
    process.env.RUNNER_TEMP = runnerTemp
    const first = await writeManifest(manifest, process.env.RUNNER_TEMP)
    const second = await writeManifest(manifest, process.env.RUNNER_TEMP)
    expect(first).not.toBe(second)
    expect(path.dirname(first)).not.toBe(path.dirname(second))
    expect(JSON.parse(await fs.readFile(first, 'utf8'))).toEqual(toManifestJson(manifest))
    expect(JSON.parse(await fs.readFile(second, 'utf8'))).toEqual(toManifestJson(manifest))
  })

  it.each<{ name: string; value: string | undefined }>([
    { name: 'unset', value: undefined },
    { name: 'empty', value: '' }
  ])('falls back to the OS temp dir when RUNNER_TEMP is $name', async ({ value }) => {
    if (value === undefined) delete process.env.RUNNER_TEMP
    else process.env.RUNNER_TEMP = value
    const file = await writeManifest(manifest, process.env.RUNNER_TEMP)
    written.push(file)
    expect(path.dirname(path.dirname(file))).toBe(os.tmpdir())
    expect(path.basename(path.dirname(file))).toMatch(/^empiricalrun-upload-.+/)
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual(toManifestJson(manifest))
  })

  it('rejects when RUNNER_TEMP does not exist', async () => {
    process.env.RUNNER_TEMP = path.join(runnerTemp, 'missing', 'deeper')
    await expect(writeManifest(manifest, process.env.RUNNER_TEMP)).rejects.toMatchObject({
      code: 'ENOENT'
    })
  })
})
