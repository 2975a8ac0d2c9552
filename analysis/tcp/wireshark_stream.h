/* wireshark_stream.h — Wireshark's tcp.stream numbers: the conversation tshark puts each
 * segment in, so that a reader can name a session by the number Wireshark's GUI shows.
 *
 * tshark 4.0 (epan/dissectors/packet-tcp.c, dissect_tcp and the conversation it finds or
 * makes) numbers conversations from 0 in the order it meets them: the first segment of a
 * 4-tuple starts one; a SYN without ACK whose sequence number differs from the first one its
 * direction had in the conversation (the ISN of a SYN, or one less than the sequence number
 * of any other first segment) starts the next one on the same 4-tuple. Checked against
 * tshark 4.0.17 on crafted cases (tests/tcp_stream_check.sh) and the benchmark capture. */
#ifndef PCAP2REPORT_WIRESHARK_STREAM_H
#define PCAP2REPORT_WIRESHARK_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"

/* One 4-tuple's current conversation, kept with the session that holds the 4-tuple. */
struct wireshark_conv {
    uint64_t stream;  /* its tcp.stream */
    uint32_t base[2]; /* per direction of that session (DIR_C2S, DIR_S2C) */
    uint8_t base_set; /* bit 1 << direction */
};

/* A conversation of a 4-tuple not seen before: the next number. */
void wireshark_stream_start(struct wireshark_conv *c, uint64_t *next);

/* The conversation a new session on the same 4-tuple goes on with (until its first segment
 * says otherwise); swapped when the new session's client is the old one's server. */
void wireshark_stream_carry(struct wireshark_conv *to, const struct wireshark_conv *from, bool swapped);

/* One segment in direction dir: starts the next conversation when tshark would. Returns the
 * segment's tcp.stream. */
uint64_t wireshark_stream_segment(struct wireshark_conv *c, int dir, const struct decoded_packet *p, uint64_t *next);

#endif
