#!/usr/bin/env bash
# Unpacks public sample schemas that the models-dump tests load (tests/e2e/models_dump_test.cpp):
# Zabbix 6.0's PostgreSQL and SQLite schemas, from Debian's zabbix-server-pgsql and
# zabbix-proxy-sqlite3 packages. They are GPL-2+, so they are read from the packages, not kept in
# this repository. The packages are only downloaded and unpacked (apt-get download, dpkg -x), not
# installed: nothing of Zabbix runs. Usage: scripts/sample_schemas.sh [DIR]
# (default: $DBMIG_SAMPLE_DIR or /var/cache/dbmig/samples).
set -euo pipefail
dir=${1:-${DBMIG_SAMPLE_DIR:-/var/cache/dbmig/samples}}
files=(usr/share/zabbix-server-pgsql/schema.sql.gz usr/share/zabbix-proxy-sqlite3/schema.sql.gz)
have_all=1
for f in "${files[@]}"; do [ -f "$dir/$f" ] || have_all=0; done
[ $have_all = 1 ] && exit 0
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"  # apt-get download runs as the _apt user where it can
(cd "$tmp" && apt-get download -qq zabbix-server-pgsql zabbix-proxy-sqlite3 2>/dev/null) || {
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  (cd "$tmp" && apt-get download -qq zabbix-server-pgsql zabbix-proxy-sqlite3)
}
for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$dir"; done
echo "Sample schemas unpacked into $dir" >&2
