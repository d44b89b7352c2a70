// File commands: GITHUB_OUTPUT, which a step writes its outputs to, and GITHUB_STEP_SUMMARY, which
// the action writes its summary to (not read back); and the workflow commands (`::error::…`) in a
// step's log. GITHUB_ENV, GITHUB_PATH and GITHUB_STATE are not set: writing to one fails the step.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { EvaluationError } from './types.ts'

/** Creates a step's empty GITHUB_OUTPUT and GITHUB_STEP_SUMMARY and points `env` at them. */
export async function createFileCommands(
  temp: string,
  index: number,
  env: Record<string, string>
): Promise<void> {
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY']) {
    env[name] = path.join(temp, `${name.toLowerCase()}-${index}`)
    await writeFile(env[name], '')
  }
}

/**
 * Reads GITHUB_OUTPUT: `name=value` lines and `name<<DELIMITER` blocks, as the runner does; a
 * malformed file is an EvaluationError.
 */
export async function readOutputs(file: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {}
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/)
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
      if (i >= lines.length) throw new EvaluationError(`GITHUB_OUTPUT: no closing '${delimiter}'`)
      result[line.slice(0, heredoc)] = value.join('\n')
    } else {
      throw new EvaluationError(`GITHUB_OUTPUT: invalid line '${line}'`)
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
