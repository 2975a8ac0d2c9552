#!/bin/sh
# grade.sh — `pcap2report grade` from end to end: a folder of hand-ins built from samples/
# (with a byte-identical copy under another name, the same connection captured twice, an
# empty file, a text file, a capture without TCP, a damaged capture and a hand-made one with
# ISN 0), graded with the bundled rubrics and with a custom rubric from tests/fixtures/grade/.
# Checks every student's points, feedback and integrity flags, the exit status and usage
# errors. Usage: sh tests/grade.sh [PROGRAM]. The last line is `grade: N passed, M failed`.
set -u
PROGRAM=${1:-build/pcap2report}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SAMPLES=$ROOT/samples
FIXTURES=$ROOT/tests/fixtures/grade
# The bundled rubrics are found next to the program (../templates); this makes sure the
# checkout's are used whatever the build folder.
PCAP2REPORT_TEMPLATES=$ROOT/templates
export PCAP2REPORT_TEMPLATES

if [ ! -x "$PROGRAM" ]; then
    echo "FAIL: $PROGRAM is not built"
    echo "grade: 0 passed, 1 failed"
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# expect DESCRIPTION ACTUAL EXPECTED
expect() {
    if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', expected '$3'"; fi
}

# contains DESCRIPTION TEXT PART
contains() {
    case $2 in
    *"$3"*) ok ;;
    *) bad "$1: '$2' lacks '$3'" ;;
    esac
}

# jq-like access to a JSON file with a Python expression over `d`.
jget() {
    python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
v = eval(sys.argv[2])
print("null" if v is None else v)' "$1" "$2"
}

# The CSV row of a student, first cells only, without the id: "name,total,check...".
row() {
    python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
n = int(sys.argv[3])
for r in rows[1:]:
    if r[0] == sys.argv[2]:
        print(",".join((r[:1] + r[2:])[:n]))' "$1" "$2" "$3"
}

# The statuses of a student's checks, in rubric order: "pass,pass,fail,fail,n/a".
statuses() {
    jget "$1" "','.join(c['status'] for s in d['students'] if s['name'] == '$2' for c in s['checks'])"
}

# One field of one check of one student.
field() {
    jget "$1" "[c['$4'] for s in d['students'] if s['name'] == '$2' for c in s['checks'] if c['id'] == '$3'][0]"
}

student() {
    jget "$1" "[s['$3'] for s in d['students'] if s['name'] == '$2'][0]"
}

flags() {
    jget "$1" "' | '.join(f['kind'] + ':' + str(f['group'] or '-') + ':' + f['message'] for s in d['students'] if s['name'] == '$2' for f in s['integrity'])"
}

# ---- captures written here: no TCP at all, and a session no real stack sent -------------------
python3 - "$work" <<'EOF'
import struct, sys
out = sys.argv[1]

def pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for sec, usec, frame in frames:
            f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)) + frame)

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def ipv4(src, dst, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64, proto, 0,
                    bytes(src), bytes(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + h + payload

C, S = [10, 0, 0, 1], [10, 0, 0, 2]

# Three UDP datagrams (DNS-like): not one TCP segment.
udp = [(1700000000, i * 1000, ipv4(C, S, 17, struct.pack("!HHHH", 5353, 53, 12, 0) + b"dns?"))
       for i in range(3)]
pcap(out + "/udp.pcap", udp)

# A complete session with ISN 0 on both sides and the clock at 1970: a hand-made capture.
def tcp(src, dst, sp, dp, seq, ack, flags):
    t = struct.pack("!HHIIBBHHH", sp, dp, seq, ack, 5 << 4, flags, 65535, 0, 0)
    return ipv4(src, dst, 6, t)
SYN, ACK, FIN = 0x02, 0x10, 0x01
segs = [(C, S, 40000, 80, 0, 0, SYN), (S, C, 80, 40000, 0, 1, SYN | ACK), (C, S, 40000, 80, 1, 1, ACK),
        (C, S, 40000, 80, 1, 1, FIN | ACK), (S, C, 80, 40000, 1, 2, ACK), (S, C, 80, 40000, 1, 2, FIN | ACK),
        (C, S, 40000, 80, 2, 2, ACK)]
pcap(out + "/fake.pcap", [(0, i, tcp(*s)) for i, s in enumerate(segs)])
EOF

# ---- the hand-ins: one file per student ------------------------------------------------------
H=$work/hand-ins
mkdir -p "$H"
cp "$SAMPLES/http-get.pcap" "$H/alice.pcap"            # wget, merged-fin close: full marks
cp "$SAMPLES/four-way.pcap" "$H/bob.pcap"              # loopback, four-way close
cp "$SAMPLES/merged-fin.pcap" "$H/carol.pcap"
cp "$SAMPLES/http-get.pcap" "$H/dave.pcap"             # byte-identical to alice's
: >"$H/erin.pcap"                                      # empty
printf 'I could not get tcpdump to work, sorry.\n' >"$H/frank.txt"   # not a capture
cp "$work/udp.pcap" "$H/grace.pcap"                    # no TCP at all
cp "$SAMPLES/refused.pcap" "$H/heidi.pcap"             # refused: nothing for this rubric
cp "$SAMPLES/rst-client.pcap" "$H/ivan.pcap"           # opened, then reset
cp "$SAMPLES/mid-stream.pcap" "$H/judy.pcap"           # started after the handshake
head -c 1100 "$SAMPLES/http-get.pcap" >"$H/ken.pcap"   # alice's, cut inside packet 9: damaged, and
                                                       # the same connection as alice's
cp "$work/fake.pcap" "$H/mallory.pcap"                 # ISN 0, 1970
cp "$SAMPLES/no-final-ack.pcap" "$H/oscar.pcap"
cp "$SAMPLES/linux-cooked.pcap" "$H/peggy.pcap"        # the same connection as trent's,
cp "$SAMPLES/linux-cooked-sll2.pcap" "$H/trent.pcapng" # captured on the same host
touch "$H/.DS_Store"                                   # hidden: not a hand-in

OUT=$work/out
"$PROGRAM" grade --rubric classic-handshake -o "$OUT" "$H" >"$work/stdout" 2>"$work/stderr"
expect "exit status with unreadable hand-ins" "$?" 1
expect "nothing on standard output" "$(wc -c <"$work/stdout" | tr -d ' ')" 0
contains "stderr names the empty file" "$(cat "$work/stderr")" "erin.pcap (erin): not graded (empty)"
contains "stderr says how the folder was read" "$(cat "$work/stderr")" "each file is one student"
CSV=$OUT/grades.csv
JSON=$OUT/grades.json
expect "CSV header" "$(head -n 1 "$CSV")" "student,id,total,handshake,handshake-numbers,close,close-numbers,target,notes,integrity"
expect "one row per student, sorted" "$(cut -d, -f1 "$CSV" | tail -n +2 | tr '\n' ' ')" \
    "alice bob carol dave erin frank grace heidi ivan judy ken mallory oscar peggy trent "
expect "students in JSON" "$(jget "$JSON" "d['summary']['students']")" 15
expect "max points without a target" "$(jget "$JSON" "d['rubric']['max_points']")" 9

# Every student's points: name, total, handshake, handshake-numbers, close, close-numbers, target.
while read -r line; do
    name=${line%%,*}
    expect "points of $name" "$(row "$CSV" "$name" 7)" "$line"
done <<'EOF'
alice,9,3,2,2,2,n/a
bob,9,3,2,2,2,n/a
carol,9,3,2,2,2,n/a
dave,9,3,2,2,2,n/a
erin,0,0,0,0,0,n/a
frank,0,0,0,0,0,n/a
grace,0,0,0,0,0,n/a
heidi,0,0,0,0,0,n/a
ivan,5,3,2,0,0,n/a
judy,4,0,0,2,2,n/a
ken,5,3,2,0,0,n/a
mallory,9,3,2,2,2,n/a
oscar,0,0,0,0,0,n/a
peggy,9,3,2,2,2,n/a
trent,9,3,2,2,2,n/a
EOF

# Every student's feedback: the status of each check, and the sentence or reason that matters.
expect "alice statuses" "$(statuses "$JSON" alice)" "pass,pass,pass,pass,n/a"
expect "alice handshake feedback" "$(field "$JSON" alice handshake feedback)" \
    "Session 1 (192.0.2.1:53598 → 192.0.2.2:8080) opens with a complete three-way handshake: SYN, SYN/ACK and ACK in packets 1, 2, 3."
contains "alice handshake numbers" "$(field "$JSON" alice handshake-numbers reason)" \
    "the SYN (packet 1) has seq x = 3787346340; the SYN/ACK (packet 2) has seq y = 3819910440 and ack 3787346341 = x + 1; the ACK (packet 3) has seq 3787346341 = x + 1 and ack 3819910441 = y + 1"
expect "alice close feedback" "$(field "$JSON" alice close feedback)" \
    "Session 1 closes with FINs from both sides (a three-packet close), packets 10, 11, 12."
contains "alice close numbers" "$(field "$JSON" alice close-numbers reason)" \
    "the server's FIN (packet 10) is acknowledged with 3819910668 = the FIN's seq 3819910667 + 1 (packet 11)"
expect "alice target" "$(field "$JSON" alice target reason)" "This check does not apply: the rubric names no target host or port."

expect "bob statuses" "$(statuses "$JSON" bob)" "pass,pass,pass,pass,n/a"
contains "bob close" "$(field "$JSON" bob close reason)" \
    "a four-way close (the client's FIN in packet 8, the server's ACK in packet 9, the server's FIN in packet 10, the client's ACK in packet 11)"
expect "carol statuses" "$(statuses "$JSON" carol)" "pass,pass,pass,pass,n/a"
contains "carol close" "$(field "$JSON" carol close reason)" "a three-packet close (the client's FIN in packet 8, the server's FIN+ACK in packet 9, the client's ACK in packet 10)"
expect "dave statuses" "$(statuses "$JSON" dave)" "pass,pass,pass,pass,n/a"

expect "erin statuses" "$(statuses "$JSON" erin)" "fail,fail,fail,fail,n/a"
EMPTY_ADVICE="erin.pcap is empty. Stop tcpdump with Ctrl-C only after the connection has ended, and hand in the file it wrote."
expect "erin error" "$(student "$JSON" erin error)" "$EMPTY_ADVICE"
expect "erin reason: points to the one sentence" "$(field "$JSON" erin handshake reason)" \
    "Nothing could be graded: why is said once, at the top of this page."
expect "erin feedback: no advice on capturing" "$(field "$JSON" erin handshake feedback)" ""
expect "erin notes in the CSV" "$(grep '^erin,' "$CSV")" "erin,,0,0,0,0,0,n/a,\"$EMPTY_ADVICE\","

expect "frank statuses" "$(statuses "$JSON" frank)" "fail,fail,fail,fail,n/a"
expect "frank error" "$(student "$JSON" frank error)" \
    "frank.txt is a text file, not a capture. Hand in the capture file that tcpdump -w or Wireshark's File > Save As writes."

expect "grace statuses" "$(statuses "$JSON" grace)" "fail,fail,fail,fail,n/a"
expect "grace error" "$(student "$JSON" grace error)" \
    "The capture has no TCP at all: 3 packets, none of them a TCP segment (capture while the TCP connection is made, e.g. with wget)."

expect "heidi statuses" "$(statuses "$JSON" heidi)" "fail,fail,fail,fail,n/a"
expect "heidi handshake" "$(field "$JSON" heidi handshake reason)" \
    "Session 1 (127.0.0.1:51940 → 127.0.0.1:9007): it opens with a refused connection (the SYN in packet 1 was answered by a RST in packet 2), but the check asks for a complete three-way handshake (normal)."
contains "heidi close" "$(field "$JSON" heidi close reason)" "it ends with no close (the connection never opened)"

expect "ivan statuses" "$(statuses "$JSON" ivan)" "pass,pass,fail,fail,n/a"
contains "ivan close" "$(field "$JSON" ivan close reason)" "it ends with a reset (the client sent a RST in packet 8 instead of closing with FIN)"
expect "ivan close feedback" "$(field "$JSON" ivan close feedback)" \
    "No connection in your capture closes with a FIN from each side and the last ACK. Let the client finish and keep capturing for a second after it ends."

expect "judy statuses" "$(statuses "$JSON" judy)" "fail,fail,pass,pass,n/a"
contains "judy handshake" "$(field "$JSON" judy handshake reason)" "it opens with no handshake (the capture began after the connection was opened, at packet 1)"

expect "ken statuses" "$(statuses "$JSON" ken)" "pass,pass,fail,fail,n/a"
contains "ken close" "$(field "$JSON" ken close reason)" "neither side sent a FIN or a RST before the capture ended"
contains "ken note" "$(grep '^ken,' "$CSV")" "ken.pcap is damaged after its first 8 packets; those were graded."
contains "ken's damage for the teacher in JSON" "$(jget "$JSON" "[s['captures'][0]['detail'] for s in d['students'] if s['name'] == 'ken'][0]")" \
    "the file ends inside a packet record"

expect "mallory statuses" "$(statuses "$JSON" mallory)" "pass,pass,pass,pass,n/a"
expect "oscar statuses" "$(statuses "$JSON" oscar)" "fail,fail,fail,fail,n/a"
contains "oscar numbers" "$(field "$JSON" oscar handshake-numbers reason)" "the client never acknowledged the SYN/ACK (packet 2), so the third segment is missing"
expect "peggy statuses" "$(statuses "$JSON" peggy)" "pass,pass,pass,pass,n/a"
expect "trent statuses" "$(statuses "$JSON" trent)" "pass,pass,pass,pass,n/a"

# Integrity: copy groups, one line each with every member; each member's flag names the group.
expect "alice's flags" "$(flags "$JSON" alice)" \
    "identical-file:1:alice.pcap is byte-identical to the hand-in of 1 other student (copy group 1: dave) | same-connection:2:alice.pcap session 1 is the same connection as in the captures of 2 other students (copy group 2: dave, ken)"
expect "ken's flags: a trimmed copy is the same connection" "$(flags "$JSON" ken)" \
    "same-connection:2:ken.pcap session 1 is the same connection as in the captures of 2 other students (copy group 2: alice, dave)"
expect "peggy's flag" "$(flags "$JSON" peggy)" \
    "same-connection:3:peggy.pcap session 1 is the same connection as in the captures of 1 other student (copy group 3: trent)"
contains "trent's CSV cell" "$(grep '^trent,' "$CSV")" "same-connection: trent.pcapng session 1 is the same connection as in the captures of 1 other student (copy group 3: peggy)"
contains "mallory's ISN flag" "$(flags "$JSON" mallory)" "isn-zero:-:mallory.pcap session 1: the ISN is 0 on both sides; a real TCP stack picks a random ISN"
contains "mallory's timing flag" "$(flags "$JSON" mallory)" \
    "impossible-timing:-:mallory.pcap: the capture's clock says 1970-01-01 00:00:00 UTC, before 1990: written by hand or edited"
for s in bob carol erin frank grace heidi ivan judy oscar; do
    expect "$s is not flagged" "$(flags "$JSON" "$s")" ""
done
expect "the sheet's copy groups (empty files are not identical to each other)" \
    "$(jget "$JSON" "'; '.join(g['kind'] + ' ' + ' '.join(m['student'] for m in g['members']) for g in d['copy_groups'])")" \
    "identical-file alice dave; same-connection alice dave ken; same-connection peggy trent"
expect "a group's line names every member with the evidence" "$(jget "$JSON" "d['copy_groups'][2]['message']")" \
    "Copy group 3: 2 students captured the same connection (ports 37176 → 9015, ISNs 1417554233 and 1654305604; first packets 0.000010 s apart): peggy (peggy.pcap session 1), trent (trent.pcapng session 1)."
expect "students flagged" "$(jget "$JSON" "d['summary']['students_flagged']")" 6

# One feedback PDF per student.
expect "feedback PDFs" "$(ls "$OUT/feedback" | tr '\n' ' ')" \
    "alice.pdf bob.pdf carol.pdf dave.pdf erin.pdf frank.pdf grace.pdf heidi.pdf ivan.pdf judy.pdf ken.pdf mallory.pdf oscar.pdf peggy.pdf trent.pdf "
expect "the PDF in grades.json" "$(student "$JSON" ivan feedback_pdf)" "feedback/ivan.pdf"
if command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1; then
    text=$(pdftotext "$OUT/feedback/ivan.pdf" - 2>>"$work/log" | tr '\n' ' ')
    contains "ivan's PDF: name" "$text" "Feedback for ivan"
    contains "ivan's PDF: total" "$text" "Total: 5 of 9 points"
    contains "ivan's PDF: the rubric's sentence" "$text" "No connection in your capture closes with a FIN from each side"
    contains "ivan's PDF: the reason for the lost points" "$text" "Why the points were lost: Session 1"
    contains "ivan's PDF: the reset in plain words" "$text" "the client sent a RST in packet 8 instead of closing with FIN"
    contains "ivan's PDF: the session's diagram" "$text" "Session 1"
    expect "ivan's PDF: feedback page and diagram page" "$(pdfinfo "$OUT/feedback/ivan.pdf" | awk '/^Pages:/ {print $2}')" 2
    text=$(pdftotext "$OUT/feedback/erin.pdf" - 2>>"$work/log" | tr '\n' ' ')
    contains "erin's PDF: what the file is and what to do, once" "$text" "$EMPTY_ADVICE"
    contains "erin's PDF: why nothing was given" "$text" "No points could be given: none of the files above is a capture."
    case $text in *"Start tcpdump before"*) bad "erin's PDF gives capture advice for an empty file" ;; *) ok ;; esac
    expect "erin's PDF: no diagram" "$(pdfinfo "$OUT/feedback/erin.pdf" | awk '/^Pages:/ {print $2}')" 1
    text=$(pdftotext "$OUT/feedback/ken.pdf" - 2>>"$work/log" | tr '\n' ' ')
    contains "ken's PDF: the damage" "$text" "ken.pcap is damaged after its first 8 packets"
    text=$(pdftotext "$OUT/feedback/alice.pdf" - 2>>"$work/log" | tr '\n' ' ')
    contains "alice's PDF: the handshake numbers" "$text" "ack 3787346341 = x + 1"
    case $text in *dave*) bad "alice's PDF names dave: integrity flags are for the teacher" ;; *) ok ;; esac
else
    echo "grade: pdftotext/pdfinfo (poppler-utils) missing: PDF contents not checked"
fi

# The reasons as data: a code and its values, the same in every language.
code_of() { jget "$1" "[c for s in d['students'] if s['name'] == '$2' for c in s['checks'] if c['id'] == '$3'][0]$4"; }
expect "ivan's close: reason code" "$(code_of "$JSON" ivan close "['reason_code']")" "ends.rst"
expect "ivan's close: the RST's packet" "$(code_of "$JSON" ivan close "['reason_params']['rst']")" 8
expect "ivan's close: the sender" "$(code_of "$JSON" ivan close "['reason_params']['sender']")" "client"
expect "ivan's close: the parts" "$(jget "$JSON" "' '.join(p['code'] + '/' + p['joins'] for p in [c for s in d['students'] if s['name'] == 'ivan' for c in s['checks'] if c['id'] == 'close'][0]['reason_parts'])")" \
    "lead.session/lead ends.rst/part asks/more"
expect "erin's error code" "$(jget "$JSON" "[s for s in d['students'] if s['name'] == 'erin'][0]['error_code']")" "error.empty"
expect "erin's checks point to the error" "$(code_of "$JSON" erin handshake "['reason_code']")" "student-error"

# --lang zh: the same grades, the reasons and the feedback PDF in Chinese.
ZH=$work/zh
"$PROGRAM" grade -q --lang zh --rubric classic-handshake -o "$ZH" "$H/ivan.pcap" "$H/erin.pcap" 2>>"$work/log"
expect "zh: the same points" "$(cut -d, -f1-7 "$ZH/grades.csv" | tail -n +2 | tr '\n' ' ')" \
    "$(grep -e '^erin,' -e '^ivan,' "$CSV" | cut -d, -f1-7 | tr '\n' ' ')"
expect "zh: the same reason code" "$(code_of "$ZH/grades.json" ivan close "['reason_code']")" "ends.rst"
contains "zh: the reason in Chinese in grades.json" "$(code_of "$ZH/grades.json" ivan close "['reason']")" \
    "连接以复位结束（客户端在数据包 8 中发送了 RST，而不是用 FIN 关闭）"
if command -v pdftotext >/dev/null 2>&1; then
    text=$(pdftotext "$ZH/feedback/ivan.pdf" - 2>>"$work/log" | tr -d '\n ')
    contains "zh PDF: the title" "$text" "ivan的评分反馈"
    contains "zh PDF: why the points were lost" "$text" "扣分原因：会话1"
    contains "zh PDF: the handshake in Chinese" "$text" "连接以完整的三次握手建立"
    contains "zh PDF: the reset in Chinese" "$text" "客户端在数据包8中发送了RST"
    text=$(pdftotext "$ZH/feedback/erin.pdf" - 2>>"$work/log" | tr -d '\n ')
    contains "zh PDF: what the file is, in Chinese" "$text" "erin.pcap是空文件。"
    contains "zh PDF: why nothing was given" "$text" "无法给分：上面列出的文件都不是抓包文件。"
fi

# The same hand-ins give the same bytes, PDFs included.
"$PROGRAM" grade -q --rubric classic-handshake -o "$work/again" "$H" 2>>"$work/log"
if diff -r "$OUT" "$work/again" >/dev/null; then ok; else bad "a second run differs"; fi
"$PROGRAM" grade -q --no-pdf --rubric classic-handshake -o "$work/nopdf" "$H/alice.pcap" 2>>"$work/log"
expect "--no-pdf writes only the sheet" "$(ls "$work/nopdf" | tr '\n' ' ')" "grades.csv grades.json "
expect "--no-pdf: no PDF in grades.json" "$(student "$work/nopdf/grades.json" alice feedback_pdf)" "null"

# ---- grade --format html: feedback to paste into a platform's comment field ----------------------
"$PROGRAM" grade -q --format html --rubric classic-handshake -o "$work/html" "$H/ivan.pcap" "$H/frank.txt" \
    2>>"$work/log"
expect "--format html writes HTML feedback, no PDF" "$(ls "$work/html/feedback" | tr '\n' ' ')" "frank.html ivan.html "
expect "--format html: grades.json names it" "$(student "$work/html/grades.json" ivan feedback_html)" "feedback/ivan.html"
expect "--format html: and no PDF" "$(student "$work/html/grades.json" ivan feedback_pdf)" "null"
expect "without --format html no feedback_html key" \
    "$(jget "$JSON" "'feedback_html' in [s for s in d['students'] if s['name'] == 'ivan'][0]")" "False"
# Pasted, only the body counts: inline styles, no script, style sheet or class; the diagram is
# an image whose SVG is valid XML; the words and the checks are those of the PDF.
if python3 - "$work/html/feedback/ivan.html" "$work/html/feedback/frank.html" <<'PY' >>"$work/log" 2>&1
import base64, html.parser, re, sys, xml.dom.minidom
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.tags = []; self.attrs = []; self.text = []
    def handle_starttag(self, t, a):
        self.tags.append(t); self.attrs += a
    def handle_data(self, d):
        self.text.append(d)
bad = []
for path in sys.argv[1:]:
    src = open(path, encoding="utf-8").read()
    p = P(); p.feed(src)
    body = src[src.index("<body>"):]
    for t in ("script", "style", "svg", "link", "iframe"):
        if "<" + t in body: bad.append((path, "has <%s>" % t))
    if any(k in ("class", "onclick", "onload") for k, v in p.attrs): bad.append((path, "class or handler"))
    text = " ".join(p.text)
    if "ivan" in path:
        imgs = [v for k, v in p.attrs if k == "src"]
        if len(imgs) != 1 or not imgs[0].startswith("data:image/svg+xml;base64,"): bad.append(("image", imgs[:1]))
        else:
            svg = base64.b64decode(imgs[0].split(",", 1)[1]).decode("utf-8")
            xml.dom.minidom.parseString(svg)
            if ">Session 1</text>" not in svg: bad.append("the image is not session 1's diagram")
        for want in ("Feedback for ivan", "Total: 5 of 9 points", "Why the points were lost: Session 1",
                     "Handshake: normal", "SYN/ACK ack = 1824111690 = client ISN + 1", "Close: rst"):
            if want not in text: bad.append(("lacks", want))
        if len(re.findall("\u2714", text)) != 2: bad.append("two passed checks beside the diagram")
    else:
        if "data:image" in src: bad.append("frank has no diagram")
        if "frank.txt is a text file, not a capture" not in text: bad.append("frank: what the file is")
print(*bad, sep="\n")
sys.exit(1 if bad else 0)
PY
then ok; else bad "the HTML feedback (see $work/log)"; fi
"$PROGRAM" grade -q --lang zh --format pdf,html --rubric classic-handshake -o "$work/htmlzh" "$H/ivan.pcap" \
    2>>"$work/log"
expect "--format pdf,html writes both" "$(ls "$work/htmlzh/feedback" | tr '\n' ' ')" "ivan.html ivan.pdf "
contains "zh HTML: the title" "$(cat "$work/htmlzh/feedback/ivan.html")" "<title>ivan 的评分反馈</title>"
contains "zh HTML: the reset in Chinese" "$(cat "$work/htmlzh/feedback/ivan.html")" "客户端在数据包 8 中发送了 RST"
"$PROGRAM" grade -q --format docx --rubric classic-handshake -o "$work/x" "$H/ivan.pcap" 2>"$work/err"
expect "--format docx is a usage error" "$?" 2
contains "--format docx: what it takes" "$(cat "$work/err")" "pdf, html"

# ---- a target on the command line -------------------------------------------------------------
"$PROGRAM" grade -q -r classic-handshake --target-host 192.0.2.0/24 --target-port 8080 -o "$work/t" \
    "$H/alice.pcap" "$H/bob.pcap" "$H/ivan.pcap" 2>>"$work/log"
expect "exit status when every capture was read" "$?" 0
expect "alice with a target" "$(row "$work/t/grades.csv" alice 7)" "alice,10,3,2,2,2,1"
# A capture of the wrong server earns nothing: every check is held to the target.
expect "bob with a target" "$(row "$work/t/grades.csv" bob 7)" "bob,0,0,0,0,0,0"
contains "bob's handshake reason" "$(field "$work/t/grades.json" bob handshake reason)" \
    "it goes to 127.0.0.1:9001, not to the expected server (host 192.0.2.0/24, port 8080)"
expect "bob's target feedback" "$(field "$work/t/grades.json" bob target feedback)" \
    "Your capture shows no connection to the server of the exercise (host 192.0.2.0/24, port 8080)."
contains "bob's target reason" "$(field "$work/t/grades.json" bob target reason)" \
    "it goes to 127.0.0.1:9001, not to the expected server (host 192.0.2.0/24, port 8080)"
expect "ivan with a target" "$(row "$work/t/grades.csv" ivan 7)" "ivan,0,0,0,0,0,0"
expect "the target in grades.json" "$(jget "$work/t/grades.json" "d['rubric']['target']['hosts'][0]['addresses'][0] + ' ' + str(d['rubric']['target']['ports'])")" \
    "192.0.2.0/24 [8080]"
# A name, resolved once (localhost is in /etc/hosts).
"$PROGRAM" grade -q -r classic-handshake --target-host localhost -o "$work/n" "$H/bob.pcap" 2>>"$work/log"
expect "a host name as target" "$(row "$work/n/grades.csv" bob 7)" "bob,10,3,2,2,2,1"

# ---- a custom rubric ------------------------------------------------------------------------
"$PROGRAM" grade -q --rubric "$FIXTURES/http-fetch.rubric" -o "$work/c" "$H/alice.pcap" "$H/bob.pcap" \
    "$H/heidi.pcap" "$H/grace.pcap" 2>>"$work/log"
expect "custom rubric exit status" "$?" 0
expect "custom header" "$(head -n 1 "$work/c/grades.csv")" "student,id,total,fetch,web-port,server-closes,clean,notes,integrity"
expect "custom alice" "$(row "$work/c/grades.csv" alice 6)" "alice,5,2,1,1.5,0.5"
expect "custom bob" "$(row "$work/c/grades.csv" bob 6)" "bob,0.5,0,0,0,0.5"
expect "custom heidi" "$(row "$work/c/grades.csv" heidi 6)" "heidi,0,0,0,0,0"
expect "custom grace" "$(row "$work/c/grades.csv" grace 6)" "grace,0,0,0,0,0"
expect "custom alice fetch (UTF-8)" "$(field "$work/c/grades.json" alice fetch feedback)" \
    "会话 1（192.0.2.1:53598 → 192.0.2.2:8080）中双方都发送了数据。"
expect "custom alice server-closes: {teardown} in words" "$(field "$work/c/grades.json" alice server-closes feedback)" \
    "会话 1：服务器先关闭（a three-packet close，数据包 10, 11, 12）。"
contains "custom bob fetch" "$(field "$work/c/grades.json" bob fetch feedback)" \
    "没有找到双方都发送了数据的完整连接。 Session 1 (127.0.0.1:60912 → 127.0.0.1:9001): the client sent 6 bytes of data and the server 6, but the check asks for at least 100 bytes from each side; it goes to 127.0.0.1:9001, not to the expected server (port 8080)."
expect "custom bob clean" "$(field "$work/c/grades.json" bob clean feedback)" "Clean: 0.5 of 0.5."
expect "custom max points" "$(jget "$work/c/grades.json" "d['rubric']['max_points']")" 5
expect "custom title" "$(jget "$work/c/grades.json" "d['rubric']['title']")" "HTTP 抓包作业：wget 下载网页"

# ---- students named by folder, several captures each -----------------------------------------
F=$work/by-folder
mkdir -p "$F/alice/week3" "$F/bob" "$F/carol"
cp "$SAMPLES/refused.pcap" "$F/alice/refused.pcap"
cp "$SAMPLES/http-get.pcap" "$F/alice/week3/accepted.pcap"
cp "$SAMPLES/refused.pcap" "$F/bob/capture.pcap"
cp "$SAMPLES/syn-only.pcap" "$F/carol/capture.pcap"
"$PROGRAM" grade -q --rubric find-refused --student-name folder -o "$F/grades" "$F" 2>>"$work/log"
expect "folder mode exit status" "$?" 0
expect "folder mode rows" "$(tail -n +2 "$F/grades/grades.csv" | cut -d, -f1,3-7 | tr '\n' ' ')" \
    "alice,5,3,1,1,n/a bob,4,3,1,0,n/a carol,0,0,0,0,n/a "
expect "alice's accepted session is in her second capture" "$(field "$F/grades/grades.json" alice accepted capture)" \
    "week3/accepted.pcap"
contains "alice's reason names the capture" "$(field "$F/grades/grades.json" alice accepted reason)" "Session 1 (192.0.2.1:53598 → 192.0.2.2:8080 in week3/accepted.pcap)"
contains "bob and alice handed in the same refused capture" "$(flags "$F/grades/grades.json" bob)" \
    "identical-file:1:capture.pcap is byte-identical to the hand-in of 1 other student (copy group 1: alice)"
contains "carol's reason" "$(field "$F/grades/grades.json" carol refused reason)" "4 SYNs, the first in packet 1, and no answer from the server"
# The output folder inside the hand-ins is not graded on a second run, and one student's
# folder can be given directly.
"$PROGRAM" grade -q --rubric find-refused --student-name folder -o "$F/grades" "$F" 2>>"$work/log"
expect "the output folder is skipped" "$(tail -n +2 "$F/grades/grades.csv" | cut -d, -f1 | tr '\n' ' ')" "alice bob carol "
"$PROGRAM" grade -q --rubric find-refused --student-name folder -o "$work/one" "$F/alice" 2>>"$work/log"
expect "one student's folder" "$(row "$work/one/grades.csv" alice 2)" "alice,5"

# ---- usage ----------------------------------------------------------------------------------
"$PROGRAM" grade --help >"$work/help" 2>&1
expect "--help exit status" "$?" 0
contains "--help text" "$(cat "$work/help")" "Usage: pcap2report grade --rubric RUBRIC"
"$PROGRAM" grade --list-rubrics >"$work/list" 2>&1
expect "--list-rubrics exit status" "$?" 0
contains "--list-rubrics" "$(cat "$work/list")" "find-refused"
"$PROGRAM" grade "$H" >/dev/null 2>"$work/e1"
expect "no rubric: usage error" "$?" 2
"$PROGRAM" grade --rubric no-such-rubric "$H" >/dev/null 2>"$work/e2"
expect "unknown rubric: usage error" "$?" 2
contains "unknown rubric message" "$(cat "$work/e2")" "no rubric file 'no-such-rubric' and no bundled rubric of that name"
printf 'check a\nlooks-for x\npoints lots\n' >"$work/broken.rubric"
"$PROGRAM" grade --rubric "$work/broken.rubric" "$H" >/dev/null 2>"$work/e3"
expect "broken rubric: usage error" "$?" 2
contains "broken rubric message names the line" "$(cat "$work/e3")" "broken.rubric, line 3: points are a number"
"$PROGRAM" grade --rubric classic-handshake "$work/no-such-folder" >/dev/null 2>"$work/e4"
expect "missing hand-in folder: usage error" "$?" 2
"$PROGRAM" grade --rubric classic-handshake --student-name street "$H" >/dev/null 2>&1
expect "bad --student-name: usage error" "$?" 2
"$PROGRAM" grade --rubric classic-handshake >/dev/null 2>&1
expect "no hand-ins: usage error" "$?" 2
"$PROGRAM" grade --rubric classic-handshake --target-port 0 "$H" >/dev/null 2>&1
expect "bad --target-port: usage error" "$?" 2

# Under the sanitizers (make test-sanitize), any report fails the run even when the exit
# status was the expected one.
if grep -l -e 'ERROR: LeakSanitizer' -e 'runtime error:' -e 'ERROR: AddressSanitizer' "$work"/log "$work"/e[0-9] \
    "$work"/stderr "$work"/help "$work"/list >/dev/null 2>&1; then
    bad "sanitizer reports in the program's output"
else
    ok
fi

# Every grade sheet this suite wrote (bundled and custom rubrics, a target, copy groups,
# unreadable hand-ins) matches docs/schema/grades.schema.json.
find "$work" -name grades.json > "$work/sheets"
if [ "$(wc -l < "$work/sheets")" -ge 3 ] &&
    xargs python3 "$ROOT/tests/check_schema.py" "$ROOT/docs/schema/grades.schema.json" < "$work/sheets" > "$work/schema.out"; then
    ok
else
    cat "$work/schema.out"
    bad "every grades.json validates against docs/schema/grades.schema.json"
fi

echo "grade: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
