#!/bin/sh
# hostile-fs.sh — what a co-user of a shared folder, a student's archive, a closed terminal or
# a full disk does to pcap2report (issue 19), each checked against what must happen:
#
#   links      links planted at every temporary and final name (the old PID-based temporary
#              names included, planted by a shell that then execs the program under its own
#              PID) leave the victim untouched; a folder link planted in OUT is not followed
#   walks      links inside input folders are skipped with a note (followed with --follow,
#              where loops end with a note), FIFOs and devices are skipped with the reason, a
#              path too long to open is listed, OUT inside an input folder is left out; grade
#              survives a loop and does not read a hand-in that is a link
#   names      escape sequences, newlines, C1 and bidirectional controls in names come out
#              escaped in convert, grade, index and verify
#   index      a capture named index.pcap keeps its report (index~2.json) and the index says so
#   signals    SIGHUP, SIGTERM and SIGINT in every subcommand: exit 128+signal, no temporary
#              left, finished outputs whole; SIGPIPE on standard output: 141
#   full disk  a 1 MiB tmpfs, filled: "cannot write ...: No space left on device" naming the
#              final file, nothing partial; a read-only one: the system's reason (needs root)
#   JSON       numbers out of range in a report or a shard index are refused with the reason;
#              /dev/zero, a folder and a FIFO given where a small file belongs end at once
#
#   PROGRAM=build/pcap2report OUTFILE_CHECK=build/outfile-check MKSAMPLE=build/mksample \
#       sh tests/hostile-fs.sh
set -u
# Started under nohup, SIGHUP is ignored, and an ignored signal stays ignored in every child
# (the program keeps it so on purpose: a nohup'd run must go on): the SIGHUP checks would wait
# forever. Start again with SIGHUP restored (coreutils env).
if [ -z "${HOSTILE_FS_SIGHUP_RESET:-}" ]; then
    HOSTILE_FS_SIGHUP_RESET=1 exec env --default-signal=HUP sh "$0" "$@"
fi
program=${PROGRAM:-build/pcap2report}
check_tool=${OUTFILE_CHECK:-build/outfile-check}
mksample=${MKSAMPLE:-build/mksample}
top=$(cd "$(dirname "$0")/.." && pwd)
case $program in /*) ;; *) program=$top/$program ;; esac
case $check_tool in /*) ;; *) check_tool=$top/$check_tool ;; esac
case $mksample in /*) ;; *) mksample=$top/$mksample ;; esac
py=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/p2r-hostile.XXXXXX") || exit 1
mounted=""
cleanup() {
    for m in $mounted; do umount "$m" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
passed=0 failed=0 skipped=0
S=$top/samples
esc=$(printf '\033')

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else fail "$1"; [ -s "$tmp/err" ] && sed -n '1,6s/^/    stderr: /p' "$tmp/err"; fi; }
skip() { skipped=$((skipped + 1)); echo "SKIP: $*"; }
# No temporary in DIR: neither the named kind (.NAME.tmp.*) nor the old kind (NAME.tmp.PID).
no_temps() { [ -z "$(find "$1" -name '*.tmp.*' 2>/dev/null)" ]; }
valid_json() { "$py" -m json.tool "$1" >/dev/null 2>&1; }
is_regular() { [ -f "$1" ] && [ ! -L "$1" ]; }

echo secret > "$tmp/victim"
victim_ok() { [ "$(cat "$tmp/victim")" = secret ] && [ -z "$(ls -A "$tmp/victimdir")" ]; }
mkdir "$tmp/victimdir"

# ---- links ------------------------------------------------------------------------------------

mkdir -p "$tmp/in/sub" "$tmp/out"
cp "$S/four-way.pcap" "$tmp/in/x.pcap"
cp "$S/reuse.pcap" "$tmp/in/sub/y.pcap"
for n in x.json x.pdf index.json index.pdf; do ln -s "$tmp/victim" "$tmp/out/$n"; done
ln -s "$tmp/victimdir" "$tmp/out/sub"
# The shell plants links at the temporary names the program used to take (NAME.tmp.PID) and
# execs it under its own PID.
sh -c 'for n in index.json index.pdf x.json x.pdf; do ln -s "$1" "$2/$n.tmp.$$"; done; shift 2; exec "$@"' \
    sh "$tmp/victim" "$tmp/out" "$program" -q -o "$tmp/out" "$tmp/in" 2>"$tmp/err"; rc=$?
check "links: the victim is untouched" 'victim_ok'
check "links: finished names are regular files, not links" 'is_regular "$tmp/out/x.json" && is_regular "$tmp/out/x.pdf" && is_regular "$tmp/out/index.json" && is_regular "$tmp/out/index.pdf"'
check "links: the reports are whole" 'valid_json "$tmp/out/x.json" && valid_json "$tmp/out/index.json"'
check "links: a folder link in OUT is not followed, and says so" '[ $rc -eq 1 ] && grep -q -F "cannot create $tmp/out/sub/y.json: $tmp/out/sub is a symbolic link, not followed" "$tmp/err"'
check "links: no new temporary left (only the planted ones)" '[ "$(find "$tmp/out" -name "*.tmp.*" | wc -l)" -eq 4 ] && [ -z "$(find "$tmp/out" -name ".*tmp*")" ]'

# Exclusive creation, as every temporary is made: a link at the name is never followed, a
# dangling one never creates its target.
ln -s "$tmp/victim" "$tmp/out/.planted"
ln -s "$tmp/victimdir/made" "$tmp/out/.dangling"
check "links: a temporary's exclusive creation refuses a planted link" '[ "$("$check_tool" exclusive "$tmp/out" .planted)" = "File exists" ] && victim_ok'
check "links: and a dangling one" '[ "$("$check_tool" exclusive "$tmp/out" .dangling)" = "File exists" ] && victim_ok'

# grade: grades.csv, grades.json, feedback/NAME.pdf and their old temporary names.
mkdir -p "$tmp/hw" "$tmp/g/feedback"
cp "$S/four-way.pcap" "$tmp/hw/alice.pcap"
for n in grades.csv grades.json feedback/alice.pdf; do ln -s "$tmp/victim" "$tmp/g/$n"; done
sh -c 'ln -s "$1" "$2/grades.csv.tmp.$$"; ln -s "$1" "$2/grades.json.tmp.$$"; ln -s "$1" "$2/feedback/.alice.pdf.tmp.$$"
       shift 2; exec "$@"' sh "$tmp/victim" "$tmp/g" "$program" grade -q --rubric classic-handshake -o "$tmp/g" "$tmp/hw" 2>"$tmp/err"; rc=$?
check "links: grade leaves the victim untouched" '[ $rc -eq 0 ] && victim_ok'
check "links: grade's outputs are regular files" 'is_regular "$tmp/g/grades.csv" && is_regular "$tmp/g/grades.json" && is_regular "$tmp/g/feedback/alice.pdf"'
rm -rf "$tmp/g2" && mkdir "$tmp/g2" && ln -s "$tmp/victimdir" "$tmp/g2/feedback"
"$program" grade -q --rubric classic-handshake -o "$tmp/g2" "$tmp/hw" 2>"$tmp/err"; rc=$?
check "links: a feedback folder link is not followed" '[ $rc -eq 1 ] && victim_ok && grep -q "feedback is a symbolic link, not followed" "$tmp/err" && is_regular "$tmp/g2/grades.csv"'

# index and shard indexes.
mkdir -p "$tmp/ix"
cp "$tmp/out/x.json" "$tmp/ix/x.json"
ln -s "$tmp/victim" "$tmp/ix/index.json"
sh -c 'ln -s "$1" "$2/index.json.tmp.$$"; shift 2; exec "$@"' sh "$tmp/victim" "$tmp/ix" "$program" index "$tmp/ix" 2>"$tmp/err"; rc=$?
check "links: index leaves the victim untouched" '[ $rc -eq 0 ] && victim_ok && is_regular "$tmp/ix/index.json" && valid_json "$tmp/ix/index.json"'
mkdir -p "$tmp/sh"
ln -s "$tmp/victim" "$tmp/sh/index.shard-1-of-2.json"
"$program" -q --shard 1/2 -o "$tmp/sh" "$S/four-way.pcap" "$S/reuse.pcap" "$S/refused.pcap" 2>"$tmp/err"
check "links: a shard index replaces a planted link" 'victim_ok && is_regular "$tmp/sh/index.shard-1-of-2.json"'

# ---- walks -------------------------------------------------------------------------------------

mkdir -p "$tmp/loop/sub" "$tmp/outside"
cp "$S/four-way.pcap" "$tmp/loop/x.pcap"
cp "$S/reuse.pcap" "$tmp/loop/sub/y.pcap"
cp "$S/refused.pcap" "$tmp/outside/secret.pcap"
ln -s . "$tmp/loop/a"
ln -s . "$tmp/loop/b"
ln -s ../outside "$tmp/loop/c"
mkfifo "$tmp/loop/fifo"
if mknod "$tmp/loop/null" c 1 3 2>/dev/null; then have_dev=1; else have_dev=0; fi
timeout 60 "$program" -o "$tmp/lo" "$tmp/loop" 2>"$tmp/err"; rc=$?
check "walks: a folder with loops ends, exit 0" '[ $rc -eq 0 ]'
check "walks: each link skipped with a note" 'grep -q -F "skipped $tmp/loop/a: a symbolic link, not followed" "$tmp/err" && grep -q -F "skipped $tmp/loop/b: a symbolic link" "$tmp/err" && grep -q -F "skipped $tmp/loop/c: a symbolic link" "$tmp/err"'
check "walks: a FIFO skipped with the reason" 'grep -q -F "skipped $tmp/loop/fifo: a FIFO (named pipe), not read" "$tmp/err"'
if [ $have_dev -eq 1 ]; then
    check "walks: a device skipped with the reason" 'grep -q -F "skipped $tmp/loop/null: a character device, not read" "$tmp/err"'
else
    skip "walks: a device (mknod needs root)"
fi
check "walks: nothing outside was read" '[ ! -e "$tmp/lo/c" ] && [ -s "$tmp/lo/x.json" ] && [ -s "$tmp/lo/sub/y.json" ]'
"$py" - "$tmp/lo/index.json" >"$tmp/idx" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
st = {e["input"].rsplit("/", 1)[-1]: (e["status"], e["reason"]) for e in d["inputs"]}
assert st["a"][0] == "skipped" and "symbolic link" in st["a"][1], st
assert st["fifo"][0] == "skipped" and "FIFO" in st["fifo"][1], st
assert d["totals"]["converted"] == 2, d["totals"]
print("ok")
PY
check "walks: the index lists what was skipped and why" 'grep -q "^ok" "$tmp/idx" || { cat "$tmp/idx"; false; }'
timeout 60 "$program" --follow -o "$tmp/lf" "$tmp/loop" 2>"$tmp/err"; rc=$?
check "walks: --follow ends too, each loop noted" '[ $rc -eq 0 ] && [ "$(grep -c "a folder already walked (a loop" "$tmp/err")" -eq 2 ]'
check "walks: --follow follows a link out" '[ -s "$tmp/lf/c/secret.json" ] && [ "$(find "$tmp/lf" -name "y.json" | wc -l)" -eq 1 ]'
timeout 60 "$program" index "$tmp/loop" >/dev/null 2>"$tmp/err"; rc=$?
check "walks: index of a folder with loops ends" '[ $rc -eq 0 ] && grep -q "skipped .*loop/a: a symbolic link, not followed" "$tmp/err"'

# A path longer than PATH_MAX: listed, not lost.
"$py" - "$tmp/deep" "$S/four-way.pcap" <<'PY'
import os, shutil, sys
root = sys.argv[1]
os.mkdir(root)
fd = os.open(root, os.O_RDONLY)
for i in range(22):
    name = "d%02d" % i + "x" * 197
    os.mkdir(name, dir_fd=fd)
    nfd = os.open(name, os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nfd
with open(os.open("deep.pcap", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "wb") as f:
    f.write(open(sys.argv[2], "rb").read())
PY
cp "$S/four-way.pcap" "$tmp/deep/shallow.pcap"
"$program" -q -o "$tmp/do" "$tmp/deep" 2>"$tmp/err"; rc=$?
"$py" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert any(e["status"] == "skipped" and "longer than 4095 bytes" in e["reason"] for e in d["inputs"]), d["inputs"]
assert d["totals"]["converted"] == 1
' "$tmp/do/index.json" 2>"$tmp/idx"
check "walks: a path too long is in the index as skipped, with the reason" '[ $rc -eq 0 ] && [ ! -s "$tmp/idx" ]'
rm -rf "$tmp/deep"

# OUT inside the input folder is not read back.
mkdir -p "$tmp/self"
cp "$S/four-way.pcap" "$tmp/self/x.pcap"
"$program" -q -o "$tmp/self/out" "$tmp/self" 2>/dev/null
"$program" --force -o "$tmp/self/out" "$tmp/self" 2>"$tmp/err"; rc=$?
check "walks: OUT inside an input folder is left out, with a note" '[ $rc -eq 0 ] && grep -q -F "skipped $tmp/self/out: the output folder, not walked" "$tmp/err" && "$py" -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"totals\"][\"converted\"]==1 and d[\"totals\"][\"inputs\"]==2" "$tmp/self/out/index.json"'

# grade: a loop in one student's folder, a hand-in that is a link to a file outside.
mkdir -p "$tmp/class/alice" "$tmp/class/bob" "$tmp/class/mallory"
cp "$S/four-way.pcap" "$tmp/class/alice/hw.pcap"
cp "$S/merged-fin.pcap" "$tmp/class/bob/hw.pcap"
ln -s .. "$tmp/class/bob/loop"
ln -s "$tmp/outside/secret.pcap" "$tmp/class/mallory/hw.pcap"
timeout 60 "$program" grade --rubric classic-handshake --student-name folder -o "$tmp/gl" "$tmp/class" 2>"$tmp/err"; rc=$?
check "walks: grade survives a loop in a student's folder" '[ $rc -eq 0 ] && [ -s "$tmp/gl/grades.csv" ] && grep -q "^bob," "$tmp/gl/grades.csv"'
check "walks: grade does not read a hand-in that is a link, and says so" '! grep -q secret "$tmp/gl/grades.json" && grep -q -F "skipped $tmp/class/mallory/hw.pcap: a symbolic link, not followed" "$tmp/err" && grep -q -F "skipped $tmp/class/bob/loop: a symbolic link, not followed" "$tmp/err"'

# ---- names -----------------------------------------------------------------------------------

mkdir -p "$tmp/names"
title="$(printf 'x\033]0;pwned\007')"
cp "$S/four-way.pcap" "$tmp/names/$title.pcap"
cp "$S/four-way.pcap" "$tmp/names/$(printf 'c1\302\233\061mred')"
cp "$S/four-way.pcap" "$tmp/names/$(printf 'bidi\342\200\256txt.exe')"
cp "$S/merged-fin.pcap" "$tmp/names/$(printf 'eve\nalice: 9')"
cp "$S/merged-fin.pcap" "$tmp/names/$(printf 'cr\rforged')"
"$program" -o "$tmp/no" "$tmp/names" >"$tmp/nout" 2>"$tmp/nerr"
raw_free() { ! grep -q "$esc" "$1" && ! grep -q "$(printf '\r')" "$1" && ! LC_ALL=C grep -q "$(printf '\302\233')" "$1" && ! LC_ALL=C grep -q "$(printf '\342\200\256')" "$1"; }
check "names: convert prints no raw control character" 'raw_free "$tmp/nerr"'
check "names: convert escapes them as ls -b does" 'grep -q -F "x\\033]0;pwned\\a.pcap" "$tmp/nerr" && grep -q -F "c1\\302\\2331mred" "$tmp/nerr" && grep -q -F "eve\\nalice: 9" "$tmp/nerr" && grep -q -F "cr\\rforged" "$tmp/nerr" && grep -q -F "bidi\\342\\200\\256txt.exe" "$tmp/nerr"'
"$program" grade --rubric classic-handshake -o "$tmp/gn" "$tmp/names" >"$tmp/nout" 2>"$tmp/nerr"
# A student's name shows its control characters escaped, or replaced as the grader names students.
check "names: grade prints no raw control character and no forged line" 'raw_free "$tmp/nerr" && ! grep -q "^alice: 9" "$tmp/nerr" && grep -q -F -e "eve\\nalice: 9: " -e "eve?alice: 9: " "$tmp/nerr"'
mkdir -p "$tmp/$title"
cp "$tmp/no/x_]0;pwned_.json" "$tmp/$title/r.json" 2>/dev/null || cp "$tmp/out/x.json" "$tmp/$title/r.json"
"$program" index "$tmp/$title" >"$tmp/nout" 2>"$tmp/nerr"
check "names: index prints names escaped" 'raw_free "$tmp/nerr" && grep -q -F "x\\033]0;pwned\\a/index.json" "$tmp/nerr"'
cp "$tmp/out/x.json" "$tmp/names/$title.json"
"$program" verify "$tmp/names/$title.json" "$tmp/in/x.pcap" >"$tmp/nout" 2>"$tmp/nerr"; rc=$?
check "names: verify prints names escaped" '[ $rc -eq 0 ] && raw_free "$tmp/nout" && grep -q -F "MATCH: $tmp/names/x\\033]0;pwned\\a.json" "$tmp/nout"'

# ---- index.pcap --------------------------------------------------------------------------------

mkdir -p "$tmp/ip"
cp "$S/four-way.pcap" "$tmp/ip/index.pcap"
cp "$S/reuse.pcap" "$tmp/ip/index.shard-1-of-2.pcap"
cp "$S/refused.pcap" "$tmp/ip/x.pcap"
"$program" -o "$tmp/ipo" "$tmp/ip" 2>"$tmp/err"; rc=$?
"$py" - "$tmp/ipo" >"$tmp/idx" 2>&1 <<'PY'
import json, sys
o = sys.argv[1]
idx = json.load(open(o + "/index.json"))
assert idx["schema"]["name"] == "pcap2report-index"
by = {e["input"].rsplit("/", 1)[-1]: e for e in idx["inputs"]}
e = by["index.pcap"]
assert e["status"] == "converted" and e["outputs"]["json"] == "index~2.json", e
assert e["renamed_from"] == "index.json", e
r = json.load(open(o + "/index~2.json"))
assert r["input"]["file_name"] == "index.pcap" and r["summary"]["sessions"] == 1
s = by["index.shard-1-of-2.pcap"]
assert s["outputs"]["json"] == "index.shard-1-of-2~2.json", s
assert "renamed_from" not in by["x.pcap"]
print("ok")
PY
check "index: a capture named index.pcap keeps its report, and the index says so" '[ $rc -eq 0 ] && grep -q "^ok" "$tmp/idx" || { cat "$tmp/idx"; false; }'
check "index: the rename is noted on stderr" 'grep -q "index.pcap is written as index~2\.\*: index\.\* is the name of the batch index" "$tmp/err"'
"$program" index "$tmp/ipo" 2>/dev/null
check "index: the index command finds the renamed report" '"$py" -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"totals\"][\"converted\"]==3, d[\"totals\"]" "$tmp/ipo/index.json"'

# ---- signals -----------------------------------------------------------------------------------

# stalled FIFO CMD...: runs CMD with a FIFO that gives a few bytes then waits; leaves $pid,
# $writer.
signal_number() { case $1 in HUP) echo 1 ;; INT) echo 2 ;; TERM) echo 15 ;; PIPE) echo 13 ;; esac; }
stalled_writer() { ( head -c 400 "$S/transfer-1mb.pcap"; sleep 30 ) >"$1" & writer=$!; }
finish() { kill $writer 2>/dev/null; wait $writer 2>/dev/null; rm -f "$tmp/fifo"; }

# The module's own temporaries, named and anonymous, at the instant a signal comes.
for mode in named anonymous; do
    for sig in HUP TERM INT; do
        rm -rf "$tmp/hold" && mkfifo "$tmp/fifo"
        "$check_tool" hold "$tmp/hold" sub/r.json $mode >"$tmp/fifo" 2>"$tmp/err" &
        pid=$!
        read line <"$tmp/fifo"
        before=$(ls -A "$tmp/hold/sub" | wc -l)
        kill -$sig $pid; wait $pid 2>/dev/null; rc=$?
        rm -f "$tmp/fifo"
        want=$(( $([ $mode = named ] && echo 1 || echo 0) ))
        check "signals: a $mode temporary at SIG$sig is removed, exit $((128 + $(signal_number $sig)))" \
            '[ "$line" = holding ] && [ $before -eq $want ] && [ $rc -eq $((128 + $(signal_number $sig))) ] && [ -z "$(ls -A "$tmp/hold/sub")" ] && grep -q "interrupted by SIG$sig" "$tmp/err"'
    done
done

# Every subcommand, stopped while it waits on a FIFO (or parses a big shard index).
"$py" - "$tmp/bigshard" "$tmp/out/x.json" <<'PY'
import json, os, sys
os.mkdir(sys.argv[1])
head = open(sys.argv[2]).read().split("\n")
inp = json.loads("{" + head[1].rstrip(",") + "}")["input"]
summ = json.loads("{" + head[2].rstrip(",") + "}")["summary"]
e = {"input": "x", "status": "converted", "reason": None, "outputs": {"json": "x.json", "pdf": None},
     "file_name": inp["file_name"], "sha256": inp["sha256"], "packets": inp["packets"], "warnings": 0, "summary": summ}
with open(sys.argv[1] + "/index.shard-1-of-1.json", "w") as f:
    f.write('{"schema":{"name":"pcap2report-index","version":"1.1.0"},"inputs":[')
    for i in range(120000):
        e["input"] = "in/%d.pcap" % i
        e["outputs"]["json"] = "r/%d.json" % i
        f.write(("," if i else "") + json.dumps(e))
    f.write("]}\n")
PY
mkdir -p "$tmp/hw2"
cp "$S/four-way.pcap" "$tmp/hw2/alice.pcap"
for sig in HUP TERM INT; do
    want=$((128 + $(signal_number $sig)))
    rm -rf "$tmp/so" && mkfifo "$tmp/fifo" && stalled_writer "$tmp/fifo"
    "$program" -q -j1 -o "$tmp/so" "$S/four-way.pcap" - <"$tmp/fifo" 2>"$tmp/err" & pid=$!
    sleep 1; kill -$sig $pid; wait $pid 2>/dev/null; rc=$?; finish
    check "signals: convert at SIG$sig: exit $want, finished report whole, none partial" \
        '[ $rc -eq $want ] && valid_json "$tmp/so/four-way.json" && [ ! -e "$tmp/so/stdin.json" ] && no_temps "$tmp/so"'

    rm -rf "$tmp/go" && mkfifo "$tmp/fifo" && stalled_writer "$tmp/fifo"
    "$program" grade -q --rubric classic-handshake --class-list "$tmp/fifo" -o "$tmp/go" "$tmp/hw2/alice.pcap" 2>"$tmp/err" & pid=$!
    sleep 1; kill -$sig $pid; wait $pid 2>/dev/null; rc=$?; finish
    check "signals: grade at SIG$sig: exit $want, no temporary, no partial sheet" \
        '[ $rc -eq $want ] && no_temps "$tmp/go" && [ ! -e "$tmp/go/grades.csv" ] && { [ ! -e "$tmp/go" ] || [ -z "$(find "$tmp/go" -name ".*")" ]; }'

    rm -f "$tmp/bigshard/index.json"
    "$program" index "$tmp/bigshard" 2>"$tmp/err" & pid=$!
    sleep 0.3
    if kill -0 $pid 2>/dev/null; then
        kill -$sig $pid; wait $pid 2>/dev/null; rc=$?
        check "signals: index at SIG$sig: exit $want, no temporary, no index" \
            '[ $rc -eq $want ] && no_temps "$tmp/bigshard" && [ ! -e "$tmp/bigshard/index.json" ]'
    else
        wait $pid; skip "signals: index at SIG$sig (it finished within 0.3 s)"
    fi

    mkfifo "$tmp/fifo" && stalled_writer "$tmp/fifo"
    "$program" verify "$tmp/out/x.json" "$tmp/fifo" >/dev/null 2>"$tmp/err" & pid=$!
    sleep 1; kill -$sig $pid; wait $pid 2>/dev/null; rc=$?; finish
    check "signals: verify at SIG$sig: exit $want" '[ $rc -eq $want ]'
done
# nohup: a SIGHUP the parent ignores stays ignored.
rm -rf "$tmp/nh" && mkfifo "$tmp/fifo" && stalled_writer "$tmp/fifo"
sh -c 'trap "" HUP; exec "$@"' sh "$program" -q -o "$tmp/nh" - <"$tmp/fifo" 2>"$tmp/err" & pid=$!
sleep 1; kill -HUP $pid; sleep 0.5
check "signals: under nohup, SIGHUP is ignored" 'kill -0 $pid 2>/dev/null'
kill -TERM $pid; wait $pid 2>/dev/null; rc=$?; finish
check "signals: and SIGTERM still stops it: 143" '[ $rc -eq 143 ] && no_temps "$tmp/nh"'
# SIGPIPE: a reader of standard output that goes away.
if "$mksample" big "$tmp/big.pcap" 2>/dev/null; then
    mkfifo "$tmp/fifo"
    "$program" -q -o - "$tmp/big.pcap" >"$tmp/fifo" 2>"$tmp/err" & pid=$!
    head -c 100 "$tmp/fifo" >/dev/null
    wait $pid; rc=$?; rm -f "$tmp/fifo"
    check "signals: a closed standard output ends it as SIGPIPE: 141, silently" '[ $rc -eq 141 ] && [ ! -s "$tmp/err" ]'
    rm -f "$tmp/big.pcap"
else
    skip "signals: SIGPIPE (no mksample)"
fi

# ---- full disk and read-only folders (root: a 1 MiB tmpfs) -----------------------------------

mkdir -p "$tmp/full" "$tmp/ro"
if mount -t tmpfs -o size=1m tmpfs "$tmp/full" 2>/dev/null; then
    mounted="$tmp/full"
    mkdir -p "$tmp/full/out" "$tmp/full/g" "$tmp/full/ix"
    cp "$tmp/out/x.json" "$tmp/full/ix/x.json"
    cat /dev/zero >"$tmp/full/filler" 2>/dev/null
    "$program" -q -o "$tmp/full/out" "$S/four-way.pcap" 2>"$tmp/err"; rc=$?
    check "full disk: convert names the final file and the system's reason" \
        '[ $rc -eq 1 ] && grep -q "four-way.pcap: cannot write $tmp/full/out/four-way.\(json\|pdf\): No space left on device" "$tmp/err"'
    check "full disk: nothing partial, no temporary" '[ ! -e "$tmp/full/out/four-way.json" ] && [ ! -e "$tmp/full/out/four-way.pdf" ] && no_temps "$tmp/full/out"'
    "$program" grade -q --rubric classic-handshake -o "$tmp/full/g" "$tmp/hw" 2>"$tmp/err"; rc=$?
    check "full disk: grade names the file and the reason" '[ $rc -eq 1 ] && grep -q -F "$tmp/full/g/" "$tmp/err" && grep -q "No space left on device" "$tmp/err" && no_temps "$tmp/full/g"'
    "$program" index "$tmp/full/ix" 2>"$tmp/err"; rc=$?
    check "full disk: index names the file and the reason" '[ $rc -eq 1 ] && grep -q -F "cannot write $tmp/full/ix/index.json: No space left on device" "$tmp/err" && [ ! -e "$tmp/full/ix/index.json" ]'
    rm -f "$tmp/full/filler"
    out=$("$check_tool" write "$tmp/full/w" big.bin 2000000)
    check "full disk: a file larger than the disk: the module's message" '[ "$out" = "cannot write $tmp/full/w/big.bin: No space left on device" ] && [ -z "$(ls -A "$tmp/full/w")" ]'
    umount "$tmp/full" && mounted=""
    if mount -t tmpfs -o ro,size=1m tmpfs "$tmp/ro" 2>/dev/null; then
        mounted="$tmp/ro"
        "$program" -q -o "$tmp/ro/out" "$S/four-way.pcap" 2>"$tmp/err"; rc=$?
        check "read-only: the reason is given" '[ $rc -eq 1 ] && grep -q -F "cannot create folder $tmp/ro/out: Read-only file system" "$tmp/err"'
        umount "$tmp/ro" && mounted=""
    fi
else
    skip "full disk and read-only folders (mounting a tmpfs needs root)"
fi

# ---- JSON read back ----------------------------------------------------------------------------

tamper() { # tamper FROM TO PYTHON-EXPR-ON-LINE0
    "$py" - "$1" "$2" "$3" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
lines[0] = lines[0].replace('"idle_timeout_s":300', sys.argv[3]) if sys.argv[3].startswith('"idle') else lines[0].replace('"max_sessions":1000000', sys.argv[3])
open(sys.argv[2], "w").write("\n".join(lines))
PY
}
for bad in '"idle_timeout_s":1e10' '"idle_timeout_s":-5' '"idle_timeout_s":2.5' '"max_sessions":-1' '"max_sessions":1e30' '"max_sessions":null' '"max_sessions":"9"'; do
    tamper "$tmp/out/x.json" "$tmp/t.json" "$bad"
    timeout 30 "$program" verify "$tmp/t.json" "$S/four-way.pcap" >/dev/null 2>"$tmp/err"; rc=$?
    field=${bad%%\":*}; field=${field#\"}
    check "JSON: verify refuses $bad with the reason" '[ $rc -eq 1 ] && grep -q "is not a pcap2report report: tool.options.$field is .*not a" "$tmp/err"'
done
timeout 10 "$program" verify /dev/zero "$S/four-way.pcap" >/dev/null 2>"$tmp/err"; rc=$?
check "JSON: verify /dev/zero ends with a clear error" '[ $rc -eq 1 ] && grep -q -F "cannot read /dev/zero: a character device, not a file" "$tmp/err"'
timeout 10 "$program" verify "$tmp/victimdir" "$S/four-way.pcap" >/dev/null 2>"$tmp/err"; rc=$?
check "JSON: verify of a folder ends with a clear error" '[ $rc -eq 1 ] && grep -q "a folder, not a file" "$tmp/err"'
mkfifo "$tmp/fifo"
timeout 10 "$program" verify "$tmp/fifo" "$S/four-way.pcap" >/dev/null 2>"$tmp/err"; rc=$?
rm -f "$tmp/fifo"
check "JSON: verify of a FIFO nobody writes ends" '[ $rc -eq 1 ] && grep -q "not a pcap2report report" "$tmp/err"'
mkdir -p "$tmp/shards" "$tmp/shards/index.shard-1-of-3.json"
mkfifo "$tmp/shards/index.shard-2-of-3.json"
"$program" -q --shard 3/3 -o "$tmp/shards" "$S/four-way.pcap" "$S/reuse.pcap" "$S/refused.pcap" 2>/dev/null
timeout 20 "$program" index "$tmp/shards" 2>"$tmp/err"; rc=$?
check "JSON: a folder and a FIFO as shard indexes are skipped at once, with the reason" \
    '[ $rc -eq 0 ] && grep -q "index.shard-1-of-3.json: a folder, not a file" "$tmp/err" && grep -q "index.shard-2-of-3.json: a FIFO (named pipe), not a file" "$tmp/err"'
for bad in '"sessions":-1' '"sessions":1e300' '"sessions":"5"' '"sessions":0.5'; do
    rm -rf "$tmp/ts" && mkdir -p "$tmp/ts"
    "$program" -q --shard 1/1 -o "$tmp/ts" "$S/four-way.pcap" 2>/dev/null
    sed -i "s/\"sessions\":1,/$bad,/" "$tmp/ts/index.shard-1-of-1.json"
    "$program" index "$tmp/ts" 2>"$tmp/err"; rc=$?
    check "JSON: a shard index with $bad is refused with the reason" '[ $rc -eq 1 ] && grep -q "not a pcap2report index: entry 1: summary.sessions is" "$tmp/err" && [ ! -e "$tmp/ts/index.json" ]'
done
rm -rf "$tmp/tr" && mkdir -p "$tmp/tr"
cp "$tmp/out/x.json" "$tmp/tr/good.json"
sed '3s/"four-way":1/"four-way":-7/' "$tmp/out/x.json" >"$tmp/tr/bad.json"
"$program" index "$tmp/tr" 2>"$tmp/err"; rc=$?
check "JSON: a tampered report is left out of the totals, with the reason" \
    '[ $rc -eq 0 ] && grep -q "bad.json: not a pcap2report report: summary.teardown.four-way is -7" "$tmp/err" && "$py" -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"totals\"][\"teardown\"][\"four-way\"]==1 and d[\"totals\"][\"inputs\"]==1" "$tmp/tr/index.json"'

echo "hostile-fs: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
