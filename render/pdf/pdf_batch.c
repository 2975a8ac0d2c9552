/* pdf_batch.c — the one-page summary of a batch (OUT/index.pdf).
 *
 * What the batch index says, for a person: how many inputs were converted, up to date, failed
 * or skipped, the sessions of all captures by handshake and close class, and the inputs that
 * failed with their reasons, as many as fit on the page. Built like the capture report: the
 * document set-up, wording, fonts, dates and /ID are pdf_writer.c's and pdf_archive.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_report.h"

#define CONTENT_W (PDF_PAGE_W - 2 * PDF_MARGIN)

static float status_lines(struct pdf_ctx *x, HPDF_Page page, float y, const struct pdf_batch *b)
{
    struct pdf_canvas *c = &x->canvas;
    const struct { const char *key; unsigned long long count; } lines[] = {
        {"batch.inputs", b->inputs}, {"batch.converted", b->converted},
        {"batch.up-to-date", b->up_to_date}, {"batch.failed", b->failed},
        {"batch.skipped", b->skipped}, {"batch.sessions", b->sessions},
        {"batch.packets", b->packets},
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++, y -= 12) {
        bool alert = strcmp(lines[i].key, "batch.failed") == 0 && lines[i].count;
        pdf_fill_color(page, alert ? PDF_ALERT : PDF_TEXT);
        pdf_text_fit(c, page, i == 0 ? PDF_FONT_TEXT_BOLD : PDF_FONT_TEXT, 9, 6, PDF_MARGIN, y, CONTENT_W,
                     PDF_LEFT, T(x, lines[i].key, {"count", pdf_format_count(x, lines[i].count)}));
    }
    return y;
}

/* The failed inputs, wrapped, until the footer; the rest are counted. */
static void failures(struct pdf_ctx *x, HPDF_Page page, float y, const struct pdf_batch *b)
{
    struct pdf_canvas *c = &x->canvas;
    const float size = 7.5f, leading = 9.5f;
    pdf_fill_color(page, PDF_ACCENT);
    pdf_text(c, page, PDF_FONT_TEXT_BOLD, 9.5f, PDF_MARGIN, y, PDF_LEFT, T0(x, "batch.failures"));
    y -= 13;
    pdf_fill_color(page, PDF_TEXT);
    if (b->n_failed == 0) {
        pdf_text(c, page, PDF_FONT_TEXT, size, PDF_MARGIN, y, PDF_LEFT, T0(x, "batch.failures-none"));
        return;
    }
    for (size_t i = 0; i < b->n_failed; i++) {
        char input[512], reason[1024];
        pdf_valid_utf8(b->failed_inputs[i], input, sizeof input);
        /* Most reasons begin with the input's own path; it is said once. */
        const char *why = b->failed_reasons[i] ? b->failed_reasons[i] : "";
        size_t n = strlen(b->failed_inputs[i]);
        if (strncmp(why, b->failed_inputs[i], n) == 0 && strncmp(why + n, ": ", 2) == 0)
            why += n + 2;
        pdf_valid_utf8(why, reason, sizeof reason);
        const char *item = T(x, "batch.failure-item", {"input", input}, {"reason", reason});
        int lines = pdf_text_wrap(c, NULL, PDF_FONT_TEXT, size, leading, PDF_MARGIN, y, CONTENT_W, item);
        /* Keep a line for "and N more" unless this is the last one. */
        float room = (float)lines * leading + (i + 1 < b->n_failed ? leading : 0);
        if (y - room < PDF_BOTTOM) {
            pdf_fill_color(page, PDF_MUTED);
            pdf_text(c, page, PDF_FONT_TEXT, size, PDF_MARGIN, y, PDF_LEFT,
                     T(x, "batch.more-failures", {"count", pdf_format_count(x, b->n_failed - i)}));
            return;
        }
        pdf_text_wrap(c, page, PDF_FONT_TEXT, size, leading, PDF_MARGIN, y, CONTENT_W, item);
        y -= (float)lines * leading + 2;
    }
}

static void build(struct pdf_ctx *x, const char *path, const struct pdf_batch *b)
{
    char title[256];
    snprintf(title, sizeof title, "%s", T0(x, "batch.title"));
    x->doc_title = x->doc_subject = title;
    pdf_document_begin(x);
    HPDF_Page page = pdf_add_page(x);
    struct pdf_canvas *c = &x->canvas;
    float y = PDF_PAGE_H - PDF_MARGIN - 16;
    pdf_fill_color(page, PDF_ACCENT);
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, 18, 10, PDF_MARGIN, y, CONTENT_W, PDF_LEFT, T0(x, "batch.heading"));
    y -= 10;
    pdf_line(page, PDF_MARGIN, y, PDF_PAGE_W - PDF_MARGIN, y, 1.2f, PDF_ACCENT, 0, 0);
    y -= 16;
    pdf_fill_color(page, PDF_ACCENT);
    pdf_text(c, page, PDF_FONT_TEXT_BOLD, 9.5f, PDF_MARGIN, y, PDF_LEFT, T0(x, "batch.totals"));
    y = status_lines(x, page, y - 14, b) - 8;
    y = pdf_class_charts(x, page, y, b->handshake, b->teardown) - 8;
    failures(x, page, y, b);
    pdf_draw_footers(x, x->file_name);
    pdf_document_save(x, path);
}

int pdf_write_batch_summary(const char *path, const struct pdf_batch *b, const struct pdf_options *opt,
                            char *err, size_t errlen)
{
    struct pdf_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    x->opt = opt;
    x->err = err;
    x->errlen = errlen;
    volatile int rc = -1;
    x->tpl = pdf_templates_load(opt->templates_dir ? opt->templates_dir : "templates",
                                opt->lang ? opt->lang : "en", pdf_wording_schema,
                                pdf_wording_schema_len, err, errlen);
    if (x->tpl && setjmp(x->fail) == 0) {
        pdf_valid_utf8(T0(x, "batch.file"), x->file_name, sizeof x->file_name);
        build(x, path, b);
        rc = 0;
    }
    return pdf_ctx_finish(x, path, rc);
}
