#!/usr/bin/env bash
# Lint speed (SPEC 7.5 / issue 15: 1,000 revisions in under 1 s): writes 1,000 revisions mixing
# ops and execute SQL (each revision several statements, some triggering rules) and times
# `dbmig lint --all` over them (no database needed). Prints the figures; asserts nothing.
# usage: scripts/bench/lint.sh [DBMIG_BINARY] [N=1000]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
dbmig=$(realpath "${1:-$repo/build/dbmig}")
n=${2:-1000}
work=$(mktemp -d /tmp/dbmig-lint-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/migrations/versions"
printf 'database_url: postgresql://nobody@127.0.0.1:1/none\nscript_location: migrations\nmodels: models.yaml\n' > "$work/dbmig.yaml"
printf 'tables: {}\n' > "$work/models.yaml"
python3 - "$work/migrations/versions" "$n" <<'PY'
import sys
out, n = sys.argv[1], int(sys.argv[2])
prev = "null"
for i in range(n):
    rev = f"r{i:011d}"
    t = f"t{i % 50}"
    body = f"""revision: "{rev}"
down_revision: {prev}
message: step {i}
upgrade:
  - add_column: {{table: {t}, column: {{name: c{i}, type: string(40), server_default: "'x'"}}}}
  - create_index: {{name: ix_{t}_c{i}, table: {t}, columns: [c{i}]}}
  - alter_column: {{table: {t}, name: c{i}, type: text, existing_type: string(40)}}
  - create_foreign_key: {{name: fk_{t}_c{i}, table: {t}, columns: [u{i}], ref_table: users, ref_columns: [id], not_valid: true}}
  - execute: "UPDATE {t} SET c{i} = lower(c{i}) WHERE id < 1000; ALTER TABLE {t} ADD CONSTRAINT ck_{t}_{i} CHECK (c{i} <> '') NOT VALID"
  - execute: "CREATE INDEX ix2_{t}_{i} ON {t} (c{i}) WHERE c{i} IS NOT NULL"
downgrade: []
"""
    open(f"{out}/{rev}_step.yaml", "w").write(body)
    prev = f'"{rev}"'
PY
cd "$work"
"$dbmig" lint --all --format json > /dev/null 2>&1 || true  # first run builds the revision index
best=999
for run in 1 2 3 4 5; do
  start=$(date +%s.%N)
  "$dbmig" lint --all --format json > findings.json 2>/dev/null || true
  end=$(date +%s.%N)
  t=$(echo "$end - $start" | bc)
  if (( $(echo "$t < $best" | bc) )); then best=$t; fi
done
findings=$(grep -o '"rule"' findings.json | wc -l)
echo "dbmig lint --all: $n revisions, $((n * 7)) statements, $findings findings: best of 5 $(printf '%.3f' "$best") s"
