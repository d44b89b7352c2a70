// The job summary: the heading, one row per file, the totals and the failure list, escaped so that
// no name becomes markup, for a run and for a dry run.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as core from '@actions/core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { writeSummary as writeResultSummary } from '../../src/action/summary.ts'
import type { LocalFile } from '../../src/core/files/files.ts'
import type { ManifestEntry } from '../../src/core/results/manifest.ts'
import { buildResult, type UploadResult } from '../../src/core/results/result.ts'
import { ProjectListing } from '../../src/core/transfer/listing.ts'
import type { Outcome } from '../../src/core/transfer/outcome.ts'
import { forgetSummaryPath } from '../support/harness.ts'
import { failedOutcome as failed, okOutcome as ok } from '../support/outcomes.ts'

let dir = ''
let summaryFile = ''
const savedSummaryEnv = process.env.GITHUB_STEP_SUMMARY

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'summary-test-'))
  summaryFile = path.join(dir, 'step-summary.md')
  await fs.writeFile(summaryFile, '')
})

beforeEach(async () => {
  // core.summary remembers the file once it has looked it up, so every test uses the same one.
  process.env.GITHUB_STEP_SUMMARY = summaryFile
  await forgetSummaryPath()
  core.summary.emptyBuffer()
  await fs.writeFile(summaryFile, '')
})

afterAll(async () => {
  core.summary.emptyBuffer()
  if (savedSummaryEnv === undefined) delete process.env.GITHUB_STEP_SUMMARY
  else process.env.GITHUB_STEP_SUMMARY = savedSummaryEnv
  if (dir) await fs.rm(dir, { recursive: true, force: true })
})

function file(name: string, size: number, mimeType = 'text/plain', dirName = 'dist'): LocalFile {
  return {
    absolutePath: `/ws/${dirName}/${name}`,
    path: `${dirName}/${name}`,
    name,
    size,
    mimeType
  }
}

/**
 * The cells of every table row, header row first. A cell counts only when it is closed, so
 * malformed markup shows up as a short row.
 */
function rows(html: string): string[][] {
  return [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t([hd])[^>]*>(.*?)<\/t\1>/gs)].map((cell) => cell[2] ?? '')
  )
}

const written = (): Promise<string> => fs.readFile(summaryFile, 'utf8')

/** The summary of a run whose files ended as `outcomes`. */
function writeSummary(
  projectId: number | undefined,
  outcomes: readonly Outcome[],
  cancelled = false
) {
  return writeResultSummary(sentResult(projectId, outcomes, cancelled))
}

/** The result of a run whose files ended as `outcomes`. */
function sentResult(
  projectId: number | undefined,
  outcomes: readonly Outcome[],
  cancelled = false
) {
  const files = outcomes.map((outcome) => outcome.file)
  const ending = { how: 'sent' as const, outcomes, cancelled }
  const result = buildResult({
    projectId,
    namePrefix: '',
    dryRun: false,
    files,
    unmatched: [],
    ending
  })
  return { ...result, failure: undefined }
}

/** The summary of a dry run over `files`, with the project's files when it was listed. */
function writeDryRunSummary(
  projectId: number | undefined,
  files: readonly LocalFile[],
  listing?: ProjectListing
) {
  const ending = { how: 'dry-run' as const, listing }
  return writeResultSummary(
    buildResult({ projectId, namePrefix: '', dryRun: true, files, unmatched: [], ending })
  )
}

const EVIL = '<script>alert("x")</script> & \'q\'.txt'

describe('writeSummary', () => {
  const outcomes: Outcome[] = [
    ok(file('a.json', 2048, 'application/json'), 101),
    failed(
      file('b.zip', 5000, 'application/zip'),
      'upload failed: HTTP 403: SignatureDoesNotMatch'
    ),
    ok(file(EVIL, 1000, 'text/plain'), 103)
  ]

  it('writes a heading, one row per file and the totals', async () => {
    await writeSummary(42, outcomes)
    const html = await written()
    expect(html).toContain('<h3>Uploaded 2 of 3 files to empirical.run project 42</h3>')
    const table = rows(html)
    expect(table[0]).toEqual(['File', 'Size', 'Type', 'ID'])
    expect(table[1]).toEqual(['<code>a.json</code>', '2.00 KiB', 'application/json', '101'])
    expect(table[2]).toEqual(['<code>b.zip</code>', '4.88 KiB', 'application/zip', '❌ failed'])
    expect(table[3]?.slice(1)).toEqual(['1000 B', 'text/plain', '103'])
    // The size counts what the rows show: 2048 + 5000 + 1000 bytes.
    expect(table[4]).toEqual(['<b>2 uploaded, 1 failed</b>', '<b>7.86 KiB</b>', ' ', ' '])
    expect(table).toHaveLength(5)
  })

  it('lists the failures by the name the table shows, with their path and error', async () => {
    await writeSummary(42, outcomes)
    const html = await written()
    expect(html).toContain('<h4>Failed</h4>')
    const items = [...html.matchAll(/<li>(.*?)<\/li>/gs)].map((match) => match[1])
    expect(items).toEqual([
      '<code>b.zip</code> (from <code>dist/b.zip</code>): upload failed: HTTP 403: SignatureDoesNotMatch'
    ])
  })

  it('escapes file names, types and errors so they never become markup', async () => {
    const hostile = [
      failed(file(EVIL, 1, 'text/<b>plain</b>'), 'server said <img src=x onerror=alert(1)>')
    ]
    await writeSummary(1, hostile)
    const html = await written()
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<b>plain')
    expect(html).toContain(
      '<code>&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;q&#39;.txt</code>'
    )
    expect(html).toContain('text/&#60;b&#62;plain&#60;/b&#62;')
    expect(html).toContain('server said &#60;img src=x onerror=alert(1)&#62;')
  })

  // GitHub renders the summary as Markdown: a blank line ends an HTML block, and what follows
  // is read as Markdown (images, links, emphasis). A name with line breaks must not end the table.
  it('keeps a file name with line breaks inside the table', async () => {
    const name = 'a\n\n![pixel](https://example.com/p.png)\n\nb.txt'
    await writeSummary(1, [
      ok(file(name, 1), 1),
      failed(file(name, 1, 'text/plain', 'x'), 'e\n\nf')
    ])
    const html = await written()
    expect(html).not.toMatch(/\n[ \t]*\n/)
  })

  it('ends with each note about the checksums file, escaped, one paragraph each', async () => {
    const result = sentResult(7, [ok(file('a.txt', 1), 1)])
    await writeResultSummary(result, ['first <note>', 'second'])
    const html = await written()
    expect(html).toMatch(/<\/table>\n<p>first &#60;note&#62;\.<\/p><p>second\.<\/p>$/)
  })

  it('writes no failure list when everything was uploaded', async () => {
    await writeSummary(7, [ok(file('only.txt', 10), 5)])
    const html = await written()
    expect(html).toContain('Uploaded 1 of 1 file to')
    expect(html).not.toContain('Failed')
    expect(html).not.toContain('<ul>')
    expect(rows(html).at(-1)).toEqual(['<b>1 uploaded, 0 failed</b>', '<b>10 B</b>', ' ', ' '])
  })

  it('counts files already in the project apart, and every row in the size', async () => {
    await writeSummary(42, [
      ok(file('a.txt', 100), 1),
      ok(file('b.txt', 200), 2, 'existing'),
      ok(file('c.txt', 300), 3, 'settled'),
      failed(file('d.txt', 400), 'create failed: HTTP 413')
    ])
    const html = await written()
    expect(html).toContain(
      '<h3>Uploaded 2 of 4 files to empirical.run project 42 (3 in the project)</h3>'
    )
    const table = rows(html)
    expect(table[2]?.[3]).toBe('2 (already there)')
    expect(table[3]?.[3]).toBe('3')
    expect(table.at(-1)).toEqual([
      '<b>2 uploaded, 1 already in the project, 1 failed</b>',
      '<b>1000 B</b>',
      ' ',
      ' '
    ])
  })

  it('lists a file whose download URL could not be read among the failures', async () => {
    const noUrl = { ...ok(file('app.apk', 10), 9), urlError: 'get failed: HTTP 503: <busy>' }
    await writeSummary(42, [noUrl])
    const html = await written()
    expect(rows(html)[1]?.[3]).toBe('9')
    const items = [...html.matchAll(/<li>(.*?)<\/li>/gs)].map((match) => match[1])
    expect(items).toEqual([
      '<code>app.apk</code> (from <code>dist/app.apk</code>): uploaded as 9, but the download URL could not be read: get failed: HTTP 503: &#60;busy&#62;'
    ])
  })

  it('lists at most 500 rows and counts the rest', async () => {
    const many = Array.from({ length: 503 }, (_, i) =>
      ok(file(`f${String(i).padStart(4, '0')}.txt`, 1), i + 1)
    )
    await writeSummary(3, many)
    const html = await written()
    expect(rows(html)).toHaveLength(1 + 500 + 1)
    expect(html).toContain('… and 3 more files.')
    expect(html).toContain('<b>503 uploaded, 0 failed</b>')
  })

  it('says in the heading that a cancelled run was cancelled', async () => {
    await writeSummary(42, outcomes, true)
    expect(await written()).toContain(
      '<h3>Cancelled: the run was stopped with 2 of 3 files uploaded to empirical.run project 42</h3>'
    )
  })

  it('writes a heading when nothing matched, so a warn or ignore run still says what it did', async () => {
    await writeSummary(42, [])
    expect(await written()).toBe(
      '<h3>No files matched the patterns; nothing was uploaded to empirical.run project 42</h3>\n'
    )
  })

  it('appends to what other steps wrote and empties the buffer', async () => {
    await fs.writeFile(summaryFile, '# earlier step\n')
    await writeSummary(42, outcomes)
    expect((await written()).startsWith('# earlier step\n<h3>')).toBe(true)
    expect(core.summary.isEmptyBuffer()).toBe(true)
  })

  it('does nothing outside a runner', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await writeSummary(42, outcomes)
    expect(core.summary.isEmptyBuffer()).toBe(true)
    expect(await written()).toBe('')
  })
})

describe('writeDryRunSummary', () => {
  const files = [
    file('a.json', 2048, 'application/json'),
    file(EVIL, 10, 'text/plain'),
    file('c.bin', 3 * 1024 ** 2, 'application/octet-stream')
  ]

  it('writes a heading, one row per file and the totals', async () => {
    await writeDryRunSummary(9, files)
    const html = await written()
    expect(html).toContain('<h3>Dry run: 3 files would be uploaded to empirical.run project 9</h3>')
    const table = rows(html)
    expect(table[0]).toEqual(['File', 'Size', 'Type'])
    expect(table[1]).toEqual(['<code>a.json</code>', '2.00 KiB', 'application/json'])
    expect(table[3]).toEqual(['<code>c.bin</code>', '3.00 MiB', 'application/octet-stream'])
    expect(table[4]).toEqual(['<b>3 files</b>', '<b>3.00 MiB</b>', ' '])
    expect(table).toHaveLength(5)
    expect(html).not.toContain('ID')
  })

  it('with skip-existing, says which files would be skipped and their IDs', async () => {
    const listing = new ProjectListing(
      [
        {
          id: 77,
          projectId: 9,
          name: 'a.json',
          sizeBytes: 2048,
          status: 'uploaded',
          url: undefined
        }
      ],
      9
    )
    await writeDryRunSummary(9, files, listing)
    const html = await written()
    expect(html).toContain(
      '<h3>Dry run: 2 files would be uploaded to empirical.run project 9, 1 skipped as already in the project</h3>'
    )
    const table = rows(html)
    expect(table[0]).toEqual(['File', 'Size', 'Type', 'Already in the project as'])
    expect(table[1]).toEqual(['<code>a.json</code>', '2.00 KiB', 'application/json', '77'])
    expect(table[3]?.[3]).toBe(' ')
    expect(table.at(-1)).toHaveLength(4)
  })

  it('escapes file names', async () => {
    await writeDryRunSummary(9, files)
    const html = await written()
    expect(html).not.toContain('<script>')
    expect(rows(html)[2]?.[0]).toBe(
      '<code>&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;q&#39;.txt</code>'
    )
  })

  it('lists at most 500 rows but totals every file', async () => {
    const many = Array.from({ length: 600 }, (_, i) => file(`f${i}.txt`, 1))
    await writeDryRunSummary(9, many)
    const html = await written()
    expect(rows(html)).toHaveLength(1 + 500 + 1)
    expect(rows(html).at(-1)).toEqual(['<b>600 files</b>', '<b>600 B</b>', ' '])
  })

  it('does nothing outside a runner', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await writeDryRunSummary(9, files)
    expect(core.summary.isEmptyBuffer()).toBe(true)
    expect(await written()).toBe('')
  })
})

/** `count` manifest entries f0.txt, f1.txt, … of one byte each. */
function entries(count: number, extra: Partial<ManifestEntry> = {}): ManifestEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `f${i}.txt`,
    name: `f${i}.txt`,
    sizeBytes: 1,
    mimeType: 'text/plain',
    ...extra
  }))
}

/** The result of a run in project 3 over these entries: those without an ID failed. */
function result(files: ManifestEntry[], dryRun = false): UploadResult {
  const failedCount = files.filter((entry) => entry.id === undefined).length
  return {
    projectId: 3,
    namePrefix: '',
    dryRun,
    totals: {
      files: files.length,
      bytes: files.length,
      uploaded: dryRun ? 0 : files.length - failedCount,
      existing: 0,
      failed: dryRun ? 0 : failedCount,
      cancelled: 0
    },
    files,
    failure: undefined,
    cancelled: false,
    unmatchedPatterns: [],
    badRecords: []
  }
}

/** Writes the summary of `run` and returns the file's text. */
async function summaryOf(run: UploadResult): Promise<string> {
  await writeResultSummary(run)
  return written()
}

describe('the summary of a result', () => {
  it('heads the table with header cells', async () => {
    const html = await summaryOf(result(entries(1, { id: 1 })))
    expect(html).toContain('<th>File</th>')
    expect(html).toContain('<th>ID</th>')
  })

  it('lists 500 rows whole, and counts what is beyond them', async () => {
    expect(await summaryOf(result(entries(500, { id: 1 })))).not.toContain('more files.')
    await fs.writeFile(summaryFile, '')
    expect(await summaryOf(result(entries(501, { id: 1 })))).toContain('<p>… and 1 more files.</p>')
    await fs.writeFile(summaryFile, '')
    expect(await summaryOf(result(entries(502), true))).toContain('<p>… and 2 more files.</p>')
  })

  it('lists at most 500 failures', async () => {
    const html = await summaryOf(result(entries(501, { error: 'create failed: HTTP 500' })))
    const failures = html.slice(html.indexOf('Failed'))
    expect(failures.match(/<li>/g)).toHaveLength(500)
  })

  it('names where a failed file came from when its name is not its path', async () => {
    const html = await summaryOf(
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
    const html = await summaryOf(result(entries(1, { id: 1, name: 'a\nb.txt' })))
    expect(html).toContain('<code>a b.txt</code>')
  })

  it('says a dry run matched nothing', async () => {
    expect(await summaryOf(result([], true))).toContain(
      '<h3>Dry run: no files matched the patterns; nothing was uploaded to empirical.run project 3</h3>'
    )
  })
})

describe('records left holding other bytes', () => {
  it('names the one record verify found with other bytes than its file', async () => {
    const html = await summaryOf({ ...result(entries(1, { id: 18 })), badRecords: [17] })
    expect(html).toContain(
      '<p>1 record was left in the project holding other bytes than its file (the API cannot delete them); none of them is in the outputs: 17.</p>'
    )
  })

  it('names several, at most 500, and counts the rest', async () => {
    const two = await summaryOf({ ...result(entries(2, { id: 30 })), badRecords: [17, 21] })
    expect(two).toContain(
      '<p>2 records were left in the project holding other bytes than their files (the API cannot delete them); none of them is in the outputs: 17, 21.</p>'
    )
    const ids = Array.from({ length: 502 }, (_, i) => i + 1)
    core.summary.emptyBuffer()
    await fs.writeFile(summaryFile, '')
    const many = await summaryOf({ ...result(entries(1, { id: 1000 })), badRecords: ids })
    const shown = ids.slice(0, 500).join(', ')
    expect(many).toContain(
      `<p>502 records were left in the project holding other bytes than their files (the API cannot delete them); none of them is in the outputs: ${shown} and 2 more.</p>`
    )
    const exactly = Array.from({ length: 500 }, (_, i) => i + 1)
    core.summary.emptyBuffer()
    await fs.writeFile(summaryFile, '')
    const full = await summaryOf({ ...result(entries(1, { id: 1000 })), badRecords: exactly })
    expect(full).toContain(`none of them is in the outputs: ${exactly.join(', ')}.</p>`)
  })

  it('writes no such paragraph when there are none', async () => {
    const html = await summaryOf(result(entries(1, { id: 5 })))
    expect(html).not.toContain('<p>')
    expect(html).not.toContain('record')
  })
})

describe('a run whose files were all in the project already', () => {
  it('says nothing was uploaded, in the singular for one file', async () => {
    await writeSummary(42, [ok(file('a.txt', 100), 1, 'existing')])
    const html = await written()
    expect(html).toContain(
      '<h3>The file was already in empirical.run project 42; nothing was uploaded</h3>'
    )
    expect(rows(html).at(-1)).toEqual([
      '<b>0 uploaded, 1 already in the project, 0 failed</b>',
      '<b>100 B</b>',
      ' ',
      ' '
    ])
  })

  it('says both of two, without an "in the project" total', async () => {
    await writeSummary(42, [
      ok(file('a.txt', 100), 1, 'existing'),
      ok(file('b.txt', 200), 2, 'existing')
    ])
    const html = await written()
    expect(html).toContain(
      '<h3>Both files were already in empirical.run project 42; nothing was uploaded</h3>'
    )
    expect(rows(html)[1]?.[3]).toBe('1 (already there)')
  })

  it('says all of many', async () => {
    await writeSummary(42, [
      ok(file('a.txt', 100), 1, 'existing'),
      ok(file('b.txt', 200), 2, 'existing'),
      ok(file('c.txt', 300), 3, 'existing')
    ])
    expect(await written()).toContain(
      '<h3>All 3 files were already in empirical.run project 42; nothing was uploaded</h3>'
    )
  })
})

describe('a cancelled run', () => {
  it('counts the files not uploaded, and marks their rows', async () => {
    const notStarted = (name: string): Outcome => ({
      ok: false,
      file: file(name, 10),
      error: 'not uploaded: the run was cancelled',
      cancelled: true,
      durationMs: 0
    })
    await writeSummary(
      42,
      [
        ok(file('a.txt', 10), 1),
        failed(file('b.txt', 10)),
        notStarted('c.txt'),
        notStarted('d.txt')
      ],
      true
    )
    const html = await written()
    expect(html).toContain(
      '<h3>Cancelled: the run was stopped with 1 of 4 files uploaded to empirical.run project 42</h3>'
    )
    const table = rows(html)
    expect(table.map((row) => row[3])).toEqual([
      'ID',
      '1',
      '❌ failed',
      '⏹ not uploaded (cancelled)',
      '⏹ not uploaded (cancelled)',
      ' '
    ])
    expect(table.at(-1)?.[0]).toBe('<b>1 uploaded, 1 failed, 2 not uploaded (cancelled)</b>')
  })
})

describe("the key's project (the Resources API), which has no ID", () => {
  it("is named as the key's in every heading", async () => {
    await writeSummary(undefined, [ok(file('a.txt', 1, 'text/plain'), 7)])
    expect(await written()).toContain(
      "<h3>Uploaded 1 of 1 file to the key's empirical.run project</h3>"
    )
    await fs.writeFile(summaryFile, '')
    await writeSummary(undefined, [ok(file('a.txt', 1, 'text/plain'), 7)], true)
    expect(await written()).toContain(
      "<h3>Cancelled: the run was stopped with 1 of 1 file uploaded to the key's empirical.run project</h3>"
    )
    await fs.writeFile(summaryFile, '')
    await writeSummary(undefined, [ok(file('a.txt', 1, 'text/plain'), 7, 'existing')])
    expect(await written()).toContain(
      "<h3>The file was already in the key's empirical.run project; nothing was uploaded</h3>"
    )
    await fs.writeFile(summaryFile, '')
    await writeSummary(undefined, [])
    expect(await written()).toBe(
      "<h3>No files matched the patterns; nothing was uploaded to the key's empirical.run project</h3>\n"
    )
    await fs.writeFile(summaryFile, '')
    await writeDryRunSummary(undefined, [file('a.txt', 1, 'text/plain')])
    expect(await written()).toContain(
      "<h3>Dry run: 1 file would be uploaded to the key's empirical.run project</h3>"
    )
  })
})
