#!/usr/bin/env bash
# Benchmarks dbmig beside Alembic 1.8 (Debian's python3-alembic) and beside the floor (the same
# SQL run by psql/sqlite3 in one transaction), with hyperfine, on a throwaway PostgreSQL and on
# SQLite files. Writes a markdown report (default docs/benchmarks.md).
# usage: scripts/bench/run.sh [--quick] [OUT.md]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
quick=0
[ "${1:-}" = "--quick" ] && { quick=1; shift; }
out=$(realpath -m "${1:-$repo/docs/benchmarks.md}")  # the script works in a temp folder
runs=$([ $quick = 1 ] && echo 3 || echo 10)
slow_runs=$([ $quick = 1 ] && echo 2 || echo 5)

# What it needs: a Release build, hyperfine, and the peer.
"$repo/scripts/deps.sh"
missing=()
for p in hyperfine python3-alembic python3-psycopg2 time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
BUILD_DIR=$repo/build-release BUILD_TYPE=Release "$repo/scripts/build.sh" -DDBMIG_TESTS=OFF
dbmig=$repo/build-release/dbmig
py=/usr/bin/python3  # Debian's, which has alembic and sqlalchemy
alembic() { "$py" -m alembic.config "$@"; }

work=$(mktemp -d /tmp/dbmig-bench.XXXXXX)
pg_dir=$(mktemp -d /tmp/dbmig-bench-pg.XXXXXX)  # its own folder: the server runs as postgres
trap '"$repo/scripts/pg_cluster.sh" stop "$pg_dir"; rm -rf "$work"' EXIT
admin=$("$repo/scripts/pg_cluster.sh" start "$pg_dir")
# Autovacuum cleaning up after one command's run would be timed in the next command's run.
psql -X -q "$admin" -c 'ALTER SYSTEM SET autovacuum = off' -c 'SELECT pg_reload_conf()' >/dev/null
pg_url() { echo "${admin%/*}/$1"; }
psql_admin() { psql -X -q "$admin" -c "$1" >/dev/null; }
json=$work/json
mkdir -p "$json"
cd "$work"

# --- inputs --------------------------------------------------------------------------------------
for n in 10 100 1000; do "$py" "$repo/scripts/bench/gen.py" models $n "models$n"; done
"$py" "$repo/scripts/bench/gen.py" chain 1000 chain1000
"$py" "$repo/scripts/bench/gen.py" chain 10000 chain10000

# new_dbmig DIR MODELS_DIR: a dbmig project; new_alembic DIR MODELS_DIR: an Alembic one whose
# env.py autogenerates against the same SQLAlchemy models.
new_dbmig() {
  mkdir -p "$1" && (cd "$1" && "$dbmig" init >/dev/null 2>&1 && printf 'database_url: ${BENCH_URL}\nexclude_tables: [alembic_version_peer]\n' > dbmig.yaml)
  [ -n "${2:-}" ] && cp "$2/models.yaml" "$1/models.yaml"
  return 0
}
new_alembic() {
  mkdir -p "$1" && (cd "$1" && alembic init migrations >/dev/null 2>&1)
  [ -n "${2:-}" ] && cp "$2/models.py" "$1/models.py"
  cat > "$1/migrations/env.py" <<'PY'
import os, sys
from alembic import context
from sqlalchemy import create_engine
sys.path.insert(0, os.getcwd())
try:
    from models import metadata
except ImportError:
    metadata = None
skip = {"dbmig_history", "alembic_version"}
def include_name(name, type_, parent_names):
    return not (type_ == "table" and name in skip)
engine = create_engine(os.environ["BENCH_URL"].replace("postgresql://", "postgresql+psycopg2://"))
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, include_name=include_name,
                      version_table="alembic_version_peer", transaction_per_migration=False)
    with context.begin_transaction():
        context.run_migrations()
PY
}

reset_pg() { psql_admin "DROP DATABASE IF EXISTS $1 WITH (FORCE)"; psql_admin "CREATE DATABASE $1"; }
# bench NAME RUNS hyperfine-args...: the commands take turns, round by round, so a machine that
# slows down or speeds up during a workload (a shared host, a database tidying up) affects every
# command alike. In each round every command runs once untimed (after the same --prepare), then
# once timed; the rounds' exports are merged into NAME.json.
bench() {
  local name=$1 n=$2; shift 2
  echo "== $name" >&2
  for round in $(seq "$n"); do
    hyperfine --style none --warmup 1 --runs 1 --export-json "$json/$name.round$round.json" "$@" >&2
  done
  "$py" - "$json/$name" "$n" <<'PY'
import json, statistics, sys
base, n = sys.argv[1], int(sys.argv[2])
merged = {}
for i in range(1, n + 1):
    with open(f"{base}.round{i}.json") as f:
        for r in json.load(f)["results"]:
            merged.setdefault(r["command"], []).extend(r["times"])
results = [{"command": c, "times": t, "median": statistics.median(t), "mean": statistics.mean(t), "min": min(t), "max": max(t)}
           for c, t in merged.items()]
with open(f"{base}.json", "w") as f:
    json.dump({"results": results}, f)
PY
}

# --- current, heads, history with 1,000 revisions (and 10,000 for dbmig) ---------------------------
new_dbmig d_hist && cp chain1000/dbmig/* d_hist/migrations/versions/
new_alembic a_hist && cp chain1000/alembic/* a_hist/migrations/versions/
new_dbmig d_hist10k && cp chain10000/dbmig/* d_hist10k/migrations/versions/
export BENCH_URL=sqlite:///$work/hist.db
(cd d_hist && "$dbmig" -q stamp head) && (cd a_hist && alembic stamp head >/dev/null 2>&1)
(cd d_hist10k && "$dbmig" heads >/dev/null)
for cmd in current heads history; do
  bench "revisions_$cmd" "$runs" -n dbmig "bash -c 'cd $work/d_hist && $dbmig $cmd >/dev/null'" \
    -n alembic "bash -c 'cd $work/a_hist && $py -m alembic.config $cmd >/dev/null 2>&1'"
done
for cmd in heads history; do
  bench "linear_$cmd" "$runs" -n 1000 "bash -c 'cd $work/d_hist && $dbmig $cmd >/dev/null'" \
    -n 10000 "bash -c 'cd $work/d_hist10k && $dbmig $cmd >/dev/null'"
done

# --- autogenerate at 1,000 tables: against an empty database, and a no-op at head -------------------
for dialect in postgresql sqlite; do
  new_dbmig "d_auto_$dialect" models1000
  new_alembic "a_auto_$dialect" models1000
  if [ $dialect = postgresql ]; then reset_pg auto_empty; reset_pg auto_head; e=$(pg_url auto_empty); h=$(pg_url auto_head)
  else e=sqlite:///$work/auto_empty.db; h=sqlite:///$work/auto_head.db; fi
  bench "autogen_empty_$dialect" "$slow_runs" \
    --prepare "rm -f $work/d_auto_$dialect/migrations/versions/*.yaml $work/a_auto_$dialect/migrations/versions/*.py" \
    -n dbmig "bash -c 'cd $work/d_auto_$dialect && BENCH_URL=$e $dbmig -q migrate -m bench --rev-id b1'" \
    -n alembic "bash -c 'cd $work/a_auto_$dialect && BENCH_URL=$e $py -m alembic.config revision --autogenerate -m bench --rev-id b1 >/dev/null 2>&1'"
  # The head database: 1,000 tables made by dbmig; Alembic at its own (empty) head in its own version table.
  (cd "d_auto_$dialect" && rm -f migrations/versions/*.yaml && BENCH_URL=$h "$dbmig" -q migrate -m base --rev-id b1 && BENCH_URL=$h "$dbmig" -q upgrade head)
  (cd "a_auto_$dialect" && rm -f migrations/versions/*.py && BENCH_URL=$h alembic revision -m base --rev-id a0 >/dev/null 2>&1 && BENCH_URL=$h alembic stamp head >/dev/null 2>&1)
  /usr/bin/time -f "%M" -o "$json/rss_dbmig_$dialect.txt" bash -c "cd $work/d_auto_$dialect && BENCH_URL=$h $dbmig -q check" || true
  /usr/bin/time -f "%M" -o "$json/rss_dbmig_empty_$dialect.txt" bash -c "cd $work/d_auto_$dialect && BENCH_URL=$e $dbmig -q migrate --from-empty --dry-run -m x >/dev/null" || true
  bench "autogen_noop_$dialect" "$slow_runs" \
    --prepare "rm -f $work/a_auto_$dialect/migrations/versions/b2*.py" \
    -n dbmig "bash -c 'cd $work/d_auto_$dialect && BENCH_URL=$h $dbmig -q check'" \
    -n alembic "bash -c 'cd $work/a_auto_$dialect && BENCH_URL=$h $py -m alembic.config revision --autogenerate -m noop --rev-id b2 >/dev/null 2>&1'"
done

# --- upgrade head creating N tables, and a chain of 1,000 add-column revisions ----------------------
for dialect in postgresql sqlite; do
  if [ $dialect = postgresql ]; then
    reset_pg up; u=$(pg_url up)
    # No checkpoint falls inside a run (autovacuum is off on this server, see above).
    reset_db="psql -X -q $u -c 'DROP SCHEMA public CASCADE' -c 'CREATE SCHEMA public' -c 'CHECKPOINT' >/dev/null 2>&1"
    floor() { echo "psql -X -q -1 -f $1 $u"; }
  else
    u=sqlite:///$work/up.db
    reset_db="rm -f $work/up.db"
    floor() { echo "sqlite3 $work/up.db < $1"; }
  fi
  for n in 10 100 1000; do
    new_dbmig "d_up${n}_$dialect" "models$n"
    new_alembic "a_up${n}_$dialect" "models$n"
    eval "$reset_db"
    (cd "d_up${n}_$dialect" && BENCH_URL=$u "$dbmig" -q migrate -m create --rev-id c1 && BENCH_URL=$u "$dbmig" upgrade --sql head > "$work/floor_up${n}_$dialect.sql" 2>/dev/null)
    (cd "a_up${n}_$dialect" && BENCH_URL=$u alembic revision --autogenerate -m create --rev-id c1 >/dev/null 2>&1)
    bench "upgrade_tables${n}_$dialect" "$slow_runs" --prepare "$reset_db" \
      -n dbmig "bash -c 'cd $work/d_up${n}_$dialect && BENCH_URL=$u $dbmig -q upgrade head'" \
      -n alembic "bash -c 'cd $work/a_up${n}_$dialect && BENCH_URL=$u $py -m alembic.config upgrade head >/dev/null 2>&1'" \
      -n floor "bash -c \"$(floor "$work/floor_up${n}_$dialect.sql") >/dev/null 2>&1\""
  done
  new_dbmig "d_chain_$dialect" && cp chain1000/dbmig/* "d_chain_$dialect/migrations/versions/"
  new_alembic "a_chain_$dialect" && cp chain1000/alembic/* "a_chain_$dialect/migrations/versions/"
  (cd "d_chain_$dialect" && BENCH_URL=$u "$dbmig" upgrade --sql head > "$work/floor_chain_$dialect.sql" 2>/dev/null)
  bench "upgrade_chain1000_$dialect" "$slow_runs" --prepare "$reset_db" \
    -n dbmig "bash -c 'cd $work/d_chain_$dialect && BENCH_URL=$u $dbmig -q upgrade head'" \
    -n alembic "bash -c 'cd $work/a_chain_$dialect && BENCH_URL=$u $py -m alembic.config upgrade head >/dev/null 2>&1'" \
    -n floor "bash -c \"$(floor "$work/floor_chain_$dialect.sql") >/dev/null 2>&1\""
done

# --- the report ------------------------------------------------------------------------------------
"$py" "$repo/scripts/bench/report.py" "$json" "$out" "$("$dbmig" --version)" "$("$py" -c 'import alembic, sqlalchemy; print(f"Alembic {alembic.__version__}, SQLAlchemy {sqlalchemy.__version__}")')" \
  "$(psql -X -At "$admin" -c 'SHOW server_version')" "$(sqlite3 --version | cut -d' ' -f1)" "$runs" "$slow_runs"
echo "wrote $out" >&2
