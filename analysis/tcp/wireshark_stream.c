/* wireshark_stream.c — tcp.stream as tshark 4.0 numbers conversations (wireshark_stream.h). */
#include "wireshark_stream.h"

void wireshark_stream_start(struct wireshark_conv *c, uint64_t *next)
{
    c->stream = (*next)++;
    c->base_set = 0;
}

void wireshark_stream_carry(struct wireshark_conv *to, const struct wireshark_conv *from, bool swapped)
{
    to->stream = from->stream;
    to->base[0] = from->base[swapped];
    to->base[1] = from->base[!swapped];
    uint8_t b0 = from->base_set & 1, b1 = (from->base_set >> 1) & 1;
    to->base_set = swapped ? (uint8_t)(b1 | b0 << 1) : from->base_set;
}

uint64_t wireshark_stream_segment(struct wireshark_conv *c, int dir, const struct decoded_packet *p, uint64_t *next)
{
    uint8_t bit = (uint8_t)(1u << dir);
    /* dissect_tcp: a SYN without ACK, after the direction's base sequence number was set, with
     * another sequence number, is a new conversation (a retransmitted SYN is not). */
    if ((p->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && (c->base_set & bit) && p->seq != c->base[dir])
        wireshark_stream_start(c, next);
    /* The base is the ISN for a SYN and one less than the sequence number otherwise (the
     * relative sequence numbers' origin). */
    if (!(c->base_set & bit)) {
        c->base[dir] = (p->flags & TCP_SYN) ? p->seq : p->seq - 1;
        c->base_set |= bit;
    }
    return c->stream;
}
