// Shows the action working end to end: starts the local emulator, runs the bundled dist/index.js
// on sample files exactly as a runner would, then prints the log, the outputs, the job summary,
// the manifest and the checksums file. A second run, as a re-run of the job would, finds every file
// already there. A third, with `verify` against storage that corrupts the first copy of each file
// it stores, after one file was edited in place at the same size, sends that file again and
// proves every stored copy. `npm run demo -- --api resources` does the same against the Resources
// API, where the key picks the project and no project-id is given.
import { randomBytes } from 'node:crypto'
import { readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { startEmulator } from '../emulator/emulator.ts'
import { makeWorkspace, runAction } from './run-action.ts'

const { values } = parseArgs({ options: { api: { type: 'string', default: 'files' } } })
if (values.api !== 'files' && values.api !== 'resources') {
  console.error(`--api: '${values.api}' is not files or resources`)
  process.exit(2)
}
const api = values.api
const emulator = await startEmulator({ api, projects: [4], keepBytes: true })
const workspace = await makeWorkspace({
  'build/app-linux-x64.tar.gz': randomBytes(256 * 1024),
  'build/app-windows-x64.zip': randomBytes(128 * 1024),
  'build/checksums.txt': 'sha256 of everything\n',
  'build/docs/release notes.md': '# Release notes\n\nEverything is faster.\n',
  'build/.cache/ignored.bin': 'hidden files are skipped by default\n'
})

const inputs = {
  'auth-key': emulator.apiKey,
  ...(api === 'files' ? { 'project-id': '4' } : { api }),
  files: 'build/**\n!build/**/*.txt\nbuild/checksums.txt',
  description: 'demo release',
  'name-prefix': 'releases/v1.2.3/',
  'skip-existing': 'true',
  'download-url': 'true',
  'base-url': emulator.apiUrl
}

try {
  const run = await runAction({ workspace, inputs })
  console.log('── log ──────────────────────────────────────────────')
  console.log(run.log.trimEnd())
  console.log('── outputs ──────────────────────────────────────────')
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name} = ${value}`)
  console.log('── job summary (markdown/HTML) ──────────────────────')
  console.log(run.summary.trimEnd())
  console.log('── manifest ─────────────────────────────────────────')
  console.log(run.manifest.trimEnd())
  console.log('── checksums file (sha256sum -c reads it) ───────────')
  console.log(run.checksums.trimEnd())
  const rerun = await runAction({ workspace, inputs })
  console.log('── log of a re-run (skip-existing) ──────────────────')
  console.log(rerun.log.trimEnd())
  // The release notes edited in place at the same size, and storage that lies once per file.
  const notes = path.join(workspace, 'build/docs/release notes.md')
  await writeFile(notes, (await readFile(notes, 'utf8')).replace('faster', 'better'))
  emulator.setCorrupt({ puts: 'first' })
  const verified = await runAction({ workspace, inputs: { ...inputs, verify: 'true' } })
  console.log('── log of a run with verify, storage corrupting each first copy ──')
  console.log(verified.log.trimEnd())
  console.log('── what the emulator holds ──────────────────────────')
  for (const file of emulator.uploaded()) {
    console.log(
      `#${file.id} ${file.name} ${file.stored?.size} bytes sha256:${file.stored?.sha256.slice(0, 16)}…`
    )
  }
  console.log(
    `exit codes ${run.code}, ${rerun.code} and ${verified.code}, in ${Math.round(run.durationMs)} ms, ${Math.round(rerun.durationMs)} ms and ${Math.round(verified.durationMs)} ms`
  )
  process.exitCode = run.code || rerun.code || verified.code || 0
} finally {
  await emulator.close()
  await rm(workspace, { recursive: true, force: true })
}
