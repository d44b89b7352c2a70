// The settings' contract as a user of the CLI meets it: the bundle in a child process (on
// CLI_NODE, Node 24 by default) against the emulator. CONTRACT_CLI names another bundle to run
// (relative to the repository's root or absolute), such as an older build, to compare.
import { randomBytes } from 'node:crypto'
import { realpath, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  runCli,
  sharedEmulator,
  whenBytesArrive,
  workspace,
  workspaceNamed
} from '../support/bundle.ts'
import { CLI, CLI_NODE, ROOT, type CliOptions, type CliRun } from '../support/cli.ts'

/** The bundle under test: dist/cli/index.js, or CONTRACT_CLI. */
const BUNDLE = process.env.CONTRACT_CLI ? path.resolve(ROOT, process.env.CONTRACT_CLI) : CLI

/** A key no test prints. */
const KEY = `erk_${randomBytes(16).toString('hex')}`

/** The line after every usage error. */
const SEE_HELP = "Run 'empiricalrun-upload --help' for usage."

const emulator = sharedEmulator({ projects: [7], apiKey: KEY })

/** The runs of the current test, for the check every run must pass. */
const runs: CliRun[] = []

afterEach(() => {
  // After the test's own assertions, so that a failure names the item's behaviour first.
  for (const run of runs.splice(0)) expectCliWords(run)
})

/** The tree most items use: reports/ with a sub-folder. */
const REPORTS = {
  'reports/junit.xml': '<testsuites/>',
  'reports/b.txt': 'beta',
  'reports/sub/a.txt': 'alpha'
}

/** The flags every upload needs: project 7 of the emulator. */
function target(): string[] {
  return ['--project-id', '7', '--base-url', emulator.apiUrl]
}

/** Runs the bundle with the key and fast retries; its words are checked once the test ends. */
async function cli(
  cwd: string,
  args: readonly string[],
  options: Partial<CliOptions> = {}
): Promise<CliRun> {
  const run = await runCli({
    cwd,
    args,
    command: [CLI_NODE, BUNDLE],
    ...options,
    env: { EMPIRICALRUN_KEY: KEY, EMPIRICALRUN_RETRY_BASE_MS: '10', ...options.env },
    allow: { downloadUrls: args.includes('--download-url') }
  })
  runs.push(run)
  return run
}

/** The guard of every run: no line of the CLI's speaks the action's words. */
function expectCliWords(run: CliRun): void {
  const foreign = run.stderr
    .split('\n')
    .filter(
      (line) =>
        line.includes('${{') || line.includes('auth-key') || line.includes("'if-no-files-found'")
    )
  expect(foreign).toEqual([])
}

/** Exit 2, one `error: ` line holding `message`, the pointer to --help, nothing else, no request. */
function expectUsageError(run: CliRun, message: string): void {
  expect(run.code).toBe(2)
  const [first, ...rest] = run.stderr.split('\n')
  expect(first).toContain(message)
  expect(first).toMatch(/^error: /)
  expect(rest).toEqual([SEE_HELP, ''])
  expect(run.stdout).toBe('')
  expect(emulator.requests).toEqual([])
}

/** The names in the project, in upload order. */
function uploadedNames(): string[] {
  return emulator.uploaded().map((record) => record.name)
}

/** The `<id>\t<name>` lines of stdout, split on tabs. */
function idLines(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'))
}

describe('--files is counted as a pattern', () => {
  it("--project-id 7 --files 'reports/' uploads the folder, exit 0, its files on stdout", async () => {
    const dir = await workspace(REPORTS)
    const run = await cli(dir, [...target(), '--files', 'reports/'])
    expect(run.code).toBe(0)
    expect(uploadedNames()).toEqual(['b.txt', 'junit.xml', 'sub/a.txt'])
    expect(idLines(run.stdout)).toEqual(
      emulator.uploaded().map((record) => [String(record.id), record.name])
    )
  })
})

describe('--files and arguments keep their command-line order', () => {
  it("reports/ --files '!reports/sub/**' leaves reports/sub/* out", async () => {
    const dir = await workspace(REPORTS)
    const run = await cli(dir, [...target(), 'reports/', '--files', '!reports/sub/**'])
    expect(run.code).toBe(0)
    expect(uploadedNames()).toEqual(['b.txt', 'junit.xml'])
    expect(run.stdout).not.toContain('sub/')
  })

  it('a --files include after an exclusion argument brings its file back', async () => {
    const dir = await workspace(REPORTS)
    const run = await cli(dir, [
      ...target(),
      '--files',
      'reports/',
      '!reports/sub/**',
      '--files',
      'reports/sub/a.txt'
    ])
    expect(run.code).toBe(0)
    expect(uploadedNames()).toEqual(['b.txt', 'junit.xml', 'sub/a.txt'])
  })

  it("--files '!reports/sub/**' reports/: the later include wins, as in the action", async () => {
    const dir = await workspace(REPORTS)
    const run = await cli(dir, [...target(), '--files', '!reports/sub/**', 'reports/'])
    expect(run.code).toBe(0)
    expect(uploadedNames()).toEqual(['b.txt', 'junit.xml', 'sub/a.txt'])
  })
})

describe('every argument is accounted for', () => {
  it.each(['--dry-run', '--skip-existing'])(
    '%s false reports/junit.xml: exit 2, takes no separate value, no request',
    async (flag) => {
      const dir = await workspace(REPORTS)
      const run = await cli(dir, [...target(), flag, 'false', 'reports/junit.xml'])
      expectUsageError(
        run,
        `error: ${flag}: takes no separate value: write ${flag}=false (or ./false for a file of that name)`
      )
    }
  )

  it('missing.txt reports/junit.xml: exit 2 naming missing.txt, before any request', async () => {
    const dir = await workspace(REPORTS)
    const run = await cli(dir, [...target(), 'missing.txt', 'reports/junit.xml'])
    expectUsageError(run, 'error: missing.txt: no such file or directory')
  })

  it('a wildcard pattern that matches nothing beside one that matches: a warning, exit 0', async () => {
    const dir = await workspace(REPORTS)
    const run = await cli(dir, [...target(), 'nothing/*.zip', 'reports/junit.xml'])
    expect(run.code).toBe(0)
    expect(run.stderr.split('\n')).toContain(
      "warning: No files were found with the pattern 'nothing/*.zip'; the other patterns matched files"
    )
    expect(uploadedNames()).toEqual(['reports/junit.xml'])
    expect(idLines(run.stdout)).toEqual([['1', 'reports/junit.xml']])
  })
})

describe('a workspace whose name holds glob characters', () => {
  it("dist/** uploads from a folder named 'ws[1]{a,b}?*(x)'", async () => {
    const dir = await workspaceNamed('ws[1]{a,b}?*(x)', {
      'dist/app.apk': 'apk',
      'dist/sub/b.txt': 'b'
    })
    const run = await cli(dir, [...target(), 'dist/**'])
    expect(run.code).toBe(0)
    expect(uploadedNames()).toEqual(['app.apk', 'sub/b.txt'])
    expect(idLines(run.stdout).map((line) => line[1])).toEqual(['app.apk', 'sub/b.txt'])
  })
})

describe("the CLI's messages speak of flags and EMPIRICALRUN_KEY", () => {
  it('a refused key: check EMPIRICALRUN_KEY', async () => {
    const dir = await workspace(REPORTS)
    const run = await cli(dir, [...target(), 'reports/junit.xml'], {
      env: { EMPIRICALRUN_KEY: 'erk_wrong' }
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      'HTTP 401: Unauthorized (the API key was refused: check EMPIRICALRUN_KEY and that the key is not revoked)'
    )
  })

  it('no match: give --if-no-files-found warn or ignore', async () => {
    const dir = await workspace(REPORTS)
    const run = await cli(dir, [...target(), 'nothing/*.zip'])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      'error: No files were found with the provided patterns:\nnothing/*.zip\n' +
        '(give --if-no-files-found warn or ignore to allow this)\n'
    )
    expect(emulator.requests).toEqual([])
  })

  it('a base URL ending in /api: empiricalrun-upload adds it', async () => {
    const dir = await workspace(REPORTS)
    const run = await cli(dir, [
      '--project-id',
      '7',
      '--base-url',
      `${emulator.apiUrl}/api`,
      'reports/junit.xml'
    ])
    expectUsageError(
      run,
      `error: --base-url: '${emulator.apiUrl}/api' ends in /api, which empiricalrun-upload adds itself`
    )
  })
})

describe('a mistyped flag gets the nearest one; one style for every usage error', () => {
  it.each([
    [['--dryrun'], '--dryrun: unknown option; did you mean --dry-run?'],
    [['--skip-exisitng'], '--skip-exisitng: unknown option; did you mean --skip-existing?'],
    [['--concurency', '3'], '--concurency: unknown option; did you mean --concurrency?']
  ])('%j: exit 2, %s', async (typo, message) => {
    const dir = await workspace(REPORTS)
    const run = await cli(dir, [...target(), ...typo, 'reports/junit.xml'])
    expectUsageError(run, `error: ${message}`)
  })

  it.each([
    [['--project-id', 'abc', 'reports/'], '--project-id: '],
    [['reports/'], '--project-id is required: '],
    [['--project-id', '7'], 'no pattern given'],
    [['--project-id', '7', '--concurrency', '0', 'reports/'], '--concurrency: '],
    [['--project-id', '7', 'reports/', '--concurrency'], '--concurrency: needs a value'],
    [['--project-id', '7', '--if-no-files-found', 'maybe', 'reports/'], '--if-no-files-found: '],
    [['--project-id', '7', '--base-url', 'http://example.com', 'reports/'], '--base-url: '],
    [['--project-id', '7', '--manifest', '', 'reports/'], '--manifest: '],
    [['--project-id', '7', '--bogus', 'reports/'], '--bogus: unknown option'],
    [['--project-id', '7', ''], 'a pattern (--files or an argument) is required: give '],
    [
      ['--project-id', '7', '--files', '# reports'],
      'the patterns (--files and arguments) hold only comments (lines starting with #): give '
    ]
  ])('%j: one error: line, then the pointer to --help', async (args, message) => {
    const dir = await workspace(REPORTS)
    const run = await cli(dir, args)
    expectUsageError(run, `error: ${message}`)
  })
})

describe('--project-id in words for a shell user', () => {
  it('--project-id abc: give a whole number from 1, such as 42', async () => {
    const dir = await workspace(REPORTS)
    const run = await cli(dir, ['--project-id', 'abc', '--base-url', emulator.apiUrl, 'reports/'])
    expectUsageError(
      run,
      "error: --project-id: 'abc' is not allowed: give a whole number from 1, such as 42"
    )
    expect(run.stderr).not.toContain('9007199254740991')
  })

  it('no --project-id: what to give, and the pointer to --help', async () => {
    const dir = await workspace(REPORTS)
    const run = await cli(dir, ['reports/junit.xml'])
    expectUsageError(run, 'error: --project-id is required: give a whole number from 1, such as 42')
    expect(run.stderr).not.toContain('9007199254740991')
  })
})

describe('a re-run and a cancelled run say what happened', () => {
  it('a --skip-existing re-run: all 3 files are already in the project, nothing to upload', async () => {
    const dir = await workspace(REPORTS)
    expect((await cli(dir, [...target(), 'reports/'])).code).toBe(0)
    const run = await cli(dir, [...target(), '--skip-existing', 'reports/'])
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(
      /^Done in .+: all 3 files are already in the project, nothing to upload$/m
    )
    expect(emulator.uploaded()).toHaveLength(3)
  })

  it('SIGTERM mid-upload: 1 of 2 files uploaded, 1 not uploaded (not failed)', async () => {
    const dir = await workspace({ 'a.txt': 'alpha', 'b.bin': randomBytes(8 * 1024 * 1024) })
    emulator.setThrottle(512 * 1024)
    let signalled = false
    const run = await cli(dir, [...target(), '--concurrency', '1', 'a.txt', 'b.bin'], {
      onStart: (child) => {
        whenBytesArrive(emulator, 'b.bin', () => {
          signalled = true
          child.kill('SIGTERM')
        })
      }
    })
    expect(signalled).toBe(true)
    expect(run.code).toBe(143)
    expect(idLines(run.stdout)).toEqual([['1', 'a.txt']])
    expect(run.stderr).toMatch(
      /^error: Cancelled: the run was stopped with 1 of 2 files uploaded, 1 not uploaded:$/m
    )
    expect(run.stderr).not.toMatch(/failed/)
  })
})

describe('a --manifest folder that does not exist', () => {
  it('--manifest nodir/m.json: exit 2, its folder does not exist', async () => {
    const dir = await workspace(REPORTS)
    const run = await cli(dir, [...target(), '--manifest', 'nodir/m.json', 'reports/junit.xml'])
    const folder = path.join(await realpath(dir), 'nodir')
    expectUsageError(
      run,
      `error: --manifest: cannot write nodir/m.json: its folder ${folder} does not exist`
    )
  })
})

describe('names that would break the tab-separated lines', () => {
  /** A workspace with names holding a tab, a backslash and (where allowed) a newline. */
  async function oddNames(): Promise<{ dir: string; names: string[] }> {
    const dir = await workspace({ 'names/plain.txt': 'plain' })
    const names = ['plain.txt']
    for (const name of ['tab\there.txt', 'back\\slash.txt', 'new\nline.txt']) {
      const written = await writeFile(path.join(dir, 'names', name), name).then(
        () => true,
        () => false
      )
      if (written) names.push(name)
    }
    expect(names).toContain('tab\there.txt')
    return { dir, names: names.sort() }
  }

  it('<id>\\t<name> lines escape tab, backslash and newline', async () => {
    const { dir, names } = await oddNames()
    const run = await cli(dir, [...target(), 'names/'])
    expect(run.code).toBe(0)
    const escaped = (name: string): string =>
      name.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n')
    expect(run.stdout).toContain('\ttab\\there.txt\n')
    const byName = new Map(emulator.uploaded().map((record) => [record.name, record.id]))
    expect(idLines(run.stdout)).toEqual(
      names.map((name) => [String(byName.get(name)), escaped(name)])
    )
    expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(names.length)
  })

  it('--json keeps the exact names', async () => {
    const { dir, names } = await oddNames()
    const run = await cli(dir, [...target(), '--json', 'names/'])
    expect(run.code).toBe(0)
    const manifest = JSON.parse(run.stdout) as { files: { name: string; id: number }[] }
    expect(manifest.files.map((file) => file.name)).toEqual(names)
  })
})

describe('--dry-run --skip-existing without a key', () => {
  it('exit 2: --skip-existing lists the project, which needs the key even on a dry run', async () => {
    const dir = await workspace(REPORTS)
    const run = await cli(dir, [...target(), '--dry-run', '--skip-existing', 'reports/junit.xml'], {
      env: { EMPIRICALRUN_KEY: undefined }
    })
    expectUsageError(
      run,
      'error: no API key: --skip-existing lists the project, which needs the key even on a dry run: ' +
        'set the EMPIRICALRUN_KEY environment variable'
    )
  })
})
