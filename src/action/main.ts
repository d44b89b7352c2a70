import * as core from '@actions/core'
import { FilesClient, type RequestEvent } from '../core/client.ts'
import { InputError, isAuthFailure, ListFailedError, messageOf } from '../core/errors.ts'
import { listExisting, type ExistingFiles } from '../core/existing.ts'
import { findFiles, type LocalFile } from '../core/files.ts'
import { formatBytes, formatDuration } from '../core/format.ts'
import { tuneHeap } from '../core/heap.ts'
import { getInputs, Input, type Inputs } from './inputs.ts'
import { buildManifest, writeManifest, type ManifestSource } from '../core/manifest.ts'
import { setOutputs } from './outputs.ts'
import { Progress } from '../core/progress.ts'
import { withRetry, type RetryPolicy } from '../core/retry.ts'
import { writeDryRunSummary, writeSummary } from './summary.ts'
import { countOutcomes, uploadAll, type Outcome, type UploadContext } from '../core/upload.ts'
import { USER_AGENT } from '../core/version.ts'

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
    if (files.length === 0) return await reportNoFiles(inputs)
    await publish(inputs, files, cancel.signal)
  } catch (error) {
    if (!(error instanceof InputError || error instanceof ListFailedError))
      core.debug(error instanceof Error ? (error.stack ?? '') : '')
    core.setFailed(messageOf(error))
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** Lists the project when asked to, then uploads (or reports the dry run); always closes the client. */
async function publish(inputs: Inputs, files: LocalFile[], signal: AbortSignal): Promise<void> {
  const needsClient = !inputs.dryRun || inputs.skipExisting
  const client = needsClient ? createClient(inputs) : undefined
  try {
    const existing =
      client && inputs.skipExisting ? await listProject(inputs, client, files, signal) : undefined
    // Without a dry run there is always a client.
    if (inputs.dryRun || !client) return await reportDryRun(inputs, files, existing)
    const outcomes = await uploadEverything(inputs, client, files, existing, signal)
    await report({ projectId: inputs.projectId, namePrefix: inputs.namePrefix, files, outcomes })
    failIfIncomplete(outcomes, signal.aborted)
  } catch (error) {
    // Nothing was uploaded: the outputs, the manifest and the summary still say so, file by file.
    if (error instanceof ListFailedError && !inputs.dryRun) await reportNotListed(inputs, files)
    throw error
  } finally {
    await client?.close()
  }
}

function createClient(inputs: Inputs): FilesClient {
  return new FilesClient({
    baseUrl: inputs.baseUrl,
    authKey: inputs.authKey,
    // Each worker's confirm overlaps its next create, so the API may see two requests per worker.
    connections: 2 * inputs.concurrency,
    requestTimeoutMs: inputs.requestTimeoutMs,
    userAgent: USER_AGENT,
    mask: (secret) => core.setSecret(secret),
    // Checked once: with debug off, 10,000 files would otherwise print 30,000 hidden lines.
    ...(core.isDebug() ? { onRequest: logRequest } : {})
  })
}

function retryPolicy(inputs: Inputs): RetryPolicy {
  return { retries: inputs.retries, baseMs: inputs.retryBaseMs, maxDelayMs: MAX_RETRY_DELAY_MS }
}

/** Lists the files already in the project (`skip-existing`); any failure stops the run before an upload. */
async function listProject(
  inputs: Inputs,
  client: FilesClient,
  files: readonly LocalFile[],
  signal: AbortSignal
): Promise<ExistingFiles> {
  const started = performance.now()
  const policy = retryPolicy(inputs)
  let existing: ExistingFiles
  try {
    existing = await listExisting({
      client,
      projectId: inputs.projectId,
      concurrency: inputs.concurrency,
      retry: (operation) =>
        withRetry(operation, policy, signal, (error, attempt, delayMs) =>
          logRetry('', error, attempt, inputs.retries, delayMs)
        ),
      signal
    })
  } catch (error) {
    throw new ListFailedError(error, isAuthFailure(error))
  }
  const matched = files.filter((file) => existing.idOf(file) !== undefined).length
  core.info(
    `Project ${inputs.projectId} holds ${existing.count} uploaded files (listed in ${formatDuration(performance.now() - started)}); ` +
      `${matched} of ${files.length} local files match one by name and size`
  )
  return existing
}

/** Uploads in a log group, one line per file, with a progress line while it takes long. */
async function uploadEverything(
  inputs: Inputs,
  client: FilesClient,
  files: LocalFile[],
  existing: ExistingFiles | undefined,
  signal: AbortSignal
): Promise<Outcome[]> {
  const toSend = files.filter((file) => existing?.idOf(file) === undefined)
  const bytes = toSend.reduce((sum, file) => sum + file.size, 0)
  const progress = new Progress(
    { bytes, files: files.length },
    inputs.progressIntervalMs,
    core.info
  )
  const ctx: UploadContext = {
    client,
    projectId: inputs.projectId,
    description: inputs.description,
    policy: retryPolicy(inputs),
    existing,
    downloadUrl: inputs.downloadUrl,
    onRetry: (file, error, attempt, delayMs) =>
      logRetry(`${file.path}: `, error, attempt, inputs.retries, delayMs),
    onSent: (sent) => progress.sent(sent)
  }
  core.startGroup(uploadHeading(inputs, toSend.length, bytes))
  const started = performance.now()
  try {
    const outcomes = await uploadAll(ctx, files, inputs.concurrency, signal, (outcome) => {
      progress.fileDone()
      logOutcome(outcome, inputs.namePrefix)
    })
    core.info(`Done in ${formatDuration(performance.now() - started)}: ${tally(outcomes)}`)
    return outcomes
  } finally {
    progress.stop()
    core.endGroup()
  }
}

function uploadHeading(inputs: Inputs, count: number, bytes: number): string {
  const prefix = inputs.namePrefix ? `, names prefixed with '${inputs.namePrefix}'` : ''
  return `Uploading ${count} files (${formatBytes(bytes)}) to empirical.run project ${inputs.projectId}${prefix}`
}

/** `3 of 5 files uploaded, 2 already in the project, 1 failed`, leaving out the zeros after the first. */
function tally(outcomes: readonly Outcome[]): string {
  const { uploaded, existing, failed } = countOutcomes(outcomes)
  const parts = [`${uploaded} of ${outcomes.length} files uploaded`]
  if (existing) parts.push(`${existing} already in the project`)
  if (failed) parts.push(`${failed} failed`)
  return parts.join(', ')
}

/** `  ↻ a.txt: create failed: HTTP 503: …; retry 1 of 5 in 1.2 s` (no path for the listing). */
function logRetry(
  subject: string,
  error: unknown,
  attempt: number,
  retries: number,
  delayMs: number
): void {
  core.info(
    `  ↻ ${subject}${messageOf(error)}; retry ${attempt} of ${retries} in ${formatDuration(delayMs)}`
  )
}

function logRequest(event: RequestEvent): void {
  const answer = event.status ? `HTTP ${event.status}` : 'no answer'
  core.debug(
    `${event.step}: ${event.method} ${event.url} → ${answer} in ${formatDuration(event.ms)}`
  )
}

function logOutcome(outcome: Outcome, namePrefix: string): void {
  const { file } = outcome
  if (!outcome.ok) return core.info(`✗ ${file.path}: ${outcome.error}`)
  const { id } = outcome.uploaded
  const as = namePrefix ? ` as ${file.name}` : ''
  if (outcome.arrival === 'existing') {
    core.info(`= ${file.path} → ${id}${as} (already in the project)`)
  } else {
    const settled = outcome.arrival === 'settled' ? '; confirmed by reading the record back' : ''
    core.info(
      `✓ ${file.path} → ${id}${as} (${formatBytes(file.size)}, ${formatDuration(outcome.durationMs)}${settled})`
    )
  }
  if (outcome.urlError !== undefined)
    core.info(`✗ ${file.path} → ${id}: its download URL could not be read: ${outcome.urlError}`)
}

/** Writes the manifest, then the outputs that point to it, then the job summary. */
async function report(source: ManifestSource & { outcomes: readonly Outcome[] }): Promise<void> {
  const manifestPath = await saveManifest(source)
  setOutputs(source.outcomes, manifestPath)
  await writeSummary(source.projectId, source.outcomes)
}

/** The manifest's path, or '' (with a warning) when it cannot be written. */
async function saveManifest(source: ManifestSource): Promise<string> {
  try {
    return await writeManifest(buildManifest(source))
  } catch (error) {
    core.warning(`The manifest could not be written: ${messageOf(error)}`)
    return ''
  }
}

/** Every file as not uploaded, because the project could not be listed. */
async function reportNotListed(inputs: Inputs, files: readonly LocalFile[]): Promise<void> {
  const outcomes: Outcome[] = files.map((file) => ({
    ok: false,
    file,
    error: "not uploaded: the project's files could not be listed",
    durationMs: 0
  }))
  await report({ projectId: inputs.projectId, namePrefix: inputs.namePrefix, files, outcomes })
}

/** Fails the step when any file did not make it, or lacks the download URL asked for, naming each one. */
function failIfIncomplete(outcomes: readonly Outcome[], cancelled: boolean): void {
  const failed = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome]))
  const noUrl = outcomes.flatMap((outcome) =>
    outcome.ok && outcome.urlError !== undefined ? [outcome] : []
  )
  if (!failed.length && !noUrl.length && !cancelled) return
  const lines = [
    ...failed.map((outcome) => `  ${outcome.file.path}: ${outcome.error}`),
    ...noUrl.map(
      (outcome) =>
        `  ${outcome.file.path}: uploaded as ${outcome.uploaded.id}, but its download URL could not be read: ${outcome.urlError}`
    )
  ]
  const listed = lines.slice(0, MAX_LISTED_FAILURES)
  if (lines.length > MAX_LISTED_FAILURES)
    listed.push(`  … and ${lines.length - MAX_LISTED_FAILURES} more (see the log)`)
  core.setFailed(
    [`${failureHead(outcomes, failed.length, noUrl.length, cancelled)}:`, ...listed].join('\n')
  )
}

function failureHead(
  outcomes: readonly Outcome[],
  failed: number,
  noUrl: number,
  cancelled: boolean
): string {
  if (cancelled)
    return `Cancelled: ${outcomes.length - failed} of ${outcomes.length} files were uploaded before the run was stopped`
  const heads = []
  if (failed) heads.push(`${failed} of ${outcomes.length} files failed to upload`)
  if (noUrl)
    heads.push(
      `${noUrl} of ${outcomes.length} files are uploaded without the download URL asked for`
    )
  return heads.join('; ')
}

async function reportNoFiles(inputs: Inputs): Promise<void> {
  // An empty manifest too, so that a later step can read it whatever matched.
  const { projectId, namePrefix, dryRun } = inputs
  const source = { projectId, namePrefix, files: [], ...(dryRun ? {} : { outcomes: [] }) }
  setOutputs([], await saveManifest(source))
  const braces = /\{[^}]*,[^}]*\}/.test(inputs.patterns)
    ? '\nBraces such as {a,b} are not expanded: list each pattern on its own line instead.'
    : ''
  const message = `No files were found with the provided patterns:\n${inputs.patterns}${braces}`
  if (inputs.ifNoFilesFound === 'error')
    core.setFailed(`${message}\n(set '${Input.IfNoFilesFound}' to warn or ignore to allow this)`)
  else if (inputs.ifNoFilesFound === 'warn') core.warning(message)
  else core.info(message)
}

async function reportDryRun(
  inputs: Inputs,
  files: LocalFile[],
  existing: ExistingFiles | undefined
): Promise<void> {
  const skipped = existing ? files.filter((file) => existing.idOf(file) !== undefined).length : 0
  const listed = existing ? 'the project was listed; nothing is uploaded' : 'no request is made'
  core.info(
    `Dry run: ${files.length - skipped} files would be uploaded to empirical.run project ${inputs.projectId}` +
      `${skipped ? ` and ${skipped} skipped as already there` : ''}; ${listed}.`
  )
  for (const file of files) {
    const id = existing?.idOf(file)
    if (id === undefined)
      core.info(`  ${file.name} (${formatBytes(file.size)}, ${file.mimeType})  ← ${file.path}`)
    else core.info(`= ${file.path} → ${id} (already in the project; would be skipped)`)
  }
  const manifestPath = await saveManifest({
    projectId: inputs.projectId,
    namePrefix: inputs.namePrefix,
    files,
    existing
  })
  setOutputs([], manifestPath)
  await writeDryRunSummary(inputs.projectId, files, existing)
}
