/* rfc9293.h — the RFC 9293 state of each side of a connection, as a third party watching the
 * segments can infer it (internal to analysis/tcp; rfc9293.c tells how).
 *
 * Each side has a state and a previous state (session_side.state, .prev_state). A segment can
 * show that an earlier inference was wrong (crossing SYNs, crossing FINs): the machine then
 * reports a revision, which the timeline applies to the events it already recorded. */
#ifndef PCAP2REPORT_RFC9293_H
#define PCAP2REPORT_RFC9293_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "session.h"

/* What the machine needs to know of one segment. */
struct rfc9293_segment {
    uint16_t flags;        /* TCP_SYN, TCP_ACK, TCP_FIN, TCP_RST (others are ignored) */
    bool acks_syn;         /* its ack field covers the receiver's SYN */
    bool acks_fin;         /* its ack field covers the receiver's FIN */
    bool sender_acked_syn; /* the sender has acknowledged the receiver's SYN, in it or before */
};

/* "Side role was really in state `really` since packet `since`, where the timeline shows
 * `was`." */
struct rfc9293_revision {
    bool due;             /* false: nothing to revise */
    uint8_t role;         /* ROLE_CLIENT or ROLE_SERVER */
    uint8_t was, really;  /* enum tcp_state */
    uint64_t since;       /* a packet number */
};

/* Moves both sides of s for one segment sent by side dir (DIR_C2S is ROLE_CLIENT); fills
 * *rev. The packet numbers of a revision come from the receiver's syn_packet or fin_packet. */
void rfc9293_step(struct session *s, int dir, const struct rfc9293_segment *seg,
                  struct rfc9293_revision *rev);

/* The same for a decoded segment, once its facts are recorded (segment.h): what it
 * acknowledges is read from them. */
void rfc9293_update(struct session *s, int dir, const struct decoded_packet *p,
                    struct rfc9293_revision *rev);

#endif
