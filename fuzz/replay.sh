#!/bin/sh
# replay.sh — replays every saved fuzzing input in fuzz/regressions/<harness>/ (make test-regressions).
#
# Usage: PROGRAM=build/pcap2report BUILD=build sh fuzz/replay.sh decode capture
# Each input goes through $BUILD/fuzz/replay-<harness> (the harness without libFuzzer); the
# capture inputs also go through the program, which must exit 0 or 1, within 60 s, with no
# sanitizer report. Prints one line per harness and fails on the first problem.
set -u
: "${PROGRAM:?}" "${BUILD:?}"
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

sanitizer_report() {
    grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' "$1"
}

for h in "$@"; do
    dir=$here/regressions/$h
    find "$dir" -maxdepth 1 -type f ! -name '*.md' 2>/dev/null | sort >"$tmp/list"
    n=$(wc -l <"$tmp/list")
    if [ "$n" -eq 0 ]; then
        echo "regressions: $h: no saved inputs"
        continue
    fi
    # shellcheck disable=SC2046
    if ! timeout 300 "$BUILD/fuzz/replay-$h" $(cat "$tmp/list") >"$tmp/log" 2>&1 || sanitizer_report "$tmp/log"; then
        cat "$tmp/log"
        echo "regressions: $h: FAILED (replay-$h over $dir)" >&2
        fail=1
        continue
    fi
    if [ "$h" = capture ]; then
        while read -r f; do
            timeout 60 "$PROGRAM" -q -o "$tmp/out" "$f" >"$tmp/log" 2>&1
            rc=$?
            if { [ $rc -ne 0 ] && [ $rc -ne 1 ]; } || sanitizer_report "$tmp/log"; then
                cat "$tmp/log"
                echo "regressions: capture: FAILED: $PROGRAM on $f exited $rc" >&2
                fail=1
            fi
        done <"$tmp/list"
    fi
    echo "regressions: $h: $n inputs replayed"
done
exit $fail
