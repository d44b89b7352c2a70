// What a journey ends in: the wording of a difference `verify` found, and the count of outcomes
// by how each file ended.
import { describe, expect, it } from 'vitest'
import { describeDifference } from '../../../src/core/transfer/outcome.ts'

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
