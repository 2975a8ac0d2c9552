/* decode_lan.c — link types of older or special hardware that still carry TCP in captures
 * other tools read: FDDI, Token Ring, ATM (RFC 1483), Frame Relay, SLIP, IP over FireWire,
 * raw MPLS and PPPoE without Ethernet (decode_other_link).
 *
 * Each layout is from its entry in the tcpdump.org list of link-layer header types
 * (LINKTYPE_*) and the print-*.c of tcpdump named at each function; what rides on them is
 * handed to decode_ethertype (decode_ether.c), so VLAN tags, MPLS and PPPoE inside them decode
 * as on Ethernet. */
#include <stddef.h>
#include <stdint.h>

#include "decode_internal.h"

#define fail decode_fail

/* IEEE 802.2 LLC with SNAP (RFC 1042): DSAP 0xAA, SSAP 0xAA, control 0x03 (UI), an OUI and an
 * ethertype. Other LLC frames (spanning tree, NetBIOS, ...) carry no IP. */
static enum decode_outcome llc_snap(struct decode_ctx *ctx, struct cursor c)
{
    uint8_t snap[8];
    if (!rd_bytes(&c, snap, 8))
        return fail(ctx, DECODE_TRUNCATED, "LLC/SNAP header cut short by the capture");
    if (snap[0] != 0xAA || snap[1] != 0xAA || snap[2] != 0x03)
        return DECODE_NOT_IP;
    uint16_t type = (uint16_t)(snap[6] << 8 | snap[7]);
    return type >= 0x0600 ? decode_ethertype(ctx, c, type) : DECODE_NOT_IP;
}

/* LINKTYPE_FDDI (print-fddi.c): frame control, destination and source addresses (13 bytes),
 * then LLC. */
static enum decode_outcome fddi(struct decode_ctx *ctx, struct cursor c)
{
    if (!cursor_skip(&c, 13))
        return fail(ctx, DECODE_TRUNCATED, "FDDI header cut short by the capture");
    return llc_snap(ctx, c);
}

/* LINKTYPE_IEEE802_5, Token Ring (print-token.c): access control, frame control,
 * destination, source (14 bytes); when the source's top bit is set, a routing information
 * field whose first byte's low 5 bits give its length; then LLC. */
static enum decode_outcome token_ring(struct decode_ctx *ctx, struct cursor c)
{
    uint8_t h[14];
    if (!rd_bytes(&c, h, 14))
        return fail(ctx, DECODE_TRUNCATED, "Token Ring header cut short by the capture");
    if (h[8] & 0x80) {
        if (!cursor_has(&c, 1) || !cursor_skip(&c, cursor_ptr(&c)[0] & 0x1f))
            return fail(ctx, DECODE_TRUNCATED, "Token Ring routing information cut short by the capture");
    }
    return llc_snap(ctx, c);
}

/* LINKTYPE_FRELAY (RFC 2427; print-fr.c): a Q.922 address of 2 to 4 bytes, the last with
 * its EA bit (0x01) set; then either the control byte 0x03, an optional pad 0x00 and an
 * NLPID (0xCC IPv4, 0x8E IPv6, 0x80 SNAP: OUI and ethertype), or, as Cisco routers frame
 * it, an ethertype. */
static enum decode_outcome frame_relay(struct decode_ctx *ctx, struct cursor c)
{
    uint8_t b = 0, nlpid = 0;
    for (int n = 0; !(b & 1); n++) {
        if (n == 4)
            return fail(ctx, DECODE_MALFORMED, "Frame Relay address longer than 4 bytes");
        if (!rd_u8(&c, &b))
            return fail(ctx, DECODE_TRUNCATED, "Frame Relay header cut short by the capture");
    }
    if (!cursor_has(&c, 2))
        return fail(ctx, DECODE_TRUNCATED, "Frame Relay header cut short by the capture");
    if (cursor_ptr(&c)[0] != 0x03) {
        uint16_t type;
        rd_be16(&c, &type);
        return decode_ethertype(ctx, c, type);
    }
    cursor_skip(&c, 1);
    if (!rd_u8(&c, &nlpid) || (nlpid == 0 && !rd_u8(&c, &nlpid)))
        return fail(ctx, DECODE_TRUNCATED, "Frame Relay header cut short by the capture");
    uint8_t snap[5];
    switch (nlpid) {
    case 0xCC: return decode_ip(ctx, c, 4);
    case 0x8E: return decode_ip(ctx, c, 6);
    case 0x80:
        if (!rd_bytes(&c, snap, 5))
            return fail(ctx, DECODE_TRUNCATED, "Frame Relay SNAP header cut short by the capture");
        return decode_ethertype(ctx, c, (uint16_t)(snap[3] << 8 | snap[4]));
    default:
        return DECODE_NOT_IP; /* Q.933 signalling, CLNP, ... */
    }
}

enum decode_outcome decode_other_link(struct decode_ctx *ctx, struct cursor c, int linktype)
{
    uint16_t type;
    switch (linktype) {
    case LINK_FDDI: return fddi(ctx, c);
    case LINK_TOKEN_RING: return token_ring(ctx, c);
    case LINK_FRELAY: return frame_relay(ctx, c);
    case LINK_ATM_RFC1483: /* RFC 1483 LLC encapsulation (print-atm.c atm_if_print) */
        return llc_snap(ctx, c);
    case LINK_SLIP: /* libpcap's 16-byte SLIP pseudo-header (direction, compression) */
        if (!cursor_skip(&c, 16))
            return fail(ctx, DECODE_TRUNCATED, "SLIP header cut short by the capture");
        return decode_ip(ctx, c, 0);
    case LINK_APPLE_IP_OVER_1394: /* RFC 2734: destination and source EUI-64, ethertype */
        if (!cursor_skip(&c, 16) || !rd_be16(&c, &type))
            return fail(ctx, DECODE_TRUNCATED, "FireWire header cut short by the capture");
        return decode_ethertype(ctx, c, type);
    case LINK_MPLS: /* LINKTYPE_MPLS: the frame starts with the label stack */
        return decode_ethertype(ctx, c, ETHERTYPE_MPLS);
    case LINK_PPP_ETHER: /* LINKTYPE_PPP_ETHER: a PPPoE header (RFC 2516) without Ethernet;
                            discovery frames (code other than 0) carry no IP */
        if (cursor_has(&c, 2) && cursor_ptr(&c)[1] != 0)
            return DECODE_NOT_IP;
        return decode_ethertype(ctx, c, ETHERTYPE_PPPOE_SESSION);
    default:
        return fail(ctx, DECODE_MALFORMED, "unsupported link type");
    }
}
