// The CLI's main() in the test's own process, with streams of the test's own, against the emulator:
// what it prints on stdout and stderr, the files it writes, and its exit codes.
// test/bundle/cli.test.ts runs the bundle as a user's shell would.
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { startEmulator, type Emulator } from '../../emulator/emulator.ts'
import { helpText } from '../../src/cli/help.ts'
import { escapeField, Exit, main, type Io } from '../../src/cli/main.ts'
import { VERSION } from '../../src/core/version.ts'
import { sha256 } from '../support/harness.ts'

const CLEAR = '\r\x1b[2K'
const SEE_HELP = "Run 'empiricalrun-upload --help' for usage.\n"

/** The last progress line drawn on a terminal's stream. */
function progressLineOf(stderr: string): string {
  return (
    stderr
      .split(CLEAR)
      .filter((part) => / of \d+ files, /.test(part))
      .at(-1)
      ?.split('\n')
      .at(-1) ?? ''
  )
}

describe('main', () => {
  let emulator: Emulator
  /** Each request waits 30 ms, so a 10 ms progress interval fires while a file is on its way. */
  let slow: Emulator
  let dir = ''

  beforeAll(async () => {
    emulator = await startEmulator({ projects: [7] })
    slow = await startEmulator({ projects: [7], latencyMs: 30 })
  })
  afterAll(async () => {
    await emulator.close()
    await slow.close()
  })
  afterEach(async () => {
    emulator.reset()
    slow.reset()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  async function workspace(files: Record<string, string>): Promise<string> {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cli-main-'))
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text)
    return dir
  }

  interface RunOptions {
    env?: NodeJS.ProcessEnv
    tty?: boolean
    stopped?: number
    cwd?: string
    /** A write to stderr that contains this fails, as one to a closed stream does. */
    failingWrite?: string
    /** Every write to stdout fails, as one to a closed pipe does. */
    failingStdout?: boolean
  }

  /** Starts main() with the test's streams; `stopped` plays a signal that arrived. */
  function start(
    argv: string[],
    options: RunOptions = {}
  ): { stderr: () => string; finished: Promise<{ code: number; stdout: string; stderr: string }> } {
    let stdout = ''
    let stderr = ''
    const stop = new AbortController()
    if (options.stopped !== undefined) stop.abort()
    const writeStderr = (text: string): void => {
      if (options.failingWrite !== undefined && text.includes(options.failingWrite))
        throw new Error('write EPIPE')
      stderr += text
    }
    const io: Io = {
      argv,
      env: options.env ?? { EMPIRICALRUN_KEY: emulator.apiKey, EMPIRICALRUN_RETRY_BASE_MS: '0' },
      cwd: options.cwd ?? dir,
      stdout: {
        write: (text: string) => {
          if (options.failingStdout) throw new Error('write EPIPE')
          return (stdout += text)
        }
      },
      stderr: { write: writeStderr, isTTY: options.tty },
      stop: { signal: stop.signal, stoppedBy: () => options.stopped }
    }
    const finished = main(io).then((code) => ({ code, stdout, stderr }))
    return { stderr: () => stderr, finished }
  }

  /** Runs main() with the test's streams to its end. */
  async function run(
    argv: string[],
    options: RunOptions = {}
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    return start(argv, options).finished
  }

  /** The flags that send a run to project 7 of `server`. */
  const target = (server = emulator): string[] => ['--base-url', server.apiUrl, '--project-id', '7']

  describe('help and version', () => {
    it('prints the help and the version on stdout, and exits 0', async () => {
      expect(await run(['--help'], { cwd: os.tmpdir() })).toEqual({
        code: 0,
        stdout: helpText(),
        stderr: ''
      })
      expect(await run(['--version'], { cwd: os.tmpdir() })).toEqual({
        code: 0,
        stdout: `${VERSION}\n`,
        stderr: ''
      })
    })
  })

  describe('what a run prints and writes', () => {
    it('prints <id>\\t<name> per file on stdout and the log on stderr, and exits 0', async () => {
      await workspace({ 'a.txt': 'alpha', 'b.txt': 'beta' })
      const result = await run([...target(), '*.txt'])
      expect(result.code).toBe(Exit.Ok)
      expect(result.stdout).toBe('1\ta.txt\n2\tb.txt\n')
      expect(result.stderr).toMatch(/^Uploading 2 files \(9 B\) to empirical\.run project 7\n/)
      expect(result.stderr).toContain('Done in')
    })

    it('adds the download URL with --download-url, and writes --json and --manifest alike', async () => {
      await workspace({ 'a.txt': 'alpha' })
      const result = await run([
        ...target(),
        '--download-url',
        '--json',
        '--manifest',
        'm.json',
        'a.txt'
      ])
      expect(result.code).toBe(Exit.Ok)
      const printed = JSON.parse(result.stdout) as { files: { id: number; url?: string }[] }
      expect(printed.files[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)
      const keys = Object.keys(printed)
      expect(keys).toEqual(['project_id', 'name_prefix', 'dry_run', 'totals', 'files'])
      expect(await readFile(path.join(dir, 'm.json'), 'utf8')).toBe(result.stdout)
      const lines = await run([...target(), '--download-url', '--skip-existing', 'a.txt'])
      expect(lines.stdout).toMatch(/^1\ta\.txt\thttp:\/\/127\.0\.0\.1:\d+\/\S+\n$/)
    })

    it('writes --checksums as sha256sum does, and exits 0', async () => {
      await workspace({ 'a.txt': 'alpha' })
      const ran = await run([...target(), '--checksums', 'sums.txt', 'a.txt'])
      expect(ran.code).toBe(Exit.Ok)
      expect(await readFile(path.join(dir, 'sums.txt'), 'utf8')).toBe(`${sha256('alpha')}  a.txt\n`)
    })

    it('prints a name with a tab or a backslash escaped in its ID line', async () => {
      await workspace({ 'a\tb\\c.txt': 'alpha' })
      const ran = await run([...target(), '*.txt'])
      expect(ran.code).toBe(Exit.Ok)
      expect(ran.stdout).toMatch(/^\d+\ta\\tb\\\\c\.txt\n$/)
    })

    it('prints an ID line for each file in the project, none for a failed one', async () => {
      await workspace({ 'a.txt': 'alpha', 'b.txt': 'bravo' })
      emulator.faults.push({
        step: 'create',
        name: 'a.txt',
        action: { type: 'status', status: 400 }
      })
      const ran = await run([...target(), '--retries', '0', '*.txt'])
      expect(ran.code).toBe(Exit.Failed)
      expect(ran.stdout).toMatch(/^\d+\tb\.txt\n$/)
    })
  })

  describe('failures', () => {
    it('exits 1 with the failure on stderr when a file fails, and when nothing matches', async () => {
      await workspace({ 'a.txt': 'alpha' })
      const missing = await run([...target(), 'nothing/*'])
      expect(missing.code).toBe(Exit.Failed)
      expect(missing.stderr).toMatch(/^error: No files were found with the provided patterns/m)
      expect(missing.stdout).toBe('')
      const allowed = await run([...target(), '--if-no-files-found', 'ignore', 'nothing/*'])
      expect(allowed.code).toBe(Exit.Ok)
      const refused = await run([...target(), 'a.txt'], { env: { EMPIRICALRUN_KEY: 'wrong' } })
      expect(refused.code).toBe(Exit.Failed)
      expect(refused.stderr).toMatch(/^error: 1 of 1 file failed to upload:/m)
    })

    it('reports an unexpected failure on stderr with exit 1, without a stack', async () => {
      await workspace({ 'a.txt': 'alpha' })
      // A file where the current directory should be makes the glob fail unexpectedly.
      const result = await run([...target(), 'x/*'], { cwd: path.join(dir, 'a.txt') })
      expect(result.code).toBe(Exit.Failed)
      expect(result.stderr).toMatch(/^error: ENOTDIR: not a directory/m)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    })

    it('exits 1 with the files it printed when an output cannot be written after the run after all', async () => {
      await workspace({ 'a.txt': 'alpha' })
      const slowKey = { EMPIRICALRUN_KEY: slow.apiKey, EMPIRICALRUN_RETRY_BASE_MS: '0' }
      const started = start([...target(slow), '--manifest', 'm.json', 'a.txt'], { env: slowKey })
      while (!started.stderr().includes('Uploading 1 file'))
        await new Promise((resolve) => setTimeout(resolve, 1))
      // The path passed the check; a folder takes it while the file is on its way.
      await mkdir(path.join(dir, 'm.json'))
      const ran = await started.finished
      expect(ran.code).toBe(Exit.Failed)
      expect(ran.stdout).toBe('1\ta.txt\n')
      expect(ran.stderr).toMatch(
        /\nerror: The manifest could not be written to m\.json: EISDIR: illegal operation on a directory, open '.*m\.json'\n$/
      )
    })

    it('exits with the signal code once the run has settled, printing what is in the project', async () => {
      await workspace({ 'a.txt': 'alpha' })
      const result = await run([...target(), 'a.txt'], { stopped: Exit.Interrupted })
      expect(result.code).toBe(Exit.Interrupted)
      expect(emulator.requests).toEqual([])
      expect(result.stderr).toMatch(
        /^error: Cancelled: the run was stopped with 0 of 1 file uploaded, 1 not uploaded/m
      )
      const terminated = await run([...target(), 'a.txt'], { stopped: Exit.Terminated })
      expect(terminated.code).toBe(Exit.Terminated)
    })

    it('lets a fault in reading the command line or the environment escape as itself', async () => {
      const cwd = os.tmpdir()
      const argv = [Symbol('x') as unknown as string]
      await expect(run(argv, { env: {}, cwd })).rejects.toThrow(TypeError)
      const env = {
        get EMPIRICALRUN_KEY(): string {
          throw new RangeError('env unreadable')
        }
      }
      await expect(run(['a.txt'], { env, cwd })).rejects.toThrow('env unreadable')
    })
  })

  describe('usage errors: exit 2, before any request', () => {
    it('exits 2 naming the flag, the variable or the usage, before any request', async () => {
      await workspace({ 'a.txt': 'alpha' })
      const bad = await run([...target(), '--concurrency', '0', 'a.txt'])
      expect(bad).toMatchObject({ code: Exit.Usage, stdout: '' })
      expect(bad.stderr).toBe(
        `error: --concurrency: '0' is not allowed: give an integer from 1 to 64\n${SEE_HELP}`
      )
      const project = await run(['--base-url', emulator.apiUrl, 'a.txt'])
      expect(project).toMatchObject({ code: Exit.Usage, stdout: '' })
      expect(project.stderr).toBe(
        `error: --project-id is required: give a whole number from 1, such as 42\n${SEE_HELP}`
      )
      const word = await run([...target().slice(2), '--project-id', 'abc', 'a.txt'])
      expect(word.stderr).toMatch(
        /^error: --project-id: 'abc' is not allowed: give a whole number from 1, such as 42\n/
      )
      expect(word.stderr).not.toContain('9007199254740991')
      const hook = await run([...target(), 'a.txt'], {
        env: { EMPIRICALRUN_KEY: 'k', EMPIRICALRUN_RETRY_BASE_MS: 'soon' }
      })
      expect(hook.stderr).toMatch(/^error: EMPIRICALRUN_RETRY_BASE_MS: 'soon' is not allowed/)
      const noKey = await run([...target(), 'a.txt'], { env: {} })
      expect(noKey.code).toBe(Exit.Usage)
      expect(noKey.stderr).toMatch(
        /^error: no API key: set the EMPIRICALRUN_KEY environment variable/
      )
      const spaced = await run([...target(), 'a.txt'], { env: { EMPIRICALRUN_KEY: 'a b' } })
      expect(spaced.stderr).toMatch(/^error: EMPIRICALRUN_KEY: the key contains characters/)
      expect(spaced.stderr).not.toContain('a b')
      const usage = await run(['--nope'])
      expect(usage.code).toBe(Exit.Usage)
      expect(usage.stderr).toBe(`error: --nope: unknown option\n${SEE_HELP}`)
      const manifest = await run([...target(), '--manifest', 'no/such/m.json', 'a.txt'])
      expect(manifest.code).toBe(Exit.Usage)
      expect(manifest.stderr).toMatch(
        /^error: --manifest: cannot write no\/such\/m\.json: its folder .* does not exist\nRun 'empiricalrun-upload --help' for usage\.\n$/
      )
      expect(emulator.requests).toEqual([])
    })

    it('a key of spaces only is no key', async () => {
      await workspace({ 'a.txt': 'alpha' })
      const ran = await run(['--project-id', '1', 'a.txt'], {
        env: { EMPIRICALRUN_KEY: '   ', EMPIRICALRUN_RETRY_BASE_MS: '0' }
      })
      expect(ran.code).toBe(Exit.Usage)
      expect(ran.stderr).toBe(
        `error: no API key: set the EMPIRICALRUN_KEY environment variable (there is no flag for the key: it would leak into shell history and the process list)\n${SEE_HELP}`
      )
    })

    it('runs a dry run, and refuses one with --checksums before any request', async () => {
      await workspace({ 'a.txt': 'alpha' })
      expect((await run([...target(), '--dry-run', 'a.txt'])).code).toBe(Exit.Ok)
      emulator.reset()
      const refused = await run([...target(), '--dry-run', '--checksums', 'sums.txt', 'a.txt'])
      expect(refused).toEqual({
        code: Exit.Usage,
        stdout: '',
        stderr: `error: --checksums: a dry run uploads nothing, so there is nothing to sum; leave out --dry-run or --checksums\n${SEE_HELP}`
      })
      expect(emulator.requests).toEqual([])
    })

    it('refuses a folder that is not one for --manifest, naming the error code', async () => {
      await workspace({ 'a.txt': 'alpha' })
      const ran = await run([...target(), '--manifest', 'a.txt/x/m.json', 'a.txt'])
      expect(ran).toEqual({
        code: Exit.Usage,
        stdout: '',
        stderr: `error: --manifest: cannot write a.txt/x/m.json: its folder ${path.join(dir, 'a.txt', 'x')} cannot be reached (ENOTDIR)\n${SEE_HELP}`
      })
      expect(emulator.requests).toEqual([])
    })

    it('exits 2 with the usage line when a named path does not exist', async () => {
      await workspace({ 'a.txt': 'alpha' })
      const ran = await run([...target(), 'a.txt', 'missing.txt'])
      expect(ran).toMatchObject({ code: Exit.Usage, stdout: '' })
      expect(ran.stderr).toContain('missing.txt')
      expect(ran.stderr.endsWith(SEE_HELP)).toBe(true)
    })
  })

  describe('--manifest and --checksums: checked before any request, like every setting', () => {
    /** A workspace with a file to upload, a folder, and a manifest from an earlier run. */
    async function outputsWorkspace(): Promise<void> {
      await workspace({ 'a.txt': 'alpha', 'old.json': 'earlier' })
      await mkdir(path.join(dir, 'reports'))
    }

    it.each<[string, string[], string]>([
      [
        'a folder',
        ['--checksums', 'reports'],
        '--checksums: cannot write reports: it is a folder; name a file in it, such as reports/checksums.txt'
      ],
      [
        'a folder named with a slash, there or not',
        ['--manifest', 'out/'],
        '--manifest: cannot write out/: it is a folder; name a file in it, such as out/manifest.json'
      ],
      [
        'an empty path',
        ['--manifest', ''],
        '--manifest: needs a path, such as --manifest manifest.json'
      ],
      [
        'an empty path given with =',
        ['--checksums='],
        '--checksums: needs a path, such as --checksums checksums.txt'
      ],
      [
        'one path for both',
        ['--manifest', 'both.txt', '--checksums', './both.txt'],
        '--checksums: cannot write ./both.txt: --manifest writes there; give each its own file'
      ]
    ])('refuses %s with exit 2, naming the flag', async (_what, flags, message) => {
      await outputsWorkspace()
      const ran = await run([...target(), ...flags, 'a.txt'])
      expect(ran).toEqual({
        code: Exit.Usage,
        stdout: '',
        stderr: `error: ${message}\n${SEE_HELP}`
      })
      expect(emulator.requests).toEqual([])
    })

    it.runIf(process.platform === 'linux')(
      'refuses a folder where no file can be made, as /proc is even to root',
      async () => {
        await outputsWorkspace()
        const ran = await run([...target(), '--manifest', '/proc/m.json', 'a.txt'])
        expect(ran.code).toBe(Exit.Usage)
        expect(ran.stderr).toMatch(
          /^error: --manifest: cannot write \/proc\/m\.json: no file can be made in its folder \/proc \((ENOENT|EACCES)\)\n/
        )
        expect(emulator.requests).toEqual([])
      }
    )

    it.runIf(existsSync('/sys/kernel/notes'))(
      'refuses a file that cannot be opened for writing',
      async () => {
        await outputsWorkspace()
        const ran = await run([...target(), '--checksums', '/sys/kernel/notes', 'a.txt'])
        expect(ran.code).toBe(Exit.Usage)
        expect(ran.stderr).toBe(
          `error: --checksums: cannot write /sys/kernel/notes: it cannot be opened for writing (EACCES)\n${SEE_HELP}`
        )
      }
    )

    it('leaves nothing behind: a file there keeps its bytes, and no file is made', async () => {
      await outputsWorkspace()
      const ran = await run([
        ...target(),
        '--manifest',
        'old.json',
        '--checksums',
        'sums.txt',
        '--concurrency',
        '0',
        'a.txt'
      ])
      expect(ran.code).toBe(Exit.Usage)
      const refused = await run([
        ...target(),
        '--manifest',
        'new.json',
        '--checksums',
        'reports',
        'a.txt'
      ])
      expect(refused.code).toBe(Exit.Usage)
      expect(await readFile(path.join(dir, 'old.json'), 'utf8')).toBe('earlier')
      expect((await readdir(dir)).sort()).toEqual(['a.txt', 'old.json', 'reports'])
      expect(emulator.requests).toEqual([])
    })

    it('writes over a file that is there once the run is done', async () => {
      await outputsWorkspace()
      const ran = await run([...target(), '--manifest', 'old.json', 'a.txt'])
      expect(ran.code).toBe(Exit.Ok)
      expect(JSON.parse(await readFile(path.join(dir, 'old.json'), 'utf8'))).toMatchObject({
        totals: { uploaded: 1 }
      })
    })
  })

  describe('--if-no-files-found and a path that does not exist', () => {
    it.each<[string, string]>([
      ['warn', 'warning: '],
      ['ignore', '']
    ])('under %s, it is what was allowed: a line of the log, and exit 0', async (allow, prefix) => {
      await workspace({ 'a.txt': 'alpha' })
      const ran = await run([...target(), '--if-no-files-found', allow, 'a.txt', 'missing.txt'])
      expect(ran.code).toBe(Exit.Ok)
      expect(ran.stdout).toBe('1\ta.txt\n')
      expect(ran.stderr).toMatch(
        new RegExp(
          `^${prefix}No files were found with the pattern 'missing\\.txt'; the other patterns matched files\n`
        )
      )
      const alone = await run([...target(), '--if-no-files-found', allow, 'missing.txt'])
      expect(alone).toMatchObject({ code: Exit.Ok, stdout: '' })
      expect(alone.stderr).toMatch(
        new RegExp(`^${prefix}No files were found with the provided patterns:\nmissing\\.txt\n`)
      )
    })

    it('under error, the default, it is a usage error, as it is for cp', async () => {
      await workspace({ 'a.txt': 'alpha' })
      const ran = await run([...target(), '--if-no-files-found', 'error', 'a.txt', 'missing.txt'])
      expect(ran).toEqual({
        code: Exit.Usage,
        stdout: '',
        stderr: `error: missing.txt: no such file or directory\n${SEE_HELP}`
      })
      expect(emulator.requests).toEqual([])
    })
  })

  describe('values that begin with a dash', () => {
    it('takes them as the values of the flags before them', async () => {
      await workspace({ 'a.txt': 'alpha' })
      const ran = await run([
        ...target(),
        '--description',
        '-rc build',
        '--name-prefix',
        '-nightly-',
        'a.txt'
      ])
      expect(ran.code).toBe(Exit.Ok)
      expect(ran.stdout).toBe('1\t-nightly-a.txt\n')
    })

    it('refuses --project-id -1 as it refuses 0: in one line, exit 2', async () => {
      await workspace({ 'a.txt': 'alpha' })
      for (const id of ['-1', '0']) {
        const ran = await run(['--base-url', emulator.apiUrl, '--project-id', id, 'a.txt'])
        expect(ran).toEqual({
          code: Exit.Usage,
          stdout: '',
          stderr: `error: --project-id: '${id}' is not allowed: give a whole number from 1, such as 42\n${SEE_HELP}`
        })
      }
    })
  })

  describe('progress', () => {
    /** Progress every 10 ms from the slow emulator. */
    const fastProgress = (): NodeJS.ProcessEnv => ({
      EMPIRICALRUN_KEY: slow.apiKey,
      EMPIRICALRUN_PROGRESS_INTERVAL_MS: '10'
    })

    it('redraws progress on a terminal and erases it before the result', async () => {
      await workspace({ 'a.txt': 'alpha' })
      const result = await run([...target(slow), 'a.txt'], { tty: true, env: fastProgress() })
      expect(result.code).toBe(Exit.Ok)
      expect(result.stderr).toContain(`${CLEAR}0 of 1 files, `)
      // The last write erases the line, so that the shell's prompt starts clean.
      expect(
        result.stderr.endsWith(`1 of 1 file uploaded\n${progressLineOf(result.stderr)}${CLEAR}`)
      ).toBe(true)
      expect(result.stderr).not.toMatch(/… .* sent \(/)
    })

    it('off a terminal, prints the periodic progress lines of the action', async () => {
      await workspace({ 'a.txt': 'alpha' })
      const result = await run([...target(slow), 'a.txt'], { env: fastProgress() })
      expect(result.code).toBe(Exit.Ok)
      expect(result.stderr).not.toContain(CLEAR)
      expect(result.stderr).toContain('… ')
    })

    it('erases the progress line on a terminal before an unexpected failure', async () => {
      await workspace({ 'a.txt': 'alpha' })
      const ran = await run([...target(slow), 'a.txt'], {
        tty: true,
        env: fastProgress(),
        failingStdout: true
      })
      expect(ran.code).toBe(Exit.Failed)
      expect(ran.stderr).toContain(`${CLEAR}0 of 1 files, `)
      // Nothing is drawn after the error line: the shell's prompt starts on a clean line.
      expect(ran.stderr.endsWith(`${CLEAR}error: write EPIPE\n`)).toBe(true)
    })

    /** Waits on the real clock until `test` passes. */
    async function until(test: () => boolean): Promise<void> {
      while (!test()) await new Promise((resolve) => setTimeout(resolve, 1))
    }

    /**
     * Runs `body` with the progress timer on a fake clock, moved on by the test alone; the
     * emulator's latency and the client's timeouts stay on the real one.
     */
    async function withProgressClock(body: () => Promise<void>): Promise<void> {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
      try {
        await body()
      } finally {
        vi.useRealTimers()
      }
    }

    /** The slow emulator's key, without a progress interval of the test's own. */
    const slowKey = (): NodeJS.ProcessEnv => ({
      EMPIRICALRUN_KEY: slow.apiKey,
      EMPIRICALRUN_RETRY_BASE_MS: '0'
    })

    /** The heading is written once the progress timer runs, before the first request. */
    const UPLOADING = 'Uploading 1 file '

    it('redraws progress every 500 ms on a terminal, and never off one, unless told', async () => {
      await workspace({ 'a.txt': 'alpha' })
      await withProgressClock(async () => {
        const terminal = start([...target(slow), 'a.txt'], { tty: true, env: slowKey() })
        await until(() => terminal.stderr().includes(UPLOADING))
        vi.advanceTimersByTime(499)
        expect(terminal.stderr()).not.toContain(CLEAR)
        vi.advanceTimersByTime(1)
        expect(terminal.stderr()).toContain(`${CLEAR}0 of 1 files, `)
        expect((await terminal.finished).code).toBe(Exit.Ok)
        const log = start([...target(slow), 'a.txt'], { env: slowKey() })
        await until(() => log.stderr().includes(UPLOADING))
        vi.advanceTimersByTime(9_999)
        const logged = await log.finished
        expect(logged.code).toBe(Exit.Ok)
        expect(logged.stderr).not.toContain('… ')
      })
    })

    it('erases the progress line on a terminal before the error when the upload fails under it', async () => {
      await workspace({ 'a.txt': 'alpha' })
      await withProgressClock(async () => {
        const ran = start([...target(slow), 'a.txt'], {
          tty: true,
          env: slowKey(),
          failingWrite: 'Done in'
        })
        await until(() => ran.stderr().includes(UPLOADING))
        vi.advanceTimersByTime(500)
        expect(ran.stderr()).toContain(`${CLEAR}0 of 1 files, `)
        const { code, stdout, stderr } = await ran.finished
        expect(code).toBe(Exit.Failed)
        expect(stdout).toBe('')
        // Nothing is drawn after the error line: the shell's prompt starts on a clean line.
        expect(stderr.endsWith(`${CLEAR}error: write EPIPE\n`)).toBe(true)
      })
    })
  })
})

describe('escapeField', () => {
  it.for<[string, string]>([
    ['plain.txt', 'plain.txt'],
    ['a\\b', 'a\\\\b'],
    ['a\tb', 'a\\tb'],
    ['a\nb', 'a\\nb'],
    ['a\rb', 'a\\rb'],
    ['\t\\\n\r', '\\t\\\\\\n\\r']
  ])('%j is written %j', ([name, field]) => {
    expect(escapeField(name)).toBe(field)
  })
})
