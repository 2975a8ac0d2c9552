/* diagram_draw.c — what each page of a session's diagram shows (diagram.h): the header, then
 * the shaded phases, lifelines, folds and pauses, arrows with their labels, and the states.
 *
 * Arrows are slanted by the time a segment took to cross (the layout worked out how much);
 * each is labelled along its length as tcpdump prints the segment, and each side's TCP state
 * is shown beside its lifeline where it changes. The handshake and the close are shaded, folded
 * data runs and long pauses drawn as rows of their own. Every piece is recorded with its
 * colour, in the order the PDF draws it; text is measured and fitted as pdf_text and
 * pdf_text_fit would (pdf_canvas.h), so that the PDF lands exactly where it did when it drew
 * directly. */
#include "diagram.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "grow.h"

static const struct {
    uint8_t bit;
    const char *key;
} mark_keys[] = {
    {MARK_RETRANSMISSION, "mark.retransmission"}, {MARK_OUT_OF_ORDER, "mark.out-of-order"},
    {MARK_BAD_ACK, "mark.bad-ack"}, {MARK_ZERO_WINDOW, "mark.zero-window"},
    {MARK_BAD_CHECKSUM, "mark.bad-checksum"},
};

static const struct pdf_rgb BOX_FILL = {0.95f, 0.96f, 0.98f};
static const struct pdf_rgb LIFELINE = {0.55f, 0.58f, 0.62f};

/* ---- recording ---------------------------------------------------------------------------------- */

static size_t add_string(struct diagram *d, const char *utf8)
{
    size_t n = strlen(utf8) + 1;
    if (d->oom || !GROW(d->strings, d->cap_strings, d->n_strings + n, 4096)) {
        d->oom = true;
        return 0;
    }
    memcpy(d->strings + d->n_strings, utf8, n);
    d->n_strings += n;
    return d->n_strings - n;
}

static struct diagram_prim *text_prim(struct diagram *d, enum diagram_part part, uint32_t page,
                                      enum pdf_font_role font, float size, float x, float y,
                                      enum pdf_align align, struct pdf_rgb ink, const char *utf8)
{
    size_t at = add_string(d, utf8);
    struct diagram_prim *p = diagram_add(d, DG_TEXT, part, page);
    p->font = (uint8_t)font;
    p->size = size;
    p->x = x;
    p->y = y;
    p->align = (uint8_t)align;
    p->fill = ink;
    p->has_fill = true;
    p->text = at;
    return p;
}

/* As pdf_text: one line; returns its width. */
static float text(struct diagram *d, enum diagram_part part, uint32_t page, enum pdf_font_role font,
                  float size, float x, float y, enum pdf_align align, struct pdf_rgb ink, const char *utf8)
{
    float w = pdf_text_width(d->canvas, font, size, utf8);
    struct diagram_prim *p = text_prim(d, part, page, font, size, x, y, align, ink, utf8);
    p->text_w = w;
    p->left = align == PDF_CENTER ? x - w / 2 : align == PDF_RIGHT ? x - w : x;
    return w;
}

/* As pdf_text_fit: within max_width, smaller down to min_size, else shortened. */
static void text_fit(struct diagram *d, enum diagram_part part, uint32_t page, enum pdf_font_role font,
                     float size, float min_size, float x, float y, float max_width, enum pdf_align align,
                     struct pdf_rgb ink, const char *utf8)
{
    struct pdf_fitted f;
    pdf_text_fit_plan(d->canvas, font, size, min_size, x, max_width, align, utf8, &f);
    const char *shown = pdf_fitted_utf8(&f, utf8);
    struct diagram_prim *p = text_prim(d, part, page, font, f.size, x, y, align, ink, shown);
    p->left = f.left;
    p->text_w = f.width;
}

static void rect(struct diagram *d, enum diagram_part part, uint32_t page, float x, float y, float w, float h,
                 struct pdf_rgb fill)
{
    struct diagram_prim *p = diagram_add(d, DG_RECT, part, page);
    p->x = x, p->y = y, p->w = w, p->h = h;
    p->fill = fill;
    p->has_fill = true;
}

static void round_rect(struct diagram *d, enum diagram_part part, uint32_t page, float x, float y, float w,
                       float h, float r, const struct pdf_rgb *fill, const struct pdf_rgb *stroke, float width)
{
    struct diagram_prim *p = diagram_add(d, DG_ROUND_RECT, part, page);
    p->x = x, p->y = y, p->w = w, p->h = h, p->r = r, p->width = width;
    if (fill)
        p->fill = *fill, p->has_fill = true;
    if (stroke)
        p->stroke = *stroke, p->has_stroke = true;
}

static void line(struct diagram *d, enum diagram_part part, uint32_t page, float x1, float y1, float x2, float y2,
                 float width, struct pdf_rgb color, float dash_on, float dash_off)
{
    struct diagram_prim *p = diagram_add(d, DG_LINE, part, page);
    p->x = x1, p->y = y1, p->x2 = x2, p->y2 = y2, p->width = width;
    p->stroke = color;
    p->has_stroke = true;
    p->dash_on = dash_on, p->dash_off = dash_off;
    p->dashed = dash_on > 0;
}

static void push(struct diagram *d, enum diagram_part part, uint32_t page, float a, float b, float c, float dd,
                 float e, float f)
{
    struct diagram_prim *p = diagram_add(d, DG_PUSH, part, page);
    const float m[6] = {a, b, c, dd, e, f};
    memcpy(p->m, m, sizeof m);
}

static void pop(struct diagram *d, enum diagram_part part, uint32_t page)
{
    diagram_add(d, DG_POP, part, page);
}

/* ---- page furniture ----------------------------------------------------------------------------- */

static void chip(struct diagram *d, uint32_t pg, float *right, float y, const char *label, struct pdf_rgb fill,
                 struct pdf_rgb ink)
{
    float w = pdf_text_width(d->canvas, PDF_FONT_LABEL_BOLD, 7, label) + 10;
    *right -= w;
    round_rect(d, DG_PART_CHIP, pg, *right, y - 3, w, 11.5f, 3, &fill, NULL, 0);
    text(d, DG_PART_CHIP, pg, PDF_FONT_LABEL_BOLD, 7, *right + 5, y, PDF_LEFT, ink, label);
    *right -= 4;
}

static void lifeline_box(struct diagram *d, uint32_t pg, int role, float cx)
{
    const struct session *s = d->s;
    const struct session_side *side = &s->side[role];
    float left = cx - DG_BOX_W / 2;
    round_rect(d, DG_PART_BOX, pg, left, DG_BOX_TOP - DG_BOX_H, DG_BOX_W, DG_BOX_H, 3, &BOX_FILL, &PDF_RULE, 0.6f);
    text_fit(d, DG_PART_BOX, pg, PDF_FONT_TEXT_BOLD, 7.5f, 5, cx, DG_BOX_TOP - 9, DG_BOX_W - 8, PDF_CENTER,
             PDF_TEXT, T0(d->words, role == ROLE_CLIENT ? "role.client" : "role.server"));
    text_fit(d, DG_PART_BOX, pg, PDF_FONT_LABEL, 6.8f, 4.2f, cx, DG_BOX_TOP - 18, DG_BOX_W - 8, PDF_CENTER,
             PDF_TEXT, pdf_format_endpoint(d->words, s, role));
    text_fit(d, DG_PART_BOX, pg, PDF_FONT_TEXT, 6, 4, cx, DG_BOX_TOP - 26.5f, DG_BOX_W - 8, PDF_CENTER, PDF_MUTED,
             side->isn_known ? T(d->words, "lifeline.isn", {"isn", pdf_format_u32(d->words, side->isn)})
                             : T0(d->words, "lifeline.isn-unknown"));
}

void diagram_draw_header(struct diagram *d, uint32_t pg, bool first, bool boxes)
{
    const struct session *s = d->s;
    struct pdf_words *w = d->words;
    const float right_edge = d->frame->right;
    const char *id = pdf_format_count(w, s->id);
    const char *heading = !first ? T(w, "session.continued", {"id", id})
                          : s->generation ? T(w, "session.heading-generation", {"id", id},
                                              {"number", pdf_format_count(w, s->generation + 1)})
                                          : T(w, "session.heading", {"id", id});

    /* Back to where the caller said (the table row), top right. */
    const char *back = T0(w, "session.back");
    float bw = text(d, DG_PART_BACK, pg, PDF_FONT_TEXT, 6.5f, right_edge, DG_TOP_Y - 4, PDF_RIGHT, PDF_LINK, back);
    struct diagram_prim *link = diagram_add(d, DG_LINK, DG_PART_BACK, pg);
    link->x = right_edge - bw, link->y = DG_TOP_Y - 6, link->w = bw, link->h = 9;

    /* Chips: the classes and Zeek's verdict, right-aligned on the heading's line. */
    float right = right_edge, chip_y = DG_TOP_Y - 20;
    chip(d, pg, &right, chip_y, s->conn_state, PDF_FOLD_TINT, PDF_TEXT);
    chip(d, pg, &right, chip_y, teardown_class_name(s->teardown), PDF_TEARDOWN_TINT, PDF_TEARDOWN_INK);
    chip(d, pg, &right, chip_y, handshake_class_name(s->handshake), PDF_HANDSHAKE_TINT, PDF_HANDSHAKE_INK);

    text_fit(d, DG_PART_HEADING, pg, PDF_FONT_TEXT_BOLD, 15, 8, DG_MARGIN, DG_TOP_Y - 20, right - DG_MARGIN - 6,
             PDF_LEFT, PDF_ACCENT, heading);
    const struct session_side *cl = &s->side[ROLE_CLIENT], *sv = &s->side[ROLE_SERVER];
    text_fit(d, DG_PART_META, pg, PDF_FONT_TEXT, 7.5f, 5, DG_MARGIN, DG_TOP_Y - 33, right_edge - DG_MARGIN,
             PDF_LEFT, PDF_MUTED,
             T(w, "session.meta", {"ipv", pdf_fmt(w, "%u", s->ip_version)},
               {"start", pdf_format_utc(w, s->first_ts, d->r->ts_digits)},
               {"duration", pdf_format_duration(w, s->last_ts - s->first_ts)},
               {"packets", pdf_format_count(w, cl->packets + sv->packets)},
               {"bytes", pdf_format_count(w, cl->payload_bytes + sv->payload_bytes)}));
    line(d, DG_PART_META, pg, DG_MARGIN, DG_TOP_Y - 39, right_edge, DG_TOP_Y - 39, 1.0f, PDF_ACCENT, 0, 0);

    if (boxes) {
        lifeline_box(d, pg, ROLE_CLIENT, DG_X_CLIENT);
        lifeline_box(d, pg, ROLE_SERVER, DG_X_SERVER);
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

static void state_label(struct diagram *d, uint32_t pg, uint32_t index, int role, float y, enum tcp_state st)
{
    const char *name = tcp_state_name(st);
    float lx = role == ROLE_CLIENT ? DG_X_CLIENT : DG_X_SERVER;
    float w = pdf_text_width(d->canvas, PDF_FONT_LABEL_BOLD, 5.6f, name) + 6;
    if (w > DG_STATE_W)
        w = DG_STATE_W;
    float left = role == ROLE_CLIENT ? lx - DG_X_STATE_GAP - w : lx + DG_X_STATE_GAP;
    struct pdf_rgb ink = state_ink(st);
    size_t first = d->n_prims;
    round_rect(d, DG_PART_STATE, pg, left, y - 3.6f, w, 7.6f, 2, &PDF_WHITE, &ink, 0.6f);
    text_fit(d, DG_PART_STATE, pg, PDF_FONT_LABEL_BOLD, 5.6f, 3.5f, left + w / 2, y - 1.9f, w - 4, PDF_CENTER,
             PDF_TEXT, name);
    /* A dot on the lifeline where the state changes. */
    struct diagram_prim *dot = diagram_add(d, DG_DOT, DG_PART_STATE, pg);
    dot->x = lx, dot->y = y, dot->r = 1.4f;
    dot->fill = PDF_TEXT;
    dot->has_fill = true;
    for (size_t k = first; !d->oom && k < d->n_prims; k++)
        d->prims[k].index = index;
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

/* The tag under an arrow, in the arrow's frame. */
static void event_tag(struct diagram *d, uint32_t pg, uint8_t marks, float span)
{
    char tag_text[160] = "";
    for (size_t m = 0; m < sizeof mark_keys / sizeof mark_keys[0]; m++) {
        if (!(marks & mark_keys[m].bit))
            continue;
        size_t n = strlen(tag_text);
        snprintf(tag_text + n, sizeof tag_text - n, "%s%s", n ? " \xc2\xb7 " : "", T0(d->words, mark_keys[m].key));
    }
    float tw = pdf_text_width(d->canvas, PDF_FONT_TEXT_BOLD, 5.4f, tag_text) + 8;
    if (tw > span)
        tw = span;
    /* A filled tag for what went wrong in the exchange; an outlined one for a bad checksum
     * alone, which is usually the capturing host's offload, not the network. */
    struct pdf_rgb tag = mark_ink(marks);
    bool quiet = marks == MARK_BAD_CHECKSUM;
    round_rect(d, DG_PART_TAG, pg, -tw / 2, -DG_TAG_H - 1, tw, DG_TAG_H - 0.5f, 2, quiet ? &PDF_WHITE : &tag,
               quiet ? &tag : NULL, 0.5f);
    text_fit(d, DG_PART_TAG, pg, PDF_FONT_TEXT_BOLD, 5.4f, 3.5f, 0, -DG_TAG_H + 1.2f, tw - 6, PDF_CENTER,
             quiet ? tag : PDF_WHITE, tag_text);
}

static void draw_event(struct diagram *d, uint32_t pg, const struct diagram_item *it)
{
    const struct session *s = d->s;
    struct pdf_words *w = d->words;
    const struct timeline_event *e = &s->events[it->index];
    uint8_t marks = diagram_shown_marks(d, s, e);
    bool key = e->flags & (TCP_SYN | TCP_FIN | TCP_RST);
    struct pdf_rgb ink = marks & ~MARK_BAD_CHECKSUM ? mark_ink(marks)
                         : e->flags & TCP_RST     ? (struct pdf_rgb){0.55f, 0.08f, 0.10f}
                         : key                    ? PDF_BLACK
                                                  : (struct pdf_rgb){0.30f, 0.32f, 0.36f};
    size_t first = d->n_prims;
    float xs = e->dir == DIR_C2S ? DG_X_CLIENT : DG_X_SERVER, xe = e->dir == DIR_C2S ? DG_X_SERVER : DG_X_CLIENT;
    struct diagram_prim *a = diagram_add(d, DG_ARROW, DG_PART_ARROW, pg);
    a->x = xs, a->y = it->y_start, a->x2 = xe, a->y2 = it->y_end;
    a->width = key ? 1.1f : 0.8f, a->head = 5.5f;
    a->stroke = ink;
    a->has_stroke = true;
    a->dashed = (marks & MARK_RETRANSMISSION) != 0;

    /* Label along the arrow, above it; read left to right whichever way the arrow points. */
    float lx = DG_X_CLIENT, ly = e->dir == DIR_C2S ? it->y_start : it->y_end;
    float rx = DG_X_SERVER, ry = e->dir == DIR_C2S ? it->y_end : it->y_start;
    float ang = atan2f(ry - ly, rx - lx), cs = cosf(ang), sn = sinf(ang);
    float mx = (lx + rx) / 2, my = (ly + ry) / 2, span = rx - lx - 22;
    push(d, DG_PART_LABEL, pg, cs, sn, -sn, cs, mx, my);

    char flags[12];
    const char *flag_text = pdf_fmt(w, "[%s] ", tcp_flags_string(e->flags, flags));
    const char *rest = diagram_segment_label(w, s, e, d->absolute_seq);
    float fw = pdf_text_width(d->canvas, PDF_FONT_LABEL_BOLD, DG_LABEL_SIZE, flag_text);
    float rw = pdf_text_width(d->canvas, PDF_FONT_LABEL, DG_LABEL_SIZE, rest);
    float size = DG_LABEL_SIZE;
    if (fw + rw > span)
        size = DG_LABEL_SIZE * span / (fw + rw);
    float scale = size / DG_LABEL_SIZE, start = -(fw + rw) * scale / 2;
    text(d, DG_PART_LABEL, pg, PDF_FONT_LABEL_BOLD, size, start, 2.4f, PDF_LEFT, ink, flag_text);
    text(d, DG_PART_LABEL, pg, PDF_FONT_LABEL, size, start + fw * scale, 2.4f, PDF_LEFT, PDF_TEXT, rest);
    if (it->lines > 1) {
        char opts[160];
        text_fit(d, DG_PART_OPTIONS, pg, PDF_FONT_LABEL, DG_OPTIONS_SIZE, 3.8f, 0, 2.4f + DG_LINE_STEP, span,
                 PDF_CENTER, PDF_MUTED,
                 pdf_fmt(w, "options [%s]", tcp_options_string(&e->options, opts, sizeof opts)));
    }
    if (it->tag)
        event_tag(d, pg, marks, span);
    pop(d, DG_PART_LABEL, pg);

    /* Packet number and time since the session's first segment, in the margin. */
    text_fit(d, DG_PART_MARGIN, pg, PDF_FONT_LABEL_BOLD, 5.8f, 4, DG_X_TIME_R, it->y + 1.2f,
             DG_X_TIME_R - DG_X_STRIP - 8, PDF_RIGHT, PDF_MUTED, pdf_fmt(w, "#%llu", (unsigned long long)e->packet));
    text_fit(d, DG_PART_MARGIN, pg, PDF_FONT_LABEL, 5.8f, 4, DG_X_TIME_R, it->y - 5.6f, DG_X_TIME_R - DG_X_STRIP - 8,
             PDF_RIGHT, PDF_TEXT, pdf_format_offset(w, e->ts_ns - s->first_ts));
    for (size_t k = first; !d->oom && k < d->n_prims; k++)
        d->prims[k].index = it->index;
}

static void draw_states(struct diagram *d, uint32_t pg, const struct diagram_item *it)
{
    const struct session *s = d->s;
    const struct timeline_event *e = &s->events[it->index];
    for (int role = ROLE_CLIENT; role <= ROLE_SERVER; role++) {
        uint8_t before = it->index ? s->events[it->index - 1].state[role] : TCP_STATE_UNKNOWN;
        uint8_t after = e->state[role];
        if (after == before || after == TCP_STATE_UNKNOWN)
            continue;
        /* The sender changes state as it sends, the receiver as it receives. */
        float y = (int)e->dir == role ? it->y_start : it->y_end;
        state_label(d, pg, it->index, role, y, (enum tcp_state)after);
    }
}

static void draw_fold(struct diagram *d, uint32_t pg, const struct diagram_item *it)
{
    struct pdf_words *w = d->words;
    const struct timeline_gap *g = &d->s->gaps[it->index];
    size_t first = d->n_prims;
    float top = it->y - 3, bottom = it->y - DG_FOLD_H + 3, mid = (top + bottom) / 2;
    rect(d, DG_PART_FOLD, pg, DG_X_CLIENT - 10, bottom, DG_X_SERVER - DG_X_CLIENT + 20, top - bottom, PDF_FOLD_TINT);
    /* A zigzag across each lifeline: the time axis is broken here. */
    for (int side = 0; side < 2; side++) {
        float lx = side ? DG_X_SERVER : DG_X_CLIENT;
        rect(d, DG_PART_FOLD, pg, lx - 4, mid - 4, 8, 8, PDF_FOLD_TINT);
        struct diagram_prim *z = diagram_add(d, DG_BREAK, DG_PART_FOLD, pg);
        z->x = lx, z->y = mid, z->width = 0.8f;
        z->stroke = LIFELINE;
        z->has_stroke = true;
    }
    float cx = (DG_X_CLIENT + DG_X_SERVER) / 2, width = DG_X_SERVER - DG_X_CLIENT - 24;
    text_fit(d, DG_PART_FOLD, pg, PDF_FONT_TEXT_BOLD, 6.8f, 4, cx, top - 9, width, PDF_CENTER, PDF_TEXT,
             T(w, "diagram.fold", {"packets", pdf_format_count(w, g->packets[0] + g->packets[1])}));
    text_fit(d, DG_PART_FOLD, pg, PDF_FONT_TEXT, 6, 4, cx, top - 18.5f, width, PDF_CENTER, PDF_MUTED,
             T(w, "diagram.fold-c2s", {"packets", pdf_format_count(w, g->packets[DIR_C2S])},
               {"bytes", pdf_format_count(w, g->bytes[DIR_C2S])}));
    text_fit(d, DG_PART_FOLD, pg, PDF_FONT_TEXT, 6, 4, cx, top - 26.5f, width, PDF_CENTER, PDF_MUTED,
             T(w, "diagram.fold-s2c", {"packets", pdf_format_count(w, g->packets[DIR_S2C])},
               {"bytes", pdf_format_count(w, g->bytes[DIR_S2C])}));
    for (size_t k = first; !d->oom && k < d->n_prims; k++)
        d->prims[k].index = it->index;
}

static void draw_pause(struct diagram *d, uint32_t pg, const struct diagram_item *it)
{
    const struct session *s = d->s;
    int64_t dt = s->events[it->index].ts_ns - s->events[it->index - 1].ts_ns;
    float mid = it->y - DG_PAUSE_H / 2;
    text_fit(d, DG_PART_PAUSE, pg, PDF_FONT_TEXT, 6, 4, (DG_X_CLIENT + DG_X_SERVER) / 2, mid - 2,
             DG_X_SERVER - DG_X_CLIENT - 20, PDF_CENTER, PDF_MUTED,
             T(d->words, "diagram.pause", {"duration", pdf_format_duration(d->words, dt)}));
}

/* Shades the handshake or the close: the rows from the first to the last event with the mark. */
static void draw_phase(struct diagram *d, uint32_t pg, uint8_t mark, struct pdf_rgb tint, struct pdf_rgb ink,
                       const char *key)
{
    const struct session *s = d->s;
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
    float top = -INFINITY, bottom = INFINITY;
    for (size_t k = 0; k < d->n_items; k++) {
        const struct diagram_item *it = &d->items[k];
        if (it->page != pg || it->kind != DIAGRAM_EVENT || it->index < lo || it->index > hi)
            continue;
        if (it->top > top)
            top = it->top;
        if (it->bottom < bottom)
            bottom = it->bottom;
    }
    if (top == -INFINITY)
        return;
    top += 3;
    bottom -= 3;
    rect(d, DG_PART_PHASE, pg, DG_X_STRIP + 8, bottom, DG_X_RIGHT - DG_X_STRIP - 8, top - bottom, tint);
    rect(d, DG_PART_PHASE, pg, DG_X_STRIP, bottom, 6.5f, top - bottom, ink);
    /* The phase's name, written upwards in the strip. */
    const char *name = T0(d->words, key);
    float size = 5.2f, w = pdf_text_width(d->canvas, PDF_FONT_TEXT_BOLD, size, name);
    if (w > top - bottom - 4) {
        size *= (top - bottom - 4) / w;
        w = top - bottom - 4;
    }
    if (size < 2.5f)
        return;
    push(d, DG_PART_PHASE, pg, 0, 1, -1, 0, DG_X_STRIP + 5.0f, (top + bottom) / 2 - w / 2);
    text(d, DG_PART_PHASE, pg, PDF_FONT_TEXT_BOLD, size, 0, 0, PDF_LEFT, PDF_WHITE, name);
    pop(d, DG_PART_PHASE, pg);
}

/* After the last row, a side that ends in TIME-WAIT: its lifeline goes on, dashed, for the
 * 2 MSL it still waits. */
static void draw_time_wait(struct diagram *d, uint32_t pg, float bottom)
{
    for (int role = ROLE_CLIENT; role <= ROLE_SERVER; role++) {
        if (d->s->side[role].state != TCP_TIME_WAIT)
            continue;
        float lx = role == ROLE_CLIENT ? DG_X_CLIENT : DG_X_SERVER;
        line(d, DG_PART_TIME_WAIT, pg, lx, bottom, lx, bottom - 20, 1.0f, PDF_TEARDOWN_INK, 2, 2);
        text_fit(d, DG_PART_TIME_WAIT, pg, PDF_FONT_TEXT, 5.8f, 4, role == ROLE_CLIENT ? lx - 5 : lx + 5,
                 bottom - 13, DG_STATE_W + 10, role == ROLE_CLIENT ? PDF_RIGHT : PDF_LEFT, PDF_TEARDOWN_INK,
                 T0(d->words, "diagram.time-wait"));
    }
}

void diagram_draw_page(struct diagram *d, uint32_t pg)
{
    draw_phase(d, pg, MARK_HANDSHAKE, PDF_HANDSHAKE_TINT, PDF_HANDSHAKE_INK, "phase.handshake");
    draw_phase(d, pg, MARK_TEARDOWN, PDF_TEARDOWN_TINT, PDF_TEARDOWN_INK, "phase.teardown");

    /* Lifelines down to the last row of this page, or to the bottom when the next page goes on. */
    float bottom = d->frame->rows_bottom;
    bool last = pg + 1 == d->pages;
    if (last) {
        bottom = DG_ROWS_TOP;
        for (size_t k = 0; k < d->n_items; k++)
            if (d->items[k].page == pg && d->items[k].bottom - 6 < bottom)
                bottom = d->items[k].bottom - 6;
    }
    line(d, DG_PART_LIFELINE, pg, DG_X_CLIENT, DG_BOX_TOP - DG_BOX_H, DG_X_CLIENT, bottom, 1.0f, LIFELINE, 0, 0);
    line(d, DG_PART_LIFELINE, pg, DG_X_SERVER, DG_BOX_TOP - DG_BOX_H, DG_X_SERVER, bottom, 1.0f, LIFELINE, 0, 0);
    if (last && bottom - 22 > d->frame->rows_bottom)
        draw_time_wait(d, pg, bottom);

    for (size_t k = 0; k < d->n_items; k++) {
        const struct diagram_item *it = &d->items[k];
        if (it->page != pg)
            continue;
        if (it->kind == DIAGRAM_FOLD)
            draw_fold(d, pg, it);
        else if (it->kind == DIAGRAM_PAUSE)
            draw_pause(d, pg, it);
    }
    for (size_t k = 0; k < d->n_items; k++)
        if (d->items[k].page == pg && d->items[k].kind == DIAGRAM_EVENT)
            draw_event(d, pg, &d->items[k]);
    for (size_t k = 0; k < d->n_items; k++)
        if (d->items[k].page == pg && d->items[k].kind == DIAGRAM_EVENT)
            draw_states(d, pg, &d->items[k]);
}
