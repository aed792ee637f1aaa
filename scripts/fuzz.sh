#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for SECONDS (default 60) from its seed
# corpus in tests/fuzz/<target>/: the models.yaml loader, the revision-file loader and the
# config/URL parser, and the YAML subset reader against yaml-cpp (differential). Fails on any
# crash, leak, sanitizer report, hang or difference.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
missing=()
for p in clang-14 libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
scripts/deps.sh
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
  -DDBMIG_FUZZ=ON -DDBMIG_TESTS=OFF >/dev/null
targets=(models revision config yaml)
ninja -C build-fuzz -j2 "${targets[@]/#/fuzz_}" >&2

work=$(mktemp -d /tmp/dbmig-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
pids=()
for target in "${targets[@]}"; do
  mkdir -p "$work/$target"
  cp tests/fuzz/$target/* "$work/$target/"
  ( cd "$work" && ASAN_OPTIONS=detect_leaks=1 "$OLDPWD/build-fuzz/tests/fuzz/fuzz_$target" -max_total_time="$seconds" \
      -timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 "$work/$target" >"$work/$target.log" 2>&1 ) &
  pids+=($!)
done
failed=0
for i in "${!targets[@]}"; do
  target=${targets[$i]}
  if wait "${pids[$i]}"; then
    echo "fuzz_$target: $(grep -E '^stat::number_of_executed_units' "$work/$target.log" | awk '{print $2}') runs, no failure"
  else
    echo "fuzz_$target FAILED:"; tail -n 40 "$work/$target.log"; failed=$((failed + 1))
  fi
done
echo "$((${#targets[@]} - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
