#!/usr/bin/python3
"""tshark_check.py: compare pcap2report's sessions with tshark's tcp.streams.

Usage: tests/tshark_check.py [--stats] CAPTURE_DIR JSON_DIR

For every capture in CAPTURE_DIR (*.pcap, *.pcapng), runs tshark with two
passes and compares, stream by stream, the tcp.streams with the sessions of
JSON_DIR/<base>.json (the capture's name with its extension replaced by
.json), field by field: the endpoints, the first and the last packet, the
number of packets, and `wireshark.completeness` against the last
tcp.completeness of the stream. Streams and sessions are paired in order of
first packet. Known, deliberate differences are listed in KNOWN below. Prints
one line per mismatch and then `tshark_check: N passed, M failed` (N, M count
captures); with --stats also how many streams agreed on every field and on the
completeness. Exit status 1 if any failed. Without tshark on PATH it prints
`tshark_check: skipped (tshark not installed)` and exits 0.
Python 3 standard library only.

What tshark 4.0.17 does (packet-tcp.c, dissect_tcp(); analysis/tcp/wireshark.c
has the rules one by one):
  * tcp.completeness is only right with the two-pass flag -2. In one pass,
    each packet shows the value *before* that packet is counted. With -2, the
    last packet of a stream of two or more shows the final value; a stream of
    one packet shows the first pass's value (0 unless it is a pure SYN).
  * Bits: 1 SYN (only from a stream's first packet, and on a reused 4-tuple),
    2 SYN+ACK, 4 ACK without payload, 8 payload with ACK (or on a first SYN),
    16 FIN with ACK, 32 RST.
  * A SYN without ACK whose sequence number is not its direction's base starts
    a new tcp.stream; pcap2report starts a new session there too.
"""
import glob
import ipaddress
import json
import os
import shutil
import subprocess
import sys

# Deliberate differences between tshark and pcap2report, by capture file name.
# An entry states what tshark reports for the whole capture, as a list with
# the final tcp.completeness of each tcp.stream in stream order; the check then
# verifies that tshark still reports exactly that (so a change in tshark is
# noticed) instead of comparing stream by stream with the sessions. Every entry
# must say why in "why". None are needed for the captures checked today.
KNOWN = {
}

FIELDS = ["frame.number", "tcp.stream", "ip.src", "ipv6.src", "tcp.srcport",
          "ip.dst", "ipv6.dst", "tcp.dstport", "tcp.completeness"]


def norm_ip(text):
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text


def tshark_streams(path):
    """Return the streams in stream order, each a dict: pair (frozenset of
    (ip, port)), first, last (frame numbers), packets, completeness."""
    cmd = ["tshark", "-2", "-n", "-r", path, "-Y", "tcp", "-T", "fields",
           "-E", "separator=/t", "-E", "occurrence=f",
           "-o", "tcp.analyze_sequence_numbers:TRUE"]
    for field in FIELDS:
        cmd += ["-e", field]
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         universal_newlines=True)
    if res.returncode != 0:
        raise RuntimeError("tshark failed (%d): %s" % (res.returncode, res.stderr.strip()))
    streams = {}
    for line in res.stdout.splitlines():
        cols = line.split("\t")
        if len(cols) < len(FIELDS) or not cols[1]:
            continue
        frame, stream, ip4s, ip6s, sport, ip4d, ip6d, dport, comp = cols[:len(FIELDS)]
        src = (norm_ip(ip4s or ip6s), int(sport))
        dst = (norm_ip(ip4d or ip6d), int(dport))
        st = streams.setdefault(int(stream), {"pair": frozenset((src, dst)), "first": int(frame),
                                              "last": 0, "packets": 0, "completeness": None})
        st["last"] = int(frame)
        st["packets"] += 1
        if comp:
            st["completeness"] = int(comp, 0)   # the last packet's value
    return [streams[k] for k in sorted(streams)]


def session_pair(session):
    ends = []
    for side in ("client", "server"):
        s = session.get(side) or {}
        ends.append((norm_ip(str(s.get("ip"))), int(s.get("port", -1))))
    return frozenset(ends)


def pair_text(pair):
    return " - ".join(sorted(("[%s]:%d" if ":" in e[0] else "%s:%d") % e for e in pair))


def session_fields(s):
    comp = (s.get("wireshark") or {}).get("completeness")
    if isinstance(comp, float) and comp.is_integer():
        comp = int(comp)
    packets = (s.get("client") or {}).get("packets", 0) + (s.get("server") or {}).get("packets", 0)
    return {"first": s.get("first_packet"), "last": s.get("last_packet"), "packets": packets,
            "completeness": comp}


def compare(path, report, stats=None):
    """Yield mismatch messages for one capture; count streams into stats
    (keys: streams, agree, completeness) when given."""
    name = os.path.basename(path)
    streams = tshark_streams(path)
    if name in KNOWN:
        want = KNOWN[name]["tshark"]
        got = [st["completeness"] for st in streams]
        if got != want:
            yield ("tshark now reports %s, KNOWN says %s (%s)" % (got, want, KNOWN[name]["why"]))
        return
    sessions = report.get("sessions")
    if not isinstance(sessions, list):
        yield "report has no sessions list"
        return
    if len(streams) != len(sessions):
        yield "%d tshark streams, %d sessions" % (len(streams), len(sessions))
    by_pair = {}
    for i, s in enumerate(sessions):
        by_pair.setdefault(session_pair(s), []).append(i)
    used = {}
    for k, st in enumerate(streams):
        if stats is not None:
            stats["streams"] = stats.get("streams", 0) + 1
        n = used.get(st["pair"], 0)
        used[st["pair"]] = n + 1
        idx = by_pair.get(st["pair"], [])
        if n >= len(idx):
            yield "tcp.stream %d (%s) has no matching session" % (k, pair_text(st["pair"]))
            continue
        i = idx[n]
        ours = session_fields(sessions[i])
        bad = [f for f in ("first", "last", "packets", "completeness") if ours[f] != st[f]]
        for f in bad:
            yield ("session %d: %s: tshark (tcp.stream %d) says %s, got %s"
                   % (i + 1, f, k, st[f], json.dumps(ours[f])))
        if stats is not None:
            stats["agree"] = stats.get("agree", 0) + (not bad)
            stats["completeness"] = stats.get("completeness", 0) + ("completeness" not in bad)
    for pair, idx in by_pair.items():
        for i in idx[used.get(pair, 0):]:
            yield "session %d has no matching tcp.stream" % (i + 1)


def check_dir(capture_dir, json_dir, stats=None):
    """Compare every capture of capture_dir; print the mismatches. Returns
    (passed, failed) counts of captures."""
    captures = sorted(glob.glob(os.path.join(capture_dir, "*.pcap")) +
                      glob.glob(os.path.join(capture_dir, "*.pcapng")))
    passed = failed = 0
    for path in captures:
        name = os.path.basename(path)
        out = os.path.join(json_dir, os.path.splitext(name)[0] + ".json")
        try:
            with open(out) as f:
                report = json.load(f)
            problems = list(compare(path, report, stats))
        except (OSError, ValueError, RuntimeError) as e:
            problems = ["cannot check: %s" % e]
        for p in problems:
            print("%s: %s" % (name, p))
        if problems:
            failed += 1
        else:
            passed += 1
    return passed, failed


def main(argv):
    show = "--stats" in argv
    args = [a for a in argv[1:] if a != "--stats"]
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    if shutil.which("tshark") is None:
        print("tshark_check: skipped (tshark not installed)")
        return 0
    stats = {}
    passed, failed = check_dir(args[0], args[1], stats)
    print("tshark_check: %d passed, %d failed" % (passed, failed))
    if show:
        n = stats.get("streams", 0) or 1
        print("tshark_check: %d streams; every field agrees on %d (%.1f %%), completeness on %d (%.1f %%)"
              % (stats.get("streams", 0), stats.get("agree", 0), 100.0 * stats.get("agree", 0) / n,
                 stats.get("completeness", 0), 100.0 * stats.get("completeness", 0) / n))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
