# Shared by the stress scripts: a dbmig project with a chain of N revisions, and a fresh database
# per trial. Needs DBMIG (the binary), DIALECT (sqlite|postgresql) and, for PostgreSQL,
# DBMIG_TEST_PG_URL (scripts/test.sh sets it).
set -euo pipefail
work=$(mktemp -d /tmp/dbmig-stress.XXXXXX)
pg_db=""
cleanup() {
  [ -n "$pg_db" ] && psql -X -q "$DBMIG_TEST_PG_URL" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
"$DBMIG" init >/dev/null 2>&1
echo "database_url: \${STRESS_URL}" > dbmig.yaml

if [ "$DIALECT" = postgresql ]; then
  [ -n "${DBMIG_TEST_PG_URL:-}" ] || { echo "DBMIG_TEST_PG_URL is not set: run scripts/test.sh" >&2; exit 1; }
  pg_db="dbmig_stress_$$"
  psql -X -q "$DBMIG_TEST_PG_URL" -c "CREATE DATABASE $pg_db" >/dev/null
  # DBMIG_STRESS_PG_VIA: the same server through a pooler (tests/fleet/stress_pgbouncer.sh).
  export STRESS_URL="${DBMIG_STRESS_PG_VIA:-${DBMIG_TEST_PG_URL%/*}}/$pg_db"
else
  export STRESS_URL="sqlite:///$work/app.db"
fi

sql() {  # sql QUERY -> rows, columns joined by '|'
  if [ "$DIALECT" = postgresql ]; then psql -X -q -At -F '|' "$STRESS_URL" -c "$1"; else sqlite3 "$work/app.db" "$1"; fi
}

fresh_database() {
  if [ "$DIALECT" = postgresql ]; then
    sql "DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null 2>&1
  else
    rm -f "$work/app.db" "$work/app.db-journal"
  fi
}

rev_id() { printf 'r%02d' "$1"; }

# write_chain N: r01 creates log; every later revision logs itself once and creates a table.
write_chain() {
  local n=$1 i id prev
  cat > migrations/versions/r01.yaml <<YAML
revision: "r01"
down_revision: null
upgrade:
  - create_table: {name: log, columns: [{name: rev, type: string(10), nullable: false}]}
  - execute: "INSERT INTO log (rev) VALUES ('r01')"
downgrade:
  - drop_table: {name: log}
YAML
  for ((i = 2; i <= n; i++)); do
    id=$(rev_id "$i"); prev=$(rev_id $((i - 1)))
    cat > "migrations/versions/$id.yaml" <<YAML
revision: "$id"
down_revision: "$prev"
upgrade:
  - execute: "INSERT INTO log (rev) VALUES ('$id')"
  - create_table: {name: t_$id, columns: [{name: id, type: integer, primary_key: true}]}
downgrade:
  - drop_table: {name: t_$id}
  - execute: "DELETE FROM log WHERE rev = '$id'"
YAML
  done
}

version() { sql "SELECT version_num FROM alembic_version" 2>/dev/null || true; }

# check_state: the version table names revision K (or nothing), the log holds r01..rK once each,
# and exactly the tables t_r02..t_rK exist.
check_state() {
  local v k expected_tables actual_tables
  v=$(version)
  if [ -z "$v" ]; then k=0; else k=$((10#${v#r})); fi
  local log
  log=$(sql "SELECT rev FROM log ORDER BY rev" 2>/dev/null || true)
  local expected_log=""
  for ((i = 1; i <= k; i++)); do expected_log+="$(rev_id "$i")"$'\n'; done
  if [ "$log"$'\n' != "$expected_log" ] && ! { [ -z "$log" ] && [ -z "$expected_log" ]; }; then
    echo "version '$v' but the log holds: $(echo "$log" | tr '\n' ' ')" >&2
    return 1
  fi
  if [ "$DIALECT" = postgresql ]; then
    actual_tables=$(sql "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\_%' ORDER BY 1")
  else
    actual_tables=$(sql "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't\_%' ESCAPE '\\' ORDER BY 1")
  fi
  expected_tables=""
  for ((i = 2; i <= k; i++)); do expected_tables+="t_$(rev_id "$i")"$'\n'; done
  if [ "$actual_tables"$'\n' != "$expected_tables" ] && ! { [ -z "$actual_tables" ] && [ -z "$expected_tables" ]; }; then
    echo "version '$v' but the tables are: $(echo "$actual_tables" | tr '\n' ' ')" >&2
    return 1
  fi
}
