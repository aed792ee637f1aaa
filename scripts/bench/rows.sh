#!/usr/bin/env bash
# Changes to tables that hold rows (SPEC §7.1), against the floor:
#  - SQLite: a table rebuild (alter_column to NOT NULL with a default, NULLs filled) of a table of
#    ROWS rows by `dbmig upgrade`, beside the same SQL (`dbmig upgrade --sql`: CREATE, INSERT ...
#    SELECT, DROP, RENAME, version table) run by sqlite3 in one transaction; peak memory at ROWS
#    and at ROWS/10 rows, to show it does not grow with the table.
#  - PostgreSQL: the same NOT NULL change with its backfill (UPDATE ... WHERE c IS NULL, SET NOT
#    NULL) by `dbmig upgrade`, beside the same SQL run by psql (the script is one transaction: BEGIN ... COMMIT).
# Every run starts from the same copy of the database; the commands take turns, run by run.
# Prints a markdown table. usage: scripts/bench/rows.sh [RUNS=5] [ROWS=1000000]
# DBMIG=path/to/dbmig uses that binary instead of building a Release one.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
rows=${2:-1000000}
if [ -z "${DBMIG:-}" ]; then
  BUILD_DIR=$repo/build-release BUILD_TYPE=Release "$repo/scripts/build.sh" -DDBMIG_TESTS=OFF
  DBMIG=$repo/build-release/dbmig
fi
work=$(mktemp -d /tmp/dbmig-bench-rows.XXXXXX)
pg_dir=$(mktemp -d /tmp/dbmig-bench-rows-pg.XXXXXX)
trap '"$repo/scripts/pg_cluster.sh" stop "$pg_dir" >/dev/null 2>&1; rm -rf "$work"' EXIT
admin=$("$repo/scripts/pg_cluster.sh" start "$pg_dir")
psql -X -q "$admin" -c 'ALTER SYSTEM SET autovacuum = off' -c 'SELECT pg_reload_conf()' >/dev/null
pg_url() { echo "${admin%/*}/$1"; }
cd "$work"

# A project whose v1 has `items` (name nullable, NULL in every third row) and whose v2 makes
# name NOT NULL with a default.
project() {
  mkdir -p "$1" && (cd "$1" && "$DBMIG" init >/dev/null 2>&1 && echo 'database_url: ${BENCH_URL}' > dbmig.yaml)
  cat > "$1/migrations/versions/v1_items.yaml" <<'Y'
revision: "v1"
down_revision: null
upgrade:
  - create_table:
      name: items
      columns:
        - {name: id, type: integer, primary_key: true}
        - {name: name, type: string(40)}
        - {name: qty, type: integer, nullable: false}
        - {name: note, type: text}
downgrade:
  - drop_table: {name: items}
Y
  cat > "$1/migrations/versions/v2_not_null.yaml" <<'Y'
revision: "v2"
down_revision: "v1"
upgrade:
  - alter_column: {table: items, name: name, nullable: false, server_default: "'none'", existing_type: string(40), existing_nullable: true, existing_server_default: null}
downgrade:
  - alter_column: {table: items, name: name, nullable: true, server_default: null, existing_type: string(40), existing_nullable: false, existing_server_default: "'none'"}
Y
}
fill_sql() {  # ROWS rows into items: SQL for sqlite3 (recursive CTE) or psql (generate_series)
  local series
  if [ "$1" = sqlite ]; then series="(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $2) SELECT i FROM s)"
  else series="generate_series(1, $2) AS s(i)"; fi
  echo "INSERT INTO items (name, qty, note) SELECT CASE WHEN i % 3 = 0 THEN NULL ELSE 'item ' || i END, i % 100, 'a note on item ' || i FROM $series;"
}
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
peak_kib() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

# --- SQLite rebuild --------------------------------------------------------------------------------
sqlite_base() {  # DIR ROWS: a project at v1 whose items holds ROWS rows, saved as base.db
  project "$1"
  (cd "$1" && BENCH_URL=sqlite:///base.db "$DBMIG" -q upgrade v1 && fill_sql sqlite "$2" | sqlite3 base.db)
}
sqlite_base s "$rows"
(cd s && BENCH_URL=sqlite:///base.db "$DBMIG" upgrade --sql v1:v2 > floor.sql)
: > s/dbmig.times && : > s/floor.times
for _ in $(seq "$runs"); do
  cp s/base.db s/run.db && sync
  t0=$(now); (cd s && BENCH_URL=sqlite:///run.db "$DBMIG" -q upgrade head); t1=$(now)
  awk "BEGIN {print $t1 - $t0}" >> s/dbmig.times
  [ "$(sqlite3 s/run.db 'SELECT count(*), count(name) FROM items')" = "$rows|$rows" ] || { echo "dbmig rebuild lost rows" >&2; exit 1; }
  cp s/base.db s/run.db && sync
  t0=$(now); sqlite3 -bail s/run.db < s/floor.sql >/dev/null; t1=$(now)
  awk "BEGIN {print $t1 - $t0}" >> s/floor.times
done
s_dbmig=$(median < s/dbmig.times); s_floor=$(median < s/floor.times)
cp s/base.db s/run.db
s_peak=$(cd s && BENCH_URL=sqlite:///run.db peak_kib "$DBMIG" -q upgrade head)
small=$((rows / 10))
sqlite_base s10 "$small"
cp s10/base.db s10/run.db
s10_peak=$(cd s10 && BENCH_URL=sqlite:///run.db peak_kib "$DBMIG" -q upgrade head)

# --- PostgreSQL NOT NULL backfill ------------------------------------------------------------------
project p
psql -X -q "$admin" -c "CREATE DATABASE rows_base" >/dev/null
(cd p && BENCH_URL=$(pg_url rows_base) "$DBMIG" -q upgrade v1)
fill_sql pg "$rows" | psql -X -q "$(pg_url rows_base)" >/dev/null
psql -X -q "$(pg_url rows_base)" -c "VACUUM ANALYZE items" >/dev/null
(cd p && BENCH_URL=$(pg_url rows_base) "$DBMIG" upgrade --sql v1:v2 > floor.sql)
fresh_pg() { psql -X -q "$admin" -c "DROP DATABASE IF EXISTS rows_run WITH (FORCE)" -c "CREATE DATABASE rows_run TEMPLATE rows_base" >/dev/null; }
: > p/dbmig.times && : > p/floor.times
for _ in $(seq "$runs"); do
  fresh_pg
  t0=$(now); (cd p && BENCH_URL=$(pg_url rows_run) "$DBMIG" -q upgrade head); t1=$(now)
  awk "BEGIN {print $t1 - $t0}" >> p/dbmig.times
  [ "$(psql -X -At "$(pg_url rows_run)" -c 'SELECT count(*) FROM items WHERE name IS NULL')" = 0 ] || { echo "NULLs left" >&2; exit 1; }
  fresh_pg
  t0=$(now); psql -X -q -v ON_ERROR_STOP=1 -f p/floor.sql "$(pg_url rows_run)" >/dev/null; t1=$(now)
  awk "BEGIN {print $t1 - $t0}" >> p/floor.times
done
p_dbmig=$(median < p/dbmig.times); p_floor=$(median < p/floor.times)

ratio() { awk "BEGIN {printf \"%.2f\", $1 / $2}"; }
ms() { awk "BEGIN {printf \"%.0f ms\", $1 * 1000}"; }
echo "| workload ($rows rows, median of $runs) | dbmig | floor | dbmig / floor |"
echo "|---|---|---|---|"
echo "| SQLite rebuild: alter_column to NOT NULL with a default | $(ms "$s_dbmig") | $(ms "$s_floor") | $(ratio "$s_dbmig" "$s_floor")× |"
echo "| PostgreSQL NOT NULL backfill: UPDATE + SET NOT NULL + SET DEFAULT | $(ms "$p_dbmig") | $(ms "$p_floor") | $(ratio "$p_dbmig" "$p_floor")× |"
echo
echo "Peak memory of the SQLite rebuild (maximum resident set size): $((s10_peak / 1024)) MiB at $small rows, $((s_peak / 1024)) MiB at $rows rows."
