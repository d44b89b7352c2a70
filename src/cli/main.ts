import { InputError, messageOf } from '../core/errors.ts'
import { manifestJson, type Manifest } from '../core/results/manifest.ts'
import { checkOutputPaths, writeOutputs } from '../core/results/output-paths.ts'
import { runUpload } from '../core/run.ts'
import { resolveSettings } from '../core/settings/resolve.ts'
import {
  KEY_ENV,
  PROGRESS_INTERVAL_ENV,
  RETRY_BASE_ENV,
  type Settings
} from '../core/settings/settings.ts'
import { VERSION } from '../core/version.ts'
import { parseCommand, UsageError, type Command } from './args.ts'
import { helpText } from './help.ts'
import { Terminal, type LogStream } from './terminal.ts'

/** Exit codes that scripts can rely on. */
export const Exit = { Ok: 0, Failed: 1, Usage: 2, Interrupted: 130, Terminated: 143 } as const

/** How often a terminal's progress line is redrawn. */
const TERMINAL_PROGRESS_MS = 500

/** The line after every usage error. */
const SEE_HELP = "Run 'empiricalrun-upload --help' for usage."

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
    return usage(io, error.message)
  }
  if (command.help) return print(io, helpText())
  if (command.version) return print(io, `${VERSION}\n`)
  let settings: Settings
  try {
    settings = readSettings(io, command)
    // Stryker disable next-line StringLiteral: the check tells apart only 'library'; any other face reads as the CLI
    await checkOutputPaths(command, settings, 'cli')
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    return usage(io, error.message)
  }
  return upload(io, command, settings)
}

/** A usage error: one line in the CLI's style, and where the usage is. */
function usage(io: Io, message: string): number {
  io.stderr.write(`error: ${message}\n${SEE_HELP}\n`)
  return Exit.Usage
}

/** The command line's settings, read by the table's rules, with the key from the environment. */
function readSettings(io: Io, command: Command): Settings {
  const interactive = io.stderr.isTTY === true
  return resolveSettings(
    { ...command.settings, apiKey: io.env[KEY_ENV] ?? '' },
    {
      face: 'cli',
      source: 'text',
      workspace: io.cwd,
      retryBaseMs: io.env[RETRY_BASE_ENV],
      progressIntervalMs:
        io.env[PROGRESS_INTERVAL_ENV] ?? (interactive ? TERMINAL_PROGRESS_MS : undefined)
    }
  )
}

function print(io: Io, text: string): number {
  io.stdout.write(text)
  return Exit.Ok
}

/** The upload itself: the core's run, its result on stdout, the exit code. */
async function upload(io: Io, command: Command, settings: Settings): Promise<number> {
  const terminal = new Terminal(io.stderr, command.verbose)
  try {
    const ran = await runUpload(settings, {
      face: 'cli',
      missingPath: 'error',
      log: terminal.logger(),
      onProgress: terminal.interactive ? (state) => terminal.progress(state) : undefined,
      signal: io.stop.signal
    })
    terminal.endProgress()
    io.stdout.write(command.json ? manifestJson(ran) : idLines(ran))
    const result = await writeOutputs(ran, command, settings.workspace)
    if (result.failure !== undefined) terminal.line(`error: ${result.failure}`)
    return io.stop.stoppedBy() ?? (result.failure === undefined ? Exit.Ok : Exit.Failed)
  } catch (error) {
    terminal.endProgress()
    if (!(error instanceof InputError)) {
      terminal.line(`error: ${messageOf(error)}`)
      return Exit.Failed
    }
    terminal.line(`error: ${error.message}\n${SEE_HELP}`)
    return Exit.Usage
  }
}

/** `<id>\t<name>` for each file in the project, and `\t<url>` when --download-url read one. */
function idLines(manifest: Manifest): string {
  return manifest.files
    .flatMap((entry) => {
      if (entry.id === undefined) return []
      const url = entry.url === undefined ? '' : `\t${entry.url}`
      return [`${entry.id}\t${escapeField(entry.name)}${url}\n`]
    })
    .join('')
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r'
}

/** A name fit for one tab-separated field: backslash, tab, newline and carriage return escaped. */
export function escapeField(name: string): string {
  return name.replace(/[\\\t\n\r]/g, (char) => ESCAPES[char] ?? char)
}
