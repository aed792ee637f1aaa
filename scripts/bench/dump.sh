#!/usr/bin/env bash
# `dbmig models dump` on a 1,000-table database (10 columns each, a unique, an index and a
# foreign key per table, from gen.py), on PostgreSQL and on SQLite: prints the best and median
# wall time of several runs beside the 1 s target. The catalog is read in a fixed number of
# queries (tests/e2e/models_dump_test.cpp asserts the count), so the time is the writer's.
# usage: scripts/bench/dump.sh [TABLES=1000] [RUNS=5]   (DBMIG=path/to/dbmig to pick a build)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
tables=${1:-1000}
runs=${2:-5}
dbmig=${DBMIG:-}
if [ -z "$dbmig" ]; then
  for b in build-release build; do [ -x "$repo/$b/dbmig" ] && { dbmig=$repo/$b/dbmig; break; }; done
fi
[ -n "$dbmig" ] || { echo "no dbmig build: run scripts/build.sh (or set DBMIG)" >&2; exit 1; }

work=$(mktemp -d /tmp/dbmig-bench-dump.XXXXXX)
pg_dir=$(mktemp -d /tmp/dbmig-bench-dump-pg.XXXXXX)
trap '"$repo/scripts/pg_cluster.sh" stop "$pg_dir" >/dev/null 2>&1; rm -rf "$work"' EXIT
admin=$("$repo/scripts/pg_cluster.sh" start "$pg_dir")
psql -X -q "$admin" -c "CREATE DATABASE bench_dump" >/dev/null
python3 "$repo/scripts/bench/gen.py" models "$tables" "$work/gen" >/dev/null

ms() { python3 -c 'import sys; print(f"{float(sys.argv[1]) * 1000:.1f}")' "$1"; }
for dialect in postgresql sqlite; do
  dir=$work/$dialect
  mkdir -p "$dir" && cd "$dir"
  "$dbmig" init >/dev/null 2>&1
  cp "$work/gen/models.yaml" models.yaml
  if [ $dialect = postgresql ]; then url="${admin%/*}/bench_dump"; else url="sqlite:///$dir/app.db"; fi
  export DBMIG_DATABASE_URL=$url
  "$dbmig" -q migrate --from-empty -m build >/dev/null
  "$dbmig" -q upgrade head
  times=()
  for _ in $(seq "$runs"); do
    start=$(date +%s.%N)
    "$dbmig" -q models dump -o dumped.yaml
    end=$(date +%s.%N)
    times+=("$(python3 -c "print($end - $start)")")
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  best=$(echo "$sorted" | head -1)
  median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
  verdict=$(python3 -c "print('under 1 s' if $median < 1 else 'OVER the 1 s target')")
  printf '%-10s models dump of %d tables: best %s ms, median %s ms (%d runs) - %s\n' \
    "$dialect" "$tables" "$(ms "$best")" "$(ms "$median")" "$runs" "$verdict"
  cd "$work"
done
