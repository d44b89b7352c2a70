/**
 * Interop: the bundled action against a backend whose storage and signer were not written here.
 * Storage is s3rver (an S3 server in node); upload URLs come from the AWS SDK's presigner; a thin
 * Files API in front of them (test/support/interop-api.ts) checks the Bearer key and confirms
 * each file with HeadObject. If s3rver cannot start, beforeAll throws and the suite fails.
 *
 * s3rver 3.7.1 does not verify SigV4 signatures (it checks the access key, the parameters and the
 * expiry only; a PUT with a zeroed X-Amz-Signature or another path is stored all the same). So
 * this suite checks itself that every PUT reached storage exactly as signed: same path and
 * query byte for byte, same Host. A server that verifies signatures then has nothing to refuse.
 *
 * The two checksum modes of the backend's S3 client:
 * - the SDK's default (requestChecksumCalculation 'WHEN_SUPPORTED') puts the CRC32 of an empty
 *   body into every PUT URL: x-amz-checksum-crc32=AAAAAA== and x-amz-sdk-checksum-algorithm=CRC32.
 *   s3rver copies those parameters into the request's headers and ignores them: it answers 200,
 *   stores the bytes and keeps no checksum (HeadObject with ChecksumMode ENABLED reports none).
 *   S3 answers such a PUT with a non-empty body 400 BadDigest; R2 may or may not. The emulator's
 *   'checksum-trap' fault (test/faults.test.ts) stands in for a server that enforces it.
 * - 'WHEN_REQUIRED' leaves both parameters out: the form every S3-compatible server accepts.
 */
import { randomBytes } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIST, makeWorkspace, runAction, type ActionRun } from '../scripts/run-action.ts'
import type { UploadedFile } from '../src/core/upload.ts'
import {
  listKeys,
  readObject,
  startInterop,
  type ApiRecord,
  type ChecksumCalculation,
  type InteropStack
} from './support/interop-api.ts'
import { sha256 } from './support.ts'

const PROJECT = 7
const API_KEY = 'interop-key'
const BIG_BYTES = 40 * 1024 * 1024 + 7

/** One file of the workspace, below `up/`, with the type the action must give it. */
interface Case {
  name: string
  content: string | Buffer
  mimeType: string
}

/** Names that break naive encoding: each must come back from storage unchanged. */
const CASES: readonly Case[] = [
  { name: 'with space.txt', content: 'spaces\n', mimeType: 'text/plain' },
  { name: 'ünïcödé-日本.json', content: '{"ünï":"日本"}', mimeType: 'application/json' },
  { name: 'hash#tag.txt', content: 'hash\n', mimeType: 'text/plain' },
  // '%41' and '%2F' come back as 'A' and '/' if anything decodes the key twice.
  { name: '100% %41 %2F.txt', content: 'percent\n', mimeType: 'text/plain' },
  { name: 'a+b=c.txt', content: 'plus\n', mimeType: 'text/plain' },
  { name: 'this&that.txt', content: 'ampersand\n', mimeType: 'text/plain' },
  { name: '(round).txt', content: 'parens\n', mimeType: 'text/plain' },
  { name: 'bang!.txt', content: 'bang\n', mimeType: 'text/plain' },
  { name: "it's.txt", content: 'quote\n', mimeType: 'text/plain' },
  { name: 'star*.txt', content: 'star\n', mimeType: 'text/plain' },
  { name: 'what?.txt', content: 'question\n', mimeType: 'text/plain' },
  { name: "all #%+&()!'* ?.txt", content: 'all of them\n', mimeType: 'text/plain' },
  { name: 'back\\slash [br]{ce}"q"<a>^`|~;:@$,.txt', content: 'odd\n', mimeType: 'text/plain' },
  // The extension is 'txt ', which no type is registered for.
  { name: ' lead and trail .txt ', content: 'spaces\n', mimeType: 'application/octet-stream' },
  { name: 'tab\there.txt', content: 'tab\n', mimeType: 'text/plain' },
  { name: 'new\nline.txt', content: 'nl\n', mimeType: 'text/plain' },
  { name: 'emoji-🚀-\u0301combining.txt', content: 'emoji\n', mimeType: 'text/plain' },
  { name: 'empty.bin', content: '', mimeType: 'application/octet-stream' },
  { name: 'nested/deeper/leaf.md', content: '# leaf\n', mimeType: 'text/markdown' },
  // Not a multiple of the action's read size: the last chunk is a short one.
  { name: 'big.bin', content: randomBytes(BIG_BYTES), mimeType: 'application/octet-stream' }
]

/** The `files` output, one entry per uploaded file. */
type FileOutput = UploadedFile

const MODES: readonly { checksums: ChecksumCalculation; trap: boolean }[] = [
  { checksums: 'WHEN_REQUIRED', trap: false },
  { checksums: 'sdk-default', trap: true }
]

let workspace: string
beforeAll(async () => {
  workspace = await makeWorkspace(
    Object.fromEntries(CASES.map((file) => [`up/${file.name}`, file.content]))
  )
})
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true })
})

function uploadAll(stack: InteropStack, extra: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    workspace,
    inputs: {
      'auth-key': API_KEY,
      'project-id': String(PROJECT),
      'base-url': stack.api.url,
      files: 'up/**',
      ...extra
    }
  })
}

function filesOf(run: ActionRun): FileOutput[] {
  return JSON.parse(run.outputs.files ?? 'null') as FileOutput[]
}

/** Size and sha256 of a workspace file, read from disk. */
async function diskFacts(relative: string): Promise<{ size: number; sha256: string }> {
  const bytes = await readFile(path.join(workspace, relative))
  return { size: bytes.length, sha256: sha256(bytes) }
}

function caseNamed(name: string): Case {
  const found = CASES.find((file) => file.name === name)
  if (!found) throw new Error(`the action reported a file it was not given: ${name}`)
  return found
}

function recordOf(stack: InteropStack, id: number): ApiRecord {
  const record = stack.api.records.get(id)
  if (!record) throw new Error(`the action reported file ${id}, which the API never created`)
  return record
}

describe.each(MODES)('the bundled action against s3rver, URLs signed with $checksums', (mode) => {
  let stack: InteropStack
  let run: ActionRun

  beforeAll(async () => {
    stack = await startInterop(mode.checksums, { apiKey: API_KEY, projects: [PROJECT] })
    run = await uploadAll(stack)
  })
  afterAll(async () => {
    await stack?.close()
  })

  it('uploads every file, reporting each once in the outputs', () => {
    expect(run.code, run.log).toBe(0)
    const files = filesOf(run)
    expect(files.map((file) => file.name).sort()).toEqual(CASES.map((file) => file.name).sort())
    expect(files.map((file) => file.path)).toEqual(files.map((file) => `up/${file.name}`))
    expect(JSON.parse(run.outputs['file-ids'] ?? '')).toEqual(files.map((file) => file.id))
    expect(run.outputs.count).toBe(String(CASES.length))
    expect(run.outputs['failed-files']).toBe('[]')
  })

  it(`signs URLs ${mode.trap ? 'with' : 'without'} the checksum of an empty body`, () => {
    expect(stack.api.records.size).toBe(CASES.length)
    for (const record of stack.api.records.values()) {
      const query = new URL(record.upload_url).searchParams
      expect(query.get('X-Amz-SignedHeaders')).toBe('host')
      expect(query.get('x-amz-checksum-crc32')).toBe(mode.trap ? 'AAAAAA==' : null)
      expect(query.get('x-amz-sdk-checksum-algorithm')).toBe(mode.trap ? 'CRC32' : null)
    }
  })

  it('sends each PUT once, exactly as signed, with the signed type and length and no key', () => {
    const puts = stack.storage.requests.filter((request) => request.method === 'PUT')
    expect(puts).toHaveLength(CASES.length)
    for (const record of stack.api.records.values()) {
      const url = new URL(record.upload_url)
      const put = puts.find((request) => request.target === url.pathname + url.search)
      expect(put, `no PUT to the URL of ${record.name}`).toBeDefined()
      expect(put?.headers.host).toBe(url.host)
      expect(put?.headers['content-type']).toBe(record.mime_type)
      expect(put?.headers['content-length']).toBe(String(record.size_bytes))
      expect(put?.headers['transfer-encoding']).toBeUndefined()
      expect(put?.headers.authorization).toBeUndefined()
    }
  })

  it('stores every file byte for byte, under its own name, with its type', async () => {
    for (const file of filesOf(run)) {
      const expected = caseNamed(file.name)
      const record = recordOf(stack, file.id)
      expect(record).toMatchObject({ name: file.name, project_id: PROJECT, status: 'uploaded' })
      const [, keyName] = /^project-resources\/7\/[0-9a-f-]{36}\/(.+)$/s.exec(record.key) ?? []
      expect(keyName).toBe(file.name)
      const stored = await readObject(stack.s3, record.key)
      const onDisk = await diskFacts(file.path)
      expect(stored).toEqual({ ...onDisk, contentType: expected.mimeType })
      expect(file).toMatchObject({
        size_bytes: onDisk.size,
        sha256: onDisk.sha256,
        mime_type: expected.mimeType
      })
    }
  })

  it('holds exactly one object per reported file, and no other record', async () => {
    const ids = JSON.parse(run.outputs['file-ids'] ?? '') as number[]
    const keys = await listKeys(stack.s3, `project-resources/${PROJECT}/`)
    expect(keys.sort()).toEqual(ids.map((id) => recordOf(stack, id).key).sort())
    expect([...stack.api.records.keys()].sort()).toEqual([...ids].sort())
  })
})

describe('the interop API itself', () => {
  let stack: InteropStack

  beforeAll(async () => {
    stack = await startInterop('WHEN_REQUIRED', { apiKey: API_KEY, projects: [PROJECT] })
  })
  afterAll(async () => {
    await stack?.close()
  })

  async function call(method: string, route: string, body: object, key = API_KEY) {
    const response = await fetch(stack.api.url + route, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body)
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  it('confirms a file only once storage holds all of its bytes', async () => {
    const created = await call('POST', '/api/files', {
      project_id: PROJECT,
      name: 'x.txt',
      mime_type: 'text/plain',
      size_bytes: 3
    })
    expect(created.status).toBe(201)
    const file = (created.body.data as { file: { id: number; upload_url: string } }).file
    const confirm = () => call('PATCH', `/api/files/${file.id}`, { status: 'uploaded' })
    expect(await confirm()).toEqual({
      status: 409,
      body: { error: 'File has not been uploaded to storage' }
    })
    const put = (body: string) =>
      fetch(file.upload_url, { method: 'PUT', body, headers: { 'content-type': 'text/plain' } })
    expect((await put('ab')).status).toBe(200)
    expect((await confirm()).status).toBe(409)
    expect((await put('abc')).status).toBe(200)
    expect(await confirm()).toMatchObject({
      status: 200,
      body: { data: { file: { id: file.id } } }
    })
  })

  it('refuses a wrong key, and the action stops without sending any bytes', async () => {
    expect((await call('POST', '/api/files', {}, 'wrong')).status).toBe(401)
    const before = stack.storage.requests.length
    const run = await uploadAll(stack, { 'auth-key': 'wrong-key' })
    expect(run.code).toBe(1)
    expect(run.log).toMatch(/HTTP 401/)
    expect(run.outputs.count).toBe('0')
    expect(stack.storage.requests.length).toBe(before)
  })
})

describe('the interop packages', () => {
  it('stay test-only: dev dependencies, absent from the bundle', async () => {
    const manifest = JSON.parse(
      await readFile(new URL('../package.json', import.meta.url), 'utf8')
    ) as { dependencies: Record<string, string>; devDependencies: Record<string, string> }
    const bundle = await readFile(DIST, 'utf8')
    for (const name of ['s3rver', '@aws-sdk/client-s3', '@aws-sdk/s3-request-presigner']) {
      expect(manifest.devDependencies).toHaveProperty([name])
      expect(manifest.dependencies).not.toHaveProperty([name])
    }
    expect(bundle).not.toMatch(/s3rver|@aws-sdk\/|PutObjectCommand/)
  })
})
