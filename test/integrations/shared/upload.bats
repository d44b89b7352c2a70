#!/usr/bin/env bats
# The core (integrations/shared/upload.sh) with npx stubbed: the command line it builds from the
# EMPIRICALRUN_* variables, where the key goes, and the results it reads from the manifest.
# CORE_SHELL picks the shell that runs it (sh is dash here; bash too).

bats_load_library bats-support
bats_load_library bats-assert

CORE="$BATS_TEST_DIRNAME/../../../integrations/shared/upload.sh"
KEY='erk_unit_8c1f4e2a9b'

setup() {
  stubs="$BATS_TEST_TMPDIR/bin"
  mkdir -p "$stubs"
  # npx: records its arguments (one a line) and whether the key reached it, writes the manifest
  # the test gives (STUB_MANIFEST) where --manifest says, prints a line on stdout, exits STUB_EXIT.
  cat >"$stubs/npx" <<'STUB'
#!/usr/bin/env bash
printf '%s\n' "$@" >"$STUB_DIR/npx.args"
printf '%s' "${EMPIRICALRUN_KEY:-}" >"$STUB_DIR/npx.key"
for argument in "$@"; do
  case $argument in
    --manifest=*) if [ -n "${STUB_MANIFEST:-}" ]; then printf '%s' "$STUB_MANIFEST" >"${argument#--manifest=}"; fi ;;
    --checksums=*) if [ -n "${STUB_MANIFEST:-}" ]; then echo "abc  a.txt" >"${argument#--checksums=}"; fi ;;
  esac
done
echo "1	a.txt	https://storage.example/a.txt?X-Amz-Signature=stdout-only"
exit "${STUB_EXIT:-0}"
STUB
  chmod +x "$stubs/npx"
  export STUB_DIR="$BATS_TEST_TMPDIR"
  export PATH="$stubs:$PATH"
  cd "$BATS_TEST_TMPDIR"
  # Every EMPIRICALRUN_* of the outer environment is dropped: each test sets its own.
  for name in $(env | sed -n 's/^\(EMPIRICALRUN_[A-Z_]*\)=.*/\1/p'); do unset "$name"; done
  export EMPIRICALRUN_VERSION=9.8.7
  export EMPIRICALRUN_PROJECT_ID=42
  export EMPIRICALRUN_FILES='dist/*.apk'
  export EMPIRICALRUN_KEY="$KEY"
  export STUB_MANIFEST='{"files":[{"path":"dist/a.apk","name":"a.apk","id":7,"sha256":"aa11","url":"https://storage.example/a.apk?X-Amz-Signature=s1"}]}'
}

core() {
  run "${CORE_SHELL:-sh}" "$CORE"
}

args() {
  cat "$STUB_DIR/npx.args"
}

@test "runs npx with the pinned package and one --flag=value per setting that is set" {
  export EMPIRICALRUN_API=files
  export EMPIRICALRUN_BASE_URL=http://127.0.0.1:9/prefix
  export EMPIRICALRUN_NAME_PREFIX='builds/$CI_PIPELINE_ID/'
  export EMPIRICALRUN_DESCRIPTION='nightly build, with spaces'
  export EMPIRICALRUN_SKIP_EXISTING=true
  export EMPIRICALRUN_DOWNLOAD_URL=false
  export EMPIRICALRUN_VERIFY=true
  export EMPIRICALRUN_DRY_RUN=false
  export EMPIRICALRUN_INCLUDE_HIDDEN_FILES=true
  export EMPIRICALRUN_IF_NO_FILES_FOUND=warn
  export EMPIRICALRUN_CONCURRENCY=3
  export EMPIRICALRUN_RETRIES=0
  export EMPIRICALRUN_REQUEST_TIMEOUT=120
  export EMPIRICALRUN_VERBOSE=true
  core
  assert_success
  run args
  assert_output "--yes
@empiricalrun/upload-files@9.8.7
--manifest=empiricalrun-manifest.json
--checksums=empiricalrun-checksums.txt
--api=files
--project-id=42
--base-url=http://127.0.0.1:9/prefix
--name-prefix=builds/\$CI_PIPELINE_ID/
--description=nightly build, with spaces
--if-no-files-found=warn
--concurrency=3
--retries=0
--request-timeout=120
--skip-existing=true
--download-url=false
--verify=true
--dry-run=false
--include-hidden-files=true
--verbose
--files=dist/*.apk"
}

@test "leaves out every setting that is empty, so that the CLI's defaults apply" {
  export EMPIRICALRUN_BASE_URL=
  export EMPIRICALRUN_DRY_RUN=
  core
  assert_success
  run args
  assert_output "--yes
@empiricalrun/upload-files@9.8.7
--manifest=empiricalrun-manifest.json
--checksums=empiricalrun-checksums.txt
--project-id=42
--files=dist/*.apk"
}

@test "passes --api=resources and no --project-id where the key picks the project" {
  export EMPIRICALRUN_API=resources
  export EMPIRICALRUN_PROJECT_ID=
  core
  assert_success
  run args
  assert_output "--yes
@empiricalrun/upload-files@9.8.7
--manifest=empiricalrun-manifest.json
--checksums=empiricalrun-checksums.txt
--api=resources
--files=dist/*.apk"
}

@test "leaves out --checksums on a dry run, which the CLI refuses it with" {
  export EMPIRICALRUN_DRY_RUN=TRUE
  core
  assert_success
  run args
  assert_output "--yes
@empiricalrun/upload-files@9.8.7
--manifest=empiricalrun-manifest.json
--project-id=42
--dry-run=TRUE
--files=dist/*.apk"
  run grep '^EMPIRICALRUN_CHECKSUMS=' empiricalrun.env
  assert_output 'EMPIRICALRUN_CHECKSUMS='
}

@test "gives each pattern line its own --files, unexpanded, without blank lines or carriage returns" {
  touch a.txt b.txt
  export EMPIRICALRUN_FILES="*.txt

  -starts-with-a-dash
!**/*.map$(printf '\r')
# a comment, for the CLI to skip
   "
  core
  assert_success
  run sh -c "grep -- '^--files=' '$STUB_DIR/npx.args'"
  assert_output "--files=*.txt
--files=  -starts-with-a-dash
--files=!**/*.map
--files=# a comment, for the CLI to skip"
}

@test "hands the key to npx in the environment only, and never prints it, even under set -x" {
  run "${CORE_SHELL:-sh}" -x "$CORE"
  assert_success
  refute_output --partial "$KEY"
  run grep -c -- "$KEY" "$STUB_DIR/npx.args"
  assert_output 0
  run cat "$STUB_DIR/npx.key"
  assert_output "$KEY"
}

@test "reads the key from the variable EMPIRICALRUN_KEY_VAR names" {
  unset EMPIRICALRUN_KEY
  export EMPIRICALRUN_KEY_VAR=MY_UPLOAD_KEY
  export MY_UPLOAD_KEY="$KEY"
  run "${CORE_SHELL:-sh}" -x "$CORE"
  assert_success
  refute_output --partial "$KEY"
  run cat "$STUB_DIR/npx.key"
  assert_output "$KEY"
}

@test "refuses an empty key variable it was pointed at, before running npx, unless on a dry run" {
  unset EMPIRICALRUN_KEY
  export EMPIRICALRUN_KEY_VAR=MY_UPLOAD_KEY
  core
  assert_failure 2
  assert_output "error: no API key: the variable MY_UPLOAD_KEY, which should hold it, is empty or unset; add it as a secret of this CI"
  [ ! -e "$STUB_DIR/npx.args" ]
  export EMPIRICALRUN_DRY_RUN=true
  core
  assert_success
}

@test "refuses a key variable name that is not one" {
  export EMPIRICALRUN_KEY_VAR='X;rm'
  core
  assert_failure 2
  assert_output "error: EMPIRICALRUN_KEY_VAR: 'X;rm' is not the name of an environment variable"
}

@test "refuses a missing or odd version before running npx" {
  export EMPIRICALRUN_VERSION=
  core
  assert_failure 2
  assert_output "error: EMPIRICALRUN_VERSION: '' is not a version of @empiricalrun/upload-files, such as 2.0.0"
  export EMPIRICALRUN_VERSION='1.0.0 --registry=x'
  core
  assert_failure 2
  [ ! -e "$STUB_DIR/npx.args" ]
}

@test "refuses a verbose that is not true or false" {
  export EMPIRICALRUN_VERBOSE=yes
  core
  assert_failure 2
  assert_output "error: EMPIRICALRUN_VERBOSE: 'yes' is not true or false"
}

@test "writes the results of one file: its ID, URL and sha256, and the absolute paths" {
  core
  assert_success
  run cat empiricalrun.env
  assert_output "EMPIRICALRUN_FILE_IDS=[7]
EMPIRICALRUN_FILE_ID=7
EMPIRICALRUN_FILE_URL=https://storage.example/a.apk?X-Amz-Signature=s1
EMPIRICALRUN_FILE_SHA256=aa11
EMPIRICALRUN_COUNT=1
EMPIRICALRUN_FAILED_FILES=[]
EMPIRICALRUN_MANIFEST=$BATS_TEST_TMPDIR/empiricalrun-manifest.json
EMPIRICALRUN_CHECKSUMS=$BATS_TEST_TMPDIR/empiricalrun-checksums.txt"
}

@test "keeps the CLI's stdout, and the download URLs in it, out of the log" {
  core
  assert_success
  refute_output --partial 'stdout-only'
  assert_output --partial "Running npx --yes @empiricalrun/upload-files@9.8.7 '--manifest=empiricalrun-manifest.json'"
}

@test "writes the IDs of several files, and no single ID, where the paths say" {
  mkdir -p out
  export EMPIRICALRUN_MANIFEST=out/m.json EMPIRICALRUN_CHECKSUMS=out/c.txt EMPIRICALRUN_OUTPUT=out/r.env
  export STUB_MANIFEST='{"files":[{"path":"a","id":3,"sha256":"x"},{"path":"b","id":4,"sha256":"y","existing":true},{"path":"c","error":"create failed: HTTP 413"}]}'
  export STUB_EXIT=1
  core
  assert_failure 1
  run cat out/r.env
  assert_output "EMPIRICALRUN_FILE_IDS=[3,4]
EMPIRICALRUN_FILE_ID=
EMPIRICALRUN_FILE_URL=
EMPIRICALRUN_FILE_SHA256=
EMPIRICALRUN_COUNT=2
EMPIRICALRUN_FAILED_FILES=[\"c\"]
EMPIRICALRUN_MANIFEST=$BATS_TEST_TMPDIR/out/m.json
EMPIRICALRUN_CHECKSUMS=$BATS_TEST_TMPDIR/out/c.txt"
}

@test "leaves the results empty, and exits as the CLI did, when no manifest was written" {
  echo stale >empiricalrun.env
  export STUB_MANIFEST= STUB_EXIT=2
  core
  assert_failure 2
  [ -f empiricalrun.env ] && [ ! -s empiricalrun.env ]
}

@test "leaves the arrays empty when the results would pass EMPIRICALRUN_OUTPUT_MAX_BYTES" {
  export EMPIRICALRUN_OUTPUT_MAX_BYTES=300
  export STUB_MANIFEST="{\"files\":[$(seq -s, -f '{"path":"f%g","id":10000%g}' 1 40)]}"
  core
  assert_success
  assert_output --partial 'warning: EMPIRICALRUN_FILE_IDS and EMPIRICALRUN_FAILED_FILES are left empty: with them, the results would pass 300 bytes.'
  run grep -c '^EMPIRICALRUN_FILE_IDS=$' empiricalrun.env
  assert_output 1
}

@test "starts in EMPIRICALRUN_WORKING_DIRECTORY" {
  mkdir -p app
  export EMPIRICALRUN_WORKING_DIRECTORY=app
  core
  assert_success
  [ -f app/empiricalrun.env ] && [ -f app/empiricalrun-manifest.json ]
}

@test "says how to get Node.js 22.19 or later on an older one" {
  cat >"$stubs/node" <<'STUB'
#!/bin/sh
if [ "$1" = --version ]; then echo v20.11.0; exit 0; fi
exit 1
STUB
  chmod +x "$stubs/node"
  export EMPIRICALRUN_NODE_HINT='Use the image node:22.'
  core
  assert_failure 1
  assert_output "error: Node.js 22.19 or later is needed to run @empiricalrun/upload-files; this is Node.js v20.11.0. Use the image node:22."
  [ ! -e "$STUB_DIR/npx.args" ]
}
