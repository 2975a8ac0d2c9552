#!/bin/sh
# bench/grade-class.sh — `pcap2report grade` on N identical hand-ins (default 1,000), one folder
# per student as Moodle exports them, all holding the same capture: the copy check's worst
# case (one copy group of N students) and the cost per hand-in of reading, grading and
# writing a feedback PDF.
#
#   PROGRAM=build/pcap2report MEASURE=build/bench/measure DATA=build/bench/data \
#       sh bench/grade-class.sh [N]
#
# Called by `make bench-grade` (bench/bench.mk). Prints the wall time, CPU time and peak memory
# of the run with feedback PDFs and of the run without (--no-pdf), and the time per hand-in.
# Times are reported, never checked: the script fails only when the program fails or the copy
# group is wrong.
set -eu
N=${1:-1000}
: "${PROGRAM:?}" "${MEASURE:?}" "${DATA:?}"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PCAP2REPORT_TEMPLATES=$ROOT/templates
export PCAP2REPORT_TEMPLATES
CLASS=$DATA/class-$N
if [ ! -d "$CLASS/hand-ins" ] || [ "$(ls "$CLASS/hand-ins" | wc -l)" -ne "$N" ]; then
    echo "generating $N hand-ins in $CLASS ..." >&2
    rm -rf "$CLASS"
    mkdir -p "$CLASS/hand-ins"
    i=1
    while [ "$i" -le "$N" ]; do
        d="$CLASS/hand-ins/Student $i""_$((100000 + i))_assignsubmission_file_"
        mkdir -p "$d"
        cp "$ROOT/samples/http-get.pcap" "$d/capture.pcap"
        i=$((i + 1))
    done
fi
echo "pcap2report grade, $N identical hand-ins ($(getconf _NPROCESSORS_ONLN) cores):"
for mode in pdf no-pdf; do
    out="$CLASS/out-$mode"
    rm -rf "$out"
    opt=""
    [ "$mode" = no-pdf ] && opt=--no-pdf
    # shellcheck disable=SC2086
    line=$("$MEASURE" -n "${RUNS:-3}" -- "$PROGRAM" grade -q $opt -r classic-handshake -o "$out" "$CLASS/hand-ins")
    echo "  $mode: $line" | sed 's/ runs=.*//'
    wall=$(echo "$line" | sed 's/.*wall=\([0-9.]*\).*/\1/')
    awk -v w="$wall" -v n="$N" 'BEGIN { printf "  %s: %.2f ms per hand-in\n", "'"$mode"'", w * 1000 / n }'
    python3 - "$out/grades.json" "$N" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
n = int(sys.argv[2])
g = d["copy_groups"]
assert len(g) == 1 and len(g[0]["members"]) == n, "expected one copy group of every student"
assert len(d["students"]) == n
PY
done
