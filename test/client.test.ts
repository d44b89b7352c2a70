import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../emulator/emulator.ts'
import { FilesClient, type UploadSource } from '../src/core/client.ts'
import { CancelledError, FileChangedError, HttpError, NetworkError } from '../src/core/errors.ts'
import { sha256 } from './support.ts'

let emulator: Emulator
let dir: string
const never = new AbortController().signal

beforeAll(async () => {
  emulator = await startEmulator({ projects: [3] })
  dir = await mkdtemp(path.join(os.tmpdir(), 'client-'))
})
afterAll(async () => {
  await emulator.close()
  await rm(dir, { recursive: true, force: true })
})
afterEach(() => emulator.reset())

function client(
  overrides: Partial<ConstructorParameters<typeof FilesClient>[0]> = {}
): FilesClient {
  return new FilesClient({
    baseUrl: emulator.apiUrl,
    authKey: emulator.apiKey,
    connections: 4,
    requestTimeoutMs: 2000,
    userAgent: 'test-agent/1.0',
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
  description: 'desc'
})

describe('FilesClient against the emulator', () => {
  it('creates, uploads and confirms; the PUT carries exactly the signed type and no Authorization', async () => {
    const files = client()
    const bytes = randomBytes(1_000_000)
    const file = await source('one.bin', bytes, 'application/zip')
    const created = await files.create(request('one.bin', bytes.length, 'application/zip'), never)
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
      'user-agent': 'test-agent/1.0'
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
    const timedOut = await files.create(request('a', 1), never).catch((caught: unknown) => caught)
    expect(timedOut).toBeInstanceOf(NetworkError)
    expect((timedOut as Error).message).toBe('create failed: no progress and no answer for 300 ms')
    // Aborted once the request hangs at the server, by a client whose own timeout cannot come first.
    const controller = new AbortController()
    const patient = client({ requestTimeoutMs: 60_000 })
    const aborted = patient.create(request('a', 1), controller.signal)
    await expect.poll(() => emulator.requests.length).toBe(2)
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

describe('FilesClient against a misbehaving API', () => {
  let server: http.Server
  let body = ''
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume()
      res.writeHead(201, { 'content-type': 'application/json' }).end(body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const apiClient = (): FilesClient =>
    client({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })

  it('refuses an upload_url that would send the bytes in clear text across the network', async () => {
    body = JSON.stringify({
      data: { file: { id: 5, upload_url: 'http://storage.example.com/k?X-Amz-Signature=abc' } }
    })
    const files = apiClient()
    await expect(files.create(request('a', 1), never)).rejects.toThrow(
      'create failed: HTTP 200: the upload_url uses http: to storage.example.com; only https is accepted'
    )
    await files.close()
  })

  it('reports a 2xx without the documented envelope clearly', async () => {
    body = '{"data":{"file":{"name":"no id"}}}'
    const files = apiClient()
    await expect(files.create(request('a', 1), never)).rejects.toThrow(
      /not the documented JSON \(no file id\)/
    )
    await files.close()
  })
})
