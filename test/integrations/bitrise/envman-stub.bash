# The Bitrise side of the step's tests: a stub envman on PATH that records each
# `envman add --key K --value V [--no-expand] [--sensitive]` as a line `K<TAB>flags<TAB>V` in
# $ENVMAN_STORE, and a function that runs a command as the next step would (each recorded value
# in its environment), as `envman run` does. Loaded by the .bats files of this folder.

install_envman_stub() {
  local bin="$1"
  mkdir -p "$bin"
  cat >"$bin/envman" <<'STUB'
#!/usr/bin/env bash
set -eu
[ "${1:-}" = add ] || { echo "envman stub: only 'add' is known, not '$*'" >&2; exit 2; }
shift
key='' value='' flags=''
while [ $# -gt 0 ]; do
  case $1 in
    --key) key=$2; shift 2 ;;
    --value) value=$2; shift 2 ;;
    --no-expand | --sensitive) flags="$flags${flags:+ }${1#--}"; shift ;;
    *) echo "envman stub: unknown flag $1" >&2; exit 2 ;;
  esac
done
[ -n "$key" ] || { echo 'envman stub: no --key' >&2; exit 2; }
printf '%s\t%s\t%s\n' "$key" "$flags" "$value" >>"$ENVMAN_STORE"
STUB
  chmod +x "$bin/envman"
  export PATH="$bin:$PATH"
  export ENVMAN_STORE="$BATS_TEST_TMPDIR/envstore.tsv"
  : >"$ENVMAN_STORE"
}

# The value the step exported under a key, and the flags it was added with.
envman_value() { awk -F '\t' -v key="$1" '$1 == key { value = $3 } END { print value }' "$ENVMAN_STORE"; }
envman_flags() { awk -F '\t' -v key="$1" '$1 == key { flags = $2 } END { print flags }' "$ENVMAN_STORE"; }

# Runs `bash -c "$1"` with every exported value in its environment, as the next step.
next_step() {
  (
    while IFS=$'\t' read -r key _flags value; do export "$key=$value"; done <"$ENVMAN_STORE"
    bash -c "$1"
  )
}
