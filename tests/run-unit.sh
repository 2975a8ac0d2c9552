#!/bin/sh
# Runs the Criterion unit tests and fails on sanitizer reports too: Criterion lets a test pass
# when LeakSanitizer or UBSan only print (shared/LIBRARIES.md, section 4).
set -u
unit=$1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$unit" -j2 >"$log" 2>&1
rc=$?
cat "$log"
if grep -q -e 'ERROR: LeakSanitizer' -e 'runtime error:' -e 'ERROR: AddressSanitizer' "$log"; then
    echo "run-unit: sanitizer report in the test output" >&2
    exit 1
fi
exit $rc
