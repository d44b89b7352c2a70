// How actions/attest reads a checksums file (its `subject-checksums` input), ported rule for rule
// from getSubjectFromChecksumsString and getSubjectFromChecksumsFile in src/subject.ts of
// github.com/actions/attest at commit 1e69f48acb82d1966a394da916b4c1698aa569d6 (the file as last
// changed by f7c74d28b9d84cb8768d0b8ca14a4bac6ef463e6, "feat: support SHA-2 subject digests").
// Only the parsing is ported: what attest then signs is out of scope here.

/** One subject as attest makes it from a line: the name, and the digest under its algorithm. */
export interface AttestSubject {
  name: string
  digest: Record<string, string>
}

/** attest's MAX_SUBJECT_CHECKSUM_SIZE_BYTES: 512 × MAX_SUBJECT_COUNT (1024). */
export const ATTEST_FILE_LIMIT_BYTES = 512 * 1024

const HEX_STRING_RE = /^[0-9a-fA-F]+$/

/** The subjects attest reads from a checksums file's text; throws where attest throws. */
export function attestSubjects(checksums: string): AttestSubject[] {
  const subjects: AttestSubject[] = []
  // attest: split on any line ending (LF or CRLF), drop empty records.
  const records = checksums.split(/\r?\n/).filter(Boolean)
  for (const record of records) {
    // attest: the first space ends the digest; a line without one is skipped.
    const delimIndex = record.indexOf(' ')
    if (delimIndex === -1) continue
    // attest: one leading flag character, '*' or ' ', is dropped from the name; the rest is verbatim.
    const flagAndName = record.slice(delimIndex + 1)
    const name =
      flagAndName.startsWith('*') || flagAndName.startsWith(' ')
        ? flagAndName.slice(1)
        : flagAndName
    if (/[\r\n]/.test(name)) throw new Error(`Invalid subject name (contains a newline): ${name}`)
    const digest = record.slice(0, delimIndex)
    if (!HEX_STRING_RE.test(digest)) throw new Error(`Invalid digest: ${digest}`)
    const alg = digestAlgorithm(digest)
    // attest: duplicates of the same name and digest are dropped.
    if (!subjects.some((s) => s.name === name && s.digest[alg] === digest)) {
      subjects.push({ name, digest: { [alg]: digest } })
    }
  }
  return subjects
}

/** attest reads a checksums file from a path only up to this size (getSubjectFromChecksumsFile). */
export function attestAcceptsFileSize(bytes: number): boolean {
  return bytes <= ATTEST_FILE_LIMIT_BYTES
}

function digestAlgorithm(digest: string): string {
  if (digest.length === 64) return 'sha256'
  if (digest.length === 128) return 'sha512'
  throw new Error(`Unknown digest algorithm: ${digest}`)
}
