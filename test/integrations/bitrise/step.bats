#!/usr/bin/env bats
# The Bitrise step (integrations/bitrise/step.sh) as Bitrise runs it: inputs in the environment,
# `bash step.sh`, outputs through envman (stubbed); npx stubbed as well, so that what reaches the
# CLI is seen exactly. step-e2e.bats runs the real CLI.

bats_load_library bats-support
bats_load_library bats-assert
load envman-stub

# In the step's own repository, STEP is its step.sh (bitrise.yml's test Workflow sets it).
STEP="${STEP:-$BATS_TEST_DIRNAME/../../../integrations/bitrise/step.sh}"
KEY='erk_bitrise_unit_5d2c71'

setup() {
  install_envman_stub "$BATS_TEST_TMPDIR/bin"
  cat >"$BATS_TEST_TMPDIR/bin/npx" <<'STUB'
#!/usr/bin/env bash
printf '%s\n' "$@" >"$BATS_TEST_TMPDIR/npx.args"
printf '%s' "${EMPIRICALRUN_KEY:-}" >"$BATS_TEST_TMPDIR/npx.key"
pwd >"$BATS_TEST_TMPDIR/npx.cwd"
for argument in "$@"; do
  case $argument in
    --manifest=*) printf '%s' "$STUB_MANIFEST" >"${argument#--manifest=}" ;;
  esac
done
exit "${STUB_EXIT:-0}"
STUB
  chmod +x "$BATS_TEST_TMPDIR/bin/npx"
  export BATS_TEST_TMPDIR TMPDIR="$BATS_TEST_TMPDIR"
  for name in $(env | sed -n 's/^\(EMPIRICALRUN_[A-Z_]*\)=.*/\1/p'); do unset "$name"; done
  export BITRISE_SOURCE_DIR="$BATS_TEST_TMPDIR/src" BITRISE_DEPLOY_DIR="$BATS_TEST_TMPDIR/deploy"
  mkdir -p "$BITRISE_SOURCE_DIR" "$BITRISE_DEPLOY_DIR"
  # The inputs as step.yml's defaults give them, the Secret and the project ID set.
  export EMPIRICALRUN_KEY="$KEY"
  export api_key="$KEY" api=files project_id=42 files="$BITRISE_DEPLOY_DIR" name_prefix='' description=''
  export skip_existing=false download_url=false verify=false dry_run=false include_hidden_files=false
  export if_no_files_found=error concurrency=8 retries=5 request_timeout=60
  export base_url='' working_dir="$BITRISE_SOURCE_DIR" version=9.8.7 verbose=false
  export STUB_MANIFEST='{"files":[{"path":"app.apk","id":31,"sha256":"f00d","url":"https://storage.example/app.apk?X-Amz-Signature=s1"}]}'
}

@test "passes each input to the CLI as its flag, from the working directory" {
  export name_prefix='build-$BITRISE_BUILD_NUMBER/' skip_existing=true download_url=true
  export files="$BITRISE_DEPLOY_DIR/*.apk
!**/*-unsigned.apk"
  run bash "$STEP"
  assert_success
  run cat "$BATS_TEST_TMPDIR/npx.args"
  assert_output "--yes
@empiricalrun/upload-files@9.8.7
--manifest=$(sed -n 's/^--manifest=//p' "$BATS_TEST_TMPDIR/npx.args")
--checksums=$(sed -n 's/^--checksums=//p' "$BATS_TEST_TMPDIR/npx.args")
--api=files
--project-id=42
--name-prefix=build-\$BITRISE_BUILD_NUMBER/
--if-no-files-found=error
--concurrency=8
--retries=5
--request-timeout=60
--skip-existing=true
--download-url=true
--verify=false
--dry-run=false
--include-hidden-files=false
--files=$BITRISE_DEPLOY_DIR/*.apk
--files=!**/*-unsigned.apk"
  run cat "$BATS_TEST_TMPDIR/npx.cwd"
  assert_output "$BITRISE_SOURCE_DIR"
}

@test "keeps the manifest outside the deploy directory, which a deploy step would publish" {
  run bash "$STEP"
  assert_success
  manifest="$(envman_value EMPIRICALRUN_MANIFEST)"
  [ -f "$manifest" ]
  case $manifest in "$BITRISE_DEPLOY_DIR"/*) false ;; esac
}

@test "hands the API key input to the CLI in the environment only" {
  unset EMPIRICALRUN_KEY
  run bash -x "$STEP"
  assert_success
  refute_output --partial "$KEY"
  run cat "$BATS_TEST_TMPDIR/npx.key"
  assert_output "$KEY"
  run grep -c -- "$KEY" "$BATS_TEST_TMPDIR/npx.args" "$ENVMAN_STORE"
  assert_output "$BATS_TEST_TMPDIR/npx.args:0
$ENVMAN_STORE:0"
}

@test "exports every result through envman, the download URL as sensitive, none expanded" {
  run bash "$STEP"
  assert_success
  run cut -f1,2 "$ENVMAN_STORE"
  assert_output "EMPIRICALRUN_FILE_IDS	no-expand
EMPIRICALRUN_FILE_ID	no-expand
EMPIRICALRUN_FILE_URL	no-expand sensitive
EMPIRICALRUN_FILE_SHA256	no-expand
EMPIRICALRUN_COUNT	no-expand
EMPIRICALRUN_FAILED_FILES	no-expand
EMPIRICALRUN_MANIFEST	no-expand
EMPIRICALRUN_CHECKSUMS	no-expand"
  [ "$(envman_value EMPIRICALRUN_FILE_IDS)" = '[31]' ]
  [ "$(envman_value EMPIRICALRUN_FILE_ID)" = 31 ]
  [ "$(envman_value EMPIRICALRUN_FILE_URL)" = 'https://storage.example/app.apk?X-Amz-Signature=s1' ]
  run next_step 'echo "next step sees $EMPIRICALRUN_FILE_IDS and $EMPIRICALRUN_FILE_ID"'
  assert_output 'next step sees [31] and 31'
}

@test "exports what it has, and fails as the CLI did, when a file failed" {
  export STUB_EXIT=1
  export STUB_MANIFEST='{"files":[{"path":"a.apk","id":5},{"path":"b.apk","error":"confirm failed: HTTP 409"}]}'
  run bash "$STEP"
  assert_failure 1
  [ "$(envman_value EMPIRICALRUN_FILE_IDS)" = '[5]' ]
  [ "$(envman_value EMPIRICALRUN_FAILED_FILES)" = '["b.apk"]' ]
}

@test "exports nothing when the run stops before any file is listed" {
  export version='not a version'
  run bash "$STEP"
  assert_failure 2
  assert_output --partial "error: EMPIRICALRUN_VERSION: 'not a version' is not a version"
  [ ! -s "$ENVMAN_STORE" ]
}
