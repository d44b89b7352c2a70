import * as core from '@actions/core'
import { formatBytes, plural } from '../core/format.ts'
import type { ManifestEntry } from '../core/results/manifest.ts'
import type { UploadResult } from '../core/results/result.ts'
import { countsLine, dryRunHead, noMatchHeading, runHeading } from '../core/results/words.ts'

/** Rows beyond this are counted, not listed: the job summary holds at most 1 MiB. */
const MAX_ROWS = 500

/**
 * Writes the job summary of a run, a dry run or a run that matched nothing, with `notes` (what
 * keeps actions/attest from reading the checksums file whole) below. No-op outside a runner.
 */
export async function writeSummary(
  result: UploadResult,
  notes: readonly string[] = []
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  if (result.files.length === 0)
    core.summary.addHeading(noMatchHeading(result.dryRun, result.projectId), 3)
  else if (result.dryRun) addDryRun(result)
  else addRun(result)
  for (const note of notes) core.summary.addRaw(`<p>${escape(note)}.</p>`)
  await core.summary.write()
}

/** A table of every file with its ID, totals, and the failures. */
function addRun(result: UploadResult): void {
  const { totals } = result
  core.summary.addHeading(runHeading(totals, result.projectId, result.cancelled), 3).addTable([
    headerRow(['File', 'Size', 'Type', 'ID']),
    ...result.files.slice(0, MAX_ROWS).map((entry) => [...fileCells(entry), idCell(entry)]),
    // The size counts every row; core.summary renders '' as an unclosed cell.
    [`<b>${countsLine(totals)}</b>`, `<b>${formatBytes(totals.bytes)}</b>`, ' ', ' ']
  ])
  addMore(result.files.length)
  const problems = result.files.flatMap(problemOf)
  if (problems.length) core.summary.addHeading('Failed', 4).addList(problems.slice(0, MAX_ROWS))
  addBadRecords(result.badRecords)
}

/** Records `verify` found holding other bytes than their files: left behind, since the API cannot delete. */
function addBadRecords(ids: readonly number[]): void {
  if (!ids.length) return
  const shown = ids.slice(0, MAX_ROWS).join(', ')
  const more = ids.length > MAX_ROWS ? ` and ${ids.length - MAX_ROWS} more` : ''
  core.summary.addRaw(
    `<p>${plural(ids.length, 'record')} ${ids.length === 1 ? 'was' : 'were'} left in the project holding other bytes than ${ids.length === 1 ? 'its file' : 'their files'} (the API cannot delete them); none of them is in the outputs: ${shown}${more}.</p>`
  )
}

/** What would be uploaded, and with skip-existing what would be skipped. */
function addDryRun(result: UploadResult): void {
  const skipped = result.totals.existing
  const also = skipped ? `, ${skipped} skipped as already in the project` : ''
  // The ID column appears only when the listing (skip-existing) holds some of the files.
  const idColumn = skipped > 0
  const idCells = (entry: ManifestEntry): string[] => (idColumn ? [String(entry.id ?? ' ')] : [])
  core.summary
    .addHeading(`${dryRunHead(result.totals, result.projectId)}${also}`, 3)
    .addTable([
      headerRow(['File', 'Size', 'Type', ...(idColumn ? ['Already in the project as'] : [])]),
      ...result.files.slice(0, MAX_ROWS).map((entry) => [...fileCells(entry), ...idCells(entry)]),
      [
        `<b>${plural(result.totals.files, 'file')}</b>`,
        `<b>${formatBytes(result.totals.bytes)}</b>`,
        ' ',
        ...(idColumn ? [' '] : [])
      ]
    ])
  addMore(result.files.length)
}

function headerRow(names: readonly string[]): { data: string; header: true }[] {
  return names.map((data) => ({ data, header: true }))
}

function addMore(rows: number): void {
  if (rows > MAX_ROWS) core.summary.addRaw(`<p>… and ${rows - MAX_ROWS} more files.</p>`)
}

/** A list item for a failed file, or for one uploaded without the download URL asked for. */
function problemOf(entry: ManifestEntry): string[] {
  if (entry.error === undefined) return []
  const named = `<code>${escape(entry.name)}</code>${entry.name === entry.path ? '' : ` (from <code>${escape(entry.path)}</code>)`}`
  if (entry.id === undefined) return [`${named}: ${escape(entry.error)}`]
  return [`${named}: uploaded as ${entry.id}, but ${escape(entry.error)}`]
}

function fileCells(entry: ManifestEntry): string[] {
  return [code(entry.name), formatBytes(entry.sizeBytes), escape(entry.mimeType)]
}

function idCell(entry: ManifestEntry): string {
  if (entry.id === undefined) return entry.cancelled ? '⏹ not uploaded (cancelled)' : '❌ failed'
  if (entry.existing) return `${entry.id} (already there)`
  return String(entry.id)
}

function code(text: string): string {
  return `<code>${escape(text)}</code>`
}

/** File names are user data: never let them become markup. */
function escape(text: string): string {
  // A line break could end the HTML block and let Markdown in a file name render.
  return text.replace(/[&<>"'\r\n]/g, (char) =>
    /\s/.test(char) ? ' ' : `&#${char.charCodeAt(0)};`
  )
}
