// main() with --checksums, --dry-run, a missing path, an unwritable folder, names that need
// escaping and a terminal's progress: what the user sees on stdout and stderr, and the exit code.
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../emulator/emulator.ts'
import { escapeField, Exit, main, type Io } from '../../src/cli/main.ts'

const SEE_HELP = "Run 'empiricalrun-upload --help' for usage.\n"

describe('main, its outputs', () => {
  let emulator: Emulator
  /** Each request waits 30 ms, so a 10 ms progress interval fires while a file is on its way. */
  let slow: Emulator
  /** Each request waits 250 ms; a file's few requests outlast a terminal's 500 ms progress interval. */
  let slower: Emulator
  let dir = ''

  beforeAll(async () => {
    emulator = await startEmulator({ projects: [7] })
    slow = await startEmulator({ projects: [7], latencyMs: 30 })
    slower = await startEmulator({ projects: [7], latencyMs: 250 })
  })
  afterAll(async () => {
    await emulator.close()
    await slow.close()
    await slower.close()
  })
  afterEach(async () => {
    emulator.reset()
    slow.reset()
    slower.reset()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  async function workspace(files: Record<string, string>): Promise<string> {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cli-outputs-'))
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text)
    return dir
  }

  async function run(
    argv: string[],
    options: { env?: NodeJS.ProcessEnv; tty?: boolean; server?: Emulator } = {}
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = ''
    let stderr = ''
    const server = options.server ?? emulator
    const io: Io = {
      argv: ['--base-url', server.apiUrl, '--project-id', '7', ...argv],
      env: options.env ?? { EMPIRICALRUN_KEY: server.apiKey, EMPIRICALRUN_RETRY_BASE_MS: '0' },
      cwd: dir,
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text), isTTY: options.tty },
      stop: { signal: new AbortController().signal, stoppedBy: () => undefined }
    }
    const code = await main(io)
    return { code, stdout, stderr }
  }

  it('writes --checksums as sha256sum does, and exits 0', async () => {
    await workspace({ 'a.txt': 'alpha' })
    const ran = await run(['--checksums', 'sums.txt', 'a.txt'])
    expect(ran.code).toBe(Exit.Ok)
    const sha = createHash('sha256').update('alpha').digest('hex')
    expect(await readFile(path.join(dir, 'sums.txt'), 'utf8')).toBe(`${sha}  a.txt\n`)
  })

  it('runs a dry run, and refuses one with --checksums before any request', async () => {
    await workspace({ 'a.txt': 'alpha' })
    expect((await run(['--dry-run', 'a.txt'])).code).toBe(Exit.Ok)
    emulator.reset()
    const refused = await run(['--dry-run', '--checksums', 'sums.txt', 'a.txt'])
    expect(refused).toEqual({
      code: Exit.Usage,
      stdout: '',
      stderr: `error: --checksums: a dry run uploads nothing, so there is nothing to sum; leave out --dry-run or --checksums\n${SEE_HELP}`
    })
    expect(emulator.requests).toEqual([])
  })

  it('refuses a folder that is not one for --manifest, naming the error code', async () => {
    await workspace({ 'a.txt': 'alpha' })
    const ran = await run(['--manifest', 'a.txt/x/m.json', 'a.txt'])
    expect(ran).toEqual({
      code: Exit.Usage,
      stdout: '',
      stderr: `error: --manifest: cannot write a.txt/x/m.json: its folder ${path.join(dir, 'a.txt', 'x')} is not writable (ENOTDIR)\n${SEE_HELP}`
    })
    expect(emulator.requests).toEqual([])
  })

  it('exits 2 with the usage line when a named path does not exist', async () => {
    await workspace({ 'a.txt': 'alpha' })
    const ran = await run(['a.txt', 'missing.txt'])
    expect(ran).toMatchObject({ code: Exit.Usage, stdout: '' })
    expect(ran.stderr).toContain('missing.txt')
    expect(ran.stderr.endsWith(SEE_HELP)).toBe(true)
  })

  it('prints a name with a tab or a backslash escaped in its ID line', async () => {
    await workspace({ 'a\tb\\c.txt': 'alpha' })
    const ran = await run(['*.txt'])
    expect(ran.code).toBe(Exit.Ok)
    expect(ran.stdout).toMatch(/^\d+\ta\\tb\\\\c\.txt\n$/)
  })

  it('erases the progress line on a terminal before an unexpected failure', async () => {
    await workspace({ 'a.txt': 'alpha' })
    const ran = await run(['--manifest', '.', 'a.txt'], {
      tty: true,
      server: slow,
      env: { EMPIRICALRUN_KEY: slow.apiKey, EMPIRICALRUN_PROGRESS_INTERVAL_MS: '10' }
    })
    expect(ran.code).toBe(Exit.Failed)
    expect(ran.stderr).toContain('\r\x1b[2K0 of 1 files, ')
    // Nothing is drawn after the error line: the shell's prompt starts on a clean line.
    expect(ran.stderr).toMatch(/error: EISDIR[^\n]*\n$/)
  })

  it('redraws progress every 500 ms on a terminal, and never off one, unless told', async () => {
    await workspace({ 'a.txt': 'alpha' })
    const env = { EMPIRICALRUN_KEY: slower.apiKey, EMPIRICALRUN_RETRY_BASE_MS: '0' }
    const terminal = await run(['a.txt'], { tty: true, server: slower, env })
    expect(terminal.code).toBe(Exit.Ok)
    expect(terminal.stderr).toContain('\r\x1b[2K0 of 1 files, ')
    const log = await run(['a.txt'], { server: slower, env })
    expect(log.code).toBe(Exit.Ok)
    expect(log.stderr).not.toContain('… ')
  }, 10_000)

  it('lets a fault in reading the command line or the environment escape as itself', async () => {
    const io = (over: Partial<Io>): Io => ({
      argv: ['a.txt'],
      env: {},
      cwd: os.tmpdir(),
      stdout: { write: () => true },
      stderr: { write: () => true },
      stop: { signal: new AbortController().signal, stoppedBy: () => undefined },
      ...over
    })
    await expect(main(io({ argv: [Symbol('x') as unknown as string] }))).rejects.toThrow(TypeError)
    const env = {
      get EMPIRICALRUN_KEY(): string {
        throw new RangeError('env unreadable')
      }
    }
    await expect(main(io({ env }))).rejects.toThrow('env unreadable')
  })
})

describe('escapeField', () => {
  it.each<[string, string]>([
    ['plain.txt', 'plain.txt'],
    ['a\\b', 'a\\\\b'],
    ['a\tb', 'a\\tb'],
    ['a\nb', 'a\\nb'],
    ['a\rb', 'a\\rb'],
    ['\t\\\n\r', '\\t\\\\\\n\\r']
  ])('%j is written %j', (name, field) => {
    expect(escapeField(name)).toBe(field)
  })
})
