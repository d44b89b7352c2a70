import { constants } from 'node:fs'
import { access, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { InputError, messageOf } from '../core/errors.ts'
import { manifestJson, type Manifest } from '../core/manifest.ts'
import { Input, KEY_ENV, PROGRESS_INTERVAL_ENV, RETRY_BASE_ENV } from '../core/settings.ts'
import { uploadFiles } from '../core/upload-files.ts'
import { VERSION } from '../core/version.ts'
import { parseCommand, UsageError, type Command } from './args.ts'
import { HELP } from './help.ts'
import { Terminal, type LogStream } from './terminal.ts'

/** Exit codes that scripts can rely on. */
export const Exit = { Ok: 0, Failed: 1, Usage: 2, Interrupted: 130, Terminated: 143 } as const

/** How often a terminal's progress line is redrawn. */
const TERMINAL_PROGRESS_MS = 500

/** What the CLI reads and writes: the process's, or a test's. */
export interface Io {
  /** The arguments after `node` and the script. */
  argv: readonly string[]
  /** The environment: the key and the test hooks are read from it. */
  env: NodeJS.ProcessEnv
  /** The directory patterns start from. */
  cwd: string
  /** Where the result goes: IDs, or the JSON manifest. */
  stdout: { write(text: string): unknown }
  /** Where the log goes. */
  stderr: LogStream
  /** Aborted on SIGINT or SIGTERM; `stoppedBy` says which exit code that means. */
  stop: { signal: AbortSignal; stoppedBy: () => number | undefined }
}

/** Runs one command line; resolves with the exit code. Never throws, never exits the process. */
export async function main(io: Io): Promise<number> {
  let command: Command
  try {
    command = parseCommand(io.argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.stderr.write(`error: ${error.message}\nRun 'empiricalrun-upload --help' for usage.\n`)
    return Exit.Usage
  }
  if (command.help) return print(io, HELP)
  if (command.version) return print(io, `${VERSION}\n`)
  const unwritable =
    command.manifest === undefined ? undefined : await cannotWrite(io, command.manifest)
  if (unwritable !== undefined) {
    io.stderr.write(`error: --manifest: ${unwritable}\n`)
    return Exit.Usage
  }
  return upload(io, command)
}

/** Why the manifest could not be written where asked, found before any upload; undefined if it can. */
async function cannotWrite(io: Io, manifest: string): Promise<string | undefined> {
  const folder = path.dirname(path.resolve(io.cwd, manifest))
  try {
    await access(folder, constants.W_OK)
    return undefined
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error'
    return `cannot write ${manifest}: its folder ${folder} is not writable (${code})`
  }
}

function print(io: Io, text: string): number {
  io.stdout.write(text)
  return Exit.Ok
}

/** The upload itself: the core's run, its result on stdout, the exit code. */
async function upload(io: Io, command: Command): Promise<number> {
  const terminal = new Terminal(io.stderr, command.verbose)
  const key = io.env[KEY_ENV]?.trim() ?? ''
  try {
    const result = await uploadFiles({
      ...command.options,
      apiKey: key,
      cwd: io.cwd,
      retryBaseMs: io.env[RETRY_BASE_ENV],
      progressIntervalMs:
        io.env[PROGRESS_INTERVAL_ENV] ?? (terminal.interactive ? TERMINAL_PROGRESS_MS : undefined),
      log: terminal.logger(),
      onProgress: terminal.interactive ? (state) => terminal.progress(state) : undefined,
      signal: io.stop.signal
    })
    terminal.endProgress()
    io.stdout.write(command.json ? manifestJson(result) : idLines(result))
    if (command.manifest !== undefined)
      await writeFile(path.resolve(io.cwd, command.manifest), manifestJson(result))
    if (result.failure !== undefined) terminal.line(`error: ${result.failure}`)
    return io.stop.stoppedBy() ?? (result.failure === undefined ? Exit.Ok : Exit.Failed)
  } catch (error) {
    terminal.endProgress()
    if (!(error instanceof InputError)) {
      terminal.line(`error: ${messageOf(error)}`)
      return Exit.Failed
    }
    terminal.line(`error: ${inputProblem(error, key)}`)
    return Exit.Usage
  }
}

/** A bad value, named as the user gave it: a flag, or the environment variable. */
function inputProblem(error: InputError, key: string): string {
  if (error.input !== Input.AuthKey) {
    const named = Object.values<string>(Input).includes(error.input)
    return `${named ? `--${error.input}` : error.input}: ${error.detail}`
  }
  if (key) return `${KEY_ENV}: ${error.detail}`
  return `no API key: set the ${KEY_ENV} environment variable (there is no flag for the key: it would leak into shell history and the process list)`
}

/** `<id>\t<name>` for each file in the project, and `\t<url>` when --download-url read one. */
function idLines(manifest: Manifest): string {
  return manifest.files
    .flatMap((entry) => {
      if (entry.id === undefined) return []
      const url = entry.url === undefined ? '' : `\t${entry.url}`
      return [`${entry.id}\t${entry.name}${url}\n`]
    })
    .join('')
}
