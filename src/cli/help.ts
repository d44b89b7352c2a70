import { KEY_ENV, SETTING_KEYS, SETTINGS, type Setting } from '../core/settings/settings.ts'

/** Where the help column starts. */
const COLUMN = 29

/** One line of --help: the flag and its value, then the help. */
function line(left: string, help: string): string {
  return `  ${left.padEnd(COLUMN)}${help}`
}

/** A setting's line: its help, its bounds and its default, from the table. */
function settingLine(setting: Setting): string[] {
  if (setting.flag === undefined) return []
  const left = setting.value ? `--${setting.flag} ${setting.value}` : `--${setting.flag}`
  const range = setting.kind.range ? `, ${setting.kind.range}` : ''
  const shown = setting.default === undefined || setting.default === '' || setting.default === false
  const fallback = shown ? '' : ` (default ${String(setting.default)})`
  return [line(left, `${setting.help}${range}${fallback}`)]
}

/** The text `--help` prints, built from the settings table when asked for. */
export function helpText(): string {
  return `Usage: empiricalrun-upload [options] <pattern>...

Uploads the files the patterns match to an empirical.run project, through the Files API
(create → upload to a signed URL → confirm), and prints the ID of each file in the project.
With --api resources it calls the Resources API instead, where the key picks the project:
leave out --project-id there.

Each <pattern> is one line of the action's 'files' input: a glob (dist/**/*.apk), a directory
(everything below it), or an exclusion (!**/*.map), applied in the order given. Quote globs so
that the shell leaves them alone. A path without wildcards must exist, unless
--if-no-files-found is warn or ignore. Paths are relative to the current directory; names are
relative to the patterns' common directory, as the action names them.

The API key is read from the ${KEY_ENV} environment variable only: a flag would leave it in
shell history and in the process list.

Options (each stands for the action input of the same name, with the same rules):
${SETTING_KEYS.flatMap((key) => settingLine(SETTINGS[key])).join('\n')}
  A switch takes a value only after '=': --dry-run=false. A flag with a value takes the next
  argument, even one that starts with '-': --name-prefix -nightly-.

Output:
${line('--json', 'print the manifest as one JSON document on stdout, nothing else')}
${line('--manifest <path>', 'also write the manifest to <path>')}
${line('--checksums <path>', 'also write a checksums file (sha256sum -c reads it) to <path>')}
${line('-v, --verbose', 'print debug lines (one per request) on stderr')}
${line('-h, --help', 'print this help')}
${line('-V, --version', 'print the version')}

stdout carries one line per file in the project: <id><TAB><name>, and <TAB><url> with
--download-url. In those lines a backslash, tab, newline or carriage return in a name is written
\\\\, \\t, \\n or \\r; --json gives names exactly. The log goes to stderr; on a terminal a progress
line is redrawn in place.

Exit codes:
  0    every file is in the project (or a dry run, or no match allowed by --if-no-files-found)
  1    a file failed, the project could not be listed, nothing matched, or --manifest or
       --checksums could not be written after all
  2    a usage error or a bad value, found before any request
  130  stopped by SIGINT (Ctrl-C), 143 by SIGTERM, once what was in flight is settled

Examples:
  ${KEY_ENV}=... empiricalrun-upload --project-id 42 --name-prefix "build-$CI_PIPELINE_ID/" 'dist/*.apk'
  ${KEY_ENV}=... empiricalrun-upload --api resources 'dist/*.apk'
`
}
