#!/usr/bin/env bash
# Write stalls under load (issue 15): a table of 1,000,000 rows under a steady write load
# (pgbench, custom script, several clients, every transaction's latency logged). Prints the
# longest write stall while
#   1. an index is built by plain DDL (CREATE INDEX) vs by `dbmig upgrade head` running a
#      revision in the safe form (create_index concurrently: true),
#   2. a check constraint and NOT NULL over 1,000,000 NULLs (filled with the new default): plain
#      DDL in one transaction vs the revision `dbmig migrate --online` writes (check not_valid +
#      validate, batched backfill, NOT NULL through a validated check), run in phases,
#   3. a session holds a lock on the table for several seconds and a DDL statement queues
#      behind it: plain psql (no lock timeout) vs dbmig with a short DDL lock timeout and
#      retries (it succeeds once the lock is gone), and dbmig with too few retries (exit 1
#      naming the blocking session).
# Prints figures; asserts nothing. usage: scripts/bench/online.sh [DBMIG_BINARY]
# Uses $DBMIG_TEST_PG_URL if set, else starts a throwaway cluster.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
dbmig=$(realpath "${1:-$repo/build/dbmig}")
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
clients=${CLIENTS:-4}
work=$(mktemp -d /tmp/dbmig-online.XXXXXX)
chmod 777 "$work"
pg_dir=""
cleanup() {
  [ -n "$pg_dir" ] && "$repo/scripts/pg_cluster.sh" stop "$pg_dir"
  rm -rf "$work"
}
trap cleanup EXIT
admin=${DBMIG_TEST_PG_URL:-}
if [ -z "$admin" ]; then
  pg_dir=$(mktemp -d /tmp/dbmig-online-pg.XXXXXX)
  admin=$("$repo/scripts/pg_cluster.sh" start "$pg_dir")
fi
url="${admin%/*}/dbmig_online"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
psql "$admin" -c "DROP DATABASE IF EXISTS dbmig_online WITH (FORCE)" -c "CREATE DATABASE dbmig_online"

reset_table() {
  psql "$url" -c "DROP TABLE IF EXISTS items, alembic_version, dbmig_history" \
    -c "CREATE TABLE items (id integer PRIMARY KEY, v integer NOT NULL, note text)" \
    -c "INSERT INTO items SELECT g, g % 1000, NULL FROM generate_series(1, 1000000) g" \
    -c "VACUUM ANALYZE items"
}
cat > "$work/write.sql" <<'SQL'
\set id random(1, 1000000)
UPDATE items SET v = v + 1 WHERE id = :id;
SQL

# Runs pgbench for $1 seconds in the background; `stall` later prints its longest latency (s).
start_load() {
  rm -f "$work"/pgbench_log.*
  (cd "$work" && "$pgbin/pgbench" -n -f write.sql -c "$clients" -j 2 -T "$1" -l "$url" > pgbench.out 2>&1) &
  load_pid=$!
  sleep 2
}
stall() {
  wait "$load_pid" || true
  cat "$work"/pgbench_log.* | awk 'BEGIN{m=0} {if ($3 > m) m = $3} END{printf "%.3f", m / 1e6}'
}

project() {  # a dbmig project in $work/p with one revision ($1: its upgrade ops, $2: extra top keys)
  rm -rf "$work/p"
  mkdir -p "$work/p/migrations/versions"
  printf 'database_url: %s\nscript_location: migrations\nmodels: models.yaml\n%b' "$url" "${3:-}" > "$work/p/dbmig.yaml"
  echo "tables: {}" > "$work/p/models.yaml"
  printf 'revision: "b1"\ndown_revision: null\n%bupgrade:\n%bdowngrade: []\n' "${2:-}" "$1" > "$work/p/migrations/versions/b1_change.yaml"
}

echo "dbmig online bench: 1,000,000 rows, $clients pgbench clients (UPDATE by primary key), longest write stall"

reset_table
start_load 12
psql "$url" -c "CREATE INDEX ix_items_v ON items (v)"
echo "index build, plain CREATE INDEX:                      $(stall) s"

reset_table
project "  - create_index: {name: ix_items_v, table: items, columns: [v], concurrently: true}\n"
start_load 12
(cd "$work/p" && "$dbmig" -q upgrade head)
echo "index build, dbmig (concurrently: true):              $(stall) s"

reset_table
start_load 20
psql "$url" -c "BEGIN; ALTER TABLE items ADD CONSTRAINT ck_items_v CHECK (v >= 0); ALTER TABLE items ALTER note SET DEFAULT '-';
  UPDATE items SET note = '-' WHERE note IS NULL; ALTER TABLE items ALTER note SET NOT NULL; COMMIT"
echo "check + NOT NULL over NULLs, plain DDL:               $(stall) s"

reset_table
rm -rf "$work/p"
mkdir -p "$work/p"
(cd "$work/p" && "$dbmig" init > /dev/null 2>&1)
printf 'database_url: %s\nscript_location: migrations\nmodels: models.yaml\n' "$url" > "$work/p/dbmig.yaml"
cat > "$work/p/models.yaml" <<'YAML'
tables:
  items:
    columns:
      id: {type: integer, primary_key: true, autoincrement: false}
      v: {type: integer, nullable: false}
      note: {type: text, nullable: false, server_default: "'-'"}
    checks:
      ck_items_v: "v >= 0"
YAML
(cd "$work/p" && "$dbmig" -q migrate --online -m online --rev-id c1 > /dev/null)
start_load 30
start=$(date +%s.%N)
(cd "$work/p" && "$dbmig" -q upgrade head)
took=$(echo "$(date +%s.%N) - $start" | bc)
echo "check + NOT NULL over NULLs, dbmig migrate --online:  $(stall) s (upgrade took $(printf '%.1f' "$took") s)"

# A session holds ACCESS SHARE on the table for 5 s (a long report, say); the DDL needs ACCESS
# EXCLUSIVE, so it queues behind it, and the writers queue behind the DDL.
hold() { psql "$url" -c "BEGIN; LOCK TABLE items IN ACCESS SHARE MODE; SELECT pg_sleep(5); COMMIT" > /dev/null & sleep 0.5; }
reset_table
start_load 12
hold
psql "$url" -c "ALTER TABLE items ADD COLUMN flag boolean"
echo "lock holder 5 s, plain ALTER TABLE (no lock timeout):  $(stall) s"

reset_table
project "  - add_column: {table: items, column: {name: flag, type: boolean}}\n" "" "lock_timeout: 0.2\nlock_retries: 10\n"
start_load 12
hold
start=$(date +%s.%N)
(cd "$work/p" && "$dbmig" -q upgrade head 2> "$work/dbmig.err") && rc=0 || rc=$?
took=$(echo "$(date +%s.%N) - $start" | bc)
echo "lock holder 5 s, dbmig lock_timeout 0.2 s, 10 retries: $(stall) s (dbmig exit $rc after $(printf '%.1f' "$took") s, $(grep -c 'Waited' "$work/dbmig.err") retries)"

reset_table
project "  - add_column: {table: items, column: {name: flag, type: boolean}}\n" "" "lock_timeout: 0.2\nlock_retries: 2\n"
start_load 8
hold
(cd "$work/p" && "$dbmig" -q upgrade head 2> "$work/dbmig.err") && rc=0 || rc=$?
echo "lock holder 5 s, dbmig lock_timeout 0.2 s, 2 retries:  $(stall) s (dbmig exit $rc)"
echo "  $(tail -n 1 "$work/dbmig.err" | cut -c1-400)"
wait
