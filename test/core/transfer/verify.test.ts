// What `verify` compares and what a difference becomes: the digests, their wording, and the two
// errors a read-back can end in.
import { describe, expect, it } from 'vitest'
import {
  ReadBackError,
  StoredBytesError,
  describeDifference,
  sameBytes,
  type Mismatch
} from '../../../src/core/transfer/verify.ts'

const A = 'a'.repeat(64)
const B = 'b'.repeat(64)

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

describe('describeDifference', () => {
  it('gives both digests, and both sizes only when they differ', () => {
    expect(describeDifference({ size: 3, sha256: A }, { size: 3, sha256: B })).toBe(
      `sha256 ${A} in the project, ${B} on disk`
    )
    expect(describeDifference({ size: 0, sha256: A }, { size: 3, sha256: B })).toBe(
      `0 bytes with sha256 ${A} in the project, 3 bytes with sha256 ${B} on disk`
    )
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
