#!/usr/bin/env bash
# Installs the Debian packages dbmig needs to build and test, if any is missing.
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config libpq-dev libsqlite3-dev libcli11-dev libyaml-cpp-dev
          libspdlog-dev libpg-query-dev libgtest-dev libgmock-dev sqlite3 postgresql-15 postgresql-client-15)
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
