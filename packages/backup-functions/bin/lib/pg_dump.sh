# shellcheck shell=bash
# Function "pg_dump": <time>.pgdump in pg_dump's custom format (-Fc, compressed).
# Connection: HKS_DB_HOST (default localhost), HKS_DB_PORT (5432), HKS_DB_NAME (required),
# HKS_DB_USER (default: libpq's); the password only via PGPASSWORD in the environment.

pg_conn() {
  PG_CONN=(--host="${HKS_DB_HOST:-localhost}" --port="${HKS_DB_PORT:-5432}" --no-password)
  [[ -n "${HKS_DB_USER:-}" ]] && PG_CONN+=(--username="$HKS_DB_USER")
  [[ -n "${HKS_DB_NAME:-}" ]] || hks_fail "HKS_DB_NAME is required for pg_dump (the database to dump)."
  PG_WHERE="database ${HKS_DB_NAME} on ${HKS_DB_HOST:-localhost}:${HKS_DB_PORT:-5432}"
  export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-15}"
}

# pg_probe -> connects once (clear errors for a wrong name or login) and sets R_SOURCE_BYTES
pg_probe() {
  local err="$HKS_TMP/pg.err" size rc=0
  pg_conn
  size="$(psql "${PG_CONN[@]}" --dbname="$HKS_DB_NAME" -X -A -t -q -v ON_ERROR_STOP=1 \
    -c 'select pg_database_size(current_database())' 2>"$err")" || rc=$?
  if ((rc != 0)); then
    [[ -s "$err" ]] && cat -- "$err" >&2
    if grep -qE 'database ".*" does not exist' "$err"; then
      hks_fail_missing "The ${PG_WHERE} does not exist: check the backup's database name."
    fi
    hks_fail "Cannot connect to the ${PG_WHERE}${HKS_DB_USER:+ as ${HKS_DB_USER}}: $(tail_text "$err" 600)"
  fi
  size="${size//[^0-9]/}"
  R_SOURCE_BYTES="${size:-0}"
}

pg_backup() {
  local stamp="$1" err="$HKS_TMP/pg.err" rc=0
  R_SNAPSHOT="${stamp}.pgdump"
  local final="$HKS_DEST_DIR/$R_SNAPSHOT"
  [[ ! -e "$final" ]] || { local s="$R_SNAPSHOT"; R_SNAPSHOT=""; hks_fail "Snapshot ${s} already exists in ${HKS_DEST_DIR}; refusing to overwrite it."; }
  pg_probe
  precheck_space "$HKS_DEST_DIR" "$R_SOURCE_BYTES" "the ${PG_WHERE}"

  HKS_PARTIAL="${final}.partial"
  log "pg_dump: dumping the ${PG_WHERE} into ${HKS_PARTIAL}"
  rc=0
  pg_dump "${PG_CONN[@]}" --dbname="$HKS_DB_NAME" --format=custom --file="$HKS_PARTIAL" 2>>"$err" || rc=$?
  [[ -s "$err" ]] && cat -- "$err" >&2
  log "pg_dump: exit ${rc}"
  is_enospc "$err" && fail_enospc "snapshot ${R_SNAPSHOT}"
  if ((rc != 0)); then
    if grep -q 'server version mismatch' "$err"; then
      hks_fail "pg_dump $(pg_dump --version | awk '{ print $3 }') is older than the PostgreSQL server: $(tail_text "$err" 400). Use a backup image with a newer PostgreSQL client."
    fi
    hks_fail "pg_dump failed (exit ${rc}) for the ${PG_WHERE}: $(tail_text "$err" 800)"
  fi
  R_FILES=1
  R_BYTES="$(du_bytes "$HKS_PARTIAL")"
}

# pg_verify PATH -> the dump's table of contents and all its data read back
pg_verify() {
  local path="$1" err="$HKS_TMP/verify.err" rc=0
  pg_restore --list -- "$path" >/dev/null 2>"$err" || rc=$?
  if ((rc == 0)); then
    # --list reads only the table of contents; this reads (and decompresses) every data block
    pg_restore --file=/dev/null -- "$path" 2>"$err" || rc=$?
  fi
  if ((rc != 0)); then
    VERIFY_DETAIL="pg_restore exit ${rc}: $(tail_text "$err" 600)"
    return 1
  fi
  R_FILES=1
  return 0
}
