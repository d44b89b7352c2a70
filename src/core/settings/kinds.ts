/**
 * The kinds of setting (integer, boolean, choice, text, patterns): how each is read from text
 * (the action's inputs, the CLI's flags), checked as a program's value (the library), and
 * described in an error. A problem is thrown as a Problem; the table turns it into an InputError
 * that names the setting in the face's words.
 */
import { Problem } from '../errors.ts'
import type { Dialect } from '../http/dialect.ts'
import { checkBaseUrl } from '../http/url-policy.ts'
import { parsePatternLines, type PatternLine } from './patterns.ts'

/** The face a setting was given through; each names settings in its own words. */
export type Face = 'action' | 'cli' | 'library'

/** How a setting's value is read, checked and described. */
export interface Kind<In, Out> {
  /** Reads text as a workflow or a shell gives it; undefined when blank (the default applies). */
  fromText(raw: string, face: Face): Out | undefined
  /** Checks a program's value; undefined when absent (the default applies). */
  fromValue(value: unknown, face: Face): Out | undefined
  /** What is allowed, for an error: `an integer from 1 to 64`. */
  allowed(face: Face): string
  /** The bounds --help shows (`1 to 64`); none for an unbounded kind. */
  range?: string
  /** True for a yes-or-no setting: a CLI switch. */
  switch?: boolean
  /** Only for the type of a program's value; never set. */
  readonly in?: In
}

/** A program's value of the wrong type: says which type is wanted and what came instead. */
function wrongType(wanted: string, value: unknown): Problem {
  const got =
    typeof value === 'string' ? `the string '${value}'` : `${typeof value} ${String(value)}`
  return new Problem(`${got} is not allowed: give ${wanted}`)
}

/** A whole number within bounds. */
export function integer(min: number, max: number): Kind<number, number> {
  // Every face words an unbounded one alike: its bound is no number a user should read.
  const allowed = (): string =>
    max === Number.MAX_SAFE_INTEGER
      ? `a whole number from ${min}, such as 42`
      : `an integer from ${min} to ${max}`
  const check = (parsed: number, shown: string): number => {
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max)
      throw new Problem(`'${shown}' is not allowed: give ${allowed()}`)
    return parsed
  }
  return {
    fromText(raw) {
      const value = raw.trim()
      if (!value) return undefined
      return check(/^\d+$/.test(value) ? Number(value) : NaN, value)
    },
    fromValue(value) {
      if (value === undefined) return undefined
      if (typeof value !== 'number') throw wrongType(`a number: ${allowed()}`, value)
      return check(value, String(value))
    },
    allowed,
    ...(max === Number.MAX_SAFE_INTEGER ? {} : { range: `${min} to ${max}` })
  }
}

/** The YAML 1.2 core booleans, as `core.getBooleanInput` reads them. */
export function boolean(): Kind<boolean, boolean> {
  return {
    fromText(raw) {
      const value = raw.trim()
      if (!value) return undefined
      if (['true', 'True', 'TRUE'].includes(value)) return true
      if (['false', 'False', 'FALSE'].includes(value)) return false
      throw new Problem(`'${value}' is not allowed: give true or false`)
    },
    fromValue(value) {
      if (value === undefined) return undefined
      if (typeof value !== 'boolean') throw wrongType('true or false', value)
      return value
    },
    allowed: () => 'true or false',
    switch: true
  }
}

/** One of a few words, read without regard to case. */
export function choice<T extends string>(values: readonly T[]): Kind<T, T> {
  const allowed = (): string => `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`
  const pick = (raw: string): T | undefined => {
    const value = raw.trim()
    if (!value) return undefined
    const match = values.find((allowedValue) => allowedValue === value.toLowerCase())
    if (!match) throw new Problem(`'${value}' is not allowed: give ${allowed()}`)
    return match
  }
  return {
    fromText: pick,
    fromValue(value) {
      if (value === undefined) return undefined
      if (typeof value !== 'string') throw wrongType(allowed(), value)
      return pick(value)
    },
    allowed
  }
}

/** Text, trimmed as `core.getInput` trims it, then checked by `refine` (which may rewrite it). */
export function text(
  refine: (value: string, face: Face) => string = (value) => value
): Kind<string, string> {
  const read = (raw: string, face: Face): string | undefined => {
    const value = raw.trim()
    return value ? refine(value, face) : undefined
  }
  return {
    fromText: read,
    fromValue(value, face) {
      if (value === undefined) return undefined
      if (typeof value !== 'string') throw wrongType('a string', value)
      return read(value, face)
    },
    allowed: () => 'a value'
  }
}

/** Pattern lines: at least one that includes files. */
export function patterns(): Kind<string | readonly string[], PatternLine[]> {
  const allowed = (): string => 'one or more glob patterns, one per line'
  const read = (given: string | readonly string[]): PatternLine[] | undefined => {
    const lines = parsePatternLines(given)
    // Blank is absent; text that is all comments was meant as patterns, and is told so.
    if (
      !lines.length &&
      (typeof given === 'string' ? [given] : given).some((entry) => entry.trim())
    )
      throw new Problem(`holds only comments (lines starting with #): give ${allowed()}`)
    if (!lines.length) return undefined
    if (!lines.some((line) => !line.negate))
      throw new Problem(
        'every pattern is an exclusion (!): add at least one pattern that includes files'
      )
    return lines
  }
  return {
    fromText: (raw) => read(raw),
    fromValue(value) {
      if (value === undefined) return undefined
      const list = typeof value === 'string' ? [value] : value
      if (!Array.isArray(list) || !list.every((entry) => typeof entry === 'string'))
        throw wrongType('a string or an array of strings', value)
      return read(list as string[])
    },
    allowed
  }
}

/** Checks the key: fit for an HTTP header. */
export function parseKey(key: string): string {
  // A key is sent in a header: other characters would split, corrupt or reject it.
  if (/[^\x21-\x7e]/.test(key)) {
    throw new Problem(
      'the key contains characters an HTTP header cannot carry (spaces, control or non-ASCII characters)'
    )
  }
  return key
}

/** Longest `name-prefix`; names are short strings on the server too. */
const MAX_PREFIX_CHARS = 512

/**
 * Checks `name-prefix`, kept verbatim (inner spaces included) so that `nightly-` and `builds/v1/`
 * both work. What could climb out of the project's folder, or mean another thing on Windows, is
 * refused.
 */
export function parseNamePrefix(raw: string): string {
  const refuse = (why: string): never => {
    throw new Problem(`${why}: give something like builds/v1.2.3/ or nightly-`)
  }
  if (raw.length > MAX_PREFIX_CHARS)
    refuse(`is ${raw.length} characters long; at most ${MAX_PREFIX_CHARS} characters are allowed`)
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) refuse('must not contain control characters (line breaks, tabs)')
  if (raw.includes('\\')) refuse("must not contain a backslash '\\'; use '/' between folders")
  if (raw.startsWith('/')) refuse("must not start with '/'")
  // URL parsers drop '.' and '..' path segments, so an upload URL made from such a name would
  // reach another key than the one signed.
  if (raw.split('/').some((segment) => segment === '.' || segment === '..'))
    refuse("must not contain a '.' or '..' segment")
  // `a//b/` would name files `a//b/app.zip`: a folder with no name, which no file system shows.
  if (raw.split('/').slice(0, -1).includes('')) refuse("must not contain an empty segment ('//')")
  return raw
}

/** Who calls `<base URL>/api/files` (or `/api/resources`), in each face's words. */
const CALLER: Readonly<Record<Face, string>> = {
  action: 'the action',
  cli: 'empiricalrun-upload',
  library: 'uploadFiles()'
}

/**
 * Checks `base-url`: https anywhere, http only to this machine, so the key never crosses a network
 * in clear; without the path the API's `dialect` adds itself (default the Files API's).
 */
export function parseBaseUrl(value: string, face: Face, dialect?: Dialect): string {
  return checkBaseUrl(value, CALLER[face], dialect)
}
