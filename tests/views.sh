#!/bin/sh
# The diagrams where people use them, through the program: SVG against the PDF it was drawn
# beside (tests/views/svg_check.py), validated as XML (xmllint) and rendered (rsvg-convert) to a
# PNG of its stated size, in English and Chinese; CSV rows against the JSON (RFC 4180, read by
# Python's csv module); Wireshark's tcp.stream against tshark's on crafted cases, the samples
# and a 2,000-session capture, and --tcp-stream choosing by it; -o - with one output; the HTML
# report in headless Chromium with the network off (tests/views/html_check.py: DOM, filters,
# sorting, every diagram, screenshots at phone and desktop widths against references); the
# batch's index.html.
# Usage: PROGRAM=build/pcap2report MKSAMPLE=build/mksample sh tests/views.sh
set -u
program=${PROGRAM:-build/pcap2report}
mksample=${MKSAMPLE:-build/mksample}
top=$(cd "$(dirname "$0")/.." && pwd)
case $program in /*) ;; *) program=$top/$program ;; esac
case $mksample in /*) ;; *) mksample=$top/$mksample ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1"; fi; }
S=$top/samples
V=$top/tests/views
py=/usr/bin/python3
chromium=/usr/lib/chromium/chromium

# The tools (scripts/install-deps.sh installs them).
for t in xmllint rsvg-convert tshark pdftotext "$chromium"; do
    check "$t is installed (scripts/install-deps.sh)" 'command -v $t >/dev/null'
done
check "python3-pikepdf is installed (scripts/install-deps.sh)" '"$py" -c "import pikepdf" 2>/dev/null'

# PNG width and height.
png_size() { "$py" -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]))' "$1"; }
svg_size() { sed -n 's/.*<svg [^>]* width="\([0-9]*\)" height="\([0-9]*\)".*/\1x\2/p' "$1" | head -1; }

# ---- SVG: against the PDF, as XML, rendered --------------------------------------------------
"$program" -q --format json,pdf,svg,csv,html --max-diagrams 1000 -o "$tmp/en" "$S"/*.pcap "$S"/*.pcapng
"$mksample" big "$tmp/big.pcap"
"$program" -q --format json,pdf,svg,csv,html -o "$tmp/big" "$tmp/big.pcap"
svgs=0
for j in "$tmp"/en/*.json "$tmp/big/big.json"; do
    b=${j%.json}
    [ "$(basename "$b")" = index ] && continue
    list=$(ls "$b"/session-*.svg)
    svgs=$((svgs + $(echo "$list" | wc -l)))
    check "$(basename "$b"): SVG drawn as the PDF" '"$py" "$V/svg_check.py" "$b.pdf" "$j" $list >"$tmp/svgcheck.out" 2>&1 || { grep -v OK "$tmp/svgcheck.out"; false; }'
done
check "an SVG for every diagram (at least 70)" '[ $svgs -ge 70 ]'
for f in "$tmp"/en/*/session-*.svg "$tmp"/big/big/session-*.svg; do
    check "$f is well-formed XML" 'xmllint --noout "$f"'
    rsvg-convert -o "$tmp/r.png" "$f" 2>"$tmp/rsvg.err"
    check "$f renders to a PNG of its size" '[ -s "$tmp/r.png" ] && [ "$(png_size "$tmp/r.png")" = "$(svg_size "$f")" ] && [ ! -s "$tmp/rsvg.err" ]'
done
f=$tmp/en/merged-fin/session-1.svg
check "SVG: text is text (a label, a state)" 'grep -q ">\[S\.\] </text>" "$f" && grep -q ">ESTABLISHED</text>" "$f"'
check "SVG: sized to its content, 504 px wide" '[ "$(svg_size "$f")" = 504x508 ]'
# In Chinese: the wording in CJK fonts first, every character renders.
"$program" -q --lang zh --format svg,html -o "$tmp/zh" "$S/merged-fin.pcap" "$S/transfer-1mb.pcap"
f=$tmp/zh/merged-fin/session-1.svg
check "zh SVG: well-formed, Chinese text" 'xmllint --noout "$f" && grep -q "握手" "$f"'
check "zh SVG: CJK fonts first for the wording" 'grep -q "^\.t{font-family:.WenQuanYi Zen Hei" "$f"'
rsvg-convert -o "$tmp/zh.png" "$f"
check "zh SVG renders at its size" '[ "$(png_size "$tmp/zh.png")" = "$(svg_size "$f")" ]'

# ---- CSV -------------------------------------------------------------------------------------
check "CSV: rows and columns match the JSON (RFC 4180)" '"$py" - "$tmp/en" <<"PY"
import csv, glob, json, os, sys
bad = 0
for j in glob.glob(os.path.join(sys.argv[1], "*.json")):
    if j.endswith("index.json"):
        continue
    raw = open(j[:-5] + ".csv", "rb").read()
    assert raw.count(b"\r\n") == raw.count(b"\n"), "lines end in CRLF"
    rows = list(csv.DictReader(open(j[:-5] + ".csv", newline="")))
    d = json.load(open(j))
    assert len(rows) == len(d["sessions"]), j
    for r, s in zip(rows, d["sessions"]):
        want = {"session": str(s["id"]), "id.orig_h": s["client"]["ip"], "id.orig_p": str(s["client"]["port"]),
                "id.resp_h": s["server"]["ip"], "id.resp_p": str(s["server"]["port"]), "proto": "tcp",
                "conn_state": s["zeek"]["conn_state"], "history": s["zeek"]["history"],
                "orig_pkts": str(s["client"]["packets"]), "resp_pkts": str(s["server"]["packets"]),
                "orig_bytes": str(s["client"]["payload_bytes"]), "handshake": s["handshake"]["class"],
                "teardown": s["teardown"]["class"], "active_closer": s["teardown"]["active_closer"] or "",
                "rst_sender": s["teardown"]["rst_sender"] or "", "anomalies": ";".join(s["anomalies"]),
                "completeness": str(s["wireshark"]["completeness"]), "first_packet": str(s["first_packet"]),
                "ts": s["start"], "duration": s["duration"]}
        for k, v in want.items():
            if (r[k] != v) if not isinstance(v, float) else abs(float(r[k]) - v) > 1e-6:
                print("csv:", j, s["id"], k, r[k], "!=", v); bad += 1
sys.exit(1 if bad else 0)
PY'

# ---- tcp.stream against tshark ---------------------------------------------------------------
"$py" "$V/mkstreams.py" "$tmp/streams.pcap"
for cap in "$tmp/streams.pcap" "$S/reuse.pcap" "$S/four-way.pcap" "$tmp/big.pcap"; do
    name=$(basename "$cap" .pcap)
    "$program" -q --format csv -o - "$cap" >"$tmp/$name.csv"
    tshark -r "$cap" -T fields -e frame.number -e tcp.stream >"$tmp/$name.ws" 2>/dev/null
    check "$name: every session is one of tshark's tcp.streams, numbered as tshark does" '"$py" - "$tmp/$name.csv" "$tmp/$name.ws" <<"PY"
import csv, sys
ws = dict(l.rstrip("\n").split("\t")[:2] for l in open(sys.argv[2]) if "\t" in l)
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
bad = [(r["session"], r["tcp_stream"], ws.get(r["first_packet"])) for r in rows if ws.get(r["first_packet"]) != r["tcp_stream"]]
bad += [("last", r["session"], r["tcp_stream"], ws.get(r["last_packet"])) for r in rows
        if ws.get(r["last_packet"]) != r["tcp_stream"]]
streams = set(ws.values()) - {""}
if len(streams) != len(rows):
    bad.append(("streams", len(streams), "sessions", len(rows)))
print(*bad[:5]) if bad else None
sys.exit(1 if bad or not rows else 0)
PY'
done
# --tcp-stream N draws the session whose packets tshark puts in stream N: in streams.pcap,
# stream 1 is data first, then a SYN whose sequence number is the data's (port 1001's second
# conversation), and stream 20 is the 21st conversation tshark starts.
for n in 1 20; do
    "$program" -q --format svg --tcp-stream $n -o - "$tmp/streams.pcap" >"$tmp/s$n.svg"
    # the session whose first packet tshark puts in stream n
    first=$(awk -F'\t' -v n=$n '$2 == n { print $1; exit }' "$tmp/streams.ws")
    id=$("$py" -c 'import csv, sys
print(*[r["session"] for r in csv.DictReader(open(sys.argv[1])) if r["first_packet"] == sys.argv[2]])' \
        "$tmp/streams.csv" "$first")
    check "--tcp-stream $n -o - writes the SVG of the session tshark calls stream $n" \
        'xmllint --noout "$tmp/s$n.svg" && [ -n "$id" ] && grep -q ">Session $id[,<]" "$tmp/s$n.svg"'
done
"$program" -q --format svg -o - "$tmp/streams.pcap" >/dev/null 2>"$tmp/err"; rc=$?
check "-o - svg with many sessions and no choice fails, saying why" '[ $rc -eq 1 ] && grep -q "tcp-stream" "$tmp/err"'
"$program" -q --format svg --sessions 3 --tcp-stream 3 -o - "$tmp/streams.pcap" >/dev/null 2>&1; rc=$?
check "--sessions with --tcp-stream is a usage error" '[ $rc -eq 2 ]'
"$program" -q --format svg --tcp-stream x -o - "$tmp/streams.pcap" >/dev/null 2>"$tmp/err"; rc=$?
check "a bad --tcp-stream list is a usage error, before any capture is read" \
    '[ $rc -eq 2 ] && grep -q "tcp.stream numbers" "$tmp/err"'
"$program" -q --format pdf --max-diagrams 1000 -o - "$S/four-way.pcap" >"$tmp/one.pdf"; rc=$?
check "-o - --format pdf writes the PDF (issue 18), the same bytes as the file" \
    '[ $rc -eq 0 ] && cmp -s "$tmp/one.pdf" "$tmp/en/four-way.pdf"'
"$program" -q --format json,csv -o - "$S/four-way.pcap" >/dev/null 2>&1; rc=$?
check "-o - with two formats is a usage error" '[ $rc -eq 2 ]'
"$program" -q --format svg -o - "$S/four-way.pcap" >"$tmp/one.svg"; rc=$?
check "-o - svg of a one-session capture needs no choice" '[ $rc -eq 0 ] && cmp -s "$tmp/one.svg" "$tmp/en/four-way/session-1.svg"'
"$program" -q --format csv --max-diagrams 1000 -o - "$S/four-way.pcap" >"$tmp/one.csv"
check "-o - csv is the CSV file" 'cmp -s "$tmp/one.csv" "$tmp/en/four-way.csv"'
"$program" -q --format html --max-diagrams 1000 -o - "$S/four-way.pcap" >"$tmp/one.html"
check "-o - html is the HTML file" 'cmp -s "$tmp/one.html" "$tmp/en/four-way.html"'

# ---- batch: index.html -----------------------------------------------------------------------
check "index.html beside index.json when HTML is asked for" '[ -s "$tmp/en/index.html" ] && grep -q "four-way.html" "$tmp/en/index.html"'
check "index.json records the HTML, CSV and SVG outputs" 'grep -q "\"html\":\"four-way.html\",\"csv\":\"four-way.csv\",\"svg\":\"four-way/\"" "$tmp/en/index.json"'
"$program" -q --format json -o "$tmp/j" "$S/four-way.pcap"
check "no index.html without HTML" '[ ! -e "$tmp/j/index.html" ]'
"$program" -q --format html --max-diagrams 1000 -o "$tmp/en" "$S/four-way.pcap"; rc=$?
check "HTML is up to date on a second run" '[ $rc -eq 0 ]'

# Shards with HTML reports: `pcap2report index` writes index.html beside the merged index.json,
# with the same rows as one machine's batch.
for k in 1 2; do
    "$program" -q --format json,html --shard $k/2 -o "$tmp/shards" "$S/four-way.pcap" "$S/merged-fin.pcap" "$S/reuse.pcap"
done
"$program" index "$tmp/shards" 2>/dev/null
"$program" -q --format json,html -o "$tmp/oneshot" "$S/four-way.pcap" "$S/merged-fin.pcap" "$S/reuse.pcap"
check "index merges shards with HTML into an index.html as one machine writes it" \
    '[ -s "$tmp/shards/index.html" ] && [ ! -e "$tmp/shards/index.shard-1-of-2.html" ] &&
     cmp -s "$tmp/shards/index.html" "$tmp/oneshot/index.html"'
"$program" index "$tmp/j" 2>/dev/null
check "index writes no index.html where no HTML was written" '[ ! -e "$tmp/j/index.html" ]'

# ---- the new outputs go through cmd/outfile: links planted in OUT are never followed -----------
H=$tmp/hostile
mkdir -p "$H/out" "$H/elsewhere"
echo precious >"$H/elsewhere/target"
ln -s "$H/elsewhere/target" "$H/out/four-way.html"
ln -s "$H/elsewhere/target" "$H/out/four-way.csv"
mkdir -p "$H/out/four-way"
ln -s "$H/elsewhere/target" "$H/out/four-way/session-1.svg"
"$program" -q --format html,csv,svg -o "$H/out" "$S/four-way.pcap"; rc=$?
check "links at the HTML's, CSV's and SVG's names are replaced, never written through" \
    '[ $rc -eq 0 ] && [ "$(cat "$H/elsewhere/target")" = precious ] && [ ! -L "$H/out/four-way.html" ] &&
     [ ! -L "$H/out/four-way.csv" ] && [ ! -L "$H/out/four-way/session-1.svg" ] &&
     xmllint --noout "$H/out/four-way/session-1.svg"'
mkdir -p "$H/out2"
ln -s "$H/elsewhere" "$H/out2/four-way"
"$program" -q --format json,svg -o "$H/out2" "$S/four-way.pcap" 2>"$H/err"; rc=$?
# Each output on its own (issue 20): the SVG folder fails, the JSON is kept and listed in the
# index with the SVG's reason and no svg path; exit 1.
check "a link at the SVG folder's name is not followed; the JSON is kept, the index gives the SVG's reason" \
    '[ $rc -eq 1 ] && grep -q "symbolic link" "$H/err" && [ -s "$H/out2/four-way.json" ] &&
     [ "$(ls "$H/elsewhere")" = target ] && grep -q "\"status\":\"converted\",\"reason\":\"[^\"]*symbolic link" "$H/out2/index.json" &&
     ! grep -q "\"svg\":" "$H/out2/index.json"'

# ---- HTML in a browser -----------------------------------------------------------------------
mkdir -p "$tmp/shots"
check "HTML in Chromium: DOM, filters, sorting, diagrams, screenshots" \
    '"$py" "$V/html_check.py" "$chromium" "$tmp/shots" "$tmp/big/big.html" "$tmp/big/big.csv" "$tmp/en/merged-fin.html"'
check "zh HTML in Chromium: DOM, filters, sorting, diagrams" \
    '"$program" -q --lang zh --format html,csv -o "$tmp/zh" "$S/reuse.pcap" && "$py" "$V/html_check.py" "$chromium" "$tmp/shots" "$tmp/zh/reuse.html" "$tmp/zh/reuse.csv" "$tmp/en/merged-fin.html"'

# Printed (Chromium's print to PDF, A4 or Letter as its default): the diagram and its text are
# there, the filters and the sorting hint are not.
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$tmp/shots/printed.pdf" "file://$tmp/en/merged-fin.html" >/dev/null 2>&1
check "the HTML prints: the diagram's text and its explanation, no filters" \
    'pdftotext "$tmp/shots/printed.pdf" "$tmp/shots/printed.txt" && grep -q "Handshake: normal" "$tmp/shots/printed.txt" &&
     grep -q "SYN-SENT" "$tmp/shots/printed.txt" && ! grep -q "address or port" "$tmp/shots/printed.txt"'

echo "views: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
