import os from 'node:os'
import path from 'node:path'
import * as core from '@actions/core'
import { InputError, messageOf } from '../core/errors.ts'
import { tuneHeap } from '../core/heap.ts'
import type { Logger } from '../core/log.ts'
import { attestNotes, writeChecksums } from '../core/results/checksums.ts'
import { writeManifest } from '../core/results/manifest.ts'
import { runUpload, type UploadResult } from '../core/run.ts'
import { getInputs, maskSecret } from './inputs.ts'
import { setOutputs } from './outputs.ts'
import { writeSummary } from './summary.ts'

/** The action's log: `@actions/core`, so that groups fold, debug hides and secrets are masked. */
const ACTIONS_LOG: Logger = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  debug: (message) => core.debug(message),
  isDebug: () => core.isDebug(),
  startGroup: (heading) => core.startGroup(heading),
  endGroup: () => core.endGroup(),
  mask: (secret) => maskSecret(secret)
}

/** The action: inputs → the core's upload → outputs, manifest and summary. The one place that fails the step. */
export async function run(): Promise<void> {
  tuneHeap()
  const cancel = new AbortController()
  const onSignal = (): void => cancel.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const result = await runUpload(getInputs(), {
      face: 'action',
      log: ACTIONS_LOG,
      signal: cancel.signal
    })
    await report(result)
    if (result.failure !== undefined) core.setFailed(result.failure)
  } catch (error) {
    if (!(error instanceof InputError))
      core.debug(error instanceof Error ? (error.stack ?? '') : '')
    core.setFailed(messageOf(error))
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** Writes the manifest and the checksums file, then the outputs that point to them, then the job summary. */
async function report(result: UploadResult): Promise<void> {
  const manifestPath = await saveManifest(result)
  const checksums = await saveChecksums(result, manifestPath)
  setOutputs(result, manifestPath, checksums.path)
  await writeSummary(result, checksums.attestNotes)
}

/**
 * The checksums file beside the manifest, on a run that uploads (not a dry run, not a run that
 * matched nothing); nothing otherwise, for which the outputs and the summary have their own
 * defaults ('' and no notes). What would keep actions/attest from reading it is a line of the
 * log, and of the summary: a warning would reach every run, most of which never attest.
 */
async function saveChecksums(
  result: UploadResult,
  manifestPath: string
): Promise<{ path?: string; attestNotes?: string[] }> {
  const none = {}
  if (result.dryRun || !manifestPath || result.files.length === 0) return none
  let written: string
  try {
    written = await writeChecksums(result, path.dirname(manifestPath))
  } catch (error) {
    core.warning(
      `The checksums file could not be written: ${messageOf(error)}; the checksums output is empty`
    )
    return none
  }
  const notes = attestNotes(result)
  for (const note of notes) core.info(note)
  return { path: written, attestNotes: notes }
}

/**
 * The manifest's path under RUNNER_TEMP, or '' when it cannot be written there: a warning says
 * why, and that the checksums file, which goes beside it, is not written either.
 */
async function saveManifest(result: UploadResult): Promise<string> {
  const base = process.env.RUNNER_TEMP
  try {
    return await writeManifest(result, base)
  } catch (error) {
    const where = base ? `RUNNER_TEMP (${base})` : os.tmpdir()
    core.warning(
      `The manifest could not be written under ${where}: ${messageOf(error)}; the manifest and checksums outputs are empty`
    )
    return ''
  }
}
