#!/bin/sh
# install.sh — `make install PREFIX=...` installs a program built for that prefix (issue 18).
#
# The prefix is compiled in (the templates are looked for under PREFIX/share/pcap2report), so a
# build for one prefix must be rebuilt when installing for another. The check runs in a copy
# of the tree and of its build folder (so the suite's own build is never relinked under it):
# install for one prefix, again (nothing is compiled), then for another; each installed
# program must name its own prefix (grade --help prints the rubric folder under it).
#
#   sh tests/install.sh [BUILD]        (BUILD: the build folder to start from; default build)
#
# Prints a line per failed check and "install: N passed, M failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/p2r-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

mkdir "$tmp/src"
for d in Makefile analysis render grade cmd templates docs scripts; do cp -a "$top/$d" "$tmp/src/"; done
[ -d "$top/$build" ] && cp -a "$top/$build" "$tmp/src/build"

# install PREFIX: make install into PREFIX; the make's output in $tmp/make.out.
install_to() { make -C "$tmp/src" --no-print-directory PREFIX="$1" install >"$tmp/make.out" 2>&1; }
names_prefix() { "$1/bin/pcap2report" grade --help 2>/dev/null | grep -q -F "$1/share/pcap2report/templates/rubrics"; }

if install_to "$tmp/p1" && names_prefix "$tmp/p1"; then ok; else bad "install for a first prefix: the program names it"; cat "$tmp/make.out"; fi
if install_to "$tmp/p1" && ! grep -q '^cc ' "$tmp/make.out"; then ok; else bad "install again for the same prefix compiles nothing"; fi
if install_to "$tmp/p2" && names_prefix "$tmp/p2"; then ok; else bad "install for another prefix rebuilds: the program names the new one"; fi
for f in bin/pcap2report share/man/man1/pcap2report.1 share/pcap2report/pcap2report.schema.json \
    share/pcap2report/index.schema.json share/pcap2report/grades.schema.json share/pcap2report/templates/en.txt; do
    if [ -e "$tmp/p2/$f" ]; then ok; else bad "installed: $f"; fi
done
echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
