// The library's entry, uploadFiles, in this process against the emulator: the options it refuses
// before any request (in the library's words), the key it takes from EMPIRICALRUN_KEY, and the
// manifest and checksums it writes once the run is done. test/core/run.test.ts tests the run.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../emulator/emulator.ts'
import { makeWorkspace } from '../../scripts/run-action.ts'
import { InputError } from '../../src/core/errors.ts'
import { uploadFiles } from '../../src/lib/upload-files.ts'

let emulator: Emulator
let root: string

beforeAll(async () => {
  emulator = await startEmulator({ projects: [1] })
  root = await mkdtemp(path.join(os.tmpdir(), 'lib-upload-files-'))
})
afterAll(async () => {
  await emulator.close()
  await rm(root, { recursive: true, force: true })
})
afterEach(() => {
  emulator.reset()
})

/** A fresh workspace holding `files` (path → content), in the file's scratch folder. */
const workspace = (files: Record<string, string>): Promise<string> => makeWorkspace(files, root)

describe('uploadFiles, the library', () => {
  it("speaks of the library's options, for a bad option and for a run", async () => {
    const cwd = await workspace({ 'a.md': 'x' })
    const given = { apiKey: emulator.apiKey, baseUrl: emulator.apiUrl, cwd }
    await expect(uploadFiles({ ...given, projectId: -1, files: '*.txt' })).rejects.toThrow(
      /^Option 'projectId': /
    )
    const result = await uploadFiles({ ...given, projectId: 1, files: '*.txt' })
    expect(result.failure).toBe(
      "No files were found with the provided patterns:\n*.txt\n(set ifNoFilesFound to 'warn' or 'ignore' to allow this)"
    )
  })
})

describe('uploadFiles: what it refuses before any request', () => {
  const given = () => ({ baseUrl: emulator.apiUrl, projectId: 1, files: '*.txt' })

  it('refuses an unknown option, naming the nearest known one', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    const typo = { ...given(), apiKey: emulator.apiKey, cwd, skipExisiting: true }
    await expect(uploadFiles(typo)).rejects.toThrow(
      new InputError(
        { setting: 'skipExisiting', input: 'skipExisiting', flag: undefined },
        "unknown option; did you mean 'skipExisting'?",
        "Option 'skipExisiting': unknown option; did you mean 'skipExisting'?"
      )
    )
    await expect(
      uploadFiles({
        ...given(),
        apiKey: emulator.apiKey,
        cwd,
        onProgres: () => undefined
      } as Parameters<typeof uploadFiles>[0])
    ).rejects.toThrow("Option 'onProgres': unknown option; did you mean 'onProgress'?")
    expect(emulator.requests).toEqual([])
  })

  it.each([
    'apiKey',
    'projectId',
    'files',
    'description',
    'baseUrl',
    'ifNoFilesFound',
    'includeHiddenFiles',
    'concurrency',
    'retries',
    'requestTimeout',
    'dryRun',
    'namePrefix',
    'skipExisting',
    'downloadUrl',
    'verify',
    'cwd',
    'manifest',
    'checksums',
    'retryBaseMs',
    'progressIntervalMs',
    'log',
    'onProgress',
    'signal'
  ])('knows %s', async (option) => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    const options = { ...given(), apiKey: emulator.apiKey, cwd, dryRun: true, [option]: undefined }
    if (option === 'files' || option === 'projectId')
      await expect(uploadFiles(options)).rejects.toThrow(`Option '${option}' is required: `)
    else await expect(uploadFiles(options)).resolves.toMatchObject({ cancelled: false })
  })

  it('refuses a cwd that is not a folder, naming cwd, after the settings', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    const run = (where: string) => uploadFiles({ ...given(), apiKey: emulator.apiKey, cwd: where })
    await expect(run(path.join(cwd, 'nope'))).rejects.toThrow(
      `Option 'cwd': ${path.join(cwd, 'nope')} does not exist`
    )
    await expect(run(path.join(cwd, 'a.txt'))).rejects.toThrow(
      `Option 'cwd': ${path.join(cwd, 'a.txt')} is not a folder`
    )
    await expect(
      uploadFiles({ ...given(), apiKey: emulator.apiKey, cwd: 'nope', concurrency: 0 })
    ).rejects.toThrow(/^Option 'concurrency': /)
    expect(emulator.requests).toEqual([])
  })

  it('refuses an output path that cannot be written, before any request', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha', 'reports/b.md': 'x' })
    const base = { ...given(), apiKey: emulator.apiKey, cwd }
    await expect(uploadFiles({ ...base, manifest: 'reports' })).rejects.toThrow(
      "Option 'manifest': cannot write reports: it is a folder; name a file in it, such as reports/manifest.json"
    )
    await expect(uploadFiles({ ...base, checksums: 'no/sums.txt' })).rejects.toThrow(
      `Option 'checksums': cannot write no/sums.txt: its folder ${path.join(cwd, 'no')} does not exist`
    )
    await expect(uploadFiles({ ...base, dryRun: true, checksums: 'sums.txt' })).rejects.toThrow(
      "Option 'checksums': a dry run uploads nothing, so there is nothing to sum; leave out dryRun or checksums"
    )
    expect(emulator.requests).toEqual([])
    expect((await readdir(cwd)).sort()).toEqual(['a.txt', 'reports'])
  })
})

describe('uploadFiles: the key and the outputs', () => {
  const saved = process.env.EMPIRICALRUN_KEY
  afterEach(() => {
    if (saved === undefined) Reflect.deleteProperty(process.env, 'EMPIRICALRUN_KEY')
    else process.env.EMPIRICALRUN_KEY = saved
  })
  const given = (cwd: string) => ({ baseUrl: emulator.apiUrl, projectId: 1, files: '*.txt', cwd })

  it('takes the key from EMPIRICALRUN_KEY when apiKey is left out or empty', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    process.env.EMPIRICALRUN_KEY = emulator.apiKey
    const left = await uploadFiles({ ...given(cwd), retryBaseMs: 0 })
    expect(left.failure).toBeUndefined()
    expect(left.files.map((entry) => entry.id)).toEqual([1])
    const empty = await uploadFiles({ ...given(cwd), apiKey: '', retryBaseMs: 0 })
    expect(empty.failure).toBeUndefined()
  })

  it('takes apiKey over EMPIRICALRUN_KEY when both are there', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    process.env.EMPIRICALRUN_KEY = 'not-the-key'
    const result = await uploadFiles({ ...given(cwd), apiKey: emulator.apiKey, retryBaseMs: 0 })
    expect(result.failure).toBeUndefined()
    expect(result.files.map((entry) => entry.id)).toEqual([1])
  })

  it('says where the key goes when neither is there', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    Reflect.deleteProperty(process.env, 'EMPIRICALRUN_KEY')
    await expect(uploadFiles(given(cwd))).rejects.toThrow(
      "Option 'apiKey': no API key: pass apiKey, or set the EMPIRICALRUN_KEY environment variable"
    )
  })

  it('writes manifest and checksums from cwd once the run is done', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha', 'out/keep': '' })
    const result = await uploadFiles({
      ...given(cwd),
      apiKey: emulator.apiKey,
      manifest: 'out/m.json',
      checksums: 'sums.txt'
    })
    expect(result.failure).toBeUndefined()
    const written = JSON.parse(await readFile(path.join(cwd, 'out', 'm.json'), 'utf8')) as unknown
    expect(written).toMatchObject({ project_id: 1, files: [{ id: 1, name: 'a.txt' }] })
    expect(await readFile(path.join(cwd, 'sums.txt'), 'utf8')).toMatch(/^[0-9a-f]{64} {2}a\.txt\n$/)
    const dry = await uploadFiles({ ...given(cwd), dryRun: true, manifest: 'dry.json' })
    expect(JSON.parse(await readFile(path.join(cwd, 'dry.json'), 'utf8'))).toMatchObject({
      dry_run: true
    })
    expect(dry.failure).toBeUndefined()
  })
})
