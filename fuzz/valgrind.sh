#!/bin/sh
# valgrind.sh — the program under valgrind, for leaks and memory errors (make test-valgrind).
#
# Usage: PROGRAM=build/pcap2report sh fuzz/valgrind.sh
# Runs once over every sample (all must convert) and once over the broken corpus of
# tests/broken/make-broken.sh (some must fail, exit 1); any valgrind error fails the test.
set -u
: "${PROGRAM:?}"
here=$(cd "$(dirname "$0")" && pwd)
top=$here/..
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vg="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99"
fail=0

$vg "$PROGRAM" -q -o "$tmp/samples" "$top"/samples/*.pcap "$top"/samples/*.pcapng
rc=$?
[ $rc -eq 0 ] || { echo "valgrind: samples: exit status $rc" >&2; fail=1; }

sh "$top/tests/broken/make-broken.sh" "$tmp/broken" >/dev/null || exit 1
# find hands the odd file names (newlines, tabs) over intact.
find "$tmp/broken" -maxdepth 1 -type f -exec $vg "$PROGRAM" -q -j 1 -o "$tmp/out" {} + 2>"$tmp/err"
if grep -q '^==[0-9]*==' "$tmp/err" || ! grep -q 'not a readable capture file' "$tmp/err"; then
    cat "$tmp/err" >&2
    echo "valgrind: broken corpus: errors above" >&2
    fail=1
fi
[ $fail -eq 0 ] && echo "valgrind: no errors or leaks over the samples and the broken corpus"
exit $fail
