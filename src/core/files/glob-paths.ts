import os from 'node:os'
import path from 'node:path'
import { PatternError } from '../errors.ts'

// The text of patterns and paths as @actions/glob 0.7.0 reads them: a relative pattern rooted,
// a segment's literal text, separators, roots (`/`, `C:\`, `\\host\share`) and parents.

/** Like @actions/glob, the platform is fixed when the module loads. */
export const WINDOWS = process.platform === 'win32'
const { sep } = path

/**
 * A relative pattern joined to `root` as `path.join` joins it, `..` and `.` resolved; the part
 * that is the root (or the ancestor a `..` climbed to) is escaped so that a folder named
 * `ws[1]` stays literal. Patterns from home or a root are left as they are.
 */
export function anchored(body: string, root: string): string {
  if (!body || firstSegmentIs(normalizeSeparators(body), '~') || hasRoot(body)) return body
  const joined = path.join(root, body)
  let base = path.resolve(root)
  while (!isWithin(joined, base)) base = path.dirname(base)
  return globEscape(base) + joined.slice(base.length)
}

/** True when `p` is `dir` or below it. */
function isWithin(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(sep) ? dir : dir + sep) || dirname(dir) === dir
}

/** Throws PatternError unless `condition` holds. */
function check(condition: unknown, message: string): void {
  if (!condition) throw new PatternError(message)
}

/** Validates the pattern, then roots it at `root`, home or drive, with normalized separators. */
export function absolutePattern(pattern: string, root: string): string {
  check(pattern, 'pattern cannot be empty')
  const literals = splitSegments(pattern).map(literalOf)
  check(
    literals.every((literal, i) => (literal !== '.' || i === 0) && literal !== '..'),
    `Invalid pattern '${pattern}'. Relative pathing '.' and '..' is not allowed.`
  )
  check(
    !hasRoot(pattern) || literals[0],
    `Invalid pattern '${pattern}'. Root segment must not contain globs.`
  )
  return normalizeSeparators(rooted(normalizeSeparators(pattern), root))
}

/** Prefixes what a relative pattern is relative to; directory names are escaped to stay literal. */
function rooted(pattern: string, root: string): string {
  if (firstSegmentIs(pattern, '.')) return globEscape(root) + pattern.slice(1)
  if (firstSegmentIs(pattern, '~')) return globEscape(homeDirectory()) + pattern.slice(1)
  if (WINDOWS && /^[A-Z]:($|[^\\])/i.test(pattern)) {
    return globEscape(driveDirectory(pattern, root)) + pattern.slice(2)
  }
  if (WINDOWS && /^\\($|[^\\])/.test(pattern)) {
    return globEscape(`${windowsCwd(root).charAt(0)}:\\`) + pattern.slice(1)
  }
  if (hasAbsoluteRoot(pattern)) return pattern
  const cwd = globEscape(root)
  return cwd.endsWith('/') || (WINDOWS && cwd.endsWith('\\')) ? cwd + pattern : cwd + sep + pattern
}

function firstSegmentIs(pattern: string, name: string): boolean {
  return pattern === name || pattern.startsWith(name + sep)
}

/** `~`, which must be an absolute path. */
function homeDirectory(): string {
  const home = os.homedir()
  check(home, 'Unable to determine HOME directory')
  check(hasAbsoluteRoot(home), `Expected HOME directory to be a rooted path. Actual '${home}'`)
  return home
}

/** What `C:` or `C:foo` starts from: the cwd when on that drive, else the drive's root. */
function driveDirectory(pattern: string, root: string): string {
  const cwd = windowsCwd(root)
  const letter = pattern.charAt(0)
  const sameDrive = letter.toUpperCase() === cwd.charAt(0).toUpperCase()
  const directory = sameDrive ? `${letter}:\\${cwd.slice(3)}` : `${letter}:\\`
  return pattern.length > 2 && !directory.endsWith('\\') ? `${directory}\\` : directory
}

/** The root, which drive-relative patterns need to be on a drive letter. */
function windowsCwd(cwd: string): string {
  check(
    /^[A-Z]:\\/i.test(cwd),
    `Expected current directory to start with an absolute drive root. Actual '${cwd}'`
  )
  return cwd
}

/** Makes `*`, `?` and `[…]` in a directory name literal (and `\` on POSIX, where it escapes). */
function globEscape(text: string): string {
  return (WINDOWS ? text : text.replace(/\\/g, '\\\\'))
    .replace(/\[(?=[^/]+\])/g, '[[]')
    .replace(/\?/g, '[?]')
    .replace(/\*/g, '[*]')
}

/** A segment's literal text with escapes resolved, or '' when it holds a wildcard. */
export function literalOf(segment: string): string {
  let literal = ''
  for (let i = 0; i < segment.length; i++) {
    const char = segment.charAt(i)
    if (char === '\\' && !WINDOWS && i + 1 < segment.length) {
      literal += segment.charAt(++i)
      continue
    }
    if (char === '*' || char === '?') return ''
    const set = char === '[' ? bracketSet(segment, i) : undefined
    if (set && set.chars.length > 1) return ''
    if (set && set.chars.length === 1) {
      literal += set.chars
      i = set.end
      continue
    }
    literal += char
  }
  return literal
}

/** The characters of the `[…]` opening at `open`, or undefined when it never closes. */
function bracketSet(segment: string, open: number): { chars: string; end: number } | undefined {
  let chars = ''
  for (let i = open + 1; i < segment.length; i++) {
    const char = segment.charAt(i)
    if (char === '\\' && !WINDOWS && i + 1 < segment.length) chars += segment.charAt(++i)
    else if (char === ']') return { chars, end: i }
    else chars += char
  }
  return undefined
}

/** Path segments, the first being the root when there is one (`/`, `C:\`, `\\host\share`). */
export function splitSegments(p: string): string[] {
  let rest = trimTrailingSeparator(p)
  if (!hasRoot(rest)) return rest.split(sep)
  const segments: string[] = []
  for (let parent = dirname(rest); parent !== rest; rest = parent, parent = dirname(rest)) {
    segments.unshift(path.basename(rest))
  }
  return [rest, ...segments]
}

/** The inverse of splitSegments: no separator after a root that ends in one, or after `C:`. */
export function joinSegments(segments: readonly string[]): string {
  // Every caller's segments start with a root, which holds no wildcard.
  const [first, ...rest] = segments as readonly [string, ...string[]]
  if (!rest.length) return first
  const bare = first.endsWith(sep) || (WINDOWS && /^[A-Z]:$/i.test(first))
  return first + (bare ? '' : sep) + rest.join(sep)
}

/** Collapses repeated separators (keeping a UNC `\\`); on Windows `/` becomes `\`. */
export function normalizeSeparators(p: string): string {
  if (!WINDOWS) return p.replace(/\/\/+/g, '/')
  const backslashed = p.replace(/\//g, '\\')
  return (/^\\\\+[^\\]/.test(backslashed) ? '\\' : '') + backslashed.replace(/\\\\+/g, '\\')
}

/** Drops a trailing separator unless it is the root's own. */
export function trimTrailingSeparator(p: string): string {
  const normal = normalizeSeparators(p)
  const root = normal === sep || (WINDOWS && /^[A-Z]:\\$/i.test(normal))
  return normal.endsWith(sep) && !root ? normal.slice(0, -1) : normal
}

/** path.dirname, except that a UNC root (`\\host` or `\\host\share`) is its own parent. */
export function dirname(p: string): string {
  const trimmed = trimTrailingSeparator(p)
  if (WINDOWS && /^\\\\[^\\]+(\\[^\\]+)?$/.test(trimmed)) return trimmed
  const parent = path.dirname(trimmed)
  return WINDOWS && /^\\\\[^\\]+\\[^\\]+\\$/.test(parent) ? trimTrailingSeparator(parent) : parent
}

/** `/x` on POSIX; `C:`, `\x` or `\\x` on Windows. */
function hasRoot(p: string): boolean {
  const normal = normalizeSeparators(p)
  return WINDOWS ? normal.startsWith('\\') || /^[A-Z]:/i.test(normal) : normal.startsWith('/')
}

/** `/x` on POSIX; `C:\x` or `\\x` on Windows. */
function hasAbsoluteRoot(p: string): boolean {
  const normal = normalizeSeparators(p)
  return WINDOWS ? normal.startsWith('\\\\') || /^[A-Z]:\\/i.test(normal) : normal.startsWith('/')
}
