// FilesClient in this process, against the emulator and a few hand-made servers: a file's round
// trip (create, PUT, confirm), what each request sends, what counts as an answer, how secrets are
// masked, what a file that changes during its PUT becomes, how stored bytes are read back, and how
// the client holds its connections and file handles.
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import {
  appendFile,
  mkdtemp,
  open,
  readdir,
  readlink,
  rm,
  truncate,
  unlink,
  writeFile
} from 'node:fs/promises'
import http from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Agent, type Dispatcher } from 'undici'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { startEmulator, type Emulator } from '../../../emulator/emulator.ts'
import {
  CancelledError,
  FileChangedError,
  HttpError,
  NetworkError
} from '../../../src/core/errors.ts'
import {
  FilesClient,
  type ClientOptions,
  type RequestEvent,
  type UploadSource
} from '../../../src/core/http/client.ts'
import { sha256 } from '../../support/harness.ts'

const never = new AbortController().signal
/** Tests a mutant can leave hanging fail after this, well before Stryker's own timeout. */
const HANG_MS = 4000
let emulator: Emulator
let dir: string
const servers: http.Server[] = []

beforeAll(async () => {
  emulator = await startEmulator({ projects: [3] })
  dir = await mkdtemp(path.join(os.tmpdir(), 'core-client-'))
})
afterAll(async () => {
  await emulator.close()
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  await rm(dir, { recursive: true, force: true })
})
afterEach(() => emulator.reset())

function client(overrides: Partial<ClientOptions> = {}): FilesClient {
  return new FilesClient({
    baseUrl: emulator.apiUrl,
    authKey: emulator.apiKey,
    connections: 4,
    requestTimeoutMs: 5000,
    userAgent: 'core-test/1.0',
    ...overrides
  })
}

async function source(
  name: string,
  content: string | Buffer,
  mimeType = 'application/octet-stream'
): Promise<UploadSource> {
  const absolutePath = path.join(dir, name)
  await writeFile(absolutePath, content)
  return { absolutePath, size: Buffer.byteLength(content), mimeType }
}

const request = (name: string, size: number, mimeType = 'application/octet-stream') => ({
  projectId: 3,
  name,
  mimeType,
  size,
  description: undefined as string | undefined
})

/** A loopback server with a handler of the test's own; closed after the file. */
async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** The JSON envelope of one file record, as the API wraps it. */
const fileAnswer = (file: Record<string, unknown>): string => JSON.stringify({ data: { file } })

/**
 * An API that answers every request with `status` and `body` (a function is asked again for each
 * request); the client's base URL.
 */
function answering(
  status: number,
  body: string | (() => string),
  type = 'application/json'
): Promise<string> {
  return serve((req, res) => {
    req.resume()
    res.writeHead(status, { 'content-type': type }).end(typeof body === 'string' ? body : body())
  })
}

/** The rejection of `promise`, which must reject. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => error as Error
  )
}

/**
 * undici times a wait for an answer or for its body on a clock of its own that ticks every half
 * second, so a timeout of 300 ms ends a request only after about a second. This waits `ms` for real
 * from when a request began to wait, then has undici look at its timers at once (through its own
 * hook for tests; an undici without it looks at its next tick, later).
 */
async function undiciTimeoutsAfter(ms: number): Promise<void> {
  await sleep(ms)
  undiciTimers.tick?.(0)
}
const undiciTimers = createRequire(import.meta.url)('undici/lib/util/timers.js') as {
  tick?: (delay: number) => void
}

/** A promise and the function that resolves it. */
function signalled(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {}
  const promise = new Promise<void>((done) => {
    resolve = done
  })
  return { promise, resolve }
}

/** Paths this process holds open, from /proc/self/fd (Linux). */
async function openPaths(): Promise<string[]> {
  const fds = await readdir('/proc/self/fd')
  const targets = await Promise.all(
    fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => ''))
  )
  return targets.filter((target) => target.startsWith(dir))
}

describe("a file's round trip through the emulator", () => {
  it('creates, uploads and confirms; the PUT carries exactly the signed type and no Authorization', async () => {
    const files = client()
    const bytes = randomBytes(1_000_000)
    const file = await source('one.bin', bytes, 'application/zip')
    const created = await files.create(
      { ...request('one.bin', bytes.length, 'application/zip'), description: 'desc' },
      never
    )
    expect(created.id).toBe(1)
    expect(created.uploadUrl.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/)
    const { sha256: hash } = await files.put(created.uploadUrl, file, never)
    expect(hash).toBe(sha256(bytes))
    await files.confirm(created.id, never)
    await files.close()

    const [record] = emulator.uploaded()
    expect(record).toMatchObject({
      name: 'one.bin',
      mime_type: 'application/zip',
      size_bytes: bytes.length,
      description: 'desc'
    })
    expect(record?.stored?.sha256).toBe(sha256(bytes))
    const put = emulator.requests.find((entry) => entry.step === 'put')
    expect(put?.headers).toMatchObject({
      'content-type': 'application/zip',
      'content-length': String(bytes.length)
    })
    expect(put?.headers.authorization).toBeUndefined()
    expect(put?.headers['transfer-encoding']).toBeUndefined()
    const create = emulator.requests.find((entry) => entry.step === 'create')
    expect(create?.headers).toMatchObject({
      authorization: `Bearer ${emulator.apiKey}`,
      'user-agent': 'core-test/1.0'
    })
  })

  it('uploads an empty file with Content-Length 0', async () => {
    const files = client()
    const file = await source('empty.txt', '', 'text/plain')
    const created = await files.create(request('empty.txt', 0, 'text/plain'), never)
    expect((await files.put(created.uploadUrl, file, never)).sha256).toBe(sha256(''))
    await files.confirm(created.id, never)
    await files.close()
    expect(emulator.uploaded()[0]?.stored?.size).toBe(0)
  })

  it('reuses kept-alive connections across requests to the same origin', async () => {
    const files = client({ connections: 1 })
    for (let i = 0; i < 5; i++) {
      const file = await source(`k${i}.txt`, `k${i}`)
      const created = await files.create(request(`k${i}.txt`, 2), never)
      await files.put(created.uploadUrl, file, never)
      await files.confirm(created.id, never)
    }
    await files.close()
    const ports = (server: 'api' | 'storage') =>
      new Set(
        emulator.requests
          .filter((entry) => entry.server === server)
          .map((entry) => entry.remotePort)
      )
    expect(ports('api').size).toBe(1)
    expect(ports('storage').size).toBe(1)
  })

  it('a wrong key is an HttpError 401 at create, with the server words', async () => {
    const files = client({ authKey: 'wrong' })
    const error = await files.create(request('a', 1), never).catch((caught: unknown) => caught)
    await files.close()
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ step: 'create', status: 401, serverMessage: 'Unauthorized' })
  })

  it('an unknown project is a 404 and an unconfirmable file a 409, each naming its step', async () => {
    const files = client()
    await expect(files.create({ ...request('a', 1), projectId: 99 }, never)).rejects.toMatchObject({
      step: 'create',
      status: 404
    })
    const created = await files.create(request('a', 1), never)
    await expect(files.confirm(created.id, never)).rejects.toMatchObject({
      step: 'confirm',
      status: 409
    })
    await files.close()
  })

  it('storage errors carry their S3 code: a wrong Content-Type is SignatureDoesNotMatch', async () => {
    const files = client()
    const file = await source('typed.json', '{}', 'text/plain')
    const created = await files.create(request('typed.json', 2, 'application/json'), never)
    const error = await files.put(created.uploadUrl, file, never).catch((caught: unknown) => caught)
    await files.close()
    expect(error).toMatchObject({ step: 'upload', status: 403, code: 'SignatureDoesNotMatch' })
  })

  it('a file that changed size since it was listed is refused before any byte is sent', async () => {
    const files = client()
    const file = await source('grew.txt', 'longer than listed')
    const created = await files.create(request('grew.txt', 3), never)
    await expect(files.put(created.uploadUrl, { ...file, size: 3 }, never)).rejects.toBeInstanceOf(
      FileChangedError
    )
    await files.close()
    expect(emulator.requests.filter((entry) => entry.step === 'put')).toHaveLength(0)
  })

  it('no answer within the timeout is a NetworkError; an aborted signal is a CancelledError', async () => {
    emulator.faults.push({ step: 'create', times: 2, action: { type: 'hang' } })
    const files = client({ requestTimeoutMs: 300 })
    const waiting = files.create(request('a', 1), never).catch((caught: unknown) => caught)
    await expect.poll(() => emulator.requests.length, { interval: 5 }).toBe(1)
    await undiciTimeoutsAfter(300)
    const timedOut = await waiting
    expect(timedOut).toBeInstanceOf(NetworkError)
    expect((timedOut as Error).message).toBe('create failed: no progress and no answer for 300 ms')
    // Aborted once the request hangs at the server, by a client whose own timeout cannot come first.
    const controller = new AbortController()
    const patient = client({ requestTimeoutMs: 60_000 })
    const aborted = patient.create(request('a', 1), controller.signal)
    await expect.poll(() => emulator.requests.length, { interval: 5 }).toBe(2)
    controller.abort()
    await expect(aborted).rejects.toBeInstanceOf(CancelledError)
    await Promise.all([files.close(), patient.close()])
  })

  it('Retry-After is read from the answer', async () => {
    emulator.faults.push({
      step: 'create',
      action: { type: 'status', status: 429, headers: { 'retry-after': '7' } }
    })
    const files = client()
    await expect(files.create(request('a', 1), never)).rejects.toMatchObject({
      status: 429,
      retryAfterSeconds: 7
    })
    await files.close()
  })
})

describe('masking: a URL signature reaches the mask callback before the URL leaves the client', () => {
  it('masks the X-Amz-Signature of every upload URL when create returns it', async () => {
    const masked: string[] = []
    const files = client({ mask: (secret) => masked.push(secret) })
    const created = [
      await files.create(request('a.bin', 1), never),
      await files.create(request('b.bin', 1), never)
    ]
    await files.close()
    const signatures = created.map((file) => file.uploadUrl.searchParams.get('X-Amz-Signature'))
    expect(signatures[0]).toMatch(/^[0-9a-f]{64}$/)
    expect(signatures[1]).toMatch(/^[0-9a-f]{64}$/)
    expect(masked).toEqual(signatures)
  })

  it('masks the X-Amz-Signature of a download URL when get returns it', async () => {
    const files = client()
    const file = await source('get.txt', 'get me')
    const created = await files.create(request('get.txt', 6), never)
    await files.put(created.uploadUrl, file, never)
    await files.confirm(created.id, never)
    const masked: string[] = []
    const reader = client({ mask: (secret) => masked.push(secret) })
    const record = await reader.get(created.id, never)
    await Promise.all([files.close(), reader.close()])
    const signature = new URL(record.url ?? '').searchParams.get('X-Amz-Signature')
    expect(signature).toMatch(/^[0-9a-f]{64}$/)
    expect(masked).toEqual([signature])
    expect(record).toMatchObject({ id: created.id, status: 'uploaded', sizeBytes: 6 })
  })

  it('masks the whole query of a URL signed another way, and an unparseable URL whole', async () => {
    let file: Record<string, unknown> = {}
    const api = await answering(200, () => fileAnswer(file))
    const masked: string[] = []
    const files = client({ baseUrl: api, mask: (secret) => masked.push(secret) })
    file = { id: 7, upload_url: 'https://storage.example.com/k?token=s3cr3t&exp=9' }
    const created = await files.create(request('a', 1), never)
    expect(created.uploadUrl.href).toBe('https://storage.example.com/k?token=s3cr3t&exp=9')
    file = { id: 7, status: 'uploaded', url: 'not a url at all' }
    expect((await files.get(7, never)).url).toBe('not a url at all')
    file = { id: 7, status: 'uploaded', url: 'https://cdn.example.com/plain' }
    expect((await files.get(7, never)).url).toBe('https://cdn.example.com/plain')
    file = { id: 7, status: 'uploaded' }
    expect((await files.get(7, never)).url).toBeUndefined()
    await files.close()
    // A URL without a query has no secret to mask, and a record without a URL none either.
    expect(masked).toEqual(['token=s3cr3t&exp=9', 'not a url at all'])
  })

  it.each([
    [
      'of another scheme, even to this machine',
      'ftp://127.0.0.1/k?X-Amz-Signature=cafe',
      'ftp: to 127.0.0.1'
    ],
    [
      'that would send the bytes in clear text across the network',
      'http://storage.example.com/k?X-Amz-Signature=abc',
      'http: to storage.example.com'
    ]
  ])('refuses an upload URL %s', async (_label, uploadUrl, uses) => {
    const api = await answering(201, fileAnswer({ id: 9, upload_url: uploadUrl }))
    const files = client({ baseUrl: api })
    const error = await rejection(files.create(request('a', 1), never))
    await files.close()
    expect(error.message).toBe(
      `create failed: HTTP 200: the upload_url uses ${uses}; only https is accepted`
    )
  })

  it('masks the signature of an upload URL it then refuses for clear text', async () => {
    const api = await answering(
      201,
      fileAnswer({ id: 8, upload_url: 'http://storage.example.com/k?X-Amz-Signature=feed' })
    )
    const masked: string[] = []
    const files = client({ baseUrl: api, mask: (secret) => masked.push(secret) })
    const error = await rejection(files.create(request('a', 1), never))
    await files.close()
    expect(error.message).toBe(
      'create failed: HTTP 200: the upload_url uses http: to storage.example.com; only https is accepted'
    )
    expect(masked).toEqual(['feed'])
  })
})

describe('what a request sends', () => {
  it('API calls carry the key, the JSON headers and the User-Agent; GETs have no body type', async () => {
    const files = client()
    const created = await files.create({ ...request('h.txt', 2), description: 'about h' }, never)
    await files.get(created.id, never)
    await files.list(3, 2, 50, never)
    await files.close()
    const api = emulator.requests.filter((entry) => entry.server === 'api')
    expect(api.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      'POST /api/files',
      `GET /api/files/${created.id}`,
      'GET /api/files'
    ])
    for (const entry of api) {
      expect(entry.headers).toMatchObject({
        authorization: `Bearer ${emulator.apiKey}`,
        accept: 'application/json',
        'user-agent': 'core-test/1.0'
      })
    }
    expect(api[0]?.headers['content-type']).toBe('application/json')
    expect(api[1]?.headers['content-type']).toBeUndefined()
    expect(api[2]?.headers['content-type']).toBeUndefined()
    expect(api[2]?.query).toEqual({ project_id: '3', page: '2', per_page: '50' })
    expect(emulator.files.get(created.id)).toMatchObject({
      description: 'about h',
      size_bytes: 2,
      mime_type: 'application/octet-stream'
    })
  })

  it('a PUT carries the signed type, the exact length and the User-Agent, never the key', async () => {
    const files = client()
    const file = await source('put.txt', 'twelve bytes')
    const created = await files.create(request('put.txt', 12), never)
    await files.put(created.uploadUrl, file, never)
    await files.close()
    const put = emulator.requests.find((entry) => entry.step === 'put')
    expect(put?.headers).toMatchObject({
      'content-type': 'application/octet-stream',
      'content-length': '12',
      'user-agent': 'core-test/1.0'
    })
    expect(put?.headers.authorization).toBeUndefined()
    expect(put?.query['X-Amz-Signature']).toBe(
      created.uploadUrl.searchParams.get('X-Amz-Signature')
    )
  })

  it('reports each request to onRequest: its step, method, URL without the query, status and time', async () => {
    const events: RequestEvent[] = []
    const files = client({ onRequest: (event) => events.push(event) })
    const file = await source('ev.txt', 'ev')
    const before = performance.now()
    const created = await files.create(request('ev.txt', 2), never)
    await files.put(created.uploadUrl, file, never)
    await files.confirm(created.id, never)
    emulator.faults.push({ step: 'get', action: { type: 'status', status: 503 } })
    await rejection(files.get(created.id, never))
    const elapsed = performance.now() - before
    await files.close()
    const storage = `${created.uploadUrl.origin}${created.uploadUrl.pathname}`
    expect(events.map(({ step, method, url, status }) => ({ step, method, url, status }))).toEqual([
      { step: 'create', method: 'POST', url: `${emulator.apiUrl}/api/files`, status: 201 },
      { step: 'upload', method: 'PUT', url: storage, status: 200 },
      { step: 'confirm', method: 'PATCH', url: `${emulator.apiUrl}/api/files/1`, status: 200 },
      { step: 'get', method: 'GET', url: `${emulator.apiUrl}/api/files/1`, status: 503 }
    ])
    for (const event of events) {
      expect(event.ms).toBeGreaterThanOrEqual(0)
      expect(event.ms).toBeLessThanOrEqual(elapsed)
    }
  })

  it('reports a request that got no answer with status 0', async () => {
    const events: RequestEvent[] = []
    const files = client({ onRequest: (event) => events.push(event) })
    emulator.faults.push({ step: 'create', action: { type: 'lost-answer' } })
    const error = await rejection(files.create(request('lost', 1), never))
    await files.close()
    expect(error).toBeInstanceOf(NetworkError)
    expect(events).toEqual([expect.objectContaining({ step: 'create', status: 0 })])
  })
})

describe('a base URL with a path prefix', () => {
  /** A gateway that serves the emulator's API under /gw, and nothing else. */
  async function gateway(): Promise<string> {
    return serve((req, res) => {
      const url = req.url ?? '/'
      if (!url.startsWith('/gw/')) {
        req.resume()
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not under /gw"}')
        return
      }
      const upstream = http.request(
        `${emulator.apiUrl}${url.slice('/gw'.length)}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        }
      )
      req.pipe(upstream)
    })
  }

  it.each(['/gw', '/gw/'])(
    'keeps the prefix before /api/files (base URL ending %s)',
    async (tail) => {
      const base = (await gateway()) + tail
      const files = client({ baseUrl: base })
      expect(files.filesUrl).toBe(`${base.replace(/\/$/, '')}/api/files`)
      const created = await files.create(request('gw.txt', 3), never)
      const record = await files.get(created.id, never)
      const page = await files.list(3, 1, 100, never)
      await files.close()
      expect(record.id).toBe(created.id)
      expect(page.totalPages).toBe(0)
      expect(emulator.requests.map((entry) => entry.path)).toEqual([
        '/api/files',
        `/api/files/${created.id}`,
        '/api/files'
      ])
    }
  )

  it('names the files URL of a plain origin without a doubled slash', () => {
    expect(client({ baseUrl: 'https://dash.example.com' }).filesUrl).toBe(
      'https://dash.example.com/api/files'
    )
  })
})

describe('what counts as an answer', () => {
  it('a 300 is not success, even with a body that looks like one', async () => {
    const files = client()
    const created = await files.create(request('m.txt', 1), never)
    emulator.faults.push({
      step: 'confirm',
      action: {
        type: 'status',
        status: 300,
        body: JSON.stringify({ data: { file: { id: created.id, status: 'uploaded' } } })
      }
    })
    const error = await rejection(files.confirm(created.id, never))
    await files.close()
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ step: 'confirm', status: 300 })
    expect(error.message).toBe(
      'confirm failed: HTTP 300: a redirect to an unknown place, which is not followed'
    )
  })

  it('a redirect is never followed: it names the host it points to, and the key stays here', async () => {
    let followed = 0
    const elsewhere = await serve((req, res) => {
      followed++
      req.resume()
      res.end()
    })
    const files = client()
    emulator.faults.push({
      step: 'create',
      action: { type: 'redirect', location: `${elsewhere}/api/files` }
    })
    const error = await rejection(files.create(request('r.txt', 1), never))
    emulator.faults.push({ step: 'get', action: { type: 'redirect', location: 'http://[oops' } })
    const unparsed = await rejection(files.get(1, never))
    await files.close()
    expect(error.message).toBe(
      `create failed: HTTP 307: a redirect to ${new URL(elsewhere).host}, which is not followed`
    )
    expect(unparsed.message).toBe(
      'get failed: HTTP 307: a redirect to an unknown place, which is not followed'
    )
    expect(followed).toBe(0)
  })

  it('a 4xx with a JSON body is an HttpError with the server words, not a redirect', async () => {
    const files = client()
    const error = await rejection(files.create({ ...request('p', 1), projectId: 99 }, never))
    await files.close()
    expect(error.message).toBe('create failed: HTTP 404: Project not found')
  })

  it('a create answer without upload_url names what is missing, with its step', async () => {
    const api = await serve((req, res) => {
      req.resume()
      const body = req.method === 'GET' ? '{"data":{}}' : '{"data":{"file":{"id":4}}}'
      res.writeHead(201, { 'content-type': 'application/json' }).end(body)
    })
    const files = client({ baseUrl: api })
    const created = await rejection(files.create(request('a', 1), never))
    const confirmed = await files.confirm(4, never).then(() => 'confirmed')
    const read = await rejection(files.get(4, never))
    await files.close()
    expect(created).toBeInstanceOf(HttpError)
    expect(created.message).toMatch(
      /^create failed: HTTP 200: the answer is not the documented JSON \(no upload_url\)/
    )
    // A confirm answer needs no upload_url.
    expect(confirmed).toBe('confirmed')
    expect(read.message).toMatch(/^get failed: HTTP 200: the answer is not the documented JSON/)
  })

  it('a 2xx without the documented envelope is reported clearly', async () => {
    const files = client({ baseUrl: await answering(201, fileAnswer({ name: 'no id' })) })
    await expect(files.create(request('a', 1), never)).rejects.toThrow(
      /not the documented JSON \(no file id\)/
    )
    await files.close()
  })

  it('an upload_url that is not a URL is refused as such', async () => {
    const api = await answering(201, fileAnswer({ id: 4, upload_url: 'no scheme here' }))
    const files = client({ baseUrl: api })
    const error = await rejection(files.create(request('a', 1), never))
    await files.close()
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ step: 'create', status: 200 })
    expect(error.message).toBe('create failed: HTTP 200: the answer has no valid upload_url')
  })

  it('an answer cut off mid-body is a NetworkError that says so', async () => {
    const api = await serve((req, res) => {
      req.resume()
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
      res.write('{"data":')
      setImmediate(() => res.destroy())
    })
    const files = client({ baseUrl: api })
    const error = await rejection(files.list(3, 1, 100, never))
    await files.close()
    expect(error).toBeInstanceOf(NetworkError)
    expect(error.message).toMatch(/^list failed: the answer was cut off: \S/)
    expect((error as NetworkError).step).toBe('list')
    expect(error.cause).toBeInstanceOf(Error)
  })

  it('a connection closed without an answer names the cause and its code', async () => {
    const api = await serve((req) => {
      req.socket.destroy()
    })
    const files = client({ baseUrl: api })
    const error = await rejection(files.get(1, never))
    await files.close()
    expect(error).toBeInstanceOf(NetworkError)
    expect(error.message).toBe('get failed: other side closed (UND_ERR_SOCKET)')
  })
})

describe('failures without an answer, as a dispatcher reports them', () => {
  /** A client whose every request fails with `error`. */
  function failing(error: unknown, timeoutMs = 5000): FilesClient {
    const dispatcher = {
      request: () => Promise.reject(error),
      destroy: () => Promise.resolve()
    } as unknown as Dispatcher
    return client({ dispatcher, requestTimeoutMs: timeoutMs })
  }

  const coded = (message: string, code: unknown): Error =>
    Object.assign(new Error(message), { code })

  it.each([
    ['a code the message lacks is added', coded('boom', 'EFOO'), 5000, 'list failed: boom (EFOO)'],
    [
      'a code the message names is not repeated',
      coded('EFOO: boom', 'EFOO'),
      5000,
      'list failed: EFOO: boom'
    ],
    ['a code that is not text is left out', coded('boom', 42), 5000, 'list failed: boom'],
    ['a thrown string is its own message', 'plain words', 5000, 'list failed: plain words'],
    [
      "a URL's query is never quoted",
      coded('cannot reach https://s.example/k?X-Amz-Signature=abc&b=c "x" now', 'EX'),
      5000,
      'list failed: cannot reach https://s.example/k?… "x" now (EX)'
    ],
    [
      'a query quoted in single quotes stops at the quote',
      coded("at 'https://s.example/k?sig=abc' then", undefined),
      5000,
      "list failed: at 'https://s.example/k?…' then"
    ],
    [
      'no answer in whole seconds',
      coded('t', 'UND_ERR_HEADERS_TIMEOUT'),
      2000,
      'list failed: no progress and no answer for 2 s'
    ],
    [
      'no answer in milliseconds',
      coded('t', 'UND_ERR_HEADERS_TIMEOUT'),
      1500,
      'list failed: no progress and no answer for 1500 ms'
    ],
    [
      'a stalled answer',
      coded('t', 'UND_ERR_BODY_TIMEOUT'),
      3000,
      'list failed: the answer stalled for 3 s'
    ]
  ] as const)('%s', async (_label, error, timeoutMs, message) => {
    const files = failing(error, timeoutMs)
    const caught = await rejection(files.list(3, 1, 100, never))
    expect(caught).toBeInstanceOf(NetworkError)
    expect(caught.message).toBe(message)
    expect(caught.cause).toBe(error)
  })

  it('a failure after the run was cancelled is the cancellation', async () => {
    const controller = new AbortController()
    controller.abort()
    const caught = await rejection(
      failing(coded('aborted', 'ABORT_ERR')).list(3, 1, 100, controller.signal)
    )
    expect(caught).toBeInstanceOf(CancelledError)
  })
})

describe('a file that changes during its PUT', () => {
  const SIZE = 4 * 1024 * 1024 + 5

  /** Puts `file`, calling `during` once, when the first part has left. */
  async function putChanging(
    files: FilesClient,
    file: UploadSource,
    during: () => Promise<void>
  ): Promise<Error> {
    const created = await files.create(request(path.basename(file.absolutePath), file.size), never)
    let changed: Promise<void> | undefined
    const error = await rejection(
      files.put(created.uploadUrl, file, never, () => {
        changed ??= during()
      })
    )
    await changed
    return error
  }

  it.each<[string, string, (file: string) => Promise<void>, string, boolean]>([
    [
      'one that shrinks is a read failure, and never loops on the missing bytes',
      'shrinks.bin',
      (file) => truncate(file, 1000),
      `the file changed size from ${SIZE} to 1000 bytes while it was being uploaded`,
      false
    ],
    [
      'one that grows is a read failure once its listed bytes are sent',
      'grows.bin',
      (file) => appendFile(file, 'more'),
      `the file changed size from ${SIZE} to ${SIZE + 4} bytes while it was being uploaded`,
      false
    ],
    [
      'one that vanishes is a read failure that says so',
      'vanishes.bin',
      (file) => unlink(file),
      'the file disappeared while it was being uploaded',
      false
    ],
    [
      'one that vanishes while storage drops the connection is a read failure, not a network one',
      'dropped.bin',
      (file) => unlink(file),
      'the file disappeared while it was being uploaded',
      true
    ]
  ])(
    '%s',
    async (_label, name, during, message, dropped) => {
      const file = await source(name, randomBytes(SIZE))
      const files = client()
      if (dropped) emulator.faults.push({ step: 'put', action: { type: 'reset-mid-body' } })
      const error = await putChanging(files, file, () => during(file.absolutePath))
      await files.close()
      expect(error).toBeInstanceOf(FileChangedError)
      expect(error.message).toBe(message)
      expect(emulator.uploaded()).toEqual([])
    },
    HANG_MS
  )

  it(
    'one that shrinks and grows back is still a read failure, not a network error to retry',
    async () => {
      const bytes = randomBytes(SIZE)
      const file = await source('flaps.bin', bytes)
      // Restored once the PUT has failed, before the client checks the file again.
      const files = client({
        onRequest: (event) => {
          if (event.status !== 0) return
          writeFileSync(file.absolutePath, bytes)
          restored = true
        }
      })
      let restored = false
      const error = await putChanging(files, file, () => truncate(file.absolutePath, 0))
      await files.close()
      expect(restored).toBe(true)
      expect(error).toBeInstanceOf(FileChangedError)
      expect(error.message).toBe(
        'the file changed size while it was being uploaded: it ended early'
      )
    },
    HANG_MS
  )

  it('one that is gone before its PUT, or cannot be opened, is refused before any byte is sent', async () => {
    const files = client()
    const created = await files.create(request('gone.txt', 3), never)
    const gone = {
      absolutePath: path.join(dir, 'never-written.txt'),
      size: 3,
      mimeType: 'text/plain'
    }
    const parent = await source('a-file.txt', 'not a directory')
    const blocked = { ...gone, absolutePath: path.join(parent.absolutePath, 'below') }
    const goneError = await rejection(files.put(created.uploadUrl, gone, never))
    const blockedError = await rejection(files.put(created.uploadUrl, blocked, never))
    await files.close()
    expect(goneError).toBeInstanceOf(FileChangedError)
    expect(goneError.message).toBe('the file disappeared after it was listed')
    expect(blockedError).toBeInstanceOf(FileChangedError)
    expect(blockedError.message).toMatch(/^cannot read the file: ENOTDIR/)
    expect(emulator.requests.filter((entry) => entry.step === 'put')).toEqual([])
  })

  it(
    'sends a file that does not change whole, in parts that each report their bytes',
    async () => {
      const bytes = randomBytes(SIZE)
      const file = await source('steady.bin', bytes)
      const files = client()
      const created = await files.create(request('steady.bin', SIZE), never)
      const parts: number[] = []
      await files.put(created.uploadUrl, file, never, (sent) => parts.push(sent))
      await files.confirm(created.id, never)
      await files.close()
      expect(parts.reduce((sum, part) => sum + part, 0)).toBe(SIZE)
      expect(Math.max(...parts)).toBeLessThanOrEqual(1024 * 1024)
      expect(emulator.uploaded()[0]?.stored?.bytes?.equals(bytes)).toBe(true)
    },
    HANG_MS
  )
})

describe('connections and file handles', () => {
  it('keeps at most `connections` connections to an origin', async () => {
    const slow = await startEmulator({ projects: [3], latencyMs: 20 })
    try {
      const files = client({ baseUrl: slow.apiUrl, authKey: slow.apiKey, connections: 2 })
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => files.create(request(`c${i}`, 1), never))
      )
      await files.close()
      const ports = new Set(slow.requests.map((entry) => entry.remotePort))
      expect(slow.requests).toHaveLength(6)
      expect(ports.size).toBe(2)
    } finally {
      await slow.close()
    }
  })

  it('closes the file handle of every PUT, sent, refused or failed', async () => {
    const files = client()
    const ok = await source('h-ok.txt', 'fine')
    const grew = await source('h-grew.txt', 'grew after it was listed')
    const refused = await source('h-refused.txt', 'refused')
    const created = await files.create(request('h-ok.txt', 4), never)
    await files.put(created.uploadUrl, ok, never)
    await rejection(files.put(created.uploadUrl, { ...grew, size: 3 }, never))
    emulator.faults.push({ step: 'put', action: { type: 'status', status: 403 } })
    await rejection(files.put(created.uploadUrl, refused, never))
    await files.close()
    expect(await openPaths()).toEqual([])
  })

  it('close() ends the pool: no request goes out after it', async () => {
    const agent = new Agent()
    const injected = client({ dispatcher: agent })
    await injected.create(request('x', 1), never)
    await injected.close()
    expect(agent.destroyed).toBe(true)

    const files = client()
    await files.create(request('y', 1), never)
    await files.close()
    const error = await rejection(files.create(request('z', 1), never))
    expect(error).toBeInstanceOf(NetworkError)
    expect(emulator.requests.filter((entry) => entry.step === 'create')).toHaveLength(2)
  })
})

describe('what an API answer says when it is not JSON', () => {
  it('an error page served as HTML is named as such, even without tags at its start', async () => {
    const api = await answering(502, 'Bad gateway from proxy', 'text/html; charset=utf-8')
    const files = client({ baseUrl: api })
    const error = await rejection(files.create(request('a', 1), never))
    await files.close()
    expect(error.message).toBe('create failed: HTTP 502: an HTML page: Bad gateway from proxy')
  })

  it('a confirm answer without a file names the confirm step', async () => {
    const api = await answering(200, '{}')
    const files = client({ baseUrl: api })
    const error = await rejection(files.confirm(3, never))
    await files.close()
    expect(error.message).toBe(
      'confirm failed: HTTP 200: the answer is not the documented JSON (no file id): {}'
    )
  })
})

describe('reading the file', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('fills each chunk across short reads, from the right place in the file', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 777)
    const file = await source('short-reads.bin', bytes)
    const probe = await open(file.absolutePath, 'r')
    const prototype = Object.getPrototypeOf(probe) as {
      read: (buffer: Buffer, offset: number, length: number, position: number) => Promise<unknown>
    }
    await probe.close()
    const read = prototype.read
    vi.spyOn(prototype, 'read').mockImplementation(function (
      this: unknown,
      buffer: Buffer,
      offset: number,
      length: number,
      position: number
    ) {
      return read.call(this, buffer, offset, Math.min(length, 100_000), position)
    })
    const files = client()
    const created = await files.create(request('short-reads.bin', bytes.length), never)
    const { sha256 } = await files.put(created.uploadUrl, file, never)
    await files.close()
    const stored = emulator.files.get(created.id)?.stored
    expect(stored?.bytes?.equals(bytes)).toBe(true)
    expect(sha256).toBe(stored?.sha256)
  })
})

describe('the stall watch of a PUT, on a fake clock', () => {
  const PART = 128 * 1024
  const TIMEOUT = 1000

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  /**
   * A storage on the fake clock: taking part i of the body costs `partMs[i]`, the answer
   * `answerMs`, reading the answer's body `bodyMs`. A request whose signal was aborted fails.
   */
  function storage(partMs: number[], answerMs: number, bodyMs = 0) {
    const seen: Dispatcher.RequestOptions[] = []
    const dispatcher = {
      async request(options: Dispatcher.RequestOptions) {
        seen.push(options)
        const signal = options.signal as AbortSignal
        const wait = (ms: number): void => {
          vi.advanceTimersByTime(ms)
          if (signal.aborted)
            throw Object.assign(new Error('This operation was aborted'), { code: 'ABORT_ERR' })
        }
        let part = 0
        for await (const chunk of options.body as AsyncIterable<Buffer>) {
          expect(chunk.length).toBeGreaterThan(0)
          wait(partMs[part++] ?? 0)
        }
        wait(answerMs)
        return {
          statusCode: 200,
          headers: {},
          body: {
            text: async () => {
              wait(bodyMs)
              return ''
            }
          }
        }
      },
      destroy: () => Promise.resolve()
    }
    return { seen, dispatcher: dispatcher as unknown as Dispatcher }
  }

  async function put(partMs: number[], answerMs: number, bodyMs = 0) {
    const file = await source('watched.bin', randomBytes(5 * PART))
    const { seen, dispatcher } = storage(partMs, answerMs, bodyMs)
    const files = client({ dispatcher, requestTimeoutMs: TIMEOUT })
    const url = new URL('https://storage.example.com/k?X-Amz-Signature=ab')
    const result = await files.put(url, file, never).catch((error: unknown) => error as Error)
    return { result, seen }
  }

  it('an upload that keeps moving is never cut off, however long it takes', async () => {
    const { result, seen } = await put([900, 900, 900, 900, 900], 900)
    expect(result).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    // The watch, not undici, times the wait for the answer; the caller's signal is not the one sent.
    expect(seen[0]).toMatchObject({ method: 'PUT', headersTimeout: 0, bodyTimeout: TIMEOUT })
    expect(seen[0]?.signal).not.toBe(never)
  })

  it('a part that takes longer than the timeout ends the upload, named as a stall', async () => {
    const { result } = await put([0, 1000], 0)
    expect(result).toBeInstanceOf(NetworkError)
    expect((result as Error).message).toBe('upload failed: no progress and no answer for 1 s')
  })

  it('after a body that moved at storage pace, the answer may take its buffered tail longer', async () => {
    // Two parts at once, then one every 600 ms: 256 KiB were still buffered, 1.2 s at that pace.
    const paced = [0, 0, 600, 600, 600]
    expect((await put(paced, 1200 + TIMEOUT - 1)).result).toMatchObject({
      sha256: expect.any(String)
    })
    const { result } = await put(paced, 1200 + TIMEOUT)
    expect(result).toBeInstanceOf(NetworkError)
    expect((result as Error).message).toBe(
      'upload failed: no progress and no answer for 1 s, after the 1.2 s allowed for the last 256.0 KiB still on the way to storage'
    )
  })

  it('once the answer has begun, the watch no longer counts', async () => {
    const { result } = await put([0, 0, 0, 0, 0], 0, 5 * TIMEOUT)
    expect(result).toMatchObject({ sha256: expect.any(String) })
  })

  it('a PUT that failed without an answer leaves no timer of its watch running', async () => {
    const file = await source('dropped.bin', randomBytes(PART))
    const dispatcher = {
      request: () =>
        Promise.reject(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })),
      destroy: () => Promise.resolve()
    } as unknown as Dispatcher
    const files = client({ dispatcher, requestTimeoutMs: TIMEOUT })
    const url = new URL('https://storage.example.com/k?X-Amz-Signature=ab')
    const error = await rejection(files.put(url, file, never))
    expect(error.message).toBe('upload failed: other side closed (UND_ERR_SOCKET)')
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('reading stored bytes back (readStored)', () => {
  /** Uploads and confirms `content` through the emulator; the record's id. */
  async function stored(name: string, content: string | Buffer): Promise<number> {
    const files = client()
    const created = await files.create(request(name, Buffer.byteLength(content)), never)
    await files.put(created.uploadUrl, await source(name, content), never)
    await files.confirm(created.id, never)
    await files.close()
    return created.id
  }

  /**
   * An API whose record 7 has a download URL to its own /object, signed `sig-…`, which `object`
   * answers; the client's base URL.
   */
  async function storageOf(object: http.RequestListener): Promise<string> {
    let origin = ''
    origin = await serve((req, res) => {
      if (req.url?.startsWith('/object')) return object(req, res)
      const url = `${origin}/object?X-Amz-Expires=3600&X-Amz-Signature=sig-${'5'.repeat(60)}`
      const file = { id: 7, project_id: 3, name: 'x', size_bytes: 4, status: 'uploaded', url }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ data: { file } }))
    })
    return origin
  }

  it('counts and hashes the stored bytes, gets the record first and sends no key to storage', async () => {
    const content = randomBytes(3 * 1024 * 1024 + 11)
    const id = await stored('back.bin', content)
    emulator.requests.length = 0
    const events: RequestEvent[] = []
    const files = client({ onRequest: (event) => events.push(event) })
    const read = await files.readStored(id, never)
    await files.close()
    expect(read).toMatchObject({ size: content.length, sha256: sha256(content) })
    expect(read.record).toMatchObject({ id, status: 'uploaded', sizeBytes: content.length })
    expect(emulator.requests.map((r) => [r.server, r.step, r.status])).toEqual([
      ['api', 'get', 200],
      ['storage', 'download', 200]
    ])
    const download = emulator.requests[1]!
    expect(download.headers.authorization).toBeUndefined()
    expect(download.headers['user-agent']).toBe('core-test/1.0')
    expect(events.map((event) => [event.step, event.method, event.status])).toEqual([
      ['get', 'GET', 200],
      ['verify', 'GET', 200]
    ])
    expect(events[1]?.url).toBe(emulator.storageUrl + download.path)
  })

  it('reads what storage holds, not what was sent: a lying storage shows', async () => {
    emulator.setCorrupt({ puts: 'always' })
    try {
      const id = await stored('lie.txt', 'the bytes that were sent')
      const files = client()
      const read = await files.readStored(id, never)
      await files.close()
      expect(read.size).toBe(24)
      expect(read.sha256).toBe(emulator.files.get(id)?.stored?.sha256)
      expect(read.sha256).not.toBe(sha256('the bytes that were sent'))
    } finally {
      emulator.setCorrupt(undefined)
    }
  })

  it('hands the download signature to mask before the download is sent', async () => {
    const id = await stored('masked.txt', 'mask me')
    const seen: string[] = []
    const files = client({
      mask: (secret) => seen.push(`mask ${secret}`),
      onRequest: (event) => seen.push(`${event.step} ${event.url}`)
    })
    const read = await files.readStored(id, never)
    await files.close()
    const signature = new URL(read.record.url ?? '').searchParams.get('X-Amz-Signature')
    expect(signature).toMatch(/^[0-9a-f]{64}$/)
    expect(seen.map((line) => line.replace(/ .*/s, ''))).toEqual(['get', 'mask', 'verify'])
    expect(seen[1]).toBe(`mask ${signature}`)
    expect(seen.join('\n')).not.toContain(`${signature}&`)
    expect(seen[2]).not.toContain('?')
  })

  it(
    'keeps memory flat: 256 MiB stream through, never all held at once',
    { timeout: 20_000 },
    async () => {
      const MiB = 1024 * 1024
      const block = randomBytes(MiB)
      const base = await storageOf((_req, res) => {
        res.writeHead(200, { 'content-length': String(256 * MiB) })
        let sent = 0
        const more = (): void => {
          while (sent < 256 && res.write(block)) sent++
          if (sent < 256) res.once('drain', more)
          else res.end()
        }
        more()
      })
      const files = client({ baseUrl: base })
      const before = process.memoryUsage()
      let peak = 0
      const sampler = setInterval(() => {
        const now = process.memoryUsage()
        peak = Math.max(peak, now.arrayBuffers - before.arrayBuffers)
      }, 5)
      try {
        const read = await files.readStored(7, never)
        expect(read.size).toBe(256 * MiB)
      } finally {
        clearInterval(sampler)
        await files.close()
      }
      // Chunks already hashed wait for the GC, tens of MiB of them at this pace; a body held whole
      // would keep all 256 MiB alive at once by its end.
      expect(peak).toBeLessThan(128 * MiB)
    }
  )

  it('a storage error is an HttpError of the verify step with its words; a redirect is not followed', async () => {
    const id = await stored('refused.txt', 'abc')
    emulator.faults.push({ step: 'download', action: { type: 'status', status: 503 } })
    const files = client()
    const unavailable = await rejection(files.readStored(id, never))
    expect(unavailable).toBeInstanceOf(HttpError)
    expect(unavailable).toMatchObject({ step: 'verify', status: 503, code: 'ServiceUnavailable' })
    expect(unavailable.message).toMatch(/^verify failed: HTTP 503: ServiceUnavailable: /)
    emulator.faults.push({
      step: 'download',
      action: { type: 'redirect', location: 'https://elsewhere.example/x' }
    })
    const moved = await rejection(files.readStored(id, never))
    await files.close()
    expect(moved.message).toBe(
      'verify failed: HTTP 307: a redirect to elsewhere.example, which is not followed'
    )
    expect(emulator.requests.filter((r) => r.step === 'download')).toHaveLength(2)
  })

  it('a record without a download URL, or with one in clear text across a network, is refused before any download', async () => {
    let url: string | undefined
    const api = await answering(200, () =>
      fileAnswer({ id: 7, name: 'x', ...(url === undefined ? {} : { url }) })
    )
    const files = client({ baseUrl: api })
    const none = await rejection(files.readStored(7, never))
    url = 'http://storage.example/object?X-Amz-Signature=abc'
    const clear = await rejection(files.readStored(7, never))
    url = 'not a url'
    const broken = await rejection(files.readStored(7, never))
    await files.close()
    expect([none.message, clear.message, broken.message]).toEqual([
      'get failed: HTTP 200: the answer has no download url',
      'get failed: HTTP 200: the download url uses http: to storage.example; only https is accepted',
      'get failed: HTTP 200: the answer has no valid download url'
    ])
  })

  it(
    'a download that stalls is a NetworkError of the verify step, after the request timeout',
    { timeout: HANG_MS },
    async () => {
      const sent = signalled()
      const base = await storageOf((_req, res) => {
        res.writeHead(200, { 'content-length': '1000' })
        res.write('x'.repeat(100), sent.resolve)
      })
      const files = client({ baseUrl: base, requestTimeoutMs: 300 })
      const started = performance.now()
      const reading = rejection(files.readStored(7, never))
      await sent.promise
      await undiciTimeoutsAfter(300)
      const stalled = await reading
      await files.close()
      expect(performance.now() - started).toBeGreaterThanOrEqual(250)
      expect(stalled).toBeInstanceOf(NetworkError)
      expect(stalled.message).toBe(
        'verify failed: the download was cut off: the answer stalled for 300 ms'
      )
    }
  )

  it(
    'storage that never answers, or cuts the body off, is a NetworkError of the verify step',
    { timeout: HANG_MS },
    async () => {
      const asked = signalled()
      const silent = await storageOf(() => asked.resolve())
      const cut = await storageOf((_req, res) => {
        res.writeHead(200, { 'content-length': '1000' })
        res.write('x'.repeat(100), () => res.destroy())
      })
      const quiet = client({ baseUrl: silent, requestTimeoutMs: 300 })
      const waiting = rejection(quiet.readStored(7, never))
      await asked.promise
      await undiciTimeoutsAfter(300)
      const noAnswer = await waiting
      const broken = client({ baseUrl: cut })
      const cutOff = await rejection(broken.readStored(7, never))
      await Promise.all([quiet.close(), broken.close()])
      expect(noAnswer).toBeInstanceOf(NetworkError)
      expect(noAnswer.message).toBe('verify failed: no progress and no answer for 300 ms')
      expect(cutOff).toBeInstanceOf(NetworkError)
      expect(cutOff.message).toMatch(/^verify failed: the download was cut off: \S/)
      expect((cutOff as NetworkError).step).toBe('verify')
      expect(cutOff.cause).toBeInstanceOf(Error)
    }
  )

  it(
    'a cancel mid-download, once the answer has begun, is the cancellation',
    { timeout: HANG_MS },
    async () => {
      const controller = new AbortController()
      const base = await storageOf((_req, res) => {
        res.writeHead(200, { 'content-length': '1000' })
        res.write('x'.repeat(100))
      })
      // onRequest hears of the download when its answer's headers are in: the body is under way.
      const files = client({
        baseUrl: base,
        onRequest: (event) => event.step === 'verify' && controller.abort()
      })
      const cancelled = await rejection(files.readStored(7, controller.signal))
      await files.close()
      expect(cancelled).toBeInstanceOf(CancelledError)
    }
  )

  it('a 300 from storage is not a download', async () => {
    const base = await storageOf((_req, res) => {
      res.writeHead(300, { 'content-type': 'text/plain' })
      res.end('choose')
    })
    const files = client({ baseUrl: base })
    const refused = await rejection(files.readStored(7, never))
    await files.close()
    expect(refused).toMatchObject({ step: 'verify', status: 300 })
    expect(refused.message).toBe(
      'verify failed: HTTP 300: a redirect to an unknown place, which is not followed'
    )
  })
})

describe("the Resources API (api: 'resources'): the key picks the project", () => {
  let resources: Emulator
  beforeAll(async () => {
    resources = await startEmulator({
      api: 'resources',
      apiKey: 'res-key',
      projects: [3],
      keys: { 'other-key': 8 }
    })
  })
  afterAll(() => resources.close())
  afterEach(() => resources.reset())

  /** A client of the Resources API at `baseUrl` (the emulator's by default). */
  function resourcesClient(overrides: Partial<ClientOptions> = {}): FilesClient {
    return client({
      api: 'resources',
      baseUrl: resources.apiUrl,
      authKey: resources.apiKey,
      ...overrides
    })
  }

  it('creates, uploads, confirms, gets, lists and reads back on /api/resources only, naming no project', async () => {
    const files = resourcesClient()
    expect(files.filesUrl).toBe(`${resources.apiUrl}/api/resources`)
    const bytes = randomBytes(200_000)
    const file = await source('res.bin', bytes, 'application/zip')
    // The emulator refuses a project_id in the body (400): this create would fail if one were sent.
    const created = await files.create(
      { ...request('res.bin', bytes.length, 'application/zip'), projectId: undefined },
      never
    )
    expect((await files.put(created.uploadUrl, file, never)).sha256).toBe(sha256(bytes))
    await files.confirm(created.id, never)
    const record = await files.get(created.id, never)
    const page = await files.list(undefined, 1, 100, never)
    const stored = await files.readStored(created.id, never)
    await files.close()

    expect(record).toMatchObject({
      id: created.id,
      projectId: 3,
      name: 'res.bin',
      sizeBytes: bytes.length,
      status: 'uploaded'
    })
    expect(record.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)
    expect(page).toEqual({ files: [{ ...record, url: undefined }], totalPages: 1 })
    expect(stored).toMatchObject({ size: bytes.length, sha256: sha256(bytes) })
    expect(resources.uploaded()).toMatchObject([{ id: created.id, project_id: 3 }])
    const api = resources.requests.filter((entry) => entry.server === 'api')
    expect(api.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      'POST /api/resources 200',
      `PATCH /api/resources/${created.id} 200`,
      `GET /api/resources/${created.id} 200`,
      'GET /api/resources 200',
      `GET /api/resources/${created.id} 200`
    ])
    expect(api[3]?.query).toEqual({ page: '1', per_page: '100' })
    expect(resources.requests.some((entry) => entry.path.startsWith('/api/files'))).toBe(false)
  })

  it('sends the create body without project_id, and the files API sends it first', async () => {
    const bodies: string[] = []
    const baseUrl = await serve((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString()))
      req.on('end', () => {
        bodies.push(`${req.method} ${req.url} ${body}`)
        const key = req.url?.startsWith('/api/resources') ? 'resource' : 'file'
        const record = { id: 4, upload_url: 'https://storage.example/put?X-Amz-Signature=ab' }
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ data: { [key]: record } }))
      })
    })
    for (const api of ['resources', 'files'] as const) {
      const files = client({ baseUrl, api })
      await files.create({ ...request('b.txt', 2), description: 'd' }, never)
      await files.close()
    }
    expect(bodies).toEqual([
      'POST /api/resources {"name":"b.txt","mime_type":"application/octet-stream","size_bytes":2,"description":"d"}',
      'POST /api/files {"project_id":3,"name":"b.txt","mime_type":"application/octet-stream","size_bytes":2,"description":"d"}'
    ])
  })

  it("reaches only the key's project: another key's resource is a 404, and a files client finds no API", async () => {
    const files = resourcesClient()
    const created = await files.create({ ...request('mine', 1), projectId: undefined }, never)
    await files.close()
    const other = resourcesClient({ authKey: 'other-key' })
    await expect(other.get(created.id, never)).rejects.toMatchObject({ step: 'get', status: 404 })
    expect((await other.list(undefined, 1, 100, never)).files).toEqual([])
    await other.close()
    const wrong = client({ baseUrl: resources.apiUrl, authKey: resources.apiKey })
    const error = await rejection(wrong.create(request('a', 1), never))
    await wrong.close()
    expect(error).toMatchObject({ step: 'create', status: 404 })
  })

  it('reads data.resource and data.resources, the pagination inside data or beside it', async () => {
    const url = 'https://storage.example/o?X-Amz-Signature=cd'
    const resource = { id: 9, project_id: 3, name: 'r', size_bytes: 1, status: 'uploaded', url }
    const answers: Record<string, unknown> = {
      '/api/resources/9': { data: { resource } },
      '/api/resources?page=1&per_page=100': {
        data: { resources: [resource], pagination: { total_pages: 2 } }
      },
      '/api/resources?page=2&per_page=100': {
        data: { resources: [] },
        pagination: { total_pages: 2 }
      }
    }
    const api = await serve((req, res) => {
      req.resume()
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(answers[req.url ?? ''] ?? {}))
    })
    const files = resourcesClient({ baseUrl: api })
    expect(await files.get(9, never)).toMatchObject({ id: 9, projectId: 3, url })
    expect(await files.list(undefined, 1, 100, never)).toMatchObject({
      files: [{ id: 9 }],
      totalPages: 2
    })
    expect(await files.list(undefined, 2, 100, never)).toEqual({ files: [], totalPages: 2 })
    await files.close()
  })

  it('needs only an id and an upload_url from create: no status, no project_id; one without says what is missing', async () => {
    const answer = { value: '' }
    const api = await serve((req, res) => {
      req.resume()
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer.value)
    })
    const files = resourcesClient({ baseUrl: api })
    const upload = 'https://storage.example/put?X-Amz-Signature=ef'
    answer.value = JSON.stringify({
      data: { resource: { id: 5, name: 'a', access_level: 'private', upload_url: upload } }
    })
    expect((await files.create(request('a', 1), never)).id).toBe(5)
    answer.value = JSON.stringify({ data: { resource: { id: 5 } } })
    const noUrl = await rejection(files.create(request('a', 1), never))
    // A Files answer is not a Resources one.
    answer.value = JSON.stringify({ data: { file: { id: 5, upload_url: upload } } })
    const asFile = await rejection(files.create(request('a', 1), never))
    answer.value = JSON.stringify({ data: { resource: { id: 5 } } })
    const noDownload = await rejection(files.readStored(5, never))
    answer.value = JSON.stringify({
      data: { resources: [{ name: 'x' }], pagination: { total_pages: 1 } }
    })
    const noId = await rejection(files.list(undefined, 1, 100, never))
    answer.value = JSON.stringify({ data: { files: [], pagination: { total_pages: 1 } } })
    const noList = await rejection(files.list(undefined, 1, 100, never))
    await files.close()
    expect(noUrl.message).toBe(
      'create failed: HTTP 200: the answer is not the documented JSON (no upload_url): {"data":{"resource":{"id":5}}}'
    )
    expect(asFile.message).toMatch(
      /^create failed: HTTP 200: the answer is not the documented JSON \(no resource id\): /
    )
    expect(noDownload.message).toBe('get failed: HTTP 200: the answer has no download url')
    expect(noId.message).toMatch(
      /^list failed: HTTP 200: the answer is not the documented JSON \(a resource without an id\): /
    )
    expect(noList.message).toMatch(
      /^list failed: HTTP 200: the answer is not the documented JSON \(no data\.resources array\): /
    )
  })
})
