import * as core from '@actions/core'
import { FilesClient, type RequestEvent } from './client.ts'
import { InputError, messageOf } from './errors.ts'
import { findFiles, type LocalFile } from './files.ts'
import { formatBytes, formatDuration } from './format.ts'
import { tuneHeap } from './heap.ts'
import { getInputs, Input, type Inputs } from './inputs.ts'
import { writeDryRunSummary, writeSummary } from './summary.ts'
import { uploadAll, type Outcome, type UploadContext } from './upload.ts'
import { USER_AGENT } from './version.ts'

/** Longest wait between retries, Retry-After included. */
const MAX_RETRY_DELAY_MS = 60_000
/** Failures listed in the step's error message; the rest are in the log and the summary. */
const MAX_LISTED_FAILURES = 20

/** The action: inputs → files → uploads → outputs and summary. The one place that fails the step. */
export async function run(): Promise<void> {
  tuneHeap()
  const cancel = new AbortController()
  const onSignal = (): void => cancel.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const inputs = getInputs()
    const files = await findFiles(inputs)
    if (files.length === 0) return reportNoFiles(inputs)
    if (inputs.dryRun) return await reportDryRun(inputs, files)
    const outcomes = await uploadEverything(inputs, files, cancel.signal)
    setOutputs(outcomes)
    await writeSummary(inputs.projectId, outcomes)
    failIfIncomplete(outcomes, cancel.signal.aborted)
  } catch (error) {
    if (!(error instanceof InputError))
      core.debug(error instanceof Error ? (error.stack ?? '') : '')
    core.setFailed(messageOf(error))
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** Uploads in a log group, one line per file, and always closes the connections. */
async function uploadEverything(
  inputs: Inputs,
  files: LocalFile[],
  signal: AbortSignal
): Promise<Outcome[]> {
  const client = new FilesClient({
    baseUrl: inputs.baseUrl,
    authKey: inputs.authKey,
    // Each worker's confirm overlaps its next create, so the API may see two requests per worker.
    connections: 2 * inputs.concurrency,
    requestTimeoutMs: inputs.requestTimeoutMs,
    userAgent: USER_AGENT,
    // Checked once: with debug off, 10,000 files would otherwise print 30,000 hidden lines.
    ...(core.isDebug() ? { onRequest: logRequest } : {})
  })
  const ctx: UploadContext = {
    client,
    projectId: inputs.projectId,
    description: inputs.description,
    policy: { retries: inputs.retries, baseMs: inputs.retryBaseMs, maxDelayMs: MAX_RETRY_DELAY_MS },
    onRetry: (file, error, attempt, delayMs) =>
      core.info(
        `  ↻ ${file.path}: ${messageOf(error)}; retry ${attempt} of ${inputs.retries} in ${formatDuration(delayMs)}`
      )
  }
  const total = formatBytes(files.reduce((sum, file) => sum + file.size, 0))
  core.startGroup(
    `Uploading ${files.length} files (${total}) to empirical.run project ${inputs.projectId}`
  )
  const started = performance.now()
  try {
    const outcomes = await uploadAll(ctx, files, inputs.concurrency, signal, logOutcome)
    const done = outcomes.filter((outcome) => outcome.ok).length
    core.info(
      `${done} of ${files.length} files uploaded in ${formatDuration(performance.now() - started)}`
    )
    return outcomes
  } finally {
    core.endGroup()
    await client.close()
  }
}

function logRequest(event: RequestEvent): void {
  const answer = event.status ? `HTTP ${event.status}` : 'no answer'
  core.debug(
    `${event.step}: ${event.method} ${event.url} → ${answer} in ${formatDuration(event.ms)}`
  )
}

function logOutcome(outcome: Outcome): void {
  const { file } = outcome
  if (outcome.ok) {
    core.info(
      `✓ ${file.path} → ${outcome.uploaded.id} (${formatBytes(file.size)}, ${formatDuration(outcome.durationMs)})`
    )
  } else {
    core.info(`✗ ${file.path}: ${outcome.error}`)
  }
}

/** Sets every output from the files that were confirmed; failures are listed too. */
function setOutputs(outcomes: readonly Outcome[]): void {
  const uploaded = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.uploaded] : []))
  core.setOutput('file-ids', JSON.stringify(uploaded.map((file) => file.id)))
  core.setOutput('files', JSON.stringify(uploaded))
  core.setOutput('file-id', uploaded.length === 1 ? String(uploaded[0]?.id) : '')
  core.setOutput('count', String(uploaded.length))
  core.setOutput(
    'failed-files',
    JSON.stringify(outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.file.path])))
  )
}

/** Fails the step when any file did not make it, naming each one. */
function failIfIncomplete(outcomes: readonly Outcome[], cancelled: boolean): void {
  const failed = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome]))
  if (!failed.length && !cancelled) return
  const lines = failed
    .slice(0, MAX_LISTED_FAILURES)
    .map((outcome) => `  ${outcome.file.path}: ${outcome.error}`)
  if (failed.length > MAX_LISTED_FAILURES)
    lines.push(`  … and ${failed.length - MAX_LISTED_FAILURES} more (see the log)`)
  const head = cancelled
    ? `Cancelled: ${outcomes.length - failed.length} of ${outcomes.length} files were uploaded before the run was stopped`
    : `${failed.length} of ${outcomes.length} files failed to upload`
  core.setFailed([`${head}:`, ...lines].join('\n'))
}

function reportNoFiles(inputs: Inputs): void {
  setOutputs([])
  const message = `No files were found with the provided patterns:\n${inputs.patterns}`
  if (inputs.ifNoFilesFound === 'error')
    core.setFailed(`${message}\n(set '${Input.IfNoFilesFound}' to warn or ignore to allow this)`)
  else if (inputs.ifNoFilesFound === 'warn') core.warning(message)
  else core.info(message)
}

async function reportDryRun(inputs: Inputs, files: LocalFile[]): Promise<void> {
  core.info(
    `Dry run: ${files.length} files would be uploaded to empirical.run project ${inputs.projectId}; no request is made.`
  )
  for (const file of files)
    core.info(`  ${file.name} (${formatBytes(file.size)}, ${file.mimeType})  ← ${file.path}`)
  setOutputs([])
  await writeDryRunSummary(inputs.projectId, files)
}
