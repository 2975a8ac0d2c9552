/* test_views.c — what the SVG, HTML and CSV writers stand on: the CSV's RFC 4180 quoting,
 * tcp.stream numbering as tshark's (analysis/tcp/wireshark_stream.c, through the session
 * table), the diagram description the PDF and the SVG both draw (render/diagram.h), and the
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

/* tshark 4.0: a SYN without ACK whose sequence number differs from its direction's first in
 * the conversation starts the next tcp.stream; the base of a direction that began without a
 * SYN is its first sequence number less one. */
Test(pdf, views_tcp_stream_splits_where_tshark_does)
{
    struct convo cv;
    convo_init(&cv, 4);
    struct session *s = convo_send(&cv, C2S, TCP_ACK | TCP_PSH, 5000, 1, 10); /* data first */
    cr_expect_eq(s->wireshark_stream, 0);
    s = convo_send(&cv, C2S, TCP_SYN, 4999, 0, 0); /* its base: same stream */
    cr_expect_eq(s->wireshark_stream_last, 0);
    s = convo_send(&cv, C2S, TCP_SYN, 5000, 0, 0); /* another ISN: stream 1 */
    cr_expect_eq(s->wireshark_stream_last, 1);
    s = convo_send(&cv, C2S, TCP_SYN, 5000, 0, 0); /* its retransmission: still 1 */
    cr_expect_eq(s->wireshark_stream_last, 1);
    s = convo_send(&cv, S2C, TCP_SYN | TCP_ACK, 900, 5001, 0);
    s = convo_send(&cv, S2C, TCP_SYN | TCP_ACK, 901, 5001, 0); /* has ACK: no split */
    cr_expect_eq(s->wireshark_stream_last, 1);
    convo_free(&cv);

    /* A closed session and a new ISN: a new session and a new stream; the first session
     * stays 0. */
    convo_init(&cv, 6);
    convo_handshake(&cv, 100, 700);
    struct session *first = convo_send(&cv, C2S, TCP_FIN | TCP_ACK, 101, 701, 0);
    convo_send(&cv, S2C, TCP_FIN | TCP_ACK, 701, 102, 0);
    convo_send(&cv, C2S, TCP_ACK, 102, 702, 0);
    struct session *second = convo_send(&cv, C2S, TCP_SYN, 9000, 0, 0);
    cr_expect_neq(first, second);
    cr_expect_eq(first->wireshark_stream, 0);
    cr_expect_eq(first->wireshark_stream_last, 0);
    cr_expect_eq(second->wireshark_stream, 1);
    convo_free(&cv);
}

/* A shortened text's UTF-8 form encodes back to exactly the bytes pdf_text_fit draws. */
Test(pdf, views_fitted_text_round_trips)
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
    char buf[2048];
    pdf_text_fit_plan(c, PDF_FONT_TEXT, 8, 4, 0, 40, PDF_LEFT, text, f);
    cr_expect(f->shortened);
    cr_expect_float_eq(f->size, 4, 1e-6);
    const char *utf8 = pdf_fitted_utf8(c, PDF_FONT_TEXT, f, text, buf, sizeof buf);
    size_t n;
    cr_expect_str_eq(pdf_encode(c, PDF_FONT_TEXT, utf8, &n), f->encoded);
    cr_expect(strstr(utf8, "...") != NULL);
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
    const struct session *s = capture_session(r, 0);
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
