import * as core from '@actions/core'
import {
  fileJson,
  type Manifest,
  type ManifestEntry,
  type ManifestJsonEntry
} from '../core/results/manifest.ts'

/** GitHub's documented limit for one output; past it, expressions that read it fail. */
export const MAX_OUTPUT_BYTES = 1_000_000

/** Sets every output from a run's manifest; `[]` and empty when nothing was done (a dry run, no match). */
export function setOutputs(manifest: Manifest, manifestPath: string, checksumsPath = ''): void {
  const entries = manifest.dryRun ? [] : manifest.files
  const inProject = entries.flatMap(uploadedFile)
  const failed = entries.flatMap((entry) => (entry.id === undefined ? [entry.path] : []))
  const single: OutputFile | undefined = inProject.length === 1 ? inProject[0] : undefined
  setBounded('file-ids', JSON.stringify(inProject.map((file) => file.id)), manifestPath)
  setBounded('files', JSON.stringify(inProject), manifestPath)
  core.setOutput('file-id', single ? String(single.id) : '')
  core.setOutput('file-url', single?.url ?? '')
  core.setOutput('file-sha256', single?.sha256 ?? '')
  core.setOutput('count', String(inProject.length))
  setBounded('failed-files', JSON.stringify(failed), manifestPath)
  core.setOutput('checksums', checksumsPath)
  core.setOutput('manifest', manifestPath)
}

/** Sets an output unless it is over GitHub's limit; then it is left empty, with a warning. */
function setBounded(name: string, value: string, manifestPath: string): void {
  const bytes = Buffer.byteLength(value)
  if (bytes <= MAX_OUTPUT_BYTES) return core.setOutput(name, value)
  core.setOutput(name, '')
  const where = manifestPath
    ? `read the full result from the manifest: ${manifestPath}`
    : 'the manifest could not be written either'
  core.warning(
    `Output '${name}' is left empty: it would be ${bytes.toLocaleString('en-US')} bytes, over ` +
      `GitHub's limit of ${MAX_OUTPUT_BYTES.toLocaleString('en-US')} bytes per output; ${where}`
  )
}

/**
 * One entry of the `files` output: a file in the project, as the manifest's JSON has it, with
 * `sha256` and `existing` always there and no `error`.
 */
type OutputFile = Omit<ManifestJsonEntry, 'error'> &
  Required<Pick<ManifestJsonEntry, 'id' | 'sha256' | 'existing'>>

/**
 * The `files` output's entry for a file that is in the project; none for a failed one. Its order
 * (ID first) is not the manifest's: each is a contract of its own.
 */
function uploadedFile(entry: ManifestEntry): OutputFile[] {
  if (entry.id === undefined) return []
  const { name, path, size_bytes, mime_type, url } = fileJson(entry)
  const file: OutputFile = {
    id: entry.id,
    name,
    path,
    size_bytes,
    mime_type,
    sha256: entry.sha256 ?? '',
    existing: entry.existing === true
  }
  if (url !== undefined) file.url = url
  return [file]
}
