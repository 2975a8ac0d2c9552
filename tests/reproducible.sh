#!/bin/sh
# Reports that last: the same capture gives the same bytes on every run and with any -j,
# the report records what produced it, and 'verify' tells whether a stored report still
# matches its capture. Usage: PROGRAM=build/pcap2report sh tests/reproducible.sh
set -u
program=${PROGRAM:-build/pcap2report}
top=$(cd "$(dirname "$0")/.." && pwd)
case $program in /*) ;; *) program=$top/$program ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1"; fi; }

"$program" -q -j1 -o "$tmp/a" "$top/samples"
TZ=Asia/Shanghai LC_ALL=C.UTF-8 "$program" -q -j2 -o "$tmp/b" "$top/samples"
check "two runs, different -j, time zone and locale: identical bytes" 'diff -r "$tmp/a" "$tmp/b" >/dev/null'
# SOURCE_DATE_EPOCH sets the date inside the PDFs (tests/lang.sh); the JSON has no date of its own.
SOURCE_DATE_EPOCH=1 "$program" -q -j2 --format json -o "$tmp/c" "$top/samples"
check "SOURCE_DATE_EPOCH leaves the JSON as it was" \
    '(for f in "$tmp"/c/*.json; do [ "${f##*/}" = index.json ] || cmp -s "$f" "$tmp/a/${f##*/}" || exit 1; done)'

r=$tmp/a/four-way.json
check "provenance: tool version and options on the first line" \
    'head -n 1 "$r" | grep -q "\"tool\":{\"name\":\"pcap2report\",\"version\":\"[0-9.]*\",\"options\":{\"filter\":null,\"max_sessions\":1000000,\"idle_timeout_s\":300}}"'
check "provenance: the input's SHA-256" \
    'sed -n 2p "$r" | grep -q "\"sha256\":\"$(sha256sum "$top/samples/four-way.pcap" | cut -c1-64)\""'

out=$("$program" verify "$r" "$top/samples/four-way.pcap"); rc=$?
check "verify: a fresh report matches (exit 0)" '[ $rc -eq 0 ] && echo "$out" | grep -q "^MATCH"'

"$program" -q -o "$tmp/f" -f "tcp port 9001" --max-sessions 7 "$top/samples/four-way.pcap"
out=$("$program" verify "$tmp/f/four-way.json" "$top/samples/four-way.pcap"); rc=$?
check "verify: uses the options the report records" '[ $rc -eq 0 ] && echo "$out" | grep -q "^MATCH"'

sed 's/"history":"ShADadFf"/"history":"ShADadFF"/' "$r" > "$tmp/edited.json"
out=$("$program" verify "$tmp/edited.json" "$top/samples/four-way.pcap"); rc=$?
check "verify: an edited report does not match (exit 1)" '[ $rc -eq 1 ] && echo "$out" | grep -q "^DIFFERS: .* line 5, a session"'

out=$("$program" verify "$r" "$top/samples/refused.pcap"); rc=$?
check "verify: another capture is named as such (exit 1)" '[ $rc -eq 1 ] && echo "$out" | grep -q "^DIFFERENT CAPTURE"'

"$program" verify "$top/README.md" "$top/samples/four-way.pcap" >/dev/null 2>&1; rc=$?
check "verify: not a report (exit 1)" '[ $rc -eq 1 ]'
"$program" verify "$r" >/dev/null 2>&1; rc=$?
check "verify: usage error (exit 2)" '[ $rc -eq 2 ]'

echo "reproducible: $passed passed, $failed failed"
[ $failed -eq 0 ]
