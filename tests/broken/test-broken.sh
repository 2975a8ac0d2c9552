#!/bin/sh
# test-broken.sh — pcap2report on every broken capture: exit status, message, and report.
#
# Usage: PROGRAM=build/pcap2report sh tests/broken/test-broken.sh   (make test-broken)
# The corpus comes from make-broken.sh, into a temporary folder. Each case runs the program
# once and checks its exit status and that stderr names the file, the packet and what was
# wrong; JSON checks on the reports are collected and run at the end in one python3. A
# sanitizer report in any run fails its case. Last line: "broken: N passed, M failed".
set -u
: "${PROGRAM:=build/pcap2report}"
here=$(cd "$(dirname "$0")" && pwd)
samples=$here/../../samples
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
corpus=$tmp/corpus
out=$tmp/out
mkdir -p "$out"
if ! sh "$here/make-broken.sh" "$corpus"; then
    echo "broken: make-broken.sh failed"
    echo "broken: 0 passed, 1 failed"
    exit 1
fi
checks=$tmp/checks
: >"$checks"
pass=0
fail=0

# run LABEL STATUS REGEX CMD...: runs CMD (stdout to out/LABEL.json, stderr to out/LABEL.err)
# and checks its exit status and that stderr matches the extended regex.
run() {
    label=$1 want=$2 regex=$3
    shift 3
    "$@" >"$out/$label.json" 2>"$out/$label.err"
    got=$?
    why=""
    [ "$got" = "$want" ] || why="exit status $got, expected $want"
    grep -Eq -- "$regex" "$out/$label.err" || why="${why:+$why; }no message matching /$regex/"
    if grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$out/$label.err"; then
        why="${why:+$why; }sanitizer report"
    fi
    if [ -z "$why" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $label: $why"
        sed 's/^/    /' "$out/$label.err" | head -n 20
    fi
}

# case_ NAME STATUS REGEX [OPTION...]: the program on corpus/NAME, report to stdout.
case_() {
    name=$1 want=$2 regex=$3
    shift 3
    run "$name" "$want" "$regex" "$PROGRAM" "$@" -o - "$corpus/$name"
}

# json LABEL EXPR: a Python expression over d, the report of LABEL, that must be true.
json() { printf 'expr\t%s\t%s\n' "$1" "$2" >>"$checks"; }
# same LABEL REF: both reports hold the same sessions, summary and packet counts.
same() { printf 'same\t%s\t%s\n' "$1" "$2" >>"$checks"; }
# nowarn LABEL: no warning on stderr.
nowarn() { printf 'nowarn\t%s\t-\n' "$1" >>"$checks"; }

# ---- references: the samples themselves ---------------------------------------------------
run ref-four-way 0 'four-way\.pcap: 11 packets, 1 session' "$PROGRAM" -o - "$samples/four-way.pcap"
run ref-pcapng 0 'pcapng\.pcapng: 11 packets, 1 session' "$PROGRAM" -o - "$samples/pcapng.pcapng"

# ---- not captures, or hardly ---------------------------------------------------------------
case_ empty.pcap 1 'empty\.pcap: the file is empty, not a capture'
case_ header-only.pcap 0 'header-only\.pcap: 0 packets, 0 sessions'
json header-only.pcap "d['input']['packets']['total'] == 0 and d['sessions'] == [] and d['input']['warnings'] == []"
# (issue 15: these messages are our reader's, capfile.c; libpcap said "truncated dump file;
# tried to read 24 file header bytes, only got 0" for a file of 4 bytes.)
case_ magic-only.pcap 1 'magic-only\.pcap: not a readable capture file \(truncated pcap file header \(4 of 24 bytes\)\)'
case_ short-header.pcap 1 'short-header\.pcap: not a readable capture file \(truncated pcap file header \(20 of 24 bytes\)\)'
case_ text.pcap 1 'text\.pcap: not a readable capture file \(unknown file format \(magic 54686973\)\)'
case_ html.pcap 1 'html\.pcap: not a readable capture file \(unknown file format \(magic 3c21444f\)\)'
case_ unsupported-link.pcap 1 'unsupported-link\.pcap: unsupported link type 147'
case_ text.gz 1 "text\.gz: not a readable capture file \(gzip'd; unknown file format \(magic 54686973\)\)"
run missing 1 'no-such-file\.pcap: No such file or directory' "$PROGRAM" -o - "$corpus/no-such-file.pcap"
run directory 1 'no capture found' "$PROGRAM" -o "$out/dir" "$corpus/a-directory.pcap"
mkdir "$tmp/empty"
run index-empty 0 'wrote .*index\.json' "$PROGRAM" index "$tmp/empty"
printf 'GET / HTTP/1.1\r\n\r\n' >"$tmp/stdin.txt"
run stdin-text 1 '^pcap2report: -: not a readable capture file \(unknown file format \(magic 47455420\)\)' \
    sh -c '"$1" -o - - <"$2"' sh "$PROGRAM" "$tmp/stdin.txt"

# ---- record headers that lie ---------------------------------------------------------------
# Records longer than the snap length the header gives: Wireshark reads every byte recorded
# (libpcap cut them to the snap length, and the TCP headers with them).
case_ caplen-over-snaplen.pcap 0 'caplen-over-snaplen\.pcap: 3 packets, 1 session'
json caplen-over-snaplen.pcap "d['input']['packets']['tcp'] == 3 and d['input']['warnings'] == [] and d['sessions'][0]['handshake']['class'] == 'normal'"
case_ caplen-past-eof.pcap 0 'caplen-past-eof\.pcap: packet 3: the file ends inside a packet record at byte 164 \(70 of 1016 bytes\): the capture was cut short'
json caplen-past-eof.pcap "d['input']['packets']['total'] == 2 and d['input']['warnings'][0]['code'] == 'damaged-tail' and d['input']['warnings'][0]['packet'] == 3"
json caplen-past-eof.pcap "d['sessions'][0]['handshake']['packets'] == [1, 2]"
# A record that cannot be read past is an error (issue 15): a report of the packets before it
# would leave the rest of the file out with exit status 0.
case_ caplen-huge.pcap 1 'caplen-huge\.pcap: cannot be read past packet 2: the record of packet 3 \(at byte 164\) has a captured length 2147483647, more than the 262144 bytes'
json caplen-huge.pcap "d is None"
case_ snaplen-huge.pcap 0 'snaplen-huge\.pcap: 3 packets, 1 session'
json snaplen-huge.pcap "d['input']['warnings'] == [] and d['sessions'][0]['handshake']['class'] == 'normal'"
case_ caplen-over-len.pcap 0 'caplen-over-len\.pcap: packet 3: captured length 54 exceeds the original length 40; using 40'
json caplen-over-len.pcap "d['input']['warnings'][0]['code'] == 'caplen-exceeds-len' and d['input']['packets']['tcp'] == 2"
case_ zero-length.pcap 0 'zero-length\.pcap: packet 2: Ethernet header cut short by the capture \(0 of 0 bytes captured\)'
json zero-length.pcap "d['input']['packets']['truncated'] == 2 and d['input']['packets']['tcp'] == 3"
json zero-length.pcap "d['sessions'][0]['handshake']['class'] == 'normal' and d['sessions'][0]['handshake']['packets'] == [1, 4, 5]"

# ---- IP and TCP headers that lie -----------------------------------------------------------
# Each has the SYN and SYN/ACK first: they must still make their session.
for c in 'ipv4-ihl-short.pcap|malformed|IPv4 header length below 20' \
         'ipv4-ihl-long.pcap|malformed|IPv4 total length shorter than its header' \
         'ipv4-total-short.pcap|malformed|IPv4 total length shorter than its header' \
         'ipv4-ihl-past-capture.pcap|truncated|IPv4 options cut short by the capture \(54 of 114 bytes captured\)' \
         'tcp-doff-short.pcap|malformed|TCP data offset below 5' \
         'tcp-doff-long.pcap|malformed|TCP data offset beyond the IP payload'; do
    name=${c%%|*} rest=${c#*|}
    code=${rest%%|*} msg=${rest#*|}
    case_ "$name" 0 "$(echo "$name" | sed 's/\./\\./g'): packet 3: $msg"
    json "$name" "d['input']['packets']['$code'] == 1 and d['input']['warnings'][0]['packet'] == 3"
    json "$name" "d['sessions'][0]['handshake']['packets'] == [1, 2] and d['sessions'][0]['client']['isn'] == 1000"
done
for name in tcp-option-len0.pcap tcp-option-len1.pcap tcp-option-overrun.pcap; do
    case_ "$name" 0 "$(echo "$name" | sed 's/\./\\./g'): packet 1: malformed TCP options"
    json "$name" "'malformed-options' in d['sessions'][0]['anomalies'] and d['sessions'][0]['handshake']['class'] == 'normal'"
    json "$name" "d['input']['warnings'][0]['code'] == 'malformed-options' and d['input']['warnings'][0]['packet'] == 1"
done
json tcp-option-overrun.pcap "d['sessions'][0]['client']['syn_options'] == {'mss': 1460}"
case_ ipv6-ext-loop.pcap 0 'ipv6-ext-loop\.pcap: packet 1: too many IPv6 extension headers'
case_ ipv6-ext-overrun.pcap 0 'ipv6-ext-overrun\.pcap: packet 1: IPv6 extension header longer than the payload'
case_ vlan-bomb.pcap 0 'vlan-bomb\.pcap: packet 1: too many VLAN tags'
json vlan-bomb.pcap "d['input']['packets']['malformed'] == 1 and d['sessions'] == []"

case_ time-backwards.pcap 0 'time-backwards\.pcap: 3 packets, 1 session'
json time-backwards.pcap "d['sessions'][0]['duration'] >= 0 and d['sessions'][0]['start'] <= d['sessions'][0]['end']"
json time-backwards.pcap "d['input']['first_time'] <= d['input']['last_time'] and d['sessions'][0]['handshake']['class'] == 'normal'"

# ---- pcapng --------------------------------------------------------------------------------
case_ pcapng-unknown-blocks.pcapng 0 'pcapng-unknown-blocks\.pcapng: 11 packets, 1 session'
nowarn pcapng-unknown-blocks.pcapng
same pcapng-unknown-blocks.pcapng ref-pcapng
# An interface of another link type described between packets: libpcap stopped there.
case_ pcapng-mixed-links.pcapng 0 'pcapng-mixed-links\.pcapng: 11 packets, 1 session'
nowarn pcapng-mixed-links.pcapng
same pcapng-mixed-links.pcapng ref-pcapng
json pcapng-mixed-links.pcapng "[(i['link_type']['value'], i['packets']) for i in d['input']['interfaces']] == [(1, 11), (113, 0)]"
case_ pcapng-far-future.pcapng 0 'pcapng-far-future\.pcapng: packet 4: timestamp of [0-9]+ s is outside 1970-2106; using 2106'
json pcapng-far-future.pcapng "d['input']['packets']['total'] == 11 and int(d['input']['last_time']) == 4294967295"

# ---- compressed ----------------------------------------------------------------------------
case_ four-way.pcap.gz 0 'four-way\.pcap\.gz: 11 packets, 1 session'
nowarn four-way.pcap.gz
same four-way.pcap.gz ref-four-way
case_ pcapng.pcapng.gz 0 'pcapng\.pcapng\.gz: 11 packets, 1 session'
same pcapng.pcapng.gz ref-pcapng
json pcapng.pcapng.gz "d['input']['format'] == 'pcapng' and d['input']['file_name'] == 'pcapng.pcapng.gz'"
case_ four-way-cut.pcap.gz 0 'four-way-cut\.pcap\.gz: packet [0-9]+: the gzip data ends early: the capture was cut short'
json four-way-cut.pcap.gz "d['input']['packets']['total'] >= 1 and d['input']['warnings'][-1]['code'] == 'damaged-tail'"
case_ four-way-damaged.pcap.gz 1 'four-way-damaged\.pcap\.gz: cannot be read past packet [0-9]+: the gzip data is damaged \('
run stdin-gz 0 '^pcap2report: -: 11 packets, 1 session' sh -c '"$1" -o - - <"$2"' sh "$PROGRAM" "$corpus/four-way.pcap.gz"
same stdin-gz ref-four-way

# ---- every truncation point of two samples -------------------------------------------------
# A cut inside the file header cannot be opened; a cut on a record boundary is a shorter,
# clean capture; any other cut warns about the packet it cut, and everything before it is
# reported exactly as in the clean capture cut at the previous boundary.
for stem in four-way pcapng; do
    bounds=$corpus/cut/$stem.boundaries
    first=$(head -n 1 "$bounds" | cut -d' ' -f1)
    for f in "$corpus"/cut/"$stem".*[0-9].*; do
        base=${f##*/}
        n=${base#"$stem".}
        n=${n%%.*}
        len=$(expr "$n" + 0)
        label=cut-$base
        if [ "$len" -eq 0 ]; then
            run "$label" 1 "$base: the file is empty, not a capture" "$PROGRAM" -o - "$f"
        elif [ "$len" -lt "$first" ]; then
            run "$label" 1 "$base: not a readable capture file \\(" "$PROGRAM" -o - "$f"
        else
            # the last boundary at or before len, and the packets complete by then
            set -- $(awk -v n="$len" '$1 <= n { b = $1; k = $2 } END { print b, k }' "$bounds")
            b=$1 k=$2
            if [ "$len" -eq "$b" ]; then
                run "$label" 0 "$base: $k packets?, " "$PROGRAM" -o - "$f"
                nowarn "$label"
            else
                run "$label" 0 "$base: packet $((k + 1)): .*: the capture was cut short" "$PROGRAM" -o - "$f"
                same "$label" "cut-$stem.$(printf '%05d' "$b").${base##*.}"
            fi
        fi
    done
done

# ---- resource limits -----------------------------------------------------------------------
# peak_rss FILE CMD...: runs CMD and writes the peak memory of its processes (KB) to FILE.
peak_rss() {
    python3 -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(rc)' "$@"
}
flood=${BROKEN_FLOOD:-1000000}
run syn-flood 0 "^pcap2report: warning: -: packet 1001: the session cap \\(1000\\) was reached; $((flood - 1000)) later sessions \\($((flood - 1000)) TCP segments\\)" \
    peak_rss "$out/syn-flood.rss" sh -c \
    'sh "$1" --stream syn-flood "$2" | "$3" --max-sessions 1000 -o - -' sh "$here/make-broken.sh" "$flood" "$PROGRAM"
json syn-flood "len(d['sessions']) == 1000 and d['summary']['sessions_dropped'] == $flood - 1000"
json syn-flood "d['input']['packets']['session_cap'] == $flood - 1000 and d['input']['warnings'][0]['code'] == 'session-cap'"
json syn-flood "rss('syn-flood') < 300 * 1024"
# A dropped session counts once, however many segments it has; segments of a refused later
# generation on a tracked 4-tuple (reuse.pcap: 5 generations of 10 packets) do not land in it.
case_ two-sessions.pcap 0 'two-sessions\.pcap: packet 12: the session cap \(1\) was reached; 1 later sessions \(18 TCP segments\)' --max-sessions 1
json two-sessions.pcap "d['summary']['sessions_dropped'] == 1 and d['input']['packets']['session_cap'] == 18"
run reuse-cap 0 'reuse\.pcap: packet 11: the session cap \(1\) was reached; 4 later sessions \(40 TCP segments\)' \
    "$PROGRAM" --max-sessions 1 -o - "$samples/reuse.pcap"
json reuse-cap "d['summary']['sessions_dropped'] == 4 and d['sessions'][0]['client']['packets'] + d['sessions'][0]['server']['packets'] == 10"
run long-session 0 "^pcap2report: -: $((flood + 6)) packets, 1 session" \
    peak_rss "$out/long-session.rss" sh -c \
    'sh "$1" --stream long-session "$2" | "$3" -o - -' sh "$here/make-broken.sh" "$flood" "$PROGRAM"
json long-session "d['sessions'][0]['timeline']['kept'] <= 64 and d['sessions'][0]['timeline']['kept'] + d['sessions'][0]['timeline']['omitted'] == $flood + 6"
json long-session "d['sessions'][0]['client']['payload_bytes'] == 100 * $flood and d['sessions'][0]['teardown']['class'] == 'merged-fin'"
json long-session "rss('long-session') < 300 * 1024"

# ---- outputs ---------------------------------------------------------------------------------
# A failed capture leaves no file and no temporary behind; the others are still written.
run batch 1 'text\.pcap: not a readable capture file' \
    "$PROGRAM" -j 1 -o "$out/batch" "$samples/four-way.pcap" "$corpus/text.pcap" "$samples/refused.pcap"
json batch "sorted({n.split('.')[0] for n in os.listdir(outdir + '/batch')}) == ['four-way', 'index', 'refused']"
json batch "not any('.tmp.' in n for n in os.listdir(outdir + '/batch'))"
# Hostile file names: the report stays valid UTF-8 JSON inside the output folder.
run names 0 'converted' "$PROGRAM" -j 1 -o "$out/names" "$corpus"/bad-* "$corpus"/new* "$corpus/..pcap" "$corpus/-rf.pcap"
json names "len({n.rsplit('.', 1)[0] for n in os.listdir(outdir + '/names')} - {'index'}) == 4"
json names "not any(n.startswith(('.', '-')) for n in os.listdir(outdir + '/names'))"
json names "all(json.load(open(outdir + '/names/' + n, encoding='utf-8')) for n in os.listdir(outdir + '/names') if n.endswith('.json'))"
json names "any('\\ufffd' in json.load(open(outdir + '/names/' + n, encoding='utf-8'))['input']['file_name'] for n in os.listdir(outdir + '/names') if n.endswith('.json') and n != 'index.json')"
: >"$tmp/a-file"
run out-is-a-file 1 'a-file' "$PROGRAM" -o "$tmp/a-file" "$samples/refused.pcap"
json out-is-a-file "os.path.getsize(os.path.join(outdir, '..', 'a-file')) == 0"

# ---- the JSON checks -----------------------------------------------------------------------
python3 - "$out" "$checks" >"$tmp/py.log" <<'PY'
import json, os, re, sys
outdir, checks = sys.argv[1], sys.argv[2]
passed = failed = 0

def load(label):
    with open(os.path.join(outdir, label + '.json'), encoding='utf-8') as f:
        return json.load(f)

def rss(label):
    with open(os.path.join(outdir, label + '.rss')) as f:
        return int(f.read())

def part(d):
    return (d['sessions'], d['summary'], d['input']['packets'])

for line in open(checks, encoding='utf-8'):
    kind, label, arg = line.rstrip('\n').split('\t', 2)
    try:
        if kind == 'expr':
            d = load(label) if os.path.getsize(os.path.join(outdir, label + '.json')) else None
            ok = eval(arg)
        elif kind == 'same':
            ok = part(load(label)) == part(load(arg))
        else:
            ok = 'warning' not in open(os.path.join(outdir, label + '.err'), encoding='utf-8', errors='replace').read()
        why = '' if ok else 'false'
    except Exception as e:
        ok, why = False, '%s: %s' % (type(e).__name__, e)
    if ok:
        passed += 1
    else:
        failed += 1
        print('FAIL %s: %s %s (%s)' % (label, kind, arg, why))
print('%d %d' % (passed, failed))
PY
sed '$d' "$tmp/py.log"
set -- $(tail -n 1 "$tmp/py.log")
pass=$((pass + ${1:-0}))
fail=$((fail + ${2:-1}))
echo "broken: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
