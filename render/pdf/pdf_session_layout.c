/* pdf_session_layout.c — where a session's rows go (pdf_session_parts.h).
 *
 * Each kept segment becomes a row whose height grows with the time since the previous one
 * (logarithmically, so a 40 ms delayed ACK shows and a 5 s pause does not take the page);
 * folded data runs and long pauses get rows of their own. Rows that do not fit continue on the
 * next page. */
#include "pdf_session_parts.h"
#include "grow.h"
#include "pdf_offload.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- what a segment shows --------------------------------------------------------------------- */

uint8_t pdf_session_shown_marks(const struct pdf_sess *x, const struct session *s, const struct timeline_event *e)
{
    uint8_t m = e->marks & (MARK_RETRANSMISSION | MARK_OUT_OF_ORDER | MARK_BAD_ACK | MARK_ZERO_WINDOW |
                            MARK_BAD_CHECKSUM);
    /* Offload, explained on the first page: not worth a tag on every arrow (pdf_offload.h). */
    if ((m & MARK_BAD_CHECKSUM) && pdf_offload_host(x->r, s->ip_version, s->side[e->dir].addr))
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

/* ---- rows ----------------------------------------------------------------------------------- */

static float time_room(int64_t dt_ns)
{
    if (dt_ns <= 0)
        return 0;
    float extra = 4.0f * log10f((float)dt_ns / 1e4f + 1.0f);
    return extra > ROW_TIME_MAX ? ROW_TIME_MAX : extra;
}

/* Room above an event's row for its label and a rising arrow. */
static float label_room(const struct pdf_session_item *it)
{
    return 2.5f + DROP_MAX / 2 + 7.0f + (float)(it->lines - 1) * LINE_STEP + 2.0f;
}

/* The next row, in the document's scratch (which a failure leaves to pdf_session_pages_free). */
static struct pdf_session_item *new_item(struct pdf_sess *x, struct layout *l)
{
    struct pdf_session_pages *sp = x->sp;
    if (!GROW(sp->items, sp->cap, l->n + 1, 256))
        pdf_fail(&x->doc->fail, "out of memory");
    l->items = sp->items;
    struct pdf_session_item *it = &l->items[l->n++];
    memset(it, 0, sizeof *it);
    return it;
}

/* Places a row of height h (fold or pause) under what is already drawn (*y, above which the
 * previous row's tag or arrow may reach down to floor), on a new page when it does not fit. */
static void place_block(struct layout *l, struct pdf_session_item *it, float *y, float floor, float h)
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

/* The rows of s: each one's page and height. */
static void lay_out_rows(struct pdf_sess *x, const struct session *s, const struct transit *tr, struct layout *l)
{
    float y = ROWS_TOP;
    bool fresh = true;        /* nothing above on this page, or a fold or pause just above */
    bool prev_tag = false;
    float floor = y; /* the lowest point the rows so far reach on this page */
    uint32_t g = 0;
    l->n = 0;
    l->pages = 0;
    l->items = x->sp->items;
    for (uint32_t i = 0; i <= s->n_events; i++) {
        bool folded = false;
        while (g < s->n_gaps && s->gaps[g].before == i) {
            struct pdf_session_item *it = new_item(x, l);
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
            struct pdf_session_item *it = new_item(x, l);
            it->kind = ITEM_PAUSE;
            it->index = i;
            place_block(l, it, &y, floor, PAUSE_H);
            floor = y;
            fresh = true;
            prev_tag = false;
        }

        struct pdf_session_item *it = new_item(x, l);
        it->kind = ITEM_EVENT;
        it->index = i;
        it->lines = shows_options(s, i) ? 2 : 1;
        it->tag = pdf_session_shown_marks(x, s, e) != 0;
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
}

/* Slant: each arrow leans into the neighbouring row, by the share of that row's time it spent
 * crossing (see pdf_session.c). */
static void slant(const struct session *s, const struct transit *tr, struct layout *l)
{
    for (size_t k = 0; k < l->n; k++) {
        struct pdf_session_item *it = &l->items[k];
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

void pdf_session_lay_out(struct pdf_sess *x, const struct session *s, const struct transit *tr,
                         struct layout *l)
{
    lay_out_rows(x, s, tr, l);
    slant(s, tr, l);
}
