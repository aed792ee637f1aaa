#!/usr/bin/env bash
# A throwaway PgBouncer in transaction pooling mode in front of a test cluster:
# `pgbouncer.sh start DIR ADMIN_URL [POOL_SIZE]` starts one on a free loopback port (as the
# postgres user when run as root, since PgBouncer refuses root) that serves every database of
# the cluster, and prints the URL prefix to append /DBNAME to; `pgbouncer.sh stop DIR` stops it
# and removes DIR. ADMIN_URL is what pg_cluster.sh printed (postgresql://postgres:PW@HOST:PORT/db).
set -euo pipefail
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cmd=$1 dir=$2
case "$cmd" in
  start)
    url=$3 pool=${4:-4}
    rest=${url#postgresql://}; userpass=${rest%%@*}; hostport=${rest#*@}; hostport=${hostport%%/*}
    user=${userpass%%:*} password=${userpass#*:} host=${hostport%:*} port=${hostport##*:}
    mkdir -p "$dir"
    printf '"%s" "%s"\n' "$user" "$password" > "$dir/userlist.txt"
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
      listen=$(( 20000 + RANDOM % 30000 ))
      cat > "$dir/pgbouncer.ini" <<INI
[databases]
* = host=$host port=$port
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $listen
unix_socket_dir =
auth_type = plain
auth_file = $dir/userlist.txt
pool_mode = transaction
default_pool_size = $pool
max_client_conn = 500
max_db_connections = $pool
server_reset_query =
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
      [ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir"
      if as_pg pgbouncer -d "$dir/pgbouncer.ini" >/dev/null 2>&1; then
        for i in $(seq 50); do
          if psql -X -q -At "postgresql://$user:$password@127.0.0.1:$listen/postgres" -c "SELECT 1" >/dev/null 2>&1; then
            echo "postgresql://$user:$password@127.0.0.1:$listen"
            exit 0
          fi
          sleep 0.1
        done
        kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true
      fi
    done
    cat "$dir/pgbouncer.log" >&2 || true
    exit 1
    ;;
  stop)
    if [ -f "$dir/pgbouncer.pid" ]; then kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true; sleep 0.2; fi
    rm -rf "$dir"
    ;;
  *) echo "usage: pgbouncer.sh start DIR ADMIN_URL [POOL_SIZE] | stop DIR" >&2; exit 2 ;;
esac
