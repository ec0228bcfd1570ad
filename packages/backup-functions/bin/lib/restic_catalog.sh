# shellcheck shell=bash
# HKS_FORMAT=restic catalog modes. 'catalog' lists every restic repository under HKS_DEST_DIR (a
# volume's root) with its snapshots, so HKS can rebuild its list of restore points from the
# repositories themselves after its database lost rows. 'forget-backup' removes the snapshots of one
# Backup (tag hks-backup:HKS_BACKUP_ID, never another's) and prunes their data.

# How deep under the volume's root repositories are looked for (a Backup's folder is a few levels at most).
CATALOG_DEPTH="${HKS_CATALOG_DEPTH:-6}"

# A snapshot with every HKS tag read out: the Backup, run, application and name it was written for.
# shellcheck disable=SC2016
JQ_CATALOG_SNAP='def tagval($p): ((.tags // []) | map(select(startswith($p)) | ltrimstr($p)) | first) // null;
  def snap: {id, shortId: .short_id, time, paths: (.paths // []), tags: (.tags // []),
    kind: tagval("hks-kind:"), backupId: tagval("hks-backup:"), runId: tagval("hks-run:"),
    applicationId: tagval("hks-app:"), backupName: tagval("hks-name:")};'

# catalog_repo DIR OUT -> one repository's entry ({path, snapshots, error}) as a JSON line in OUT
catalog_repo() {
  local dir="$1" out="$2" rel all="$HKS_TMP/catalog-snaps.json" doc="$HKS_TMP/catalog-doc.json" id err=""
  rel="${dir#"$HKS_DEST_DIR"}"
  rel="${rel#/}"
  export RESTIC_REPOSITORY="$dir"
  if ! rx snapshots --json >"$all"; then
    if key_problem "$RX_ERR"; then
      err="the workspace's backup key does not open this repository"
    else
      err="$(tail_text "$RX_ERR" 300)"
    fi
    jq -cn --arg p "$rel" --arg e "${err:-restic could not list it}" '{path: $p, snapshots: [], error: $e}' >>"$out"
    return 0
  fi
  jq -c "${JQ_CATALOG_SNAP} [.[] | snap] | sort_by(.time) | reverse" "$all" >"$doc"
  # restic 0.14 keeps no summary in a snapshot: its files and bytes are counted from its tree (one listing, files
  # only, as a backup run counts them), and only for snapshots HKS does not know yet
  : >"$doc.sizes"
  while read -r id; do
    [[ ",${HKS_KNOWN_SNAPSHOTS:-}," == *",${id:0:8},"* ]] && continue
    if rx ls --json "$id" >"$HKS_TMP/ls.json"; then
      jq -sc --arg id "$id" '[.[] | select(.struct_type == "node" and .type == "file")]
        | {($id): {totalBytes: (map(.size // 0) | add // 0), totalFiles: length}}' "$HKS_TMP/ls.json" >>"$doc.sizes"
    fi
  done < <(jq -r '.[].id' "$doc")
  jq -c --arg p "$rel" --slurpfile s "$doc.sizes" '($s | add // {}) as $m | {path: $p, snapshots: map(. + ($m[.id] // {})), error: null}' \
    "$doc" >>"$out"
}

restic_catalog() {
  command -v restic >/dev/null 2>&1 || hks_fail "restic is not installed in the backup image; use an image built from packages/backup-functions/Dockerfile."
  check_uint HKS_CATALOG_DEPTH "$CATALOG_DEPTH"
  [[ -d "$HKS_DEST_DIR" ]] || hks_fail_missing "The volume is not mounted at ${HKS_DEST_DIR}; nothing was read."
  restic_key
  RX_ERR="$HKS_TMP/restic.err"
  export RESTIC_CACHE_DIR="${RESTIC_CACHE_DIR:-${TMPDIR:-/tmp}/hks-restic-cache}"
  R_SPACE_DIR="$HKS_DEST_DIR"
  local entries="$HKS_TMP/catalog.jsonl" dir repos=0 failed=0
  : >"$entries"
  # a repository is a folder holding restic's config next to its keys and snapshots folders
  while IFS= read -r dir; do
    [[ -d "$dir/keys" && -d "$dir/snapshots" ]] || continue
    repos=$((repos + 1))
    log "catalog: reading ${dir}"
    catalog_repo "$dir" "$entries"
  done < <(find "$HKS_DEST_DIR" -maxdepth "$((10#$CATALOG_DEPTH + 1))" -type f -name config -printf '%h\n' 2>/dev/null | sort)
  local doc="$HKS_TMP/catalog.json"
  jq -sc '{repositories: .}' "$entries" >"$doc"
  to_output <"$doc"
  R_FILES="$(jq '[.repositories[].snapshots | length] | add // 0' "$doc")"
  failed="$(jq '[.repositories[] | select(.error != null)] | length' "$doc")"
  extra_from_jq "$doc" '{repositories: (.repositories | length), snapshotCount: ([.repositories[].snapshots | length] | add // 0),
    unreadable: [.repositories[] | select(.error != null) | {path, error}][0:5]}'
  local msg="Found ${R_FILES} snapshot(s) in ${repos} restic repositor$( ((repos == 1)) && echo y || echo ies) under ${HKS_DEST_DIR}"
  ((failed > 0)) && msg+="; ${failed} could not be read (see unreadable)"
  hks_finish SUCCEEDED "" 0 "${msg}."
}

restic_forget_backup() {
  [[ -n "${HKS_BACKUP_ID:-}" ]] || hks_fail "HKS_BACKUP_ID is required in forget-backup mode: the Backup whose snapshots go."
  restic_open existing
  local list="$HKS_TMP/forget-list.json"
  rx snapshots --json --tag "hks-backup:${HKS_BACKUP_ID}" >"$list" || rx_fail "listing the snapshots of backup ${HKS_BACKUP_ID}"
  mapfile -t R_PRUNED < <(jq -r '.[].id' "$list")
  if ((${#R_PRUNED[@]} == 0)); then
    hks_finish SUCCEEDED "" 0 "The $(repo_where) holds no snapshot of backup ${HKS_BACKUP_ID}; nothing was removed."
  fi
  # by id, not by tag alone: forget without a policy removes nothing, and ids cannot match another Backup
  rx forget "${R_PRUNED[@]}" >"$HKS_TMP/forget.out" || rx_fail "forgetting the snapshots of backup ${HKS_BACKUP_ID}"
  rx prune >"$HKS_TMP/prune.out" || rx_fail "pruning the data of backup ${HKS_BACKUP_ID}"
  R_FILES="${#R_PRUNED[@]}"
  hks_finish SUCCEEDED "" 0 "Removed the ${#R_PRUNED[@]} snapshot(s) of backup ${HKS_BACKUP_ID} from the $(repo_where) and pruned their data; other backups' snapshots were kept."
}
