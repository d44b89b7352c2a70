import { setTimeout as sleep } from 'node:timers/promises'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { FilesClient } from '../../../src/core/http/client.ts'
import type { FilePage, FileRecord } from '../../../src/core/http/responses.ts'
import { ProjectListing, listProject, PAGE_SIZE } from '../../../src/core/transfer/listing.ts'

/** Fixed seed: a failure reproduces. */
const RUN = { seed: 20_250_318, numRuns: 300 } as const

const PROJECT = 7

function record(
  id: number,
  name: string,
  sizeBytes: number | undefined,
  extra: Partial<FileRecord> = {}
): FileRecord {
  return {
    id,
    projectId: PROJECT,
    name,
    sizeBytes,
    status: 'uploaded',
    url: undefined,
    ...extra
  }
}

describe('ProjectListing', () => {
  /** The files most rows below look for: a.txt of 10 bytes, and of none. */
  const A10 = { name: 'a.txt', size: 10 }
  const A0 = { name: 'a.txt', size: 0 }

  it.each<[string, FileRecord[], { name: string; size: number }, number]>([
    [
      'an uploaded record of the project with the same name and size',
      [record(5, 'a.txt', 10)],
      A10,
      5
    ],
    [
      'an empty file against an empty record',
      [record(5, 'empty', 0)],
      { name: 'empty', size: 0 },
      5
    ],
    [
      'names whose size-and-name keys could collide',
      [record(5, '1:a', 2), record(6, 'a', 21)],
      { name: 'a', size: 21 },
      6
    ],
    [
      'the newest of several matches, listed first',
      [record(30, 'a.txt', 10), record(4, 'a.txt', 10), record(12, 'a.txt', 10)],
      A10,
      30
    ],
    [
      'the newest of several matches, listed last',
      [record(4, 'a.txt', 10), record(12, 'a.txt', 10), record(30, 'a.txt', 10)],
      A10,
      30
    ],
    [
      'the newest uploaded match, not a newer pending or foreign one',
      [
        record(4, 'a.txt', 10),
        record(50, 'a.txt', 10, { status: 'pending' }),
        record(60, 'a.txt', 10, { projectId: 9 }),
        record(70, 'a.txt', undefined)
      ],
      A10,
      4
    ]
  ])('matches %s', (_name, records, query, id) => {
    expect(new ProjectListing(records, PROJECT).idOf(query)).toBe(id)
  })

  it.each<[string, FileRecord, { name: string; size: number }]>([
    ['the same name, another size', record(5, 'a.txt', 10), { name: 'a.txt', size: 11 }],
    ['the same size, another name', record(5, 'a.txt', 10), { name: 'b.txt', size: 10 }],
    ['a name that differs only in case', record(5, 'A.txt', 10), A10],
    ['a record of another project', record(5, 'a.txt', 10, { projectId: 8 }), A10],
    ['a record whose project is not given', record(5, 'a.txt', 10, { projectId: undefined }), A10],
    ['a pending record', record(5, 'a.txt', 10, { status: 'pending' }), A10],
    ['a record without a status', record(5, 'a.txt', 10, { status: undefined }), A10],
    ["a status in another case ('Uploaded')", record(5, 'a.txt', 10, { status: 'Uploaded' }), A10],
    ['a record without a size, for a file of size 0', record(5, 'a.txt', undefined), A0]
  ])('does not match %s', (_name, held, query) => {
    expect(new ProjectListing([held], PROJECT).idOf(query)).toBeUndefined()
  })

  it.each<{ name: string; records: FileRecord[]; count: number }>([
    { name: 'no records', records: [], count: 0 },
    {
      name: 'uploaded records of the project, duplicates included',
      records: [record(1, 'a', 1), record(2, 'a', 1), record(3, 'b', 2)],
      count: 3
    },
    {
      name: 'only the uploaded records of this project',
      records: [
        record(1, 'a', 1),
        record(2, 'b', 1, { status: 'pending' }),
        record(3, 'c', 1, { projectId: 8 }),
        record(4, 'd', 1, { status: undefined }),
        record(5, 'e', 1, { projectId: undefined })
      ],
      count: 1
    }
  ])('counts $name', ({ records, count }) => {
    expect(new ProjectListing(records, PROJECT).count).toBe(count)
  })

  // The API allows an uploaded record whose size_bytes is null (no size declared at create).
  it('counts an uploaded record of the project without a size (it just never matches)', () => {
    const existing = new ProjectListing([record(1, 'a', 1), record(2, 'b', undefined)], PROJECT)
    expect(existing.idOf({ name: 'b', size: 0 })).toBeUndefined()
    expect(existing.count).toBe(2)
  })

  describe("without a project ID (the Resources API: the key's project)", () => {
    it('counts the uploaded records that name no project, and those that name the first one named', () => {
      const listing = new ProjectListing(
        [
          record(1, 'a', 1, { projectId: undefined }),
          record(2, 'b', 1, { projectId: 4, status: 'pending' }),
          record(3, 'c', 1, { projectId: 5 }),
          record(4, 'd', 1, { projectId: 4 }),
          record(5, 'e', 1, { projectId: undefined }),
          record(6, 'f', 1, { projectId: 5 }),
          record(7, 'g', 1, { projectId: undefined, status: undefined })
        ],
        undefined
      )
      // 3 names project 5 first (2 is pending, so it names none that counts): 4 is another's.
      expect(listing.count).toBe(4)
      expect(
        ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => listing.idOf({ name, size: 1 }))
      ).toEqual([1, undefined, 3, undefined, 5, 6, undefined])
    })

    it('matches by name and size, the newest first, as with a project ID', () => {
      const listing = new ProjectListing(
        [record(8, 'a.txt', 10), record(9, 'a.txt', 10), record(10, 'a.txt', 11)],
        undefined
      )
      expect(listing.idOf(A10)).toBe(9)
      expect(listing.idOf({ name: 'a.txt', size: 11 })).toBe(10)
      expect(new ProjectListing([], undefined).count).toBe(0)
    })

    it('lists through the client without a project ID', async () => {
      const asked: (number | undefined)[] = []
      const client = {
        list: async (projectId: number | undefined): Promise<FilePage> => {
          asked.push(projectId)
          return { files: [record(3, 'x', 1, { projectId: undefined })], totalPages: 1 }
        }
      } as unknown as FilesClient
      const listing = await listProject({
        client,
        projectId: undefined,
        concurrency: 2,
        retry: (operation) => operation(),
        signal: new AbortController().signal
      })
      expect(asked).toEqual([undefined])
      expect(listing.idOf({ name: 'x', size: 1 })).toBe(3)
    })
  })

  it('takes the highest matching id whatever the order of the records (property)', () => {
    const names = ['a.txt', 'b.txt', 'dir/a.txt', '']
    const sizes = [0, 1, 10]
    const arbRecord = fc.record({
      id: fc.integer({ min: 1, max: 10_000 }),
      projectId: fc.constantFrom<number | undefined>(PROJECT, PROJECT, PROJECT, 8, undefined),
      name: fc.constantFrom(...names),
      sizeBytes: fc.constantFrom<number | undefined>(...sizes, undefined),
      status: fc.constantFrom<string | undefined>('uploaded', 'uploaded', 'pending', undefined),
      url: fc.constant(undefined)
    })
    const recordsAndShuffle = fc
      .uniqueArray(arbRecord, { selector: (r) => r.id, maxLength: 30 })
      .chain((records) =>
        fc.tuple(
          fc.constant(records),
          fc.shuffledSubarray(records, { minLength: records.length, maxLength: records.length })
        )
      )
    fc.assert(
      fc.property(recordsAndShuffle, ([records, shuffled]) => {
        const counted = records.filter((r) => r.projectId === PROJECT && r.status === 'uploaded')
        const a = new ProjectListing(records, PROJECT)
        const b = new ProjectListing(shuffled, PROJECT)
        expect(a.count).toBe(counted.length)
        expect(b.count).toBe(counted.length)
        for (const name of names) {
          for (const size of sizes) {
            const ids = counted
              .filter((r) => r.name === name && r.sizeBytes === size)
              .map((r) => r.id)
            const want = ids.length ? Math.max(...ids) : undefined
            expect(a.idOf({ name, size })).toBe(want)
            expect(b.idOf({ name, size })).toBe(want)
          }
        }
      }),
      RUN
    )
  })
})

/** One request the fake client received. */
interface Call {
  projectId: number
  page: number
  perPage: number
  signal: AbortSignal
  /** Whether page 1 had answered when this request started. */
  afterFirst: boolean
  /** Whether the signal aborted while the request was in flight. */
  sawAbort: boolean
}

interface FakeOptions {
  totalPages: number
  /** Delay of a page's answer in ms. */
  delayMs?: (page: number) => number
  /** A page that rejects, and with what. */
  fail?: { page: number; error: Error }
  /** A page whose first request rejects, and with what. */
  flaky?: { page: number; error: Error }
}

/** A FilesClient whose `list` serves `totalPages` pages of one record each, tracking concurrency. */
function fakeClient(options: FakeOptions) {
  const calls: Call[] = []
  const state = { inFlight: 0, maxInFlight: 0, firstDone: false, inFlightAtFailure: [] as Call[] }
  const live = new Set<Call>()
  const list = async (
    projectId: number,
    page: number,
    perPage: number,
    signal: AbortSignal
  ): Promise<FilePage> => {
    const call: Call = {
      projectId,
      page,
      perPage,
      signal,
      afterFirst: state.firstDone,
      sawAbort: false
    }
    calls.push(call)
    signal.throwIfAborted()
    state.inFlight++
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight)
    live.add(call)
    const onAbort = () => {
      call.sawAbort = true
    }
    signal.addEventListener('abort', onAbort)
    try {
      await delay(options.delayMs?.(page) ?? 1, signal)
      if (options.fail?.page === page) {
        state.inFlightAtFailure = [...live].filter((other) => other !== call)
        throw options.fail.error
      }
      if (options.flaky?.page === page && calls.filter((c) => c.page === page).length === 1) {
        throw options.flaky.error
      }
      if (page === 1) state.firstDone = true
      return {
        files: options.totalPages === 0 ? [] : [record(page, `page-${page}.txt`, page)],
        totalPages: options.totalPages
      }
    } finally {
      live.delete(call)
      state.inFlight--
      signal.removeEventListener('abort', onAbort)
    }
  }
  return { client: { list } as unknown as FilesClient, calls, state }
}

/** Waits `ms`; rejects with the signal's reason when it aborts first, as fetch does. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason as Error)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

const direct = <T>(operation: () => Promise<T>): Promise<T> => operation()

/** Lists the fake's pages of PROJECT, `concurrency` at once, each through `retry`. */
function listFrom(
  fake: ReturnType<typeof fakeClient>,
  concurrency: number,
  retry: Parameters<typeof listProject>[0]['retry'] = direct,
  signal = new AbortController().signal
): Promise<ProjectListing> {
  return listProject({ client: fake.client, projectId: PROJECT, concurrency, retry, signal })
}

describe('listProject', () => {
  it.each<{ totalPages: number; concurrency: number }>([
    { totalPages: 0, concurrency: 4 },
    { totalPages: 1, concurrency: 4 },
    { totalPages: 2, concurrency: 4 },
    { totalPages: 3, concurrency: 8 },
    { totalPages: 5, concurrency: 1 },
    { totalPages: 7, concurrency: 3 },
    { totalPages: 30, concurrency: 4 }
  ])(
    'lists $totalPages pages with concurrency $concurrency',
    async ({ totalPages, concurrency }) => {
      const fake = fakeClient({ totalPages, delayMs: (page) => 1 + ((page * 7) % 4) })
      let retried = 0
      const existing = await listFrom(fake, concurrency, (operation) => {
        retried++
        return operation()
      })
      const pages = Math.max(1, totalPages)
      // Page 1 first, alone; then every other page exactly once, none before page 1 answered.
      expect(fake.calls[0]?.page).toBe(1)
      expect(fake.calls.slice(1).every((call) => call.afterFirst)).toBe(true)
      expect(fake.calls.map((call) => call.page).sort((a, b) => a - b)).toEqual(
        Array.from({ length: pages }, (_, i) => i + 1)
      )
      expect(
        fake.calls.every((call) => call.perPage === PAGE_SIZE && call.projectId === PROJECT)
      ).toBe(true)
      expect(PAGE_SIZE).toBe(100)
      expect(retried).toBe(pages)
      // Never more than `concurrency` at once, and all of it used when there are pages enough.
      expect(fake.state.maxInFlight).toBe(Math.max(1, Math.min(concurrency, pages - 1)))
      // Every page's records are in the result.
      expect(existing.count).toBe(totalPages)
      for (let page = 1; page <= totalPages; page++) {
        expect(existing.idOf({ name: `page-${page}.txt`, size: page })).toBe(page)
      }
    }
  )

  it('lets the retry policy repeat a failed page', async () => {
    const fake = fakeClient({ totalPages: 4, flaky: { page: 3, error: new Error('reset') } })
    let retried = 0
    const existing = await listFrom(fake, 2, async (operation) => {
      try {
        return await operation()
      } catch {
        retried++
        return operation()
      }
    })
    expect(retried).toBe(1)
    expect(fake.calls.filter((call) => call.page === 3)).toHaveLength(2)
    expect(existing.count).toBe(4)
    expect(existing.idOf({ name: 'page-3.txt', size: 3 })).toBe(3)
  })

  it('fails with the error of page 1 without asking for more', async () => {
    const error = new Error('page 1 broke')
    const fake = fakeClient({ totalPages: 5, fail: { page: 1, error } })
    await expect(listFrom(fake, 4)).rejects.toBe(error)
    expect(fake.calls.map((call) => call.page)).toEqual([1])
  })

  it('fails with the error of a later page and aborts the requests still in flight', async () => {
    const error = new Error('page 3 broke')
    const fake = fakeClient({
      totalPages: 10,
      fail: { page: 3, error },
      // Page 3 fails quickly; the others are still in flight when it does.
      delayMs: (page) => (page === 1 || page === 3 ? 1 : 1000)
    })
    await expect(listFrom(fake, 4)).rejects.toBe(error)
    expect(fake.state.inFlightAtFailure.map((call) => call.page).sort()).toEqual([2, 4, 5])
    for (const call of fake.state.inFlightAtFailure) {
      expect(call.sawAbort).toBe(true)
      expect(call.signal.aborted).toBe(true)
    }
    // Nothing started after the failure with a live signal.
    await sleep(5)
    expect(fake.calls.every((call) => call.page <= 5 || call.signal.aborted)).toBe(true)
    expect(fake.state.inFlight).toBe(0)
  })

  it("aborts the requests in flight when the caller's signal aborts", async () => {
    const fake = fakeClient({ totalPages: 6, delayMs: (page) => (page === 1 ? 1 : 1000) })
    const caller = new AbortController()
    const listing = listFrom(fake, 3, direct, caller.signal)
    await expect.poll(() => fake.state.inFlight).toBe(3)
    const reason = new Error('cancelled by the runner')
    caller.abort(reason)
    await expect(listing).rejects.toBe(reason)
    expect(
      fake.calls
        .filter((call) => call.page > 1)
        .every((call) => call.sawAbort || call.signal.aborted)
    ).toBe(true)
  })
})
