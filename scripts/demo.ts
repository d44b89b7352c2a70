// Shows the action working end to end: starts the local emulator, runs the bundled dist/index.js
// on sample files exactly as a runner would, then prints the log, the outputs, the job summary and
// the manifest. A second run, as a re-run of the job would, finds every file already there.
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { startEmulator } from '../emulator/emulator.ts'
import { makeWorkspace, runAction } from './run-action.ts'

const emulator = await startEmulator({ projects: [4] })
const workspace = await makeWorkspace({
  'build/app-linux-x64.tar.gz': randomBytes(256 * 1024),
  'build/app-windows-x64.zip': randomBytes(128 * 1024),
  'build/checksums.txt': 'sha256 of everything\n',
  'build/docs/release notes.md': '# Release notes\n\nEverything is faster.\n',
  'build/.cache/ignored.bin': 'hidden files are skipped by default\n'
})

const inputs = {
  'auth-key': emulator.apiKey,
  'project-id': '4',
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
  const rerun = await runAction({ workspace, inputs })
  console.log('── log of a re-run (skip-existing) ──────────────────')
  console.log(rerun.log.trimEnd())
  console.log('── what the emulator holds ──────────────────────────')
  for (const file of emulator.uploaded()) {
    console.log(
      `#${file.id} ${file.name} ${file.stored?.size} bytes sha256:${file.stored?.sha256.slice(0, 16)}…`
    )
  }
  console.log(
    `exit codes ${run.code} and ${rerun.code}, in ${Math.round(run.durationMs)} ms and ${Math.round(rerun.durationMs)} ms`
  )
  process.exitCode = run.code || rerun.code || 0
} finally {
  await emulator.close()
  await rm(workspace, { recursive: true, force: true })
}
