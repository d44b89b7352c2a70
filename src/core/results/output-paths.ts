// The files a run writes where its caller says: the CLI's --manifest and --checksums, the library's
// manifest and checksums options. They are settings like any other, so a path that cannot be
// written is refused before any request; they are written once the run is done.
import { constants, type Stats } from 'node:fs'
import { open, stat, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { InputError, messageOf } from '../errors.ts'
import { nameOf, type Face, type Settings } from '../settings/settings.ts'
import { checksumsOf } from './checksums.ts'
import { manifestJson, type Manifest } from './manifest.ts'

/** Where a run writes its manifest and its checksums file: paths relative to the workspace. */
export interface OutputPaths {
  /** The manifest's JSON, as `--json` prints it. */
  manifest?: string | undefined
  /** The checksums file, as `sha256sum` writes it; refused on a dry run. */
  checksums?: string | undefined
}

type Output = keyof OutputPaths

/** In the order they are checked and written. */
const OUTPUTS: readonly Output[] = ['manifest', 'checksums']

/** The file to suggest in a folder given as an output, and what the failure calls it. */
const OUTPUT_FILE: Readonly<Record<Output, { name: string; what: string }>> = {
  manifest: { name: 'manifest.json', what: 'The manifest' },
  checksums: { name: 'checksums.txt', what: 'The checksums file' }
}

/** An InputError for an output, in the face's words: `--manifest: …`, or `Option 'manifest': …`. */
function outputError(output: Output, detail: string, face: Face): InputError {
  const message = face === 'library' ? `Option '${output}': ${detail}` : `--${output}: ${detail}`
  return new InputError({ setting: output, input: output, flag: output }, detail, message)
}

/** How a face names an output: `--manifest` on a command line, `manifest` in code. */
function outputName(output: Output, face: Face): string {
  return face === 'library' ? output : `--${output}`
}

/**
 * Refuses an output that cannot be written as asked, before any request: not a path, a folder,
 * a folder that does not exist, a file that cannot be opened for writing, a folder where no file
 * can be made, both at one path, or checksums on a dry run. Throws InputError naming the output;
 * leaves nothing behind.
 */
export async function checkOutputPaths(
  paths: OutputPaths,
  settings: Pick<Settings, 'dryRun' | 'workspace'>,
  face: Face
): Promise<void> {
  if (paths.checksums !== undefined && settings.dryRun) {
    const leaveOut = `${nameOf('dryRun', face)} or ${outputName('checksums', face)}`
    throw outputError(
      'checksums',
      `a dry run uploads nothing, so there is nothing to sum; leave out ${leaveOut}`,
      face
    )
  }
  for (const output of OUTPUTS) {
    const file: unknown = paths[output]
    if (file === undefined) continue
    const why = notAPath(output, file, face) ?? (await unwritable(output, file as string, settings))
    if (why !== undefined) throw outputError(output, why, face)
  }
  const { manifest, checksums } = paths
  if (manifest !== undefined && checksums !== undefined && samePath(manifest, checksums, settings))
    throw outputError(
      'checksums',
      `cannot write ${checksums}: ${outputName('manifest', face)} writes there; give each its own file`,
      face
    )
}

function samePath(a: string, b: string, settings: Pick<Settings, 'workspace'>): boolean {
  return path.resolve(settings.workspace, a) === path.resolve(settings.workspace, b)
}

/** Why a value is not a path to write to: not text, or empty. */
function notAPath(output: Output, file: unknown, face: Face): string | undefined {
  if (typeof file === 'string' && file !== '') return undefined
  const example = OUTPUT_FILE[output].name
  const such = face === 'library' ? `'${example}'` : `${outputName(output, face)} ${example}`
  return typeof file === 'string'
    ? `needs a path, such as ${such}`
    : `give a path as a string, such as ${such}`
}

/** Why `file` cannot be written, or undefined when it can. */
async function unwritable(
  output: Output,
  file: string,
  settings: Pick<Settings, 'workspace'>
): Promise<string | undefined> {
  const full = path.resolve(settings.workspace, file)
  const found = await stat(full).catch(() => undefined)
  // `reports/` names a folder even before there is one, and writing to it would make a file `reports`.
  if (found?.isDirectory() || /[/\\]$/.test(file))
    return `cannot write ${file}: it is a folder; name a file in it, such as ${path.join(file, OUTPUT_FILE[output].name)}`
  return found ? notRewritable(file, full, found) : notCreatable(file, full, path.dirname(full))
}

/**
 * A path that exists: a regular file that opens for writing, without being truncated; or a stream
 * such as /dev/stdout or a shell's `>(jq …)`, taken as it is: opening a pipe to probe it would
 * end the reader's input before the run writes.
 */
async function notRewritable(
  file: string,
  full: string,
  found: Stats
): Promise<string | undefined> {
  if (found.isFIFO() || found.isCharacterDevice()) return undefined
  if (!found.isFile()) return `cannot write ${file}: it is not a regular file, a pipe or a device`
  const refused = await tryOpen(full, constants.O_WRONLY)
  if (refused) return `cannot write ${file}: it cannot be opened for writing (${refused})`
  return undefined
}

/** A path that does not exist: its folder is there, and a file made in it is removed again. */
async function notCreatable(
  file: string,
  full: string,
  folder: string
): Promise<string | undefined> {
  const found = await stat(folder).catch((error: unknown) => codeOf(error))
  if (found === 'ENOENT') return `cannot write ${file}: its folder ${folder} does not exist`
  if (typeof found === 'string')
    return `cannot write ${file}: its folder ${folder} cannot be reached (${found})`
  if (!found.isDirectory()) return `cannot write ${file}: ${folder} is not a folder`
  const made = await tryOpen(full, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL)
  if (made) return `cannot write ${file}: no file can be made in its folder ${folder} (${made})`
  await unlink(full)
  return undefined
}

/** Opens and closes `file` with `flags`; the error's code, or undefined when it opened. */
async function tryOpen(file: string, flags: number): Promise<string | undefined> {
  try {
    const handle = await open(file, flags)
    await handle.close()
    return undefined
  } catch (error) {
    return codeOf(error)
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? messageOf(error)
}

/**
 * Writes the outputs asked for, once the run is done. One that cannot be written after all (the
 * disk filled, the path changed since the check) is added to the result's failure, as a file that
 * failed to upload is, so that the result itself is not lost.
 */
export async function writeOutputs<R extends Manifest & { failure: string | undefined }>(
  result: R,
  paths: OutputPaths,
  workspace: string
): Promise<R> {
  const failures = result.failure === undefined ? [] : [result.failure]
  for (const output of OUTPUTS) {
    const file = paths[output]
    if (file === undefined) continue
    const text = output === 'manifest' ? manifestJson(result) : checksumsOf(result)
    try {
      await writeFile(path.resolve(workspace, file), text)
    } catch (error) {
      failures.push(
        `${OUTPUT_FILE[output].what} could not be written to ${file}: ${messageOf(error)}`
      )
    }
  }
  return failures.length ? { ...result, failure: failures.join('\n') } : result
}
