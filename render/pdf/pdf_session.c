/* pdf_session.c — one session's pages: the sequence diagram and, beside it, the checks.
 *
 * The diagram is laid out before it is drawn. Each kept segment becomes a row whose height
 * grows with the time since the previous one (logarithmically, so a 40 ms delayed ACK shows
 * and a 5 s pause does not take the page); folded data runs and long pauses get rows of their
 * own. Rows that do not fit continue on the next page, with the lifeline boxes repeated.
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
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_report.h"

/* ---- geometry (points) ------------------------------------------------------------------------ */

#define TOP_Y (PDF_PAGE_H - PDF_MARGIN)
#define X_STRIP PDF_MARGIN          /* the phase strip, 6 wide */
#define X_TIME_R 66.0f              /* right edge of the packet number and time */
#define X_CLIENT 122.0f
#define X_SERVER 326.0f
#define X_STATE_GAP 4.0f            /* between a lifeline and its state labels */
#define STATE_W 50.0f
#define X_DIAGRAM_R 386.0f          /* right edge of the diagram, phase bands included */
#define X_PANEL 400.0f
#define PANEL_W (PDF_PAGE_W - PDF_MARGIN - X_PANEL)
#define BOX_W 132.0f
#define BOX_TOP 770.0f
#define BOX_H 30.0f
#define ROWS_TOP 728.0f
#define ROWS_BOTTOM (PDF_BOTTOM + 6)
#define PANEL_TOP (BOX_TOP - 6) /* the first baseline of the text column */

#define LABEL_SIZE 6.3f
#define OPTIONS_SIZE 5.6f
#define LINE_STEP 7.2f     /* between the two lines of a SYN's label */
#define ROW_BASE 22.0f     /* between two one-line rows close in time */
#define ROW_TIME_MAX 14.0f /* what time can add to a row */
#define TAG_H 8.0f         /* anomaly tag under an arrow */
#define FOLD_H 38.0f
#define PAUSE_H 14.0f
#define DROP_MAX 12.0f
#define DROP_SHARE 0.3f    /* of the row it leans into */

#define PAUSE_NS 1000000000LL /* a silence this long gets its own row */

enum item_kind { ITEM_EVENT, ITEM_FOLD, ITEM_PAUSE };

struct item {
    uint8_t kind;
    uint8_t lines;      /* label lines of an event (1, or 2 with SYN options) */
    bool tag;           /* an anomaly tag under the arrow */
    bool from_capture;  /* the arrow leaves the side the capture was taken at */
    uint32_t index;     /* event or gap index; for a pause, the event after it */
    uint32_t page;      /* page of the session, from 0 */
    float y;            /* event: its capture time; fold or pause: the top of its row */
    float y_start, y_end; /* event: the arrow's ends at sender and receiver */
    float top, bottom;  /* extent of everything drawn for the item */
};

struct layout {
    struct item *items;
    size_t n;
    uint32_t pages;
};

/* Estimates from the handshake, for slanting (see the file comment). */
struct transit {
    int64_t one_way_ns; /* 0: unknown, arrows are drawn level */
    bool near_client;
    bool midway;        /* neither time dominates: the capture was between the two, or on
                           loopback at both ends; drawn as if near the client */
};

/* ---- what a segment shows --------------------------------------------------------------------- */

static const struct {
    uint8_t bit;
    const char *key;
} mark_keys[] = {
    {MARK_RETRANSMISSION, "mark.retransmission"}, {MARK_OUT_OF_ORDER, "mark.out-of-order"},
    {MARK_BAD_ACK, "mark.bad-ack"}, {MARK_ZERO_WINDOW, "mark.zero-window"},
    {MARK_BAD_CHECKSUM, "mark.bad-checksum"},
};

/* True when every segment from this address has a bad checksum: offload, explained on the
 * first page, so not worth a tag on every arrow. */
static bool offload_host(const struct capture_report *r, const struct session *s, int role)
{
    for (size_t i = 0; i < r->n_offload_hosts; i++)
        if (r->offload_hosts[i].ip_version == s->ip_version &&
            memcmp(r->offload_hosts[i].addr, s->side[role].addr, s->ip_version == 6 ? 16 : 4) == 0)
            return true;
    return false;
}

static uint8_t shown_marks(const struct pdf_ctx *x, const struct session *s, const struct timeline_event *e)
{
    uint8_t m = e->marks & (MARK_RETRANSMISSION | MARK_OUT_OF_ORDER | MARK_BAD_ACK | MARK_ZERO_WINDOW |
                            MARK_BAD_CHECKSUM);
    if ((m & MARK_BAD_CHECKSUM) && offload_host(x->r, s, e->dir))
        m &= (uint8_t)~MARK_BAD_CHECKSUM;
    return m;
}

/* A SYN's options, unless they repeat those of the same side's previous SYN (a
 * retransmission), which would only crowd the rows. */
static bool shows_options(const struct session *s, uint32_t i)
{
    const struct timeline_event *e = &s->events[i];
    if (!(e->flags & TCP_SYN) || !(e->options.present & ~OPT_SACK))
        return false;
    while (i-- > 0) {
        const struct timeline_event *p = &s->events[i];
        if (p->dir == e->dir && (p->flags & TCP_SYN))
            return p->options.present != e->options.present || p->options.mss != e->options.mss ||
                   p->options.wscale != e->options.wscale;
    }
    return true;
}

/* The label as tcpdump prints the segment, without "Flags": "seq 1:101, ack 1, win 502,
 * length 100" (flags are drawn separately, in bold). */
static const char *segment_label(struct pdf_ctx *x, const struct session *s, const struct timeline_event *e)
{
    const struct session_side *snd = &s->side[e->dir], *rcv = &s->side[!e->dir];
    bool rel = !x->opt->absolute_seq;
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
    return pdf_fmt(x, "%s", buf);
}

/* ---- layout ----------------------------------------------------------------------------------- */

static float time_room(int64_t dt_ns)
{
    if (dt_ns <= 0)
        return 0;
    float extra = 4.0f * log10f((float)dt_ns / 1e4f + 1.0f);
    return extra > ROW_TIME_MAX ? ROW_TIME_MAX : extra;
}

/* Room above an event's row for its label and a rising arrow. */
static float label_room(const struct item *it)
{
    return 2.5f + DROP_MAX / 2 + 7.0f + (float)(it->lines - 1) * LINE_STEP + 2.0f;
}

static struct item *new_item(struct pdf_ctx *x, struct layout *l)
{
    size_t need = (l->n + 1) * sizeof *l->items;
    if (need > x->layout_cap) {
        size_t cap = x->layout_cap ? x->layout_cap * 2 : 256 * sizeof *l->items;
        while (cap < need)
            cap *= 2;
        void *p = realloc(x->layout, cap);
        if (!p)
            pdf_fail(x, "out of memory");
        x->layout = p;
        x->layout_cap = cap;
    }
    l->items = x->layout;
    struct item *it = &l->items[l->n++];
    memset(it, 0, sizeof *it);
    return it;
}

/* Places a row of height h (fold or pause) under what is already drawn (*y, above which the
 * previous row's tag or arrow may reach down to floor), on a new page when it does not fit. */
static void place_block(struct layout *l, struct item *it, float *y, float floor, float h)
{
    if (floor < *y)
        *y = floor;
    if (*y - h < ROWS_BOTTOM) {
        l->pages++;
        *y = ROWS_TOP;
    }
    it->page = l->pages;
    it->y = *y;
    it->top = *y;
    it->bottom = *y - h;
    *y -= h;
}

static void lay_out(struct pdf_ctx *x, const struct session *s, const struct transit *tr, struct layout *l)
{
    float y = ROWS_TOP;
    bool fresh = true;        /* nothing above on this page, or a fold or pause just above */
    bool prev_tag = false;
    float floor = y; /* the lowest point the rows so far reach on this page */
    uint32_t g = 0;
    l->n = 0;
    l->pages = 0;
    l->items = x->layout;
    for (uint32_t i = 0; i <= s->n_events; i++) {
        bool folded = false;
        while (g < s->n_gaps && s->gaps[g].before == i) {
            struct item *it = new_item(x, l);
            it->kind = ITEM_FOLD;
            it->index = g++;
            place_block(l, it, &y, floor, FOLD_H);
            floor = y;
            fresh = folded = true;
            prev_tag = false;
        }
        if (i == s->n_events)
            break;
        const struct timeline_event *e = &s->events[i];
        int64_t dt = i ? e->ts_ns - s->events[i - 1].ts_ns : 0;
        if (i && !folded && dt >= PAUSE_NS) {
            struct item *it = new_item(x, l);
            it->kind = ITEM_PAUSE;
            it->index = i;
            place_block(l, it, &y, floor, PAUSE_H);
            floor = y;
            fresh = true;
            prev_tag = false;
        }

        struct item *it = new_item(x, l);
        it->kind = ITEM_EVENT;
        it->index = i;
        it->lines = shows_options(s, i) ? 2 : 1;
        it->tag = shown_marks(x, s, e) != 0;
        it->from_capture = (e->dir == DIR_C2S) == tr->near_client;
        float below = it->tag ? TAG_H + 3 : DROP_MAX / 2 + 2;
        float above = fresh ? label_room(it)
                            : ROW_BASE + (float)(it->lines - 1) * LINE_STEP + (prev_tag ? TAG_H : 0) +
                                  (dt < PAUSE_NS ? time_room(dt) : 0);
        if (y - above - below < ROWS_BOTTOM) {
            l->pages++;
            y = ROWS_TOP;
            above = label_room(it);
        }
        it->page = l->pages;
        it->y = y - above;
        y = it->y;
        floor = y - below;
        fresh = false;
        prev_tag = it->tag;
    }
    l->pages++;

    /* Slant: each arrow leans into the neighbouring row, by the share of that row's time it
     * spent crossing. */
    for (size_t k = 0; k < l->n; k++) {
        struct item *it = &l->items[k];
        if (it->kind != ITEM_EVENT)
            continue;
        const struct timeline_event *e = &s->events[it->index];
        size_t nb = it->from_capture ? k + 1 : k - 1; /* k - 1 wraps for k == 0: checked below */
        float d = 0;
        if (tr->one_way_ns > 0) {
            if (nb < l->n && l->items[nb].kind == ITEM_EVENT && l->items[nb].page == it->page) {
                const struct timeline_event *o = &s->events[l->items[nb].index];
                int64_t dt = o->ts_ns > e->ts_ns ? o->ts_ns - e->ts_ns : e->ts_ns - o->ts_ns;
                float row = fabsf(l->items[nb].y - it->y);
                float share = dt > 0 ? (float)tr->one_way_ns / (float)dt : 1.0f;
                d = row * (share < DROP_SHARE ? share : DROP_SHARE);
            } else {
                d = DROP_MAX / 2;
            }
            if (d > DROP_MAX)
                d = DROP_MAX;
            if (d < 0.8f)
                d = 0;
        }
        if (it->from_capture) {
            it->y_start = it->y;
            it->y_end = it->y - d;
        } else {
            it->y_start = it->y + d;
            it->y_end = it->y;
        }
        float hi = it->y_start > it->y_end ? it->y_start : it->y_end;
        float lo = it->y_start < it->y_end ? it->y_start : it->y_end;
        it->top = (hi + lo) / 2 + 2.5f + 7.0f + (float)(it->lines - 1) * LINE_STEP;
        it->bottom = it->tag ? (hi + lo) / 2 - TAG_H - 2 : lo - 2;
    }
}

/* ---- page furniture ----------------------------------------------------------------------------- */

static const struct pdf_rgb BOX_FILL = {0.95f, 0.96f, 0.98f};
static const struct pdf_rgb LIFELINE = {0.55f, 0.58f, 0.62f};

static void chip(struct pdf_ctx *x, HPDF_Page page, float *right, float y, const char *text,
                 struct pdf_rgb fill, struct pdf_rgb ink)
{
    float w = pdf_text_width(&x->canvas, PDF_FONT_LABEL_BOLD, 7, text) + 10;
    *right -= w;
    pdf_round_rect(page, *right, y - 3, w, 11.5f, 3, &fill, NULL, 0);
    pdf_fill_color(page, ink);
    pdf_text(&x->canvas, page, PDF_FONT_LABEL_BOLD, 7, *right + 5, y, PDF_LEFT, text);
    *right -= 4;
}

static void lifeline_box(struct pdf_ctx *x, HPDF_Page page, const struct session *s, int role, float cx)
{
    struct pdf_canvas *c = &x->canvas;
    const struct session_side *d = &s->side[role];
    float left = cx - BOX_W / 2;
    pdf_round_rect(page, left, BOX_TOP - BOX_H, BOX_W, BOX_H, 3, &BOX_FILL, &PDF_RULE, 0.6f);
    pdf_fill_color(page, PDF_TEXT);
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, 7.5f, 5, cx, BOX_TOP - 9, BOX_W - 8, PDF_CENTER,
                 T0(x, role == ROLE_CLIENT ? "role.client" : "role.server"));
    pdf_text_fit(c, page, PDF_FONT_LABEL, 6.8f, 4.2f, cx, BOX_TOP - 18, BOX_W - 8, PDF_CENTER,
                 pdf_format_endpoint(x, s, role));
    pdf_fill_color(page, PDF_MUTED);
    pdf_text_fit(c, page, PDF_FONT_TEXT, 6, 4, cx, BOX_TOP - 26.5f, BOX_W - 8, PDF_CENTER,
                 d->isn_known ? T(x, "lifeline.isn", {"isn", pdf_format_u32(x, d->isn)})
                              : T0(x, "lifeline.isn-unknown"));
}

static void page_header(struct pdf_ctx *x, HPDF_Page page, const struct session *s, size_t index,
                        bool first, bool boxes)
{
    struct pdf_canvas *c = &x->canvas;
    const char *id = pdf_format_count(x, s->id);
    const char *heading = !first ? T(x, "session.continued", {"id", id})
                          : s->generation ? T(x, "session.heading-generation", {"id", id},
                                              {"number", pdf_format_count(x, s->generation + 1)})
                                          : T(x, "session.heading", {"id", id});

    /* Back to the table row, top right. */
    pdf_fill_color(page, PDF_LINK);
    const char *back = T0(x, "session.back");
    float bw = pdf_text(c, page, PDF_FONT_TEXT, 6.5f, PDF_PAGE_W - PDF_MARGIN, TOP_Y - 4, PDF_RIGHT, back);
    pdf_link(page, PDF_PAGE_W - PDF_MARGIN - bw, TOP_Y - 6, bw, 9, pdf_summary_page_of(x, index));

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
                 T(x, "session.meta", {"ipv", pdf_fmt(x, "%u", s->ip_version)},
                   {"start", pdf_format_utc(x, s->first_ts)},
                   {"duration", pdf_format_duration(x, s->last_ts - s->first_ts)},
                   {"packets", pdf_format_count(x, cl->packets + sv->packets)},
                   {"bytes", pdf_format_count(x, cl->payload_bytes + sv->payload_bytes)}));
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

static void state_label(struct pdf_ctx *x, HPDF_Page page, int role, float y, enum tcp_state st)
{
    const char *name = tcp_state_name(st);
    float lx = role == ROLE_CLIENT ? X_CLIENT : X_SERVER;
    float w = pdf_text_width(&x->canvas, PDF_FONT_LABEL_BOLD, 5.6f, name) + 6;
    if (w > STATE_W)
        w = STATE_W;
    float left = role == ROLE_CLIENT ? lx - X_STATE_GAP - w : lx + X_STATE_GAP;
    struct pdf_rgb ink = state_ink(st);
    pdf_round_rect(page, left, y - 3.6f, w, 7.6f, 2, &PDF_WHITE, &ink, 0.6f);
    pdf_fill_color(page, PDF_TEXT);
    pdf_text_fit(&x->canvas, page, PDF_FONT_LABEL_BOLD, 5.6f, 3.5f, left + w / 2, y - 1.9f, w - 4,
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

static void draw_event(struct pdf_ctx *x, HPDF_Page page, const struct session *s, const struct item *it)
{
    struct pdf_canvas *c = &x->canvas;
    const struct timeline_event *e = &s->events[it->index];
    uint8_t marks = shown_marks(x, s, e);
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
    const char *flag_text = pdf_fmt(x, "[%s] ", tcp_flags_string(e->flags, flags));
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
                     pdf_fmt(x, "options [%s]", tcp_options_string(&e->options, opts, sizeof opts)));
    }
    if (it->tag) {
        char text[160] = "";
        for (size_t m = 0; m < sizeof mark_keys / sizeof mark_keys[0]; m++) {
            if (!(marks & mark_keys[m].bit))
                continue;
            size_t n = strlen(text);
            snprintf(text + n, sizeof text - n, "%s%s", n ? " \xc2\xb7 " : "", T0(x, mark_keys[m].key));
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
                 PDF_RIGHT, pdf_fmt(x, "#%llu", (unsigned long long)e->packet));
    pdf_fill_color(page, PDF_TEXT);
    pdf_text_fit(c, page, PDF_FONT_LABEL, 5.8f, 4, X_TIME_R, it->y - 5.6f, X_TIME_R - X_STRIP - 8,
                 PDF_RIGHT, pdf_format_offset(x, e->ts_ns - s->first_ts));
}

static void draw_states(struct pdf_ctx *x, HPDF_Page page, const struct session *s, const struct item *it)
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

static void draw_fold(struct pdf_ctx *x, HPDF_Page page, const struct session *s, const struct item *it)
{
    struct pdf_canvas *c = &x->canvas;
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
                 T(x, "diagram.fold", {"packets", pdf_format_count(x, g->packets[0] + g->packets[1])}));
    pdf_fill_color(page, PDF_MUTED);
    pdf_text_fit(c, page, PDF_FONT_TEXT, 6, 4, cx, top - 18.5f, w, PDF_CENTER,
                 T(x, "diagram.fold-c2s", {"packets", pdf_format_count(x, g->packets[DIR_C2S])},
                   {"bytes", pdf_format_count(x, g->bytes[DIR_C2S])}));
    pdf_text_fit(c, page, PDF_FONT_TEXT, 6, 4, cx, top - 26.5f, w, PDF_CENTER,
                 T(x, "diagram.fold-s2c", {"packets", pdf_format_count(x, g->packets[DIR_S2C])},
                   {"bytes", pdf_format_count(x, g->bytes[DIR_S2C])}));
}

static void draw_pause(struct pdf_ctx *x, HPDF_Page page, const struct session *s, const struct item *it)
{
    int64_t dt = s->events[it->index].ts_ns - s->events[it->index - 1].ts_ns;
    float mid = it->y - PAUSE_H / 2;
    pdf_fill_color(page, PDF_MUTED);
    pdf_text_fit(&x->canvas, page, PDF_FONT_TEXT, 6, 4, (X_CLIENT + X_SERVER) / 2, mid - 2,
                 X_SERVER - X_CLIENT - 20, PDF_CENTER,
                 T(x, "diagram.pause", {"duration", pdf_format_duration(x, dt)}));
}

/* Shades the handshake or the close: the rows from the first to the last event with the mark. */
static void draw_phase(struct pdf_ctx *x, HPDF_Page page, const struct session *s, const struct layout *l,
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
        const struct item *it = &l->items[k];
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
    const char *name = T0(x, key);
    float size = 5.2f, w = pdf_text_width(&x->canvas, PDF_FONT_TEXT_BOLD, size, name);
    if (w > top - bottom - 4) {
        size *= (top - bottom - 4) / w;
        w = top - bottom - 4;
    }
    if (size < 2.5f)
        return;
    HPDF_Page_GSave(page);
    HPDF_Page_Concat(page, 0, 1, -1, 0, X_STRIP + 5.0f, (top + bottom) / 2 - w / 2);
    pdf_fill_color(page, PDF_WHITE);
    pdf_text(&x->canvas, page, PDF_FONT_TEXT_BOLD, size, 0, 0, PDF_LEFT, name);
    HPDF_Page_GRestore(page);
}

static void draw_diagram_page(struct pdf_ctx *x, HPDF_Page page, const struct session *s,
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
            pdf_text_fit(&x->canvas, page, PDF_FONT_TEXT, 5.8f, 4, role == ROLE_CLIENT ? lx - 5 : lx + 5,
                         bottom - 13, STATE_W + 10, role == ROLE_CLIENT ? PDF_RIGHT : PDF_LEFT,
                         T0(x, "diagram.time-wait"));
        }
    }

    for (size_t k = 0; k < l->n; k++) {
        const struct item *it = &l->items[k];
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

/* ---- the text beside the diagram ----------------------------------------------------------------- */

enum { VAR_COUNT = 64, VAR_LEN = 64 };

/* The placeholders of session sentences, filled once per session. */
struct session_vars {
    struct tpl_arg args[VAR_COUNT];
    char values[VAR_COUNT][VAR_LEN];
    size_t n;
};

static void var(struct session_vars *v, const char *name, const char *value)
{
    if (v->n == VAR_COUNT)
        return;
    snprintf(v->values[v->n], VAR_LEN, "%s", value ? value : "");
    v->args[v->n] = (struct tpl_arg){name, v->values[v->n]};
    v->n++;
}

static const char *packet_no(struct pdf_ctx *x, uint64_t p)
{
    return p ? pdf_fmt(x, "%llu", (unsigned long long)p) : "?";
}

static const char *role_word(struct pdf_ctx *x, int role)
{
    return role == ROLE_CLIENT ? T0(x, "word.client") : role == ROLE_SERVER ? T0(x, "word.server") : "";
}

static void fill_vars(struct pdf_ctx *x, const struct session *s, struct session_vars *v)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *sv = &s->side[ROLE_SERVER];
    int closer = s->active_closer, passive = closer == ROLE_NONE ? ROLE_NONE : !closer;
    int waiter = c->state == TCP_TIME_WAIT ? ROLE_CLIENT : sv->state == TCP_TIME_WAIT ? ROLE_SERVER : ROLE_NONE;
    v->n = 0;
    var(v, "id", pdf_format_count(x, s->id));
    var(v, "number", pdf_format_count(x, s->generation + 1));
    var(v, "client", pdf_format_endpoint(x, s, ROLE_CLIENT));
    var(v, "server", pdf_format_endpoint(x, s, ROLE_SERVER));
    var(v, "client_port", pdf_fmt(x, "%u", c->port));
    var(v, "server_port", pdf_fmt(x, "%u", sv->port));
    var(v, "client_isn", c->isn_known ? pdf_format_u32(x, c->isn) : "?");
    var(v, "server_isn", sv->isn_known ? pdf_format_u32(x, sv->isn) : "?");
    var(v, "closer", role_word(x, closer));
    var(v, "passive", role_word(x, passive));
    var(v, "waiter", role_word(x, waiter));
    var(v, "rst_sender", role_word(x, s->rst_seen ? s->rst_sender : ROLE_NONE));
    var(v, "syn_packet", packet_no(x, c->syn_packet));
    var(v, "peer_syn_packet", packet_no(x, sv->syn_packet));
    var(v, "synack_packet", packet_no(x, sv->synacks ? sv->syn_packet : 0));
    var(v, "ack_packet", packet_no(x, c->acked_syn ? c->ack_of_syn_packet : 0));
    /* Without a FIN these read "?": no wording uses them then, but none may show a raw
     * placeholder either. */
    const struct session_side *a = closer != ROLE_NONE ? &s->side[closer] : NULL;
    const struct session_side *b = closer != ROLE_NONE ? &s->side[passive] : NULL;
    var(v, "fin1_packet", packet_no(x, a ? a->fin_packet : 0));
    var(v, "fin2_packet", packet_no(x, b && b->fin_seen ? b->fin_packet : 0));
    var(v, "fin2_delay", a && b->fin_seen ? pdf_format_duration(x, b->fin_ts - a->fin_ts) : "?");
    var(v, "ackfin1_packet", packet_no(x, b && b->acked_fin ? b->ack_of_fin_packet : 0));
    var(v, "lastack_packet", packet_no(x, a && a->acked_fin ? a->ack_of_fin_packet : 0));
    var(v, "rst_packet", packet_no(x, s->rst_seen ? s->rst_packet : 0));
    var(v, "rtt1", s->rtt_syn_synack >= 0 ? pdf_format_duration(x, s->rtt_syn_synack) : "?");
    var(v, "rtt2", s->rtt_synack_ack >= 0 ? pdf_format_duration(x, s->rtt_synack_ack) : "?");
    var(v, "handshake", handshake_class_name(s->handshake));
    var(v, "teardown", teardown_class_name(s->teardown));
    var(v, "client_syns", pdf_format_count(x, c->syns));
    var(v, "server_synacks", pdf_format_count(x, sv->synacks));
    var(v, "c_rexmit", pdf_format_count(x, c->retransmissions));
    var(v, "s_rexmit", pdf_format_count(x, sv->retransmissions));
    var(v, "bad_checksums", pdf_format_count(x, c->bad_checksums + sv->bad_checksums));
    var(v, "c_packets", pdf_format_count(x, c->packets));
    var(v, "s_packets", pdf_format_count(x, sv->packets));
    var(v, "c_bytes", pdf_format_count(x, c->payload_bytes));
    var(v, "s_bytes", pdf_format_count(x, sv->payload_bytes));
    var(v, "c_state", tcp_state_name((enum tcp_state)c->state));
    var(v, "s_state", tcp_state_name((enum tcp_state)sv->state));
    var(v, "conn_state", s->conn_state);
    var(v, "history", s->zeek_history[0] ? s->zeek_history : "-");
    var(v, "completeness", pdf_fmt(x, "%u", s->wireshark_completeness));
    var(v, "ipv", pdf_fmt(x, "%u", s->ip_version));
}

/* Where the text column is: which of the session's pages, and how far down. */
struct panel {
    const struct session *s;
    size_t index;
    size_t first;      /* the session's first page in x->pages; its pages follow it */
    uint32_t n_pages, page;
    float y;
};

static HPDF_Page panel_page(const struct pdf_ctx *x, const struct panel *p)
{
    return x->pages[p->first + p->page];
}

static const float TEXT_SIZE = 7.0f, TEXT_LEAD = 8.7f;

/* Makes room for h points, moving to the session's next page (added when needed). */
static void panel_room(struct pdf_ctx *x, struct panel *p, float h)
{
    if (p->y - h >= PDF_BOTTOM)
        return;
    p->page++;
    if (p->page == p->n_pages) {
        HPDF_Page page = pdf_add_page(x);
        p->n_pages++;
        page_header(x, page, p->s, p->index, false, false);
    }
    p->y = PANEL_TOP;
}

static float text_height(struct pdf_ctx *x, const char *text, enum pdf_font_role role, float size)
{
    float lead = size * TEXT_LEAD / TEXT_SIZE;
    return (float)pdf_text_wrap(&x->canvas, NULL, role, size, lead, 0, 0, PANEL_W, text) * lead;
}

/* A section's heading, kept on the same page as the `keep` points of text that follow it. */
static void panel_heading(struct pdf_ctx *x, struct panel *p, const char *text, struct pdf_rgb ink,
                          float keep)
{
    panel_room(x, p, 24 + keep);
    HPDF_Page page = panel_page(x, p);
    p->y -= 10;
    pdf_fill_rect(page, X_PANEL, p->y - 2.5f, 2.5f, 11, ink);
    pdf_fill_color(page, ink);
    pdf_text_fit(&x->canvas, page, PDF_FONT_TEXT_BOLD, 8.5f, 5, X_PANEL + 6, p->y, PANEL_W - 6, PDF_LEFT, text);
    p->y -= 5;
    pdf_line(page, X_PANEL, p->y, X_PANEL + PANEL_W, p->y, 0.4f, PDF_RULE, 0, 0);
    p->y -= 9;
}

static void panel_text(struct pdf_ctx *x, struct panel *p, const char *text, enum pdf_font_role role,
                       float size, struct pdf_rgb ink, float indent)
{
    struct pdf_canvas *c = &x->canvas;
    float lead = size * TEXT_LEAD / TEXT_SIZE;
    int lines = pdf_text_wrap(c, NULL, role, size, lead, X_PANEL + indent, p->y, PANEL_W - indent, text);
    panel_room(x, p, (float)lines * lead);
    HPDF_Page page = panel_page(x, p);
    pdf_fill_color(page, ink);
    pdf_text_wrap(c, page, role, size, lead, X_PANEL + indent, p->y, PANEL_W - indent, text);
    p->y -= (float)lines * lead + 3;
}

/* One check: a tick or a cross, the arithmetic, and where it was read. */
static void panel_check(struct pdf_ctx *x, struct panel *p, const struct session_vars *v,
                        const struct session_check *chk)
{
    struct session_vars cv = *v;
    var(&cv, "actual", pdf_format_u32(x, chk->actual));
    var(&cv, "expected", pdf_format_u32(x, chk->expected));
    var(&cv, "fin_seq", pdf_format_u32(x, chk->expected - 1));
    var(&cv, "packet", packet_no(x, chk->packet));
    char key[64];
    snprintf(key, sizeof key, "check.%s.%s", chk->name, chk->pass ? "pass" : "fail");
    if (!pdf_templates_get(x->tpl, key))
        return; /* a check this version does not know how to word */
    const char *text = pdf_tpl(x, key, cv.args, cv.n);
    const char *where = pdf_tpl(x, "check.where", cv.args, cv.n);
    struct pdf_canvas *c = &x->canvas;
    float indent = 11;
    int lines = pdf_text_wrap(c, NULL, PDF_FONT_TEXT_BOLD, TEXT_SIZE, TEXT_LEAD, 0, 0, PANEL_W - indent, text);
    panel_room(x, p, (float)lines * TEXT_LEAD + 8);
    HPDF_Page page = panel_page(x, p);
    struct pdf_rgb mark = chk->pass ? PDF_PASS : PDF_ALERT;
    pdf_fill_color(page, mark);
    /* ZapfDingbats: '4' is a heavy check mark, '8' a heavy ballot X. */
    pdf_text(c, page, PDF_FONT_DINGBATS, 8, X_PANEL + 1, p->y - 0.5f, PDF_LEFT, chk->pass ? "4" : "8");
    pdf_fill_color(page, PDF_TEXT);
    pdf_text_wrap(c, page, PDF_FONT_TEXT_BOLD, TEXT_SIZE, TEXT_LEAD, X_PANEL + indent, p->y, PANEL_W - indent, text);
    p->y -= (float)lines * TEXT_LEAD;
    pdf_fill_color(page, PDF_MUTED);
    pdf_text_fit(c, page, PDF_FONT_TEXT, 6, 4, X_PANEL + indent, p->y, PANEL_W - indent, PDF_LEFT, where);
    p->y -= TEXT_LEAD + 2;
}

static bool is_handshake_check(const struct session_check *c)
{
    return strcmp(c->name, "synack-ack") == 0 || strcmp(c->name, "final-ack") == 0;
}

static const char *handshake_key(const struct session *s)
{
    switch (s->handshake) {
    case HANDSHAKE_NORMAL:
        return s->side[ROLE_CLIENT].syns ? "handshake.normal" : "handshake.normal-no-syn";
    case HANDSHAKE_SIMULTANEOUS_OPEN: return "handshake.simultaneous-open";
    case HANDSHAKE_REFUSED: return "handshake.refused";
    case HANDSHAKE_SYN_ONLY: return "handshake.syn-only";
    case HANDSHAKE_NO_FINAL_ACK: return "handshake.no-final-ack";
    default: return "handshake.missing";
    }
}

static const char *teardown_key(const struct session *s)
{
    switch (s->teardown) {
    case TEARDOWN_FOUR_WAY: return "teardown.four-way";
    case TEARDOWN_MERGED_FIN: return "teardown.merged-fin";
    case TEARDOWN_SIMULTANEOUS_CLOSE: return "teardown.simultaneous-close";
    case TEARDOWN_RST:
        return s->rst_after_fin && s->active_closer != ROLE_NONE ? "teardown.rst-after-fin" : "teardown.rst";
    case TEARDOWN_INCOMPLETE: return "teardown.incomplete";
    case TEARDOWN_HALF_CLOSED: return "teardown.half-closed";
    default:
        return s->handshake == HANDSHAKE_NORMAL || s->handshake == HANDSHAKE_SIMULTANEOUS_OPEN ||
                       s->handshake == HANDSHAKE_MISSING
                   ? "teardown.none"
                   : "teardown.none-not-open";
    }
}

static void draw_panel(struct pdf_ctx *x, struct panel *p, const struct transit *tr, bool legend_drawn)
{
    const struct session *s = p->s;
    struct session_vars v;
    fill_vars(x, s, &v);
#define S(key) pdf_tpl(x, (key), v.args, v.n)

    panel_heading(x, p, S("panel.handshake"), PDF_HANDSHAKE_INK,
                  text_height(x, S(handshake_key(s)), PDF_FONT_TEXT, TEXT_SIZE));
    panel_text(x, p, S(handshake_key(s)), PDF_FONT_TEXT, TEXT_SIZE, PDF_TEXT, 0);
    for (uint32_t i = 0; i < s->n_checks; i++)
        if (is_handshake_check(&s->checks[i]))
            panel_check(x, p, &v, &s->checks[i]);
    if (s->rtt_syn_synack >= 0 && s->rtt_synack_ack >= 0) {
        panel_text(x, p, S("handshake.rtt"), PDF_FONT_TEXT, TEXT_SIZE, PDF_TEXT, 0);
        if (tr->one_way_ns > 0)
            panel_text(x, p, S(tr->midway ? "handshake.capture-midway"
                               : tr->near_client ? "handshake.capture-near-client"
                                                 : "handshake.capture-near-server"),
                       PDF_FONT_TEXT, 6.3f, PDF_MUTED, 0);
    }

    p->y -= 4;
    panel_heading(x, p, S("panel.teardown"), PDF_TEARDOWN_INK,
                  text_height(x, S(teardown_key(s)), PDF_FONT_TEXT, TEXT_SIZE));
    panel_text(x, p, S(teardown_key(s)), PDF_FONT_TEXT, TEXT_SIZE, PDF_TEXT, 0);
    for (uint32_t i = 0; i < s->n_checks; i++)
        if (!is_handshake_check(&s->checks[i]))
            panel_check(x, p, &v, &s->checks[i]);

    bool cw = s->side[ROLE_CLIENT].state == TCP_TIME_WAIT, sw = s->side[ROLE_SERVER].state == TCP_TIME_WAIT;
    if (cw || sw) {
        p->y -= 4;
        panel_heading(x, p, S("panel.time-wait"), PDF_TEARDOWN_INK, 3 * TEXT_LEAD);
        panel_text(x, p, S(cw && sw ? "timewait.both" : "timewait.one"), PDF_FONT_TEXT, TEXT_SIZE, PDF_TEXT, 0);
    }

    if (s->anomalies) {
        p->y -= 4;
        panel_heading(x, p, S("panel.anomalies"), PDF_ALERT, 3 * TEXT_LEAD);
        for (int a = 0; a < ANOMALIES; a++) {
            if (!session_has_anomaly(s, (enum anomaly)a))
                continue;
            char key[64];
            snprintf(key, sizeof key, "anomaly.%s", anomaly_name((enum anomaly)a));
            /* The name and its explanation stay together. */
            const char *why = S(key);
            panel_room(x, p, 8 + text_height(x, why, PDF_FONT_TEXT, TEXT_SIZE));
            panel_text(x, p, anomaly_name((enum anomaly)a), PDF_FONT_LABEL_BOLD, 6.5f, PDF_ALERT, 0);
            p->y += 2;
            panel_text(x, p, why, PDF_FONT_TEXT, TEXT_SIZE, PDF_TEXT, 0);
        }
    }

    p->y -= 4;
    panel_heading(x, p, S("panel.facts"), PDF_MUTED, 3 * TEXT_LEAD);
    panel_text(x, p, S("facts.client"), PDF_FONT_TEXT, 6.6f, PDF_TEXT, 0);
    panel_text(x, p, S("facts.server"), PDF_FONT_TEXT, 6.6f, PDF_TEXT, 0);
    panel_text(x, p, S("facts.tools"), PDF_FONT_TEXT, 6.6f, PDF_TEXT, 0);

    if (!legend_drawn) {
        const char *legend = T0(x, x->opt->absolute_seq ? "legend.absolute" : "legend.relative");
        p->y -= 4;
        panel_heading(x, p, T0(x, "panel.legend"), PDF_MUTED, text_height(x, legend, PDF_FONT_TEXT, 6.3f));
        panel_text(x, p, legend, PDF_FONT_TEXT, 6.3f, PDF_MUTED, 0);
    }
#undef S
}

/* How to read the diagram, under it when the last diagram page has room (it usually has, and
 * the text column beside it then stays on one page). Returns whether it was drawn. */
static bool legend_under_diagram(struct pdf_ctx *x, HPDF_Page page, const struct layout *l)
{
    struct pdf_canvas *c = &x->canvas;
    const float size = 6.3f, lead = size * TEXT_LEAD / TEXT_SIZE, width = X_DIAGRAM_R - PDF_MARGIN;
    const char *legend = T0(x, x->opt->absolute_seq ? "legend.absolute" : "legend.relative");
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
                 T0(x, "panel.legend"));
    pdf_line(page, PDF_MARGIN, y - 5, X_DIAGRAM_R, y - 5, 0.4f, PDF_RULE, 0, 0);
    pdf_text_wrap(c, page, PDF_FONT_TEXT, size, lead, PDF_MARGIN, y - 14, width, legend);
    return true;
}

/* ---- a session -------------------------------------------------------------------------------- */

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

HPDF_Page pdf_session_draw(struct pdf_ctx *x, const struct session *s)
{
    struct transit tr = estimate_transit(s);
    struct layout l;
    lay_out(x, s, &tr, &l);

    /* The index of s in the report, for the link back to its table row. */
    size_t index = (size_t)(s->id - 1);
    if (index >= x->r->n_sessions || capture_session(x->r, index) != s)
        for (index = 0; index < x->r->n_sessions && capture_session(x->r, index) != s; index++)
            ;

    struct panel p = {.s = s, .index = index, .first = x->n_pages, .y = PANEL_TOP};
    for (uint32_t pg = 0; pg < l.pages; pg++) {
        HPDF_Page page = pdf_add_page(x);
        p.n_pages++;
        page_header(x, page, s, index, pg == 0, true);
        draw_diagram_page(x, page, s, &l, pg);
    }
    bool legend = legend_under_diagram(x, x->pages[x->n_pages - 1], &l);
    draw_panel(x, &p, &tr, legend);
    HPDF_Page first = x->pages[p.first];
    return first;
}
