/**
 * Both of the vendor's APIs against a host whose storage and signer were not written here
 * (test/support/interop-api.ts: @20minutes/s3rver verifying the AWS SDK's presigned URLs, upload
 * and download alike), through every face of the built package: the action, the CLI and the
 * library. Each dialect answers 404 to the other's paths, so a call to the wrong one fails the run.
 *
 * For each API: an upload with `download-url` and `verify` (the download URLs are fetched here and
 * must give the bytes; verify's reads are the storage's GETs), a `skip-existing` re-run that
 * uploads nothing and gives the same IDs, a re-run that finds one stored object changed and
 * uploads that file again, and the project-id rule refused before any request.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { randomBytes } from 'node:crypto'
import { uploadFiles, type UploadResult } from '@empiricalrun/upload-files'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActionRun } from '../../scripts/run-action.ts'
import {
  APIS,
  runAction,
  runCli,
  visibleLog,
  workspace as makeWorkspace
} from '../support/bundle.ts'
import { sha256 } from '../support/harness.ts'
import {
  BUCKET,
  readObject,
  startInterop,
  type InteropDialect,
  type InteropStack
} from '../support/interop-api.ts'

const PROJECT = 7
const API_KEY = 'interop-apis-key'

/** The workspace: a build artifact over one PUT's worth of reads, a nested file, an empty one. */
const FILES: Readonly<Record<string, string | Buffer>> = {
  'out/app.apk': randomBytes(3 * 1024 * 1024 + 11),
  'out/docs/read me.md': '# hello\n',
  'out/empty.txt': ''
}
const PATHS = Object.keys(FILES).sort()

/** One file of the action's `files` output. */
interface FileOutput {
  id: number
  name: string
  path: string
  sha256: string
  existing: boolean
  url?: string
}

/**
 * The secrets a run against `stack` holds wherever it writes: the key and each upload URL's
 * signature. A download URL asked for may stand in the outputs, never in the log (checked apart).
 */
function secretsOf(stack: InteropStack): string[] {
  const signatures = stack.storage.requests
    .filter((request) => request.method === 'PUT')
    .map(
      (request) =>
        new URL(request.target, 'http://storage').searchParams.get('X-Amz-Signature') ?? ''
    )
  return [API_KEY, ...signatures]
}

function filesOf(run: ActionRun): FileOutput[] {
  return JSON.parse(run.outputs.files ?? 'null') as FileOutput[]
}

/** The API calls since `from`, as `METHOD route status`. */
function callsSince(stack: InteropStack, from: number): string[] {
  return stack.api.requests
    .slice(from)
    .map((request) => `${request.method} ${request.route} ${request.status}`)
}

/** How many of the storage's requests since `from` were of `method`. */
function storageSince(stack: InteropStack, from: number, method: string): number {
  return stack.storage.requests.slice(from).filter((request) => request.method === method).length
}

describe.each(APIS)('the %s API against a host not written here', (api: InteropDialect) => {
  const project = api === 'files' ? { 'project-id': String(PROJECT) } : {}
  const collection = `/api/${api}`
  let stack: InteropStack
  let workspace: string
  let first: ActionRun

  function uploadAction(extra: Record<string, string> = {}): Promise<ActionRun> {
    return runAction({
      secrets: () => secretsOf(stack),
      workspace,
      allow: { downloadUrls: true },
      inputs: {
        'auth-key': API_KEY,
        'base-url': stack.api.url,
        ...(api === 'files' ? {} : { api }),
        ...project,
        files: 'out/**',
        'name-prefix': 'b1/',
        'download-url': 'true',
        verify: 'true',
        ...extra
      }
    })
  }

  beforeAll(async () => {
    stack = await startInterop(
      { checksums: 'WHEN_REQUIRED' },
      { apiKey: API_KEY, projects: [PROJECT], api }
    )
    workspace = await makeWorkspace(FILES)
    first = await uploadAction()
  })
  afterAll(async () => {
    await stack?.close()
  })

  it('uploads every file intact, sets the outputs, and its download URLs give the bytes', async () => {
    expect(first.code, first.log).toBe(0)
    const files = filesOf(first)
    expect(files.map((file) => file.path)).toEqual(PATHS)
    expect(JSON.parse(first.outputs['file-ids'] ?? '')).toEqual(files.map((file) => file.id))
    expect(first.outputs.count).toBe(String(PATHS.length))
    expect(first.outputs['failed-files']).toBe('[]')
    for (const file of files) {
      const bytes = Buffer.from(FILES[file.path]!)
      const record = stack.api.records.get(file.id)!
      expect([record.name, record.project_id, record.status]).toEqual([
        file.name,
        PROJECT,
        'uploaded'
      ])
      expect(await readObject(stack.s3, record.key)).toMatchObject({
        size: bytes.length,
        sha256: sha256(bytes)
      })
      expect(file.sha256).toBe(sha256(bytes))
      const signature = new URL(file.url!).searchParams.get('X-Amz-Signature')!
      expect([visibleLog(first).includes(signature), first.summary.includes(signature)]).toEqual([
        false,
        false
      ])
      const download = await fetch(file.url!)
      expect(download.status).toBe(200)
      expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(bytes))
    }
    expect(first.checksums).toContain(`${sha256(FILES['out/app.apk']!)}  b1/app.apk\n`)
  })

  it(`calls ${collection} only: a create, a confirm and a get per file, and verify reads each back`, () => {
    const calls = callsSince(stack, 0)
    const per = (call: string) => calls.filter((line) => line.startsWith(call)).length
    const created = api === 'files' ? 201 : 200
    expect(calls.every((line) => line.split(' ')[1]!.startsWith(collection))).toBe(true)
    expect([
      per(`POST ${collection} ${created}`),
      per('PATCH '),
      per('GET '),
      calls.length
    ]).toEqual([PATHS.length, PATHS.length, PATHS.length, 3 * PATHS.length])
    // Each file's stored bytes were read back through its download URL.
    expect(storageSince(stack, 0, 'GET')).toBeGreaterThanOrEqual(PATHS.length)
  })

  it('a skip-existing re-run uploads nothing and gives the same IDs', async () => {
    const calls = stack.api.requests.length
    const puts = storageSince(stack, 0, 'PUT')
    const again = await uploadAction({ 'skip-existing': 'true' })
    expect(again.code, again.log).toBe(0)
    expect(again.outputs['file-ids']).toBe(first.outputs['file-ids'])
    expect(filesOf(again).map((file) => file.existing)).toEqual(PATHS.map(() => true))
    const sent = callsSince(stack, calls)
    expect(sent.filter((line) => !line.startsWith('GET '))).toEqual([])
    expect(sent[0]).toBe(`GET ${collection} 200`)
    expect(storageSince(stack, 0, 'PUT')).toBe(puts)
    expect(stack.api.records.size).toBe(PATHS.length)
  })

  it('a skip-existing re-run with verify uploads again the one file whose stored bytes changed', async () => {
    const ids = JSON.parse(first.outputs['file-ids'] ?? '') as number[]
    const changed = stack.api.records.get(ids[1]!)!
    const bytes = Buffer.from(FILES['out/docs/read me.md']!)
    await stack.s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: changed.key, Body: Buffer.from('# hellO\n') })
    )
    expect(bytes.length).toBe('# hellO\n'.length)
    const again = await uploadAction({ 'skip-existing': 'true' })
    expect(again.code, again.log).toBe(0)
    const files = filesOf(again)
    expect(files.map((file) => [file.path, file.existing])).toEqual([
      ['out/app.apk', true],
      ['out/docs/read me.md', false],
      ['out/empty.txt', true]
    ])
    const fresh = stack.api.records.get(files[1]!.id)!
    expect(fresh.id).not.toBe(changed.id)
    expect(await readObject(stack.s3, fresh.key)).toMatchObject({ sha256: sha256(bytes) })
  })

  it('the CLI and the library do the same, from the key in the environment or the options', async () => {
    const calls = stack.api.requests.length
    const cli = await runCli({
      secrets: () => secretsOf(stack),
      cwd: workspace,
      env: { EMPIRICALRUN_KEY: API_KEY },
      args: [
        ...(api === 'files' ? ['--project-id', String(PROJECT)] : ['--api', api]),
        '--base-url',
        stack.api.url,
        '--name-prefix',
        'cli/',
        '--verify',
        '--json',
        'out/**'
      ]
    })
    expect(cli.code, cli.stderr).toBe(0)
    const manifest = JSON.parse(cli.stdout) as { files: { name: string; id: number }[] }
    expect(manifest.files.map((file) => file.name)).toEqual([
      'cli/app.apk',
      'cli/docs/read me.md',
      'cli/empty.txt'
    ])

    const result: UploadResult = await uploadFiles({
      apiKey: API_KEY,
      ...(api === 'files' ? { projectId: PROJECT } : { api }),
      baseUrl: stack.api.url,
      cwd: workspace,
      files: ['out/**'],
      namePrefix: 'lib/',
      verify: true,
      downloadUrl: true
    })
    expect(result.failure).toBeUndefined()
    expect(result.projectId).toBe(api === 'files' ? PROJECT : undefined)
    for (const file of result.files) {
      const stored = stack.api.records.get(file.id!)!
      expect([stored.name, stored.status]).toEqual([file.name, 'uploaded'])
      const download = await fetch(file.url!)
      expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(file.sha256)
    }
    expect(
      callsSince(stack, calls).every((line) => line.split(' ')[1]!.startsWith(collection))
    ).toBe(true)
  })

  it(`refuses ${api === 'files' ? 'a missing' : 'a given'} project-id before any request, naming it`, async () => {
    const calls = stack.api.requests.length
    const storage = stack.storage.requests.length
    const inputs: Record<string, string> = {
      'auth-key': API_KEY,
      'base-url': stack.api.url,
      ...(api === 'files' ? {} : { api, 'project-id': String(PROJECT) }),
      files: 'out/**'
    }
    const run = await runAction({ secrets: () => secretsOf(stack), workspace, inputs })
    expect(run.code).toBe(1)
    expect(run.log).toMatch(
      api === 'files'
        ? /::error::Input 'project-id' is required/
        : /::error::Input 'project-id' is not used with the Resources API, where the key picks the project/
    )
    expect([stack.api.requests.length, stack.storage.requests.length]).toEqual([calls, storage])
  })
})

describe('the interop host lists and gets as the reference documents', () => {
  it('answers 400 to a page size over 100 and to a project_id in a Resources list', async () => {
    const stack = await startInterop(
      { checksums: 'WHEN_REQUIRED' },
      { apiKey: API_KEY, projects: [PROJECT], api: 'resources' }
    )
    try {
      const get = (route: string) =>
        fetch(stack.api.url + route, { headers: { authorization: `Bearer ${API_KEY}` } })
      expect((await get('/api/resources?per_page=101')).status).toBe(400)
      expect((await get(`/api/resources?project_id=${PROJECT}`)).status).toBe(400)
      expect(await (await get('/api/resources?per_page=100')).json()).toEqual({
        data: { resources: [] },
        pagination: { page: 1, per_page: 100, total: 0, total_pages: 0 }
      })
      expect((await get('/api/resources/1')).status).toBe(404)
      expect((await get('/api/files?project_id=7')).status).toBe(404)
    } finally {
      await stack.close()
    }
  })
})
