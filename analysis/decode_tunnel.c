/* decode_tunnel.c — tunnels over IP: GRE (with ERSPAN and Aruba's encapsulation), IP-in-IP,
 * and the UDP tunnels VXLAN, Geneve, Teredo, AYIYA and GTP-U.
 *
 * Each tunnel appends a layer to the packet's encapsulation path with the outer addresses
 * (and UDP ports, and the VNI, TEID or key where there is one), clears the addresses and
 * decodes what it carries from the start: IP, or an Ethernet or 802.11 frame. Nesting stops
 * at ENCAP_MAX_DEPTH layers (decode.h). UDP tunnels are found by their IANA port, as
 * Wireshark and Zeek find them: the destination port first, then the source port; Teredo
 * also by its payload, as Zeek finds it (looks_like_teredo). */
#include <stdint.h>
#include <string.h>

#include "decode_internal.h"

#define fail decode_fail

enum {
    PORT_VXLAN = 4789, PORT_GENEVE = 6081, PORT_TEREDO = 3544, PORT_AYIYA = 5072, PORT_GTPU = 2152,
    GRE_PROTO_ERSPAN_2 = 0x88BE, GRE_PROTO_ERSPAN_3 = 0x22EB,
    GRE_C = 0x8000, GRE_R = 0x4000, GRE_K = 0x2000, GRE_S = 0x1000, GRE_A = 0x0080,
};

/* Appends a tunnel layer holding the outer datagram's addresses, and clears them for the
 * inner one. NULL past the depth limit (the reason is set). */
static struct encap_layer *push_outer(struct decode_ctx *ctx, enum encap_kind kind)
{
    struct decoded_packet *out = ctx->out;
    struct encap_layer *l = decode_push(ctx, kind);
    if (!l)
        return NULL;
    l->ip_version = out->ip_version;
    memcpy(l->src, out->src, 16);
    memcpy(l->dst, out->dst, 16);
    memset(out->src, 0, 16);
    memset(out->dst, 0, 16);
    out->ip_version = 0;
    return l;
}

/* IPv4 or IPv6 by the first nibble, for tunnels that do not say which. */
static enum decode_outcome inner_ip(struct decode_ctx *ctx, struct cursor c)
{
    if (!cursor_has(&c, 1))
        return fail(ctx, DECODE_TRUNCATED, "tunnelled IP header cut short by the capture");
    int v = cursor_ptr(&c)[0] >> 4;
    return v == 4 || v == 6 ? decode_ip(ctx, c, v) : DECODE_NOT_IP;
}

/* ---- GRE --------------------------------------------------------------------------------- */

/* ERSPAN (draft-foschiano-erspan-03): type I has no header of its own (GRE without a
 * sequence number); type II an 8-byte header (version 1, VLAN, COS, encapsulation, T,
 * session id of 10 bits, index); type III a 12-byte one (version 2, ..., session id, a
 * timestamp, SGT, P, frame type, hardware id, D, granularity, O) and 8 more bytes when O. */
static enum decode_outcome erspan(struct decode_ctx *ctx, struct cursor c, uint16_t proto, uint16_t flags,
                                  struct encap_layer *l)
{
    uint8_t h[12];
    l->kind = ENCAP_ERSPAN;
    if (proto == GRE_PROTO_ERSPAN_2 && !(flags & GRE_S))
        return decode_ethernet(ctx, c); /* type I */
    size_t hl = proto == GRE_PROTO_ERSPAN_2 ? 8 : 12;
    if (!rd_bytes(&c, h, hl))
        return fail(ctx, DECODE_TRUNCATED, "ERSPAN header cut short by the capture");
    if ((h[0] >> 4) != (proto == GRE_PROTO_ERSPAN_2 ? 1 : 2))
        return fail(ctx, DECODE_MALFORMED, "ERSPAN version does not match the GRE protocol type");
    l->has_id = true;
    l->id = (uint32_t)(h[2] & 0x03) << 8 | h[3];
    if (hl == 8)
        return decode_ethernet(ctx, c);
    unsigned frame_type = (h[10] >> 2) & 0x1f;
    if ((h[11] & 1) && !cursor_skip(&c, 8)) /* the platform-specific subheader */
        return fail(ctx, DECODE_TRUNCATED, "ERSPAN header cut short by the capture");
    decode_limit(ctx, &c, SIZE_MAX);
    return frame_type == 0 ? decode_ethernet(ctx, c) : frame_type == 2 ? inner_ip(ctx, c) : DECODE_NOT_IP;
}

/* RFC 1701 source routing entries: address family (2), SRE offset (1), SRE length (1) and
 * the routing information; the list ends with family 0 and length 0. */
static bool skip_source_route(struct cursor *c)
{
    for (int n = 0; n < 64; n++) {
        uint16_t af;
        uint8_t off, len;
        if (!rd_be16(c, &af) || !rd_u8(c, &off) || !rd_u8(c, &len) || !cursor_skip(c, len))
            return false;
        if (af == 0 && len == 0)
            return true;
    }
    return false;
}

/* GRE (RFC 2784 with the key and sequence number of RFC 2890; RFC 1701's routing; version 1
 * as PPTP uses it, RFC 2637 4.1: key field holding payload length and call id, optional
 * acknowledgment number), then what the protocol type names. */
static enum decode_outcome gre(struct decode_ctx *ctx, struct cursor c)
{
    uint16_t flags, proto, call_id = 0;
    uint32_t key = 0;
    if (!rd_be16(&c, &flags) || !rd_be16(&c, &proto))
        return fail(ctx, DECODE_TRUNCATED, "GRE header cut short by the capture");
    unsigned version = flags & 7;
    bool ok = true;
    if (version == 0) {
        if (flags & (GRE_C | GRE_R))
            ok = cursor_skip(&c, 4); /* checksum and offset */
        if (flags & GRE_K)
            ok = ok && rd_be32(&c, &key);
        if (flags & GRE_S)
            ok = ok && cursor_skip(&c, 4);
        if (flags & GRE_R)
            ok = ok && skip_source_route(&c);
    } else if (version == 1) {
        if (!(flags & GRE_K) || proto != ETHERTYPE_PPP)
            return DECODE_NOT_IP;
        ok = cursor_skip(&c, 2) && rd_be16(&c, &call_id);
        key = call_id;
        if (flags & GRE_S)
            ok = ok && cursor_skip(&c, 4);
        if (flags & GRE_A)
            ok = ok && cursor_skip(&c, 4);
    } else {
        return DECODE_NOT_IP;
    }
    if (!ok)
        return fail(ctx, DECODE_TRUNCATED, "GRE header cut short by the capture");
    struct encap_layer *l = push_outer(ctx, ENCAP_GRE);
    if (!l)
        return DECODE_MALFORMED;
    l->has_id = (flags & GRE_K) != 0;
    l->id = key;
    decode_limit(ctx, &c, SIZE_MAX);
    switch (proto) {
    case ETHERTYPE_TEB:
        return decode_ethernet(ctx, c);
    case ETHERTYPE_PPP: /* PPTP: PPP in HDLC-like framing, address and control optional */
        if (cursor_has(&c, 2) && cursor_ptr(&c)[0] == 0xff && cursor_ptr(&c)[1] == 0x03)
            cursor_skip(&c, 2);
        return decode_ppp(ctx, c);
    case GRE_PROTO_ERSPAN_2: case GRE_PROTO_ERSPAN_3:
        return erspan(ctx, c, proto, flags, l);
    default:
        /* Aruba's access points send 802.11 frames to their controller in GRE with protocol
         * types 0x8200 to 0x8320 (Wireshark's packet-gre.h, Zeek's GRE analyzer). */
        if (proto >= 0x8200 && proto <= 0x8320 && (proto & 0xf) == 0) {
            l->kind = ENCAP_ARUBA;
            return decode_ieee80211(ctx, c, false);
        }
        return decode_ethertype(ctx, c, proto);
    }
}

/* ---- UDP tunnels ------------------------------------------------------------------------- */

/* VXLAN (RFC 7348 section 5): flags (I = 0x08), 24 reserved bits, VNI (24), 8 reserved bits;
 * then an Ethernet frame. */
static enum decode_outcome vxlan(struct decode_ctx *ctx, struct cursor c, struct encap_layer *l)
{
    uint32_t w0, w1;
    if (!rd_be32(&c, &w0) || !rd_be32(&c, &w1))
        return fail(ctx, DECODE_TRUNCATED, "VXLAN header cut short by the capture");
    l->has_id = (w0 & 0x08000000) != 0;
    l->id = w1 >> 8;
    decode_limit(ctx, &c, SIZE_MAX);
    return decode_ethernet(ctx, c);
}

/* Geneve (RFC 8926 section 3.4): version (2 bits, 0), options length (6 bits, in 4-byte
 * words), O, C, 6 reserved bits, protocol type, VNI (24), reserved; options; payload. */
static enum decode_outcome geneve(struct decode_ctx *ctx, struct cursor c, struct encap_layer *l)
{
    uint8_t h[8];
    if (!rd_bytes(&c, h, 8))
        return fail(ctx, DECODE_TRUNCATED, "Geneve header cut short by the capture");
    if (h[0] >> 6)
        return fail(ctx, DECODE_MALFORMED, "Geneve version is not 0");
    if (!cursor_skip(&c, (size_t)(h[0] & 0x3f) * 4))
        return fail(ctx, DECODE_TRUNCATED, "Geneve options cut short by the capture");
    l->has_id = true;
    l->id = (uint32_t)h[4] << 16 | (uint32_t)h[5] << 8 | h[6];
    decode_limit(ctx, &c, SIZE_MAX);
    uint16_t proto = (uint16_t)(h[2] << 8 | h[3]);
    return proto == ETHERTYPE_TEB ? decode_ethernet(ctx, c) : decode_ethertype(ctx, c, proto);
}

/* Teredo (RFC 4380 section 5.1.1): an optional authentication indicator (00 01, id length,
 * authentication length, client id, value, 8-byte nonce, confirmation byte) and an optional
 * origin indication (00 00, port, address: 8 bytes), then IPv6. */
static enum decode_outcome teredo(struct decode_ctx *ctx, struct cursor c)
{
    for (int n = 0; n < 2 && cursor_has(&c, 1) && cursor_ptr(&c)[0] == 0; n++) {
        if (!cursor_has(&c, 2))
            return fail(ctx, DECODE_TRUNCATED, "Teredo indicator cut short by the capture");
        const uint8_t *p = cursor_ptr(&c);
        bool ok;
        if (p[1] == 1)
            ok = cursor_has(&c, 4) && cursor_skip(&c, 4 + (size_t)p[2] + p[3] + 9);
        else if (p[1] == 0)
            ok = cursor_skip(&c, 8);
        else
            return DECODE_NOT_TCP;
        if (!ok)
            return fail(ctx, DECODE_TRUNCATED, "Teredo indicator cut short by the capture");
    }
    decode_limit(ctx, &c, SIZE_MAX);
    if (!cursor_has(&c, 1))
        return fail(ctx, DECODE_TRUNCATED, "Teredo payload cut short by the capture");
    return cursor_ptr(&c)[0] >> 4 == 6 ? decode_ip(ctx, c, 6) : DECODE_NOT_TCP;
}

/* AYIYA (draft-massar-v6ops-ayiya-02 section 5): identity length (4 bits, 2^n bytes) and
 * type, signature length (4 bits, in 4-byte words) and hash method, authentication method
 * and opcode (1: forward), next header, epoch time; then identity and signature. */
static enum decode_outcome ayiya(struct decode_ctx *ctx, struct cursor c)
{
    uint8_t h[8];
    if (!rd_bytes(&c, h, 8))
        return fail(ctx, DECODE_TRUNCATED, "AYIYA header cut short by the capture");
    if ((h[2] & 0x0f) != 1 || (h[3] != IPPROTO_IPIP_ && h[3] != IPPROTO_IPV6_))
        return DECODE_NOT_TCP; /* a heartbeat, or not a datagram we decode */
    if (!cursor_skip(&c, ((size_t)1 << (h[0] >> 4)) + (size_t)(h[1] >> 4) * 4))
        return fail(ctx, DECODE_TRUNCATED, "AYIYA header cut short by the capture");
    decode_limit(ctx, &c, SIZE_MAX);
    return decode_ip(ctx, c, h[3] == IPPROTO_IPIP_ ? 4 : 6);
}

/* GTP-U (3GPP TS 29.281 section 5.1): flags (version 1, PT 1, E, S, PN), message type (255:
 * G-PDU), length (of what follows the first 8 bytes), TEID; 4 more bytes when E, S or PN
 * (sequence number, N-PDU number, next extension header type); extension headers of a length
 * byte in 4-byte units, ending with the next type (5.2). */
static enum decode_outcome gtpu(struct decode_ctx *ctx, struct cursor c, struct encap_layer *l)
{
    uint8_t flags, type, next = 0;
    uint16_t len;
    if (!rd_u8(&c, &flags) || !rd_u8(&c, &type) || !rd_be16(&c, &len) || !rd_be32(&c, &l->id))
        return fail(ctx, DECODE_TRUNCATED, "GTP-U header cut short by the capture");
    if ((flags >> 5) != 1 || !(flags & 0x10))
        return fail(ctx, DECODE_MALFORMED, "GTP header of a version other than GTPv1-U");
    if (type != 0xff)
        return DECODE_NOT_TCP; /* echo, error indication, end marker, ... */
    l->has_id = true;
    decode_limit(ctx, &c, len);
    if (flags & 0x07) {
        if (!cursor_skip(&c, 3) || !rd_u8(&c, &next))
            return fail(ctx, DECODE_TRUNCATED, "GTP-U header cut short by the capture");
    }
    for (int n = 0; next != 0; n++) {
        uint8_t units;
        if (n == 16)
            return fail(ctx, DECODE_MALFORMED, "more than 16 GTP-U extension headers");
        if (!rd_u8(&c, &units))
            return fail(ctx, DECODE_TRUNCATED, "GTP-U extension header cut short by the capture");
        if (units == 0)
            return fail(ctx, DECODE_MALFORMED, "GTP-U extension header of length 0");
        if (!cursor_skip(&c, (size_t)units * 4 - 2) || !rd_u8(&c, &next))
            return fail(ctx, DECODE_TRUNCATED, "GTP-U extension header cut short by the capture");
    }
    decode_limit(ctx, &c, SIZE_MAX);
    return inner_ip(ctx, c);
}

/* Teredo on a port other than 3544: a relay talks to its clients from any port (RFC 4380
 * 5.2; Zeek's trace tunnels/Teredo.pcap has a connection through 83.170.1.38:32900). As
 * Zeek's TeredoAnalyzer::DetectProtocol does, the payload must be an IPv6 header, after the
 * optional authentication and origin indicators, with a Teredo address (2001:0::/32) on
 * either side; and, stricter than Zeek, its payload length must fill the UDP datagram
 * exactly, so that a UDP payload that merely starts with 0x6 is not taken for one. */
static bool looks_like_teredo(struct cursor c)
{
    for (int n = 0; n < 2 && cursor_has(&c, 2) && cursor_ptr(&c)[0] == 0; n++) {
        const uint8_t *p = cursor_ptr(&c);
        if (p[1] == 1) {
            if (!cursor_has(&c, 4) || !cursor_skip(&c, 4 + (size_t)p[2] + p[3] + 9))
                return false;
        } else if (p[1] != 0 || !cursor_skip(&c, 8)) {
            return false;
        }
    }
    static const uint8_t prefix[4] = {0x20, 0x01, 0x00, 0x00};
    const uint8_t *h = cursor_ptr(&c);
    return cursor_has(&c, 40) && h[0] >> 4 == 6 && 40 + (size_t)(h[4] << 8 | h[5]) == cursor_left(&c) &&
           (memcmp(h + 8, prefix, 4) == 0 || memcmp(h + 24, prefix, 4) == 0);
}

static enum encap_kind udp_tunnel_for(uint16_t port)
{
    switch (port) {
    case PORT_VXLAN: return ENCAP_VXLAN;
    case PORT_GENEVE: return ENCAP_GENEVE;
    case PORT_TEREDO: return ENCAP_TEREDO;
    case PORT_AYIYA: return ENCAP_AYIYA;
    case PORT_GTPU: return ENCAP_GTPU;
    default: return ENCAP_NONE;
    }
}

/* UDP (RFC 768): ports, length (header included; 0 in an IPv6 jumbogram), checksum. */
static enum decode_outcome udp(struct decode_ctx *ctx, struct cursor c)
{
    uint16_t sport, dport, len;
    if (!rd_be16(&c, &sport) || !rd_be16(&c, &dport))
        return DECODE_NOT_TCP; /* too short to tell a tunnel: like any other UDP */
    enum encap_kind kind = udp_tunnel_for(dport);
    if (kind == ENCAP_NONE)
        kind = udp_tunnel_for(sport);
    if (kind == ENCAP_NONE) {
        /* Only a whole datagram, length as declared, can be told for Teredo. */
        if (!rd_be16(&c, &len) || !cursor_skip(&c, 2) || len < 8 || cursor_left(&c) != (size_t)len - 8 ||
            !looks_like_teredo(c))
            return DECODE_NOT_TCP;
        kind = ENCAP_TEREDO;
    } else if (!rd_be16(&c, &len) || !cursor_skip(&c, 2)) {
        return fail(ctx, DECODE_TRUNCATED, "UDP header cut short by the capture");
    }
    if (len != 0 && len < 8)
        return fail(ctx, DECODE_MALFORMED, "UDP length below 8");
    struct encap_layer *l = push_outer(ctx, kind);
    if (!l)
        return DECODE_MALFORMED;
    l->sport = sport;
    l->dport = dport;
    decode_limit(ctx, &c, len ? (size_t)len - 8 : SIZE_MAX);
    switch (kind) {
    case ENCAP_VXLAN: return vxlan(ctx, c, l);
    case ENCAP_GENEVE: return geneve(ctx, c, l);
    case ENCAP_TEREDO: return teredo(ctx, c);
    case ENCAP_AYIYA: return ayiya(ctx, c);
    default: return gtpu(ctx, c, l);
    }
}

enum decode_outcome decode_ip_payload(struct decode_ctx *ctx, struct cursor c, uint8_t proto, size_t payload_len)
{
    if (proto != IPPROTO_IPIP_ && proto != IPPROTO_IPV6_ && proto != IPPROTO_GRE_ && proto != IPPROTO_UDP_)
        return DECODE_NOT_TCP;
    /* A tunnel in the first fragment of a datagram: the rest of what it carries is in the
     * next fragments, which are not reassembled (counted like them). */
    if (ctx->fragment)
        return DECODE_FRAGMENT;
    decode_limit(ctx, &c, payload_len);
    if (proto == IPPROTO_GRE_)
        return gre(ctx, c);
    if (proto == IPPROTO_UDP_)
        return udp(ctx, c);
    /* IP in IP (RFC 2003; RFC 4213 3.5 for IPv6 in IPv4): the inner header follows. */
    if (!push_outer(ctx, ENCAP_IP_IN_IP))
        return DECODE_MALFORMED;
    return decode_ip(ctx, c, proto == IPPROTO_IPIP_ ? 4 : 6);
}
