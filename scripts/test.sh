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

pg_dir=$(mktemp -d /tmp/dbmig-pg.XXXXXX)
trap 'scripts/pg_cluster.sh stop "$pg_dir"' EXIT
DBMIG_TEST_PG_URL=$(scripts/pg_cluster.sh start "$pg_dir")
export DBMIG_TEST_PG_URL
echo "PostgreSQL test cluster on 127.0.0.1:$(cat "$pg_dir/port")" >&2

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build_dir" --output-on-failure -j2 --timeout 900 "$@"
