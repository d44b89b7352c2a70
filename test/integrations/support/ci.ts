// What the integrations suite shares: where things are, the environment a CI's job would have
// (Node.js 22.19 or later first on PATH, npm pointed at the local registry), child processes, bats,
// the vendored schemas, and the checks every run must pass (no key anywhere, the CLI fetched from
// the local registry).
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { expect } from 'vitest'

/** The repository's root. */
export const ROOT = path.resolve(import.meta.dirname, '../../..')

/** The integrations' own tools and their node_modules. */
export const TOOLS = path.join(ROOT, 'tools/integrations')

/** The bats that runs the .bats files, from tools/integrations. */
export const BATS = path.join(TOOLS, 'node_modules/bats/bin/bats')

/** package.json's version: the one every integration pins. */
export const VERSION = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version

/**
 * The environment of a CI job here: PATH with the Node running the suite first (so that `node`
 * and the `#!/usr/bin/env node` of npx and the CLI find Node.js 22.19 or later), HOME, npm told to
 * stay quiet, and what the test gives; nothing else of the runner's (no EMPIRICALRUN_KEY, no CI).
 */
export function childEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const base: Record<string, string> = {
    PATH: [path.dirname(process.execPath), process.env.PATH ?? '/usr/bin:/bin'].join(
      path.delimiter
    ),
    HOME: process.env.HOME ?? '/root',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_loglevel: 'warn'
  }
  return Object.fromEntries(
    Object.entries({ ...base, ...extra }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined
    )
  )
}

/** What a child process printed, and how it ended. */
export interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a command to its end (killed after `timeoutMs`), collecting its output. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number }
): Promise<Run> {
  return new Promise((resolve, reject) => {
    // stdin is /dev/null, not node's socket: bash takes a socket on stdin for sshd's and reads
    // ~/.bashrc instead of $BASH_ENV.
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** Runs .bats files with bats-support and bats-assert on BATS_LIB_PATH; TAP on stdout. */
export function bats(files: readonly string[], env: Record<string, string>): Promise<Run> {
  return run(BATS, ['--tap', ...files], {
    cwd: ROOT,
    env: childEnv({ BATS_LIB_PATH: path.join(TOOLS, 'node_modules'), ...env }),
    timeoutMs: 150_000
  })
}

/** Fails the test on a bats run with a failed test or none at all, showing its TAP output. */
export function expectBatsPassed(result: Run, atLeast: number): void {
  const passed = result.stdout.split('\n').filter((line) => /^ok \d+/.test(line)).length
  const failed = result.stdout.split('\n').filter((line) => /^not ok \d+/.test(line))
  expect(failed, `${result.stdout}\n${result.stderr}`).toEqual([])
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0)
  expect(passed).toBeGreaterThanOrEqual(atLeast)
}

/** Every regular file under a folder, with its text (binary files included as latin1). */
export function filesUnder(dir: string): Map<string, string> {
  const found = new Map<string, string>()
  if (!existsSync(dir)) return found
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const full = path.join(dir, entry)
    if (statSync(full).isFile()) found.set(full, readFileSync(full, 'latin1'))
  }
  return found
}

/** Fails the test naming each text (a log, a file) that holds the key. */
export function expectNoKey(
  texts: Map<string, string> | Record<string, string>,
  key: string
): void {
  const entries = texts instanceof Map ? [...texts] : Object.entries(texts)
  expect(entries.length).toBeGreaterThan(0)
  const leaks = entries.filter(([, text]) => text.includes(key)).map(([where]) => where)
  expect(leaks, 'the API key shows in these').toEqual([])
}

/** Whether npm's cache at `cache` holds the package's tarball as fetched from `registry`. */
export function fetchedFrom(cache: string, registry: string): boolean {
  const tarball = `${registry}@empiricalrun/upload-files/-/upload-files-${VERSION}.tgz`
  return [...filesUnder(path.join(cache, '_cacache', 'index-v5')).values()].some((text) =>
    text.includes(tarball)
  )
}

/** A JSON schema validator: ajv (draft-07) with formats, from tools/integrations. */
interface Validator {
  (data: unknown): boolean
  errors?: unknown[] | null
}

const load = createRequire(path.join(TOOLS, 'package.json'))
const validators = new Map<string, Validator>()

/** The errors a vendored schema (tools/integrations/schemas/<name>) finds in `data`; [] when valid. */
export function schemaErrors(name: string, data: unknown): unknown[] {
  let validate = validators.get(name)
  if (!validate) {
    type AjvClass = new (options: object) => { compile(schema: unknown): Validator }
    const Ajv = (load('ajv') as { default: AjvClass }).default
    const addFormats = (load('ajv-formats') as { default: (ajv: unknown) => void }).default
    const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true })
    addFormats(ajv)
    const schema: unknown = JSON.parse(readFileSync(path.join(TOOLS, 'schemas', name), 'utf8'))
    validate = ajv.compile(schema)
    validators.set(name, validate)
  }
  return validate(data) ? [] : (validate.errors ?? ['invalid'])
}

/** Makes `dir` a git repository with one commit of what it holds, cloned from `remote` as it were. */
export async function commitAll(dir: string, remote: string): Promise<void> {
  const git = async (...args: string[]): Promise<void> => {
    const result = await run('git', args, { cwd: dir, env: childEnv({ GIT_CONFIG_NOSYSTEM: '1' }) })
    expect(result.code, `git ${args.join(' ')}: ${result.stderr}`).toBe(0)
  }
  await git('init', '--quiet', '--initial-branch=main')
  await git('config', 'user.email', 'ci@example.com')
  await git('config', 'user.name', 'CI')
  await git('remote', 'add', 'origin', remote)
  await git('add', '.')
  await git('commit', '--quiet', '-m', 'Pipeline')
  // The default branch, as a clone would know it.
  await git('update-ref', 'refs/remotes/origin/main', 'HEAD')
  await git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main')
}

/** Runs gitlab-ci-local (from tools/integrations) in `project` with the shell executor. */
export function gitlabCiLocal(project: string, home: string, args: string[] = []): Promise<Run> {
  return run(
    process.execPath,
    [
      path.join(TOOLS, 'node_modules/gitlab-ci-local/dist/index.js'),
      '--force-shell-executor',
      '--shell-isolation',
      '--no-color',
      '--home',
      home,
      ...args
    ],
    { cwd: project, env: childEnv(), timeoutMs: 140_000 }
  )
}
