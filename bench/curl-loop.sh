#!/usr/bin/env bash
# The seed's upload, file after file: for each file the three curl calls of the Files API docs,
# one after another (create → PUT to the presigned URL → confirm), in curl-upload-one.sh.
# Baseline of bench case 1.
#
# usage: curl-loop.sh BASE_URL API_KEY PROJECT_ID MIME_TYPE < list
#   list: one line per file, "SIZE_BYTES PATH" (PATH is also the name; no '"' or '\' in it).
#
# upload_one is a function of this shell, so the only processes per file are the three curls (and
# the subshell of $(…)), as in the seed's own example.
set -euo pipefail

base=$1 key=$2 project=$3 mime=$4
# shellcheck source=curl-upload-one.sh
source "$(dirname "${BASH_SOURCE[0]}")/curl-upload-one.sh"

while read -r size file || [[ -n ${size:-} ]]; do
  upload_one "$size" "$file"
done
