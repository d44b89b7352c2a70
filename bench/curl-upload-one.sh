# The seed's upload of one file, sourced by curl-loop.sh and curl-parallel.sh: the three curl
# calls of the Files API docs, one after another (create → PUT to the presigned URL → confirm).
#
# usage: upload_one SIZE_BYTES PATH, with base, key, project and mime set (PATH is also the name;
# no space, '"' or '\' in it). The JSON answer of create is read with bash regexes, so the only
# processes are the three curls (and the subshell of $(…)), as in the seed's own example.
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
