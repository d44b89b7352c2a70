// The checksums file: the text GNU `sha256sum` writes in text mode, which `sha256sum -c`,
// `shasum -a 256 -c`, GoReleaser's users and `actions/attest` (its `subject-checksums` input) read.
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Manifest } from './manifest.ts'

/** One file in the project: the name it is recorded under and the sha256 of its bytes. */
export interface ChecksumEntry {
  /** The name as recorded in the project (`name-prefix` included). */
  name: string
  /** Hex sha256 of the file's bytes: 64 lower-case hex digits. */
  sha256: string
}

/**
 * Most subjects `actions/attest` takes in one attestation (its README; its parser of a checksums
 * file does not count them, but one statement for more was never meant to be signed).
 */
export const ATTEST_MAX_SUBJECTS = 1024

/** Largest checksums file `actions/attest` reads from a path, in bytes (512 KiB); larger fails the step. */
export const ATTEST_MAX_CHECKSUMS_BYTES = 512 * 1024

const SHA256_HEX = /^[0-9a-f]{64}$/

/**
 * The checksums file for these entries: one line `<sha256>  <name>\n` per entry, LF only, sorted
 * by the bytes of each name's UTF-8 encoding (what `LC_ALL=C sort` does; entries of the same name
 * keep their given order), each name+digest pair once. A name holding a backslash, a newline or a
 * carriage return is escaped as GNU coreutils escapes it (checked with coreutils 9.1): the line
 * starts with `\`, and the name has `\\`, `\n` and `\r` for those characters. `sha256sum -c`
 * and `shasum -a 256 -c` undo that; `actions/attest` does not (see {@link attestReadable}).
 * No entries give the empty text.
 * @throws RangeError for an empty name or a digest that is not 64 lower-case hex digits
 */
export function formatChecksums(entries: readonly ChecksumEntry[]): string {
  const seen = new Set<string>()
  const unique: ChecksumEntry[] = []
  for (const entry of entries) {
    checkEntry(entry)
    const key = `${entry.sha256} ${entry.name}`
    if (seen.has(key)) continue
    seen.add(key)
    unique.push(entry)
  }
  return byUtf8Name(unique).map(checksumLine).join('')
}

/**
 * True when `actions/attest` reads the line of this name as this name: the line is not escaped.
 * An escaped line starts with `\`, which attest takes as part of the digest, and fails.
 */
export function attestReadable(name: string): boolean {
  return !NEEDS_ESCAPE.test(name)
}

/** The characters GNU coreutils escapes in a file name. */
const NEEDS_ESCAPE = /[\\\n\r]/

/** One line of the file, escaped where coreutils would escape it. */
function checksumLine({ name, sha256 }: ChecksumEntry): string {
  if (attestReadable(name)) return `${sha256}  ${name}\n`
  return `\\${sha256}  ${name.replace(/[\\\n\r]/g, escapeChar)}\n`
}

function escapeChar(char: string): string {
  if (char === '\n') return '\\n'
  if (char === '\r') return '\\r'
  return '\\\\'
}

function checkEntry({ name, sha256 }: ChecksumEntry): void {
  if (name === '') throw new RangeError('a checksums entry needs a name')
  if (!SHA256_HEX.test(sha256)) {
    throw new RangeError(`the sha256 of ${name} is not 64 lower-case hex digits: ${sha256}`)
  }
}

/**
 * Sorted by the UTF-8 bytes of the name: not JavaScript's `<` on UTF-16 code units, which puts
 * U+FF01 after U+1F600 (a surrogate pair), where UTF-8 and every C-locale tool put it before.
 * Array#sort is stable, so entries of the same name keep their order.
 */
function byUtf8Name(entries: readonly ChecksumEntry[]): ChecksumEntry[] {
  // Buffer.from encodes a string as UTF-8.
  const keyed = entries.map((entry) => ({ entry, key: Buffer.from(entry.name) }))
  keyed.sort((a, b) => Buffer.compare(a.key, b.key))
  return keyed.map(({ entry }) => entry)
}

/** The entries of a run's files that are in the project with a known digest; none on a dry run. */
export function checksumEntries(manifest: Manifest): ChecksumEntry[] {
  if (manifest.dryRun) return []
  return manifest.files.flatMap((entry) =>
    entry.id !== undefined && entry.sha256 ? [{ name: entry.name, sha256: entry.sha256 }] : []
  )
}

/** The checksums file of a run: every file in the project from it, uploaded or already there. */
export function checksumsOf(manifest: Manifest): string {
  return formatChecksums(checksumEntries(manifest))
}

/** What keeps `actions/attest` from reading a checksums file whole, one sentence each; none when it can. */
export function attestProblems(manifest: Manifest): string[] {
  const entries = checksumEntries(manifest)
  const problems: string[] = []
  const escaped = entries.filter((entry) => !attestReadable(entry.name))
  if (escaped.length) {
    const names = escaped.slice(0, 3).map((entry) => JSON.stringify(entry.name))
    problems.push(
      `${escaped.length} name(s) hold a backslash or a line break (${names.join(', ')}), which the file escapes as sha256sum does and actions/attest cannot read`
    )
  }
  if (entries.length > ATTEST_MAX_SUBJECTS)
    problems.push(
      `it has ${entries.length} lines; actions/attest takes at most ${ATTEST_MAX_SUBJECTS} subjects`
    )
  const bytes = Buffer.byteLength(formatChecksums(entries))
  if (bytes > ATTEST_MAX_CHECKSUMS_BYTES)
    problems.push(
      `it is ${bytes} bytes; actions/attest reads at most ${ATTEST_MAX_CHECKSUMS_BYTES} bytes (512 KiB)`
    )
  return problems
}

/**
 * What a run says, in its log and its summary, when `actions/attest` could not read its checksums
 * file whole: one sentence per problem. A note, not a warning: most runs are never attested.
 */
export function attestNotes(manifest: Manifest): string[] {
  return attestProblems(manifest).map(
    (problem) =>
      `The checksums file cannot be attested whole, if a later step gives it to actions/attest: ${problem}`
  )
}

/** Writes the checksums file of a run as `checksums.txt` in `dir`; returns its path. */
export async function writeChecksums(manifest: Manifest, dir: string): Promise<string> {
  const file = path.join(dir, 'checksums.txt')
  await writeFile(file, checksumsOf(manifest))
  return file
}
