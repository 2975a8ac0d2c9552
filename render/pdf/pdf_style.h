/* pdf_style.h — the page and the colours every PDF of pcap2report shares.
 *
 * A4 portrait in points, its margins and footer line, and the palette. Each colour also
 * differs in shape or text where it carries meaning, so a grey print still reads. */
#ifndef PCAP2REPORT_PDF_STYLE_H
#define PCAP2REPORT_PDF_STYLE_H

#define PDF_PAGE_W 595.276f
#define PDF_PAGE_H 841.89f
#define PDF_MARGIN 30.0f
#define PDF_FOOTER_Y 18.0f /* baseline of the footer line */
#define PDF_BOTTOM 40.0f   /* nothing but the footer goes below this */

struct pdf_rgb {
    float r, g, b;
};

static const struct pdf_rgb PDF_BLACK = {0.00f, 0.00f, 0.00f};
static const struct pdf_rgb PDF_TEXT = {0.13f, 0.14f, 0.16f};
static const struct pdf_rgb PDF_MUTED = {0.42f, 0.44f, 0.48f};
static const struct pdf_rgb PDF_RULE = {0.78f, 0.80f, 0.83f};
static const struct pdf_rgb PDF_ACCENT = {0.11f, 0.30f, 0.55f};
static const struct pdf_rgb PDF_LINK = {0.05f, 0.35f, 0.75f};
static const struct pdf_rgb PDF_ALERT = {0.78f, 0.10f, 0.12f};
static const struct pdf_rgb PDF_WARN = {0.85f, 0.45f, 0.00f};
static const struct pdf_rgb PDF_PASS = {0.10f, 0.55f, 0.25f};
static const struct pdf_rgb PDF_HANDSHAKE_TINT = {0.89f, 0.94f, 1.00f};
static const struct pdf_rgb PDF_TEARDOWN_TINT = {1.00f, 0.94f, 0.86f};
static const struct pdf_rgb PDF_HANDSHAKE_INK = {0.17f, 0.38f, 0.70f};
static const struct pdf_rgb PDF_TEARDOWN_INK = {0.72f, 0.42f, 0.05f};
static const struct pdf_rgb PDF_ZEBRA = {0.955f, 0.96f, 0.97f};
static const struct pdf_rgb PDF_FOLD_TINT = {0.93f, 0.93f, 0.94f};
static const struct pdf_rgb PDF_WHITE = {1.00f, 1.00f, 1.00f};

#endif
