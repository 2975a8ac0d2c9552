#!/usr/bin/python3
"""html_check.py: an HTML report in a real browser, with the network off.

Usage: html_check.py [--update] CHROMIUM OUTDIR REPORT.html REPORT.csv [SHOT.html]

Starts headless Chromium (CHROMIUM: its binary, /usr/lib/chromium/chromium on Debian) in a
network namespace of its own when one can be made (unshare -n, as root), talks to it over
--remote-debugging-pipe (the DevTools protocol, JSON messages ending in NUL on fds 3 and 4),
loads REPORT.html from its file and checks, in the page's DOM:
  * no request left the page but for the file itself (and data: URLs): self-contained;
  * one table row per CSV row, in capture order, each with its session number; the first
    thousand shown, the others behind the "show more" button;
  * each filter (class, anomaly, endpoint) shows exactly the rows the CSV says match it, and
    says how many; clearing it shows them all again;
  * clicking a column heading sorts the rows by it, clicking again reverses them;
  * every session with a link in the table has its diagram: an inline <svg> with its arrows
    and text, and the explanation beside it.
Then, for SHOT.html (by default REPORT.html), whole-page screenshots at a phone's width (390
px) and a desktop's (1280 px) are compared with OUTDIR/../ref-phone.png and ref-desktop.png (committed in
tests/views/): same size, and at most 1.5 % of the pixels differing by more than 48 in a
channel (fonts hinted a little differently still pass; a layout that moved does not). With
--update the references are written instead. Prints `html_check: N passed, M failed`.
Python 3 standard library only.
"""
import base64
import csv
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("html_check: FAIL: %s %s" % (what, detail))


class Browser:
    def __init__(self, chromium, profile):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def fds():
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                "--hide-scrollbars", "--log-level=3", "--no-first-run", "--user-data-dir=" + profile,
                "--disable-extensions", "--disable-background-networking", "--force-color-profile=srgb",
                "--font-render-hinting=none", "about:blank"]
        self.isolated = False
        if os.geteuid() == 0 and shutil.which("unshare") and \
                subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
            args = ["unshare", "-n"] + args
            self.isolated = True
        env = dict(os.environ, HOME=profile)
        self.proc = subprocess.Popen(args, pass_fds=(3, 4), preexec_fn=fds, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.to_child, json.dumps(msg).encode() + b"\0")
        while True:
            m = self.read()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def read(self):
        while b"\0" not in self.buf:
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def wait_event(self, name, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            for i, m in enumerate(self.events):
                if m.get("method") == name:
                    del self.events[i]
                    return m
            self.events.append(self.read())
        raise RuntimeError("no %s" % name)

    def open(self, url, width, height, mobile):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        self.send("Page.enable")
        self.send("Network.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        self.events = []
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def js(self, expr):
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise RuntimeError("script: %s" % r["exceptionDetails"])
        return r["result"].get("value")

    def requests(self):
        return [m["params"]["request"]["url"] for m in self.events if m.get("method") == "Network.requestWillBeSent"]

    def screenshot(self, width, mobile):
        """The whole page, its height as laid out at this width."""
        height = int(self.js("document.documentElement.scrollHeight"))
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        return base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"])

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def png_pixels(data):
    """(width, height, rows of RGB bytes) of an 8-bit RGB or RGBA PNG."""
    pos, chunks = 8, []
    width = height = ctype = 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + n
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line) if bpp == 3 else bytes(v for k, v in enumerate(line) if k % 4 != 3))
        prev = line
    return width, height, rows


def compare(shot, ref_path, name, update):
    if update:
        open(ref_path, "wb").write(shot)
        print("html_check: wrote %s" % ref_path)
        return
    if not os.path.exists(ref_path):
        check(name + ": reference exists", False, ref_path)
        return
    w1, h1, a = png_pixels(shot)
    w2, h2, b = png_pixels(open(ref_path, "rb").read())
    check(name + ": same size as the reference", (w1, h1) == (w2, h2), "%dx%d, reference %dx%d" % (w1, h1, w2, h2))
    if (w1, h1) != (w2, h2):
        return
    differ = sum(1 for ra, rb in zip(a, b) for i in range(0, len(ra), 3)
                 if max(abs(ra[i] - rb[i]), abs(ra[i + 1] - rb[i + 1]), abs(ra[i + 2] - rb[i + 2])) > 48)
    share = differ / (w1 * h1)
    check(name + ": within 1.5 %% of the reference's pixels", share <= 0.015, "(%.2f %% differ)" % (100 * share))


DOM_SCRIPT = r"""
(function(){
var rows=Array.prototype.slice.call(document.querySelectorAll('#sessions-table tbody tr'));
var more=document.getElementById('more');
function visible(){var n=0;while(!more.hidden&&n++<1000)more.click();
 return rows.filter(function(r){return !r.hidden;}).map(function(r){return +r.dataset.id;});}
function setf(id,v){var e=document.getElementById(id);e.value=v;e.dispatchEvent(new Event(id==='f-endpoint'?'input':'change'));}
var out={rows:rows.map(function(r){return +r.dataset.id;}),filtersShown:!document.getElementById('filters').hidden,
 firstShown:rows.filter(function(r){return !r.hidden;}).length,moreShown:!more.hidden};
out.classOptions=Array.prototype.map.call(document.querySelectorAll('#f-class option'),function(o){return o.value;});
out.anomalyOptions=Array.prototype.map.call(document.querySelectorAll('#f-anomaly option'),function(o){return o.value;});
out.byClass={};out.byAnomaly={};
out.classOptions.forEach(function(v){setf('f-class',v);out.byClass[v]=visible();});
setf('f-class','');
out.anomalyOptions.forEach(function(v){setf('f-anomaly',v);out.byAnomaly[v]=visible();});
setf('f-anomaly','');
var ep=rows.length?rows[rows.length-1].dataset.ep.split(' ')[0]:'';
setf('f-endpoint',ep);out.endpoint=ep;out.byEndpoint=visible();out.shownText=document.getElementById('shown').textContent;
setf('f-endpoint','');out.all=visible().length;
var th=document.querySelector('th[data-key=dur] button');th.click();
out.asc=Array.prototype.map.call(document.querySelectorAll('#sessions-table tbody tr'),function(r){return +r.dataset.dur;});
th.click();
out.desc=Array.prototype.map.call(document.querySelectorAll('#sessions-table tbody tr'),function(r){return +r.dataset.dur;});
out.sortState=th.parentNode.getAttribute('aria-sort');
out.links=Array.prototype.map.call(document.querySelectorAll('#sessions-table a[href^="#s"]'),function(a){return a.getAttribute('href').slice(2);});
out.diagrams={};
Array.prototype.forEach.call(document.querySelectorAll('article.session'),function(a){
  var svg=a.querySelector('svg.diagram');
  out.diagrams[a.id.slice(1)]={svg:!!svg,arrows:svg?svg.querySelectorAll('g.arrow').length:0,
    texts:svg?svg.querySelectorAll('text').length:0,width:svg?svg.getBoundingClientRect().width:0,
    checks:a.querySelectorAll('.explain .check').length,paragraphs:a.querySelectorAll('.explain p').length};});
return out;})()
"""


def dom_checks(b, report_csv):
    with open(report_csv, newline="") as f:
        table = list(csv.DictReader(f))
    d = b.js(DOM_SCRIPT)
    ids = [int(r["session"]) for r in table]
    check("script ran: filters shown", d["filtersShown"])
    check("one row per session, in order", d["rows"] == ids, "%d rows, %d sessions" % (len(d["rows"]), len(ids)))
    check("a thousand rows laid out at first, a button for the rest",
          d["firstShown"] == min(1000, len(ids)) and d["moreShown"] == (len(ids) > 1000), (d["firstShown"], d["moreShown"]))
    for v, shown in d["byClass"].items():
        if not v:
            want = ids
        else:
            col = "handshake" if v[0] == "h" else "teardown"
            want = [int(r["session"]) for r in table if r[col] == v[2:]]
        check("class filter %r" % (v or "all"), shown == want and (not v or shown), "%d shown, %d wanted" % (len(shown), len(want)))
    for v, shown in d["byAnomaly"].items():
        an = [set(filter(None, r["anomalies"].split(";"))) for r in table]
        want = [i for i, a in zip(ids, an) if (not v) or (v == "*" and a) or (v == "-" and not a) or (v in a)]
        check("anomaly filter %r" % (v or "all"), shown == want, "%d shown, %d wanted" % (len(shown), len(want)))
    ep = d["endpoint"]
    want = [int(r["session"]) for r in table
            if ep in ("%s:%s" % (r["id.orig_h"], r["id.orig_p"])).lower() or ep in (r["id.orig_h"] + ":" + r["id.orig_p"])]
    check("endpoint filter %r" % ep, d["byEndpoint"] and set(want) <= set(d["byEndpoint"]), "%d shown" % len(d["byEndpoint"]))
    check("the count follows the filter", str(len(d["byEndpoint"])) in d["shownText"].replace(",", ""), d["shownText"])
    check("clearing the filters shows every row", d["all"] == len(ids))
    check("a click sorts by duration", d["asc"] == sorted(d["asc"]) and len(d["asc"]) == len(ids))
    check("a second click reverses it", d["desc"] == sorted(d["desc"], reverse=True) and d["sortState"] == "descending")
    check("sessions with diagrams are linked", len(d["links"]) > 0)
    for sid in d["links"]:
        g = d["diagrams"].get(sid)
        check("session %s: its diagram and explanation" % sid,
              g and g["svg"] and g["arrows"] > 0 and g["texts"] > 5 and g["width"] > 200 and g["paragraphs"] > 3, g)
    return len(ids)


def main():
    global passed, failed
    args = sys.argv[1:]
    update = args[:1] == ["--update"]
    if update:
        args = args[1:]
    chromium, outdir, report, report_csv = args[:4]
    shot_page = args[4] if len(args) > 4 else report
    profile = tempfile.mkdtemp(prefix="html-check-")
    try:
        b = Browser(chromium, profile)
        try:
            url = "file://" + os.path.abspath(report)
            b.open(url, 1280, 900, False)
            check("the browser has no network (unshare -n)", b.isolated or os.geteuid() != 0)
            foreign = [u for u in b.requests() if u != url and not u.startswith("data:")]
            check("self-contained: no request but the file", not foreign, foreign[:3])
            n = dom_checks(b, report_csv)
            for name, w, h, mobile in (("phone", 390, 844, True), ("desktop", 1280, 900, False)):
                b.open("file://" + os.path.abspath(shot_page), w, h, mobile)
                shot = b.screenshot(w, mobile)
                open(os.path.join(outdir, "shot-%s.png" % name), "wb").write(shot)
                compare(shot, os.path.join(HERE, "ref-%s.png" % name), name, update)
        finally:
            b.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    print("html_check: %d sessions; %d passed, %d failed" % (n, passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
