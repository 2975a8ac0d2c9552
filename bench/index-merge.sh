#!/bin/sh
# bench/index-merge.sh — `pcap2report index` merging one big shard index (issue 20).
#
#   bench/index-merge.sh [ENTRIES]      (default 4,000,000 entries of about 1.2 KB)
#
# Called by bench/bench.mk with PROGRAM, SHARD (bench/shard.c), MEASURE (bench/measure.c) and
# DATA in the environment. A small batch on samples/ writes a real shard index
# (--shard 1/1, JSON only); bench/shard repeats its entries ENTRIES times under distinct
# names, in the layout index_write writes, sorted (DATA/index-ENTRIES/, kept between runs and
# made again when bench/shard changes; 4 million entries are 4.8 GB). Then `pcap2report
# index` merges it, timed, with its peak memory, and its index.json is checked to hold the
# same entries (the head's totals are the ones recounted). Times are reported, never checked.
set -eu

n=${1:-4000000}
: "${PROGRAM:?}" "${SHARD:?}" "${MEASURE:?}" "${DATA:?}"
top=$(cd "$(dirname "$0")/.." && pwd)
dir="$DATA/index-$n"
RESULTS="$DATA/results-index-$n.txt"
mkdir -p "$dir"
say() { printf '%s\n' "$*" | tee -a "$RESULTS"; }
: >"$RESULTS"

shard="$dir/index.shard-1-of-1.json"
if [ ! -s "$shard" ] || [ "$SHARD" -nt "$shard" ]; then
    echo "generating $shard ..." >&2
    tpl=$(mktemp -d)
    trap 'rm -rf "$tpl"' EXIT INT TERM
    "$PROGRAM" -q --format json --shard 1/1 -o "$tpl" "$top"/samples/*.pcap "$top"/samples/*.pcapng
    "$SHARD" -n "$n" -t "$tpl/index.shard-1-of-1.json" -o "$shard.tmp"
    mv "$shard.tmp" "$shard"
fi
rm -f "$dir/index.json"
cat "$shard" >/dev/null # into the page cache
sync
line=$("$MEASURE" -e "$dir/stderr" -- "$PROGRAM" index "$dir") || {
    echo "bench: pcap2report index failed" >&2
    cat "$dir/stderr" >&2
    exit 1
}
field() { printf '%s\n' "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
# The merged index holds the shard's entries, the same bytes (one shard, written sorted).
same=$(tail -n +2 "$shard" | md5sum | cut -d' ' -f1)
got=$(tail -n +2 "$dir/index.json" | md5sum | cut -d' ' -f1)
bytes=$(wc -c <"$shard")
say "pcap2report index, one shard of $n entries ($bytes bytes), $(date -u '+%Y-%m-%d %H:%M UTC')"
awk -v w="$(field wall)" -v u="$(field user)" -v s="$(field sys)" -v r="$(field maxrss_kib)" -v n="$n" -v b="$bytes" \
    'BEGIN { printf "  wall %.2f s (user %.2f s, sys %.2f s), %.2f us and %.0f MB/s per entry and byte, peak %.0f MiB\n",
             w, u, s, w * 1e6 / n, b / w / 1e6, r / 1024 }' | tee -a "$RESULTS"
if [ "$same" = "$got" ]; then say "  entries merged as they were: yes"; else say "  entries merged as they were: NO"; exit 1; fi
rm -f "$dir/index.json" "$dir/stderr"
say "(saved in $RESULTS)"
