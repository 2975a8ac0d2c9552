#!/usr/bin/python3
"""golden.py: compare pcap2report's JSON output with the hand-written expectations.

Usage: tests/golden.py SAMPLES_DIR JSON_DIR

For every SAMPLES_DIR/*.expect.json, loads JSON_DIR/<capture base name>.json
(the file `pcap2report -o JSON_DIR SAMPLES_DIR/<capture>` writes: the capture's
name with its extension replaced by .json) and compares each expectation key
with the field of the report that holds it. Keys missing from an expectation
are not checked (an expectation omits a key only when the capture cannot tell).
Sessions are matched by order and their number must be equal; anomalies are
compared as sets. Prints one line per mismatch, then
`golden: N passed, M failed` (N, M count samples). Exit status 1 if any sample
failed, 2 on bad usage. Python 3 standard library only.
"""
import glob
import json
import os
import sys

# expectation key -> path of the field in one session of the report
SESSION_FIELDS = {
    "generation": ("generation",),
    "client_isn": ("client", "isn"),
    "server_isn": ("server", "isn"),
    "client_packets": ("client", "packets"),
    "server_packets": ("server", "packets"),
    "handshake": ("handshake", "class"),
    "handshake_packets": ("handshake", "packets"),
    "teardown": ("teardown", "class"),
    "teardown_packets": ("teardown", "packets"),
    "active_closer": ("teardown", "active_closer"),
    "rst_sender": ("teardown", "rst_sender"),
    "conn_state": ("zeek", "conn_state"),
}

MISSING = object()


def get(obj, path):
    for key in path:
        if not isinstance(obj, dict) or key not in obj:
            return MISSING
        obj = obj[key]
    return obj


def same(expected, actual):
    """Equality that does not let True pass for 1 nor 1.5 for 1, but accepts
    3063012157.0 for 3063012157 (a JSON writer may print integers as doubles)."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return expected == actual
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(map(same, expected, actual))
    return type(expected) is type(actual) and expected == actual


def endpoint(side):
    """'127.0.0.1:40000' or '[2001:db8::1]:40000' from {"ip": ..., "port": ...}."""
    ip, port = get(side, ("ip",)), get(side, ("port",))
    if ip is MISSING or port is MISSING:
        return MISSING
    if isinstance(port, float) and port.is_integer():
        port = int(port)
    return ("[%s]:%s" % (ip, port)) if ":" in str(ip) else "%s:%s" % (ip, port)


def anomaly_names(value):
    """The report's anomalies as a set of names; items may be names or objects
    with a "name"."""
    if not isinstance(value, list):
        return MISSING
    names = set()
    for item in value:
        if isinstance(item, dict):
            item = item.get("name", item.get("type"))
        names.add(item)
    return names


def show(v):
    if v is MISSING:
        return "(missing)"
    if isinstance(v, set):
        return json.dumps(sorted(v, key=str))
    return json.dumps(v)


def compare(sample, exp, report):
    """Yield (where, expected, actual) for every mismatch."""
    if "packets_total" in exp:
        actual = get(report, ("input", "packets", "total"))
        if not same(exp["packets_total"], actual):
            yield "packets_total", exp["packets_total"], actual
    if "capture" in exp:
        actual = get(report, ("input", "file_name"))
        if actual is MISSING or os.path.basename(str(actual)) != exp["capture"]:
            yield "input.file_name", exp["capture"], actual
    if "sessions" not in exp:
        return
    got = get(report, ("sessions",))
    if not isinstance(got, list):
        yield "sessions", "%d sessions" % len(exp["sessions"]), got
        return
    if len(got) != len(exp["sessions"]):
        yield "sessions", "%d sessions" % len(exp["sessions"]), "%d sessions" % len(got)
    for i, (e, s) in enumerate(zip(exp["sessions"], got)):
        where = "session %d " % i
        for key in ("client", "server"):
            if key in e:
                actual = endpoint(get(s, (key,)))
                if actual != e[key]:
                    yield where + key, e[key], actual
        for key, path in SESSION_FIELDS.items():
            if key in e:
                actual = get(s, path)
                if not same(e[key], actual):
                    yield where + key, e[key], actual
        if "anomalies" in e:
            want = set(e["anomalies"])
            actual = anomaly_names(get(s, ("anomalies",)))
            if actual != want:
                yield where + "anomalies", want, actual
            # the anomaly and the session flag say the same thing (TAXONOMY.md)
            flag = get(s, ("roles_inferred",))
            if flag is not MISSING and flag != ("roles-inferred" in want):
                yield where + "roles_inferred", "roles-inferred" in want, flag


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    samples_dir, json_dir = argv[1], argv[2]
    expects = sorted(glob.glob(os.path.join(samples_dir, "*.expect.json")))
    if not expects:
        print("golden: no *.expect.json in %s" % samples_dir)
        return 2
    passed = failed = 0
    for path in expects:
        sample = os.path.basename(path)[:-len(".expect.json")]
        try:
            with open(path) as f:
                exp = json.load(f)
        except (OSError, ValueError) as e:
            print("%s: cannot read expectation: %s" % (sample, e))
            failed += 1
            continue
        capture = exp.get("capture", sample + ".pcap")
        out = os.path.join(json_dir, os.path.splitext(capture)[0] + ".json")
        try:
            with open(out) as f:
                report = json.load(f)
        except (OSError, ValueError) as e:
            print("%s: no usable report %s: %s" % (sample, out, e))
            failed += 1
            continue
        problems = list(compare(sample, exp, report))
        for where, want, actual in problems:
            print("%s: %s: expected %s, got %s" % (sample, where, show(want), show(actual)))
        if problems:
            failed += 1
        else:
            passed += 1
    print("golden: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
