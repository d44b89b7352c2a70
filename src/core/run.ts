// Stage core/: owns what every stage shares (errors, log, format, version, heap, engines, pool)
// and the run, this module: settings → files → listing → journeys → result, which every face
// calls; may import no stage folder, except this module, the top, which imports them all and
// which nothing in the core imports.
import { stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { CancelledError, ListFailedError, messageOf } from './errors.ts'
import { findFiles, type LocalFile } from './files/files.ts'
import { capitalized, formatDuration, plural } from './format.ts'
import { FilesClient, type RequestEvent } from './http/client.ts'
import type { Transport } from './http/transport.ts'
import { retrier, type RetryListener, type RetryPolicy } from './http/retry.ts'
import { loggerOf, type Logger } from './log.ts'
import {
  logDryRun,
  logOutcome,
  matchedClause,
  mismatchLine,
  noFilesFailure,
  noFilesMessage,
  retryLine,
  tally,
  unmatchedMessage,
  uploadHeading
} from './results/report.ts'
import { buildResult, type Ending, type UploadResult } from './results/result.ts'
import { projectName } from './results/words.ts'
import { isLiteral, type PatternLine } from './settings/patterns.ts'
import { inputError, nameOf, type Face, type Settings } from './settings/settings.ts'
import { settingHint } from './settings/words.ts'
import { listProject, type ProjectListing } from './transfer/listing.ts'
import { Progress, progressLine, type ProgressState } from './transfer/progress.ts'
import type { TransferOptions } from './transfer/journey.ts'
import type { Outcome } from './transfer/outcome.ts'
import { runWorkers } from './transfer/workers.ts'
import { USER_AGENT } from './version.ts'

/** Longest wait between retries, Retry-After included. */
const MAX_RETRY_DELAY_MS = 60_000

/** How a face runs the core: its hooks, the words it speaks, and how strict it is with paths. */
export interface RunHooks {
  /** Where log lines go, method by method; the ones left out are dropped. */
  log?: Partial<Logger> | undefined
  /** Called every `progressIntervalMs` while uploads run; by default a line goes to `log.info`. */
  onProgress?: ((progress: Readonly<ProgressState>) => void) | undefined
  /** Aborting it cancels the run: what is in flight is settled, the rest is not started. */
  signal?: AbortSignal | undefined
  /** Whose words the messages speak. */
  face: Face
  /**
   * What a pattern without wildcards that names no path is under `ifNoFilesFound: 'error'`: a bad
   * `files` value, as a shell's `cp` takes it (the CLI), or a warning, as for any pattern that
   * matched nothing (default). Under `warn` or `ignore` it is always what they say.
   */
  missingPath?: 'error' | 'warn' | undefined
  /**
   * @internal The calls to the API and to storage; by default the HTTP client this run makes.
   * Tests hand in an in-memory one. A run closes it when it is done.
   */
  transport?: Transport | undefined
}

/** The result of a run (see results/result.ts), which every face presents. */
export type { UploadResult } from './results/result.ts'

/** What a run was set up with: its settings, and the face's hooks with their defaults filled in. */
interface RunSetup {
  /** What the run was asked to do. */
  settings: Settings
  /** Where its lines go. */
  log: Logger
  /** Whose words its messages speak. */
  face: Face
  /** Cancels the run. */
  signal: AbortSignal
  /** Called while uploads run; undefined sends a progress line to the log. */
  onProgress: ((progress: Readonly<ProgressState>) => void) | undefined
  /** The transport handed in, if any (see RunHooks.transport). */
  transport: Transport | undefined
}

/** The core's one entry, for every face: the settings already read and checked. */
export async function runUpload(settings: Settings, hooks: RunHooks): Promise<UploadResult> {
  const log = loggerOf(hooks.log)
  if (settings.apiKey) log.mask(settings.apiKey)
  const run: RunSetup = {
    settings,
    log,
    face: hooks.face,
    signal: hooks.signal ?? new AbortController().signal,
    onProgress: hooks.onProgress,
    transport: hooks.transport
  }
  const { files, unmatched } = await findFiles(
    { ...settings, patterns: settings.files, face: run.face },
    log
  )
  if (hooks.missingPath === 'error' && settings.ifNoFilesFound === 'error')
    await refuseMissingPaths(run, unmatched)
  const ending = files.length ? await publish(run, files, unmatched) : noFiles(run)
  const result = buildResult({
    projectId: settings.projectId,
    namePrefix: settings.namePrefix,
    dryRun: settings.dryRun,
    files,
    // When nothing matched, every including pattern is named, as the message names them all.
    unmatched: (files.length ? unmatched : settings.files.filter((line) => !line.negate)).map(
      (line) => line.text
    ),
    ending
  })
  if (ending.how === 'dry-run') logDryRun(log, result, ending.listing !== undefined)
  return result
}

/** A pattern without wildcards that names nothing on disk is refused, as `cp` refuses it. */
async function refuseMissingPaths(run: RunSetup, unmatched: readonly PatternLine[]): Promise<void> {
  for (const line of unmatched.filter(isLiteral)) {
    const body = line.body.startsWith('~') ? os.homedir() + line.body.slice(1) : line.body
    await stat(path.resolve(run.settings.workspace, body)).catch(() => {
      throw inputError('files', `${line.text}: no such file or directory`, run.face)
    })
  }
}

/** A pattern that matched nothing while others matched: a warning, or a note under `ignore`. */
function warnUnmatched(run: RunSetup, line: PatternLine): void {
  const message = unmatchedMessage(run.settings, line, run.face)
  if (run.settings.ifNoFilesFound === 'ignore') run.log.info(message)
  else run.log.warning(message)
}

/**
 * Warns of the patterns that matched nothing, lists the project when asked to, then uploads (or
 * not, on a dry run); always closes the client.
 */
async function publish(
  run: RunSetup,
  files: LocalFile[],
  unmatched: readonly PatternLine[]
): Promise<Ending> {
  const { settings } = run
  for (const line of unmatched) warnUnmatched(run, line)
  const needsClient = !settings.dryRun || settings.skipExisting
  const client = needsClient ? createClient(run) : undefined
  try {
    let listing: ProjectListing | undefined
    try {
      listing = client && settings.skipExisting ? await fetchListing(run, client, files) : undefined
    } catch (error) {
      if (error instanceof CancelledError) return { how: 'cancelled-listing' }
      if (!(error instanceof ListFailedError)) throw error
      return { how: 'not-listed', error }
    }
    // Without a dry run there is always a client.
    if (settings.dryRun || !client) return { how: 'dry-run', listing }
    const outcomes = await transferFiles(run, client, files, listing)
    return { how: 'sent', outcomes, cancelled: run.signal.aborted }
  } finally {
    await client?.close()
  }
}

/** Nothing matched: an error, a warning or a note, as `if-no-files-found` says. */
function noFiles({ settings, log, face }: RunSetup): Ending {
  const message = noFilesMessage(settings, face)
  if (settings.ifNoFilesFound === 'warn') log.warning(message)
  if (settings.ifNoFilesFound === 'ignore') log.info(message)
  const failure = settings.ifNoFilesFound === 'error' ? noFilesFailure(message, face) : undefined
  return { how: 'no-match', failure }
}

/**
 * The run's transport: the one handed in, or the HTTP client, its secrets masked in the log, its
 * requests logged under debug.
 */
function createClient({ settings, log, transport }: RunSetup): Transport {
  if (transport) return transport
  return new FilesClient({
    baseUrl: settings.baseUrl,
    authKey: settings.apiKey,
    api: settings.api,
    // Each worker asks its next file's create while the file before it confirms: two API requests.
    connections: 2 * settings.concurrency,
    requestTimeoutMs: 1000 * settings.requestTimeout,
    userAgent: USER_AGENT,
    mask: (secret) => log.mask(secret),
    // Checked once: with debug off, 10,000 files would otherwise build 30,000 unseen lines.
    ...(log.isDebug() ? { onRequest: (event: RequestEvent) => logRequest(log, event) } : {})
  })
}

/** Logs each retry as a line starting with `prefix` (the file's path, or nothing for the listing). */
function logRetries({ settings, log }: RunSetup, prefix: string): RetryListener {
  return (error, attempt, delayMs) =>
    log.info(retryLine(prefix, messageOf(error), attempt, settings.retries, delayMs))
}

/** The settings' retries, with the longest wait between two. */
function retryPolicy(settings: Settings): RetryPolicy {
  return { retries: settings.retries, baseMs: settings.retryBaseMs, maxDelayMs: MAX_RETRY_DELAY_MS }
}

/** Lists the files already in the project (`skip-existing`); any failure stops the run before an upload. */
async function fetchListing(
  run: RunSetup,
  client: Transport,
  files: readonly LocalFile[]
): Promise<ProjectListing> {
  const { settings, log, signal } = run
  const started = performance.now()
  let listing: ProjectListing
  try {
    listing = await listProject({
      client,
      projectId: settings.projectId,
      concurrency: settings.concurrency,
      retry: retrier(retryPolicy(settings), signal, logRetries(run, '')),
      signal
    })
  } catch (error) {
    // A cancel is not a failed listing: the run ends as cancelled, as it does during uploads.
    if (error instanceof CancelledError) throw error
    const hint = settingHint(error, client.filesUrl, run.face)
    throw new ListFailedError(nameOf('skipExisting', run.face), error, hint)
  }
  const matched = files.filter((file) => listing.idOf(file) !== undefined).length
  log.info(
    `${capitalized(projectName(settings.projectId, 'project'))} holds ${plural(listing.count, 'uploaded file')} (listed in ${formatDuration(performance.now() - started)}); ` +
      matchedClause(matched, files.length)
  )
  return listing
}

/** Uploads in a log group, one line per file, with progress reports while it takes long. */
async function transferFiles(
  run: RunSetup,
  client: Transport,
  files: LocalFile[],
  listing: ProjectListing | undefined
): Promise<Outcome[]> {
  const { settings, log } = run
  const toSend = files.filter((file) => listing?.idOf(file) === undefined)
  const bytes = toSend.reduce((sum, file) => sum + file.size, 0)
  const report = run.onProgress ?? ((state) => log.info(progressLine(state)))
  const progress = new Progress({ bytes, files: files.length }, settings.progressIntervalMs, report)
  const ctx: TransferOptions = {
    client,
    projectId: settings.projectId,
    description: settings.description || undefined,
    policy: retryPolicy(settings),
    listing,
    downloadUrl: settings.downloadUrl,
    verify: settings.verify,
    onMismatch: (file, mismatch) => log.info(mismatchLine(file, mismatch)),
    face: run.face,
    onRetry: (file, ...retry) => logRetries(run, `${file.path}: `)(...retry),
    onSent: (sent) => progress.sent(sent)
  }
  const already = files.length - toSend.length
  const checking = settings.verify ? already : 0
  log.startGroup(uploadHeading(settings, toSend.length, bytes, checking, already))
  const started = performance.now()
  try {
    const outcomes = await runWorkers(ctx, files, settings.concurrency, run.signal, (outcome) => {
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

/** One debug line per request: its step, method, URL without the query, answer and time. */
function logRequest(log: Logger, event: RequestEvent): void {
  const answer = event.status ? `HTTP ${event.status}` : 'no answer'
  log.debug(
    `${event.step}: ${event.method} ${event.url} → ${answer} in ${formatDuration(event.ms)}`
  )
}
