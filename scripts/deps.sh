#!/usr/bin/env bash
# Installs the Debian packages dbmig needs to build and test, if any is missing.
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config libpq-dev libsqlite3-dev libcli11-dev libyaml-cpp-dev
          libspdlog-dev libpg-query-dev libgtest-dev libgmock-dev sqlite3 postgresql-15 postgresql-client-15
          dpkg-dev file man-db bsdextrautils bash-completion zsh fish  # the .deb and its test
          pgbouncer python3  # many databases: PgBouncer, and the fleet tests' helper scripts
          nlohmann-json3-dev python3-alembic python3-sqlalchemy python3-psycopg2)  # import alembic and its tests
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
"$(dirname "$0")/sample_schemas.sh"  # public schemas the models-dump tests load
