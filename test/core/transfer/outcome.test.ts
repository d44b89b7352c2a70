// What a journey ends in: the wording of a difference `verify` found, and the count of outcomes
// by how each file ended.
import { describe, expect, it } from 'vitest'
import { countOutcomes, describeDifference } from '../../../src/core/transfer/outcome.ts'
import { failedOutcome, okOutcome } from '../../support/outcomes.ts'

const A = 'a'.repeat(64)
const B = 'b'.repeat(64)

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

describe('countOutcomes', () => {
  it('counts settled files as uploaded, and cancelled ones apart from the failed', () => {
    const file = { absolutePath: '/a', path: 'a', name: 'a', size: 1, mimeType: 'text/plain' }
    const outcomes = [
      okOutcome(file, 1),
      okOutcome(file, 2, 'settled'),
      okOutcome(file, 3, 'existing'),
      failedOutcome(file),
      failedOutcome(file),
      { ...failedOutcome(file, 'not uploaded: the run was cancelled'), cancelled: true }
    ]
    expect(countOutcomes(outcomes)).toEqual({ uploaded: 2, existing: 1, failed: 2, cancelled: 1 })
    expect(countOutcomes([])).toEqual({ uploaded: 0, existing: 0, failed: 0, cancelled: 0 })
  })
})
