# shellcheck shell=bash
# Common helpers for the HKS backup functions: logging, the result record, sizes, names.
# Sourced by bin/hks-backup. Every value that comes from the environment is data: it is only
# ever passed as a quoted argument, never spliced into a shell line or an SQL text.

# ---------------------------------------------------------------------------------------------
# Result record (written once, as one JSON line, by hks_write_result from the EXIT trap)
# ---------------------------------------------------------------------------------------------
R_MODE="${HKS_MODE:-backup}"
R_FUNCTION="${HKS_FUNCTION:-}"
R_OUTCOME=""
R_REASON=""
R_SNAPSHOT=""
R_BYTES=0
R_FILES=0
R_SOURCE_BYTES=0
R_DEST_FREE=0
R_DEST_TOTAL=0
R_VERIFIED=""        # "" -> null, "true", "false"
R_PRUNED=()
R_MESSAGE=""
R_FORMAT="plain"     # plain (tar/rsync/dump files) or restic
R_EXTRA=""           # further JSON members of the result ("a":1,"b":[...]), kept small by their writer
R_EXIT=""            # set by hks_finish
R_SPACE_DIR=""       # folder whose filesystem free/total is reported
R_START_MS="$((${EPOCHREALTIME/./} / 1000))"

HKS_PARTIAL=""       # path of the .partial snapshot being written (removed on failure)
HKS_TMP=""           # private temp folder (removed on exit)
HKS_STAGING=""       # restore staging folder (removed on failure)

HKS_RESULT_MAX_BYTES=4095  # + the newline = 4096
HKS_SNAPSHOT_RE='^[0-9]{8}T[0-9]{6}Z(\.tar\.zst|\.tar\.gz|\.pgdump|\.sql\.zst|\.sql\.gz)?$'

# Builtins only (printf's strftime, EPOCHREALTIME): a process start costs up to a second on a busy node.
log() { TZ=UTC0 printf '%(%Y-%m-%dT%H:%M:%SZ)T hks-backup: %s\n' -1 "$*" >&2; }

# hks_finish OUTCOME REASON EXIT_CODE MESSAGE -> records the result and exits.
hks_finish() {
  R_OUTCOME="$1"
  R_REASON="$2"
  R_EXIT="$3"
  R_MESSAGE="$4"
  exit "$3"
}
hks_fail()           { hks_finish FAILED ERROR 1 "$1"; }
hks_fail_quota()     { hks_finish FAILED QUOTA_EXCEEDED 28 "$1"; }
hks_fail_missing()   { hks_finish FAILED SOURCE_MISSING 66 "$1"; }
hks_fail_corrupt()   { hks_finish FAILED CORRUPT 65 "$1"; }
hks_fail_key()       { hks_finish FAILED KEY_INVALID 77 "$1"; }

# ---------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------
# json_esc VALUE -> sets REPLY to the JSON-escaped text (without quotes); no subshells
json_esc() {
  local s="$1"
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  s="${s//$'\n'/\\n}"
  s="${s//$'\r'/\\r}"
  s="${s//$'\t'/\\t}"
  # the remaining control characters are not allowed raw in JSON: drop them
  s="${s//[$'\001'-$'\010'$'\013'$'\014'$'\016'-$'\037'$'\177']/}"
  REPLY="$s"
}
json_str() { json_esc "$1"; printf '"%s"' "$REPLY"; }
json_str_or_null() { if [[ -n "$1" ]]; then json_str "$1"; else printf 'null'; fi; }
json_int() { if [[ "$1" =~ ^[0-9]+$ ]]; then printf '%s' "$((10#$1))"; else printf '0'; fi; }

# byte length of a string, independent of the locale
byte_len() {
  local LC_ALL=C
  printf '%s' "${#1}"
}

# Builds the result line (no newline) within HKS_RESULT_MAX_BYTES (the Kubernetes termination
# message limit): the message is shortened first, then the pruned list (with a note).
hks_build_result() {
  local -a pe=()
  local p i n head tail msg="$R_MESSAGE" line len excess keep verified="null"
  for p in "${R_PRUNED[@]}"; do json_esc "$p"; pe+=("\"$REPLY\""); done
  n=${#pe[@]}
  [[ "$R_VERIFIED" == "true" || "$R_VERIFIED" == "false" ]] && verified="$R_VERIFIED"
  head="{\"mode\":$(json_str "$R_MODE"),\"function\":$(json_str "$R_FUNCTION"),\"outcome\":$(json_str "$R_OUTCOME"),\"reason\":$(json_str_or_null "$R_REASON"),\"snapshot\":$(json_str_or_null "$R_SNAPSHOT")"
  head+=",\"bytes\":$(json_int "$R_BYTES"),\"files\":$(json_int "$R_FILES"),\"sourceBytes\":$(json_int "$R_SOURCE_BYTES"),\"destFreeBytes\":$(json_int "$R_DEST_FREE"),\"destTotalBytes\":$(json_int "$R_DEST_TOTAL"),\"durationMs\":$(json_int "$R_DURATION_MS"),\"verified\":${verified},\"format\":$(json_str "$R_FORMAT")"
  [[ -n "$R_EXTRA" ]] && head+=",${R_EXTRA}"
  local attempt
  for attempt in 1 2 3 4 5 6; do
    json_esc "$msg"
    tail="$REPLY"
    local IFS=,
    line="${head},\"pruned\":[${pe[*]:0:n}],\"message\":\"${tail}\"}"
    unset IFS
    len="$(byte_len "$line")"
    ((len > HKS_RESULT_MAX_BYTES)) || break
    excess=$((len - HKS_RESULT_MAX_BYTES))
    if ((${#msg} > 300)); then
      # each character is at least one byte once escaped: cutting excess+32 characters is enough
      keep=$((${#msg} - excess - 32))
      ((keep < 280)) && keep=280
      msg="${msg:0:keep}… (truncated)"
    elif ((n > 0)); then
      local freed=0
      while ((n > 0 && freed < excess + 120)); do
        n=$((n - 1))
        freed=$((freed + ${#pe[n]} + 1))
      done
      msg="${R_MESSAGE:0:150}… (${#R_PRUNED[@]} snapshots pruned; only the first ${n} are listed)"
    else
      msg="${msg:0:100}"
    fi
  done
  printf '%s' "$line"
}

# ---------------------------------------------------------------------------------------------
# Sizes, numbers, space
# ---------------------------------------------------------------------------------------------
# In the lab, HKS_LAB_BYTES_PER_GIB real bytes make a GiB of PV capacity ("a lab GiB is a real MiB"): sizes are printed
# in lab units so logs and messages read like the volume usage the product shows. JSON results stay real bytes.
human_bytes() {
  local b="${1:-0}"
  # without the lab's scale, in bash: tenths by integer arithmetic, as awk's %.1f rounds them
  if [[ -z "${HKS_LAB_BYTES_PER_GIB:-}" && "$b" =~ ^[0-9]+$ ]]; then
    local -a u=(B KiB MiB GiB TiB PiB)
    local i=0 d=1
    while ((b >= d * 1024 && i < 5)); do d=$((d * 1024)); i=$((i + 1)); done
    if ((i == 0)); then printf '%d B' "$b"; else
      local t=$(((b * 10 + d / 2) / d))
      printf '%d.%d %s' $((t / 10)) $((t % 10)) "${u[i]}"
    fi
    return 0
  fi
  awk -v b="${1:-0}" -v per="${HKS_LAB_BYTES_PER_GIB:-}" 'BEGIN {
    split("B KiB MiB GiB TiB PiB", u, " "); i = 1; v = b + 0
    if (per ~ /^[0-9]+$/ && per + 0 > 0) v = v * 1073741824 / per
    while (v >= 1024 && i < 6) { v /= 1024; i++ }
    if (i == 1) printf "%d B", v; else printf "%.1f %s", v, u[i] }'
}

# df_fields DIR -> "TOTAL AVAIL" in bytes (or nothing when df fails)
df_fields() {
  local _fs total _used avail
  { read -r _ && read -r _fs total _used avail _; } < <(LC_ALL=C df -P --block-size=1 -- "$1" 2>/dev/null) || return 0
  [[ -n "$avail" ]] && printf '%s %s' "$total" "$avail"
  return 0
}

# measure_space DIR -> sets R_DEST_TOTAL and R_DEST_FREE
measure_space() {
  local f
  f="$(df_fields "$1" || true)"
  if [[ -n "$f" ]]; then
    R_DEST_TOTAL="${f%% *}"
    R_DEST_FREE="${f##* }"
  fi
}

# du_bytes PATH... -> apparent size in bytes of everything below the paths (hard links once)
du_bytes() {
  if (($# == 1)); then
    local n
    read -r n _ < <(LC_ALL=C du -sb -- "$1" 2>/dev/null) || true
    printf '%d' "${n:-0}"
    return 0
  fi
  LC_ALL=C du -sb -- "$@" 2>/dev/null | awk '{ s += $1 } END { printf "%d", s + 0 }'
}

# count_files DIR -> number of non-directory entries below DIR
count_files() {
  find "$1" -mindepth 1 ! -type d -printf 'x' 2>/dev/null | wc -c | tr -d ' '
}

# estimate BYTES -> BYTES * HKS_SIZE_ESTIMATE_FACTOR, rounded up
estimate_bytes() {
  awk -v b="$1" -v f="$HKS_SIZE_ESTIMATE_FACTOR" 'BEGIN { v = b * f; r = int(v); if (r < v) r++; printf "%d", r }'
}

# precheck_space DEST_DIR SOURCE_BYTES WHAT -> exits 28 when the estimate does not fit
precheck_space() {
  local dir="$1" source_bytes="$2" what="$3" need
  measure_space "$dir"
  need="$(estimate_bytes "$source_bytes")"
  log "space check: ${what} $(human_bytes "$source_bytes") (estimate $(human_bytes "$need")), destination free $(human_bytes "$R_DEST_FREE") of $(human_bytes "$R_DEST_TOTAL")"
  if [[ -n "$R_DEST_TOTAL" && "$R_DEST_TOTAL" != 0 ]] && ((need > R_DEST_FREE)); then
    hks_fail_quota "Destination ${dir} has $(human_bytes "$R_DEST_FREE") free but ${what} needs $(human_bytes "$need"): expand the backup volume or lower retention."
  fi
}

# ---------------------------------------------------------------------------------------------
# Tool output
# ---------------------------------------------------------------------------------------------
# is_enospc FILE... -> true when a tool reported a full destination. GNU tar reports a short
# write while extracting as "Wrote only N of M bytes" without the errno text.
is_enospc() {
  grep -qiE 'No space left on device|Disk quota exceeded|ENOSPC|EDQUOT|Wrote only [0-9]+ of [0-9]+ bytes' -- "$@" 2>/dev/null
}

# tail_text FILE [MAX_CHARS] -> the last lines of a log file, on one line, for a message
tail_text() {
  local max="${2:-1200}" t
  [[ -f "$1" ]] || return 0
  t="$(tail -n 15 -- "$1" | sed -e 's/[[:space:]]\+$//' -e '/^$/d' | tr '\n' ' ' || true)"
  t="${t% }"
  if ((${#t} > max)); then t="…${t: -max}"; fi
  printf '%s' "$t"
}

# run_logged LOGFILE CMD ARGS... -> runs CMD, copying its stderr to LOGFILE and to our stderr.
run_logged() {
  local logfile="$1"
  shift
  "$@" 2> >(tee -a -- "$logfile" >&2)
}

# ---------------------------------------------------------------------------------------------
# Validation and names
# ---------------------------------------------------------------------------------------------
is_true() { [[ "${1,,}" == "true" || "$1" == "1" || "${1,,}" == "yes" ]]; }

check_uint() { # NAME VALUE
  [[ -z "$2" || "$2" =~ ^[0-9]+$ ]] || hks_fail "$1 must be a non-negative whole number, got '${2}'."
}

check_timezone() {
  local tz="$1"
  [[ "$tz" == "UTC" || "$tz" == "Etc/UTC" ]] && return 0
  if [[ "$tz" == *..* || "$tz" == /* || ! -f "/usr/share/zoneinfo/$tz" ]]; then
    hks_fail "HKS_TIMEZONE '${tz}' is not a known IANA time zone (e.g. Europe/Berlin): fix the backup's time zone."
  fi
}

# snapshot_stamp -> YYYYMMDDTHHMMSSZ of HKS_NOW (if set) or the clock, in UTC
snapshot_stamp() {
  if [[ -n "${HKS_NOW:-}" ]]; then
    date -u -d "$HKS_NOW" +%Y%m%dT%H%M%SZ 2>/dev/null ||
      hks_fail "HKS_NOW '${HKS_NOW}' is not a valid timestamp (use ISO 8601, e.g. 2026-11-26T02:00:00Z)."
  else
    date -u +%Y%m%dT%H%M%SZ
  fi
}

# fresh_snapshot_stamp -> a stamp no snapshot in HKS_DEST_DIR carries yet. Snapshots are named to the second, so a
# run that follows another within the same second (two "run now" in a row) waits for the clock's next second; with
# HKS_NOW fixed the time is the caller's choice, and a clash is refused as before.
fresh_snapshot_stamp() {
  local stamp tries=0
  stamp="$(snapshot_stamp)" || exit $?
  if [[ -z "${HKS_NOW:-}" ]]; then
    while compgen -G "${HKS_DEST_DIR}/${stamp}*" >/dev/null && ((tries++ < 3)); do
      sleep 1
      stamp="$(snapshot_stamp)"
    done
  fi
  printf '%s\n' "$stamp"
}

is_snapshot_name() { [[ "$1" =~ $HKS_SNAPSHOT_RE ]]; }

# newest_snapshot_dir DIR -> name of the newest snapshot folder (rsync/custom), if any
newest_snapshot_dir() {
  local d="$1" name best=""
  while IFS= read -r -d '' name; do
    name="${name##*/}"
    [[ "$name" =~ ^[0-9]{8}T[0-9]{6}Z$ ]] || continue
    [[ -z "$best" || "$name" > "$best" ]] && best="$name"
  done < <(find "$d" -mindepth 1 -maxdepth 1 -type d -print0 2>/dev/null)
  printf '%s' "$best"
}

# remove_stale_partials DIR -> removes <snapshot>.partial leftovers of killed runs
remove_stale_partials() {
  local d="$1" p base
  while IFS= read -r -d '' p; do
    base="${p##*/}"
    is_snapshot_name "${base%.partial}" || continue
    log "removing leftover of an interrupted run: ${p}"
    rm -rf -- "$p" || true
  done < <(find "$d" -mindepth 1 -maxdepth 1 -name '*.partial' -print0 2>/dev/null)
}

now_ms() { printf '%d' $((${EPOCHREALTIME/./} / 1000)); }
