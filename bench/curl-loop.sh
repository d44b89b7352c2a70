#!/usr/bin/env bash
# The seed's upload, file after file: for each file the three curl calls of the Files API docs,
# one after another (create → PUT to the presigned URL → confirm). Baseline of bench case 1.
#
# usage: curl-loop.sh BASE_URL API_KEY PROJECT_ID MIME_TYPE < list
#   list: one line per file, "SIZE_BYTES PATH" (PATH is also the name; no '"' or '\' in it).
#
# The JSON answer of create is read with bash regexes, so the only processes per file are the
# three curls (and the subshell of $(…)), as in the seed's own example.
set -euo pipefail

base=$1 key=$2 project=$3 mime=$4
re_url='"upload_url":"([^"]+)"'
re_id='"id":([0-9]+)'

while read -r size file || [[ -n ${size:-} ]]; do
  answer=$(curl -sS -X POST "$base/api/files" \
    -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $key" \
    -d "{\"project_id\":$project,\"name\":\"$file\",\"mime_type\":\"$mime\",\"size_bytes\":$size}")
  if [[ ! $answer =~ $re_url ]]; then
    echo "create failed for $file: $answer" >&2
    exit 1
  fi
  url=${BASH_REMATCH[1]}
  [[ $answer =~ $re_id ]]
  id=${BASH_REMATCH[1]}
  curl -sS -f -o /dev/null -X PUT "$url" -H "Content-Type: $mime" --data-binary "@$file"
  curl -sS -f -o /dev/null -X PATCH "$base/api/files/$id" \
    -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $key" \
    -d '{"status":"uploaded"}'
done
