#!/bin/sh
# options.sh — the command line keeps its promises (issue 18): reruns that compare what the
# reports record (the capture's SHA-256 and size, every option, SOURCE_DATE_EPOCH) instead of
# times; options checked before anything is skipped; exit codes (a bad filter, an empty
# capture in a folder, --lang without wording, -o - with a PDF); no "//" in printed paths;
# checksum offload shown once as expected; verify of a PDF; index.pdf from shards; --help,
# the man page and the README naming the same options.
#
#   PROGRAM=build/pcap2report MKSAMPLE=build/mksample sh tests/options.sh
#
# Prints a line per failed check and, last, "options: N passed, M failed"; exits 1 when any
# check failed.
set -u

: "${PROGRAM:?set PROGRAM to the pcap2report binary}"
: "${MKSAMPLE:?set MKSAMPLE to the mksample binary}"
top=$(cd "$(dirname "$0")/.." && pwd)
case $PROGRAM in /*) ;; *) PROGRAM=$top/$PROGRAM ;; esac
case $MKSAMPLE in /*) ;; *) MKSAMPLE=$top/$MKSAMPLE ;; esac
PCAP2REPORT_TEMPLATES=$top/templates
export PCAP2REPORT_TEMPLATES
unset SOURCE_DATE_EPOCH
py=/usr/bin/python3

tmp=$(mktemp -d "${TMPDIR:-/tmp}/p2r-options.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
passed=0 failed=0
: >"$tmp/all-stderr"

ok() { passed=$((passed + 1)); }
bad() {
    failed=$((failed + 1))
    echo "FAIL: $*"
    [ -s "$tmp/err" ] && sed -n '1,4s/^/     stderr: /p' "$tmp/err"
}
check() { if eval "$2"; then ok; else bad "$1"; fi; }
# run ARGS...: the program; $rc, $tmp/out and $tmp/err.
run() {
    "$PROGRAM" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    cat "$tmp/err" >>"$tmp/all-stderr"
}
# summary: the closing line of the last run ("1 converted, 1 up to date, ...").
summary() { sed -n 's/^pcap2report: \([0-9]* converted, [0-9]* up to date\).*/\1/p' "$tmp/err" | tail -1; }
json() { "$py" -c "import json, sys; d = json.load(open(sys.argv[1])); print($2)" "$1" 2>/dev/null; }
keywords() { pdfinfo "$1" 2>/dev/null | sed -n 's/^Keywords: *//p'; }

S=$top/samples
in=$tmp/in
mkdir -p "$in"
cp "$S/four-way.pcap" "$in/a.pcap"
cp "$S/refused.pcap" "$in/b.pcap"

# ---- 1. reruns ------------------------------------------------------------------------------

run -o "$tmp/r" "$in"
check "first run converts both" '[ $rc -eq 0 ] && [ "$(summary)" = "2 converted, 0 up to date" ]'
run -o "$tmp/r" "$in"
check "a rerun with the same options keeps both" '[ "$(summary)" = "0 converted, 2 up to date" ]'
for opt in "--lang zh" "--sessions 1" "--tcp-stream 0" "--pdfa" "--absolute-seq" "--max-diagrams 3" "--idle-timeout 20" \
    "--max-sessions 5" "-f tcp"; do
    # shellcheck disable=SC2086
    run $opt -o "$tmp/r" "$in"
    check "a rerun with $opt converts again" '[ "$(summary)" = "2 converted, 0 up to date" ]'
    # shellcheck disable=SC2086
    run $opt -o "$tmp/r" "$in"
    check "then a rerun with $opt keeps them" '[ "$(summary)" = "0 converted, 2 up to date" ]'
done
check "the PDF records the options it was made with" \
    'keywords "$tmp/r/a.pdf" | grep -q -- "options --filter tcp --max-sessions 1000000 --idle-timeout 300 --lang en --max-diagrams 50$"'
SOURCE_DATE_EPOCH=1000000000 "$PROGRAM" -f tcp -o "$tmp/r" "$in" 2>"$tmp/err"
check "a rerun with another SOURCE_DATE_EPOCH converts again" '[ "$(summary)" = "2 converted, 0 up to date" ]'
check "the PDF records SOURCE_DATE_EPOCH" 'keywords "$tmp/r/a.pdf" | grep -q "; SOURCE_DATE_EPOCH 1000000000$"'
run -f tcp --format json -o "$tmp/r" "$in"
check "JSON alone, same analysis options: up to date" '[ "$(summary)" = "0 converted, 2 up to date" ]'
# The HTML, CSV and SVG outputs record neither the capture nor the options (issue 17): a run
# asking for one of them converts again, every time.
run -f tcp --format json,html,csv,svg -o "$tmp/r" "$in"
run -f tcp --format json,html,csv,svg -o "$tmp/r" "$in"
check "JSON with HTML, CSV and SVG: a rerun converts again" \
    '[ $rc -eq 0 ] && [ "$(summary)" = "2 converted, 0 up to date" ] && [ -s "$tmp/r/a.html" ] && [ -s "$tmp/r/a.csv" ]'

# Options are checked before anything is skipped.
run -f tcp --sessions 3,abc -o "$tmp/r" "$in"
check "--sessions 3,abc on a rerun is a usage error (exit 2)" '[ $rc -eq 2 ] && grep -q "3,abc" "$tmp/err"'
run -f tcp --max-diagrams 0 -o "$tmp/r" "$in"
check "--max-diagrams 0 on a rerun is a usage error" '[ $rc -eq 2 ]'

# Content, not times: a touched capture is up to date; one replaced with an older time is not.
run -o "$tmp/t" "$in"
touch "$in/a.pcap"
run -o "$tmp/t" "$in"
check "a touched capture (same bytes) stays up to date" '[ "$(summary)" = "0 converted, 2 up to date" ]'
cp -p "$S/server-closes-first.pcap" "$in/a.pcap" # the same size as four-way.pcap
touch -d '2001-02-03 04:05:06' "$in/a.pcap"
run -o "$tmp/t" "$in"
check "a capture replaced by another of the same size with an older time is converted again" \
    '[ "$(summary)" = "1 converted, 1 up to date" ]'
check "its report records the new capture's SHA-256" \
    '[ "$(json "$tmp/t/a.json" "d[\"input\"][\"sha256\"]")" = "$(sha256sum "$in/a.pcap" | cut -d" " -f1)" ]'
check "its PDF too" 'keywords "$tmp/t/a.pdf" | grep -q "$(sha256sum "$in/a.pcap" | cut -d" " -f1)"'
cp "$S/four-way.pcap" "$in/a.pcap"
run --format pdf -o "$tmp/p" "$in"
cp -p "$S/server-closes-first.pcap" "$in/a.pcap"
touch -d '2001-02-03 04:05:06' "$in/a.pcap"
run --format pdf -o "$tmp/p" "$in"
check "PDF alone: a replaced capture is converted again" '[ "$(summary)" = "1 converted, 1 up to date" ]'
cp "$S/four-way.pcap" "$in/a.pcap"

# ---- 2. checksum offload ----------------------------------------------------------------------

"$MKSAMPLE" offload "$tmp/offload.pcap" || bad "mksample offload"
run -o "$tmp/off" "$tmp/offload.pcap"
j=$tmp/off/offload.json
check "offload: the JSON keeps the facts (host, anomaly on all 7 sessions, count 7)" \
    '[ "$(json "$j" "\",\".join(d[\"input\"][\"checksums\"][\"offload_suspected\"]), sum(\"bad-checksum\" in s[\"anomalies\"] for s in d[\"sessions\"]), d[\"summary\"][\"anomalies\"][\"bad-checksum\"]")" = "192.0.2.1 7 7" ]'
pdftotext -layout -f 1 -l 1 "$tmp/off/offload.pdf" "$tmp/page1.txt"
check "offload: the first page explains it once" 'grep -q "every segment from 192.0.2.1 has one" "$tmp/page1.txt"'
check "offload: six table rows carry the quiet mark, none of them bad-checksum" \
    '[ "$(grep -c "192.0.2.1:5000[0-5] .*checksum offload (expected)" "$tmp/page1.txt")" = 6 ] && ! grep -q "192.0.2.1:5000.*bad-checksum" "$tmp/page1.txt"'
check "offload: the other host's bad checksum stays an error in its row" 'grep -q "192.0.2.9:56952 .*bad-checksum" "$tmp/page1.txt"'
check "offload: the anomaly chart counts only that session" 'grep -q "bad-checksum 1$" "$tmp/page1.txt"'
pdftotext -f 2 -l 2 "$tmp/off/offload.pdf" "$tmp/s1.txt"
pdftotext -f 8 -l 8 "$tmp/off/offload.pdf" "$tmp/s7.txt"
check "offload: session 1's page has a note and no bad-checksum tag or anomaly" \
    'grep -q "checksum offload" "$tmp/s1.txt" && ! grep -q -e "bad checksum" -e "bad-checksum" "$tmp/s1.txt"'
check "offload: session 7's page tags its arrow and lists the anomaly" \
    'grep -q "bad checksum" "$tmp/s7.txt" && grep -q "bad-checksum" "$tmp/s7.txt"'
# The SVG diagrams and the HTML report draw from the same description and follow the same rule.
run -q --format svg,html -o "$tmp/offv" "$tmp/offload.pcap"
check "offload: session 1's SVG has no bad-checksum tag; session 7's has" \
    '! grep -q "bad checksum" "$tmp/offv/offload/session-1.svg" && grep -q "bad checksum" "$tmp/offv/offload/session-7.svg"'
check "offload: the HTML table marks six rows quietly and counts bad-checksum once" \
    '[ "$(grep -o "<span class=\"quiet\">checksum offload (expected)" "$tmp/offv/offload.html" | wc -l)" = 6 ] &&
     grep -q "bad-checksum 1<" "$tmp/offv/offload.html"'

# ---- 4. exit codes and refusals -----------------------------------------------------------------

run -q -f 'port eighty and (' -o "$tmp/f" "$S/four-way.pcap"
check "a filter that does not compile is a usage error (exit 2), before any input" \
    '[ $rc -eq 2 ] && grep -q "not a tcpdump filter" "$tmp/err" && [ ! -e "$tmp/f" ]'
run -q -f 'ether host 1:2:3:4:5:6' -o "$tmp/f2" "$S/simultaneous-open.pcap" # raw IP: no Ethernet header
check "a filter that does not apply to a capture's link type fails that capture (exit 1)" \
    '[ $rc -eq 1 ] && grep -q "simultaneous-open.pcap" "$tmp/err"'
run --lang fr -o "$tmp/fr" "$S/four-way.pcap"
check "--lang fr is a usage error that lists the languages" '[ $rc -eq 2 ] && grep -q "the languages are: en, zh" "$tmp/err"'
run --format json --lang fr -o "$tmp/fr" "$S/four-way.pcap"
check "--lang fr without a PDF too" '[ $rc -eq 2 ]'

"$PROGRAM" -o - --format pdf "$S/four-way.pcap" >"$tmp/stdout.pdf" 2>"$tmp/err"
rc=$?
run -q --format pdf -o "$tmp/pf" "$S/four-way.pcap"
check "-o - --format pdf writes the PDF to standard output, the same bytes as the file" \
    '[ $rc -eq 0 ] && cmp -s "$tmp/stdout.pdf" "$tmp/pf/four-way.pdf"'
run -o - --format json,pdf "$S/four-way.pcap"
check "-o - with both formats is a usage error" '[ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q "one document" "$tmp/err"'
run -o - "$S/four-way.pcap"
check "-o - alone still writes the JSON" '[ $rc -eq 0 ] && head -c 10 "$tmp/out" | grep -q "^{\"schema\""'

mkdir -p "$tmp/e/sub"
cp "$S/four-way.pcap" "$tmp/e/sub/"
: >"$tmp/e/empty.pcap"
: >"$tmp/e/.gitkeep"
run -q -o "$tmp/eo" "$tmp/e/"
check "an empty capture inside a folder fails (exit 1) and is named, even with -q" \
    '[ $rc -eq 1 ] && grep -q "e/empty.pcap: an empty file" "$tmp/err"'
check "it is failed in the index; an empty non-capture is skipped; the other converted" \
    '[ "$(json "$tmp/eo/index.json" "d[\"totals\"][\"failed\"], d[\"totals\"][\"skipped\"], d[\"totals\"][\"converted\"]")" = "1 1 1" ]'
run -o "$tmp/so/" "$tmp/e//sub//"
check "no // in printed paths when a folder is given with trailing slashes" \
    '! grep -q "//" "$tmp/err" && grep -q "e/sub/four-way.pcap: " "$tmp/err" && ! grep -q "//" "$tmp/so/index.json"'
run grade -q -r classic-handshake --no-pdf -o "$tmp/g/" "$tmp/e/sub/"
check "nor in grade's paths" '! grep -q "//" "$tmp/g/grades.json"'

# ---- 5. verify a PDF; index.pdf -------------------------------------------------------------------

SOURCE_DATE_EPOCH=1700000000 "$PROGRAM" -q --lang zh --pdfa --absolute-seq --sessions 1 --max-diagrams 2 \
    -f 'tcp port 80' -o "$tmp/v" "$S/four-way.pcap" "$S/http-get.pcap" 2>"$tmp/err"
run verify "$tmp/v/http-get.pdf" "$S/http-get.pcap"
check "verify accepts a PDF: MATCH (zh, PDF/A, options, SOURCE_DATE_EPOCH as recorded)" \
    '[ $rc -eq 0 ] && grep -q "^MATCH: " "$tmp/out"'
run verify "$tmp/r/a.pdf" "$in/a.pcap"
check "verify a PDF made without SOURCE_DATE_EPOCH: MATCH" '[ $rc -eq 0 ]'
run verify "$tmp/v/http-get.pdf" "$S/four-way.pcap"
check "verify a PDF against another capture: DIFFERENT CAPTURE, exit 1" \
    '[ $rc -eq 1 ] && grep -q "^DIFFERENT CAPTURE" "$tmp/out"'
cp "$tmp/v/http-get.pdf" "$tmp/tampered.pdf"
printf 'Z' | dd of="$tmp/tampered.pdf" bs=1 seek=2000 conv=notrunc 2>/dev/null
run verify "$tmp/tampered.pdf" "$S/http-get.pcap"
check "verify a PDF changed by one byte: DIFFERS, exit 1" '[ $rc -eq 1 ] && grep -q "^DIFFERS: .*byte 2000" "$tmp/out"'
run verify "$tmp/v/index.pdf" "$S/http-get.pcap"
check "verify refuses a batch's index.pdf" '[ $rc -eq 1 ] && grep -q "batch" "$tmp/err"'
printf '%%PDF-1.4\nnot really\n' >"$tmp/fake.pdf"
run verify "$tmp/fake.pdf" "$S/http-get.pcap"
check "verify refuses a file that is no PDF" '[ $rc -eq 1 ] && grep -q "not a pcap2report report" "$tmp/err"'

# SOURCE_DATE_EPOCH set to the capture's first second (four-way.pcap: 1795502213) gives the
# same bytes as none (docs/pdfa.md), so the PDF does not record it; verify and index still
# make the same bytes, whatever SOURCE_DATE_EPOCH their own environment has.
mkdir -p "$tmp/sde"
cp "$S/four-way.pcap" "$S/http-get.pcap" "$tmp/sde/"
"$PROGRAM" -q -o "$tmp/sde0" "$S/four-way.pcap" 2>/dev/null
SOURCE_DATE_EPOCH=1795502213 "$PROGRAM" -q -o "$tmp/sde1" "$tmp/sde" 2>/dev/null
check "SOURCE_DATE_EPOCH equal to the capture's first second: the same bytes as none" \
    'cmp -s "$tmp/sde0/four-way.pdf" "$tmp/sde1/four-way.pdf" && keywords "$tmp/sde1/http-get.pdf" | grep -q "; SOURCE_DATE_EPOCH 1795502213$"'
SOURCE_DATE_EPOCH=5 "$PROGRAM" verify "$tmp/sde1/four-way.pdf" "$S/four-way.pcap" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "verify it (another SOURCE_DATE_EPOCH in the environment): MATCH" '[ $rc -eq 0 ] && grep -q "^MATCH: " "$tmp/out"'
for k in 1 2; do SOURCE_DATE_EPOCH=1795502213 "$PROGRAM" -q --shard $k/2 -o "$tmp/sde2" "$tmp/sde" 2>/dev/null; done
run index "$tmp/sde2"
check "index of shards where one PDF records SOURCE_DATE_EPOCH and one does not: one run's index.pdf" \
    '[ $rc -eq 0 ] && cmp -s "$tmp/sde1/index.pdf" "$tmp/sde2/index.pdf"'

SOURCE_DATE_EPOCH=1700000000 "$PROGRAM" -q --lang zh -o "$tmp/one" "$S" 2>/dev/null
for k in 1 2 3; do
    SOURCE_DATE_EPOCH=1700000000 "$PROGRAM" -q --lang zh --shard $k/3 -o "$tmp/three" "$S" 2>/dev/null
done
run index "$tmp/three"
check "index writes index.pdf from the shards' PDFs: the same bytes as one run's" \
    '[ $rc -eq 0 ] && cmp -s "$tmp/one/index.pdf" "$tmp/three/index.pdf" && cmp -s "$tmp/one/index.json" "$tmp/three/index.json"'
"$PROGRAM" -q --lang en --force -o "$tmp/three" "$S/four-way.pcap" 2>/dev/null
rm -f "$tmp/three/index.json" "$tmp/three/index.pdf"
run index "$tmp/three"
check "reports made with other options: index.json, and no index.pdf with a note" \
    '[ $rc -eq 0 ] && [ -s "$tmp/three/index.json" ] && [ ! -e "$tmp/three/index.pdf" ] && grep -q "index.pdf not written" "$tmp/err"'
run -q --format json -o "$tmp/jo" "$S/four-way.pcap"
run index "$tmp/jo"
check "no PDFs: no index.pdf" '[ $rc -eq 0 ] && [ ! -e "$tmp/jo/index.pdf" ]'

# ---- 3. --help, the man page and the README ---------------------------------------------------------

run --help
names_commands() {
    for c in convert grade index verify; do grep -q "^ *pcap2report.* $c \|^  $c " "$tmp/out" || return 1; done
}
check "--help's usage names every command" names_commands
"$py" "$top/tests/help_check.py" "$PROGRAM" "$top/docs/pcap2report.1" "$top/README.md" >"$tmp/help" 2>&1
check "every option each command's --help prints is in the man page and the README" \
    'grep -q "^help: [0-9]* passed, 0 failed" "$tmp/help" || { cat "$tmp/help"; false; }'

if grep -q -E 'Sanitizer|runtime error:' "$tmp/all-stderr"; then
    bad "sanitizer reports in the program's output"
else
    ok
fi
echo "options: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
