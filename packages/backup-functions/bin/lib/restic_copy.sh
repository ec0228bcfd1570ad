# shellcheck shell=bash
# The off-node copy (3-2-1). A local-storage volume cannot be mounted on another Proxmox node, so no
# pod can mount both repositories: the primary's node serves its repository over HTTP (serve mode,
# `rclone serve restic`, basic auth with credentials made for one copy), and a pod on the copy's
# node pulls from it (copy mode with HKS_COPY_FROM=rest:http://HOST:PORT/). Without HKS_COPY_FROM
# both repositories are local paths (HKS_DEST_DIR -> HKS_COPY_REPO), as before.

# copy_source -> RESTIC_FROM_REPOSITORY (with the serving pod's credentials when remote) and
# COPY_FROM_LABEL (the same, without credentials, for messages)
copy_source() {
  local from="${HKS_COPY_FROM:-}"
  if [[ -z "$from" ]]; then
    [[ "${HKS_COPY_REPO%/}" != "$HKS_DEST_DIR" ]] || hks_fail "HKS_COPY_REPO must be another repository than HKS_DEST_DIR."
    restic_open existing
    COPY_FROM_LABEL="$HKS_DEST_DIR"
    export RESTIC_FROM_REPOSITORY="$HKS_DEST_DIR"
    return 0
  fi
  [[ "$from" =~ ^rest:(https?)://([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):([0-9]{1,5})/?$ ]] ||
    hks_fail "HKS_COPY_FROM must be rest:http://HOST:PORT/ (the pod serving the primary repository), got '${from}'."
  local scheme="${BASH_REMATCH[1]}" hostport="${BASH_REMATCH[2]}:${BASH_REMATCH[3]}"
  [[ -n "${HKS_COPY_FROM_USER:-}" && -n "${HKS_COPY_FROM_PASSWORD:-}" ]] ||
    hks_fail "HKS_COPY_FROM_USER and HKS_COPY_FROM_PASSWORD are required with HKS_COPY_FROM: the credentials of the serving pod (one Secret per copy)."
  [[ "$HKS_COPY_FROM_USER" =~ ^[A-Za-z0-9._-]+$ && "$HKS_COPY_FROM_PASSWORD" =~ ^[A-Za-z0-9._-]+$ ]] ||
    hks_fail "HKS_COPY_FROM_USER and HKS_COPY_FROM_PASSWORD must be letters, digits, '.', '_' or '-' (they travel in the repository URL)."
  command -v restic >/dev/null 2>&1 || hks_fail "restic is not installed in the backup image; use an image built from packages/backup-functions/Dockerfile."
  restic_key
  RX_ERR="$HKS_TMP/restic.err"
  export RESTIC_CACHE_DIR="${RESTIC_CACHE_DIR:-${TMPDIR:-/tmp}/hks-restic-cache}"
  export RESTIC_COMPRESSION="${HKS_RESTIC_COMPRESSION:-auto}"
  COPY_FROM_LABEL="${scheme}://${hostport}/"
  export RESTIC_FROM_REPOSITORY="rest:${scheme}://${HKS_COPY_FROM_USER}:${HKS_COPY_FROM_PASSWORD}@${hostport}/"
}

# copy_fail WHAT -> a failure reading the primary over the network said in words; else rx_fail
copy_fail() {
  local t
  t="$(tail_text "$RX_ERR" 500)"
  t="${t//${HKS_COPY_FROM_PASSWORD:-\/\/\/}/***}"
  if [[ -n "${HKS_COPY_FROM:-}" ]]; then
    grep -qiE 'connection refused|no route to host|i/o timeout|dial tcp|connection reset|EOF' -- "$RX_ERR" &&
      hks_fail "The primary repository served at ${COPY_FROM_LABEL} could not be reached during ${1} (${t}): the serving pod on the primary's node is not running, or that node is down. Nothing was lost; the copy is retried at the next run."
    grep -qE '\b401\b|Unauthorized' -- "$RX_ERR" &&
      hks_fail "The pod serving the primary repository at ${COPY_FROM_LABEL} refused this copy's credentials (HTTP 401) during ${1}: they are made for one copy; the copy is retried at the next run."
    grep -qiE 'config.*(does not exist|not found)|\b404\b' -- "$RX_ERR" &&
      hks_fail_missing "There is no restic repository at ${COPY_FROM_LABEL} (served from the primary volume): no backup was written there yet, or the Backup's path is wrong; nothing was copied."
  fi
  rx_fail "$1"
}

restic_copy() {
  local to="${HKS_COPY_REPO:-}"
  [[ -n "$to" && "$to" == /* ]] || hks_fail "HKS_COPY_REPO is required in copy mode: the absolute path of the off-node repository."
  copy_source
  local -a snaps=(--tag "$KIND_BACKUP")
  if [[ -n "${HKS_SNAPSHOT:-}" ]]; then
    # snap_json reads RESTIC_REPOSITORY: the primary here
    export RESTIC_REPOSITORY="$RESTIC_FROM_REPOSITORY"
    snap_json "$HKS_SNAPSHOT" "$HKS_TMP/snap.json"
    snaps=("$R_SNAPSHOT")
  fi
  # restic copy writes to -r and reads --from-repo: the primary's key opens both unless told otherwise
  if [[ -n "${RESTIC_PASSWORD_FILE:-}" ]]; then export RESTIC_FROM_PASSWORD_FILE="$RESTIC_PASSWORD_FILE"; else export RESTIC_FROM_PASSWORD="$RESTIC_PASSWORD"; fi
  if [[ -n "${HKS_COPY_PASSWORD_FILE:-}" ]]; then
    [[ -s "$HKS_COPY_PASSWORD_FILE" ]] || hks_fail_key "The copy repository's key file ${HKS_COPY_PASSWORD_FILE} is missing or empty: mount its Secret; nothing was changed."
    export RESTIC_PASSWORD_FILE="$HKS_COPY_PASSWORD_FILE"
    unset RESTIC_PASSWORD
  fi
  HKS_DEST_DIR="${to%/}"
  export RESTIC_REPOSITORY="$HKS_DEST_DIR"
  if [[ ! -f "$HKS_DEST_DIR/config" ]]; then
    prepare_dest
    log "copy: creating ${HKS_DEST_DIR} with the chunker parameters of ${COPY_FROM_LABEL}, so both deduplicate alike"
    rx init --repository-version 2 --copy-chunker-params >/dev/null || copy_fail "creating the copy repository"
  fi
  R_SPACE_DIR="$HKS_DEST_DIR"
  local before after forget="$HKS_TMP/forget.json"
  before="$(rx snapshots --json | jq length)" || rx_fail "opening the copy repository"
  log "copy: restic copy from ${COPY_FROM_LABEL} to ${HKS_DEST_DIR}"
  rx copy "${snaps[@]}" >"$HKS_TMP/copy.out" || copy_fail "restic copy from ${COPY_FROM_LABEL}"
  # Retention applies to the copy as to the primary (same HKS_KEEP_*, never the newest backup).
  if restic_forget apply "$forget"; then
    mapfile -t R_PRUNED < <(jq -r '.[].remove // [] | .[].id' "$forget")
  fi
  after="$(rx snapshots --json --tag "$KIND_BACKUP" | jq length)" || rx_fail "listing the copy repository"
  R_FILES=$((after + ${#R_PRUNED[@]} - before))
  ((R_FILES >= 0)) || R_FILES=0
  R_EXTRA="\"copyRepo\":$(json_str "$HKS_DEST_DIR"),\"copyFrom\":$(json_str "$COPY_FROM_LABEL"),\"copied\":${R_FILES},\"copySnapshotCount\":${after}"
  local summary="Copied ${R_FILES} new snapshot(s) from ${COPY_FROM_LABEL} to ${HKS_DEST_DIR} (${after} there now)"
  if ((${#R_PRUNED[@]} > 0)); then summary+="; retention removed ${#R_PRUNED[@]} old snapshot(s) from the copy"; fi
  hks_finish SUCCEEDED "" 0 "${summary}."
}

# restic_serve -> serves HKS_DEST_DIR (a restic repository) over HTTP at HKS_SERVE_ADDR with basic
# auth, until HKS_SERVE_SECONDS pass or the pod is stopped; both ends are a normal finish.
restic_serve() {
  command -v rclone >/dev/null 2>&1 || hks_fail "rclone is not installed in the backup image (serve mode needs 'rclone serve restic'); use an image built from packages/backup-functions/Dockerfile."
  [[ -f "$HKS_DEST_DIR/config" ]] ||
    hks_fail_missing "There is no restic repository in ${HKS_DEST_DIR} to serve: no backup was written there yet, or the destination is wrong."
  local addr="${HKS_SERVE_ADDR:-}" secs="${HKS_SERVE_SECONDS:-3600}"
  [[ "$addr" =~ ^[0-9.]+:[0-9]{1,5}$ ]] || hks_fail "HKS_SERVE_ADDR must be IP:PORT (the pod's own address, e.g. \$(POD_IP):8000), got '${addr}'."
  [[ "$secs" =~ ^[0-9]+$ ]] && ((secs > 0)) || hks_fail "HKS_SERVE_SECONDS must be a positive number of seconds, got '${secs}'."
  [[ -n "${HKS_SERVE_USER:-}" && -n "${HKS_SERVE_PASSWORD:-}" ]] ||
    hks_fail "HKS_SERVE_USER and HKS_SERVE_PASSWORD are required: a repository is never served without credentials."
  # rclone reads its flags from RCLONE_* variables: the password stays off the command line.
  local err="$HKS_TMP/serve.err" pid rc=0
  RCLONE_USER="$HKS_SERVE_USER" RCLONE_PASS="$HKS_SERVE_PASSWORD" RCLONE_ADDR="$addr" \
    rclone serve restic --config /dev/null "$HKS_DEST_DIR" 2>"$err" &
  pid=$!
  R_SPACE_DIR="$HKS_DEST_DIR"
  log "serve: the restic repository ${HKS_DEST_DIR} at http://${addr}/ for at most ${secs}s"
  SERVE_PID="$pid"
  SERVE_LABEL="http://${addr}/"
  # Being stopped (the copy is done and the pod is deleted) is how serving normally ends.
  trap 'serve_stop TERM' TERM
  trap 'serve_stop INT' INT
  (sleep "$secs" && kill -TERM "$$" 2>/dev/null) &
  wait "$pid" || rc=$?
  sed 's/^/rclone: /' -- "$err" >&2 || true
  hks_fail "rclone serve restic stopped by itself (exit ${rc}): $(tail_text "$err" 500). Check that ${addr} is this pod's own address and the port is free."
}

serve_stop() {
  trap - TERM INT
  kill -TERM "$SERVE_PID" 2>/dev/null || true
  wait "$SERVE_PID" 2>/dev/null || true
  hks_finish SUCCEEDED "" 0 "Served the repository ${HKS_DEST_DIR} at ${SERVE_LABEL} until stopped by SIG${1}."
}

# copy_snapshot_id -> with HKS_SNAPSHOT_OF_PRIMARY=true, HKS_SNAPSHOT names a snapshot of the primary
# and HKS_DEST_DIR is its copy: restic copy gave the copied snapshot a new id and recorded the old
# one as "original", so a restore from the copy is asked for by the id the run recorded.
copy_snapshot_id() {
  is_true "${HKS_SNAPSHOT_OF_PRIMARY:-false}" || return 0
  local id="${HKS_SNAPSHOT:-}" found
  [[ "$id" =~ ^[0-9a-f]{8,64}$ ]] ||
    hks_fail "HKS_SNAPSHOT must be the primary's snapshot id (8 to 64 hex digits) with HKS_SNAPSHOT_OF_PRIMARY, got '${id}'; nothing was changed."
  restic_open existing
  rx snapshots --json >"$HKS_TMP/copy-snaps.json" || rx_fail "listing the copy repository"
  found="$(jq -r --arg id "$id" '[.[] | select((.original // "") | startswith($id))] | first | .id // empty' "$HKS_TMP/copy-snaps.json")"
  [[ -n "$found" ]] ||
    hks_fail_missing "Snapshot ${id:0:8} is not in the off-node copy ${HKS_DEST_DIR}: it was not copied yet (or retention removed it); restore it from the primary, or wait for the copy after the next run. Nothing was changed."
  log "copy: snapshot ${id:0:8} of the primary is ${found:0:8} in this copy"
  HKS_SNAPSHOT="$found"
}
