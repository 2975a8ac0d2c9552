#!/usr/bin/python3
"""pdfa_check.py — offline checks of a PDF against PDF/A-1b (ISO 19005-1, level B).

veraPDF, the reference validator, is not packaged in Debian. This script checks, with
python3-pikepdf (Debian) and by reading the file's bytes, the rules of veraPDF's PDF/A-1B
validation profile that apply to what pcap2report writes; each result names the veraPDF rule
(clause-test) it follows. docs/pdfa.md lists the rules, how each is checked, and the ones that
are not. It also checks what a reader sees: every glyph drawn is in its embedded font, with an
outline (ISO 19005-1 6.3.5 and more: a character the font lacks shows as .notdef).

Usage: pdfa_check.py [--glyphs] FILE.pdf
  default   all the PDF/A-1b checks below
  --glyphs  only the font and glyph checks (for reports that are not PDF/A)
Prints one line per failed check (and a summary); exit 0 when all pass, 1 otherwise, 2 when
the file cannot be read or pikepdf is missing.
"""
import datetime
import hashlib
import re
import struct
import sys
import unicodedata
import xml.etree.ElementTree as ET

try:
    import pikepdf
except ImportError:  # pragma: no cover
    print("pdfa_check: python3-pikepdf is not installed", file=sys.stderr)
    sys.exit(2)

FAILS = []
PASSED = set()
CHECKED = set()


def check(rule, ok, detail=""):
    CHECKED.add(rule)
    if ok:
        PASSED.add(rule)
    else:
        FAILS.append((rule, detail))
    return ok


# ---- the bytes: ISO 19005-1 6.1 ------------------------------------------------------------

def check_bytes(raw, pdf):
    check("6.1.2-1", raw.startswith(b"%PDF-1.") and re.match(rb"%PDF-\d\.\d", raw) is not None,
          "file header")
    m = re.match(rb"%PDF-\d\.\d(\r\n|\r|\n)%(....)", raw, re.S)
    check("6.1.2-2", m is not None and all(b > 127 for b in m.group(2)),
          "binary comment after the header")
    tail = raw[raw.rfind(b"%%EOF"):]
    check("6.1.3-3", tail in (b"%%EOF", b"%%EOF\n", b"%%EOF\r\n", b"%%EOF\r"),
          "data after the last %%EOF")
    sx = re.search(rb"startxref(?:\r\n|\r|\n)(\d+)", raw[-64:])
    offset = int(sx.group(1)) if sx else -1
    xr = re.match(rb"xref(\r\n|\r|\n)(\d+) (\d+)(\r\n|\r|\n| \r\n| \n)", raw[offset:offset + 40]) if offset >= 0 else None
    check("6.1.4-1", xr is not None, "xref keyword and subsection header (single space)")
    check("6.1.4-2", xr is not None, "EOL after the xref keyword")
    if not xr:
        return
    # Objects: "N G obj" EOL ... EOL "endobj"; streams: "stream" CRLF|LF, data of /Length, EOL "endstream".
    first, count = int(xr.group(2)), int(xr.group(3))
    pos = offset + xr.end()
    spacing_ok = length_ok = keyword_ok = True
    details = []
    for k in range(count):
        entry = raw[pos + 20 * k: pos + 20 * k + 20]
        if len(entry) < 18 or entry[17:18] != b"n":
            continue
        num = first + k
        off = int(entry[:10])
        hm = re.match(rb"(\d+) (\d+) obj(\r\n|\r|\n)", raw[off:off + 40])
        if not hm or int(hm.group(1)) != num:
            spacing_ok = False
            details.append(f"object {num}: header")
            continue
        obj = pdf.get_object((num, int(hm.group(2))))
        start = off
        if isinstance(obj, pikepdf.Stream):  # endobj comes after the data
            start = raw.find(b"endstream", raw.find(b"stream", off + hm.end()) + 6 + int(obj.get("/Length", 0)))
        end = raw.find(b"endobj", start)
        if end < 0 or raw[end - 1:end] not in (b"\n", b"\r") or raw[end + 6:end + 7] not in (b"\n", b"\r"):
            spacing_ok = False
            details.append(f"object {num}: endobj")
        if isinstance(obj, pikepdf.Stream):
            s = raw.find(b"stream", off + hm.end())
            eol = 2 if raw[s + 6:s + 8] == b"\r\n" else 1 if raw[s + 6:s + 7] == b"\n" else 0
            if not eol:
                keyword_ok = False
                details.append(f"object {num}: EOL after 'stream'")
                continue
            data = s + 6 + eol
            n = int(obj.get("/Length", -1))
            after = raw[data + n:data + n + 11]
            if not re.match(rb"(\r\n|\r|\n)endstream", after):
                length_ok = False
                details.append(f"object {num}: /Length {n} does not end at EOL endstream")
    check("6.1.8-1", spacing_ok, "; ".join(details[:5]))
    check("6.1.7-1", length_ok, "; ".join(details[:5]))
    check("6.1.7-2", keyword_ok, "; ".join(details[:5]))


# ---- every object: 6.1.3, 6.1.6-6.1.13 ---------------------------------------------------

def vals(d):
    """The values of a dictionary (pikepdf 6 has no .values())."""
    return [d[k] for k in d.keys()] if d is not None else []


def walk(obj, seen, visit):
    """Visits obj and everything it contains once (indirect objects by their number)."""
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)) and o.is_indirect:
            if o.objgen in seen:
                continue
            seen.add(o.objgen)
        visit(o)
        if isinstance(o, (pikepdf.Dictionary, pikepdf.Stream)):
            stack.extend(vals(o))
        elif isinstance(o, pikepdf.Array):
            stack.extend(list(o))


def check_objects(pdf):
    limits = {"int": [], "real": [], "string": [], "name": [], "array": [], "dict": [], "stream": [], "lzw": []}

    def visit(o):
        if isinstance(o, pikepdf.Array):
            if len(o) > 8191:
                limits["array"].append(len(o))
        elif isinstance(o, (pikepdf.Dictionary, pikepdf.Stream)):
            if len(o.keys()) > 4095:
                limits["dict"].append(len(o.keys()))
            for k in o.keys():
                if len(k.encode()) - 1 > 127:
                    limits["name"].append(k)
            if isinstance(o, pikepdf.Stream):
                if any(k in o for k in ("/F", "/FFilter", "/FDecodeParms")):
                    limits["stream"].append(o.objgen)
                f = o.get("/Filter")
                names = [str(x) for x in f] if isinstance(f, pikepdf.Array) else [str(f)] if f is not None else []
                if "/LZWDecode" in names:
                    limits["lzw"].append(o.objgen)
        elif isinstance(o, pikepdf.Name):
            if len(str(o).encode()) - 1 > 127:
                limits["name"].append(str(o))
        elif isinstance(o, pikepdf.String):
            if len(bytes(o)) > 65535:
                limits["string"].append(len(bytes(o)))
        elif isinstance(o, bool):
            pass
        elif isinstance(o, int):
            if not -2147483648 <= o <= 2147483647:
                limits["int"].append(o)
        elif isinstance(o, (float,)) or type(o).__name__ == "Decimal":
            if abs(float(o)) > 32767:
                limits["real"].append(float(o))

    seen = set()
    walk(pdf.trailer, seen, visit)
    for o in pdf.objects:  # unreferenced objects are in the file too
        walk(o, seen, visit)
    check("6.1.12-1", not limits["int"], f"integers out of range: {limits['int'][:3]}")
    check("6.1.12-2", not limits["real"], f"reals out of range: {limits['real'][:3]}")
    check("6.1.12-3", not limits["string"], f"strings too long: {limits['string'][:3]}")
    check("6.1.12-4", not limits["name"], f"names too long: {limits['name'][:3]}")
    check("6.1.12-5", not limits["array"], f"arrays of {limits['array'][:3]} elements (at most 8191)")
    check("6.1.12-6", not limits["dict"], f"dictionaries of {limits['dict'][:3]} entries")
    check("6.1.12-7", len(pdf.objects) <= 8388607, "too many indirect objects")
    check("6.1.7-3", not limits["stream"], f"streams with F/FFilter/FDecodeParms: {limits['stream'][:3]}")
    check("6.1.10-1", not limits["lzw"], f"LZW streams: {limits['lzw'][:3]}")
    tr = pdf.trailer
    ids = tr.get("/ID")
    check("6.1.3-1", isinstance(ids, pikepdf.Array) and len(ids) == 2, "trailer /ID")
    check("6.1.3-2", "/Encrypt" not in tr, "trailer /Encrypt")
    root = pdf.Root
    check("6.1.11-2", "/Names" not in root or "/EmbeddedFiles" not in root.Names, "embedded files")
    check("6.1.13-1", "/OCProperties" not in root, "optional content")
    check("6.6.2-3", "/AA" not in root, "catalog additional actions")
    check("6.9-1", "/AcroForm" not in root or not root.AcroForm.get("/NeedAppearances", False),
          "NeedAppearances")


def check_id(raw, pdf):
    """pcap2report's own rule: /ID is the first 16 bytes of the SHA-256 of the file with its /ID zeroed."""
    ids = pdf.trailer.get("/ID")
    if not isinstance(ids, pikepdf.Array) or len(ids) != 2:
        return check("id-from-content", False, "no /ID")
    first = bytes(ids[0])
    hexid = first.hex().upper().encode()
    zeroed = raw.replace(b"<" + hexid + b">", b"<" + b"0" * 32 + b">")
    want = hashlib.sha256(zeroed).digest()[:16]
    return check("id-from-content", first == want and bytes(ids[1]) == want,
                 f"/ID {first.hex()} is not SHA-256 of the content ({want.hex()})")


# ---- graphics: 6.2, 6.4 ------------------------------------------------------------------

PDF14_OPERATORS = set("""b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i ID
j J K k l m M MP n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz v w W W* y ' \"""".split())


def icc_header(stream):
    data = stream.read_bytes()
    if len(data) < 128:
        return None
    return {"version": data[8] + (data[9] >> 4) / 10, "class": data[12:16].decode("latin-1"),
            "space": data[16:20].decode("latin-1")}


def check_graphics(pdf):
    intents = pdf.Root.get("/OutputIntents")
    out_space = None
    ok = isinstance(intents, pikepdf.Array) and len(intents) >= 1
    profiles = set()
    if ok:
        for oi in intents:
            if oi.get("/S") == "/GTS_PDFA1":
                prof = oi.get("/DestOutputProfile")
                if not isinstance(prof, pikepdf.Stream):
                    ok = False
                    continue
                profiles.add(prof.objgen)
                h = icc_header(prof)
                good = h is not None and h["class"] in ("mntr", "prtr") and h["space"] in ("RGB ", "CMYK", "GRAY") and h["version"] < 3.0
                check("6.2.2-1", good, f"output profile {h}")
                n = int(prof.get("/N", 0))
                check("6.2.3-5", h is not None and (n, h["space"]) in ((1, "GRAY"), (3, "RGB "), (4, "CMYK")),
                      f"/N {n} for a {h and h['space']} profile")
                out_space = h and h["space"]
    check("6.2.2-1", ok and out_space is not None, "no GTS_PDFA1 OutputIntent with a DestOutputProfile")
    check("6.2.2-2", len(profiles) <= 1, "OutputIntents with different profiles")

    uses_rgb = uses_cmyk = uses_gray = False
    depth_ok = ops_ok = True
    bad_ops = set()
    for page in pdf.pages:
        depth = 0
        for operands, op in pikepdf.parse_content_stream(page):
            name = str(op)
            if name not in PDF14_OPERATORS:
                ops_ok = False
                bad_ops.add(name)
            if name == "q":
                depth += 1
                depth_ok = depth_ok and depth <= 28
            elif name == "Q":
                depth -= 1
            elif name in ("rg", "RG"):
                uses_rgb = True
            elif name in ("k", "K"):
                uses_cmyk = True
            elif name in ("g", "G"):
                uses_gray = True
            for v in operands:
                if isinstance(v, (int, float)) or type(v).__name__ == "Decimal":
                    if abs(float(v)) > 32767:
                        check("6.1.12-2", False, f"content stream number {v}")
        group = page.obj.get("/Group")
        check("6.4-3", group is None or group.get("/S") != "/Transparency", "page transparency group")
        res = page.obj.get("/Resources", pikepdf.Dictionary())
        for gs in vals(res.get("/ExtGState")):
            check("6.4-1", gs.get("/SMask", pikepdf.Name.None_) in (pikepdf.Name("/None"),) or "/SMask" not in gs, "ExtGState SMask")
            check("6.4-4", gs.get("/BM") in (None, pikepdf.Name("/Normal"), pikepdf.Name("/Compatible")), "blend mode")
            check("6.4-5", float(gs.get("/CA", 1)) == 1.0, "stroke alpha")
            check("6.4-6", float(gs.get("/ca", 1)) == 1.0, "fill alpha")
            check("6.2.8-1", "/TR" not in gs, "transfer function")
            check("6.2.8-2", gs.get("/TR2") in (None, pikepdf.Name("/Default")), "TR2")
        for xo in vals(res.get("/XObject")):
            check("6.4-2", "/SMask" not in xo, "XObject SMask")
            check("6.2.4-2", "/OPI" not in xo, "OPI")
            check("6.2.7-1", xo.get("/Subtype") != "/PS", "PostScript XObject")
            check("6.2.4-3", not xo.get("/Interpolate", False), "image interpolation")
            check("6.2.4-1", "/Alternates" not in xo, "image alternates")
    check("6.2.10-1", ops_ok, f"operators outside PDF 1.4: {sorted(bad_ops)}")
    check("6.1.12-8", depth_ok, "q nesting deeper than 28")
    check("6.2.3-2", not uses_rgb or out_space == "RGB ", "DeviceRGB without an RGB output intent")
    check("6.2.3-3", not uses_cmyk or out_space == "CMYK", "DeviceCMYK without a CMYK output intent")
    check("6.2.3-4", not uses_gray or out_space is not None, "DeviceGray without an output intent")


# ---- fonts: 6.3 --------------------------------------------------------------------------

STANDARD_14 = {"Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Helvetica",
               "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Courier",
               "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Symbol", "ZapfDingbats"}


class TrueType:
    """The tables of an embedded TrueType program that the checks need."""

    def __init__(self, data):
        self.data = data
        n = struct.unpack(">H", data[4:6])[0]
        self.tables = {}
        for i in range(n):
            tag, _, off, length = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
            self.tables[tag.decode("latin-1")] = (off, length)
        head = self.table("head")
        self.units = struct.unpack(">H", head[18:20])[0]
        self.long_loca = struct.unpack(">h", head[50:52])[0] == 1
        self.num_glyphs = struct.unpack(">H", self.table("maxp")[4:6])[0]
        self.n_hmetrics = struct.unpack(">H", self.table("hhea")[34:36])[0]
        loca = self.table("loca")
        if self.long_loca:
            self.loca = struct.unpack(f">{len(loca) // 4}I", loca[:len(loca) // 4 * 4])
        else:
            self.loca = [2 * x for x in struct.unpack(f">{len(loca) // 2}H", loca[:len(loca) // 2 * 2])]
        self.glyf = self.table("glyf")
        self.hmtx = self.table("hmtx")

    def table(self, tag):
        off, length = self.tables[tag]
        return self.data[off:off + length]

    def advance(self, gid):
        i = min(gid, self.n_hmetrics - 1)
        return struct.unpack(">H", self.hmtx[4 * i:4 * i + 2])[0]

    def outline(self, gid):
        if gid + 1 >= len(self.loca):
            return b""
        return self.glyf[self.loca[gid]:self.loca[gid + 1]]

    def components(self, gid):
        g = self.outline(gid)
        if len(g) < 10 or struct.unpack(">h", g[:2])[0] >= 0:
            return []
        out, p = [], 10
        while p + 4 <= len(g):
            flags, comp = struct.unpack(">HH", g[p:p + 4])
            out.append(comp)
            p += 4 + (4 if flags & 1 else 2)
            p += 8 if flags & 0x80 else 4 if flags & 0x40 else 2 if flags & 0x08 else 0
            if not flags & 0x20:
                break
        return out


def used_codes(pdf):
    """{font objgen: (font, set of codes)} for the text shown on every page."""
    out = {}
    for page in pdf.pages:
        res = page.obj.get("/Resources", pikepdf.Dictionary())
        fonts = res.get("/Font") or pikepdf.Dictionary()
        current = None
        for operands, op in pikepdf.parse_content_stream(page):
            name = str(op)
            if name == "Tf":
                current = fonts.get(str(operands[0]))
            elif name in ("Tj", "'", '"', "TJ") and current is not None:
                strings = []
                if name == "TJ":
                    strings = [bytes(x) for x in operands[0] if isinstance(x, pikepdf.String)]
                else:
                    strings = [bytes(operands[-1])]
                entry = out.setdefault(current.objgen, (current, set()))
                two = current.get("/Subtype") == "/Type0"
                for s in strings:
                    if two:
                        entry[1].update(struct.unpack(f">{len(s) // 2}H", s[:len(s) // 2 * 2]))
                    else:
                        entry[1].update(s)
    return out


def cid_widths(cidfont):
    dw = int(cidfont.get("/DW", 1000))
    w = {}
    arr = list(cidfont.get("/W", []))
    i = 0
    while i < len(arr):
        first = int(arr[i])
        if isinstance(arr[i + 1], pikepdf.Array):
            for j, v in enumerate(arr[i + 1]):
                w[first + j] = float(v)
            i += 2
        else:
            for c in range(first, int(arr[i + 1]) + 1):
                w[c] = float(arr[i + 2])
            i += 3
    return dw, w


def check_fonts(pdf, pdfa):
    for font, codes in used_codes(pdf).values():
        name = str(font.get("/BaseFont", "?"))
        sub = font.get("/Subtype")
        if pdfa:
            check("6.3.2-1", font.get("/Type") == "/Font", f"{name}: /Type")
            check("6.3.2-2", sub in ("/Type1", "/MMType1", "/TrueType", "/Type3", "/Type0"), f"{name}: /Subtype")
            check("6.3.2-3", sub == "/Type3" or "/BaseFont" in font, f"{name}: /BaseFont")
        if sub != "/Type0":
            if pdfa:
                fd = font.get("/FontDescriptor")
                embedded = fd is not None and any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                check("6.3.4-1", sub == "/Type3" or embedded, f"{name}: font program not embedded")
                standard = fd is None and name.lstrip("/") in STANDARD_14
                check("6.3.2-4", standard or "/FirstChar" in font, f"{name}: /FirstChar")
                check("6.3.2-6", standard or "/Widths" in font, f"{name}: /Widths")
            continue
        enc = font.get("/Encoding")
        cidfont = font.DescendantFonts[0]
        fd = cidfont.get("/FontDescriptor")
        if pdfa:
            check("6.3.3-3", enc in ("/Identity-H", "/Identity-V") or isinstance(enc, pikepdf.Stream),
                  f"{name}: CMap {enc} not embedded")
            check("6.3.3-2", cidfont.get("/Subtype") != "/CIDFontType2" or "/CIDToGIDMap" in cidfont,
                  f"{name}: /CIDToGIDMap")
            check("6.3.2-2", cidfont.get("/Subtype") in ("/CIDFontType0", "/CIDFontType2"), f"{name}: CIDFont /Subtype")
        ff = fd.get("/FontFile2") if fd is not None else None
        if not check("6.3.4-1", ff is not None, f"{name}: font program not embedded"):
            continue
        tt = TrueType(ff.read_bytes())
        m = cidfont.get("/CIDToGIDMap")
        cmap = m.read_bytes() if isinstance(m, pikepdf.Stream) else None

        def gid_of(cid):
            if cmap is None:
                return cid
            return struct.unpack(">H", cmap[2 * cid:2 * cid + 2])[0] if 2 * cid + 2 <= len(cmap) else None

        if pdfa:
            subset = re.match(r"/[A-Z]{6}\+", name) is not None
            cidset = fd.get("/CIDSet")
            check("6.3.5-3", not subset or isinstance(cidset, pikepdf.Stream), f"{name}: subset without /CIDSet")
            if isinstance(cidset, pikepdf.Stream):
                bits = cidset.read_bytes()
                setbits = [i for i in range(len(bits) * 8) if bits[i // 8] & (0x80 >> (i % 8))]
                bad = [i for i in setbits if i >= 1 and (gid_of(i) is None or gid_of(i) >= tt.num_glyphs)]
                check("6.3.5-3", not bad and len(setbits) >= tt.num_glyphs,
                      f"{name}: /CIDSet lists CIDs not in the font ({bad[:3]}) or fewer than its "
                      f"{tt.num_glyphs} glyphs ({len(setbits)})")
        dw, widths = cid_widths(cidfont)
        missing, empty, bad_width = [], [], []
        for cid in sorted(codes):
            gid = gid_of(cid)
            ch = chr(cid) if cid < 0xd800 or cid > 0xdfff else "?"
            blank = unicodedata.category(ch) in ("Zs", "Cc", "Cf")
            if gid is None or gid == 0 or gid >= tt.num_glyphs:
                missing.append(ch)
                continue
            if not blank:
                if not tt.outline(gid) or any(not tt.outline(c) for c in tt.components(gid)):
                    empty.append(ch)
            expected = tt.advance(gid) * 1000.0 / tt.units
            if abs(widths.get(cid, dw) - expected) > 1.0:
                bad_width.append(f"{ch} {widths.get(cid, dw)} vs {expected:.0f}")
        check("6.3.5-1", not missing, f"{name}: characters the font lacks (drawn as .notdef): {''.join(missing[:20])!r}")
        check("glyph-outline", not empty, f"{name}: glyphs drawn without an outline (blank): {''.join(empty[:20])!r}")
        check("6.3.6-1", not bad_width, f"{name}: widths differ from the font program: {bad_width[:3]}")


# ---- annotations and actions: 6.5, 6.6 ----------------------------------------------------

def check_annotations(pdf, out_rgb=True):
    allowed = {"/Text", "/Link", "/FreeText", "/Line", "/Square", "/Circle", "/Highlight", "/Underline",
               "/Squiggly", "/StrikeOut", "/Stamp", "/Ink", "/Popup", "/Widget", "/PrinterMark", "/TrapNet"}
    actions = {"/GoTo", "/GoToR", "/Thread", "/URI", "/Named", "/SubmitForm"}
    flags_bad = []
    for i, page in enumerate(pdf.pages):
        for a in page.obj.get("/Annots", []):
            check("6.5.2-1", a.get("/Subtype") in allowed, f"annotation {a.get('/Subtype')}")
            f = int(a.get("/F", 0))
            if not (f & 4 and not f & 1 and not f & 2 and not f & 32):
                flags_bad.append(i + 1)
            check("6.5.3-1", float(a.get("/CA", 1.0)) == 1.0, "annotation CA")
            check("6.5.3-3", ("/C" not in a and "/IC" not in a) or out_rgb, "annotation colour without RGB intent")
            ap = a.get("/AP")
            check("6.5.3-4", ap is None or list(ap.keys()) == ["/N"], "appearance dictionary")
            act = a.get("/A")
            if act is not None:
                check("6.6.1-1", act.get("/S") in actions, f"action {act.get('/S')}")
    check("6.5.3-2", not flags_bad, f"annotations without the print flag (or hidden) on pages {flags_bad[:5]}")
    outlines = pdf.Root.get("/Outlines")
    stack = [outlines.get("/First")] if outlines is not None and "/First" in outlines else []
    while stack:
        o = stack.pop()
        if o is None:
            continue
        act = o.get("/A")
        if act is not None:
            check("6.6.1-1", act.get("/S") in actions, f"outline action {act.get('/S')}")
        if "/First" in o:
            stack.append(o.First)
        if "/Next" in o:
            stack.append(o.Next)


# ---- metadata: 6.7 -----------------------------------------------------------------------

NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
      "pdf": "http://ns.adobe.com/pdf/1.3/", "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
      "xml": "http://www.w3.org/XML/1998/namespace"}


def pdf_date(s):
    m = re.match(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([+\-Z])?(\d{2})?'?(\d{2})?'?", s)
    if not m:
        return None
    y, mo, d, h, mi, se = (int(m.group(i) or default) for i, default in zip(range(1, 7), (0, 1, 1, 0, 0, 0)))
    sign = -1 if m.group(7) == "-" else 1
    off = sign * (int(m.group(8) or 0) * 60 + int(m.group(9) or 0))
    return datetime.datetime(y, mo, d, h, mi, se, tzinfo=datetime.timezone(datetime.timedelta(minutes=off)))


def xmp_date(s):
    try:
        return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return None


def check_metadata(pdf):
    md = pdf.Root.get("/Metadata")
    if not check("6.7.2-1", isinstance(md, pikepdf.Stream), "no /Metadata stream in the catalog"):
        return
    check("6.7.2-2", "/Filter" not in md, "the metadata stream is filtered")
    check("metadata-subtype", md.get("/Type") == "/Metadata" and md.get("/Subtype") == "/XML",
          f"metadata stream type {md.get('/Type')} subtype {md.get('/Subtype')} (keys {list(md.keys())})")
    data = md.read_bytes()
    head = re.match(rb"<\?xpacket([^?]*)\?>", data)
    check("6.7.5-1", head is not None and b"bytes=" not in head.group(1), "xpacket bytes attribute")
    check("6.7.5-2", head is not None and b"encoding=" not in head.group(1), "xpacket encoding attribute")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        check("6.7.9-1", False, f"the XMP packet is not well-formed XML: {e}")
        return
    check("6.7.9-1", True)
    used = {el.tag.split("}")[0][1:] for el in root.iter() if el.tag.startswith("{")}
    used |= {a.split("}")[0][1:] for el in root.iter() for a in el.attrib if a.startswith("{")}
    unknown = used - set(NS.values())
    check("6.7.9-1", not unknown, f"properties outside the predefined schemas (need an extension schema): {unknown}")
    raw_text = data.decode("utf-8", "replace")
    check("6.7.11-5", "pdfaid:" in raw_text, "PDF/A identification prefix is not 'pdfaid'")

    def prop(path):
        el = root.find(".//" + path, NS)
        if el is not None:
            return (el.text or "").strip()
        for d in root.iter("{%s}Description" % NS["rdf"]):  # the attribute form
            key = "{%s}%s" % (NS[path.split(":")[0]], path.split(":")[1])
            if key in d.attrib:
                return d.attrib[key]
        return None

    check("6.7.11-1", prop("pdfaid:part") is not None, "no pdfaid:part")
    check("6.7.11-2", prop("pdfaid:part") == "1", f"pdfaid:part = {prop('pdfaid:part')}")
    check("6.7.11-3", prop("pdfaid:conformance") == "B", f"pdfaid:conformance = {prop('pdfaid:conformance')}")
    check("6.7.11-4", prop("pdfaid:corr") is None, "pdfaid:corr")

    info = pdf.trailer.get("/Info")
    pairs = [("/Title", "dc:title/rdf:Alt/rdf:li"), ("/Author", "dc:creator/rdf:Seq/rdf:li"),
             ("/Subject", "dc:description/rdf:Alt/rdf:li"), ("/Keywords", "pdf:Keywords"),
             ("/Creator", "xmp:CreatorTool"), ("/Producer", "pdf:Producer")]
    for key, path in pairs:
        if info is not None and key in info:
            want, got = str(info[key]), prop(path)
            check("6.7.3-1", got == want, f"Info {key} {want!r} but XMP {path} {got!r}")
    for key, path in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        if info is not None and key in info:
            a, b = pdf_date(str(info[key])), xmp_date(prop(path) or "")
            check("6.7.3-1", a is not None and b is not None and a == b,
                  f"Info {key} {info[key]} but XMP {path} {prop(path)}")


def main():
    args = sys.argv[1:]
    glyphs_only = "--glyphs" in args
    files = [a for a in args if not a.startswith("--")]
    if len(files) != 1:
        print(__doc__.split("\n\n")[2], file=sys.stderr)
        return 2
    path = files[0]
    try:
        raw = open(path, "rb").read()
        pdf = pikepdf.open(path)
    except Exception as e:  # noqa: BLE001 - anything unreadable is a usage error here
        print(f"pdfa_check: {path}: {e}", file=sys.stderr)
        return 2
    if glyphs_only:
        check_fonts(pdf, False)
    else:
        check_bytes(raw, pdf)
        check_objects(pdf)
        check_id(raw, pdf)
        check_graphics(pdf)
        check_fonts(pdf, True)
        check_annotations(pdf)
        check_metadata(pdf)
    for rule, detail in FAILS:
        print(f"FAIL {rule}: {detail}")
    failed = CHECKED - PASSED | {r for r, _ in FAILS}
    print(f"pdfa_check: {path}: {len(CHECKED) - len(failed)} of {len(CHECKED)} rules pass"
          + ("" if glyphs_only else " (PDF/A-1b, veraPDF rule numbers)"))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
