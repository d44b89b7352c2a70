#!/usr/bin/env bash
# The strongest thing a shell user writes instead of the action: the seed's three curl calls per
# file (create → PUT to the presigned URL → confirm, in curl-upload-one.sh), 8 files at a time
# with `xargs -P 8`. Baseline of bench case 1, beside the sequential curl-loop.sh.
#
# usage: curl-parallel.sh BASE_URL API_KEY PROJECT_ID MIME_TYPE < list
#   list: one line per file, "SIZE_BYTES PATH" (PATH is also the name; no space, '"' or '\' in it).
#
# Each file costs a bash (the one xargs starts) and its three curls. xargs exits non-zero when any
# file failed.
set -euo pipefail

export base=$1 key=$2 project=$3 mime=$4
# shellcheck source=curl-upload-one.sh
source "$(dirname "${BASH_SOURCE[0]}")/curl-upload-one.sh"
export -f upload_one

xargs -P 8 -n 2 bash -c 'set -euo pipefail; upload_one "$1" "$2"' _
