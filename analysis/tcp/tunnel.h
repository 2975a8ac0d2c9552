/* tunnel.h — the tunnel a TCP session travels in: its part of the session key, and the
 * encapsulation path each session records (issue 15).
 *
 * A session inside a tunnel is keyed by its inner 4-tuple plus the tunnel: the same inner
 * addresses and ports in two VXLAN segments (VNIs), two GRE tunnels or two PPPoE sessions are
 * two sessions. Only what is the same in both directions goes into the key (tunnel.c says
 * which fields, kind by kind); what differs by direction (GTP-U TEIDs, PPTP call ids, MPLS
 * labels, VN-Tags, outer UDP source ports) is recorded, per direction, in the session's
 * struct session_encap (session.h). */
#ifndef PCAP2REPORT_TUNNEL_H
#define PCAP2REPORT_TUNNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "session.h"

/* The tunnel part of p's session key: a 64-bit fingerprint of its keyed layers, the same for
 * both directions; 0 when p travels in no keyed layer (untunnelled, or only in layers the key
 * leaves out). Two different tunnels share a fingerprint with probability 2^-64. */
uint64_t tunnel_key_slow(const struct decoded_packet *p);

static inline uint64_t tunnel_key(const struct decoded_packet *p)
{
    return p->n_encap ? tunnel_key_slow(p) : 0; /* the common case stays one test */
}

/* Records the path of p, the first segment of direction dir (DIR_C2S or DIR_S2C) seen in s,
 * into s->encap (allocated at the first layer to record; a direction without layers then
 * records none). false when out of memory. */
bool tunnel_note(struct session *s, int dir, const struct decoded_packet *p);

/* Frees s->encap. */
void tunnel_free(struct session *s);

#endif
