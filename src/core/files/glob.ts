import { promises as fs, type Stats } from 'node:fs'
import path from 'node:path'
import { Minimatch } from 'minimatch'
import { parsePatternLines, type PatternLine } from '../settings/patterns.ts'
import {
  absolutePattern,
  anchored,
  dirname,
  joinSegments,
  literalOf,
  normalizeSeparators,
  splitSegments,
  trimTrailingSeparator,
  WINDOWS
} from './glob-paths.ts'

/** How `glob` expands patterns; the same options as @actions/glob 0.7.0, all explicit. */
export interface GlobOptions {
  /** Stat through links (stopping at cycles) rather than treating a link as a file. */
  followSymbolicLinks: boolean
  /** A matched directory brings everything below it. */
  implicitDescendants: boolean
  /** Yield matched directories as well as files. */
  matchDirectories: boolean
  /** Skip a broken link (reporting it) rather than throwing. */
  omitBrokenSymbolicLinks: boolean
  /** Prune every entry whose name starts with `.`. */
  excludeHiddenFiles: boolean
  /**
   * The directory relative patterns start from, joined to each as `path.join` does (so `..`
   * climbs out of it) with its own text escaped, never read as a glob. Without one, patterns
   * start from the current directory and `..` is refused, exactly as in @actions/glob.
   */
  root?: string | undefined
  /** Called with each debug line (options once, each search path, broken links, link cycles); never printed by the engine. */
  onDebug?: (line: string) => void
}

/** What `glob` found. */
export interface GlobResult {
  /** Matched paths, absolute, each once, in the order @actions/glob yields them. */
  files: string[]
  /** The search paths, as @actions/glob's getSearchPaths() returns them. */
  searchPaths: string[]
  /** For each of `files`, the indices of the including pattern lines that match it. */
  matchedBy: number[][]
}

const { sep } = path

/** Match kinds are bit flags, so that patterns combine with `|` (include) and `& ~` (exclude). */
const DIRECTORY = 1
const FILE = 2
const ALL = DIRECTORY | FILE

/**
 * @actions/glob's: no braces or extglobs inside minimatch. Its nocomment and nonegate are left
 * out: minimatch gets only rooted patterns, which never start with `#` or `!`. The platform is
 * minimatch's own default, named so that it is read at the same moment as WINDOWS.
 */
const MINIMATCH_OPTIONS = {
  platform: process.platform,
  dot: true,
  nobrace: true,
  nocase: WINDOWS,
  noext: true
}

/** The option lines are logged in this order. */
const OPTION_NAMES = [
  'followSymbolicLinks',
  'implicitDescendants',
  'matchDirectories',
  'omitBrokenSymbolicLinks',
  'excludeHiddenFiles'
] as const

/** One pattern line, compiled. */
interface Pattern {
  /** The index of the line it came from (an implicit `…/**` shares its line's). */
  source: number
  negate: boolean
  segments: string[]
  /** A trailing separator restricts the pattern to directories. */
  directoriesOnly: boolean
  /** The last segment is `**`: the pattern matches its base too, and has no implicit `…/**`. */
  globstarLast: boolean
  /** The literal path before the first segment holding a wildcard. */
  searchPath: string
  /** Implicit `…/**` patterns must not match their own base directory. */
  implicit: boolean
  minimatch: Minimatch
}

/** State shared by one walk. */
interface Walk {
  patterns: Pattern[]
  options: GlobOptions
  debug: (line: string) => void
  files: string[]
  matchedBy: number[][]
}

/**
 * Expands pattern lines as @actions/glob 0.7.0 does, relative ones from `options.root`. Text is
 * parsed into lines first, as the platform the engine loaded on splits it. Throws PatternError
 * for a pattern it refuses.
 */
export async function glob(
  patterns: string | readonly PatternLine[],
  options: GlobOptions
): Promise<GlobResult> {
  const debug = options.onDebug ?? ((): void => undefined)
  for (const name of OPTION_NAMES) debug(`${name} '${options[name]}'`)
  const lines = typeof patterns === 'string' ? parsePatternLines(patterns, WINDOWS) : patterns
  const root = options.root ?? process.cwd()
  const parsed = lines.map((line, index) =>
    compile(
      options.root === undefined ? line : { ...line, body: anchored(line.body, root) },
      index,
      root,
      false
    )
  )
  const searchPaths = searchPathsOf(parsed)
  const walk: Walk = {
    patterns: withDescendants(parsed, options),
    options,
    debug,
    files: [],
    matchedBy: []
  }
  // Stryker disable next-line ArrayDeclaration: a chain holds real paths, which are absolute; a mutant's text is never one, so it stops no walk
  for (const searchPath of await existing(searchPaths, debug)) await visit(walk, searchPath, [])
  return { files: walk.files, searchPaths, matchedBy: walk.matchedBy }
}

/** Compiles one parsed line: rooted at `root`, split into segments, handed to minimatch. */
function compile(
  line: Pick<PatternLine, 'negate' | 'body'>,
  source: number,
  root: string,
  implicit: boolean
): Pattern {
  const { negate } = line
  const text = absolutePattern(line.body, root)
  const segments = splitSegments(text)
  const literals = segments.map(literalOf)
  const firstGlob = literals.indexOf('')
  const searchSegments = firstGlob < 0 ? literals : literals.slice(0, firstGlob)
  const body = trimTrailingSeparator(text)
  return {
    source,
    negate,
    segments,
    directoriesOnly: text.endsWith(sep),
    globstarLast: segments.at(-1) === '**',
    searchPath: joinSegments(searchSegments),
    implicit,
    minimatch: new Minimatch(WINDOWS ? body.replace(/\\/g, '/') : body, MINIMATCH_OPTIONS)
  }
}

/** With implicitDescendants, a pattern not already ending in `**` also matches all below it. */
function withDescendants(patterns: Pattern[], options: GlobOptions): Pattern[] {
  return patterns.flatMap((pattern) =>
    options.implicitDescendants && (pattern.directoriesOnly || !pattern.globstarLast)
      ? [pattern, descendantsOf(pattern)]
      : [pattern]
  )
}

/** `pattern/**`, compiled from its text as @actions/glob does, with the same negation. */
function descendantsOf(pattern: Pattern): Pattern {
  const body = joinSegments([...pattern.segments, '**'])
  // The text is rooted already, so no root is joined to it again.
  return compile({ negate: pattern.negate, body }, pattern.source, '', true)
}

/** Distinct search paths of the including patterns, dropping any below another one. */
function searchPathsOf(patterns: readonly Pattern[]): string[] {
  const key = (searchPath: string): string => (WINDOWS ? searchPath.toUpperCase() : searchPath)
  const included = patterns
    .filter((pattern) => !pattern.negate)
    .map((pattern) => pattern.searchPath)
  const candidates = new Set(included.map(key))
  const kept = new Set<string>()
  return included.filter((searchPath) => {
    const k = key(searchPath)
    if (kept.has(k) || hasAncestorIn(k, candidates)) return false
    kept.add(k)
    return true
  })
}

/** Whether a parent of `p`, up to the root, is in `paths`: by the dirname that treats a UNC share as a root. */
function hasAncestorIn(p: string, paths: ReadonlySet<string>): boolean {
  let child = p
  let parent = dirname(child)
  while (parent !== child) {
    if (paths.has(parent)) return true
    child = parent
    parent = dirname(child)
  }
  return false
}

/** Logs each search path and keeps those that exist; other lstat errors propagate. */
async function existing(
  searchPaths: readonly string[],
  debug: (line: string) => void
): Promise<string[]> {
  // Stryker disable next-line ArrayDeclaration: a mutant's text is a relative path, which no rooted pattern matches or leads to, so the walk skips it
  const found: string[] = []
  for (const searchPath of searchPaths) {
    debug(`Search path '${searchPath}'`)
    try {
      await fs.lstat(searchPath)
      found.push(searchPath)
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error
    }
  }
  return found
}

/**
 * Depth-first, in readdir order: records `entry` if it matches, then descends when it is a
 * directory. `chain` holds the real paths of the directories above, to stop link cycles.
 */
async function visit(walk: Walk, entry: string, chain: readonly string[]): Promise<void> {
  const kind = matchKind(walk.patterns, entry)
  if (!kind && !mayMatchBelow(walk.patterns, entry)) return
  const stats = await statEntry(walk, entry)
  if (!stats) return
  const below = await extendChain(walk, entry, stats, chain)
  if (!below) return
  if (walk.options.excludeHiddenFiles && path.basename(entry).startsWith('.')) return
  if (!stats.isDirectory()) {
    if (kind & FILE) record(walk, entry, FILE)
    return
  }
  if (kind & DIRECTORY && walk.options.matchDirectories) record(walk, entry, DIRECTORY)
  for (const name of await fs.readdir(entry)) await visit(walk, path.join(entry, name), below)
}

/** Yields `entry`, noting which including lines match it as `bit`. */
function record(walk: Walk, entry: string, bit: number): void {
  walk.files.push(entry)
  const sources = walk.patterns
    .filter((pattern) => !pattern.negate && patternKind(pattern, entry) & bit)
    .map((pattern) => pattern.source)
  walk.matchedBy.push([...new Set(sources)])
}

/** stat (following links) or lstat; undefined for a broken link when those are omitted. */
async function statEntry(walk: Walk, entry: string): Promise<Stats | undefined> {
  if (!walk.options.followSymbolicLinks) return fs.lstat(entry)
  try {
    return await fs.stat(entry)
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error
    if (!walk.options.omitBrokenSymbolicLinks) {
      throw new Error(
        `No information found for the path '${entry}'. This may indicate a broken symbolic link.`,
        { cause: error }
      )
    }
    walk.debug(`Broken symlink '${entry}'`)
    return undefined
  }
}

/**
 * The chain below a directory, with its real path when links are followed (none is read
 * otherwise), or undefined when that real path is already above it.
 */
async function extendChain(
  walk: Walk,
  entry: string,
  stats: Stats,
  chain: readonly string[]
): Promise<readonly string[] | undefined> {
  if (!stats.isDirectory() || !walk.options.followSymbolicLinks) return chain
  const realPath = await fs.realpath(entry)
  if (!chain.includes(realPath)) return [...chain, realPath]
  walk.debug(`Symlink cycle detected for path '${entry}' and realpath '${realPath}'`)
  return undefined
}

/** Combines all patterns in order: an include adds its kind, an exclude removes it. */
function matchKind(patterns: readonly Pattern[], entry: string): number {
  return patterns.reduce(
    (kind, pattern) =>
      pattern.negate ? kind & ~patternKind(pattern, entry) : kind | patternKind(pattern, entry),
    0
  )
}

/** What one pattern matches `entry` as: nothing, a directory only, or anything. */
function patternKind(pattern: Pattern, entry: string): number {
  let subject = trimTrailingSeparator(entry)
  if (pattern.globstarLast) {
    subject = normalizeSeparators(entry)
    // minimatch's `a/**` matches `a/` but not `a`; an explicit trailing `**` includes its base.
    if (!subject.endsWith(sep) && !pattern.implicit) subject += sep
  }
  if (!pattern.minimatch.match(subject)) return 0
  return pattern.directoriesOnly ? DIRECTORY : ALL
}

/** Whether some including pattern could match below `entry`, so that it is worth descending. */
function mayMatchBelow(patterns: readonly Pattern[], entry: string): boolean {
  const subject = trimTrailingSeparator(entry)
  // A root is walked only as the search path of an including pattern, which may match below it
  // (@actions/glob asks each pattern's root, as minimatch's matchOne gets a root wrong).
  if (dirname(subject) === subject) return true
  return patterns.some((pattern) => !pattern.negate && partialMatch(pattern, subject))
}

/** Whether `subject`, without a trailing separator, is a prefix of something the pattern could match. */
function partialMatch(pattern: Pattern, subject: string): boolean {
  const parts = subject.split(WINDOWS ? /\\+/ : /\/+/)
  // Without braces, comments or empty patterns, minimatch makes one set of each pattern.
  return pattern.minimatch.matchOne(
    parts,
    pattern.minimatch.set[0] as Minimatch['set'][number],
    true
  )
}

/** The `code` of an fs error (fs rejects only with Errors). */
function errorCode(error: unknown): unknown {
  return (error as NodeJS.ErrnoException).code
}
