# Shared by the fleet tests: servers the tests start (a second PostgreSQL cluster unless
# scripts/test.sh started one, a PgBouncer), a project whose revisions keep rows and log
# themselves, and assertions. Needs DBMIG (the binary) and DBMIG_TEST_PG_URL.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ -n "${DBMIG_TEST_PG_URL:-}" ] || { echo "DBMIG_TEST_PG_URL is not set: run scripts/test.sh" >&2; exit 1; }
work=$(mktemp -d /tmp/dbmig-fleet.XXXXXX)
second_pg="" bouncer="" created_dbs=()
cleanup() {
  for db in "${created_dbs[@]}"; do
    psql -X -q "${db%%|*}" -c "DROP DATABASE IF EXISTS ${db#*|} WITH (FORCE)" >/dev/null 2>&1 || true
  done
  [ -n "$bouncer" ] && "$root/scripts/pgbouncer.sh" stop "$bouncer"
  [ -n "$second_pg" ] && "$root/scripts/pg_cluster.sh" stop "$second_pg"
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect_eq() {  # expect_eq WHAT ACTUAL EXPECTED
  [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}

pg_a=$DBMIG_TEST_PG_URL
start_second_cluster() {
  if [ -n "${DBMIG_TEST_PG_URL2:-}" ]; then pg_b=$DBMIG_TEST_PG_URL2; return; fi
  second_pg=$(mktemp -d /tmp/dbmig-pg2.XXXXXX)
  pg_b=$("$root/scripts/pg_cluster.sh" start "$second_pg")
}
start_pgbouncer() {  # start_pgbouncer POOL_SIZE -> $via, the URL prefix through PgBouncer
  bouncer=$(mktemp -d /tmp/dbmig-pgbouncer.XXXXXX)
  via=$("$root/scripts/pgbouncer.sh" start "$bouncer" "$pg_a" "$1")
}
create_db() {  # create_db ADMIN_URL NAME -> prints the database's URL
  psql -X -q "$1" -c "DROP DATABASE IF EXISTS $2 WITH (FORCE)" -c "CREATE DATABASE $2" >/dev/null
  created_dbs+=("$1|$2")
  echo "${1%/*}/$2"
}
psql_at() { psql -X -q -At -F '|' "$1" -c "$2"; }

# write_revisions N: r01 creates items with rows (one with NULLs) and the log table; every
# revision logs itself once; r02 adds a column; the others create a table each.
write_revisions() {
  local n=$1 i id prev
  cat > migrations/versions/r01.yaml <<YAML
revision: "r01"
down_revision: null
upgrade:
  - create_table: {name: items, columns: [{name: id, type: integer, primary_key: true}, {name: note, type: string(20)}]}
  - create_table: {name: log, columns: [{name: rev, type: string(10), nullable: false}]}
  - execute: "INSERT INTO items (id, note) VALUES (1, 'one'), (2, NULL)"
  - execute: "INSERT INTO log (rev) VALUES ('r01')"
downgrade:
  - drop_table: {name: log}
  - drop_table: {name: items}
YAML
  cat > migrations/versions/r02.yaml <<YAML
revision: "r02"
down_revision: "r01"
upgrade:
  - add_column: {table: items, column: {name: qty, type: integer}}
  - execute: "INSERT INTO log (rev) VALUES ('r02')"
downgrade:
  - execute: "DELETE FROM log WHERE rev = 'r02'"
  - drop_column: {table: items, name: qty}
YAML
  for ((i = 3; i <= n; i++)); do
    id=$(printf 'r%02d' "$i"); prev=$(printf 'r%02d' $((i - 1)))
    cat > "migrations/versions/$id.yaml" <<YAML
revision: "$id"
down_revision: "$prev"
upgrade:
  - create_table: {name: t_$id, columns: [{name: id, type: integer, primary_key: true}]}
  - execute: "INSERT INTO log (rev) VALUES ('$id')"
downgrade:
  - execute: "DELETE FROM log WHERE rev = '$id'"
  - drop_table: {name: t_$id}
YAML
  done
}
