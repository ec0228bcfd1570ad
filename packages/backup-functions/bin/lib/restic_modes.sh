# shellcheck shell=bash
# HKS_FORMAT=restic modes: backup, verify, prune, snapshots, stats, ls, dump (restore is in
# restic_restore.sh, copy and serve in restic_copy.sh). Each ends in hks_finish with one result
# line; lists also go whole, as one JSON document, to HKS_OUTPUT_FILE (default stdout).

restic_main() {
  R_FORMAT=restic
  id_arg HKS_BACKUP_ID "${HKS_BACKUP_ID:-}"
  id_arg HKS_RUN_ID "${HKS_RUN_ID:-}"
  case "$R_MODE" in
    backup) restic_backup ;;
    restore) copy_snapshot_id; restic_restore ;;
    verify) restic_verify ;;
    prune) restic_prune ;;
    snapshots) restic_snapshots ;;
    stats) restic_stats ;;
    ls) restic_ls ;;
    dump) restic_dump ;;
    copy) restic_copy ;;
    catalog) restic_catalog ;;
    forget-backup) restic_forget_backup ;;
    serve) restic_serve ;;
    *) hks_fail "HKS_MODE must be backup, restore, verify, prune, snapshots, stats, ls, dump, copy, serve, catalog or forget-backup with HKS_FORMAT=restic, got '${R_MODE}'." ;;
  esac
}

# json_field LINE KEY -> REPLY: a number or a plain string member of a flat JSON object (restic's summary line),
# read in bash: every jq start costs up to a second on a busy node
json_field() {
  REPLY=""
  if [[ "$1" =~ \"$2\":(-?[0-9]+(\.[0-9]+)?) ]]; then REPLY="${BASH_REMATCH[1]}"
  elif [[ "$1" =~ \"$2\":\"([^\"\\]*)\" ]]; then REPLY="${BASH_REMATCH[1]}"; fi
}

# backup_summary OUT -> reads restic backup's JSON summary into the result (R_SUMMARY: the line itself)
backup_summary() {
  local out="$1" l line=""
  while IFS= read -r l; do [[ "$l" == *'"message_type":"summary"'* ]] && line="$l"; done <"$out"
  [[ -n "$line" ]] || return 1
  R_SUMMARY="$line"
  local short f full=""
  json_field "$line" snapshot_id && short="$REPLY"
  json_field "$line" total_files_processed && R_FILES="${REPLY:-0}"
  if [[ "$R_FUNCTION" == files ]]; then json_field "$line" total_bytes_processed && R_SOURCE_BYTES="${REPLY:-0}"; fi
  # the local repository names each snapshot file by its full id: no second restic run (and key
  # derivation) just to learn it
  [[ "$short" =~ ^[0-9a-f]+$ ]] || return 1
  for f in "$HKS_DEST_DIR/snapshots/${short}"*; do [[ -f "$f" ]] && { full="${f##*/}"; break; }; done
  R_SNAPSHOT="${full:-$short}"
  return 0
}

# backup_dir DIR OUT -> restic backup of a folder's contents (stored at the snapshot's root)
backup_dir() {
  local dir="$1" out="$2" rc=0
  RX_DRY_RUN_DIR="$dir"
  (cd -- "$dir" && rx backup --json --host "$RX_HOST" "${TAG_ARGS[@]}" "${TIME_ARGS[@]}" .) >"$out" || rc=$?
  if ((rc == 3)); then
    BACKUP_STATUS=3
    BACKUP_NOTE="some files could not be read: $(tail_text "$RX_ERR" 600)"
  elif ((rc != 0)); then
    rx_fail "restic backup of ${dir}"
  fi
  backup_summary "$out" || rx_fail "restic backup of ${dir}"
}

# backup_stream WHAT FILENAME OUT CMD... -> CMD's stdout streamed into the repository (restic --stdin),
# never a temporary file; a failed CMD removes the snapshot restic made of its partial output
backup_stream() {
  local what="$1" name="$2" out="$3" err="$HKS_TMP/stream.err"
  shift 3
  local -a st
  set +e
  "$@" 2>"$err" | rx backup --json --host "$RX_HOST" --stdin --stdin-filename "$name" "${TAG_ARGS[@]}" "${TIME_ARGS[@]}" >"$out"
  st=("${PIPESTATUS[@]}")
  set -e
  [[ -s "$err" ]] && cat -- "$err" >&2
  log "${what}: exit ${st[0]}, restic exit ${st[1]}"
  # a rejected key stops restic first; the dump then only sees a closed pipe
  ((st[1] != 0)) && key_problem "$RX_ERR" && fail_key_rejected
  if ((st[0] != 0)); then
    if backup_summary "$out" 2>/dev/null; then
      log "removing snapshot ${R_SNAPSHOT} of the incomplete output"
      rx forget "$R_SNAPSHOT" >/dev/null || true
    fi
    R_SNAPSHOT=""
    is_enospc "$err" && hks_fail_quota "${what} ran out of space: $(tail_text "$err" 600)"
    hks_fail "${what} failed (exit ${st[0]}): $(tail_text "$err" 800). No snapshot was kept."
  fi
  ((st[1] == 0)) || rx_fail "restic backup of the ${what} output"
  backup_summary "$out" || rx_fail "restic backup of the ${what} output"
  R_FILES=1
}

# backup_custom OUT -> the custom script's output folder (or its stdout) into the repository
backup_custom() {
  local out="$1" script="$HKS_TMP/custom-script.sh" err="$HKS_TMP/custom.err" rc=0
  [[ -n "${HKS_CUSTOM_SCRIPT:-}" ]] || hks_fail "HKS_CUSTOM_SCRIPT is empty: the custom function needs a bash script."
  printf '%s\n' "$HKS_CUSTOM_SCRIPT" >"$script"
  # a fixed folder, so restic finds the previous run's snapshot as parent
  local work="${TMPDIR:-/tmp}/hks-custom-output"
  rm -rf -- "$work" && mkdir -p -- "$work"
  if [[ "${HKS_CUSTOM_OUTPUT:-folder}" == stdout ]]; then
    backup_stream "custom script" "${HKS_STDIN_FILENAME:-custom-output}" "$out" \
      bash -c 'cd -- "$1" && HKS_OUTPUT_DIR="$1" exec bash -- "$2" </dev/null' custom "$work" "$script"
    return 0
  fi
  [[ "${HKS_CUSTOM_OUTPUT:-folder}" == folder ]] || hks_fail "HKS_CUSTOM_OUTPUT must be folder or stdout, got '${HKS_CUSTOM_OUTPUT}'."
  (cd -- "$work" && HKS_OUTPUT_DIR="$work" exec bash -- "$script") 2> >(tee -a -- "$err" >&2) </dev/null || rc=$?
  wait "$!" 2>/dev/null || true
  ((rc == 0)) || hks_fail "The custom backup script failed (exit ${rc}): $(tail_text "$err" 1500). No snapshot was kept."
  backup_dir "$work" "$out"
  rm -rf -- "$work"
}

restic_backup() {
  case "$R_FUNCTION" in
    files) require_source_dir ;;
    custom) [[ -z "${HKS_SOURCE_DIR:-}" ]] || require_source_dir ;;
    pg_dump | mysqldump) ;;
    "") hks_fail "HKS_FUNCTION is required: files, pg_dump, mysqldump or custom." ;;
    *) hks_fail "With HKS_FORMAT=restic, HKS_FUNCTION must be files, pg_dump, mysqldump or custom, got '${R_FUNCTION}' (tar and rsync are the plain formats: HKS_FORMAT=plain)." ;;
  esac
  restic_open create
  backup_tags "$KIND_BACKUP"
  time_args
  local out="$HKS_TMP/backup.json" before after
  before="$(du_bytes "$HKS_DEST_DIR")"
  BACKUP_STATUS=0
  BACKUP_NOTE=""
  log "backup: function ${R_FUNCTION} into the $(repo_where)"
  case "$R_FUNCTION" in
    files) backup_dir "$HKS_SOURCE_DIR" "$out" ;;
    pg_dump)
      pg_probe
      backup_stream pg_dump "${HKS_DB_NAME}.pgdump" "$out" \
        pg_dump "${PG_CONN[@]}" --dbname="$HKS_DB_NAME" --format=custom --compress=0
      ;;
    mysqldump)
      my_probe
      backup_stream "$MY_DUMP" "${HKS_DB_NAME}.sql" "$out" \
        "$MY_DUMP" "${MY_CONN[@]}" --single-transaction --quick --routines --triggers --hex-blob \
        --default-character-set=utf8mb4 -- "$HKS_DB_NAME"
      ;;
    custom) backup_custom "$out" ;;
  esac
  RX_DRY_RUN_DIR=""
  after="$(du_bytes "$HKS_DEST_DIR")"
  R_BYTES=$((after > before ? after - before : 0))
  # the members in bash (no jq, no date unless HKS_NOW is given)
  local -a tags=()
  local i at
  for ((i = 1; i < ${#TAG_ARGS[@]}; i += 2)); do tags+=("$(json_str "${TAG_ARGS[i]}")"); done
  if [[ -n "${HKS_NOW:-}" ]]; then at="$(date -u -d "$HKS_NOW" +%Y-%m-%dT%H:%M:%SZ)"; else at="$(TZ=UTC0 printf '%(%Y-%m-%dT%H:%M:%SZ)T' -1)"; fi
  local IFS=,
  R_EXTRA+="${R_EXTRA:+,}\"time\":\"${at}\",\"tags\":[${tags[*]}],\"backupId\":$(json_str_or_null "${HKS_BACKUP_ID:-}"),\"runId\":$(json_str_or_null "${HKS_RUN_ID:-}")"
  unset IFS

  if is_true "${HKS_VERIFY:-false}"; then
    if rx check >"$HKS_TMP/check.out"; then R_VERIFIED=true; else R_VERIFIED=false; fi
  fi

  local forget="$HKS_TMP/forget.json"
  if [[ "$BACKUP_STATUS" == 0 || "$BACKUP_STATUS" == 3 ]] && restic_forget apply "$forget"; then
    mapfile -t R_PRUNED < <(jq -r '.[].remove // [] | .[].id' "$forget")
  fi
  # repoBytes is what the repository holds once retention pruned: the stored side of the Backup's deduplication ratio
  ((${#R_PRUNED[@]} > 0)) && after="$(du_bytes "$HKS_DEST_DIR")"
  local k v figures=""
  for k in files_new:filesNew files_changed:filesChanged files_unmodified:filesUnmodified total_bytes_processed:bytesRead data_added:dataAdded; do
    json_field "$R_SUMMARY" "${k%%:*}"
    v="${REPLY:-0}"
    figures+="\"${k##*:}\":$(json_int "${v%%.*}"),"
  done
  R_EXTRA+="${R_EXTRA:+,}${figures}\"repoBytes\":$(json_int "$after")"

  local summary
  summary="Snapshot ${R_SNAPSHOT:0:8} written to the $(repo_where): ${R_FILES} files, $(human_bytes "$R_SOURCE_BYTES") read, $(human_bytes "$R_BYTES") added after deduplication and compression"
  [[ "$R_VERIFIED" == true ]] && summary+=", repository checked"
  if ((${#R_PRUNED[@]} > 0)); then summary+="; retention removed ${#R_PRUNED[@]} old snapshot(s)"; fi
  if [[ "$R_VERIFIED" == false ]]; then
    fail_corrupt "the check after snapshot ${R_SNAPSHOT:0:8} found errors ($(tail_text "$HKS_TMP/check.out" 400) $(tail_text "$RX_ERR" 400))"
  fi
  if [[ "$BACKUP_STATUS" == 3 ]]; then
    hks_finish PARTIALLY_SUCCEEDED "" 3 "${summary}, but it is incomplete: ${BACKUP_NOTE}"
  fi
  hks_finish SUCCEEDED "" 0 "${summary}."
}

restic_verify() {
  restic_open existing
  local -a args=(check)
  local subset="${HKS_READ_DATA_SUBSET:-}"
  if [[ -n "$subset" ]]; then
    [[ "$subset" =~ ^([0-9]+(\.[0-9]+)?%|[0-9]+/[0-9]+|[0-9]+[KMGT]?)$ ]] ||
      hks_fail "HKS_READ_DATA_SUBSET must be a percentage (5%), a part (1/7) or a size (500M), got '${subset}'."
    args+=(--read-data-subset "$subset")
  fi
  local out="$HKS_TMP/check.out"
  log "verify: restic ${args[*]}"
  if rx "${args[@]}" >"$out"; then
    R_VERIFIED=true
    hks_finish SUCCEEDED "" 0 "The $(repo_where) is intact (restic check${subset:+, ${subset} of the data read back})."
  fi
  key_problem "$RX_ERR" && fail_key_rejected
  if grep -qE 'unable to create lock|repository is already locked' -- "$RX_ERR"; then
    hks_fail "The $(repo_where) is locked by another run (a backup or prune in progress); run the check again later."
  fi
  R_VERIFIED=false
  local found
  found="$(grep -hiE 'error|fatal|invalid|damaged|mismatch|not found' -- "$out" "$RX_ERR" | tr '\n' ' ' | cut -c1-600 || true)"
  fail_corrupt "restic check found errors: ${found:-see the pod logs}"
}

restic_prune() {
  restic_open existing
  local out="$HKS_TMP/forget.json" how=apply doc
  is_true "${HKS_DRY_RUN:-false}" && how=dry
  R_EXTRA="\"dryRun\":$([[ "$how" == dry ]] && echo true || echo false)"
  if ! restic_forget "$how" "$out"; then
    printf '{"keep":null,"remove":[]}\n' | to_output
    hks_finish SUCCEEDED "" 0 "No retention rule is set (HKS_KEEP_*): every snapshot is kept."
  fi
  doc="$HKS_TMP/prune-doc.json"
  jq -c "${JQ_SNAP} {keep: [.[].keep // [] | .[] | snap], remove: [.[].remove // [] | .[] | snap]}" "$out" >"$doc"
  to_output <"$doc"
  mapfile -t R_PRUNED < <(jq -r '.remove[].id' "$doc")
  extra_from_jq "$doc" "${JQ_FIT} {keepCount: (.keep | length), removeCount: (.remove | length), keep: ([.keep[].id] | fit(1200))}"
  if [[ "$how" == dry ]]; then
    hks_finish SUCCEEDED "" 0 "Retention would remove ${#R_PRUNED[@]} snapshot(s) and keep $(jq '.keep | length' "$doc") (dry run: nothing was changed)."
  fi
  hks_finish SUCCEEDED "" 0 "Retention removed ${#R_PRUNED[@]} snapshot(s) and pruned their data; $(jq '.keep | length' "$doc") kept."
}

restic_snapshots() {
  restic_open existing
  local all="$HKS_TMP/snapshots.json" doc="$HKS_TMP/snapshots-doc.json" id size
  rx snapshots --json >"$all" || rx_fail "listing the snapshots"
  jq -c "${JQ_SNAP} [.[] | snap] | sort_by(.time) | reverse" "$all" >"$doc"
  if [[ "${HKS_SNAPSHOT_SIZES:-true}" != false ]]; then
    # restic 0.14 keeps no summary in a snapshot: its restore size is counted from its tree
    : >"$doc.sizes"
    while read -r id; do
      rx stats --json --mode restore-size "$id" >"$HKS_TMP/size.json" || rx_fail "sizing snapshot ${id:0:8}"
      size="$(jq -c --arg id "$id" '{($id): {totalBytes: .total_size, totalFiles: .total_file_count}}' "$HKS_TMP/size.json")"
      printf '%s\n' "$size" >>"$doc.sizes"
    done < <(jq -r '.[].id' "$doc")
    jq -c --slurpfile s "$doc.sizes" '($s | add // {}) as $m | map(. + ($m[.id] // {}))' "$doc" >"$doc.tmp" && mv -- "$doc.tmp" "$doc"
  fi
  jq -c '{snapshots: .}' "$doc" | to_output
  R_FILES="$(jq length "$doc")"
  extra_from_jq "$doc" "${JQ_FIT} {count: length, snapshots: (map({id: .id[0:8], time, kind, backupId, runId, totalBytes}) | fit(2000))}"
  hks_finish SUCCEEDED "" 0 "The $(repo_where) holds ${R_FILES} snapshot(s)."
}

restic_stats() {
  restic_open existing
  local stored logical="$HKS_TMP/logical.json" n
  stored="$(du_bytes "$HKS_DEST_DIR/data" "$HKS_DEST_DIR/index" "$HKS_DEST_DIR/snapshots" "$HKS_DEST_DIR/keys" "$HKS_DEST_DIR/config")"
  n="$(rx snapshots --json --tag "$KIND_BACKUP" | jq length)" || rx_fail "listing the snapshots"
  if ((n > 0)); then
    rx stats --json --mode restore-size --tag "$KIND_BACKUP" >"$logical" || rx_fail "counting the snapshots' size"
  else
    printf '{"total_size":0,"total_file_count":0}\n' >"$logical"
  fi
  R_BYTES="$stored"
  R_SOURCE_BYTES="$(jq .total_size "$logical")"
  extra_from_jq "$logical" '{storedBytes: $stored, logicalBytes: .total_size, snapshotCount: $n,
    dedupRatio: (if $stored > 0 then ((.total_size / $stored) * 100 | round) / 100 else null end)}' \
    --argjson stored "$stored" --argjson n "$n"
  hks_finish SUCCEEDED "" 0 "The $(repo_where) stores $(human_bytes "$stored") for ${n} snapshot(s) holding $(human_bytes "$R_SOURCE_BYTES") (deduplication ratio $(jq .dedupRatio <<<"{${R_EXTRA}}"))."
}

# snapshot_path NAME VALUE -> an absolute path inside a snapshot, without '..'
snapshot_path() {
  local v="$2"
  [[ "$v" == /* && "$v" != *'/../'* && "$v" != */.. && "$v" != *$'\n'* ]] ||
    hks_fail "$1 must be an absolute path inside the snapshot (e.g. /data/report.csv), got '${v}'; nothing was changed."
}

restic_ls() {
  restic_open existing
  local dir="${HKS_PATH:-/}" search="${HKS_SEARCH:-}" offset="${HKS_OFFSET:-0}" limit="${HKS_LIMIT:-100}"
  snapshot_path HKS_PATH "$dir"
  check_uint HKS_OFFSET "$offset"
  check_uint HKS_LIMIT "$limit"
  [[ "$dir" == / ]] || dir="${dir%/}"
  local nodes="$HKS_TMP/ls.json" page="$HKS_TMP/ls-page.json"
  local -a where=()
  [[ "$dir" == / ]] || where=("$dir")
  snap_ls "${HKS_SNAPSHOT:-}" "$nodes" "${where[@]}"
  if [[ "$dir" != / ]] && ! jq -s -e --arg d "$dir" 'any(.[]; .path == $d and .type == "dir")' "$nodes" >/dev/null; then
    hks_fail_missing "Snapshot ${R_SNAPSHOT:0:8} holds no folder ${dir}; list its root and pick a path it holds."
  fi
  jq -sc --arg d "$dir" --arg q "${search,,}" --argjson off "$((10#$offset))" --argjson lim "$((10#$limit))" '
    ($d | if . == "/" then "/" else . + "/" end) as $pre
    | [.[] | select(.path | startswith($pre))
       | select(if $q == "" then (.path | ltrimstr($pre) | contains("/") | not) else (.name | ascii_downcase | contains($q)) end)
       | {path, name, type, size: (.size // 0), mtime}]
    | sort_by(.path) | {path: $d, search: (if $q == "" then null else $q end), total: length, offset: $off, limit: $lim, items: .[$off:$off + $lim]}' \
    "$nodes" >"$page"
  to_output <"$page"
  R_FILES="$(jq '.items | length' "$page")"
  extra_from_jq "$page" "${JQ_FIT} {path, total, offset, limit, count: (.items | length), items: (.items | map({path, type, size}) | fit(2200))}"
  hks_finish SUCCEEDED "" 0 "Listed ${R_FILES} of $(jq .total "$page") entries of ${dir} in snapshot ${R_SNAPSHOT:0:8}."
}

restic_dump() {
  restic_open existing
  local p="${HKS_PATH:-}"
  [[ -n "$p" ]] || hks_fail "HKS_PATH is required in dump mode (the file to write out, e.g. /data/report.csv)."
  snapshot_path HKS_PATH "$p"
  snap_json "${HKS_SNAPSHOT:-}" "$HKS_TMP/snap.json"
  local rc=0
  if [[ -n "${HKS_OUTPUT_FILE:-}" ]]; then rx dump "$R_SNAPSHOT" "$p" >"$HKS_OUTPUT_FILE" || rc=$?; else rx dump "$R_SNAPSHOT" "$p" || rc=$?; fi
  if ((rc != 0)); then
    grep -q 'not found in snapshot' -- "$RX_ERR" &&
      hks_fail_missing "Snapshot ${R_SNAPSHOT:0:8} holds no ${p}; browse the snapshot (ls mode) and pick a path it holds."
    rx_fail "writing out ${p}"
  fi
  R_FILES=1
  [[ -n "${HKS_OUTPUT_FILE:-}" && -f "$HKS_OUTPUT_FILE" ]] && R_BYTES="$(stat -c %s -- "$HKS_OUTPUT_FILE")"
  hks_finish SUCCEEDED "" 0 "Wrote ${p} of snapshot ${R_SNAPSHOT:0:8}${HKS_OUTPUT_FILE:+ to ${HKS_OUTPUT_FILE}}."
}

# restic_copy and restic_serve (the off-node copy) are in restic_copy.sh.
