#!/usr/bin/env bash
# Builds dbmig and runs every test against SQLite and a throwaway PostgreSQL 15 cluster.
# --sanitize builds and runs under AddressSanitizer and UndefinedBehaviorSanitizer (in build-asan/).
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize=OFF build_dir=build
if [ "${1:-}" = "--sanitize" ]; then
  sanitize=ON build_dir=build-asan
  export DBMIG_STRESS_DIVISOR=5  # the same stress checks, a fifth of the trials
  shift
fi
BUILD_DIR=$build_dir scripts/build.sh -DDBMIG_SANITIZE=$sanitize

pg_dir=$(mktemp -d /tmp/dbmig-pg.XXXXXX) pg_dir2=$(mktemp -d /tmp/dbmig-pg.XXXXXX)
trap 'scripts/pg_cluster.sh stop "$pg_dir"; scripts/pg_cluster.sh stop "$pg_dir2"' EXIT
DBMIG_TEST_PG_URL=$(scripts/pg_cluster.sh start "$pg_dir")
DBMIG_TEST_PG_URL2=$(scripts/pg_cluster.sh start "$pg_dir2")  # the fleet tests' second cluster
export DBMIG_TEST_PG_URL DBMIG_TEST_PG_URL2
echo "PostgreSQL test clusters on 127.0.0.1:$(cat "$pg_dir/port") and :$(cat "$pg_dir2/port")" >&2

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build_dir" --output-on-failure -j2 --timeout 900 "$@"
