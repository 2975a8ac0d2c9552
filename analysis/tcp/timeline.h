/* timeline.h — the bounded timeline of a session, for its sequence diagram (internal to
 * analysis/tcp; the table calls it, renderers read only the session's events and gaps).
 *
 * Key segments (SYN, FIN, RST and the ACKs that complete them) are always kept; of each run of
 * other segments the first TIMELINE_HEAD and the last TIMELINE_TAIL are kept, the rest counted
 * in the gap between them. A timeline holds at most TIMELINE_MAX_EVENTS events. */
#ifndef PCAP2REPORT_TIMELINE_H
#define PCAP2REPORT_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "rfc9293.h"
#include "session.h"

enum {
    TIMELINE_MAX_EVENTS = 64, /* hard cap; a normal session needs 10 to 20 */
    TIMELINE_HEAD = 4,        /* data segments kept after each key segment */
    TIMELINE_TAIL = 4,        /* data segments kept before the next key segment */
};

/* What building a timeline needs beside the session's public events and gaps; the table keeps
 * one per session. All zero to start. */
struct timeline_builder {
    struct timeline_event *ring;     /* the last data segments of a run, not yet placed
                                        (NULL outside a long run) */
    struct timeline_gap pending_gap; /* segments left out since the last kept one */
    uint32_t cap_events, cap_gaps;   /* room in the session's events and gaps */
    uint8_t ring_len, ring_head;     /* at most TIMELINE_TAIL */
    uint8_t run_kept;                /* data segments kept since the last key segment (at most
                                        TIMELINE_HEAD): small, as a session's memory counts */
};

/* Each function returns false when memory ran out; the timeline then lacks an event or a gap
 * (counted in omitted_packets when it is an event) but stays consistent. */

/* Records the segment ev, stamped with both sides' states after it: a key segment first
 * places the held-back tail of the run before it, and rev, when due, first rewrites the states
 * the earlier events show (rfc9293.h). */
bool timeline_add(struct session *s, struct timeline_builder *b, struct timeline_event *ev, bool key,
                  const struct rfc9293_revision *rev);

/* Places the held-back tail of a data run, preceded by the gap it leaves (the table calls it
 * when a new generation takes the 4-tuple over). */
bool timeline_flush(struct session *s, struct timeline_builder *b);

/* Places or omits what is still held back and closes the last gap; frees the ring. Call once,
 * after the session's last segment. */
bool timeline_finish(struct session *s, struct timeline_builder *b);

/* Frees the session's events and gaps and the builder's ring. */
void timeline_free(struct session *s, struct timeline_builder *b);

#endif
