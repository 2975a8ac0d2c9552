#!/bin/sh
# Batch conversion end to end: folders with nested and duplicate names, non-capture files,
# -j determinism, shards covering every input exactly once, the batch index, up-to-date
# skipping, bad inputs, and an interrupted run leaving no partial output.
# Usage: PROGRAM=build/pcap2report sh tests/batch.sh
set -u
program=${PROGRAM:-build/pcap2report}
top=$(cd "$(dirname "$0")/.." && pwd)
case $program in /*) ;; *) program=$top/$program ;; esac
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else fail "$1"; fi; }

# A folder of hand-ins: nested folders, the same file name twice, a text file, a cut capture.
in=$tmp/in
mkdir -p "$in/alice" "$in/bob" "$in/deep/er/still" "$in/.hidden"
cp "$top/samples/four-way.pcap" "$in/alice/capture.pcap"
cp "$top/samples/merged-fin.pcap" "$in/bob/capture.pcap"
cp "$top/samples/reuse.pcap" "$in/deep/er/still/r.pcap"
cp "$top/samples/pcapng.pcapng" "$in/bob/named-anything.txt"   # recognised by content
echo "not a capture" > "$in/bob/notes.pcap"                    # rejected by content
head -c 150 "$top/samples/ipv6.pcap" > "$in/alice/cut.pcap"
cp "$top/samples/refused.pcap" "$in/.hidden/x.pcap"

"$program" -q -j2 -o "$tmp/out" "$in" 2>"$tmp/err"; rc=$?
check "folder converts, exit 0" '[ $rc -eq 0 ]'
for f in alice/capture.json bob/capture.json deep/er/still/r.json bob/named-anything.json alice/cut.json _hidden/x.json index.json; do
    check "output $f exists" '[ -s "$tmp/out/$f" ]'
done
check "no output for the text file" '[ ! -e "$tmp/out/bob/notes.json" ]'
check "no temporary files left" '[ -z "$(find "$tmp/out" -name "*.tmp.*")" ]'
$py - "$tmp/out/index.json" >"$tmp/idx" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
by = {e["outputs"]["json"] or e["input"].split("/in/")[-1]: e for e in d["inputs"]}
assert d["schema"]["name"] == "pcap2report-index"
assert d["totals"]["inputs"] == 7, d["totals"]
assert d["totals"]["converted"] == 6 and d["totals"]["skipped"] == 1, d["totals"]
assert by["bob/notes.pcap"]["status"] == "skipped" and "magic" in by["bob/notes.pcap"]["reason"]
assert by["deep/er/still/r.json"]["summary"]["sessions"] == 5
assert by["alice/capture.json"]["summary"]["teardown"]["four-way"] == 1
assert by["alice/cut.json"]["warnings"] == 1
assert d["totals"]["sessions"] == sum(e["summary"]["sessions"] for e in d["inputs"] if e["summary"])
assert by["alice/cut.json"]["summary"]["sessions"] == 1 and by["alice/cut.json"]["packets"]["total"] == 1
keys = [e["outputs"]["json"] or e["input"] for e in d["inputs"]]
assert keys == sorted(keys), keys
print("index ok")
PY
check "index lists every input with status and counts" 'grep -q "index ok" "$tmp/idx" || { cat "$tmp/idx"; false; }'

# -j 1 and -j 2 give the same bytes, index included.
"$program" -q -j1 -o "$tmp/j1" "$in" "$top/samples" 2>/dev/null
"$program" -q -j2 -o "$tmp/j2" "$in" "$top/samples" 2>/dev/null
check "-j 1 and -j 2 write identical outputs" 'diff -r "$tmp/j1" "$tmp/j2" >/dev/null'

# Two files with the same name given directly never overwrite each other.
mkdir -p "$tmp/a" "$tmp/b"
cp "$top/samples/four-way.pcap" "$tmp/a/x.pcap"
cp "$top/samples/refused.pcap" "$tmp/b/x.pcap"
"$program" -q -o "$tmp/dup" "$tmp/a/x.pcap" "$tmp/b/x.pcap"
check "same names: x.json and x~2.json" '[ -s "$tmp/dup/x.json" ] && [ -s "$tmp/dup/x~2.json" ] && ! cmp -s "$tmp/dup/x.json" "$tmp/dup/x~2.json"'

# Names from inputs cannot escape the output folder or hide.
mkdir -p "$tmp/weird"
cp "$top/samples/four-way.pcap" "$tmp/weird/-dash;\$(x).pcap"
cp "$top/samples/four-way.pcap" "$tmp/weird/tab	name.pcap"
"$program" -q -o "$tmp/w" "$tmp/weird" 2>/dev/null
esc=$(printf '\033')
cp "$top/samples/four-way.pcap" "$tmp/weird/x${esc}[31mred.pcap"
echo note > "$tmp/weird/n${esc}[1mote.txt"
"$program" -o "$tmp/w2" "$tmp/weird" 2>"$tmp/w2err"
# Shown as ls -b shows them: the escape character as \033.
check "no escape sequence from a file name reaches the terminal" '! grep -q "$esc" "$tmp/w2err" && grep -q -F "x\\033[31mred.pcap" "$tmp/w2err" && grep -q "skipped .*n\\\\033\[1mote.txt" "$tmp/w2err"'
check "unsafe names made safe" '[ -s "$tmp/w/_dash;\$(x).json" ] && [ -s "$tmp/w/tab_name.json" ]'

# Shards: together they cover every input exactly once, and 'index' merges them.
for k in 1 2 3; do "$program" -q --shard $k/3 -o "$tmp/sh" "$in" "$top/samples" 2>/dev/null; done
check "no PDF summary per shard" '[ ! -e "$tmp/sh/index.pdf" ]'
"$program" index "$tmp/sh" 2>/dev/null
# The shards wrote PDFs, so index writes the batch's PDF summary too: the same bytes as one run's.
check "index writes index.pdf, the same bytes as the unsharded run's" 'cmp -s "$tmp/j1/index.pdf" "$tmp/sh/index.pdf"'
$py - "$tmp/sh" "$tmp/j1/index.json" >"$tmp/shard" 2>&1 <<'PY'
import json, sys, glob
seen = []
for f in sorted(glob.glob(sys.argv[1] + "/index.shard-*-of-3.json")):
    seen += [e["input"] for e in json.load(open(f))["inputs"]]
full = [e["input"] for e in json.load(open(sys.argv[2]))["inputs"]]
assert len(seen) == len(set(seen)), "an input is in two shards"
assert sorted(seen) == sorted(full), (sorted(set(full) - set(seen)), sorted(set(seen) - set(full)))
merged = json.load(open(sys.argv[1] + "/index.json"))
whole = json.load(open(sys.argv[2]))
assert merged["totals"] == whole["totals"], (merged["totals"], whole["totals"])
assert merged["inputs"] == whole["inputs"]
print("shards ok")
PY
check "shards cover every input once; merged index equals the unsharded one" 'grep -q "shards ok" "$tmp/shard" || { cat "$tmp/shard"; false; }'
check "--shard 0/3 is a usage error" '"$program" -q --shard 0/3 -o "$tmp/x" "$in" 2>/dev/null; [ $? -eq 2 ]'

# A rerun skips what is up to date; a changed input or --force converts again.
"$program" -o "$tmp/out" "$in" 2>"$tmp/rerun"
check "rerun: everything up to date" 'grep -q "0 converted, 6 up to date" "$tmp/rerun"'
# Up to date means the same content (SHA-256), not an older time: a touched capture is up to
# date, one replaced by another with an older time (cp -p, touch -d) is converted again.
touch "$in/alice/capture.pcap"
"$program" -o "$tmp/out" "$in" 2>"$tmp/rerun2"
check "rerun after touching one input: still up to date (same content)" 'grep -q "0 converted, 6 up to date" "$tmp/rerun2"'
cp -p "$top/samples/server-closes-first.pcap" "$in/alice/capture.pcap"
touch -d '2001-01-01 00:00:00' "$in/alice/capture.pcap"
"$program" -o "$tmp/out" "$in" 2>"$tmp/rerun2"
check "rerun after replacing one input with an older time converts only it" 'grep -q "1 converted, 5 up to date" "$tmp/rerun2"'
"$program" -o "$tmp/out" --max-sessions 3 "$in" 2>"$tmp/rerun3"
check "other options make reports out of date" 'grep -q "6 converted, 0 up to date" "$tmp/rerun3"'
"$program" --force -o "$tmp/out" --max-sessions 3 "$in" 2>"$tmp/rerun4"
check "--force converts up-to-date inputs" 'grep -q "6 converted, 0 up to date" "$tmp/rerun4"'

# Bad inputs: each named with its reason; the others still convert; exit 1.
echo text > "$tmp/text.pcap"
mkdir -p "$tmp/emptydir"
: > "$tmp/empty.pcap"
"$program" -q -o "$tmp/bad" "$tmp/missing.pcap" "$tmp/text.pcap" "$tmp/empty.pcap" "$top/samples/four-way.pcap" 2>"$tmp/baderr"; rc=$?
check "bad inputs: exit 1" '[ $rc -eq 1 ]'
check "bad inputs: the good one converted" '[ -s "$tmp/bad/four-way.json" ]'
check "missing file named with its reason" 'grep -q "missing.pcap: No such file or directory" "$tmp/baderr"'
check "text file named with its reason" 'grep -q "text.pcap: not a readable capture file" "$tmp/baderr"'
check "empty file named with its reason" 'grep -q "empty.pcap: the file is empty" "$tmp/baderr"'
check "a one-page PDF summary of the batch" '[ "$(pdfinfo "$tmp/bad/index.pdf" | sed -n "s/^Pages: *//p")" = 1 ]'
pdftotext -layout "$tmp/bad/index.pdf" "$tmp/bad/index.txt"
check "the PDF summary counts the inputs and names each failure with its reason" \
    'grep -q "4 inputs" "$tmp/bad/index.txt" && grep -q "1 converted" "$tmp/bad/index.txt" && grep -q "3 failed" "$tmp/bad/index.txt" && grep -q "text.pcap: not a readable capture file" "$tmp/bad/index.txt" && grep -q "missing.pcap: No such file or directory" "$tmp/bad/index.txt"'
"$program" -q --format json -o "$tmp/jo" "$top/samples/four-way.pcap"
check "no PDF summary without PDF output" '[ -s "$tmp/jo/index.json" ] && [ ! -e "$tmp/jo/index.pdf" ]'
check "failed inputs are in the index" '$py -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"totals\"][\"failed\"]==3" "$tmp/bad/index.json"'

# Interrupted: finished outputs stay, nothing partial is left, exit 130 (128 + SIGINT).
mkfifo "$tmp/fifo"
( head -c 400 "$top/samples/transfer-1mb.pcap"; sleep 3 ) > "$tmp/fifo" &
writer=$!
"$program" -q -j1 -o "$tmp/int" "$top/samples/four-way.pcap" "$top/samples/refused.pcap" - < "$tmp/fifo" 2>"$tmp/interr" &
pid=$!
sleep 1
kill -INT $pid
wait $pid; rc=$?
kill $writer 2>/dev/null; wait $writer 2>/dev/null
check "interrupted: exit 130" '[ $rc -eq 130 ]'
check "interrupted: finished reports kept and complete" '$py -m json.tool "$tmp/int/four-way.json" >/dev/null && $py -m json.tool "$tmp/int/refused.json" >/dev/null'
check "interrupted: no partial report" '[ ! -e "$tmp/int/stdin.json" ] && [ -z "$(find "$tmp/int" -name "*.tmp.*")" ]'

# Every index this suite wrote (a run's, a shard's, the merged one, with failed, skipped and
# up-to-date inputs) matches docs/schema/index.schema.json.
find "$tmp" -name 'index*.json' > "$tmp/indexes"
check "every index.json validates against docs/schema/index.schema.json" \
    '[ $(wc -l < "$tmp/indexes") -ge 5 ] && xargs $py "$top/tests/check_schema.py" "$top/docs/schema/index.schema.json" < "$tmp/indexes" > "$tmp/schema.out" || { cat "$tmp/schema.out"; false; }'

echo "batch: $passed passed, $failed failed"
[ $failed -eq 0 ]
