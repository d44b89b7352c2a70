#!/usr/bin/env bash
# Hands the upload's results (KEY=value lines that upload.sh wrote) to the job's later steps: each
# becomes an export in $BASH_ENV, which bash reads at the start of every step.
set -eu

results="${EMPIRICALRUN_OUTPUT:?}"
if [ ! -s "$results" ]; then
  echo "No results to export: the upload stopped before it listed any file."
  exit 0
fi
while IFS= read -r line || [ -n "$line" ]; do
  key="${line%%=*}"
  value="${line#*=}"
  # Single quotes keep the value as it is; a single quote inside becomes '\''.
  printf "export %s='%s'\n" "$key" "$(printf '%s' "$value" | sed "s/'/'\\\\''/g")" >>"$BASH_ENV"
  case "$key" in
    EMPIRICALRUN_FILE_URL) ;; # a download URL is a secret for an hour: not printed
    *) echo "$key=$value" ;;
  esac
done <"$results"
