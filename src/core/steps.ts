import { CancelledError, ListFailedError, messageOf } from './errors.ts'
import type { LocalFile } from './files/files.ts'
import { formatDuration, plural } from './format.ts'
import { FilesClient, type RequestEvent } from './http/client.ts'
import { retrier, type RetryListener, type RetryPolicy } from './http/retry.ts'
import type { Logger } from './log.ts'
import {
  logOutcome,
  matchedClause,
  mismatchLine,
  retryLine,
  tally,
  uploadHeading
} from './results/report.ts'
import { nameOf, type Face, type Settings } from './settings/settings.ts'
import { settingHint } from './settings/words.ts'
import { listExisting, type ExistingFiles } from './transfer/listing.ts'
import { Progress, progressLine, type ProgressState } from './transfer/progress.ts'
import { uploadAll } from './transfer/upload-pool.ts'
import type { Outcome, UploadContext } from './transfer/upload.ts'
import { USER_AGENT } from './version.ts'

// The steps of a run that reach the network: the client, the listing of the project, and the
// uploads, each with its log lines and progress.

/** Longest wait between retries, Retry-After included. */
const MAX_RETRY_DELAY_MS = 60_000

/** One run's settings and hooks. */
export interface Run {
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
}

/** The one HTTP client of a run, its secrets masked in the log, its requests logged under debug. */
export function createClient({ settings, log }: Run): FilesClient {
  return new FilesClient({
    baseUrl: settings.baseUrl,
    authKey: settings.apiKey,
    // Each worker's confirm overlaps its next create, so the API may see two requests per worker.
    connections: 2 * settings.concurrency,
    requestTimeoutMs: 1000 * settings.requestTimeout,
    userAgent: USER_AGENT,
    mask: (secret) => log.mask(secret),
    // Checked once: with debug off, 10,000 files would otherwise build 30,000 unseen lines.
    ...(log.isDebug() ? { onRequest: (event: RequestEvent) => logRequest(log, event) } : {})
  })
}

/** Logs each retry as a line starting with `prefix` (the file's path, or nothing for the listing). */
function logRetries({ settings, log }: Run, prefix: string): RetryListener {
  return (error, attempt, delayMs) =>
    log.info(retryLine(prefix, messageOf(error), attempt, settings.retries, delayMs))
}

/** The settings' retries, with the longest wait between two. */
function retryPolicy(settings: Settings): RetryPolicy {
  return { retries: settings.retries, baseMs: settings.retryBaseMs, maxDelayMs: MAX_RETRY_DELAY_MS }
}

/** Lists the files already in the project (`skip-existing`); any failure stops the run before an upload. */
export async function listProject(
  run: Run,
  client: FilesClient,
  files: readonly LocalFile[]
): Promise<ExistingFiles> {
  const { settings, log, signal } = run
  const started = performance.now()
  let existing: ExistingFiles
  try {
    existing = await listExisting({
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
  const matched = files.filter((file) => existing.idOf(file) !== undefined).length
  log.info(
    `Project ${settings.projectId} holds ${plural(existing.count, 'uploaded file')} (listed in ${formatDuration(performance.now() - started)}); ` +
      matchedClause(matched, files.length)
  )
  return existing
}

/** Uploads in a log group, one line per file, with progress reports while it takes long. */
export async function uploadEverything(
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
    description: settings.description || undefined,
    policy: retryPolicy(settings),
    existing,
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

/** One debug line per request: its step, method, URL without the query, answer and time. */
function logRequest(log: Logger, event: RequestEvent): void {
  const answer = event.status ? `HTTP ${event.status}` : 'no answer'
  log.debug(
    `${event.step}: ${event.method} ${event.url} → ${answer} in ${formatDuration(event.ms)}`
  )
}
