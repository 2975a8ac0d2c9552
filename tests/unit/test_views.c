/* test_views.c — what the SVG, HTML and CSV writers stand on: the CSV's RFC 4180 quoting,
 * tcp.stream numbering as tshark's (analysis/tcp/table.c, where sessions split as tshark's
 * streams do), the diagram description the PDF and the SVG both draw (render/diagram.h), and the
 * fitting of text worked out before drawing (pdf_text_fit_plan). */
/* In the suite "pdf" (see test_pdf_select.c: a suite of its own leaked under -j2 with ASan). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "convo.h"
#include "csv.h"
#include "diagram.h"
#include "drawing.h"
#include "svg.h"

static char *captured(void (*write)(FILE *, const char *), const char *arg)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert_not_null(f);
    write(f, arg);
    fclose(f);
    return text;
}

Test(pdf, views_csv_fields_are_quoted_as_rfc_4180_says)
{
    const char *cases[][2] = {
        {"SF", "SF"}, {"", ""}, {"a,b", "\"a,b\""}, {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\""}, {"cr\r", "\"cr\r\""}, {"a;b", "a;b"},
        {"bad \xff byte", "bad \xef\xbf\xbd byte"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = captured(csv_field, cases[i][0]);
        cr_expect_str_eq(got, cases[i][1], "field %zu", i);
        free(got);
    }
}

Test(pdf, views_svg_text_is_escaped_and_valid_xml)
{
    char *got = captured(svg_text_escaped, "a<b & \"c\" > \x01 \xc3\xa9 \xff");
    cr_expect_str_eq(got, "a&lt;b &amp; &quot;c&quot; &gt; \xef\xbf\xbd \xc3\xa9 \xef\xbf\xbd");
    free(got);
}

/* tshark 4.0 numbers tcp.streams in the order it starts them; a SYN without ACK whose
 * sequence number differs from its direction's base starts the next one, and so does a new
 * session here (table.c), so a session's tcp.stream (session_tcp_stream) is its rank among the
 * sessions begun, on every 4-tuple. The base of a direction that began without a SYN is its
 * first sequence number less one. */
Test(pdf, views_tcp_stream_numbers_sessions_as_tshark_does)
{
    struct convo cv;
    convo_init(&cv, 4);
    struct session *a = convo_send(&cv, C2S, TCP_ACK | TCP_PSH, 5000, 1, 10); /* data first */
    cr_expect_eq(session_tcp_stream(a), 0);
    cr_expect_eq(convo_send(&cv, C2S, TCP_SYN, 4999, 0, 0), a); /* its base: same stream */
    cv.c2s.sport = 40001; /* another 4-tuple between them: stream 1 */
    struct session *b = convo_send(&cv, C2S, TCP_SYN, 7000, 0, 0);
    cr_expect_neq(b, a);
    cr_expect_eq(session_tcp_stream(b), 1);
    cv.c2s.sport = 40000;
    struct session *c = convo_send(&cv, C2S, TCP_SYN, 5000, 0, 0); /* another ISN: stream 2 */
    cr_expect_neq(c, a);
    cr_expect_eq(session_tcp_stream(c), 2);
    cr_expect_eq(convo_send(&cv, C2S, TCP_SYN, 5000, 0, 0), c); /* its retransmission */
    convo_send(&cv, S2C, TCP_SYN | TCP_ACK, 900, 5001, 0);
    cr_expect_eq(convo_send(&cv, S2C, TCP_SYN | TCP_ACK, 901, 5001, 0), c); /* has ACK: no split */
    cr_expect_eq(session_tcp_stream(a), 0);
    cr_expect_eq(session_tcp_stream(b), 1);
    convo_free(&cv);
}

/* A text too long for its room keeps both ends around "...", whole characters, at the width drawn. */
Test(pdf, views_fitted_text_keeps_both_ends)
{
    struct capture_report *r = NULL;
    char err[256];
    cr_assert_eq(capture_analyze("samples/merged-fin.pcap", NULL, &r, err, sizeof err), 0, "%s", err);
    struct pdf_options opt = {.templates_dir = "templates", .lang = "en", .tool_version = "test"};
    struct drawing dw;
    cr_assert_eq(drawing_open(&dw, r, &opt, err, sizeof err), 0, "%s", err);
    struct pdf_canvas *c = &dw.doc->canvas;
    const char *text = "caf\xc3\xa9 \xe2\x86\x92 a long line of words \xe2\x89\xa4 that will not fit in forty points at all";
    struct pdf_fitted *f = malloc(sizeof *f);
    pdf_text_fit_plan(c, PDF_FONT_TEXT, 8, 4, 0, 40, PDF_LEFT, text, f);
    cr_expect(f->shortened);
    cr_expect_float_eq(f->size, 4, 1e-6);
    const char *utf8 = pdf_fitted_utf8(f, text);
    /* both ends kept, whole characters, and the width is the shortened text's */
    cr_expect(strncmp(utf8, "caf\xc3\xa9", 5) == 0, "%s", utf8);
    cr_expect(strstr(utf8, "...") != NULL);
    cr_expect(strcmp(utf8 + strlen(utf8) - 3, "all") == 0, "%s", utf8);
    cr_expect_float_eq(f->width, pdf_text_width(c, PDF_FONT_TEXT, 4, utf8), 1e-3);
    cr_expect_leq(f->width, 40.0f);
    pdf_text_fit_plan(c, PDF_FONT_TEXT, 8, 4, 100, 400, PDF_CENTER, "short", f);
    cr_expect(!f->shortened);
    cr_expect_float_eq(f->left, 100 - f->width / 2, 1e-4);
    free(f);
    drawing_close(&dw);
    capture_report_free(r);
}

/* The description: one arrow per kept segment, a label and a flag for each, the "back" link
 * (which the SVG leaves out), every page's rows within the frame; one long page for the SVG. */
Test(pdf, views_the_description_holds_the_diagram)
{
    struct capture_report *r = NULL;
    char err[256];
    cr_assert_eq(capture_analyze("samples/transfer-1mb.pcap", NULL, &r, err, sizeof err), 0, "%s", err);
    struct pdf_options opt = {.templates_dir = "templates", .lang = "en", .tool_version = "test"};
    struct drawing dw;
    cr_assert_eq(drawing_open(&dw, r, &opt, err, sizeof err), 0, "%s", err);
    const struct session *s = capture_session(r, 0, NULL);
    struct diagram *d = &dw.dg;
    for (int frame = 0; frame < 2; frame++) {
        d->frame = frame ? &diagram_frame_pdf : &diagram_frame_svg;
        cr_assert_eq(diagram_build(d, s), 0);
        size_t arrows = 0, links = 0, folds = 0;
        for (size_t k = 0; k < d->n_prims; k++) {
            const struct diagram_prim *p = &d->prims[k];
            arrows += p->kind == DG_ARROW;
            links += p->kind == DG_LINK;
            folds += p->kind == DG_BREAK;
            if (p->kind == DG_ARROW && frame)
                cr_expect(p->y > DG_ROWS_BOTTOM - 12 && p->y < DG_ROWS_TOP + 1, "arrow at %f", p->y);
        }
        cr_expect_eq(arrows, s->n_events);
        cr_expect_eq(links, d->pages, "a back link per page");
        cr_expect_eq(folds, 2 * s->n_gaps, "a break across both lifelines per fold");
        if (!frame)
            cr_expect_eq(d->pages, 1, "the SVG's one page");
    }
    struct svg_box b = svg_extent(d); /* the PDF frame's last build */
    cr_expect(b.x0 >= 0 && b.x1 <= PDF_PAGE_W && b.y1 <= PDF_PAGE_H);
    drawing_close(&dw);
    capture_report_free(r);
}
