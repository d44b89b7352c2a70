// The emulator's 'resources' dialect: the vendor's current reference, where the key picks the project.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type {
  Emulator,
  EmulatorOptions,
  FileRecord,
  RecordedRequest
} from '../../emulator/emulator.ts'
import { startEmulator } from '../../emulator/emulator.ts'
import { sha256 } from '../support/harness.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const NODE24 = `${ROOT}node_modules/.bin/node`

/** Keys of the shared emulator: one per project. */
const KEY_1 = 'key-of-project-1'
const KEY_2 = 'key-of-project-2'

/** A fetch answer, read whole. */
interface Answer {
  status: number
  headers: Headers
  text: string
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: Json
}

type Json = Record<string, unknown> & {
  data?: { resource?: Json; resources?: Json[]; pagination?: Json }
  error?: string
}

/** One call as `curl` would make it: a method, a URL, headers, a body. */
async function call(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: string
): Promise<Answer> {
  const res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) })
  const text = await res.text()
  let json: Json
  try {
    json = JSON.parse(text) as Json
  } catch {
    json = {}
  }
  return { status: res.status, headers: res.headers, text, json }
}

/** The Resources API of one emulator, called with one key. */
function resources(emu: Emulator, key: string) {
  const auth = { authorization: `Bearer ${key}` }
  const json = { ...auth, 'content-type': 'application/json' }
  const base = `${emu.apiUrl}/api/resources`
  return {
    create: (body: unknown) => call(base, 'POST', json, JSON.stringify(body)),
    confirm: (id: number | string, body: unknown = { status: 'uploaded' }) =>
      call(`${base}/${id}`, 'PATCH', json, JSON.stringify(body)),
    list: (query = '') => call(`${base}${query === '' ? '' : `?${query}`}`, 'GET', auth),
    get: (id: number | string) => call(`${base}/${id}`, 'GET', auth)
  }
}

/** Creates a resource; returns its id and upload URL. */
async function createOk(emu: Emulator, key: string, body: Record<string, unknown>) {
  const answer = await resources(emu, key).create(body)
  expect(answer.status).toBe(200)
  return answer.json.data!.resource as { id: number; upload_url: string }
}

/** Create, PUT and confirm; returns the id. */
async function upload(emu: Emulator, key: string, name: string, data: string) {
  const size = Buffer.byteLength(data)
  const created = await createOk(emu, key, { name, mime_type: 'text/plain', size_bytes: size })
  const put = await call(created.upload_url, 'PUT', { 'content-type': 'text/plain' }, data)
  expect(put.status).toBe(200)
  expect((await resources(emu, key).confirm(created.id)).status).toBe(200)
  return created.id
}

const names = (answer: Answer): unknown[] =>
  answer.json.data!.resources!.map((resource) => resource.name)

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)

describe("the 'resources' dialect", () => {
  let emu: Emulator
  const extra: Emulator[] = []
  const start = async (options: EmulatorOptions): Promise<Emulator> => {
    const started = await startEmulator(options)
    extra.push(started)
    return started
  }

  beforeAll(async () => {
    emu = await startEmulator({ api: 'resources', keys: { [KEY_1]: 1, [KEY_2]: 2 } })
  })
  afterEach(() => emu.reset())
  afterAll(async () => {
    await Promise.all([emu, ...extra].map((e) => e.close()))
  })

  it('says which dialect and keys it serves', () => {
    expect([emu.api, emu.apiKey, emu.keys]).toEqual([
      'resources',
      KEY_1,
      { [KEY_1]: 1, [KEY_2]: 2 }
    ])
  })

  it('serves the whole flow: create, PUT, PATCH, list, get, download', async () => {
    const api = resources(emu, KEY_1)
    const created = await api.create({
      name: 'app.apk',
      mime_type: 'application/vnd.android.package-archive',
      size_bytes: 5,
      description: 'build 7'
    })
    expect(created.status).toBe(200)
    expect(created.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const resource = created.json.data!.resource!
    // The reference's example, field for field and in its order: no status, no project_id.
    expect(Object.keys(created.json)).toEqual(['data'])
    expect(Object.keys(created.json.data!)).toEqual(['resource'])
    expect(Object.keys(resource)).toEqual([
      'id',
      'name',
      'url',
      'description',
      'mime_type',
      'size_bytes',
      'access_level',
      'created_by',
      'created_at',
      'updated_at',
      'upload_url'
    ])
    expect(resource).toEqual({
      id: 1,
      name: 'app.apk',
      url: null,
      description: 'build 7',
      mime_type: 'application/vnd.android.package-archive',
      size_bytes: 5,
      access_level: 'private',
      created_by: 'emulator-user',
      created_at: ISO,
      updated_at: ISO,
      upload_url: expect.stringMatching(
        new RegExp(`^${emu.storageUrl}/project-resources/1/[0-9a-f-]{36}/app\\.apk\\?X-Amz-`)
      )
    })
    const uploadUrl = resource.upload_url as string
    const put = await call(
      uploadUrl,
      'PUT',
      { 'content-type': 'application/vnd.android.package-archive' },
      'hello'
    )
    expect(put.status).toBe(200)
    const confirmed = await api.confirm(1)
    expect(confirmed.status).toBe(200)
    const after = {
      id: 1,
      project_id: 1,
      name: 'app.apk',
      url: null,
      description: 'build 7',
      mime_type: 'application/vnd.android.package-archive',
      size_bytes: 5,
      access_level: 'private',
      status: 'uploaded',
      created_by: 'emulator-user',
      created_at: resource.created_at,
      updated_at: ISO
    }
    expect(confirmed.json).toEqual({ data: { resource: after } })
    const listed = await api.list()
    expect(listed.status).toBe(200)
    expect(listed.json).toEqual({
      data: {
        resources: [after],
        pagination: { page: 1, per_page: 20, total: 1, total_pages: 1 }
      }
    })
    const got = await api.get(1)
    expect(got.status).toBe(200)
    const downloadUrl = got.json.data!.resource!.url as string
    expect(got.json).toEqual({ data: { resource: { ...after, url: downloadUrl } } })
    expect(Object.keys(got.json.data!.resource!)).toEqual(Object.keys(after))
    const signed = new URL(downloadUrl)
    expect(signed.origin).toBe(emu.storageUrl)
    expect(signed.searchParams.get('X-Amz-Expires')).toBe('3600')
    const download = await call(downloadUrl, 'GET')
    expect([download.status, download.text]).toEqual([200, 'hello'])
    expect(emu.uploaded()[0]?.stored).toMatchObject({ size: 5, sha256: sha256('hello') })
    expect(emu.requests.map((r) => [r.server, r.step, r.status, r.fileId])).toEqual([
      ['api', 'create', 200, 1],
      ['storage', 'put', 200, 1],
      ['api', 'confirm', 200, 1],
      ['api', 'list', 200, undefined],
      ['api', 'get', 200, 1],
      ['storage', 'download', 200, 1]
    ])
  })

  it('answers 404 to every /api/files path, before and without any key check', async () => {
    const json = { authorization: `Bearer ${KEY_1}`, 'content-type': 'application/json' }
    const files = `${emu.apiUrl}/api/files`
    const answers = [
      await call(files, 'POST', json, JSON.stringify({ project_id: 1, name: 'a.txt' })),
      await call(`${files}?project_id=1`, 'GET', json),
      await call(`${files}/1`, 'PATCH', json, JSON.stringify({ status: 'uploaded' })),
      await call(`${files}/1`, 'GET', json),
      await call(`${files}?project_id=1`, 'GET')
    ]
    expect(answers.map((a) => [a.status, a.text])).toEqual(
      Array(5).fill([404, '{"error":"Not found"}'])
    )
    expect(emu.requests.map((r) => r.step)).toEqual(Array(5).fill('other'))
    expect(emu.files.size).toBe(0)
  })

  it('answers 401 to a key it does not know, and to none', async () => {
    const wrong = await resources(emu, 'nope').create({ name: 'a.txt' })
    expect([wrong.status, wrong.text]).toEqual([401, '{"error":"Unauthorized"}'])
    expect((await call(`${emu.apiUrl}/api/resources`, 'GET')).status).toBe(401)
    expect(emu.files.size).toBe(0)
  })

  describe('create', () => {
    it.each([
      [
        'a project_id (the key picks the project)',
        { project_id: 1, name: 'a' },
        'Unknown field: project_id'
      ],
      ['an unknown field', { name: 'a', path: 'x' }, 'Unknown field: path'],
      ['no name', { mime_type: 'text/plain' }, 'name is required'],
      ['an empty name', { name: '' }, 'name must be a non-empty string'],
      [
        'a url (a link-type resource)',
        { name: 'a', url: 'https://example.com/a' },
        'url makes a link-type resource, which the emulator does not serve (it emulates uploads only)'
      ],
      [
        'a mime_type with a space in front',
        { name: 'a', mime_type: ' text/plain' },
        'mime_type must be a non-empty string of printable ASCII without surrounding spaces'
      ],
      [
        'size_bytes over 5 GiB',
        { name: 'a', size_bytes: 5368709121 },
        'size_bytes must be at most 5368709120 (5 GiB)'
      ],
      [
        'a description that is not a string',
        { name: 'a', description: 1 },
        'description must be a string'
      ]
    ])('answers 400 to a body with %s', async (_, body, error) => {
      const answer = await resources(emu, KEY_1).create(body)
      expect([answer.status, answer.json]).toEqual([400, { error }])
      expect(emu.files.size).toBe(0)
    })

    it('answers 400 to a body that is not a JSON object sent as JSON', async () => {
      const url = `${emu.apiUrl}/api/resources`
      const auth = { authorization: `Bearer ${KEY_1}` }
      const plain = await call(
        url,
        'POST',
        { ...auth, 'content-type': 'text/plain' },
        '{"name":"a"}'
      )
      expect(plain.json).toEqual({ error: 'Content-Type must be application/json' })
      const array = await call(url, 'POST', { ...auth, 'content-type': 'application/json' }, '[]')
      expect(array.json).toEqual({ error: 'Body must be a JSON object' })
      expect(emu.files.size).toBe(0)
    })

    it('takes a name alone, with nulls for what was not given', async () => {
      const answer = await resources(emu, KEY_2).create({ name: 'n' })
      expect(answer.json.data!.resource).toMatchObject({
        name: 'n',
        url: null,
        description: null,
        mime_type: null,
        size_bytes: null
      })
      expect(emu.files.get(1)).toMatchObject({ project_id: 2, status: 'pending' })
    })
  })

  describe('the project comes from the key', () => {
    it("files each resource under its key's project, and hides it from another project's key", async () => {
      const mine = await upload(emu, KEY_1, 'one.txt', 'one')
      const theirs = await upload(emu, KEY_2, 'two.txt', 'two')
      expect([emu.files.get(mine)?.project_id, emu.files.get(theirs)?.project_id]).toEqual([1, 2])
      expect(emu.files.get(mine)?.objectKey).toMatch(/^project-resources\/1\//)
      expect(emu.files.get(theirs)?.objectKey).toMatch(/^project-resources\/2\//)
      expect(names(await resources(emu, KEY_1).list())).toEqual(['one.txt'])
      expect(names(await resources(emu, KEY_2).list())).toEqual(['two.txt'])
      const foreign = resources(emu, KEY_1)
      const notFound = { error: 'Resource not found' }
      const got = await foreign.get(theirs)
      expect([got.status, got.json]).toEqual([404, notFound])
      const renamed = await foreign.confirm(theirs, { name: 'stolen.txt' })
      expect([renamed.status, renamed.json]).toEqual([404, notFound])
      expect(emu.files.get(theirs)?.name).toBe('two.txt')
      expect((await resources(emu, KEY_2).get(theirs)).status).toBe(200)
    })

    it('gives apiKey the first project and every key of `keys` its own', async () => {
      const both = await start({
        api: 'resources',
        apiKey: 'main',
        projects: [5, 6],
        keys: { side: 6 }
      })
      expect(both.keys).toEqual({ side: 6, main: 5 })
      await createOk(both, 'main', { name: 'a' })
      await createOk(both, 'side', { name: 'b' })
      expect([...both.files.values()].map((r) => [r.name, r.project_id])).toEqual([
        ['a', 5],
        ['b', 6]
      ])
      const plain = await start({ api: 'resources', projects: [9] })
      expect([plain.apiKey, plain.keys]).toEqual(['test-key', { 'test-key': 9 }])
    })

    it('refuses keys it could not serve', async () => {
      await expect(startEmulator({ keys: { k: 0 } })).rejects.toThrow(
        'the project of key "k" must be a positive integer'
      )
      await expect(startEmulator({ keys: { ' k': 1 } })).rejects.toThrow(
        'every key must be printable ASCII without surrounding spaces'
      )
      await expect(startEmulator({ keys: {} })).rejects.toThrow('keys must hold at least one key')
      await expect(startEmulator({ api: 'v2' as 'files' })).rejects.toThrow(
        "api must be 'files' or 'resources'"
      )
    })
  })

  describe('list', () => {
    it('pages the uploaded resources newest first: per_page 20 by default, 1 to 100', async () => {
      emu.seedFiles(
        Array.from({ length: 105 }, (_, i) => ({ project_id: 1, name: `r${i + 1}`, size_bytes: 1 }))
      )
      emu.seedFiles([
        { project_id: 1, name: 'pending', size_bytes: 1, status: 'pending' },
        { project_id: 2, name: 'elsewhere', size_bytes: 1 }
      ])
      const api = resources(emu, KEY_1)
      const first = await api.list()
      expect(first.json.data!.pagination).toEqual({
        page: 1,
        per_page: 20,
        total: 105,
        total_pages: 6
      })
      expect(names(first)).toEqual(Array.from({ length: 20 }, (_, i) => `r${105 - i}`))
      const last = await api.list('page=6')
      expect(names(last)).toEqual(['r5', 'r4', 'r3', 'r2', 'r1'])
      const hundred = await api.list('per_page=100&page=2')
      expect(hundred.json.data!.pagination).toEqual({
        page: 2,
        per_page: 100,
        total: 105,
        total_pages: 2
      })
      expect(names(hundred)).toEqual(['r5', 'r4', 'r3', 'r2', 'r1'])
      const past = await api.list('page=7')
      expect([past.status, past.json.data!.resources]).toEqual([200, []])
      const one = await api.list('per_page=1')
      expect([names(one), one.json.data!.pagination!.total_pages]).toEqual([['r105'], 105])
    })

    it.each([
      ['per_page=101', 'per_page must be an integer from 1 to 100'],
      ['per_page=0', 'per_page must be an integer from 1 to 100'],
      ['per_page=ten', 'per_page must be an integer from 1 to 100'],
      ['page=0', 'page must be a positive integer'],
      ['page=-1', 'page must be a positive integer'],
      ['project_id=1', 'Unknown query parameter: project_id'],
      ['page=1&status=uploaded', 'Unknown query parameter: status']
    ])('answers 400 to ?%s', async (query, error) => {
      const answer = await resources(emu, KEY_1).list(query)
      expect([answer.status, answer.json]).toEqual([400, { error }])
    })

    it('with listIgnoresFilters, answers every project and status', async () => {
      emu.setListIgnoresFilters(true)
      try {
        emu.seedFiles([
          { project_id: 2, name: 'foreign', size_bytes: 1 },
          { project_id: 1, name: 'pending', size_bytes: 1, status: 'pending' }
        ])
        const rows = (await resources(emu, KEY_1).list()).json.data!.resources!
        expect(rows.map((r) => [r.name, r.project_id, r.status])).toEqual([
          ['pending', 1, 'pending'],
          ['foreign', 2, 'uploaded']
        ])
      } finally {
        emu.setListIgnoresFilters(false)
      }
    })
  })

  describe('one resource', () => {
    it.each(['0', '-1', 'abc', '1.5', '01'])(
      'answers 400 to the id %s, on get and on PATCH',
      async (id) => {
        const error = { error: 'id must be an integer of at least 1' }
        const got = await resources(emu, KEY_1).get(id)
        expect([got.status, got.json]).toEqual([400, error])
        const patched = await resources(emu, KEY_1).confirm(id)
        expect([patched.status, patched.json]).toEqual([400, error])
      }
    )

    it('answers 404 to an id no resource has', async () => {
      const answer = await resources(emu, KEY_1).get(99)
      expect([answer.status, answer.json]).toEqual([404, { error: 'Resource not found' }])
    })

    it('refuses to confirm before storage holds the bytes, or holds another size', async () => {
      const created = await createOk(emu, KEY_1, {
        name: 'a.txt',
        mime_type: 'text/plain',
        size_bytes: 3
      })
      const early = await resources(emu, KEY_1).confirm(created.id)
      expect([early.status, early.json]).toEqual([
        409,
        { error: 'Resource has not been uploaded to storage' }
      ])
      await call(created.upload_url, 'PUT', { 'content-type': 'text/plain' }, 'four')
      const wrong = await resources(emu, KEY_1).confirm(created.id)
      expect([wrong.status, wrong.json]).toEqual([
        409,
        { error: 'Stored object has 4 bytes but size_bytes is 3' }
      ])
      expect(emu.files.get(created.id)).toMatchObject({ status: 'pending', confirmCount: 0 })
    })

    it('PATCH takes name and description besides status, and nothing else', async () => {
      const created = await createOk(emu, KEY_1, { name: 'a.txt' })
      const api = resources(emu, KEY_1)
      const bad = await api.confirm(created.id, { status: 'done' })
      expect(bad.json).toEqual({ error: 'status must be "uploaded"' })
      expect((await api.confirm(created.id, { project_id: 2 })).json).toEqual({
        error: 'Unknown field: project_id'
      })
      const renamed = await api.confirm(created.id, { name: 'b.txt', description: 'd' })
      expect(renamed.json.data!.resource).toMatchObject({
        name: 'b.txt',
        description: 'd',
        status: 'pending',
        project_id: 1
      })
    })
  })

  describe('faults and chaos reach every step, named as in the files dialect', () => {
    it('a status fault by name, a lost answer on confirm, a download fault', async () => {
      emu.faults.push({ step: 'create', name: 'b.txt', action: { type: 'status', status: 503 } })
      emu.faults.push({ step: 'confirm', action: { type: 'lost-answer' } })
      emu.faults.push({ step: 'download', action: { type: 'status', status: 500 } })
      const api = resources(emu, KEY_1)
      const failed = await api.create({ name: 'b.txt' })
      expect([failed.status, failed.json]).toEqual([503, { error: 'Emulated fault: HTTP 503' }])
      const created = await createOk(emu, KEY_1, { name: 'b.txt', mime_type: 'text/plain' })
      await call(created.upload_url, 'PUT', { 'content-type': 'text/plain' }, 'x')
      await expect(api.confirm(created.id)).rejects.toThrow()
      expect(emu.files.get(created.id)?.status).toBe('uploaded')
      const url = (await api.get(created.id)).json.data!.resource!.url as string
      expect((await call(url, 'GET')).status).toBe(500)
      expect((await call(url, 'GET')).text).toBe('x')
      expect(emu.requests.map((r) => [r.step, r.status])).toEqual([
        ['create', 503],
        ['create', 200],
        ['put', 200],
        ['confirm', 0],
        ['get', 200],
        ['download', 500],
        ['download', 200]
      ])
    })

    it('chaos draws on resources requests as on files ones', async () => {
      const chaotic = await start({ api: 'resources', chaos: { rate: 1, seed: 3 } })
      await resources(chaotic, chaotic.apiKey)
        .list()
        .catch(() => undefined)
      expect(chaotic.requests[0]?.step).toBe('list')
      expect(['503', '429', 'lost-answer']).toContain(chaotic.requests[0]?.chaos)
      const stats = chaotic.chaosStats()
      expect(Object.entries(stats).filter(([, n]) => n > 0)).toEqual([
        [`list:${chaotic.requests[0]!.chaos}`, 1]
      ])
    })

    it('corrupt storage serves other bytes than the PUT carried', async () => {
      const lying = await start({ api: 'resources', corrupt: { puts: 'always' } })
      const id = await upload(lying, lying.apiKey, 'a.txt', 'hello')
      const url = (await resources(lying, lying.apiKey).get(id)).json.data!.resource!.url as string
      const served = Buffer.from(await (await fetch(url)).arrayBuffer())
      expect(served.toString('latin1')).toBe('he\x93lo')
      expect(lying.files.get(id)?.stored).toMatchObject({
        sha256: sha256(served),
        receivedSha256: sha256('hello')
      })
    })
  })
})

describe("the 'files' dialect next to it", () => {
  it('answers 404 to every /api/resources path, and lets any of its keys name any project', async () => {
    const files = await startEmulator({ projects: [1, 2], keys: { a: 1, b: 2 } })
    try {
      const json = { authorization: 'Bearer a', 'content-type': 'application/json' }
      const base = `${files.apiUrl}/api/resources`
      const answers = [
        await call(base, 'POST', json, JSON.stringify({ name: 'a.txt' })),
        await call(base, 'GET', json),
        await call(`${base}/1`, 'PATCH', json, JSON.stringify({ status: 'uploaded' })),
        await call(`${base}/1`, 'GET', json)
      ]
      expect(answers.map((a) => [a.status, a.text])).toEqual(
        Array(4).fill([404, '{"error":"Not found"}'])
      )
      expect(files.api).toBe('files')
      const created = await call(
        `${files.apiUrl}/api/files`,
        'POST',
        json,
        JSON.stringify({ project_id: 2, name: 'a.txt' })
      )
      expect(created.status).toBe(201)
      expect(files.files.get(1)?.project_id).toBe(2)
    } finally {
      await files.close()
    }
  })
})

describe("the CLI's --api and --project-key", () => {
  const temps: string[] = []
  afterAll(async () => {
    await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })))
  })

  it('serves resources with each key in its project, as the state file shows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emulator-resources-'))
    temps.push(dir)
    const stateFile = join(dir, 'state.jsonl')
    const child = spawn(
      NODE24,
      [
        'emulator/cli.ts',
        '--api',
        'resources',
        '--key',
        'k',
        '--project',
        '3',
        '--project-key',
        '4=other=key',
        '--state-file',
        stateFile
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }
    )
    try {
      const [chunk] = (await once(child.stdout, 'data')) as [Buffer]
      const info = JSON.parse(chunk.toString()) as { apiUrl: string; apiKey: string; api: string }
      expect([info.apiKey, info.api]).toEqual(['k', 'resources'])
      for (const [key, name] of [
        ['k', 'mine.txt'],
        ['other=key', 'theirs.txt']
      ] as const) {
        const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
        const body = JSON.stringify({ name })
        expect((await call(`${info.apiUrl}/api/resources`, 'POST', headers, body)).status).toBe(200)
      }
      child.kill('SIGTERM')
      const [code] = (await once(child, 'exit')) as [number]
      expect(code).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
    const lines = (await readFile(stateFile, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { request: RecordedRequest; file?: FileRecord })
    expect(
      lines.map(({ request, file }) => [request.step, request.status, file?.name, file?.project_id])
    ).toEqual([
      ['create', 200, 'mine.txt', 3],
      ['create', 200, 'theirs.txt', 4]
    ])
  })

  it.each([
    [['--api', 'v2'], '--api must be files or resources'],
    [
      ['--project-key', 'other'],
      '--project-key must be a project number, =, and a key, such as 2=other-key'
    ],
    [
      ['--project-key', '0=k'],
      '--project-key must be a project number, =, and a key, such as 2=other-key'
    ],
    [
      ['--project-key', '2='],
      '--project-key must be a project number, =, and a key, such as 2=other-key'
    ]
  ])('exits 2 with the usage for %j', async (args, message) => {
    const child = spawn(NODE24, ['emulator/cli.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const [code] = (await once(child, 'close')) as [number]
    expect(code).toBe(2)
    expect(stderr).toMatch(new RegExp(`^${message}\\nusage: .*--api files\\|resources`))
  })
})
