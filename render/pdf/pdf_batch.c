/* pdf_batch.c — the one-page summary of a batch (OUT/index.pdf).
 *
 * What the batch index says, for a person: how many inputs were converted, up to date, failed
 * or skipped, the sessions of all captures by handshake and close class, and the inputs that
 * failed with their reasons, as many as fit on the page. Built like the capture report: the
 * document set-up, wording, fonts, dates and /ID are pdf_doc.c's and pdf_archive.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_archive.h"
#include "pdf_charts.h"
#include "pdf_doc.h"
#include "pdf_writer.h"

#define CONTENT_W (PDF_PAGE_W - 2 * PDF_MARGIN)

static float status_lines(struct pdf_doc *d, HPDF_Page page, float y, const struct pdf_batch *b)
{
    struct pdf_canvas *c = &d->canvas;
    struct pdf_words *wd = &d->words;
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
                     PDF_LEFT, T(wd, lines[i].key, {"count", pdf_format_count(wd, lines[i].count)}));
    }
    return y;
}

/* The failed inputs, wrapped, until the footer; the rest are counted. */
static void failures(struct pdf_doc *d, HPDF_Page page, float y, const struct pdf_batch *b)
{
    struct pdf_canvas *c = &d->canvas;
    struct pdf_words *wd = &d->words;
    const float size = 7.5f, leading = 9.5f;
    pdf_fill_color(page, PDF_ACCENT);
    pdf_text(c, page, PDF_FONT_TEXT_BOLD, 9.5f, PDF_MARGIN, y, PDF_LEFT, T0(wd, "batch.failures"));
    y -= 13;
    pdf_fill_color(page, PDF_TEXT);
    if (b->n_failed == 0) {
        pdf_text(c, page, PDF_FONT_TEXT, size, PDF_MARGIN, y, PDF_LEFT, T0(wd, "batch.failures-none"));
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
        const char *item = T(wd, "batch.failure-item", {"input", input}, {"reason", reason});
        int lines = pdf_text_wrap(c, NULL, PDF_FONT_TEXT, size, leading, PDF_MARGIN, y, CONTENT_W, item);
        /* Keep a line for "and N more" unless this is the last one. */
        float room = (float)lines * leading + (i + 1 < b->n_failed ? leading : 0);
        if (y - room < PDF_BOTTOM) {
            pdf_fill_color(page, PDF_MUTED);
            pdf_text(c, page, PDF_FONT_TEXT, size, PDF_MARGIN, y, PDF_LEFT,
                     T(wd, "batch.more-failures", {"count", pdf_format_count(wd, b->n_failed - i)}));
            return;
        }
        pdf_text_wrap(c, page, PDF_FONT_TEXT, size, leading, PDF_MARGIN, y, CONTENT_W, item);
        y -= (float)lines * leading + 2;
    }
}

/* The document's beginning: the batch's title, and the provenance of a batch (no capture). */
static void begin(struct pdf_doc *d, const struct pdf_options *opt)
{
    char title[256], options[PDF_WORDS_LEN];
    snprintf(title, sizeof title, "%s", T0(&d->words, "batch.title"));
    pdf_archive_options(opt, 0, options);
    struct pdf_provenance p = {.title = title, .subject = title, .tool_version = opt->tool_version,
                               .input_sha256 = NULL, .options = options, .pdfa = opt->pdfa};
    p.date_source = pdf_archive_date(opt, NULL, &p.date);
    pdf_doc_begin(d, &p);
}

static void build(struct pdf_doc *d, FILE *out, const struct pdf_batch *b,
                  const struct pdf_options *opt, const char *file_name)
{
    begin(d, opt);
    HPDF_Page page = pdf_doc_add_page(d);
    struct pdf_canvas *c = &d->canvas;
    struct pdf_words *wd = &d->words;
    float y = PDF_PAGE_H - PDF_MARGIN - 16;
    pdf_fill_color(page, PDF_ACCENT);
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, 18, 10, PDF_MARGIN, y, CONTENT_W, PDF_LEFT, T0(wd, "batch.heading"));
    y -= 10;
    pdf_line(page, PDF_MARGIN, y, PDF_PAGE_W - PDF_MARGIN, y, 1.2f, PDF_ACCENT, 0, 0);
    y -= 16;
    pdf_fill_color(page, PDF_ACCENT);
    pdf_text(c, page, PDF_FONT_TEXT_BOLD, 9.5f, PDF_MARGIN, y, PDF_LEFT, T0(wd, "batch.totals"));
    y = status_lines(d, page, y - 14, b) - 8;
    y = pdf_class_charts(d, page, y, b->handshake, b->teardown) - 8;
    failures(d, page, y, b);
    pdf_doc_footers(d, file_name);
    pdf_doc_save(d, out);
}

int pdf_write_batch_summary(FILE *out, const struct pdf_batch *b, const struct pdf_options *opt,
                            char *err, size_t errlen)
{
    struct pdf_doc *d = pdf_doc_new(opt->templates_dir, opt->lang, err, errlen);
    if (!d)
        return -1;
    char file_name[512]; /* the footer's name for the batch, where a report names its capture */
    volatile int rc = -1;
    if (setjmp(d->fail.jump) == 0) {
        pdf_valid_utf8(T0(&d->words, "batch.file"), file_name, sizeof file_name);
        build(d, out, b, opt, file_name);
        rc = 0;
    }
    return pdf_doc_free(d, rc);
}
