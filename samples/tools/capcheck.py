#!/usr/bin/python3
"""capcheck.py: does a capture show the TCP exchange a sample is meant to show?

Usage: capcheck.py FILE CHECK

Reads `tcpdump -nn -S -r FILE` (absolute sequence numbers) and exits 0 when
CHECK holds, 1 when it does not, printing one line that says what was seen
(the flag sequence, with > for packets from the first sender and < for the
other direction). make-samples.sh uses it to retry cases whose outcome
depends on timing. It is a sanity check, not an analyser.

Checks:
  any            at least one TCP packet
  four-way       A: FIN; B: pure ACK of it; B: FIN; A: ACK of it
  merged-fin     A: FIN; B's next packet is FIN+ACK acknowledging A's FIN; A: ACK
  simultaneous-close  the second FIN does not acknowledge the first one
  simultaneous-open   the first two packets are SYNs without ACK, one per side
  syn-only       three or more SYNs, all from one side, and nothing else
  no-final-ack   SYN, then two or more SYN/ACKs, and nothing else
  refused        SYN, then RST from the other side, and nothing else
  rst-client     handshake, then the last packet is a RST from the client
  rst-server     handshake, then the last packet is a RST from the server
  half-close     A: FIN, then B sends data after acknowledging it, then B: FIN
  open           no FIN and no RST at all
  reuse5         five SYNs without ACK from one endpoint, each with a new ISN
"""
import re
import subprocess
import sys

LINE = re.compile(r"^\s*(\d+)\s.*?\bIP6? (\S+) > (\S+): Flags \[([^\]]*)\](.*)$")


def packets(path):
    out = subprocess.run(["tcpdump", "-nn", "-S", "--number", "-r", path],
                         capture_output=True, text=True, check=True).stdout
    pkts = []
    for line in out.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        num, src, dst, flags, rest = m.groups()
        seq = re.search(r"\bseq (\d+)(?::(\d+))?", rest)
        ack = re.search(r"\back (\d+)", rest)
        length = re.search(r"\blength (\d+)", rest)
        pkts.append({
            "n": int(num), "src": src, "dst": dst, "flags": flags,
            "seq": int(seq.group(1)) if seq else None,
            "ack": int(ack.group(1)) if ack else None,
            "len": int(length.group(1)) if length else 0,
        })
    return pkts


def fin_end(p):
    return p["seq"] + p["len"] + 1


def first(pkts, pred, start=0):
    for i in range(start, len(pkts)):
        if pred(pkts[i]):
            return i
    return None


def check(pkts, name):
    if not pkts:
        return False
    a = pkts[0]["src"]
    S = lambda p: "S" in p["flags"] and "." not in p["flags"]
    if name == "any":
        return True
    if name in ("four-way", "merged-fin", "half-close"):
        i = first(pkts, lambda p: "F" in p["flags"])
        if i is None:
            return False
        fa = pkts[i]
        j = first(pkts, lambda p: p["src"] == fa["dst"], i + 1)
        if j is None:
            return False
        b1 = pkts[j]
        if b1["ack"] != fin_end(fa):
            return False
        k = first(pkts, lambda p: p["src"] == fa["dst"] and "F" in p["flags"], j)
        if k is None:
            return False
        fb = pkts[k]
        last = first(pkts, lambda p: p["src"] == fa["src"] and p["ack"] == fin_end(fb), k + 1)
        if last is None:
            return False
        if name == "merged-fin":
            return k == j and last == len(pkts) - 1 and len(pkts) - i == 3
        if name == "four-way":
            return "F" not in b1["flags"] and len(pkts) - i == 4
        # half-close: data from B between its ACK of A's FIN and its own FIN
        return any(p["src"] == fa["dst"] and p["len"] > 0 for p in pkts[j:k + 1])
    if name == "simultaneous-close":
        fins = [p for p in pkts if "F" in p["flags"]]
        return (len(fins) == 2 and fins[0]["src"] != fins[1]["src"]
                and fins[1]["ack"] != fin_end(fins[0]))
    if name == "simultaneous-open":
        return (len(pkts) >= 2 and S(pkts[0]) and S(pkts[1])
                and pkts[0]["src"] != pkts[1]["src"])
    if name == "syn-only":
        return len(pkts) >= 3 and all(S(p) and p["src"] == a for p in pkts)
    if name == "no-final-ack":
        return (len(pkts) >= 3 and S(pkts[0])
                and all(p["flags"] == "S." and p["src"] != a for p in pkts[1:]))
    if name == "refused":
        return (len(pkts) == 2 and S(pkts[0]) and "R" in pkts[1]["flags"]
                and pkts[1]["src"] != a)
    if name in ("rst-client", "rst-server"):
        last = pkts[-1]
        want = a if name == "rst-client" else pkts[0]["dst"]
        return (S(pkts[0]) and "R" in last["flags"] and last["src"] == want
                and sum("R" in p["flags"] for p in pkts) == 1
                and not any("F" in p["flags"] for p in pkts))
    if name == "open":
        return not any("F" in p["flags"] or "R" in p["flags"] for p in pkts)
    if name == "reuse5":
        syns = [p for p in pkts if S(p)]
        isns = {p["seq"] for p in syns}
        return len(syns) == 5 and len(isns) == 5 and all(p["src"] == a for p in syns)
    raise SystemExit("capcheck.py: unknown check %s" % name)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    pkts = packets(argv[1])
    a = pkts[0]["src"] if pkts else None
    shape = " ".join(("%s%s" % (">" if p["src"] == a else "<", p["flags"]))
                     for p in pkts[:40])
    if len(pkts) > 40:
        shape += " ..."
    ok = check(pkts, argv[2])
    print("%s %s: %d packets: %s" % (argv[2], "ok" if ok else "NOT SEEN", len(pkts), shape))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
