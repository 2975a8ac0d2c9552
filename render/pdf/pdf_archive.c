/* pdf_archive.c — what makes a PDF last: its date, its provenance, an /ID derived from its own
 * bytes, and with --pdfa the XMP packet of PDF/A-1b (pdf_archive.h).
 *
 * All of it goes through libharu's public API, or is bytes of our own: the XMP packet is
 * written here and handed to pdf_repair.c, and the /ID is put into the saved file. libharu
 * writes no /ID unless it makes a document PDF/A, and then one that is an MD5 of the clock
 * (HPDF_PDFA_GenerateID), so the same input would give other bytes every second; the /ID
 * written here is the same for the same bytes. It sits in the trailer, after the
 * cross-reference table, so adding it moves no object and no offset. */
#include "pdf_archive.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_repair.h"
#include "sha256.h"
#include "grow.h"

/* sRGB profiles of ICC version 2 (PDF/A-1 allows no later version), best first:
 * icc-profiles-free, then ghostscript's copy. */
static const char *const icc_profiles[] = {
    "/usr/share/color/icc/sRGB.icc",
    "/usr/share/color/icc/ghostscript/srgb.icc",
};
#define ICC_NAME "sRGB IEC61966-2.1"

#define ID_LEN 16 /* bytes of each /ID string */

/* ---- date and options ----------------------------------------------------------------------- */

enum pdf_date_source pdf_archive_date(const struct pdf_options *o, const struct capture_report *r,
                                      int64_t *seconds)
{
    if (o->have_source_date) {
        *seconds = o->source_date;
        return PDF_DATE_SOURCE_DATE_EPOCH;
    }
    if (r && r->have_packets) {
        int64_t ns = r->first_ts;
        *seconds = ns / 1000000000 - (ns % 1000000000 < 0); /* rounded down */
        return PDF_DATE_CAPTURE;
    }
    *seconds = 0;
    return PDF_DATE_NONE;
}

/* Appends s to b (of PDF_WORDS_LEN) as one shell word, quoted when it needs to be. */
static void append_word(char *b, const char *s)
{
    size_t n = strlen(b);
    bool plain = *s != '\0';
    for (const char *p = s; *p && plain; p++)
        plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,:/=+", *p) != NULL;
    if (plain) {
        snprintf(b + n, PDF_WORDS_LEN - n, "%s", s);
        return;
    }
    if (n < PDF_WORDS_LEN - 1)
        b[n++] = '\'';
    for (const char *p = s; *p && n < PDF_WORDS_LEN - 5; p++) {
        if (*p == '\'') {
            memcpy(b + n, "'\\''", 4);
            n += 4;
        } else {
            b[n++] = *p;
        }
    }
    if (n < PDF_WORDS_LEN - 1)
        b[n++] = '\'';
    b[n] = '\0';
}

void pdf_archive_options(const struct pdf_options *o, size_t max_diagrams, char b[PDF_WORDS_LEN])
{
    b[0] = '\0';
    if (o->filter) {
        char clean[1536];
        pdf_valid_utf8(o->filter, clean, sizeof clean);
        strcat(b, "--filter ");
        append_word(b, clean);
        strcat(b, " ");
    }
    size_t n = strlen(b);
    if (o->max_sessions)
        n += (size_t)snprintf(b + n, PDF_WORDS_LEN - n, "--max-sessions %llu ", o->max_sessions);
    if (o->idle_timeout_s && n < PDF_WORDS_LEN)
        n += (size_t)snprintf(b + n, PDF_WORDS_LEN - n, "--idle-timeout %lld ", o->idle_timeout_s);
    if (n < PDF_WORDS_LEN)
        n += (size_t)snprintf(b + n, PDF_WORDS_LEN - n, "--lang %s --max-diagrams %zu",
                              o->lang ? o->lang : "en", max_diagrams);
    if (o->session_filter && n < PDF_WORDS_LEN - 12) {
        strcat(b, " --sessions ");
        append_word(b, o->session_filter);
    }
    if (o->stream_filter && strlen(b) < PDF_WORDS_LEN - 14) {
        strcat(b, " --tcp-stream ");
        append_word(b, o->stream_filter);
    }
    if (o->absolute_seq)
        strncat(b, " --absolute-seq", PDF_WORDS_LEN - strlen(b) - 1);
    if (o->pdfa)
        strncat(b, " --pdfa", PDF_WORDS_LEN - strlen(b) - 1);
}

/* ---- document information ------------------------------------------------------------------- */

void pdf_archive_keywords(const struct pdf_provenance *p, char out[PDF_WORDS_LEN])
{
    int n = snprintf(out, PDF_WORDS_LEN, "pcap2report %s; schema %s %s; input SHA-256 %s; options %s",
                     p->tool_version ? p->tool_version : "?", PCAP2REPORT_SCHEMA_NAME, PCAP2REPORT_SCHEMA_VERSION,
                     p->input_sha256 && p->input_sha256[0] ? p->input_sha256 : "none", p->options);
    /* Only when set, and other than the capture's own date: without it the date follows from
     * the capture, which its SHA-256 names, and the same date must give the same bytes. */
    bool same_date = p->have_capture_date && p->capture_date == p->date;
    if (p->date_source == PDF_DATE_SOURCE_DATE_EPOCH && !same_date && n > 0 && n < PDF_WORDS_LEN)
        snprintf(out + n, PDF_WORDS_LEN - (size_t)n, "; SOURCE_DATE_EPOCH %lld", (long long)p->date);
}

void pdf_archive_begin(struct pdf_archive *a, struct pdf_fail *fail, HPDF_Doc pdf,
                       const struct pdf_provenance *p)
{
    const char *version = p->tool_version ? p->tool_version : "?";
    a->fail = fail;
    a->pdf = pdf;
    a->pdfa = p->pdfa;
    if (a->pdfa && !pdf_repair_available())
        pdf_fail(fail, "--pdfa needs the repairs written for libharu 2.3.0, and this program uses "
                       "libharu %s", HPDF_GetVersion());
    snprintf(a->title, sizeof a->title, "%s", p->title);
    snprintf(a->subject, sizeof a->subject, "%s", p->subject);
    snprintf(a->creator, sizeof a->creator, "pcap2report %s", version);
    snprintf(a->producer, sizeof a->producer, "pcap2report %s with libharu %s", version, HPDF_GetVersion());
    pdf_archive_keywords(p, a->keywords);

    /* With the UTF-8 encoder current, libharu writes the strings as UTF-16 (any language). */
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, a->title);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, a->subject);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, a->creator);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, a->producer);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_KEYWORDS, a->keywords);

    /* In UTC ("+" with zero offsets: a "Z" breaks libharu's XMP date conversion and so PDF/A,
     * shared/LIBRARIES.md); none for a year outside 1970-9999, which the PDF date format
     * cannot hold. */
    time_t t = (time_t)p->date;
    a->have_date = p->date_source != PDF_DATE_NONE && p->date >= 0 && p->date <= 253402300799LL &&
                   gmtime_r(&t, &a->date);
    if (a->have_date) {
        const struct tm *tm = &a->date;
        HPDF_Date d = {tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min,
                       tm->tm_sec, '+', 0, 0};
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, d);
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, d);
    }
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

/* A growing string for the XMP packet, kept in a->xmp so that a failure frees it. */
struct text {
    struct pdf_archive *a;
    size_t len, cap;
};

static void put(struct text *t, const char *s, size_t n)
{
    if (!GROW(t->a->xmp, t->cap, t->len + n + 1, 4096))
        pdf_fail(t->a->fail, "out of memory");
    memcpy(t->a->xmp + t->len, s, n);
    t->len += n;
    t->a->xmp[t->len] = '\0';
}

static void put_str(struct text *t, const char *s)
{
    put(t, s, strlen(s));
}

/* Appends text with XML's special characters escaped and control characters (which XML 1.0
 * cannot hold) left out. */
static void put_xml_text(struct text *t, const char *text)
{
    for (const char *p = text; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        const char *esc = ch == '&' ? "&amp;" : ch == '<' ? "&lt;" : ch == '>' ? "&gt;"
                        : ch == '"' ? "&quot;" : ch == '\'' ? "&apos;" : NULL;
        if (esc)
            put_str(t, esc);
        else if (ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r')
            put(t, p, 1);
    }
}

/* The XMP packet: the document information in the dc, xmp and pdf schemas (the same values,
 * as PDF/A-1 6.7.3 requires), and the PDF/A identification. Only schemas predefined by XMP
 * 2004 and PDF/A-1, so no extension schema is needed. Returns its length; it is in a->xmp. */
static size_t write_xmp(struct pdf_archive *a)
{
    struct text t = {a, 0, 0};
    put_str(&t, "<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
                "   <dc:format>application/pdf</dc:format>\n"
                "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    put_xml_text(&t, a->title);
    put_str(&t, "</rdf:li></rdf:Alt></dc:title>\n"
                "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    put_xml_text(&t, a->subject);
    put_str(&t, "</rdf:li></rdf:Alt></dc:description>\n  </rdf:Description>\n"
                "  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
                "   <xmp:CreatorTool>");
    put_xml_text(&t, a->creator);
    put_str(&t, "</xmp:CreatorTool>\n");
    if (a->have_date) {
        const struct tm *tm = &a->date;
        char date[96], dates[512];
        snprintf(date, sizeof date, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", tm->tm_year + 1900,
                 tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec);
        snprintf(dates, sizeof dates, "   <xmp:CreateDate>%s</xmp:CreateDate>\n"
                                      "   <xmp:ModifyDate>%s</xmp:ModifyDate>\n", date, date);
        put_str(&t, dates);
    }
    put_str(&t, "  </rdf:Description>\n"
                "  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
                "   <pdf:Producer>");
    put_xml_text(&t, a->producer);
    put_str(&t, "</pdf:Producer>\n   <pdf:Keywords>");
    put_xml_text(&t, a->keywords);
    put_str(&t, "</pdf:Keywords>\n  </rdf:Description>\n"
                "  <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
                "   <pdfaid:part>1</pdfaid:part>\n"
                "   <pdfaid:conformance>B</pdfaid:conformance>\n"
                "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n");
    /* Room to edit the packet in place, as XMP recommends. */
    for (int k = 0; k < 20; k++)
        put_str(&t, "                                                                                                   \n");
    put_str(&t, "<?xpacket end=\"w\"?>");
    return t.len;
}

void pdf_archive_end(struct pdf_archive *a, const HPDF_Font *fonts, size_t n_fonts)
{
    /* In every mode, not only PDF/A: the repaired dictionaries are correct PDF whatever the
     * conformance. */
    pdf_repair_fonts(a->fail, a->pdf, fonts, n_fonts);
    if (!a->pdfa)
        return;
    const char *icc = find_icc();
    if (!icc)
        pdf_fail(a->fail, "--pdfa needs an sRGB ICC profile of version 2, such as %s (Debian package "
                          "icc-profiles-free)", icc_profiles[0]);
    size_t len = write_xmp(a);
    pdf_repair_pdfa(a->fail, a->pdf, a->xmp, len, icc, ICC_NAME);
    free(a->xmp);
    a->xmp = NULL;
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

/* The two strings of the trailer's "/ID [ <hex> <hex> ]" in buf (of len bytes, with room for
 * ID_ENTRY more), each 2 * ID_LEN hex digits: libharu's from HPDF_PDFA_GenerateID, or else
 * one of zeros put first in the trailer dictionary here (len grows by ID_ENTRY). NULL when
 * the file has no trailer of the form libharu writes. */
#define ID_ZEROS "00000000000000000000000000000000"
#define ID_ENTRY_TEXT "/ID [ <" ID_ZEROS "> <" ID_ZEROS "> ]\012"
enum { ID_ENTRY = sizeof ID_ENTRY_TEXT - 1, ID_HEX = 2 * ID_LEN };

static bool is_hex(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'A' && p[i] <= 'F')))
            return false;
    return true;
}

static unsigned char *find_id(unsigned char *buf, size_t *len, unsigned char **second)
{
    unsigned char *trailer = find_last(buf, *len, "trailer\012<<\012");
    if (!trailer)
        return NULL;
    size_t at = (size_t)(trailer - buf) + 11, rest = *len - at;
    unsigned char *id = find_last(trailer, *len - (size_t)(trailer - buf), "/ID [ <");
    if (!id) {
        memmove(buf + at + ID_ENTRY, buf + at, rest);
        memcpy(buf + at, ID_ENTRY_TEXT, ID_ENTRY);
        *len += ID_ENTRY;
        id = buf + at;
    }
    unsigned char *first = id + 7;
    *second = first + ID_HEX + 3;
    if ((size_t)(*second + ID_HEX + 3 - buf) > *len || !is_hex(first, ID_HEX) ||
        memcmp(first + ID_HEX, "> <", 3) != 0 || !is_hex(*second, ID_HEX) ||
        memcmp(*second + ID_HEX, "> ]", 3) != 0)
        return NULL;
    return first;
}

void pdf_archive_save(struct pdf_archive *a, FILE *out)
{
    HPDF_Doc pdf = a->pdf;
    HPDF_SaveToStream(pdf);
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
    unsigned char *buf = malloc((size_t)size + ID_ENTRY);
    if (!buf)
        pdf_fail(a->fail, "out of memory");
    HPDF_ResetStream(pdf);
    HPDF_UINT32 got = size;
    if (size && (HPDF_ReadFromStream(pdf, buf, &got) != HPDF_OK || got != size)) {
        free(buf);
        pdf_fail(a->fail, "PDF library: could not read the finished document back");
    }

    size_t len = size;
    unsigned char *second, *first = find_id(buf, &len, &second);
    if (!first) {
        free(buf);
        pdf_fail(a->fail, "PDF library: the document has no trailer to put an /ID in");
    }
    memset(first, '0', ID_HEX);
    memset(second, '0', ID_HEX);
    char hex[65];
    if (!sha256_hex(buf, len, hex)) {
        free(buf);
        pdf_fail(a->fail, "libcrypto: could not compute the SHA-256 of the document for its /ID");
    }
    for (int k = 0; k < ID_HEX; k++) {
        char up = hex[k] >= 'a' ? (char)(hex[k] - 'a' + 'A') : hex[k]; /* as libharu writes hex */
        first[k] = second[k] = (unsigned char)up;
    }

    /* The caller made the file (and names it in its messages): this only writes the bytes. */
    bool ok = fwrite(buf, 1, len, out) == len && fflush(out) == 0;
    int e = errno;
    free(buf);
    if (!ok)
        pdf_fail(a->fail, "%s", strerror(e));
}

void pdf_archive_free(struct pdf_archive *a)
{
    free(a->xmp);
    a->xmp = NULL;
}
