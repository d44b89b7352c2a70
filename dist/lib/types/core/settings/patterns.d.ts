/**
 * The one parser of pattern lines, the syntax of the `files` setting: one pattern a line, blank
 * lines and `#` comments skipped, each leading `!` flipping the pattern into an exclusion. The
 * glob, the settings, the names and the hints all read its result, never the text.
 */
/** One pattern line, parsed. */
export interface PatternLine {
    /** The line as given, trimmed: what a message quotes back to the user. */
    text: string;
    /** True for an exclusion (an odd number of leading `!`). */
    negate: boolean;
    /** The pattern after its `!`s, trimmed: a glob, a path or a directory. */
    body: string;
}
/**
 * Splits `text` into pattern lines, as @actions/glob does: on `\n` (also `\r` on Windows), each
 * line trimmed, blank lines and lines starting with `#` left out. Each leading `!` flips negation,
 * with the space after it trimmed (`! *.map` excludes `*.map`).
 * @param windows split on `\r` and `\r\n` too (the platform a glob engine loaded on)
 */
export declare function parsePatternLines(text: string | readonly string[], windows?: boolean): PatternLine[];
/** The lines as the user wrote them, one per line: how a message shows the patterns. */
export declare function patternText(lines: readonly PatternLine[]): string;
/** True when the pattern has no wildcard (`*`, `?`, `[`): it names one path, which must exist. */
export declare function isLiteral(line: PatternLine): boolean;
/** True when a path segment of the pattern starts with `.` (`out/.env`, `.github/**`). */
export declare function namesHidden(line: PatternLine): boolean;
