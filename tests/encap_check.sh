#!/bin/sh
# tests/encap_check.sh — every link type, encapsulation and tunnel of issue 15, against tshark.
#
# Writes the crafted captures with tests/tools/mkencap (one per case of tests/support/
# pktencap.c, plus multi-interface and two-section pcapng files), then for each one compares
# the TCP conversations found by tshark (one per tcp.stream: its innermost 4-tuple) with ours:
#
#   decode level (always): tests/tools/encapdump, which reads with analysis/capfile.c and
#     decodes with decode_packet(): same set of 4-tuples, same number of TCP segments;
#   pipeline level (STAGE2=1 and PROGRAM=build/pcap2report; make test sets both): the
#     sessions of pcap2report's JSON report: same 4-tuples and count.
#
# A pcapng file NAME.pcapng that mkencap also split into NAME-ifN.pcap (one per interface) must
# give the same segments, decoded alike, as its parts read one by one; and at pipeline level
# the same sessions (all but ids and packet numbers) as its parts' reports together.
#
# A tunnel-key file (a line "=N FILE ..." from mkencap: two conversations on the same inner
# addresses and ports in two instances of one tunnel) is compared with tshark at decode level
# as the others; tshark's tcp.stream ignores tunnels, so at pipeline level its report must
# instead hold N sessions, each a whole conversation (11 segments, normal, four-way) in its
# own tunnel instance.
#
# Environment: MKENCAP, ENCAPDUMP (the tools), DIR (where the captures go), PROGRAM, STAGE2.
# Exits 0 when every file agrees, 1 otherwise; skips (exit 0) without tshark.
set -u
: "${MKENCAP:?}" "${ENCAPDUMP:?}" "${DIR:?}"
STAGE2=${STAGE2:-0}
if ! command -v tshark >/dev/null 2>&1; then
    echo "encap_check: tshark is not installed; skipped"
    exit 0
fi
mkdir -p "$DIR"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
"$MKENCAP" "$DIR" >"$tmp/files" || { echo "encap_check: mkencap failed" >&2; exit 1; }

# canon: reads "src sport dst dport" lines, prints each conversation once, endpoints sorted.
canon() {
    awk '{ a = $1 "|" $2; b = $3 "|" $4; if (a > b) { t = a; a = b; b = t } print a " " b }' | sort -u
}

# tshark_tuples FILE OPTS...: "src sport dst dport" of the innermost IP header of every TCP
# segment, by stream: the innermost of ip and ipv6 is the last one in frame.protocols.
tshark_tuples() {
    f=$1
    shift
    # shellcheck disable=SC2068
    tshark -n -r "$f" $@ -Y tcp -T fields -E separator='|' -E occurrence=l \
        -e frame.protocols -e tcp.stream -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst \
        -e tcp.srcport -e tcp.dstport 2>/dev/null |
    awk -F'|' -v streams="$tmp/streams" '{
        print $2 > streams;
        n = split($1, p, ":"); inner = "";
        for (i = 1; i <= n; i++) if (p[i] == "ip" || p[i] == "ipv6") inner = p[i];
        if (inner == "ipv6") print $5, $7, $6, $8; else print $3, $7, $4, $8;
    }'
}

# sessions_of JSON: one line per session, everything but ids and packet numbers, sorted.
sessions_of() {
    python3 -c '
import json, sys
for path in sys.argv[1:]:
    for s in json.load(open(path))["sessions"]:
        for k in ("id", "first_packet", "last_packet", "timeline"):
            s.pop(k)
        for k in ("handshake", "teardown"):
            s[k].pop("packets")
            for c in s[k]["checks"]:
                c.pop("packet")
        for r in s.get("zeek", {}).get("records", []):
            r.pop("first_packet")
            r.pop("last_packet")
        print(json.dumps(s, sort_keys=True))
' "$@" | sort
}

ok=0
bad=0
while read -r f opts; do
    expect=""
    case $f in
    =*)
        expect=${f#=}
        set -- $opts
        f=$1
        shift
        opts="$*"
        ;;
    esac
    name=$(basename "$f")
    : >"$tmp/streams"
    tshark_tuples "$f" "$opts" >"$tmp/t.raw"
    canon <"$tmp/t.raw" >"$tmp/t"
    streams=$(sort -u "$tmp/streams" | wc -l)
    if ! "$ENCAPDUMP" "$f" >"$tmp/o.raw" 2>"$tmp/o.err"; then
        echo "FAIL $name: encapdump: $(cat "$tmp/o.err")"
        bad=$((bad + 1))
        continue
    fi
    canon <"$tmp/o.raw" >"$tmp/o"
    msg=""
    if [ "$streams" -eq 0 ]; then
        msg="tshark finds no TCP stream"
    elif [ -z "$expect" ] && [ "$(wc -l <"$tmp/t")" -ne "$streams" ]; then
        msg="tshark's streams ($streams) do not map one to one to 4-tuples"
    elif ! cmp -s "$tmp/t" "$tmp/o"; then
        msg="4-tuples differ from tshark's: $(diff "$tmp/t" "$tmp/o" | grep '^[<>]' | head -3 | tr '\n' ' ')"
    elif [ "$(wc -l <"$tmp/t.raw")" -ne "$(wc -l <"$tmp/o.raw")" ]; then
        msg="$(wc -l <"$tmp/o.raw") TCP segments, tshark $(wc -l <"$tmp/t.raw")"
    fi
    if [ -z "$msg" ] && [ "$STAGE2" = 1 ]; then
        : "${PROGRAM:?STAGE2=1 needs PROGRAM}"
        if "$PROGRAM" --format json -o - "$f" >"$tmp/r.json" 2>"$tmp/r.err"; then
            python3 -c '
import json, sys
for s in json.load(open(sys.argv[1]))["sessions"]:
    print(s["client"]["ip"], s["client"]["port"], s["server"]["ip"], s["server"]["port"])
' "$tmp/r.json" >"$tmp/p.raw"
            canon <"$tmp/p.raw" >"$tmp/p"
            if [ -n "$expect" ]; then
                whole=$(python3 -c '
import json, sys
ss = json.load(open(sys.argv[1]))["sessions"]
paths = {json.dumps(s["encapsulation"], sort_keys=True) for s in ss}
print(len(ss) == len(paths) and all(
    s["client"]["packets"] + s["server"]["packets"] == 11 and s["handshake"]["class"] == "normal"
    and s["teardown"]["class"] == "four-way" and s["encapsulation"] is not None for s in ss))
' "$tmp/r.json")
                if ! cmp -s "$tmp/t" "$tmp/p" || [ "$(wc -l <"$tmp/p.raw")" -ne "$expect" ] || [ "$whole" != True ]; then
                    msg="pcap2report's sessions are not $expect whole conversations in their own tunnels ($(wc -l <"$tmp/p.raw") sessions)"
                fi
            elif ! cmp -s "$tmp/t" "$tmp/p" || [ "$(wc -l <"$tmp/p.raw")" -ne "$streams" ]; then
                msg="pcap2report's sessions differ from tshark's streams ($(wc -l <"$tmp/p.raw") sessions, $streams streams)"
            fi
        else
            msg="pcap2report failed: $(head -1 "$tmp/r.err")"
        fi
    fi
    case $f in
    *.pcapng)
        for part in "${f%.pcapng}"-if*.pcap; do
            [ -e "$part" ] && "$ENCAPDUMP" "$part"
        done | sort >"$tmp/parts"
        sort "$tmp/o.raw" >"$tmp/whole"
        if [ -z "$msg" ] && ! cmp -s "$tmp/parts" "$tmp/whole"; then
            msg="its interfaces read one by one give other segments"
        fi
        if [ -z "$msg" ] && [ "$STAGE2" = 1 ]; then
            n=0
            for part in "${f%.pcapng}"-if*.pcap; do
                "$PROGRAM" --format json -o - "$part" >"$tmp/part$n.json" 2>/dev/null || msg="pcap2report failed on $part"
                n=$((n + 1))
            done
            sessions_of "$tmp/r.json" >"$tmp/whole.s"
            sessions_of "$tmp"/part*.json >"$tmp/parts.s"
            rm -f "$tmp"/part*.json
            if [ -z "$msg" ] && ! cmp -s "$tmp/whole.s" "$tmp/parts.s"; then
                msg="its report's sessions differ from its interfaces' reports together"
            fi
        fi
        ;;
    esac
    if [ -n "$msg" ]; then
        echo "FAIL $name: $msg"
        bad=$((bad + 1))
    else
        echo "ok   $name: $streams TCP streams, $(wc -l <"$tmp/o.raw") segments"
        ok=$((ok + 1))
    fi
done <"$tmp/files"
echo "encap_check: $ok passed, $bad failed"
[ "$bad" -eq 0 ]
