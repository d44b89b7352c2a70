// The harness of the suites that run the built dist/ in a child process (test/bundle/): one
// emulator set-up, one clean-up registry, and runs of the action and the CLI that check, on every
// run, what no run may do whatever its outcome:
// - show a secret: an emulator's API key or the signature of a URL it signed, in any line of the
//   log, stdout, stderr, the outputs or the summary (a download URL the run was asked for may
//   stand in stdout and the outputs, never on stderr or in the log: `allow.downloadUrls`);
// - send a PUT to storage with an Authorization header;
// - print a stack trace (`    at …` frames) for an error it expected (`allow.stackTrace` for a
//   test that provokes one on purpose).
// A failed check fails the test, naming each leak and where it stood.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import {
  startEmulator,
  type Emulator,
  type EmulatorOptions,
  type Fault,
  type RecordedRequest
} from '../../emulator/emulator.ts'
import {
  makeWorkspace,
  runAction as runActionUnchecked,
  type ActionRun,
  type RunOptions
} from '../../scripts/run-action.ts'
import {
  runCli as runCliUnchecked,
  runCliInTerminal as runCliInTerminalUnchecked,
  type CliOptions,
  type CliRun,
  type TerminalRun,
  waitFor
} from './cli.ts'

// ── clean-up ────────────────────────────────────────────────────────────────────────────────────

type Cleanup = () => unknown
const perTest: Cleanup[] = []
const perFile: Cleanup[] = []
/** Tests running now: more than one in a describe.concurrent block. */
let running = 0

beforeEach(() => {
  running++
})
afterEach(async () => {
  // A concurrent test's clean-ups wait for the others: none is removed under a running test.
  if (--running === 0) await runAll(perTest)
})
afterAll(async () => {
  await runAll(perFile)
})

async function runAll(cleanups: Cleanup[]): Promise<void> {
  const results = await Promise.allSettled(cleanups.splice(0).map(async (cleanup) => cleanup()))
  const failed = results.find((result) => result.status === 'rejected')
  if (failed) throw failed.reason
}

/**
 * Registers `cleanup` to run once the current test has ended, or, registered outside a test (in
 * a beforeAll), once the file's tests have ended. A test's clean-ups run together, after the
 * file's own afterEach hooks.
 */
export function onCleanup(cleanup: Cleanup): void {
  ;(running > 0 ? perTest : perFile).push(cleanup)
}

/** A temp workspace holding `files` (path → content), removed at clean-up. */
export async function workspace(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await makeWorkspace(files)
  onCleanup(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** A workspace holding `files` in a folder named `name` (glob characters, say), removed at clean-up. */
export async function workspaceNamed(
  name: string,
  files: Record<string, string | Buffer>
): Promise<string> {
  const dir = path.join(await tempDir(), name)
  await mkdir(dir)
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
    await writeFile(path.join(dir, file), content)
  }
  return dir
}

/** An empty temp folder, removed at clean-up. */
export async function tempDir(prefix = 'bundle-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  onCleanup(() => rm(dir, { recursive: true, force: true }))
  return dir
}

// ── emulators ───────────────────────────────────────────────────────────────────────────────────

/** The emulators running now: every run is checked against each of them. */
const live = new Set<Emulator>()

/** Starts an emulator with these options, closed at clean-up. */
export async function emulatorWith(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator(options)
  live.add(emulator)
  onCleanup(async () => {
    live.delete(emulator)
    await emulator.close()
  })
  return emulator
}

/**
 * The emulator the file's tests share: started before the first test, reset (and unthrottled)
 * after each, closed after the last. Call it at the top of the file or of a describe block; the
 * object it returns stands for the emulator once started.
 */
export function sharedEmulator(options: EmulatorOptions = {}): Emulator {
  let current: Emulator | undefined
  beforeAll(async () => {
    current = await emulatorWith(options)
  })
  afterEach(() => {
    current?.reset()
    current?.setThrottle(undefined)
  })
  const started = (): Emulator => {
    if (!current) throw new Error('the shared emulator is used before it has started')
    return current
  }
  return new Proxy({} as Emulator, {
    get: (_, name) => Reflect.get(started(), name) as unknown,
    set: (_, name, value) => Reflect.set(started(), name, value)
  })
}

// ── the invariants ──────────────────────────────────────────────────────────────────────────────

/** What a test may let a run do that the checks otherwise refuse. */
export interface Allow {
  /** The run was asked for download URLs: their signatures may stand in stdout and the outputs. */
  downloadUrls?: boolean
  /** The test provokes a stack trace on purpose. */
  stackTrace?: boolean
}

/** Options every checked run takes besides those of the run itself. */
export interface Checks {
  allow?: Allow
  /** Secrets of a backend other than the running emulators (its key, the signatures it issued). */
  secrets?: () => readonly string[]
}

/** A stack frame line, as Node prints an error's stack. */
const FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/m

/** The signature of a URL that a storage request used. */
function signatureOf(request: RecordedRequest): string {
  return request.query['X-Amz-Signature'] ?? ''
}

interface Secret {
  what: string
  value: string
}

/** The secrets the running emulators hold: each key, and the signature of each URL they saw used. */
function secrets(checks: Checks): { always: Secret[]; downloads: Secret[] } {
  const always: Secret[] = []
  const downloads: Secret[] = []
  for (const emulator of live) {
    always.push({ what: 'the API key', value: emulator.apiKey })
    for (const request of emulator.requests) {
      const value = signatureOf(request)
      if (request.server !== 'storage' || !value) continue
      if (request.step === 'download') downloads.push({ what: 'a download URL signature', value })
      else always.push({ what: `a ${request.step} URL signature`, value })
    }
  }
  for (const value of checks.secrets?.() ?? []) if (value) always.push({ what: 'a secret', value })
  return { always, downloads }
}

/**
 * Checks the texts a run left (name → text) against the invariants, and fails the test naming
 * each leak. `urlPlaces` are the texts where an asked-for download URL may stand.
 */
export function expectNoLeaks(
  texts: Record<string, string>,
  checks: Checks & { urlPlaces?: readonly string[]; stackPlaces?: readonly string[] } = {}
): void {
  const { always, downloads } = secrets(checks)
  const problems: string[] = []
  for (const [place, text] of Object.entries(texts)) {
    const forbidden =
      checks.allow?.downloadUrls && checks.urlPlaces?.includes(place)
        ? always
        : [...always, ...downloads]
    for (const secret of forbidden) {
      if (text.includes(secret.value)) problems.push(`${secret.what} in ${place}`)
    }
    const frame = FRAME.exec(text)
    if (frame && !checks.allow?.stackTrace && (checks.stackPlaces ?? []).includes(place))
      problems.push(`a stack trace in ${place}: ${frame[0].trim()}`)
  }
  for (const emulator of live) {
    const authorized = emulator.requests.filter(
      (request) =>
        request.server === 'storage' &&
        request.step !== 'download' &&
        request.headers.authorization !== undefined
    ).length
    if (authorized)
      problems.push(`${authorized} storage request(s) sent with an Authorization header`)
  }
  if (problems.length > 0)
    expect.fail(
      `the run did what no run of dist/ may do:\n- ${[...new Set(problems)].join('\n- ')}`
    )
}

/** The log as a runner displays it: `::add-mask::` commands are consumed by the runner, never shown. */
export function visibleLog(run: ActionRun): string {
  return run.log
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
}

// ── checked runs ────────────────────────────────────────────────────────────────────────────────

/** Runs dist/index.js as a runner does (scripts/run-action.ts), then checks the invariants. */
export async function runAction(options: RunOptions & Checks): Promise<ActionRun> {
  const run = await runActionUnchecked(options)
  const outputs = Object.fromEntries(
    Object.entries(run.outputs).map(([name, value]) => [`output ${name}`, value])
  )
  expectNoLeaks(
    { log: visibleLog(run), summary: run.summary, ...outputs },
    { ...options, urlPlaces: Object.keys(outputs), stackPlaces: ['log'] }
  )
  return run
}

/** Runs the bundled CLI with a pipe for each stream (test/support/cli.ts), then checks the invariants. */
export async function runCli(options: CliOptions & Checks): Promise<CliRun> {
  const run = await runCliUnchecked(options)
  expectNoLeaks(
    { stdout: run.stdout, stderr: run.stderr },
    { ...options, urlPlaces: ['stdout'], stackPlaces: ['stderr'] }
  )
  return run
}

/** Runs the bundled CLI under a pseudo-terminal (test/support/cli.ts), then checks the invariants. */
export async function runCliInTerminal(options: CliOptions & Checks): Promise<TerminalRun> {
  const run = await runCliInTerminalUnchecked(options)
  expectNoLeaks(
    { screen: run.screen },
    { ...options, urlPlaces: ['screen'], stackPlaces: ['screen'] }
  )
  return run
}

/**
 * The inputs that point the action at `emulator`: its key, its API, and project 1 (Files API) or
 * `api: resources` (the Resources API, where the key picks the project), then `inputs`.
 */
export function inputsFor(
  emulator: Emulator,
  inputs: Record<string, string> = {}
): Record<string, string> {
  const project: Record<string, string> =
    emulator.api === 'resources' ? { api: 'resources' } : { 'project-id': '1' }
  return { 'auth-key': emulator.apiKey, ...project, 'base-url': emulator.apiUrl, ...inputs }
}

/** The two APIs the emulator serves, for suites that run in both. */
export const APIS = ['files', 'resources'] as const

/** The API requests `emulator` received on the other API's paths: none, in a run that spoke its own. */
export function otherApiRequests(emulator: Emulator): string[] {
  const other = emulator.api === 'resources' ? '/api/files' : '/api/resources'
  return emulator.requests
    .filter((request) => request.server === 'api' && request.path.startsWith(other))
    .map((request) => `${request.method} ${request.path}`)
}

/** True once `emulator`'s storage has read some bytes of the named file's upload. */
export function bytesArrived(emulator: Emulator, name: string): boolean {
  return emulator.requests.some(
    (request) =>
      request.step === 'put' &&
      request.bodyBytes > 0 &&
      emulator.files.get(request.fileId ?? 0)?.name === name
  )
}

// ── steps taken mid-run, and faults ─────────────────────────────────────────────────────────────

/** Calls `act` once `condition` holds, checked every 10 ms: a step a test takes mid-run. */
export function when(condition: () => boolean, what: string, act: () => void): void {
  void waitFor(condition, what).then(act)
}

/** Calls `act` once `emulator`'s storage has read some bytes of the named file's upload. */
export function whenBytesArrive(emulator: Emulator, name: string, act: () => void): void {
  when(() => bytesArrived(emulator, name), `the first bytes of ${name} at storage`, act)
}

/** The body S3 answers a PUT whose signature does not match, with its status 403. */
const SIGNATURE_DOES_NOT_MATCH =
  '<?xml version="1.0"?><Error><Code>SignatureDoesNotMatch</Code><Message>The signature does not match</Message></Error>'

/** A fault that makes storage refuse a PUT (the named file's, or the first) as S3 does a bad signature. */
export function signatureRefused(name?: string): Fault {
  return {
    step: 'put',
    ...(name === undefined ? {} : { name }),
    action: { type: 'status', status: 403, body: SIGNATURE_DOES_NOT_MATCH }
  }
}
