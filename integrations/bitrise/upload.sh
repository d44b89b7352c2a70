#!/bin/sh
# The one core of the CI integrations of @empiricalrun/upload-files: the GitLab component, the
# Bitrise step and the CircleCI orb each set EMPIRICALRUN_* variables and run this script, then turn
# its results file into their own outputs. It runs the CLI through npx, with the key only in the
# environment, and reads what became of the files from the manifest.
#
# POSIX sh, so that it runs in images without bash (node:22-alpine). No here-documents: the orb's
# packer escapes the less-than signs that open one. Nothing GitLab would read as an input either.
#
# Settings, one variable each; an empty one leaves the CLI's default (README's Inputs):
#   EMPIRICALRUN_API (files or resources), EMPIRICALRUN_PROJECT_ID (with files; none with
#   resources, whose key picks the project), EMPIRICALRUN_FILES (patterns, one a line), EMPIRICALRUN_BASE_URL,
#   EMPIRICALRUN_NAME_PREFIX, EMPIRICALRUN_DESCRIPTION, EMPIRICALRUN_IF_NO_FILES_FOUND,
#   EMPIRICALRUN_CONCURRENCY, EMPIRICALRUN_RETRIES, EMPIRICALRUN_REQUEST_TIMEOUT, and the switches
#   EMPIRICALRUN_SKIP_EXISTING, _DOWNLOAD_URL, _VERIFY, _DRY_RUN, _INCLUDE_HIDDEN_FILES (true or
#   false, as the CLI reads them) and EMPIRICALRUN_VERBOSE (true adds --verbose).
# The wrapper's:
#   EMPIRICALRUN_VERSION      the CLI's version that npx runs (required)
#   EMPIRICALRUN_KEY_VAR      the name of the variable that holds the key (default EMPIRICALRUN_KEY)
#   EMPIRICALRUN_WORKING_DIRECTORY  where patterns and relative paths start (default: here)
#   EMPIRICALRUN_MANIFEST     where the manifest is written (default empiricalrun-manifest.json)
#   EMPIRICALRUN_CHECKSUMS    where the checksums file is written (default empiricalrun-checksums.txt)
#   EMPIRICALRUN_OUTPUT       where the results go (default empiricalrun.env)
#   EMPIRICALRUN_OUTPUT_MAX_BYTES  leave the JSON arrays empty past this size (GitLab's dotenv cap)
#   EMPIRICALRUN_NODE_HINT    how to get Node.js 22.19 or later on this CI, for the error
#
# The results file holds KEY=value lines, one value a line, as a dotenv file does:
#   EMPIRICALRUN_FILE_IDS      JSON array of the IDs of the files in the project, by path
#   EMPIRICALRUN_FILE_ID       the ID when exactly one file is in the project; empty otherwise
#   EMPIRICALRUN_FILE_URL      that file's signed download URL, with download-url; empty otherwise
#   EMPIRICALRUN_FILE_SHA256   that file's sha256; empty otherwise
#   EMPIRICALRUN_COUNT         how many files are in the project
#   EMPIRICALRUN_FAILED_FILES  JSON array of the paths of the files that failed
#   EMPIRICALRUN_MANIFEST, EMPIRICALRUN_CHECKSUMS  the absolute paths of the files written
# It is written on every run that gets as far as a manifest, failed ones included; else it is empty.
#
# Exit status: the CLI's (0, 1, 2, 130, 143); 2 for a wrapper setting refused here; 1 without Node.

# Nothing below is traced: a key read through EMPIRICALRUN_KEY_VAR would be printed by set -x.
{ set +x; } 2>/dev/null
set -eu

fail() {
  printf 'error: %s\n' "$1" >&2
  exit "${2:-2}"
}

version=${EMPIRICALRUN_VERSION:-}
case $version in
  '' | *[!0-9A-Za-z.+-]*) fail "EMPIRICALRUN_VERSION: '$version' is not a version of @empiricalrun/upload-files, such as 2.0.0" ;;
esac

key_var=${EMPIRICALRUN_KEY_VAR:-EMPIRICALRUN_KEY}
case $key_var in
  '' | [0-9]* | *[!A-Za-z0-9_]*) fail "EMPIRICALRUN_KEY_VAR: '$key_var' is not the name of an environment variable" ;;
esac
if [ "$key_var" != EMPIRICALRUN_KEY ]; then
  eval "EMPIRICALRUN_KEY=\${$key_var-}"
  export EMPIRICALRUN_KEY
  case ${EMPIRICALRUN_DRY_RUN:-} in true | True | TRUE) ;; *)
    if [ -z "$EMPIRICALRUN_KEY" ]; then
      fail "no API key: the variable $key_var, which should hold it, is empty or unset; add it as a secret of this CI"
    fi ;;
  esac
fi

if [ -n "${EMPIRICALRUN_WORKING_DIRECTORY:-}" ]; then
  cd "$EMPIRICALRUN_WORKING_DIRECTORY" || fail "EMPIRICALRUN_WORKING_DIRECTORY: cannot enter '$EMPIRICALRUN_WORKING_DIRECTORY'"
fi
manifest=${EMPIRICALRUN_MANIFEST:-empiricalrun-manifest.json}
checksums=${EMPIRICALRUN_CHECKSUMS:-empiricalrun-checksums.txt}
output=${EMPIRICALRUN_OUTPUT:-empiricalrun.env}
max_bytes=${EMPIRICALRUN_OUTPUT_MAX_BYTES:-0}
case $max_bytes in '' | *[!0-9]*) fail "EMPIRICALRUN_OUTPUT_MAX_BYTES: '$max_bytes' is not a number of bytes" ;; esac

# Node's own check comes first: npx on an old Node would fail in npm's words, not ours.
if ! command -v node >/dev/null 2>&1 || ! command -v npx >/dev/null 2>&1; then
  fail "Node.js 22.19 or later, with npm, is needed to run @empiricalrun/upload-files, and there is none here. ${EMPIRICALRUN_NODE_HINT:-}" 1
fi
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 19) ? 0 : 1)'; then
  fail "Node.js 22.19 or later is needed to run @empiricalrun/upload-files; this is Node.js $(node --version). ${EMPIRICALRUN_NODE_HINT:-}" 1
fi

# The command line, in the positional parameters: one --flag=value per setting that is set, so that
# a value starting with '-' stays a value. A dry run sums nothing, and the CLI refuses --checksums.
set -- --manifest="$manifest"
case ${EMPIRICALRUN_DRY_RUN:-} in true | True | TRUE) ;; *) set -- "$@" --checksums="$checksums" ;; esac
for setting in API:api PROJECT_ID:project-id BASE_URL:base-url NAME_PREFIX:name-prefix \
  DESCRIPTION:description IF_NO_FILES_FOUND:if-no-files-found CONCURRENCY:concurrency \
  RETRIES:retries REQUEST_TIMEOUT:request-timeout SKIP_EXISTING:skip-existing \
  DOWNLOAD_URL:download-url VERIFY:verify DRY_RUN:dry-run INCLUDE_HIDDEN_FILES:include-hidden-files; do
  eval "value=\${EMPIRICALRUN_${setting%%:*}:-}"
  if [ -n "$value" ]; then set -- "$@" "--${setting#*:}=$value"; fi
done
case ${EMPIRICALRUN_VERBOSE:-} in
  true | True | TRUE) set -- "$@" --verbose ;;
  '' | false | False | FALSE) ;;
  *) fail "EMPIRICALRUN_VERBOSE: '$EMPIRICALRUN_VERBOSE' is not true or false" ;;
esac

# One --files per line; blank lines and carriage returns dropped, comments left to the CLI.
newline='
'
carriage_return=$(printf '\r')
saved_ifs=$IFS
IFS=$newline
set -f
for pattern in ${EMPIRICALRUN_FILES:-}; do
  pattern=${pattern%"$carriage_return"}
  case $pattern in *[![:space:]]*) set -- "$@" "--files=$pattern" ;; esac
done
set +f
IFS=$saved_ifs

package="@empiricalrun/upload-files@$version"
printf 'Running npx --yes %s' "$package" >&2
for argument in "$@"; do printf " '%s'" "$argument" >&2; done
printf '\n' >&2

mkdir -p "$(dirname "$manifest")" "$(dirname "$checksums")" "$(dirname "$output")"
rm -f "$manifest" "$checksums" "$output"
status=0
# stdout (one line per file, with its download URL under download-url) stays out of the log: the
# manifest holds the same, and a download URL is a secret for an hour.
npm_config_update_notifier=false npx --yes "$package" "$@" >/dev/null || status=$?

: >"$output"
if [ -f "$manifest" ]; then
  # shellcheck disable=SC2016 # the script is JavaScript, and its ${...} are JavaScript's
  node -e '
    const fs = require("node:fs")
    const path = require("node:path")
    const [manifestPath, checksumsPath, outputPath, maxBytes] = process.argv.slice(1)
    const files = JSON.parse(fs.readFileSync(manifestPath, "utf8")).files
    const inProject = files.filter((file) => file.id !== undefined)
    const one = inProject.length === 1 ? inProject[0] : undefined
    const results = {
      EMPIRICALRUN_FILE_IDS: JSON.stringify(inProject.map((file) => file.id)),
      EMPIRICALRUN_FILE_ID: one ? String(one.id) : "",
      EMPIRICALRUN_FILE_URL: (one && one.url) || "",
      EMPIRICALRUN_FILE_SHA256: (one && one.sha256) || "",
      EMPIRICALRUN_COUNT: String(inProject.length),
      EMPIRICALRUN_FAILED_FILES: JSON.stringify(
        files.filter((file) => file.id === undefined && file.error !== undefined).map((file) => file.path)
      ),
      EMPIRICALRUN_MANIFEST: path.resolve(manifestPath),
      EMPIRICALRUN_CHECKSUMS: fs.existsSync(checksumsPath) ? path.resolve(checksumsPath) : ""
    }
    const text = () => Object.entries(results).map(([key, value]) => `${key}=${value}\n`).join("")
    if (Number(maxBytes) > 0 && Buffer.byteLength(text()) > Number(maxBytes)) {
      results.EMPIRICALRUN_FILE_IDS = ""
      results.EMPIRICALRUN_FAILED_FILES = ""
      process.stderr.write(`warning: EMPIRICALRUN_FILE_IDS and EMPIRICALRUN_FAILED_FILES are left empty: with them, the results would pass ${maxBytes} bytes. Read the manifest (${results.EMPIRICALRUN_MANIFEST}) instead.\n`)
    }
    for (const [key, value] of Object.entries(results)) {
      // A line break would end the value early in a dotenv file.
      if (/[\r\n]/.test(value)) results[key] = ""
    }
    fs.writeFileSync(outputPath, text())
  ' "$manifest" "$checksums" "$output" "$max_bytes" || if [ "$status" -eq 0 ]; then status=1; fi
fi
exit "$status"
