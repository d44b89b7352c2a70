// `verify` in each file's journey, run by the workers (runWorkers) in this process against the emulator as storage that
// lies: each file read back through its download URL, sent again as a new record while its stored
// bytes differ, failed with both digests when they still do; `skip-existing` candidates proven by
// their bytes; nothing downloaded without it.
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../../emulator/emulator.ts'
import { FilesClient, type ClientOptions } from '../../../src/core/http/client.ts'
import { withRetry } from '../../../src/core/http/retry.ts'
import { keyRefusedHint } from '../../../src/core/settings/words.ts'
import { listProject } from '../../../src/core/transfer/listing.ts'
import type { TransferOptions } from '../../../src/core/transfer/journey.ts'
import type { Mismatch, Outcome } from '../../../src/core/transfer/outcome.ts'
import { never, poolScene } from '../../support/core-run.ts'
import { sha256 } from '../../support/harness.ts'

/** A refused key's hint, in the words of the face the context leaves unset: the library's. */
const KEY_REFUSED_HINT = keyRefusedHint('library')

const PROJECT = 6
const RETRIES = 2
const CANCELLED = 'not uploaded: the run was cancelled'
const STOPPED = 'not uploaded: the API key was refused'
/** Tests a mutant can leave hanging fail after this, well before Stryker's own timeout. */
const HANG_MS = 4000

const scene = poolScene(PROJECT, 'core-verify')
const { localFiles, run } = scene
/** The scene's emulator, once it has started. */
let emulator: Emulator
beforeAll(() => {
  emulator = scene.emulator
})

/** What a context saw: retries, bytes sent, mismatches, and masks and requests in one order. */
interface Seen {
  retried: string[]
  sent: number[]
  mismatches: (Mismatch & { file: string })[]
  /** `mask <secret>` and `<step> <method> <url>`, in the order they happened. */
  trail: string[]
}

function clientOptions(trail: string[]): ClientOptions {
  return scene.clientOptions({
    mask: (secret) => trail.push(`mask ${secret}`),
    onRequest: (event) => trail.push(`${event.step} ${event.method} ${event.url}`)
  })
}

/** A context with verify on, against the emulator, recording what it sees. */
function context(
  overrides: Partial<TransferOptions> = {},
  makeClient: (options: ClientOptions) => FilesClient = (options) => new FilesClient(options)
): TransferOptions & Seen {
  const seen: Seen = { retried: [], sent: [], mismatches: [], trail: [] }
  const client = scene.track(makeClient(clientOptions(seen.trail)))
  return {
    client,
    projectId: PROJECT,
    description: undefined,
    policy: { retries: RETRIES, baseMs: 0, maxDelayMs: 0 },
    verify: true,
    onRetry: (file, error) => seen.retried.push(`${file.name}: ${(error as Error).message}`),
    onSent: (bytes) => seen.sent.push(bytes),
    onMismatch: (file, mismatch) => seen.mismatches.push({ file: file.name, ...mismatch }),
    ...overrides,
    ...seen
  }
}

const requests = (step: string): number => emulator.requests.filter((r) => r.step === step).length

/** The record of an outcome that succeeded. */
function uploadedOf(outcome: Outcome | undefined) {
  if (!outcome?.ok) throw new Error(`expected success: ${outcome?.ok === false && outcome.error}`)
  return outcome
}

/** The files of a first run without verify, then listed as skip-existing sees them. */
async function alreadyThere(contents: Record<string, string>) {
  const files = await localFiles(contents)
  const first = await run(context({ verify: false }), files)
  expect(first.every((outcome) => outcome.ok)).toBe(true)
  const ctx = context()
  const listing = await listProject({
    client: ctx.client,
    projectId: PROJECT,
    concurrency: 2,
    retry: (operation) => withRetry(operation, ctx.policy, never),
    signal: never
  })
  return { files, first, listing }
}

describe('verify: stored bytes that differ are sent again as a new record', () => {
  it('storage that corrupts each first PUT: every file ends right, in a new record', async () => {
    emulator.setCorrupt({ puts: 'first' })
    const contents = {
      'app.apk': randomBytes(300_000),
      'notes.md': 'release notes',
      'one.txt': 'x'
    }
    const files = await localFiles(contents)
    const ctx = context()
    const outcomes = await run(ctx, files)
    for (const outcome of outcomes) {
      const { uploaded, badRecords, file, arrival } = uploadedOf(outcome)
      const content = contents[file.name as keyof typeof contents]
      const record = emulator.files.get(uploaded.id)!
      expect(record.stored?.bytes?.equals(Buffer.from(content))).toBe(true)
      expect(record).toMatchObject({ status: 'uploaded', name: file.name })
      expect(uploaded.sha256).toBe(sha256(content))
      expect(arrival).toBe('uploaded')
      expect(badRecords).toHaveLength(1)
      const bad = emulator.files.get(badRecords![0]!)!
      expect(bad).toMatchObject({ name: file.name, status: 'uploaded' })
      expect(bad.stored?.receivedSha256).toBe(sha256(content))
      expect(bad.stored?.sha256).not.toBe(sha256(content))
      expect(uploaded.id).not.toBe(bad.id)
    }
    expect(ctx.mismatches.map((m) => [m.file, m.existing])).toEqual(
      expect.arrayContaining([
        ['app.apk', false],
        ['notes.md', false],
        ['one.txt', false]
      ])
    )
    expect(ctx.mismatches.every((m) => m.local.sha256 !== m.stored.sha256)).toBe(true)
    expect(requests('create')).toBe(6)
    expect(requests('download')).toBe(6)
    const total = Object.values(contents).reduce((sum, c) => sum + Buffer.byteLength(c), 0)
    expect(ctx.sent.reduce((sum, bytes) => sum + bytes, 0)).toBe(total)
  })

  it('storage that always corrupts: the file fails naming both digests, its bad records reported', async () => {
    emulator.setCorrupt({ puts: 'always' })
    const files = await localFiles({ 'build.ipa': 'the build', 'empty.txt': '' })
    const ctx = context()
    const [failed, empty] = await run(ctx, files)
    if (failed?.ok !== false) throw new Error('expected a failure')
    expect(failed.badRecords).toEqual(
      emulator
        .uploaded()
        .filter((r) => r.name === 'build.ipa')
        .map((r) => r.id)
    )
    expect(failed.badRecords).toHaveLength(RETRIES + 1)
    const stored = emulator.files.get(failed.badRecords!.at(-1)!)?.stored?.sha256
    expect(failed.error).toBe(
      `stored bytes differ from the file: sha256 ${stored} in the project, ${sha256('the build')} on disk ` +
        `(uploaded 3 times; records ${failed.badRecords!.join(', ')} hold other bytes, and the API cannot delete them)`
    )
    // An empty body has no byte to change: it is stored right, and verified so.
    expect(uploadedOf(empty).badRecords).toBeUndefined()
    expect(requests('create')).toBe(RETRIES + 2)
  })

  it('with no retries, the first difference fails the file', async () => {
    emulator.setCorrupt({ puts: 'first' })
    const files = await localFiles({ 'once.txt': 'only once' })
    const ctx = context({ policy: { retries: 0, baseMs: 0, maxDelayMs: 0 } })
    const [outcome] = await run(ctx, files)
    expect(outcome).toMatchObject({
      ok: false,
      badRecords: [1],
      error: expect.stringMatching(
        /^stored bytes differ .*\(uploaded 1 time; record 1 holds other bytes, and the API cannot delete it\)$/
      )
    })
    expect(requests('create')).toBe(1)
  })
})

describe('verify with skip-existing: a candidate counts only if its bytes are the file’s', () => {
  it('re-uploads exactly the file edited in place at the same size', async () => {
    const { files, first, listing } = await alreadyThere({
      'spec.md': 'version 1',
      'config.json': '{"a":1}',
      'same.txt': 'unchanged'
    })
    await writeFile(files[0]!.absolutePath, 'version 2')
    emulator.requests.length = 0
    const ctx = context({ listing })
    const [spec, config, same] = await run(ctx, files)
    const specId = uploadedOf(first[0]).uploaded.id
    expect(uploadedOf(spec)).toMatchObject({ arrival: 'uploaded', replaced: specId })
    expect(uploadedOf(spec).badRecords).toBeUndefined()
    const fresh = emulator.files.get(uploadedOf(spec).uploaded.id)!
    expect(fresh.stored?.bytes?.toString()).toBe('version 2')
    expect(uploadedOf(spec).uploaded).toMatchObject({
      existing: false,
      sha256: sha256('version 2')
    })
    for (const [outcome, before] of [
      [config, first[1]],
      [same, first[2]]
    ] as const) {
      expect(uploadedOf(outcome)).toMatchObject({
        arrival: 'existing',
        uploaded: { id: uploadedOf(before).uploaded.id, existing: true }
      })
      expect(uploadedOf(outcome).replaced).toBeUndefined()
    }
    expect(ctx.mismatches).toEqual([
      {
        file: 'spec.md',
        id: specId,
        existing: true,
        stored: { size: 9, sha256: sha256('version 1') },
        local: { size: 9, sha256: sha256('version 2') }
      }
    ])
    expect(requests('create')).toBe(1)
    expect(requests('download')).toBe(4)
  })

  it('without verify, the same edit goes unseen: the old bytes stay (why verify exists)', async () => {
    const { files, listing } = await alreadyThere({ 'spec.md': 'version 1' })
    await writeFile(files[0]!.absolutePath, 'version 2')
    const [spec] = await run(context({ listing, verify: false }), files)
    expect(uploadedOf(spec).arrival).toBe('existing')
    expect(emulator.uploaded().map((r) => r.stored?.bytes?.toString())).toEqual(['version 1'])
  })

  it('a replacement that storage corrupts too is sent again, and its bad record reported', async () => {
    const { files, first, listing } = await alreadyThere({ 'spec.md': 'version 1' })
    await writeFile(files[0]!.absolutePath, 'version 2')
    emulator.setCorrupt({ puts: [1] })
    const [spec] = await run(context({ listing }), files)
    const outcome = uploadedOf(spec)
    expect(outcome.replaced).toBe(uploadedOf(first[0]).uploaded.id)
    expect(outcome.badRecords).toHaveLength(1)
    expect(emulator.files.get(outcome.uploaded.id)?.stored?.bytes?.toString()).toBe('version 2')
  })

  it('a candidate that cannot be read back fails the file, naming the record', async () => {
    const { files, first, listing } = await alreadyThere({ 'held.txt': 'held' })
    emulator.faults.push({
      step: 'download',
      times: RETRIES + 1,
      action: { type: 'status', status: 403 }
    })
    const [held] = await run(context({ listing }), files)
    const id = uploadedOf(first[0]).uploaded.id
    expect(held).toMatchObject({
      ok: false,
      error: `the project's record ${id} of the same name and size could not be read back to verify its bytes: verify failed: HTTP 403: AccessDenied: Access Denied`
    })
  })
})

describe('what verify downloads, and how', () => {
  it('without verify nothing is downloaded, not even from a storage that lies', async () => {
    emulator.setCorrupt({ puts: 'always' })
    const { files, listing } = await alreadyThere({ 'a.txt': 'alpha', 'b.txt': 'bravo' })
    const more = await localFiles({ 'c.txt': 'charlie' })
    const outcomes = await run(context({ listing, verify: false, downloadUrl: true }), [
      ...files,
      ...more
    ])
    expect(outcomes.every((outcome) => outcome.ok && outcome.badRecords === undefined)).toBe(true)
    expect(emulator.requests.filter((r) => r.server === 'storage' && r.method === 'GET')).toEqual(
      []
    )
    expect(requests('download')).toBe(0)
  })

  it('a transient 503 on the download is retried like any request', async () => {
    emulator.faults.push({ step: 'download', action: { type: 'status', status: 503 } })
    const files = await localFiles({ 'retry.txt': 'try again' })
    const ctx = context()
    const [outcome] = await run(ctx, files)
    expect(uploadedOf(outcome).badRecords).toBeUndefined()
    expect(ctx.retried).toEqual([
      'retry.txt: verify failed: HTTP 503: ServiceUnavailable: Please reduce your request rate.'
    ])
    expect(requests('download')).toBe(2)
  })

  it('a download that fails for good fails the file as not proven, with its record', async () => {
    emulator.faults.push({
      step: 'download',
      times: RETRIES + 1,
      action: { type: 'status', status: 500 }
    })
    const files = await localFiles({ 'unread.txt': 'unread' })
    const [outcome] = await run(context(), files)
    expect(outcome).toMatchObject({
      ok: false,
      error:
        'record 1 is in the project, but it could not be read back to verify its bytes: verify failed: HTTP 500: InternalError: We encountered an internal error. Please try again. (after 2 retries)'
    })
    expect(outcome?.badRecords).toBeUndefined()
  })

  it('masks each download URL’s signature before its download is sent, and logs no query', async () => {
    emulator.setCorrupt({ puts: 'first' })
    const files = await localFiles({ 's1.txt': 'one', 's2.txt': 'two' })
    const ctx = context()
    const outcomes = await run(ctx, files)
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true)
    const downloads = emulator.requests.filter((r) => r.step === 'download')
    expect(downloads).toHaveLength(4)
    for (const download of downloads) {
      const signature = download.query['X-Amz-Signature']!
      expect(signature).toMatch(/^[0-9a-f]{64}$/)
      const masked = ctx.trail.indexOf(`mask ${signature}`)
      const sent = ctx.trail.indexOf(`verify GET ${emulator.storageUrl}${download.path}`)
      expect(masked).toBeGreaterThanOrEqual(0)
      expect(masked).toBeLessThan(sent)
    }
    expect(ctx.trail.filter((line) => !line.startsWith('mask ') && line.includes('?'))).toEqual([])
  })

  it('takes the download URL from the record it read back, with no second get', async () => {
    const files = await localFiles({ 'dl.txt': 'download me' })
    const [outcome] = await run(context({ downloadUrl: true }), files)
    expect(uploadedOf(outcome).uploaded.url).toMatch(/X-Amz-Signature=/)
    expect(requests('get')).toBe(1)
  })

  it(
    'a cancel settles as the rest do, with the bad records found so far',
    { timeout: HANG_MS },
    async () => {
      emulator.setCorrupt({ puts: 'always' })
      const controller = new AbortController()
      const files = await localFiles({ 'stop.txt': 'stop here' })
      const ctx = context({ onMismatch: () => controller.abort() })
      const outcomes = await run(ctx, files, 1, controller.signal)
      expect(outcomes).toEqual([
        {
          ok: false,
          file: files[0],
          error: CANCELLED,
          cancelled: true,
          badRecords: [1],
          durationMs: expect.any(Number)
        }
      ])
      expect(requests('create')).toBe(1)
    }
  )
})

describe('what verify needs and how it stops', () => {
  it('needs no hooks: a difference is sent again when nobody listens', async () => {
    emulator.setCorrupt({ puts: 'first' })
    const { listing } = await alreadyThere({ 'old.txt': 'version 1' })
    const files = await localFiles({ 'old.txt': 'version 2', 'new.txt': 'new' })
    const ctx: TransferOptions = { ...context({ listing }) }
    delete ctx.onMismatch
    delete ctx.onSent
    delete ctx.onRetry
    const [old, fresh] = await run(ctx, files)
    expect(uploadedOf(old).replaced).toBe(1)
    expect(uploadedOf(fresh).badRecords).toHaveLength(1)
  })

  it(
    'a cancel during a read-back is the cancellation, not a failed read',
    { timeout: HANG_MS },
    async () => {
      const controller = new AbortController()
      const files = await localFiles({ 'cut.txt': 'cut short' })
      const onDownload = (o: ClientOptions) =>
        new FilesClient({
          ...o,
          onRequest: (event) => event.step === 'verify' && controller.abort()
        })
      const [outcome] = await run(context({}, onDownload), files, 1, controller.signal)
      expect(outcome).toMatchObject({ ok: false, error: CANCELLED })
    }
  )

  it('a key refused while reading a record back stops every worker', async () => {
    emulator.faults.push({ step: 'get', action: { type: 'status', status: 401 } })
    const files = await localFiles({ 'first.txt': 'first', 'second.txt': 'second' })
    const [first, second] = await run(context(), files, 1)
    expect(first).toMatchObject({
      ok: false,
      error: `get failed: HTTP 401: Emulated fault: HTTP 401 (${KEY_REFUSED_HINT})`
    })
    expect(second).toMatchObject({ ok: false, error: STOPPED })
  })
})
