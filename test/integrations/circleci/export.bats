#!/usr/bin/env bats
# The orb's second script (integrations/circleci/src/scripts/export.sh): the upload's results, as
# KEY=value lines, become exports in $BASH_ENV, which bash reads at the start of each later step.

bats_load_library bats-support
bats_load_library bats-assert

EXPORT="$BATS_TEST_DIRNAME/../../../integrations/circleci/src/scripts/export.sh"

setup() {
  export BASH_ENV="$BATS_TEST_TMPDIR/bash_env" EMPIRICALRUN_OUTPUT="$BATS_TEST_TMPDIR/results.env"
  : >"$BASH_ENV"
  cat >"$EMPIRICALRUN_OUTPUT" <<'RESULTS'
EMPIRICALRUN_FILE_IDS=[101,102]
EMPIRICALRUN_FILE_ID=
EMPIRICALRUN_FILE_URL=https://storage.example/a b.apk?X-Amz-Signature=abc&x=$HOME
EMPIRICALRUN_FAILED_FILES=["it's here.txt"]
RESULTS
}

# A later step: a fresh bash, which reads $BASH_ENV first.
later_step() {
  bash -c "$1"
}

@test "exports every result to BASH_ENV, as it is, for the steps after it" {
  run bash "$EXPORT"
  assert_success
  run later_step 'printf "%s|" "$EMPIRICALRUN_FILE_IDS" "$EMPIRICALRUN_FILE_ID" "$EMPIRICALRUN_FILE_URL" "$EMPIRICALRUN_FAILED_FILES"'
  assert_output '[101,102]||https://storage.example/a b.apk?X-Amz-Signature=abc&x=$HOME|["it'"'"'s here.txt"]|'
}

@test "prints the results it exports, except the download URL" {
  run bash "$EXPORT"
  assert_success
  assert_output 'EMPIRICALRUN_FILE_IDS=[101,102]
EMPIRICALRUN_FILE_ID=
EMPIRICALRUN_FAILED_FILES=["it'"'"'s here.txt"]'
}

@test "exports nothing, and says so, when the upload stopped before listing files" {
  : >"$EMPIRICALRUN_OUTPUT"
  run bash "$EXPORT"
  assert_success
  assert_output 'No results to export: the upload stopped before it listed any file.'
  [ ! -s "$BASH_ENV" ]
  rm "$EMPIRICALRUN_OUTPUT"
  run bash "$EXPORT"
  assert_success
}
