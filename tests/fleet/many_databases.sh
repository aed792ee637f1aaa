#!/usr/bin/env bash
# SPEC §7.6 against real servers: 50 databases over two PostgreSQL clusters, 10 SQLite files and
# 20 tenant schemas. `upgrade head --all` brings every one to head, keeping rows; an unreachable
# target fails alone and is named in the summary; the next run completes it. After a failure no
# new target starts without --keep-going; current/check --all show drift; Ctrl-C rolls back.
# usage: many_databases.sh DBMIG
DBMIG=$(realpath "$1")
source "$(dirname "$0")/common.sh"
start_second_cluster
cd "$work"
"$DBMIG" init >/dev/null 2>&1
write_revisions 3
cat > models.yaml <<'YAML'
tables:
  items:
    columns:
      id: {type: integer, primary_key: true}
      note: {type: string(20)}
      qty: {type: integer}
  log:
    columns:
      rev: {type: string(10), nullable: false}
  t_r03:
    columns:
      id: {type: integer, primary_key: true}
YAML

late_port=1  # nothing listens on port 1
real_port=${pg_a##*:}; real_port=${real_port%%/*}
admin_a=${pg_a%/*}
{
  echo "script_location: migrations"
  echo "models: models.yaml"
  echo "targets:"
  for i in $(seq -w 1 25); do echo "  a_$i: $(create_db "$pg_a" fleet_a_$i)"; done
  for i in $(seq -w 1 25); do echo "  b_$i: $(create_db "$pg_b" fleet_b_$i)"; done
  echo "  late: ${admin_a%:*}:\${LATE_PORT}/fleet_late"
  for i in $(seq -w 1 10); do echo "  lite_$i: sqlite:///lite_$i.db"; done
  tenants=$(create_db "$pg_a" fleet_tenants)
  echo "  tenants: {url: \"$tenants\", schemas: \"SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\\\_%'\"}"
} > dbmig.yaml
create_db "$pg_a" fleet_late >/dev/null
for i in $(seq -w 1 20); do psql_at "$tenants" "CREATE SCHEMA tenant_$i" >/dev/null; done
password=${pg_a#postgresql://*:}; password=${password%%@*}

# 1. One run over the 81 targets; `late` is unreachable.
rc=0
LATE_PORT=$late_port "$DBMIG" --format json upgrade head --all --keep-going -j 4 >run1.json 2>run1.err || rc=$?
expect_eq "run 1 exit code" "$rc" 1
summary() {  # summary FILE -> "target status from to" lines
  python3 -c 'import json,sys
for t in json.load(open(sys.argv[1]))["targets"]: print(t["target"], t["status"], t["from"], t["to"], t["error"] is not None)' "$1"
}
summary run1.json >run1.txt
expect_eq "targets in run 1" "$(wc -l <run1.txt)" 81
expect_eq "targets ok in run 1" "$(grep -c ' ok base r03 False$' run1.txt)" 80
expect_eq "the failed target" "$(grep -v ' ok ' run1.txt)" "late failed None None True"
expect_eq "order of the summary" "$(awk '{print $1}' run1.txt | sed -n '1p;26p;50p;51p;52p;62p;81p' | tr '\n' ' ')" \
  "a_01 b_01 b_25 late lite_01 tenants/tenant_01 tenants/tenant_20 "
grep -q '^\[late\] dbmig: error: cannot connect to postgresql://postgres:\*\*\*@127.0.0.1:1/fleet_late' run1.err ||
  fail "late's error line: $(grep '^\[late\]' run1.err)"
grep -q '^\[b_17\] INFO  \[dbmig\] Running upgrade r02 -> r03' run1.err || fail "b_17's progress lines are not prefixed"
grep -q "$password" run1.json run1.err && fail "a password was printed"
python3 -c 'import json,sys; e=[t["error"] for t in json.load(open(sys.argv[1]))["targets"] if t["target"]=="late"][0]; assert "cannot connect" in e, e' run1.json ||
  fail "late's error in the summary"

# Every target is at head with its rows (NULL included) and each revision logged once.
check_pg() {  # check_pg URL SCHEMA
  local q="SELECT (SELECT string_agg(version_num, ',') FROM $2.alembic_version), (SELECT string_agg(rev, ',' ORDER BY rev) FROM $2.log),
                  (SELECT count(*) || '/' || count(note) FROM $2.items), (SELECT count(*) FROM $2.dbmig_history)"
  psql_at "$1" "$q"
}
for i in $(seq -w 1 25); do
  expect_eq "a_$i" "$(check_pg "${pg_a%/*}/fleet_a_$i" public)" "r03|r01,r02,r03|2/1|3"
  expect_eq "b_$i" "$(check_pg "${pg_b%/*}/fleet_b_$i" public)" "r03|r01,r02,r03|2/1|3"
done
for i in $(seq -w 1 10); do
  expect_eq "lite_$i" "$(sqlite3 "lite_$i.db" "SELECT (SELECT group_concat(version_num) FROM alembic_version), (SELECT group_concat(rev) FROM (SELECT rev FROM log ORDER BY rev)), (SELECT count(*) || '/' || count(note) FROM items)")" "r03|r01,r02,r03|2/1"
done
for i in $(seq -w 1 20); do
  expect_eq "tenant_$i" "$(check_pg "$tenants" "tenant_$i")" "r03|r01,r02,r03|2/1|3"
done
expect_eq "tables in public of the tenants' database" "$(psql_at "$tenants" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" 0
expect_eq "late after run 1" "$(psql_at "${pg_a%/*}/fleet_late" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" 0

# 2. The same command again finishes what is left.
rc=0
LATE_PORT=$real_port "$DBMIG" --format json upgrade head --all >run2.json 2>run2.err || rc=$?
expect_eq "run 2 exit code" "$rc" 0
summary run2.json >run2.txt
expect_eq "late in run 2" "$(grep '^late ' run2.txt)" "late ok base r03 False"
expect_eq "targets already at head in run 2" "$(grep -c ' ok r03 r03 False$' run2.txt)" 80
expect_eq "late" "$(check_pg "${pg_a%/*}/fleet_late" public)" "r03|r01,r02,r03|2/1|3"

# 3. After a failure no new target starts, unless --keep-going.
rc=0
LATE_PORT=$late_port "$DBMIG" --format json upgrade head --target lite_01 --target late --target a_01 --target b_01 -j 1 >run3.json 2>run3.err || rc=$?
expect_eq "run 3 exit code" "$rc" 1
expect_eq "run 3" "$(summary run3.json | awk '{print $1, $2}' | tr '\n' ' ')" "a_01 ok b_01 ok late failed lite_01 skipped "

# 4. Drift at a glance: one database with a column added by hand, one tenant a revision behind.
psql_at "${pg_b%/*}/fleet_b_07" "ALTER TABLE items ADD COLUMN extra integer" >/dev/null
rc=0
"$DBMIG" downgrade -1 --target tenants/tenant_05 >down.out 2>down.err || rc=$?
expect_eq "downgrade of one tenant" "$rc" 0
expect_eq "tenant_05 after downgrade" "$(check_pg "$tenants" tenant_05)" "r02|r01,r02|2/1|4"
rc=0
LATE_PORT=$real_port "$DBMIG" current --all >current.txt 2>current.err || rc=$?
expect_eq "current --all exit code" "$rc" 0
expect_eq "current --all header" "$(head -n 1 current.txt | tr -s " ")" "target revision head? clean? error"
expect_eq "current --all a_01" "$(grep '^a_01 ' current.txt | tr -s ' ')" "a_01 r03 yes -"
expect_eq "current --all tenant_05" "$(grep '^tenants/tenant_05 ' current.txt | tr -s ' ')" "tenants/tenant_05 r02 no -"
expect_eq "current --all rows" "$(wc -l <current.txt)" 82
rc=0
LATE_PORT=$real_port "$DBMIG" check --all -j 4 >check.txt 2>check.err || rc=$?
expect_eq "check --all exit code" "$rc" 1
expect_eq "check --all b_07" "$(grep '^b_07 ' check.txt | tr -s ' ')" "b_07 r03 yes no models and database differ"
expect_eq "check --all b_08" "$(grep '^b_08 ' check.txt | tr -s ' ')" "b_08 r03 yes yes"
expect_eq "check --all lite_03" "$(grep '^lite_03 ' check.txt | tr -s ' ')" "lite_03 r03 yes yes"
grep -q '^tenants/tenant_05 *r02 *no *? *Target database is not up to date' check.txt || fail "check --all tenant_05: $(grep tenant_05 check.txt)"
expect_eq "clean targets" "$(grep -c ' yes *yes$' check.txt)" 79
grep -q "^\[b_07\] .*Detected removed column 'items.extra'" check.err || fail "b_07's detected change: $(grep '^\[b_07\]' check.err)"

# history --applied and revision --autogenerate take --target as well; without the flag that
# makes them read a database, or with more than one target for a new revision, it is misuse.
rc=0
"$DBMIG" history --applied --target tenants/tenant_05 >hist.out 2>hist.err || rc=$?
expect_eq "history --applied --target exit code" "$rc" 0
expect_eq "tenant_05's downgrade in its history" "$(grep -c 'downgrade' hist.out)" 1
rc=0
"$DBMIG" revision --autogenerate -m "drop extra" --rev-id r04 --target b_07 >rev.out 2>rev.err || rc=$?
expect_eq "revision --autogenerate --target exit code" "$rc" 0
grep -q "drop_column: {table: items, name: extra" migrations/versions/r04_*.yaml || fail "r04 from b_07: $(cat migrations/versions/r04_*.yaml rev.err)"
rm -f migrations/versions/r04_*.yaml
for misuse in "history --all" "revision -m x --target b_07" "revision --autogenerate -m x --all"; do
  rc=0
  $DBMIG $misuse >misuse.out 2>misuse.err || rc=$?
  expect_eq "$misuse exit code" "$rc" 2
done

# 5. Ctrl-C: running targets roll back, the rest do not start, and a rerun completes them.
mkdir slow && cd slow
"$DBMIG" init >/dev/null 2>&1
write_revisions 2
cat > migrations/versions/r03.yaml <<'YAML'
revision: "r03"
down_revision: "r02"
upgrade:
  - execute: "SELECT pg_sleep(3)"
downgrade: []
YAML
{ echo "targets:"; for i in 1 2 3 4; do echo "  c_$i: $(create_db "$pg_a" fleet_c_$i)"; done; } > dbmig.yaml
"$DBMIG" --format json upgrade head --all -j 2 >int.json 2>int.err &
parent=$!
sleep 1.5
kill -INT $parent
rc=0; wait $parent || rc=$?
expect_eq "interrupted exit code" "$rc" 130
expect_eq "interrupted summary" "$(summary int.json | awk '{print $1, $2}' | tr '\n' ' ')" "c_1 failed c_2 failed c_3 skipped c_4 skipped "
for i in 1 2; do
  expect_eq "c_$i after Ctrl-C" "$(psql_at "${pg_a%/*}/fleet_c_$i" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" 0
done
rc=0
"$DBMIG" upgrade head --all -j 4 >rerun.out 2>rerun.err || rc=$?
expect_eq "rerun after Ctrl-C" "$rc" 0
for i in 1 2 3 4; do
  expect_eq "c_$i after the rerun" "$(psql_at "${pg_a%/*}/fleet_c_$i" "SELECT string_agg(version_num, ',') FROM alembic_version")" r03
done
expect_eq "text summary" "$(grep -c '^c_[1-4] *ok *base *r03' rerun.out)" 4

echo "many databases: $failures failure(s)"
[ "$failures" -eq 0 ]
