/* convo.h — hand-made TCP conversations fed straight into a session table.
 *
 * A test writes the segments it wants ("client sends SYN seq 1000") and gets back the session
 * they built; classification can then be asserted rule by rule. */
#ifndef PCAP2REPORT_CONVO_H
#define PCAP2REPORT_CONVO_H

#include "classify.h"
#include "table.h"

enum { C2S = DIR_C2S, S2C = DIR_S2C };

struct convo {
    struct session_table *table;
    struct decoded_packet c2s; /* template for client-to-server segments */
    int64_t ts, step_ns;
    uint64_t packet_no;
};

/* IPv4 10.0.0.1:40000 -> 10.0.0.2:80 (or IPv6 2001:db8::1 -> 2001:db8::2), 1 ms apart. */
void convo_init(struct convo *cv, int ip_version);
void convo_free(struct convo *cv);

/* One segment in the given direction; returns its session. */
struct session *convo_send(struct convo *cv, int dir, uint16_t flags, uint32_t seq, uint32_t ack, uint32_t len);

/* Finishes the table and classifies session i (0-based). */
struct session *convo_finish(struct convo *cv, size_t i);

/* The normal three-way handshake with ISNs cisn and sisn. */
void convo_handshake(struct convo *cv, uint32_t cisn, uint32_t sisn);

#endif
