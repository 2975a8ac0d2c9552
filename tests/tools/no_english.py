#!/usr/bin/env python3
"""no_english.py — fails when a Chinese document holds an English sentence.

Usage: no_english.py ALLOWED_FILE TEXT_FILE...

Allowed in a --lang zh feedback PDF or grade sheet are tcpdump's notation (flags, seq, ack,
win, options), class and state names (normal, four-way, SF...), protocol and tool names, and
the names the teacher and students chose (students, files, checks, the rubric): ALLOWED_FILE
lists the last, one per line. Anything else written in three or more English words in a row
is an English sentence, and is reported with its line.
"""
import re
import sys

NOTATION = set("""
seq ack win length options mss sackOK TS val ecr nop wscale eol Flags S F P R E W U
SYN ACK FIN RST PSH URG ECE CWR SYN/ACK FIN+ACK FIN/ACK IP IPv4 IPv6 TCP UDP ISN ISNs x y
sha256 pcap pcapng Zeek Wireshark tcpdump wget curl Ctrl-C FILE MiB UTC ms s us ns RTT
conn_state history completeness SF S0 S1 S2 S3 REJ OTH RSTO RSTR RSTOS0 RSTRH SH SHR
normal simultaneous-open refused syn-only no-final-ack missing four-way merged-fin
simultaneous-close rst incomplete half-closed none bad-checksum bad-ack retransmission
out-of-order zero-window isn-zero roles-inferred truncated data-on-syn rst-after-fin
syn-retransmitted synack-retransmitted fin-retransmitted final-ack-not-captured
rst-during-handshake syn-not-captured malformed-options data-after-fin
identical-file same-connection impossible-timing LISTEN SYN-SENT SYN-RECEIVED ESTABLISHED
FIN-WAIT-1 FIN-WAIT-2 CLOSE-WAIT CLOSING LAST-ACK TIME-WAIT CLOSED pcap2report PDF JSON
CSV A4 DLT EN10MB LINUX_SLL LINUX_SLL2 RAW NULL schema SOURCE_DATE_EPOCH idle-timeout
lang zh max-diagrams n/a
""".split())

WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'/+-]*")


def main():
    allowed = [a for a in open(sys.argv[1], encoding="utf-8").read().split("\n") if a.strip()]
    allowed.sort(key=len, reverse=True)
    bad = 0
    for path in sys.argv[2:]:
        for n, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
            for a in allowed:
                line = re.sub(r"(?<![A-Za-z])" + re.escape(a) + r"(?![A-Za-z])", " ", line)
            run = []
            for m in re.finditer(r"[A-Za-z][A-Za-z0-9_'/+-]*|[^\sA-Za-z]+|\s+", line):
                tok = m.group(0)
                if tok.isspace() or tok in (",", ".", "-", "(", ")", "'"):
                    continue
                if WORD.fullmatch(tok) and tok not in NOTATION and tok.strip("/+-") not in NOTATION:
                    run.append(tok)
                    if len(run) >= 3:
                        print(f"{path}:{n}: English: {' '.join(run)} | {line.strip()[:160]}")
                        bad += 1
                        break
                else:
                    run = []
    sys.exit(1 if bad else 0)


main()
