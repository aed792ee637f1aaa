#!/usr/bin/env bash
# SPEC §7.6: PostgreSQL behind PgBouncer in transaction pooling mode (4 server connections for
# 8 clients). 8 concurrent `upgrade head` apply each revision exactly once (each revision logs
# itself into a table), in one transaction or one per revision; tenants run in their schemas
# with SET LOCAL, and no session setting is left on the pooled server connections.
# usage: pgbouncer.sh DBMIG
DBMIG=$(realpath "$1")
source "$(dirname "$0")/common.sh"
start_pgbouncer 4
cd "$work"
"$DBMIG" init >/dev/null 2>&1
write_revisions 20
direct=$(create_db "$pg_a" fleet_bouncer)
export BOUNCER_URL="$via/fleet_bouncer"

race() {  # race N ARGS...: N concurrent dbmig runs; each must exit 0
  local n=$1 p; shift
  for ((p = 1; p <= n; p++)); do ("$DBMIG" "$@" >"out$p" 2>&1; echo $? >"rc$p") & done
  wait
  for ((p = 1; p <= n; p++)); do
    [ "$(cat "rc$p")" = 0 ] || fail "run $p of '$*' exited $(cat "rc$p"): $(tail -n 2 "out$p")"
  done
}
once_each() {  # once_each WHAT URL SCHEMA: version r20, r01..r20 logged and audited once each
  expect_eq "$1: version" "$(psql_at "$2" "SELECT string_agg(version_num, ',') FROM $3.alembic_version")" r20
  expect_eq "$1: log" "$(psql_at "$2" "SELECT count(*) || '/' || count(DISTINCT rev) FROM $3.log")" 20/20
  expect_eq "$1: audit" "$(psql_at "$2" "SELECT count(*) || '/' || count(DISTINCT revision) FROM $3.dbmig_history WHERE direction = 'upgrade'")" 20/20
  expect_eq "$1: rows" "$(psql_at "$2" "SELECT count(*) || '/' || count(note) FROM $3.items")" 2/1
}

for per_migration in false true; do
  printf 'database_url: ${BOUNCER_URL}\ntransaction_per_migration: %s\n' "$per_migration" > dbmig.yaml
  for trial in 1 2 3; do
    psql_at "$direct" "DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null 2>&1
    race 8 upgrade head
    once_each "per_migration=$per_migration trial $trial" "$direct" public
  done
done

# Tenants through the pooler: three fleet runs at once over six schemas.
{
  echo "transaction_per_migration: true"
  echo "targets:"
  echo "  tenants: {url: \"\${BOUNCER_URL}\", schemas: [t1, t2, t3, t4, t5, t6]}"
} > dbmig.yaml
for s in t1 t2 t3 t4 t5 t6; do psql_at "$direct" "CREATE SCHEMA $s" >/dev/null; done
race 3 upgrade head --all -j 3
for s in t1 t2 t3 t4 t5 t6; do once_each "tenant $s" "$direct" "$s"; done
# Nothing of dbmig's is left on the pooled server connections (each psql may get any of them).
for i in 1 2 3 4 5 6 7 8; do
  expect_eq "search_path on a pooled connection" "$(psql_at "$BOUNCER_URL" "SHOW search_path")" '"$user", public'
  expect_eq "lock_timeout on a pooled connection" "$(psql_at "$BOUNCER_URL" "SHOW lock_timeout")" 0
done
# (in this database: the other fleet tests may be running on the same cluster)
expect_eq "advisory locks left" "$(psql_at "$direct" "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database()")" 0

# A run that cannot work through a transaction pooler says so before it runs anything.
printf 'database_url: %s\n' "$direct" > dbmig.yaml
cat > migrations/versions/r21.yaml <<'YAML'
revision: "r21"
down_revision: "r20"
transactional: false
upgrade:
  - execute: "CREATE INDEX CONCURRENTLY ix_log_rev ON log (rev)"
downgrade:
  - execute: "DROP INDEX ix_log_rev"
YAML
rc=0
"$DBMIG" upgrade head >nontx.out 2>&1 || rc=$?
expect_eq "non-transactional run" "$rc" 0
grep -q "WARN  \\[dbmig\\] revision r21 has transactional: false, so this run holds a session-level lock .* not PgBouncer's transaction pooling" nontx.out ||
  fail "no warning about session pooling: $(cat nontx.out)"

echo "pgbouncer: $failures failure(s)"
[ "$failures" -eq 0 ]
