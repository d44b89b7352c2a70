// The run's one result, for every way a run ends: each file's entry, the totals, the failure, the
// cancel, the patterns that matched nothing and the records left with other bytes. Every object
// is built inside its test.
import { describe, expect, it } from 'vitest'
import { ListFailedError } from '../../../src/core/errors.ts'
import type { LocalFile } from '../../../src/core/files/files.ts'
import {
  buildResult,
  type Ending,
  type RunEnd,
  type UploadResult
} from '../../../src/core/results/result.ts'
import { ProjectListing } from '../../../src/core/transfer/listing.ts'
import type { Outcome } from '../../../src/core/transfer/outcome.ts'
import { FAKE_SHA, failedOutcome, okOutcome } from '../../support/outcomes.ts'

function local(name: string, size = 4): LocalFile {
  return {
    absolutePath: `/ws/${name}`,
    path: name,
    name: `v1/${name}`,
    size,
    mimeType: 'text/plain'
  }
}

/** The result of a run in project 5 under 'v1/' over a.txt and b.txt (4 and 6 bytes) that ended so. */
function resultOf(ending: Ending, dryRun = false, extra: Partial<RunEnd> = {}): UploadResult {
  const files = [local('a.txt'), local('b.txt', 6)]
  return buildResult({
    projectId: 5,
    namePrefix: 'v1/',
    dryRun,
    files,
    unmatched: ['docs/**'],
    ending,
    ...extra
  })
}

/** The entries of a.txt and b.txt with nothing but what finding them says. */
const BARE = [
  { path: 'a.txt', name: 'v1/a.txt', sizeBytes: 4, mimeType: 'text/plain' },
  { path: 'b.txt', name: 'v1/b.txt', sizeBytes: 6, mimeType: 'text/plain' }
]

const NOTHING = { files: 2, bytes: 10, uploaded: 0, existing: 0, failed: 0, cancelled: 0 }

describe('buildResult', () => {
  it('of a run that sent its files: their entries, counts, failure and the records verify left', () => {
    const outcomes: Outcome[] = [
      { ...okOutcome(local('a.txt'), 11), badRecords: [3, 4] },
      { ...failedOutcome(local('b.txt', 6), 'verify failed'), badRecords: [7] }
    ]
    expect(resultOf({ how: 'sent', outcomes, cancelled: false })).toEqual<UploadResult>({
      projectId: 5,
      namePrefix: 'v1/',
      dryRun: false,
      totals: { ...NOTHING, uploaded: 1, failed: 1 },
      files: [
        { ...BARE[0]!, id: 11, sha256: FAKE_SHA, existing: false },
        { ...BARE[1]!, error: 'verify failed' }
      ],
      failure: '1 of 2 files failed to upload:\n  b.txt: verify failed',
      cancelled: false,
      unmatchedPatterns: ['docs/**'],
      badRecords: [3, 4, 7]
    })
  })

  it('of a run the signal stopped while it sent its files', () => {
    const outcomes: Outcome[] = [
      okOutcome(local('a.txt'), 11),
      {
        ok: false,
        file: local('b.txt', 6),
        error: 'not uploaded: the run was cancelled',
        cancelled: true,
        durationMs: 0
      }
    ]
    const result = resultOf({ how: 'sent', outcomes, cancelled: true })
    expect(result).toMatchObject({
      totals: { ...NOTHING, uploaded: 1, cancelled: 1 },
      failure:
        'Cancelled: the run was stopped with 1 of 2 files uploaded, 1 not uploaded:\n  b.txt: not uploaded: the run was cancelled',
      cancelled: true,
      badRecords: []
    })
    expect(result.files[1]).toEqual({
      ...BARE[1],
      error: 'not uploaded: the run was cancelled',
      cancelled: true
    })
  })

  it('of a dry run: every file with what the listing holds, no failure', () => {
    const listing = new ProjectListing(
      [
        { id: 21, projectId: 5, name: 'v1/b.txt', sizeBytes: 6, status: 'uploaded', url: undefined }
      ],
      5
    )
    expect(resultOf({ how: 'dry-run', listing }, true)).toEqual<UploadResult>({
      projectId: 5,
      namePrefix: 'v1/',
      dryRun: true,
      totals: { ...NOTHING, existing: 1 },
      files: [BARE[0]!, { ...BARE[1]!, id: 21, existing: true }],
      failure: undefined,
      cancelled: false,
      unmatchedPatterns: ['docs/**'],
      badRecords: []
    })
    expect(resultOf({ how: 'dry-run', listing: undefined }, true).files).toEqual(BARE)
  })

  it("of a run whose listing failed: every file failed, the listing's error the failure", () => {
    const error = new ListFailedError('skip-existing', new Error('list failed: HTTP 503'))
    const result = resultOf({ how: 'not-listed', error })
    const notListed = "not uploaded: the project's files could not be listed"
    expect(result).toEqual<UploadResult>({
      projectId: 5,
      namePrefix: 'v1/',
      dryRun: false,
      totals: { ...NOTHING, failed: 2 },
      files: BARE.map((entry) => ({ ...entry, error: notListed })),
      failure: error.message,
      cancelled: false,
      unmatchedPatterns: ['docs/**'],
      badRecords: []
    })
  })

  it('of a dry run whose listing failed: the files as they are, the failure the same', () => {
    const error = new ListFailedError('skipExisting', new Error('list failed: HTTP 401'))
    expect(resultOf({ how: 'not-listed', error }, true)).toMatchObject({
      dryRun: true,
      totals: NOTHING,
      files: BARE,
      failure: error.message,
      cancelled: false
    })
  })

  it('of a run cancelled while listing: no file was started, each counted as cancelled', () => {
    const result = resultOf({ how: 'cancelled-listing' })
    expect(result).toMatchObject({
      dryRun: false,
      totals: { ...NOTHING, cancelled: 2 },
      failure:
        'Cancelled: the run was stopped with 0 of 2 files uploaded, 2 not uploaded:\n' +
        '  a.txt: not uploaded: the run was cancelled\n' +
        '  b.txt: not uploaded: the run was cancelled',
      cancelled: true,
      badRecords: []
    })
    expect(result.files).toEqual(
      BARE.map((entry) => ({
        ...entry,
        error: 'not uploaded: the run was cancelled',
        cancelled: true
      }))
    )
  })

  it('of a dry run cancelled while listing: the files as they are, and why it stopped', () => {
    expect(resultOf({ how: 'cancelled-listing' }, true)).toEqual<UploadResult>({
      projectId: 5,
      namePrefix: 'v1/',
      dryRun: true,
      totals: NOTHING,
      files: BARE,
      failure: "Cancelled: the run was stopped while the project's files were being listed",
      cancelled: true,
      unmatchedPatterns: ['docs/**'],
      badRecords: []
    })
  })

  it.each<[string, string | undefined, boolean]>([
    ['a failure', 'No files were found', false],
    ['allowed', undefined, false],
    ['a dry run', undefined, true]
  ])('of a run that matched nothing: %s', (_name, failure, dryRun) => {
    const result = resultOf({ how: 'no-match', failure }, dryRun, {
      files: [],
      unmatched: ['a/**', 'b/**']
    })
    expect(result).toEqual<UploadResult>({
      projectId: 5,
      namePrefix: 'v1/',
      dryRun,
      totals: { files: 0, bytes: 0, uploaded: 0, existing: 0, failed: 0, cancelled: 0 },
      files: [],
      failure,
      cancelled: false,
      unmatchedPatterns: ['a/**', 'b/**'],
      badRecords: []
    })
  })
})
