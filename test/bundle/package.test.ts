// The package as npm delivers it: `npm pack`, then a global install of the tarball into an empty
// prefix with no network and an empty cache (the bundles carry every runtime dependency), then
// the installed bin and the installed library (imported and required), on the Node that CLI_NODE
// names.
import { execFile } from 'node:child_process'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, expect, it } from 'vitest'
import { runCli, sharedEmulator, tempDir, workspace } from '../support/bundle.ts'
import { CLI_NODE, cliEnv, ROOT } from '../support/cli.ts'

const run = promisify(execFile)
const KEY = 'package-test-key'

const emulator = sharedEmulator({ projects: [7], apiKey: KEY })
let tmp: string

beforeAll(async () => {
  tmp = await tempDir('package-')
})

/** npm with this process's environment less npm's own settings (npm test sets npm_config_*). */
function npm(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name))
  )
  return run('npm', [...args, '--cache', path.join(tmp, 'cache'), '--loglevel=error'], {
    cwd: ROOT,
    env,
    maxBuffer: 16 << 20
  })
}

interface Packed {
  filename: string
  files: { path: string }[]
}

it('npm pack and an offline global install give a working empiricalrun-upload bin, and a library that import and require() both load', async () => {
  const version = (
    JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
      version: string
    }
  ).version
  const packed = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', tmp])
  const [info] = JSON.parse(packed.stdout) as Packed[]
  const shipped = (info?.files ?? []).map((file) => file.path).sort()
  expect(shipped).toEqual(
    expect.arrayContaining([
      'package.json',
      'dist/cli/index.js',
      'dist/lib/index.js',
      'dist/lib/types/lib/index.d.ts'
    ])
  )
  // Only the CLI, the library and the pages: not the action's bundle, the sources or the tests.
  for (const file of shipped) {
    expect(file).toMatch(
      /^(dist\/cli\/|dist\/lib\/|docs\/(ci\/)?[\w-]+\.md$|package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$)/
    )
  }

  const prefix = path.join(tmp, 'prefix')
  const tarball = path.join(tmp, info?.filename ?? '')
  await npm(['install', '-g', '--prefix', prefix, tarball, '--offline', '--no-audit', '--no-fund'])
  const installed = path.join(prefix, 'lib/node_modules/@empiricalrun/upload-files')
  // No runtime dependency was installed: nothing beside what the tarball holds.
  expect(await readdir(installed)).not.toContain('node_modules')

  const bin = path.join(prefix, 'bin/empiricalrun-upload')
  const dir = await workspace({ 'dist/app.apk': 'apk', 'dist/notes.txt': 'notes' })
  const shown = await runCli({ command: [bin], args: ['--version'], cwd: dir })
  expect(shown).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' })

  const uploaded = await runCli({
    command: [bin],
    args: ['--project-id', '7', '--base-url', emulator.apiUrl, 'dist/'],
    cwd: dir,
    env: { EMPIRICALRUN_KEY: KEY }
  })
  expect(uploaded.code).toBe(0)
  expect(uploaded.stdout).toBe('1\tapp.apk\n2\tnotes.txt\n')
  expect(uploaded.stdout + uploaded.stderr).not.toContain(KEY)
  expect(emulator.uploaded().map((record) => record.name)).toEqual(['app.apk', 'notes.txt'])

  // The library, imported by its name from the installed copy (package.json's exports).
  const imported = await run(
    CLI_NODE,
    [
      '--input-type=module',
      '-e',
      "const lib = await import('@empiricalrun/upload-files'); console.log(Object.keys(lib).sort().join(' '), lib.VERSION)"
    ],
    { cwd: path.join(prefix, 'lib'), env: cliEnv() }
  )
  expect(imported.stdout).toBe(
    `InputError VERSION checksumsOf formatChecksums toManifestJson uploadFiles ${version}\n`
  )

  // The same library from a CommonJS script: Node 22.12 and later require() an ES module that has
  // no top-level await, when package.json's exports has a condition that require() matches.
  const script = path.join(prefix, 'lib/required.cjs')
  await writeFile(
    script,
    "const lib = require('@empiricalrun/upload-files')\nconsole.log(Object.keys(lib).sort().join(' '), typeof lib.uploadFiles, lib.VERSION)\n"
  )
  const required = await run(CLI_NODE, [script], { cwd: path.dirname(script), env: cliEnv() })
  expect(required).toEqual({
    stdout: `InputError VERSION checksumsOf formatChecksums toManifestJson uploadFiles function ${version}\n`,
    stderr: ''
  })
})
