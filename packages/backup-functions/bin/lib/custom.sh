# shellcheck shell=bash
# Function "custom": runs the user's bash script (HKS_CUSTOM_SCRIPT, text) with
#   HKS_SOURCE_DIR  the source folder (may be empty when the backup has no source volume)
#   HKS_OUTPUT_DIR  a fresh <dest>/<time>.partial/ folder (also the working directory)
# The script text is written to a file and run with bash; it is never evaluated otherwise.
# Exit 0 -> the folder is renamed to <dest>/<time>; anything else -> FAILED (stderr tail in
# the message), or QUOTA_EXCEEDED when it reported "No space left on device".

custom_backup() {
  local stamp="$1" err="$HKS_TMP/custom.err" script="$HKS_TMP/custom-script.sh" rc=0
  [[ -n "${HKS_CUSTOM_SCRIPT:-}" ]] || hks_fail "HKS_CUSTOM_SCRIPT is empty: the custom function needs a bash script."
  R_SNAPSHOT="$stamp"
  local final="$HKS_DEST_DIR/$R_SNAPSHOT"
  [[ ! -e "$final" ]] || { local s="$R_SNAPSHOT"; R_SNAPSHOT=""; hks_fail "Snapshot ${s} already exists in ${HKS_DEST_DIR}; refusing to overwrite it."; }

  local src="${HKS_SOURCE_DIR:-}"
  if [[ -n "$src" ]]; then
    R_SOURCE_BYTES="$(du_bytes "$src")"
    precheck_space "$HKS_DEST_DIR" "$R_SOURCE_BYTES" "the source ${src}"
  else
    measure_space "$HKS_DEST_DIR"
  fi

  printf '%s\n' "$HKS_CUSTOM_SCRIPT" >"$script"
  HKS_PARTIAL="${final}.partial"
  mkdir -- "$HKS_PARTIAL" 2>"$err" || {
    is_enospc "$err" && fail_enospc "snapshot ${R_SNAPSHOT}"
    hks_fail "Cannot create ${HKS_PARTIAL}: $(tail_text "$err" 400)"
  }
  log "custom: running the custom script with HKS_OUTPUT_DIR=${HKS_PARTIAL}"
  (
    cd -- "$HKS_PARTIAL"
    export HKS_SOURCE_DIR="$src" HKS_OUTPUT_DIR="$HKS_PARTIAL"
    exec bash -- "$script"
  ) 2> >(tee -a -- "$err" >&2) </dev/null || rc=$?
  wait "$!" 2>/dev/null || true # let tee finish writing the log
  log "custom: script exit ${rc}"
  is_enospc "$err" && fail_enospc "snapshot ${R_SNAPSHOT}"
  if ((rc != 0)); then
    local tail
    tail="$(tail_text "$err" 1500)"
    hks_fail "The custom backup script failed (exit ${rc}): ${tail:-it wrote nothing to stderr}"
  fi
  [[ -d "$HKS_PARTIAL" ]] || hks_fail "The custom backup script removed its output folder ${HKS_PARTIAL}."
  R_FILES="$(count_files "$HKS_PARTIAL")"
  R_BYTES="$(du_bytes "$HKS_PARTIAL")"
}
