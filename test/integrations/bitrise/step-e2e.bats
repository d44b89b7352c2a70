#!/usr/bin/env bats
# The Bitrise step end to end: step.sh as Bitrise runs it, the real CLI fetched by npx from the
# local registry, uploading to the Resources API of the interop host (storage @20minutes/s3rver,
# URLs signed by the AWS SDK), where the key picks the project; envman stubbed.
# test/integrations/bitrise.spec.ts runs it with E2E_* set (the registry, the API's URL, its key)
# and then checks what the host stored.

bats_load_library bats-support
bats_load_library bats-assert
load envman-stub

STEP="$BATS_TEST_DIRNAME/../../../integrations/bitrise/step.sh"

setup() {
  [ -n "${E2E_API:-}" ] || skip 'run by test/integrations/bitrise.spec.ts, which sets E2E_*'
  install_envman_stub "$BATS_TEST_TMPDIR/bin"
  export TMPDIR="$BATS_TEST_TMPDIR"
  export BITRISE_SOURCE_DIR="$BATS_TEST_TMPDIR/src" BITRISE_DEPLOY_DIR="$BATS_TEST_TMPDIR/deploy"
  mkdir -p "$BITRISE_SOURCE_DIR" "$BITRISE_DEPLOY_DIR"
  # What Bitrise gives the step: the Secret, and the inputs as the Workflow sets them.
  export EMPIRICALRUN_KEY="$E2E_KEY"
  export api_key="$E2E_KEY" api=resources project_id='' files="$BITRISE_DEPLOY_DIR"
  export base_url="$E2E_API" version="$E2E_VERSION" working_dir="$BITRISE_SOURCE_DIR"
  export download_url=true skip_existing=true if_no_files_found=error
  export npm_config_registry="$E2E_REGISTRY" npm_config_cache="$E2E_NPM_CACHE"
}

@test "uploads the deploy directory's build and hands its ID and URL to the next step" {
  head -c 300000 /dev/urandom >"$BITRISE_DEPLOY_DIR/app-release.apk"
  sha256sum "$BITRISE_DEPLOY_DIR/app-release.apk" | cut -d' ' -f1 >"$E2E_OUT/expected-sha256"
  run bash "$STEP"
  printf '%s\n' "$output" >"$E2E_OUT/first-run.log"
  assert_success
  assert_output --partial "app-release.apk → 1 ("
  refute_output --partial "$E2E_KEY"
  [ "$(envman_flags EMPIRICALRUN_FILE_URL)" = 'no-expand sensitive' ]
  read_back="$BATS_TEST_DIRNAME/../support/sha256-of-url.ts"
  # shellcheck disable=SC2016 # expanded by the next step, from what envman exported
  run next_step 'echo "ids=$EMPIRICALRUN_FILE_IDS id=$EMPIRICALRUN_FILE_ID sha256=$EMPIRICALRUN_FILE_SHA256"; node "'"$read_back"'" "$EMPIRICALRUN_FILE_URL"'
  printf '%s\n' "$output" >"$E2E_OUT/next-step.log"
  assert_success
  assert_line --index 0 "ids=[1] id=1 sha256=$(cat "$E2E_OUT/expected-sha256")"
  assert_line --index 1 "$(cat "$E2E_OUT/expected-sha256")"
  cp "$ENVMAN_STORE" "$E2E_OUT/envstore.tsv"
}

@test "a second run with skip-existing uploads nothing and exports the same ID" {
  head -c 1000 /dev/zero >"$BITRISE_DEPLOY_DIR/same.bin"
  run bash "$STEP"
  assert_success
  first="$(envman_value EMPIRICALRUN_FILE_ID)"
  : >"$ENVMAN_STORE"
  run bash "$STEP"
  printf '%s\n' "$output" >"$E2E_OUT/second-run.log"
  assert_success
  assert_output --partial "same.bin → $first (already in the project)"
  refute_output --partial "$E2E_KEY"
  [ -n "$first" ] && [ "$(envman_value EMPIRICALRUN_FILE_ID)" = "$first" ]
}
