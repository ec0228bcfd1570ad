# shellcheck shell=bash
# Function "tar": one compressed archive per snapshot, <time>.tar.zst or <time>.tar.gz.
# GNU tar exit 1 ("file changed as we read it") is a partial success; exit 2 is fatal.

# compressor_for COMPRESSION -> sets COMPRESS (array) and EXT_SUFFIX
compressor_for() {
  case "$1" in
    zstd) COMPRESS=(zstd -q -T0 -c) ; EXT_SUFFIX=zst ;;
    gzip) COMPRESS=(gzip -c) ; EXT_SUFFIX=gz ;;
  esac
}

# decompressor_for NAME -> sets DECOMPRESS (array) from the snapshot's suffix
decompressor_for() {
  case "$1" in
    *.zst) DECOMPRESS=(zstd -q -d -c --) ;;
    *.gz) DECOMPRESS=(gzip -d -c --) ;;
    *) DECOMPRESS=(cat --) ;;
  esac
}

tar_backup() {
  local stamp="$1" src="$HKS_SOURCE_DIR" err="$HKS_TMP/tar.err"
  compressor_for "$HKS_COMPRESSION"
  R_SNAPSHOT="${stamp}.tar.${EXT_SUFFIX}"
  local final="$HKS_DEST_DIR/$R_SNAPSHOT"
  [[ ! -e "$final" ]] || { local s="$R_SNAPSHOT"; R_SNAPSHOT=""; hks_fail "Snapshot ${s} already exists in ${HKS_DEST_DIR}; refusing to overwrite it (two runs in the same second?)."; }

  R_SOURCE_BYTES="$(du_bytes "$src")"
  R_FILES="$(count_files "$src")"
  precheck_space "$HKS_DEST_DIR" "$R_SOURCE_BYTES" "the source ${src}"

  HKS_PARTIAL="${final}.partial"
  log "tar: archiving ${src} (${R_FILES} files) into ${HKS_PARTIAL} with ${COMPRESS[0]}"
  local -a st
  set +e
  tar --create --file=- --directory="$src" --numeric-owner --sparse . 2>>"$err" |
    { "${COMPRESS[@]}" >"$HKS_PARTIAL"; } 2>>"$err"
  st=("${PIPESTATUS[@]}")
  set -e
  [[ -s "$err" ]] && cat -- "$err" >&2
  local tar_rc="${st[0]:-1}" comp_rc="${st[1]:-1}"
  log "tar: tar exit ${tar_rc}, ${COMPRESS[0]} exit ${comp_rc}"

  if is_enospc "$err"; then
    fail_enospc "snapshot ${R_SNAPSHOT}"
  fi
  if ((comp_rc != 0)); then
    hks_fail "${COMPRESS[0]} failed while writing ${R_SNAPSHOT} (exit ${comp_rc}): $(tail_text "$err" 800)"
  fi
  case "$tar_rc" in
    0) ;;
    1)
      BACKUP_STATUS=3
      BACKUP_NOTE="some files changed while they were read (tar exit 1), so their copies may be inconsistent: $(tail_text "$err" 600). Stop or quiesce the application during the backup, or use a database dump."
      ;;
    *) hks_fail "tar failed (exit ${tar_rc}) while archiving ${src}: $(tail_text "$err" 800)" ;;
  esac
  R_BYTES="$(du_bytes "$HKS_PARTIAL")"
}

# tar_verify PATH NAME -> decompresses and lists the whole archive
tar_verify() {
  local path="$1" name="$2" err="$HKS_TMP/verify.err" count
  decompressor_for "$name"
  local -a st
  set +e
  "${DECOMPRESS[@]}" "$path" 2>>"$err" | tar --list --file=- >"$HKS_TMP/list" 2>>"$err"
  st=("${PIPESTATUS[@]}")
  count="$(grep -vc '/$' "$HKS_TMP/list")"
  set -e
  if [[ "${st[0]}" != 0 || "${st[1]}" != 0 ]]; then
    [[ -s "$err" ]] && cat -- "$err" >&2
    VERIFY_DETAIL="${DECOMPRESS[0]} exit ${st[0]}, tar exit ${st[1]}: $(tail_text "$err" 600)"
    return 1
  fi
  R_FILES="${count:-0}"
  return 0
}

# tar_restore PATH DIR -> extracts the archive into DIR (exits on failure)
tar_restore() {
  local path="$1" dir="$2" err="$HKS_TMP/restore.err"
  decompressor_for "$path"
  local -a st
  set +e
  "${DECOMPRESS[@]}" "$path" 2>>"$err" | tar --extract --file=- --directory="$dir" --numeric-owner 2>>"$err"
  st=("${PIPESTATUS[@]}")
  set -e
  [[ -s "$err" ]] && cat -- "$err" >&2
  if [[ "${st[0]}" != 0 || "${st[1]}" != 0 ]]; then
    is_enospc "$err" && fail_enospc "the restore of ${R_SNAPSHOT}"
    hks_fail "Extracting ${R_SNAPSHOT} failed (${DECOMPRESS[0]} exit ${st[0]}, tar exit ${st[1]}): $(tail_text "$err" 800). The restore target was not changed."
  fi
}
