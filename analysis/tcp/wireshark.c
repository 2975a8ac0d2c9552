/* wireshark.c — tcp.completeness as tshark 4.0 computes it: a bit for each kind of segment
 * seen in the conversation, in either direction (1 SYN, 2 SYN/ACK, 4 ACK, 8 data, 16 FIN,
 * 32 RST). */
#include "wireshark.h"

enum { WS_SYN = 1, WS_SYNACK = 2, WS_ACK = 4, WS_DATA = 8, WS_FIN = 16, WS_RST = 32 };

void wireshark_update(struct session *s, const struct decoded_packet *p)
{
    uint8_t *c = &s->wireshark_completeness;
    if (p->flags & TCP_SYN)
        *c |= (p->flags & TCP_ACK) ? WS_SYNACK : WS_SYN;
    else if (p->flags & TCP_ACK) /* tshark 4.0 counts any ACK without SYN, RST/ACK too */
        *c |= WS_ACK;
    if (p->payload_len)
        *c |= WS_DATA;
    if (p->flags & TCP_FIN)
        *c |= WS_FIN;
    if (p->flags & TCP_RST)
        *c |= WS_RST;
}
