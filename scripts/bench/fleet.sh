#!/usr/bin/env bash
# Fleet speed (SPEC §7.6): `upgrade head --all -j 4` over 50 PostgreSQL databases against the same
# 50 single-database runs one after another (the target is at most 0.6x). Each round first
# resets every database to empty (not timed); the figures are the medians of the rounds.
# usage: scripts/bench/fleet.sh [ROUNDS] [DBMIG]   (default: 3 rounds, build/dbmig)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-3}
dbmig=$(realpath "${2:-$repo/build/dbmig}")
[ -x "$dbmig" ] || { echo "fleet.sh: build dbmig first (scripts/build.sh)" >&2; exit 1; }
work=$(mktemp -d /tmp/dbmig-bench-fleet.XXXXXX)
pg_dir=$(mktemp -d /tmp/dbmig-bench-pg.XXXXXX)
trap '"$repo/scripts/pg_cluster.sh" stop "$pg_dir"; rm -rf "$work"' EXIT
admin=$("$repo/scripts/pg_cluster.sh" start "$pg_dir")
psql -X -q "$admin" -c 'ALTER SYSTEM SET autovacuum = off' -c 'SELECT pg_reload_conf()' >/dev/null
cd "$work"
"$dbmig" init >/dev/null 2>&1

# 20 revisions: a table with an index, a column, and rows each.
prev=null
for i in $(seq -w 1 20); do
  cat > "migrations/versions/r$i.yaml" <<YAML
revision: "r$i"
down_revision: $prev
upgrade:
  - create_table: {name: t$i, columns: [{name: id, type: integer, primary_key: true}, {name: name, type: string(40)}]}
  - create_index: {name: ix_t${i}_name, table: t$i, columns: [name]}
  - add_column: {table: t$i, column: {name: created_at, type: datetime, server_default: CURRENT_TIMESTAMP}}
  - execute: "INSERT INTO t$i (id, name) SELECT g, 'n' || g FROM generate_series(1, 200) g"
downgrade:
  - drop_table: {name: t$i}
YAML
  prev="\"r$i\""
done
{ echo "targets:"; for i in $(seq -w 1 50); do
    psql -X -q "$admin" -c "CREATE DATABASE bench_$i" >/dev/null
    echo "  db_$i: ${admin%/*}/bench_$i"
  done; } > dbmig.yaml

reset() {
  for i in $(seq -w 1 50); do
    psql -X -q "${admin%/*}/bench_$i" -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null 2>&1
  done
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.2f", b - a}'; }
seq_times=() fleet_times=()
for ((r = 1; r <= rounds; r++)); do
  reset
  t0=$(now)
  for i in $(seq -w 1 50); do "$dbmig" -q --url "${admin%/*}/bench_$i" upgrade head; done
  seq_times+=("$(elapsed "$t0")")
  reset
  t0=$(now)
  "$dbmig" -q upgrade head --all -j 4 >/dev/null
  fleet_times+=("$(elapsed "$t0")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
s=$(median "${seq_times[@]}") f=$(median "${fleet_times[@]}")
echo "50 databases x 20 revisions, $rounds rounds, $(nproc) cores"
echo "  one after another:        ${seq_times[*]} s  (median $s s)"
echo "  upgrade head --all -j 4:  ${fleet_times[*]} s  (median $f s)"
echo "  ratio: $(awk -v f="$f" -v s="$s" 'BEGIN {printf "%.2f", f / s}')x (target: at most 0.6x)"
