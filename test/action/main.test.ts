// The action's run() in the test's own process, as a runner calls it: INPUT_* in, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY and workflow commands out. test/bundle/e2e.test.ts runs the bundle in a child.
import * as core from '@actions/core'
import { mkdirSync, watch } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import v8 from 'node:v8'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { forgetSummaryPath, sha256 } from '../support/harness.ts'
import { startEmulator, type Emulator } from '../../emulator/emulator.ts'
import { parseOutputs } from '../../scripts/run-action.ts'
import { run } from '../../src/action/main.ts'

let emulator: Emulator
let dir = ''
let stdout: string[] = []
const savedEnv = { ...process.env }

beforeAll(async () => {
  emulator = await startEmulator({ projects: [7] })
})
afterAll(async () => {
  await emulator.close()
})

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'action-main-'))
  stdout = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk))
    return true
  })
  await writeFile(path.join(dir, 'output'), '')
  await writeFile(path.join(dir, 'summary'), '')
  await writeFile(path.join(dir, 'a.txt'), 'alpha')
  process.env.GITHUB_WORKSPACE = dir
  process.env.GITHUB_OUTPUT = path.join(dir, 'output')
  process.env.GITHUB_STEP_SUMMARY = path.join(dir, 'summary')
  // core.summary keeps the first path it reads; each test has a summary file of its own.
  await forgetSummaryPath()
  process.env.RUNNER_TEMP = dir
  process.env.EMPIRICALRUN_RETRY_BASE_MS = '0'
  core.summary.emptyBuffer()
})

afterEach(async () => {
  vi.restoreAllMocks()
  // Restored in place: a new object would cut process.env off from the real environment, which
  // os.homedir() and child processes read, for every later file of a shared process.
  for (const name of Object.keys(process.env))
    if (!(name in savedEnv)) Reflect.deleteProperty(process.env, name)
  Object.assign(process.env, savedEnv)
  process.exitCode = undefined
  emulator.reset()
  await rm(dir, { recursive: true, force: true })
})

/** Runs the action with these inputs; returns its log, outputs, summary and exit code. */
async function action(inputs: Record<string, string>) {
  const all: Record<string, string> = {
    'auth-key': emulator.apiKey,
    'project-id': '7',
    'base-url': emulator.apiUrl,
    ...inputs
  }
  for (const [name, value] of Object.entries(all))
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  await run()
  return {
    log: stdout.join(''),
    outputs: parseOutputs(await readFile(path.join(dir, 'output'), 'utf8')),
    summary: await readFile(path.join(dir, 'summary'), 'utf8'),
    exitCode: process.exitCode
  }
}

describe('run()', () => {
  it('uploads, sets the outputs, writes the manifest under RUNNER_TEMP and the summary', async () => {
    const result = await action({ files: 'a.txt' })
    expect(result.exitCode).toBeUndefined()
    expect(result.outputs['file-ids']).toBe('[1]')
    expect(result.outputs['manifest']?.startsWith(path.join(dir, 'empiricalrun-upload-'))).toBe(
      true
    )
    const manifest = JSON.parse(await readFile(result.outputs['manifest'] ?? '', 'utf8')) as object
    const keys = Object.keys(manifest)
    expect(keys).toEqual(['project_id', 'name_prefix', 'dry_run', 'totals', 'files'])
    expect(result.summary).toContain('<h3>Uploaded 1 of 1 file to empirical.run project 7</h3>')
    expect(result.log).toContain('::group::Uploading 1 file (5 B) to empirical.run project 7')
    expect(result.log).toContain('::endgroup::')
    // Registered once, though both the inputs and the core mask it.
    expect(
      result.log.split('\n').filter((line) => line === `::add-mask::${emulator.apiKey}`)
    ).toHaveLength(1)
  })

  it('asks V8 for a heap that grows slowly, which keeps memory flat over thousands of files', async () => {
    // The effect, the resident size of a run of 10,000 files, is what `npm run bench` measures.
    const flags = vi.spyOn(v8, 'setFlagsFromString')
    await action({ files: 'a.txt' })
    expect(flags.mock.calls).toEqual([
      ['--semi-space-growth-factor=1'],
      ['--heap-growing-percent=10'],
      ['--no-wasm-dynamic-tiering'],
      ['--no-wasm-tier-up'],
      ['--expose-gc']
    ])
  })

  it('shows debug lines for each request only under RUNNER_DEBUG, with signatures masked', async () => {
    process.env.RUNNER_DEBUG = '1'
    const result = await action({ files: 'a.txt' })
    expect(result.log).toMatch(
      /::debug::create: POST http:\/\/127\.0\.0\.1:\d+\/api\/files → HTTP 20[01]/
    )
    const signature = emulator.requests.find((request) => request.server === 'storage')?.query[
      'X-Amz-Signature'
    ]
    expect(result.log).toContain(`::add-mask::${signature}`)
    const masks = result.log.split('\n').filter((line) => line.startsWith('::add-mask::'))
    expect(new Set(masks).size).toBe(masks.length)
  })

  it('fails the step with the failure, naming the file, and still sets the outputs', async () => {
    const result = await action({ files: 'a.txt', 'auth-key': 'wrong' })
    expect(result.exitCode).toBe(1)
    expect(result.log).toMatch(
      /::error::1 of 1 file failed to upload:%0A {2}a\.txt: create failed: HTTP 401/
    )
    expect(result.outputs['failed-files']).toBe('["a.txt"]')
  })

  it('warns when nothing matches under warn, and fails under error, with a summary either way', async () => {
    const warned = await action({ files: 'none/*', 'if-no-files-found': 'warn' })
    expect(warned.exitCode).toBeUndefined()
    expect(warned.log).toContain('::warning::No files were found')
    expect(warned.summary).toContain('No files matched the patterns')
    const failed = await action({ files: 'none/*', 'if-no-files-found': 'error' })
    expect(failed.exitCode).toBe(1)
    expect(failed.log).toContain('::error::No files were found')
    expect(failed.log).toContain("(set 'if-no-files-found' to warn or ignore to allow this)")
  })

  it('fails a bad input without a stack trace, before any request', async () => {
    process.env.RUNNER_DEBUG = '1'
    const result = await action({ files: 'a.txt', concurrency: '0' })
    expect(result.exitCode).toBe(1)
    expect(result.log).toContain("::error::Input 'concurrency': '0' is not allowed")
    expect(result.log).not.toMatch(/::debug::.*\n\s+at /)
    expect(emulator.requests).toEqual([])
  })

  it('a bad input fails the step with its message and no stack trace', async () => {
    const result = await action({ files: '*.txt', 'project-id': 'abc', 'auth-key': 'key' })
    expect(result.exitCode).toBe(1)
    expect(result.log).toContain("::error::Input 'project-id': 'abc' is not allowed")
    expect(result.log).not.toContain('::debug::InputError')
  })

  it('logs the stack of an unexpected error at debug level only', async () => {
    process.env.RUNNER_DEBUG = '1'
    // A file where the workspace's folder should be makes the glob fail unexpectedly.
    process.env.GITHUB_WORKSPACE = path.join(dir, 'a.txt')
    const result = await action({ files: 'x/*' })
    expect(result.exitCode).toBe(1)
    expect(result.log).toMatch(/::error::ENOTDIR/)
    expect(result.log).toMatch(/::debug::\w*Error: ENOTDIR.*%0A {4}at /)
  })

  it('warns and leaves the manifest and checksums outputs empty when RUNNER_TEMP cannot take the manifest', async () => {
    const missing = path.join(dir, 'missing')
    process.env.RUNNER_TEMP = missing
    const result = await action({ files: 'a.txt' })
    expect(result.exitCode).toBeUndefined()
    const warnings = result.log.split('\n').filter((line) => line.startsWith('::warning::'))
    expect(warnings).toEqual([
      expect.stringMatching(
        /^::warning::The manifest could not be written under RUNNER_TEMP \(.*missing\): ENOENT: no such file or directory, mkdtemp '.*missing\/empiricalrun-upload-\w+'; the manifest and checksums outputs are empty$/
      )
    ])
    expect(warnings[0]).toContain(`(${missing}): `)
    expect(result.outputs['manifest']).toBe('')
    expect(result.outputs['checksums']).toBe('')
    expect(result.outputs['file-ids']).toBe('[1]')
  })

  it('names the temp folder it used when RUNNER_TEMP is not set', async () => {
    Reflect.deleteProperty(process.env, 'RUNNER_TEMP')
    vi.spyOn(os, 'tmpdir').mockReturnValue(path.join(dir, 'gone'))
    const result = await action({ files: 'a.txt' })
    expect(result.exitCode).toBeUndefined()
    expect(result.log).toContain(
      `::warning::The manifest could not be written under ${path.join(dir, 'gone')}: ENOENT`
    )
    expect(result.outputs['manifest']).toBe('')
  })

  it('stops on SIGTERM and no longer listens for signals once done', async () => {
    const before = process.listenerCount('SIGTERM')
    const beforeInt = process.listenerCount('SIGINT')
    const running = action({ files: 'a.txt' })
    expect(process.listenerCount('SIGTERM')).toBe(before + 1)
    expect(process.listenerCount('SIGINT')).toBe(beforeInt + 1)
    process.emit('SIGTERM', 'SIGTERM')
    const result = await running
    expect(result.exitCode).toBe(1)
    expect(result.log).toContain(
      '::error::Cancelled: the run was stopped with 0 of 1 file uploaded, 1 not uploaded'
    )
    expect(process.listenerCount('SIGTERM')).toBe(before)
    expect(process.listenerCount('SIGINT')).toBe(beforeInt)
  })
})

describe('the checksums file', () => {
  it('is written beside the manifest on a run that uploads, and named in the checksums output', async () => {
    const result = await action({ files: 'a.txt' })
    const manifest = result.outputs['manifest'] ?? ''
    expect(result.outputs['checksums']).toBe(path.join(path.dirname(manifest), 'checksums.txt'))
    expect(await readFile(result.outputs['checksums'] ?? '', 'utf8')).toBe(
      `${sha256('alpha')}  a.txt\n`
    )
    expect(result.log).not.toContain('::warning::')
  })

  it('is not written on a dry run, nor when nothing matched: the output is empty', async () => {
    const dry = await action({ files: 'a.txt', 'dry-run': 'true' })
    expect(dry.outputs['manifest']).not.toBe('')
    expect(dry.outputs['checksums']).toBe('')
    expect(dry.log).not.toContain('checksums')
    expect(dry.summary).not.toContain('<p>')
    await writeFile(path.join(dir, 'output'), '')
    const none = await action({
      files: 'none/*',
      'if-no-files-found': 'ignore',
      'dry-run': 'false'
    })
    expect(none.outputs['manifest']).not.toBe('')
    expect(none.outputs['checksums']).toBe('')
    expect(none.log).not.toContain('checksums')
  })

  it('is not written when the manifest could not be, with no warning of its own', async () => {
    process.env.RUNNER_TEMP = path.join(dir, 'missing')
    const result = await action({ files: 'a.txt' })
    expect(result.outputs['checksums']).toBe('')
    // The manifest's warning says the checksums output is empty too; the checksums file has none.
    expect(result.log).not.toContain('::warning::The checksums')
    expect(result.log.match(/checksums/g)).toEqual(['checksums'])
  })

  it('says in the log and the summary, not in a warning, when actions/attest could not read it whole, and still writes it', async () => {
    await writeFile(path.join(dir, 'b\\c.txt'), 'beta')
    const result = await action({ files: '*.txt' })
    expect(result.exitCode).toBeUndefined()
    expect(result.log).not.toContain('::warning::')
    const note =
      'The checksums file cannot be attested whole, if a later step gives it to actions/attest: 1 name(s) hold a backslash or a line break ("b\\\\c.txt"), which the file escapes as sha256sum does and actions/attest cannot read'
    expect(result.log.split('\n')).toContain(note)
    expect(result.summary).toContain(`<p>${note.replace(/"/g, '&#34;')}.</p>`)
    expect(await readFile(result.outputs['checksums'] ?? '', 'utf8')).toBe(
      `${sha256('alpha')}  a.txt\n\\${sha256('beta')}  b\\\\c.txt\n`
    )
  })
})

describe('a run past what actions/attest takes', () => {
  it('1,025 files: a line of the log and of the summary says so, and no warning', async () => {
    await Promise.all(
      Array.from({ length: 1025 }, (_, index) =>
        writeFile(path.join(dir, `f${index}.bin`), String(index))
      )
    )
    const result = await action({ files: '*.bin', concurrency: '32' })
    expect(result.exitCode).toBeUndefined()
    expect(result.outputs['count']).toBe('1025')
    expect(result.log).not.toContain('::warning::')
    const note =
      'The checksums file cannot be attested whole, if a later step gives it to actions/attest: it has 1025 lines; actions/attest takes at most 1024 subjects'
    expect(result.log.split('\n')).toContain(note)
    expect(result.summary).toContain(`<p>${note}.</p>`)
    const written = await readFile(result.outputs['checksums'] ?? '', 'utf8')
    expect(written.split('\n')).toHaveLength(1026)
  })
})

describe('what the step says when something breaks', () => {
  /** Makes the first write of a line holding `marker` to stdout throw `error`. */
  function throwOnce(marker: string, error: unknown): void {
    let thrown = false
    vi.mocked(process.stdout.write).mockImplementation((chunk: string | Uint8Array) => {
      const text = String(chunk)
      if (!thrown && text.includes(marker)) {
        thrown = true
        throw error
      }
      stdout.push(text)
      return true
    })
  }

  it('fails the step with an unexpected error that has no stack, logging an empty debug line', async () => {
    process.env.RUNNER_DEBUG = '1'
    const error = new Error('stdout is gone')
    Reflect.deleteProperty(error, 'stack')
    throwOnce('::add-mask::', error)
    const result = await action({ files: 'a.txt' })
    expect(result.exitCode).toBe(1)
    expect(result.log).toContain('::debug::\n::error::stdout is gone\n')
  })

  it('fails the step with a thrown value that is not an Error, logging an empty debug line', async () => {
    process.env.RUNNER_DEBUG = '1'
    throwOnce('::add-mask::', 'a string')
    const result = await action({ files: 'a.txt' })
    expect(result.exitCode).toBe(1)
    expect(result.log).toContain('::debug::\n::error::a string\n')
  })

  it('warns and leaves the checksums output empty when the checksums file cannot be written', async () => {
    // A folder where the checksums file should go, made as soon as the manifest's folder appears.
    const watcher = watch(dir, (_event, name) => {
      if (name?.startsWith('empiricalrun-upload-')) {
        try {
          mkdirSync(path.join(dir, name, 'checksums.txt'))
        } catch {
          // Made already.
        }
      }
    })
    try {
      const result = await action({ files: 'a.txt' })
      expect(result.exitCode).toBeUndefined()
      expect(result.outputs['manifest']).not.toBe('')
      expect(result.outputs['checksums']).toBe('')
      expect(result.log).toMatch(
        /::warning::The checksums file could not be written: EISDIR: illegal operation on a directory, open '.*checksums\.txt'; the checksums output is empty\n/
      )
    } finally {
      watcher.close()
    }
  })
})
