// The core's entry point, runUpload, in this process against the emulator, with settings read as
// the action reads its inputs (so that messages speak the action's words): what a run returns
// (the manifest's data and its failure message), what it logs and masks, and how it lists,
// skips, cancels and reports progress. The action, the CLI and the library are faces over it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { startEmulator, type Emulator } from '../../emulator/emulator.ts'
import { makeWorkspace } from '../../scripts/run-action.ts'
import { InputError } from '../../src/core/errors.ts'
import type { Logger } from '../../src/core/log.ts'
import { runUpload, type RunHooks, type UploadResult } from '../../src/core/run.ts'
import { resolveSettings } from '../../src/core/settings/resolve.ts'
import { type SettingKey } from '../../src/core/settings/settings.ts'
import { keyRefusedHint } from '../../src/core/settings/words.ts'
import type { ProgressState } from '../../src/core/transfer/progress.ts'
import { MemoryTransport } from '../support/memory-transport.ts'

const KEY_REFUSED_HINT = keyRefusedHint('action')

/** Tests a mutant can leave hanging fail after this, well before Stryker's own timeout. */
const HANG_MS = 4000

let emulator: Emulator
let root: string

beforeAll(async () => {
  emulator = await startEmulator({ projects: [1] })
  root = await mkdtemp(path.join(os.tmpdir(), 'core-run-'))
})
afterAll(async () => {
  await emulator.close()
  await rm(root, { recursive: true, force: true })
})
afterEach(() => {
  emulator.reset()
  emulator.setThrottle(undefined)
  vi.restoreAllMocks()
})

/** A fresh workspace holding `files` (path → content), in the file's scratch folder. */
const workspace = (files: Record<string, string>): Promise<string> => makeWorkspace(files, root)

/** A logger that keeps every call, in order, as `kind: text`. */
function recorder(debug = false): Logger & { events: string[]; text: () => string } {
  const events: string[] = []
  const add =
    (kind: string) =>
    (text = ''): void => {
      events.push(`${kind}: ${text}`)
    }
  return {
    events,
    text: () => events.join('\n'),
    info: add('info'),
    warning: add('warning'),
    debug: add('debug'),
    isDebug: () => debug,
    startGroup: add('group'),
    endGroup: add('end'),
    mask: add('mask')
  }
}

type Given = string | number | boolean | readonly string[] | undefined
type Options = Partial<Record<SettingKey, Given>> & {
  retryBaseMs?: number
  progressIntervalMs?: number
  missingPath?: 'error' | 'warn'
} & Pick<RunHooks, 'log' | 'onProgress' | 'signal' | 'transport'>

/** The text a workflow would have given for a value. */
function asText(value: Given): string | undefined {
  if (value === undefined) return undefined
  return Array.isArray(value) ? value.join('\n') : String(value)
}

/** runUpload against the emulator, with fast retries, its settings read as the action reads inputs. */
async function upload(cwd: string, options: Options = {}): Promise<UploadResult> {
  const {
    log,
    onProgress,
    signal,
    retryBaseMs = 0,
    progressIntervalMs,
    missingPath,
    transport,
    ...given
  } = {
    apiKey: emulator.apiKey,
    projectId: 1,
    files: '**/*.txt',
    baseUrl: emulator.apiUrl,
    retries: 2,
    requestTimeout: 10,
    ...options
  }
  const text = Object.fromEntries(Object.entries(given).map(([key, value]) => [key, asText(value)]))
  const settings = resolveSettings(text, {
    face: 'action',
    source: 'text',
    workspace: cwd,
    retryBaseMs,
    progressIntervalMs
  })
  return runUpload(settings, { face: 'action', log, onProgress, signal, missingPath, transport })
}

/**
 * The log's lines with durations and the API's origin made stable. Debug lines (finding files
 * writes some) are kept only when asked for.
 */
function stable(log: ReturnType<typeof recorder>, debug = false): string[] {
  const lines = debug ? log.events : log.events.filter((line) => !line.startsWith('debug: '))
  return lines.map((line) =>
    line.replaceAll(emulator.apiUrl, 'API').replace(/\d+(\.\d+)? (ms|s)\b/g, 'T')
  )
}

describe('a run that uploads', () => {
  it('uploads every matched file and returns the manifest, logging each step in a group', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha', 'sub/b.txt': 'bravo!', 'c.md': 'not matched' })
    const log = recorder()
    const result = await upload(cwd, { log, description: 'ci run' })
    expect(result).toMatchObject({
      projectId: 1,
      namePrefix: '',
      dryRun: false,
      totals: { files: 2, bytes: 11, uploaded: 2, existing: 0, failed: 0, cancelled: 0 },
      failure: undefined,
      cancelled: false
    })
    // Both files upload at once: ids follow the creates' arrival, ✓ lines the finishing order.
    const ids = new Map(emulator.uploaded().map((record) => [record.name, record.id]))
    expect([...ids.values()].sort()).toEqual([1, 2])
    expect(
      result.files.map(({ path, name, id, existing }) => ({ path, name, id, existing }))
    ).toEqual([
      { path: 'a.txt', name: 'a.txt', id: ids.get('a.txt'), existing: false },
      { path: 'sub/b.txt', name: 'sub/b.txt', id: ids.get('sub/b.txt'), existing: false }
    ])
    expect(emulator.uploaded().map((record) => record.description)).toEqual(['ci run', 'ci run'])
    const lines = stable(log)
    expect(lines[0]).toBe(`mask: ${emulator.apiKey}`)
    const shown = lines.filter((line) => !line.startsWith('mask: '))
    expect([...shown.slice(0, 1), ...shown.slice(1, 3).sort(), ...shown.slice(3)]).toEqual([
      'group: Uploading 2 files (11 B) to empirical.run project 1',
      `info: ✓ a.txt → ${ids.get('a.txt')} (5 B, T)`,
      `info: ✓ sub/b.txt → ${ids.get('sub/b.txt')} (6 B, T)`,
      'info: Done in T: 2 of 2 files uploaded',
      'end: '
    ])
    expect(lines.filter((line) => /^mask: [0-9a-f]{64}$/.test(line))).toHaveLength(2)
  })

  it('masks the key and every URL signature before a line could carry it, with debug on', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha', 'b.txt': 'bravo' })
    const log = recorder(true)
    const result = await upload(cwd, { log, downloadUrl: true })
    expect(result.failure).toBeUndefined()
    const signatures = [
      ...emulator.requests
        .filter((request) => request.server === 'storage')
        .map((request) => request.query['X-Amz-Signature'] ?? ''),
      ...result.files.map(
        (entry) => new URL(entry.url ?? '').searchParams.get('X-Amz-Signature') ?? ''
      )
    ]
    expect(signatures).toHaveLength(4)
    for (const secret of [emulator.apiKey, ...signatures]) {
      expect(secret).not.toBe('')
      const masked = log.events.indexOf(`mask: ${secret}`)
      expect(masked).toBeGreaterThanOrEqual(0)
      const shown = log.events.findIndex(
        (line) => !line.startsWith('mask: ') && line.includes(secret)
      )
      expect(shown).toBe(-1)
    }
    expect(log.events[0]).toBe(`mask: ${emulator.apiKey}`)
    // Debug lines name each request without its query.
    expect(stable(log, true).filter((line) => line.startsWith('debug: '))).toEqual(
      expect.arrayContaining([
        'debug: create: POST API/api/files → HTTP 201 in T',
        'debug: confirm: PATCH API/api/files/1 → HTTP 200 in T',
        'debug: get: GET API/api/files/2 → HTTP 200 in T',
        expect.stringMatching(
          /^debug: upload: PUT http:\/\/127\.0\.0\.1:\d+\/\S+\/a\.txt → HTTP 200 in T$/
        )
      ])
    )
  })

  it('logs no request when debug is off', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    const log = recorder(false)
    await upload(cwd, { log })
    expect(log.events.filter((line) => /^debug: (create|upload|confirm): /.test(line))).toEqual([])
    expect(log.events.some((line) => line.startsWith('debug: '))).toBe(true)
  })

  it('logs a request that got no answer as such', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    emulator.faults.push({ step: 'create', action: { type: 'lost-answer' } })
    const log = recorder(true)
    await upload(cwd, { log })
    expect(stable(log, true)).toContain('debug: create: POST API/api/files → no answer in T')
  })

  it('names files with the prefix, and says so', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    const log = recorder()
    const result = await upload(cwd, { log, namePrefix: 'builds/v1/' })
    expect(result.namePrefix).toBe('builds/v1/')
    expect(emulator.uploaded()[0]?.name).toBe('builds/v1/a.txt')
    expect(stable(log)).toContain(
      "group: Uploading 1 file (5 B) to empirical.run project 1, names prefixed with 'builds/v1/'"
    )
    expect(stable(log)).toContain('info: ✓ a.txt → 1 as builds/v1/a.txt (5 B, T)')
  })

  it('logs each retry with the file, the failure and the wait', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    emulator.faults.push({ step: 'create', action: { type: 'status', status: 503 } })
    const log = recorder()
    const result = await upload(cwd, { log })
    expect(result.failure).toBeUndefined()
    expect(stable(log)).toContain(
      'info:   ↻ a.txt: create failed: HTTP 503: Emulated fault: HTTP 503; retry 1 of 2 in T'
    )
  })

  it('says when a confirm was settled by reading the record back', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    emulator.faults.push({ step: 'confirm', times: 3, action: { type: 'lost-answer' } })
    const log = recorder()
    const result = await upload(cwd, { log })
    expect(result.totals.uploaded).toBe(1)
    expect(stable(log)).toContain(
      'info: ✓ a.txt → 1 (5 B, T; confirmed by reading the record back)'
    )
  })

  it('uses up to two connections per file in flight', async () => {
    const slow = await startEmulator({ latencyMs: 20 })
    try {
      const cwd = await workspace({ 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c', 'd.txt': 'd' })
      const result = await upload(cwd, {
        baseUrl: slow.apiUrl,
        apiKey: slow.apiKey,
        concurrency: 2
      })
      expect(result.failure).toBeUndefined()
      const apiPorts = new Set(
        slow.requests.filter((entry) => entry.server === 'api').map((entry) => entry.remotePort)
      )
      expect(apiPorts.size).toBeGreaterThanOrEqual(2)
      expect(apiPorts.size).toBeLessThanOrEqual(4)
    } finally {
      await slow.close()
    }
  })

  it('closes the transport it ran over once, when done', async () => {
    const cwd = await workspace({ 'a.txt': 'a', 'b.txt': 'b' })
    const transport = new MemoryTransport()
    const result = await upload(cwd, { transport })
    expect(result.failure).toBeUndefined()
    expect(transport.uploaded().map((record) => record.name)).toEqual(['a.txt', 'b.txt'])
    expect(transport.closed).toBe(1)
  })

  it('reports progress while uploads run, by default as a log line', async () => {
    const cwd = await workspace({ 'slow.txt': 'x'.repeat(40_000) })
    emulator.setThrottle(200_000)
    const states: ProgressState[] = []
    const log = recorder()
    const withHook = await upload(cwd, {
      progressIntervalMs: 10,
      onProgress: (state) => states.push({ ...state })
    })
    expect(withHook.failure).toBeUndefined()
    expect(states.length).toBeGreaterThan(0)
    expect(states[0]).toMatchObject({ totalBytes: 40_000, totalFiles: 1 })
    const last = states.at(-1)
    expect(last?.sentBytes).toBeLessThanOrEqual(40_000)
    emulator.reset()
    await upload(cwd, { progressIntervalMs: 10, log })
    expect(
      log.events.some((line) =>
        /^info: … .* of 39\.1 KiB sent \(\d+%\), [01] of 1 files done, /.test(line)
      )
    ).toBe(true)
  })
})

describe('a run that fails', () => {
  it('names each failed file in the failure, and counts them', async () => {
    const cwd = await workspace({ 'good.txt': 'good', 'bad.txt': 'bad' })
    emulator.faults.push({
      step: 'create',
      name: 'bad.txt',
      action: { type: 'status', status: 400 }
    })
    const log = recorder()
    const result = await upload(cwd, { log })
    expect(result.totals).toMatchObject({ files: 2, uploaded: 1, failed: 1 })
    expect(result.failure).toBe(
      '1 of 2 files failed to upload:\n  bad.txt: create failed: HTTP 400: Emulated fault: HTTP 400'
    )
    expect(stable(log)).toContain(
      'info: ✗ bad.txt: create failed: HTTP 400: Emulated fault: HTTP 400'
    )
    expect(stable(log)).toContain('info: Done in T: 1 of 2 files uploaded, 1 failed')
  })

  it('lists at most 20 failures, and counts the rest', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 21 }, (_, i) => [`f${String(i).padStart(2, '0')}.txt`, `${i}`])
    )
    const cwd = await workspace(files)
    const result = await upload(cwd, { projectId: 99, concurrency: 4 })
    const lines = result.failure?.split('\n') ?? []
    expect(lines[0]).toBe('21 of 21 files failed to upload:')
    expect(lines).toHaveLength(22)
    expect(lines[20]).toMatch(/^ {2}f19\.txt: create failed: HTTP 404: Project not found \(/)
    expect(lines[21]).toBe('  … and 1 more (see the log)')
  })

  it('lists exactly 20 failures without a remainder', async () => {
    const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`g${i}.txt`, `${i}`]))
    const result = await upload(await workspace(files), { projectId: 99, concurrency: 4 })
    const lines = result.failure?.split('\n') ?? []
    expect(lines).toHaveLength(21)
    expect(lines.at(-1)).not.toContain('more')
  })

  it('names files uploaded without the download URL asked for, beside the failed ones', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha', 'b.txt': 'bravo', 'c.txt': 'charlie' })
    emulator.faults.push({ step: 'create', name: 'c.txt', action: { type: 'status', status: 400 } })
    emulator.faults.push({
      step: 'get',
      name: 'a.txt',
      times: 3,
      action: { type: 'status', status: 503 }
    })
    const log = recorder()
    const result = await upload(cwd, { log, downloadUrl: true, concurrency: 1 })
    expect(result.failure).toBe(
      [
        '1 of 3 files failed to upload; 1 of 3 files are uploaded without the download URL asked for:',
        '  c.txt: create failed: HTTP 400: Emulated fault: HTTP 400',
        '  a.txt: uploaded as 1, but its download URL could not be read: get failed: HTTP 503: Emulated fault: HTTP 503 (after 2 retries)'
      ].join('\n')
    )
    expect(stable(log)).toContain(
      'info: ✗ a.txt → 1: its download URL could not be read: get failed: HTTP 503: Emulated fault: HTTP 503 (after 2 retries)'
    )
    expect(result.files[0]?.error).toBe(
      'the download URL could not be read: get failed: HTTP 503: Emulated fault: HTTP 503 (after 2 retries)'
    )
  })

  it('a download URL missing alone is a failure of its own', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    emulator.faults.push({ step: 'get', times: 3, action: { type: 'status', status: 503 } })
    const result = await upload(cwd, { downloadUrl: true })
    expect(result.failure?.split('\n')[0]).toBe(
      '1 of 1 file are uploaded without the download URL asked for:'
    )
  })

  it(
    'stops at a cancel: what is in flight settles, the rest is not started',
    { timeout: HANG_MS },
    async () => {
      const files = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`c${i}.txt`, `c${i}`]))
      const cwd = await workspace(files)
      emulator.faults.push({ step: 'create', name: 'c1.txt', action: { type: 'hang' } })
      const controller = new AbortController()
      const running = upload(cwd, { concurrency: 1, signal: controller.signal })
      await expect
        .poll(() => emulator.requests.filter((entry) => entry.step === 'create').length, {
          timeout: 3000
        })
        .toBe(2)
      controller.abort()
      const result = await running
      expect(result.cancelled).toBe(true)
      // The files a cancel stopped are counted apart from failures.
      expect(result.totals).toMatchObject({ uploaded: 1, failed: 0, cancelled: 3 })
      expect(result.failure).toBe(
        [
          'Cancelled: the run was stopped with 1 of 4 files uploaded, 3 not uploaded:',
          '  c1.txt: not uploaded: the run was cancelled',
          '  c2.txt: not uploaded: the run was cancelled',
          '  c3.txt: not uploaded: the run was cancelled'
        ].join('\n')
      )
    }
  )

  it('refuses a bad option before any request', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    await expect(upload(cwd, { projectId: 'one' })).rejects.toBeInstanceOf(InputError)
    await expect(upload(cwd, { concurrency: 0 })).rejects.toThrow("Input 'concurrency'")
    expect(emulator.requests).toEqual([])
  })
})

describe('no matching files', () => {
  it('is a failure by default, with the patterns and how to allow it', async () => {
    const cwd = await workspace({ 'a.md': 'x' })
    const log = recorder()
    const result = await upload(cwd, { log })
    expect(result).toMatchObject({
      dryRun: false,
      files: [],
      totals: { files: 0, bytes: 0, uploaded: 0, existing: 0, failed: 0, cancelled: 0 },
      cancelled: false
    })
    expect(result.failure).toBe(
      "No files were found with the provided patterns:\n**/*.txt\n(set 'if-no-files-found' to warn or ignore to allow this)"
    )
    expect(stable(log)).toEqual([`mask: ${emulator.apiKey}`])
  })

  it('is a warning or a note when allowed; a brace pattern gets advice', async () => {
    const cwd = await workspace({ 'a.md': 'x' })
    const warned = recorder()
    const warn = await upload(cwd, { log: warned, ifNoFilesFound: 'warn', files: '{a,b}.txt' })
    expect(warn.failure).toBeUndefined()
    expect(stable(warned).slice(1)).toEqual([
      'warning: No files were found with the provided patterns:\n{a,b}.txt\n' +
        'Braces such as {a,b} are not expanded: list each pattern on its own line instead.'
    ])
    const noted = recorder()
    const ignore = await upload(cwd, { log: noted, ifNoFilesFound: 'ignore', dryRun: true })
    expect(ignore).toMatchObject({ failure: undefined, dryRun: true, cancelled: false, files: [] })
    expect(ignore.totals).toEqual({
      files: 0,
      bytes: 0,
      uploaded: 0,
      existing: 0,
      failed: 0,
      cancelled: 0
    })
    expect(stable(noted).slice(1)).toEqual([
      'info: No files were found with the provided patterns:\n**/*.txt'
    ])
    expect(emulator.requests).toEqual([])
  })
})

describe('dry runs and skip-existing', () => {
  it('a dry run lists what it would upload and makes no request, even without a key', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha', 'b.txt': 'bravo!' })
    const log = recorder()
    const transport = new MemoryTransport()
    const result = await upload(cwd, { log, dryRun: true, apiKey: '', transport })
    expect(result).toMatchObject({ dryRun: true, failure: undefined, cancelled: false })
    expect(result.badRecords).toEqual([])
    expect(result.files.map((entry) => entry.id)).toEqual([undefined, undefined])
    expect(stable(log)).toEqual([
      'info: Dry run: 2 files would be uploaded to empirical.run project 1; no request is made.',
      'info:   a.txt (5 B, text/plain)  ← a.txt',
      'info:   b.txt (6 B, text/plain)  ← b.txt'
    ])
    expect(emulator.requests).toEqual([])
    expect(transport.calls).toEqual([])
    expect(transport.closed).toBe(0)
  })

  it('skip-existing leaves out what the project holds, by name and size', async () => {
    emulator.seedFiles([
      { project_id: 1, name: 'same.txt', size_bytes: 4 },
      { project_id: 1, name: 'resized.txt', size_bytes: 99 }
    ])
    const cwd = await workspace({ 'same.txt': 'same', 'resized.txt': 'resized', 'new.txt': 'new' })
    const log = recorder()
    const result = await upload(cwd, { log, skipExisting: true })
    expect(result.totals).toMatchObject({ files: 3, uploaded: 2, existing: 1, failed: 0 })
    expect(result.files.find((entry) => entry.name === 'same.txt')).toMatchObject({
      id: 1,
      existing: true
    })
    expect(emulator.requests.filter((entry) => entry.step === 'create')).toHaveLength(2)
    expect(stable(log).filter((line) => !line.startsWith('mask: '))).toEqual([
      'info: Project 1 holds 2 uploaded files (listed in T); 1 of the 3 local files matches one by name and size',
      'group: Uploading 2 files (10 B) to empirical.run project 1',
      expect.stringMatching(/^info: [✓=] /),
      expect.stringMatching(/^info: [✓=] /),
      expect.stringMatching(/^info: [✓=] /),
      'info: Done in T: 2 of 3 files uploaded, 1 already in the project',
      'end: '
    ])
    expect(stable(log)).toContain('info: = same.txt → 1 (already in the project)')
  })

  it('a re-run that finds every file there says so, not that it uploads 0 files', async () => {
    emulator.seedFiles([
      { project_id: 1, name: 'a.txt', size_bytes: 1 },
      { project_id: 1, name: 'b.txt', size_bytes: 2 },
      { project_id: 1, name: 'c.txt', size_bytes: 3 }
    ])
    const cwd = await workspace({ 'a.txt': 'a', 'b.txt': 'bb', 'c.txt': 'ccc' })
    const log = recorder()
    const result = await upload(cwd, { log, skipExisting: true })
    expect(result.totals).toMatchObject({ files: 3, uploaded: 0, existing: 3 })
    const lines = stable(log).filter((line) => !line.startsWith('mask: '))
    expect(lines.slice(0, 2)).toEqual([
      'info: Project 1 holds 3 uploaded files (listed in T); all 3 local files match one by name and size',
      'group: All 3 files are already in empirical.run project 1; nothing to upload'
    ])
    // Files end in the order their hashes finish.
    expect(lines.slice(2, 5).sort()).toEqual([
      'info: = a.txt → 1 (already in the project)',
      'info: = b.txt → 2 (already in the project)',
      'info: = c.txt → 3 (already in the project)'
    ])
    expect(lines.slice(5)).toEqual([
      'info: Done in T: all 3 files are already in the project, nothing to upload',
      'end: '
    ])
    expect(emulator.requests.filter((entry) => entry.step === 'create')).toEqual([])
  })

  it('with verify, the heading counts the files already there that are read back', async () => {
    // A seeded record stores zero bytes: its content differs from the file of the same size.
    emulator.seedFiles([{ project_id: 1, name: 'same.txt', size_bytes: 4 }])
    const cwd = await workspace({ 'same.txt': 'same' })
    const log = recorder()
    const result = await upload(cwd, { log, skipExisting: true, verify: true })
    expect(result.totals).toMatchObject({ files: 1, uploaded: 1, existing: 0, failed: 0 })
    expect(stable(log)).toContain(
      'group: Reading back 1 file already in empirical.run project 1 to verify its bytes ' +
        '(a file whose bytes differ is uploaded again)'
    )
    await writeFile(path.join(cwd, 'new.txt'), 'new')
    const again = recorder()
    await upload(cwd, { log: again, skipExisting: true, verify: true })
    expect(stable(again)).toContain(
      'group: Uploading 1 file (3 B) to empirical.run project 1, each read back to verify its bytes; ' +
        'reading back 1 file already there too (a file whose bytes differ is uploaded again)'
    )
  })

  it('a dry run with skip-existing lists the project and says what it would skip', async () => {
    emulator.seedFiles([{ project_id: 1, name: 'same.txt', size_bytes: 4 }])
    const cwd = await workspace({ 'same.txt': 'same', 'new.txt': 'new' })
    const log = recorder()
    const result = await upload(cwd, { log, skipExisting: true, dryRun: true })
    expect(result).toMatchObject({ dryRun: true, failure: undefined })
    expect(result.files).toEqual([
      expect.not.objectContaining({ id: expect.anything() }),
      expect.objectContaining({ name: 'same.txt', id: 1, existing: true })
    ])
    expect(stable(log).slice(2)).toEqual([
      'info: Dry run: 1 file would be uploaded to empirical.run project 1 and 1 skipped as already there; the project was listed; nothing is uploaded.',
      'info:   new.txt (3 B, text/plain)  ← new.txt',
      'info: = same.txt → 1 (already in the project; would be skipped)'
    ])
    expect(emulator.requests.map((entry) => entry.step)).toEqual(['list'])
  })

  it('a listing that fails uploads nothing and says why, naming the setting to check', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha', 'b.txt': 'bravo' })
    emulator.faults.push({ step: 'list', times: 3, action: { type: 'status', status: 503 } })
    const log = recorder()
    const result = await upload(cwd, { log, skipExisting: true })
    expect(result.failure).toBe(
      "skip-existing: the project's files could not be listed, so nothing was uploaded " +
        '(uploading without the list could make duplicates): list failed: HTTP 503: Emulated fault: HTTP 503 (after 2 retries)'
    )
    expect(result.cancelled).toBe(false)
    expect(result.badRecords).toEqual([])
    expect(result.files.map((entry) => entry.error)).toEqual([
      "not uploaded: the project's files could not be listed",
      "not uploaded: the project's files could not be listed"
    ])
    expect(result.totals.failed).toBe(2)
    expect(stable(log)).toContain(
      'info:   ↻ list failed: HTTP 503: Emulated fault: HTTP 503; retry 1 of 2 in T'
    )
    expect(emulator.requests.every((entry) => entry.step === 'list')).toBe(true)

    const refused = await upload(cwd, { skipExisting: true, dryRun: true, apiKey: 'wrong' })
    expect(refused.dryRun).toBe(true)
    expect(refused.badRecords).toEqual([])
    expect(refused.failure).toBe(
      "skip-existing: the project's files could not be listed, so nothing was uploaded " +
        `(uploading without the list could make duplicates): list failed: HTTP 401: Unauthorized (${KEY_REFUSED_HINT})`
    )
    const unknown = await upload(cwd, { skipExisting: true, projectId: 5 })
    expect(unknown.failure).toContain(
      `list failed: HTTP 404: Project not found (no such project, or the key cannot see it: check project-id; or no files API at ${emulator.apiUrl}/api/files: check base-url)`
    )
  })

  it(
    'a cancel while listing ends the run as cancelled, with no file started',
    { timeout: HANG_MS },
    async () => {
      const cwd = await workspace({ 'a.txt': 'alpha' })
      emulator.faults.push({ step: 'list', times: 2, action: { type: 'hang' } })
      for (const dryRun of [false, true]) {
        const controller = new AbortController()
        const running = upload(cwd, { skipExisting: true, dryRun, signal: controller.signal })
        await expect
          .poll(() => emulator.requests.filter((entry) => entry.step === 'list').length, {
            timeout: 3000
          })
          .toBe(dryRun ? 2 : 1)
        controller.abort()
        const result = await running
        expect(result.cancelled).toBe(true)
        expect(result.dryRun).toBe(dryRun)
        expect(result.badRecords).toEqual([])
        if (dryRun) {
          expect(result.failure).toBe(
            "Cancelled: the run was stopped while the project's files were being listed"
          )
        } else {
          expect(result.failure).toBe(
            'Cancelled: the run was stopped with 0 of 1 file uploaded, 1 not uploaded:\n  a.txt: not uploaded: the run was cancelled'
          )
          expect(result.files[0]?.error).toBe('not uploaded: the run was cancelled')
        }
      }
      expect(emulator.requests.filter((entry) => entry.step === 'create')).toEqual([])
    }
  )
})

/** Milliseconds in a duration as formatDuration writes it: `850 ms`, `1.2 s`, `3 min 5 s`. */
function millis(text: string): number {
  const [, min, sec] = /^(?:(\d+) min )?(\d+(?:\.\d+)?) s$/.exec(text) ?? []
  if (sec !== undefined) return (Number(min ?? 0) * 60 + Number(sec)) * 1000
  return Number(/^(\d+) ms$/.exec(text)?.[1] ?? NaN)
}

describe('what the log and the result say, to the letter', () => {
  it('times each step with the time it took, never more than the run', async () => {
    emulator.seedFiles([{ project_id: 1, name: 'held.txt', size_bytes: 4 }])
    const cwd = await workspace({ 'held.txt': 'held', 'new.txt': 'new' })
    const log = recorder()
    const started = performance.now()
    await upload(cwd, { log, skipExisting: true })
    const elapsed = performance.now() - started
    const spans = log.events.flatMap((line) => {
      const match = /(?:listed in|Done in|B,) ((?:\d+ min )?[\d.]+ m?s)\b/.exec(line)
      return match?.[1] === undefined ? [] : [millis(match[1])]
    })
    expect(spans).toHaveLength(3)
    for (const span of spans) expect(span).toBeLessThanOrEqual(elapsed + 1)
  })

  it('lists files in path order, whatever the order of the patterns', async () => {
    const cwd = await workspace({ 'b.txt': 'b', 'a.txt': 'a', 'c.txt': 'c' })
    const result = await upload(cwd, { files: 'c.txt\nb.txt\na.txt', dryRun: true })
    expect(result.files.map((entry) => entry.path)).toEqual(['a.txt', 'b.txt', 'c.txt'])
  })

  it('takes patterns as a list, and a key with spaces around it', async () => {
    const cwd = await workspace({ 'a.txt': 'a', 'b.md': 'b', 'c.txt': 'c' })
    const result = await upload(cwd, { files: ['a.txt', 'b.md'], apiKey: `  ${emulator.apiKey}  ` })
    expect(result.failure).toBeUndefined()
    expect(result.files.map((entry) => entry.path)).toEqual(['a.txt', 'b.md'])
  })

  it('names what is wrong with a setting, as it was given', async () => {
    const cwd = await workspace({ 'a.txt': 'a' })
    await expect(upload(cwd, { projectId: '' })).rejects.toThrow(
      "Input 'project-id' is required: give a whole number from 1, such as 42"
    )
    await expect(upload(cwd, { ifNoFilesFound: ' nope ' })).rejects.toThrow(
      "Input 'if-no-files-found': 'nope' is not allowed: give error, warn or ignore"
    )
    await expect(upload(cwd, { baseUrl: 'http://a127.0.0.1:8080', dryRun: true })).rejects.toThrow(
      "Input 'base-url'"
    )
    // Any 127.x.y.z is this machine: plain http is allowed to it.
    const dry = await upload(cwd, { baseUrl: 'http://127.0.0.12:1', dryRun: true })
    expect(dry.failure).toBeUndefined()
  })

  it('a logger without isDebug gets no request lines', async () => {
    const cwd = await workspace({ 'a.txt': 'a' })
    const lines: string[] = []
    await upload(cwd, { log: { debug: (line) => lines.push(line) } })
    expect(lines.filter((line) => /^(create|upload|confirm): /.test(line))).toEqual([])
  })

  it('a dry run counts what it would skip, once per file held', async () => {
    emulator.seedFiles([{ project_id: 1, name: 'held.txt', size_bytes: 4 }])
    const cwd = await workspace({ 'held.txt': 'held', 'a.txt': 'a', 'b.txt': 'b' })
    const log = recorder()
    await upload(cwd, { log, skipExisting: true, dryRun: true })
    expect(stable(log)).toContain(
      'info: Dry run: 2 files would be uploaded to empirical.run project 1 and 1 skipped as already there; the project was listed; nothing is uploaded.'
    )
  })

  it('a dry run whose listing fails is a failure, not a cancel', async () => {
    const cwd = await workspace({ 'a.txt': 'a' })
    emulator.faults.push({ step: 'list', times: 3, action: { type: 'status', status: 503 } })
    const result = await upload(cwd, { skipExisting: true, dryRun: true })
    expect(result).toMatchObject({ dryRun: true, cancelled: false })
    expect(result.failure).toMatch(/^skip-existing: /)
  })

  it('an allowed miss is neither a failure nor a cancel', async () => {
    const cwd = await workspace({ 'a.md': 'a' })
    for (const ifNoFilesFound of ['warn', 'ignore']) {
      const result = await upload(cwd, { ifNoFilesFound })
      expect(result).toMatchObject({
        failure: undefined,
        cancelled: false,
        dryRun: false,
        files: []
      })
    }
  })
})

describe('advice when nothing matches', () => {
  const HIDDEN =
    "Hidden files (a name or folder starting with '.') are left out: set 'include-hidden-files' to true to upload them."
  const BRACES = 'Braces such as {a,b} are not expanded: list each pattern on its own line instead.'

  async function missed(files: string, options: Options = {}): Promise<string> {
    const cwd = await workspace({ '.github/ci.yml': 'on: push', '.env': 'X=1', 'a.md': 'a' })
    const result = await upload(cwd, { files, dryRun: true, ...options })
    return result.failure ?? ''
  }

  it.each([
    ['.github/*.yml', true],
    ['.env', true],
    ['none/*.yml\n.github/*.yml', true],
    ['conf.d/x.yml', false],
    ['src\\.hidden\\x.yml', true],
    ['../x/*.yml', false],
    ['./x/*.yml', false],
    ['!.github/**\nnone/*.yml', false],
    ['!src/.cache/**\nnone/*.yml', false],
    ['none/*.yml', false]
  ])('%j: the hidden-files advice is given: %s', async (files, advised) => {
    const failure = await missed(files)
    expect(failure.startsWith(`No files were found with the provided patterns:\n${files}`)).toBe(
      true
    )
    expect(failure.includes(HIDDEN)).toBe(advised)
  })

  it('no hidden-files advice when hidden files are already included', async () => {
    expect(await missed('.github/*.txt', { includeHiddenFiles: true })).not.toContain(HIDDEN)
  })

  it.each([
    ['{ab,cd}.txt', true],
    ['{a,b}.txt', true],
    ['{ab}.txt', false],
    ['a,b.txt', false]
  ])('%j: the braces advice is given: %s', async (files, advised) => {
    expect((await missed(files)).includes(BRACES)).toBe(advised)
  })
})

describe('progress, counted', () => {
  it('counts the bytes sent and the files done, and stops reporting when the run ends', async () => {
    const cwd = await workspace({ 'a.txt': 'a', 'slow.txt': 'x'.repeat(40_000) })
    emulator.setThrottle(200_000)
    const states: ProgressState[] = []
    const result = await upload(cwd, {
      progressIntervalMs: 10,
      onProgress: (state) => states.push({ ...state })
    })
    expect(result.failure).toBeUndefined()
    expect(states.some((state) => state.sentBytes > 0)).toBe(true)
    expect(states.some((state) => state.doneFiles === 1)).toBe(true)
    expect(states.every((state) => state.sentBytes <= 40_001 && state.doneFiles <= 2)).toBe(true)
    // A negative check: a few intervals later, nothing more was reported.
    const reported = states.length
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(states).toHaveLength(reported)
  })
})

describe('base-url', () => {
  it('refuses a base URL that already holds the path the client adds, and says what to give', async () => {
    const cwd = await workspace({ 'a.txt': 'a' })
    await expect(
      upload(cwd, { baseUrl: 'https://x.example/gw/api', dryRun: true })
    ).rejects.toThrow(
      "Input 'base-url': 'https://x.example/gw/api' ends in /api, which the action adds itself (it calls <base URL>/api/files): " +
        'give https://x.example/gw instead (the base URL is an origin, optionally with a path prefix the API is served under)'
    )
  })
})

describe('patterns that match nothing while others match', () => {
  it('warns of each by default and under warn, and notes it under ignore', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    const files = ['a.txt', 'b/*.txt', '!c.txt']
    const message =
      "No files were found with the pattern 'b/*.txt'; the other patterns matched files"
    for (const ifNoFilesFound of [undefined, 'warn', 'error']) {
      const log = recorder()
      const result = await upload(cwd, { log, files, ifNoFilesFound })
      expect(result.failure).toBeUndefined()
      expect(result.unmatchedPatterns).toEqual(['b/*.txt'])
      expect(log.events.filter((line) => line.includes('No files'))).toEqual([
        `warning: ${message}`
      ])
    }
    const log = recorder()
    const result = await upload(cwd, { log, files, ifNoFilesFound: 'ignore' })
    expect(result.unmatchedPatterns).toEqual(['b/*.txt'])
    expect(log.events.filter((line) => line.includes('No files'))).toEqual([`info: ${message}`])
  })

  it('names none when every pattern matched', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    const result = await upload(cwd, { files: ['a.txt', '*.txt'] })
    expect(result.unmatchedPatterns).toEqual([])
  })

  it('names every including pattern when nothing matched, without the negations', async () => {
    const cwd = await workspace({ 'a.md': 'x' })
    const result = await upload(cwd, {
      files: ['*.txt', '!x.txt', 'b/*.txt'],
      ifNoFilesFound: 'ignore'
    })
    expect(result.unmatchedPatterns).toEqual(['*.txt', 'b/*.txt'])
    expect(result.badRecords).toEqual([])
  })
})

describe("missingPath: 'error', as the CLI runs", () => {
  it('refuses a path without wildcards that names nothing on disk, before any request', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    const run = upload(cwd, { files: ['a.txt', 'missing.txt'], missingPath: 'error' })
    await expect(run).rejects.toThrow(InputError)
    await expect(run).rejects.toThrow('missing.txt: no such file or directory')
    expect(emulator.requests).toEqual([])
  })

  it('takes a literal path that exists but holds no file, and a wildcard that matched nothing, as warnings', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    await mkdir(path.join(cwd, 'docs'))
    const log = recorder()
    const result = await upload(cwd, {
      log,
      files: ['a.txt', 'docs', 'b/*.txt'],
      missingPath: 'error'
    })
    expect(log.events.filter((line) => line.startsWith('warning:'))).toEqual([
      "warning: No files were found with the pattern 'docs'; the other patterns matched files",
      "warning: No files were found with the pattern 'b/*.txt'; the other patterns matched files"
    ])
    expect(result.failure).toBeUndefined()
    expect(result.files.map((entry) => entry.name)).toEqual(['a.txt'])
    expect(result.unmatchedPatterns).toEqual(['docs', 'b/*.txt'])
  })

  it('reads ~ as the home directory', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    const home = await workspace({})
    await mkdir(path.join(home, 'there'))
    vi.spyOn(os, 'homedir').mockReturnValue(home)
    const result = await upload(cwd, { files: ['a.txt', '~/there'], missingPath: 'error' })
    expect(result.unmatchedPatterns).toEqual(['~/there'])
    await expect(upload(cwd, { files: ['a.txt', '~/gone'], missingPath: 'error' })).rejects.toThrow(
      '~/gone: no such file or directory'
    )
  })

  it.each<['warn' | 'ignore', string]>([
    ['warn', 'warning'],
    ['ignore', 'info']
  ])(
    'under ifNoFilesFound %s, is what that allows: a %s line, and the run goes on',
    async (allow, kind) => {
      const cwd = await workspace({ 'a.txt': 'alpha' })
      const log = recorder()
      const result = await upload(cwd, {
        log,
        files: ['a.txt', 'missing.txt'],
        ifNoFilesFound: allow,
        missingPath: 'error'
      })
      expect(result.failure).toBeUndefined()
      expect(result.files.map((entry) => entry.id)).toEqual([1])
      expect(result.unmatchedPatterns).toEqual(['missing.txt'])
      expect(log.events).toContain(
        `${kind}: No files were found with the pattern 'missing.txt'; the other patterns matched files`
      )
      const alone = await upload(cwd, {
        log,
        files: 'missing.txt',
        ifNoFilesFound: allow,
        missingPath: 'error'
      })
      expect(alone.failure).toBeUndefined()
      expect(alone.unmatchedPatterns).toEqual(['missing.txt'])
    }
  )

  it('is only a warning by default', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    const result = await upload(cwd, { files: ['a.txt', 'missing.txt'] })
    expect(result.failure).toBeUndefined()
    expect(result.unmatchedPatterns).toEqual(['missing.txt'])
    const warned = await upload(cwd, { files: ['a.txt', 'missing.txt'], missingPath: 'warn' })
    expect(warned.unmatchedPatterns).toEqual(['missing.txt'])
  })
})

describe('records left holding other bytes', () => {
  afterEach(() => emulator.setCorrupt(undefined))

  it('are in the result when verify found them, apart from the file they were meant for', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    emulator.setCorrupt({ puts: 'first' })
    const result = await upload(cwd, { verify: true })
    expect(result.failure).toBeUndefined()
    expect(result.files.map((entry) => entry.id)).toEqual([2])
    expect(result.badRecords).toEqual([1])
  })

  it('are named in the log as verify finds them, with the record sent again', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    emulator.setCorrupt({ puts: 'first' })
    const log = recorder()
    const result = await upload(cwd, { verify: true, log })
    expect(result.badRecords).toEqual([1])
    expect(log.events.filter((line) => line.includes('≠'))).toEqual([
      expect.stringMatching(
        /^info: {3}≠ a\.txt: storage holds other bytes in record 1 than were sent \(sha256 [0-9a-f]{64} in the project, [0-9a-f]{64} on disk\): uploading it again as a new record$/
      )
    ])
  })

  it('are none when every upload held its bytes', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    const result = await upload(cwd, { verify: true })
    expect(result.badRecords).toEqual([])
  })
})

describe('a logger that throws', () => {
  it('while the listing is reported rejects with its error, not as a failed listing', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    const log = recorder()
    const broken = new Error('the log is full')
    const info = (text = ''): void => {
      if (text.startsWith('Project 1 holds')) throw broken
      log.info(text)
    }
    await expect(upload(cwd, { log: { ...log, info }, skipExisting: true })).rejects.toBe(broken)
    expect(emulator.requests.filter((entry) => entry.step === 'create')).toEqual([])
  })
})

describe("the Resources API (api: 'resources'): the key's project, no project ID", () => {
  let resources: Emulator
  beforeAll(async () => {
    resources = await startEmulator({ api: 'resources', projects: [4] })
  })
  afterAll(() => resources.close())
  afterEach(() => resources.reset())

  /** `upload` against the Resources emulator, without a project ID. */
  function viaResources(cwd: string, options: Options = {}): Promise<UploadResult> {
    return upload(cwd, {
      api: 'resources',
      projectId: undefined,
      apiKey: resources.apiKey,
      baseUrl: resources.apiUrl,
      ...options
    })
  }
  const stableHere = (log: ReturnType<typeof recorder>): string[] =>
    stable(log)
      .filter((line) => !line.startsWith('mask: '))
      .map((line) => line.replaceAll(resources.apiUrl, 'API'))

  it("uploads into the key's project on /api/resources only, and names that project", async () => {
    const cwd = await workspace({ 'a.txt': 'alpha', 'sub/b.txt': 'bravo!' })
    const log = recorder()
    const result = await viaResources(cwd, { log })
    expect(result).toMatchObject({
      projectId: undefined,
      totals: { files: 2, uploaded: 2, failed: 0 },
      failure: undefined
    })
    expect(resources.uploaded().map((record) => record.project_id)).toEqual([4, 4])
    expect(stableHere(log)[0]).toBe(
      "group: Uploading 2 files (11 B) to the key's empirical.run project"
    )
    expect(resources.requests.filter((entry) => entry.path.startsWith('/api/files'))).toEqual([])
    expect(new Set(resources.requests.map((entry) => entry.step))).toEqual(
      new Set(['create', 'put', 'confirm'])
    )
  })

  it('a skip-existing re-run uploads nothing and gives the same IDs', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha', 'b.txt': 'bravo' })
    const first = await viaResources(cwd, { downloadUrl: true, verify: true })
    const log = recorder()
    const again = await viaResources(cwd, {
      log,
      skipExisting: true,
      downloadUrl: true,
      verify: true
    })
    expect(again.totals).toMatchObject({ files: 2, uploaded: 0, existing: 2, failed: 0 })
    expect(again.files.map((entry) => entry.id)).toEqual(first.files.map((entry) => entry.id))
    expect(again.files.every((entry) => entry.url?.startsWith(resources.storageUrl))).toBe(true)
    expect(stableHere(log).slice(0, 2)).toEqual([
      "info: The key's project holds 2 uploaded files (listed in T); both local files match one by name and size",
      "group: Reading back 2 files already in the key's empirical.run project to verify their bytes (a file whose bytes differ is uploaded again)"
    ])
    expect(resources.requests.filter((entry) => entry.step === 'create')).toHaveLength(2)
    expect(resources.requests.filter((entry) => entry.path.startsWith('/api/files'))).toEqual([])
  })

  it("a dry run names the key's project", async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    const log = recorder()
    await viaResources(cwd, { log, dryRun: true })
    expect(stableHere(log)[0]).toBe(
      "info: Dry run: 1 file would be uploaded to the key's empirical.run project; no request is made."
    )
  })

  it('a 404 names the path called and the key, not a project ID', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    resources.faults.push({ step: 'list', action: { type: 'status', status: 404 } })
    const listed = await viaResources(cwd, { skipExisting: true })
    expect(listed.failure).toContain(
      `list failed: HTTP 404: Emulated fault: HTTP 404 (the key's project cannot be reached (the key picks the project): check auth-key / EMPIRICALRUN_KEY; or no resources API at ${resources.apiUrl}/api/resources: check base-url)`
    )
    // A base URL of the Files API's host under the Resources API: no such path there.
    const files = await upload(cwd, {
      api: 'resources',
      projectId: undefined,
      baseUrl: emulator.apiUrl
    })
    expect(files.failure).toContain(
      `create failed: HTTP 404: Not found (the key's project cannot be reached (the key picks the project): check auth-key / EMPIRICALRUN_KEY; or no resources API at ${emulator.apiUrl}/api/resources: check base-url)`
    )
  })

  it('refuses project-id before any request', async () => {
    const cwd = await workspace({ 'a.txt': 'alpha' })
    await expect(viaResources(cwd, { projectId: 4 })).rejects.toThrow(
      "Input 'project-id' is not used with the Resources API, where the key picks the project: leave it out, or set 'api' to files to name the project by its ID"
    )
    expect(resources.requests).toEqual([])
  })
})
