/* pdf_repair.c — libharu 2.3.0's mistakes in its own output, put right (pdf_repair.h).
 *
 * libharu 2.3.0 (Debian 12) gets these wrong, and its public API (hpdf.h) has no call that
 * reaches them: they are entries of dictionaries it builds for itself (a font's /W and
 * /ToUnicode, its descriptor, the catalog's /Metadata and /OutputIntents, an annotation's
 * flags). So this file, alone in the renderer, works on libharu's private structures
 * (hpdf_doc.h, hpdf_objects.h, hpdf_streams.h), through libharu's own functions for objects
 * and streams wherever one exists. The document still comes from libharu's calls; each repair
 * changes what libharu made, after it made it (shared/LIBRARIES.md section 3; docs/pdfa.md
 * lists the checks that found them):
 *  - a TrueType font taking UTF-8 (a Type 0 font over a CIDFontType2) gets a /W array whose
 *    longest inner array has some 21,000 widths (PDF/A-1 allows 8,191 elements), no /CIDSet
 *    (PDF/A-1 requires it for a subset font), and a copy of its encoding CMap as /ToUnicode,
 *    which poppler rejects ("Invalid 'begincidrange' operator in ToUnicode CMap");
 *  - HPDF_PDFA_SetPDFAConformance names the metadata stream's type "/SubType" (PDF: /Subtype),
 *    compresses it (PDF/A-1 6.7.2 forbids a filter there) and copies the document information
 *    into the XMP packet without XML escaping (a file named "a&b.pcap" gave an ill-formed
 *    packet): the packet is replaced by the one pdf_archive.c writes;
 *  - HPDF_PDFA_AppendOutputIntents files the profile under "DestOutputProfile " (with a space);
 *  - no call sets an annotation's flags, and PDF/A wants "print" on every one.
 * The /ID that libharu makes from the clock is replaced in the saved bytes instead
 * (pdf_archive.c), which needs no private structure.
 *
 * Private structures change between releases (2.4 changes HPDF_PageAttr_Rec and others), so
 * all of this is compiled only for the version it was written and checked against. Defining
 * PDF_PUBLIC_ONLY builds it as for any other version, with libharu's public API alone: `make
 * test-public-only` does, so that path is tested on this one too. */
#include <hpdf_version.h>

#if HPDF_VERSION_ID == 20300 && !defined(PDF_PUBLIC_ONLY)
#include <hpdf.h> /* before pdf_repair.h: with the private structures (no HPDF_SHARED) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define REPAIRS 1
#else
#define REPAIRS 0
#endif

#include "pdf_repair.h"

bool pdf_repair_available(void)
{
    return REPAIRS;
}

#if REPAIRS

struct repair {
    struct pdf_fail *fail;
    HPDF_Doc pdf;
};

/* libharu's lower-level calls (objects, streams) record an error without calling the
 * handler; this raises it, or fails on its own when none was recorded. */
static void check(struct repair *x, HPDF_STATUS status, const char *what)
{
    if (status == HPDF_OK)
        return;
    HPDF_CheckError(&x->pdf->error);
    pdf_fail(x->fail, "PDF library: %s failed (libharu error 0x%04X)", what, (unsigned)status);
}

static void *need(struct repair *x, void *obj, const char *what)
{
    if (!obj)
        check(x, HPDF_FAILD_TO_ALLOC_MEM, what);
    return obj;
}

void pdf_repair_link_flags(HPDF_Annotation a)
{
    if (HPDF_Dict_AddNumber(a, "F", 4) != HPDF_OK) /* print */
        HPDF_CheckError(a->error);
}

/* ---- fonts ---------------------------------------------------------------------------------- */

/* Rewrites /W with the same widths, in arrays of at most 8,191 elements: runs of one width as
 * "first last width", the rest as "first [widths]". */
static void rewrite_widths(struct repair *x, HPDF_Dict cidfont, unsigned n_cids)
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
            pdf_fail(x->fail, "PDF library: a font's /W array has an unexpected form");
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
static void rewrite_to_unicode(struct repair *x, HPDF_Dict font)
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
static void add_cidset(struct repair *x, HPDF_Dict font, HPDF_Dict cidfont, unsigned n_cids)
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

static void fix_font(struct repair *x, HPDF_Font font)
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

void pdf_repair_fonts(struct pdf_fail *fail, HPDF_Doc pdf, const HPDF_Font *fonts, size_t n)
{
    struct repair x = {fail, pdf};
    for (size_t i = 0; i < n; i++)
        fix_font(&x, fonts[i]);
}

/* ---- PDF/A ---------------------------------------------------------------------------------- */

void pdf_repair_pdfa(struct pdf_fail *fail, HPDF_Doc pdf, const char *xmp, size_t xmp_len,
                     const char *icc_path, const char *icc_name)
{
    struct repair r = {fail, pdf}, *x = &r;
    /* libharu's metadata stream, then what it gets wrong put right: the key of its type, its
     * filter, and the packet, replaced by ours. */
    check(x, HPDF_PDFA_SetPDFAConformance(pdf, HPDF_PDFA_1B), "PDF/A conformance");
    HPDF_Dict meta = HPDF_Dict_GetItem(pdf->catalog, "Metadata", HPDF_OCLASS_DICT);
    if (!meta || !meta->stream)
        pdf_fail(fail, "PDF library: no XMP metadata after HPDF_PDFA_SetPDFAConformance");
    HPDF_Dict_RemoveElement(meta, "SubType");
    check(x, HPDF_Dict_AddName(meta, "Subtype", "XML"), "the metadata stream");
    meta->filter = HPDF_STREAM_FILTER_NONE; /* PDF/A-1 6.7.2: metadata is not filtered */
    HPDF_MemStream_FreeData(meta->stream);
    check(x, HPDF_Stream_Write(meta->stream, (const HPDF_BYTE *)xmp, (HPDF_UINT)xmp_len),
          "writing the XMP metadata");

    /* The OutputIntent that says what DeviceRGB means. */
    HPDF_OutputIntent profile = HPDF_LoadIccProfileFromFile(pdf, icc_path, 3);
    check(x, HPDF_PDFA_AppendOutputIntents(pdf, icc_name, profile), "the output intent");
    HPDF_Array intents = HPDF_Dict_GetItem(pdf->catalog, "OutputIntents", HPDF_OCLASS_ARRAY);
    HPDF_Dict intent = intents ? HPDF_Array_GetItem(intents, HPDF_Array_Items(intents) - 1, HPDF_OCLASS_DICT) : NULL;
    if (!intent)
        pdf_fail(fail, "PDF library: no output intent after HPDF_PDFA_AppendOutputIntents");
    if (HPDF_Dict_GetItem(intent, "DestOutputProfile ", HPDF_OCLASS_DICT))
        HPDF_Dict_RemoveElement(intent, "DestOutputProfile ");
    check(x, HPDF_Dict_Add(intent, "DestOutputProfile", profile), "the output intent");
}

#else /* any other libharu: its own output, as it makes it */

void pdf_repair_link_flags(HPDF_Annotation a)
{
    (void)a;
}

void pdf_repair_fonts(struct pdf_fail *fail, HPDF_Doc pdf, const HPDF_Font *fonts, size_t n)
{
    (void)fail, (void)pdf, (void)fonts, (void)n;
}

void pdf_repair_pdfa(struct pdf_fail *fail, HPDF_Doc pdf, const char *xmp, size_t xmp_len,
                     const char *icc_path, const char *icc_name)
{
    (void)pdf, (void)xmp, (void)xmp_len, (void)icc_path, (void)icc_name;
    pdf_fail(fail, "PDF/A needs the repairs written for libharu 2.3.0, and this program uses "
                   "libharu %s", HPDF_GetVersion());
}

#endif
