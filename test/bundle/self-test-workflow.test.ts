// Runs the `self-test` job of .github/workflows/self-test.yml locally, as written, with
// scripts/workflow/: the steps run against the emulator the way a Linux runner runs them.
import { existsSync, readFileSync } from 'node:fs'
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { JobResult, StepResult } from '../../scripts/workflow/index.ts'
import { expectNoLeaks, tempDir } from '../support/bundle.ts'
import {
  findTrackedProcesses,
  runWorkflowJob,
  WorkflowError
} from '../../scripts/workflow/index.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const WORKFLOW = path.join(ROOT, '.github/workflows/self-test.yml')
const OPTIONS = {
  matrix: { os: 'ubuntu-latest' },
  // The workspace is already a checkout with node_modules and Node 24.
  skipUses: /^actions\/(checkout|setup-node)@/,
  skipRun: /^npm ci$/,
  // Below the test timeout, so that a hang still ends with the job's cleanup, not a stray emulator;
  // a job takes 2 s on an idle machine and several times that on a busy one.
  timeoutMs: 45_000
}
const TEST_TIMEOUT_MS = 60_000

/** A checkout as the workflow sees it after `npm ci`: only what the job uses, node_modules linked. */
async function workspace(): Promise<string> {
  const dir = await tempDir('self-test-workflow-')
  for (const name of ['action.yml', 'package.json', 'dist', 'emulator']) {
    await cp(path.join(ROOT, name), path.join(dir, name), { recursive: true })
  }
  await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir')
  return dir
}

/** A copy of the workflow with one exact piece of text replaced. */
async function variant(dir: string, from: string, to: string): Promise<string> {
  const source = await readFile(WORKFLOW, 'utf8')
  expect(source.split(from)).toHaveLength(2)
  const file = path.join(dir, '.github/workflows/self-test.yml')
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, source.replace(from, to))
  return file
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** The emulator the job started no longer listens on the port it printed. */
async function expectEmulatorClosed(result: JobResult): Promise<void> {
  const port = /"apiUrl":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(
    step(result, 'Start the emulator').log
  )?.[1]
  expect(port).toBeDefined()
  expect(await listening(Number(port))).toBe(false)
}

/** Whether a process runs (a zombie waiting for its reaper does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  if (!existsSync('/proc/self/stat')) return true
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2))
  } catch {
    return false
  }
}

/** Nothing the job started is still running, and the emulator's ports are closed. */
async function expectNothingLeft(result: JobResult, dir: string): Promise<void> {
  expect(await findTrackedProcesses(result.trackingId)).toEqual([])
  const pid = Number(await readFile(path.join(dir, 'emulator.pid'), 'utf8'))
  expect(pid).toBeGreaterThan(0)
  expect(alive(pid)).toBe(false)
  await expectEmulatorClosed(result)
}

/**
 * The steps that ran the action (`uses: ./`) keep the invariants every run of dist/ keeps: the
 * keys stand only in the `::add-mask::` commands the runner consumes, and no stack trace shows.
 */
function expectActionStepsKeepSecrets(result: JobResult): void {
  const ran = result.steps.filter((candidate) => candidate.uses === './' && !candidate.skipped)
  expect(ran.length).toBeGreaterThanOrEqual(4)
  const logs = Object.fromEntries(
    ran.map((candidate) => [
      candidate.name,
      candidate.log
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n')
    ])
  )
  expectNoLeaks(logs, {
    secrets: () => ['self-test-key', 'wrong-key'],
    stackPlaces: Object.keys(logs)
  })
}

/** One line per step: name (a remote action's ref elided), outcome, conclusion, why skipped. */
function table(result: JobResult): string[] {
  return result.steps.map((step) =>
    [
      step.name.replace(/^(Run [\w.-]+\/[\w.-]+)@\S+$/, '$1@<ref>'),
      step.outcome,
      step.conclusion,
      step.skipped
    ]
      .filter(Boolean)
      .join(' | ')
  )
}

function step(result: JobResult, name: string): StepResult {
  const found = result.steps.find((candidate) => candidate.name === name)
  if (!found) throw new Error(`no step '${name}'`)
  return found
}

/**
 * A step that starts `start` and ends once its background process runs `command`. Ending at once
 * raced the job's cleanup: it could find bash's fork before the fork exec'd (or setsid exec'd
 * sleep), and report `bash -e …` for `sleep 32`.
 */
function leaveRunning(start: string, command: string): string[] {
  return [
    '      - run: |',
    `          ${start}`,
    `          until [ "$(tr '\\0' ' ' < /proc/$!/cmdline)" = '${command} ' ]; do sleep 0.01; done`
  ]
}

/**
 * The steps up to the first upload, which every job here runs and passes; the set-up steps the
 * workspace stands for are not run locally.
 */
const UP_TO_THE_UPLOAD = [
  'Run actions/checkout@<ref> | skipped | skipped | not-run-locally',
  'Run actions/setup-node@<ref> | skipped | skipped | not-run-locally',
  'Run npm ci | skipped | skipped | not-run-locally',
  'Start the emulator | success | success',
  'Create the files to upload | success | success',
  'Upload with the action | success | success'
]

describe('the self-test workflow, run locally as written', () => {
  it(
    'runs every step of the self-test job on Linux and every check passes',
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      const dir = await workspace()
      const result = await runWorkflowJob(WORKFLOW, 'self-test', { ...OPTIONS, workspace: dir })

      expect(result.name).toBe('Self-test (ubuntu-latest)')
      expect(table(result)).toEqual([
        ...UP_TO_THE_UPLOAD,
        'Check the count | skipped | skipped | if',
        'Check the outputs | success | success',
        'Upload again, as a re-run of the job would | success | success',
        'Check that the re-run uploaded nothing and read the download URLs | success | success',
        'Upload with a wrong key | failure | success',
        'Check that the wrong key failed the step | skipped | skipped | if',
        'Check the outputs of the failed upload | success | success',
        'Dry run without a key | success | success',
        'Check the dry run | skipped | skipped | if',
        'Check what the emulator received | success | success',
        'Show the emulator log | skipped | skipped | if',
        'Stop the emulator | success | success'
      ])
      expect(result.success).toBe(true)
      expectActionStepsKeepSecrets(result)

      // The checks ran and said so; the guarded ones were skipped because their condition was false.
      expect(step(result, 'Start the emulator').log).toMatch(/"apiUrl":"http:\/\/127\.0\.0\.1:\d+"/)
      expect(step(result, 'Check the outputs').log).toContain('Outputs OK: [')
      expect(step(result, 'Check the outputs of the failed upload').log).toContain(
        'Failed upload OK'
      )
      expect(step(result, 'Check what the emulator received').log).toContain('Emulator state OK')
      expect(
        step(result, 'Check that the re-run uploaded nothing and read the download URLs').log
      ).toContain('Re-run OK: [')
      const again = step(result, 'Upload again, as a re-run of the job would').outputs
      expect(again['file-ids']).toBe(step(result, 'Upload with the action').outputs['file-ids'])
      const upload = step(result, 'Upload with the action').outputs
      expect(upload).toMatchObject({ count: '3', 'file-id': '', 'failed-files': '[]' })
      expect(JSON.parse(upload['file-ids'] ?? '')).toHaveLength(3)
      expect(step(result, 'Upload with a wrong key').outputs).toMatchObject({ count: '0' })
      expect(step(result, 'Dry run without a key').outputs).toMatchObject({
        count: '0',
        'file-ids': '[]'
      })

      // The one failure is the deliberate one; no other step printed an error or a warning.
      const bad = step(result, 'Upload with a wrong key')
      expect(bad.annotations.join('\n')).toMatch(/^error: .*401/m)
      for (const other of result.steps.filter((candidate) => candidate !== bad)) {
        expect(other.annotations, other.name).toEqual([])
      }

      await expectNothingLeft(result, dir)
    }
  )

  it('fails the job when a check fails', { timeout: TEST_TIMEOUT_MS }, async () => {
    const dir = await workspace()
    const file = await variant(
      dir,
      "if: steps.upload.outputs.count != '3'",
      "if: steps.upload.outputs.count != '4'"
    )
    const result = await runWorkflowJob(file, 'self-test', { ...OPTIONS, workspace: dir })

    expect(result.success).toBe(false)
    expect(table(result)).toEqual([
      ...UP_TO_THE_UPLOAD,
      'Check the count | failure | failure',
      'Check the outputs | skipped | skipped | if',
      'Upload again, as a re-run of the job would | skipped | skipped | if',
      'Check that the re-run uploaded nothing and read the download URLs | skipped | skipped | if',
      'Upload with a wrong key | skipped | skipped | if',
      'Check that the wrong key failed the step | skipped | skipped | if',
      'Check the outputs of the failed upload | skipped | skipped | if',
      'Dry run without a key | skipped | skipped | if',
      'Check the dry run | skipped | skipped | if',
      'Check what the emulator received | skipped | skipped | if',
      'Show the emulator log | success | success',
      'Stop the emulator | success | success'
    ])
    expect(step(result, 'Check the count').annotations).toEqual([
      "error: count is '3', expected '3'.",
      'error: Process completed with exit code 1.'
    ])
    expect(step(result, 'Show the emulator log').log).toMatch(
      /"apiUrl":"http:\/\/127\.0\.0\.1:\d+"/
    )

    await expectNothingLeft(result, dir)
  })

  // One job per test: each job's timeout then stays below its own test's.
  it.each([
    [
      'Check the count',
      "if: steps.upload.outputs.count != '3'",
      "if: steps.upload.outputs.cuont != '3'"
    ],
    [
      'Check that the wrong key failed the step',
      "if: steps.bad.outcome != 'failure'",
      "if: steps.bda.outcome != 'failure'"
    ]
  ])(
    'fails the check a typo guards: an unknown step or output reads as empty, as on GitHub (%s)',
    { timeout: TEST_TIMEOUT_MS },
    async (check, from, to) => {
      const dir = await workspace()
      const file = await variant(dir, from, to)
      const result = await runWorkflowJob(file, 'self-test', { ...OPTIONS, workspace: dir })

      expect(result.success).toBe(false)
      expect(step(result, check).conclusion).toBe('failure')
      expect(step(result, check).annotations).toContain(
        'error: Process completed with exit code 1.'
      )
      await expectNothingLeft(result, dir)
    }
  )

  it('refuses what it cannot run, or GitHub would reject, before running anything', async () => {
    const dir = await workspace()
    const cases: [string, string, RegExp][] = [
      [
        'auth-key: self-test-key\n          project-id: 1\n          files: self-test\n\n      - name: Check the count',
        'auth-key: ${{ github.sha }}\n          project-id: 1\n          files: self-test\n\n      - name: Check the count',
        /step 6 \(Upload with the action\): with\.auth-key: github\.sha: this runner knows only/
      ],
      [
        'fromJSON(steps.upload.outputs.file-ids)[0]',
        'fromJSOM(steps.upload.outputs.file-ids)[0]',
        /GitHub rejects this workflow: .*self-test\.yml \(Line: \d+, Col: \d+\): Unrecognized function: 'fromJSOM'/
      ],
      [
        'permissions:\n  contents: read',
        'permissions:\n  contents: read\nenv:\n  A: b',
        /workflow: key 'env' is not supported by this runner/
      ],
      [
        'timeout-minutes: 15',
        'timeout-minutes: 15\n    defaults:\n      run:\n        shell: bash',
        /job self-test: key 'defaults' is not supported by this runner/
      ],
      [
        'timeout-minutes: 15',
        'timeout-minutes: ${{ 15 }}',
        /job self-test: timeout-minutes: only a number is supported by this runner/
      ],
      [
        'run: cat emulator.log',
        'working-directory: .\n        run: cat emulator.log',
        /\(Show the emulator log\): key 'working-directory' is not supported by this runner/
      ],
      [
        'shell: bash\n        run: kill',
        'shell: sh\n        run: kill',
        /\(Stop the emulator\): shell 'sh' is not supported by this runner/
      ],
      [
        'continue-on-error: true',
        'continue-on-error: ${{ true }}',
        /\(Upload with a wrong key\): continue-on-error: only true or false is supported/
      ]
    ]
    for (const [from, to, message] of cases) {
      const file = await variant(dir, from, to)
      const run = runWorkflowJob(file, 'self-test', { ...OPTIONS, workspace: dir })
      await expect(run).rejects.toThrow(WorkflowError)
      await expect(run).rejects.toThrow(message)
    }
    const windows = runWorkflowJob(WORKFLOW, 'self-test', {
      ...OPTIONS,
      matrix: { os: 'windows-latest' },
      workspace: dir
    })
    await expect(windows).rejects.toThrow(
      /runs-on is 'windows-latest'; this runner emulates Linux only/
    )
    expect(existsSync(path.join(dir, 'emulator.pid'))).toBe(false)
  })

  it.skipIf(!existsSync('/proc/self/environ'))(
    'kills what a job leaves running, even a process that left its process group',
    async () => {
      const dir = await tempDir('run-workflow-')
      const file = path.join(dir, 'leftovers.yml')
      await writeFile(
        file,
        [
          'name: Leftovers',
          'on: push',
          'jobs:',
          '  leave:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          ...leaveRunning('sleep 31 &', 'sleep 31'),
          ...leaveRunning('setsid sleep 32 < /dev/null > /dev/null 2>&1 &', 'sleep 32'),
          ''
        ].join('\n')
      )
      const result = await runWorkflowJob(file, 'leave', { workspace: dir, timeoutMs: 20_000 })
      expect(result.success).toBe(true)
      expect(result.cleanedUp.map((leftover) => leftover.command).sort()).toEqual([
        'sleep 31',
        'sleep 32'
      ])
      expect(result.cleanedUp.filter((leftover) => alive(leftover.pid))).toEqual([])
      expect(await findTrackedProcesses(result.trackingId)).toEqual([])
    }
  )
})
