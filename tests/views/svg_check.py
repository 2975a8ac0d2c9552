#!/usr/bin/python3
"""svg_check.py: an SVG diagram against the PDF page it was drawn beside.

Usage: svg_check.py REPORT.pdf REPORT.json SESSION.svg...

Both come from one description of the diagram (render/diagram.h), so they must show the
same thing. From the PDF, every text shown (each BT..ET block: its string, and where its
origin lands on the page, through the cm frames it is drawn in) is read from the content
streams of the session's pages (pikepdf); from the SVG, every <text> (through the matrix()
of its groups, with y turned back upwards). Checked:
  * the SVG parses as XML, is <svg version="1.1"> in the SVG namespace, with a viewBox and
    whole-pixel width and height 4/3 of it;
  * the heading, meta line and chips say the same;
  * the rows (labels, states, margin, options, tags, folds, pauses, phases, TIME-WAIT) are the
    same texts in the same order; on a session of one page, each also at the same baseline
    (0.02 pt; a left-anchored one also at the same x, and so along a slanted arrow too);
  * one arrow per kept segment of the JSON timeline, each with its flags label.
Prints `svg_check: OK ...` or the differences; exit status 1 on a difference. English reports
only (the built-in fonts' WinAnsi bytes are read back as text). Python 3 with pikepdf.
"""
import json
import math
import re
import sys
import xml.etree.ElementTree as ET

import pikepdf

SVG = "{http://www.w3.org/2000/svg}"
HEADER_PARTS = {"heading", "meta", "box"}
ROW_PARTS = {"phase", "fold", "pause", "label", "options", "tag", "margin", "state", "time-wait"}
SYMBOL = {0xAE: "\u2192", 0xAC: "\u2190", 0xAD: "\u2191", 0xAF: "\u2193", 0xAB: "\u2194"}
DIAGRAM_RIGHT = 392.0  # the diagram column of a PDF page (render/diagram.h: DG_X_RIGHT)
ROWS_TOP = 735.0       # below the lifeline boxes


def mul(m, n):
    """m then n (PDF order: a point is transformed by m first)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def apply(m, x, y):
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def decode(raw, font):
    if font == "Symbol":
        return "".join(SYMBOL.get(ch, "?") for ch in raw)
    return bytes(raw).decode("cp1252", errors="replace")


def pdf_texts(page):
    """Every BT..ET block of the page: (string, x, y, font) in stream order."""
    fonts = {}
    res = page.obj.get("/Resources", {})
    for name, f in res.get("/Font", {}).items():
        fonts[name] = str(f.get("/BaseFont", ""))[1:]
    out, ctm, stack = [], (1, 0, 0, 1, 0, 0), []
    font, tlm, text, origin = "", None, "", None
    for operands, op in pikepdf.parse_content_stream(page):
        op = str(op)
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop()
        elif op == "cm":
            ctm = mul(tuple(float(v) for v in operands), ctm)
        elif op == "BT":
            tlm, text, origin = (1, 0, 0, 1, 0, 0), "", None
        elif op == "Tf":
            font = fonts.get(str(operands[0]), "")
        elif op == "Td":
            tlm = mul((1, 0, 0, 1, float(operands[0]), float(operands[1])), tlm)
        elif op == "Tm":
            tlm = tuple(float(v) for v in operands)
        elif op in ("Tj", "TJ"):
            if origin is None:
                origin = apply(ctm, tlm[4], tlm[5])
            items = operands[0] if op == "TJ" else [operands[0]]
            for it in items:
                if isinstance(it, pikepdf.String):
                    text += decode(bytes(it), font)
        elif op == "ET":
            if origin is not None:
                out.append((text, origin[0], origin[1], font))
    return out


def svg_texts(path):
    root = ET.parse(path).getroot()
    problems = []
    if root.tag != SVG + "svg" or root.get("version") != "1.1":
        problems.append("not an SVG 1.1 root element")
    vb = [float(v) for v in root.get("viewBox", "0 0 0 0").split()]
    w, h = root.get("width", ""), root.get("height", "")
    if not (w.isdigit() and h.isdigit()) or abs(int(w) - vb[2] * 4 / 3) > 0.01 or abs(int(h) - vb[3] * 4 / 3) > 0.01:
        problems.append("width/height %s/%s are not 4/3 of the viewBox %s" % (w, h, vb))
    texts, arrows = [], 0

    def walk(el, m):
        nonlocal arrows
        t = el.get("transform")
        if t:
            nums = [float(v) for v in re.findall(r"-?[\d.]+", t)]
            m = mul(tuple(nums), m)
        cls = (el.get("class") or "").split()
        if el.tag == SVG + "g" and "arrow" in cls:
            arrows += 1
        if el.tag == SVG + "text":
            x, y = apply(m, float(el.get("x")), float(el.get("y")))
            texts.append({"part": cls[0], "text": "".join(el.itertext()), "x": x, "y": -y,
                          "anchor": el.get("text-anchor", "start"), "rotated": abs(m[1]) > 1e-6})
        for child in el:
            walk(child, m)

    walk(root, (1, 0, 0, 1, 0, 0))
    return texts, arrows, problems, (int(w) if w.isdigit() else 0, int(h) if h.isdigit() else 0)


def session_pages(pdf, heading):  # pdf: the texts of each page
    """The page whose heading is this one, and the pages after it headed as its continuation
    (templates/en.txt: session.continued = Session {id} (continued))."""
    cont = re.sub(r"^(Session [\d,]+).*", r"\1 (continued)", heading)
    pages = []
    for texts in pdf:
        top = [t[0] for t in texts if abs(t[2] - 791.89) < 0.5 and t[1] < 40]
        if top and (top[0] == heading or (pages and top[0] == cont)):
            pages.append(texts)
        elif pages:
            break
    return pages


def check(pdf, pdf_path, report, svg_path):
    sid = int(re.search(r"session-(\d+)\.svg$", svg_path).group(1))
    session = next(s for s in report["sessions"] if s["id"] == sid)
    texts, arrows, problems, size = svg_texts(svg_path)
    head = [t for t in texts if t["part"] == "heading"]
    if not head:
        print("svg_check: %s: no heading" % svg_path)
        return 1
    heading = head[0]["text"]
    pages = session_pages(pdf, heading)
    if not pages:
        print("svg_check: %s: no page of session %d in %s" % (svg_path, sid, pdf_path))
        return 1
    first = pages[0]
    col = [t for t in first if t[1] < DIAGRAM_RIGHT and t[2] > 740]
    svg_head = [t["text"] for t in texts if t["part"] in HEADER_PARTS]
    pdf_head = [t[0] for t in col]
    if svg_head != pdf_head:
        problems.append("header: SVG %r, PDF %r" % (svg_head, pdf_head))
    chips_svg = [t["text"] for t in texts if t["part"] == "chip"]
    chips_pdf = [t[0] for t in first if t[1] > DIAGRAM_RIGHT and abs(t[2] - 791.89) < 0.5]
    if chips_svg != chips_pdf:
        problems.append("chips: SVG %r, PDF %r" % (chips_svg, chips_pdf))
    rows_svg = [t for t in texts if t["part"] in ROW_PARTS]
    rows_pdf = [t for p in pages for t in p if t[1] < DIAGRAM_RIGHT and 30 < t[2] < ROWS_TOP]
    n = len(rows_svg)
    if [t["text"] for t in rows_svg] != [t[0] for t in rows_pdf[:n]]:
        for a, b in zip([t["text"] for t in rows_svg], [t[0] for t in rows_pdf]):
            if a != b:
                problems.append("rows differ first at SVG %r, PDF %r" % (a, b))
                break
        else:
            problems.append("rows: %d in the SVG, %d in the PDF's diagram column" % (n, len(rows_pdf)))
    elif len(pages) == 1:
        for s, p in zip(rows_svg, rows_pdf):
            # The origin of a centred or right-aligned text is its left end in the PDF and its
            # anchor in the SVG: only the baseline of an upright one compares.
            start = s["anchor"] == "start"
            if (start and (abs(s["x"] - p[1]) > 0.02 or abs(s["y"] - p[2]) > 0.02)) or \
               (not start and not s["rotated"] and abs(s["y"] - p[2]) > 0.02):
                problems.append("%r at (%.2f, %.2f) in the SVG, (%.2f, %.2f) in the PDF" % (s["text"], s["x"], s["y"], p[1], p[2]))
                break
    events = len(session["timeline"]["events"])
    flags = sum(1 for t in rows_svg if t["part"] == "label" and re.match(r"^\[[A-Z.]+\]", t["text"]))
    if arrows != events or flags != events:
        problems.append("%d arrows and %d flag labels for %d kept segments" % (arrows, flags, events))
    if problems:
        for p in problems:
            print("svg_check: %s: %s" % (svg_path, p))
        return 1
    print("svg_check: OK %s: %d texts, %d arrows, %d page(s), %dx%d px" % (svg_path, len(texts), arrows, len(pages), *size))
    return 0


def main():
    pdf_path, json_path = sys.argv[1:3]
    report = json.load(open(json_path))
    failed = 0
    with pikepdf.open(pdf_path) as doc:
        pages = [pdf_texts(page) for page in doc.pages]  # read once, for every SVG
    for svg_path in sys.argv[3:]:
        failed += check(pages, pdf_path, report, svg_path)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
