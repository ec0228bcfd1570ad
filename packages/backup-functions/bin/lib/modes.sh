# shellcheck shell=bash
# The three modes: backup, restore, verify.

validate_common() {
  HKS_COMPRESSION="${HKS_COMPRESSION:-zstd}"
  HKS_SIZE_ESTIMATE_FACTOR="${HKS_SIZE_ESTIMATE_FACTOR:-1}"
  HKS_TIMEZONE="${HKS_TIMEZONE:-UTC}"
  case "$HKS_COMPRESSION" in
    zstd | gzip) ;;
    *) hks_fail "HKS_COMPRESSION must be zstd or gzip, got '${HKS_COMPRESSION}'." ;;
  esac
  [[ "$HKS_SIZE_ESTIMATE_FACTOR" =~ ^[0-9]+(\.[0-9]+)?$ ]] ||
    hks_fail "HKS_SIZE_ESTIMATE_FACTOR must be a non-negative number, got '${HKS_SIZE_ESTIMATE_FACTOR}'."
  check_uint HKS_KEEP_LAST "${HKS_KEEP_LAST:-}"
  check_uint HKS_KEEP_DAILY "${HKS_KEEP_DAILY:-}"
  check_uint HKS_KEEP_WEEKLY "${HKS_KEEP_WEEKLY:-}"
  check_uint HKS_KEEP_MONTHLY "${HKS_KEEP_MONTHLY:-}"
  check_timezone "$HKS_TIMEZONE"
  [[ -n "${HKS_DEST_DIR:-}" ]] || hks_fail "HKS_DEST_DIR is required (the snapshot folder inside the backup volume)."
  [[ "$HKS_DEST_DIR" == /* ]] || hks_fail "HKS_DEST_DIR must be an absolute path, got '${HKS_DEST_DIR}'."
  HKS_DEST_DIR="${HKS_DEST_DIR%/}"
  [[ -n "$HKS_DEST_DIR" ]] || HKS_DEST_DIR=/
}

# require_source_dir -> exits 66 unless HKS_SOURCE_DIR is a readable folder
require_source_dir() {
  local src="${HKS_SOURCE_DIR:-}"
  [[ -n "$src" ]] || hks_fail_missing "HKS_SOURCE_DIR is not set: the backup has no source folder to read."
  if [[ ! -e "$src" ]]; then
    hks_fail_missing "Source ${src} does not exist: check that the source volume (PVC) is mounted at that path."
  fi
  if [[ ! -d "$src" ]]; then
    hks_fail_missing "Source ${src} is not a folder: check the backup's source path."
  fi
  if [[ ! -r "$src" || ! -x "$src" ]]; then
    hks_fail_missing "Source ${src} is not readable by uid $(id -u): give the backup job read access (fsGroup / file permissions)."
  fi
}

# prepare_dest -> creates HKS_DEST_DIR (mkdir -p) and checks it is writable
prepare_dest() {
  local err="$HKS_TMP/mkdir.err"
  if ! mkdir -p -- "$HKS_DEST_DIR" 2>"$err"; then
    if is_enospc "$err"; then
      hks_fail_quota "Cannot create ${HKS_DEST_DIR}: the backup volume is full. Expand the backup volume or lower retention."
    fi
    hks_fail "Cannot create the destination folder ${HKS_DEST_DIR}: $(tail_text "$err" 300). Check that the backup volume is mounted and writable."
  fi
  [[ -d "$HKS_DEST_DIR" && -w "$HKS_DEST_DIR" ]] ||
    hks_fail "Destination ${HKS_DEST_DIR} is not a writable folder for uid $(id -u): check the backup volume mount and its permissions."
  R_SPACE_DIR="$HKS_DEST_DIR"
}

# fail_enospc WHAT ERRFILE -> removes the partial and exits 28 with a message
fail_enospc() {
  local what="$1"
  if [[ -n "$HKS_PARTIAL" && -e "$HKS_PARTIAL" ]]; then rm -rf -- "$HKS_PARTIAL"; fi
  if [[ -n "$HKS_STAGING" && -e "$HKS_STAGING" ]]; then rm -rf -- "$HKS_STAGING"; fi
  measure_space "$R_SPACE_DIR"
  hks_fail_quota "${R_SPACE_DIR} ran out of space while writing ${what} (No space left on device): $(human_bytes "$R_DEST_FREE") free of $(human_bytes "$R_DEST_TOTAL") now, $(human_bytes "$R_SOURCE_BYTES") to store. Nothing from this run was kept; expand the volume or lower retention."
}

# verify_path PATH NAME STATUS -> checks that a snapshot reads back completely; sets VERIFY_DETAIL
verify_path() {
  local path="$1" name="$2" status="${3:-0}"
  VERIFY_DETAIL=""
  case "$name" in
    *.tar.zst | *.tar.gz) tar_verify "$path" "$name" ;;
    *.pgdump) pg_verify "$path" ;;
    *.sql.zst | *.sql.gz) mysql_verify "$path" "$name" ;;
    *)
      folder_readback "$path" || return 1
      if [[ "$R_MODE" == backup && "$R_FUNCTION" == rsync && "$status" == 0 ]]; then
        rsync_compare "${HKS_SOURCE_DIR}" "$path" || return 1
      fi
      ;;
  esac
}

mode_backup() {
  case "$R_FUNCTION" in
    tar | rsync) require_source_dir ;;
    custom) [[ -z "${HKS_SOURCE_DIR:-}" ]] || require_source_dir ;;
    pg_dump | mysqldump) ;;
    "") hks_fail "HKS_FUNCTION is required: tar, rsync, pg_dump, mysqldump or custom." ;;
    *) hks_fail "HKS_FUNCTION must be tar, rsync, pg_dump, mysqldump or custom, got '${R_FUNCTION}'." ;;
  esac
  prepare_dest
  remove_stale_partials "$HKS_DEST_DIR"
  local stamp
  stamp="$(fresh_snapshot_stamp)" || exit $?
  BACKUP_STATUS=0
  BACKUP_NOTE=""
  log "backup: function ${R_FUNCTION}, snapshot time ${stamp}, destination ${HKS_DEST_DIR}"
  case "$R_FUNCTION" in
    tar) tar_backup "$stamp" ;;
    rsync) rsync_backup "$stamp" ;;
    pg_dump) pg_backup "$stamp" ;;
    mysqldump) mysql_backup "$stamp" ;;
    custom) custom_backup "$stamp" ;;
  esac
  local final="$HKS_DEST_DIR/$R_SNAPSHOT"

  if is_true "${HKS_VERIFY:-false}"; then
    log "verify: reading ${R_SNAPSHOT} back"
    if verify_path "$HKS_PARTIAL" "$R_SNAPSHOT" "$BACKUP_STATUS"; then
      R_VERIFIED=true
      log "verify: OK"
    else
      R_VERIFIED=false
      local snap="$R_SNAPSHOT"
      R_SNAPSHOT=""
      hks_fail "Snapshot ${snap} was written but failed verification (${VERIFY_DETAIL}), so it was discarded; the previous snapshots are untouched. Check the destination volume's health and the pod logs."
    fi
  fi

  mv -T -- "$HKS_PARTIAL" "$final" || hks_fail "Could not rename ${HKS_PARTIAL} to ${final}."
  HKS_PARTIAL=""
  log "backup: snapshot ${final} complete"

  retention_apply "$HKS_DEST_DIR" "$R_SNAPSHOT"

  local summary
  summary="Snapshot ${R_SNAPSHOT} written to ${HKS_DEST_DIR}: ${R_FILES} files, $(human_bytes "$R_BYTES") stored ($(human_bytes "$R_SOURCE_BYTES") source)"
  [[ "$R_VERIFIED" == true ]] && summary+=", verified"
  if ((${#R_PRUNED[@]} > 0)); then summary+="; pruned ${#R_PRUNED[@]} old snapshot(s)"; fi
  [[ -n "$RETENTION_WARNING" ]] && summary+="; warning: ${RETENTION_WARNING}"
  if [[ "$BACKUP_STATUS" == 3 ]]; then
    hks_finish PARTIALLY_SUCCEEDED "" 3 "${summary}, but it is incomplete: ${BACKUP_NOTE}"
  fi
  hks_finish SUCCEEDED "" 0 "${summary}."
}

# snapshot_arg -> validates HKS_SNAPSHOT and prints the snapshot path
snapshot_arg() {
  local snap="${HKS_SNAPSHOT:-}"
  [[ -n "$snap" ]] || hks_fail "HKS_SNAPSHOT is required in ${R_MODE} mode (e.g. 20261126T020000Z.tar.zst)."
  is_snapshot_name "$snap" ||
    hks_fail "HKS_SNAPSHOT '${snap}' is not a snapshot name (<YYYYMMDDTHHMMSSZ>[.tar.zst|.tar.gz|.pgdump|.sql.zst|.sql.gz])."
  R_SNAPSHOT="$snap"
  if [[ -z "$R_FUNCTION" ]]; then
    case "$snap" in
      *.tar.*) R_FUNCTION=tar ;;
      *.pgdump) R_FUNCTION=pg_dump ;;
      *.sql.*) R_FUNCTION=mysqldump ;;
      *) R_FUNCTION=rsync ;;
    esac
  fi
  [[ -e "$HKS_DEST_DIR/$snap" ]] ||
    hks_fail_missing "Snapshot ${snap} was not found in ${HKS_DEST_DIR}: it may have been pruned; pick another snapshot."
  [[ -r "$HKS_DEST_DIR/$snap" ]] ||
    hks_fail_missing "Snapshot ${HKS_DEST_DIR}/${snap} is not readable by uid $(id -u)."
}

mode_verify() {
  snapshot_arg
  local path="$HKS_DEST_DIR/$R_SNAPSHOT"
  R_SPACE_DIR="$HKS_DEST_DIR"
  R_SOURCE_BYTES="$(du_bytes "$path")"
  R_BYTES=0
  log "verify: reading ${path} back"
  if verify_path "$path" "$R_SNAPSHOT" 0; then
    R_VERIFIED=true
    [[ -d "$path" ]] && R_FILES="$(count_files "$path")"
    hks_finish SUCCEEDED "" 0 "Snapshot ${R_SNAPSHOT} in ${HKS_DEST_DIR} reads back completely ($(human_bytes "$R_SOURCE_BYTES"), ${R_FILES} files)."
  fi
  R_VERIFIED=false
  hks_fail "Snapshot ${R_SNAPSHOT} in ${HKS_DEST_DIR} failed verification: ${VERIFY_DETAIL}. Do not rely on it; run a new backup and check the volume's health."
}

mode_restore() {
  snapshot_arg
  local path="$HKS_DEST_DIR/$R_SNAPSHOT" target="${HKS_RESTORE_DIR:-}" overwrite=false first
  is_true "${HKS_RESTORE_OVERWRITE:-false}" && overwrite=true
  [[ -n "$target" ]] || hks_fail "HKS_RESTORE_DIR is required in restore mode (the folder to restore into)."
  [[ "$target" == /* ]] || hks_fail "HKS_RESTORE_DIR must be an absolute path, got '${target}'."
  target="${target%/}"
  [[ -n "$target" ]] || hks_fail "HKS_RESTORE_DIR must not be the root folder."
  if [[ -e "$target" && ! -d "$target" ]]; then
    hks_fail "Restore target ${target} exists and is not a folder; nothing was changed."
  fi
  mkdir -p -- "$target" 2>/dev/null || hks_fail "Cannot create the restore target ${target}; nothing was changed."
  [[ -w "$target" ]] || hks_fail "Restore target ${target} is not writable by uid $(id -u); nothing was changed."
  R_SPACE_DIR="$target"
  first="$(find "$target" -mindepth 1 -maxdepth 1 -print -quit 2>/dev/null)"
  if [[ -n "$first" && "$overwrite" != true ]]; then
    hks_fail "Restore target ${target} is not empty; nothing was changed. Restore into an empty folder, or set overwrite to replace its contents."
  fi
  R_SOURCE_BYTES="$(du_bytes "$path")"
  precheck_space "$target" "$R_SOURCE_BYTES" "snapshot ${R_SNAPSHOT}"

  HKS_STAGING="$(mktemp -d "$target/.hks-restore.XXXXXX")"
  log "restore: ${path} -> ${target} (staging in ${HKS_STAGING})"
  local err="$HKS_TMP/restore.err" rc=0
  case "$R_SNAPSHOT" in
    *.tar.zst | *.tar.gz) tar_restore "$path" "$HKS_STAGING" ;;
    *.pgdump | *.sql.zst | *.sql.gz)
      cp -- "$path" "$HKS_STAGING/" 2>>"$err" || rc=$?
      ;;
    *)
      rsync -aH --numeric-ids -- "$path/" "$HKS_STAGING/" 2>>"$err" || rc=$?
      ;;
  esac
  if ((rc != 0)); then
    [[ -s "$err" ]] && cat -- "$err" >&2
    is_enospc "$err" && fail_enospc "the restore of ${R_SNAPSHOT}"
    hks_fail "Restoring ${R_SNAPSHOT} failed (exit ${rc}): $(tail_text "$err" 800). ${target} was not changed."
  fi

  if [[ "$overwrite" == true ]]; then
    log "restore: replacing the contents of ${target}"
    find "$target" -mindepth 1 -maxdepth 1 ! -samefile "$HKS_STAGING" -exec rm -rf -- {} + ||
      hks_fail "Could not remove the old contents of ${target}; it may now be partly emptied. The restored data is in ${HKS_STAGING}."
  fi
  if ! find "$HKS_STAGING" -mindepth 1 -maxdepth 1 -exec mv -t "$target" -- {} +; then
    local staging="$HKS_STAGING"
    HKS_STAGING=""
    hks_fail "Could not move the restored files from ${staging} into ${target}; the restored data is left in ${staging}."
  fi
  rmdir -- "$HKS_STAGING" || true
  HKS_STAGING=""
  R_FILES="$(count_files "$target")"
  R_BYTES="$(du_bytes "$target")"
  hks_finish SUCCEEDED "" 0 "Restored snapshot ${R_SNAPSHOT} into ${target}: ${R_FILES} files, $(human_bytes "$R_BYTES")."
}
