// The words of a run's result that the log and the job summary share: the tally, the headings and
// the failure message, from the one count of the files. Every object is built inside its test.
import { describe, expect, it } from 'vitest'
import type { LocalFile } from '../../../src/core/files/files.ts'
import { totalsOf, type ManifestEntry, type Totals } from '../../../src/core/results/manifest.ts'
import { buildResult } from '../../../src/core/results/result.ts'
import {
  allAlreadyIn,
  countsLine,
  dryRunHead,
  noMatchHeading,
  projectName,
  runHeading,
  tallyOf,
  urlUnread
} from '../../../src/core/results/words.ts'
import type { Outcome } from '../../../src/core/transfer/outcome.ts'
import {
  failedOutcome,
  okOutcome,
  type FailedOutcome,
  type OkOutcome
} from '../../support/outcomes.ts'

function fileOf(path: string, size = 1536): LocalFile {
  return { absolutePath: `/work/${path}`, path, name: path, size, mimeType: 'text/plain' }
}

/** The outcome of `path` in the project as `id`, with what `extra` sets. */
function ok(path: string, id: number, extra: Partial<OkOutcome> = {}): OkOutcome {
  return { ...okOutcome(fileOf(path), id, extra.arrival), ...extra }
}

/** The outcome of `path` failing with `error`, with what `extra` sets. */
function failed(
  path: string,
  error = 'create failed: HTTP 500',
  extra: Partial<FailedOutcome> = {}
): FailedOutcome {
  return { ...failedOutcome(fileOf(path), error), ...extra }
}

const cancelled = (path: string): FailedOutcome => failed(path, 'cancelled', { cancelled: true })
const existing = (path: string, id: number): OkOutcome => ok(path, id, { arrival: 'existing' })

/** The failure of a run whose files ended as `outcomes`, as its result says it. */
function failureOf(outcomes: Outcome[], cancelled: boolean): string | undefined {
  const files = outcomes.map((outcome) => outcome.file)
  const ending = { how: 'sent' as const, outcomes, cancelled }
  return buildResult({ projectId: 7, namePrefix: '', dryRun: false, files, unmatched: [], ending })
    .failure
}

/** Totals with these counts, the rest zero. */
function totals(counts: Partial<Totals>): Totals {
  return { files: 0, bytes: 0, uploaded: 0, existing: 0, failed: 0, cancelled: 0, ...counts }
}

describe('failureOf', () => {
  it('is undefined when every file made it and the run was not cancelled', () => {
    expect(failureOf([ok('a', 1), existing('b', 2)], false)).toBeUndefined()
    expect(failureOf([], false)).toBeUndefined()
  })

  it('names each failed file', () => {
    expect(
      failureOf(
        [
          ok('a', 1),
          failed('b', 'create failed: HTTP 500'),
          failed('c', 'upload failed: HTTP 403')
        ],
        false
      )
    ).toBe(
      '2 of 3 files failed to upload:\n  b: create failed: HTTP 500\n  c: upload failed: HTTP 403'
    )
  })

  it('names each file without the download URL asked for', () => {
    expect(failureOf([ok('a', 1, { urlError: 'get failed: HTTP 500' }), ok('b', 2)], false)).toBe(
      '1 of 2 files are uploaded without the download URL asked for:\n  a: uploaded as 1, but its download URL could not be read: get failed: HTTP 500'
    )
  })

  it('names both kinds, the failed ones first', () => {
    expect(
      failureOf(
        [ok('a', 1, { urlError: 'get failed: HTTP 500' }), failed('b', 'create failed: HTTP 500')],
        false
      )
    ).toBe(
      '1 of 2 files failed to upload; 1 of 2 files are uploaded without the download URL asked for:\n' +
        '  b: create failed: HTTP 500\n' +
        '  a: uploaded as 1, but its download URL could not be read: get failed: HTTP 500'
    )
  })

  it.each<[string, () => Outcome[], string]>([
    [
      'nothing started',
      () => [cancelled('a'), cancelled('b')],
      'Cancelled: the run was stopped with 0 of 2 files uploaded, 2 not uploaded:\n  a: cancelled\n  b: cancelled'
    ],
    [
      'every kind',
      () => [ok('a', 1), existing('b', 2), failed('c', 'create failed: HTTP 500'), cancelled('d')],
      'Cancelled: the run was stopped with 1 of 4 files uploaded, 1 already in the project, 1 failed, 1 not uploaded:\n  c: create failed: HTTP 500\n  d: cancelled'
    ],
    [
      'after everything made it',
      () => [ok('a', 1)],
      'Cancelled: the run was stopped with 1 of 1 file uploaded:'
    ]
  ])('on a cancel, counts what there is: %s', (_name, outcomes, text) => {
    expect(failureOf(outcomes(), true)).toBe(text)
  })

  it('lists 20 failures whole', () => {
    const outcomes = Array.from({ length: 20 }, (_, index) => failed(`f${index}`, 'boom'))
    const text = failureOf(outcomes, false)
    expect(text).toBe(
      [
        '20 of 20 files failed to upload:',
        ...outcomes.map((outcome) => `  ${outcome.file.path}: boom`)
      ].join('\n')
    )
  })

  it('lists the first 20 failures, and how many more the log has', () => {
    const outcomes = Array.from({ length: 23 }, (_, index) => failed(`f${index}`, 'boom'))
    expect(failureOf(outcomes, false)).toBe(
      [
        '23 of 23 files failed to upload:',
        ...outcomes.slice(0, 20).map((outcome) => `  ${outcome.file.path}: boom`),
        '  … and 3 more (see the log)'
      ].join('\n')
    )
  })
})

describe('totalsOf', () => {
  const entry = (extra: Partial<ManifestEntry>): ManifestEntry => ({
    path: 'a',
    name: 'a',
    sizeBytes: 3,
    mimeType: 'text/plain',
    ...extra
  })

  it('counts each file once, by what its entry holds', () => {
    const entries = [
      entry({ id: 1, existing: false }),
      entry({ id: 2, existing: false, error: urlUnread('get failed') }),
      entry({ id: 3, existing: true }),
      entry({ error: 'create failed' }),
      entry({ error: 'not uploaded: the run was cancelled', cancelled: true }),
      entry({})
    ]
    expect(totalsOf(entries)).toEqual<Totals>({
      files: 6,
      bytes: 18,
      uploaded: 2,
      existing: 1,
      failed: 1,
      cancelled: 1
    })
  })
})

describe('the shared phrases', () => {
  it("names a project by its ID, or as the key's when it has none (the Resources API)", () => {
    expect(projectName(42)).toBe('empirical.run project 42')
    expect(projectName(undefined)).toBe("the key's empirical.run project")
    expect(projectName(3, 'project')).toBe('project 3')
    expect(projectName(undefined, 'project')).toBe("the key's project")
  })

  it.each<[number, 'is' | 'was', string]>([
    [1, 'is', 'the file is already in'],
    [2, 'is', 'both files are already in'],
    [3, 'was', 'all 3 files were already in'],
    [1, 'was', 'the file was already in']
  ])('says %i file(s) %s already there', (count, tense, text) => {
    expect(allAlreadyIn(count, tense)).toBe(text)
  })

  it.each<[Partial<Totals>, string]>([
    [{ files: 3, uploaded: 3 }, '3 uploaded, 0 failed'],
    [
      { files: 6, uploaded: 1, existing: 2, failed: 1, cancelled: 2 },
      '1 uploaded, 2 already in the project, 1 failed, 2 not uploaded (cancelled)'
    ]
  ])('counts the summary row of %o', (counts, text) => {
    expect(countsLine(totals(counts))).toBe(text)
  })

  it.each<[Partial<Totals>, boolean, string]>([
    [
      { files: 3, uploaded: 2, failed: 1 },
      false,
      'Uploaded 2 of 3 files to empirical.run project 4'
    ],
    [
      { files: 3, uploaded: 1, existing: 1, failed: 1 },
      false,
      'Uploaded 1 of 3 files to empirical.run project 4 (2 in the project)'
    ],
    [
      { files: 2, existing: 2 },
      false,
      'Both files were already in empirical.run project 4; nothing was uploaded'
    ],
    [
      { files: 3, uploaded: 1, existing: 1, cancelled: 1 },
      true,
      'Cancelled: the run was stopped with 1 of 3 files uploaded to empirical.run project 4 (2 in the project)'
    ],
    [
      { files: 1, existing: 1 },
      true,
      'Cancelled: the run was stopped with 0 of 1 file uploaded to empirical.run project 4'
    ]
  ])('heads the summary of %o (cancelled: %s)', (counts, cancelled, text) => {
    expect(runHeading(totals(counts), 4, cancelled)).toBe(text)
  })

  it('heads a run that matched nothing, dry or not', () => {
    expect(noMatchHeading(false, 4)).toBe(
      'No files matched the patterns; nothing was uploaded to empirical.run project 4'
    )
    expect(noMatchHeading(true, 4)).toBe(
      'Dry run: no files matched the patterns; nothing was uploaded to empirical.run project 4'
    )
  })

  it('says what a dry run would upload, leaving out what is there', () => {
    expect(dryRunHead(totals({ files: 3, existing: 1 }), 9)).toBe(
      'Dry run: 2 files would be uploaded to empirical.run project 9'
    )
  })

  it.each<[Partial<Totals>, number, string]>([
    [{ files: 2, uploaded: 1, failed: 1 }, 0, '1 of 2 files uploaded, 1 failed'],
    [
      { files: 1, uploaded: 1 },
      1,
      '1 of 1 file uploaded, 1 record left in the project with wrong bytes'
    ]
  ])('tallies %o with %i bad record(s)', (counts, bad, text) => {
    expect(tallyOf(totals(counts), bad)).toBe(text)
  })
})
