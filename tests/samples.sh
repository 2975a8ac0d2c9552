#!/bin/sh
# Runs the program on every capture in samples/ and checks the results four ways:
#   1. every report validates against the JSON schema (tests/check_schema.py);
#   2. each session's classes and numbers match samples/<name>.expect.json, written by
#      reading the packets with tcpdump (tests/golden.py);
#   3. the whole JSON equals the reviewed copy in tests/golden/ (update: make golden-update);
#   4. Wireshark's view agrees where tshark is installed (tests/tshark_check.py).
# Usage: tests/samples.sh PROGRAM [--update]
set -u
program=$1
update=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
py=/usr/bin/python3
failed=0

set -- "$top"/samples/*.pcap "$top"/samples/*.pcapng
"$program" -q --format json -o "$out" "$@" || { echo "samples: the program failed on a sample"; exit 1; }
rm -f "$out"/index.json  # the batch index is tested by tests/batch.sh

if [ "$update" = "--update" ]; then
    mkdir -p "$top/tests/golden"
    rm -f "$top"/tests/golden/*.json
    cp "$out"/*.json "$top/tests/golden/"
    echo "samples: updated $(ls "$out"/*.json | wc -l) golden reports in tests/golden/"
    exit 0
fi

$py "$top/tests/check_schema.py" "$top/docs/schema/pcap2report.schema.json" "$out"/*.json || failed=1
if [ -f "$top/tests/golden.py" ]; then
    $py "$top/tests/golden.py" "$top/samples" "$out" || failed=1
fi

same=0 differ=0
for want in "$top"/tests/golden/*.json; do
    [ -e "$want" ] || continue
    got="$out/$(basename "$want")"
    if cmp -s "$want" "$got"; then
        same=$((same + 1))
    else
        differ=$((differ + 1))
        echo "golden copy differs: $(basename "$want") (review with: diff tests/golden/$(basename "$want") <(build/pcap2report -o - samples/...); accept with: make golden-update)"
        diff "$want" "$got" | head -n 6
    fi
done
echo "golden-copies: $same passed, $differ failed"
[ "$differ" -eq 0 ] || failed=1

if [ -f "$top/tests/tshark_check.py" ]; then
    $py "$top/tests/tshark_check.py" "$top/samples" "$out" || failed=1
fi
exit $failed
