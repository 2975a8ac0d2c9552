#!/bin/sh
# cli.sh — the pcap2report program end to end: options, exit codes, inputs that are not
# captures, standard input and output, a big capture, damaged files and reproducible output.
#
#   PROGRAM=build/pcap2report MKSAMPLE=build/mksample sh tests/cli.sh
#
# Captures come from MKSAMPLE (tests/tools/mksample.c). JSON is checked with python3. Prints
# one line per check and, last, "cli: N passed, M failed"; exits 1 when any check failed.
set -u

: "${PROGRAM:?set PROGRAM to the pcap2report binary}"
: "${MKSAMPLE:?set MKSAMPLE to the mksample binary}"
PY=/usr/bin/python3

case $PROGRAM in /*) ;; *) PROGRAM=$(pwd)/$PROGRAM ;; esac
case $MKSAMPLE in /*) ;; *) MKSAMPLE=$(pwd)/$MKSAMPLE ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/p2r-cli.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
sanlog=$work/all-stderr.log
: >"$sanlog"

pass() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
fail() {
    failed=$((failed + 1))
    printf 'FAIL %s\n' "$1"
    if [ -s "$work/err" ]; then sed -n '1,5s/^/     stderr: /p' "$work/err"; fi
}
check() { # check NAME CONDITION...
    name=$1
    shift
    if "$@"; then pass "$name"; else fail "$name"; fi
}

# run ARGS...: runs the program; leaves $rc, $work/out and $work/err.
run() {
    "$PROGRAM" "$@" >"$work/out" 2>"$work/err"
    rc=$?
    cat "$work/err" >>"$sanlog"
}

# json FILE EXPR: prints a Python expression over the document d.
json() { "$PY" -c "import json, sys; d = json.load(open(sys.argv[1])); print($2)" "$1" 2>/dev/null; }

# is FILE EXPR WANT: the expression's value printed equals WANT.
is() { [ "$(json "$1" "$2")" = "$3" ]; }

valid_json() { "$PY" -m json.tool "$1" >/dev/null 2>&1; }
no_files() { [ -z "$(ls -A "$1" 2>/dev/null)" ]; }
# no_report DIR NAME: DIR holds no NAME.json and no temporary file (index.json may be there).
no_report() { [ ! -e "$1/$2.json" ] && [ -z "$(find "$1" -name '*.tmp.*' 2>/dev/null)" ]; }
err_has() { grep -q -F -- "$1" "$work/err"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { wc -c <"$1" | tr -d ' '; }
quiet_success() { [ "$rc" -eq 0 ] && [ ! -s "$work/err" ]; }

# ---- samples -----------------------------------------------------------------------------------

for kind in classic big damaged ns; do
    "$MKSAMPLE" "$kind" "$work/$kind.pcap" || { echo "cli: mksample $kind failed"; exit 1; }
done
"$MKSAMPLE" pcapng "$work/ng.pcapng" || { echo "cli: mksample pcapng failed"; exit 1; }
"$MKSAMPLE" linktypes "$work/lt" || { echo "cli: mksample linktypes failed"; exit 1; }
printf 'This is a text file, not a capture.\nIt has more than twenty-four bytes.\n' >"$work/notes.txt"
: >"$work/empty.pcap"
mkdir "$work/adir"

# ---- options and usage ---------------------------------------------------------------------------

run --help
check "--help exits 0" [ "$rc" -eq 0 ]
check "--help prints usage" grep -q -i 'usage' "$work/out"
run -h
check "-h exits 0" [ "$rc" -eq 0 ]

run --version
check "--version exits 0" [ "$rc" -eq 0 ]
check "--version prints a version" grep -q -E '^pcap2report [0-9]+\.[0-9]+\.[0-9]+' "$work/out"

run
check "no argument exits 2" [ "$rc" -eq 2 ]
check "no argument explains itself on stderr" [ -s "$work/err" ]

run --frobnicate "$work/classic.pcap"
check "unknown option exits 2" [ "$rc" -eq 2 ]

run --max-sessions many "$work/classic.pcap"
check "--max-sessions with a non-number exits 2" [ "$rc" -eq 2 ]

run -o - "$work/classic.pcap" "$work/classic.pcap"
check "-o - with two captures exits 2" [ "$rc" -eq 2 ]

# ---- inputs that are not captures ------------------------------------------------------------------

out=$work/o-missing
run -o "$out" "$work/no-such.pcap"
check "missing file exits 1" [ "$rc" -eq 1 ]
check "missing file: message names the file" err_has "$work/no-such.pcap"
check "missing file: no output file left" no_report "$out" no-such

# A folder is searched for captures; what is not one is skipped, named, and not reported.
mkdir "$work/adir/sub"
cp "$work/notes.txt" "$work/adir/sub/notes.pcap"
out=$work/o-dir
run -o "$out" "$work/adir"
check "folder without captures: the non-capture is named as skipped" err_has "$work/adir/sub/notes.pcap"
check "folder without captures: no report written" no_report "$out/sub" notes
mkdir "$work/bdir"
cp "$work/classic.pcap" "$work/bdir/hand-in.cap"
run -q -o "$work/o-bdir" "$work/bdir"
check "folder with a capture (any extension): exit 0, report written" valid_json "$work/o-bdir/hand-in.json"

out=$work/o-text
run -o "$out" "$work/notes.txt"
check "text file exits 1" [ "$rc" -eq 1 ]
check "text file: message names it" err_has "$work/notes.txt"
check "text file: no output file left" no_report "$out" notes

run -o "$work/o-empty" "$work/empty.pcap"
check "empty file exits 1" [ "$rc" -eq 1 ]

out=$work/o-mixed
run -o "$out" "$work/classic.pcap" "$work/no-such.pcap"
check "one good and one bad input exits 1" [ "$rc" -eq 1 ]
check "one good and one bad input: the good one's JSON exists" valid_json "$out/classic.json"
check "one good and one bad input: no report for the bad one" no_report "$out" no-such

run -o "$work/classic.pcap/sub" "$work/classic.pcap"
check "output directory that cannot be made exits 1" [ "$rc" -eq 1 ]

# ---- a normal capture ------------------------------------------------------------------------------

out=$work/o-classic
run -o "$out" "$work/classic.pcap"
j=$out/classic.json
check "classic converts (exit 0)" [ "$rc" -eq 0 ]
check "classic: valid JSON" valid_json "$j"
check "classic: one session, normal, four-way" \
    is "$j" "len(d['sessions']), d['sessions'][0]['handshake']['class'], d['sessions'][0]['teardown']['class']" \
    "1 normal four-way"
check "classic: 11 TCP packets" is "$j" "d['input']['packets']['total'], d['input']['packets']['tcp']" "11 11"
check "classic: sha256 as sha256sum says" is "$j" "d['input']['sha256']" "$(sha "$work/classic.pcap")"
check "classic: size_bytes is the file size" is "$j" "d['input']['size_bytes']" "$(size "$work/classic.pcap")"
check "classic: prints its timing line" \
    grep -q -E 'classic\.pcap: 11 packets, 1 sessions? in [0-9.]+ s' "$work/err"

run -q -o "$work/o-quiet" "$work/classic.pcap"
check "-q prints nothing on success" quiet_success

# -o - writes the document to standard output and nothing to disk (run from an empty dir).
mkdir "$work/cwd"
(cd "$work/cwd" && "$PROGRAM" -o - "$work/classic.pcap" >"$work/stdout.json" 2>"$work/err")
rc=$?
cat "$work/err" >>"$sanlog"
check "-o - exits 0" [ "$rc" -eq 0 ]
check "-o - writes valid JSON to stdout" valid_json "$work/stdout.json"
check "-o - writes no file" no_files "$work/cwd"
check "-o - gives the same document as a file" cmp -s "$work/stdout.json" "$j"

# Standard input.
out=$work/o-stdin
cat "$work/classic.pcap" | "$PROGRAM" -o "$out" - >"$work/out" 2>"$work/err"
rc=$?
cat "$work/err" >>"$sanlog"
check "stdin (-) converts" [ "$rc" -eq 0 ]
check "stdin: writes OUT/stdin.json" valid_json "$out/stdin.json"
check "stdin: one session, file name '-'" is "$out/stdin.json" "len(d['sessions']), d['input']['file_name']" "1 -"
check "stdin: sha256 and size of what was read" \
    is "$out/stdin.json" "d['input']['sha256'], d['input']['size_bytes']" \
    "$(sha "$work/classic.pcap") $(size "$work/classic.pcap")"

cat "$work/ng.pcapng" | "$PROGRAM" -o - - >"$work/stdout-ng.json" 2>"$work/err"
rc=$?
cat "$work/err" >>"$sanlog"
check "pcapng through stdin to stdout" [ "$rc" -eq 0 ]
check "pcapng through stdin: format pcapng, one session" is "$work/stdout-ng.json" \
    "d['input']['format'], len(d['sessions'])" "pcapng 1"

# Nanosecond timestamps come out with nine digits, exactly.
run -o "$work/o-ns" "$work/ns.pcap"
check "nanosecond pcap: precision ns" is "$work/o-ns/ns.json" "d['input']['timestamp_precision']" "ns"
check "nanosecond pcap: exact first_time" grep -q '"first_time":1700000000.123456789,' "$work/o-ns/ns.json"

# ---- every link type -------------------------------------------------------------------------------

run -q -o "$work/o-lt" "$work"/lt/*.pcap
check "all link types convert (exit 0)" [ "$rc" -eq 0 ]
for f in "$work"/lt/*.pcap; do
    b=$(basename "$f" .pcap)
    check "link type $b: one normal four-way session of 11 packets" is "$work/o-lt/$b.json" \
        "len(d['sessions']), d['sessions'][0]['handshake']['class'], d['sessions'][0]['teardown']['class'], d['input']['packets']['tcp']" \
        "1 normal four-way 11"
done

# ---- damaged file --------------------------------------------------------------------------------

run -o "$work/o-damaged" "$work/damaged.pcap"
j=$work/o-damaged/damaged.json
check "damaged file converts (exit 0)" [ "$rc" -eq 0 ]
check "damaged file: warning on stderr" grep -q 'warning: .*damaged\.pcap.*packet 8' "$work/err"
check "damaged file: JSON reports damaged-tail at packet 8" \
    is "$j" "[(w['code'], w['packet']) for w in d['input']['warnings']]" "[('damaged-tail', 8)]"
check "damaged file: the 7 packets before the cut are analysed" is "$j" "d['input']['packets']['total']" "7"
check "damaged file: sha256 covers the whole file" is "$j" "d['input']['sha256']" "$(sha "$work/damaged.pcap")"

# ---- each output on its own ----------------------------------------------------------------------
# A PDF that cannot be made (here: wording with a key missing) costs neither the JSON nor its
# entry in the index; the PDF's own message names it, and the exit status says something failed.

mkdir -p "$work/tpl"
cp templates/en.txt templates/zh.txt "$work/tpl/"
sed -i '/^table.heading =/d' "$work/tpl/en.txt"
out=$work/o-pdf-fails
PCAP2REPORT_TEMPLATES=$work/tpl run -o "$out" "$work/classic.pcap"
check "PDF fails, JSON kept: exit 1" [ "$rc" -eq 1 ]
check "PDF fails, JSON kept: the JSON is complete" is "$out/classic.json" "len(d['sessions'])" 1
check "PDF fails, JSON kept: no PDF, no temporary" \
    sh -c '[ ! -e "$1/classic.pdf" ] && [ -z "$(find "$1" -name "*.tmp.*")" ]' sh "$out"
check "PDF fails, JSON kept: the message names the PDF and why" err_has "$out/classic.pdf: $work/tpl/en.txt: missing key 'table.heading'"
check "PDF fails, JSON kept: the index lists the JSON, no PDF, and the reason" \
    is "$out/index.json" "[(e['status'], e['outputs']['json'], e['outputs']['pdf'], 'missing key' in e['reason']) for e in d['inputs']]" \
    "[('converted', 'classic.json', None, True)]"

# ---- the big capture -------------------------------------------------------------------------------

out=$work/o-big
run -o "$out" "$work/big.pcap"
j=$out/big.json
check "big capture converts (exit 0)" [ "$rc" -eq 0 ]
check "big capture prints its timing line" \
    grep -q -E 'big\.pcap: [0-9]+ packets, 2000 sessions in [0-9.]+ s -> ' "$work/err"
check "big capture: 2000 sessions, at least 200000 packets" \
    is "$j" "len(d['sessions']), d['summary']['sessions'], d['input']['packets']['total'] >= 200000" "2000 2000 True"
check "big capture: mixed classes" \
    is "$j" "sorted(k for k, v in d['summary']['handshake'].items() if v), sorted(k for k, v in d['summary']['teardown'].items() if v)" \
    "['normal', 'refused', 'syn-only'] ['four-way', 'merged-fin', 'none', 'rst']"

run -q -o "$work/o-big2" "$work/big.pcap"
check "two runs give byte-identical JSON (big)" cmp -s "$j" "$work/o-big2/big.json"
run -q -o "$work/o-classic2" "$work/classic.pcap"
check "two runs give byte-identical JSON (classic)" cmp -s "$work/o-classic/classic.json" "$work/o-classic2/classic.json"

run -q -f 'port 80' -o "$work/o-filter" "$work/big.pcap"
check "filter: converts (exit 0)" [ "$rc" -eq 0 ]
check "filter: only port-80 sessions, the rest counted as filtered_out" is "$work/o-filter/big.json" \
    "d['summary']['sessions'], all(s['server']['port'] == 80 for s in d['sessions']), d['input']['packets']['filtered_out'] > 0, d['tool']['options']['filter']" \
    "1000 True True port 80"

run -q -f 'port eighty and (' -o "$work/o-badfilter" "$work/classic.pcap"
check "bad filter exits 2 (usage)" [ "$rc" -eq 2 ]
check "bad filter: no report left" no_report "$work/o-badfilter" classic

run -q --max-sessions 5 -o "$work/o-cap" "$work/big.pcap"
check "--max-sessions 5: five sessions, the rest counted" is "$work/o-cap/big.json" \
    "d['summary']['sessions'], d['input']['packets']['session_cap'] > 0" "5 True"
check "the default session cap (a million) is recorded" \
    is "$work/o-big/big.json" "d['tool']['options']['max_sessions']" 1000000
run -q --max-sessions 0 --format json -o "$work/o-nocap" "$work/big.pcap"
check "--max-sessions 0: no cap, recorded as 0" is "$work/o-nocap/big.json" \
    "d['tool']['options']['max_sessions'], d['summary']['sessions']" "0 2000"

# ---- leftovers and sanitizers ------------------------------------------------------------------------

check "no *.tmp.* files left in any output dir" [ -z "$(find "$work" -name '*.tmp.*' -print)" ]
if grep -q -E 'Sanitizer|runtime error:' "$sanlog"; then
    sed -n '/Sanitizer\|runtime error:/{p;q}' "$sanlog"
    fail "no sanitizer reports"
else
    pass "no sanitizer reports"
fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
