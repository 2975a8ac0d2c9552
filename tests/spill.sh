#!/bin/sh
# spill.sh — sessions leaving memory for the temporary file never change a report (issue 20).
#
# The same captures (the samples, the crafted encapsulations and tunnels, a mix of short
# sessions, and a SYN flood slow enough that its attempts leave memory as they would in a
# real one) are converted to every format three ways: with no usable temporary directory (every
# session stays in memory, and the program says so), as by default, and with every session
# leaving memory at every segment (PCAP2REPORT_SPILL_EAGERLY=1). Every output must be the same
# bytes, and nothing may be left in the temporary directory.
#
# Environment: PROGRAM, MKENCAP (tests/tools/mkencap), FLOOD (bench/flood), GEN (bench/gen).
set -eu
: "${PROGRAM:?}" "${MKENCAP:?}" "${FLOOD:?}" "${GEN:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/in" "$tmp/spill" "$tmp/encap"
cp samples/*.pcap samples/*.pcapng "$tmp/in/"
"$MKENCAP" "$tmp/encap" >/dev/null
cp "$tmp"/encap/*.pcap "$tmp/in/"
"$FLOOD" -n 30000 -i 100 -o "$tmp/in/flood-3s.pcap" 2>/dev/null
"$GEN" -n 3000 -c 300 -p short -o "$tmp/in/short-mix.pcap" 2>/dev/null
n=$(ls "$tmp/in" | wc -l)

convert() { # MODE ENV...: converts everything into $tmp/out-MODE, stderr in $tmp/err-MODE
    mode=$1
    shift
    env SOURCE_DATE_EPOCH=1700000000 "$@" "$PROGRAM" --format json,pdf,html,csv -o "$tmp/out-$mode" \
        "$tmp/in" 2>"$tmp/err-$mode" || { cat "$tmp/err-$mode" >&2; echo "spill: $mode: conversion failed" >&2; exit 1; }
    rm -f "$tmp/out-$mode/index."* # they record the run's times
}
convert memory TMPDIR="$tmp/none"
convert default TMPDIR="$tmp/spill"
convert eager TMPDIR="$tmp/spill" PCAP2REPORT_SPILL_EAGERLY=1

fail=0
for mode in default eager; do
    if ! diff -r "$tmp/out-memory" "$tmp/out-$mode" >"$tmp/diff"; then
        echo "spill: FAIL: $mode differs from every session in memory:" >&2
        head -20 "$tmp/diff" >&2
        fail=1
    fi
done
# Without a temporary directory the program says so for a capture whose sessions would have
# left memory (the flood's attempts do), and only then.
for f in flood-3s short-mix; do
    grep -q "note: $tmp/in/$f.pcap: sessions stayed in memory (cannot create a temporary file in $tmp/none" "$tmp/err-memory" ||
        { echo "spill: FAIL: no note of $f's sessions staying in memory" >&2; fail=1; }
done
if grep "stayed in memory" "$tmp/err-memory" | grep -v -e flood-3s -e short-mix; then
    echo "spill: FAIL: notes of sessions staying in memory for captures whose sessions never leave" >&2
    fail=1
fi
if grep -q "stayed in memory" "$tmp/err-default" "$tmp/err-eager"; then
    echo "spill: FAIL: a note of sessions staying in memory with a temporary directory" >&2
    fail=1
fi
[ -z "$(ls -A "$tmp/spill")" ] || { echo "spill: FAIL: files left in the temporary directory: $(ls "$tmp/spill")" >&2; fail=1; }
outputs=$(find "$tmp/out-memory" -type f | wc -l)
[ "$fail" = 0 ] && echo "spill: $n captures, $outputs outputs: the same bytes with sessions in memory, leaving by default, and leaving at every segment"
exit "$fail"
