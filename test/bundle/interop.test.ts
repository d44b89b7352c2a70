/**
 * Interop: the bundled action against a backend whose storage and signer were not written here.
 * Storage is @20minutes/s3rver (an S3 server in node that verifies presigned SigV4 URLs); upload
 * URLs come from the AWS SDK's presigner with Content-Type signed; a thin Files API in front of
 * them (test/support/interop-api.ts) checks the Bearer key and confirms each file with
 * HeadObject. If the storage cannot start, beforeAll throws and the suite fails.
 *
 * The storage refuses with 403 what S3 and R2 refuse: a wrong key, a path or query other than the
 * signed one, an expired URL, a Content-Type other than the signed one. It does not check the
 * checksum parameters, and it accepts a PUT that carries no signature at all; the suite checks
 * those two things itself.
 *
 * The two checksum modes of the backend's S3 client:
 * - the SDK's default (requestChecksumCalculation 'WHEN_SUPPORTED') puts the CRC32 of an empty
 *   body into every PUT URL: x-amz-checksum-crc32=AAAAAA== and x-amz-sdk-checksum-algorithm=CRC32.
 *   The storage verifies them as part of the signed query and otherwise ignores them: it answers
 *   200 and stores the bytes. S3 answers such a PUT with a non-empty body 400 BadDigest; R2 may or
 *   may not. The emulator's 'checksum-trap' fault (test/bundle/faults.test.ts) stands in for a server
 *   that enforces it.
 * - 'WHEN_REQUIRED' leaves both parameters out: the form every S3-compatible server accepts.
 */
import { randomBytes } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIST, type ActionRun } from '../../scripts/run-action.ts'
import type { UploadedFile } from '../../src/core/transfer/outcome.ts'
import { runAction, workspace as makeWorkspace } from '../support/bundle.ts'
import { sha256 } from '../support/harness.ts'
import {
  listKeys,
  readObject,
  startInterop,
  startS3rver,
  type ApiRecord,
  type ChecksumCalculation,
  type InteropStack,
  type SignerOptions,
  type StorageRequest
} from '../support/interop-api.ts'

const PROJECT = 7
const API_KEY = 'interop-key'
const BIG_BYTES = 40 * 1024 * 1024 + 7
/** README: an expired URL is replaced by a fresh one, "up to three URLs per file". */
const FRESH_URLS_PER_FILE = 3
const TWO_HOURS_SECONDS = 2 * 60 * 60

/** One file of the workspace, with the type the action must give it. */
interface Case {
  name: string
  content: string | Buffer
  mimeType: string
}

/** Names that break naive encoding, below `up/`: each must come back from storage unchanged. */
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

/**
 * A few files below `few/` for the refusals: small, so that a refused PUT is answered before its
 * body is sent; an odd name, a nested one and an empty one, so that none of them slips through.
 * No newline in a name: each failure is one line of the error.
 */
const FEW: readonly Case[] = [
  { name: 'plain.txt', content: 'plain\n', mimeType: 'text/plain' },
  { name: "odd #%+&'?.txt", content: 'odd\n', mimeType: 'text/plain' },
  { name: 'nested/data.json', content: '{"a":1}', mimeType: 'application/json' },
  { name: 'empty.bin', content: '', mimeType: 'application/octet-stream' }
]

const MODES: readonly { checksums: ChecksumCalculation; trap: boolean }[] = [
  { checksums: 'WHEN_REQUIRED', trap: false },
  { checksums: 'sdk-default', trap: true }
]

let workspace: string
beforeAll(async () => {
  workspace = await makeWorkspace({
    ...Object.fromEntries(CASES.map((file) => [`up/${file.name}`, file.content])),
    ...Object.fromEntries(FEW.map((file) => [`few/${file.name}`, file.content]))
  })
})
function startStack(signer: SignerOptions): Promise<InteropStack> {
  return startInterop(signer, { apiKey: API_KEY, projects: [PROJECT] })
}

/** The secrets a run against `stack` holds: the key and each signature its storage saw. */
function secretsOf(stack: InteropStack): string[] {
  const signatures = stack.storage.requests.map(
    (request) => new URL(request.target, 'http://storage').searchParams.get('X-Amz-Signature') ?? ''
  )
  return [API_KEY, ...signatures]
}

function uploadAll(stack: InteropStack, extra: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    secrets: () => secretsOf(stack),
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

function uploadFew(stack: InteropStack): Promise<ActionRun> {
  return uploadAll(stack, { files: 'few/**' })
}

function filesOf(run: ActionRun): UploadedFile[] {
  return JSON.parse(run.outputs.files ?? 'null') as UploadedFile[]
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

function putsOf(stack: InteropStack): StorageRequest[] {
  return stack.storage.requests.filter((request) => request.method === 'PUT')
}

/** The PUTs storage received for one URL (path and query byte for byte, same host). */
function putsTo(stack: InteropStack, uploadUrl: string): StorageRequest[] {
  const url = new URL(uploadUrl)
  return putsOf(stack).filter(
    (put) => put.target === url.pathname + url.search && put.headers.host === url.host
  )
}

/** The `::error::` message, unescaped as a runner shows it, line by line. */
function errorLines(run: ActionRun): string[] {
  const command = run.log.split('\n').find((line) => line.startsWith('::error::')) ?? ''
  const unescaped = command
    .slice('::error::'.length)
    .replace(/%(25|0D|0A)/g, (escape) => ({ '%25': '%', '%0D': '\r', '%0A': '\n' })[escape] ?? '')
  return unescaped.split('\n')
}

/** The step failed for every file of FEW, each named on its own line with `reason`. */
function expectEveryFileFailed(run: ActionRun, reason: RegExp): void {
  expect(run.code, run.log).toBe(1)
  const [head, ...lines] = errorLines(run)
  expect(head).toBe(`${FEW.length} of ${FEW.length} files failed to upload:`)
  expect(lines.map((line) => /^ {2}(.+?): upload failed: /.exec(line)?.[1]).sort()).toEqual(
    FEW.map((file) => `few/${file.name}`).sort()
  )
  for (const line of lines) expect(line).toMatch(reason)
  expect(JSON.parse(run.outputs['failed-files'] ?? '').sort()).toEqual(
    FEW.map((file) => `few/${file.name}`).sort()
  )
  expect(run.outputs.count).toBe('0')
  expect(run.outputs['file-ids']).toBe('[]')
}

/** Storage holds nothing, the action confirmed nothing, and every record it made is pending. */
async function expectNothingStored(stack: InteropStack): Promise<void> {
  expect(await listKeys(stack.s3, '')).toEqual([])
  expect(stack.api.requests.filter((request) => request.method === 'PATCH')).toEqual([])
  expect(stack.api.records.size).toBeGreaterThan(0)
  for (const record of stack.api.records.values()) expect(record.status).toBe('pending')
}

/** How many records the API created for each file of FEW. */
function createsPerFile(stack: InteropStack): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const record of stack.api.records.values()) {
    counts[record.name] = (counts[record.name] ?? 0) + 1
  }
  return counts
}

/** Each file of FEW mapped to `count`. */
function eachFew(count: number): Record<string, number> {
  return Object.fromEntries(FEW.map((file) => [file.name, count]))
}

describe.each(MODES)('the bundled action against a verifying S3 server, $checksums', (mode) => {
  let stack: InteropStack
  let run: ActionRun

  beforeAll(async () => {
    stack = await startStack({ checksums: mode.checksums })
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

  it(`signs Content-Type into URLs ${mode.trap ? 'with' : 'without'} an empty body's checksum`, () => {
    expect(stack.api.records.size).toBe(CASES.length)
    for (const record of stack.api.records.values()) {
      const query = new URL(record.upload_url).searchParams
      expect(query.get('X-Amz-SignedHeaders')).toBe('content-type;host')
      expect(query.get('x-amz-checksum-crc32')).toBe(mode.trap ? 'AAAAAA==' : null)
      expect(query.get('x-amz-sdk-checksum-algorithm')).toBe(mode.trap ? 'CRC32' : null)
    }
  })

  // Storage verifies the signature over the method, path, query, Host and Content-Type, so a PUT
  // that strayed from its URL would be refused. It would still accept one that dropped the
  // signature, and it canonicalises the path itself, so it cannot tell a re-encoded path (which
  // other servers may refuse) from the one signed: hence the byte-for-byte match here.
  it('sends each PUT once, to its URL byte for byte, with the signed type and length and no key', () => {
    expect(putsOf(stack)).toHaveLength(CASES.length)
    for (const record of stack.api.records.values()) {
      const puts = putsTo(stack, record.upload_url)
      expect(puts, `PUTs to the URL of ${record.name}`).toHaveLength(1)
      expect(puts[0]?.status).toBe(200)
      expect(puts[0]?.headers['content-type']).toBe(record.mime_type)
      expect(puts[0]?.headers['content-length']).toBe(String(record.size_bytes))
      // Storage does not refuse chunked bodies; R2 and S3 do.
      expect(puts[0]?.headers['transfer-encoding']).toBeUndefined()
      // Storage would refuse a Bearer header next to the signature, but the key would be out.
      expect(puts[0]?.headers.authorization).toBeUndefined()
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

/** A backend that signs wrong, and the action's run against it. */
interface Refusal {
  stack: InteropStack
  run: ActionRun
}

/** The one type the backend of the Content-Type refusal signs, whatever the create declared. */
const SIGNED_TYPE = 'application/octet-stream'

describe.each(MODES)('URLs the verifying server refuses, $checksums', (mode) => {
  const stacks: InteropStack[] = []
  let refused: { wrongSecret: Refusal; twoHoursAgo: Refusal; otherType: Refusal }

  async function refusedRun(signer: Omit<SignerOptions, 'checksums'>): Promise<Refusal> {
    const stack = await startStack({ checksums: mode.checksums, ...signer })
    stacks.push(stack)
    return { stack, run: await uploadFew(stack) }
  }

  // Three small runs side by side: each is mostly the action's start-up.
  beforeAll(async () => {
    const [wrongSecret, twoHoursAgo, otherType] = await Promise.all([
      refusedRun({ secretAccessKey: 'not-the-storage-secret' }),
      refusedRun({ clockBehindSeconds: TWO_HOURS_SECONDS, expiresIn: TWO_HOURS_SECONDS / 2 }),
      refusedRun({ signedType: () => SIGNED_TYPE })
    ])
    refused = { wrongSecret, twoHoursAgo, otherType }
  })
  afterAll(async () => {
    await Promise.all(stacks.map((stack) => stack.close()))
  })

  it('signed with a wrong secret: every file fails, nothing is stored or confirmed', async () => {
    const { stack, run } = refused.wrongSecret
    expectEveryFileFailed(run, /: upload failed: HTTP 403: SignatureDoesNotMatch: /)
    // A signature mismatch is final: one URL per file, one PUT per URL.
    expect(createsPerFile(stack)).toEqual(eachFew(1))
    expect(putsOf(stack).map((put) => put.status)).toEqual(FEW.map(() => 403))
    await expectNothingStored(stack)
  })

  it('signed two hours ago: three fresh URLs per file, then the expired-URL message', async () => {
    const { stack, run } = refused.twoHoursAgo
    expectEveryFileFailed(
      run,
      /: upload failed: HTTP 403: AccessDenied: Request has expired \(every fresh upload URL had expired by the time it was used/
    )
    expect(createsPerFile(stack)).toEqual(eachFew(FRESH_URLS_PER_FILE))
    for (const record of stack.api.records.values()) {
      const signedAt = new URL(record.upload_url).searchParams.get('X-Amz-Date') ?? ''
      expect(Date.now() - amzDate(signedAt)).toBeGreaterThanOrEqual(TWO_HOURS_SECONDS * 1000)
      expect(putsTo(stack, record.upload_url).map((put) => put.status)).toEqual([403])
    }
    await expectNothingStored(stack)
  })

  it('signed for another Content-Type: refused, while a file of the signed type is stored', async () => {
    const { stack, run } = refused.otherType
    const refusedFiles = FEW.filter((file) => file.mimeType !== SIGNED_TYPE)
    expect(run.code, run.log).toBe(1)
    expect(JSON.parse(run.outputs['failed-files'] ?? '').sort()).toEqual(
      refusedFiles.map((file) => `few/${file.name}`).sort()
    )
    expect(errorLines(run).slice(1)).toEqual(
      refusedFiles.map(() =>
        expect.stringMatching(/^ {2}few\/.+: upload failed: HTTP 403: SignatureDoesNotMatch: /)
      )
    )
    for (const record of stack.api.records.values()) {
      const declared = FEW.find((file) => file.name === record.name)?.mimeType
      const puts = putsTo(stack, record.upload_url)
      // The action sends the type it declared at create, whatever the API signed.
      expect(puts.map((put) => put.headers['content-type'])).toEqual([declared])
      expect(puts.map((put) => put.status)).toEqual([declared === SIGNED_TYPE ? 200 : 403])
      expect(record.status).toBe(declared === SIGNED_TYPE ? 'uploaded' : 'pending')
    }
  })
})

/** Milliseconds since the epoch of an X-Amz-Date (yyyyMMdd'T'HHmmss'Z'). */
function amzDate(value: string): number {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(value) ?? []
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s))
}

describe('the interop backend itself', () => {
  let stack: InteropStack

  beforeAll(async () => {
    stack = await startStack({ checksums: 'WHEN_REQUIRED' })
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

  async function createFile(name: string, size: number) {
    const created = await call('POST', '/api/files', {
      project_id: PROJECT,
      name,
      mime_type: 'text/plain',
      size_bytes: size
    })
    expect(created.status).toBe(201)
    return (created.body.data as { file: { id: number; upload_url: string } }).file
  }

  function put(url: string, body: string, type = 'text/plain') {
    return fetch(url, { method: 'PUT', body, headers: { 'content-type': type } })
  }

  it('confirms a file only once storage holds all of its bytes', async () => {
    const file = await createFile('x.txt', 3)
    const confirm = () => call('PATCH', `/api/files/${file.id}`, { status: 'uploaded' })
    expect(await confirm()).toEqual({
      status: 409,
      body: { error: 'File has not been uploaded to storage' }
    })
    expect((await put(file.upload_url, 'ab')).status).toBe(200)
    expect((await confirm()).status).toBe(409)
    expect((await put(file.upload_url, 'abc')).status).toBe(200)
    expect(await confirm()).toMatchObject({
      status: 200,
      body: { data: { file: { id: file.id } } }
    })
  })

  // The premise of the refusals above, and the gap the suite covers itself: should the storage
  // stop verifying, this says so directly rather than through the action's failures.
  it('storage refuses a changed signature, path or type, and accepts a PUT with none', async () => {
    const file = await createFile('y.txt', 1)
    const url = new URL(file.upload_url)
    // One hex digit of the signature changed, nothing else.
    const tampered = file.upload_url.replace(
      /(X-Amz-Signature=)(.)/,
      (_, name: string, digit: string) => name + (digit === '0' ? '1' : '0')
    )
    const moved = file.upload_url.replace('/y.txt?', '/z.txt?')
    const unsigned = new URL(url.pathname, url.origin)
    expect(tampered).not.toBe(file.upload_url)
    expect(moved).not.toBe(file.upload_url)
    expect((await put(tampered, 'y')).status).toBe(403)
    expect((await put(moved, 'y')).status).toBe(403)
    expect((await put(url.href, 'y', 'text/html')).status).toBe(403)
    expect((await put(unsigned.href, 'y')).status).toBe(200)
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

  it('rejects when the storage cannot start, so that beforeAll fails the suite', async () => {
    // A regular file where the storage wants its directory: creating the bucket fails.
    await expect(startS3rver(path.join(workspace, 'few/plain.txt'))).rejects.toThrow(
      /ENOTDIR|EEXIST/
    )
  })
})

describe('the interop backend itself, in the resources dialect', () => {
  let stack: InteropStack

  beforeAll(async () => {
    stack = await startInterop(
      { checksums: 'WHEN_REQUIRED' },
      { apiKey: API_KEY, projects: [PROJECT], api: 'resources' }
    )
  })
  afterAll(async () => {
    await stack?.close()
  })

  async function call(method: string, route: string, body: object) {
    const response = await fetch(stack.api.url + route, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body)
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  it("creates in the key's project, as the reference shows, and confirms once storage holds the bytes", async () => {
    const created = await call('POST', '/api/resources', {
      name: 'r.txt',
      mime_type: 'text/plain',
      size_bytes: 3,
      description: 'd'
    })
    expect(created.status).toBe(200)
    const resource = (created.body.data as { resource: Record<string, unknown> }).resource
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
    const id = resource.id as number
    const record = stack.api.records.get(id)!
    expect([record.project_id, record.key]).toEqual([
      PROJECT,
      expect.stringMatching(new RegExp(`^project-resources/${PROJECT}/[0-9a-f-]{36}/r\\.txt$`))
    ])
    const confirm = () => call('PATCH', `/api/resources/${id}`, { status: 'uploaded' })
    expect(await confirm()).toEqual({
      status: 409,
      body: { error: 'Resource has not been uploaded to storage' }
    })
    const put = await fetch(resource.upload_url as string, {
      method: 'PUT',
      body: 'abc',
      headers: { 'content-type': 'text/plain' }
    })
    expect(put.status).toBe(200)
    expect(await confirm()).toMatchObject({
      status: 200,
      body: { data: { resource: { id, project_id: PROJECT, status: 'uploaded', url: null } } }
    })
    expect(await readObject(stack.s3, record.key)).toMatchObject({ size: 3, sha256: sha256('abc') })
  })

  it('refuses a project_id in the create, and answers 404 to every /api/files path', async () => {
    expect(await call('POST', '/api/resources', { project_id: PROJECT, name: 'a' })).toEqual({
      status: 400,
      body: { error: 'Unknown field: project_id' }
    })
    const files = await call('POST', '/api/files', { project_id: PROJECT, name: 'a' })
    expect(files).toEqual({ status: 404, body: { error: 'Not found' } })
    expect(await call('PATCH', '/api/files/1', { status: 'uploaded' })).toEqual(files)
    expect(await call('PATCH', '/api/resources/999', { status: 'uploaded' })).toEqual({
      status: 404,
      body: { error: 'Resource not found' }
    })
  })
})

describe('the bundled action with api resources against the verifying S3 server', () => {
  let stack: InteropStack
  let run: ActionRun

  beforeAll(async () => {
    stack = await startInterop(
      { checksums: 'WHEN_REQUIRED' },
      { apiKey: API_KEY, projects: [PROJECT], api: 'resources' }
    )
    run = await runAction({
      secrets: () => secretsOf(stack),
      workspace,
      inputs: { 'auth-key': API_KEY, api: 'resources', 'base-url': stack.api.url, files: 'few/**' }
    })
  })
  afterAll(async () => {
    await stack?.close()
  })

  it("stores every file byte for byte in the key's project, through /api/resources only", async () => {
    expect(run.code, run.log).toBe(0)
    const files = filesOf(run)
    expect(files.map((file) => file.name).sort()).toEqual(FEW.map((file) => file.name).sort())
    for (const file of files) {
      const record = recordOf(stack, file.id)
      expect([record.project_id, record.status]).toEqual([PROJECT, 'uploaded'])
      expect(await readObject(stack.s3, record.key)).toMatchObject(await diskFacts(file.path))
    }
    expect(
      stack.api.requests.map((request) => `${request.method} ${request.status}`).sort()
    ).toEqual([...FEW.map(() => 'POST 200'), ...FEW.map(() => 'PATCH 200')].sort())
    expect(stack.api.requests.every((request) => request.route.startsWith('/api/resources'))).toBe(
      true
    )
  })
})

/** Every file below dist/: the action's bundle, and whatever else is built there. */
async function distFiles(): Promise<string[]> {
  const entries = await readdir(path.dirname(DIST), { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
}

describe('the interop packages', () => {
  it('stay test-only: dev dependencies, absent from everything built into dist/', async () => {
    const manifest = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8')
    ) as { dependencies?: Record<string, string>; devDependencies: Record<string, string> }
    for (const name of [
      '@20minutes/s3rver',
      '@aws-sdk/client-s3',
      '@aws-sdk/s3-request-presigner'
    ]) {
      expect(manifest.devDependencies).toHaveProperty([name])
      expect(manifest.dependencies ?? {}).not.toHaveProperty([name])
    }
    const files = await distFiles()
    expect(files).toContain(DIST)
    for (const file of files) {
      expect(await readFile(file, 'utf8'), file).not.toMatch(/s3rver|@aws-sdk\/|PutObjectCommand/)
    }
  })
})
