import * as core from '@actions/core'
import type { LocalFile } from './files.ts'
import { formatBytes } from './format.ts'
import type { Outcome } from './upload.ts'

/** Rows beyond this are counted, not listed: the job summary holds at most 1 MiB. */
const MAX_ROWS = 500

/** Writes the job summary: a table of every file, totals, and the failures. No-op outside a runner. */
export async function writeSummary(projectId: number, outcomes: readonly Outcome[]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const uploaded = outcomes.filter((outcome) => outcome.ok)
  const failed = outcomes.filter((outcome) => !outcome.ok)
  const bytes = uploaded.reduce((sum, outcome) => sum + outcome.file.size, 0)
  const summary = core.summary
    .addHeading(
      `Uploaded ${uploaded.length} of ${outcomes.length} files to empirical.run project ${projectId}`,
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
      [
        `<b>${uploaded.length} uploaded, ${failed.length} failed</b>`,
        `<b>${formatBytes(bytes)}</b>`,
        // core.summary renders '' as an unclosed cell.
        ' ',
        ' '
      ]
    ])
  if (outcomes.length > MAX_ROWS)
    summary.addRaw(`<p>… and ${outcomes.length - MAX_ROWS} more files.</p>`)
  if (failed.length) {
    summary
      .addHeading('Failed', 4)
      .addList(
        failed
          .slice(0, MAX_ROWS)
          .map(
            (outcome) =>
              `<code>${escape(outcome.file.path)}</code>: ${escape(outcome.ok ? '' : outcome.error)}`
          )
      )
  }
  await summary.write()
}

/** Writes the dry-run summary: what would be uploaded. */
export async function writeDryRunSummary(
  projectId: number,
  files: readonly LocalFile[]
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const bytes = files.reduce((sum, file) => sum + file.size, 0)
  core.summary
    .addHeading(
      `Dry run: ${files.length} files would be uploaded to empirical.run project ${projectId}`,
      3
    )
    .addTable([
      [
        { data: 'File', header: true },
        { data: 'Size', header: true },
        { data: 'Type', header: true }
      ],
      ...files
        .slice(0, MAX_ROWS)
        .map((file) => [code(file.name), formatBytes(file.size), escape(file.mimeType)]),
      [`<b>${files.length} files</b>`, `<b>${formatBytes(bytes)}</b>`, ' ']
    ])
  if (files.length > MAX_ROWS)
    core.summary.addRaw(`<p>… and ${files.length - MAX_ROWS} more files.</p>`)
  await core.summary.write()
}

function outcomeRow(outcome: Outcome): string[] {
  const { file } = outcome
  const id = outcome.ok ? String(outcome.uploaded.id) : '❌ failed'
  return [code(file.name), formatBytes(file.size), escape(file.mimeType), id]
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
