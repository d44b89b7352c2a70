// The CLI as its users run it: the bundle dist/cli/index.js in a child process (on the Node that
// CLI_NODE names, Node 24 by default), against the emulator. Flags, streams, exit codes, signals,
// the terminal's progress line, and names as the action computes them.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/emulator.ts'
import type { Manifest } from '../../src/core/results/manifest.ts'
import {
  emulatorWith,
  otherApiRequests,
  runAction,
  runCli,
  runCliInTerminal,
  sharedEmulator,
  signatureRefused,
  tempDir,
  whenBytesArrive,
  workspace
} from '../support/bundle.ts'
import { CLI_NODE, type CliOptions, type CliRun } from '../support/cli.ts'

/** A key no test prints on purpose: any sight of it in an output is a leak. */
const KEY = `erk_${randomBytes(16).toString('hex')}`
const NODE_VERSION = execFileSync(CLI_NODE, ['--version'], { encoding: 'utf8' }).trim()
const PACKAGE = JSON.parse(
  await readFile(new URL('../../package.json', import.meta.url), 'utf8')
) as {
  version: string
  engines: { node: string }
}

const emulator = sharedEmulator({ projects: [7, 8], apiKey: KEY })

/** The flags every upload needs: project 7 of the emulator. */
function target(server: Emulator = emulator): string[] {
  return ['--project-id', '7', '--base-url', server.apiUrl]
}

/** The environment of a run: the key, and fast retries. */
function env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { EMPIRICALRUN_KEY: KEY, EMPIRICALRUN_RETRY_BASE_MS: '10', ...extra }
}

/** Runs the CLI and checks what must hold for every run, whatever its outcome. */
async function cli(
  cwd: string,
  args: readonly string[],
  options: Partial<CliOptions> = {}
): Promise<CliRun> {
  const downloadUrls = args.includes('--download-url')
  // The harness checks that no key or signature shows, a download URL on stdout only.
  const run = await runCli({ cwd, args, env: env(), ...options, allow: { downloadUrls } })
  expectNoLeak(run.stdout + run.stderr, downloadUrls ? 'stderr' : 'both', run)
  expect(run.stderr.split('\n').filter((line) => line.startsWith('::'))).toEqual([])
  expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/)
  return run
}

/**
 * The key never shows; upload URL signatures never show; a download URL (with its signature)
 * shows on stdout only, and only when asked for.
 */
function expectNoLeak(all: string, urlsAllowedOn: 'stderr' | 'both', run: CliRun): void {
  expect(all).not.toContain(KEY)
  const putSignatures = emulator.requests
    .filter((request) => request.server === 'storage' && request.method === 'PUT')
    .map((request) => request.query['X-Amz-Signature'])
    .filter((signature): signature is string => Boolean(signature))
  for (const signature of putSignatures) expect(all).not.toContain(signature)
  expect(run.stderr).not.toContain('X-Amz-Signature')
  if (urlsAllowedOn === 'both') expect(run.stdout).not.toContain('X-Amz-Signature')
}

/** Exit 2, the flag named on stderr, nothing on stdout, and not one request made. */
function expectUsageError(run: CliRun, named: string, server: Emulator = emulator): void {
  expect(run.code).toBe(2)
  expect(run.stderr).toContain(named)
  expect(run.stderr).toMatch(/^error: /)
  expect(run.stdout).toBe('')
  expect(server.requests).toEqual([])
}

/** The `<id>\t<name>[\t<url>]` lines of stdout, split. */
function idLines(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'))
}

function requests(step: string): number {
  return emulator.requests.filter((request) => request.step === step).length
}

/** Percentages of the progress line, in the order they were drawn. */
function percentages(text: string): number[] {
  return [...text.matchAll(/\((\d+)%\)/g)].map((match) => Number(match[1]))
}

describe(`empiricalrun-upload on Node ${NODE_VERSION}`, () => {
  it('runs on a Node the package supports (engines)', () => {
    const [major = 0, minor = 0] = NODE_VERSION.slice(1).split('.').map(Number)
    expect(PACKAGE.engines.node).toBe('>=22.19.0')
    expect(major > 22 || (major === 22 && minor >= 19)).toBe(true)
  })

  it('--help prints the usage on stdout, exit 0, without a key or a request', async () => {
    const dir = await workspace({})
    const run = await cli(dir, ['--help'], { env: {} })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^Usage: empiricalrun-upload \[options\] <pattern>\.\.\./)
    for (const flag of [
      '--project-id',
      '--name-prefix',
      '--skip-existing',
      '--download-url',
      '--dry-run',
      '--concurrency',
      '--retries',
      '--request-timeout',
      '--base-url',
      '--if-no-files-found',
      '--include-hidden-files',
      '--description',
      '--json',
      '--manifest',
      '--verbose',
      '--version',
      'EMPIRICALRUN_KEY'
    ]) {
      expect(run.stdout).toContain(flag)
    }
    expect(run.stdout).not.toContain('--auth-key')
    expect(run.stderr).toBe('')
    expect(emulator.requests).toEqual([])
  })

  it("--version prints the package's version", async () => {
    const dir = await workspace({})
    for (const flag of ['--version', '-V']) {
      const run = await cli(dir, [flag], { env: {} })
      expect(run.code).toBe(0)
      expect(run.stdout).toBe(`${PACKAGE.version}\n`)
    }
  })
})

describe('an upload', () => {
  it('puts every match in the project: stdout has <id>\\t<name> per file, stderr the log', async () => {
    const dir = await workspace({
      'out/app.zip': randomBytes(70_000),
      'out/docs/read me.md': '# hello\n',
      'out/skip.log': 'excluded'
    })
    const run = await cli(dir, [...target(), 'out/**', '!out/*.log'])
    expect(run.code).toBe(0)
    const records = emulator.uploaded()
    expect(records.map((record) => record.name)).toEqual(['app.zip', 'docs/read me.md'])
    expect(idLines(run.stdout)).toEqual(records.map((record) => [String(record.id), record.name]))
    expect(run.stderr).toContain('Uploading 2 files (68.4 KiB) to empirical.run project 7')
    expect(run.stderr).toMatch(/^✓ out\/app\.zip → \d+ \(68\.4 KiB, /m)
    expect(run.stderr).toMatch(/^Done in .+: 2 of 2 files uploaded$/m)
    // No workflow commands, no group markers, no colour.
    expect(run.stderr).not.toContain('\x1b')
    expect(run.stderr).not.toContain('::')
    for (const record of records) expect(record.confirmCount).toBe(1)
  })

  const trees = {
    mixed: {
      files: {
        'out/app.zip': randomBytes(3000),
        'out/docs/read me.md': '# hello\n',
        'out/données/été.json': '{"a":1}',
        'out/.secret/hidden.txt': 'hidden',
        'out/skip.log': 'excluded',
        'reports/junit.xml': '<testsuites/>'
      },
      patterns: ['out/**', '!out/*.log', 'reports/'],
      flags: [] as string[]
    },
    directory: {
      files: { 'build/outputs/a.apk': 'apk', 'build/outputs/sub/b.aab': 'aab' },
      patterns: ['build/outputs/'],
      flags: ['--name-prefix', 'builds/v1.2.3/']
    },
    hidden: {
      files: { 'site/.well-known/x.json': '{}', 'site/index.html': '<p>' },
      patterns: ['site/**/*'],
      flags: ['--include-hidden-files']
    }
  }

  it.each(Object.entries(trees))(
    'names, paths and the manifest are what the action makes of the same tree (%s)',
    async (_, tree) => {
      const dir = await workspace(tree.files)
      const inputs: Record<string, string> = {
        'auth-key': KEY,
        'project-id': '7',
        'base-url': emulator.apiUrl,
        concurrency: '1',
        files: tree.patterns.join('\n')
      }
      if (tree.flags[0] === '--name-prefix') inputs['name-prefix'] = tree.flags[1] ?? ''
      if (tree.flags[0] === '--include-hidden-files') inputs['include-hidden-files'] = 'true'
      const action = await runAction({ workspace: dir, inputs })
      expect(action.code).toBe(0)
      emulator.reset()
      const run = await cli(dir, [
        ...target(),
        '--concurrency',
        '1',
        '--json',
        ...tree.flags,
        ...tree.patterns
      ])
      expect(run.code).toBe(0)
      const manifest = JSON.parse(run.stdout) as Manifest
      expect(manifest).toEqual(JSON.parse(action.manifest))
      expect(manifest.files.length).toBeGreaterThan(1)
    }
  )

  it('--json: stdout is one JSON document, the manifest, and the --manifest file holds the same', async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta' })
    const run = await cli(dir, [...target(), '--json', '--manifest', 'm.json', '*.txt'])
    expect(run.code).toBe(0)
    const manifest = JSON.parse(run.stdout) as Manifest
    expect(Object.keys(manifest)).toEqual([
      'project_id',
      'name_prefix',
      'dry_run',
      'totals',
      'files'
    ])
    expect(manifest).toMatchObject({
      project_id: 7,
      name_prefix: '',
      dry_run: false,
      totals: { files: 2, bytes: 9, uploaded: 2, existing: 0, failed: 0 }
    })
    expect(manifest.files.map((entry) => [entry.id, entry.name, entry.path])).toEqual(
      emulator.uploaded().map((record) => [record.id, record.name, record.name])
    )
    expect(manifest.files[0]).toMatchObject({ size_bytes: 5, mime_type: 'text/plain' })
    expect(manifest.files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(manifest.files[0]?.url).toBeUndefined()
    expect(await readFile(path.join(dir, 'm.json'), 'utf8')).toBe(run.stdout)
  })

  it('--download-url: stdout has the whole signed URL as a third column, which serves the file; stderr never has it', async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.bin': randomBytes(1000) })
    const run = await cli(dir, [...target(), '--download-url', '--verbose', 'a.txt', 'b.bin'])
    expect(run.code).toBe(0)
    const lines = idLines(run.stdout)
    expect(lines.map((line) => line.slice(0, 2))).toEqual(
      emulator.uploaded().map((record) => [String(record.id), record.name])
    )
    for (const [, name, url = ''] of lines) {
      const signature = new URL(url).searchParams.get('X-Amz-Signature') ?? ''
      expect(signature).toMatch(/^[0-9a-f]{64}$/)
      expect(run.stderr).not.toContain(signature)
      const answer = await fetch(url)
      expect(answer.status).toBe(200)
      const body = Buffer.from(await answer.arrayBuffer())
      expect(body.equals(await readFile(path.join(dir, name ?? '')))).toBe(true)
    }
    // --verbose names each request, but never its query string.
    expect(run.stderr).toMatch(
      /^debug: create: POST http:\/\/127\.0\.0\.1:\d+\/api\/files → HTTP 201 in /m
    )
    expect(run.stderr).toMatch(
      /^debug: upload: PUT http:\/\/127\.0\.0\.1:\d+\/[^\s?]+ → HTTP 200 in /m
    )
    expect(run.stderr).not.toMatch(/\?X-Amz-/)
  })

  it('without --download-url, neither stdout nor --json carries a URL', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const plain = await cli(dir, [...target(), 'a.txt'])
    expect(idLines(plain.stdout)).toEqual([['1', 'a.txt']])
    const json = await cli(dir, [...target(), '--json', 'a.txt'])
    expect(JSON.parse(json.stdout)).not.toHaveProperty('files.0.url')
    expect(json.stdout).not.toContain('http')
  })

  it('--manifest writes only where it is told, and a run without it leaves nothing in TMPDIR', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const tmp = await tempDir()
    const runEnv = { env: env({ TMPDIR: tmp }) }
    const plain = await cli(dir, [...target(), '--json', 'a.txt'], runEnv)
    expect(plain.code).toBe(0)
    expect(await readdir(tmp)).toEqual([])
    expect(await readdir(dir)).toEqual(['a.txt'])

    const written = await cli(dir, [...target(), '--manifest', 'manifest.json', 'a.txt'], runEnv)
    expect(written.code).toBe(0)
    // stdout stays the ID lines: --manifest does not change it.
    expect(idLines(written.stdout)).toEqual([['2', 'a.txt']])
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest
    expect(manifest.files).toMatchObject([{ id: 2, name: 'a.txt', path: 'a.txt' }])
    expect(await readdir(tmp)).toEqual([])
  })

  it('--manifest into a missing directory is refused with exit 2 before any request', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const run = await cli(dir, [...target(), '--manifest', 'no/such/dir/m.json', 'a.txt'])
    expectUsageError(run, 'error: --manifest: cannot write no/such/dir/m.json')
  })
})

describe('each flag has the effect of the action input of the same name', () => {
  it('--project-id: the files go to that project', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const run = await cli(dir, ['--base-url', emulator.apiUrl, '--project-id', '8', 'a.txt'])
    expect(run.code).toBe(0)
    expect(emulator.uploaded().map((record) => record.project_id)).toEqual([8])
  })

  it('--name-prefix: put verbatim before every name', async () => {
    const dir = await workspace({ 'out/a.txt': 'alpha', 'out/sub/b.txt': 'beta' })
    const run = await cli(dir, [...target(), '--name-prefix', 'builds/v1/', 'out/'])
    expect(run.code).toBe(0)
    const names = ['builds/v1/a.txt', 'builds/v1/sub/b.txt']
    expect(emulator.uploaded().map((record) => record.name)).toEqual(names)
    expect(idLines(run.stdout).map((line) => line[1])).toEqual(names)
  })

  it('--skip-existing: a file the project holds by name and size is not sent, and keeps its ID', async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta' })
    const [seeded] = emulator.seedFiles([{ project_id: 7, name: 'a.txt', size_bytes: 5 }])
    const run = await cli(dir, [...target(), '--skip-existing', '*.txt'])
    expect(run.code).toBe(0)
    expect(requests('list')).toBeGreaterThan(0)
    expect(requests('create')).toBe(1)
    const lines = idLines(run.stdout)
    expect(lines[0]).toEqual([String(seeded?.id), 'a.txt'])
    expect(lines[1]?.[1]).toBe('b.txt')
    expect(run.stderr).toMatch(/^= a\.txt → \d+ \(already in the project\)$/m)
  })

  it('--skip-existing=false: the input written as a value, off', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    emulator.seedFiles([{ project_id: 7, name: 'a.txt', size_bytes: 5 }])
    const run = await cli(dir, [...target(), '--skip-existing=false', 'a.txt'])
    expect(run.code).toBe(0)
    expect(requests('list')).toBe(0)
    expect(requests('create')).toBe(1)
  })

  it('--dry-run: no request, no ID, exit 0, the plan on stderr; it needs no key', async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta' })
    const run = await cli(dir, [...target(), '--dry-run', '*.txt'], {
      env: env({ EMPIRICALRUN_KEY: undefined })
    })
    expect(run.code).toBe(0)
    expect(emulator.requests).toEqual([])
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('Dry run: 2 files would be uploaded to empirical.run project 7')
    expect(run.stderr).toMatch(/^ {2}a\.txt \(5 B, text\/plain\) {2}← a\.txt$/m)
    const json = await cli(dir, [...target(), '--dry-run=true', '--json', '*.txt'])
    expect(JSON.parse(json.stdout)).toMatchObject({ dry_run: true, totals: { files: 2 } })
    expect(emulator.requests).toEqual([])
  })

  it('--concurrency: 1 sends one file at a time; 4 creates several before the first upload', async () => {
    const files = { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c', 'd.txt': 'd' }
    const dir = await workspace(files)
    const one = await cli(dir, [...target(), '--concurrency', '1', '*.txt'])
    expect(one.code).toBe(0)
    let creates = 0
    let puts = 0
    for (const request of emulator.requests) {
      // With one worker, the next file's create is asked while a file is sent, and no further
      // ahead: create k comes once k - 1 uploads have begun.
      if (request.step === 'create') expect(creates++ - puts).toBeLessThanOrEqual(1)
      if (request.step === 'put') puts++
    }
    expect([creates, puts]).toEqual([4, 4])

    emulator.reset()
    const four = await cli(dir, [...target(), '--concurrency', '4', '*.txt'])
    expect(four.code).toBe(0)
    const firstPut = emulator.requests.findIndex((request) => request.step === 'put')
    expect(firstPut).toBeGreaterThanOrEqual(2)
    expect(emulator.requests.slice(0, firstPut).every((r) => r.step === 'create')).toBe(true)
  })

  it('--retries: 0 gives a transient failure no second try; 1 gets past it', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const fault = (): void => {
      emulator.faults.push({ step: 'create', action: { type: 'status', status: 503 } })
    }
    fault()
    const none = await cli(dir, [...target(), '--retries', '0', 'a.txt'])
    expect(none.code).toBe(1)
    expect(requests('create')).toBe(1)
    expect(none.stderr).toMatch(/^✗ a\.txt: create failed: HTTP 503/m)

    emulator.reset()
    fault()
    const one = await cli(dir, [...target(), '--retries', '1', 'a.txt'])
    expect(one.code).toBe(0)
    expect(requests('create')).toBe(2)
    expect(one.stderr).toMatch(/^ {2}↻ a\.txt: create failed: HTTP 503.*; retry 1 of 1 in /m)
  })

  it('--request-timeout: a request without an answer is given up after that many seconds, then retried', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    emulator.faults.push({ step: 'create', action: { type: 'hang' } })
    const run = await cli(dir, [...target(), '--request-timeout', '1', 'a.txt'])
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(/create failed: no progress and no answer for 1 s; retry 1 of 5/)
    expect(requests('create')).toBe(2)
    expect(run.durationMs).toBeGreaterThanOrEqual(1000)
    expect(run.durationMs).toBeLessThan(20_000)
  })

  it('--base-url: a trailing slash is allowed; the API is reached there', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const run = await cli(dir, ['--project-id', '7', '--base-url', `${emulator.apiUrl}/`, 'a.txt'])
    expect(run.code).toBe(0)
    expect(emulator.uploaded()).toHaveLength(1)
  })

  it.each([
    ['error', 1, /^error: No files were found with the provided patterns:\nnothing\/\*$/m],
    ['warn', 0, /^warning: No files were found with the provided patterns:\nnothing\/\*$/m],
    ['ignore', 0, /^No files were found with the provided patterns:\nnothing\/\*$/m]
  ])('--if-no-files-found %s: exit %i when nothing matches', async (value, code, said) => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const run = await cli(dir, [...target(), '--if-no-files-found', value, 'nothing/*'])
    expect(run.code).toBe(code)
    expect(run.stderr).toMatch(said)
    if (value === 'ignore') expect(run.stderr).not.toContain('warning:')
    expect(run.stdout).toBe('')
    expect(emulator.requests).toEqual([])
  })

  it('--include-hidden-files: dot-files and dot-directories are uploaded too', async () => {
    const files = { 'out/a.txt': 'a', 'out/.env.ci': 'e', 'out/.cache/c.txt': 'c' }
    const dir = await workspace(files)
    const without = await cli(dir, [...target(), 'out/'])
    expect(idLines(without.stdout).map((line) => line[1])).toEqual(['a.txt'])
    emulator.reset()
    const withHidden = await cli(dir, [...target(), '--include-hidden-files', 'out/'])
    expect(idLines(withHidden.stdout).map((line) => line[1])).toEqual([
      '.cache/c.txt',
      '.env.ci',
      'a.txt'
    ])
  })

  it('--description: set on every file', async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta' })
    const run = await cli(dir, [...target(), '--description', 'nightly build 42', '*.txt'])
    expect(run.code).toBe(0)
    expect(emulator.uploaded().map((record) => record.description)).toEqual([
      'nightly build 42',
      'nightly build 42'
    ])
  })

  it('a value that begins with a dash is the value of the flag before it', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const args = ['--description', '-rc build', '--name-prefix', '-nightly-', 'a.txt']
    const run = await cli(dir, [...target(), ...args])
    expect(run.code).toBe(0)
    expect(emulator.uploaded().map(({ name, description }) => [name, description])).toEqual([
      ['-nightly-a.txt', '-rc build']
    ])
  })

  it('--if-no-files-found warn or ignore: a path that does not exist is allowed, exit 0', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const warned = await cli(dir, [
      ...target(),
      '--if-no-files-found',
      'warn',
      'missing.txt',
      'a.txt'
    ])
    expect(warned.code).toBe(0)
    expect(idLines(warned.stdout)).toEqual([['1', 'a.txt']])
    expect(warned.stderr).toMatch(
      /^warning: No files were found with the pattern 'missing\.txt'; the other patterns matched files\n/
    )
    const ignored = await cli(dir, [...target(), '--if-no-files-found', 'ignore', 'missing.txt'])
    expect(ignored).toMatchObject({ code: 0, stdout: '' })
    expect(ignored.stderr).toMatch(
      /^No files were found with the provided patterns:\nmissing\.txt\n/
    )
  })
})

// Concurrent, as no test here may make a request: they share an emulator that must see none.
describe.concurrent(
  'a bad command line or value: exit 2, the flag named, before any request',
  () => {
    let idle: Emulator
    /** One workspace for all: they only read it. */
    let dir: string
    beforeAll(async () => {
      idle = await emulatorWith({ projects: [7], apiKey: KEY })
      dir = await workspace({ 'a.txt': 'alpha' })
    })
    // Each names the flag it gives: its first argument, less any `=value`.
    it.each(
      [
        ['--project-id', 'abc'],
        ['--project-id', '0'],
        ['--name-prefix', '/abs/'],
        ['--name-prefix', 'a/../b/'],
        ['--skip-existing=maybe'],
        ['--download-url=yes'],
        ['--dry-run=nope'],
        ['--concurrency', '0'],
        ['--concurrency', '65'],
        ['--retries', '11'],
        ['--retries=-1'],
        ['--request-timeout', '0'],
        ['--request-timeout', '3601'],
        ['--base-url', 'http://example.com'],
        ['--base-url', 'not a url'],
        ['--if-no-files-found', 'maybe'],
        ['--include-hidden-files=2'],
        ['--manifest', ''],
        ['--checksums', '.'],
        ['--checksums', './a.txt', '--manifest=a.txt'],
        ['--manifest', 'a.txt/m.json'],
        ['--auth-key', 'x'],
        ['--no-such-flag'],
        ['--concurrency'],
        ['--description']
      ].map((bad) => [bad, bad[0]?.replace(/=.*/, '') ?? ''] as const)
    )('%j names %s', async (bad, named) => {
      // The bad flag goes last but before the pattern, except for a value it swallows.
      const args =
        bad.length === 1 && !bad[0]?.includes('=')
          ? [...target(idle), 'a.txt', ...bad]
          : [...target(idle), ...bad, 'a.txt']
      const run = await cli(dir, args)
      expectUsageError(run, named, idle)
    })

    it("--project-id -1: one line of the CLI, as for 0, not the parser's own words", async () => {
      for (const id of ['-1', '0']) {
        const run = await cli(dir, ['--base-url', idle.apiUrl, '--project-id', id, 'a.txt'])
        expectUsageError(run, '--project-id', idle)
        expect(run.stderr).toBe(
          `error: --project-id: '${id}' is not allowed: give a whole number from 1, such as 42\nRun 'empiricalrun-upload --help' for usage.\n`
        )
      }
    })

    it('--checksums or --manifest that cannot be written: one line naming the flag', async () => {
      const folder = await cli(dir, [...target(idle), '--checksums', '.', 'a.txt'])
      expectUsageError(folder, '--checksums', idle)
      expect(folder.stderr).toBe(
        "error: --checksums: cannot write .: it is a folder; name a file in it, such as checksums.txt\nRun 'empiricalrun-upload --help' for usage.\n"
      )
      if (process.platform !== 'linux') return
      const proc = await cli(dir, [...target(idle), '--manifest', '/proc/m.json', 'a.txt'])
      expectUsageError(proc, '--manifest', idle)
      expect(proc.stderr).toMatch(
        /^error: --manifest: cannot write \/proc\/m\.json: no file can be made in its folder \/proc \((ENOENT|EACCES)\)\n/
      )
      expect(await readdir(dir)).toEqual(['a.txt'])
    })

    it('a flag the CLI does not know points at --help; the key has no flag', async () => {
      const run = await cli(dir, [...target(idle), '--auth-key', KEY, 'a.txt'])
      expectUsageError(run, 'error: --auth-key: unknown option', idle)
      expect(run.stderr).toContain("Run 'empiricalrun-upload --help' for usage.")
    })

    it('no --project-id', async () => {
      const run = await cli(dir, ['--base-url', idle.apiUrl, 'a.txt'])
      expectUsageError(run, '--project-id is required', idle)
    })

    it('no pattern, or only exclusions', async () => {
      expectUsageError(await cli(dir, target(idle)), 'no pattern given', idle)
      expectUsageError(
        await cli(dir, [...target(idle), '!a.txt']),
        'every pattern is an exclusion',
        idle
      )
    })

    it('no key: refused naming EMPIRICALRUN_KEY (there is no flag for it)', async () => {
      for (const key of [undefined, '', '   ']) {
        const run = await cli(dir, [...target(idle), 'a.txt'], {
          env: env({ EMPIRICALRUN_KEY: key })
        })
        expectUsageError(run, 'no API key: set the EMPIRICALRUN_KEY environment variable', idle)
      }
    })

    it('a key no HTTP header can carry: refused naming the variable, never printed', async () => {
      const bad = `${KEY} with spaces`
      const run = await cli(dir, [...target(idle), 'a.txt'], {
        env: env({ EMPIRICALRUN_KEY: bad })
      })
      expectUsageError(run, 'EMPIRICALRUN_KEY: the key contains characters', idle)
      expect(run.stderr).not.toContain('with spaces')
    })
  }
)

describe('exit codes', () => {
  it('a key the API refuses: exit 1, the key never printed', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const wrong = `erk_${randomBytes(16).toString('hex')}`
    const run = await cli(dir, [...target(), '--retries', '0', 'a.txt'], {
      env: env({ EMPIRICALRUN_KEY: wrong })
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('HTTP 401')
    expect(run.stdout + run.stderr).not.toContain(wrong)
  })

  it('1 when one file is refused by storage (403 SignatureDoesNotMatch); the others are in the project', async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta', 'c.txt': 'gamma' })
    emulator.faults.push(signatureRefused('b.txt'))
    const run = await cli(dir, [...target(), '--json', '*.txt'])
    expect(run.code).toBe(1)
    const manifest = JSON.parse(run.stdout) as Manifest
    expect(manifest.totals).toMatchObject({ files: 3, uploaded: 2, failed: 1 })
    expect(manifest.files[1]).toMatchObject({ name: 'b.txt' })
    expect(manifest.files[1]?.error).toMatch(/upload failed: HTTP 403: SignatureDoesNotMatch/)
    expect(emulator.uploaded().map((record) => record.name)).toEqual(['a.txt', 'c.txt'])
    expect(run.stderr).toMatch(/^error: 1 of 3 files failed to upload:\n {2}b\.txt: upload failed/m)
  })

  it('1 when the API refuses one file with 413; stdout lists the others', async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta' })
    emulator.faults.push({
      step: 'create',
      name: 'b.txt',
      action: { type: 'status', status: 413, body: '{"error":"File exceeds the project quota"}' }
    })
    const run = await cli(dir, [...target(), '*.txt'])
    expect(run.code).toBe(1)
    expect(idLines(run.stdout).map((line) => line[1])).toEqual(['a.txt'])
    expect(run.stderr).toMatch(
      /^✗ b\.txt: create failed: HTTP 413: File exceeds the project quota$/m
    )
  })

  it('1 when --skip-existing cannot list the project; nothing is uploaded', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    emulator.faults.push({ step: 'list', times: 10, action: { type: 'status', status: 500 } })
    const run = await cli(dir, [...target(), '--skip-existing', '--retries', '0', 'a.txt'])
    expect(run.code).toBe(1)
    expect(requests('list')).toBeGreaterThan(0)
    expect(requests('create')).toBe(0)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/^error: .*list/im)
  })

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143]
  ] as const)(
    '%s mid-upload: exit %i within 2 s, the file done before it on stdout',
    async (signal, code) => {
      const dir = await workspace({ 'a.txt': 'alpha', 'b.bin': randomBytes(8 * 1024 * 1024) })
      emulator.setThrottle(512 * 1024)
      let signalledAt = 0
      const run = await cli(dir, [...target(), '--concurrency', '1', '*.txt', '*.bin'], {
        onStart: (child) => {
          whenBytesArrive(emulator, 'b.bin', () => {
            signalledAt = performance.now()
            child.kill(signal)
          })
        }
      })
      const settled = performance.now() - signalledAt
      expect(signalledAt).toBeGreaterThan(0)
      expect(run.code).toBe(code)
      expect(settled).toBeLessThan(2000)
      expect(idLines(run.stdout)).toEqual([['1', 'a.txt']])
      expect(run.stderr).toMatch(
        /^error: Cancelled: the run was stopped with 1 of 2 files uploaded, 1 not uploaded:/m
      )
      expectCancelledBin()
    }
  )
})

/** b.bin was created but never completed nor confirmed: the run stopped mid-upload. */
function expectCancelledBin(): void {
  const bin = [...emulator.files.values()].find((record) => record.name === 'b.bin')
  expect(bin?.status).toBe('pending')
  expect(bin?.stored).toBeUndefined()
  expect(bin?.confirmCount).toBe(0)
}

describe('on a terminal', () => {
  /** One redraw of the progress line: erase, then the line. */
  // eslint-disable-next-line no-control-regex
  const REDRAW = /\r\x1b\[2K(\d+ of \d+ files, .+? \((\d+)%\), [^\r\n]+\/s(?:, [^\r\n]+ left)?)/g

  /**
   * Uploads one file that storage takes `seconds` to read at `mib` MiB/s. Loopback socket buffers
   * take the first few MiB at once, so the file must be large next to them for the percentage to
   * move steadily.
   */
  async function progressUnderTerminal(
    seconds: number,
    mib: number,
    minPercentages: number,
    extraEnv: Record<string, string> = {}
  ): Promise<void> {
    const rate = mib * 1024 * 1024
    const dir = await workspace({ 'big.bin': randomBytes(seconds * rate) })
    emulator.setThrottle(rate)
    const draws: number[] = []
    const run = await runCliInTerminal({
      cwd: dir,
      args: [...target(), 'big.bin'],
      env: env(extraEnv),
      timeoutMs: (seconds + 30) * 1000,
      onOutput: (text) => {
        for (let i = 0; i < [...text.matchAll(REDRAW)].length; i++) draws.push(performance.now())
      }
    })
    expect(run.code).toBe(0)
    const screen = run.screen
    expectNoLeak(screen, 'both', {
      code: 0,
      signal: null,
      stdout: screen,
      stderr: '',
      durationMs: 0
    })
    const drawn = [...screen.matchAll(REDRAW)].map((match) => Number(match[2]))
    const distinct = [...new Set(drawn)]
    console.log(
      `${seconds} s upload under a terminal (Node ${NODE_VERSION}): ${drawn.length} redraws, ` +
        `percentages ${distinct.join(' ')}, mean gap ${Math.round(meanGap(draws))} ms`
    )
    expect(distinct.length).toBeGreaterThanOrEqual(minPercentages)
    expect(distinct).toEqual([...distinct].sort((a, b) => a - b))
    // Redrawn every 500 ms: on average at least once a second, even on a loaded machine.
    expect(meanGap(draws)).toBeLessThanOrEqual(1000)
    // The one escape sequence is the line erase; the action's periodic lines are not printed.
    expect(withoutErase(screen)).not.toContain('\x1b')
    expect(screen).not.toMatch(/… .* sent \(\d+%\)/)
    expect(screen).not.toContain('::')
    // The log's lines are whole lines above the progress line, and the progress line is gone at the end.
    expect(screen).toContain(`${ERASE}✓ big.bin → 1 (`)
    expect(screen.endsWith(`${ERASE}1\tbig.bin\r\n`)).toBe(true)
    expect(emulator.uploaded()).toHaveLength(1)
  }

  it('redraws one progress line in place while a ~5 s upload runs; NO_COLOR changes nothing', async () => {
    await progressUnderTerminal(5, 4, 4, { NO_COLOR: '1' })
  })

  it.runIf(process.env.CLI_PTY_LONG === '1')(
    'redraws one progress line in place while a ~24 s upload runs (CLI_PTY_LONG=1)',
    async () => {
      await progressUnderTerminal(24, 1, 10)
    },
    90_000
  )

  it('Ctrl-C mid-upload: exit 130 within 2 s, the file done before it on stdout', async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.bin': randomBytes(8 * 1024 * 1024) })
    emulator.setThrottle(512 * 1024)
    let pressedAt = 0
    const run = await runCliInTerminal({
      cwd: dir,
      args: [...target(), '--concurrency', '1', 'a.txt', 'b.bin'],
      env: env({ TERM: 'xterm-256color' }),
      onStart: (child) => {
        whenBytesArrive(emulator, 'b.bin', () => {
          pressedAt = performance.now()
          child.stdin?.write('\x03')
        })
      }
    })
    const settled = performance.now() - pressedAt
    console.log(`Ctrl-C to exit (Node ${NODE_VERSION}): ${Math.round(settled)} ms`)
    expect(pressedAt).toBeGreaterThan(0)
    expect(run.code).toBe(130)
    expect(settled).toBeLessThan(2000)
    expect(run.screen).toContain('1\ta.txt\r\n')
    expect(run.screen).toContain(
      'Cancelled: the run was stopped with 1 of 2 files uploaded, 1 not uploaded'
    )
    expect(withoutErase(run.screen)).not.toContain('\x1b')
    expectCancelledBin()
  })
})

describe('off a terminal', () => {
  it("prints the action's periodic progress lines, and no escape sequence", async () => {
    const rate = 6 * 1024 * 1024
    const dir = await workspace({ 'big.bin': randomBytes(rate) })
    emulator.setThrottle(rate)
    const run = await cli(dir, [...target(), 'big.bin'], {
      env: env({ EMPIRICALRUN_PROGRESS_INTERVAL_MS: '100', NO_COLOR: '1' })
    })
    expect(run.code).toBe(0)
    const lines = run.stderr.split('\n').filter((line) => line.startsWith('… '))
    expect(lines.length).toBeGreaterThanOrEqual(2)
    for (const line of lines) {
      expect(line).toMatch(
        /^… [\d.]+ (B|KiB|MiB) of 6\.00 MiB sent \(\d+%\), [01] of 1 files done, .+\/s$/
      )
    }
    expect(new Set(percentages(lines.join('\n'))).size).toBeGreaterThanOrEqual(2)
    expect(run.stderr).not.toContain('\r')
    expect(run.stderr).not.toContain('\x1b')
  })
})

/** What the CLI writes to erase a line: back to its start, then erase it. */
const ERASE = '\r\x1b[2K'

/** The text without its line erases: what is left must hold no other escape sequence. */
function withoutErase(text: string): string {
  return text.split('\x1b[2K').join('')
}

function meanGap(times: readonly number[]): number {
  if (times.length < 2) return Infinity
  return ((times.at(-1) ?? 0) - (times[0] ?? 0)) / (times.length - 1)
}

describe('--api resources: the Resources API, where the key picks the project', () => {
  const resources = sharedEmulator({ api: 'resources', projects: [7], apiKey: KEY })

  it('uploads without --project-id, with download URLs, verify and the manifest; a --skip-existing re-run gives the same IDs and sends nothing', async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.bin': randomBytes(1000) })
    const args = [
      '--api',
      'resources',
      '--base-url',
      resources.apiUrl,
      '--download-url',
      '--verify'
    ]
    const run = await cli(dir, [...args, '--verbose', '--manifest', 'm.json', 'a.txt', 'b.bin'])
    expect(run.code).toBe(0)
    const records = resources.uploaded()
    expect(records.map((record) => [record.name, record.project_id])).toEqual([
      ['a.txt', 7],
      ['b.bin', 7]
    ])
    const lines = idLines(run.stdout)
    expect(lines.map((line) => line.slice(0, 2))).toEqual(
      records.map((record) => [String(record.id), record.name])
    )
    for (const [, name, url = ''] of lines) {
      const body = Buffer.from(await (await fetch(url)).arrayBuffer())
      expect(body.equals(await readFile(path.join(dir, name ?? '')))).toBe(true)
    }
    expect(run.stderr).toContain("Uploading 2 files (1005 B) to the key's empirical.run project")
    expect(run.stderr).toMatch(
      /^debug: create: POST http:\/\/127\.0\.0\.1:\d+\/api\/resources → HTTP 200 in /m
    )
    const manifest = JSON.parse(await readFile(path.join(dir, 'm.json'), 'utf8')) as {
      project_id: unknown
    }
    expect(manifest.project_id).toBeNull()

    const sent = resources.requests.length
    const again = await cli(dir, [...args, '--skip-existing', 'a.txt', 'b.bin'])
    expect(again.code).toBe(0)
    expect(idLines(again.stdout).map((line) => line.slice(0, 2))).toEqual(
      lines.map((line) => line.slice(0, 2))
    )
    expect(again.stderr).toContain("The key's project holds 2 uploaded files")
    const steps = resources.requests.slice(sent).map((request) => request.step)
    expect(steps.filter((step) => ['create', 'put', 'confirm'].includes(step))).toEqual([])
    expect(otherApiRequests(resources)).toEqual([])
  })

  it('--project-id with --api resources is a usage error naming it, before any request', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const run = await cli(dir, [
      '--api',
      'resources',
      '--project-id',
      '7',
      '--base-url',
      resources.apiUrl,
      'a.txt'
    ])
    expectUsageError(
      run,
      'error: --project-id is not used with the Resources API, where the key picks the project: leave it out, or give --api files to name the project by its ID\n',
      resources
    )
  })

  it('without --api, a missing --project-id is a usage error, before any request', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const run = await cli(dir, ['--base-url', emulator.apiUrl, 'a.txt'])
    expectUsageError(
      run,
      'error: --project-id is required: give a whole number from 1, such as 42\n',
      emulator
    )
  })
})
