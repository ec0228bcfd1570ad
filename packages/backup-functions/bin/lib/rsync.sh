# shellcheck shell=bash
# Function "rsync": one folder per snapshot, <time>/, hard-linked to the previous snapshot folder
# (--link-dest) so unchanged files take no space. rsync 23/24 (partial transfer / vanished
# files) is a partial success; ENOSPC (usually exit 11) is QUOTA_EXCEEDED.

RSYNC_OPTS=(-a -H --numeric-ids)

rsync_backup() {
  local stamp="$1" src="${HKS_SOURCE_DIR%/}" err="$HKS_TMP/rsync.err" prev need_bytes what
  [[ -n "$src" ]] || src=/
  R_SNAPSHOT="$stamp"
  local final="$HKS_DEST_DIR/$R_SNAPSHOT"
  [[ ! -e "$final" ]] || { local s="$R_SNAPSHOT"; R_SNAPSHOT=""; hks_fail "Snapshot ${s} already exists in ${HKS_DEST_DIR}; refusing to overwrite it (two runs in the same second?)."; }

  prev="$(newest_snapshot_dir "$HKS_DEST_DIR")"
  R_SOURCE_BYTES="$(du_bytes "$src")"
  need_bytes="$R_SOURCE_BYTES"
  what="the source ${src}"
  local -a link=()
  if [[ -n "$prev" ]]; then
    link=(--link-dest="$HKS_DEST_DIR/$prev")
    # Only files that differ from the previous snapshot take space: ask rsync (dry run).
    local changed
    changed="$(rsync "${RSYNC_OPTS[@]}" -n --stats --no-human-readable "${link[@]}" -- "$src/" "$HKS_TMP/dry-run/" 2>/dev/null |
      awk -F': ' '/^Total transferred file size:/ { gsub(/[^0-9]/, "", $2); print $2 }' || true)"
    if [[ "$changed" =~ ^[0-9]+$ ]]; then
      need_bytes="$changed"
      what="the files changed since ${prev}"
      log "rsync: incremental against ${prev}: $(human_bytes "$changed") changed"
    fi
  fi
  precheck_space "$HKS_DEST_DIR" "$need_bytes" "$what"

  HKS_PARTIAL="${final}.partial"
  log "rsync: copying ${src}/ into ${HKS_PARTIAL}/${prev:+ (unchanged files hard-linked to ${prev})}"
  local rc=0
  rsync "${RSYNC_OPTS[@]}" --stats --no-human-readable "${link[@]}" -- "$src/" "$HKS_PARTIAL/" 2>>"$err" || rc=$?
  [[ -s "$err" ]] && cat -- "$err" >&2
  log "rsync: exit ${rc}"
  if is_enospc "$err" || ((rc == 11 && ! -s "$err")); then
    fail_enospc "snapshot ${R_SNAPSHOT}"
  fi
  case "$rc" in
    0) ;;
    23 | 24)
      [[ -d "$HKS_PARTIAL" ]] || hks_fail "rsync exited ${rc} without creating ${HKS_PARTIAL}: $(tail_text "$err" 800)"
      BACKUP_STATUS=3
      if ((rc == 24)); then
        BACKUP_NOTE="some files vanished while they were copied (rsync exit 24): $(tail_text "$err" 600)."
      else
        BACKUP_NOTE="some files could not be copied (rsync exit 23): $(tail_text "$err" 600). Check file permissions on the source."
      fi
      ;;
    *) hks_fail "rsync failed (exit ${rc}) while copying ${src}: $(tail_text "$err" 800)" ;;
  esac
  R_FILES="$(count_files "$HKS_PARTIAL")"
  if [[ -n "$prev" ]]; then
    # du counts a hard-linked file once, for the first folder that has it: line 2 = new bytes
    R_BYTES="$(LC_ALL=C du -sb -- "$HKS_DEST_DIR/$prev" "$HKS_PARTIAL" 2>/dev/null | awk 'NR == 2 { print $1 }')"
  else
    R_BYTES="$(du_bytes "$HKS_PARTIAL")"
  fi
}

# rsync_compare SRC SNAPSHOT_DIR -> true when the snapshot has the same files and contents
rsync_compare() {
  local src="${1%/}" dir="$2" out rc=0
  [[ -n "$src" ]] || src=/
  out="$(rsync "${RSYNC_OPTS[@]}" -n --checksum --delete --out-format='%n' -- "$src/" "$dir/" 2>"$HKS_TMP/compare.err")" || rc=$?
  if ((rc != 0)); then
    VERIFY_DETAIL="rsync --checksum comparison failed (exit ${rc}): $(tail_text "$HKS_TMP/compare.err" 400)"
    return 1
  fi
  local diffs
  diffs="$(printf '%s\n' "$out" | grep -v '/$' | grep -c . || true)"
  if ((diffs > 0)); then
    VERIFY_DETAIL="${diffs} file(s) differ from the source, e.g. $(printf '%s\n' "$out" | grep -v '/$' | head -n 3 | tr '\n' ' ')"
    return 1
  fi
  return 0
}

# folder_readback DIR -> reads every file of a snapshot folder
folder_readback() {
  local dir="$1" err="$HKS_TMP/readback.err"
  if ! find "$dir" -type f -exec cat -- {} + >/dev/null 2>"$err"; then
    VERIFY_DETAIL="some files cannot be read: $(tail_text "$err" 600)"
    return 1
  fi
  R_FILES="$(count_files "$dir")"
  return 0
}
