/* pdf_session.c — one session's pages: the sequence diagram and, beside it, the checks
 * (pdf_session.h; the parts are in pdf_session_parts.h).
 *
 * The diagram is laid out before it is drawn (pdf_session_layout.c). Rows that do not fit
 * continue on the next page, with the lifeline boxes repeated (pdf_session_diagram.c).
 *
 * Arrows are slanted by the time a segment took to cross. A capture sees each segment at one
 * point, usually near one end; the side the capture was taken at follows from the handshake
 * (the shorter of SYN to SYN/ACK and SYN/ACK to ACK is the one measured at that end). An
 * arrow therefore meets that side's lifeline at its row and the other lifeline half a round
 * trip earlier or later, mapped through the neighbouring row's time scale and capped so that
 * labels never collide.
 *
 * The text column beside the diagram flows from page to page of the session and adds pages
 * when the explanation is longer than the diagram. */
#include "pdf_session.h"

#include <stdlib.h>

#include "pdf_session_parts.h"

static struct transit estimate_transit(const struct session *s)
{
    struct transit t = {.one_way_ns = 0, .near_client = true, .midway = false};
    if (s->rtt_syn_synack >= 0 && s->rtt_synack_ack >= 0) {
        t.one_way_ns = (s->rtt_syn_synack + s->rtt_synack_ack) / 2;
        t.near_client = s->rtt_synack_ack <= s->rtt_syn_synack;
        int64_t lo = t.near_client ? s->rtt_synack_ack : s->rtt_syn_synack;
        int64_t hi = t.near_client ? s->rtt_syn_synack : s->rtt_synack_ack;
        t.midway = hi < 2 * lo;
        if (t.midway)
            t.near_client = true;
    }
    return t;
}

HPDF_Page pdf_session_draw(struct pdf_session_pages *sp, const struct capture_report *r,
                           const struct session *s, HPDF_Page back)
{
    struct pdf_doc *d = sp->doc;
    struct pdf_sess x = {.sp = sp, .doc = d, .words = &d->words, .canvas = &d->canvas, .r = r,
                         .absolute_seq = sp->absolute_seq, .back = back};
    struct transit tr = estimate_transit(s);
    struct layout l;
    pdf_session_lay_out(&x, s, &tr, &l);

    size_t first = d->n_pages;
    for (uint32_t pg = 0; pg < l.pages; pg++) {
        HPDF_Page page = pdf_doc_add_page(d);
        pdf_session_page_header(&x, page, s, pg == 0, true);
        pdf_session_diagram_page(&x, page, s, &l, pg);
    }
    bool legend = pdf_session_legend(&x, d->pages[d->n_pages - 1], &l);
    pdf_session_panel(&x, s, first, l.pages, &tr, legend);
    return d->pages[first];
}

void pdf_session_pages_free(struct pdf_session_pages *sp)
{
    free(sp->items);
    sp->items = NULL;
    sp->cap = 0;
}
