// File commands: the files a step writes its outputs, environment, PATH additions and summary to
// (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STEP_SUMMARY), and the workflow commands
// (`::error::…`) in its log.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { EvaluationError } from './types.ts'

const NAMES = ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY']

/** Creates a step's empty file-command files and points `env` at them; returns their paths. */
export async function createFileCommands(
  temp: string,
  index: number,
  env: Record<string, string>
): Promise<Record<string, string>> {
  for (const name of NAMES) {
    env[name] = path.join(temp, `${name.toLowerCase()}-${index}`)
    await writeFile(env[name], '')
  }
  return Object.fromEntries(NAMES.map((name) => [name, env[name]!]))
}

/** What a step wrote to its file commands. */
export interface Written {
  outputs: Record<string, string>
  env: Record<string, string>
  /** GITHUB_PATH, in the order written. */
  path: string[]
}

/** Reads back GITHUB_OUTPUT, GITHUB_ENV and GITHUB_PATH; a malformed file is an EvaluationError. */
export async function readFileCommands(files: Record<string, string>): Promise<Written> {
  const read = (name: string): Promise<string> => readFile(files[name]!, 'utf8')
  return {
    outputs: parseFileCommand(await read('GITHUB_OUTPUT'), 'GITHUB_OUTPUT'),
    env: parseFileCommand(await read('GITHUB_ENV'), 'GITHUB_ENV'),
    path: (await read('GITHUB_PATH')).split(/\r?\n/).filter(Boolean)
  }
}

/** Reads GITHUB_OUTPUT / GITHUB_ENV: `name=value` lines and `name<<DELIMITER` blocks, as the runner does. */
function parseFileCommand(content: string, what: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = content.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line === '') continue
    const equals = line.indexOf('=')
    const heredoc = line.indexOf('<<')
    if (equals > 0 && (heredoc === -1 || equals < heredoc)) {
      result[line.slice(0, equals)] = line.slice(equals + 1)
    } else if (heredoc > 0 && line.length > heredoc + 2) {
      const delimiter = line.slice(heredoc + 2)
      const value: string[] = []
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i]!)
      if (i >= lines.length) throw new EvaluationError(`${what}: no closing '${delimiter}'`)
      result[line.slice(0, heredoc)] = value.join('\n')
    } else {
      throw new EvaluationError(`${what}: invalid line '${line}'`)
    }
  }
  return result
}

/** The `error: …`, `warning: …` and `notice: …` lines of a log (workflow commands and the runner's). */
export function annotationsOf(log: string): string[] {
  const annotations: string[] = []
  for (const line of log.split('\n')) {
    const match =
      /^(?:::(error|warning|notice)(?: [^:]*)?::|##\[(error|warning|notice)\])(.*)$/.exec(line)
    if (match) annotations.push(`${match[1] ?? match[2]}: ${match[3]}`)
  }
  return annotations
}
