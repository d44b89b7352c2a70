import { appendFileSync, readdirSync, readFileSync, truncateSync, unlinkSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/emulator.ts'
import type { ActionRun, RunOptions } from '../../scripts/run-action.ts'
import type { UploadResult } from '../../src/core/run.ts'
import { uploadFiles, type UploadOptions } from '../../src/lib/upload-files.ts'
import { emulatorWith, inputsFor, runAction, when, workspace } from '../support/bundle.ts'

/** The user's documentation: README and the pages under docs/ it links to. */
const README = [
  '../../README.md',
  ...readdirSync(new URL('../../docs/', import.meta.url), { recursive: true, encoding: 'utf8' })
    .filter((page) => page.endsWith('.md'))
    .map((page) => `../../docs/${page}`)
]
  .map((page) => readFileSync(new URL(page, import.meta.url), 'utf8'))
  .join('\n')
/** The pages' paragraphs joined into single lines, so a sentence is found whatever its wrapping. */
const README_TEXT = README.replace(/\n(?=\S)(?![-|#*`])/g, ' ')

/** Runs the bundle against `emulator`; the harness checks its invariants. */
async function run(emulator: Emulator, options: RunOptions): Promise<ActionRun> {
  return runAction({ ...options, inputs: inputsFor(emulator, options.inputs) })
}

/** Whether `emulator` has been asked for the project's files. */
function listed(emulator: Emulator): boolean {
  return emulator.requests.some((request) => request.step === 'list')
}

/**
 * Runs the core with skip-existing on a workspace of `files` against an emulator whose listing
 * never answers, and cancels it once the listing is asked for.
 */
async function cancelWhileListing(
  files: Record<string, string>,
  options: Partial<UploadOptions> = {}
): Promise<{ emulator: Emulator; result: UploadResult }> {
  const emulator = await emulatorWith()
  emulator.faults.push({ step: 'list', action: { type: 'hang' } })
  const cancel = new AbortController()
  when(
    () => listed(emulator),
    'the listing request',
    () => cancel.abort()
  )
  const result = await uploadFiles({
    apiKey: emulator.apiKey,
    projectId: 1,
    files: '*.txt',
    cwd: await workspace(files),
    baseUrl: emulator.apiUrl,
    skipExisting: true,
    signal: cancel.signal,
    ...options
  })
  return { emulator, result }
}

/** The `✓`/`=`/`✗` lines' paths, in the order the log printed them. */
function loggedPaths(log: string): string[] {
  return [...log.matchAll(/^[✓=✗] (\S+)/gm)].map((match) => match[1] as string)
}

describe('a file that changed since it was listed', () => {
  it('vanished, grown or shrunk: each fails with the message README documents', async () => {
    const emulator = await emulatorWith()
    const files = {
      'gone.txt': 'soon gone',
      'grows.txt': 'short',
      'shrinks.txt': 'eleven char',
      'ok.txt': 'fine'
    }
    const changed = ['gone.txt', 'grows.txt', 'shrinks.txt']
    // Each create is held at the emulator for 800 ms, so the changes land between listing and PUT.
    for (const name of changed) {
      emulator.faults.push({
        step: 'create',
        name,
        latencyMs: 800,
        action: { type: 'status', status: 503 }
      })
    }
    const dir = await workspace(files)
    // A fault leaves the queue when its request arrives; all three have once none is left.
    when(
      () => emulator.faults.length === 0,
      'the three creates held',
      () => {
        unlinkSync(path.join(dir, 'gone.txt'))
        appendFileSync(path.join(dir, 'grows.txt'), ' and longer')
        truncateSync(path.join(dir, 'shrinks.txt'), 3)
      }
    )
    const result = await run(emulator, { workspace: dir, inputs: { files: '*.txt' } })
    expect(result.code).toBe(1)
    expect(result.log).toContain(
      '✗ gone.txt: read failed: the file disappeared after it was listed'
    )
    expect(result.log).toContain(
      '✗ grows.txt: read failed: the file changed size from 5 to 16 bytes after it was listed'
    )
    expect(result.log).toContain(
      '✗ shrinks.txt: read failed: the file changed size from 11 to 3 bytes after it was listed'
    )
    expect(result.log).not.toMatch(/ENOENT|cannot read the file/)
    expect(JSON.parse(result.outputs['failed-files'] ?? '[]')).toEqual(changed)
    // The words README promises for these two cases.
    expect(README).toContain('`read failed: the file disappeared …`')
    expect(README).toContain('`… the file disappeared after it was listed`')
    expect(README).toContain(
      '`read failed: the file changed size from 5 to 16 bytes after it was listed`'
    )
  })
})

describe('a cancel while skip-existing lists the project', () => {
  it('ends as a cancelled run, not as a failed listing (the core)', async () => {
    const { emulator, result } = await cancelWhileListing({ 'a.txt': 'alpha', 'b.txt': 'beta' })
    expect(result.cancelled).toBe(true)
    expect(result.failure).toBe(
      'Cancelled: the run was stopped with 0 of 2 files uploaded, 2 not uploaded:\n' +
        '  a.txt: not uploaded: the run was cancelled\n' +
        '  b.txt: not uploaded: the run was cancelled'
    )
    expect(result.files.map((file) => file.error)).toEqual([
      'not uploaded: the run was cancelled',
      'not uploaded: the run was cancelled'
    ])
    expect(emulator.requests.filter((request) => request.step === 'create')).toHaveLength(0)
  })

  it('on a dry run too', async () => {
    const { result } = await cancelWhileListing({ 'a.txt': 'alpha' }, { dryRun: true })
    expect(result.cancelled).toBe(true)
    expect(result.failure).toBe(
      "Cancelled: the run was stopped while the project's files were being listed"
    )
  })

  it('through dist/: SIGTERM during the listing says Cancelled, as README documents', async () => {
    const emulator = await emulatorWith()
    emulator.faults.push({ step: 'list', action: { type: 'hang' } })
    const result = await run(emulator, {
      workspace: await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta' }),
      inputs: { files: '*.txt', 'skip-existing': 'true' },
      onStart: (child) => {
        when(
          () => listed(emulator),
          'the listing request',
          () => child.kill('SIGTERM')
        )
      }
    })
    expect(result.code).not.toBe(0)
    expect(result.log).toMatch(
      /::error::Cancelled: the run was stopped with 0 of 2 files uploaded, 2 not uploaded/
    )
    expect(result.log).not.toContain('could not be listed')
    expect(JSON.parse(result.outputs['failed-files'] ?? '[]')).toEqual(['a.txt', 'b.txt'])
    expect(README).toContain(
      '`Cancelled: the run was stopped with 4 of 20 files uploaded, 16 not uploaded`'
    )
  })
})

describe('order', () => {
  it('outputs are in path order; the log prints each file as it finishes, as README says', async () => {
    const emulator = await emulatorWith()
    // a.txt's create is held, so b.txt and c.txt (in either order: they race) finish first.
    emulator.faults.push({
      step: 'create',
      name: 'a.txt',
      latencyMs: 1500,
      action: { type: 'status', status: 503 }
    })
    const result = await run(emulator, {
      workspace: await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta', 'c.txt': 'gamma' }),
      inputs: { files: '*.txt', concurrency: '3' }
    })
    expect(result.code).toBe(0)
    const logged = loggedPaths(result.log)
    expect(logged.at(-1)).toBe('a.txt')
    expect(logged.slice(0, -1).sort()).toEqual(['b.txt', 'c.txt'])
    const outputs = JSON.parse(result.outputs.files ?? '[]') as { path: string }[]
    expect(outputs.map((file) => file.path)).toEqual(['a.txt', 'b.txt', 'c.txt'])
    const manifest = JSON.parse(result.manifest) as { files: { path: string }[] }
    expect(manifest.files.map((file) => file.path)).toEqual(['a.txt', 'b.txt', 'c.txt'])
    expect(result.summary.indexOf('a.txt')).toBeLessThan(result.summary.indexOf('b.txt'))
    expect(README_TEXT).toContain(
      "Files are started in the order of their `path`, and the outputs, the manifest, the job summary and the step's error list them in that order. The log prints each file's line as it finishes"
    )
    expect(README_TEXT).not.toContain('uploaded and listed in the order of their `path`')
  })
})
