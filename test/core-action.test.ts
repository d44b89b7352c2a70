// Edges of the action's face that test/action-main.test.ts leaves open: no mask command without
// a key, the outputs of a dry run, and no stack trace for a bad input.
import * as core from '@actions/core'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { getInputs } from '../src/action/inputs.ts'
import { run } from '../src/action/main.ts'
import { setOutputs } from '../src/action/outputs.ts'
import type { Manifest } from '../src/core/manifest.ts'
import { SETTINGS } from '../src/core/settings.ts'

/** A reader of the action's inputs from a table keyed by input name; '' for the rest. */
function reader(values: Record<string, string>): (name: string) => string {
  return (name) => values[name] ?? ''
}

let dir: string
let stdout: string[] = []
const savedEnv = { ...process.env }

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'core-action-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})
beforeEach(async () => {
  stdout = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk))
    return true
  })
  process.env.GITHUB_OUTPUT = path.join(dir, 'output')
  await writeFile(process.env.GITHUB_OUTPUT, '')
  core.summary.emptyBuffer()
})
afterEach(() => {
  vi.restoreAllMocks()
  process.env = { ...savedEnv }
  process.exitCode = undefined
})

describe('the action', () => {
  it('registers no mask without a key, and the key from the environment, trimmed', () => {
    // A dry run without skip-existing is the one run that needs no key.
    const required = { [SETTINGS.projectId.input]: '1', [SETTINGS.files.input]: '*.txt' }
    const none = getInputs(reader({ ...required, [SETTINGS.dryRun.input]: 'true' }), {})
    expect(none.apiKey).toBe('')
    expect(stdout.join('')).not.toContain('::add-mask::')
    const fromEnv = getInputs(reader(required), { EMPIRICALRUN_KEY: '  erk_1  ' })
    expect(fromEnv.apiKey).toBe('erk_1')
    expect(stdout.join('')).toBe('::add-mask::erk_1\n')
  })

  it('a dry run sets empty results, whatever the manifest lists', async () => {
    const manifest: Manifest = {
      projectId: 1,
      namePrefix: '',
      dryRun: true,
      totals: { files: 1, bytes: 1, uploaded: 0, existing: 1, failed: 0, cancelled: 0 },
      files: [{ path: 'a', name: 'a', sizeBytes: 1, mimeType: 'text/plain', id: 3, existing: true }]
    }
    setOutputs(manifest, '/m.json')
    const outputs = await readFile(process.env.GITHUB_OUTPUT ?? '', 'utf8')
    expect(outputs).toMatch(/^file-ids<<(.+)\n\[\]\n\1$/m)
    expect(outputs).toMatch(/^count<<(.+)\n0\n\1$/m)
    expect(outputs).toMatch(/^failed-files<<(.+)\n\[\]\n\1$/m)
  })

  it('a bad input fails the step with its message and no stack trace', async () => {
    process.env['INPUT_PROJECT-ID'] = 'abc'
    process.env.INPUT_FILES = '*.txt'
    process.env['INPUT_AUTH-KEY'] = 'key'
    process.env.GITHUB_WORKSPACE = dir
    await run()
    expect(process.exitCode).toBe(1)
    const log = stdout.join('')
    expect(log).toContain("::error::Input 'project-id': 'abc' is not allowed")
    expect(log).not.toContain('::debug::InputError')
  })
})
