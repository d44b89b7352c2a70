/**
 * The log's words of a run: the upload's heading, one line per file, the closing tally, what a dry
 * run would do, and what a run that matched nothing says. What other faces say too is in words.ts.
 */
import type { LocalFile } from '../files/files.ts'
import { allOf, capitalized, formatBytes, formatDuration, plural } from '../format.ts'
import type { Logger } from '../log.ts'
import { namesHidden, patternText, type PatternLine } from '../settings/patterns.ts'
import type { Face, Settings } from '../settings/settings.ts'
import { setTo } from '../settings/words.ts'
import { describeDifference, type Mismatch, type Outcome } from '../transfer/outcome.ts'
import { totalsOf } from './manifest.ts'
import { outcomeEnd, type UploadResult } from './result.ts'
import { allAlreadyIn, dryRunHead, projectName, tallyOf } from './words.ts'

/**
 * The heading of the upload's log group. `checking` counts the files the project already holds
 * that `verify` reads back before they are kept (sent again if their bytes differ); `existing`,
 * those it holds, read back or not (`skip-existing`).
 */
export function uploadHeading(
  settings: Settings,
  count: number,
  bytes: number,
  checking = 0,
  existing = 0
): string {
  const project = projectName(settings.projectId)
  const prefix = settings.namePrefix ? `, names prefixed with '${settings.namePrefix}'` : ''
  const again = '(a file whose bytes differ is uploaded again)'
  if (count === 0 && existing && !checking)
    return `${capitalized(allAlreadyIn(existing, 'is'))} ${project}${prefix}; nothing to upload`
  if (count === 0 && checking) {
    const whose = checking === 1 ? 'its' : 'their'
    return `Reading back ${plural(checking, 'file')} already in ${project}${prefix && `${prefix},`} to verify ${whose} bytes ${again}`
  }
  const verify = settings.verify ? ', each read back to verify its bytes' : ''
  const check = checking
    ? `; reading back ${plural(checking, 'file')} already there too ${again}`
    : ''
  return `Uploading ${plural(count, 'file')} (${formatBytes(bytes)}) to ${project}${prefix}${verify}${check}`
}

/** The log's closing tally of the outcomes of a run's uploads (see tallyOf). */
export function tally(outcomes: readonly Outcome[]): string {
  const ends = outcomes.map(outcomeEnd)
  const badRecords = ends.reduce((sum, end) => sum + end.badRecords.length, 0)
  return tallyOf(totalsOf(ends.map((end) => end.entry)), badRecords)
}

/**
 * Of the local files, how many the project's listing holds by name and size: `1 of the 3 local
 * files matches one by name and size`, `both local files match one …`, `none of the 3 …`.
 */
export function matchedClause(matched: number, total: number): string {
  return `${matchedSubject(matched, total)} one by name and size`
}

function matchedSubject(matched: number, total: number): string {
  if (matched === 0) {
    if (total === 1) return 'the local file does not match'
    if (total === 2) return 'neither local file matches'
    return `none of the ${total} local files matches`
  }
  if (matched === total) return `${allOf(total, 'local file')} ${total === 1 ? 'matches' : 'match'}`
  return `${matched} of the ${total} local files ${matched === 1 ? 'matches' : 'match'}`
}

/** `verify` found other bytes in storage than in the file: the line that says what happens next. */
export function mismatchLine(file: LocalFile, mismatch: Mismatch): string {
  const difference = describeDifference(mismatch.stored, mismatch.local)
  if (mismatch.existing)
    return `  ≠ ${file.path}: record ${mismatch.id} of the same name and size holds other bytes (${difference}): its content changed, so it is uploaded again`
  return `  ≠ ${file.path}: storage holds other bytes in record ${mismatch.id} than were sent (${difference}): uploading it again as a new record`
}

/** `  ↻ a.txt: create failed: HTTP 503: …; retry 1 of 5 in 1.2 s` (no path for the listing). */
export function retryLine(
  subject: string,
  message: string,
  attempt: number,
  retries: number,
  delayMs: number
): string {
  return `  ↻ ${subject}${message}; retry ${attempt} of ${retries} in ${formatDuration(delayMs)}`
}

/** Logs how one file ended: ✓ uploaded, = already there, ✗ failed. */
export function logOutcome(log: Logger, outcome: Outcome, namePrefix: string): void {
  const { file } = outcome
  if (!outcome.ok) return log.info(`✗ ${file.path}: ${outcome.error}`)
  const { id } = outcome.uploaded
  const as = namePrefix ? ` as ${file.name}` : ''
  if (outcome.arrival === 'existing') {
    log.info(`= ${file.path} → ${id}${as} (already in the project)`)
  } else {
    const settled = outcome.arrival === 'settled' ? '; confirmed by reading the record back' : ''
    const replaced =
      outcome.replaced === undefined
        ? ''
        : `; re-uploaded because its content changed: record ${outcome.replaced} holds the old bytes`
    log.info(
      `✓ ${file.path} → ${id}${as} (${formatBytes(file.size)}, ${formatDuration(outcome.durationMs)}${settled}${replaced})`
    )
  }
  if (outcome.urlError !== undefined)
    log.info(`✗ ${file.path} → ${id}: its download URL could not be read: ${outcome.urlError}`)
}

/** Why nothing matched, with the hints that explain the usual causes. */
export function noFilesMessage(settings: Settings, face: Face): string {
  const text = patternText(settings.files)
  const braces = /\{[^}]*,[^}]*\}/.test(text)
    ? '\nBraces such as {a,b} are not expanded: list each pattern on its own line instead.'
    : ''
  const hidden = hiddenHint(settings, settings.files, face)
  return `No files were found with the provided patterns:\n${text}${braces}${hidden}`
}

/** A line saying that hidden files are left out, when an including pattern names one. */
function hiddenHint(settings: Settings, lines: readonly PatternLine[], face: Face): string {
  if (settings.includeHiddenFiles || !lines.some((line) => !line.negate && namesHidden(line)))
    return ''
  return `\nHidden files (a name or folder starting with '.') are left out: ${setTo(face, 'includeHiddenFiles', [true])} to upload them.`
}

/** A pattern that matched nothing while others matched files. */
export function unmatchedMessage(settings: Settings, line: PatternLine, face: Face): string {
  return `No files were found with the pattern '${line.text}'; the other patterns matched files${hiddenHint(settings, [line], face)}`
}

/** The failure of a run that matched nothing under `if-no-files-found: error`. */
export function noFilesFailure(message: string, face: Face): string {
  return `${message}\n(${setTo(face, 'ifNoFilesFound', ['warn', 'ignore'])} to allow this)`
}

/** Says what a dry run would upload, and what it would skip as already there (`listed`: skip-existing listed the project). */
export function logDryRun(log: Logger, result: UploadResult, listed: boolean): void {
  const skipped = result.totals.existing
  const how = listed ? 'the project was listed; nothing is uploaded' : 'no request is made'
  log.info(
    `${dryRunHead(result.totals, result.projectId)}${skipped ? ` and ${skipped} skipped as already there` : ''}; ${how}.`
  )
  for (const entry of result.files) {
    if (entry.id === undefined)
      log.info(
        `  ${entry.name} (${formatBytes(entry.sizeBytes)}, ${entry.mimeType})  ← ${entry.path}`
      )
    else log.info(`= ${entry.path} → ${entry.id} (already in the project; would be skipped)`)
  }
}
