import { DEFAULT_BASE_URL, KEY_ENV } from '../core/settings.ts'

/** The text `--help` prints. */
export const HELP = `Usage: empiricalrun-upload [options] <pattern>...

Uploads the files the patterns match to an empirical.run project, through the Files API
(create → upload to a signed URL → confirm), and prints the ID of each file in the project.

Each <pattern> is one line of the action's 'files' input: a glob (dist/**/*.apk), a directory
(everything below it), or an exclusion (!**/*.map). Quote globs so that the shell leaves them
alone. Paths are relative to the current directory; names are relative to the patterns' common
directory, as the action names them.

The API key is read from the ${KEY_ENV} environment variable only: a flag would leave it in
shell history and in the process list.

Options (each stands for the action input of the same name, with the same rules):
  --files <pattern>            one more pattern, as an argument is (may be repeated)
  --project-id <id>            the project that receives the files (required)
  --name-prefix <text>         put before every name, such as builds/v1.2.3/ or nightly-
  --skip-existing              leave out files the project holds under the same name and size
  --download-url               read each file's signed download URL (valid for 1 hour)
  --dry-run                    list what would be uploaded; upload nothing
  --concurrency <n>            files in flight at once, 1 to 64 (default 8)
  --retries <n>                retries of a transient failure per request, 0 to 10 (default 5)
  --request-timeout <s>        seconds a request may go without progress, 1 to 3600 (default 60)
  --base-url <url>             the API's origin, optionally with a path prefix (default ${DEFAULT_BASE_URL})
  --if-no-files-found <what>   error, warn or ignore when nothing matches (default error)
  --include-hidden-files       upload dot-files and files under dot-directories too
  --description <text>         description set on every file
  A switch also takes a value as the input does: --dry-run=false.

Output:
  --json                       print the manifest as one JSON document on stdout, nothing else
  --manifest <path>            also write the manifest to <path>
  -v, --verbose                print debug lines (one per request) on stderr
  -h, --help                   print this help
  -V, --version                print the version

stdout carries one line per file in the project: <id><TAB><name>, and <TAB><url> with
--download-url. The log goes to stderr; on a terminal a progress line is redrawn in place.

Exit codes:
  0    every file is in the project (or a dry run, or no match allowed by --if-no-files-found)
  1    a file failed, the project could not be listed, or nothing matched
  2    a usage error or a bad value, found before any request
  130  stopped by SIGINT (Ctrl-C), 143 by SIGTERM, once what was in flight is settled

Example:
  ${KEY_ENV}=... empiricalrun-upload --project-id 42 --name-prefix "build-$CI_PIPELINE_ID/" 'dist/*.apk'
`
