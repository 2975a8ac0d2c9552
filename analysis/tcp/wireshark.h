/* wireshark.h — Wireshark's tcp.completeness of a session, and where tshark starts a new
 * tcp.stream on a 4-tuple (internal to analysis/tcp; wireshark.c tells how). */
#ifndef PCAP2REPORT_WIRESHARK_H
#define PCAP2REPORT_WIRESHARK_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "session.h"

/* Completeness bits (packet-tcp.h TCP_COMPLETENESS_*). */
enum {
    WS_SYN = 1, WS_SYNACK = 2, WS_ACK = 4, WS_DATA = 8, WS_FIN = 16, WS_RST = 32,
};

/* What tshark keeps of one tcp.stream: each direction's base sequence number (tcp_analysis's
 * fwd/rev base_seq, indexed by DIR_*) and the completeness bits. All zero to start. */
struct wireshark_tracker {
    uint32_t base[2];
    uint8_t base_set;      /* bit (1 << dir): base[dir] is set (TCP_S_BASE_SEQ_SET) */
    uint8_t first_only;    /* bits of the stream's first segment counted only in the second pass */
    uint8_t bits;          /* the first pass's value after the last segment */
    bool started;          /* the stream has its first segment */
    bool several;          /* ... and a later one */
};

/* Whether tshark starts a new tcp.stream on segment p, sent in direction dir of the stream
 * t tracks: a SYN without ACK whose sequence number is not that direction's base. */
bool wireshark_new_stream(const struct wireshark_tracker *t, int dir, const struct decoded_packet *p);

/* Counts segment p, sent in direction dir, into the stream; fresh is true when the stream is
 * a new conversation (its 4-tuple unseen before), false when it replaced one on a reused
 * 4-tuple. Stores the completeness tshark -2 shows into s->wireshark_completeness. */
void wireshark_update(struct session *s, struct wireshark_tracker *t, int dir, const struct decoded_packet *p,
                      bool fresh);

/* The bits a segment adds when it is not its conversation's first: SYN-ACK, ACK or DATA,
 * FIN with ACK, RST. */
uint8_t wireshark_segment_bits(uint16_t flags, uint32_t payload_len);

#endif
