#!/usr/bin/env bash
# The Debian package as a user gets it: `cpack -G DEB` builds it, it is unpacked into a temporary
# root, and what it holds is run there: the binary, the man page (man -l) and the three completion
# scripts in their shells. `cmake --install` must lay out the same files.
# Usage: deb_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
tmp=$(mktemp -d /tmp/dbmig-deb-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

step "cpack -G DEB"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; fail "cpack failed"; }
debs=("$tmp"/pkg/*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one .deb, got: ${debs[*]}"
deb=${debs[0]}
echo "$(basename "$deb")"
dpkg-deb --info "$deb" >/dev/null || fail "dpkg-deb cannot read $deb"

step "control fields"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = dbmig ] || fail "Package: $(field Package)"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture: $(field Architecture)"
[ "$(field Recommends)" = libpq5 ] || fail "Recommends: $(field Recommends) (libpq is dlopen'ed)"
[ "$(field Suggests)" = python3 ] || fail "Suggests: $(field Suggests)"
# Depends names exactly the packages of the shared libraries the binary links (objdump NEEDED).
depends=$(field Depends)
echo "Depends: $depends"
pkg_of() { { dpkg -S "$1" 2>/dev/null || true; } | head -1 | cut -d: -f1; }
needed_pkgs=$(objdump -p "$build/dbmig" | awk '$1 == "NEEDED" {print $2}' | while read -r lib; do
  path=$(ldconfig -p | awk -v l="$lib" '$1 == l {print $NF; exit}')
  pkg=$(pkg_of "$path")
  [ -n "$pkg" ] || pkg=$(pkg_of "$(readlink -f "$path")")  # merged /usr: dpkg may know either path
  [ -n "$pkg" ] || fail "no package ships $lib ($path)"
  echo "$pkg"
done | sort -u)
depends_pkgs=$(echo "$depends" | tr ',' '\n' | sed 's/(.*//; s/^ *//; s/ *$//' | grep -v '^$' | sort -u)
[ "$needed_pkgs" = "$depends_pkgs" ] || fail "Depends lists [$depends_pkgs] but the binary needs [$needed_pkgs]"

step "files in the package"
expected="./usr/bin/dbmig
./usr/share/bash-completion/completions/dbmig
./usr/share/fish/vendor_completions.d/dbmig.fish
./usr/share/man/man1/dbmig.1.gz
./usr/share/zsh/vendor-completions/_dbmig"
listing=$(dpkg-deb -c "$deb")
files=$(awk '$1 !~ /^d/ {print $6}' <<<"$listing" | sort)
[ "$files" = "$expected" ] || fail "package files:
$files
expected:
$expected"
grep -q ' root/root .* ./usr/bin/dbmig$' <<<"$listing" || fail "usr/bin/dbmig not owned by root"
grep -q '^-rwxr-xr-x .* ./usr/bin/dbmig$' <<<"$listing" || fail "usr/bin/dbmig not mode 755"

step "dpkg-deb -x and run the binary"
root=$tmp/root
dpkg-deb -x "$deb" "$root"
dbmig=$root/usr/bin/dbmig
version=$("$dbmig" --version)
echo "$version"
[[ $version =~ ^dbmig\ [0-9]+\.[0-9]+\.[0-9]+\ \(commit\ ([0-9a-f]{12}(-dirty)?|unknown)\)$ ]] || fail "--version: $version"
[ "$version" = "$("$build/dbmig" --version)" ] || fail "packaged --version differs from the build's"
help=$("$dbmig" --help)
grep -q '^  upgrade ' <<<"$help" || fail "--help does not list upgrade"
file_type=$(file "$dbmig")
if grep -q 'not stripped' <<<"$file_type"; then fail "the packaged binary is not stripped"; fi
# Works without libpq on a SQLite project (libpq is only Recommended).
proj=$tmp/project
mkdir "$proj"
(cd "$proj" && "$dbmig" init >/dev/null 2>&1 && sed -i 's|^database_url:.*|database_url: sqlite:///app.db|' dbmig.yaml &&
  "$dbmig" revision -m first --rev-id aaa111 >/dev/null && "$dbmig" revision -m second --rev-id bbb222 >/dev/null &&
  "$dbmig" -q upgrade head && [ "$("$dbmig" current)" = "bbb222 (head)" ]) || fail "init/revision/upgrade with the packaged binary"

step "man -l"
page=$root/usr/share/man/man1/dbmig.1.gz
rendered=$(MANWIDTH=80 man --warnings -l "$page" 2>"$tmp/man.err" | col -bx)
[ ! -s "$tmp/man.err" ] || { cat "$tmp/man.err"; fail "man reports warnings"; }
for section in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS FILES ENVIRONMENT "EXIT STATUS" EXAMPLES; do
  grep -q "^$section\$" <<<"$rendered" || fail "man page lacks section $section"
done
grep -Eq '^ *dbmig +- +schema +migrations' <<<"$rendered" || fail "NAME line"
# Every verb of --help has its subsection, with its options.
verbs=$(awk '/^Subcommands:/ {s = 1; next} s && /^  [a-z]/ {print $1} s && /^$/ {s = 0}' <<<"$help")
[ -n "$verbs" ] || fail "no verbs found in --help"
for v in $verbs; do
  grep -q "^ *dbmig $v\( \|$\)" <<<"$rendered" || fail "man page has no subsection for '$v'"
done
grep -q -- '--lock-timeout' <<<"$rendered" || fail "man page lacks upgrade's --lock-timeout"
grep -q 'DBMIG_DATABASE_URL' <<<"$rendered" || fail "man page lacks DBMIG_DATABASE_URL"
if grep -q '^ *dbmig manpage' <<<"$rendered"; then fail "the hidden manpage verb is in the man page"; fi

step "completion scripts: the packaged files are what dbmig completion prints"
declare -A installed=([bash]=usr/share/bash-completion/completions/dbmig [zsh]=usr/share/zsh/vendor-completions/_dbmig
                      [fish]=usr/share/fish/vendor_completions.d/dbmig.fish)
for shell in bash zsh fish; do
  "$dbmig" completion "$shell" | cmp -s - "$root/${installed[$shell]}" || fail "$shell: installed script differs from 'dbmig completion $shell'"
  command -v "$shell" >/dev/null || fail "$shell is not installed (scripts/deps.sh installs it)"
  "$shell" -n "$root/${installed[$shell]}" || fail "$shell -n rejects the $shell completion"
done
rc=0
"$dbmig" completion tcsh >/dev/null 2>"$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q '^dbmig: error: ' "$tmp/err" || fail "completion tcsh: exit $rc, $(cat "$tmp/err")"

step "bash: complete verbs, options, choices and revision ids"
cd "$proj"
bash_complete() {
  PATH="$root/usr/bin:$PATH" bash -c '
    [ -f /usr/share/bash-completion/bash_completion ] && source /usr/share/bash-completion/bash_completion
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _dbmig; printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$root/${installed[bash]}" "$@"
}
check() { local got=$1 want=$2 what=$3; [ "$got" = "$want" ] || fail "$what: got [$got], want [$want]"; }
check "$(bash_complete dbmig upgr)" "upgrade " "bash: dbmig upgr"
check "$(bash_complete dbmig upgrade --st)" "--strict " "bash: dbmig upgrade --st"
check "$(bash_complete dbmig --format '')" "json text " "bash: dbmig --format"
check "$(bash_complete dbmig -q upgrade '')" "aaa111 base bbb222 head heads " "bash: dbmig upgrade <revision>"
check "$(bash_complete dbmig show a)" "aaa111 " "bash: dbmig show a"
check "$(bash_complete dbmig completion '')" "bash fish zsh " "bash: dbmig completion"

step "fish: complete verbs and revision ids"
fish_complete() {
  PATH="$root/usr/bin:$PATH" fish --no-config -c "source '$root/${installed[fish]}'; complete -C '$1'" | cut -f1 | sort | tr '\n' ' '
}
check "$(fish_complete 'dbmig upgr')" "upgrade " "fish: dbmig upgr"
check "$(fish_complete 'dbmig downgrade ')" "aaa111 base bbb222 head heads " "fish: dbmig downgrade <revision>"
check "$(fish_complete 'dbmig upgrade --st')" "--strict " "fish: dbmig upgrade --st"

step "zsh: the script loads under compinit and registers _dbmig"
got=$(zsh -fc "autoload -Uz compinit; compinit -u -d '$tmp/zcompdump'; source '$root/${installed[zsh]}'; print -r -- \$_comps[dbmig]")
check "$got" "_dbmig" "zsh: _comps[dbmig]"

step "cmake --install lays out the same files"
cmake --install "$build" --prefix "$tmp/inst/usr" >/dev/null
inst_files=$(cd "$tmp/inst" && find . -type f | sort)
[ "$inst_files" = "$expected" ] || fail "cmake --install files:
$inst_files
expected:
$expected"
echo "OK"
