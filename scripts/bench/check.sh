#!/usr/bin/env bash
# `dbmig check` against a PostgreSQL database at head with 10,000 tables x 10 columns (a unique, an
# index and a foreign key per table, from gen.py): the best and median wall time of several runs and
# the peak memory, beside the targets (3 s, 150 MiB; SPEC §7.2). The inspector's query count does not
# grow with the tables (tests/e2e/autogenerate_test.cpp asserts it), so the time is reading rows,
# the stored-spelling round trip and the differ.
# usage: scripts/bench/check.sh [TABLES=10000] [RUNS=5]   (DBMIG=path/to/dbmig to pick a build)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
tables=${1:-10000}
runs=${2:-5}
dbmig=${DBMIG:-}
if [ -z "$dbmig" ]; then
  for b in build-release build; do [ -x "$repo/$b/dbmig" ] && { dbmig=$repo/$b/dbmig; break; }; done
fi
[ -n "$dbmig" ] || { echo "no dbmig build: run scripts/build.sh (or set DBMIG)" >&2; exit 1; }

work=$(mktemp -d /tmp/dbmig-bench-check.XXXXXX)
pg_dir=$(mktemp -d /tmp/dbmig-bench-check-pg.XXXXXX)
trap '"$repo/scripts/pg_cluster.sh" stop "$pg_dir" >/dev/null 2>&1; rm -rf "$work"' EXIT
# Creating 10,000 tables in one transaction takes ~50,000 locks.
admin=$(PG_CLUSTER_OPTIONS="-c max_locks_per_transaction=512" "$repo/scripts/pg_cluster.sh" start "$pg_dir")
psql -X -q "$admin" -c "CREATE DATABASE bench_check" >/dev/null
python3 "$repo/scripts/bench/gen.py" models "$tables" "$work/gen" >/dev/null

cd "$work"
"$dbmig" init >/dev/null 2>&1
cp gen/models.yaml models.yaml
export DBMIG_DATABASE_URL="${admin%/*}/bench_check"
start=$(date +%s.%N)
"$dbmig" -q migrate --from-empty -m build >/dev/null
"$dbmig" -q upgrade head
echo "built $tables tables in $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s"
"$dbmig" -q check >/dev/null  # must be clean: a difference would make this a different benchmark

times=() peaks=()
for _ in $(seq "$runs"); do
  start=$(date +%s.%N)
  peaks+=("$(/usr/bin/time -f %M "$dbmig" -q check 2>&1 >/dev/null | tail -1)")
  end=$(date +%s.%N)
  times+=("$(python3 -c "print($end - $start)")")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -g)
best=$(echo "$sorted" | head -1)
median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
peak=$(printf '%s\n' "${peaks[@]}" | sort -n | tail -1)
python3 - "$tables" "$best" "$median" "$peak" "$runs" <<'EOF'
import sys
tables, best, median, peak_kib, runs = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
mib = peak_kib / 1024
print(f"postgresql check of {tables} tables: best {best:.2f} s, median {median:.2f} s ({runs} runs) - "
      f"{'under' if median < 3 else 'OVER'} the 3 s target; peak memory {mib:.0f} MiB - "
      f"{'under' if mib < 150 else 'OVER'} the 150 MiB target")
EOF
