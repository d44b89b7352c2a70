// The library as a program uses it: the built bundle dist/lib/index.js, imported by the package's
// name (which resolves to the bundle through package.json's exports, typed by dist/lib/types), in
// this process, against the emulator. It reports through callbacks only: nothing on stdout or
// stderr, no process.exit, no process.exitCode.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cp, mkdir, readdir, readFile, symlink } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import {
  InputError,
  toManifestJson,
  uploadFiles,
  VERSION,
  type Logger,
  type ProgressState,
  type UploadHooks,
  type UploadOptions,
  type UploadResult
} from '@empiricalrun/upload-files'
import {
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
  type MockInstance
} from 'vitest'
import {
  expectNoLeaks,
  otherApiRequests,
  sharedEmulator,
  runCli,
  signatureRefused,
  whenBytesArrive,
  workspace
} from '../support/bundle.ts'
import { ROOT } from '../support/cli.ts'
import { installNode20, NODE20 } from '../support/node20.ts'
import { MIN_NODE } from '../../src/core/engines.ts'

const run = promisify(execFile)
const BUNDLE = path.join(ROOT, 'dist/lib/index.js')
const KEY = `erk_${randomBytes(16).toString('hex')}`

const emulator = sharedEmulator({ projects: [7], apiKey: KEY })
let writes: MockInstance[] = []
let exit: MockInstance

/** What each logger of the test was told, checked after the test as every bundle run is. */
let told: string[][] = []

// The key comes from the options here, unless a test sets the variable the library falls back to.
beforeEach(() => {
  vi.stubEnv('EMPIRICALRUN_KEY', undefined)
})

afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
  // The library prints nothing itself: its lines are what a caller would print. The secrets it
  // hands to `mask` are the only place they may stand.
  const lines = told.flat()
  told = []
  expectNoLeaks({ 'the logger': lines.join('\n') }, { stackPlaces: ['the logger'] })
})

/** Every write to stdout and stderr from now on is recorded (and still made), and process.exit throws. */
function watchProcess(): void {
  writes = [vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write')]
  exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Error(`process.exit(${String(code)}) called`)
  })
}

/** Nothing was written to stdout or stderr, process.exit was not called, exitCode not set. */
function expectSilentProcess(): void {
  const written = writes.flatMap((spy) => spy.mock.calls.map((call) => String(call[0])))
  expect(written).toEqual([])
  expect(exit).not.toHaveBeenCalled()
  expect(process.exitCode).toBeUndefined()
}

/** A logger that keeps every call, by method. */
function recorder(debug = true) {
  const lines: Record<'info' | 'warning' | 'debug' | 'group' | 'mask', string[]> = {
    info: [],
    warning: [],
    debug: [],
    group: [],
    mask: []
  }
  const log: Logger = {
    info: (line) => lines.info.push(line),
    warning: (line) => lines.warning.push(line),
    debug: (line) => lines.debug.push(line),
    isDebug: () => debug,
    startGroup: (heading) => lines.group.push(heading),
    endGroup: () => lines.group.push('(end)'),
    mask: (secret) => lines.mask.push(secret)
  }
  told.push(lines.info, lines.warning, lines.debug, lines.group)
  return { log, lines }
}

function options(
  cwd: string,
  more: Partial<UploadOptions & UploadHooks> = {}
): UploadOptions & UploadHooks {
  return {
    apiKey: KEY,
    projectId: 7,
    files: ['*.txt'],
    cwd,
    baseUrl: emulator.apiUrl,
    // A test hook, kept out of the published types.
    ...({ retryBaseMs: 10 } as object),
    ...more
  }
}

/** The signatures of the upload URLs the emulator issued and saw used. */
function putSignatures(): string[] {
  return emulator.requests
    .filter((request) => request.step === 'put')
    .map((request) => request.query['X-Amz-Signature'] ?? '')
    .filter(Boolean)
}

describe(`the library (dist/lib/index.js) on Node ${process.version}`, () => {
  it('is the built bundle that the package name resolves to', async () => {
    const bundle = (await import(pathToFileURL(BUNDLE).href)) as Record<string, unknown>
    expect(bundle.uploadFiles).toBe(uploadFiles)
    expect(bundle.InputError).toBe(InputError)
    expect(Object.keys(bundle).sort()).toEqual([
      'InputError',
      'VERSION',
      'checksumsOf',
      'formatChecksums',
      'toManifestJson',
      'uploadFiles'
    ])
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it("uploads and resolves with the manifest's data plus failure and cancelled; it reports through the logger only", async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta', 'c.log': 'no' })
    const { log, lines } = recorder()
    watchProcess()
    const result: UploadResult = await uploadFiles({ ...options(dir), log })
    expectSilentProcess()

    // The result is spelt as the options are; toManifestJson gives the manifest file's shape.
    expect(Object.keys(result)).toEqual([
      'projectId',
      'namePrefix',
      'dryRun',
      'totals',
      'files',
      'failure',
      'cancelled',
      'unmatchedPatterns',
      'badRecords'
    ])
    expect(Object.keys(toManifestJson(result))).toEqual([
      'project_id',
      'name_prefix',
      'dry_run',
      'totals',
      'files'
    ])
    expect(result).toMatchObject({
      projectId: 7,
      namePrefix: '',
      dryRun: false,
      totals: { files: 2, bytes: 9, uploaded: 2, existing: 0, failed: 0, cancelled: 0 },
      unmatchedPatterns: [],
      failure: undefined,
      cancelled: false
    })
    const records = emulator.uploaded()
    expect(result.files.map((entry) => [entry.id, entry.name, entry.path])).toEqual(
      records.map((record) => [record.id, record.name, record.name])
    )
    expect(records.map((record) => record.confirmCount)).toEqual([1, 1])

    expect(lines.group).toEqual(['Uploading 2 files (9 B) to empirical.run project 7', '(end)'])
    expect(lines.info).toContainEqual(expect.stringMatching(/^✓ a\.txt → \d+ \(5 B, /))
    expect(lines.info).toContainEqual(expect.stringMatching(/^Done in .+: 2 of 2 files uploaded$/))
    expect(lines.debug).toContainEqual(
      expect.stringMatching(/^create: POST http:\/\/127\.0\.0\.1:\d+\/api\/files → HTTP 201 in /)
    )
    // The key and each URL's signature are handed to mask() and never to a line.
    const secrets = [KEY, ...putSignatures()]
    expect(secrets.length).toBe(3)
    for (const secret of secrets) expect(lines.mask).toContain(secret)
    const text = [...lines.info, ...lines.warning, ...lines.debug, ...lines.group].join('\n')
    for (const secret of secrets) expect(text).not.toContain(secret)
  })

  it('a failed file is in the result, not a rejection, and nothing is printed', async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta' })
    emulator.faults.push(signatureRefused('b.txt'))
    watchProcess()
    const result = await uploadFiles(options(dir))
    expectSilentProcess()
    expect(result.cancelled).toBe(false)
    expect(result.totals).toMatchObject({ files: 2, uploaded: 1, failed: 1 })
    expect(result.failure).toMatch(
      /^1 of 2 files failed to upload:\n {2}b\.txt: upload failed: HTTP 403: SignatureDoesNotMatch/
    )
    expect(result.files[1]?.error).toMatch(/SignatureDoesNotMatch/)
  })

  it('with no logger at all it is silent, debug lines of the file search included', async () => {
    const dir = await workspace({ 'a.txt': 'a', '.hidden/b.txt': 'b', 'sub/c.txt': 'c' })
    watchProcess()
    const result = await uploadFiles(
      options(dir, { files: ['**/*.txt', '!sub/**', 'missing/', '.hidden/'] })
    )
    expectSilentProcess()
    expect(result.files.map((entry) => entry.path)).toEqual(['a.txt'])
  })

  it.each<[string, Record<string, unknown>, string]>([
    ['projectId 0', { projectId: 0 }, 'project-id'],
    ['projectId as bad text', { projectId: '7x' }, 'project-id'],
    ['projectId as text', { projectId: '7' }, 'project-id'],
    ['concurrency as text', { concurrency: '4' }, 'concurrency'],
    ['dryRun as text', { dryRun: 'true' }, 'dry-run'],
    ['files as a number', { files: 3 }, 'files'],
    ['no apiKey', { apiKey: undefined }, 'auth-key'],
    ['a key with a space', { apiKey: 'a b' }, 'auth-key'],
    ['no patterns', { files: [] }, 'files'],
    ['only exclusions', { files: ['!a.txt'] }, 'files'],
    ['concurrency 65', { concurrency: 65 }, 'concurrency'],
    ['retries 11', { retries: 11 }, 'retries'],
    ['requestTimeout 0', { requestTimeout: 0 }, 'request-timeout'],
    ['plain http to another host', { baseUrl: 'http://example.com' }, 'base-url'],
    ['ifNoFilesFound maybe', { ifNoFilesFound: 'maybe' }, 'if-no-files-found'],
    ['dryRun as bad text', { dryRun: 'sure' }, 'dry-run'],
    ['a namePrefix climbing out', { namePrefix: '../x/' }, 'name-prefix']
  ])('rejects with InputError for %s, before any request', async (_, bad, input) => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    watchProcess()
    const error: unknown = await uploadFiles(options(dir, bad as Partial<UploadOptions>)).catch(
      (caught: unknown) => caught
    )
    expectSilentProcess()
    expect(error).toBeInstanceOf(InputError)
    expect(error).toMatchObject({ name: 'InputError', input })
    expect((error as InputError).detail).not.toBe('')
    // The option as the caller named it: the key in `bad`, or apiKey for the key.
    expect((error as InputError).option).toBe(input === 'auth-key' ? 'apiKey' : Object.keys(bad)[0])
    // In the library's words: the option's name, never an action input or a workflow expression.
    const { message } = error as InputError
    expect(message).toMatch(/^Option '\w+'(: | is required: )/)
    expect(message).not.toContain('${{')
    expect(message).not.toMatch(/'(auth-key|project-id|if-no-files-found|dry-run|base-url)'/)
    expect(emulator.requests).toEqual([])
  })

  it('says where the key goes in its own words, and that listing needs it on a dry run', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const plain = await uploadFiles(options(dir, { apiKey: undefined })).catch((e: unknown) => e)
    expect((plain as Error).message).toBe(
      "Option 'apiKey': no API key: pass apiKey, or set the EMPIRICALRUN_KEY environment variable"
    )
    const listing = await uploadFiles(
      options(dir, { apiKey: undefined, dryRun: true, skipExisting: true })
    ).catch((e: unknown) => e)
    expect((listing as Error).message).toBe(
      "Option 'apiKey': no API key: skipExisting lists the project, which needs the key even on a dry run: pass apiKey, or set the EMPIRICALRUN_KEY environment variable"
    )
    expect(emulator.requests).toEqual([])
  })

  it('takes the key from EMPIRICALRUN_KEY when apiKey is left out, and apiKey over it', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    vi.stubEnv('EMPIRICALRUN_KEY', KEY)
    const fromEnv = await uploadFiles(options(dir, { apiKey: undefined }))
    expect(fromEnv.failure).toBeUndefined()
    expect(fromEnv.totals.uploaded).toBe(1)
    vi.stubEnv('EMPIRICALRUN_KEY', 'erk_not_the_key')
    const given = await uploadFiles(options(dir, { apiKey: KEY, skipExisting: true }))
    expect(given.failure).toBeUndefined()
    expect(given.totals.existing).toBe(1)
  })

  it('refuses an unknown option with the nearest known one, and a cwd that is no folder, before any request', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    watchProcess()
    const typo = await uploadFiles(
      options(dir, { skipExisiting: true } as Partial<UploadOptions>)
    ).catch((caught: unknown) => caught)
    expect(typo).toBeInstanceOf(InputError)
    expect(typo).toMatchObject({
      option: 'skipExisiting',
      message: "Option 'skipExisiting': unknown option; did you mean 'skipExisting'?"
    })
    for (const cwd of [path.join(dir, 'nope'), path.join(dir, 'a.txt')]) {
      const refused = await uploadFiles(options(cwd)).catch((caught: unknown) => caught)
      expect(refused).toBeInstanceOf(InputError)
      expect((refused as InputError).message).toMatch(
        /^Option 'cwd': .* (does not exist|is not a folder)$/
      )
    }
    expectSilentProcess()
    expect(emulator.requests).toEqual([])
  })

  it('writes manifest and checksums from cwd once the run is done; refuses a folder for one first', async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'out/keep.md': '' })
    const refused = await uploadFiles(options(dir, { checksums: 'out' })).catch(
      (caught: unknown) => caught
    )
    expect(refused).toBeInstanceOf(InputError)
    expect((refused as InputError).message).toBe(
      "Option 'checksums': cannot write out: it is a folder; name a file in it, such as out/checksums.txt"
    )
    expect(emulator.requests).toEqual([])
    const result = await uploadFiles(
      options(dir, { manifest: 'out/manifest.json', checksums: 'checksums.txt' })
    )
    expect(result.failure).toBeUndefined()
    const manifest = JSON.parse(await readFile(path.join(dir, 'out', 'manifest.json'), 'utf8'))
    expect(manifest).toEqual(toManifestJson(result))
    const sums = await readFile(path.join(dir, 'checksums.txt'), 'utf8')
    expect(sums).toBe(`${result.files[0]?.sha256 ?? ''}  a.txt\n`)
    expect((await readdir(dir)).sort()).toEqual(['a.txt', 'checksums.txt', 'out'])
  })

  it('names the option to change when nothing matches, and each pattern that matched nothing', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const none = await uploadFiles(options(dir, { files: ['.env', 'missing/*.txt'] }))
    expect(none.failure).toBe(
      "No files were found with the provided patterns:\n.env\nmissing/*.txt\nHidden files (a name or folder starting with '.') are left out: set includeHiddenFiles to true to upload them.\n(set ifNoFilesFound to 'warn' or 'ignore' to allow this)"
    )
    expect(none.unmatchedPatterns).toEqual(['.env', 'missing/*.txt'])
    const { log, lines } = recorder()
    const some = await uploadFiles({
      ...options(dir, { files: ['*.txt', 'missing.txt'], dryRun: true }),
      log
    })
    expect(some.unmatchedPatterns).toEqual(['missing.txt'])
    expect(lines.warning).toEqual([
      "No files were found with the pattern 'missing.txt'; the other patterns matched files"
    ])
  })

  it('a dry run needs no key and makes no request', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const result = await uploadFiles(options(dir, { apiKey: undefined, dryRun: true }))
    expect(result).toMatchObject({ dryRun: true, failure: undefined, cancelled: false })
    expect(result.files).toEqual([
      { path: 'a.txt', name: 'a.txt', sizeBytes: 5, mimeType: 'text/plain' }
    ])
    expect(emulator.requests).toEqual([])
  })

  it('onProgress receives the progress while uploads run, instead of progress lines in the log', async () => {
    const rate = 4 * 1024 * 1024
    const dir = await workspace({ 'big.bin': randomBytes(2 * rate) })
    emulator.setThrottle(rate)
    const states: ProgressState[] = []
    const { log, lines } = recorder(false)
    const result = await uploadFiles({
      ...options(dir, { files: 'big.bin', ...({ progressIntervalMs: 100 } as object) }),
      log,
      onProgress: (state) => states.push({ ...state })
    })
    expect(result.failure).toBeUndefined()
    expect(states.length).toBeGreaterThanOrEqual(3)
    for (const state of states) {
      expect(state).toMatchObject({ totalBytes: 2 * rate, totalFiles: 1 })
      expect(state.sentBytes).toBeLessThanOrEqual(2 * rate)
    }
    const sent = states.map((state) => state.sentBytes)
    expect(sent).toEqual([...sent].sort((a, b) => a - b))
    expect(new Set(sent).size).toBeGreaterThanOrEqual(2)
    expect(lines.info.filter((line) => line.startsWith('… '))).toEqual([])
  })

  it('without onProgress, the progress goes to log.info as the action prints it', async () => {
    const rate = 4 * 1024 * 1024
    const dir = await workspace({ 'big.bin': randomBytes(rate) })
    emulator.setThrottle(rate)
    const { log, lines } = recorder(false)
    await uploadFiles({
      ...options(dir, { files: 'big.bin', ...({ progressIntervalMs: 100 } as object) }),
      log
    })
    const progress = lines.info.filter((line) => line.startsWith('… '))
    expect(progress.length).toBeGreaterThanOrEqual(2)
    expect(progress[0]).toMatch(/^… .+ of 4\.00 MiB sent \(\d+%\), 0 of 1 files done, .+\/s$/)
  })

  it('the AbortSignal cancels: in-flight work settles within 2 s, the result says cancelled', async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.txt': randomBytes(8 * 1024 * 1024) })
    emulator.setThrottle(512 * 1024)
    const stop = new AbortController()
    let abortedAt = 0
    whenBytesArrive(emulator, 'b.txt', () => {
      abortedAt = performance.now()
      stop.abort()
    })
    watchProcess()
    const result = await uploadFiles(options(dir, { concurrency: 1, signal: stop.signal }))
    const settledMs = performance.now() - abortedAt
    expectSilentProcess()
    expect(abortedAt).toBeGreaterThan(0)
    expect(settledMs).toBeLessThan(2000)
    expect(result.cancelled).toBe(true)
    expect(result.failure).toMatch(
      /^Cancelled: the run was stopped with 1 of 2 files uploaded, 1 not uploaded:/
    )
    expect(result.files[0]).toMatchObject({ name: 'a.txt', id: 1 })
    expect(result.files[1]?.id).toBeUndefined()
    expect(emulator.uploaded().map((record) => record.name)).toEqual(['a.txt'])
  })

  it('a signal aborted before the start uploads nothing', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const result = await uploadFiles(options(dir, { signal: AbortSignal.abort() }))
    expect(result.cancelled).toBe(true)
    expect(emulator.requests.filter((request) => request.step === 'put')).toEqual([])
    expect(emulator.uploaded()).toEqual([])
  })
})

describe("api: 'resources': the Resources API, where the key picks the project", () => {
  const resources = sharedEmulator({ api: 'resources', projects: [7], apiKey: KEY })
  /** The options of an upload to the Resources emulator: no projectId. */
  function viaResources(cwd: string, more: Partial<UploadOptions & UploadHooks> = {}) {
    const { projectId, ...rest } = options(cwd, { baseUrl: resources.apiUrl })
    void projectId
    return { ...rest, api: 'resources' as const, ...more }
  }

  it("uploads into the key's project, reads download URLs and verifies; a skipExisting re-run gives the same IDs and sends nothing", async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta' })
    const { log, lines } = recorder()
    watchProcess()
    const result = await uploadFiles(
      viaResources(dir, { log, downloadUrl: true, verify: true, manifest: 'm.json' })
    )
    expectSilentProcess()
    expect(result).toMatchObject({
      projectId: undefined,
      totals: { files: 2, uploaded: 2, failed: 0 },
      failure: undefined
    })
    expect(toManifestJson(result).project_id).toBeNull()
    expect(JSON.parse(await readFile(path.join(dir, 'm.json'), 'utf8'))).toMatchObject({
      project_id: null
    })
    const records = resources.uploaded()
    expect(records.map((record) => [record.id, record.name, record.project_id])).toEqual(
      result.files.map((entry) => [entry.id, entry.name, 7])
    )
    expect(result.files.every((entry) => entry.url?.startsWith(resources.storageUrl))).toBe(true)
    expect(resources.requests.filter((request) => request.step === 'download')).toHaveLength(2)
    expect(lines.group[0]).toBe(
      "Uploading 2 files (9 B) to the key's empirical.run project, each read back to verify its bytes"
    )
    expect(lines.debug).toContainEqual(
      expect.stringMatching(
        /^create: POST http:\/\/127\.0\.0\.1:\d+\/api\/resources → HTTP 200 in /
      )
    )

    const sent = resources.requests.length
    const again = await uploadFiles(viaResources(dir, { skipExisting: true }))
    expect(again.files.map((entry) => [entry.id, entry.existing])).toEqual(
      result.files.map((entry) => [entry.id, true])
    )
    const steps = resources.requests.slice(sent).map((request) => request.step)
    expect(steps).toEqual(['list'])
    expect(otherApiRequests(resources)).toEqual([])
  })

  it('rejects a projectId with InputError before any request, saying why and what to do', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    await expect(uploadFiles({ ...viaResources(dir), projectId: 7 })).rejects.toMatchObject({
      name: 'InputError',
      option: 'projectId',
      message:
        "Option 'projectId' is not used with the Resources API, where the key picks the project: leave it out, or set api to 'files' to name the project by its ID"
    })
    expect(resources.requests).toEqual([])
  })

  it('with the Files API (the default), rejects a missing projectId before any request', async () => {
    const dir = await workspace({ 'a.txt': 'alpha' })
    const { projectId, ...rest } = options(dir)
    void projectId
    await expect(uploadFiles(rest)).rejects.toMatchObject({
      name: 'InputError',
      message: "Option 'projectId' is required: give a whole number from 1, such as 42"
    })
    expect(emulator.requests).toEqual([])
  })
})

describe('the library on Node 20, older than engines allows', () => {
  const url = JSON.stringify(pathToFileURL(BUNDLE).href)
  let needs = ''

  beforeAll(async () => {
    await installNode20()
    const version = (await run(NODE20, ['--version'])).stdout.trim()
    needs = `@empiricalrun/upload-files needs Node.js ${MIN_NODE} or later; this is Node.js ${version}`
  }, 120_000)

  /**
   * The lines of Node's report of the uncaught error that say why, less the brackets Node puts
   * around an error that has no stack frames.
   */
  const saying = (stderr: string): string[] =>
    stderr
      .split('\n')
      .filter((line) => line.includes('needs Node.js'))
      .map((line) => line.replace(/^\[|\]$/g, ''))

  it.each([
    ['import()', ['--input-type=module', '-e', `await import(${url})`]],
    ['require()', ['-e', `require(${JSON.stringify(BUNDLE)})`]]
  ])(
    '%s fails at once with one line naming the Node.js it needs, not in undici',
    async (_how, args) => {
      const refused = await runCli({ command: [NODE20, ...args], args: [], cwd: ROOT })
      expect(refused).toMatchObject({ code: 1, signal: null, stdout: '' })
      expect(saying(refused.stderr)).toEqual([`NodeVersionError: ${needs}`])
      expect(refused.stderr).not.toMatch(/zstd|TypeError|bind/)
    }
  )

  it('rejects the import with a NodeVersionError that a program can catch', async () => {
    const script = `try { await import(${url}) } catch (error) { console.log(JSON.stringify({ name: error.name, message: error.message, stack: error.stack })) }`
    const caught = await runCli({
      command: [NODE20, '--input-type=module', '-e', script],
      args: [],
      cwd: ROOT
    })
    expect(caught).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(caught.stdout)).toEqual({
      name: 'NodeVersionError',
      message: needs,
      stack: `NodeVersionError: ${needs}`
    })
  })
})

describe("the declarations (dist/lib/types) in a consumer's TypeScript", () => {
  /**
   * A consumer project with the package installed as npm would install it (package.json and
   * dist/lib), @types/node, and nothing else of this repository's node_modules.
   */
  async function consumer(
    compilerOptions: Record<string, unknown>,
    format: { type: 'module' | 'commonjs'; source: string } = { type: 'module', source: CONSUMER }
  ): Promise<string> {
    const dir = await workspace({
      'package.json': `{ "private": true, "type": "${format.type}" }\n`,
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          strict: true,
          noEmit: true,
          types: ['node'],
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          ...compilerOptions
        },
        files: ['consumer.ts']
      }),
      'consumer.ts': format.source
    })
    const installed = path.join(dir, 'node_modules/@empiricalrun/upload-files')
    await mkdir(path.join(installed, 'dist'), { recursive: true })
    await cp(path.join(ROOT, 'package.json'), path.join(installed, 'package.json'))
    await cp(path.join(ROOT, 'dist/lib'), path.join(installed, 'dist/lib'), { recursive: true })
    await mkdir(path.join(dir, 'node_modules/@types'))
    await symlink(
      path.join(ROOT, 'node_modules/@types/node'),
      path.join(dir, 'node_modules/@types/node')
    )
    return dir
  }

  /** Runs tsc on the consumer; resolves with its exit code and report. */
  async function tsc(dir: string, ...flags: string[]): Promise<{ code: number; output: string }> {
    const compiler = path.join(ROOT, 'node_modules/typescript/bin/tsc')
    const args = [compiler, '-p', dir, ...flags]
    try {
      const { stdout } = await run(process.execPath, args, { cwd: dir, maxBuffer: 64 << 20 })
      return { code: 0, output: stdout }
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string }
      return { code: failed.code, output: failed.stdout + failed.stderr }
    }
  }

  const NODENEXT = { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true }
  const BUNDLER = { module: 'preserve', moduleResolution: 'bundler', skipLibCheck: true }
  let compiled: { code: number; output: string }[] = []
  let traced = { code: -1, output: '' }

  // The four compilations run at once: tsc is most of this suite's time.
  beforeAll(async () => {
    const dirs = await Promise.all([
      consumer(NODENEXT),
      consumer(BUNDLER),
      consumer(NODENEXT, { type: 'commonjs', source: COMMONJS_CONSUMER }),
      consumer(NODENEXT)
    ])
    const [nodenext = '', bundler = '', commonjs = '', trace = ''] = dirs
    ;[compiled, traced] = await Promise.all([
      Promise.all([tsc(nodenext), tsc(bundler), tsc(commonjs)]),
      tsc(trace, '--traceResolution')
    ])
  }, 60_000)

  it("type-check a consumer's calls (module nodenext and bundler, strict, and a CommonJS module under nodenext): right uses compile, wrong ones do not", () => {
    // Each @ts-expect-error in CONSUMER must meet an error: declarations typed `any` would fail.
    expect(compiled).toEqual([
      { code: 0, output: '' },
      { code: 0, output: '' },
      { code: 0, output: '' }
    ])
  })

  it('import siblings with .ts extensions, which tsc resolves to the .d.ts files', () => {
    expect(traced.code).toBe(0)
    expect(traced.output).toMatch(
      /Module name '\.\.\/core\/run\.ts' was successfully resolved to '[^']*\/node_modules\/@empiricalrun\/upload-files\/dist\/lib\/types\/core\/run\.d\.ts'/
    )
  })

  it('import nothing a consumer lacks: every module they name is in the package or built into Node', () => {
    expect(unresolvedFromPackage(traced.output)).toEqual([])
  })
})

/**
 * The modules that files of the installed package import and that tsc could not resolve, from a
 * --traceResolution log; Node's built-in modules (declared by @types/node) are left out.
 */
function unresolvedFromPackage(trace: string): string[] {
  const missing: string[] = []
  let current: { name: string; from: string } | undefined
  for (const line of trace.split('\n')) {
    const resolving = /^======== Resolving module '([^']+)' from '([^']+)'\. ========$/.exec(line)
    if (resolving) current = { name: resolving[1] ?? '', from: resolving[2] ?? '' }
    const failed = /^======== Module name '([^']+)' was not resolved\. ========$/.exec(line)
    if (!failed || !current || failed[1] !== current.name) continue
    const builtin = current.name.startsWith('node:') || builtinModules.includes(current.name)
    const packaged = current.from.split('/node_modules/@empiricalrun/upload-files/')[1]
    if (packaged && !builtin) missing.push(`'${current.name}' from ${packaged}`)
  }
  return missing
}

/** A consumer's module: how a program calls the library, and the mistakes the types must catch. */
const CONSUMER = `import {
  InputError,
  toManifestJson,
  uploadFiles,
  VERSION,
  type Logger,
  type Manifest,
  type ManifestEntry,
  type NoFilesBehaviour,
  type ProgressState,
  type UploadHooks,
  type UploadOptions,
  type UploadResult
} from '@empiricalrun/upload-files'

const stop = new AbortController()
const log: Partial<Logger> = { info: (line: string) => void line, warning: (line) => void line }
const noFiles: NoFilesBehaviour = 'warn'
const options: UploadOptions & UploadHooks = {
  apiKey: process.env.EMPIRICALRUN_KEY,
  projectId: 42,
  files: ['dist/*.apk', '!dist/*-debug.apk'],
  namePrefix: 'builds/v1.2.3/',
  concurrency: 4,
  dryRun: false,
  skipExisting: true,
  ifNoFilesFound: noFiles,
  manifest: 'manifest.json',
  checksums: 'checksums.txt',
  log,
  onProgress: (progress: Readonly<ProgressState>) => void progress.sentBytes,
  signal: stop.signal
}

export async function publish(): Promise<number[]> {
  try {
    const result: UploadResult = await uploadFiles(options)
    const manifest: Manifest = result
    const first: ManifestEntry | undefined = manifest.files[0]
    const failure: string | undefined = result.failure
    const cancelled: boolean = result.cancelled
    const size: number | undefined = first?.sizeBytes
    const json: string = JSON.stringify(toManifestJson(result).files[0]?.size_bytes)
    void [first?.sha256, first?.url, failure, cancelled, VERSION.length, size, json]
    return result.files.flatMap((entry) => (entry.id === undefined ? [] : [entry.id]))
  } catch (error) {
    if (error instanceof InputError) return [error.input.length, error.detail.length]
    throw error
  }
}

// projectId may be left out: the Resources API takes the project from the key (the Files API
// refuses a missing one before any request).
void uploadFiles({ files: 'a.txt', api: 'resources' })
// @ts-expect-error api is files or resources
void uploadFiles({ files: 'a.txt', api: 'v2' })
// @ts-expect-error files is required
void uploadFiles({ projectId: 1 })
// @ts-expect-error concurrency is a number
void uploadFiles({ projectId: 1, files: 'a', concurrency: [4] })
// @ts-expect-error concurrency is a number, not its text
void uploadFiles({ projectId: 1, files: 'a', concurrency: '4' })
// @ts-expect-error dryRun is a boolean, not its text
void uploadFiles({ projectId: 1, files: 'a', dryRun: 'true' })
// @ts-expect-error projectId is a number, not its text
void uploadFiles({ projectId: '1', files: 'a' })
// @ts-expect-error ifNoFilesFound is one of three words
void uploadFiles({ projectId: 1, files: 'a', ifNoFilesFound: 'maybe' })
// @ts-expect-error the test hooks are not published
void uploadFiles({ projectId: 1, files: 'a', retryBaseMs: 0 })
// @ts-expect-error the result is spelt as the options are
void (async () => (await uploadFiles({ projectId: 1, files: 'a' })).dry_run)()
// @ts-expect-error an option the library does not have
void uploadFiles({ projectId: 1, files: 'a', authKey: 'x' })
// @ts-expect-error manifest is a path
void uploadFiles({ projectId: 1, files: 'a', manifest: true })
// @ts-expect-error the result is a promise of the manifest's data, not a number
const wrong: number = await uploadFiles({ projectId: 1, files: 'a' })
void wrong
void (async () => {
  const result = await uploadFiles({ projectId: 1, files: 'a' })
  // @ts-expect-error totals.files is a number
  const files: string = result.totals.files
  // @ts-expect-error entries may lack an id: it is optional
  const id: number = result.files[0]!.id
  void [files, id]
})
`

/**
 * A CommonJS consumer's module ("type": "commonjs", module nodenext, which lets a CommonJS file
 * require() an ES module as Node 22.12 and later do): both import forms compile to require().
 */
const COMMONJS_CONSUMER = `import { InputError, uploadFiles, VERSION, type UploadResult } from '@empiricalrun/upload-files'
import lib = require('@empiricalrun/upload-files')

export async function publish(): Promise<UploadResult | string> {
  try {
    return await lib.uploadFiles({ projectId: 42, files: 'dist/*.apk' })
  } catch (error) {
    if (error instanceof InputError) return error.input
    throw error
  }
}

const version: string = VERSION
void [version, uploadFiles === lib.uploadFiles]
// projectId may be left out: the Resources API takes the project from the key (the Files API
// refuses a missing one before any request).
void uploadFiles({ files: 'a.txt', api: 'resources' })
// @ts-expect-error api is files or resources
void uploadFiles({ files: 'a.txt', api: 'v2' })
// @ts-expect-error an option the library does not have
void lib.uploadFiles({ projectId: 1, files: 'a', authKey: 'x' })
// @ts-expect-error a CommonJS module has no top-level await: tsc reads this file as CommonJS
await Promise.resolve()
`
