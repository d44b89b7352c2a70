#!/usr/bin/env bash
# The strongest thing a shell user writes instead of the action: the seed's three curl calls per
# file (create → PUT to the presigned URL → confirm), 8 files at a time with `xargs -P 8`.
# Baseline of bench case 1, beside the sequential curl-loop.sh.
#
# usage: curl-parallel.sh BASE_URL API_KEY PROJECT_ID MIME_TYPE < list
#   list: one line per file, "SIZE_BYTES PATH" (PATH is also the name; no space, '"' or '\' in it).
#
# Each file costs a bash (the one xargs starts) and its three curls; the JSON answer of create is
# read with bash regexes, as in curl-loop.sh. xargs exits non-zero when any file failed.
set -euo pipefail

export base=$1 key=$2 project=$3 mime=$4

upload_one() {
  local size=$1 file=$2 answer url id
  local re_url='"upload_url":"([^"]+)"' re_id='"id":([0-9]+)'
  answer=$(curl -sS -X POST "$base/api/files" \
    -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $key" \
    -d "{\"project_id\":$project,\"name\":\"$file\",\"mime_type\":\"$mime\",\"size_bytes\":$size}")
  if [[ ! $answer =~ $re_url ]]; then
    echo "create failed for $file: $answer" >&2
    return 1
  fi
  url=${BASH_REMATCH[1]}
  [[ $answer =~ $re_id ]]
  id=${BASH_REMATCH[1]}
  curl -sS -f -o /dev/null -X PUT "$url" -H "Content-Type: $mime" --data-binary "@$file"
  curl -sS -f -o /dev/null -X PATCH "$base/api/files/$id" \
    -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $key" \
    -d '{"status":"uploaded"}'
}
export -f upload_one

xargs -P 8 -n 2 bash -c 'set -euo pipefail; upload_one "$1" "$2"' _
