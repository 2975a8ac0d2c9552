/* segment.h — the facts one segment adds to its session (internal to analysis/tcp): counters,
 * the SYN, FIN, ACK and RST facts the classifier and the state machines read, sequence
 * tracking for retransmissions and reordering, and the anomaly bits these show. */
#ifndef PCAP2REPORT_SEGMENT_H
#define PCAP2REPORT_SEGMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "session.h"

/* Sequence tracking of one side, kept by the table beside the session. All zero to start. */
struct seq_tracker {
    bool valid;                   /* next is known */
    bool hole;                    /* a range skipped over and not yet filled */
    uint32_t next;                /* highest sequence number sent so far, plus one */
    uint32_t hole_start, hole_end;
};

/* What segment_record found, for the steps after it. */
struct segment_facts {
    struct timeline_event ev; /* the segment as a timeline shows it; its marks are set, its
                                 states not yet */
    bool key;                 /* a SYN, FIN or RST, or the first ACK of a SYN or FIN: the
                                 timeline keeps it */
    bool repeat;              /* a retransmitted SYN or FIN (not counted as data) */
};

/* Records segment p, sent by side dir (DIR_C2S is ROLE_CLIENT) of s, into s and into that
 * side's tracker; fills *f. */
void segment_record(struct session *s, struct seq_tracker *trk, int dir, const struct decoded_packet *p,
                    int64_t ts, uint64_t packet_no, struct segment_facts *f);

#endif
