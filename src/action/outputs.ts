import * as core from '@actions/core'
import type { Outcome, UploadedFile } from '../core/upload.ts'

/** GitHub's documented limit for one output; past it, expressions that read it fail. */
export const MAX_OUTPUT_BYTES = 1_000_000

/** Sets every output from the outcomes; `[]` and empty when there are none (a dry run, no match). */
export function setOutputs(outcomes: readonly Outcome[], manifestPath: string): void {
  const inProject = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.uploaded] : []))
  const failed = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.file.path]))
  const single: UploadedFile | undefined = inProject.length === 1 ? inProject[0] : undefined
  setBounded('file-ids', JSON.stringify(inProject.map((file) => file.id)), manifestPath)
  setBounded('files', JSON.stringify(inProject), manifestPath)
  core.setOutput('file-id', single ? String(single.id) : '')
  core.setOutput('file-url', single?.url ?? '')
  core.setOutput('count', String(inProject.length))
  setBounded('failed-files', JSON.stringify(failed), manifestPath)
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
