// The tree and the cases that src/core/files/glob.ts is compared on against @actions/glob 0.7.0, shared
// by test/reference/glob.test.ts (every option set, the reference run live) and test/core/files/glob.test.ts (a
// dozen option sets, the reference's answers kept between runs, fast enough for mutation testing).
import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { vi } from 'vitest'
import { glob, type GlobOptions } from '../../src/core/files/glob.ts'

/** Regular files: nesting, hidden files and folders, and names that glob syntax could trip on. */
export const FILES = [
  'a.txt',
  'b.js',
  'README.md',
  '.hidden.txt',
  '.hdir/x.txt',
  '.hdir/sub/y.txt',
  'src/index.ts',
  'src/util.ts',
  'src/.env',
  'src/lib/deep/file.ts',
  'src/lib/deep/file.test.ts',
  'src/lib/.cache/c.ts',
  'docs/guide.md',
  'docs/api/ref.md',
  'odd/space name.txt',
  'odd/[brackets].txt',
  'odd/[b].txt',
  'odd/{braces}.txt',
  'odd/ünï cödé.txt',
  'odd/日本.md',
  'odd/#hash.txt',
  'odd/!bang.txt',
  'odd/a*b.txt',
  'odd/q?.txt',
  'odd/+(ext).txt',
  'odd/back\\slash.txt'
]

/** Link → target: to a file, to a folder, broken, and two cycles (to its own folder, to its parent). */
export const LINKS: [string, string][] = [
  ['links/file-link', '../a.txt'],
  ['links/dir-link', '../src'],
  ['links/broken', '../missing-target'],
  ['links/loop', '.'],
  ['src/lib/up', '..']
]

/** Pattern sets; `<root>` is the escaped tree root (also the cwd and HOME), `<scratch>` its parent. */
export const CASES: [string, string][] = [
  ['everything', '**'],
  ['top level', '*'],
  ['extension at top', '*.txt'],
  ['extension anywhere', '**/*.ts'],
  ['a directory', 'src'],
  ['a directory, trailing slash', 'src/'],
  ['globstar below a directory', 'src/**'],
  ['globstar with trailing slash', 'src/**/'],
  ['one level', 'src/*'],
  ['directories one level down', '*/'],
  ['exclusion', 'src/**/*.ts\n!src/**/*.test.ts'],
  ['re-inclusion after exclusion', '**\n!src/**\nsrc/lib/**'],
  ['double negation includes', '!!src/*.ts'],
  ['triple negation excludes', 'src/**\n!!!src/util.ts'],
  ['exclusion only', '!src/**'],
  ['comments and blanks', '# comment\n\n   src/index.ts   \n#src/util.ts\n  # indented comment'],
  ['negated hash is a pattern', '!#hash.txt\nodd/*'],
  ['one file', 'a.txt'],
  ['dot-slash file', './a.txt'],
  ['dot', '.'],
  ['dot-slash glob', './src/**/*.ts'],
  ['every odd name', 'odd/*'],
  ['escaped bracket', 'odd/[[]brackets].txt'],
  ['single-char class', 'odd/[b].txt\nsrc/[i]ndex.ts'],
  ['class', 'odd/[!a-z]*\n[ds]*/*.md'],
  ['braces are literal', 'odd/{braces}.txt'],
  ['hash and bang names', 'odd/#hash.txt\nodd/!bang.txt'],
  ['escaped wildcards', 'odd/a\\*b.txt\nodd/q\\?.txt'],
  ['extglob is literal', 'odd/+(ext).txt'],
  ['space and unicode', 'odd/space name.txt\nodd/ünï cödé.txt\nodd/日本.md'],
  ['question mark', 's?c/index.ts\n???.md'],
  ['hidden dir', '.hdir/**'],
  ['hidden anywhere', '**/.*'],
  ['hidden file', '.hidden.txt'],
  ['links', 'links/*'],
  ['below links', 'links/**'],
  ['through a dir link', 'links/dir-link/**'],
  ['a file link', 'links/file-link'],
  ['a broken link', 'links/broken'],
  ['a cycle', 'links/loop/**'],
  ['cycle to the parent', 'src/lib/**'],
  ['empty dir', 'empty\nempty/**'],
  ['missing paths', 'missing/**\nmissing.txt\nmissing/dir/'],
  ['matches nothing', 'nothing*.xyz\nsrc/*.nope'],
  ['nested search paths', 'src/lib/**\nsrc/**\nsrc/lib/deep/file.ts'],
  ['same search path twice', 'docs/api/ref.md\ndocs/**/*.md\ndocs/*.md'],
  ['directory by name', '**/deep\n*/*/deep/'],
  ['absolute', '<root>/docs/**\n<root>/src/*.ts'],
  ['absolute, doubled slashes', '<root>//docs///api/'],
  ['home', '~/docs/*.md\n~/src'],
  ['tilde alone', '~\n!~/links/**'],
  ['tilde without slash is relative', '~docs'],
  ['outside the cwd', '<scratch>/*'],
  ['not a directory', 'a.txt/x'],
  ['self-referencing link', '<scratch>/eloop/**'],
  ['empty negation', '!'],
  ['dot-dot', 'src/../a.txt'],
  ['inner dot', 'src/./index.ts'],
  ['negation with a space', '**/*.ts\n! src/**'],
  ['escapes inside a class', 'odd/[\\[]brackets].txt\nodd/[\\b].txt'],
  ['a class of two, alone in its segment', '[ds]ocs/guide.md\nsrc/[iu]*.ts'],
  ['an unclosed bracket', 'odd/[b.txt\nodd/[brackets'],
  ['an empty class', 'odd/[].txt'],
  ['a trailing backslash', 'odd/back\\\nb.js\\']
]

/** The options that a number's five lowest bits switch on. */
export function optionsOf(bits: number): GlobOptions {
  return {
    followSymbolicLinks: (bits & 1) > 0,
    implicitDescendants: (bits & 2) > 0,
    matchDirectories: (bits & 4) > 0,
    omitBrokenSymbolicLinks: (bits & 8) > 0,
    excludeHiddenFiles: (bits & 16) > 0
  }
}

/** Every combination of the five options. */
export const OPTION_SETS: GlobOptions[] = Array.from({ length: 32 }, (_, bits) => optionsOf(bits))

/** A dozen of them: every option off, every option on, and each one alone on and alone off. */
export const OPTION_BITS = [0, 31, 1, 2, 4, 8, 16, 30, 29, 27, 23, 15]

/** Backslash-escapes what POSIX glob syntax would otherwise read. */
export function escapeGlob(text: string): string {
  return text.replace(/[\\*?[]/g, '\\$&')
}

/** A scratch folder and, inside it, the tree, whose own name holds glob syntax. */
export interface Tree {
  scratch: string
  root: string
  /** A case's patterns with `<root>` and `<scratch>` filled in, escaped. */
  fill(template: string): string
  /** Puts the cwd and HOME back, and removes the scratch folder. */
  leave(): Promise<void>
}

/**
 * Builds the tree in a new scratch folder, with a self-referencing link beside it, and makes it
 * the cwd and HOME, where relative patterns and `~` start, until `leave`.
 */
export async function enterTree(prefix: string): Promise<Tree> {
  const cwdBefore = process.cwd()
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), prefix))
  const root = path.join(scratch, 'cw[d] *? {x}\\')
  for (const file of FILES) {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true })
    await fs.writeFile(path.join(root, file), file)
  }
  await fs.mkdir(path.join(root, 'links'))
  for (const [link, target] of LINKS) await fs.symlink(target, path.join(root, link))
  await fs.mkdir(path.join(root, 'empty'))
  await fs.mkdir(path.join(scratch, 'eloop'))
  await fs.symlink('self', path.join(scratch, 'eloop', 'self'))
  const fill = (template: string): string =>
    template.replaceAll('<root>', escapeGlob(root)).replaceAll('<scratch>', escapeGlob(scratch))
  process.chdir(root)
  vi.stubEnv('HOME', root)
  const leave = async (): Promise<void> => {
    process.chdir(cwdBefore)
    vi.unstubAllEnvs()
    await fs.rm(scratch, { recursive: true, force: true })
  }
  return { scratch, root, fill, leave }
}

/**
 * A value computed once per machine and kept in the temporary folder: `compute` runs when no
 * earlier run left a file for the same `inputs` (hashed with @actions/glob's version and Node's).
 * For the reference's answers, which never change while only our engine does.
 */
/** Changes when what an answer records changes, so that answers kept in another shape are made anew. */
const ANSWER_FORMAT = 2

export async function kept<T>(
  name: string,
  inputs: unknown,
  compute: () => Promise<T>
): Promise<T> {
  const { version } = JSON.parse(
    await fs.readFile(
      new URL('../../node_modules/@actions/glob/package.json', import.meta.url),
      'utf8'
    )
  ) as { version: string }
  const key = createHash('sha256')
    .update(JSON.stringify([inputs, FILES, LINKS, version, process.version, ANSWER_FORMAT]))
    .digest('hex')
    .slice(0, 16)
  const file = path.join(os.tmpdir(), `${name}-${key}.json`)
  const saved = await fs.readFile(file, 'utf8').catch(() => undefined)
  if (saved !== undefined) return JSON.parse(saved) as T
  const value = await compute()
  // Written whole, then renamed: a concurrent reader sees no file or the whole file.
  const partial = `${file}.${process.pid}`
  await fs.writeFile(partial, JSON.stringify(value))
  await fs.rename(partial, file)
  return value
}

/** What one glob produced: its files, search paths and debug lines, or what it threw. */
export type Outcome =
  | { files: string[]; searchPaths: string[]; debug: string[] }
  | { error: string; code: unknown; debug: string[] }

/**
 * The class name a comparison sees: @actions/glob refuses a pattern with node:assert's
 * AssertionError, our engine with the named PatternError; both stand for the same refusal.
 */
export function comparedName(name: string): string {
  return name === 'AssertionError' || name === 'PatternError' ? 'refused pattern' : name
}

/** What is compared of a thrown error: the class name, message and fs code. */
function failure(error: unknown, debug: string[]): Outcome {
  const { name, message, code } = error as NodeJS.ErrnoException
  // node:assert's own code goes with its class.
  const fsCode = code === 'ERR_ASSERTION' ? undefined : code
  return { error: `${comparedName(name)}: ${message}`, code: fsCode, debug }
}

/** Our engine's outcome, with the lines it reported through onDebug. */
export async function ours(patterns: string, options: GlobOptions): Promise<Outcome> {
  const debug: string[] = []
  try {
    const { files, searchPaths } = await glob(patterns, {
      ...options,
      onDebug: (line) => debug.push(line)
    })
    return { files, searchPaths, debug }
  } catch (error) {
    return failure(error, debug)
  }
}

/**
 * @actions/glob's outcome, its `::debug::` output captured instead of printed. Imported only
 * here, so that a test whose answers are kept on disk does not load it.
 */
export async function reference(patterns: string, options: GlobOptions): Promise<Outcome> {
  const { create } = await import('@actions/glob')
  let output = ''
  const write = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      output += String(chunk)
      return true
    })
  try {
    const globber = await create(patterns, options)
    const files = await globber.glob()
    return { files, searchPaths: globber.getSearchPaths(), debug: debugLines(output) }
  } catch (error) {
    return failure(error, debugLines(output))
  } finally {
    write.mockRestore()
  }
}

/**
 * The messages of `::debug::` commands, without the options block @actions/glob repeats when
 * glob() starts (our engine logs the options once).
 */
function debugLines(output: string): string[] {
  const lines = output
    .split(os.EOL)
    .filter(Boolean)
    .map((line) => line.replace(/^::debug::/, '').replace(/%0D|%0A|%25/g, decodeURIComponent))
  const repeated = lines.slice(5, 10).join('\n') === lines.slice(0, 5).join('\n')
  return repeated ? [...lines.slice(0, 5), ...lines.slice(10)] : lines
}

/** An outcome with every text passed through `map` (to make a tree's paths relative, say). */
export function mapOutcome(outcome: Outcome, map: (text: string) => string): Outcome {
  const debug = outcome.debug.map(map)
  if ('error' in outcome) return { error: map(outcome.error), code: outcome.code, debug }
  return { files: outcome.files.map(map), searchPaths: outcome.searchPaths.map(map), debug }
}
