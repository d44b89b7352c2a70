/**
 * The words of a run's result that more than one face says: the tally, the headings and the
 * failure message, from the one count of the files (totalsOf) and their entries. The log
 * (report.ts) and the action's job summary both speak them, each in its own layout.
 */
import { allOf, capitalized, plural } from '../format.ts'
import type { ManifestEntry, Totals } from './manifest.ts'

/** Failures listed in the run's failure message; the rest are in the log. */
const MAX_LISTED_FAILURES = 20

/**
 * How messages name the project: `empirical.run project 42`, or, where the key picks it (the
 * Resources API) and no ID is known, `the key's empirical.run project`; `noun` replaces
 * `empirical.run project` (`project`).
 */
export function projectName(projectId: number | undefined, noun = 'empirical.run project'): string {
  return projectId === undefined ? `the key's ${noun}` : `${noun} ${projectId}`
}

/** The verb for one file, and for more, in each tense. */
const VERBS = { is: ['is', 'are'], was: ['was', 'were'] } as const

/** `the file is already in`, `all 3 files were already in`: every one of `count` files is there. */
export function allAlreadyIn(count: number, tense: keyof typeof VERBS): string {
  const [one, more] = VERBS[tense]
  return `${allOf(count, 'file')} ${count === 1 ? one : more} already in`
}

/** `2 of 3 files`, as in "… uploaded". */
function uploadedOf(totals: Totals): string {
  return `${totals.uploaded} of ${plural(totals.files, 'file')}`
}

/** `Cancelled: the run was stopped with 2 of 3 files uploaded` */
function stoppedWith(totals: Totals): string {
  return `Cancelled: the run was stopped with ${uploadedOf(totals)} uploaded`
}

/**
 * The counts that follow the uploaded files: `1 already in the project`, `2 failed`,
 * `3 not uploaded (cancelled)`, each left out when zero (`failed` too, unless `zeroFailed`);
 * `(cancelled)` is left out where the sentence already starts with it.
 */
function restOf(totals: Totals, zeroFailed: boolean, cancelledWhy: boolean): string[] {
  const parts: string[] = []
  if (totals.existing) parts.push(`${totals.existing} already in the project`)
  if (totals.failed || zeroFailed) parts.push(`${totals.failed} failed`)
  const why = cancelledWhy ? ' (cancelled)' : ''
  if (totals.cancelled) parts.push(`${totals.cancelled} not uploaded${why}`)
  return parts
}

/**
 * The log's closing tally: `3 of 5 files uploaded, 2 already in the project, 1 failed`, leaving
 * out the zeros after the first; a re-run that finds everything there says so, and cancelled
 * files and the records `verify` left with wrong bytes are counted apart.
 */
export function tallyOf(totals: Totals, badRecords: number): string {
  if (totals.existing === totals.files)
    return `${allAlreadyIn(totals.files, 'is')} the project, nothing to upload`
  const parts = [`${uploadedOf(totals)} uploaded`, ...restOf(totals, false, true)]
  if (badRecords) parts.push(`${plural(badRecords, 'record')} left in the project with wrong bytes`)
  return parts.join(', ')
}

/** The summary's totals row: `2 uploaded, 1 already in the project, 0 failed`. */
export function countsLine(totals: Totals): string {
  return [`${totals.uploaded} uploaded`, ...restOf(totals, true, true)].join(', ')
}

/**
 * The summary's heading of a run: `Uploaded 2 of 3 files to empirical.run project 42`, with how
 * many are in the project when some were already there, or that all were, or that it was cancelled.
 */
export function runHeading(
  totals: Totals,
  projectId: number | undefined,
  cancelled: boolean
): string {
  const project = projectName(projectId)
  const allThere = totals.existing === totals.files
  if (allThere && !cancelled)
    return `${capitalized(allAlreadyIn(totals.files, 'was'))} ${project}; nothing was uploaded`
  const inProject =
    totals.existing && !allThere ? ` (${totals.uploaded + totals.existing} in the project)` : ''
  const head = cancelled ? stoppedWith(totals) : `Uploaded ${uploadedOf(totals)}`
  return `${head} to ${project}${inProject}`
}

/** The summary's heading of a run that matched no file, dry or not. */
export function noMatchHeading(dryRun: boolean, projectId: number | undefined): string {
  const what = dryRun ? 'Dry run: no' : 'No'
  return `${what} files matched the patterns; nothing was uploaded to ${projectName(projectId)}`
}

/** `Dry run: 2 files would be uploaded to empirical.run project 9` (the ones already there are not). */
export function dryRunHead(totals: Totals, projectId: number | undefined): string {
  const count = plural(totals.files - totals.existing, 'file')
  return `Dry run: ${count} would be uploaded to ${projectName(projectId)}`
}

/** The error of a file in the project whose download URL could not be read, for its entry. */
export function urlUnread(reason: string): string {
  return `the download URL could not be read: ${reason}`
}

/** That error as the failure says it of the file: `its download URL could not be read: …`. */
function its(error: string): string {
  return `its ${error.slice('the '.length)}`
}

/**
 * The run's failure: how many files failed (or that it was cancelled), then each file that is
 * not in the project or lacks the download URL asked for; undefined when there is none.
 */
export function failureOf(
  entries: readonly ManifestEntry[],
  totals: Totals,
  cancelled: boolean
): string | undefined {
  const failed = entries.flatMap(({ path, id, error }) =>
    id === undefined && error !== undefined ? [`  ${path}: ${error}`] : []
  )
  const noUrl = entries.flatMap(({ path, id, error }) =>
    id !== undefined && error !== undefined
      ? [`  ${path}: uploaded as ${id}, but ${its(error)}`]
      : []
  )
  if (!failed.length && !noUrl.length && !cancelled) return undefined
  const lines = [...failed, ...noUrl]
  const listed = lines.slice(0, MAX_LISTED_FAILURES)
  if (lines.length > MAX_LISTED_FAILURES)
    listed.push(`  … and ${lines.length - MAX_LISTED_FAILURES} more (see the log)`)
  return [`${failureHead(totals, noUrl.length, cancelled)}:`, ...listed].join('\n')
}

function failureHead(totals: Totals, noUrl: number, cancelled: boolean): string {
  if (cancelled) return [stoppedWith(totals), ...restOf(totals, false, false)].join(', ')
  const files = plural(totals.files, 'file')
  const heads = []
  if (totals.failed) heads.push(`${totals.failed} of ${files} failed to upload`)
  if (noUrl) heads.push(`${noUrl} of ${files} are uploaded without the download URL asked for`)
  return heads.join('; ')
}
