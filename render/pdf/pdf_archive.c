/* pdf_archive.c — what makes a report last: its date, its provenance, an /ID derived from its
 * own bytes, font dictionaries within PDF/A-1's rules, and with --pdfa the PDF/A-1b parts.
 *
 * libharu 2.3.0 (Debian 12) gets several of these wrong; each is repaired here after libharu
 * made it, so the document still comes from libharu's own calls (shared/LIBRARIES.md section 3;
 * docs/pdfa.md lists the checks that found them):
 *  - HPDF_PDFA_SetPDFAConformance names the metadata stream's type "/SubType" (PDF: /Subtype),
 *    copies the document information into the XMP packet without XML escaping (a file named
 *    "a&b.pcap" gave an ill-formed packet), and adds an /ID that is an MD5 of the clock unless
 *    the trailer has one: ours is put there first and filled in from the bytes on saving;
 *  - HPDF_PDFA_AppendOutputIntents files the profile under "DestOutputProfile " (with a space);
 *  - a TrueType font taking UTF-8 (a Type 0 font over a CIDFontType2) gets a /W array whose
 *    longest inner array has some 21,000 widths (PDF/A-1 allows 8,191 elements), no /CIDSet
 *    (PDF/A-1 requires it for a subset font), and a copy of its encoding CMap as /ToUnicode,
 *    which poppler rejects ("Invalid 'begincidrange' operator in ToUnicode CMap").
 * The font repairs are made in every mode: they are correct PDF whatever the conformance. */
#include <hpdf.h>
#include <hpdf_doc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h" /* PCAP2REPORT_SCHEMA_NAME, PCAP2REPORT_SCHEMA_VERSION */
#include "pdf_archive.h"
#include "pdf_report.h"
#include "sha256.h"

/* sRGB profiles of ICC version 2 (PDF/A-1 allows no later version), best first:
 * icc-profiles-free, then ghostscript's copy. */
static const char *const icc_profiles[] = {
    "/usr/share/color/icc/sRGB.icc",
    "/usr/share/color/icc/ghostscript/srgb.icc",
};
#define ICC_NAME "sRGB IEC61966-2.1"

#define ID_LEN 16 /* bytes of each /ID string */
#define ID_PLACEHOLDER "<00000000000000000000000000000000>"

/* libharu's lower-level calls (objects, streams) record an error without calling the
 * handler; this raises it, or fails on its own when none was recorded. */
static void check(struct pdf_ctx *x, HPDF_STATUS status, const char *what)
{
    if (status == HPDF_OK)
        return;
    HPDF_CheckError(&x->pdf->error);
    pdf_fail(x, "PDF library: %s failed (libharu error 0x%04X)", what, (unsigned)status);
}

static void *need(struct pdf_ctx *x, void *obj, const char *what)
{
    if (!obj)
        check(x, HPDF_FAILD_TO_ALLOC_MEM, what);
    return obj;
}

/* ---- date and options ----------------------------------------------------------------------- */

enum pdf_date_source pdf_archive_date(const struct pdf_ctx *x, int64_t *seconds)
{
    if (x->opt->have_source_date) {
        *seconds = x->opt->source_date;
        return PDF_DATE_SOURCE_DATE_EPOCH;
    }
    if (x->r && x->r->have_packets) {
        int64_t ns = x->r->first_ts;
        *seconds = ns / 1000000000 - (ns % 1000000000 < 0); /* rounded down */
        return PDF_DATE_CAPTURE;
    }
    *seconds = 0;
    return PDF_DATE_NONE;
}

/* The date as libharu takes it, in UTC ("+" with zero offsets: a "Z" breaks libharu's XMP
 * date conversion and so PDF/A, shared/LIBRARIES.md). False for none, or a year outside
 * 1970-9999 that the PDF date format cannot hold. */
static bool document_date(const struct pdf_ctx *x, HPDF_Date *d, struct tm *tm)
{
    int64_t s;
    if (pdf_archive_date(x, &s) == PDF_DATE_NONE || s < 0 || s > 253402300799LL)
        return false;
    time_t t = (time_t)s;
    if (!gmtime_r(&t, tm))
        return false;
    *d = (HPDF_Date){tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min,
                     tm->tm_sec, '+', 0, 0};
    return true;
}

/* Appends s to b (of PDF_FMT_LEN) as one shell word, quoted when it needs to be. */
static void append_word(char *b, const char *s)
{
    size_t n = strlen(b);
    bool plain = *s != '\0';
    for (const char *p = s; *p && plain; p++)
        plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,:/=+", *p) != NULL;
    if (plain) {
        snprintf(b + n, PDF_FMT_LEN - n, "%s", s);
        return;
    }
    if (n < PDF_FMT_LEN - 1)
        b[n++] = '\'';
    for (const char *p = s; *p && n < PDF_FMT_LEN - 5; p++) {
        if (*p == '\'') {
            memcpy(b + n, "'\\''", 4);
            n += 4;
        } else {
            b[n++] = *p;
        }
    }
    if (n < PDF_FMT_LEN - 1)
        b[n++] = '\'';
    b[n] = '\0';
}

const char *pdf_archive_options(struct pdf_ctx *x)
{
    const struct pdf_options *o = x->opt;
    char *b = (char *)pdf_fmt(x, "%s", "");
    if (o->filter) {
        char clean[512];
        pdf_valid_utf8(o->filter, clean, sizeof clean);
        strcat(b, "--filter ");
        append_word(b, clean);
        strcat(b, " ");
    }
    size_t n = strlen(b);
    if (o->max_sessions)
        n += (size_t)snprintf(b + n, PDF_FMT_LEN - n, "--max-sessions %llu ", o->max_sessions);
    if (o->idle_timeout_s && n < PDF_FMT_LEN)
        n += (size_t)snprintf(b + n, PDF_FMT_LEN - n, "--idle-timeout %lld ", o->idle_timeout_s);
    if (n < PDF_FMT_LEN)
        n += (size_t)snprintf(b + n, PDF_FMT_LEN - n, "--lang %s --max-diagrams %zu",
                              o->lang ? o->lang : "en", x->max_diagrams);
    if (o->session_filter && n < PDF_FMT_LEN - 12) {
        strcat(b, " --sessions ");
        append_word(b, o->session_filter);
    }
    if (o->absolute_seq)
        strncat(b, " --absolute-seq", PDF_FMT_LEN - strlen(b) - 1);
    if (o->pdfa)
        strncat(b, " --pdfa", PDF_FMT_LEN - strlen(b) - 1);
    return b;
}

/* ---- document information ------------------------------------------------------------------- */

struct info {
    const char *title, *subject, *creator, *producer, *keywords;
};

static struct info info_of(struct pdf_ctx *x)
{
    const char *version = x->opt->tool_version ? x->opt->tool_version : "?";
    struct info i;
    i.title = x->doc_title ? x->doc_title : T(x, "doc.title", {"file", x->file_name});
    i.subject = x->doc_subject ? x->doc_subject : T(x, "doc.subject", {"file", x->file_name});
    i.creator = pdf_fmt(x, "pcap2report %s", version);
    i.producer = pdf_fmt(x, "pcap2report %s with libharu %s", version, HPDF_GetVersion());
    i.keywords = pdf_fmt(x, "pcap2report %s; schema %s %s; input SHA-256 %s; options %s", version,
                         PCAP2REPORT_SCHEMA_NAME, PCAP2REPORT_SCHEMA_VERSION,
                         x->r && x->r->sha256[0] ? x->r->sha256 : "none", pdf_archive_options(x));
    return i;
}

void pdf_archive_begin(struct pdf_ctx *x)
{
    HPDF_Doc pdf = x->pdf;
    struct info i = info_of(x);
    /* With the UTF-8 encoder current, libharu writes the strings as UTF-16 (any language). */
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, i.title);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, i.subject);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, i.creator);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, i.producer);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_KEYWORDS, i.keywords);
    HPDF_Date d;
    struct tm tm;
    if (document_date(x, &d, &tm)) {
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, d);
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, d);
    }

    /* The /ID: two strings of zeros for now (pdf_archive_save fills them in). It is in the
     * trailer before HPDF_PDFA_SetPDFAConformance runs, which then keeps it. */
    static const HPDF_BYTE zeros[ID_LEN];
    HPDF_Array id = need(x, HPDF_Array_New(pdf->mmgr), "the /ID array");
    check(x, HPDF_Dict_Add(pdf->trailer, "ID", id), "adding /ID");
    for (int k = 0; k < 2; k++)
        check(x, HPDF_Array_Add(id, need(x, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)zeros, ID_LEN), "the /ID")),
              "filling /ID");
}

/* ---- fonts ---------------------------------------------------------------------------------- */

/* Rewrites /W with the same widths, in arrays of at most 8,191 elements: runs of one width as
 * "first last width", the rest as "first [widths]". */
static void rewrite_widths(struct pdf_ctx *x, HPDF_Dict cidfont, unsigned n_cids)
{
    HPDF_Array old = HPDF_Dict_GetItem(cidfont, "W", HPDF_OCLASS_ARRAY);
    HPDF_Number dw_obj = HPDF_Dict_GetItem(cidfont, "DW", HPDF_OCLASS_NUMBER);
    if (!old || !dw_obj || n_cids == 0)
        return;
    int32_t dw = dw_obj->value;
    int32_t *w = need(x, malloc(n_cids * sizeof *w), "font widths");
    for (unsigned i = 0; i < n_cids; i++)
        w[i] = dw;
    /* libharu writes "first [w w w ...]" pairs only. */
    HPDF_UINT items = HPDF_Array_Items(old);
    for (HPDF_UINT k = 0; k + 1 < items; k += 2) {
        HPDF_Number first = HPDF_Array_GetItem(old, k, HPDF_OCLASS_NUMBER);
        HPDF_Array list = HPDF_Array_GetItem(old, k + 1, HPDF_OCLASS_ARRAY);
        if (!first || !list) {
            free(w);
            pdf_fail(x, "PDF library: a font's /W array has an unexpected form");
        }
        HPDF_UINT m = HPDF_Array_Items(list);
        for (HPDF_UINT j = 0; j < m; j++) {
            HPDF_Number v = HPDF_Array_GetItem(list, j, HPDF_OCLASS_NUMBER);
            uint64_t cid = (uint64_t)(uint32_t)first->value + j;
            if (v && cid < n_cids)
                w[cid] = v->value;
        }
    }
    HPDF_Array fresh = HPDF_Array_New(x->pdf->mmgr);
    if (!fresh) {
        free(w);
        need(x, NULL, "font widths");
    }
    HPDF_STATUS st = HPDF_OK;
    enum { MAX_ELEMENTS = 8191, RUN = 4 };
    for (unsigned i = 0; i < n_cids && st == HPDF_OK;) {
        if (w[i] == dw) {
            i++;
            continue;
        }
        unsigned j = i;
        while (j + 1 < n_cids && w[j + 1] == w[i])
            j++;
        if (j - i + 1 >= RUN) {
            st |= HPDF_Array_AddNumber(fresh, (HPDF_INT32)i);
            st |= HPDF_Array_AddNumber(fresh, (HPDF_INT32)j);
            st |= HPDF_Array_AddNumber(fresh, w[i]);
            i = j + 1;
            continue;
        }
        HPDF_Array list = HPDF_Array_New(x->pdf->mmgr);
        if (!list) {
            st = HPDF_FAILD_TO_ALLOC_MEM;
            break;
        }
        st |= HPDF_Array_AddNumber(fresh, (HPDF_INT32)i);
        st |= HPDF_Array_Add(fresh, list);
        unsigned count = 0;
        while (i < n_cids && w[i] != dw && count < MAX_ELEMENTS && st == HPDF_OK) {
            unsigned k = i;
            while (k + 1 < n_cids && w[k + 1] == w[i] && k - i + 1 < RUN)
                k++;
            if (count && k - i + 1 >= RUN)
                break; /* a run follows: it gets the short form */
            st |= HPDF_Array_AddNumber(list, w[i]);
            count++;
            i++;
        }
    }
    free(w);
    check(x, st, "writing font widths");
    check(x, HPDF_Dict_Add(cidfont, "W", fresh), "writing font widths");
}

/* /ToUnicode: the fonts' character codes are Unicode (UCS-2) values, so the map is the
 * identity, one bfrange per high byte (none for the surrogates), 100 to a block. */
static void rewrite_to_unicode(struct pdf_ctx *x, HPDF_Dict font)
{
    HPDF_Dict cmap = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
    if (!cmap || !cmap->stream)
        return;
    HPDF_MemStream_FreeData(cmap->stream);
    HPDF_Stream s = cmap->stream;
    HPDF_STATUS st = HPDF_Stream_WriteStr(s,
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    int ranges[256], n = 0;
    for (int hi = 0; hi < 256; hi++)
        if (hi < 0xd8 || hi > 0xdf)
            ranges[n++] = hi;
    for (int k = 0; k < n && st == HPDF_OK; k += 100) {
        int m = n - k < 100 ? n - k : 100;
        char line[64];
        snprintf(line, sizeof line, "%d beginbfrange\n", m);
        st |= HPDF_Stream_WriteStr(s, line);
        for (int j = k; j < k + m; j++) {
            snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", ranges[j], ranges[j], ranges[j]);
            st |= HPDF_Stream_WriteStr(s, line);
        }
        st |= HPDF_Stream_WriteStr(s, "endbfrange\n");
    }
    st |= HPDF_Stream_WriteStr(s, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    check(x, st, "writing a ToUnicode map");
    /* Its dictionary described the encoding CMap it copied; a ToUnicode stream needs none of
     * that. */
    HPDF_Dict_RemoveElement(cmap, "CMapName");
    HPDF_Dict_RemoveElement(cmap, "CIDSystemInfo");
    HPDF_Dict_RemoveElement(cmap, "WMode");
    HPDF_Dict_RemoveElement(cmap, "Type");
}

/* /CIDSet: every CID the CIDToGIDMap covers is in the embedded program (each maps to a glyph
 * slot of it, .notdef for characters the font lacks), so every bit up to there is set. */
static void add_cidset(struct pdf_ctx *x, HPDF_Dict font, HPDF_Dict cidfont, unsigned n_cids)
{
    /* The descriptor is made when libharu writes the font; make it now (the glyphs used are
     * known: everything is drawn), so that it can take the CIDSet. libharu's second call, when
     * saving, finds the descriptor and keeps it. */
    if (!font->before_write_fn)
        return;
    check(x, font->before_write_fn(font), "preparing a font");
    HPDF_Dict fd = HPDF_Dict_GetItem(cidfont, "FontDescriptor", HPDF_OCLASS_DICT);
    if (!fd || HPDF_Dict_GetItem(fd, "CIDSet", HPDF_OCLASS_DICT))
        return;
    HPDF_Dict set = need(x, HPDF_DictStream_New(x->pdf->mmgr, x->pdf->xref), "a CIDSet");
    set->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    unsigned char bytes[8192];
    size_t len = (n_cids + 7) / 8;
    if (len > sizeof bytes)
        len = sizeof bytes;
    memset(bytes, 0xff, len);
    if (n_cids % 8)
        bytes[len - 1] = (unsigned char)(0xff << (8 - n_cids % 8));
    check(x, HPDF_Stream_Write(set->stream, bytes, (HPDF_UINT)len), "writing a CIDSet");
    check(x, HPDF_Dict_Add(fd, "CIDSet", set), "adding a CIDSet");
}

static void fix_font(struct pdf_ctx *x, HPDF_Font font)
{
    HPDF_Array descendants = HPDF_Dict_GetItem(font, "DescendantFonts", HPDF_OCLASS_ARRAY);
    HPDF_Dict cidfont = descendants ? HPDF_Array_GetItem(descendants, 0, HPDF_OCLASS_DICT) : NULL;
    if (!cidfont)
        return; /* a simple TrueType font (a template's ttf with WinAnsiEncoding) */
    HPDF_Dict map = HPDF_Dict_GetItem(cidfont, "CIDToGIDMap", HPDF_OCLASS_DICT);
    unsigned n_cids = map && map->stream ? HPDF_Stream_Size(map->stream) / 2 : 0;
    rewrite_widths(x, cidfont, n_cids);
    rewrite_to_unicode(x, font);
    add_cidset(x, font, cidfont, n_cids);
}

/* ---- PDF/A ---------------------------------------------------------------------------------- */

/* An ICC profile PDF/A-1 accepts: version 2, a display ('mntr') RGB profile. */
static const char *find_icc(void)
{
    for (size_t i = 0; i < sizeof icc_profiles / sizeof icc_profiles[0]; i++) {
        unsigned char h[20];
        FILE *f = fopen(icc_profiles[i], "rb");
        if (!f)
            continue;
        size_t n = fread(h, 1, sizeof h, f);
        fclose(f);
        if (n == sizeof h && h[8] == 2 && memcmp(h + 12, "mntr", 4) == 0 && memcmp(h + 16, "RGB ", 4) == 0)
            return icc_profiles[i];
    }
    return NULL;
}

/* Appends text to a stream with XML's special characters escaped and control characters
 * (which XML 1.0 cannot hold) left out. */
static HPDF_STATUS write_xml_text(HPDF_Stream s, const char *text)
{
    HPDF_STATUS st = HPDF_OK;
    for (const char *p = text; *p && st == HPDF_OK; p++) {
        unsigned char ch = (unsigned char)*p;
        const char *esc = ch == '&' ? "&amp;" : ch == '<' ? "&lt;" : ch == '>' ? "&gt;"
                        : ch == '"' ? "&quot;" : ch == '\'' ? "&apos;" : NULL;
        if (esc)
            st = HPDF_Stream_WriteStr(s, esc);
        else if (ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r')
            st = HPDF_Stream_Write(s, (const HPDF_BYTE *)p, 1);
    }
    return st;
}

/* The XMP packet: the document information in the dc, xmp and pdf schemas (the same values,
 * as PDF/A-1 6.7.3 requires), and the PDF/A identification. Only schemas predefined by XMP
 * 2004 and PDF/A-1, so no extension schema is needed. */
static void write_xmp(struct pdf_ctx *x, HPDF_Stream s)
{
    struct info i = info_of(x);
    HPDF_Date d;
    struct tm tm;
    char date[96] = "";
    if (document_date(x, &d, &tm))
        snprintf(date, sizeof date, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    HPDF_STATUS st = HPDF_Stream_WriteStr(s,
        "<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
        "   <dc:format>application/pdf</dc:format>\n"
        "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    st |= write_xml_text(s, i.title);
    st |= HPDF_Stream_WriteStr(s, "</rdf:li></rdf:Alt></dc:title>\n"
                                  "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    st |= write_xml_text(s, i.subject);
    st |= HPDF_Stream_WriteStr(s, "</rdf:li></rdf:Alt></dc:description>\n  </rdf:Description>\n"
                                  "  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
                                  "   <xmp:CreatorTool>");
    st |= write_xml_text(s, i.creator);
    st |= HPDF_Stream_WriteStr(s, "</xmp:CreatorTool>\n");
    if (date[0]) {
        char dates[512];
        snprintf(dates, sizeof dates, "   <xmp:CreateDate>%s</xmp:CreateDate>\n"
                                      "   <xmp:ModifyDate>%s</xmp:ModifyDate>\n", date, date);
        st |= HPDF_Stream_WriteStr(s, dates);
    }
    st |= HPDF_Stream_WriteStr(s, "  </rdf:Description>\n"
                                  "  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
                                  "   <pdf:Producer>");
    st |= write_xml_text(s, i.producer);
    st |= HPDF_Stream_WriteStr(s, "</pdf:Producer>\n   <pdf:Keywords>");
    st |= write_xml_text(s, i.keywords);
    st |= HPDF_Stream_WriteStr(s, "</pdf:Keywords>\n  </rdf:Description>\n"
                                  "  <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
                                  "   <pdfaid:part>1</pdfaid:part>\n"
                                  "   <pdfaid:conformance>B</pdfaid:conformance>\n"
                                  "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n");
    /* Room to edit the packet in place, as XMP recommends. */
    for (int k = 0; k < 20 && st == HPDF_OK; k++)
        st |= HPDF_Stream_WriteStr(s, "                                                                                                   \n");
    st |= HPDF_Stream_WriteStr(s, "<?xpacket end=\"w\"?>");
    check(x, st, "writing the XMP metadata");
}

static void make_pdfa(struct pdf_ctx *x)
{
    HPDF_Doc pdf = x->pdf;
    const char *icc = find_icc();
    if (!icc)
        pdf_fail(x, "--pdfa needs an sRGB ICC profile of version 2, such as %s (Debian package "
                    "icc-profiles-free)", icc_profiles[0]);

    /* libharu's metadata stream, then what it gets wrong put right: the key of its type, and
     * the packet, written again with escaping and every information entry. */
    check(x, HPDF_PDFA_SetPDFAConformance(pdf, HPDF_PDFA_1B), "PDF/A conformance");
    HPDF_Dict xmp = HPDF_Dict_GetItem(pdf->catalog, "Metadata", HPDF_OCLASS_DICT);
    if (!xmp || !xmp->stream)
        pdf_fail(x, "PDF library: no XMP metadata after HPDF_PDFA_SetPDFAConformance");
    HPDF_Dict_RemoveElement(xmp, "SubType");
    check(x, HPDF_Dict_AddName(xmp, "Subtype", "XML"), "the metadata stream");
    xmp->filter = HPDF_STREAM_FILTER_NONE; /* PDF/A-1 6.7.2: metadata is not filtered */
    HPDF_MemStream_FreeData(xmp->stream);
    write_xmp(x, xmp->stream);

    /* The OutputIntent that says what DeviceRGB means. */
    HPDF_OutputIntent profile = HPDF_LoadIccProfileFromFile(pdf, icc, 3);
    check(x, HPDF_PDFA_AppendOutputIntents(pdf, ICC_NAME, profile), "the output intent");
    HPDF_Array intents = HPDF_Dict_GetItem(pdf->catalog, "OutputIntents", HPDF_OCLASS_ARRAY);
    HPDF_Dict intent = intents ? HPDF_Array_GetItem(intents, HPDF_Array_Items(intents) - 1, HPDF_OCLASS_DICT) : NULL;
    if (!intent)
        pdf_fail(x, "PDF library: no output intent after HPDF_PDFA_AppendOutputIntents");
    if (HPDF_Dict_GetItem(intent, "DestOutputProfile ", HPDF_OCLASS_DICT))
        HPDF_Dict_RemoveElement(intent, "DestOutputProfile ");
    check(x, HPDF_Dict_Add(intent, "DestOutputProfile", profile), "the output intent");
}

void pdf_archive_end(struct pdf_ctx *x)
{
    HPDF_Font fonts[PDF_FONT_ROLES];
    size_t n = pdf_canvas_truetype_fonts(&x->canvas, fonts, PDF_FONT_ROLES);
    for (size_t i = 0; i < n; i++)
        fix_font(x, fonts[i]);
    if (x->opt->pdfa)
        make_pdfa(x);
}

/* ---- saving --------------------------------------------------------------------------------- */

/* The last occurrence of needle in buf[0, len), or NULL. */
static unsigned char *find_last(unsigned char *buf, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = len >= n ? len - n + 1 : 0; i-- > 0;)
        if (memcmp(buf + i, needle, n) == 0)
            return buf + i;
    return NULL;
}

void pdf_archive_save(struct pdf_ctx *x, const char *path)
{
    HPDF_Doc pdf = x->pdf;
    x->saving = true;
    HPDF_SaveToStream(pdf);
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
    unsigned char *buf = need(x, malloc(size ? size : 1), "the finished document");
    HPDF_ResetStream(pdf);
    HPDF_UINT32 got = size;
    if (size && (HPDF_ReadFromStream(pdf, buf, &got) != HPDF_OK || got != size)) {
        free(buf);
        pdf_fail(x, "PDF library: could not read the finished document back");
    }

    /* The two placeholders of /ID, in the trailer at the end. */
    unsigned char *trailer = find_last(buf, size, "trailer");
    unsigned char *second = trailer ? find_last(trailer, size - (size_t)(trailer - buf), ID_PLACEHOLDER) : NULL;
    unsigned char *first = second ? find_last(trailer, (size_t)(second - trailer), ID_PLACEHOLDER) : NULL;
    if (!first) {
        free(buf);
        pdf_fail(x, "PDF library: the document has no /ID to fill in");
    }
    struct sha256 h;
    char hex[65];
    sha256_init(&h);
    sha256_update(&h, buf, size);
    sha256_final_hex(&h, hex);
    for (int k = 0; k < 2 * ID_LEN; k++) {
        char up = hex[k] >= 'a' ? (char)(hex[k] - 'a' + 'A') : hex[k]; /* as libharu writes hex */
        first[1 + k] = second[1 + k] = (unsigned char)up;
    }

    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(buf, 1, size, f) == size;
    if (f)
        ok = fclose(f) == 0 && ok;
    free(buf);
    if (!ok)
        pdf_fail(x, "cannot %s %s", f ? "write" : "create", path);
}
