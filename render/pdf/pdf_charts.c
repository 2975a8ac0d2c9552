/* pdf_charts.c — the sessions per handshake class and per close class as bar charts
 * (pdf_charts.h). */
#include "pdf_charts.h"

/* Horizontal bars, one per class, every class listed so a zero shows as a zero. Returns the
 * height used. */
static float bar_chart(struct pdf_doc *d, HPDF_Page page, float left, float top, float width,
                       const char *title, const char *const *names, const unsigned *counts,
                       size_t n, struct pdf_rgb ink)
{
    struct pdf_canvas *c = &d->canvas;
    struct pdf_words *wd = &d->words;
    const float row = 10.5f, label_w = 78, count_w = 34;
    unsigned max = 1;
    for (size_t i = 0; i < n; i++)
        if (counts[i] > max)
            max = counts[i];
    pdf_fill_color(page, PDF_TEXT);
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, 8.5f, 6, left, top - 9, width, PDF_LEFT, title);
    float y = top - 16;
    float bar_x = left + label_w, bar_w = width - label_w - count_w;
    for (size_t i = 0; i < n; i++, y -= row) {
        if (page) {
            pdf_fill_rect(page, bar_x, y - row + 2, bar_w, row - 3, PDF_ZEBRA);
            if (counts[i]) {
                float w = bar_w * (float)counts[i] / (float)max;
                pdf_fill_rect(page, bar_x, y - row + 2, w < 1.5f ? 1.5f : w, row - 3, ink);
            }
            struct pdf_rgb t = counts[i] ? PDF_TEXT : PDF_MUTED;
            pdf_fill_color(page, t);
        }
        pdf_text_fit(c, page, PDF_FONT_LABEL, 7, 5, bar_x - 4, y - row + 4.5f, label_w - 6, PDF_RIGHT, names[i]);
        float bw = counts[i] ? bar_w * (float)counts[i] / (float)max : 0;
        pdf_text(c, page, PDF_FONT_LABEL_BOLD, 7, bar_x + bw + 3, y - row + 4.5f, PDF_LEFT,
                 pdf_format_count(wd, counts[i]));
    }
    return top - y + 4;
}

float pdf_class_charts(struct pdf_doc *d, HPDF_Page page, float y, const unsigned *handshake,
                       const unsigned *teardown)
{
    const char *hs[HANDSHAKE_CLASSES], *td[TEARDOWN_CLASSES];
    for (int i = 0; i < HANDSHAKE_CLASSES; i++)
        hs[i] = handshake_class_name((enum handshake_class)i);
    for (int i = 0; i < TEARDOWN_CLASSES; i++)
        td[i] = teardown_class_name((enum teardown_class)i);
    float half = (PDF_PAGE_W - 2 * PDF_MARGIN - 20) / 2;
    float h1 = bar_chart(d, page, PDF_MARGIN, y, half, T0(&d->words, "chart.handshake"), hs, handshake,
                         HANDSHAKE_CLASSES, PDF_HANDSHAKE_INK);
    float h2 = bar_chart(d, page, PDF_MARGIN + half + 20, y, half, T0(&d->words, "chart.teardown"), td, teardown,
                         TEARDOWN_CLASSES, PDF_TEARDOWN_INK);
    return y - (h1 > h2 ? h1 : h2) - 4;
}
