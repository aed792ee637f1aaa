#!/usr/bin/env bash
# The concurrency stress test (tests/stress/concurrency.sh) with every dbmig run going through
# PgBouncer in transaction pooling mode: 16 concurrent upgrades on 8 server connections.
# usage: stress_pgbouncer.sh DBMIG
DBMIG=$(realpath "$1")
source "$(dirname "$0")/common.sh"
start_pgbouncer 8
DBMIG_STRESS_PG_VIA=$via bash "$root/tests/stress/concurrency.sh" postgresql "$DBMIG"
