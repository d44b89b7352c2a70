// The workers (runWorkers) over the memory transport: each worker's pipeline (the next file's
// create asked while a PUT runs, the last steps trailing behind) and its bounds, the order in which
// outcomes come, what a cancel leaves behind and what a refused key stops.
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { LocalFile } from '../../../src/core/files/files.ts'
import { keyRefusedHint } from '../../../src/core/settings/words.ts'
import { AHEAD_BYTES, type TransferOptions } from '../../../src/core/transfer/journey.ts'
import { listProject, ProjectListing } from '../../../src/core/transfer/listing.ts'
import type { Outcome } from '../../../src/core/transfer/outcome.ts'
import { runWorkers } from '../../../src/core/transfer/workers.ts'
import { memoryScene, never } from '../../support/core-run.ts'
import { delegate, MemoryTransport } from '../../support/memory-transport.ts'

const PROJECT = 5
const CANCELLED = 'not uploaded: the run was cancelled'
const STOPPED = 'not uploaded: the API key was refused'
/** Tests a mutant can leave hanging fail after this, well before Stryker's own timeout. */
const HANG_MS = 2500

const { localFiles, run } = memoryScene('core-workers')

/** A context over `transport`, in the action's words, recording retries and bytes sent. */
function context(
  transport: MemoryTransport,
  overrides: Partial<TransferOptions> = {}
): TransferOptions & { retried: string[]; sent: number[] } {
  const retried: string[] = []
  const sent: number[] = []
  return {
    client: transport,
    projectId: PROJECT,
    description: undefined,
    policy: { retries: 2, baseMs: 0, maxDelayMs: 0 },
    face: 'action',
    onRetry: (file, error, attempt) =>
      retried.push(`${file.name}: ${(error as Error).message} (${attempt})`),
    onSent: (bytes) => sent.push(bytes),
    ...overrides,
    retried,
    sent
  }
}

/** `name: arrival` for each file in the project, `name: error` for each other. */
function summary(outcomes: readonly Outcome[]): string[] {
  return outcomes.map((outcome) =>
    outcome.ok
      ? `${outcome.file.name}: ${outcome.arrival}`
      : `${outcome.file.name}: ${outcome.error}`
  )
}

/** `count` small files, f0.txt, f1.txt and so on. */
function numbered(count: number, size = 2): Promise<LocalFile[]> {
  const contents = Array.from({ length: count }, (_, i) => [`f${i}.txt`, 'x'.repeat(size + i)])
  return localFiles(Object.fromEntries(contents))
}

/** Where `entry` first comes in the timeline (fails the test when it never does). */
function at(transport: MemoryTransport, entry: string): number {
  const index = transport.timeline.indexOf(entry)
  expect(index, entry).toBeGreaterThanOrEqual(0)
  return index
}

describe('a worker confirms a file while it takes the next', () => {
  it('after a file the project holds, still waits for the confirm before it', async () => {
    const transport = new MemoryTransport()
    const release = transport.hold('confirm')
    const held = { id: 9, projectId: PROJECT, name: 'held.txt', sizeBytes: 4, status: 'uploaded' }
    const listing = new ProjectListing([{ ...held, url: undefined }], PROJECT)
    const files = await localFiles({ 'a.txt': 'alpha', 'held.txt': 'held' })
    const heard: string[] = []
    const outcomes = await run(context(transport, { listing }), files, 1, never, (outcome) => {
      heard.push(outcome.file.name)
      if (outcome.file.name === 'held.txt') release()
    })
    expect(summary(outcomes)).toEqual(['a.txt: uploaded', 'held.txt: existing'])
    expect(heard).toEqual(['held.txt', 'a.txt'])
    expect(transport.uploaded().map((record) => record.name)).toEqual(['a.txt'])
  })

  it(
    'after a cancel, fails the files not started and still waits for the confirm under way',
    { timeout: HANG_MS },
    async () => {
      const transport = new MemoryTransport()
      const controller = new AbortController()
      const releaseConfirm = transport.hold('confirm')
      // c.txt, if taken before the cancel, waits at its create until the cancel has come.
      const releaseCreate = transport.hold('create', 'c.txt')
      transport.onCall = (call) => {
        if (call.step !== 'confirm') return
        controller.abort()
        releaseCreate()
      }
      const held = { id: 9, projectId: PROJECT, name: 'held.txt', sizeBytes: 4, status: 'uploaded' }
      const listing = new ProjectListing([{ ...held, url: undefined }], PROJECT)
      const files = await localFiles({ 'a.txt': 'alpha', 'held.txt': 'held', 'c.txt': 'c' })
      const heard: string[] = []
      const running = run(context(transport, { listing }), files, 1, controller.signal, (o) => {
        heard.push(o.file.name)
        if (o.file.name === 'c.txt') releaseConfirm()
      })
      const outcomes = await running
      expect(summary(outcomes)).toEqual([
        'a.txt: uploaded',
        'held.txt: existing',
        `c.txt: ${CANCELLED}`
      ])
      expect(heard.at(-1)).toBe('a.txt')
      expect(transport.uploaded().map((record) => record.name)).toEqual(['a.txt'])
    }
  )
})

describe('the pipeline: the next create while a PUT runs, the confirm behind it', () => {
  it('asks each file’s create while the PUT before it runs; one create, PUT and confirm per file', async () => {
    const transport = new MemoryTransport({ latencyMs: 2 })
    const files = await numbered(5)
    const outcomes = await run(context(transport), files, 1)
    expect(outcomes.every((outcome) => outcome.ok && outcome.arrival === 'uploaded')).toBe(true)
    for (let k = 1; k < files.length; k++) {
      const create = at(transport, `→ create f${k}.txt`)
      expect(create).toBeLessThan(at(transport, `← put f${k - 1}.txt`))
      expect(create).toBeGreaterThan(at(transport, `→ put f${k - 1}.txt`))
      expect(at(transport, `→ put f${k}.txt`)).toBeGreaterThan(at(transport, `← put f${k - 1}.txt`))
      expect(at(transport, `→ confirm f${k - 1}.txt`)).toBeLessThan(
        at(transport, `← put f${k}.txt`)
      )
      expect(at(transport, `→ put f${k}.txt`)).toBeLessThan(
        at(transport, `← confirm f${k - 1}.txt`)
      )
    }
    for (const step of ['create', 'put', 'confirm'] as const) {
      expect(files.map((file) => transport.count(step, file.name))).toEqual([1, 1, 1, 1, 1])
    }
    expect(transport.calls).toHaveLength(15)
    expect(transport.inFlight).toEqual({ api: 0, puts: 0, maxApi: 2, maxPuts: 1 })
  })

  it(
    'a slow confirm holds its worker back only after two more files: their confirms pass it, one create ahead, no more',
    { timeout: HANG_MS },
    async () => {
      const transport = new MemoryTransport()
      const release = transport.hold('confirm', 'f0.txt')
      const files = await numbered(5)
      const running = run(context(transport), files, 1)
      await expect.poll(() => transport.count('create'), { timeout: 1000 }).toBe(4)
      // Time for anything the worker wrongly starts to show in the log.
      await new Promise((resolve) => setTimeout(resolve, 30))
      expect(transport.calls.map((call) => `${call.step} ${call.name}`)).toEqual([
        'create f0.txt',
        'put f0.txt',
        'create f1.txt',
        'confirm f0.txt',
        'put f1.txt',
        'create f2.txt',
        'confirm f1.txt',
        'put f2.txt',
        'create f3.txt',
        'confirm f2.txt'
      ])
      release()
      const outcomes = await running
      expect(outcomes.every((outcome) => outcome.ok)).toBe(true)
      expect(transport.inFlight.maxApi).toBe(2)
    }
  )

  it('keeps at most `concurrency` PUTs and twice as many API calls in flight, and uses the PUTs', async () => {
    const transport = new MemoryTransport({ latencyMs: 3 })
    const files = await numbered(30)
    const outcomes = await run(context(transport), files, 3)
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true)
    expect(transport.inFlight.maxPuts).toBe(3)
    expect(transport.inFlight.maxApi).toBeLessThanOrEqual(6)
    expect(transport.inFlight.maxApi).toBeGreaterThan(3)
    expect(transport.count('create')).toBe(30)
    expect(transport.count('confirm')).toBe(30)
  })

  it('under verify, a file sent again never overlaps its worker’s next PUT', async () => {
    const transport = new MemoryTransport({ latencyMs: 2 })
    const corrupted = new Set<string>()
    transport.corrupt = (record) => !corrupted.has(record.name) && !!corrupted.add(record.name)
    const files = await numbered(6)
    const outcomes = await run(context(transport, { verify: true }), files, 2)
    expect(outcomes.every((outcome) => outcome.ok && outcome.badRecords?.length === 1)).toBe(true)
    expect(transport.inFlight.maxPuts).toBe(2)
    expect(transport.inFlight.maxApi).toBeLessThanOrEqual(4)
    expect(transport.count('create')).toBe(12)
  })

  it('with skip-existing, verify and download URLs, still at most two API calls per worker', async () => {
    const transport = new MemoryTransport({ latencyMs: 2 })
    const files = await numbered(8)
    transport.seed(
      PROJECT,
      Object.fromEntries(
        files.filter((_, i) => i % 2 === 0).map((file) => [file.name, 'x'.repeat(file.size)])
      )
    )
    const listing = await listProject({
      client: transport,
      projectId: PROJECT,
      concurrency: 2,
      retry: (operation) => operation(),
      signal: never
    })
    const ctx = context(transport, { listing, verify: true, downloadUrl: true })
    const outcomes = await run(ctx, files, 2)
    expect(outcomes.map((outcome) => outcome.ok && outcome.arrival)).toEqual(
      files.map((_, i) => (i % 2 === 0 ? 'existing' : 'uploaded'))
    )
    expect(transport.inFlight.maxApi).toBeLessThanOrEqual(4)
    expect(transport.inFlight.maxPuts).toBeLessThanOrEqual(2)
    expect(transport.count('create')).toBe(4)
    expect(transport.count('get')).toBe(0)
  })

  it('asks a large file’s next create only once at most AHEAD_BYTES of its PUT are left', async () => {
    const transport = new MemoryTransport({ partBytes: 256 * 1024 })
    const big = randomBytes(3 * 1024 * 1024)
    const files = await localFiles({ 'big.bin': big, 'next.txt': 'next' })
    const ctx = context(transport)
    const seen: { sent: number; puts: number }[] = []
    transport.onCall = (call) => {
      if (call.step !== 'create' || call.name !== 'next.txt') return
      seen.push({
        sent: ctx.sent.reduce((sum, bytes) => sum + bytes, 0),
        puts: transport.inFlight.puts
      })
    }
    const outcomes = await run(ctx, files, 1)
    expect(summary(outcomes)).toEqual(['big.bin: uploaded', 'next.txt: uploaded'])
    expect(seen).toEqual([{ sent: big.length - AHEAD_BYTES, puts: 1 }])
    expect(AHEAD_BYTES).toBe(1024 * 1024)
  })

  it('a file of exactly AHEAD_BYTES lets its worker take the next file as its PUT starts', async () => {
    const transport = new MemoryTransport({ partBytes: 256 * 1024 })
    const files = await localFiles({ 'mib.bin': randomBytes(AHEAD_BYTES), 'next.txt': 'next' })
    const ctx = context(transport)
    let sentAtCreate = -1
    transport.onCall = (call) => {
      if (call.step === 'create' && call.name === 'next.txt') {
        sentAtCreate = ctx.sent.reduce((sum, bytes) => sum + bytes, 0)
      }
    }
    await run(ctx, files, 1)
    expect(sentAtCreate).toBe(0)
    expect(at(transport, '→ create next.txt')).toBeGreaterThan(at(transport, '→ put mib.bin'))
  })

  it('over a transport that reports no progress, takes the next file once the PUT has ended', async () => {
    const transport = new MemoryTransport({ latencyMs: 2 })
    const silent = delegate(transport, {
      put: (url, source, signal) => transport.put(url, source, signal)
    })
    const files = await localFiles({ 'big.bin': randomBytes(2 * AHEAD_BYTES), 'next.txt': 'n' })
    const outcomes = await run(context(transport, { client: silent }), files, 1)
    expect(summary(outcomes)).toEqual(['big.bin: uploaded', 'next.txt: uploaded'])
    expect(at(transport, '→ create next.txt')).toBeGreaterThan(at(transport, '← put big.bin'))
    expect(at(transport, '→ create next.txt')).toBeLessThan(at(transport, '← confirm big.bin'))
  })

  it('an upload URL asked ahead that expired is replaced by a fresh create', async () => {
    const transport = new MemoryTransport({ latencyMs: 2 })
    transport.fail(
      'put',
      { status: 403, code: 'ExpiredRequest', message: 'ExpiredRequest: Request has expired' },
      { name: 'f1.txt' }
    )
    const files = await numbered(3)
    const outcomes = await run(context(transport), files, 1)
    expect(summary(outcomes)).toEqual(['f0.txt: uploaded', 'f1.txt: uploaded', 'f2.txt: uploaded'])
    expect(files.map((file) => transport.count('create', file.name))).toEqual([1, 2, 1])
    expect(transport.pending().map((record) => record.name)).toEqual(['f1.txt'])
  })

  it('a create asked ahead that fails fails its file only, and leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const transport = new MemoryTransport({ latencyMs: 2 })
      transport.fail('create', { status: 400, message: 'Bad name' }, { name: 'f1.txt' })
      transport.fail('create', { network: 'socket hang up' }, { name: 'f2.txt', times: 3 })
      const files = await numbered(4)
      const outcomes = await run(context(transport), files, 1)
      expect(summary(outcomes)).toEqual([
        'f0.txt: uploaded',
        'f1.txt: create failed: HTTP 400: Bad name',
        'f2.txt: create failed: socket hang up (after 2 retries)',
        'f3.txt: uploaded'
      ])
      await new Promise((resolve) => setImmediate(resolve))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('a worker whose files all end before a PUT still keeps its PUTs one at a time', async () => {
    const transport = new MemoryTransport({ latencyMs: 2 })
    transport.fail('create', { status: 400, message: 'no' }, { name: 'f1.txt' })
    const files = await numbered(4)
    const outcomes = await run(context(transport), files, 1)
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true, true])
    expect(transport.inFlight.maxPuts).toBe(1)
  })
})

describe('what a cancel leaves', () => {
  it(
    'asks nothing once cancelled, and leaves pending only files that were on their way',
    { timeout: HANG_MS },
    async () => {
      const transport = new MemoryTransport({ latencyMs: 4 })
      const controller = new AbortController()
      let cancelledAt = -1
      const files = await numbered(40)
      const outcomes = await run(context(transport), files, 4, controller.signal, () => {
        if (cancelledAt >= 0 || transport.uploaded().length < 6) return
        cancelledAt = transport.timeline.length
        controller.abort()
      })
      const after = transport.timeline.slice(cancelledAt)
      expect(after.filter((entry) => entry.startsWith('→'))).toEqual([])
      const ended = new Map(outcomes.map((outcome) => [outcome.file.name, outcome]))
      for (const record of transport.pending()) {
        expect(ended.get(record.name)).toMatchObject({
          ok: false,
          error: CANCELLED,
          cancelled: true
        })
      }
      const neverSent = transport
        .pending()
        .filter((record) => transport.count('put', record.name) === 0)
      expect(neverSent.length).toBeLessThanOrEqual(4)
      expect(outcomes.every((outcome) => outcome.ok || outcome.error === CANCELLED)).toBe(true)
      expect(outcomes.filter((outcome) => !outcome.ok).length).toBeGreaterThan(20)
    }
  )

  it(
    'a create asked ahead whose PUT never starts is each worker’s one record left unsent',
    { timeout: HANG_MS },
    async () => {
      const transport = new MemoryTransport()
      const controller = new AbortController()
      const releasePuts = transport.hold('put')
      const files = await numbered(6)
      const running = run(context(transport), files, 2, controller.signal)
      await expect.poll(() => transport.count('create'), { timeout: 1000 }).toBe(4)
      controller.abort()
      releasePuts()
      const outcomes = await running
      expect(summary(outcomes)).toEqual(files.map((file) => `${file.name}: ${CANCELLED}`))
      expect(transport.count('create')).toBe(4)
      expect(transport.count('put')).toBe(2)
      expect(transport.count('confirm')).toBe(0)
      const pending = transport.pending()
      expect(pending.map((record) => [record.name, transport.count('put', record.name)])).toEqual([
        ['f0.txt', 1],
        ['f1.txt', 1],
        ['f2.txt', 0],
        ['f3.txt', 0]
      ])
    }
  )

  it('a run cancelled before it starts asks nothing', async () => {
    const transport = new MemoryTransport()
    const controller = new AbortController()
    controller.abort()
    const files = await numbered(3)
    const outcomes = await run(context(transport), files, 2, controller.signal)
    expect(outcomes.map((outcome) => !outcome.ok && outcome.cancelled)).toEqual([true, true, true])
    expect(transport.calls).toEqual([])
  })
})

describe('a refused key stops every worker', () => {
  const hint = `(${keyRefusedHint('action')})`

  it('at a create asked ahead: nothing is asked after it, every file not done is stopped', async () => {
    const transport = new MemoryTransport({ latencyMs: 2 })
    transport.fail('create', { status: 401, message: 'Unauthorized' }, { name: 'f3.txt' })
    const files = await numbered(10)
    const outcomes = await run(context(transport), files, 2)
    expect(summary(outcomes)[3]).toBe(`f3.txt: create failed: HTTP 401: Unauthorized ${hint}`)
    expect(summary(outcomes).slice(4)).toEqual(files.slice(4).map((f) => `${f.name}: ${STOPPED}`))
    const refused = at(transport, '← create f3.txt')
    const later = transport.timeline.slice(refused).filter((entry) => entry.startsWith('→'))
    expect(later).toEqual([])
    expect(outcomes.filter((outcome) => !outcome.ok && outcome.cancelled)).toEqual([])
  })

  it('at a trailing confirm: the file sent behind it is stopped, not confirmed', async () => {
    const transport = new MemoryTransport({ latencyMs: 2 })
    transport.fail('confirm', { status: 401, message: 'Unauthorized' })
    const files = await numbered(3)
    const outcomes = await run(context(transport), files, 1)
    expect(summary(outcomes)).toEqual([
      `f0.txt: confirm failed: HTTP 401: Unauthorized ${hint}`,
      `f1.txt: ${STOPPED}`,
      `f2.txt: ${STOPPED}`
    ])
    expect(transport.count('confirm')).toBe(1)
    expect(transport.uploaded()).toEqual([])
  })
})

describe('retries', () => {
  it('retries each step that fails without a definite answer, and reports each retry', async () => {
    const transport = new MemoryTransport()
    transport.fail('create', { status: 503, message: 'busy' })
    transport.fail('put', { network: 'socket hang up' })
    transport.fail('confirm', { status: 429, message: 'slow down', retryAfterSeconds: 0 })
    const files = await localFiles({ 'r.txt': 'retried' })
    const ctx = context(transport)
    const outcomes = await run(ctx, files, 1)
    expect(summary(outcomes)).toEqual(['r.txt: uploaded'])
    expect(ctx.retried).toEqual([
      'r.txt: create failed: HTTP 503: busy (1)',
      'r.txt: upload failed: socket hang up (1)',
      'r.txt: confirm failed: HTTP 429: slow down (1)'
    ])
    expect(ctx.sent.reduce((sum, bytes) => sum + bytes, 0)).toBe(7)
    expect(transport.records.size).toBe(1)
  })

  it('a confirm whose answers are all lost is settled by reading the record back', async () => {
    const transport = new MemoryTransport()
    transport.fail('confirm', 'lost-answer', { times: 3 })
    const files = await localFiles({ 'lost.txt': 'lost' })
    const outcomes = await run(context(transport), files, 1)
    expect(summary(outcomes)).toEqual(['lost.txt: settled'])
    expect(transport.count('get')).toBe(1)
  })
})

describe('runWorkers', () => {
  it('with no file, asks nothing and hands back no outcome', async () => {
    const transport = new MemoryTransport()
    expect(await runWorkers(context(transport), [], 4, never, () => {})).toEqual([])
    expect(transport.calls).toEqual([])
  })

  it('hands back one outcome per file, in the order of the files, whatever order they end in', async () => {
    const transport = new MemoryTransport()
    const release = transport.hold('confirm', 'f0.txt')
    const files = await numbered(4)
    const heard: string[] = []
    const outcomes = await runWorkers(context(transport), files, 2, never, (outcome) => {
      heard.push(outcome.file.name)
      if (heard.length === 3) release()
    })
    expect(outcomes.map((outcome) => outcome.file.name)).toEqual(files.map((file) => file.name))
    expect([...heard.slice(0, 3)].sort()).toEqual(['f1.txt', 'f2.txt', 'f3.txt'])
    expect(heard.slice(3)).toEqual(['f0.txt'])
  })
})
