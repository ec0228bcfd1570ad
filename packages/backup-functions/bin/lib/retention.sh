#!/usr/bin/env bash
# shellcheck shell=bash
# Retention (restic/borg-like "forget" policy) for the snapshots in one destination folder.
#
# Policy (environment): HKS_KEEP_LAST, HKS_KEEP_DAILY, HKS_KEEP_WEEKLY, HKS_KEEP_MONTHLY
# (non-negative integers; unset or 0 = rule off; all off = keep everything), HKS_TIMEZONE
# (IANA, default UTC) for the day / ISO week / month buckets.
#
# Algorithm (the same as planPrune() in src/retention.ts; shared fixtures keep them in step):
#   snapshots = names in the folder matching <YYYYMMDDTHHMMSSZ>[.tar.zst|.tar.gz|.pgdump|.sql.zst|.sql.gz]
#   sorted newest first (time, then name, descending);
#   walking that list, a snapshot is kept when
#     - it is the newest one, or
#     - keepLast still has budget (budget--), or
#     - for each of daily/weekly/monthly: its bucket differs from the bucket of the last snapshot
#       that rule kept and the rule still has budget (budget--);
#   everything else is removed. The union of the rules is kept.
#
# Sourced by hks-backup (retention_apply), or run directly to print the plan
# ("keep NAME" / "remove NAME", newest first) for HKS_DEST_DIR without deleting anything.

# retention_policy_empty -> true when no rule is on
retention_policy_empty() {
  local v
  for v in "${HKS_KEEP_LAST:-}" "${HKS_KEEP_DAILY:-}" "${HKS_KEEP_WEEKLY:-}" "${HKS_KEEP_MONTHLY:-}"; do
    [[ -n "$v" && "$v" =~ ^[0-9]+$ ]] && ((10#$v > 0)) && return 1
  done
  return 0
}

# valid_stamp YYYYMMDDTHHMMSSZ -> true when it is a real calendar time (no leap seconds)
valid_stamp() {
  local y=$((10#${1:0:4})) m=$((10#${1:4:2})) d=$((10#${1:6:2}))
  local hh=$((10#${1:9:2})) mm=$((10#${1:11:2})) ss=$((10#${1:13:2})) dim
  ((m >= 1 && m <= 12 && d >= 1 && hh < 24 && mm < 60 && ss < 60)) || return 1
  case $m in
    2) dim=28; if ((y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))); then dim=29; fi ;;
    4 | 6 | 9 | 11) dim=30 ;;
    *) dim=31 ;;
  esac
  ((d <= dim))
}

# retention_table DIR -> "NAME EPOCH DAY WEEK MONTH" lines, newest first
retention_table() {
  local dir="$1" tz="${HKS_TIMEZONE:-UTC}" p n s
  local -a names=() stamps=()
  while IFS= read -r -d '' p; do
    n="${p##*/}"
    [[ "$n" =~ ^[0-9]{8}T[0-9]{6}Z(\.tar\.zst|\.tar\.gz|\.pgdump|\.sql\.zst|\.sql\.gz)?$ ]] || continue
    s="${n:0:16}"
    valid_stamp "$s" || continue
    names+=("$n")
    stamps+=("${s:0:4}-${s:4:2}-${s:6:2} ${s:9:2}:${s:11:2}:${s:13:2} UTC")
  done < <(find "$dir" -mindepth 1 -maxdepth 1 -print0 2>/dev/null)
  ((${#names[@]} > 0)) || return 0
  # one date call for all buckets, in the policy's time zone
  paste -d ' ' \
    <(printf '%s\n' "${names[@]}") \
    <(printf '%s\n' "${stamps[@]}" | TZ="$tz" date -f - '+%s %Y-%m-%d %G-W%V %Y-%m') |
    LC_ALL=C sort -k2,2nr -k1,1r
}

# retention_plan DIR -> "keep NAME" / "remove NAME" lines, newest first
retention_plan() {
  local dir="$1"
  if retention_policy_empty; then
    retention_table "$dir" | awk '{ print "keep", $1 }'
    return 0
  fi
  retention_table "$dir" | awk \
    -v kl="$((10#${HKS_KEEP_LAST:-0}))" -v kd="$((10#${HKS_KEEP_DAILY:-0}))" \
    -v kw="$((10#${HKS_KEEP_WEEKLY:-0}))" -v km="$((10#${HKS_KEEP_MONTHLY:-0}))" '
    BEGIN { ld = ""; lw = ""; lm = "" }
    {
      keep = (NR == 1)
      if (kl > 0) { keep = 1; kl-- }
      if (kd > 0 && $3 != ld) { keep = 1; ld = $3; kd-- }
      if (kw > 0 && $4 != lw) { keep = 1; lw = $4; kw-- }
      if (km > 0 && $5 != lm) { keep = 1; lm = $5; km-- }
      print (keep ? "keep" : "remove"), $1
    }'
}

# retention_apply DIR PROTECT -> deletes what the plan removes (never PROTECT), fills R_PRUNED
retention_apply() {
  local dir="$1" protect="${2:-}" action name plan
  if retention_policy_empty; then
    log "retention: no policy, keeping every snapshot"
    return 0
  fi
  plan="$(retention_plan "$dir")" || { log "retention: could not list ${dir}; nothing pruned"; return 0; }
  while read -r action name; do
    [[ "$action" == "remove" && -n "$name" ]] || continue
    if [[ "$name" == "$protect" ]]; then
      log "retention: keeping ${name} (the snapshot just written) although the policy would remove it"
      continue
    fi
    if rm -rf -- "${dir:?}/${name}"; then
      log "retention: pruned ${name}"
      R_PRUNED+=("$name")
    else
      log "retention: could not delete ${dir}/${name}"
      RETENTION_WARNING="could not delete some old snapshots"
    fi
  done <<<"$plan"
}

# Run directly: print the plan for HKS_DEST_DIR.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  : "${HKS_DEST_DIR:?HKS_DEST_DIR is required}"
  retention_plan "$HKS_DEST_DIR"
fi
