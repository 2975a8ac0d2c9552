/* pdf_doc.c — the document under every PDF of pcap2report (pdf_doc.h). */
#include "pdf_doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_wording.h"
#include "grow.h"

struct pdf_doc *pdf_doc_new(const char *templates_dir, const char *lang, char *err, size_t errlen)
{
    struct pdf_doc *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    d->fail.err = err;
    d->fail.errlen = errlen;
    d->templates_dir = templates_dir ? templates_dir : "templates";
    d->lang = lang ? lang : "en";
    d->tpl = pdf_templates_load(d->templates_dir, d->lang, pdf_wording_schema, pdf_wording_schema_len,
                                err, errlen);
    if (!d->tpl) {
        free(d);
        return NULL;
    }
    pdf_words_init(&d->words, d->tpl);
    return d;
}

void pdf_doc_begin(struct pdf_doc *d, const struct pdf_provenance *p)
{
    d->tool_version = p->tool_version;
    d->pdf = HPDF_New(pdf_fail_on_hpdf_error, &d->fail);
    if (!d->pdf)
        pdf_fail(&d->fail, "out of memory");
    HPDF_SetCompressionMode(d->pdf, HPDF_COMP_ALL);
    char err[256];
    if (pdf_canvas_init_fonts(&d->canvas, d->pdf, d->tpl, p->pdfa, err, sizeof err) != 0)
        pdf_fail(&d->fail, "%s/%s.txt: %s", d->templates_dir, d->lang, err);
    pdf_archive_begin(&d->archive, &d->fail, d->pdf, p);
    HPDF_SetPageMode(d->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
}

HPDF_Page pdf_doc_add_page(struct pdf_doc *d)
{
    if (d->footers_drawn)
        pdf_fail(&d->fail, "internal error: a page added after the footers were drawn");
    if (!GROW(d->pages, d->cap_pages, d->n_pages + 1, 64))
        pdf_fail(&d->fail, "out of memory");
    HPDF_Page page = HPDF_AddPage(d->pdf);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    d->pages[d->n_pages++] = page;
    return page;
}

void pdf_doc_footers(struct pdf_doc *d, const char *file)
{
    struct pdf_words *wd = &d->words;
    struct pdf_canvas *c = &d->canvas;
    d->footers_drawn = true;
    char pages[32], left[PDF_WORDS_LEN];
    snprintf(pages, sizeof pages, "%s", pdf_format_count(wd, d->n_pages));
    snprintf(left, sizeof left, "%s",
             T(wd, "footer.left", {"version", d->tool_version ? d->tool_version : "?"}, {"file", file}));
    for (size_t i = 0; i < d->n_pages; i++) {
        HPDF_Page page = d->pages[i];
        pdf_line(page, PDF_MARGIN, PDF_FOOTER_Y + 9, PDF_PAGE_W - PDF_MARGIN, PDF_FOOTER_Y + 9, 0.4f,
                 PDF_RULE, 0, 0);
        pdf_fill_color(page, PDF_MUTED);
        const char *right = T(wd, "footer.right", {"page", pdf_format_count(wd, i + 1)}, {"pages", pages});
        float rw = pdf_text(c, page, PDF_FONT_TEXT, 6.5f, PDF_PAGE_W - PDF_MARGIN, PDF_FOOTER_Y,
                            PDF_RIGHT, right);
        pdf_text_fit(c, page, PDF_FONT_TEXT, 6.5f, 5.0f, PDF_MARGIN, PDF_FOOTER_Y,
                     PDF_PAGE_W - 2 * PDF_MARGIN - rw - 20, PDF_LEFT, left);
    }
}

void pdf_doc_save(struct pdf_doc *d, FILE *out)
{
    HPDF_Font fonts[PDF_FONT_SLOTS];
    size_t n = pdf_canvas_truetype_fonts(&d->canvas, fonts, PDF_FONT_SLOTS);
    pdf_archive_end(&d->archive, fonts, n);
    pdf_archive_save(&d->archive, out);
}

int pdf_doc_free(struct pdf_doc *d, int rc)
{
    if (!d)
        return rc;
    pdf_archive_free(&d->archive);
    if (d->pdf)
        HPDF_Free(d->pdf);
    pdf_canvas_free(&d->canvas);
    pdf_templates_free(d->tpl);
    free(d->pages);
    free(d);
    return rc;
}
