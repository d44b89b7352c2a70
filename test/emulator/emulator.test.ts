import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type {
  CorruptPut,
  Emulator,
  EmulatorOptions,
  FileRecord,
  RecordedRequest
} from '../../emulator/emulator.ts'
import { startEmulator } from '../../emulator/emulator.ts'
import { sha256 } from '../support/harness.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const NODE24 = `${ROOT}node_modules/.bin/node`

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

async function call(
  url: string,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  headers: Record<string, string> = {},
  body?: string | Buffer | Readable
): Promise<Answer> {
  const res = await request(url, { method, headers, body: body ?? null })
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() }
}

function s3Code(answer: Answer): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(answer.text)?.[1]
}

/** A minimal API client bound to one emulator. */
function client(emu: Emulator, key = emu.apiKey) {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
  return {
    create: (body: unknown) =>
      call(`${emu.apiUrl}/api/files`, 'POST', headers, JSON.stringify(body)),
    confirm: (id: number, body: unknown = { status: 'uploaded' }) =>
      call(`${emu.apiUrl}/api/files/${id}`, 'PATCH', headers, JSON.stringify(body)),
    list: (query: string) => call(`${emu.apiUrl}/api/files?${query}`, 'GET', headers),
    get: (id: number | string) => call(`${emu.apiUrl}/api/files/${id}`, 'GET', headers)
  }
}

/** Creates a file and returns its id and upload URL. */
async function createOk(emu: Emulator, body: Record<string, unknown>) {
  const answer = await client(emu).create({ project_id: 1, ...body })
  expect(answer.status).toBe(201)
  const file = JSON.parse(answer.text).data.file as { id: number; upload_url: string }
  return file
}

/** Full three-step upload; returns the file id. */
async function upload(emu: Emulator, name: string, data: string, mime = 'text/plain') {
  const file = await createOk(emu, { name, mime_type: mime, size_bytes: Buffer.byteLength(data) })
  expect((await call(file.upload_url, 'PUT', { 'content-type': mime }, data)).status).toBe(200)
  expect((await client(emu).confirm(file.id)).status).toBe(200)
  return file.id
}

/** Sends raw bytes over TCP; returns what comes back, up to the end of an XML error or the close. */
async function raw(url: string, head: string, body = '', halfClose = false): Promise<string> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  await once(socket, 'connect')
  socket.write(head + body)
  if (halfClose) socket.end()
  let text = ''
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString()
    if (/\r\n\r\n[\s\S]*<\/Error>$/.test(text)) socket.destroy()
  })
  await once(socket, 'close')
  return text
}

function rawPut(uploadUrl: string, headers: string[]): string {
  const url = new URL(uploadUrl)
  return [
    `PUT ${url.pathname}${url.search} HTTP/1.1`,
    `Host: ${url.host}`,
    ...headers,
    '',
    ''
  ].join('\r\n')
}

interface CliInfo {
  apiUrl: string
  storageUrl: string
  apiKey: string
  api: string
}

/** A running `emulator/cli.ts`. */
interface Cli {
  child: ChildProcess
  /** Its first write to stdout, which must be its one line, and what that line says. */
  firstOutput: string
  info: CliInfo
  /** Sends SIGTERM unless it has exited; resolves with its exit code. */
  stop(): Promise<number | null>
}

const clis: ChildProcess[] = []
const temps: string[] = []
afterAll(async () => {
  for (const child of clis) if (child.exitCode === null) child.kill('SIGKILL')
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** Starts the CLI; resolves once it has printed its line, that is once both servers listen. */
async function startCli(args: string[]): Promise<Cli> {
  const child = spawn(NODE24, ['emulator/cli.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit']
  })
  clis.push(child)
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer]
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.kill('SIGTERM')) await once(child, 'exit')
    return child.exitCode
  }
  return {
    child,
    info: JSON.parse(chunk.toString()) as CliInfo,
    firstOutput: chunk.toString(),
    stop
  }
}

/** Creates a file through the CLI's API with `key`; resolves with the status. */
async function cliCreate(info: CliInfo, key: string, name: string): Promise<number> {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
  const body = JSON.stringify({ project_id: 1, name })
  return (await call(`${info.apiUrl}/api/files`, 'POST', headers, body)).status
}

/** A path for a state file in a fresh directory, removed after the tests. */
async function tempStateFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'emulator-state-'))
  temps.push(dir)
  return join(dir, 'state.jsonl')
}

/** The lines of a state file, parsed. */
async function stateLines(
  file: string
): Promise<{ request: RecordedRequest; file?: FileRecord }[]> {
  const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean)
  return lines.map((line) => JSON.parse(line) as { request: RecordedRequest; file?: FileRecord })
}

/** Milliseconds of CPU time (user and system) this process has used since `since`. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since)
  return (user + system) / 1000
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN
}

describe('emulator', () => {
  let emu: Emulator
  const extra: Emulator[] = []
  const start = async (options: EmulatorOptions) => {
    const started = await startEmulator(options)
    extra.push(started)
    return started
  }

  beforeAll(async () => {
    emu = await startEmulator({ projects: [1, 2] })
  })
  afterEach(() => emu.reset())
  afterAll(async () => {
    await Promise.all([emu, ...extra].map((e) => e.close()))
  })

  describe('happy path', () => {
    it('creates, uploads and confirms; uploaded() shows the sha256', async () => {
      expect(emu.apiUrl).not.toBe(emu.storageUrl)
      const file = await createOk(emu, { name: 'a.txt', mime_type: 'text/plain', size_bytes: 5 })
      const url = new URL(file.upload_url)
      expect(url.origin).toBe(emu.storageUrl)
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host')
      expect(url.searchParams.get('X-Amz-Expires')).toBe('900')
      const put = await call(file.upload_url, 'PUT', { 'content-type': 'text/plain' }, 'hello')
      expect(put.status).toBe(200)
      expect(put.headers.etag).toMatch(/^"[0-9a-f]{32}"$/)
      const confirmed = await client(emu).confirm(file.id)
      expect(confirmed.status).toBe(200)
      expect(JSON.parse(confirmed.text).data.file).toMatchObject({ id: 1, status: 'uploaded' })
      const [record] = emu.uploaded()
      expect(record?.stored).toMatchObject({ size: 5, sha256: sha256('hello') })
      expect(record?.stored?.bytes?.toString()).toBe('hello')
      expect(record?.confirmCount).toBe(1)
      expect(emu.requests.map((r) => [r.server, r.step, r.status, r.fileId])).toEqual([
        ['api', 'create', 201, 1],
        ['storage', 'put', 200, 1],
        ['api', 'confirm', 200, 1]
      ])
    })

    it('signs application/octet-stream when no mime_type is given', async () => {
      const file = await createOk(emu, { name: 'blob.bin' })
      const octet = { 'content-type': 'application/octet-stream' }
      expect((await call(file.upload_url, 'PUT', octet, 'x')).status).toBe(200)
    })

    it('handles names with spaces, slashes and non-ASCII, and serves the bytes back', async () => {
      const name = 'rapport final – été (v2)/ü.txt'
      const id = await upload(emu, name, 'données')
      const record = emu.files.get(id)!
      expect(record.objectKey).toMatch(/^project-resources\/1\/[0-9a-f-]{36}\/[A-Za-z0-9%._~-]+$/)
      const got = JSON.parse((await client(emu).get(id)).text).data.file
      expect(got.name).toBe(name)
      expect((await call(got.url, 'GET')).text).toBe('données')
    })

    it('accepts a path whose reserved characters the client left unencoded, like S3', async () => {
      const file = await createOk(emu, { name: 'a (1).txt', mime_type: 'text/plain' })
      const url = file.upload_url.replace('%281%29', '(1)')
      expect((await call(url, 'PUT', { 'content-type': 'text/plain' }, 'x')).status).toBe(200)
    })

    it('treats PUT as idempotent and confirm as repeatable', async () => {
      const file = await createOk(emu, { name: 'b.txt', mime_type: 'text/plain' })
      await call(file.upload_url, 'PUT', { 'content-type': 'text/plain' }, 'first')
      await call(file.upload_url, 'PUT', { 'content-type': 'text/plain' }, 'second')
      await client(emu).confirm(file.id)
      expect((await client(emu).confirm(file.id)).status).toBe(200)
      expect(emu.files.get(file.id)).toMatchObject({ confirmCount: 2 })
      expect(emu.files.get(file.id)?.stored?.sha256).toBe(sha256('second'))
    })

    it('keeps only hash and size when keepBytes is false', async () => {
      const lean = await start({ keepBytes: false })
      await upload(lean, 'big.bin', 'x'.repeat(100_000), 'application/octet-stream')
      const stored = lean.uploaded()[0]?.stored
      expect(stored).toMatchObject({ size: 100_000, sha256: sha256('x'.repeat(100_000)) })
      expect(stored?.bytes).toBeUndefined()
    })
  })

  describe('API validation', () => {
    it('answers 401 to a wrong or missing key', async () => {
      const wrong = await client(emu, 'nope').create({ project_id: 1, name: 'a' })
      expect(wrong.status).toBe(401)
      expect(JSON.parse(wrong.text)).toEqual({ error: 'Unauthorized' })
      const none = await call(`${emu.apiUrl}/api/files?project_id=1`, 'GET')
      expect(none.status).toBe(401)
      expect(none.headers['content-type']).toBe('application/json; charset=utf-8')
    })

    it.each([
      ['not JSON', '{"project_id":1,', 'JSON'],
      ['an array', '[1]', 'object'],
      ['project_id as a string', '{"project_id":"1","name":"a"}', 'project_id'],
      ['project_id zero', '{"project_id":0,"name":"a"}', 'project_id'],
      ['no name', '{"project_id":1}', 'name'],
      ['an empty name', '{"project_id":1,"name":""}', 'name'],
      ['mime_type a number', '{"project_id":1,"name":"a","mime_type":5}', 'mime_type'],
      ['size_bytes negative', '{"project_id":1,"name":"a","size_bytes":-1}', 'size_bytes'],
      ['size_bytes fractional', '{"project_id":1,"name":"a","size_bytes":1.5}', 'size_bytes'],
      [
        'size_bytes over 5 GiB',
        '{"project_id":1,"name":"a","size_bytes":5368709121}',
        'size_bytes'
      ],
      ['description null', '{"project_id":1,"name":"a","description":null}', 'description'],
      ['an unknown field', '{"project_id":1,"name":"a","path":"x"}', 'path']
    ])('answers 400 to a create body with %s', async (_, body, mentions) => {
      const headers = { authorization: 'Bearer test-key', 'content-type': 'application/json' }
      const answer = await call(`${emu.apiUrl}/api/files`, 'POST', headers, body)
      expect(answer.status).toBe(400)
      expect(JSON.parse(answer.text).error).toContain(mentions)
      expect(emu.files.size).toBe(0)
    })

    it('answers 400 when the body is not sent as application/json', async () => {
      const headers = { authorization: 'Bearer test-key', 'content-type': 'text/plain' }
      const body = '{"project_id":1,"name":"a"}'
      expect((await call(`${emu.apiUrl}/api/files`, 'POST', headers, body)).status).toBe(400)
    })

    it('accepts exactly 5 GiB as size_bytes', async () => {
      await createOk(emu, { name: 'huge', size_bytes: 5368709120 })
    })

    it('answers 404 to unknown projects, files and routes', async () => {
      const api = client(emu)
      expect((await api.create({ project_id: 99, name: 'a' })).text).toBe(
        '{"error":"Project not found"}'
      )
      expect((await api.confirm(42)).status).toBe(404)
      expect((await api.get(42)).status).toBe(404)
      expect((await api.get('abc')).status).toBe(404)
      expect((await api.list('project_id=99')).status).toBe(404)
      expect((await call(`${emu.apiUrl}/api/other`, 'GET')).status).toBe(404)
    })

    it('answers 409 to a confirm before any PUT, and to a size mismatch', async () => {
      const file = await createOk(emu, { name: 'a.txt', mime_type: 'text/plain', size_bytes: 3 })
      const early = await client(emu).confirm(file.id)
      expect(early.status).toBe(409)
      expect(JSON.parse(early.text)).toEqual({ error: 'File has not been uploaded to storage' })
      await call(file.upload_url, 'PUT', { 'content-type': 'text/plain' }, 'four')
      expect((await client(emu).confirm(file.id)).status).toBe(409)
      expect(emu.files.get(file.id)).toMatchObject({ status: 'pending', confirmCount: 0 })
    })

    it('validates PATCH bodies and applies name and description', async () => {
      const file = await createOk(emu, { name: 'a.txt' })
      expect((await client(emu).confirm(file.id, { status: 'done' })).status).toBe(400)
      expect((await client(emu).confirm(file.id, { size_bytes: 1 })).status).toBe(400)
      expect((await client(emu).confirm(file.id, {})).status).toBe(400)
      const renamed = await client(emu).confirm(file.id, { name: 'b.txt', description: 'd' })
      expect(JSON.parse(renamed.text).data.file).toMatchObject({ name: 'b.txt', description: 'd' })
    })

    it('lists only uploaded files, newest first, paginated', async () => {
      for (const name of ['one', 'two', 'three']) await upload(emu, name, name)
      await createOk(emu, { name: 'pending' })
      await createOk(emu, { project_id: 2, name: 'other project' })
      const page2 = JSON.parse((await client(emu).list('project_id=1&per_page=2&page=2')).text)
      expect(page2.data.files.map((f: { name: string }) => f.name)).toEqual(['one'])
      expect(page2.pagination).toEqual({ page: 2, per_page: 2, total: 3, total_pages: 2 })
      const first = JSON.parse((await client(emu).list('project_id=1')).text)
      expect(first.data.files.map((f: { name: string }) => f.name)).toEqual(['three', 'two', 'one'])
      expect(first.pagination.per_page).toBe(20)
      expect(first.data.files[0]).not.toHaveProperty('upload_url')
      expect((await client(emu).list('project_id=1&per_page=101')).status).toBe(400)
      expect((await client(emu).list('page=1')).status).toBe(400)
    })
  })

  describe('storage checks', () => {
    const text = { 'content-type': 'text/plain' }

    it('refuses an Authorization header (the API key must never reach storage)', async () => {
      const file = await createOk(emu, { name: 'a.txt', mime_type: 'text/plain' })
      const headers = { ...text, authorization: 'Bearer test-key' }
      const answer = await call(file.upload_url, 'PUT', headers, 'x')
      expect(answer.status).toBe(400)
      expect(s3Code(answer)).toBe('InvalidArgument')
      expect(answer.headers['content-type']).toBe('application/xml')
    })

    it('refuses chunked bodies and a missing Content-Length with 411', async () => {
      const file = await createOk(emu, { name: 'a.txt', mime_type: 'text/plain' })
      const chunked = await call(file.upload_url, 'PUT', text, Readable.from([Buffer.from('x')]))
      expect(chunked.status).toBe(411)
      expect(s3Code(chunked)).toBe('MissingContentLength')
      const bare = await raw(file.upload_url, rawPut(file.upload_url, ['Content-Type: text/plain']))
      expect(bare).toMatch(/^HTTP\/1\.1 411 /)
      expect(emu.files.get(file.id)?.stored).toBeUndefined()
    })

    it('answers 403 to another Content-Type, none, another host, or an unsigned x-amz header', async () => {
      const file = await createOk(emu, { name: 'a.txt', mime_type: 'text/plain' })
      const wrongType = await call(file.upload_url, 'PUT', { 'content-type': 'text/html' }, 'x')
      expect([wrongType.status, s3Code(wrongType)]).toEqual([403, 'SignatureDoesNotMatch'])
      expect((await call(file.upload_url, 'PUT', {}, 'x')).status).toBe(403)
      const withCharset = { 'content-type': 'text/plain; charset=utf-8' }
      expect((await call(file.upload_url, 'PUT', withCharset, 'x')).status).toBe(403)
      const otherHost = file.upload_url.replace('127.0.0.1', 'localhost')
      expect((await call(otherHost, 'PUT', text, 'x')).status).toBe(403)
      const checksum = { ...text, 'x-amz-checksum-crc32': 'iSxHgA==' }
      const unsigned = await call(file.upload_url, 'PUT', checksum, 'x')
      expect([unsigned.status, s3Code(unsigned)]).toEqual([403, 'AccessDenied'])
      expect(unsigned.text).toContain('not signed')
      expect(emu.files.get(file.id)?.stored).toBeUndefined()
    })

    it('answers 403 to a tampered signature, key or expiry', async () => {
      const file = await createOk(emu, { name: 'a.txt', mime_type: 'text/plain' })
      const url = new URL(file.upload_url)
      const signature = url.searchParams.get('X-Amz-Signature')!
      const flipped = `${signature.startsWith('0') ? '1' : '0'}${signature.slice(1)}`
      const tampered = file.upload_url.replace(signature, flipped)
      const otherKey = file.upload_url.replace('/a.txt?', '/b.txt?')
      const longer = file.upload_url.replace('X-Amz-Expires=900', 'X-Amz-Expires=9000')
      for (const bad of [tampered, otherKey, longer]) {
        const answer = await call(bad, 'PUT', text, 'x')
        expect([answer.status, s3Code(answer)]).toEqual([403, 'SignatureDoesNotMatch'])
      }
      const anonymous = await call(`${url.origin}${url.pathname}`, 'PUT', text, 'x')
      expect([anonymous.status, s3Code(anonymous)]).toEqual([403, 'AccessDenied'])
      expect(emu.files.get(file.id)?.stored).toBeUndefined()
    })

    it.each([
      ['r2', 403, 'ExpiredRequest'],
      ['s3', 403, 'AccessDenied'],
      ['400', 400, 'ExpiredRequest']
    ] as const)('refuses an expired URL in the %s form', async (form, status, code) => {
      const target = form === 'r2' ? emu : await start({ expiredForm: form })
      target.faults.push({ step: 'create', action: { type: 'expire-url' } })
      const file = await createOk(target, { name: 'a.txt', mime_type: 'text/plain' })
      const answer = await call(file.upload_url, 'PUT', text, 'x')
      expect([answer.status, s3Code(answer)]).toEqual([status, code])
      expect(answer.text).toContain('Request has expired')
      expect(target.files.get(file.id)?.stored).toBeUndefined()
    })

    it('springs the checksum trap on a non-empty body only', async () => {
      emu.faults.push({ step: 'create', times: 2, action: { type: 'checksum-trap' } })
      const file = await createOk(emu, { name: 'a.txt', mime_type: 'text/plain' })
      expect(new URL(file.upload_url).searchParams.get('x-amz-checksum-crc32')).toBe('AAAAAA==')
      const answer = await call(file.upload_url, 'PUT', text, 'x')
      expect([answer.status, s3Code(answer)]).toEqual([400, 'BadDigest'])
      const empty = await createOk(emu, { name: 'empty.txt', mime_type: 'text/plain' })
      expect((await call(empty.upload_url, 'PUT', text, '')).status).toBe(200)
    })

    it('answers 400 IncompleteBody when the client ends before Content-Length', async () => {
      const file = await createOk(emu, { name: 'a.txt', mime_type: 'text/plain' })
      const head = rawPut(file.upload_url, ['Content-Type: text/plain', 'Content-Length: 10'])
      const answer = await raw(file.upload_url, head, 'short', true)
      expect(answer).toMatch(/^HTTP\/1\.1 400 [\s\S]*<Code>IncompleteBody<\/Code>/)
      expect(emu.files.get(file.id)?.stored).toBeUndefined()
    })

    it('answers 400 EntityTooLarge above 5 GiB without reading the body', async () => {
      const file = await createOk(emu, { name: 'a.bin' })
      const headers = ['Content-Type: application/octet-stream', 'Content-Length: 5368709121']
      const answer = await raw(file.upload_url, rawPut(file.upload_url, headers))
      expect(answer).toMatch(/^HTTP\/1\.1 400 [\s\S]*<Code>EntityTooLarge<\/Code>/)
    })
  })

  describe('faults', () => {
    const text = { 'content-type': 'text/plain' }

    it('status: answers the status without applying the operation, n times, by name', async () => {
      emu.faults.push({
        step: 'create',
        name: /\.log$/,
        times: 2,
        action: { type: 'status', status: 503, headers: { 'retry-after': '1' } }
      })
      const api = client(emu)
      expect((await api.create({ project_id: 1, name: 'a.txt' })).status).toBe(201)
      const failed = await api.create({ project_id: 1, name: 'a.log' })
      expect([failed.status, failed.headers['retry-after']]).toEqual([503, '1'])
      expect(JSON.parse(failed.text)).toHaveProperty('error')
      expect((await api.create({ project_id: 1, name: 'b.log' })).status).toBe(503)
      expect((await api.create({ project_id: 1, name: 'c.log' })).status).toBe(201)
      expect(emu.faults).toEqual([])
      expect([...emu.files.values()].map((f) => f.name)).toEqual(['a.txt', 'c.log'])
    })

    it('status on put: drains the body, answers S3 XML, stores nothing', async () => {
      const file = await createOk(emu, { name: 'a.txt', mime_type: 'text/plain' })
      emu.faults.push({ step: 'put', name: 'a.txt', action: { type: 'status', status: 500 } })
      const answer = await call(file.upload_url, 'PUT', text, 'x'.repeat(100_000))
      expect([answer.status, s3Code(answer)]).toEqual([500, 'InternalError'])
      expect(emu.files.get(file.id)?.stored).toBeUndefined()
      emu.faults.push({ step: 'put', name: 'other.txt', action: { type: 'status', status: 503 } })
      emu.faults.push({ step: 'put', action: { type: 'status', status: 400 } })
      const bare400 = await call(file.upload_url, 'PUT', text, 'x')
      expect([bare400.status, s3Code(bare400)]).toEqual([400, 'ClientDisconnect'])
      expect(emu.faults).toHaveLength(1)
      expect((await call(file.upload_url, 'PUT', text, 'x')).status).toBe(200)
    })

    it('lost-answer: the create is applied but the socket dies without an answer', async () => {
      emu.faults.push({ step: 'create', action: { type: 'lost-answer' } })
      await expect(client(emu).create({ project_id: 1, name: 'a.txt' })).rejects.toThrow()
      expect(emu.files.get(1)).toMatchObject({ name: 'a.txt', status: 'pending' })
      expect(emu.requests[0]).toMatchObject({ step: 'create', status: 0, fileId: 1 })
    })

    it('lost-answer on put stores the bytes; on confirm it confirms', async () => {
      const file = await createOk(emu, { name: 'a.txt', mime_type: 'text/plain' })
      emu.faults.push({ step: 'put', action: { type: 'lost-answer' } })
      emu.faults.push({ step: 'confirm', action: { type: 'lost-answer' } })
      await expect(call(file.upload_url, 'PUT', text, 'abc')).rejects.toThrow()
      expect(emu.files.get(file.id)?.stored?.sha256).toBe(sha256('abc'))
      await expect(client(emu).confirm(file.id)).rejects.toThrow()
      expect(emu.files.get(file.id)).toMatchObject({ status: 'uploaded', confirmCount: 1 })
    })

    it('reset-mid-body: the socket dies after about half the body, nothing stored', async () => {
      const file = await createOk(emu, { name: 'a.bin' })
      emu.faults.push({ step: 'put', action: { type: 'reset-mid-body' } })
      const body = Buffer.alloc(4 * 1024 * 1024, 1)
      const octet = { 'content-type': 'application/octet-stream' }
      await expect(call(file.upload_url, 'PUT', octet, body)).rejects.toThrow()
      expect(emu.files.get(file.id)?.stored).toBeUndefined()
      const put = emu.requests.find((r) => r.step === 'put')!
      expect(put.status).toBe(0)
      expect(put.bodyBytes).toBeGreaterThanOrEqual(body.length / 2)
      expect(put.bodyBytes).toBeLessThan(body.length)
    })

    it('html and redirect answer without applying the operation', async () => {
      emu.faults.push({ step: 'create', action: { type: 'html' } })
      const html = await client(emu).create({ project_id: 1, name: 'a.txt' })
      expect([html.status, html.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8'])
      expect(html.text).toContain('<html>')
      const file = await createOk(emu, { name: 'b.txt', mime_type: 'text/plain' })
      emu.faults.push({
        step: 'put',
        action: { type: 'redirect', location: 'http://example.test/' }
      })
      const moved = await call(file.upload_url, 'PUT', text, 'x')
      expect([moved.status, moved.headers.location]).toEqual([307, 'http://example.test/'])
      emu.faults.push({ step: 'confirm', action: { type: 'html' } })
      await call(file.upload_url, 'PUT', text, 'x')
      expect((await client(emu).confirm(file.id)).status).toBe(200)
      expect(emu.files.get(file.id)?.status).toBe('pending')
      expect(emu.files.size).toBe(1)
    })

    it('fault latency delays the answer', async () => {
      emu.faults.push({ step: 'list', latencyMs: 200, action: { type: 'status', status: 502 } })
      const started = Date.now()
      expect((await client(emu).list('project_id=1')).status).toBe(502)
      expect(Date.now() - started).toBeGreaterThanOrEqual(190)
    })

    it('hang and stall are ended by close() without hanging', async () => {
      const doomed = await start({})
      const file = await createOk(doomed, { name: 'a.bin' })
      doomed.faults.push({ step: 'put', action: { type: 'stall' } })
      doomed.faults.push({ step: 'get', action: { type: 'hang' } })
      const octet = { 'content-type': 'application/octet-stream' }
      const stalled = call(file.upload_url, 'PUT', octet, Buffer.alloc(8 * 1024 * 1024))
      const hung = client(doomed).get(file.id)
      const outcomes = Promise.allSettled([stalled, hung])
      const arrived = (step: string) => doomed.requests.some((r) => r.step === step)
      // Stalled: read up to half the body (where a stall stops), and not answered (statuses below).
      const half = 4 * 1024 * 1024
      const stalling = () => doomed.requests.some((r) => r.step === 'put' && r.bodyBytes >= half)
      await expect.poll(() => arrived('get') && stalling()).toBe(true)
      const stalledRec = doomed.requests.find((r) => r.step === 'put')!
      expect(stalledRec.bodyBytes).toBeLessThan(8 * 1024 * 1024)
      const started = Date.now()
      await doomed.close()
      const settled = await outcomes
      expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected'])
      expect(Date.now() - started).toBeLessThan(2000)
      expect(doomed.requests.map((r) => r.status)).toEqual([201, 0, 0])
    })
  })

  describe('storage that lies (corrupt)', () => {
    const text = { 'content-type': 'text/plain' }

    /** Creates, PUTs and confirms `data` as `name`; the PUT's answer, the record and its download. */
    async function putAndRead(target: Emulator, name: string, data: string | Buffer) {
      const file = await createOk(target, {
        name,
        mime_type: 'text/plain',
        size_bytes: Buffer.byteLength(data)
      })
      const put = await call(file.upload_url, 'PUT', text, data)
      expect((await client(target).confirm(file.id)).status).toBe(200)
      const url = JSON.parse((await client(target).get(file.id)).text).data.file.url as string
      const res = await request(url)
      const body = Buffer.from(await res.body.arrayBuffer())
      return { put, record: target.files.get(file.id)!, body }
    }

    /** Which of the PUTs so far stored other bytes than they carried, in order. */
    const corrupted = (target: Emulator): boolean[] =>
      target.requests.filter((r) => r.step === 'put').map((r) => r.corrupted === true)

    it("'first': each name's first PUT answers 200 as if stored, but its download has one byte changed", async () => {
      const lying = await start({ corrupt: { puts: 'first' } })
      const data = randomBytes(1001)
      const { put, record, body } = await putAndRead(lying, 'app.apk', data)
      expect(put.status).toBe(200)
      expect(put.headers.etag).toBe(`"${sha256(data).slice(0, 32)}"`)
      expect(body).toHaveLength(data.length)
      const differing = [...body.keys()].filter((i) => body[i] !== data[i])
      expect(differing).toEqual([500])
      expect(body[500]).toBe(data[500]! ^ 0xff)
      expect(record.stored).toMatchObject({
        size: 1001,
        sha256: sha256(body),
        receivedSha256: sha256(data)
      })
      const again = await putAndRead(lying, 'app.apk', data)
      expect(again.body.equals(data)).toBe(true)
      expect(again.record.stored?.receivedSha256).toBeUndefined()
      const other = await putAndRead(lying, 'other.apk', data)
      expect(other.body.equals(data)).toBe(false)
      expect(corrupted(lying)).toEqual([true, false, true])
      expect(lying.requests.filter((r) => r.step === 'download')).toHaveLength(3)
    })

    it("'always', PUT numbers, a function and a name each choose their PUTs", async () => {
      const lying = await start({})
      const series = async (): Promise<boolean[]> => {
        lying.reset()
        for (const name of ['a.txt', 'b.log', 'a.txt', 'c.txt'])
          await putAndRead(lying, name, 'abc')
        return corrupted(lying)
      }
      lying.setCorrupt({ puts: 'always' })
      expect(await series()).toEqual([true, true, true, true])
      lying.setCorrupt({ puts: [2, 4] })
      expect(await series()).toEqual([false, true, false, true])
      const seen: CorruptPut[] = []
      lying.setCorrupt({ puts: (put) => seen.push(put) === 3 })
      expect(await series()).toEqual([false, false, true, false])
      expect(seen.map((put) => [put.name, put.n])).toEqual([
        ['a.txt', 1],
        ['b.log', 2],
        ['a.txt', 3],
        ['c.txt', 4]
      ])
      expect(seen[0]?.key).toBe(lying.files.get(1)?.objectKey)
      lying.setCorrupt({ puts: 'always', name: /\.log$/ })
      expect(await series()).toEqual([false, true, false, false])
      lying.setCorrupt({ puts: 'first', name: 'a.txt' })
      expect(await series()).toEqual([true, false, false, false])
      lying.setCorrupt(undefined)
      expect(await series()).toEqual([false, false, false, false])
    })

    it('counts again from the first PUT after setCorrupt() and reset()', async () => {
      const lying = await start({ corrupt: { puts: [1] } })
      await putAndRead(lying, 'a.txt', 'abc')
      await putAndRead(lying, 'a.txt', 'abc')
      expect(corrupted(lying)).toEqual([true, false])
      lying.reset()
      await putAndRead(lying, 'a.txt', 'abc')
      lying.setCorrupt({ puts: 'first' })
      await putAndRead(lying, 'a.txt', 'abc')
      await putAndRead(lying, 'a.txt', 'abc')
      expect(corrupted(lying)).toEqual([true, true, false])
    })

    it('a corrupt fault changes one PUT of a name; an empty body is stored as it came', async () => {
      emu.faults.push({ step: 'put', name: 'b.txt', action: { type: 'corrupt' } })
      expect((await putAndRead(emu, 'a.txt', 'hello')).body.toString()).toBe('hello')
      const hit = await putAndRead(emu, 'b.txt', 'hello')
      expect([hit.put.status, hit.body.toString('latin1')]).toEqual([200, 'he\x93lo'])
      expect((await putAndRead(emu, 'b.txt', 'hello')).body.toString()).toBe('hello')
      emu.faults.push({ step: 'put', action: { type: 'corrupt' } })
      const empty = await putAndRead(emu, 'empty.txt', '')
      expect(empty.body).toHaveLength(0)
      expect(empty.record.stored?.receivedSha256).toBeUndefined()
      expect(emu.faults).toEqual([])
    })

    it('without kept bytes still stores the other digest, whichever chunk holds the byte', async () => {
      const lean = await start({ keepBytes: false, corrupt: { puts: 'always' } })
      const data = randomBytes(3 * 1024 * 1024 + 7)
      const file = await createOk(lean, { name: 'big.bin', mime_type: 'text/plain' })
      expect((await call(file.upload_url, 'PUT', text, data)).status).toBe(200)
      const flipped = Buffer.from(data)
      const middle = Math.floor(data.length / 2)
      flipped[middle] = data[middle]! ^ 0xff
      expect(lean.files.get(file.id)?.stored).toMatchObject({
        size: data.length,
        sha256: sha256(flipped),
        receivedSha256: sha256(data)
      })
    })

    it('counts a PUT cut mid-body, but not one refused before its body or hit by a fault', async () => {
      const lying = await start({ corrupt: { puts: [2] } })
      const file = await createOk(lying, { name: 'a.txt', mime_type: 'text/plain' })
      const refused = await call(file.upload_url, 'PUT', { 'content-type': 'image/png' }, 'x')
      expect(refused.status).toBe(403)
      lying.faults.push({ step: 'put', action: { type: 'status', status: 503 } })
      expect((await call(file.upload_url, 'PUT', text, 'x')).status).toBe(503)
      const head = rawPut(file.upload_url, ['Content-Type: text/plain', 'Content-Length: 10'])
      expect(await raw(file.upload_url, head, 'short', true)).toMatch(/^HTTP\/1\.1 400 /)
      expect((await call(file.upload_url, 'PUT', text, 'abc')).status).toBe(200)
      expect(lying.files.get(file.id)?.stored?.receivedSha256).toBe(sha256('abc'))
    })

    it('refuses a rule that chooses no PUTs it can name', async () => {
      await expect(startEmulator({ corrupt: { puts: [0] } })).rejects.toThrow(RangeError)
      expect(() => emu.setCorrupt({ puts: [1.5] })).toThrow(RangeError)
      expect(() => emu.setCorrupt({ puts: 'sometimes' as 'first' })).toThrow(
        "corrupt.puts must be 'first', 'always', PUT numbers from 1, or a function"
      )
    })
  })

  describe('downloads', () => {
    it('are classified as download, and faults hit them by name', async () => {
      const id = await upload(emu, 'a.txt', 'hello')
      const url = JSON.parse((await client(emu).get(id)).text).data.file.url as string
      emu.faults.push({ step: 'download', name: 'b.txt', action: { type: 'status', status: 500 } })
      emu.faults.push({ step: 'download', name: 'a.txt', action: { type: 'status', status: 503 } })
      const failed = await call(url, 'GET')
      expect([failed.status, s3Code(failed)]).toEqual([503, 'ServiceUnavailable'])
      expect((await call(url, 'GET')).text).toBe('hello')
      expect(emu.faults).toHaveLength(1)
      expect(emu.requests.slice(-2).map((r) => [r.server, r.step, r.status, r.fileId])).toEqual([
        ['storage', 'download', 503, id],
        ['storage', 'download', 200, id]
      ])
    })
  })

  describe('throttled storage', () => {
    const octet = { 'content-type': 'application/octet-stream' }
    const putRecord = (target: Emulator) => target.requests.find((r) => r.step === 'put')

    it('reads a 1 MiB PUT at 512 KiB/s steadily, in about 2 s, bytes intact', async () => {
      const slow = await start({})
      slow.setThrottle(512 * 1024)
      const body = randomBytes(1024 * 1024)
      const file = await createOk(slow, { name: 'slow.bin', size_bytes: body.length })
      const started = Date.now()
      const put = call(file.upload_url, 'PUT', octet, body)
      // Paced all along, not read at once and answered late: while it runs, there is a time when
      // about half is in. Sampled on the emulator's own event loop, which a busy machine slows as
      // much as the reading, so no sample is skipped over the half.
      const seen: number[] = []
      const sampler = setInterval(() => seen.push(putRecord(slow)?.bodyBytes ?? 0), 20)
      const answer = await put.finally(() => clearInterval(sampler))
      const halfway = seen.filter((bytes) => bytes > 300 * 1024 && bytes < 800 * 1024)
      expect(halfway.length).toBeGreaterThan(0)
      expect(answer.status).toBe(200)
      expect(Date.now() - started).toBeGreaterThanOrEqual(1800)
      const stored = slow.files.get(file.id)?.stored
      expect(stored).toMatchObject({ size: body.length, sha256: sha256(body) })
      expect(stored?.bytes?.equals(body)).toBe(true)
      expect((await client(slow).confirm(file.id)).status).toBe(200)
      slow.reset() // keeps the throttle; setThrottle(undefined) lifts it
      slow.setThrottle(undefined)
      const again = await createOk(slow, { name: 'fast.bin' })
      const fastStarted = Date.now()
      expect((await call(again.upload_url, 'PUT', octet, body)).status).toBe(200)
      // Half the throttled time: room for a busy machine, none for a throttle still on.
      expect(Date.now() - fastStarted).toBeLessThan(1000)
    })

    it('close() ends a throttled upload promptly', async () => {
      const doomed = await start({ storageBytesPerSecond: 64 * 1024 })
      const file = await createOk(doomed, { name: 'slow.bin' })
      const put = call(file.upload_url, 'PUT', octet, Buffer.alloc(1024 * 1024))
      const outcome = put.then(
        () => 'answered',
        () => 'failed'
      )
      await expect.poll(() => (putRecord(doomed)?.bodyBytes ?? 0) > 0).toBe(true)
      const started = Date.now()
      await doomed.close()
      expect(await outcome).toBe('failed')
      // The upload alone would take 16 s; a busy machine can take a while to tear sockets down.
      expect(Date.now() - started).toBeLessThan(2000)
      expect(doomed.files.get(file.id)?.stored).toBeUndefined()
    })

    it('refuses a limit that is not a positive finite number', async () => {
      await expect(startEmulator({ storageBytesPerSecond: 0 })).rejects.toThrow(RangeError)
      expect(() => emu.setThrottle(-1)).toThrow(RangeError)
      expect(() => emu.setThrottle(Number.POSITIVE_INFINITY)).toThrow(RangeError)
    })
  })

  describe('seeded records', () => {
    it('are listed newest first with created ones; GET gives a working download URL', async () => {
      const seeding = await start({})
      await upload(seeding, 'real.txt', 'real')
      const seeded = seeding.seedFiles([
        { project_id: 1, name: 'a b.txt', size_bytes: 3, mime_type: 'text/plain' },
        { project_id: 1, name: 'waiting.bin', size_bytes: 10, status: 'pending' },
        { project_id: 7, name: 'elsewhere.bin', size_bytes: 2 * 1024 * 1024 }
      ])
      expect(seeded.map((r) => [r.id, r.status, r.confirmCount])).toEqual([
        [2, 'uploaded', 0],
        [3, 'pending', 0],
        [4, 'uploaded', 0]
      ])
      expect((await createOk(seeding, { name: 'after.txt' })).id).toBe(5)
      const listed = JSON.parse((await client(seeding).list('project_id=1')).text)
      expect(listed.data.files.map((f: { name: string }) => f.name)).toEqual([
        'a b.txt',
        'real.txt'
      ])
      const got = JSON.parse((await client(seeding).get(2)).text).data.file
      expect(got).toMatchObject({
        id: 2,
        status: 'uploaded',
        size_bytes: 3,
        mime_type: 'text/plain'
      })
      const download = await call(got.url, 'GET')
      expect([download.status, download.text, download.headers['content-type']]).toEqual([
        200,
        '\0\0\0',
        'text/plain'
      ])
      expect(seeding.files.get(2)?.objectKey).toMatch(
        /^project-resources\/1\/[0-9a-f-]{36}\/a%20b\.txt$/
      )
      // Seeding added project 7; its object is too big to keep bytes for, but has its hash.
      expect((await client(seeding).list('project_id=7')).status).toBe(200)
      const big = seeding.files.get(4)!.stored!
      expect(big.bytes).toBeUndefined()
      expect(JSON.parse(JSON.stringify(big))).toEqual({
        size: 2 * 1024 * 1024,
        sha256: sha256(Buffer.alloc(2 * 1024 * 1024)),
        contentType: 'application/octet-stream'
      })
      expect(seeding.files.get(3)?.stored).toBeUndefined()
    })

    it('checks every entry before creating any', () => {
      const ok = { project_id: 1, name: 'ok.bin', size_bytes: 1 }
      expect(() => emu.seedFiles([ok, { ...ok, name: '' }])).toThrow(/entry 1: name/)
      expect(() => emu.seedFiles([{ ...ok, project_id: 0 }])).toThrow(RangeError)
      expect(() => emu.seedFiles([{ ...ok, size_bytes: -1 }])).toThrow(/size_bytes/)
      expect(() => emu.seedFiles([{ ...ok, mime_type: ' text/plain' }])).toThrow(/mime_type/)
      expect(emu.files.size).toBe(0)
    })

    it('seeds 10,000 records quickly and pages through all of them, newest first', async () => {
      const many = await start({})
      const entries = Array.from({ length: 10_000 }, (_, i) => ({
        project_id: 1,
        name: `f${i}.bin`,
        size_bytes: i
      }))
      // CPU time, not wall time: the work done, which other processes on a busy machine do not
      // stretch. The client and the emulator share this process, so listing counts both.
      const seedStarted = process.cpuUsage()
      many.seedFiles(entries)
      expect(cpuMs(seedStarted)).toBeLessThan(250)
      const listStarted = process.cpuUsage()
      const ids: number[] = []
      for (let page = 1; page <= 100; page++) {
        const body = JSON.parse(
          (await client(many).list(`project_id=1&per_page=100&page=${page}`)).text
        )
        expect(body.pagination).toEqual({ page, per_page: 100, total: 10_000, total_pages: 100 })
        ids.push(...body.data.files.map((f: { id: number }) => f.id))
      }
      expect(cpuMs(listStarted)).toBeLessThan(1500)
      expect(ids).toEqual(Array.from({ length: 10_000 }, (_, i) => 10_000 - i))
      const past = JSON.parse((await client(many).list('project_id=1&per_page=100&page=101')).text)
      expect([past.data.files, past.pagination.total]).toEqual([[], 10_000])
    })
  })

  it('listIgnoresFilters: the list answers every project and status, paginated the same way', async () => {
    const loose = await start({ projects: [1, 2], listIgnoresFilters: true })
    const seed = () =>
      loose.seedFiles([
        { project_id: 1, name: 'mine.txt', size_bytes: 1 },
        { project_id: 2, name: 'foreign.txt', size_bytes: 1 },
        { project_id: 1, name: 'pending.txt', size_bytes: 1, status: 'pending' }
      ])
    const list = async (query: string) => JSON.parse((await client(loose).list(query)).text)
    const rows = (body: {
      data: { files: { name: string; project_id: number; status: string }[] }
    }) => body.data.files.map((f) => [f.name, f.project_id, f.status])
    seed()
    const first = await list('project_id=1&per_page=2')
    expect(rows(first)).toEqual([
      ['pending.txt', 1, 'pending'],
      ['foreign.txt', 2, 'uploaded']
    ])
    expect(first.pagination).toEqual({ page: 1, per_page: 2, total: 3, total_pages: 2 })
    expect(rows(await list('project_id=1&per_page=2&page=2'))).toEqual([
      ['mine.txt', 1, 'uploaded']
    ])
    loose.reset() // the setting stays
    seed()
    expect((await list('project_id=1')).pagination.total).toBe(3)
    loose.setListIgnoresFilters(false)
    expect(rows(await list('project_id=1'))).toEqual([['mine.txt', 1, 'uploaded']])
  })

  it('latencyMs delays every answer, API and storage', async () => {
    const slow = await start({ latencyMs: 150 })
    let started = Date.now()
    const file = await createOk(slow, { name: 'a.txt', mime_type: 'text/plain' })
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    started = Date.now()
    await call(file.upload_url, 'PUT', { 'content-type': 'text/plain' }, 'x')
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
  })

  it('CLI prints one JSON line, serves, writes the state file and exits 0 on SIGTERM', async () => {
    const stateFile = await tempStateFile()
    const cli = await startCli(['--key', 'k', '--state-file', stateFile])
    expect(cli.firstOutput.trim().split('\n')).toHaveLength(1)
    expect(Object.keys(cli.info)).toEqual(['apiUrl', 'storageUrl', 'apiKey', 'api'])
    expect([cli.info.apiKey, cli.info.api]).toEqual(['k', 'files'])
    const created = await cliCreate(cli.info, 'k', 'from-cli')
    expect(created).toBe(201)
    expect(await cli.stop()).toBe(0)
    const [line] = await stateLines(stateFile)
    expect(line?.file).toMatchObject({ id: 1, name: 'from-cli' })
    expect(line?.request).toMatchObject({ step: 'create', status: 201 })
  })

  it('CLI --corrupt makes storage lie, as the state file shows; bad values exit 2 with the usage', async () => {
    const refused = await Promise.all(
      [
        ['--corrupt', 'sometimes'],
        ['--corrupt', '0,2'],
        ['--corrupt-name', 'a'],
        ['--corrupt', 'first', '--corrupt-name', '(']
      ].map(async (args) => {
        const child = spawn(NODE24, ['emulator/cli.ts', ...args], {
          cwd: ROOT,
          stdio: ['ignore', 'ignore', 'pipe']
        })
        let stderr = ''
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
        const [code] = await once(child, 'close')
        return [code, /usage:[\s\S]*--corrupt first\|always\|N,N/.test(stderr)]
      })
    )
    expect(refused).toEqual(Array(4).fill([2, true]))
    const stateFile = await tempStateFile()
    const cli = await startCli([
      '--corrupt',
      'always',
      '--corrupt-name',
      '\\.apk$',
      '--state-file',
      stateFile
    ])
    const headers = {
      authorization: `Bearer ${cli.info.apiKey}`,
      'content-type': 'application/json'
    }
    for (const name of ['app.apk', 'notes.txt']) {
      const body = JSON.stringify({ project_id: 1, name, mime_type: 'text/plain', size_bytes: 5 })
      const created = await call(`${cli.info.apiUrl}/api/files`, 'POST', headers, body)
      const file = JSON.parse(created.text).data.file as { upload_url: string }
      expect(
        (await call(file.upload_url, 'PUT', { 'content-type': 'text/plain' }, 'hello')).status
      ).toBe(200)
    }
    expect(await cli.stop()).toBe(0)
    const puts = (await stateLines(stateFile)).filter(({ request }) => request.step === 'put')
    expect(
      puts.map(({ request, file }) => [file?.name, request.corrupted, file?.stored?.receivedSha256])
    ).toEqual([
      ['app.apk', true, sha256('hello')],
      ['notes.txt', undefined, undefined]
    ])
    expect(puts[0]?.file?.stored?.sha256).not.toBe(sha256('hello'))
  })

  it('CLI --help prints the usage on stdout and exits 0', async () => {
    const child = spawn(NODE24, ['emulator/cli.ts', '--help'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit']
    })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const [code] = await once(child, 'close')
    expect(code).toBe(0)
    expect(stdout).toMatch(/^usage: npx node emulator\/cli\.ts [\s\S]*--state-file PATH/)
  })
})

describe('the CLI state file', () => {
  it('keeps no credential: an Authorization value is stored as its scheme and ***', async () => {
    const [key, wrong] = [`key-${randomUUID()}`, `wrong-${randomUUID()}`]
    const stateFile = await tempStateFile()
    const cli = await startCli(['--key', key, '--state-file', stateFile])
    expect(await cliCreate(cli.info, key, 'a.txt')).toBe(201)
    expect(await cliCreate(cli.info, wrong, 'b.txt')).toBe(401)
    expect(await cli.stop()).toBe(0)
    const text = await readFile(stateFile, 'utf8')
    expect(text).not.toContain(key)
    expect(text).not.toContain(wrong)
    const lines = await stateLines(stateFile)
    expect(lines.map(({ request }) => [request.status, request.headers.authorization])).toEqual([
      [201, 'Bearer ***'],
      [401, 'Bearer ***']
    ])
  })

  // Bytes written are counted by the kernel, so they say the same on a busy machine; the time per
  // request is compared as a ratio of medians, with a margin a loaded machine stays well within.
  it.skipIf(!existsSync('/proc/self/io'))(
    'costs the same per request after 3,000 requests as at the start',
    { timeout: 60_000 },
    async () => {
      const stateFile = await tempStateFile()
      const cli = await startCli(['--key', 'k', '--state-file', stateFile])
      const written = async (): Promise<number> =>
        Number(/^wchar: (\d+)$/m.exec(await readFile(`/proc/${cli.child.pid}/io`, 'utf8'))?.[1])
      const costs: { bytes: number; ms: number }[] = []
      for (let i = 0; i < 3000; i++) {
        const [before, started] = [await written(), performance.now()]
        expect(await cliCreate(cli.info, 'k', `f${i}.bin`)).toBe(201)
        costs.push({ ms: performance.now() - started, bytes: (await written()) - before })
      }
      expect(await cli.stop()).toBe(0)
      const [first, last] = [costs.slice(0, 300), costs.slice(-300)]
      const bytes = (window: typeof costs) => median(window.map((cost) => cost.bytes))
      const ms = (window: typeof costs) => median(window.map((cost) => cost.ms))
      expect(bytes(first)).toBeGreaterThan(0)
      expect(bytes(last)).toBeLessThan(bytes(first) * 1.5)
      expect(ms(last)).toBeLessThan(ms(first) * 3)
      expect(await stateLines(stateFile)).toHaveLength(3000)
    }
  )
})

describe("keepBytes 'disk': stored objects' bytes in files of the emulator's own folder", () => {
  const text = { 'content-type': 'text/plain' }
  // Imported here, so that this block is all this feature adds to the file.
  const readdir = async (dir: string): Promise<string[]> =>
    (await import('node:fs/promises')).readdir(dir)
  const started: Emulator[] = []
  afterAll(async () => {
    await Promise.all(started.map((e) => e.close()))
  })
  const startOnDisk = async (options: EmulatorOptions = {}): Promise<Emulator> => {
    const emu = await startEmulator({ ...options, keepBytes: 'disk' })
    started.push(emu)
    return emu
  }

  /** Creates, PUTs and confirms `data` as `name`; the record, its download and the file on disk. */
  async function putAndRead(emu: Emulator, name: string, data: Buffer) {
    const file = await createOk(emu, { name, mime_type: 'text/plain', size_bytes: data.length })
    const put = await call(file.upload_url, 'PUT', text, data)
    expect(put.status).toBe(200)
    expect((await client(emu).confirm(file.id)).status).toBe(200)
    const url = JSON.parse((await client(emu).get(file.id)).text).data.file.url as string
    const res = await request(url)
    const body = Buffer.from(await res.body.arrayBuffer())
    const record = emu.files.get(file.id)!
    const onDisk = await readFile(record.stored!.path!)
    return { status: res.statusCode, headers: res.headers, record, body, onDisk }
  }

  it('streams a body of several MiB to a file and serves it back, sha256 taken on the way', async () => {
    const emu = await startOnDisk()
    expect(emu.objectsDir).toBeDefined()
    expect(existsSync(emu.objectsDir!)).toBe(true)
    const data = randomBytes(5 * 1024 * 1024 + 3)
    const { status, headers, record, body, onDisk } = await putAndRead(emu, 'big.bin', data)
    expect(status).toBe(200)
    expect(headers['content-length']).toBe(String(data.length))
    expect(headers['content-type']).toBe('text/plain')
    expect(body.equals(data)).toBe(true)
    expect(onDisk.equals(data)).toBe(true)
    expect(record.stored).toMatchObject({ size: data.length, sha256: sha256(data) })
    expect(record.stored?.bytes).toBeUndefined()
    expect(record.stored?.path?.startsWith(emu.objectsDir!)).toBe(true)
  })

  it('serves an empty object, and a second PUT of a key replaces the first file', async () => {
    const emu = await startOnDisk()
    const empty = await putAndRead(emu, 'empty.txt', Buffer.alloc(0))
    expect([empty.status, empty.body.length, empty.record.stored?.sha256]).toEqual([
      200,
      0,
      sha256('')
    ])
    const file = await createOk(emu, { name: 'b.txt', mime_type: 'text/plain' })
    await call(file.upload_url, 'PUT', text, 'first')
    const firstPath = emu.files.get(file.id)!.stored!.path!
    await call(file.upload_url, 'PUT', text, 'second')
    const stored = emu.files.get(file.id)!.stored!
    expect(existsSync(firstPath)).toBe(false)
    expect(await readFile(stored.path!, 'utf8')).toBe('second')
    expect(stored.sha256).toBe(sha256('second'))
  })

  it('corruption inverts the middle byte in the file on disk; the download serves it so', async () => {
    const emu = await startOnDisk({ corrupt: { puts: 'first' } })
    const data = randomBytes(3 * 1024 * 1024 + 7)
    const middle = Math.floor(data.length / 2)
    const flipped = Buffer.from(data)
    flipped[middle] = data[middle]! ^ 0xff
    const hit = await putAndRead(emu, 'app.apk', data)
    expect(hit.onDisk.equals(flipped)).toBe(true)
    expect(hit.body.equals(flipped)).toBe(true)
    expect(hit.record.stored).toMatchObject({
      size: data.length,
      sha256: sha256(flipped),
      receivedSha256: sha256(data)
    })
    emu.setCorrupt(undefined)
    emu.faults.push({ step: 'put', name: 'b.txt', action: { type: 'corrupt' } })
    const fault = await putAndRead(emu, 'b.txt', Buffer.from('hello'))
    expect(fault.onDisk.toString('latin1')).toBe('he\x93lo')
    const again = await putAndRead(emu, 'b.txt', Buffer.from('hello'))
    expect([again.onDisk.toString(), again.body.toString()]).toEqual(['hello', 'hello'])
  })

  it('keeps no file of a PUT cut mid-body, nor of a record cleared by reset()', async () => {
    const emu = await startOnDisk()
    const file = await createOk(emu, { name: 'a.txt', mime_type: 'text/plain' })
    const head = rawPut(file.upload_url, ['Content-Type: text/plain', 'Content-Length: 10'])
    expect(await raw(file.upload_url, head, 'short', true)).toMatch(/^HTTP\/1\.1 400 /)
    await expect.poll(() => readdir(emu.objectsDir!)).toEqual([])
    expect(emu.files.get(file.id)?.stored).toBeUndefined()
    await putAndRead(emu, 'b.txt', Buffer.from('kept'))
    expect(await readdir(emu.objectsDir!)).toHaveLength(1)
    emu.reset()
    expect(await readdir(emu.objectsDir!)).toEqual([])
  })

  it('seeds a large record as a sparse file of zeros that its download URL serves', async () => {
    const emu = await startOnDisk()
    const size = 3 * 1024 * 1024
    const [big, small] = emu.seedFiles([
      { project_id: 1, name: 'zeros.bin', size_bytes: size },
      { project_id: 1, name: 'tiny.bin', size_bytes: 10 }
    ])
    expect(big?.stored?.path).toBeDefined()
    expect(small?.stored?.path).toBeUndefined()
    const url = JSON.parse((await client(emu).get(big!.id)).text).data.file.url as string
    const body = Buffer.from(await (await request(url)).body.arrayBuffer())
    expect(body.equals(Buffer.alloc(size))).toBe(true)
    expect(big?.stored?.sha256).toBe(sha256(body))
  })

  it('removes its folder on close(), and without disk makes none', async () => {
    const emu = await startEmulator({ keepBytes: 'disk' })
    const dir = emu.objectsDir!
    const file = await createOk(emu, { name: 'a.txt', mime_type: 'text/plain' })
    expect((await call(file.upload_url, 'PUT', text, 'abc')).status).toBe(200)
    expect(await readdir(dir)).toHaveLength(1)
    await emu.close()
    expect(existsSync(dir)).toBe(false)
    const inMemory = await startEmulator({})
    expect(inMemory.objectsDir).toBeUndefined()
    await inMemory.close()
    await expect(startEmulator({ keepBytes: 'yes' as 'disk' })).rejects.toThrow(RangeError)
  })

  it('a lean emulator (keepBytes false) still answers a download 404 NoSuchKey', async () => {
    const lean = await startEmulator({ keepBytes: false })
    started.push(lean)
    const id = await upload(lean, 'a.txt', 'hello')
    const url = JSON.parse((await client(lean).get(id)).text).data.file.url as string
    const answer = await call(url, 'GET')
    expect([answer.status, s3Code(answer)]).toEqual([404, 'NoSuchKey'])
  })
})
