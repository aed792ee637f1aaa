#!/usr/bin/env bash
# The main job, end to end on a SQLite file in a temp folder: builds dbmig, then runs
# init -> revision -> upgrade head -> current/history -> downgrade -> upgrade, printing each
# command and what it printed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/build.sh"
dbmig="$repo/build/dbmig"
work=$(mktemp -d /tmp/dbmig-demo.XXXXXX)
cd "$work"
echo "# working in $work"

run() {
  echo
  echo "\$ $*"
  "$@" 2>&1
}

run "$dbmig" init
run "$dbmig" revision -m "create users and orders" --rev-id 1975ea83b712
cat > migrations/versions/1975ea83b712_create_users_and_orders.yaml <<'YAML'
# create users and orders
revision: "1975ea83b712"
down_revision: null
message: create users and orders
upgrade:
  - create_table:
      name: user
      columns:
        - {name: id, type: integer, primary_key: true}
        - {name: username, type: string(80), nullable: false, unique: true}
        - {name: created_at, type: datetime, server_default: CURRENT_TIMESTAMP}
  - create_table:
      name: order
      columns:
        - {name: id, type: integer, primary_key: true}
        - {name: user_id, type: integer, nullable: false, foreign_key: user.id}
        - {name: total_amount, type: float, nullable: false}
        - {name: status, type: string(20), nullable: false, server_default: "'new'"}
      checks: {ck_order_total_positive: "total_amount >= 0"}
  - create_index: {table: order, columns: [status], where: "status <> 'done'"}
downgrade:
  - drop_index: {name: ix_order_status, table: order}
  - drop_table: {name: order}
  - drop_table: {name: user}
YAML
run "$dbmig" revision -m "add email to user" --rev-id 27c6a30d7c24
cat > migrations/versions/27c6a30d7c24_add_email_to_user.yaml <<'YAML'
# add email to user
revision: "27c6a30d7c24"
down_revision: "1975ea83b712"
message: add email to user
upgrade:
  - add_column: {table: user, column: {name: email, type: string(120), nullable: false, server_default: "''"}}
  - create_index: {name: ix_user_email, table: user, columns: [email], unique: false}
downgrade:
  - drop_index: {name: ix_user_email, table: user}
  - drop_column: {table: user, name: email}
YAML
run "$dbmig" upgrade --sql head
run "$dbmig" upgrade head
run sqlite3 app.db .schema
run "$dbmig" current
run "$dbmig" history --verbose
run "$dbmig" downgrade -1
run "$dbmig" current
run "$dbmig" upgrade head
run "$dbmig" history
echo
echo "# done; the project is in $work"
