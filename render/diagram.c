/* diagram.c — builds the description of one session's diagram (diagram.h): the transit time
 * the arrows are slanted by, the layout (diagram_layout.c), then each page's header and rows
 * (diagram_draw.c), into buffers kept from one session to the next.
 *
 * Arrows are slanted by the time a segment took to cross. A capture sees each segment at one
 * point, usually near one end; the side the capture was taken at follows from the handshake
 * (the shorter of SYN to SYN/ACK and SYN/ACK to ACK is the one measured at that end). An
 * arrow therefore meets that side's lifeline at its row and the other lifeline half a round
 * trip earlier or later, mapped through the neighbouring row's time scale and capped so that
 * labels never collide (diagram_layout.c). */
#include "diagram.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "pdf_offload.h"

const struct diagram_frame diagram_frame_pdf = {PDF_PAGE_W - PDF_MARGIN, DG_ROWS_BOTTOM};
const struct diagram_frame diagram_frame_svg = {DG_X_RIGHT, -INFINITY};

struct diagram_prim *diagram_add(struct diagram *d, enum diagram_prim_kind kind, enum diagram_part part,
                                 uint32_t page)
{
    if (d->oom || !GROW(d->prims, d->cap_prims, d->n_prims + 1, 256)) {
        d->oom = true;
        memset(&d->spare_prim, 0, sizeof d->spare_prim);
        return &d->spare_prim;
    }
    struct diagram_prim *p = &d->prims[d->n_prims++];
    memset(p, 0, sizeof *p);
    p->kind = (uint8_t)kind;
    p->part = (uint8_t)part;
    p->page = page;
    return p;
}

struct diagram_transit diagram_transit_of(const struct session *s)
{
    struct diagram_transit t = {.one_way_ns = 0, .near_client = true, .midway = false};
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

int diagram_build(struct diagram *d, const struct session *s)
{
    d->s = s;
    d->oom = false;
    d->n_items = d->n_prims = d->n_strings = 0;
    d->pages = 0;
    d->transit = diagram_transit_of(s);
    diagram_lay_out(d);
    for (uint32_t pg = 0; !d->oom && pg < d->pages; pg++) {
        diagram_draw_header(d, pg, pg == 0, true);
        diagram_draw_page(d, pg);
    }
    return d->oom ? -1 : 0;
}

int diagram_header(struct diagram *d, uint32_t page, bool first, bool boxes)
{
    diagram_draw_header(d, page, first, boxes);
    return d->oom ? -1 : 0;
}

void diagram_free(struct diagram *d)
{
    free(d->items);
    free(d->prims);
    free(d->strings);
    d->items = NULL;
    d->prims = NULL;
    d->strings = NULL;
    d->cap_items = d->cap_prims = d->cap_strings = 0;
    d->n_items = d->n_prims = d->n_strings = 0;
}

/* ---- what a segment shows --------------------------------------------------------------------- */

uint8_t diagram_shown_marks(const struct diagram *d, const struct session *s, const struct timeline_event *e)
{
    uint8_t m = e->marks & (MARK_RETRANSMISSION | MARK_OUT_OF_ORDER | MARK_BAD_ACK | MARK_ZERO_WINDOW |
                            MARK_BAD_CHECKSUM);
    /* Offload, explained on the first page: not worth a tag on every arrow (pdf_offload.h);
     * the SVG draws from this same description, so it follows the same rule. */
    if ((m & MARK_BAD_CHECKSUM) && pdf_offload_host(d->r, s->ip_version, s->side[e->dir].addr))
        m &= (uint8_t)~MARK_BAD_CHECKSUM;
    return m;
}

const char *diagram_segment_label(struct pdf_words *w, const struct session *s, const struct timeline_event *e,
                                  bool absolute)
{
    const struct session_side *snd = &s->side[e->dir], *rcv = &s->side[!e->dir];
    uint32_t seq = !absolute && snd->isn_known ? e->seq - snd->isn : e->seq;
    uint32_t ack = !absolute && rcv->isn_known ? e->ack - rcv->isn : e->ack;
    char buf[160];
    size_t n = 0;
    buf[0] = '\0';
    /* tcpdump leaves out seq on a bare ACK. */
    if (e->len)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "seq %u:%u, ", seq, seq + e->len);
    else if (e->flags & (TCP_SYN | TCP_FIN | TCP_RST))
        n += (size_t)snprintf(buf + n, sizeof buf - n, "seq %u, ", seq);
    if (e->flags & TCP_ACK)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "ack %u, ", ack);
    snprintf(buf + n, sizeof buf - n, "win %u, length %u", e->window, e->len);
    return pdf_fmt(w, "%s", buf);
}
