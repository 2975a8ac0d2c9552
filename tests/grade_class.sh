#!/bin/sh
# grade_class.sh — `pcap2report grade` on a class laid out as learning platforms export it:
# Moodle's folder per student ("<Full Name>_<id>_assignsubmission_file_/<file>") with Latin,
# Polish, Cyrillic and Chinese names with spaces, every file named the same; a .zip hand-in,
# a zip bomb, tcpdump's text output, Wireshark's CSV export, a screenshot, a PDF; a class list
# with a student who handed nothing in and a hand-in from someone not on it. Then Canvas's and
# Blackboard's flat exports, files given directly that share a name, and two hand-ins that
# would be one student. Checks one row per student with the right mark and reason, outputs
# named after each student, the names in the feedback PDFs (pdftotext) with and without
# --pdfa, and no English sentence in a --lang zh feedback PDF or grade sheet
# (tests/tools/no_english.py). Usage: sh tests/grade_class.sh [PROGRAM]. The last line is
# `grade-class: N passed, M failed`.
set -u
PROGRAM=${1:-build/pcap2report}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
S=$ROOT/samples
PCAP2REPORT_TEMPLATES=$ROOT/templates
export PCAP2REPORT_TEMPLATES
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
expect() { if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', expected '$3'"; fi; }
contains() { case $2 in *"$3"*) ok ;; *) bad "$1: '$2' lacks '$3'" ;; esac; }

# The row of a student: name,id,total,handshake,handshake-numbers,close,close-numbers,target,notes
# (cells joined with commas, unquoted)
row() {
    python3 -c 'import csv, sys
for r in list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))[1:]:
    if r[0] == sys.argv[2]:
        print(",".join(r[:9]))' "$1" "$2"
}

# ---- the class, as Moodle exports it ---------------------------------------------------------
H=$work/hand-ins
put() { mkdir -p "$H/$1_assignsubmission_file_"; cp "$2" "$H/$1_assignsubmission_file_/$3"; }
put "Anna Nowak_1001" "$S/http-get.pcap" capture.pcap
put "Łukasz Żółw_1002" "$S/four-way.pcap" capture.pcap
put "Иван Петров_1003" "$S/merged-fin.pcap" capture.pcap
put "张伟_1004" "$S/rst-client.pcap" capture.pcap
put "李 娜_1005" "$S/http-get.pcap" capture.pcap                 # Anna's file: a copy group
put "王 芳_1006" "$S/pcapng.pcapng" "抓包 作业.pcapng"
# Zofia's zip holds a simultaneous close, which this rubric's close does not accept: 5 points.
mkdir -p "$H/Zofia Zip_1007_assignsubmission_file_" "$H/Bob Bomb_1008_assignsubmission_file_" \
    "$H/Tom Text_1009_assignsubmission_file_" "$H/Sam Shot_1010_assignsubmission_file_" \
    "$H/Wes Csv_1011_assignsubmission_file_" "$H/Pat Pdf_1012_assignsubmission_file_" \
    "$H/Olaf Offlist_1099_assignsubmission_file_"
cp "$S/server-closes-first.pcap" "$H/Olaf Offlist_1099_assignsubmission_file_/capture.pcap"
python3 - "$H" "$S" <<'EOF'
import sys, zipfile, struct, zlib
H, S = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(H + "/Zofia Zip_1007_assignsubmission_file_/capture.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.write(S + "/simultaneous-close.pcap", "capture.pcap")
    z.writestr("__MACOSX/._capture.pcap", b"\0\5\26\7junk")
# A zip bomb: 1 GiB of zeros in one member, about 1 MB packed.
with zipfile.ZipFile(H + "/Bob Bomb_1008_assignsubmission_file_/capture.zip", "w", zipfile.ZIP_DEFLATED) as z:
    with z.open("capture.pcap", "w", force_zip64=True) as f:
        block = bytes(1 << 20)
        for _ in range(1024):
            f.write(block)
def png(path):
    raw = b"\0\0\0\0" * 4
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0))
                           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
png(H + "/Sam Shot_1010_assignsubmission_file_/capture.png")
open(H + "/Wes Csv_1011_assignsubmission_file_/capture.csv", "w").write(
    '"No.","Time","Source","Destination","Protocol","Length","Info"\n'
    '"1","0.000000","192.0.2.1","192.0.2.2","TCP","74","53598 > 8080 [SYN] Seq=0 Win=64240 Len=0"\n')
open(H + "/Pat Pdf_1012_assignsubmission_file_/capture.pdf", "wb").write(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n")
EOF
tcpdump -nr "$S/four-way.pcap" >"$H/Tom Text_1009_assignsubmission_file_/capture.pcap" 2>/dev/null
cat >"$work/class.csv" <<'EOF'
ID number,Full name,Email address
1001,Anna Nowak,anna@example.edu
1002,Łukasz Żółw,lukasz@example.edu
1003,Иван Петров,ivan@example.edu
1004,张伟,zhangwei@example.edu
1005,李 娜,lina@example.edu
1006,王 芳,wangfang@example.edu
1007,Zofia Zip,zofia@example.edu
1008,Bob Bomb,bob@example.edu
1009,Tom Text,tom@example.edu
1010,Sam Shot,sam@example.edu
1011,Wes Csv,wes@example.edu
1012,Pat Pdf,pat@example.edu
1013,Maria Missing,maria@example.edu
EOF

OUT=$work/out
"$PROGRAM" grade -r classic-handshake --class-list "$work/class.csv" -o "$OUT" "$H" >/dev/null 2>"$work/err"
expect "exit status: some hand-ins are not captures" "$?" 1
contains "the layout is said" "$(cat "$work/err")" "each folder is one student, as Moodle exports them (13 folders)"
contains "the missing student is counted" "$(cat "$work/err")" "1 of the class list handed nothing in"
CSV=$OUT/grades.csv
expect "one row per student (13 on the list, 1 not)" "$(tail -n +2 "$CSV" | wc -l | tr -d ' ')" 14
while IFS='|' read -r name want; do
    expect "row of $name" "$(row "$CSV" "$name")" "$want"
done <<'EOF'
Anna Nowak|Anna Nowak,1001,9,3,2,2,2,n/a,
Łukasz Żółw|Łukasz Żółw,1002,9,3,2,2,2,n/a,
Иван Петров|Иван Петров,1003,9,3,2,2,2,n/a,
张伟|张伟,1004,5,3,2,0,0,n/a,
李 娜|李 娜,1005,9,3,2,2,2,n/a,
王 芳|王 芳,1006,9,3,2,2,2,n/a,
Zofia Zip|Zofia Zip,1007,5,3,2,0,0,n/a,
Bob Bomb|Bob Bomb,1008,0,0,0,0,0,n/a,capture.zip was not unpacked: it unpacks to more than 64 MiB. Hand in the capture file itself.
Tom Text|Tom Text,1009,0,0,0,0,0,n/a,capture.pcap is the text tcpdump prints, not a capture. Run tcpdump with -w FILE.pcap to save the packets themselves, and hand in that file.
Sam Shot|Sam Shot,1010,0,0,0,0,0,n/a,capture.png is a picture (a screenshot), not a capture. Hand in the capture file that tcpdump -w or Wireshark's File > Save As writes.
Wes Csv|Wes Csv,1011,0,0,0,0,0,n/a,capture.csv is a CSV export of Wireshark's packet list, not a capture. Save the capture itself with File > Save As (pcapng or pcap) and hand in that file.
Pat Pdf|Pat Pdf,1012,0,0,0,0,0,n/a,capture.pdf is a PDF document, not a capture. Hand in the capture file that tcpdump -w or Wireshark's File > Save As writes.
Maria Missing|Maria Missing,1013,0,0,0,0,0,n/a,Nothing was handed in.
Olaf Offlist|Olaf Offlist,1099,9,3,2,2,2,n/a,Not on the class list.
EOF
J=$OUT/grades.json
jget() { python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(eval(sys.argv[2]))' "$1" "$2"; }
expect "the zip's member is graded under the archive's name" \
    "$(jget "$J" "[c['file'] for s in d['students'] if s['name'] == 'Zofia Zip' for c in s['captures']]")" "['capture.zip/capture.pcap']"
expect "copy group: Anna and Li Na, one line" "$(jget "$J" "[(g['kind'], [m['student'] for m in g['members']]) for g in d['copy_groups']]")" \
    "[('identical-file', ['Anna Nowak', '李 娜'])]"
expect "kinds" "$(jget "$J" "' '.join(s['captures'][0]['kind'] for s in d['students'] if s['captures'])")" \
    "capture archive-refused capture pdf image tcpdump-text wireshark-csv capture capture capture capture capture capture"
expect "class-list flags" "$(jget "$J" "[s['on_class_list'] for s in d['students'] if s['name'] in ('Maria Missing', 'Olaf Offlist')]")" "[True, False]"
expect "feedback PDFs named after each student" "$(ls "$OUT/feedback" | tr '\n' '|')" \
    "Anna Nowak.pdf|Bob Bomb.pdf|Olaf Offlist.pdf|Pat Pdf.pdf|Sam Shot.pdf|Tom Text.pdf|Wes Csv.pdf|Zofia Zip.pdf|Łukasz Żółw.pdf|Иван Петров.pdf|张伟.pdf|李 娜.pdf|王 芳.pdf|"

# The names in the PDFs, as text, with the built-in fonts and with --pdfa.
"$PROGRAM" grade -q --pdfa -r classic-handshake --class-list "$work/class.csv" -o "$work/a" "$H" 2>>"$work/log"
for name in "Anna Nowak" "Łukasz Żółw" "Иван Петров" "张伟" "李 娜" "王 芳"; do
    for d in "$OUT" "$work/a"; do
        text=$(pdftotext "$d/feedback/$name.pdf" - 2>/dev/null)
        contains "$name in its PDF ($(basename "$d"))" "$text" "Feedback for $name"
        case $text in *"?"*"?"*"?"*) bad "question marks in $name's PDF ($(basename "$d"))" ;; *) ok ;; esac
    done
done
text=$(pdftotext "$OUT/feedback/王 芳.pdf" - 2>/dev/null)
contains "the file name with a space, in Chinese" "$text" "Capture 抓包 作业.pcapng"
text=$(pdftotext "$OUT/feedback/Tom Text.pdf" - 2>/dev/null)
expect "the advice once, not in every check" "$(printf '%s' "$text" | tr '\n' ' ' | grep -o 'tcpdump with -w' | wc -l | tr -d ' ')" 1
case $text in *"Start tcpdump before"*) bad "Tom's PDF gives capture advice for a text dump" ;; *) ok ;; esac

# --lang zh: no English sentence in the feedback PDFs or the sheet.
"$PROGRAM" grade -q --lang zh -r classic-handshake --class-list "$work/class.csv" -o "$work/zh" "$H" 2>>"$work/log"
{
    cut -d, -f1 "$work/class.csv"; tail -n +2 "$work/class.csv" | cut -d, -f2
    echo "Olaf Offlist"; echo classic-handshake
    for c in handshake-numbers close-numbers handshake close target; do echo "$c"; done
    echo capture.pcap; echo capture.zip; echo capture.png; echo capture.csv; echo capture.pdf; echo "抓包 作业.pcapng"
    echo "identical-file"; echo "(unpacked)"
    for c in student id total notes integrity; do echo "$c"; done # the sheet's column names, for scripts
} >"$work/allowed"
for f in "$work/zh/feedback/"*.pdf; do pdftotext "$f" "$f.txt" 2>/dev/null; done
python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
for s in d["students"]:
    print(s["error"] or "")
    for c in s["captures"]:
        print(c["error"] or "", *c["notes"])
    for c in s["checks"]:
        print(c["reason"], c["feedback"])
    for f in s["integrity"]:
        print(f["message"])
for g in d["copy_groups"]:
    print(g["message"])' "$work/zh/grades.json" >"$work/zh/json.txt"
if python3 "$ROOT/tests/tools/no_english.py" "$work/allowed" "$work/zh/grades.csv" "$work/zh/json.txt" \
    "$work/zh/feedback/"*.txt >"$work/english" 2>&1; then ok; else bad "English in the zh sheet or PDFs: $(head -5 "$work/english")"; fi
# The check itself catches an English sentence.
printf 'x.pcap could not be read: not a capture\n' >"$work/en.txt"
if python3 "$ROOT/tests/tools/no_english.py" "$work/allowed" "$work/en.txt" >/dev/null; then bad "no_english.py missed English"; else ok; fi

# ---- Canvas's and Blackboard's flat exports ----------------------------------------------------
C=$work/canvas
mkdir -p "$C"
cp "$S/http-get.pcap" "$C/nowakanna_1001_98765_capture.pcap"
cp "$S/refused.pcap" "$C/zolwlukasz_late_1002_98766_capture.pcap"
"$PROGRAM" grade -q --no-pdf -r classic-handshake --class-list "$work/class.csv" -o "$work/c" "$C" 2>>"$work/log"
expect "Canvas: matched by user id" "$(row "$work/c/grades.csv" "Anna Nowak" | cut -d, -f1-3)" "Anna Nowak,1001,9"
expect "Canvas: a late hand-in" "$(row "$work/c/grades.csv" "Łukasz Żółw" | cut -d, -f1-3)" "Łukasz Żółw,1002,0"
B=$work/blackboard
mkdir -p "$B"
cp "$S/four-way.pcap" "$B/Lab 1_jsmith_attempt_2026-03-01-10-00-00_capture.pcap"
printf 'Name: John Smith (jsmith)\nAssignment: Lab 1\n' >"$B/Lab 1_jsmith_attempt_2026-03-01-10-00-00.txt"
"$PROGRAM" grade -q --no-pdf -r classic-handshake -o "$work/b" "$B" 2>>"$work/log"
expect "Blackboard: the note's full name, the attempt's note not graded" "$(tail -n +2 "$work/b/grades.csv" | cut -d, -f1-3)" "John Smith,jsmith,9"

# ---- files given directly that share a name; two hand-ins that would be one student -----------
mkdir -p "$work/d/alice" "$work/d/bob"
cp "$S/http-get.pcap" "$work/d/alice/capture.pcap"
cp "$S/refused.pcap" "$work/d/bob/capture.pcap"
"$PROGRAM" grade -q --no-pdf -r classic-handshake -o "$work/do" "$work/d/alice/capture.pcap" "$work/d/bob/capture.pcap" 2>>"$work/log"
expect "same file names: named after their folders" "$(tail -n +2 "$work/do/grades.csv" | cut -d, -f1,3 | tr '\n' ' ')" "alice,9 bob,0 "
mkdir -p "$work/e"
cp "$S/http-get.pcap" "$work/e/x.pcap"
cp "$S/refused.pcap" "$work/e/x.pcapng"
"$PROGRAM" grade -q --no-pdf -r classic-handshake -o "$work/eo" "$work/e" >/dev/null 2>"$work/e.err"
expect "two hand-ins, one student: a usage error" "$?" 2
contains "the error names both" "$(cat "$work/e.err")" "$work/e/x.pcap and $work/e/x.pcapng would both be the student 'x'"

# Under the sanitizers (make test-sanitize), any report fails the run.
if grep -l -e 'ERROR: LeakSanitizer' -e 'runtime error:' -e 'ERROR: AddressSanitizer' "$work/log" "$work/err" \
    "$work/e.err" >/dev/null 2>&1; then
    bad "sanitizer reports in the program's output"
else
    ok
fi

echo "grade-class: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
