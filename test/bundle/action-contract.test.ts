// The settings' contract as a workflow meets it: dist/index.js run as a runner runs it
// (scripts/run-action.ts), against the emulator. CONTRACT_ACTION names another bundle to run
// (relative to the repository's root or absolute), such as an older build, to compare.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DIST, type ActionRun, type RunOptions } from '../../scripts/run-action.ts'
import {
  inputsFor,
  runAction,
  sharedEmulator,
  workspace,
  workspaceNamed
} from '../support/bundle.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The bundle under test: dist/index.js, or CONTRACT_ACTION. */
const BUNDLE = process.env.CONTRACT_ACTION ? path.resolve(ROOT, process.env.CONTRACT_ACTION) : DIST

const emulator = sharedEmulator({ projects: [7] })

const DIST_TREE = { 'dist/app.apk': 'apk', 'dist/sub/b.txt': 'b' }

function inputs(extra: Record<string, string>): Record<string, string> {
  return inputsFor(emulator, { 'project-id': '7', ...extra })
}

/** runAction on dist/index.js, or on the bundle CONTRACT_ACTION names. */
function action(options: RunOptions): Promise<ActionRun> {
  return runAction({ ...options, bundle: BUNDLE })
}

/** Runs the action with these inputs in a fresh workspace holding DIST_TREE. */
async function actionOnDist(extra: Record<string, string>): Promise<ActionRun> {
  return action({ workspace: await workspace(DIST_TREE), inputs: inputs(extra) })
}

function logLines(run: ActionRun): string[] {
  return run.log.split('\n')
}

describe('a pattern that matches nothing while others match', () => {
  it('is a ::warning:: naming it, and the run succeeds', async () => {
    const run = await actionOnDist({ files: 'dist/**\nnothing/*.zip\nmissing.txt' })
    expect(run.code).toBe(0)
    expect(logLines(run)).toEqual(
      expect.arrayContaining([
        "::warning::No files were found with the pattern 'nothing/*.zip'; the other patterns matched files",
        "::warning::No files were found with the pattern 'missing.txt'; the other patterns matched files"
      ])
    )
    expect(run.outputs.count).toBe('2')
    expect(emulator.uploaded().map((record) => record.name)).toEqual([
      'dist/app.apk',
      'dist/sub/b.txt'
    ])
  })

  it('under if-no-files-found: ignore, a plain log line, not a warning', async () => {
    const run = await actionOnDist({
      files: 'dist/**\nnothing/*.zip',
      'if-no-files-found': 'ignore'
    })
    expect(run.code).toBe(0)
    expect(logLines(run)).toContain(
      "No files were found with the pattern 'nothing/*.zip'; the other patterns matched files"
    )
    expect(run.log).not.toContain('::warning::')
    expect(run.outputs.count).toBe('2')
  })
})

describe('a workspace whose name holds glob characters', () => {
  it("dist/** uploads with GITHUB_WORKSPACE named 'ws[1]{a,b}?*(x)'", async () => {
    const dir = await workspaceNamed('ws[1]{a,b}?*(x)', DIST_TREE)
    const run = await action({ workspace: dir, inputs: inputs({ files: 'dist/**' }) })
    expect(run.code).toBe(0)
    expect(run.outputs.count).toBe('2')
    expect(emulator.uploaded().map((record) => record.name)).toEqual(['app.apk', 'sub/b.txt'])
    const files = JSON.parse(run.outputs.files ?? '') as { path: string }[]
    expect(files.map((file) => file.path)).toEqual(['dist/app.apk', 'dist/sub/b.txt'])
  })
})

describe("the action's messages keep the action's words", () => {
  it('a refused key: check auth-key / EMPIRICALRUN_KEY', async () => {
    const run = await actionOnDist({ files: 'dist/app.apk', 'auth-key': 'erk_wrong' })
    expect(run.code).toBe(1)
    expect(run.log).toContain(
      '(the API key was refused: check auth-key / EMPIRICALRUN_KEY and that the key is not revoked)'
    )
  })

  it("no match: set 'if-no-files-found' to warn or ignore", async () => {
    const run = await actionOnDist({ files: 'nothing/*.zip' })
    expect(run.code).toBe(1)
    expect(logLines(run)).toContain(
      "::error::No files were found with the provided patterns:%0Anothing/*.zip%0A(set 'if-no-files-found' to warn or ignore to allow this)"
    )
  })

  it('a base URL ending in /api: which the action adds itself', async () => {
    const run = await actionOnDist({ files: 'dist/**', 'base-url': `${emulator.apiUrl}/api` })
    expect(run.code).toBe(1)
    expect(run.log).toContain(
      `::error::Input 'base-url': '${emulator.apiUrl}/api' ends in /api, which the action adds itself`
    )
    expect(emulator.requests).toEqual([])
  })

  it("no key: set 'auth-key' (e.g. ${{ secrets.EMPIRICALRUN_KEY }})", async () => {
    const run = await actionOnDist({ files: 'dist/**', 'auth-key': '' })
    expect(run.code).toBe(1)
    expect(logLines(run)).toContain(
      "::error::Input 'auth-key': no API key: set 'auth-key' (e.g. ${{ secrets.EMPIRICALRUN_KEY }}) or the EMPIRICALRUN_KEY environment variable (apiKey in the library)"
    )
    expect(emulator.requests).toEqual([])
  })
})

describe('a skip-existing re-run says every file was already there', () => {
  it.each([
    [2, 'both files are already in the project', 'Both files were already'],
    [1, 'the file is already in the project', 'The file was already']
  ] as const)('%i file(s): %s, nothing to upload', async (count, tally, heading) => {
    const dir = await workspace(DIST_TREE)
    const files = count === 2 ? 'dist/**' : 'dist/app.apk'
    expect((await action({ workspace: dir, inputs: inputs({ files }) })).code).toBe(0)
    const run = await action({
      workspace: dir,
      inputs: inputs({ files, 'skip-existing': 'true' })
    })
    expect(run.code).toBe(0)
    expect(run.log).toMatch(new RegExp(`^Done in .+: ${tally}, nothing to upload$`, 'm'))
    expect(run.summary).toContain(
      `<h3>${heading} in empirical.run project 7; nothing was uploaded</h3>`
    )
    expect(run.outputs.count).toBe(String(count))
    expect(emulator.uploaded()).toHaveLength(count)
  })
})
