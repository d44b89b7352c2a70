// Edges of the CLI's face that test/cli-main.test.ts leaves open: switch values only for
// switches and only at an argument's start, the key read from the environment as typed, and
// no ID line for a file that failed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../emulator/emulator.ts'
import { parseCommand, UsageError } from '../src/cli/args.ts'
import { Exit, main } from '../src/cli/main.ts'

let emulator: Emulator
let cwd: string

beforeAll(async () => {
  emulator = await startEmulator({ projects: [1] })
  cwd = await mkdtemp(path.join(os.tmpdir(), 'core-cli-'))
  await writeFile(path.join(cwd, 'a.txt'), 'alpha')
  await writeFile(path.join(cwd, 'b.txt'), 'bravo')
})
afterAll(async () => {
  await emulator.close()
  await rm(cwd, { recursive: true, force: true })
})

async function cli(
  argv: string[],
  key: string
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main({
    argv,
    env: { EMPIRICALRUN_KEY: key, EMPIRICALRUN_RETRY_BASE_MS: '0' },
    cwd,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stop: { signal: new AbortController().signal, stoppedBy: () => undefined }
  })
  return { code, stdout, stderr }
}

describe('parseCommand', () => {
  it('a value on a flag that is not a switch is left to the parser', () => {
    expect(parseCommand(['--concurrency=4', 'a']).settings.concurrency).toBe('4')
    expect(parseCommand(['--name-prefix=x/', 'a']).settings.namePrefix).toBe('x/')
  })

  it('a switch value is read only from an argument that starts with the flag', () => {
    const command = parseCommand(['dist--dry-run=false'])
    expect(command.settings.files).toEqual(['dist--dry-run=false'])
    expect(command.settings.dryRun).toBeUndefined()
  })

  it('a usage error names itself', () => {
    expect(new UsageError('x').name).toBe('UsageError')
  })
})

describe('main', () => {
  it('a key of spaces only is no key', async () => {
    const ran = await cli(['--project-id', '1', 'a.txt'], '   ')
    expect(ran.code).toBe(Exit.Usage)
    expect(ran.stderr).toBe(
      "error: no API key: set the EMPIRICALRUN_KEY environment variable (there is no flag for the key: it would leak into shell history and the process list)\nRun 'empiricalrun-upload --help' for usage.\n"
    )
  })

  it('prints an ID line for each file in the project, none for a failed one', async () => {
    emulator.faults.push({ step: 'create', name: 'a.txt', action: { type: 'status', status: 400 } })
    const ran = await cli(
      ['--project-id', '1', '--base-url', emulator.apiUrl, '--retries', '0', '*.txt'],
      emulator.apiKey
    )
    expect(ran.code).toBe(Exit.Failed)
    expect(ran.stdout).toMatch(/^\d+\tb\.txt\n$/)
  })
})
