/* test_pdf_pack.c — render/pdf_pack.c: a document whose pages were compressed ahead of saving
 * is the same to the byte as the one libharu compresses while saving, with the helper thread,
 * without it (few pages, or no core to spare) and with pages handed over between drawing;
 * a page handed over refuses to be drawn on; and the packer can be freed before finishing. */
#define _GNU_SOURCE /* memmem */
#include <criterion/criterion.h>
#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cores.h"
#include "pdf_pack.h"

static HPDF_STATUS last_error;

static void HPDF_STDCALL on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
    (void)detail;
    (void)data;
    last_error = code;
}

/* Not "pdf_...": next to the suite "pdf", such a name made Criterion 2.4.1's runner leak
 * 48 bytes (LeakSanitizer, make test-sanitize). */
TestSuite(pack, .timeout = 60);

/* Something on every page that compresses differently from page to page. */
static void draw(HPDF_Page page, HPDF_Font font, int n)
{
    HPDF_Page_SetRGBFill(page, 0.2f, 0.3f, (float)(n % 10) / 10.0f);
    HPDF_Page_Rectangle(page, 30, 30 + n % 50, 200, 18);
    HPDF_Page_Fill(page);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, font, 7);
    for (int line = 0; line < 60; line++) {
        char text[80];
        snprintf(text, sizeof text, "page %d, line %d: 10.0.%d.%d:%d -> 192.0.2.%d:443 (%x)", n, line,
                 n % 256, line, 30000 + n * line, (n * 7 + line) % 256, n * 2654435761u + (unsigned)line);
        HPDF_Page_TextOut(page, 40, 800 - 12.5f * (float)line, text);
    }
    HPDF_Page_EndText(page);
}

/* The saved bytes of a document of n pages; with pack, each page handed over as soon as it is
 * drawn (or, with late, all of them once every page is drawn). */
static unsigned char *document(int n, bool pack, bool late, struct core_budget *cores, size_t *len)
{
    HPDF_Doc pdf = HPDF_New(on_error, NULL);
    cr_assert_not_null(pdf);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_Font font = HPDF_GetFont(pdf, "Helvetica", "WinAnsiEncoding");
    HPDF_Page pages[64];
    struct pdf_pack *p = pack ? pdf_pack_new(pdf, (size_t)n, cores) : NULL;
    for (int i = 0; i < n; i++) {
        pages[i] = HPDF_AddPage(pdf);
        draw(pages[i], font, i);
        if (p && !late)
            pdf_pack_page(p, pages[i]);
    }
    for (int i = 0; p && late && i < n; i++)
        pdf_pack_page(p, pages[i]);
    if (p)
        pdf_pack_finish(p);
    cr_assert_eq(HPDF_SaveToStream(pdf), HPDF_OK);
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
    unsigned char *buf = malloc(size);
    cr_assert_not_null(buf);
    HPDF_ResetStream(pdf);
    HPDF_UINT32 got = size;
    cr_assert_eq(HPDF_ReadFromStream(pdf, buf, &got), HPDF_OK);
    cr_assert_eq(got, size);
    cr_assert_eq(last_error, HPDF_OK, "libharu error 0x%04X", (unsigned)last_error);
    pdf_pack_free(p);
    HPDF_Free(pdf);
    *len = size;
    return buf;
}

static void expect_same_document(int n, bool late, struct core_budget *cores, const char *how)
{
    size_t la, lb;
    unsigned char *a = document(n, false, false, NULL, &la), *b = document(n, true, late, cores, &lb);
    cr_assert(memmem(a, la, "/Filter [ /FlateDecode ]", 24), "%s: libharu did not compress", how);
    size_t i = 0;
    while (i < la && i < lb && a[i] == b[i])
        i++;
    cr_expect(la == lb && i == la, "%s, %d pages: the documents differ at byte %zu (%zu and %zu bytes)", how,
              n, i, la, lb);
    free(a);
    free(b);
}

Test(pack, same_bytes_as_libharu_compressing_while_saving)
{
    struct core_budget two;
    core_budget_init(&two, 2);
    expect_same_document(3, false, &two, "too few pages for the helper");
    expect_same_document(64, false, &two, "with the helper");
    expect_same_document(64, true, &two, "handed over after drawing");
    core_budget_hold(&two); /* as in batch mode: every core converts a capture */
    core_budget_hold(&two);
    cr_assert(!core_budget_spare(&two));
    expect_same_document(64, false, &two, "no core to spare");
}

Test(pack, a_page_handed_over_is_not_drawn_on)
{
    HPDF_Doc pdf = HPDF_New(on_error, NULL);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_Font font = HPDF_GetFont(pdf, "Helvetica", "WinAnsiEncoding");
    HPDF_Page page = HPDF_AddPage(pdf);
    draw(page, font, 1);
    struct pdf_pack *p = pdf_pack_new(pdf, 1, NULL);
    pdf_pack_page(p, page);
    last_error = HPDF_OK;
    HPDF_Page_Rectangle(page, 1, 1, 2, 2);
    cr_expect_eq(last_error, HPDF_PAGE_INVALID_GMODE, "drawing after the hand-over gave 0x%04X",
                 (unsigned)last_error);
    pdf_pack_free(p); /* without finishing: nothing is left behind (the sanitizers check) */
    HPDF_Free(pdf);
}

Test(pack, an_unfinished_page_is_refused)
{
    HPDF_Doc pdf = HPDF_New(on_error, NULL);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Page_GSave(page);
    struct pdf_pack *p = pdf_pack_new(pdf, 1, NULL);
    last_error = HPDF_OK;
    pdf_pack_page(p, page); /* libharu would add a Q to it while saving */
    cr_expect_eq(last_error, HPDF_PAGE_INVALID_GMODE);
    HPDF_Page_GRestore(page); /* libharu frees only the innermost graphics state */
    pdf_pack_free(p);
    HPDF_Free(pdf);
}
