/* diagram_layout.c — where a session's rows go (diagram.h).
 *
 * Each kept segment becomes a row whose height grows with the time since the previous one
 * (logarithmically, so a 40 ms delayed ACK shows and a 5 s pause does not take the page);
 * folded data runs and long pauses get rows of their own. Rows that do not fit the frame's
 * page continue on the next page. */
#include "diagram.h"
#include "grow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    return extra > DG_ROW_TIME_MAX ? DG_ROW_TIME_MAX : extra;
}

/* Room above an event's row for its label and a rising arrow. */
static float label_room(const struct diagram_item *it)
{
    return 2.5f + DG_DROP_MAX / 2 + 7.0f + (float)(it->lines - 1) * DG_LINE_STEP + 2.0f;
}

/* The next row; when memory runs out, a spare row written to and ignored, and d->oom says so. */
static struct diagram_item *new_item(struct diagram *d)
{
    if (d->oom || !GROW(d->items, d->cap_items, d->n_items + 1, 256)) {
        d->oom = true;
        memset(&d->spare_item, 0, sizeof d->spare_item);
        return &d->spare_item;
    }
    struct diagram_item *it = &d->items[d->n_items++];
    memset(it, 0, sizeof *it);
    return it;
}

/* Places a row of height h (fold or pause) under what is already drawn (*y, above which the
 * previous row's tag or arrow may reach down to floor), on a new page when it does not fit. */
static void place_block(struct diagram *d, struct diagram_item *it, float *y, float floor, float h)
{
    if (floor < *y)
        *y = floor;
    if (*y - h < d->frame->rows_bottom) {
        d->pages++;
        *y = DG_ROWS_TOP;
    }
    it->page = d->pages;
    it->y = *y;
    it->top = *y;
    it->bottom = *y - h;
    *y -= h;
}

/* The rows of s: each one's page and height. */
static void lay_out_rows(struct diagram *d)
{
    const struct session *s = d->s;
    float y = DG_ROWS_TOP;
    bool fresh = true;        /* nothing above on this page, or a fold or pause just above */
    bool prev_tag = false;
    float floor = y; /* the lowest point the rows so far reach on this page */
    uint32_t g = 0;
    d->n_items = 0;
    d->pages = 0;
    for (uint32_t i = 0; i <= s->n_events; i++) {
        bool folded = false;
        while (g < s->n_gaps && s->gaps[g].before == i) {
            struct diagram_item *it = new_item(d);
            it->kind = DIAGRAM_FOLD;
            it->index = g++;
            place_block(d, it, &y, floor, DG_FOLD_H);
            floor = y;
            fresh = folded = true;
            prev_tag = false;
        }
        if (i == s->n_events)
            break;
        const struct timeline_event *e = &s->events[i];
        int64_t dt = i ? e->ts_ns - s->events[i - 1].ts_ns : 0;
        if (i && !folded && dt >= DG_PAUSE_NS) {
            struct diagram_item *it = new_item(d);
            it->kind = DIAGRAM_PAUSE;
            it->index = i;
            place_block(d, it, &y, floor, DG_PAUSE_H);
            floor = y;
            fresh = true;
            prev_tag = false;
        }

        struct diagram_item *it = new_item(d);
        it->kind = DIAGRAM_EVENT;
        it->index = i;
        it->lines = shows_options(s, i) ? 2 : 1;
        it->tag = diagram_shown_marks(d, s, e) != 0;
        it->from_capture = (e->dir == DIR_C2S) == d->transit.near_client;
        float below = it->tag ? DG_TAG_H + 3 : DG_DROP_MAX / 2 + 2;
        float above = fresh ? label_room(it)
                            : DG_ROW_BASE + (float)(it->lines - 1) * DG_LINE_STEP + (prev_tag ? DG_TAG_H : 0) +
                                  (dt < DG_PAUSE_NS ? time_room(dt) : 0);
        if (y - above - below < d->frame->rows_bottom) {
            d->pages++;
            y = DG_ROWS_TOP;
            above = label_room(it);
        }
        it->page = d->pages;
        it->y = y - above;
        y = it->y;
        floor = y - below;
        fresh = false;
        prev_tag = it->tag;
    }
    d->pages++;
}

/* Slant: each arrow leans into the neighbouring row, by the share of that row's time it spent
 * crossing (see diagram.c). */
static void slant(struct diagram *dg)
{
    const struct session *s = dg->s;
    const struct diagram_transit *tr = &dg->transit;
    for (size_t k = 0; k < dg->n_items; k++) {
        struct diagram_item *it = &dg->items[k];
        if (it->kind != DIAGRAM_EVENT)
            continue;
        const struct timeline_event *e = &s->events[it->index];
        size_t nb = it->from_capture ? k + 1 : k - 1; /* k - 1 wraps for k == 0: checked below */
        float d = 0;
        if (tr->one_way_ns > 0) {
            if (nb < dg->n_items && dg->items[nb].kind == DIAGRAM_EVENT && dg->items[nb].page == it->page) {
                const struct timeline_event *o = &s->events[dg->items[nb].index];
                int64_t dt = o->ts_ns > e->ts_ns ? o->ts_ns - e->ts_ns : e->ts_ns - o->ts_ns;
                float row = fabsf(dg->items[nb].y - it->y);
                float share = dt > 0 ? (float)tr->one_way_ns / (float)dt : 1.0f;
                d = row * (share < DG_DROP_SHARE ? share : DG_DROP_SHARE);
            } else {
                d = DG_DROP_MAX / 2;
            }
            if (d > DG_DROP_MAX)
                d = DG_DROP_MAX;
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
        it->top = (hi + lo) / 2 + 2.5f + 7.0f + (float)(it->lines - 1) * DG_LINE_STEP;
        it->bottom = it->tag ? (hi + lo) / 2 - DG_TAG_H - 2 : lo - 2;
    }
}

void diagram_lay_out(struct diagram *d)
{
    lay_out_rows(d);
    slant(d);
}
