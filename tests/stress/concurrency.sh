#!/usr/bin/env bash
# 16 processes run `upgrade head` on a chain of 50 revisions at once, 20 times: every process
# exits 0, every revision's side effect happens exactly once, the version table ends at head.
# Then upgrade races stamp and downgrade: the database always ends at a revision that one of the
# commands asked for, in the state of that revision.
# usage: concurrency.sh DIALECT DBMIG [REPEATS] [PROCESSES]
DIALECT=$1 DBMIG=$(realpath "$2") repeats=${3:-$((20 / ${DBMIG_STRESS_DIVISOR:-1}))} procs=${4:-16}
source "$(dirname "$0")/common.sh"
write_chain 50
failures=0
for ((trial = 1; trial <= repeats; trial++)); do
  fresh_database
  for ((p = 1; p <= procs; p++)); do ("$DBMIG" upgrade head >"out$p" 2>&1; echo $? >"rc$p") & done
  wait
  for ((p = 1; p <= procs; p++)); do
    if [ "$(cat "rc$p")" != 0 ]; then echo "trial $trial: process $p exited $(cat "rc$p"): $(tail -n 1 "out$p")" >&2; failures=$((failures + 1)); fi
  done
  dup=$(sql "SELECT rev, count(*) FROM log GROUP BY rev HAVING count(*) <> 1")
  [ -z "$dup" ] || { echo "trial $trial: side effects not exactly once: $dup" >&2; failures=$((failures + 1)); }
  [ "$(sql "SELECT count(*) FROM log")" = 50 ] || { echo "trial $trial: log has $(sql "SELECT count(*) FROM log") rows" >&2; failures=$((failures + 1)); }
  [ "$(version)" = r50 ] || { echo "trial $trial: version is '$(version)'" >&2; failures=$((failures + 1)); }
done
echo "upgrade head x$procs, $repeats trials on $DIALECT: $failures failure(s)"

# race CMD... : from r25, PROCS processes run the given commands round robin; each exits 0 or 1
# with one error line, and the database ends at a revision one of them asked for (printed).
race() {
  fresh_database
  "$DBMIG" upgrade r25 >/dev/null 2>&1
  local cmds=("$@") p rc
  for ((p = 1; p <= procs; p++)); do
    ("$DBMIG" ${cmds[p % ${#cmds[@]}]} >"out$p" 2>&1; echo $? >"rc$p") &
  done
  wait
  for ((p = 1; p <= procs; p++)); do
    rc=$(cat "rc$p")
    if [ "$rc" != 0 ] && { [ "$rc" != 1 ] || [ "$(grep -c '^dbmig: error: ' "out$p")" != 1 ]; }; then
      echo "process $p ($(cat "out$p")) exited $rc" >&2; return 1
    fi
  done
}

mixed_failures=0
for ((trial = 1; trial <= repeats / 2; trial++)); do
  race "upgrade head" "stamp r10" "downgrade r20" || mixed_failures=$((mixed_failures + 1))
  case "$(version)" in
    r50 | r10 | r20) ;;
    *) echo "mixed trial $trial: ended at '$(version)', which no command asked for" >&2; mixed_failures=$((mixed_failures + 1)) ;;
  esac
  # Without stamp (which moves the version table only), the schema always matches the version.
  race "upgrade head" "downgrade r20" || mixed_failures=$((mixed_failures + 1))
  case "$(version)" in
    r50 | r20) check_state || mixed_failures=$((mixed_failures + 1)) ;;
    *) echo "mixed trial $trial: ended at '$(version)', which no command asked for" >&2; mixed_failures=$((mixed_failures + 1)) ;;
  esac
done
echo "upgrade/stamp/downgrade races x$procs, $((repeats / 2)) trials on $DIALECT: $mixed_failures failure(s)"
echo "$((failures + mixed_failures == 0 ? 1 : 0)) passed, $((failures + mixed_failures == 0 ? 0 : 1)) failed"
[ $((failures + mixed_failures)) -eq 0 ]
