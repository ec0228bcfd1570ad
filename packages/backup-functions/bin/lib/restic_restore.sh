# shellcheck shell=bash
# HKS_FORMAT=restic restore: the whole snapshot or chosen paths (HKS_INCLUDE), into the claim
# (HKS_RESTORE_DIR) at their place or below a folder of it (HKS_RESTORE_INTO).
#
# In place with overwrite, no spare room on the claim is needed: the content about to be replaced
# first goes into the repository as a safety snapshot (cheap, deduplicated), is then deleted, and
# the snapshot is restored into the room it leaves. A failed restore names the safety snapshot.

# restore_includes -> INCLUDES from HKS_INCLUDE (one absolute snapshot path per line)
restore_includes() {
  INCLUDES=()
  local p
  while IFS= read -r p; do
    [[ -z "$p" ]] && continue
    snapshot_path HKS_INCLUDE "$p"
    [[ "$p" == / ]] && { INCLUDES=(); return 0; }
    INCLUDES+=("${p%/}")
  done <<<"${HKS_INCLUDE:-}"
  return 0
}

# restore_dest TARGET -> RESTORE_DEST: TARGET, or TARGET/HKS_RESTORE_INTO
restore_dest() {
  local into="${HKS_RESTORE_INTO:-}"
  RESTORE_DEST="$1"
  [[ -z "$into" ]] && return 0
  into="${into#/}"
  into="${into%/}"
  [[ -n "$into" && "/$into/" != *'/../'* && "/$into/" != *'/./'* && "$into" != *$'\n'* ]] ||
    hks_fail "HKS_RESTORE_INTO must be a folder inside the claim (e.g. restored/2026-11-26), got '${HKS_RESTORE_INTO}'; nothing was changed."
  RESTORE_DEST="$1/$into"
}

# restore_size_known -> true when the server gave the snapshot's id, size and file count (from the run that wrote it)
restore_size_known() {
  [[ "${HKS_SNAPSHOT:-}" =~ ^[0-9a-f]{8,64}$ && "${HKS_SNAPSHOT_BYTES:-}" =~ ^[0-9]{1,20}$ && "${HKS_SNAPSHOT_FILES:-}" =~ ^[0-9]{1,12}$ ]]
}

restic_restore() {
  local target="${HKS_RESTORE_DIR:-}" overwrite=false
  is_true "${HKS_RESTORE_OVERWRITE:-false}" && overwrite=true
  [[ -n "$target" && "$target" == /* ]] ||
    hks_fail "HKS_RESTORE_DIR is required in restore mode: the absolute path where the claim is mounted."
  target="${target%/}"
  [[ -n "$target" ]] || hks_fail "HKS_RESTORE_DIR must not be the root folder."
  local claim="restore target ${target}"
  [[ -n "${HKS_RESTORE_CLAIM:-}" ]] && claim="claim ${HKS_RESTORE_CLAIM} (mounted at ${target})"
  [[ -e "$target" ]] || mkdir -p -- "$target" 2>/dev/null || true
  [[ -d "$target" && -w "$target" ]] ||
    hks_fail "The ${claim} is not a writable folder for uid $(id -u): check the claim's mount; nothing was changed."
  restore_includes
  restore_dest "$target"
  local dest="$RESTORE_DEST"
  [[ ! -e "$dest" || -d "$dest" ]] || hks_fail "${dest} exists and is not a folder; nothing was changed."

  # what is in the way
  local -a existing=()
  local p
  if ((${#INCLUDES[@]} == 0)); then
    [[ -d "$dest" ]] && mapfile -d '' -t existing < <(find "$dest" -mindepth 1 -maxdepth 1 -print0)
  else
    for p in "${INCLUDES[@]}"; do
      [[ -e "$dest$p" || -L "$dest$p" ]] && existing+=("$dest$p")
    done
  fi

  restic_open existing
  local need files snap
  if restore_size_known && ((${#INCLUDES[@]} == 0 && ${#existing[@]} == 0)); then
    # A whole snapshot into an empty place, its size known from its run: restic's own restore finds the snapshot (a
    # missing one is reported below), which spares one restic start (its key derivation) and a listing of every file.
    R_SNAPSHOT="$HKS_SNAPSHOT"
    need="$HKS_SNAPSHOT_BYTES"
    files="$HKS_SNAPSHOT_FILES"
  else
    # what the snapshot holds: every chosen path must be there
    local nodes="$HKS_TMP/restore-ls.json"
    snap_ls "${HKS_SNAPSHOT:-}" "$nodes" "${INCLUDES[@]}"
    for p in "${INCLUDES[@]}"; do
      jq -s -e --arg p "$p" 'any(.[]; .path == $p)' "$nodes" >/dev/null ||
        hks_fail_missing "Snapshot ${R_SNAPSHOT:0:8} holds no ${p}; browse the snapshot (ls mode) and choose paths it holds. Nothing was changed."
    done
    # one jq for both (each start of a tool costs on a busy node)
    read -r need files < <(jq -rs '"\([.[] | select(.type == "file") | .size // 0] | add // 0) \([.[] | select(.type != "dir")] | length)"' "$nodes")
  fi
  snap="${R_SNAPSHOT:0:8}"

  if ((${#existing[@]} > 0)) && [[ "$overwrite" != true ]]; then
    hks_fail "The ${claim} already holds ${existing[0]#"$target"/}$( ((${#existing[@]} > 1)) && printf ' and %d more' $((${#existing[@]} - 1))); nothing was changed. Restore into a folder (HKS_RESTORE_INTO), or set overwrite: a safety snapshot of the current content is taken first."
  fi

  # room: what is free plus what the restore replaces
  local inway=0 avail est
  ((${#existing[@]} > 0)) && inway="$(du_bytes "${existing[@]}")"
  measure_space "$target"
  R_SPACE_DIR="$target"
  R_SOURCE_BYTES="$need"
  avail=$((R_DEST_FREE + inway))
  est="$(estimate_bytes "$need")"
  if [[ "$R_DEST_TOTAL" != 0 ]] && ((est > avail)); then
    hks_fail_quota "The ${claim} is too small for snapshot ${snap}: it has $(human_bytes "$R_DEST_FREE") free$( ((inway > 0)) && printf ' plus %s the restore replaces' "$(human_bytes "$inway")"), the restore needs $(human_bytes "$est"). Expand the claim to at least $(human_bytes $((R_DEST_TOTAL + est - avail))) (by $(human_bytes $((est - avail)))), or restore into a new claim of at least $(human_bytes "$est"). Nothing was changed."
  fi
  # named by rx_fail if the backup volume fills while the safety snapshot is written
  RESTORE_NEED="$est"
  # the claim's size that holds what stays plus the snapshot (restic's metadata can still overrun the estimate)
  local claim_need=$((R_DEST_TOTAL + est - avail))
  ((claim_need > R_DEST_TOTAL)) || claim_need=$((R_DEST_TOTAL + est / 10 + 1))
  RX_SPACE_NEED="$(estimate_bytes "$inway")"

  local safety=""
  if ((${#existing[@]} > 0)); then
    backup_tags "$KIND_SAFETY"
    TAG_ARGS+=(--tag "hks-restore-of:${snap}")
    time_args
    TIME_ARGS=()
    local -a rel=()
    if ((${#INCLUDES[@]} == 0)); then rel=(.); else for p in "${existing[@]}"; do rel+=(".${p#"$dest"}"); done; fi
    log "restore: safety snapshot of ${#existing[@]} entries of ${dest}"
    (cd -- "$dest" && rx backup --json --host "$RX_HOST" "${TAG_ARGS[@]}" -- "${rel[@]}") >"$HKS_TMP/safety.json" ||
      rx_fail "the safety snapshot of the ${claim} (nothing was changed)"
    safety="$(jq -r 'select(.message_type == "summary") | .snapshot_id' "$HKS_TMP/safety.json" | tail -n 1)"
    [[ -n "$safety" ]] || hks_fail "restic made no safety snapshot of the ${claim}; nothing was changed."
    R_EXTRA="\"safetySnapshot\":$(json_str "$safety")"
    log "restore: safety snapshot ${safety}; removing what the restore replaces"
    rm -rf -- "${existing[@]}" ||
      hks_fail "Could not remove the old content of the ${claim}; it may be partly emptied. It is all in safety snapshot ${safety}: restore that snapshot with overwrite."
  fi

  mkdir -p -- "$dest" 2>/dev/null || hks_fail "Cannot create ${dest} on the ${claim}."
  local -a args=(restore "$R_SNAPSHOT" --target "$dest")
  for p in "${INCLUDES[@]}"; do args+=(--include "$p"); done
  log "restore: restic ${args[*]}"
  if ! rx "${args[@]}" >/dev/null; then
    local kept=""
    [[ -n "$safety" ]] && kept=" The content that was there before is kept in safety snapshot ${safety}: restore it with overwrite to go back."
    key_problem "$RX_ERR" && fail_key_rejected
    grep -q 'no matching ID found' -- "$RX_ERR" &&
      hks_fail_missing "Snapshot ${snap} is not in the $(repo_where): it was pruned by retention or never existed; list the snapshots and pick another. Nothing was changed."
    if is_enospc "$RX_ERR"; then
      measure_space "$target"
      hks_fail_quota "The ${claim} ran out of space restoring snapshot ${snap} ($(human_bytes "$R_DEST_FREE") free now of $(human_bytes "$R_DEST_TOTAL"), $(human_bytes "$need") to restore): expand the claim to at least $(human_bytes "$claim_need"), or restore into a new claim of at least $(human_bytes "$est").${kept}"
    fi
    corrupt_problem "$RX_ERR" && hks_fail_corrupt "Snapshot ${snap} could not be read back from the $(repo_where): $(tail_text "$RX_ERR" 500). Restore it from the off-node copy.${kept}"
    hks_fail "Restoring snapshot ${snap} into the ${claim} failed: $(tail_text "$RX_ERR" 700).${kept}"
  fi
  R_FILES="$files"
  R_BYTES="$need"
  [[ -n "$safety" ]] && forget_safety
  measure_space "$target"
  local what="snapshot ${snap}"
  ((${#INCLUDES[@]} > 0)) && what="${#INCLUDES[@]} path(s) of snapshot ${snap}"
  hks_finish SUCCEEDED "" 0 "Restored ${what} into ${dest} on the ${claim}: ${files} files, $(human_bytes "$need")${safety:+; the replaced content is kept in safety snapshot ${safety}}."
}

# forget_safety -> safety snapshots are kept by a rule of their own, never counted against the Backup's retention:
# the last HKS_SAFETY_KEEP_LAST (3) and any younger than HKS_SAFETY_KEEP_WITHIN (7d) of the newest. A failure here
# only leaves more of them; the restore itself succeeded.
forget_safety() {
  local last="${HKS_SAFETY_KEEP_LAST:-3}" within="${HKS_SAFETY_KEEP_WITHIN:-7d}"
  [[ "$last" =~ ^[0-9]+$ && "$within" =~ ^[0-9]+[dhwmy]$ ]] || { log "safety retention: bad HKS_SAFETY_KEEP_*, nothing removed"; return 0; }
  rx forget --json --tag "$KIND_SAFETY" --group-by '' --keep-last "$last" --keep-within "$within" --prune >"$HKS_TMP/safety-forget.raw" ||
    { log "safety retention failed; old safety snapshots stay"; return 0; }
  local removed
  removed="$(grep -m1 '^\[' -- "$HKS_TMP/safety-forget.raw" | jq '[.[].remove // [] | .[]] | length' 2>/dev/null || echo 0)"
  log "safety retention: removed ${removed} old safety snapshot(s)"
}
