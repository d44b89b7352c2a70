import type { Manifest } from './manifest.ts';
/** One file in the project: the name it is recorded under and the sha256 of its bytes. */
export interface ChecksumEntry {
    /** The name as recorded in the project (`name-prefix` included). */
    name: string;
    /** Hex sha256 of the file's bytes: 64 lower-case hex digits. */
    sha256: string;
}
/**
 * Most subjects `actions/attest` takes in one attestation (its README; its parser of a checksums
 * file does not count them, but one statement for more was never meant to be signed).
 */
export declare const ATTEST_MAX_SUBJECTS = 1024;
/** Largest checksums file `actions/attest` reads from a path, in bytes (512 KiB); larger fails the step. */
export declare const ATTEST_MAX_CHECKSUMS_BYTES: number;
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
export declare function formatChecksums(entries: readonly ChecksumEntry[]): string;
/**
 * True when `actions/attest` reads the line of this name as this name: the line is not escaped.
 * An escaped line starts with `\`, which attest takes as part of the digest, and fails.
 */
export declare function attestReadable(name: string): boolean;
/** The entries of a run's files that are in the project with a known digest; none on a dry run. */
export declare function checksumEntries(manifest: Manifest): ChecksumEntry[];
/** The checksums file of a run: every file in the project from it, uploaded or already there. */
export declare function checksumsOf(manifest: Manifest): string;
/** What keeps `actions/attest` from reading a checksums file whole, one sentence each; none when it can. */
export declare function attestProblems(manifest: Manifest): string[];
/**
 * What a run says, in its log and its summary, when `actions/attest` could not read its checksums
 * file whole: one sentence per problem. A note, not a warning: most runs are never attested.
 */
export declare function attestNotes(manifest: Manifest): string[];
/** Writes the checksums file of a run as `checksums.txt` in `dir`; returns its path. */
export declare function writeChecksums(manifest: Manifest, dir: string): Promise<string>;
