// The integrations suite's global set-up: a local npm registry (verdaccio, from tools/integrations)
// on loopback, holding this checkout's package as `npm pack` makes it, so that every wrapper's
// `npx --yes @empiricalrun/upload-files@<version>` fetches what is being released. Nothing is
// proxied to the internet registry: no uplink, and every other name is a 404.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, openSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { childEnv, ROOT, run, TOOLS } from './ci.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The local registry's URL, ending in /. */
    registry: string
    /** The file verdaccio logs every request to, one JSON line each. */
    registryLog: string
  }
}

/** A free port on loopback, for verdaccio's --listen (it cannot report a port 0 it was given). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** verdaccio's configuration: storage in `dir`, anonymous publish, no uplink. */
function config(dir: string): string {
  return [
    `storage: ${path.join(dir, 'storage')}`,
    'auth:',
    '  htpasswd:',
    `    file: ${path.join(dir, 'htpasswd')}`,
    '    max_users: -1',
    'uplinks: {}',
    'packages:',
    "  '**':",
    '    access: $all',
    '    publish: $all',
    'log: { type: stdout, format: json, level: http }',
    ''
  ].join('\n')
}

/** Resolves once the registry answers its ping; rejects after `ms`. */
async function ready(url: string, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with ${child.exitCode}`)
    const answered = await fetch(`${url}-/ping`).then(
      (response) => response.ok,
      () => false
    )
    if (answered) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`verdaccio did not answer at ${url} within ${ms} ms`)
}

/** Stops verdaccio: SIGTERM, then SIGKILL if it is still there after 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
  if (major < 22 || (major === 22 && minor < 19)) {
    throw new Error(
      `the integrations suite runs on Node.js 22.19 or later; this is ${process.version}`
    )
  }
  if (!existsSync(path.join(ROOT, 'dist/cli/index.js'))) {
    throw new Error("dist/ is missing: run 'npm run package' first (the package is packed from it)")
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'integrations-registry-'))
  await writeFile(path.join(dir, 'config.yaml'), config(dir))
  const registryLog = path.join(dir, 'verdaccio.log')
  const port = await freePort()
  const registry = `http://127.0.0.1:${port}/`
  const logFd = openSync(registryLog, 'a')
  const child = spawn(
    process.execPath,
    [
      path.join(TOOLS, 'node_modules/verdaccio/bin/verdaccio'),
      '--config',
      path.join(dir, 'config.yaml'),
      '--listen',
      `127.0.0.1:${port}`
    ],
    { stdio: ['ignore', logFd, logFd], env: childEnv() }
  )
  const teardown = async (): Promise<void> => {
    await stop(child)
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await ready(registry, child, 30_000)
    const packed = await run('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: ROOT,
      env: childEnv({ npm_config_cache: path.join(dir, 'npm-cache') })
    })
    if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`)
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }]
    const host = registry.replace(/^http:/, '')
    const published = await run(
      'npm',
      [
        'publish',
        path.join(dir, filename),
        '--registry',
        registry,
        '--provenance=false',
        `--${host}:_authToken=integration-tests`
      ],
      { cwd: dir, env: childEnv({ npm_config_cache: path.join(dir, 'npm-cache') }) }
    )
    if (published.code !== 0) throw new Error(`npm publish failed:\n${published.stderr}`)
  } catch (error) {
    await teardown()
    throw error
  }
  project.provide('registry', registry)
  project.provide('registryLog', registryLog)
  return teardown
}
