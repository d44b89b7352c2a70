import { parseArgs } from 'node:util'
import { Input, type UploadOptions } from '../core/settings.ts'

/** A command line the CLI cannot run: an unknown flag, a missing value, no pattern. Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** What the command line asks for. */
export interface Command {
  /** `--help`: print the usage and stop. */
  help: boolean
  /** `--version`: print the version and stop. */
  version: boolean
  /** `--json`: stdout carries the manifest as one JSON document. */
  json: boolean
  /** `--manifest <path>`: also write the manifest there. */
  manifest: string | undefined
  /** `--verbose`: debug lines on stderr too. */
  verbose: boolean
  /** The settings, as typed; the core validates them by the action's rules. */
  options: UploadOptions
}

/** The flags that take a value, each named after the action input it stands for. */
const VALUE_FLAGS = [
  Input.ProjectId,
  Input.NamePrefix,
  Input.Concurrency,
  Input.Retries,
  Input.RequestTimeout,
  Input.BaseUrl,
  Input.IfNoFilesFound,
  Input.Description
] as const

/** The switches, each named after a boolean action input; `--name=false` is accepted too. */
const SWITCH_FLAGS = [
  Input.SkipExisting,
  Input.DownloadUrl,
  Input.DryRun,
  Input.IncludeHiddenFiles
] as const

/** Parses the arguments (without `node` and the script); throws UsageError. */
export function parseCommand(argv: readonly string[]): Command {
  const { switches, rest } = takeSwitchValues(argv)
  let parsed: ReturnType<typeof parseTokens>
  try {
    parsed = parseTokens(rest)
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, ''))
  }
  const { values, positionals } = parsed
  const text = (name: string): string | undefined => values[name] as string | undefined
  const on = (name: string): boolean | string | undefined =>
    switches.get(name) ?? (values[name] as boolean | undefined)
  const command: Command = {
    help: values.help === true,
    version: values.version === true,
    json: values.json === true,
    manifest: text('manifest'),
    verbose: values.verbose === true,
    options: {
      projectId: text(Input.ProjectId) ?? '',
      files: [...((values[Input.Files] as string[] | undefined) ?? []), ...positionals],
      namePrefix: text(Input.NamePrefix),
      skipExisting: on(Input.SkipExisting),
      downloadUrl: on(Input.DownloadUrl),
      dryRun: on(Input.DryRun),
      concurrency: text(Input.Concurrency),
      retries: text(Input.Retries),
      requestTimeout: text(Input.RequestTimeout),
      baseUrl: text(Input.BaseUrl),
      ifNoFilesFound: text(Input.IfNoFilesFound),
      includeHiddenFiles: on(Input.IncludeHiddenFiles),
      description: text(Input.Description)
    }
  }
  if (command.help || command.version) return command
  if (command.manifest === '')
    throw new UsageError('--manifest needs a path, such as --manifest manifest.json')
  if (!positionals.length)
    throw new UsageError('no pattern given: name the files to upload, such as dist/*.apk')
  return command
}

function parseTokens(argv: readonly string[]) {
  const options: Record<
    string,
    { type: 'string' | 'boolean'; short?: string; multiple?: boolean }
  > = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'V' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
    manifest: { type: 'string' },
    [Input.Files]: { type: 'string', multiple: true }
  }
  for (const name of VALUE_FLAGS) options[name] = { type: 'string' }
  for (const name of SWITCH_FLAGS) options[name] = { type: 'boolean' }
  return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
}

/**
 * `--dry-run=false` names a value, as the action's input does; parseArgs takes none for a
 * switch, so those are read here and the rest left to it.
 */
function takeSwitchValues(argv: readonly string[]): {
  switches: Map<string, string>
  rest: string[]
} {
  const switches = new Map<string, string>()
  const rest: string[] = []
  let positional = false
  for (const arg of argv) {
    const match = positional ? null : /^--([a-z-]+)=(.*)$/s.exec(arg)
    const name = match?.[1]
    if (match && name && (SWITCH_FLAGS as readonly string[]).includes(name))
      switches.set(name, match[2] ?? '')
    else rest.push(arg)
    if (arg === '--') positional = true
  }
  return { switches, rest }
}
