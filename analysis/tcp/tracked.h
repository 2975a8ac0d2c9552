/* tracked.h — a session as the table holds it (internal to analysis/tcp: table.c and the
 * spill file, spill.c): the public record, and beside it what building the record needs and no
 * reader should see. */
#ifndef PCAP2REPORT_TRACKED_H
#define PCAP2REPORT_TRACKED_H

#include "segment.h"
#include "session.h"
#include "timeline.h"
#include "wireshark.h"
#include "zeek.h"

struct tracked_session {
    struct session pub;               /* first: readers get its address */
    struct seq_tracker seq[2];        /* segment.c, per side */
    struct zeek_tracker zeek;         /* zeek.c: the Zeek connection open on the 4-tuple */
    struct wireshark_tracker ws;      /* wireshark.c: the tcp.stream */
    struct timeline_builder timeline; /* timeline.c */
    bool superseded;                  /* table.c: a newer generation took its 4-tuple over */
};

/* Frees what the session owns (its arrays), leaving it empty. */
void tracked_session_clear(struct tracked_session *e);
/* Frees what the session owns and the session itself (accepts NULL). */
void tracked_session_free(struct tracked_session *e);

#endif
