/* test_pdf_content.c — render/pdf_content.c against libharu itself: the same random drawing
 * done on one page through HPDF_Page_* and on another through pdf_content_* (with libharu's
 * own calls in between) must give the same content-stream bytes and leave the same page state
 * after every operator; text in an embedded TrueType font is handed to libharu; and a bad
 * value or a wrong mode reaches the document's error handler with the code libharu gives. */
#include <criterion/criterion.h>
#include <hpdf.h>
#include <hpdf_font.h>
#include <hpdf_gstate.h>
#include <hpdf_pages.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_content.h"

static HPDF_STATUS last_error;

static void HPDF_STDCALL on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
    (void)detail;
    (void)data;
    last_error = code;
}

/* Not "pdf_...": next to the suite "pdf", such a name made Criterion 2.4.1's runner leak
 * 48 bytes (LeakSanitizer, make test-sanitize). */
TestSuite(content, .timeout = 60);

/* The page's content stream so far. */
static char *content_of(HPDF_Page page, size_t *len)
{
    HPDF_Stream s = ((HPDF_PageAttr)page->attr)->stream;
    HPDF_UINT n = HPDF_Stream_Size(s);
    char *buf = malloc(n + 1);
    cr_assert_not_null(buf);
    cr_assert_eq(HPDF_Stream_Seek(s, 0, HPDF_SEEK_SET), HPDF_OK);
    HPDF_UINT got = n;
    HPDF_STATUS st = HPDF_Stream_Read(s, (HPDF_BYTE *)buf, &got);
    cr_assert(st == HPDF_OK || st == HPDF_STREAM_EOF);
    cr_assert_eq(got, n);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void expect_same_state(HPDF_Page a, HPDF_Page b, int step)
{
    HPDF_PageAttr pa = a->attr, pb = b->attr;
    HPDF_GState ga = pa->gstate, gb = pb->gstate;
    cr_assert_eq(pa->gmode, pb->gmode, "step %d: mode", step);
    cr_assert(memcmp(&pa->cur_pos, &pb->cur_pos, sizeof pa->cur_pos) == 0, "step %d: current point", step);
    cr_assert(memcmp(&pa->str_pos, &pb->str_pos, sizeof pa->str_pos) == 0, "step %d: path start", step);
    cr_assert(memcmp(&pa->text_pos, &pb->text_pos, sizeof pa->text_pos) == 0, "step %d: text position", step);
    cr_assert(memcmp(&pa->text_matrix, &pb->text_matrix, sizeof pa->text_matrix) == 0, "step %d: text matrix", step);
    cr_assert(memcmp(&ga->rgb_fill, &gb->rgb_fill, sizeof ga->rgb_fill) == 0, "step %d: fill colour", step);
    cr_assert(memcmp(&ga->rgb_stroke, &gb->rgb_stroke, sizeof ga->rgb_stroke) == 0, "step %d: stroke colour", step);
    cr_assert_eq(ga->cs_fill, gb->cs_fill, "step %d", step);
    cr_assert_eq(ga->cs_stroke, gb->cs_stroke, "step %d", step);
    cr_assert(ga->line_width == gb->line_width, "step %d: line width", step);
    cr_assert(memcmp(&ga->dash_mode, &gb->dash_mode, sizeof ga->dash_mode) == 0, "step %d: dash", step);
    cr_assert_eq(ga->font, gb->font, "step %d: font", step);
    cr_assert(ga->font_size == gb->font_size, "step %d: font size", step);
    cr_assert_eq(ga->writing_mode, gb->writing_mode, "step %d", step);
}

/* Numbers as the report has them (whole, tenths, odd binary fractions) and arbitrary ones. */
static float any_number(void)
{
    switch (rand() % 4) {
    case 0: return (float)(rand() % 1200 - 100);
    case 1: return (float)(rand() % 12000) / 10.0f;
    case 2: return (float)(rand() % 100000) / 97.0f - 200.0f;
    default: return ((float)rand() / (float)RAND_MAX) * 2000.0f - 1000.0f;
    }
}

static float unit_number(void)
{
    return rand() % 3 ? (float)(rand() % 101) / 100.0f : (float)rand() / (float)RAND_MAX;
}

/* 0 to 30 bytes, every byte value but 0 possible, delimiters and 8-bit bytes often. */
static void any_text(char *out)
{
    static const char special[] = "()\\/%#<>[]{} \t\x81\xa0\xe9\xff";
    int n = rand() % 31;
    for (int i = 0; i < n; i++)
        out[i] = rand() % 3 ? special[rand() % (sizeof special - 1)] : (char)(1 + rand() % 255);
    out[n] = '\0';
}

Test(content, same_bytes_and_state_as_libharu)
{
    HPDF_Doc pdf = HPDF_New(on_error, NULL);
    cr_assert_not_null(pdf);
    HPDF_Font fonts[4] = {
        HPDF_GetFont(pdf, "Helvetica", "WinAnsiEncoding"),
        HPDF_GetFont(pdf, "Courier", "WinAnsiEncoding"),
        HPDF_GetFont(pdf, "Symbol", NULL),
        HPDF_GetFont(pdf, "ZapfDingbats", NULL),
    };
    HPDF_Page a = HPDF_AddPage(pdf), b = HPDF_AddPage(pdf);
    struct pdf_content o;
    pdf_content_begin(&o, b);
    srand(7);
    for (int step = 0; step < 20000; step++) {
        HPDF_UINT16 mode = HPDF_Page_GetGMode(a);
        float x = any_number(), y = any_number(), w = any_number(), h = any_number();
        float r = unit_number(), g = unit_number(), bl = unit_number();
        char text[32];
        any_text(text);
        HPDF_Font font = fonts[rand() % 4];
        float size = (float)(1 + rand() % 400) / 8.0f;
        HPDF_UINT16 dash[2] = {(HPDF_UINT16)(1 + rand() % 100), (HPDF_UINT16)(1 + rand() % 100)};
        unsigned ndash = rand() % 2 ? 2 : 0;
        int op = rand() % 8;
        if (mode == HPDF_GMODE_PAGE_DESCRIPTION) {
            switch (op) {
            case 0: HPDF_Page_SetRGBFill(a, r, g, bl); pdf_content_fill_rgb(&o, r, g, bl); break;
            case 1: HPDF_Page_SetRGBStroke(a, r, g, bl); pdf_content_stroke_rgb(&o, r, g, bl); break;
            case 2: HPDF_Page_SetLineWidth(a, w < 0 ? -w : w); pdf_content_line_width(&o, w < 0 ? -w : w); break;
            case 3: HPDF_Page_SetDash(a, ndash ? dash : NULL, ndash, 0); pdf_content_dash(&o, dash, ndash); break;
            case 4: HPDF_Page_MoveTo(a, x, y); pdf_content_move_to(&o, x, y); break;
            case 5: HPDF_Page_Rectangle(a, x, y, w, h); pdf_content_rectangle(&o, x, y, w, h); break;
            case 6: HPDF_Page_SetFontAndSize(a, font, size); pdf_content_font(&o, font, size); break;
            default: HPDF_Page_BeginText(a); pdf_content_begin_text(&o); break;
            }
        } else if (mode == HPDF_GMODE_PATH_OBJECT) {
            switch (op % 4) {
            case 0: case 1: HPDF_Page_LineTo(a, x, y); pdf_content_line_to(&o, x, y); break;
            case 2: HPDF_Page_Stroke(a); pdf_content_stroke(&o); break;
            default: HPDF_Page_Fill(a); pdf_content_fill(&o); break;
            }
        } else {
            if (!HPDF_Page_GetCurrentFont(a))
                op = 0;
            switch (op) {
            case 0: HPDF_Page_SetFontAndSize(a, font, size); pdf_content_font(&o, font, size); break;
            case 1: HPDF_Page_MoveTextPos(a, x, y); pdf_content_move_text(&o, x, y); break;
            case 2: case 3: HPDF_Page_TextOut(a, x, y, text); pdf_content_text_out(&o, x, y, text); break;
            case 4: HPDF_Page_ShowText(a, text); pdf_content_show(&o, text); break;
            case 5: HPDF_Page_SetRGBFill(a, r, g, bl); pdf_content_fill_rgb(&o, r, g, bl); break;
            default: HPDF_Page_EndText(a); pdf_content_end_text(&o); break;
            }
        }
        cr_assert_eq(last_error, HPDF_OK, "step %d: libharu error 0x%04X", step, (unsigned)last_error);
        cr_assert(!o.failed, "step %d", step);
        expect_same_state(a, b, step);
        if (rand() % 5 == 0)
            pdf_content_flush(&o);
        if (rand() % 7 == 0 && HPDF_Page_GetGMode(a) != HPDF_GMODE_PATH_OBJECT) {
            /* libharu writing on after us, into the same buffers */
            pdf_content_flush(&o);
            HPDF_Page_SetGrayStroke(a, g);
            HPDF_Page_SetGrayStroke(b, g);
        }
    }
    pdf_content_flush(&o);
    size_t la, lb;
    char *ca = content_of(a, &la), *cb = content_of(b, &lb);
    cr_assert_gt(la, 100000, "the test drew too little: %zu bytes", la);
    size_t i = 0;
    while (i < la && i < lb && ca[i] == cb[i])
        i++;
    cr_assert(la == lb && i == la, "the content differs at byte %zu of %zu/%zu: libharu \"%.60s\", ours \"%.60s\"",
              i, la, lb, ca + (i > 20 ? i - 20 : 0), cb + (i > 20 ? i - 20 : 0));
    free(ca);
    free(cb);
    HPDF_Free(pdf);
}

Test(content, text_in_an_embedded_font_goes_through_libharu)
{
    HPDF_Doc pdf = HPDF_New(on_error, NULL);
    HPDF_UseUTFEncodings(pdf);
    const char *name = HPDF_LoadTTFontFromFile(pdf, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", HPDF_TRUE);
    cr_assert_not_null(name, "DejaVu Sans (fonts-dejavu-core) did not load");
    HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
    cr_assert(!pdf_content_takes_font(font));
    cr_assert(pdf_content_takes_font(HPDF_GetFont(pdf, "Helvetica", "WinAnsiEncoding")));
    HPDF_Page a = HPDF_AddPage(pdf), b = HPDF_AddPage(pdf);
    HPDF_Page_BeginText(a);
    HPDF_Page_SetFontAndSize(a, font, 9);
    HPDF_Page_TextOut(a, 40, 700, "SYN \xe2\x86\x92 ACK \xe2\x9c\x94");
    HPDF_Page_EndText(a);
    struct pdf_content o;
    pdf_content_begin(&o, b);
    pdf_content_begin_text(&o);
    pdf_content_font(&o, font, 9);
    pdf_content_text_out(&o, 40, 700, "SYN \xe2\x86\x92 ACK \xe2\x9c\x94");
    pdf_content_end_text(&o);
    pdf_content_flush(&o);
    size_t la, lb;
    char *ca = content_of(a, &la), *cb = content_of(b, &lb);
    cr_assert(la == lb && memcmp(ca, cb, la) == 0, "libharu:\n%s\nours:\n%s", ca, cb);
    cr_assert_not_null(strstr(ca, "> Tj"), "the text is not shown as a hex string:\n%s", ca);
    expect_same_state(a, b, 0);
    free(ca);
    free(cb);
    HPDF_Free(pdf);
}

Test(content, errors_reach_the_handler_as_from_libharu)
{
    HPDF_Doc pdf = HPDF_New(on_error, NULL);
    HPDF_Page page = HPDF_AddPage(pdf);
    struct {
        const char *what;
        HPDF_STATUS expected;
    } cases[] = {
        {"a colour above 1", HPDF_PAGE_OUT_OF_RANGE},
        {"a negative line width", HPDF_PAGE_OUT_OF_RANGE},
        {"a dash longer than 100", HPDF_PAGE_OUT_OF_RANGE},
        {"a line without a current point", HPDF_PAGE_INVALID_GMODE},
        {"text outside a text object", HPDF_PAGE_INVALID_GMODE},
        {"a font size of 0", HPDF_PAGE_INVALID_FONT_SIZE},
    };
    HPDF_Font helvetica = HPDF_GetFont(pdf, "Helvetica", "WinAnsiEncoding");
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        HPDF_STATUS theirs, ours;
        HPDF_UINT16 long_dash[2] = {101, 2};
        for (int side = 0; side < 2; side++) {
            struct pdf_content o;
            pdf_content_begin(&o, page);
            last_error = HPDF_OK;
            HPDF_ResetError(pdf);
            switch (k) {
            case 0: side ? pdf_content_fill_rgb(&o, 1.5f, 0, 0) : (void)HPDF_Page_SetRGBFill(page, 1.5f, 0, 0); break;
            case 1: side ? pdf_content_line_width(&o, -1) : (void)HPDF_Page_SetLineWidth(page, -1); break;
            case 2: side ? pdf_content_dash(&o, long_dash, 2) : (void)HPDF_Page_SetDash(page, long_dash, 2, 0); break;
            case 3: side ? pdf_content_line_to(&o, 1, 1) : (void)HPDF_Page_LineTo(page, 1, 1); break;
            case 4: side ? pdf_content_show(&o, "x") : (void)HPDF_Page_ShowText(page, "x"); break;
            default: side ? pdf_content_font(&o, helvetica, 0) : (void)HPDF_Page_SetFontAndSize(page, helvetica, 0); break;
            }
            if (side) {
                ours = last_error;
                cr_expect(o.failed, "%s: not marked failed", cases[k].what);
            } else {
                theirs = last_error;
            }
        }
        cr_expect_eq(theirs, cases[k].expected, "%s: libharu gave 0x%04X", cases[k].what, (unsigned)theirs);
        cr_expect_eq(ours, theirs, "%s: 0x%04X, libharu 0x%04X", cases[k].what, (unsigned)ours, (unsigned)theirs);
    }
    HPDF_Free(pdf);
}
