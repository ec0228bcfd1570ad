# shellcheck shell=bash
# Function "mysqldump": <time>.sql.zst or <time>.sql.gz (mariadb-dump, or mysqldump).
# Connection: HKS_DB_HOST (default 127.0.0.1, always TCP), HKS_DB_PORT (3306), HKS_DB_NAME
# (required), HKS_DB_USER; the password only via MYSQL_PWD in the environment.

my_conn() {
  MY_DUMP=mysqldump
  command -v mariadb-dump >/dev/null 2>&1 && MY_DUMP=mariadb-dump
  MY_CLIENT=mysql
  command -v mariadb >/dev/null 2>&1 && MY_CLIENT=mariadb
  MY_CONN=(--protocol=TCP --host="${HKS_DB_HOST:-127.0.0.1}" --port="${HKS_DB_PORT:-3306}")
  [[ -n "${HKS_DB_USER:-}" ]] && MY_CONN+=(--user="$HKS_DB_USER")
  [[ -n "${HKS_DB_NAME:-}" ]] || hks_fail "HKS_DB_NAME is required for mysqldump (the database to dump)."
  MY_WHERE="database ${HKS_DB_NAME} on ${HKS_DB_HOST:-127.0.0.1}:${HKS_DB_PORT:-3306}"
}

# my_probe -> connects once (clear errors for a wrong name or login) and sets R_SOURCE_BYTES
my_probe() {
  local err="$HKS_TMP/my.err" size rc=0
  my_conn
  # The database is selected by --database (data, never SQL text); the query uses database().
  size="$("$MY_CLIENT" "${MY_CONN[@]}" --connect-timeout=15 --database="$HKS_DB_NAME" --batch --skip-column-names \
    --execute='select coalesce(sum(data_length + index_length), 0) from information_schema.tables where table_schema = database()' 2>"$err")" || rc=$?
  if ((rc != 0)); then
    [[ -s "$err" ]] && cat -- "$err" >&2
    if grep -qE 'ERROR 1049|Unknown database' "$err"; then
      hks_fail_missing "The ${MY_WHERE} does not exist: check the backup's database name."
    fi
    hks_fail "Cannot connect to the ${MY_WHERE}${HKS_DB_USER:+ as ${HKS_DB_USER}}: $(tail_text "$err" 600)"
  fi
  size="${size//[^0-9]/}"
  R_SOURCE_BYTES="${size:-0}"
}

mysql_backup() {
  local stamp="$1" err="$HKS_TMP/my.err" rc=0
  compressor_for "$HKS_COMPRESSION"
  R_SNAPSHOT="${stamp}.sql.${EXT_SUFFIX}"
  local final="$HKS_DEST_DIR/$R_SNAPSHOT"
  [[ ! -e "$final" ]] || { local s="$R_SNAPSHOT"; R_SNAPSHOT=""; hks_fail "Snapshot ${s} already exists in ${HKS_DEST_DIR}; refusing to overwrite it."; }
  my_probe
  precheck_space "$HKS_DEST_DIR" "$R_SOURCE_BYTES" "the ${MY_WHERE}"

  HKS_PARTIAL="${final}.partial"
  log "${MY_DUMP}: dumping the ${MY_WHERE} into ${HKS_PARTIAL} with ${COMPRESS[0]}"
  local -a st
  set +e
  "$MY_DUMP" "${MY_CONN[@]}" --single-transaction --quick --routines --triggers --hex-blob \
    --default-character-set=utf8mb4 -- "$HKS_DB_NAME" 2>>"$err" |
    { "${COMPRESS[@]}" >"$HKS_PARTIAL"; } 2>>"$err"
  st=("${PIPESTATUS[@]}")
  set -e
  [[ -s "$err" ]] && cat -- "$err" >&2
  local dump_rc="${st[0]:-1}" comp_rc="${st[1]:-1}"
  log "${MY_DUMP}: exit ${dump_rc}, ${COMPRESS[0]} exit ${comp_rc}"
  is_enospc "$err" && fail_enospc "snapshot ${R_SNAPSHOT}"
  ((dump_rc == 0)) || hks_fail "${MY_DUMP} failed (exit ${dump_rc}) for the ${MY_WHERE}: $(tail_text "$err" 800)"
  ((comp_rc == 0)) || hks_fail "${COMPRESS[0]} failed while writing ${R_SNAPSHOT} (exit ${comp_rc}): $(tail_text "$err" 800)"
  R_FILES=1
  R_BYTES="$(du_bytes "$HKS_PARTIAL")"
}

# mysql_verify PATH NAME -> decompresses the dump and checks the completion trailer
mysql_verify() {
  local path="$1" name="$2" err="$HKS_TMP/verify.err" last
  decompressor_for "$name"
  local -a st
  set +e
  "${DECOMPRESS[@]}" "$path" 2>"$err" | tail -n 1 >"$HKS_TMP/last-line"
  st=("${PIPESTATUS[@]}")
  set -e
  if [[ "${st[0]}" != 0 ]]; then
    VERIFY_DETAIL="${DECOMPRESS[0]} exit ${st[0]}: $(tail_text "$err" 600)"
    return 1
  fi
  last="$(cat -- "$HKS_TMP/last-line")"
  if [[ "$last" != "-- Dump completed"* ]]; then
    VERIFY_DETAIL="the dump does not end with the '-- Dump completed' line, so it is truncated"
    return 1
  fi
  R_FILES=1
  return 0
}
