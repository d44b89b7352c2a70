import { parseArgs } from 'node:util'
import { SETTING_KEYS, SETTINGS, type Setting, type SettingKey } from '../core/settings/settings.ts'
import { nearest } from '../core/settings/suggest.ts'

/** A command line the CLI cannot run: an unknown flag, a missing value, no pattern. Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** The settings as typed on the command line: text, for the table's rules to read. */
export type TypedSettings = Partial<Record<SettingKey, string | string[]>>

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
  /** `--checksums <path>`: also write the checksums file there. */
  checksums: string | undefined
  /** `--verbose`: debug lines on stderr too. */
  verbose: boolean
  /** The settings, as typed; the table's rules read them. */
  settings: TypedSettings
}

/** The CLI's own flags, besides the settings'. */
const OWN_FLAGS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  manifest: { type: 'string' },
  checksums: { type: 'string' }
} as const

type FlagConfig = { type: 'string' | 'boolean'; short?: string }

/** The flags, from the settings table and the CLI's own, as each parse reads them. */
interface Flags {
  /** Every flag parseArgs knows: the settings' (a switch for a yes-or-no one) and the CLI's own. */
  config: Record<string, FlagConfig>
  /** The settings that have a flag, by flag. */
  settings: Map<string, SettingKey>
  /** The flags that are switches: yes or no, no value after a space. */
  switches: Set<string>
}

/** The flags, built from the settings table for the one command line a run parses. */
function flagsOf(): Flags {
  const config: Record<string, FlagConfig> = { ...OWN_FLAGS }
  const settings = new Map<string, SettingKey>()
  for (const key of SETTING_KEYS) {
    const setting: Setting = SETTINGS[key]
    if (setting.flag === undefined) continue
    settings.set(setting.flag, key)
    config[setting.flag] = { type: setting.kind.switch ? 'boolean' : 'string' }
  }
  const switches = new Set(
    Object.entries(config)
      .filter(([, option]) => option.type === 'boolean')
      .map(([flag]) => flag)
  )
  return { config, settings, switches }
}

/** True when `name` is a flag that takes a value: a known flag, not a switch. */
function takesValue(flags: Flags, name: string): boolean {
  return name in flags.config && !flags.switches.has(name)
}

/** Parses the arguments (without `node` and the script); throws UsageError. */
export function parseCommand(argv: readonly string[]): Command {
  const flags = flagsOf()
  const joined = joinValues(argv, flags)
  refuseUnknown(joined, flags)
  const { switches, rest } = takeSwitchValues(joined, flags)
  const { values, tokens } = parseTokens(rest, flags)
  const settings: TypedSettings = {}
  for (const [flag, key] of flags.settings) {
    const value = switches.get(flag) ?? values[flag]
    if (value !== undefined) settings[key] = String(value)
  }
  // Every --files and every argument, in their order (values keeps only the last --files).
  const patterns = patternsInOrder(tokens)
  if (patterns.length) settings.files = patterns
  const command: Command = {
    help: values.help === true,
    version: values.version === true,
    json: values.json === true,
    manifest: values.manifest as string | undefined,
    checksums: values.checksums as string | undefined,
    verbose: values.verbose === true,
    settings
  }
  if (command.help || command.version) return command
  if (!patterns.length)
    throw new UsageError('no pattern given: name the files to upload, such as dist/*.apk')
  return command
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number]

function parseTokens(argv: readonly string[], flags: Flags) {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      options: flags.config,
      allowPositionals: true,
      strict: true,
      tokens: true
    })
  } catch (error) {
    throw usageOf(error)
  }
  refuseSeparateSwitchValue(parsed.tokens, flags)
  return parsed
}

/** parseArgs' own error, in the CLI's style: `--flag: what is wrong`. */
function usageOf(error: unknown): UsageError {
  const message = (error as Error).message
  const wrongs: [RegExp, string][] = [
    // Only switches have a short form (-h, -V, -v), and a switch takes no value.
    [/Option '(--[\w-]+) <value>' argument missing/, 'needs a value'],
    [/Option '(?:-\w, )?(--[\w-]+)' does not take an argument/, 'takes no value'],
    [/Unknown option '([^']+)'/, 'unknown option']
  ]
  for (const [pattern, wrong] of wrongs) {
    const flag = pattern.exec(message)?.[1]
    if (flag !== undefined) return new UsageError(`${flag}: ${wrong}`)
  }
  // Once joinValues has run, parseArgs has no other error for these flags: its words, in case.
  return new UsageError(message)
}

/**
 * A flag that takes a value takes the next argument as it, whatever it starts with, as git and
 * curl do: `--description "-rc build"`, `--name-prefix -nightly-`, `--project-id -1` (refused
 * then for what it is). parseArgs would refuse a value that starts with a dash, so each pair is
 * handed to it joined, as `--flag=value`. Nothing after `--` is a flag.
 */
function joinValues(argv: readonly string[], flags: Flags): string[] {
  const joined: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') return [...joined, ...argv.slice(i)]
    const name = arg.slice(2)
    const next = argv[i + 1]
    if (arg.startsWith('--') && takesValue(flags, name) && next !== undefined) {
      joined.push(`${arg}=${next}`)
      i++
    } else joined.push(arg)
  }
  return joined
}

/** Patterns as the command line gives them, `--files` and arguments alike, in their order. */
function patternsInOrder(tokens: readonly Token[]): string[] {
  return tokens.flatMap((token) => {
    if (token.kind === 'positional') return [token.value]
    if (token.kind === 'option' && token.name === 'files' && token.value !== undefined)
      return [token.value]
    return []
  })
}

/**
 * `--dry-run false` would read `false` as a pattern and leave the run a dry run: a switch takes
 * its value only as `--dry-run=false`, and a bare true or false after one is refused.
 */
function refuseSeparateSwitchValue(tokens: readonly Token[], flags: Flags): void {
  tokens.forEach((token, index) => {
    const next = tokens[index + 1]
    if (token.kind !== 'option' || !flags.switches.has(token.name) || token.inlineValue) return
    if (next?.kind !== 'positional' || !/^(true|false)$/i.test(next.value)) return
    throw new UsageError(
      `${token.rawName}: takes no separate value: write ${token.rawName}=${next.value.toLowerCase()} ` +
        `(or ./${next.value} for a file of that name)`
    )
  })
}

/**
 * `--dry-run=false` names a value, as the action's input does; parseArgs takes none for a
 * switch, so those are read here and the rest left to it.
 */
function takeSwitchValues(
  argv: readonly string[],
  flags: Flags
): {
  switches: Map<string, string>
  rest: string[]
} {
  const switches = new Map<string, string>()
  const rest: string[] = []
  let positional = false
  for (const arg of argv) {
    const match = positional ? null : /^--([a-z-]+)=(.*)/s.exec(arg)
    const name = match?.[1]
    if (match && name && flags.settings.has(name) && flags.switches.has(name))
      switches.set(name, match[2] ?? '')
    else rest.push(arg)
    if (arg === '--') positional = true
  }
  return { switches, rest }
}

/** An option no one knows, with the nearest flag when one is close: `gh` and `npm` do the same. */
function refuseUnknown(argv: readonly string[], flags: Flags): void {
  const end = argv.indexOf('--')
  for (const arg of end < 0 ? argv : argv.slice(0, end)) {
    const long = /^--([^=]+)/.exec(arg)?.[1]
    if (long !== undefined && !(long in flags.config)) {
      const near = nearest(long, Object.keys(flags.config))
      const hint = near ? `; did you mean --${near}?` : ''
      throw new UsageError(`--${long}: unknown option${hint}`)
    }
  }
}
