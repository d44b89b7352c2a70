/**
 * The one parser of pattern lines, the syntax of the `files` setting: one pattern a line, blank
 * lines and `#` comments skipped, each leading `!` flipping the pattern into an exclusion. The
 * glob, the settings, the names and the hints all read its result, never the text.
 */

/** One pattern line, parsed. */
export interface PatternLine {
  /** The line as given, trimmed: what a message quotes back to the user. */
  text: string
  /** True for an exclusion (an odd number of leading `!`). */
  negate: boolean
  /** The pattern after its `!`s, trimmed: a glob, a path or a directory. */
  body: string
}

/**
 * Splits `text` into pattern lines, as @actions/glob does: on `\n` (also `\r` on Windows), each
 * line trimmed, blank lines and lines starting with `#` left out. Each leading `!` flips negation,
 * with the space after it trimmed (`! *.map` excludes `*.map`).
 * @param windows split on `\r` and `\r\n` too (the platform a glob engine loaded on)
 */
export function parsePatternLines(
  text: string | readonly string[],
  windows = process.platform === 'win32'
): PatternLine[] {
  const joined = typeof text === 'string' ? text : text.join('\n')
  return joined
    .split(windows ? /\r\n|\r|\n/ : '\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map(parseLine)
}

function parseLine(text: string): PatternLine {
  let negate = false
  let body = text
  while (body.startsWith('!')) {
    negate = !negate
    body = body.slice(1).trim()
  }
  return { text, negate, body }
}

/** The lines as the user wrote them, one per line: how a message shows the patterns. */
export function patternText(lines: readonly PatternLine[]): string {
  return lines.map((line) => line.text).join('\n')
}

/** True when the pattern has no wildcard (`*`, `?`, `[`): it names one path, which must exist. */
export function isLiteral(line: PatternLine): boolean {
  return !/[*?[]/.test(line.body)
}

/** True when a path segment of the pattern starts with `.` (`out/.env`, `.github/**`). */
export function namesHidden(line: PatternLine): boolean {
  return line.body.split(/[\\/]/).some((segment) => /^\.[^./]/.test(segment))
}
