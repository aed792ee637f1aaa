#!/usr/bin/env bash
# The main job, end to end on a SQLite file in a temp folder: builds dbmig, then runs
# init -> models.yaml -> migrate -> upgrade head -> change the model -> check -> migrate ->
# upgrade -> current/history -> downgrade, printing each command and what it printed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/build.sh"
dbmig="$repo/build/dbmig"
work=$(mktemp -d /tmp/dbmig-demo.XXXXXX)
cd "$work"
echo "# working in $work"

run() {
  echo
  printf '$'; printf ' %q' "${@/#$dbmig/dbmig}"; echo
  local rc=0
  "$@" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || echo "(exit code $rc)"
}

run "$dbmig" init
cat > models.yaml <<'YAML'
tables:
  user:
    columns:
      id:         {type: integer, primary_key: true}
      username:   {type: string(80), unique: true, nullable: false, index: true}
      created_at: {type: datetime, server_default: CURRENT_TIMESTAMP}
  order:
    columns:
      id:           {type: integer, primary_key: true}
      user_id:      {type: integer, nullable: false, foreign_key: user.id}
      total_amount: {type: float, nullable: false}
      status:       {type: string(20), nullable: false, server_default: "'new'"}
    indexes:
      ix_order_status: {columns: [status], where: "status <> 'done'"}
    checks:
      ck_order_total_positive: "total_amount >= 0"
YAML
run cat models.yaml
run "$dbmig" migrate -m "create users and orders"
run "$dbmig" upgrade head
run sqlite3 app.db "INSERT INTO user (username) VALUES ('alice'); INSERT INTO \"order\" (user_id, total_amount) VALUES (1, 9.5);"

# The model grows: an email for every user, and a longer username.
sed -i 's/username:   {type: string(80)/username:   {type: string(120)/' models.yaml
sed -i "/created_at: {type: datetime/a\      email:      {type: string(120), nullable: false, server_default: \"''\"}" models.yaml
run "$dbmig" check
run "$dbmig" migrate -m "add email to user"
run sh -c 'cat migrations/versions/*_add_email_to_user.yaml'
run "$dbmig" upgrade head
run sqlite3 app.db .schema
run sqlite3 app.db "SELECT id, username, email FROM user"
run "$dbmig" check
run "$dbmig" current
run "$dbmig" history
run "$dbmig" downgrade -1
run "$dbmig" current
run "$dbmig" upgrade head
echo
echo "# done; the project is in $work"
