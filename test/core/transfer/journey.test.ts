// One file's journey (journey.ts) over the memory transport: what `verify` compares and the errors
// a read-back ends in; a confirm of unknown outcome settled, or not, by the record read back; an
// answer without a download URL; stored bytes of another size.
import { describe, expect, it } from 'vitest'
import {
  ReadBackError,
  sameBytes,
  StoredBytesError,
  type TransferOptions
} from '../../../src/core/transfer/journey.ts'
import type { Mismatch, Outcome } from '../../../src/core/transfer/outcome.ts'
import { memoryScene } from '../../support/core-run.ts'
import { sha256 } from '../../support/harness.ts'
import { delegate, MemoryTransport } from '../../support/memory-transport.ts'
import type { Transport } from '../../../src/core/http/transport.ts'

const A = 'a'.repeat(64)
const B = 'b'.repeat(64)
const PROJECT = 3

const { localFiles, run } = memoryScene('core-journey')

/** A context over `client`, in the action's words, with two retries and none of the hooks. */
function context(client: Transport, overrides: Partial<TransferOptions> = {}): TransferOptions {
  return {
    client,
    projectId: PROJECT,
    description: undefined,
    policy: { retries: 2, baseMs: 0, maxDelayMs: 0 },
    face: 'action',
    ...overrides
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

describe('sameBytes', () => {
  it.each([
    [{ size: 3, sha256: A }, { size: 3, sha256: A }, true],
    [{ size: 3, sha256: A }, { size: 3, sha256: B }, false],
    [{ size: 3, sha256: A }, { size: 4, sha256: A }, false],
    [{ size: 0, sha256: A }, { size: 4, sha256: B }, false]
  ])('%o against %o: %s', (stored, local, same) => {
    expect(sameBytes(stored, local)).toBe(same)
  })
})

describe('StoredBytesError', () => {
  const last: Mismatch = {
    id: 2,
    stored: { size: 3, sha256: A },
    local: { size: 3, sha256: B },
    existing: false
  }

  it('names the one record left with other bytes', () => {
    const error = new StoredBytesError(last, [2])
    expect(error.message).toBe(
      `stored bytes differ from the file: sha256 ${A} in the project, ${B} on disk ` +
        '(uploaded 1 time; record 2 holds other bytes, and the API cannot delete it)'
    )
    expect([error.name, error.badRecords]).toEqual(['StoredBytesError', [2]])
  })

  it('names every record left with other bytes, in the order they were sent', () => {
    const error = new StoredBytesError(last, [1, 2])
    expect(error.message).toBe(
      `stored bytes differ from the file: sha256 ${A} in the project, ${B} on disk ` +
        '(uploaded 2 times; records 1, 2 hold other bytes, and the API cannot delete them)'
    )
    expect([error.name, error.badRecords]).toEqual(['StoredBytesError', [1, 2]])
  })
})

describe('ReadBackError', () => {
  it("says whose record could not be read, this run's or the project's, with the cause", () => {
    const cause = new Error('boom')
    const sent = new ReadBackError(5, false, cause)
    expect(sent.message).toBe(
      'record 5 is in the project, but it could not be read back to verify its bytes: boom'
    )
    expect([sent.name, sent.id, sent.cause]).toEqual(['ReadBackError', 5, cause])
    const existing = new ReadBackError(7, true, cause)
    expect(existing.message).toBe(
      "the project's record 7 of the same name and size could not be read back to verify its bytes: boom"
    )
  })
})

describe('a confirm of unknown outcome is settled by reading the record back', () => {
  /** A transport whose confirms all fail with a 503, and whose get answers what `change` makes of the record. */
  function unconfirmed(change: (record: Awaited<ReturnType<Transport['get']>>) => object) {
    const transport = new MemoryTransport()
    transport.fail('confirm', { status: 503, message: 'Service Unavailable' }, { times: 3 })
    return delegate(transport, {
      get: async (id, signal) => ({
        ...(await transport.get(id, signal)),
        ...change(await transport.get(id, signal))
      })
    })
  }

  it('an uploaded record of another size does not settle it', async () => {
    const client = unconfirmed(() => ({ status: 'uploaded', sizeBytes: 6 }))
    const outcomes = await run(context(client), await localFiles({ 'size.txt': 'sized' }))
    expect(summary(outcomes)).toEqual([
      'size.txt: confirm failed: HTTP 503: Service Unavailable (after 2 retries)'
    ])
  })

  it('an uploaded record of the right size does', async () => {
    const client = unconfirmed(() => ({ status: 'uploaded', sizeBytes: 5 }))
    const outcomes = await run(context(client), await localFiles({ 'size.txt': 'sized' }))
    expect(summary(outcomes)).toEqual(['size.txt: settled'])
  })

  it('a record still pending of the right size does not', async () => {
    const client = unconfirmed((record) => ({ sizeBytes: record.sizeBytes }))
    const outcomes = await run(context(client), await localFiles({ 'size.txt': 'sized' }))
    expect(summary(outcomes)).toEqual([
      'size.txt: confirm failed: HTTP 503: Service Unavailable (after 2 retries)'
    ])
  })
})

describe('what a read of the record can lack', () => {
  it('an answer without a download URL is a failure to read it', async () => {
    const transport = new MemoryTransport()
    const client = delegate(transport, {
      get: async (id, signal) => ({ ...(await transport.get(id, signal)), url: undefined })
    })
    const outcomes = await run(
      context(client, { downloadUrl: true }),
      await localFiles({ 'bare.txt': 'bare' })
    )
    expect(outcomes[0]).toMatchObject({
      ok: true,
      urlError: 'get failed: HTTP 200: the answer has no download url'
    })
  })

  it('names both sizes when the stored object is of another size, whatever its sha256', async () => {
    const transport = new MemoryTransport()
    const client = delegate(transport, {
      readStored: async (id, signal) => ({ ...(await transport.readStored(id, signal)), size: 3 })
    })
    const policy = { retries: 0, baseMs: 0, maxDelayMs: 0 }
    const [outcome] = await run(
      context(client, { verify: true, policy }),
      await localFiles({ 'four.txt': 'four' })
    )
    expect(outcome?.ok === false && outcome.error).toBe(
      `stored bytes differ from the file: 3 bytes with sha256 ${sha256('four')} in the project, ` +
        `4 bytes with sha256 ${sha256('four')} on disk (uploaded 1 time; record 1 holds other bytes, and the API cannot delete it)`
    )
  })
})
