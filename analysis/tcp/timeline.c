/* timeline.c — the bounded timeline of a session: which segments its diagram shows, the gaps
 * between them, and the late correction of the states the diagram shows (timeline.h).
 *
 * A run of data segments keeps its first TIMELINE_HEAD segments at once; later ones go into a
 * ring of TIMELINE_TAIL, the oldest leaving it into the pending gap, until a key segment ends
 * the run: then the gap and the ring's segments are placed before the key segment. */
#include "timeline.h"

#include <stdlib.h>
#include <string.h>

/* Grows *arr to hold need elements: first elements at first, then in steps of step.
 * Timelines are short (at most TIMELINE_MAX_EVENTS), so a few more reallocs cost little,
 * while doubling would leave a quarter of every timeline unused on average: a tenth of a
 * session's memory. */
static bool reserve(void **arr, uint32_t *cap, uint32_t need, size_t elem, uint32_t first, uint32_t step)
{
    if (need <= *cap)
        return true;
    uint32_t n = need <= first ? first : first + (need - first + step - 1) / step * step;
    void *p = realloc(*arr, (size_t)n * elem);
    if (!p)
        return false;
    *arr = p;
    *cap = n;
    return true;
}

static void omit(struct session *s, struct timeline_builder *b, const struct timeline_event *ev)
{
    b->pending_gap.packets[ev->dir]++;
    b->pending_gap.bytes[ev->dir] += ev->len;
    s->omitted_packets++;
}

/* Returns false when memory ran out (the event is then omitted). The first event gets room for
 * itself alone: most sessions of a SYN flood or a scan never have a second, and room for 8
 * (450 bytes) was a third of what each cost; a session that goes on gets 8 at its second. */
static bool append_event(struct session *s, struct timeline_builder *b, const struct timeline_event *ev)
{
    if (s->n_events >= TIMELINE_MAX_EVENTS ||
        !reserve((void **)&s->events, &b->cap_events, s->n_events + 1, sizeof *ev, s->n_events ? 8 : 1, 4)) {
        omit(s, b, ev);
        return s->n_events >= TIMELINE_MAX_EVENTS;
    }
    s->events[s->n_events++] = *ev;
    return true;
}

static bool close_gap(struct session *s, struct timeline_builder *b)
{
    struct timeline_gap *g = &b->pending_gap;
    if (!g->packets[0] && !g->packets[1])
        return true;
    if (!reserve((void **)&s->gaps, &b->cap_gaps, s->n_gaps + 1, sizeof *g, 2, 2))
        return false;
    g->before = s->n_events;
    s->gaps[s->n_gaps++] = *g;
    memset(g, 0, sizeof *g);
    return true;
}

bool timeline_flush(struct session *s, struct timeline_builder *b)
{
    if (s->n_events >= TIMELINE_MAX_EVENTS)
        return true; /* the final gap stays open until timeline_finish */
    bool ok = close_gap(s, b);
    for (uint32_t i = 0; i < b->ring_len; i++)
        ok &= append_event(s, b, &b->ring[(b->ring_head + i) % TIMELINE_TAIL]);
    /* The ring is needed only inside a long run of data segments: freed here, it is held by
     * the sessions in such a run at the moment, not by every session that ever had one. */
    free(b->ring);
    b->ring = NULL;
    b->ring_len = b->ring_head = 0;
    b->run_kept = 0;
    return ok;
}

/* An ended session (a RST, or both FINs acknowledged) seldom gets another segment: its
 * timeline gives back the capacity it does not use, so that the many ended sessions of a big
 * capture cost what they hold (memory grows with sessions; docs/benchmark.md). */
static void trim_ended(struct session *s, struct timeline_builder *b)
{
    if (s->n_events == 0 || b->cap_events == s->n_events)
        return;
    struct timeline_event *e = realloc(s->events, s->n_events * sizeof *e);
    if (e) {
        s->events = e;
        b->cap_events = s->n_events;
    }
}

/* Keeps ev, holds it in the ring, or omits it (see the top of the file). */
static bool record(struct session *s, struct timeline_builder *b, const struct timeline_event *ev, bool key)
{
    if (key || b->run_kept < TIMELINE_HEAD) {
        bool ok = append_event(s, b, ev);
        if (!key)
            b->run_kept++;
        return ok;
    }
    if (!b->ring && !(b->ring = malloc(TIMELINE_TAIL * sizeof *b->ring))) {
        omit(s, b, ev);
        return false;
    }
    if (b->ring_len == TIMELINE_TAIL) {
        omit(s, b, &b->ring[b->ring_head]);
        b->ring[b->ring_head] = *ev;
        b->ring_head = (uint8_t)((b->ring_head + 1) % TIMELINE_TAIL);
    } else {
        b->ring[(b->ring_head + b->ring_len++) % TIMELINE_TAIL] = *ev;
    }
    return true;
}

/* The state machine found that a side was really in state `really` where the events since a
 * packet show `was`. Revisions come only with key segments, after the ring was placed, so
 * every event they concern is in s->events (or was omitted from a full timeline). */
static void revise(struct session *s, const struct rfc9293_revision *rev)
{
    for (uint32_t i = s->n_events; i-- > 0 && s->events[i].packet >= rev->since;)
        if (s->events[i].state[rev->role] == rev->was)
            s->events[i].state[rev->role] = rev->really;
}

bool timeline_add(struct session *s, struct timeline_builder *b, struct timeline_event *ev, bool key,
                  const struct rfc9293_revision *rev)
{
    bool ok = !key || timeline_flush(s, b);
    if (rev->due)
        revise(s, rev);
    ev->state[ROLE_CLIENT] = s->side[ROLE_CLIENT].state;
    ev->state[ROLE_SERVER] = s->side[ROLE_SERVER].state;
    ok &= record(s, b, ev, key);
    if (key && (s->rst_seen || (s->side[0].acked_fin && s->side[1].acked_fin)))
        trim_ended(s, b);
    return ok;
}

bool timeline_finish(struct session *s, struct timeline_builder *b)
{
    bool ok;
    if (s->n_events >= TIMELINE_MAX_EVENTS) {
        /* A full timeline: what is still held back joins the final gap. */
        for (uint32_t j = 0; j < b->ring_len; j++)
            omit(s, b, &b->ring[(b->ring_head + j) % TIMELINE_TAIL]);
        b->ring_len = 0;
        ok = close_gap(s, b);
    } else {
        ok = timeline_flush(s, b);
        ok &= close_gap(s, b);
    }
    free(b->ring);
    b->ring = NULL;
    return ok;
}

void timeline_free(struct session *s, struct timeline_builder *b)
{
    free(s->events);
    free(s->gaps);
    free(b->ring);
}
