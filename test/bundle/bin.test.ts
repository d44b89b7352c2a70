// The bin, dist/cli/index.js, before it loads the CLI's bundle (dist/cli/run/index.js): on a Node.js
// older than package.json's engines it says so in one line instead of failing in the bundle, and a
// command line of only --help or --version it answers itself, on the Node that CLI_NODE names.
import { execFile } from 'node:child_process'
import { cp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli, tempDir, workspace } from '../support/bundle.ts'
import { CLI, CLI_NODE, ROOT } from '../support/cli.ts'
import { installNode20, NODE20 } from '../support/node20.ts'

const run = promisify(execFile)
const PACKAGE = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string
  engines: { node: string }
}

describe('the bin on Node 20, older than engines allows', () => {
  let version = ''
  let needs = ''

  beforeAll(async () => {
    await installNode20()
    version = (await run(NODE20, ['--version'])).stdout.trim()
    needs = `empiricalrun-upload needs Node.js ${PACKAGE.engines.node.replace(/^>=/, '')} or later; this is Node.js ${version}\n`
  }, 120_000)

  it('prints one line naming the Node.js it needs and the one it found, exit 1, no stack trace', async () => {
    expect(version).toMatch(/^v20\./)
    const dir = await workspace({ 'dist/app.apk': 'apk' })
    // As a shell runs the bin: through its #!/usr/bin/env node, with Node 20 first on PATH.
    const upload = await runCli({
      command: [CLI],
      args: ['--project-id', '7', '--base-url', 'http://127.0.0.1:9', 'dist/'],
      cwd: dir,
      env: { PATH: [path.dirname(NODE20), process.env.PATH ?? ''].join(path.delimiter) }
    })
    const shown = await runCli({ command: [NODE20, CLI], args: ['--version'], cwd: dir })
    for (const refused of [upload, shown]) {
      expect(refused).toMatchObject({ code: 1, signal: null, stdout: '', stderr: needs })
      expect(refused.stderr).not.toMatch(/^\s+at /m)
    }
  })
})

/** What --version prints: package.json's version, on a line of its own. */
const VERSION_LINE = new RegExp(`^${PACKAGE.version.replace(/\./g, '\\.')}\n$`)

describe("the bin with the CLI's bundle out of reach (a copy of dist/cli without run/index.js)", () => {
  let copy = ''

  beforeAll(async () => {
    const dir = await tempDir('bin-')
    await cp(path.join(ROOT, 'dist/cli'), dir, { recursive: true })
    await rm(path.join(dir, 'run/index.js'))
    copy = dir
  })

  it.each([
    ['--version', VERSION_LINE],
    ['-V', VERSION_LINE],
    ['--help', /^Usage: empiricalrun-upload /],
    ['-h', /^Usage: empiricalrun-upload /]
  ])('%s alone: what the CLI itself prints, exit 0, without loading it', async (flag, text) => {
    const cli = path.join(ROOT, 'dist/cli/run/index.js')
    const full = await runCli({ command: [CLI_NODE, cli], args: [flag], cwd: os.tmpdir() })
    expect(full).toMatchObject({ code: 0, stderr: '' })
    expect(full.stdout).toMatch(text)
    const bin = path.join(copy, 'index.js')
    const quick = await runCli({ command: [CLI_NODE, bin], args: [flag], cwd: os.tmpdir() })
    expect(quick).toMatchObject({ code: 0, signal: null, stdout: full.stdout, stderr: '' })
  })

  it('any other command line, --help among other flags too, goes to the CLI, which is missing here', async () => {
    const mixed = await runCli({
      command: [CLI_NODE, path.join(copy, 'index.js')],
      args: ['--help', '--verbose'],
      cwd: os.tmpdir(),
      // Node's own report of the missing module, with its stack.
      allow: { stackTrace: true }
    })
    expect(mixed.code).toBe(1)
    expect(mixed.stdout).toBe('')
    expect(mixed.stderr).toContain('ERR_MODULE_NOT_FOUND')
    const shipped = await runCli({
      command: [CLI_NODE, CLI],
      args: ['--help', '--verbose'],
      cwd: os.tmpdir()
    })
    expect(shipped).toMatchObject({ code: 0, stderr: '' })
    expect(shipped.stdout).toMatch(/^Usage: /)
  })
})
