/* tunnel.c — the tunnel part of the session key, and the encapsulation path each session
 * records (tunnel.h).
 *
 * What goes into the key is what both directions of one session carry alike, so that the
 * two directions meet in one session, and two tunnels that happen to carry the same inner
 * addresses and ports stay apart:
 *
 *   VXLAN, Geneve       kind, outer address pair, VNI (RFC 7348 5, RFC 8926 3.4: one VNI a
 *                       segment, both ways)
 *   GRE, Aruba GRE,     kind, outer address pair. Not the GRE key: PPTP's (RFC 2637 4.1) is
 *   IP-in-IP, AYIYA,    the peer's call id, different each way, and RFC 2890 lets each end
 *   GTP-U               choose its own; not GTP-U's TEIDs (3GPP TS 29.281 5.1: each end
 *                       chooses the TEID it receives on). Zeek's trace
 *                       gtp/different_dl_and_ul.pcap has one connection whose directions
 *                       differ in TEID and outer UDP port, not in outer addresses.
 *   PBB, PPPoE          kind and I-SID (IEEE 802.1ah) or session id (RFC 2516 4): the same
 *                       both ways; their outer MAC addresses are not recorded
 *   Teredo, 6to4        the kind alone: the packets of one connection go out through one
 *                       relay and may come back through another (RFC 4380 2.7, RFC 3068 2.4;
 *                       6to4 is IPv6 in IPv4 to or from 2002::/16), and the inner Teredo or
 *                       6to4 address already names the host's own IPv4 address
 *   MPLS, VN-Tag,       left out, like VLAN tags: labels and tags are chosen per direction
 *   FabricPath          and per hop (RFC 3031 3.1), and the last label may be popped on one
 *                       side of the capture point and not the other
 *   ERSPAN              left out: it carries a copy of traffic to a collector, not the path
 *                       the session travels; the two directions of one session may be
 *                       mirrored by different sessions or switches
 *
 * Outer address pairs are put in a fixed order each on its own, not together with the inner
 * 4-tuple: an ERSPAN copy inside GRE, or any mirror, has the same outer source and destination
 * for both directions of the session it carries. Outer UDP ports are left out: the source
 * port is the encapsulator's per-flow entropy (RFC 7348 5, RFC 8926 3.3). */
#include "tunnel.h"

#include <stdlib.h>
#include <string.h>

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33; h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

static uint64_t mix_word(uint64_t h, uint64_t w)
{
    return mix64(h ^ w) + 0x9e3779b97f4a7c15ULL;
}

/* The layer's outer addresses, the smaller one first. */
static uint64_t mix_outer(uint64_t h, const struct encap_layer *l)
{
    const uint8_t *a = l->src, *b = l->dst;
    if (memcmp(a, b, 16) > 0) {
        const uint8_t *t = a;
        a = b;
        b = t;
    }
    uint64_t w[4];
    memcpy(w, a, 16);
    memcpy(w + 2, b, 16);
    h = mix_word(h, l->ip_version);
    for (int i = 0; i < 4; i++)
        h = mix_word(h, w[i]);
    return h;
}

/* Whether IP-in-IP layer i carries 6to4 traffic (RFC 3056: an IPv6 address in 2002::/16 on
 * either side of the datagram it carries: the next layer's outer addresses, or the
 * packet's own). */
static bool carries_6to4(const struct decoded_packet *p, size_t i)
{
    const struct encap_layer *next = i + 1 < p->n_encap ? &p->encap[i + 1] : NULL;
    if (next && !next->ip_version)
        return false; /* not IP: cannot be 6to4 */
    int v = next ? next->ip_version : p->ip_version;
    const uint8_t *src = next ? next->src : p->src, *dst = next ? next->dst : p->dst;
    return v == 6 && ((src[0] == 0x20 && src[1] == 0x02) || (dst[0] == 0x20 && dst[1] == 0x02));
}

uint64_t tunnel_key_slow(const struct decoded_packet *p)
{
    uint64_t h = 0x6a09e667f3bcc908ULL;
    bool keyed = false;
    for (size_t i = 0; i < p->n_encap; i++) {
        const struct encap_layer *l = &p->encap[i];
        uint64_t id = l->has_id ? (uint64_t)l->id + 1 : 0;
        switch (l->kind) {
        case ENCAP_VXLAN:
        case ENCAP_GENEVE:
            h = mix_outer(mix_word(h, (uint64_t)l->kind << 40 | id), l);
            break;
        case ENCAP_IP_IN_IP:
            h = carries_6to4(p, i) ? mix_word(h, l->kind) : mix_outer(mix_word(h, l->kind), l);
            break;
        case ENCAP_GRE:
        case ENCAP_ARUBA:
        case ENCAP_AYIYA:
        case ENCAP_GTPU:
            h = mix_outer(mix_word(h, l->kind), l);
            break;
        case ENCAP_PBB:
        case ENCAP_PPPOE:
            h = mix_word(h, (uint64_t)l->kind << 40 | id);
            break;
        case ENCAP_TEREDO:
            h = mix_word(h, l->kind);
            break;
        default: /* MPLS, VN-Tag, FabricPath, ERSPAN: see above */
            continue;
        }
        keyed = true;
    }
    return keyed ? h | 1 : 0;
}

/* ---- the record ----------------------------------------------------------------------------- */

bool tunnel_note(struct session *s, int dir, const struct decoded_packet *p)
{
    struct session_encap *e = s->encap;
    if (!e && !p->n_encap)
        return true; /* nothing yet, and nothing to record */
    size_t have = e ? (size_t)e->n[0] + e->n[1] : 0;
    e = realloc(e, sizeof *e + (have + p->n_encap) * sizeof e->layers[0]);
    if (!e)
        return false;
    if (!s->encap) {
        memset(e, 0, sizeof *e);
        /* The other direction's first segment came before, without layers. */
        e->seen[!dir] = s->side[!dir].packets > 0;
    }
    s->encap = e;
    e->seen[dir] = true;
    e->n[dir] = p->n_encap;
    e->first[dir] = (uint8_t)have;
    memcpy(&e->layers[have], p->encap, p->n_encap * sizeof e->layers[0]);
    return true;
}

void tunnel_free(struct session *s)
{
    free(s->encap);
    s->encap = NULL;
}
