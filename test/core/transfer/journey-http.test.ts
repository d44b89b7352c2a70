// Each file's journey, run by the workers (runWorkers) in this process against the emulator, over the
// HTTP client: one file's steps, what a failure of each becomes, when a fresh upload URL is worth
// asking for, when a confirm of unknown outcome is settled by reading the record back, and what stops
// every worker.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { startEmulator, type Emulator, type Fault } from '../../../emulator/emulator.ts'
import type { LocalFile } from '../../../src/core/files/files.ts'
import { FilesClient } from '../../../src/core/http/client.ts'
import type { Transport } from '../../../src/core/http/transport.ts'
import { keyRefusedHint } from '../../../src/core/settings/words.ts'
import { ProjectListing } from '../../../src/core/transfer/listing.ts'
import type { TransferOptions } from '../../../src/core/transfer/journey.ts'
import type { Outcome } from '../../../src/core/transfer/outcome.ts'
import { poolScene } from '../../support/core-run.ts'
import { sha256 } from '../../support/harness.ts'

/** The hint a refused key gets, in the action's words. */
const KEY_REFUSED_HINT = keyRefusedHint('action')

const PROJECT = 4
const RETRIES = 2
const EXPIRED_HINT =
  '(every fresh upload URL had expired by the time it was used: the server issues URLs that live too briefly)'
const STOPPED = 'not uploaded: the API key was refused'
const CANCELLED = 'not uploaded: the run was cancelled'

/** Tests a mutant can leave hanging fail after this, well before Stryker's own timeout. */
const HANG_MS = 4000

const scene = poolScene(PROJECT, 'core-upload')
const { localFiles, run, clientOptions } = scene
/** The scene's emulator, once it has started. */
let emulator: Emulator
beforeAll(() => {
  emulator = scene.emulator
})

interface Retried {
  file: string
  message: string
  attempt: number
}

/** A context against `target`, recording retries and bytes sent. */
function context(
  overrides: Partial<TransferOptions> = {},
  target: Emulator = emulator,
  client?: Transport
): TransferOptions & { retried: Retried[]; sent: number[] } {
  const retried: Retried[] = []
  const sent: number[] = []
  const files = scene.track(client ?? new FilesClient(clientOptions({}, target)))
  return {
    client: files,
    projectId: PROJECT,
    description: undefined,
    policy: { retries: RETRIES, baseMs: 0, maxDelayMs: 0 },
    // The action's words, which these tests quote.
    face: 'action',
    onRetry: (file, error, attempt) =>
      retried.push({ file: file.name, message: (error as Error).message, attempt }),
    onSent: (bytes) => sent.push(bytes),
    ...overrides,
    retried,
    sent
  }
}

/** `name: error` for each failed outcome, `name: arrival` for each other. */
function summary(outcomes: readonly Outcome[]): string[] {
  return outcomes.map((outcome) =>
    outcome.ok
      ? `${outcome.file.name}: ${outcome.arrival}`
      : `${outcome.file.name}: ${outcome.error}`
  )
}

const steps = (target: Emulator, step: string, name?: string): number =>
  target.requests.filter(
    (entry) =>
      entry.step === step &&
      (name === undefined || target.files.get(entry.fileId ?? 0)?.name === name)
  ).length

const faultTimes = RETRIES + 1

/** Storage's error body for a request it calls expired, in `message`'s words. */
const expiredBody = (message: string): string =>
  `<Error><Code>ExpiredRequest</Code><Message>${message}</Message></Error>`

/** Answers every try at `step` (for the file `name` only, when given) with HTTP `status`. */
function failEveryTry(step: Fault['step'], status: number, name?: string): void {
  const only = name === undefined ? {} : { name }
  emulator.faults.push({ step, ...only, times: faultTimes, action: { type: 'status', status } })
}

describe('runWorkers: every file, in order', () => {
  it('uploads each file once and reports what it stored, in the order of the files', async () => {
    const files = await localFiles({ 'b.txt': 'bravo', 'a.txt': 'alpha!', 'c.txt': '' })
    const ctx = context({ description: 'nightly' })
    const outcomes = await run(ctx, files, 2)
    expect(outcomes.map((outcome) => outcome.file)).toEqual(files)
    expect(summary(outcomes)).toEqual(['b.txt: uploaded', 'a.txt: uploaded', 'c.txt: uploaded'])
    const records = emulator.uploaded()
    expect(records).toHaveLength(3)
    for (const outcome of outcomes) {
      if (!outcome.ok) throw new Error('expected success')
      const record = emulator.files.get(outcome.uploaded.id)
      expect(record).toMatchObject({
        name: outcome.file.name,
        size_bytes: outcome.file.size,
        description: 'nightly',
        project_id: PROJECT,
        status: 'uploaded'
      })
      expect(outcome.uploaded).toEqual({
        id: record?.id,
        name: outcome.file.name,
        path: outcome.file.path,
        sizeBytes: outcome.file.size,
        mimeType: 'text/plain',
        sha256: record?.stored?.sha256,
        existing: false
      })
      expect(outcome.durationMs).toBeGreaterThanOrEqual(0)
      expect(outcome.urlError).toBeUndefined()
    }
    expect(steps(emulator, 'get')).toBe(0)
    expect(ctx.retried).toEqual([])
    expect(ctx.sent.reduce((sum, bytes) => sum + bytes, 0)).toBe(11)
  })

  it('starts nothing once the run is cancelled', async () => {
    const files = await localFiles({ 'x.txt': 'x', 'y.txt': 'y' })
    const controller = new AbortController()
    controller.abort()
    const outcomes = await run(context(), files, 2, controller.signal)
    expect(summary(outcomes)).toEqual([`x.txt: ${CANCELLED}`, `y.txt: ${CANCELLED}`])
    expect(emulator.requests).toEqual([])
  })

  it('sends the bytes of a failed attempt again, and takes them back from the count', async () => {
    const content = randomBytes(4 * 1024 * 1024)
    const files = await localFiles({ 'big.bin': content })
    emulator.faults.push({ step: 'put', action: { type: 'reset-mid-body' } })
    const ctx = context()
    const outcomes = await run(ctx, files)
    expect(summary(outcomes)).toEqual(['big.bin: uploaded'])
    expect(ctx.sent.some((bytes) => bytes < 0)).toBe(true)
    expect(ctx.sent.reduce((sum, bytes) => sum + bytes, 0)).toBe(content.length)
    expect(ctx.retried).toEqual([
      { file: 'big.bin', message: expect.stringMatching(/^upload failed: /), attempt: 1 }
    ])
    expect(emulator.uploaded()[0]?.stored?.sha256).toBe(sha256(content))
  })

  it('a file that changed since it was listed fails as a read failure; the others go on', async () => {
    const files = await localFiles({ 'changed.txt': 'now longer', 'fine.txt': 'fine' })
    const [changed, fine] = files as [LocalFile, LocalFile]
    const outcomes = await run(context(), [{ ...changed, size: 3 }, fine])
    expect(summary(outcomes)).toEqual([
      'changed.txt: read failed: the file changed size from 3 to 10 bytes after it was listed',
      'fine.txt: uploaded'
    ])
  })
})

describe('a request that fails for good', () => {
  it('after spending its retries says so; with none to spend, or a failure not retried, does not', async () => {
    failEveryTry('create', 503, 'spent.txt')
    const spent = await run(context(), await localFiles({ 'spent.txt': 'spent' }))
    expect(summary(spent)).toEqual([
      'spent.txt: create failed: HTTP 503: Emulated fault: HTTP 503 (after 2 retries)'
    ])
    emulator.faults.push({ step: 'create', action: { type: 'status', status: 503 } })
    const policy = { retries: 0, baseMs: 0, maxDelayMs: 0 }
    const none = await run(context({ policy }), await localFiles({ 'none.txt': 'none' }))
    expect(summary(none)).toEqual(['none.txt: create failed: HTTP 503: Emulated fault: HTTP 503'])
    emulator.faults.push({ step: 'create', action: { type: 'status', status: 503 } })
    emulator.faults.push({ step: 'create', action: { type: 'status', status: 400 } })
    const refused = await run(context(), await localFiles({ 'refused.txt': 'refused' }))
    expect(summary(refused)).toEqual([
      'refused.txt: create failed: HTTP 400: Emulated fault: HTTP 400'
    ])
  })
})

describe('a file that cannot be read', () => {
  it('fails before its create, so no record is left pending; the others go on', async () => {
    const files = await localFiles({ 'locked.txt': 'locked', 'open.txt': 'open' })
    const [locked] = files as [LocalFile, LocalFile]
    // Root reads a file whatever its mode, so the refusal is the one open would give anyone else.
    const open = fs.openSync
    vi.spyOn(fs, 'openSync').mockImplementation((...args: Parameters<typeof fs.openSync>) => {
      if (args[0] !== locked.absolutePath) return open(...args)
      const refusal = new Error(`EACCES: permission denied, open '${locked.absolutePath}'`)
      throw Object.assign(refusal, { code: 'EACCES' })
    })
    try {
      const outcomes = await run(context(), files)
      expect(summary(outcomes)).toEqual([
        `locked.txt: read failed: cannot read the file: EACCES: permission denied, open '${locked.absolutePath}'`,
        'open.txt: uploaded'
      ])
    } finally {
      vi.restoreAllMocks()
    }
    expect(steps(emulator, 'create', 'locked.txt')).toBe(0)
    expect(emulator.requests.filter((entry) => entry.step === 'create')).toHaveLength(1)
    expect([...emulator.files.values()].map((record) => record.name)).toEqual(['open.txt'])
  })

  it('one that changed size since it was listed fails before its create too', async () => {
    const files = await localFiles({ 'grown.txt': 'grown since' })
    const [grown] = files as [LocalFile]
    const outcomes = await run(context(), [{ ...grown, size: 5 }])
    expect(summary(outcomes)).toEqual([
      'grown.txt: read failed: the file changed size from 5 to 11 bytes after it was listed'
    ])
    expect(emulator.requests).toEqual([])
  })
})

describe('expired upload URLs', () => {
  const expire = (target: Emulator, name: string, times: number): void => {
    target.faults.push({ step: 'create', name, times, action: { type: 'expire-url' } })
  }

  it('asks for a fresh URL when one has expired, and uploads with it', async () => {
    const files = await localFiles({ 'late.txt': 'late' })
    expire(emulator, 'late.txt', 2)
    const outcomes = await run(context(), files)
    expect(summary(outcomes)).toEqual(['late.txt: uploaded'])
    expect(steps(emulator, 'create')).toBe(3)
    expect(emulator.uploaded()).toHaveLength(1)
  })

  it.each(['r2', 's3', '400'] as const)(
    'gives up after three creates when every fresh URL has expired (%s form)',
    async (expiredForm) => {
      const target = await startEmulator({ projects: [PROJECT], expiredForm })
      try {
        const files = await localFiles({ 'stale.txt': 'stale', 'ok.txt': 'ok' })
        // More expired URLs than the action may ask for: a fourth create would get one too.
        expire(target, 'stale.txt', 10)
        const outcomes = await run(context({}, target), files)
        const [stale, ok] = outcomes as [Outcome, Outcome]
        expect(stale.ok).toBe(false)
        if (stale.ok) return
        expect(stale.error).toMatch(/^upload failed: HTTP (403|400): /)
        expect(stale.error.endsWith(` ${EXPIRED_HINT}`)).toBe(true)
        expect(ok.ok).toBe(true)
        expect(steps(target, 'create', 'stale.txt')).toBe(3)
        expect(steps(target, 'put', 'stale.txt')).toBe(3)
      } finally {
        await target.close()
      }
    }
  )

  it.each([
    [
      'a 403 that is not about expiry',
      { status: 403 },
      'upload failed: HTTP 403: AccessDenied: Access Denied'
    ],
    [
      'a 400 with another code',
      { status: 400, body: '<Error><Code>InvalidArgument</Code><Message>no</Message></Error>' },
      'upload failed: HTTP 400: InvalidArgument: no'
    ],
    [
      'an expiry message with a status storage never uses for it',
      { status: 404, body: expiredBody('Request has expired') },
      'upload failed: HTTP 404: ExpiredRequest: Request has expired'
    ]
  ])(
    '%s fails the file at once, without a fresh URL or the expiry hint',
    async (_label, answer, message) => {
      const files = await localFiles({ 'denied.txt': 'denied' })
      emulator.faults.push({ step: 'put', times: 5, action: { type: 'status', ...answer } })
      const outcomes = await run(context(), files)
      expect(summary(outcomes)).toEqual([`denied.txt: ${message}`])
      expect(steps(emulator, 'create')).toBe(1)
    }
  )

  it('an expiry answer to create is not an expired upload URL', async () => {
    const files = await localFiles({ 'c.txt': 'c' })
    const body = expiredBody('Request has expired')
    const headers = { 'content-type': 'application/xml' }
    emulator.faults.push({ step: 'create', action: { type: 'status', status: 403, body, headers } })
    const outcomes = await run(context(), files)
    expect(summary(outcomes)).toEqual([
      'c.txt: create failed: HTTP 403: ExpiredRequest: Request has expired'
    ])
  })

  it('an upload URL signed with the checksum of an empty body fails with what only the server can fix', async () => {
    const files = await localFiles({ 'trap.txt': 'not empty' })
    emulator.faults.push({ step: 'create', action: { type: 'checksum-trap' } })
    const outcomes = await run(context(), files)
    expect(summary(outcomes)).toEqual([
      'trap.txt: upload failed: HTTP 400: BadDigest: The CRC32 you specified did not match the calculated checksum. ' +
        '(the upload URL was signed with a checksum that no non-empty file can match; only the server can fix this)'
    ])
  })
})

describe('a confirm of unknown outcome is settled by reading the record back', () => {
  it('a confirm applied whose answers were lost is settled by the record', async () => {
    const files = await localFiles({ 'lost.txt': 'lost' })
    emulator.faults.push({ step: 'confirm', times: faultTimes, action: { type: 'lost-answer' } })
    const outcomes = await run(context(), files)
    expect(summary(outcomes)).toEqual(['lost.txt: settled'])
    expect(steps(emulator, 'get')).toBe(1)
  })

  it('a record still pending leaves the confirm error standing', async () => {
    const files = await localFiles({ 'pending.txt': 'pending' })
    failEveryTry('confirm', 503)
    const outcomes = await run(context(), files)
    expect(summary(outcomes)).toEqual([
      'pending.txt: confirm failed: HTTP 503: Emulated fault: HTTP 503 (after 2 retries)'
    ])
    expect(steps(emulator, 'get')).toBe(1)
  })

  it('a definite refusal is not read back', async () => {
    const files = await localFiles({ 'refused.txt': 'refused' })
    emulator.faults.push({ step: 'confirm', action: { type: 'status', status: 409 } })
    const outcomes = await run(context(), files)
    expect(summary(outcomes)).toEqual([
      'refused.txt: confirm failed: HTTP 409: Emulated fault: HTTP 409'
    ])
    expect(steps(emulator, 'confirm')).toBe(1)
    expect(steps(emulator, 'get')).toBe(0)
  })

  it('a read-back that fails too leaves the state unknown, and says so', async () => {
    const files = await localFiles({ 'unknown.txt': 'unknown' })
    failEveryTry('confirm', 503)
    failEveryTry('get', 502)
    const outcomes = await run(context(), files)
    expect(summary(outcomes)).toEqual([
      'unknown.txt: confirm failed: HTTP 503: Emulated fault: HTTP 503 (after 2 retries); reading record 1 back failed too ' +
        '(get failed: HTTP 502: Emulated fault: HTTP 502 (after 2 retries)), so its state is unknown: the project may list it as uploaded'
    ])
  })
})

describe('what stops every worker', () => {
  /**
   * Three files: the first one's confirm fails without a definite answer every time; the second's
   * create hangs until the run stops, so that nothing after the first is done before it.
   */
  async function firstUnconfirmed(): Promise<LocalFile[]> {
    failEveryTry('confirm', 503, 'first.txt')
    emulator.faults.push({ step: 'create', name: 'second.txt', action: { type: 'hang' } })
    return localFiles({ 'first.txt': 'first', 'second.txt': 'second', 'third.txt': 'third' })
  }

  it('a refused key at create stops the files not yet done', async () => {
    const files = await localFiles({ 'k1.txt': '1', 'k2.txt': '2', 'k3.txt': '3' })
    const outcomes = await run(
      context({}, emulator, new FilesClient(clientOptions({ authKey: 'revoked', connections: 2 }))),
      files,
      1
    )
    expect(summary(outcomes)).toEqual([
      `k1.txt: create failed: HTTP 401: Unauthorized (${KEY_REFUSED_HINT})`,
      `k2.txt: ${STOPPED}`,
      `k3.txt: ${STOPPED}`
    ])
    expect(steps(emulator, 'create')).toBe(1)
  })

  it('a refused key while reading a record back', async () => {
    const files = await firstUnconfirmed()
    emulator.faults.push({ step: 'get', action: { type: 'status', status: 401 } })
    const outcomes = await run(context(), files, 1)
    expect(summary(outcomes)).toEqual([
      `first.txt: get failed: HTTP 401: Emulated fault: HTTP 401 (${KEY_REFUSED_HINT})`,
      `second.txt: ${STOPPED}`,
      `third.txt: ${STOPPED}`
    ])
    expect(emulator.uploaded()).toEqual([])
  })

  it('a refused key while reading a download URL', async () => {
    const files = await localFiles({ 'u1.txt': 'u1', 'u2.txt': 'u2', 'u3.txt': 'u3' })
    emulator.faults.push({ step: 'get', action: { type: 'status', status: 401 } })
    const outcomes = await run(context({ downloadUrl: true }), files, 1)
    expect(summary(outcomes)).toEqual([
      `u1.txt: get failed: HTTP 401: Emulated fault: HTTP 401 (${KEY_REFUSED_HINT})`,
      `u2.txt: ${STOPPED}`,
      `u3.txt: ${STOPPED}`
    ])
    expect(emulator.uploaded().map((record) => record.name)).toEqual(['u1.txt'])
  })

  it(
    'a cancel while reading a record back ends that file as cancelled, not unknown',
    { timeout: HANG_MS },
    async () => {
      const files = await firstUnconfirmed()
      emulator.faults.push({ step: 'get', action: { type: 'hang' } })
      const controller = new AbortController()
      const running = run(context(), files, 1, controller.signal)
      await expect.poll(() => steps(emulator, 'get'), { timeout: 3000 }).toBe(1)
      controller.abort()
      const outcomes = await running
      expect(summary(outcomes)).toEqual([
        `first.txt: ${CANCELLED}`,
        `second.txt: ${CANCELLED}`,
        `third.txt: ${CANCELLED}`
      ])
    }
  )

  it(
    'a cancel while reading a download URL ends that file as cancelled, not uploaded',
    { timeout: HANG_MS },
    async () => {
      const files = await localFiles({ 'd1.txt': 'd1', 'd2.txt': 'd2' })
      emulator.faults.push({ step: 'get', action: { type: 'hang' } })
      // The second file waits at its create, so that the one read under way is the first's.
      emulator.faults.push({ step: 'create', name: 'd2.txt', action: { type: 'hang' } })
      const controller = new AbortController()
      const running = run(context({ downloadUrl: true }), files, 1, controller.signal)
      await expect.poll(() => steps(emulator, 'get'), { timeout: 3000 }).toBe(1)
      controller.abort()
      const outcomes = await running
      expect(summary(outcomes)).toEqual([`d1.txt: ${CANCELLED}`, `d2.txt: ${CANCELLED}`])
    }
  )

  it('a key refused by storage (a 401 to the PUT) fails only that file', async () => {
    const files = await localFiles({ 's1.txt': 's1', 's2.txt': 's2' })
    emulator.faults.push({ step: 'put', name: 's1.txt', action: { type: 'status', status: 401 } })
    const outcomes = await run(context(), files, 1)
    expect(outcomes[0]?.ok).toBe(false)
    expect(summary(outcomes)[0]).not.toContain(KEY_REFUSED_HINT)
    expect(summary(outcomes)[1]).toBe('s2.txt: uploaded')
  })

  it('a project the API does not know fails each file with what to check', async () => {
    const files = await localFiles({ 'p.txt': 'p' })
    const outcomes = await run(context({ projectId: 99 }), files)
    expect(summary(outcomes)).toEqual([
      'p.txt: create failed: HTTP 404: Project not found (no such project, or the key cannot see it: ' +
        `check project-id; or no files API at ${emulator.apiUrl}/api/files: check base-url)`
    ])
  })
})

/** The project's files as listed before a run: one uploaded record of 4 bytes. */
function heldFile(id: number, name: string): ProjectListing {
  const record = { id, projectId: PROJECT, name, sizeBytes: 4, status: 'uploaded', url: undefined }
  return new ProjectListing([record], PROJECT)
}

describe('download URLs and files already in the project', () => {
  it('reads the download URL of each file once it is in the project', async () => {
    const files = await localFiles({ 'dl.txt': 'download me' })
    const outcomes = await run(context({ downloadUrl: true }), files)
    const [outcome] = outcomes
    if (!outcome?.ok) throw new Error('expected success')
    const url = new URL(outcome.uploaded.url ?? '')
    expect(url.origin).toBe(emulator.storageUrl)
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/)
    const downloaded = await fetch(url)
    expect(await downloaded.text()).toBe('download me')
    expect(steps(emulator, 'get')).toBe(1)
  })

  it('takes the download URL of a settled file from the record read back, with no second read', async () => {
    const files = await localFiles({ 'settled.txt': 'settled' })
    emulator.faults.push({ step: 'confirm', times: faultTimes, action: { type: 'lost-answer' } })
    const outcomes = await run(context({ downloadUrl: true }), files)
    const [outcome] = outcomes
    if (!outcome?.ok) throw new Error('expected success')
    expect(outcome.arrival).toBe('settled')
    expect(outcome.uploaded.url).toMatch(/X-Amz-Signature=/)
    expect(steps(emulator, 'get')).toBe(1)
  })

  it('a download URL that cannot be read leaves the file uploaded, with why', async () => {
    const files = await localFiles({ 'nourl.txt': 'no url', 'other.txt': 'other' })
    failEveryTry('get', 503, 'nourl.txt')
    const outcomes = await run(context({ downloadUrl: true }), files, 1)
    const [first, second] = outcomes
    expect(first).toMatchObject({
      ok: true,
      arrival: 'uploaded',
      urlError: 'get failed: HTTP 503: Emulated fault: HTTP 503 (after 2 retries)'
    })
    expect(first?.ok && first.uploaded.url).toBeUndefined()
    expect(second).toMatchObject({ ok: true, uploaded: { url: expect.stringMatching(/^http/) } })
    expect(second?.ok && second.urlError).toBeUndefined()
  })

  it('a file the project holds is hashed on disk, never sent, and its URL read when asked', async () => {
    const [seeded] = emulator.seedFiles([{ project_id: PROJECT, name: 'held.txt', size_bytes: 4 }])
    const files = await localFiles({ 'held.txt': 'held', 'new.txt': 'new' })
    const listing = heldFile(seeded?.id ?? 0, 'held.txt')
    const outcomes = await run(context({ listing, downloadUrl: true }), files)
    const [held, fresh] = outcomes
    expect(held).toMatchObject({
      ok: true,
      arrival: 'existing',
      uploaded: {
        id: seeded?.id,
        existing: true,
        sha256: sha256('held'),
        url: expect.stringMatching(/^http/)
      }
    })
    expect(fresh).toMatchObject({ ok: true, arrival: 'uploaded', uploaded: { existing: false } })
    expect(steps(emulator, 'create')).toBe(1)
    expect(steps(emulator, 'get')).toBe(2)
  })

  it('a file the project holds that changed on disk since it was listed fails as a read failure', async () => {
    const files = await localFiles({ 'moved.txt': 'now 9 bytes' })
    const [file] = files as [LocalFile]
    const listing = heldFile(77, 'moved.txt')
    const outcomes = await run(context({ listing }), [{ ...file, size: 4 }])
    expect(summary(outcomes)).toEqual([
      'moved.txt: read failed: the file changed size from 4 to 11 bytes after it was listed'
    ])
  })
})

describe('details of the pool', () => {
  it('needs no hooks: retries and bytes go unreported when nobody listens', async () => {
    const files = await localFiles({ 'quiet.txt': 'quiet' })
    emulator.faults.push({ step: 'put', action: { type: 'status', status: 503 } })
    emulator.faults.push({ step: 'create', action: { type: 'status', status: 503 } })
    const bare: TransferOptions = { ...context() }
    delete bare.onRetry
    delete bare.onSent
    const outcomes = await run(bare, files)
    expect(summary(outcomes)).toEqual(['quiet.txt: uploaded'])
    expect(steps(emulator, 'put')).toBe(2)
  })

  it('a file the project holds is not taken once the run is cancelled', async () => {
    const files = await localFiles({ 'held.txt': 'held' })
    const listing = heldFile(5, 'held.txt')
    const controller = new AbortController()
    controller.abort()
    const outcomes = await run(context({ listing }), files, 1, controller.signal)
    expect(summary(outcomes)).toEqual([`held.txt: ${CANCELLED}`])
  })

  it('times each file with the time it took, never more than the run', async () => {
    const files = await localFiles({ 't1.txt': 't1', 't2.txt': 't2' })
    const badRequest = { type: 'status', status: 400 } as const
    emulator.faults.push({ step: 'create', name: 't2.txt', action: badRequest })
    const started = performance.now()
    const outcomes = await run(context(), files)
    const elapsed = performance.now() - started
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false])
    for (const outcome of outcomes) {
      expect(outcome.durationMs).toBeGreaterThanOrEqual(0)
      expect(outcome.durationMs).toBeLessThanOrEqual(elapsed)
    }
  })

  it('storage that says ExpiredRequest in other words still gets a fresh URL', async () => {
    const files = await localFiles({ 'worded.txt': 'worded' })
    const body = expiredBody('Signature no longer valid')
    emulator.faults.push({ step: 'put', action: { type: 'status', status: 403, body } })
    const outcomes = await run(context(), files)
    expect(summary(outcomes)).toEqual(['worded.txt: uploaded'])
    expect(steps(emulator, 'create')).toBe(2)
  })
})
