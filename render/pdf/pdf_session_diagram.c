/* pdf_session_diagram.c — the sequence diagram of a session, page by page
 * (pdf_session_parts.h).
 *
 * Arrows are slanted by the time a segment took to cross (the layout worked out how much);
 * each is labelled along its length as tcpdump prints the segment, and each side's TCP state
 * is shown beside its lifeline where it changes. The handshake and the close are shaded, folded
 * data runs and long pauses drawn as rows of their own. */
#include "pdf_session_parts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct {
    uint8_t bit;
    const char *key;
} mark_keys[] = {
    {MARK_RETRANSMISSION, "mark.retransmission"}, {MARK_OUT_OF_ORDER, "mark.out-of-order"},
    {MARK_BAD_ACK, "mark.bad-ack"}, {MARK_ZERO_WINDOW, "mark.zero-window"},
    {MARK_BAD_CHECKSUM, "mark.bad-checksum"},
};

/* The label as tcpdump prints the segment, without "Flags": "seq 1:101, ack 1, win 502,
 * length 100" (flags are drawn separately, in bold). */
static const char *segment_label(struct pdf_sess *x, const struct session *s, const struct timeline_event *e)
{
    const struct session_side *snd = &s->side[e->dir], *rcv = &s->side[!e->dir];
    bool rel = !x->absolute_seq;
    uint32_t seq = rel && snd->isn_known ? e->seq - snd->isn : e->seq;
    uint32_t ack = rel && rcv->isn_known ? e->ack - rcv->isn : e->ack;
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
    return pdf_fmt(x->words, "%s", buf);
}


/* ---- page furniture ----------------------------------------------------------------------------- */

static const struct pdf_rgb BOX_FILL = {0.95f, 0.96f, 0.98f};
static const struct pdf_rgb LIFELINE = {0.55f, 0.58f, 0.62f};

static void chip(struct pdf_sess *x, HPDF_Page page, float *right, float y, const char *text,
                 struct pdf_rgb fill, struct pdf_rgb ink)
{
    float w = pdf_text_width(x->canvas, PDF_FONT_LABEL_BOLD, 7, text) + 10;
    *right -= w;
    pdf_round_rect(page, *right, y - 3, w, 11.5f, 3, &fill, NULL, 0);
    pdf_fill_color(page, ink);
    pdf_text(x->canvas, page, PDF_FONT_LABEL_BOLD, 7, *right + 5, y, PDF_LEFT, text);
    *right -= 4;
}

static void lifeline_box(struct pdf_sess *x, HPDF_Page page, const struct session *s, int role, float cx)
{
    struct pdf_canvas *c = x->canvas;
    const struct session_side *d = &s->side[role];
    float left = cx - BOX_W / 2;
    pdf_round_rect(page, left, BOX_TOP - BOX_H, BOX_W, BOX_H, 3, &BOX_FILL, &PDF_RULE, 0.6f);
    pdf_fill_color(page, PDF_TEXT);
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, 7.5f, 5, cx, BOX_TOP - 9, BOX_W - 8, PDF_CENTER,
                 T0(x->words, role == ROLE_CLIENT ? "role.client" : "role.server"));
    pdf_text_fit(c, page, PDF_FONT_LABEL, 6.8f, 4.2f, cx, BOX_TOP - 18, BOX_W - 8, PDF_CENTER,
                 pdf_format_endpoint(x->words, s, role));
    pdf_fill_color(page, PDF_MUTED);
    pdf_text_fit(c, page, PDF_FONT_TEXT, 6, 4, cx, BOX_TOP - 26.5f, BOX_W - 8, PDF_CENTER,
                 d->isn_known ? T(x->words, "lifeline.isn", {"isn", pdf_format_u32(x->words, d->isn)})
                              : T0(x->words, "lifeline.isn-unknown"));
}

void pdf_session_page_header(struct pdf_sess *x, HPDF_Page page, const struct session *s, bool first,
                             bool boxes)
{
    struct pdf_canvas *c = x->canvas;
    const char *id = pdf_format_count(x->words, s->id);
    const char *heading = !first ? T(x->words, "session.continued", {"id", id})
                          : s->generation ? T(x->words, "session.heading-generation", {"id", id},
                                              {"number", pdf_format_count(x->words, s->generation + 1)})
                                          : T(x->words, "session.heading", {"id", id});

    /* Back to where the caller said (the table row), top right. */
    pdf_fill_color(page, PDF_LINK);
    const char *back = T0(x->words, "session.back");
    float bw = pdf_text(c, page, PDF_FONT_TEXT, 6.5f, PDF_PAGE_W - PDF_MARGIN, TOP_Y - 4, PDF_RIGHT, back);
    pdf_link(page, PDF_PAGE_W - PDF_MARGIN - bw, TOP_Y - 6, bw, 9, x->back);

    /* Chips: the classes and Zeek's verdict, right-aligned on the heading's line. */
    float right = PDF_PAGE_W - PDF_MARGIN, chip_y = TOP_Y - 20;
    chip(x, page, &right, chip_y, s->conn_state, PDF_FOLD_TINT, PDF_TEXT);
    chip(x, page, &right, chip_y, teardown_class_name(s->teardown), PDF_TEARDOWN_TINT, PDF_TEARDOWN_INK);
    chip(x, page, &right, chip_y, handshake_class_name(s->handshake), PDF_HANDSHAKE_TINT, PDF_HANDSHAKE_INK);

    pdf_fill_color(page, PDF_ACCENT);
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, 15, 8, PDF_MARGIN, TOP_Y - 20, right - PDF_MARGIN - 6,
                 PDF_LEFT, heading);
    pdf_fill_color(page, PDF_MUTED);
    const struct session_side *cl = &s->side[ROLE_CLIENT], *sv = &s->side[ROLE_SERVER];
    pdf_text_fit(c, page, PDF_FONT_TEXT, 7.5f, 5, PDF_MARGIN, TOP_Y - 33, PDF_PAGE_W - 2 * PDF_MARGIN, PDF_LEFT,
                 T(x->words, "session.meta", {"ipv", pdf_fmt(x->words, "%u", s->ip_version)},
                   {"start", pdf_format_utc(x->words, s->first_ts, x->r->ts_digits)},
                   {"duration", pdf_format_duration(x->words, s->last_ts - s->first_ts)},
                   {"packets", pdf_format_count(x->words, cl->packets + sv->packets)},
                   {"bytes", pdf_format_count(x->words, cl->payload_bytes + sv->payload_bytes)}));
    pdf_line(page, PDF_MARGIN, TOP_Y - 39, PDF_PAGE_W - PDF_MARGIN, TOP_Y - 39, 1.0f, PDF_ACCENT, 0, 0);

    if (boxes) {
        lifeline_box(x, page, s, ROLE_CLIENT, X_CLIENT);
        lifeline_box(x, page, s, ROLE_SERVER, X_SERVER);
    }
}

/* ---- the diagram -------------------------------------------------------------------------------- */

/* The border of a state label: opening states blue, ESTABLISHED green, closing ones amber. */
static struct pdf_rgb state_ink(enum tcp_state st)
{
    switch (st) {
    case TCP_ESTABLISHED: return PDF_PASS;
    case TCP_SYN_SENT: case TCP_SYN_RECEIVED: case TCP_LISTEN: return PDF_HANDSHAKE_INK;
    case TCP_CLOSED: return PDF_MUTED;
    default: return PDF_TEARDOWN_INK;
    }
}

static void state_label(struct pdf_sess *x, HPDF_Page page, int role, float y, enum tcp_state st)
{
    const char *name = tcp_state_name(st);
    float lx = role == ROLE_CLIENT ? X_CLIENT : X_SERVER;
    float w = pdf_text_width(x->canvas, PDF_FONT_LABEL_BOLD, 5.6f, name) + 6;
    if (w > STATE_W)
        w = STATE_W;
    float left = role == ROLE_CLIENT ? lx - X_STATE_GAP - w : lx + X_STATE_GAP;
    struct pdf_rgb ink = state_ink(st);
    pdf_round_rect(page, left, y - 3.6f, w, 7.6f, 2, &PDF_WHITE, &ink, 0.6f);
    pdf_fill_color(page, PDF_TEXT);
    pdf_text_fit(x->canvas, page, PDF_FONT_LABEL_BOLD, 5.6f, 3.5f, left + w / 2, y - 1.9f, w - 4,
                 PDF_CENTER, name);
    /* A dot on the lifeline where the state changes. */
    pdf_fill_color(page, PDF_TEXT);
    HPDF_Page_Circle(page, lx, y, 1.4f);
    HPDF_Page_Fill(page);
}

static struct pdf_rgb mark_ink(uint8_t marks)
{
    if (marks & (MARK_RETRANSMISSION | MARK_BAD_ACK))
        return PDF_ALERT;
    if (marks & MARK_OUT_OF_ORDER)
        return PDF_WARN;
    if (marks & MARK_ZERO_WINDOW)
        return (struct pdf_rgb){0.45f, 0.20f, 0.60f};
    return PDF_MUTED;
}

static void draw_event(struct pdf_sess *x, HPDF_Page page, const struct session *s, const struct pdf_session_item *it)
{
    struct pdf_canvas *c = x->canvas;
    const struct timeline_event *e = &s->events[it->index];
    uint8_t marks = pdf_session_shown_marks(x, s, e);
    bool key = e->flags & (TCP_SYN | TCP_FIN | TCP_RST);
    struct pdf_rgb ink = marks & ~MARK_BAD_CHECKSUM ? mark_ink(marks)
                         : e->flags & TCP_RST     ? (struct pdf_rgb){0.55f, 0.08f, 0.10f}
                         : key                    ? PDF_BLACK
                                                  : (struct pdf_rgb){0.30f, 0.32f, 0.36f};
    float xs = e->dir == DIR_C2S ? X_CLIENT : X_SERVER, xe = e->dir == DIR_C2S ? X_SERVER : X_CLIENT;
    pdf_arrow(page, xs, it->y_start, xe, it->y_end, key ? 1.1f : 0.8f, 5.5f, ink,
              (marks & MARK_RETRANSMISSION) != 0);

    /* Label along the arrow, above it; read left to right whichever way the arrow points. */
    float lx = X_CLIENT, ly = e->dir == DIR_C2S ? it->y_start : it->y_end;
    float rx = X_SERVER, ry = e->dir == DIR_C2S ? it->y_end : it->y_start;
    float ang = atan2f(ry - ly, rx - lx), cs = cosf(ang), sn = sinf(ang);
    float mx = (lx + rx) / 2, my = (ly + ry) / 2, span = rx - lx - 22;
    HPDF_Page_GSave(page);
    HPDF_Page_Concat(page, cs, sn, -sn, cs, mx, my);

    char flags[12];
    const char *flag_text = pdf_fmt(x->words, "[%s] ", tcp_flags_string(e->flags, flags));
    const char *rest = segment_label(x, s, e);
    float fw = pdf_text_width(c, PDF_FONT_LABEL_BOLD, LABEL_SIZE, flag_text);
    float rw = pdf_text_width(c, PDF_FONT_LABEL, LABEL_SIZE, rest);
    float size = LABEL_SIZE;
    if (fw + rw > span)
        size = LABEL_SIZE * span / (fw + rw);
    float scale = size / LABEL_SIZE, start = -(fw + rw) * scale / 2;
    pdf_fill_color(page, ink);
    pdf_text(c, page, PDF_FONT_LABEL_BOLD, size, start, 2.4f, PDF_LEFT, flag_text);
    pdf_fill_color(page, PDF_TEXT);
    pdf_text(c, page, PDF_FONT_LABEL, size, start + fw * scale, 2.4f, PDF_LEFT, rest);
    if (it->lines > 1) {
        char opts[160];
        pdf_fill_color(page, PDF_MUTED);
        pdf_text_fit(c, page, PDF_FONT_LABEL, OPTIONS_SIZE, 3.8f, 0, 2.4f + LINE_STEP, span, PDF_CENTER,
                     pdf_fmt(x->words, "options [%s]", tcp_options_string(&e->options, opts, sizeof opts)));
    }
    if (it->tag) {
        char text[160] = "";
        for (size_t m = 0; m < sizeof mark_keys / sizeof mark_keys[0]; m++) {
            if (!(marks & mark_keys[m].bit))
                continue;
            size_t n = strlen(text);
            snprintf(text + n, sizeof text - n, "%s%s", n ? " \xc2\xb7 " : "", T0(x->words, mark_keys[m].key));
        }
        float tw = pdf_text_width(c, PDF_FONT_TEXT_BOLD, 5.4f, text) + 8;
        if (tw > span)
            tw = span;
        /* A filled tag for what went wrong in the exchange; an outlined one for a bad
         * checksum alone, which is usually the capturing host's offload, not the network. */
        struct pdf_rgb tag = mark_ink(marks);
        bool quiet = marks == MARK_BAD_CHECKSUM;
        pdf_round_rect(page, -tw / 2, -TAG_H - 1, tw, TAG_H - 0.5f, 2, quiet ? &PDF_WHITE : &tag,
                       quiet ? &tag : NULL, 0.5f);
        struct pdf_rgb text_ink = quiet ? tag : PDF_WHITE;
        pdf_fill_color(page, text_ink);
        pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, 5.4f, 3.5f, 0, -TAG_H + 1.2f, tw - 6, PDF_CENTER, text);
    }
    HPDF_Page_GRestore(page);

    /* Packet number and time since the session's first segment, in the margin. */
    pdf_fill_color(page, PDF_MUTED);
    pdf_text_fit(c, page, PDF_FONT_LABEL_BOLD, 5.8f, 4, X_TIME_R, it->y + 1.2f, X_TIME_R - X_STRIP - 8,
                 PDF_RIGHT, pdf_fmt(x->words, "#%llu", (unsigned long long)e->packet));
    pdf_fill_color(page, PDF_TEXT);
    pdf_text_fit(c, page, PDF_FONT_LABEL, 5.8f, 4, X_TIME_R, it->y - 5.6f, X_TIME_R - X_STRIP - 8,
                 PDF_RIGHT, pdf_format_offset(x->words, e->ts_ns - s->first_ts));
}

static void draw_states(struct pdf_sess *x, HPDF_Page page, const struct session *s, const struct pdf_session_item *it)
{
    const struct timeline_event *e = &s->events[it->index];
    for (int role = ROLE_CLIENT; role <= ROLE_SERVER; role++) {
        uint8_t before = it->index ? s->events[it->index - 1].state[role] : TCP_STATE_UNKNOWN;
        uint8_t after = e->state[role];
        if (after == before || after == TCP_STATE_UNKNOWN)
            continue;
        /* The sender changes state as it sends, the receiver as it receives. */
        float y = (int)e->dir == role ? it->y_start : it->y_end;
        state_label(x, page, role, y, (enum tcp_state)after);
    }
}

static void draw_fold(struct pdf_sess *x, HPDF_Page page, const struct session *s, const struct pdf_session_item *it)
{
    struct pdf_canvas *c = x->canvas;
    const struct timeline_gap *g = &s->gaps[it->index];
    float top = it->y - 3, bottom = it->y - FOLD_H + 3, mid = (top + bottom) / 2;
    pdf_fill_rect(page, X_CLIENT - 10, bottom, X_SERVER - X_CLIENT + 20, top - bottom, PDF_FOLD_TINT);
    /* A zigzag across each lifeline: the time axis is broken here. */
    for (int side = 0; side < 2; side++) {
        float lx = side ? X_SERVER : X_CLIENT;
        pdf_fill_rect(page, lx - 4, mid - 4, 8, 8, PDF_FOLD_TINT);
        HPDF_Page_SetRGBStroke(page, LIFELINE.r, LIFELINE.g, LIFELINE.b);
        HPDF_Page_SetLineWidth(page, 0.8f);
        HPDF_Page_MoveTo(page, lx - 5, mid + 3);
        HPDF_Page_LineTo(page, lx + 5, mid + 5.5f);
        HPDF_Page_MoveTo(page, lx - 5, mid - 5.5f);
        HPDF_Page_LineTo(page, lx + 5, mid - 3);
        HPDF_Page_Stroke(page);
    }
    float cx = (X_CLIENT + X_SERVER) / 2, w = X_SERVER - X_CLIENT - 24;
    pdf_fill_color(page, PDF_TEXT);
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, 6.8f, 4, cx, top - 9, w, PDF_CENTER,
                 T(x->words, "diagram.fold", {"packets", pdf_format_count(x->words, g->packets[0] + g->packets[1])}));
    pdf_fill_color(page, PDF_MUTED);
    pdf_text_fit(c, page, PDF_FONT_TEXT, 6, 4, cx, top - 18.5f, w, PDF_CENTER,
                 T(x->words, "diagram.fold-c2s", {"packets", pdf_format_count(x->words, g->packets[DIR_C2S])},
                   {"bytes", pdf_format_count(x->words, g->bytes[DIR_C2S])}));
    pdf_text_fit(c, page, PDF_FONT_TEXT, 6, 4, cx, top - 26.5f, w, PDF_CENTER,
                 T(x->words, "diagram.fold-s2c", {"packets", pdf_format_count(x->words, g->packets[DIR_S2C])},
                   {"bytes", pdf_format_count(x->words, g->bytes[DIR_S2C])}));
}

static void draw_pause(struct pdf_sess *x, HPDF_Page page, const struct session *s, const struct pdf_session_item *it)
{
    int64_t dt = s->events[it->index].ts_ns - s->events[it->index - 1].ts_ns;
    float mid = it->y - PAUSE_H / 2;
    pdf_fill_color(page, PDF_MUTED);
    pdf_text_fit(x->canvas, page, PDF_FONT_TEXT, 6, 4, (X_CLIENT + X_SERVER) / 2, mid - 2,
                 X_SERVER - X_CLIENT - 20, PDF_CENTER,
                 T(x->words, "diagram.pause", {"duration", pdf_format_duration(x->words, dt)}));
}

/* Shades the handshake or the close: the rows from the first to the last event with the mark. */
static void draw_phase(struct pdf_sess *x, HPDF_Page page, const struct session *s, const struct layout *l,
                       uint32_t pg, uint8_t mark, struct pdf_rgb tint, struct pdf_rgb ink, const char *key)
{
    uint32_t lo = UINT32_MAX, hi = 0;
    for (uint32_t i = 0; i < s->n_events; i++) {
        if (s->events[i].marks & mark) {
            if (lo == UINT32_MAX)
                lo = i;
            hi = i;
        }
    }
    if (lo == UINT32_MAX)
        return;
    float top = -1, bottom = PDF_PAGE_H;
    for (size_t k = 0; k < l->n; k++) {
        const struct pdf_session_item *it = &l->items[k];
        if (it->page != pg || it->kind != ITEM_EVENT || it->index < lo || it->index > hi)
            continue;
        if (it->top > top)
            top = it->top;
        if (it->bottom < bottom)
            bottom = it->bottom;
    }
    if (top < 0)
        return;
    top += 3;
    bottom -= 3;
    pdf_fill_rect(page, X_STRIP + 8, bottom, X_DIAGRAM_R - X_STRIP - 8, top - bottom, tint);
    pdf_fill_rect(page, X_STRIP, bottom, 6.5f, top - bottom, ink);
    /* The phase's name, written upwards in the strip. */
    const char *name = T0(x->words, key);
    float size = 5.2f, w = pdf_text_width(x->canvas, PDF_FONT_TEXT_BOLD, size, name);
    if (w > top - bottom - 4) {
        size *= (top - bottom - 4) / w;
        w = top - bottom - 4;
    }
    if (size < 2.5f)
        return;
    HPDF_Page_GSave(page);
    HPDF_Page_Concat(page, 0, 1, -1, 0, X_STRIP + 5.0f, (top + bottom) / 2 - w / 2);
    pdf_fill_color(page, PDF_WHITE);
    pdf_text(x->canvas, page, PDF_FONT_TEXT_BOLD, size, 0, 0, PDF_LEFT, name);
    HPDF_Page_GRestore(page);
}

void pdf_session_diagram_page(struct pdf_sess *x, HPDF_Page page, const struct session *s,
                              const struct layout *l, uint32_t pg)
{
    draw_phase(x, page, s, l, pg, MARK_HANDSHAKE, PDF_HANDSHAKE_TINT, PDF_HANDSHAKE_INK, "phase.handshake");
    draw_phase(x, page, s, l, pg, MARK_TEARDOWN, PDF_TEARDOWN_TINT, PDF_TEARDOWN_INK, "phase.teardown");

    /* Lifelines down to the last row of this page, or to the bottom when the next page goes on. */
    float bottom = ROWS_BOTTOM;
    if (pg + 1 == l->pages) {
        bottom = ROWS_TOP;
        for (size_t k = 0; k < l->n; k++)
            if (l->items[k].page == pg && l->items[k].bottom - 6 < bottom)
                bottom = l->items[k].bottom - 6;
    }
    pdf_line(page, X_CLIENT, BOX_TOP - BOX_H, X_CLIENT, bottom, 1.0f, LIFELINE, 0, 0);
    pdf_line(page, X_SERVER, BOX_TOP - BOX_H, X_SERVER, bottom, 1.0f, LIFELINE, 0, 0);

    /* After the last row, a side that ends in TIME-WAIT: its lifeline goes on, dashed, for
     * the 2 MSL it still waits. */
    if (pg + 1 == l->pages && bottom - 22 > ROWS_BOTTOM) {
        for (int role = ROLE_CLIENT; role <= ROLE_SERVER; role++) {
            if (s->side[role].state != TCP_TIME_WAIT)
                continue;
            float lx = role == ROLE_CLIENT ? X_CLIENT : X_SERVER;
            pdf_line(page, lx, bottom, lx, bottom - 20, 1.0f, PDF_TEARDOWN_INK, 2, 2);
            pdf_fill_color(page, PDF_TEARDOWN_INK);
            pdf_text_fit(x->canvas, page, PDF_FONT_TEXT, 5.8f, 4, role == ROLE_CLIENT ? lx - 5 : lx + 5,
                         bottom - 13, STATE_W + 10, role == ROLE_CLIENT ? PDF_RIGHT : PDF_LEFT,
                         T0(x->words, "diagram.time-wait"));
        }
    }

    for (size_t k = 0; k < l->n; k++) {
        const struct pdf_session_item *it = &l->items[k];
        if (it->page != pg)
            continue;
        if (it->kind == ITEM_FOLD)
            draw_fold(x, page, s, it);
        else if (it->kind == ITEM_PAUSE)
            draw_pause(x, page, s, it);
    }
    for (size_t k = 0; k < l->n; k++)
        if (l->items[k].page == pg && l->items[k].kind == ITEM_EVENT)
            draw_event(x, page, s, &l->items[k]);
    for (size_t k = 0; k < l->n; k++)
        if (l->items[k].page == pg && l->items[k].kind == ITEM_EVENT)
            draw_states(x, page, s, &l->items[k]);
}

/* How to read the diagram, under it when the last diagram page has room (it usually has, and
 * the text column beside it then stays on one page). Returns whether it was drawn. */
bool pdf_session_legend(struct pdf_sess *x, HPDF_Page page, const struct layout *l)
{
    struct pdf_canvas *c = x->canvas;
    const float size = 6.3f, lead = size * TEXT_LEAD / TEXT_SIZE, width = X_DIAGRAM_R - PDF_MARGIN;
    const char *legend = T0(x->words, x->absolute_seq ? "legend.absolute" : "legend.relative");
    float y = ROWS_TOP;
    for (size_t k = 0; k < l->n; k++)
        if (l->items[k].page + 1 == l->pages && l->items[k].bottom < y)
            y = l->items[k].bottom;
    y -= 34; /* below the 2 MSL mark of a side in TIME-WAIT */
    int lines = pdf_text_wrap(c, NULL, PDF_FONT_TEXT, size, lead, 0, 0, width - 6, legend);
    if (y - 16 - (float)lines * lead < ROWS_BOTTOM)
        return false;
    pdf_fill_rect(page, PDF_MARGIN, y - 2.5f, 2.5f, 11, PDF_MUTED);
    pdf_fill_color(page, PDF_MUTED);
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, 8.5f, 5, PDF_MARGIN + 6, y, width - 6, PDF_LEFT,
                 T0(x->words, "panel.legend"));
    pdf_line(page, PDF_MARGIN, y - 5, X_DIAGRAM_R, y - 5, 0.4f, PDF_RULE, 0, 0);
    pdf_text_wrap(c, page, PDF_FONT_TEXT, size, lead, PDF_MARGIN, y - 14, width, legend);
    return true;
}

