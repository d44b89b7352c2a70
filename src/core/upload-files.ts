import { stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { CancelledError, ListFailedError } from './errors.ts'
import { findFiles, type LocalFile } from './files/files.ts'
import { loggerOf, type Logger } from './log.ts'
import { keyOf, refuseUnknownOptions, requireFolder, workspaceOf } from './options.ts'
import { buildManifest, type Manifest } from './results/manifest.ts'
import { checkOutputPaths, writeOutputs } from './results/output-paths.ts'
import {
  failureOf,
  logDryRun,
  noFilesFailure,
  noFilesMessage,
  unmatchedMessage
} from './results/report.ts'
import { isLiteral, type PatternLine } from './settings/patterns.ts'
import { resolveSettings } from './settings/resolve.ts'
import {
  inputError,
  SETTING_KEYS,
  type Face,
  type SettingOptions,
  type Settings
} from './settings/settings.ts'
import { createClient, listProject, uploadEverything, type Run } from './steps.ts'
import type { ExistingFiles } from './transfer/listing.ts'
import type { ProgressState } from './transfer/progress.ts'
import type { Outcome } from './transfer/upload.ts'

/** What an upload is asked to do, as a program gives it: one option per setting, and where to start. */
export type UploadOptions = SettingOptions & {
  /**
   * The directory patterns start from and paths are relative to (default: the current directory);
   * a relative one is taken from the current directory.
   */
  cwd?: string | undefined
  /** Where to write the manifest's JSON once the run is done; relative to `cwd`. */
  manifest?: string | undefined
  /** Where to write the checksums file once the run is done; relative to `cwd`. Not on a dry run. */
  checksums?: string | undefined
  /** @internal First retry delay in milliseconds (default 1000). */
  retryBaseMs?: number | undefined
  /** @internal Milliseconds between progress reports (default 10000). */
  progressIntervalMs?: number | undefined
}

/** What an upload reports to its caller while it runs, and how it is stopped. */
export interface UploadHooks {
  /** Where log lines go, method by method; the ones left out are dropped. */
  log?: Partial<Logger> | undefined
  /** Called every `progressIntervalMs` while uploads run; by default a line goes to `log.info`. */
  onProgress?: ((progress: Readonly<ProgressState>) => void) | undefined
  /** Aborting it cancels the run: what is in flight is settled, the rest is not started. */
  signal?: AbortSignal | undefined
}

/** How a face runs the core: its hooks, the words it speaks, and how strict it is with paths. */
export interface RunHooks extends UploadHooks {
  /** Whose words the messages speak. */
  face: Face
  /**
   * What a pattern without wildcards that names no path is under `ifNoFilesFound: 'error'`: a bad
   * `files` value, as a shell's `cp` takes it (the CLI), or a warning, as for any pattern that
   * matched nothing (default). Under `warn` or `ignore` it is always what they say.
   */
  missingPath?: 'error' | 'warn' | undefined
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
  /** The including patterns that matched no file, as given (every one when nothing matched). */
  unmatchedPatterns: string[]
  /**
   * Records this run left in the project holding other bytes than their files (`verify` found
   * them and uploaded the file again); the API cannot delete them. They are in no other field.
   */
  badRecords: number[]
}

/** Every option uploadFiles knows; the compiler keeps it whole. */
const KNOWN_OPTIONS: Readonly<Record<Exclude<keyof (UploadOptions & UploadHooks), number>, true>> =
  {
    ...(Object.fromEntries(SETTING_KEYS.map((key) => [key, true])) as Record<
      keyof SettingOptions,
      true
    >),
    cwd: true,
    manifest: true,
    checksums: true,
    retryBaseMs: true,
    progressIntervalMs: true,
    log: true,
    onProgress: true,
    signal: true
  }

/**
 * The library: finds the files the patterns name and puts each one into the project (create →
 * PUT → confirm), or on a dry run says what it would do; then writes `manifest` and `checksums`
 * where asked. Rejects with InputError for a bad or unknown option, before any request; every
 * other failure is in the result, file by file.
 */
export async function uploadFiles(options: UploadOptions & UploadHooks): Promise<UploadResult> {
  refuseUnknownOptions(options, Object.keys(KNOWN_OPTIONS))
  const workspace = workspaceOf(options.cwd)
  const settings = resolveSettings(
    { ...options, apiKey: keyOf(options.apiKey, process.env) },
    {
      face: 'library',
      // Stryker disable next-line StringLiteral: readSetting tells only 'text' apart; any other source reads values
      source: 'value',
      workspace,
      retryBaseMs: options.retryBaseMs,
      progressIntervalMs: options.progressIntervalMs
    }
  )
  await requireFolder(workspace)
  await checkOutputPaths(options, settings, 'library')
  const result = await runUpload(settings, { ...options, face: 'library' })
  return writeOutputs(result, options, workspace)
}

/** The core's one entry, for every face: the settings already read and checked. */
export async function runUpload(settings: Settings, hooks: RunHooks): Promise<UploadResult> {
  const log = loggerOf(hooks.log)
  if (settings.apiKey) log.mask(settings.apiKey)
  const run: Run = {
    settings,
    log,
    face: hooks.face,
    signal: hooks.signal ?? new AbortController().signal,
    onProgress: hooks.onProgress
  }
  const { files, unmatched } = await findFiles(
    { ...settings, patterns: settings.files, face: run.face },
    log
  )
  if (hooks.missingPath === 'error' && settings.ifNoFilesFound === 'error')
    await refuseMissingPaths(run, unmatched)
  if (files.length === 0) return noFiles(run)
  for (const line of unmatched) warnUnmatched(run, line)
  const { badRecords, ...published } = await publish(run, files)
  return { ...published, unmatchedPatterns: unmatched.map((line) => line.text), badRecords }
}

type Published = Omit<UploadResult, 'unmatchedPatterns'>

/** A pattern without wildcards that names nothing on disk is refused, as `cp` refuses it. */
async function refuseMissingPaths(run: Run, unmatched: readonly PatternLine[]): Promise<void> {
  for (const line of unmatched.filter(isLiteral)) {
    const body = line.body.startsWith('~') ? os.homedir() + line.body.slice(1) : line.body
    const exists = await stat(path.resolve(run.settings.workspace, body)).then(
      () => true,
      // Stryker disable next-line ArrowFunction: undefined is as falsy as false here
      () => false
    )
    if (!exists) throw inputError('files', `${line.text}: no such file or directory`, run.face)
  }
}

/** A pattern that matched nothing while others matched: a warning, or a note under `ignore`. */
function warnUnmatched(run: Run, line: PatternLine): void {
  const message = unmatchedMessage(run.settings, line, run.face)
  if (run.settings.ifNoFilesFound === 'ignore') run.log.info(message)
  else run.log.warning(message)
}

/** Lists the project when asked to, then uploads (or reports the dry run); always closes the client. */
async function publish(run: Run, files: LocalFile[]): Promise<Published> {
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
      cancelled,
      badRecords: outcomes.flatMap((outcome) => outcome.badRecords ?? [])
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

/** Every file as not uploaded, because the project could not be listed. */
function notListed(settings: Settings, files: LocalFile[], error: ListFailedError): Published {
  if (settings.dryRun)
    return {
      ...manifestOf(settings, files),
      failure: error.message,
      cancelled: false,
      badRecords: []
    }
  const outcomes: Outcome[] = files.map((file) => ({
    ok: false,
    file,
    error: "not uploaded: the project's files could not be listed",
    durationMs: 0
  }))
  return {
    ...manifestOf(settings, files, outcomes),
    failure: error.message,
    cancelled: false,
    badRecords: []
  }
}

/** The run was cancelled while the project was listed (`skip-existing`): no file was started. */
function cancelledWhileListing(settings: Settings, files: LocalFile[]): Published {
  if (settings.dryRun) {
    const failure = "Cancelled: the run was stopped while the project's files were being listed"
    return { ...manifestOf(settings, files), failure, cancelled: true, badRecords: [] }
  }
  const outcomes: Outcome[] = files.map((file) => ({
    ok: false,
    file,
    error: 'not uploaded: the run was cancelled',
    cancelled: true,
    durationMs: 0
  }))
  return {
    ...manifestOf(settings, files, outcomes),
    failure: failureOf(outcomes, true),
    cancelled: true,
    badRecords: []
  }
}

/** Nothing matched: an error, a warning or a note, as `if-no-files-found` says. */
function noFiles(run: Run): UploadResult {
  const { settings, log, face } = run
  const message = noFilesMessage(settings, face)
  const empty = settings.dryRun ? manifestOf(settings, []) : manifestOf(settings, [], [])
  const unmatchedPatterns = settings.files.filter((line) => !line.negate).map((line) => line.text)
  const failure = settings.ifNoFilesFound === 'error' ? noFilesFailure(message, face) : undefined
  if (settings.ifNoFilesFound === 'warn') log.warning(message)
  if (settings.ifNoFilesFound === 'ignore') log.info(message)
  return { ...empty, failure, cancelled: false, unmatchedPatterns, badRecords: [] }
}

/** Says what would be uploaded, and what would be skipped as already there. */
function dryRun(run: Run, files: LocalFile[], existing: ExistingFiles | undefined): Published {
  logDryRun(run.log, run.settings, files, existing)
  return {
    ...manifestOf(run.settings, files, undefined, existing),
    failure: undefined,
    cancelled: false,
    badRecords: []
  }
}
