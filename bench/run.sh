#!/bin/sh
# bench/run.sh — the benchmark: pcap2report against the reference loop on the same capture.
#
#   bench/run.sh smoke|quick|large|memory|flood|short
#
# Called by bench/bench.mk, which builds the tools and passes them in the environment:
# PROGRAM (pcap2report), GEN (bench/gen.c), FLOOD (bench/flood.c), REFLOOP (bench/refloop.c), MEASURE
# (bench/measure.c) and DATA (a folder for the generated captures, kept between runs and
# regenerated when the generator changes). RUNS overrides the number of timed runs; OTHERS=0
# skips tshark and tcptrace. What each figure means: docs/benchmark.md.
#
# Times are reported, never checked: the script fails only when a program fails.
set -eu

mode=${1:-quick}
: "${PROGRAM:?}" "${GEN:?}" "${REFLOOP:?}" "${MEASURE:?}" "${DATA:?}"
FLOOD=${FLOOD:-}
OTHERS=${OTHERS:-1}
mkdir -p "$DATA"
OUT="$DATA/out-$mode"
RESULTS="$DATA/results-$mode.txt"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

say() { printf '%s\n' "$*" | tee -a "$RESULTS"; }

machine() {
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
    cores=$(getconf _NPROCESSORS_ONLN)
    mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
    sha=$(grep -q -w sha_ni /proc/cpuinfo && echo ", SHA-NI" || echo ", no SHA-NI")
    echo "$cpu, $cores cores$sha, $mem RAM, Linux $(uname -r)"
}

# gen_capture FILE ARGS...: generates FILE with bench/gen unless it is there and newer than gen.
gen_capture() {
    f=$1
    shift
    if [ ! -s "$f" ] || [ "$GEN" -nt "$f" ]; then
        echo "generating $f ..." >&2
        "$GEN" "$@" -o "$f.tmp" 2>"$f.log"
        mv "$f.tmp" "$f"
    fi
}

# field NAME LINE: the value of NAME=... in a line printed by measure.
field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# timed LABEL COMMAND...: runs COMMAND once under measure; appends "LABEL wall cpu rss" to
# $TMP/times. The command's stdout goes to /dev/null, its stderr to $TMP/stderr.
timed() {
    label=$1
    shift
    line=$("$MEASURE" -o /dev/null -e "$TMP/stderr" -- "$@") || {
        echo "bench: $label failed: $*" >&2
        cat "$TMP/stderr" >&2
        exit 1
    }
    wall=$(field wall "$line")
    cpu=$(awk -v u="$(field user "$line")" -v s="$(field sys "$line")" 'BEGIN { print u + s }')
    echo "$label $wall $cpu $(field maxrss_kib "$line")" >>"$TMP/times"
}

# best LABEL: "wall cpu rss" of LABEL's fastest run (its largest RSS).
best() {
    awk -v l="$1" '$1 == l { if (!n || $2 < w) { w = $2; c = $3 } if ($4 > r) r = $4; n++ }
                   END { if (n) print w, c, r }' "$TMP/times"
}

help=$("$PROGRAM" --help 2>&1 || true)
has_force=$(printf '%s\n' "$help" | grep -q -- '--force' && echo 1 || echo 0)
has_format=$(printf '%s\n' "$help" | grep -q -- '--format' && echo 1 || echo 0)
has_pdf=$(printf '%s\n' "$help" | grep -A1 -- '--format' | grep -q -i pdf && echo 1 || echo 0)
has_jobs=$(printf '%s\n' "$help" | grep -q -- '--jobs' && echo 1 || echo 0)
force=""
[ "$has_force" = 1 ] && force="--force"
json_only="" # JSON alone, whatever the program's default formats are
[ "$has_format" = 1 ] && json_only="--format json"

# p2r LABEL ARGS...: times pcap2report writing into a fresh output folder (--force, where the
# program has it, also keeps it from skipping reports that are up to date).
p2r() {
    label=$1
    shift
    rm -rf "$OUT"
    timed "$label" "$PROGRAM" -q $force -o "$OUT" "$@"
}

# row LABEL NAME: one line of the table, against the reference loop's time.
row() {
    set -- "$1" $(best "$2")
    [ $# -eq 4 ] || return 0
    awk -v label="$1" -v wall="$2" -v cpu="$3" -v rss="$4" -v ref="$ref_wall" -v pk="$packets" -v by="$bytes" '
        BEGIN { printf "%-30s %8.3f %8.3f %10.2f %8.0f %8.0f %10.1f %7.2fx\n", label, wall, cpu,
                pk / wall / 1e6, by / wall / 1e6, wall * 1e9 / pk, rss / 1024, wall / ref }' | tee -a "$RESULTS"
}

# describe FILE: the file into the page cache, its packets, 4-tuples and bytes (packets,
# flows, bytes) as the reference loop counts them; the times of the runs to come reset.
describe() {
    : >"$TMP/times"
    cat "$1" >/dev/null
    "$REFLOOP" "$1" >"$TMP/ref.txt"
    packets=$(sed -n 's/.*packets=\([0-9]*\).*/\1/p' "$TMP/ref.txt")
    flows=$(sed -n 's/.*flows=\([0-9]*\).*/\1/p' "$TMP/ref.txt")
    bytes=$(wc -c <"$1")
}

# speed FILE RUNS: the table for one capture.
speed() {
    file=$1
    runs=$2
    describe "$file"
    # The two are interleaved, so that a disturbance hits both rather than one.
    i=0
    while [ $i -lt "$runs" ]; do
        timed ref "$REFLOOP" "$file"
        p2r json $json_only "$file"
        timed stdout "$PROGRAM" -q $json_only -o - "$file"
        [ "$has_pdf" = 1 ] && p2r pdf --format json,pdf "$file"
        i=$((i + 1))
    done
    report=$(ls "$OUT"/*.json | grep -v '/index.json$' | head -1)
    sessions=$(head -c 65536 "$report" | sed -n 's/.*"summary":{"sessions":\([0-9]*\),.*/\1/p')
    json_bytes=$(wc -c <"$report")
    # What writing that many bytes into a new file in the output folder costs by itself.
    i=0
    while [ $i -lt "$runs" ]; do
        rm -f "$OUT/dd.bin"
        timed dd dd if=/dev/zero of="$OUT/dd.bin" bs=262144 count=$((json_bytes / 262144 + 1))
        i=$((i + 1))
    done
    rm -f "$OUT/dd.bin"
    if [ "$OTHERS" = 1 ] && [ "$mode" != smoke ]; then
        if command -v tshark >/dev/null 2>&1; then
            timed tshark tshark -n -q -z conv,tcp -r "$file"
        fi
        if command -v tcptrace >/dev/null 2>&1; then
            timed tcptrace tcptrace -n "$file"
        fi
    fi
    set -- $(best ref)
    ref_wall=$1
    say ""
    say "capture: $file"
    say "  $packets packets, $flows 4-tuples, ${sessions:-?} sessions, $bytes bytes; JSON report: $json_bytes bytes"
    say "  best of $runs runs, page cache warm; ratio = time / reference loop's time"
    say ""
    say "$(printf '%-30s %8s %8s %10s %8s %8s %10s %8s' program 'wall s' 'CPU s' 'Mpkt/s' 'MB/s' 'ns/pkt' 'peak MiB' ratio)"
    row "reference loop" ref
    row "pcap2report JSON" json
    row "pcap2report JSON, to /dev/null" stdout
    if [ "$has_pdf" = 1 ]; then
        row "pcap2report JSON+PDF" pdf
    else
        say "pcap2report JSON+PDF           (skipped: this pcap2report has no PDF output)"
    fi
    if [ "$OTHERS" = 1 ] && [ "$mode" != smoke ]; then
        if command -v tshark >/dev/null 2>&1; then row "tshark -z conv,tcp" tshark; else say "tshark                         (not installed)"; fi
        if command -v tcptrace >/dev/null 2>&1; then row "tcptrace -n" tcptrace; else say "tcptrace                       (not installed)"; fi
    fi
    set -- $(best dd)
    say "$(printf '%-30s %8.3f s (writing the report'"'"'s %s bytes into a new file there, with dd)' 'file system alone' "$1" "$json_bytes")"
    set -- $(best json)
    json_wall=$1
    if [ "$has_pdf" = 1 ]; then
        set -- $(best pdf)
        awk -v j="$json_wall" -v p="$1" 'BEGIN { printf "  PDF adds %.3f s, %.2f times the JSON-only time\n", p - j, (p - j) / j }' | tee -a "$RESULTS"
    fi
}

# batch DIR COUNT SESSIONS RUNS: -j 1 against -j 2 on a folder of COUNT captures.
batch() {
    dir=$1
    count=$2
    n=$3
    runs=$4
    if [ "$has_jobs" = 0 ]; then
        say ""
        say "batch (-j): skipped, this pcap2report has no -j option"
        return 0
    fi
    mkdir -p "$dir"
    k=1
    while [ $k -le "$count" ]; do
        gen_capture "$dir/capture-$k.pcap" -s "$k" -n "$n" -c $((n / 10 + 1))
        k=$((k + 1))
    done
    cat "$dir"/*.pcap >/dev/null
    total=$(cat "$dir"/*.pcap | wc -c)
    : >"$TMP/times"
    i=0
    while [ $i -lt "$runs" ]; do
        p2r j1 $json_only -j 1 "$dir"
        p2r j2 $json_only -j 2 "$dir"
        i=$((i + 1))
    done
    set -- $(best j1)
    j1=$1 j1cpu=$2
    set -- $(best j2)
    say ""
    say "batch: a folder of $count captures ($total bytes), best of $runs runs"
    say "  (-j 1 runs on one thread; -j 2 converts two captures at once, each on one core)"
    awk -v a="$j1" -v ac="$j1cpu" -v b="$1" -v bc="$2" -v t="$total" 'BEGIN {
        printf "  -j 1: %.3f s (CPU %.3f s), %.0f MB/s\n", a, ac, t / a / 1e6
        printf "  -j 2: %.3f s (CPU %.3f s), %.0f MB/s\n", b, bc, t / b / 1e6
        printf "  throughput of -j 2 / -j 1: %.2fx\n", a / b }' | tee -a "$RESULTS"
}

# stress FILE RUNS TITLE: a capture of many sessions (the SYN flood, many short sessions): the
# reference loop, the JSON to /dev/null with the default session cap and with none
# (--max-sessions 0), and the default JSON+PDF run into files, each with its time as a ratio to
# the reference loop's on the same file and its peak memory (issue 20).
stress() {
    file=$1
    runs=$2
    title=$3
    describe "$file"
    i=0
    while [ $i -lt "$runs" ]; do
        timed ref "$REFLOOP" "$file"
        timed json "$PROGRAM" -q $json_only -o - "$file"
        timed nocap "$PROGRAM" -q $json_only --max-sessions 0 -o - "$file"
        [ "$has_pdf" = 1 ] && p2r pdf --format json,pdf "$file"
        i=$((i + 1))
    done
    set -- $(best ref)
    ref_wall=$1
    say ""
    say "capture: $file ($title)"
    say "  $packets packets, $flows 4-tuples, $bytes bytes; best of $runs runs, page cache warm"
    say ""
    say "$(printf '%-30s %8s %8s %10s %8s %8s %10s %8s' program 'wall s' 'CPU s' 'Mpkt/s' 'MB/s' 'ns/pkt' 'peak MiB' ratio)"
    row "reference loop" ref
    row "JSON to /dev/null (default)" json
    row "JSON, --max-sessions 0" nocap
    [ "$has_pdf" = 1 ] && row "JSON+PDF into files (default)" pdf
    rm -rf "$OUT"
}

# flood SYNS RUNS: the SYN flood (bench/flood.c: one SYN every 10 us, each from a new port).
flood() {
    f="$DATA/flood-$1.pcap"
    if [ ! -s "$f" ] || [ "$FLOOD" -nt "$f" ]; then
        echo "generating $f ..." >&2
        "$FLOOD" -n "$1" -o "$f.tmp" 2>"$f.log"
        mv "$f.tmp" "$f"
    fi
    stress "$f" "$2" "SYN flood: $1 SYNs, one every 10 us, none answered"
}

# short SESSIONS RUNS: many short sessions ('short' profile, 5,000 open at once).
short() {
    f="$DATA/memory-$1.pcap" # the memory benchmark's capture of that size
    gen_capture "$f" -p short -n "$1" -c 5000
    stress "$f" "$2" "$1 short sessions, about 5,000 open at once"
}

# memory: peak RSS against the number of sessions, and the slope. The JSON goes to standard
# output (/dev/null): the million-session report is 3.5 GB, and writing it to disk would
# measure the disk.
memory() {
    : >"$TMP/mem"
    for n in 10000 100000 1000000; do
        f="$DATA/memory-$n.pcap"
        gen_capture "$f" -p short -n "$n" -c 5000
        : >"$TMP/times"
        timed json "$PROGRAM" -q $json_only -o - "$f"
        set -- $(best json)
        pk=$(sed -n 's/.* \([0-9]*\) packets,.*/\1/p' "$f.log")
        echo "$n $pk $3 $2" >>"$TMP/mem"
    done
    say ""
    say "peak memory (RSS) of pcap2report writing JSON to /dev/null, 'short' profile captures:"
    say "$(printf '%10s %12s %12s %10s' sessions packets 'peak MiB' 'CPU s')"
    awk '{ printf "%10d %12d %12.1f %10.2f\n", $1, $2, $3 / 1024, $4 }' "$TMP/mem" | tee -a "$RESULTS"
    # Least-squares line through the three points: RSS = base + slope * sessions.
    awk '{ x[NR] = $1; y[NR] = $3 * 1024; sx += $1; sy += $3 * 1024 } END {
        mx = sx / NR; my = sy / NR
        for (i = 1; i <= NR; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ^ 2 }
        slope = sxy / sxx; base = my - slope * mx
        printf "  slope: %.0f bytes per session; fixed base: %.1f MiB (target: at most 2048 bytes per session)\n",
               slope, base / 1048576 }' "$TMP/mem" | tee -a "$RESULTS"
    # Same number of sessions, more packets: the peak should not move.
    if [ -s "$DATA/large.pcap" ]; then
        : >"$TMP/times"
        timed json "$PROGRAM" -q $json_only -o - "$DATA/large.pcap"
        set -- $(best json)
        pk=$(sed -n 's/.* \([0-9]*\) packets,.*/\1/p' "$DATA/large.pcap.log")
        ns=$(sed -n 's/.*, \([0-9]*\) sessions (.*/\1/p' "$DATA/large.pcap.log")
        say "  for comparison, the large 'bulk' capture: $ns sessions, $pk packets: $(awk -v r="$3" 'BEGIN { printf "%.1f", r / 1024 }') MiB"
    fi
}

: >"$RESULTS"
say "pcap2report benchmark ($mode), $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(machine)"
say "program: $PROGRAM ($("$PROGRAM" --version 2>/dev/null || echo '?'))"

case $mode in
smoke)
    gen_capture "$DATA/smoke.pcap" -n 1500 -c 300
    RUNS=${RUNS:-1}
    speed "$DATA/smoke.pcap" "$RUNS"
    batch "$DATA/batch-smoke" 4 300 1
    [ -n "$FLOOD" ] && flood 20000 1
    short 5000 1
    ;;
quick)
    gen_capture "$DATA/quick.pcap" -n 20000 -c 2000
    RUNS=${RUNS:-3}
    speed "$DATA/quick.pcap" "$RUNS"
    batch "$DATA/batch-quick" 8 2500 "$RUNS"
    [ -n "$FLOOD" ] && flood 3000000 1
    short 200000 1
    ;;
flood)
    RUNS=${RUNS:-1}
    flood "${FLOOD_SYNS:-3000000}" "$RUNS"
    ;;
short)
    RUNS=${RUNS:-1}
    short "${SHORT_SESSIONS:-1000000}" "$RUNS"
    ;;
large)
    gen_capture "$DATA/large.pcap" -n 112000 -c 5000
    RUNS=${RUNS:-3}
    speed "$DATA/large.pcap" "$RUNS"
    batch "$DATA/batch-large" 16 7000 "$RUNS"
    ;;
memory)
    gen_capture "$DATA/large.pcap" -n 112000 -c 5000
    memory
    ;;
*)
    echo "usage: bench/run.sh smoke|quick|large|memory|flood|short" >&2
    exit 2
    ;;
esac
rm -rf "$OUT"
say ""
say "(saved in $RESULTS)"
