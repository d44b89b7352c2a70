// The words of a run's results: each file's line, the closing tally, the failure message, and what
// a run that matched nothing says. Every object is built inside its test.
import { describe, expect, it } from 'vitest'
import type { LocalFile } from '../../../src/core/files/files.ts'
import { loggerOf, type Logger } from '../../../src/core/log.ts'
import {
  logDryRun,
  logOutcome,
  matchedClause,
  mismatchLine,
  noFilesFailure,
  noFilesMessage,
  retryLine,
  tally,
  unmatchedMessage,
  uploadHeading
} from '../../../src/core/results/report.ts'
import { buildResult, type UploadResult } from '../../../src/core/results/result.ts'
import { parsePatternLines } from '../../../src/core/settings/patterns.ts'
import type { Face, Settings } from '../../../src/core/settings/settings.ts'
import { ProjectListing } from '../../../src/core/transfer/listing.ts'
import type { Outcome } from '../../../src/core/transfer/outcome.ts'
import {
  failedOutcome,
  okOutcome,
  type FailedOutcome,
  type OkOutcome
} from '../../support/outcomes.ts'

function fileOf(path: string, size = 1536, name = path): LocalFile {
  return { absolutePath: `/work/${path}`, path, name, size, mimeType: 'text/plain' }
}

/** The outcome of `path` in the project as `id` after 1.2 s, with what `extra` sets. */
function ok(path: string, id: number, extra: Partial<OkOutcome> = {}): OkOutcome {
  return { ...okOutcome(fileOf(path), id, extra.arrival), durationMs: 1234, ...extra }
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

/** The outcome with its file under another name in the project. */
function named<T extends Outcome>(outcome: T, name: string): T {
  return { ...outcome, file: { ...outcome.file, name } }
}

/** A logger that keeps its info lines. */
function recorder(): { log: Logger; lines: string[] } {
  const lines: string[] = []
  return { log: loggerOf({ info: (line) => lines.push(line) }), lines }
}

function settingsOf(overrides: Partial<Settings> & { patterns?: string } = {}): Settings {
  const { patterns = 'dist/**', ...rest } = overrides
  return {
    projectId: 7,
    namePrefix: '',
    verify: false,
    includeHiddenFiles: false,
    files: parsePatternLines(patterns, false),
    ...rest
  } as Settings
}

const FACES: Face[] = ['action', 'cli', 'library']

/** How each face says to upload hidden files too. */
const INCLUDE_HIDDEN: Record<Face, string> = {
  action: "set 'include-hidden-files' to true",
  cli: 'add --include-hidden-files',
  library: 'set includeHiddenFiles to true'
}

describe('uploadHeading', () => {
  it.each([
    [{}, 'Uploading 2 files (1.50 KiB) to empirical.run project 7'],
    [
      { namePrefix: 'v1/' },
      "Uploading 2 files (1.50 KiB) to empirical.run project 7, names prefixed with 'v1/'"
    ],
    [
      { verify: true },
      'Uploading 2 files (1.50 KiB) to empirical.run project 7, each read back to verify its bytes'
    ],
    [
      { namePrefix: 'v1/', verify: true },
      "Uploading 2 files (1.50 KiB) to empirical.run project 7, names prefixed with 'v1/', each read back to verify its bytes"
    ]
  ])('%o → %s', (overrides, text) => {
    expect(uploadHeading(settingsOf(overrides), 2, 1536)).toBe(text)
  })

  it('says one file', () => {
    expect(uploadHeading(settingsOf(), 1, 10)).toBe(
      'Uploading 1 file (10 B) to empirical.run project 7'
    )
  })

  it('counts the files already there that verify reads back, one or many', () => {
    expect(uploadHeading(settingsOf({ verify: true }), 0, 0)).toBe(
      'Uploading 0 files (0 B) to empirical.run project 7, each read back to verify its bytes'
    )
    expect(uploadHeading(settingsOf({ verify: true }), 0, 0, 1)).toBe(
      'Reading back 1 file already in empirical.run project 7 to verify its bytes ' +
        '(a file whose bytes differ is uploaded again)'
    )
    expect(uploadHeading(settingsOf({ verify: true, namePrefix: 'v1/' }), 0, 0, 3)).toBe(
      "Reading back 3 files already in empirical.run project 7, names prefixed with 'v1/', to verify their bytes " +
        '(a file whose bytes differ is uploaded again)'
    )
    expect(uploadHeading(settingsOf({ verify: true }), 2, 1536, 3)).toBe(
      'Uploading 2 files (1.50 KiB) to empirical.run project 7, each read back to verify its bytes; ' +
        'reading back 3 files already there too (a file whose bytes differ is uploaded again)'
    )
  })
})

describe('uploadHeading of a run that finds every file already there', () => {
  it.each([
    [1, 'The file is already in empirical.run project 7; nothing to upload'],
    [2, 'Both files are already in empirical.run project 7; nothing to upload'],
    [3, 'All 3 files are already in empirical.run project 7; nothing to upload']
  ])('%i file(s) → %s', (count, text) => {
    expect(uploadHeading(settingsOf({ skipExisting: true }), 0, 0, 0, count)).toBe(text)
  })

  it('names the prefix', () => {
    expect(uploadHeading(settingsOf({ namePrefix: 'v1/' }), 0, 0, 0, 3)).toBe(
      "All 3 files are already in empirical.run project 7, names prefixed with 'v1/'; nothing to upload"
    )
  })

  it('keeps the upload heading when some are sent, and the read-back one under verify', () => {
    expect(uploadHeading(settingsOf(), 1, 10, 0, 2)).toBe(
      'Uploading 1 file (10 B) to empirical.run project 7'
    )
    expect(uploadHeading(settingsOf({ verify: true }), 0, 0, 3, 3)).toBe(
      'Reading back 3 files already in empirical.run project 7 to verify their bytes ' +
        '(a file whose bytes differ is uploaded again)'
    )
  })
})

describe('matchedClause', () => {
  it.each([
    [0, 1, 'the local file does not match one by name and size'],
    [1, 1, 'the local file matches one by name and size'],
    [0, 2, 'neither local file matches one by name and size'],
    [1, 2, '1 of the 2 local files matches one by name and size'],
    [2, 2, 'both local files match one by name and size'],
    [0, 5, 'none of the 5 local files matches one by name and size'],
    [1, 5, '1 of the 5 local files matches one by name and size'],
    [2, 5, '2 of the 5 local files match one by name and size'],
    [5, 5, 'all 5 local files match one by name and size']
  ])('%i of %i → %s', (matched, total, text) => {
    expect(matchedClause(matched, total)).toBe(text)
  })
})

describe('tally', () => {
  it.each<[string, () => Outcome[], string]>([
    [
      'one file already there',
      () => [existing('a', 1)],
      'the file is already in the project, nothing to upload'
    ],
    [
      'both files already there',
      () => [existing('a', 1), existing('b', 2)],
      'both files are already in the project, nothing to upload'
    ],
    [
      'every file already there',
      () => [existing('a', 1), existing('b', 2), existing('c', 3)],
      'all 3 files are already in the project, nothing to upload'
    ],
    ['one file uploaded', () => [ok('a', 1)], '1 of 1 file uploaded'],
    [
      'every file uploaded',
      () => [ok('a', 1), ok('b', 2, { arrival: 'settled' })],
      '2 of 2 files uploaded'
    ],
    [
      'some there, some uploaded',
      () => [ok('a', 1), existing('b', 2)],
      '1 of 2 files uploaded, 1 already in the project'
    ],
    ['one failed', () => [failed('a')], '0 of 1 file uploaded, 1 failed'],
    [
      'every kind',
      () => [ok('a', 1), ok('b', 2), existing('c', 3), failed('d'), cancelled('e'), cancelled('f')],
      '2 of 6 files uploaded, 1 already in the project, 1 failed, 2 not uploaded (cancelled)'
    ],
    ['only cancelled', () => [cancelled('a')], '0 of 1 file uploaded, 1 not uploaded (cancelled)'],
    [
      'one record with wrong bytes',
      () => [ok('a', 3, { badRecords: [1] }), ok('b', 4)],
      '2 of 2 files uploaded, 1 record left in the project with wrong bytes'
    ],
    [
      'records with wrong bytes across files, failed ones too',
      () => [ok('a', 3, { badRecords: [1, 2] }), failed('b', 'verify failed', { badRecords: [5] })],
      '1 of 2 files uploaded, 1 failed, 3 records left in the project with wrong bytes'
    ]
  ])('%s', (_name, outcomes, text) => {
    expect(tally(outcomes())).toBe(text)
  })
})

describe('mismatchLine', () => {
  const ON_DISK = 'a'.repeat(64)
  const STORED = 'b'.repeat(64)

  it.each<[string, boolean, number, string]>([
    [
      'a record already there, same size',
      true,
      10,
      `  ≠ dist/a.txt: record 41 of the same name and size holds other bytes (sha256 ${STORED} in the project, ${ON_DISK} on disk): its content changed, so it is uploaded again`
    ],
    [
      'a record this run sent, other size',
      false,
      12,
      `  ≠ dist/a.txt: storage holds other bytes in record 41 than were sent (12 bytes with sha256 ${STORED} in the project, 10 bytes with sha256 ${ON_DISK} on disk): uploading it again as a new record`
    ]
  ])('%s', (_name, isExisting, storedSize, text) => {
    const mismatch = {
      id: 41,
      stored: { size: storedSize, sha256: STORED },
      local: { size: 10, sha256: ON_DISK },
      existing: isExisting
    }
    expect(mismatchLine(fileOf('dist/a.txt', 10), mismatch)).toBe(text)
  })
})

describe('retryLine', () => {
  it('names the subject, the attempt and the delay', () => {
    expect(retryLine('a.txt: ', 'create failed: HTTP 503', 1, 5, 1200)).toBe(
      '  ↻ a.txt: create failed: HTTP 503; retry 1 of 5 in 1.2 s'
    )
  })
})

describe('logOutcome', () => {
  /** The lines `logOutcome` logs for the outcome under the name prefix. */
  function logged(outcome: Outcome, prefix = ''): string[] {
    const { log, lines } = recorder()
    logOutcome(log, outcome, prefix)
    return lines
  }

  it.each<[string, () => Outcome, string[]]>([
    ['a failed file', () => failed('dist/a.txt'), ['✗ dist/a.txt: create failed: HTTP 500']],
    ['an uploaded file', () => ok('dist/a.txt', 9), ['✓ dist/a.txt → 9 (1.50 KiB, 1.2 s)']],
    [
      'a file confirmed by reading it back',
      () => ok('dist/a.txt', 9, { arrival: 'settled' }),
      ['✓ dist/a.txt → 9 (1.50 KiB, 1.2 s; confirmed by reading the record back)']
    ],
    [
      'a file uploaded again because its content changed',
      () => ok('dist/a.txt', 9, { replaced: 4 }),
      [
        '✓ dist/a.txt → 9 (1.50 KiB, 1.2 s; re-uploaded because its content changed: record 4 holds the old bytes)'
      ]
    ],
    [
      'settled and replaced',
      () => ok('dist/a.txt', 9, { arrival: 'settled', replaced: 4 }),
      [
        '✓ dist/a.txt → 9 (1.50 KiB, 1.2 s; confirmed by reading the record back; re-uploaded because its content changed: record 4 holds the old bytes)'
      ]
    ],
    [
      'a file already there',
      () => existing('dist/a.txt', 3),
      ['= dist/a.txt → 3 (already in the project)']
    ],
    [
      'an uploaded file without its download URL',
      () => ok('dist/a.txt', 9, { urlError: 'get failed: HTTP 500' }),
      [
        '✓ dist/a.txt → 9 (1.50 KiB, 1.2 s)',
        '✗ dist/a.txt → 9: its download URL could not be read: get failed: HTTP 500'
      ]
    ],
    [
      'a file already there without its download URL',
      () => ok('dist/a.txt', 3, { arrival: 'existing', urlError: 'get failed: HTTP 404' }),
      [
        '= dist/a.txt → 3 (already in the project)',
        '✗ dist/a.txt → 3: its download URL could not be read: get failed: HTTP 404'
      ]
    ]
  ])('%s', (_name, outcome, lines) => {
    expect(logged(outcome())).toEqual(lines)
  })

  it.each<[string, () => Outcome, string]>([
    [
      'an uploaded file under a prefix',
      () => named(ok('dist/a.txt', 9), 'v1/a.txt'),
      '✓ dist/a.txt → 9 as v1/a.txt (1.50 KiB, 1.2 s)'
    ],
    [
      'a file already there under a prefix',
      () => named(existing('dist/a.txt', 3), 'v1/a.txt'),
      '= dist/a.txt → 3 as v1/a.txt (already in the project)'
    ]
  ])('%s', (_name, outcome, line) => {
    expect(logged(outcome(), 'v1/')).toEqual([line])
  })
})

describe('noFilesMessage', () => {
  it.each<[string, string, boolean, string]>([
    ['one pattern', 'dist/**', false, 'No files were found with the provided patterns:\ndist/**'],
    [
      'the lines as written',
      'dist/**\n# comment\n  ! dist/*.map ',
      false,
      'No files were found with the provided patterns:\ndist/**\n! dist/*.map'
    ],
    [
      'braces',
      'dist/{a,b}.txt',
      false,
      'No files were found with the provided patterns:\ndist/{a,b}.txt\nBraces such as {a,b} are not expanded: list each pattern on its own line instead.'
    ],
    [
      'braces without a comma',
      'dist/{a}.txt',
      false,
      'No files were found with the provided patterns:\ndist/{a}.txt'
    ],
    [
      'a hidden file',
      'out/.env',
      false,
      "No files were found with the provided patterns:\nout/.env\nHidden files (a name or folder starting with '.') are left out: set 'include-hidden-files' to true to upload them."
    ],
    [
      'a hidden file with hidden files included',
      'out/.env',
      true,
      'No files were found with the provided patterns:\nout/.env'
    ],
    [
      'a hidden file only excluded',
      'dist/**\n!dist/.cache/**',
      false,
      'No files were found with the provided patterns:\ndist/**\n!dist/.cache/**'
    ]
  ])('%s', (_name, patterns, includeHiddenFiles, text) => {
    expect(noFilesMessage(settingsOf({ patterns, includeHiddenFiles }), 'action')).toBe(text)
  })

  it.each(FACES)('names the hidden-files setting in the words of the %s', (face) => {
    expect(noFilesMessage(settingsOf({ patterns: '.github/**/{a,b}' }), face)).toBe(
      'No files were found with the provided patterns:\n.github/**/{a,b}\n' +
        'Braces such as {a,b} are not expanded: list each pattern on its own line instead.\n' +
        `Hidden files (a name or folder starting with '.') are left out: ${INCLUDE_HIDDEN[face]} to upload them.`
    )
  })
})

describe('unmatchedMessage', () => {
  it.each(FACES)('names a hidden pattern and the setting in the words of the %s', (face) => {
    const [line] = parsePatternLines('out/.env', false)
    expect(unmatchedMessage(settingsOf({ patterns: 'dist/**\nout/.env' }), line!, face)).toBe(
      `No files were found with the pattern 'out/.env'; the other patterns matched files\nHidden files (a name or folder starting with '.') are left out: ${INCLUDE_HIDDEN[face]} to upload them.`
    )
  })

  it('looks only at its own pattern for the hidden-files hint', () => {
    const settings = settingsOf({ patterns: 'dist/**\nout/.env' })
    const [line] = settings.files
    expect(unmatchedMessage(settings, line!, 'action')).toBe(
      "No files were found with the pattern 'dist/**'; the other patterns matched files"
    )
  })

  it('has no hint when hidden files are included', () => {
    const settings = settingsOf({ patterns: 'dist/**\nout/.env', includeHiddenFiles: true })
    expect(unmatchedMessage(settings, settings.files[1]!, 'cli')).toBe(
      "No files were found with the pattern 'out/.env'; the other patterns matched files"
    )
  })
})

describe('noFilesFailure', () => {
  it.each<[Face, string]>([
    ['action', "No files were found\n(set 'if-no-files-found' to warn or ignore to allow this)"],
    ['cli', 'No files were found\n(give --if-no-files-found warn or ignore to allow this)'],
    ['library', "No files were found\n(set ifNoFilesFound to 'warn' or 'ignore' to allow this)"]
  ])('says how to allow it in the words of the %s', (face, text) => {
    expect(noFilesFailure('No files were found', face)).toBe(text)
  })
})

describe('logDryRun', () => {
  /** The result of a dry run in project 7 over `files`, with the project's listing if it was listed. */
  function dryRunOf(files: LocalFile[], listing?: ProjectListing): UploadResult {
    const ending = { how: 'dry-run' as const, listing }
    return buildResult({ projectId: 7, namePrefix: '', dryRun: true, files, unmatched: [], ending })
  }

  it('lists every file without a listing of the project', () => {
    const { log, lines } = recorder()
    const files = [fileOf('dist/a.txt', 10, 'a.txt'), fileOf('dist/b.txt', 2048, 'b.txt')]
    logDryRun(log, dryRunOf(files), false)
    expect(lines).toEqual([
      'Dry run: 2 files would be uploaded to empirical.run project 7; no request is made.',
      '  a.txt (10 B, text/plain)  ← dist/a.txt',
      '  b.txt (2.00 KiB, text/plain)  ← dist/b.txt'
    ])
  })

  it('skips the files the project already holds', () => {
    const { log, lines } = recorder()
    const records = [
      { id: 5, projectId: 7, name: 'b.txt', sizeBytes: 2048, status: 'uploaded', url: undefined },
      { id: 6, projectId: 7, name: 'c.txt', sizeBytes: 1, status: 'uploaded', url: undefined }
    ]
    const files = [
      fileOf('dist/a.txt', 10, 'a.txt'),
      fileOf('dist/b.txt', 2048, 'b.txt'),
      fileOf('dist/c.txt', 1, 'c.txt')
    ]
    logDryRun(log, dryRunOf(files, new ProjectListing(records, 7)), true)
    expect(lines).toEqual([
      'Dry run: 1 file would be uploaded to empirical.run project 7 and 2 skipped as already there; the project was listed; nothing is uploaded.',
      '  a.txt (10 B, text/plain)  ← dist/a.txt',
      '= dist/b.txt → 5 (already in the project; would be skipped)',
      '= dist/c.txt → 6 (already in the project; would be skipped)'
    ])
  })

  it('says nothing is skipped when the listing matches none', () => {
    const { log, lines } = recorder()
    const files = [fileOf('dist/a.txt', 10, 'a.txt')]
    logDryRun(log, dryRunOf(files, new ProjectListing([], 7)), true)
    expect(lines).toEqual([
      'Dry run: 1 file would be uploaded to empirical.run project 7; the project was listed; nothing is uploaded.',
      '  a.txt (10 B, text/plain)  ← dist/a.txt'
    ])
  })
})
