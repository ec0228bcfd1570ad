# shellcheck shell=bash
# The restic repository behind HKS_FORMAT=restic: opening it (key, init), running restic with its
# errors turned into results a person can act on, tags, retention. The modes are in restic_modes.sh
# and restic_restore.sh. restic does the work (snapshots, dedup, compression, retention, checks,
# listing, restore, copy); these functions only choose its arguments and read its JSON.

RX_ERR=""           # stderr of the last restic call (set in restic_open, so subshells share it)
RX_HOST="hks"       # one fixed host name: pods change names, parents and retention must not
KIND_BACKUP="hks-kind:backup"
KIND_SAFETY="hks-kind:safety"

# rx ARGS... -> restic with the repository environment; its stderr is kept in RX_ERR and logged
rx() {
  local rc=0
  TZ="$HKS_TIMEZONE" restic "$@" 2>"$RX_ERR" || rc=$?
  [[ -s "$RX_ERR" ]] && grep -v '^{"message_type":"status"' -- "$RX_ERR" | sed 's/^/restic: /' >&2
  return "$rc"
}

repo_where() { printf 'restic repository %s' "$HKS_DEST_DIR"; }

# key_problem ERRFILE -> true when restic said the key does not open the repository
key_problem() { grep -qE 'wrong password or no key found|an empty password is not allowed' -- "$1" 2>/dev/null; }

# corrupt_problem ERRFILE -> true when restic read damaged data
corrupt_problem() {
  grep -qiE 'ciphertext verification failed|repository contains errors|invalid data returned|checksum mismatch|hash does not match|does not match|unexpected EOF|pack file cannot be listed|pack .* not found|decrypting blob .* failed|error for tree|LoadBlob|Load\(<' -- "$1" 2>/dev/null
}

fail_key_rejected() {
  hks_fail_key "The key did not open the $(repo_where): the workspace's backup key was deleted or replaced, or the wrong Secret is mounted. Mount the key this repository was created with (RESTIC_PASSWORD_FILE from the workspace's backup key Secret); nothing was changed."
}

fail_corrupt() {
  hks_fail_corrupt "The $(repo_where) is damaged: ${1}. Do not rely on its snapshots until fixed: restore what you need from the off-node copy (copy mode's repository), then have an administrator run 'restic check' and 'restic repair'/'rebuild-index' on it, or start a new repository; the next backup re-uploads missing data."
}

# rx_fail WHAT -> classifies the last restic error and exits with the matching reason
rx_fail() {
  local what="$1" t
  t="$(tail_text "$RX_ERR" 700)"
  key_problem "$RX_ERR" && fail_key_rejected
  if is_enospc "$RX_ERR"; then
    measure_space "$HKS_DEST_DIR"
    # a restore never frees room by retention: its remedies are the backup volume or a new claim
    [[ "$R_MODE" == restore ]] && hks_fail_quota "The backup volume holding the $(repo_where) is full (No space left on device, $(human_bytes "$R_DEST_FREE") free of $(human_bytes "$R_DEST_TOTAL")) during ${what}. Expand the backup volume${RX_SPACE_NEED:+ by at least $(human_bytes "$RX_SPACE_NEED")}, or restore without overwrite into a new claim${RESTORE_NEED:+ of at least $(human_bytes "$RESTORE_NEED")} (no safety snapshot is needed there)."
    local needed=""
    [[ -n "${RX_DRY_RUN_DIR:-}" ]] && needed="$(backup_need "$RX_DRY_RUN_DIR")"
    if [[ -n "$needed" ]]; then
      R_EXTRA+="${R_EXTRA:+,}\"neededBytes\":${needed}"
      hks_fail_quota "The backup volume holding the $(repo_where) is full (No space left on device) during ${what}: it needed $(human_bytes "$needed") (restic backup --dry-run: data it would add), $(human_bytes "$R_DEST_FREE") of $(human_bytes "$R_DEST_TOTAL") was free. Expand the backup volume by at least $(human_bytes $((needed > R_DEST_FREE ? needed - R_DEST_FREE : needed))) or lower retention (then run prune)."
    fi
    hks_fail_quota "The backup volume holding the $(repo_where) is full (No space left on device, $(human_bytes "$R_DEST_FREE") free of $(human_bytes "$R_DEST_TOTAL")) during ${what}: expand the backup volume or lower retention (then run prune)."
  fi
  corrupt_problem "$RX_ERR" && fail_corrupt "${what} read damaged data (${t})"
  hks_fail "${what} failed: ${t:-restic gave no reason; see the pod logs}."
}

# backup_need DIR -> bytes a backup of DIR would add (restic backup --dry-run, which writes nothing, not even a
# lock, so it answers on a full volume); empty when restic cannot tell
backup_need() {
  local out="$HKS_TMP/dry-run.json"
  (cd -- "$1" && rx --no-lock backup --dry-run --json --host "$RX_HOST" "${TAG_ARGS[@]}" .) >"$out" 2>/dev/null || true
  grep '"message_type":"summary"' -- "$out" | tail -n 1 | jq -r '.data_added // empty' 2>/dev/null || true
}

# restic_key -> checks that a key was given; never prints it
restic_key() {
  if [[ -n "${RESTIC_PASSWORD_FILE:-}" ]]; then
    [[ -f "$RESTIC_PASSWORD_FILE" && -r "$RESTIC_PASSWORD_FILE" ]] ||
      hks_fail_key "The repository key file ${RESTIC_PASSWORD_FILE} is missing or unreadable: mount the workspace's backup key Secret there (RESTIC_PASSWORD_FILE); nothing was changed."
    [[ -s "$RESTIC_PASSWORD_FILE" ]] ||
      hks_fail_key "The repository key file ${RESTIC_PASSWORD_FILE} is empty: the workspace's backup key Secret has no key; restore the Secret, nothing was changed."
    unset RESTIC_PASSWORD
  elif [[ -z "${RESTIC_PASSWORD:-}" ]]; then
    hks_fail_key "No repository key was given: mount the workspace's backup key Secret and set RESTIC_PASSWORD_FILE (or RESTIC_PASSWORD); nothing was changed."
  fi
  unset RESTIC_PASSWORD_COMMAND RESTIC_REPOSITORY_FILE
}

# restic_open create|existing -> sets up RESTIC_REPOSITORY; creates the repository only when asked
# and there is none (never over an existing one), then proves the key opens it.
restic_open() {
  command -v restic >/dev/null 2>&1 || hks_fail "restic is not installed in the backup image; use an image built from packages/backup-functions/Dockerfile."
  restic_key
  RX_ERR="$HKS_TMP/restic.err"
  export RESTIC_REPOSITORY="$HKS_DEST_DIR"
  export RESTIC_CACHE_DIR="${RESTIC_CACHE_DIR:-${TMPDIR:-/tmp}/hks-restic-cache}"
  export RESTIC_COMPRESSION="${HKS_RESTIC_COMPRESSION:-auto}"
  R_SPACE_DIR=""
  if [[ ! -f "$HKS_DEST_DIR/config" ]]; then
    [[ "$1" == create ]] ||
      hks_fail_missing "There is no restic repository in ${HKS_DEST_DIR}: no backup was written there yet, or the destination is wrong; run a backup first."
    prepare_dest
    log "restic: creating a repository in ${HKS_DEST_DIR}"
    rx init --repository-version 2 >/dev/null || rx_fail "creating the repository"
  fi
  [[ -d "$HKS_DEST_DIR" ]] && R_SPACE_DIR="$HKS_DEST_DIR"
  # the key is proven by the mode's first restic call (a wrong one fails there, before any change)
  return 0
}

# id_arg NAME VALUE -> refuses ids that could not be a tag
id_arg() { [[ -z "$2" || "$2" =~ ^[A-Za-z0-9._-]{1,100}$ ]] || hks_fail "$1 must be letters, digits, '.', '_' or '-', got '${2}'."; }

# backup_tags KIND -> TAG_ARGS for a new snapshot: its kind, HKS_BACKUP_ID, HKS_RUN_ID, HKS_TAGS
backup_tags() {
  TAG_ARGS=(--tag "$1")
  [[ -n "${HKS_BACKUP_ID:-}" ]] && TAG_ARGS+=(--tag "hks-backup:${HKS_BACKUP_ID}")
  [[ -n "${HKS_RUN_ID:-}" ]] && TAG_ARGS+=(--tag "hks-run:${HKS_RUN_ID}")
  # the application and the Backup's name, so a rescan can recover a Backup whose row the database lost
  [[ "${HKS_APPLICATION_ID:-}" =~ ^[A-Za-z0-9._-]{1,100}$ ]] && TAG_ARGS+=(--tag "hks-app:${HKS_APPLICATION_ID}")
  [[ "${HKS_BACKUP_NAME:-}" =~ ^[A-Za-z0-9._-]{1,100}$ ]] && TAG_ARGS+=(--tag "hks-name:${HKS_BACKUP_NAME}")
  local t
  local -a extra=()
  IFS=',' read -r -a extra <<<"${HKS_TAGS:-}"
  for t in "${extra[@]}"; do
    [[ -z "$t" ]] && continue
    [[ "$t" =~ ^[A-Za-z0-9._:=-]{1,100}$ ]] || hks_fail "HKS_TAGS holds '${t}': tags are letters, digits, '.', '_', ':', '=' or '-', separated by commas."
    TAG_ARGS+=(--tag "$t")
  done
}

# time_args -> TIME_ARGS for HKS_NOW (restic reads --time in TZ, which rx sets to HKS_TIMEZONE)
time_args() {
  TIME_ARGS=()
  if [[ -n "${HKS_NOW:-}" ]]; then
    local t
    t="$(TZ="$HKS_TIMEZONE" date -d "$HKS_NOW" '+%Y-%m-%d %H:%M:%S' 2>/dev/null)" ||
      hks_fail "HKS_NOW '${HKS_NOW}' is not a valid timestamp (use ISO 8601, e.g. 2026-11-26T02:00:00Z)."
    TIME_ARGS=(--time "$t")
  fi
}

# keep_args -> KEEP_ARGS from HKS_KEEP_*; empty when no rule is on
keep_args() {
  KEEP_ARGS=()
  local pair n v
  for pair in LAST:last DAILY:daily WEEKLY:weekly MONTHLY:monthly; do
    n="HKS_KEEP_${pair%%:*}"
    v="${!n:-}"
    [[ -n "$v" ]] && ((10#$v > 0)) && KEEP_ARGS+=("--keep-${pair##*:}" "$((10#$v))")
  done
  return 0
}

# restic_forget dry|apply OUT -> restic forget of the backups (not safety snapshots) by the policy.
# Returns 1 (and writes nothing) when no rule is on: restic then removes nothing either.
restic_forget() {
  local how="$1" out="$2"
  keep_args
  ((${#KEEP_ARGS[@]} > 0)) || return 1
  local -a args=(forget --json --tag "$KIND_BACKUP" --group-by '' "${KEEP_ARGS[@]}")
  if [[ "$how" == dry ]]; then args+=(--dry-run); else args+=(--prune); fi
  # forget --prune prints prune's text after the JSON line; keep only the JSON
  rx "${args[@]}" >"$out.raw" || rx_fail "retention (restic forget)"
  grep -m1 '^\[' -- "$out.raw" >"$out" || printf '[]\n' >"$out"
}

# snap_json ID OUT -> the snapshot's JSON object, or exits 66 when the repository has no such snapshot
snap_json() {
  local id="$1" out="$2"
  [[ "$id" =~ ^[0-9a-f]{8,64}$ || "$id" == latest ]] ||
    hks_fail "HKS_SNAPSHOT must be a snapshot id (8 to 64 hex digits) or 'latest', got '${id}'; nothing was changed."
  local -a filter=()
  [[ "$id" == latest ]] && filter=(--tag "$KIND_BACKUP")
  rx snapshots --json "${filter[@]}" "$id" >"$out.all" || rx_fail "reading snapshot ${id}"
  jq -c 'sort_by(.time) | last // empty' "$out.all" >"$out"
  [[ -s "$out" ]] ||
    hks_fail_missing "Snapshot ${id} is not in the $(repo_where): it was pruned by retention or never existed; list the snapshots and pick another. Nothing was changed."
  R_SNAPSHOT="$(jq -r .id "$out")"
}

# snap_ls ID OUT [PATHS...] -> restic ls --json of a snapshot into OUT (nodes only), R_SNAPSHOT from it;
# one restic run both finds the snapshot and lists it. Exits 66 when the repository has no such snapshot.
snap_ls() {
  local id="$1" out="$2"
  shift 2
  [[ "$id" =~ ^[0-9a-f]{8,64}$ || "$id" == latest ]] ||
    hks_fail "HKS_SNAPSHOT must be a snapshot id (8 to 64 hex digits) or 'latest', got '${id}'; nothing was changed."
  local -a filter=()
  [[ "$id" == latest ]] && filter=(--tag "$KIND_BACKUP")
  rx ls --json "${filter[@]}" "$id" "$@" >"$out.raw" || rx_fail "listing snapshot ${id}"
  R_SNAPSHOT="$({ grep -m1 '"struct_type":"snapshot"' -- "$out.raw" || true; } | jq -r .id)"
  [[ -n "$R_SNAPSHOT" ]] ||
    hks_fail_missing "Snapshot ${id} is not in the $(repo_where): it was pruned by retention or never existed; list the snapshots and pick another. Nothing was changed."
  grep '"struct_type":"node"' -- "$out.raw" >"$out" || true
}

# to_output -> copies stdin to where a mode's document goes: HKS_OUTPUT_FILE, or stdout
to_output() { if [[ -n "${HKS_OUTPUT_FILE:-}" ]]; then cat >"$HKS_OUTPUT_FILE"; else cat; fi; }

# extra_from_jq FILE FILTER [ARGS...] -> appends the filter's output (JSON members, no braces) to R_EXTRA
extra_from_jq() {
  local file="$1" filter="$2" out
  shift 2
  out="$(jq -c "$@" "$filter" "$file")" || hks_fail "Could not read restic's JSON output (${file##*/})."
  out="${out#\{}"
  out="${out%\}}"
  [[ -n "$out" ]] && R_EXTRA+="${R_EXTRA:+,}${out}"
  return 0
}

# Lists in a result line are cut to this many bytes so the line stays within 4096 (the whole list
# goes to HKS_OUTPUT_FILE / stdout).
# shellcheck disable=SC2016
JQ_FIT='def fit($budget): . as $a | reduce range(0; length) as $i ({n: 0, b: 0};
  if .n == $i and (.b + ($a[$i] | tojson | utf8bytelength) + 1) <= $budget then {n: (.n + 1), b: (.b + ($a[$i] | tojson | utf8bytelength) + 1)} else . end)
  | $a[0:.n];'

# A snapshot as the results describe it (the catalog can be rebuilt from these).
# shellcheck disable=SC2016
JQ_SNAP='def tagval($p): ((.tags // []) | map(select(startswith($p)) | ltrimstr($p)) | first) // null;
  def snap: {id, shortId: .short_id, time, paths: (.paths // []), tags: (.tags // []),
    kind: tagval("hks-kind:"), backupId: tagval("hks-backup:"), runId: tagval("hks-run:")};'
