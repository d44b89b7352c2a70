import * as core from '@actions/core'
import type { ExistingFiles } from '../core/existing.ts'
import type { LocalFile } from '../core/files.ts'
import { formatBytes } from '../core/format.ts'
import { countOutcomes, type Outcome } from '../core/upload.ts'

/** Rows beyond this are counted, not listed: the job summary holds at most 1 MiB. */
const MAX_ROWS = 500

/** Writes the job summary: a table of every file, totals, and the failures. No-op outside a runner. */
export async function writeSummary(projectId: number, outcomes: readonly Outcome[]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const { uploaded, existing, failed } = countOutcomes(outcomes)
  const bytes = outcomes.reduce(
    (sum, outcome) => sum + (outcome.ok && outcome.arrival !== 'existing' ? outcome.file.size : 0),
    0
  )
  const totals = [`${uploaded} uploaded`]
  if (existing) totals.push(`${existing} already in the project`)
  totals.push(`${failed} failed`)
  const inProject = existing ? ` (${uploaded + existing} in the project)` : ''
  const summary = core.summary
    .addHeading(
      `Uploaded ${uploaded} of ${outcomes.length} files to empirical.run project ${projectId}${inProject}`,
      3
    )
    .addTable([
      [
        { data: 'File', header: true },
        { data: 'Size', header: true },
        { data: 'Type', header: true },
        { data: 'ID', header: true }
      ],
      ...outcomes.slice(0, MAX_ROWS).map(outcomeRow),
      // core.summary renders '' as an unclosed cell.
      [`<b>${totals.join(', ')}</b>`, `<b>${formatBytes(bytes)}</b>`, ' ', ' ']
    ])
  if (outcomes.length > MAX_ROWS)
    summary.addRaw(`<p>… and ${outcomes.length - MAX_ROWS} more files.</p>`)
  const problems = outcomes.flatMap(problemOf)
  if (problems.length) summary.addHeading('Failed', 4).addList(problems.slice(0, MAX_ROWS))
  await summary.write()
}

/** A list item for a failed file, or for one uploaded without the download URL asked for. */
function problemOf(outcome: Outcome): string[] {
  const path = `<code>${escape(outcome.file.path)}</code>`
  if (!outcome.ok) return [`${path}: ${escape(outcome.error)}`]
  if (outcome.urlError === undefined) return []
  return [`${path}: uploaded, but its download URL could not be read: ${escape(outcome.urlError)}`]
}

/** Writes the dry-run summary: what would be uploaded. */
export async function writeDryRunSummary(
  projectId: number,
  files: readonly LocalFile[],
  existing?: ExistingFiles
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const skipped = files.filter((file) => existing?.idOf(file) !== undefined)
  const bytes = files.reduce((sum, file) => sum + file.size, 0)
  const also = skipped.length ? `, ${skipped.length} skipped as already in the project` : ''
  // The ID column appears only when the project was listed (skip-existing).
  const idCell = (file: LocalFile): string[] =>
    existing ? [String(existing.idOf(file) ?? ' ')] : []
  core.summary
    .addHeading(
      `Dry run: ${files.length - skipped.length} files would be uploaded to empirical.run project ${projectId}${also}`,
      3
    )
    .addTable([
      [
        { data: 'File', header: true },
        { data: 'Size', header: true },
        { data: 'Type', header: true },
        ...(existing ? [{ data: 'Already in the project as', header: true }] : [])
      ],
      ...files
        .slice(0, MAX_ROWS)
        .map((file) => [
          code(file.name),
          formatBytes(file.size),
          escape(file.mimeType),
          ...idCell(file)
        ]),
      [
        `<b>${files.length} files</b>`,
        `<b>${formatBytes(bytes)}</b>`,
        ' ',
        ...(existing ? [' '] : [])
      ]
    ])
  if (files.length > MAX_ROWS)
    core.summary.addRaw(`<p>… and ${files.length - MAX_ROWS} more files.</p>`)
  await core.summary.write()
}

function outcomeRow(outcome: Outcome): string[] {
  const { file } = outcome
  return [code(file.name), formatBytes(file.size), escape(file.mimeType), idCell(outcome)]
}

function idCell(outcome: Outcome): string {
  if (!outcome.ok) return '❌ failed'
  if (outcome.arrival === 'existing') return `${outcome.uploaded.id} (already there)`
  return String(outcome.uploaded.id)
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
