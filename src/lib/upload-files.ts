// The library's entry: the options a program gives, checked, then the core's run, then the outputs.
import type { Logger } from '../core/log.ts'
import { checkOutputPaths, writeOutputs } from '../core/results/output-paths.ts'
import { runUpload, type UploadResult } from '../core/run.ts'
import { resolveSettings } from '../core/settings/resolve.ts'
import { SETTING_KEYS, type SettingOptions } from '../core/settings/settings.ts'
import type { ProgressState } from '../core/transfer/progress.ts'
import { keyOf, refuseUnknownOptions, requireFolder, workspaceOf } from './options.ts'

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

/**
 * What an upload reports to its caller while it runs, and how it is stopped: the hooks of the
 * core's run (RunHooks) that the library hands on.
 */
export interface UploadHooks {
  /** Where log lines go, method by method; the ones left out are dropped. */
  log?: Partial<Logger> | undefined
  /** Called every `progressIntervalMs` while uploads run; by default a line goes to `log.info`. */
  onProgress?: ((progress: Readonly<ProgressState>) => void) | undefined
  /** Aborting it cancels the run: what is in flight is settled, the rest is not started. */
  signal?: AbortSignal | undefined
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
