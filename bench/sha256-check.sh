#!/bin/sh
# bench/sha256-check.sh — analysis/sha256.c (libcrypto's SHA-256) against coreutils' sha256sum.
#
# SHA is bench/sha256_check.c. Random files of every length from 0 to 300 bytes (all the
# padding cases around one and two blocks) and of a few larger sizes are hashed by both, in
# pieces and in one call; any difference fails, and the file is kept to reproduce it.
set -eu
: "${SHA:?}"
absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
SHA=$(absolute "$SHA")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
n=0
for len in $(seq 0 300) 4095 4096 4097 65535 65536 65537 262143 1000003 3000017; do
    head -c "$len" /dev/urandom >"$dir/in$len"
    n=$((n + 1))
done
cd "$dir"
sha256sum in* >expected
"$SHA" in* >got
if ! cmp -s expected got; then
    bad=$(diff expected got | sed -n 's/^< [0-9a-f]*  //p' | head -1)
    keep=$(mktemp /tmp/sha256-mismatch.XXXXXX)
    cp "$bad" "$keep"
    echo "sha256-check: differs from sha256sum on $bad (kept as $keep)" >&2
    exit 1
fi
echo "sha256-check: $n files agree with sha256sum"
