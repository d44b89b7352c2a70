import { FilesClient, type RequestEvent } from './client.ts'
import { CancelledError, ListFailedError, messageOf, settingHint } from './errors.ts'
import { listExisting, type ExistingFiles } from './existing.ts'
import { findFiles, type LocalFile } from './files.ts'
import { formatBytes, formatDuration, plural } from './format.ts'
import { loggerOf, type Logger } from './log.ts'
import { buildManifest, type Manifest } from './manifest.ts'
import { Progress, progressLine, type ProgressState } from './progress.ts'
import { withRetry, type RetryPolicy } from './retry.ts'
import { Input, resolveSettings, type Settings, type UploadOptions } from './settings.ts'
import { countOutcomes, uploadAll, type Outcome, type UploadContext } from './upload.ts'
import { USER_AGENT } from './version.ts'

/** Longest wait between retries, Retry-After included. */
const MAX_RETRY_DELAY_MS = 60_000
/** Failures listed in the run's failure message; the rest are in the log. */
const MAX_LISTED_FAILURES = 20

/** What an upload reports to its caller while it runs, and how it is stopped. */
export interface UploadHooks {
  /** Where log lines go, method by method; the ones left out are dropped. */
  log?: Partial<Logger> | undefined
  /** Called every `progressIntervalMs` while uploads run; by default a line goes to `log.info`. */
  onProgress?: ((progress: Readonly<ProgressState>) => void) | undefined
  /** Aborting it cancels the run: what is in flight is settled, the rest is not started. */
  signal?: AbortSignal | undefined
}

/** The result of a run: the manifest's data, and whether the run did all it was asked to. */
export interface UploadResult extends Manifest {
  /**
   * Why the run did not do all it was asked to, naming each file that failed; undefined when it
   * did (every file is in the project, a dry run, or no match allowed by `ifNoFilesFound`).
   */
  failure: string | undefined
  /** True when the signal stopped the run before every file was done. */
  cancelled: boolean
}

/**
 * Finds the files the patterns name and puts each one into the project (create → PUT →
 * confirm), or on a dry run says what it would do. Rejects with InputError for a bad option,
 * before any request; every other failure is in the result, file by file.
 */
export async function uploadFiles(options: UploadOptions & UploadHooks): Promise<UploadResult> {
  const log = loggerOf(options.log)
  const settings = resolveSettings(options)
  if (settings.authKey) log.mask(settings.authKey)
  const signal = options.signal ?? new AbortController().signal
  const files = await findFiles(settings, log)
  if (files.length === 0) return noFiles(settings, log)
  const run: Run = { settings, log, signal, onProgress: options.onProgress }
  return publish(run, files)
}

/** One run's settings and hooks. */
interface Run {
  settings: Settings
  log: Logger
  signal: AbortSignal
  onProgress: UploadHooks['onProgress']
}

/** Lists the project when asked to, then uploads (or reports the dry run); always closes the client. */
async function publish(run: Run, files: LocalFile[]): Promise<UploadResult> {
  const { settings } = run
  const needsClient = !settings.dryRun || settings.skipExisting
  const client = needsClient ? createClient(run) : undefined
  try {
    let existing: ExistingFiles | undefined
    try {
      existing = client && settings.skipExisting ? await listProject(run, client, files) : undefined
    } catch (error) {
      if (error instanceof CancelledError) return cancelledWhileListing(settings, files)
      if (!(error instanceof ListFailedError)) throw error
      return notListed(settings, files, error)
    }
    // Without a dry run there is always a client.
    if (settings.dryRun || !client) return dryRun(run, files, existing)
    const outcomes = await uploadEverything(run, client, files, existing)
    const cancelled = run.signal.aborted
    return {
      ...manifestOf(settings, files, outcomes),
      failure: failureOf(outcomes, cancelled),
      cancelled
    }
  } finally {
    await client?.close()
  }
}

function manifestOf(
  settings: Settings,
  files: readonly LocalFile[],
  outcomes?: readonly Outcome[],
  existing?: ExistingFiles
): Manifest {
  const { projectId, namePrefix } = settings
  return buildManifest({
    projectId,
    namePrefix,
    files,
    existing,
    ...(outcomes ? { outcomes } : {})
  })
}

function createClient({ settings, log }: Run): FilesClient {
  return new FilesClient({
    baseUrl: settings.baseUrl,
    authKey: settings.authKey,
    // Each worker's confirm overlaps its next create, so the API may see two requests per worker.
    connections: 2 * settings.concurrency,
    requestTimeoutMs: settings.requestTimeoutMs,
    userAgent: USER_AGENT,
    mask: (secret) => log.mask(secret),
    // Checked once: with debug off, 10,000 files would otherwise build 30,000 unseen lines.
    ...(log.isDebug() ? { onRequest: (event: RequestEvent) => logRequest(log, event) } : {})
  })
}

function retryPolicy(settings: Settings): RetryPolicy {
  return { retries: settings.retries, baseMs: settings.retryBaseMs, maxDelayMs: MAX_RETRY_DELAY_MS }
}

/** Lists the files already in the project (`skip-existing`); any failure stops the run before an upload. */
async function listProject(
  run: Run,
  client: FilesClient,
  files: readonly LocalFile[]
): Promise<ExistingFiles> {
  const { settings, log, signal } = run
  const started = performance.now()
  const policy = retryPolicy(settings)
  let existing: ExistingFiles
  try {
    existing = await listExisting({
      client,
      projectId: settings.projectId,
      concurrency: settings.concurrency,
      retry: (operation) =>
        withRetry(operation, policy, signal, (error, attempt, delayMs) =>
          logRetry(log, '', error, attempt, settings.retries, delayMs)
        ),
      signal
    })
  } catch (error) {
    // A cancel is not a failed listing: the run ends as cancelled, as it does during uploads.
    if (error instanceof CancelledError) throw error
    throw new ListFailedError(error, settingHint(error, client.filesUrl))
  }
  const matched = files.filter((file) => existing.idOf(file) !== undefined).length
  log.info(
    `Project ${settings.projectId} holds ${plural(existing.count, 'uploaded file')} (listed in ${formatDuration(performance.now() - started)}); ` +
      `${matched} of ${plural(files.length, 'local file')} match one by name and size`
  )
  return existing
}

/** Uploads in a log group, one line per file, with progress reports while it takes long. */
async function uploadEverything(
  run: Run,
  client: FilesClient,
  files: LocalFile[],
  existing: ExistingFiles | undefined
): Promise<Outcome[]> {
  const { settings, log } = run
  const toSend = files.filter((file) => existing?.idOf(file) === undefined)
  const bytes = toSend.reduce((sum, file) => sum + file.size, 0)
  const report = run.onProgress ?? ((state) => log.info(progressLine(state)))
  const progress = new Progress({ bytes, files: files.length }, settings.progressIntervalMs, report)
  const ctx: UploadContext = {
    client,
    projectId: settings.projectId,
    description: settings.description,
    policy: retryPolicy(settings),
    existing,
    downloadUrl: settings.downloadUrl,
    onRetry: (file, error, attempt, delayMs) =>
      logRetry(log, `${file.path}: `, error, attempt, settings.retries, delayMs),
    onSent: (sent) => progress.sent(sent)
  }
  log.startGroup(uploadHeading(settings, toSend.length, bytes))
  const started = performance.now()
  try {
    const outcomes = await uploadAll(ctx, files, settings.concurrency, run.signal, (outcome) => {
      progress.fileDone()
      logOutcome(log, outcome, settings.namePrefix)
    })
    log.info(`Done in ${formatDuration(performance.now() - started)}: ${tally(outcomes)}`)
    return outcomes
  } finally {
    progress.stop()
    log.endGroup()
  }
}

function uploadHeading(settings: Settings, count: number, bytes: number): string {
  const prefix = settings.namePrefix ? `, names prefixed with '${settings.namePrefix}'` : ''
  return `Uploading ${plural(count, 'file')} (${formatBytes(bytes)}) to empirical.run project ${settings.projectId}${prefix}`
}

/** `3 of 5 files uploaded, 2 already in the project, 1 failed`, leaving out the zeros after the first. */
function tally(outcomes: readonly Outcome[]): string {
  const { uploaded, existing, failed } = countOutcomes(outcomes)
  const parts = [`${uploaded} of ${plural(outcomes.length, 'file')} uploaded`]
  if (existing) parts.push(`${existing} already in the project`)
  if (failed) parts.push(`${failed} failed`)
  return parts.join(', ')
}

/** `  ↻ a.txt: create failed: HTTP 503: …; retry 1 of 5 in 1.2 s` (no path for the listing). */
function logRetry(
  log: Logger,
  subject: string,
  error: unknown,
  attempt: number,
  retries: number,
  delayMs: number
): void {
  log.info(
    `  ↻ ${subject}${messageOf(error)}; retry ${attempt} of ${retries} in ${formatDuration(delayMs)}`
  )
}

function logRequest(log: Logger, event: RequestEvent): void {
  const answer = event.status ? `HTTP ${event.status}` : 'no answer'
  log.debug(
    `${event.step}: ${event.method} ${event.url} → ${answer} in ${formatDuration(event.ms)}`
  )
}

function logOutcome(log: Logger, outcome: Outcome, namePrefix: string): void {
  const { file } = outcome
  if (!outcome.ok) return log.info(`✗ ${file.path}: ${outcome.error}`)
  const { id } = outcome.uploaded
  const as = namePrefix ? ` as ${file.name}` : ''
  if (outcome.arrival === 'existing') {
    log.info(`= ${file.path} → ${id}${as} (already in the project)`)
  } else {
    const settled = outcome.arrival === 'settled' ? '; confirmed by reading the record back' : ''
    log.info(
      `✓ ${file.path} → ${id}${as} (${formatBytes(file.size)}, ${formatDuration(outcome.durationMs)}${settled})`
    )
  }
  if (outcome.urlError !== undefined)
    log.info(`✗ ${file.path} → ${id}: its download URL could not be read: ${outcome.urlError}`)
}

/** Every file as not uploaded, because the project could not be listed. */
function notListed(settings: Settings, files: LocalFile[], error: ListFailedError): UploadResult {
  if (settings.dryRun)
    return { ...manifestOf(settings, files), failure: error.message, cancelled: false }
  const outcomes: Outcome[] = files.map((file) => ({
    ok: false,
    file,
    error: "not uploaded: the project's files could not be listed",
    durationMs: 0
  }))
  return { ...manifestOf(settings, files, outcomes), failure: error.message, cancelled: false }
}

/** The run was cancelled while the project was listed (`skip-existing`): no file was started. */
function cancelledWhileListing(settings: Settings, files: LocalFile[]): UploadResult {
  if (settings.dryRun) {
    const failure = "Cancelled: the run was stopped while the project's files were being listed"
    return { ...manifestOf(settings, files), failure, cancelled: true }
  }
  const outcomes: Outcome[] = files.map((file) => ({
    ok: false,
    file,
    error: 'not uploaded: the run was cancelled',
    durationMs: 0
  }))
  return {
    ...manifestOf(settings, files, outcomes),
    failure: failureOf(outcomes, true),
    cancelled: true
  }
}

/** Names each file that did not make it, or lacks the download URL asked for; undefined when none. */
function failureOf(outcomes: readonly Outcome[], cancelled: boolean): string | undefined {
  const failed = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome]))
  const noUrl = outcomes.flatMap((outcome) =>
    outcome.ok && outcome.urlError !== undefined ? [outcome] : []
  )
  if (!failed.length && !noUrl.length && !cancelled) return undefined
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
  return [`${failureHead(outcomes, failed.length, noUrl.length, cancelled)}:`, ...listed].join('\n')
}

function failureHead(
  outcomes: readonly Outcome[],
  failed: number,
  noUrl: number,
  cancelled: boolean
): string {
  const total = plural(outcomes.length, 'file')
  if (cancelled)
    return `Cancelled: ${outcomes.length - failed} of ${total} were uploaded before the run was stopped`
  const heads = []
  if (failed) heads.push(`${failed} of ${total} failed to upload`)
  if (noUrl) heads.push(`${noUrl} of ${total} are uploaded without the download URL asked for`)
  return heads.join('; ')
}

/** Nothing matched: an error, a warning or a note, as `if-no-files-found` says. */
function noFiles(settings: Settings, log: Logger): UploadResult {
  const braces = /\{[^}]*,[^}]*\}/.test(settings.patterns)
    ? '\nBraces such as {a,b} are not expanded: list each pattern on its own line instead.'
    : ''
  const hidden =
    !settings.includeHiddenFiles && namesHidden(settings.patterns)
      ? `\nHidden files (a name or folder starting with '.') are left out: set '${Input.IncludeHiddenFiles}' to true to upload them.`
      : ''
  const message = `No files were found with the provided patterns:\n${settings.patterns}${braces}${hidden}`
  const empty = settings.dryRun ? manifestOf(settings, []) : manifestOf(settings, [], [])
  if (settings.ifNoFilesFound === 'error') {
    const failure = `${message}\n(set '${Input.IfNoFilesFound}' to warn or ignore to allow this)`
    return { ...empty, failure, cancelled: false }
  }
  if (settings.ifNoFilesFound === 'warn') log.warning(message)
  else log.info(message)
  return { ...empty, failure: undefined, cancelled: false }
}

/** True when a pattern that includes files names a hidden file or folder, such as `out/.env`. */
function namesHidden(patterns: string): boolean {
  return patterns
    .split('\n')
    .filter((line) => !line.startsWith('!'))
    .some((line) => line.split(/[\\/]/).some((segment) => /^\.[^./]/.test(segment)))
}

/** Says what would be uploaded, and what would be skipped as already there. */
function dryRun(run: Run, files: LocalFile[], existing: ExistingFiles | undefined): UploadResult {
  const { settings, log } = run
  const skipped = existing ? files.filter((file) => existing.idOf(file) !== undefined).length : 0
  const listed = existing ? 'the project was listed; nothing is uploaded' : 'no request is made'
  log.info(
    `Dry run: ${plural(files.length - skipped, 'file')} would be uploaded to empirical.run project ${settings.projectId}` +
      `${skipped ? ` and ${skipped} skipped as already there` : ''}; ${listed}.`
  )
  for (const file of files) {
    const id = existing?.idOf(file)
    if (id === undefined)
      log.info(`  ${file.name} (${formatBytes(file.size)}, ${file.mimeType})  ← ${file.path}`)
    else log.info(`= ${file.path} → ${id} (already in the project; would be skipped)`)
  }
  return {
    ...manifestOf(settings, files, undefined, existing),
    failure: undefined,
    cancelled: false
  }
}
