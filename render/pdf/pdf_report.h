/* pdf_report.h — what the parts of the PDF renderer share (internal to render/pdf_*.c).
 *
 * pdf_writer.c runs the document: it picks the sessions that get diagrams, creates the pages
 * in order, and turns every libharu error into a longjmp back to pdf_write_report.
 * pdf_summary.c draws the first page and the sessions table; pdf_session.c draws a session's
 * pages (sequence diagram and the checks beside it); pdf_wording.c lists the template keys
 * and formats numbers, times and endpoints the way the report shows them. */
#ifndef PCAP2REPORT_PDF_REPORT_H
#define PCAP2REPORT_PDF_REPORT_H

#include <hpdf.h>
#include <setjmp.h>
#include <stdarg.h>

#include "report.h"
#include "pdf_canvas.h"
#include "pdf_templates.h"
#include "pdf_writer.h"

/* A4 portrait, in points. */
#define PDF_PAGE_W 595.276f
#define PDF_PAGE_H 841.89f
#define PDF_MARGIN 30.0f
#define PDF_FOOTER_Y 18.0f /* baseline of the footer line */
#define PDF_BOTTOM 40.0f   /* nothing but the footer goes below this */

enum { PDF_DEFAULT_MAX_DIAGRAMS = 50, PDF_FMT_BUFFERS = 24, PDF_FMT_LEN = 2048 };

/* The colours of the report; each also differs in shape or text, so grey prints read too. */
extern const struct pdf_rgb PDF_BLACK, PDF_TEXT, PDF_MUTED, PDF_RULE, PDF_ACCENT, PDF_LINK,
    PDF_ALERT, PDF_WARN, PDF_PASS, PDF_HANDSHAKE_TINT, PDF_TEARDOWN_TINT, PDF_HANDSHAKE_INK,
    PDF_TEARDOWN_INK, PDF_ZEBRA, PDF_FOLD_TINT, PDF_WHITE;

/* The session numbers given as session_filter ("3,7-9"), as ranges. */
struct pdf_filter {
    struct { uint64_t first, last; } *ranges;
    size_t n;
};

struct pdf_ctx {
    const struct capture_report *r;
    const struct pdf_options *opt;
    struct pdf_templates *tpl;
    struct pdf_canvas canvas;
    HPDF_Doc pdf;
    jmp_buf fail;
    char *err;
    size_t errlen;
    bool saving; /* HPDF_SaveToFile has begun: a failure must remove the file */
    char file_name[512]; /* the capture's name as valid UTF-8, whatever bytes it had on disk */
    /* The document's title and subject when not the report's (doc.title, doc.subject): the
     * feedback PDF's (grades_pdf.c). Valid until the document is saved. */
    const char *doc_title, *doc_subject;

    /* Every page in document order, for the footers. */
    HPDF_Page *pages;
    size_t n_pages, cap_pages;
    /* Pages [0, n_finished) have their footers: nothing more is drawn on them, and once the
     * first footer is drawn no page may be added ("page N of M" needs M). */
    size_t n_finished;
    bool footers_begun;

    /* The sessions table: its pages, and how many rows each holds. */
    HPDF_Page *table_pages;
    size_t n_table_pages;
    size_t rows_first_page, rows_per_page;
    float table_top_first; /* y of the table header on the first page */

    /* Sessions that get diagram pages: indices into the report, ascending, and each one's
     * first page. At most max_diagrams entries: memory does not grow with the session count. */
    size_t *selected;
    HPDF_Page *selected_page;
    size_t n_selected, max_diagrams;
    uint64_t n_requested; /* sessions the filter names that exist (filter only) */
    struct pdf_filter filter;

    /* Scratch for laying out one session's diagram (pdf_session.c), reused by every session. */
    void *layout;
    size_t layout_cap;

    /* Rotating buffers for formatted strings (pdf_fmt and the pdf_format_* helpers). */
    char fmt[PDF_FMT_BUFFERS][PDF_FMT_LEN];
    unsigned fmt_next;
};

/* Ends the report with a sentence in the caller's err (longjmp; never returns). */
_Noreturn void pdf_fail(struct pdf_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The set-up every PDF of pcap2report shares (the report, a student's feedback): creates the
 * document with libharu errors routed to pdf_fail, the fonts of the templates (embedded with
 * opt->pdfa), the document information and date, and the placeholder /ID (pdf_archive.c). */
void pdf_document_begin(struct pdf_ctx *x);
/* After the last thing is drawn: font fix-ups, PDF/A with opt->pdfa, and saving to path with
 * the /ID derived from the bytes. */
void pdf_document_save(struct pdf_ctx *x, const char *path);
/* "pcap2report VERSION · file" and "page N of M" at the foot of every page not finished yet
 * below end, which are then finished. Every page must exist by then. */
void pdf_finish_pages(struct pdf_ctx *x, size_t end, const char *file);
/* pdf_finish_pages for all the pages left. */
void pdf_draw_footers(struct pdf_ctx *x, const char *file);
/* Frees x and what it holds (the document, templates, pages), removing a file begun at path
 * when rc is not 0. Returns rc. */
int pdf_ctx_finish(struct pdf_ctx *x, const char *path, int rc);

/* A new A4 page at the end of the document. */
HPDF_Page pdf_add_page(struct pdf_ctx *x);

/* The template text of key with its placeholders filled, in a rotating buffer that stays valid
 * for the next PDF_FMT_BUFFERS - 1 formatting calls. */
const char *pdf_tpl(struct pdf_ctx *x, const char *key, const struct tpl_arg *args, size_t n);
#define T(x, key, ...) pdf_tpl((x), (key), TPL_ARGS(__VA_ARGS__))
#define T0(x, key) pdf_tpl((x), (key), TPL_NOARGS)

/* A rotating buffer (see pdf_tpl), for printf-style technical text. */
const char *pdf_fmt(struct pdf_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Formatting the model's values, each into a rotating buffer. */
const char *pdf_format_count(struct pdf_ctx *x, uint64_t v);   /* 1,048,576 */
const char *pdf_format_u32(struct pdf_ctx *x, uint32_t v);     /* 606026523: never grouped */
const char *pdf_format_duration(struct pdf_ctx *x, int64_t ns); /* 129 µs, 1.234 ms, 4.93 s */
const char *pdf_format_utc(struct pdf_ctx *x, int64_t ns);      /* 2024-01-02 03:04:05.123456 */
const char *pdf_format_clock(struct pdf_ctx *x, int64_t ns);    /* 03:04:05.123456 */
/* Seconds since a reference, to the microsecond: +0.000129 */
const char *pdf_format_offset(struct pdf_ctx *x, int64_t ns);
const char *pdf_format_ip(struct pdf_ctx *x, int version, const uint8_t *addr);
/* 10.0.0.1:40000, or [2001:db8::1]:40000 */
const char *pdf_format_endpoint(struct pdf_ctx *x, const struct session *s, int role);
/* Copies s into out (of outlen bytes) with every byte that is not part of valid UTF-8
 * replaced by U+FFFD, so a stranger's file name cannot break a font's or the outline's
 * encoder. */
void pdf_valid_utf8(const char *s, char *out, size_t outlen);
/* "retransmission, bad-checksum"; at most max names, then "+N more" from the template. */
const char *pdf_format_anomalies(struct pdf_ctx *x, const struct session *s, unsigned max);

/* The keys and placeholders the renderer uses, for pdf_templates_load. */
extern const struct tpl_key_spec pdf_wording_schema[];
extern const size_t pdf_wording_schema_len;

/* The two bar charts of sessions per handshake class and per close class, side by side, from
 * y down; returns the y below them. */
float pdf_class_charts(struct pdf_ctx *x, HPDF_Page page, float y, const unsigned *handshake,
                       const unsigned *teardown);

/* Pages of the first part, created before the session pages so that they come first. */
void pdf_summary_create_pages(struct pdf_ctx *x);
/* Draws them, once every session page exists for the links. */
void pdf_summary_draw(struct pdf_ctx *x);
/* The table page listing session index i. */
HPDF_Page pdf_summary_page_of(const struct pdf_ctx *x, size_t i);

/* Appends the pages of one session; returns the first. */
HPDF_Page pdf_session_draw(struct pdf_ctx *x, const struct session *s);

/* The first diagram page of session index i, or NULL when it has none. */
HPDF_Page pdf_diagram_page_of(const struct pdf_ctx *x, size_t i);

#endif
