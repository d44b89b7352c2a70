#!/usr/bin/env bash
# The Bitrise step: its inputs (step.yml) become the core's EMPIRICALRUN_* variables, upload.sh (a
# copy of integrations/shared/upload.sh) uploads, and each result becomes an output through envman.
# The key stays in the environment: never on a command line, never printed.
{ set +x; } 2>/dev/null
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Kept after the step, for the steps that read EMPIRICALRUN_MANIFEST; outside the deploy directory,
# since the manifest holds download URLs and a later deploy step would publish it.
results_dir="$(mktemp -d "${TMPDIR:-/tmp}/empiricalrun-upload.XXXXXX")"

export EMPIRICALRUN_KEY="${api_key:-}"
export EMPIRICALRUN_API="${api:-}"
export EMPIRICALRUN_PROJECT_ID="${project_id:-}"
export EMPIRICALRUN_FILES="${files:-}"
export EMPIRICALRUN_BASE_URL="${base_url:-}"
export EMPIRICALRUN_VERSION="${version:-}"
export EMPIRICALRUN_NAME_PREFIX="${name_prefix:-}"
export EMPIRICALRUN_DESCRIPTION="${description:-}"
export EMPIRICALRUN_SKIP_EXISTING="${skip_existing:-}"
export EMPIRICALRUN_DOWNLOAD_URL="${download_url:-}"
export EMPIRICALRUN_VERIFY="${verify:-}"
export EMPIRICALRUN_DRY_RUN="${dry_run:-}"
export EMPIRICALRUN_INCLUDE_HIDDEN_FILES="${include_hidden_files:-}"
export EMPIRICALRUN_IF_NO_FILES_FOUND="${if_no_files_found:-}"
export EMPIRICALRUN_CONCURRENCY="${concurrency:-}"
export EMPIRICALRUN_RETRIES="${retries:-}"
export EMPIRICALRUN_REQUEST_TIMEOUT="${request_timeout:-}"
export EMPIRICALRUN_VERBOSE="${verbose:-}"
export EMPIRICALRUN_WORKING_DIRECTORY="${working_dir:-}"
export EMPIRICALRUN_MANIFEST="${results_dir}/empiricalrun-manifest.json"
export EMPIRICALRUN_CHECKSUMS="${results_dir}/empiricalrun-checksums.txt"
export EMPIRICALRUN_OUTPUT="${results_dir}/empiricalrun.env"
export EMPIRICALRUN_NODE_HINT="Add 'tools: nodejs: 22:latest' to the Workflow, or use a stack with Node.js 22."
unset EMPIRICALRUN_KEY_VAR

status=0
sh "$here/upload.sh" || status=$?

# The results: KEY=value lines, one per output of step.yml; none when the run stopped before a manifest.
touch "$EMPIRICALRUN_OUTPUT"
while IFS= read -r line || [ -n "$line" ]; do
  key="${line%%=*}"
  value="${line#*=}"
  case "$key" in
    EMPIRICALRUN_FILE_URL)
      # A download URL is a secret for an hour: later steps get it, their logs show it redacted.
      envman add --key "$key" --value "$value" --no-expand --sensitive </dev/null
      ;;
    *) envman add --key "$key" --value "$value" --no-expand </dev/null ;;
  esac
done <"$EMPIRICALRUN_OUTPUT"

exit "$status"
