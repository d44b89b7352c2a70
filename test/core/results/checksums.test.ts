// The checksums file: its text is the one GNU sha256sum writes, the real sha256sum -c and
// shasum -a 256 -c accept it in the folder the names come from, and every line actions/attest can
// read (its rules ported in test/support/attest-checksums.ts) means the same name and digest there.
import { spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ATTEST_MAX_CHECKSUMS_BYTES,
  ATTEST_MAX_SUBJECTS,
  attestNotes,
  attestProblems,
  attestReadable,
  checksumEntries,
  checksumsOf,
  formatChecksums,
  writeChecksums,
  type ChecksumEntry
} from '../../../src/core/results/checksums.ts'
import type { Manifest, ManifestEntry } from '../../../src/core/results/manifest.ts'
import {
  ATTEST_FILE_LIMIT_BYTES,
  attestAcceptsFileSize,
  attestSubjects
} from '../../support/attest-checksums.ts'
import { sha256 } from '../../support/harness.ts'

const A = 'a'.repeat(64)
const B = 'b'.repeat(64)
const entry = (name: string, content: string = name): ChecksumEntry => ({
  name,
  sha256: sha256(content)
})

/** Names a release could hold that a checksums tool might trip on, none of them escaped. */
const PLAIN_NAMES = [
  'app-release.apk',
  'release notes.md',
  'builds/v1.2.3/App Store.ipa',
  'ünïcödé café ✓.aab',
  '日本語のファイル.txt',
  'emoji 😀.zip',
  '*star.txt',
  '**two stars',
  ' leading space.txt',
  '  two leading spaces',
  'trailing space ',
  'tab\there.txt',
  '\tleading tab',
  'two  spaces inside',
  `${A}  looks like a line`,
  'line\u2028separator and\u0085next line',
  'form\ffeed and\vvertical tab'
]

/** Names GNU coreutils escapes, and so attest cannot read. */
const ESCAPED_NAMES = [
  'back\\slash.txt',
  '\\leading backslash',
  'new\nline.txt',
  'carriage\rreturn.txt',
  'ends in a carriage return\r',
  'all three \\ \n \r'
]

describe('formatChecksums', () => {
  it('writes `<sha256>  <name>` lines, LF ended, sorted by name', () => {
    expect(
      formatChecksums([
        { name: 'b.txt', sha256: B },
        { name: 'a.txt', sha256: A }
      ])
    ).toBe(`${A}  a.txt\n${B}  b.txt\n`)
  })

  it('writes nothing for no entries', () => {
    expect(formatChecksums([])).toBe('')
  })

  it('sorts by the UTF-8 bytes of the names, as LC_ALL=C sort does, not by UTF-16 code units', () => {
    const names = ['b', 'B', 'a b', 'a', 'ab', '\uff01 fullwidth', '😀 emoji', 'é', 'z', '_', ' ']
    const text = formatChecksums(names.map((name) => ({ name, sha256: A })))
    const written = text
      .split('\n')
      .slice(0, -1)
      .map((line) => line.slice(66))
    const cSort = spawnSync('sort', [], { input: `${names.join('\n')}\n`, env: { LC_ALL: 'C' } })
    expect(written).toEqual(cSort.stdout.toString('utf8').split('\n').slice(0, -1))
    // UTF-16 would put U+FF01 (0xFF01) after the surrogate pair of U+1F600 (0xD83D …).
    expect(written.indexOf('\uff01 fullwidth')).toBeLessThan(written.indexOf('😀 emoji'))
  })

  it('writes each name and digest once; one name with two digests keeps both, in the order given', () => {
    const text = formatChecksums([
      { name: 'x', sha256: B },
      { name: 'a', sha256: A },
      { name: 'x', sha256: A },
      { name: 'x', sha256: B },
      { name: 'a', sha256: A }
    ])
    expect(text).toBe(`${A}  a\n${B}  x\n${A}  x\n`)
  })

  it('escapes a backslash, a newline and a carriage return as GNU coreutils does', () => {
    expect(formatChecksums([{ name: 'a\\b', sha256: A }])).toBe(`\\${A}  a\\\\b\n`)
    expect(formatChecksums([{ name: 'a\nb', sha256: A }])).toBe(`\\${A}  a\\nb\n`)
    expect(formatChecksums([{ name: 'a\rb', sha256: A }])).toBe(`\\${A}  a\\rb\n`)
    expect(formatChecksums([{ name: '\\\n\r', sha256: A }])).toBe(`\\${A}  \\\\\\n\\r\n`)
  })

  it('refuses an empty name and a digest that is not 64 lower-case hex digits', () => {
    expect(() => formatChecksums([{ name: '', sha256: A }])).toThrow(
      new RangeError('a checksums entry needs a name')
    )
    expect(() => formatChecksums([{ name: 'a', sha256: A.toUpperCase() }])).toThrow(
      'the sha256 of a is not 64 lower-case hex digits'
    )
    expect(() => formatChecksums([{ name: 'a', sha256: A.slice(1) }])).toThrow(RangeError)
    expect(() => formatChecksums([{ name: 'a', sha256: `${A}0` }])).toThrow(RangeError)
    expect(() => formatChecksums([{ name: 'a', sha256: `${A.slice(1)}g` }])).toThrow(RangeError)
  })
})

describe('what actions/attest reads', () => {
  it('flags exactly the names coreutils escapes', () => {
    for (const name of PLAIN_NAMES) expect(attestReadable(name), JSON.stringify(name)).toBe(true)
    for (const name of ESCAPED_NAMES) expect(attestReadable(name), JSON.stringify(name)).toBe(false)
  })

  it('reads every unescaped line as its name and digest, in the file’s order', () => {
    const entries = PLAIN_NAMES.map((name) => entry(name))
    const text = formatChecksums(entries)
    const subjects = attestSubjects(text)
    const written = text.split('\n').slice(0, -1)
    expect(subjects).toHaveLength(PLAIN_NAMES.length)
    subjects.forEach((subject, i) => {
      expect(written[i]).toBe(`${subject.digest.sha256}  ${subject.name}`)
      expect(subject.digest.sha256).toBe(sha256(subject.name))
    })
    expect(new Set(subjects.map((subject) => subject.name))).toEqual(new Set(PLAIN_NAMES))
  })

  it('fails on every escaped line, so a file that holds one cannot be attested', () => {
    for (const name of ESCAPED_NAMES) {
      expect(() => attestSubjects(formatChecksums([entry(name)])), JSON.stringify(name)).toThrow(
        /^Invalid digest: \\/
      )
    }
  })

  it('holds for any names: readable lines parse to their entries, the flagged ones fail', () => {
    const special = fc.constantFrom('\\', '\n', '\r', ' ', '*', '\t', '\u2028', 'é', '😀', 'a')
    const name = fc
      .array(fc.oneof(special, fc.string({ unit: 'grapheme', maxLength: 6 })), {
        minLength: 1,
        maxLength: 6
      })
      .map((parts) => parts.join(''))
      .filter((value) => value !== '')
    const entries = fc.array(fc.record({ name, sha256: fc.constantFrom(A, B) }), {
      maxLength: 12
    })
    fc.assert(
      fc.property(entries, (list) => {
        const readable = list.filter((e) => attestReadable(e.name))
        const parsed = attestSubjects(formatChecksums(readable))
        const expected = new Set(readable.map((e) => `${e.sha256} ${e.name}`))
        expect(parsed.map((s) => `${s.digest.sha256} ${s.name}`).sort()).toEqual(
          [...expected].sort()
        )
        for (const flagged of list.filter((e) => !attestReadable(e.name))) {
          expect(() => attestSubjects(formatChecksums([flagged]))).toThrow()
        }
      }),
      { numRuns: 300 }
    )
  })

  it('exports attest’s limits: 1,024 subjects and a file of 512 KiB', () => {
    expect(ATTEST_MAX_SUBJECTS).toBe(1024)
    expect(ATTEST_MAX_CHECKSUMS_BYTES).toBe(ATTEST_FILE_LIMIT_BYTES)
    expect(attestAcceptsFileSize(ATTEST_MAX_CHECKSUMS_BYTES)).toBe(true)
    expect(attestAcceptsFileSize(ATTEST_MAX_CHECKSUMS_BYTES + 1)).toBe(false)
  })
})

describe('the real checksum tools, in the folder the names come from', () => {
  let dir: string
  /** Every odd name at once, some in a subdirectory, each file holding its own name. */
  const NAMES = [...PLAIN_NAMES, 'sub dir/ünï cödé.txt', ...ESCAPED_NAMES]

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'core-checksums-'))
    for (const name of NAMES) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
      await writeFile(path.join(dir, name), name)
    }
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  /** Writes the checksums of `names` beside the files; returns the path. */
  async function checksumsOf(names: readonly string[]): Promise<string> {
    // Beside the files: a checker reads only the files the lines name.
    const file = path.join(dir, 'SHA256SUMS')
    await writeFile(file, formatChecksums(names.map((name) => entry(name))))
    return file
  }

  /** Runs a checker on the file from the folder; its exit code and output. */
  function check(command: string, args: string[]) {
    const result = spawnSync(command, args, {
      cwd: dir,
      env: { ...process.env, LC_ALL: 'C.UTF-8' }
    })
    return { ...result, out: `${result.stdout}${result.stderr}` }
  }

  it('is byte for byte what GNU sha256sum writes for the same names in the same order', async () => {
    const text = formatChecksums(NAMES.map((name) => entry(name)))
    const order = [...NAMES].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    const gnu = spawnSync('sha256sum', ['--', ...order], { cwd: dir })
    expect(gnu.status).toBe(0)
    expect(gnu.stdout.toString('utf8')).toBe(text)
  })

  it('sha256sum -c --strict accepts it, every file OK, and refuses it once a file changed', async () => {
    const file = await checksumsOf(NAMES)
    const ok = check('sha256sum', ['-c', '--strict', file])
    expect(ok.status, ok.out).toBe(0)
    expect(ok.stdout.toString().match(/: OK$/gm)).toHaveLength(NAMES.length)
    await writeFile(path.join(dir, 'release notes.md'), 'changed')
    try {
      const bad = check('sha256sum', ['-c', '--strict', file])
      expect(bad.status).toBe(1)
      expect(bad.stdout.toString()).toContain('release notes.md: FAILED')
    } finally {
      await writeFile(path.join(dir, 'release notes.md'), 'release notes.md')
    }
  })

  it('shasum -a 256 -c --strict accepts it (skipped only where shasum is not installed)', async (ctx) => {
    const probe = spawnSync('shasum', ['--version'])
    if (probe.error) {
      expect((probe.error as NodeJS.ErrnoException).code).toBe('ENOENT')
      return ctx.skip('shasum is not installed')
    }
    // Perl's shasum (6.02) undoes `\\` and `\n` but not `\r`: it looks for a file named `car\rret`.
    const names = NAMES.filter((name) => !name.includes('\r'))
    expect(names.filter((name) => !attestReadable(name)).length).toBeGreaterThan(2)
    const file = await checksumsOf(names)
    const ok = check('shasum', ['-a', '256', '-c', '--strict', file])
    expect(ok.status, ok.out).toBe(0)
    expect(ok.stdout.toString().match(/: OK$/gm)).toHaveLength(names.length)
  })
})

/** A run's manifest holding these entries; a file is in the project when it has an ID. */
function manifestOf(files: ManifestEntry[], dryRun = false): Manifest {
  const totals = {
    files: files.length,
    bytes: 0,
    uploaded: 0,
    existing: 0,
    failed: 0,
    cancelled: 0
  }
  return { projectId: 7, namePrefix: '', dryRun, totals, files }
}

function inProject(name: string, id: number, sha: string = sha256(name)): ManifestEntry {
  return {
    path: `dist/${name}`,
    name,
    sizeBytes: name.length,
    mimeType: 'text/plain',
    id,
    sha256: sha
  }
}

describe("a run's checksums file", () => {
  it('holds every file in the project, uploaded or already there, and none that is not', () => {
    const manifest = manifestOf([
      inProject('b.txt', 2, B),
      { ...inProject('a.txt', 1, A), existing: true },
      {
        path: 'dist/failed.txt',
        name: 'failed.txt',
        sizeBytes: 1,
        mimeType: 'text/plain',
        error: 'create failed: HTTP 500'
      },
      withoutField(inProject('no-digest.txt', 3), 'sha256'),
      { ...inProject('empty-digest.txt', 4), sha256: '' },
      withoutField(inProject('no-id.txt', 5, A), 'id')
    ])
    expect(checksumEntries(manifest)).toEqual([
      { name: 'b.txt', sha256: B },
      { name: 'a.txt', sha256: A }
    ])
    expect(checksumsOf(manifest)).toBe(`${A}  a.txt\n${B}  b.txt\n`)
  })

  it('is empty on a dry run, even for files already in the project', () => {
    const manifest = manifestOf([inProject('a.txt', 1, A)], true)
    expect(checksumEntries(manifest)).toEqual([])
    expect(checksumsOf(manifest)).toBe('')
  })

  it('is written as checksums.txt in the folder given', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'core-checksums-write-'))
    try {
      const file = await writeChecksums(
        manifestOf([inProject('b.txt', 2, B), inProject('a.txt', 1, A)]),
        dir
      )
      expect(file).toBe(path.join(dir, 'checksums.txt'))
      expect(await readFile(file, 'utf8')).toBe(`${A}  a.txt\n${B}  b.txt\n`)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('attestProblems', () => {
  it('finds none in a file attest reads whole', () => {
    expect(attestProblems(manifestOf([inProject('a.txt', 1), inProject('b.txt', 2)]))).toEqual([])
  })

  it('names up to three of the escaped names, and counts them all', () => {
    const names = ['a\\b', 'c\nd', 'e\rf', 'g\\h']
    const manifest = manifestOf([
      inProject('plain.txt', 9),
      ...names.map((name, index) => inProject(name, index + 1))
    ])
    expect(attestProblems(manifest)).toEqual([
      '4 name(s) hold a backslash or a line break ("a\\\\b", "c\\nd", "e\\rf"), which the file escapes as sha256sum does and actions/attest cannot read'
    ])
  })

  it('names a single escaped name', () => {
    expect(attestProblems(manifestOf([inProject('back\\slash.txt', 1)]))).toEqual([
      '1 name(s) hold a backslash or a line break ("back\\\\slash.txt"), which the file escapes as sha256sum does and actions/attest cannot read'
    ])
  })

  it('takes 1,024 lines, not 1,025', () => {
    const files = Array.from({ length: ATTEST_MAX_SUBJECTS }, (_, index) =>
      inProject(`f${index}`, index + 1)
    )
    expect(attestProblems(manifestOf(files))).toEqual([])
    files.push(inProject('one more', 5000))
    expect(attestProblems(manifestOf(files))).toEqual([
      'it has 1025 lines; actions/attest takes at most 1024 subjects'
    ])
  })

  it('takes a file of 512 KiB, not one byte more', () => {
    // 512 lines of 1,024 bytes: the digest, two spaces, a name of 957 bytes and the newline.
    const files = Array.from({ length: 512 }, (_, index) =>
      inProject(`${String(index).padStart(3, '0')}${'x'.repeat(954)}`, index + 1, A)
    )
    expect(Buffer.byteLength(checksumsOf(manifestOf(files)))).toBe(ATTEST_MAX_CHECKSUMS_BYTES)
    expect(attestProblems(manifestOf(files))).toEqual([])
    files[0] = inProject(`${files[0]!.name}y`, 1, A)
    expect(attestProblems(manifestOf(files))).toEqual([
      'it is 524289 bytes; actions/attest reads at most 524288 bytes (512 KiB)'
    ])
  })

  it('names every problem at once', () => {
    const files = Array.from({ length: 1100 }, (_, index) =>
      inProject(`${index}\\${'x'.repeat(500)}`, index + 1, A)
    )
    const problems = attestProblems(manifestOf(files))
    expect(problems).toHaveLength(3)
    expect(problems[0]).toMatch(/^1100 name\(s\) hold a backslash or a line break \(/)
    expect(problems[1]).toBe('it has 1100 lines; actions/attest takes at most 1024 subjects')
    expect(problems[2]).toBe(
      `it is ${Buffer.byteLength(checksumsOf(manifestOf(files)))} bytes; actions/attest reads at most 524288 bytes (512 KiB)`
    )
  })
})

describe('attestNotes', () => {
  it('says each problem as a sentence that names actions/attest as the one who cares', () => {
    expect(attestNotes(manifestOf([inProject('a.txt', 1)]))).toEqual([])
    const files = Array.from({ length: ATTEST_MAX_SUBJECTS + 1 }, (_, index) =>
      inProject(`f${index}`, index + 1)
    )
    expect(attestNotes(manifestOf(files))).toEqual([
      'The checksums file cannot be attested whole, if a later step gives it to actions/attest: it has 1025 lines; actions/attest takes at most 1024 subjects'
    ])
  })
})

/** The entry without one of its optional fields. */
function withoutField(entry: ManifestEntry, field: 'id' | 'sha256'): ManifestEntry {
  const copy = { ...entry }
  Reflect.deleteProperty(copy, field)
  return copy
}
