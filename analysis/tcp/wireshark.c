/* wireshark.c — tcp.completeness as tshark 4.0 computes it with two passes (-2), and the
 * tcp.stream splits that decide which segments it covers.
 *
 * From Wireshark's epan/dissectors/packet-tcp.c (4.0), dissect_tcp():
 *
 *   - The stream's first segment ("conversation_is_new": conversation_new() was just called)
 *     counts only if it is a pure SYN: SYN (1), plus DATA (8) if it carries payload (TCP
 *     Fast Open). Its other bits are not counted then.
 *   - Every later segment adds: SYN-ACK (2) for SYN+ACK; for ACK without SYN, DATA (8) if it
 *     carries payload, else ACK (4) (a data segment does not set ACK); FIN (16) only with ACK
 *     (a bare FIN sets nothing); RST (32) for any RST. A segment without ACK and without SYN
 *     adds nothing but RST.
 *   - The update runs again for every segment in the second pass, where no conversation is new:
 *     the first segment's bits of the rule above are then counted too. But each segment shows
 *     the value from before its own update (the tcp.completeness item is added before the
 *     update), so the last segment of a stream of two or more shows everything, while a stream
 *     of one segment shows only the first pass's value (a lone data segment: 0).
 *   - A SYN without ACK whose sequence number differs from its direction's base_seq (once one
 *     is set) starts a new conversation, a new tcp.stream, whose completeness starts at 1
 *     ("ports reused"); that SYN is then not a conversation's first segment, so data on it
 *     does not count. base_seq is set by tcp_analyze_sequence_number() from a direction's first
 *     segment (its sequence number for a SYN, minus one otherwise) or from the first ACK of the
 *     other direction (ack - 1); a SYN-ACK with another sequence number moves it (issue 16944).
 *
 * Nothing else splits or joins a stream: no timer, no FIN or RST. */
#include "wireshark.h"

uint8_t wireshark_segment_bits(uint16_t flags, uint32_t payload_len)
{
    uint8_t bits = 0;
    uint16_t sa = flags & (TCP_SYN | TCP_ACK);
    if (sa == (TCP_SYN | TCP_ACK))
        bits |= WS_SYNACK;
    else if (sa == TCP_ACK)
        bits |= payload_len ? WS_DATA : WS_ACK;
    if ((flags & (TCP_FIN | TCP_ACK)) == (TCP_FIN | TCP_ACK))
        bits |= WS_FIN;
    if (flags & TCP_RST)
        bits |= WS_RST;
    return bits;
}

bool wireshark_new_stream(const struct wireshark_tracker *t, int dir, const struct decoded_packet *p)
{
    return (p->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && (t->base_set >> dir & 1) && p->seq != t->base[dir];
}

/* tcp_analyze_sequence_number(): the base sequence numbers, and the SYN-ACK rule of
 * dissect_tcp() that moves its direction's base. */
static void update_bases(struct wireshark_tracker *t, int dir, const struct decoded_packet *p)
{
    if ((p->flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK) && (t->base_set >> dir & 1))
        t->base[dir] = p->seq;
    if (!(t->base_set >> dir & 1)) {
        t->base[dir] = (p->flags & TCP_SYN) ? p->seq : p->seq - 1;
        t->base_set |= (uint8_t)(1u << dir);
    }
    if (!(t->base_set >> !dir & 1) && (p->flags & TCP_ACK)) {
        t->base[!dir] = p->ack - 1;
        t->base_set |= (uint8_t)(1u << !dir);
    }
}

void wireshark_update(struct session *s, struct wireshark_tracker *t, int dir, const struct decoded_packet *p,
                      bool fresh)
{
    uint8_t bits = wireshark_segment_bits(p->flags, p->payload_len);
    if (!t->started) {
        t->started = true;
        if (fresh) {
            if ((p->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
                t->bits = (uint8_t)(WS_SYN | (p->payload_len ? WS_DATA : 0));
            t->first_only = bits;
        } else {
            t->bits = (uint8_t)(WS_SYN | bits); /* tcpd->conversation_completeness = 1 */
        }
    } else {
        t->several = true;
        t->bits |= bits;
    }
    update_bases(t, dir, p);
    s->wireshark_completeness = (uint8_t)(t->bits | (t->several ? t->first_only : 0));
}
