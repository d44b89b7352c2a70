// Edges of the job summary that test/summary.test.ts leaves open: header cells, the 500-row
// limit of the table and of the failure list, names that differ from paths, line breaks in names.
import * as core from '@actions/core'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { writeSummary } from '../src/action/summary.ts'
import type { ManifestEntry } from '../src/core/manifest.ts'
import type { UploadResult } from '../src/core/upload-files.ts'

let dir = ''
let summaryFile = ''
const saved = process.env.GITHUB_STEP_SUMMARY

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'core-summary-'))
  summaryFile = path.join(dir, 'summary.md')
})
beforeEach(async () => {
  // core.summary remembers the file once it has looked it up, so every test uses the same one.
  process.env.GITHUB_STEP_SUMMARY = summaryFile
  core.summary.emptyBuffer()
  await writeFile(summaryFile, '')
})
afterAll(async () => {
  core.summary.emptyBuffer()
  if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY
  else process.env.GITHUB_STEP_SUMMARY = saved
  await rm(dir, { recursive: true, force: true })
})

function entries(count: number, extra: Partial<ManifestEntry> = {}): ManifestEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `f${i}.txt`,
    name: `f${i}.txt`,
    sizeBytes: 1,
    mimeType: 'text/plain',
    ...extra
  }))
}

function result(files: ManifestEntry[], dryRun = false): UploadResult {
  const failed = files.filter((entry) => entry.id === undefined).length
  return {
    projectId: 3,
    namePrefix: '',
    dryRun,
    totals: {
      files: files.length,
      bytes: files.length,
      uploaded: dryRun ? 0 : files.length - failed,
      existing: 0,
      failed: dryRun ? 0 : failed,
      cancelled: 0
    },
    files,
    failure: undefined,
    cancelled: false,
    unmatchedPatterns: [],
    badRecords: []
  }
}

async function summary(run: UploadResult): Promise<string> {
  await writeSummary(run)
  return readFile(summaryFile, 'utf8')
}

describe('the job summary', () => {
  it('heads the table with header cells', async () => {
    const html = await summary(result(entries(1, { id: 1 })))
    expect(html).toContain('<th>File</th>')
    expect(html).toContain('<th>ID</th>')
  })

  it('lists 500 rows whole, and counts what is beyond them', async () => {
    expect(await summary(result(entries(500, { id: 1 })))).not.toContain('more files.')
    await writeFile(summaryFile, '')
    expect(await summary(result(entries(501, { id: 1 })))).toContain('<p>… and 1 more files.</p>')
    await writeFile(summaryFile, '')
    expect(await summary(result(entries(502), true))).toContain('<p>… and 2 more files.</p>')
  })

  it('lists at most 500 failures', async () => {
    const html = await summary(result(entries(501, { error: 'create failed: HTTP 500' })))
    const failures = html.slice(html.indexOf('Failed'))
    expect(failures.match(/<li>/g)).toHaveLength(500)
  })

  it('names where a failed file came from when its name is not its path', async () => {
    const html = await summary(
      result([
        {
          path: 'dist/a.txt',
          name: 'v1/a.txt',
          sizeBytes: 1,
          mimeType: 'text/plain',
          error: 'x'
        },
        { path: 'b.txt', name: 'b.txt', sizeBytes: 1, mimeType: 'text/plain', error: 'y' }
      ])
    )
    expect(html).toContain('<li><code>v1/a.txt</code> (from <code>dist/a.txt</code>): x</li>')
    expect(html).toContain('<li><code>b.txt</code>: y</li>')
  })

  it('turns a line break in a name into a space', async () => {
    const html = await summary(result(entries(1, { id: 1, name: 'a\nb.txt' })))
    expect(html).toContain('<code>a b.txt</code>')
  })

  it('says a dry run matched nothing', async () => {
    expect(await summary(result([], true))).toContain(
      '<h3>Dry run: no files matched the patterns; nothing was uploaded to empirical.run project 3</h3>'
    )
  })
})
