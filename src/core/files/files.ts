// Stage files/: owns finding the files: the glob walk, the hidden-file policy, names relative to
// the patterns' common root, sizes and MIME types; may import settings/, http/ and the core's
// shared modules.
import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { getSystemErrorMessage } from 'node:util'
import { changedSize, PatternError, unreadableFile } from '../errors.ts'
import { SILENT, type Logger } from '../log.ts'
import { mapLimit } from '../pool.ts'
import type { PatternLine } from '../settings/patterns.ts'
import { inputError, type Face } from '../settings/settings.ts'
import { glob } from './glob.ts'
import { mimeTypeOf } from './mime.ts'

/** The largest body one presigned PUT accepts (S3 and R2 single-part limit). */
export const MAX_FILE_BYTES = 5 * 1024 ** 3

/** One regular file to upload. */
export interface LocalFile {
  /** Absolute path on disk. */
  absolutePath: string
  /** Path relative to the workspace, with `/` separators. */
  path: string
  /** Name sent to the API: `name-prefix` and the path below the patterns' common root, with `/` separators. */
  name: string
  /** Size in bytes when listed. */
  size: number
  /** MIME type from the extension. */
  mimeType: string
}

/** What finding files needs to know. */
export interface FindOptions {
  /** The parsed pattern lines. */
  patterns: readonly PatternLine[]
  /** Include dot-files and files under dot-directories. */
  includeHiddenFiles: boolean
  /** The directory relative patterns start from. */
  workspace: string
  /** Prepended verbatim to every name (none by default). */
  namePrefix?: string
  /** Whose words an InputError speaks (default the library's). */
  face?: Face
}

/** What the patterns found. */
export interface FoundFiles {
  /** The regular files, named and typed, ordered by path. */
  files: LocalFile[]
  /** The including lines that no file in `files` came from, in their order. */
  unmatched: PatternLine[]
}

/** Expands the patterns into regular files, named and typed, ordered by path. */
export async function findFiles(
  options: FindOptions,
  log: Pick<Logger, 'debug'> = SILENT
): Promise<FoundFiles> {
  const face = options.face ?? 'library'
  const found = await withInputErrors(
    face,
    options.workspace,
    glob(options.patterns, {
      root: options.workspace,
      followSymbolicLinks: true,
      implicitDescendants: true,
      matchDirectories: false,
      omitBrokenSymbolicLinks: true,
      excludeHiddenFiles: !options.includeHiddenFiles,
      onDebug: (line) => log.debug(line)
    })
  )
  const sources = sourcesByPath(found.files, found.matchedBy)
  const matches = [...sources.keys()]
  const root = commonRoot(found.searchPaths, new Set(matches))
  const named = matches.map((absolutePath) => ({
    absolutePath,
    path: relativeName(options.workspace, absolutePath),
    name: relativeName(root, absolutePath)
  }))
  const visible = options.includeHiddenFiles ? named : named.filter((file) => !isHidden(file))
  const regular = await withInputErrors(
    face,
    options.workspace,
    statRegularFiles(visible, log, face)
  )
  const files = regular
    .map((file) => ({
      ...file,
      name: (options.namePrefix ?? '') + file.name,
      mimeType: mimeTypeOf(file.absolutePath)
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  const hit = new Set(files.flatMap((file) => sources.get(file.absolutePath) ?? []))
  const unmatched = options.patterns.filter((line, index) => !line.negate && !hit.has(index))
  return { files, unmatched }
}

/** Each matched path once, with the lines it came from. */
function sourcesByPath(
  files: readonly string[],
  matchedBy: readonly (readonly number[])[]
): Map<string, number[]> {
  const sources = new Map<string, number[]>()
  files.forEach((file, index) => {
    sources.set(file, [...(sources.get(file) ?? []), ...(matchedBy[index] ?? [])])
  })
  return sources
}

/**
 * Hidden means any segment of the path starting with `.`: below the workspace when the file is
 * inside it, else below the patterns' root. Glob prunes hidden directories; this catches the
 * segments it never visits, such as a pattern's own literal `.github/`.
 */
function isHidden(file: { path: string; name: string }): boolean {
  const relative = file.path.startsWith('../') ? file.name : file.path
  return relative.split('/').some((segment) => segment.startsWith('.'))
}

/**
 * Waits for the glob, or for the stats after it, turning a pattern the glob refuses, a symbolic
 * link that loops, or a folder that cannot be listed (found by either) into an InputError.
 */
async function withInputErrors<T>(face: Face, workspace: string, work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (error) {
    // The glob refuses `..` segments and a wildcard in the root, as @actions/glob does.
    if (error instanceof PatternError) throw inputError('files', error.message, face)
    const { code, syscall, path: folder } = error as NodeJS.ErrnoException
    if (code === 'ELOOP') {
      throw inputError(
        'files',
        `a symbolic link loops back on itself: ${(error as Error).message}`,
        face
      )
    }
    // The glob lists folders as @actions/glob does; Node's words for a refusal name no setting.
    if (syscall === 'scandir') {
      const { errno = 0 } = error as NodeJS.ErrnoException
      throw inputError(
        'files',
        `cannot read folder ${shownFolder(workspace, String(folder))}: ${getSystemErrorMessage(errno)} (${code})`,
        face
      )
    }
    throw error
  }
}

/** A folder below the workspace as a relative path; any other as the absolute path it is. */
function shownFolder(workspace: string, folder: string): string {
  const relative = relativeName(workspace, folder)
  const outside = relative === '' || relative === '..' || relative.startsWith('../')
  return outside || path.isAbsolute(relative) ? folder : relative
}

/** Stats at once: enough to keep the disk busy, few enough to stay under any open-file limit. */
const STAT_PARALLELISM = 32

/** Stats each match (following links), keeps regular files, and refuses any over the size limit. */
async function statRegularFiles<T extends { absolutePath: string }>(
  matches: readonly T[],
  log: Pick<Logger, 'debug'>,
  face: Face
): Promise<(T & { size: number })[]> {
  const sizes = await mapLimit(matches, { limit: STAT_PARALLELISM }, (match) =>
    regularFileSize(match.absolutePath, log, face)
  )
  return matches.flatMap((match, index) => {
    const size = sizes[index]
    return size === undefined ? [] : [{ ...match, size }]
  })
}

/** The size of a regular file (after links); undefined for anything else; an error past 5 GiB. */
async function regularFileSize(
  absolutePath: string,
  log: Pick<Logger, 'debug'>,
  face: Face
): Promise<number | undefined> {
  const stats = await fs.stat(absolutePath)
  if (!stats.isFile()) {
    log.debug(`Skipping ${absolutePath}: not a regular file`)
    return undefined
  }
  if (stats.size > MAX_FILE_BYTES) {
    throw inputError(
      'files',
      `${absolutePath} is ${stats.size} bytes; one upload takes at most 5 GiB (${MAX_FILE_BYTES} bytes)`,
      face
    )
  }
  return stats.size
}

/**
 * The deepest directory common to the search paths. A search path that is itself a matched file
 * (a pattern naming one file) contributes its directory, so a lone file is named by its base name.
 */
export function commonRoot(
  searchPaths: readonly string[],
  files: ReadonlySet<string>,
  p: path.PlatformPath = path
): string {
  const dirs = searchPaths.map((searchPath) =>
    files.has(searchPath) ? p.dirname(searchPath) : searchPath
  )
  const [first, ...others] = dirs
  if (first === undefined) return ''
  let common = splitPath(first, p)
  for (const dir of others) {
    const segments = splitPath(dir, p)
    let same = 0
    while (
      same < common.length &&
      same < segments.length &&
      sameSegment(common[same], segments[same], p)
    ) {
      same++
    }
    common = common.slice(0, same)
  }
  return joinPath(common, p)
}

/** `file` relative to `root`, with `/` separators on every OS. */
export function relativeName(root: string, file: string, p: path.PlatformPath = path): string {
  return p.relative(root, file).split(p.sep).join('/')
}

/** Bytes read at a time when hashing a file on disk. */
const HASH_CHUNK_BYTES = 256 * 1024

/**
 * Hex sha256 of the file on disk, which must still be the size it was listed with. It reads into
 * one buffer, reused for every chunk: a stream's fresh buffer per chunk lives outside the heap, so
 * V8 collects none of them until tens of MB have piled up (a 1 GiB file took 60 MB above a dry run).
 */
export async function hashFile(file: Pick<LocalFile, 'absolutePath' | 'size'>): Promise<string> {
  const hash = createHash('sha256')
  let size = 0
  try {
    const handle = await fs.open(file.absolutePath, 'r')
    try {
      const buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES)
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null)
        if (bytesRead === 0) break
        size += bytesRead
        hash.update(buffer.subarray(0, bytesRead))
      }
    } finally {
      await handle.close()
    }
  } catch (error) {
    throw unreadableFile(error, 'after it was listed')
  }
  if (size !== file.size) {
    throw changedSize(file.size, size, 'after it was listed')
  }
  return hash.digest('hex')
}

export { mimeTypeOf } from './mime.ts'

function splitPath(value: string, p: path.PlatformPath): string[] {
  const { root } = p.parse(p.resolve(value))
  const rest = p.resolve(value).slice(root.length)
  // Only a root has an empty rest: its one '' segment joins back to the root.
  return [root, ...rest.split(p.sep)]
}

function joinPath(segments: readonly string[], p: path.PlatformPath): string {
  const [root = '', ...rest] = segments
  return rest.length ? p.join(root, ...rest) : root
}

/** Windows paths compare without regard to case; POSIX paths exactly. */
function sameSegment(a: string | undefined, b: string | undefined, p: path.PlatformPath): boolean {
  return p === path.win32 ? a?.toLowerCase() === b?.toLowerCase() : a === b
}
