#!/usr/bin/python3
"""peers_check.py: pcap2report's view of crafted captures against the peers'.

Usage: tests/peers_check.py CAPTURE_DIR JSON_DIR

CAPTURE_DIR is what tests/tools/mkpeers wrote: captures that are not Linux
loopback (other stacks, partial captures, crafted flags, long gaps), and
zeek-expect.json. JSON_DIR holds pcap2report's report of each capture.

  * Against tshark (tests/tshark_check.py), on every capture: each tcp.stream
    and its session agree on the endpoints, the first and last packet, the
    number of packets and the completeness. Skipped without tshark.
  * Against Zeek as its source reads (zeek-expect.json, derived by hand from
    zeek/zeek's TCPSessionAdapter.cc, TCP_Endpoint.cc, init-bare.zeek and
    conn/main.zeek; Zeek is not installable here): each session's
    zeek.records, in order, have the expected conn_state and history.

Prints the mismatches, then the agreement figures; exit status 1 on any
mismatch. Python 3 standard library only.
"""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tshark_check  # noqa: E402


def zeek_records(session):
    z = session.get("zeek") or {}
    return [(r.get("conn_state"), r.get("history")) for r in z.get("records") or []]


def check_zeek(capture_dir, json_dir):
    """Returns (records checked, conn_state agreements, history agreements,
    problems)."""
    with open(os.path.join(capture_dir, "zeek-expect.json")) as f:
        expect = json.load(f)
    total = states = histories = 0
    problems = []
    for name in sorted(expect):
        want = [[tuple(rec.split(":", 1)) for rec in sess.split("|")] for sess in expect[name].split(";")]
        try:
            with open(os.path.join(json_dir, os.path.splitext(name)[0] + ".json")) as f:
                sessions = json.load(f).get("sessions") or []
        except (OSError, ValueError) as e:
            problems.append("%s: cannot read the report: %s" % (name, e))
            continue
        if len(sessions) != len(want):
            problems.append("%s: %d sessions, Zeek's reading expects %d" % (name, len(sessions), len(want)))
        for i, (sess, recs) in enumerate(zip(sessions, want)):
            got = zeek_records(sess)
            if len(got) != len(recs):
                problems.append("%s: session %d: %d Zeek records %s, expected %d %s"
                                % (name, i + 1, len(got), got, len(recs), recs))
            for k, (g, w) in enumerate(zip(got, recs)):
                total += 1
                states += g[0] == w[0]
                histories += g[1] == w[1]
                if g != w:
                    problems.append("%s: session %d record %d: %s:%s, expected %s:%s"
                                    % (name, i + 1, k + 1, g[0], g[1], w[0], w[1]))
            total += max(0, len(recs) - len(got))
    return total, states, histories, problems


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    capture_dir, json_dir = argv[1], argv[2]
    failed = False
    if shutil.which("tshark") is None:
        print("peers_check: tshark: skipped (tshark not installed)")
    else:
        stats = {}
        passed, bad = tshark_check.check_dir(capture_dir, json_dir, stats)
        n = stats.get("streams", 0) or 1
        print("peers_check: tshark: %d captures agree, %d differ; %d streams, every field agrees on %d "
              "(%.1f %%), completeness on %d (%.1f %%)"
              % (passed, bad, stats.get("streams", 0), stats.get("agree", 0), 100.0 * stats.get("agree", 0) / n,
                 stats.get("completeness", 0), 100.0 * stats.get("completeness", 0) / n))
        failed |= bad > 0
    total, states, histories, problems = check_zeek(capture_dir, json_dir)
    for p in problems:
        print("peers_check: zeek: " + p)
    n = total or 1
    print("peers_check: zeek: %d records, conn_state agrees on %d (%.1f %%), history on %d (%.1f %%)"
          % (total, states, 100.0 * states / n, histories, 100.0 * histories / n))
    failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
