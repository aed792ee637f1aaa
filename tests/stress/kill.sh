#!/usr/bin/env bash
# kill -9 an `upgrade head` of 50 revisions (one transaction per revision) at random moments:
# afterwards the version table names a revision and the schema is exactly that revision's, and a
# rerun of `upgrade head` finishes the job; a lock held by the killed process never blocks it.
# usage: kill.sh DIALECT DBMIG [TRIALS]
DIALECT=$1 DBMIG=$(realpath "$2") trials=${3:-$((100 / ${DBMIG_STRESS_DIVISOR:-1}))}
source "$(dirname "$0")/common.sh"
write_chain 50
echo "transaction_per_migration: true" >> dbmig.yaml

# Calibrate: how long a whole upgrade takes here, so the kills spread over all of it.
fresh_database
start=$(date +%s%N)
"$DBMIG" upgrade head >/dev/null 2>&1
full_ms=$(( ($(date +%s%N) - start) / 1000000 ))
check_state || { echo "the calibration run left a wrong state" >&2; exit 1; }

failures=0 midway=0
for ((trial = 1; trial <= trials; trial++)); do
  fresh_database
  delay=$(awk -v r="$RANDOM" -v f="$full_ms" 'BEGIN { printf "%.4f", (r / 32767.0) * f * 1.2 / 1000 }')
  "$DBMIG" upgrade head >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  v=$(version)
  case "$v" in "" | r50) ;; *) midway=$((midway + 1)) ;; esac
  if ! check_state; then
    echo "trial $trial: killed after ${delay}s: inconsistent state" >&2; failures=$((failures + 1)); continue
  fi
  if ! out=$("$DBMIG" upgrade head --lock-timeout 10 2>&1); then
    echo "trial $trial: the rerun failed: $out" >&2; failures=$((failures + 1)); continue
  fi
  [ "$(version)" = r50 ] && check_state || { echo "trial $trial: the rerun did not reach head" >&2; failures=$((failures + 1)); }
done
echo "kill -9 during upgrade, $trials trials on $DIALECT (full run ${full_ms} ms, $midway stopped midway): $failures failure(s)"
echo "$((failures == 0 ? 1 : 0)) passed, $((failures == 0 ? 0 : 1)) failed"
[ "$failures" -eq 0 ]
