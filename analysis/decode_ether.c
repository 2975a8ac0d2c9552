/* decode_ether.c — Ethernet and what rides on it before IP: VLAN tags, MPLS label stacks,
 * 802.1ah PBB, PPPoE sessions, VN-Tag and Cisco FabricPath, in any order the frame has them.
 *
 * decode_ethertype() is also where GRE, Cisco HDLC and MPLS pseudowires land, so a label
 * stack inside a VLAN tag, or a VLAN tag inside a PBB frame, decode like the plain ones. */
#include "decode_internal.h"

#define fail decode_fail

enum { MAX_VLAN_TAGS = 8, MAX_MPLS_LABELS = 16 };

/* decode_push refused a layer past ENCAP_MAX_DEPTH and has set the reason. */
static enum decode_outcome too_deep(void) { return DECODE_MALFORMED; }

/* Whether the 16 bits at off from the cursor are an ethertype an Ethernet pseudowire would
 * carry (IP, ARP, VLAN, MPLS, PPPoE). */
static bool known_ethertype(const struct cursor *c, size_t off)
{
    if (!cursor_has(c, off + 2))
        return false;
    const uint8_t *p = cursor_ptr(c) + off;
    switch (p[0] << 8 | p[1]) {
    case ETHERTYPE_IPV4: case ETHERTYPE_IPV6: case 0x0806: case ETHERTYPE_VLAN: case ETHERTYPE_QINQ:
    case ETHERTYPE_MPLS: case ETHERTYPE_PPPOE_SESSION:
        return true;
    default:
        return false;
    }
}

/* An MPLS label stack (RFC 3032 section 2.1: label 20 bits, TC 3, bottom of stack 1, TTL 8)
 * and what follows it: IPv4 or IPv6 by the first nibble; or, when that nibble is 0, an
 * Ethernet pseudowire (RFC 4448), with the control word of RFC 4385 section 3 or without it
 * (both are allowed; Wireshark assumes none): the reading that finds a known ethertype at
 * its offset 12 wins, and with neither the frame is taken as the control word's. */
static enum decode_outcome mpls(struct decode_ctx *ctx, struct cursor c)
{
    struct encap_layer *l = decode_push(ctx, ENCAP_MPLS);
    if (!l)
        return too_deep();
    for (unsigned n = 0;; n++) {
        uint32_t e;
        if (n == MAX_MPLS_LABELS)
            return fail(ctx, DECODE_MALFORMED, "MPLS label stack deeper than 16 labels");
        if (!rd_be32(&c, &e))
            return fail(ctx, DECODE_TRUNCATED, "MPLS label stack cut short by the capture");
        if (n < ENCAP_MAX_LABELS)
            l->labels[n] = e >> 12;
        l->n_labels = (uint8_t)(n + 1);
        if (e & 0x100)
            break;
    }
    l->has_id = true;
    l->id = l->labels[0];
    if (!cursor_has(&c, 1))
        return fail(ctx, DECODE_TRUNCATED, "MPLS payload cut short by the capture");
    switch (cursor_ptr(&c)[0] >> 4) {
    case 4: return decode_ip(ctx, c, 4);
    case 6: return decode_ip(ctx, c, 6);
    case 0:
        if (known_ethertype(&c, 12) && !known_ethertype(&c, 16))
            return decode_ethernet(ctx, c);
        if (!cursor_skip(&c, 4))
            return fail(ctx, DECODE_TRUNCATED, "MPLS pseudowire control word cut short by the capture");
        return decode_ethernet(ctx, c);
    default:
        return DECODE_NOT_IP;
    }
}

/* A PPPoE session frame (RFC 2516 section 4: version and type 0x11, code 0, session id,
 * length of the PPP frame), then PPP. */
static enum decode_outcome pppoe(struct decode_ctx *ctx, struct cursor c)
{
    uint8_t vt, code;
    uint16_t sid, len;
    if (!rd_u8(&c, &vt) || !rd_u8(&c, &code) || !rd_be16(&c, &sid) || !rd_be16(&c, &len))
        return fail(ctx, DECODE_TRUNCATED, "PPPoE header cut short by the capture");
    if (vt != 0x11 || code != 0)
        return fail(ctx, DECODE_MALFORMED, "PPPoE session header with a wrong version, type or code");
    struct encap_layer *l = decode_push(ctx, ENCAP_PPPOE);
    if (!l)
        return too_deep();
    l->has_id = true;
    l->id = sid;
    decode_limit(ctx, &c, len);
    return decode_ppp(ctx, c);
}

enum decode_outcome decode_ethertype(struct decode_ctx *ctx, struct cursor c, uint16_t type)
{
    struct encap_layer *l;
    uint32_t tag;
    for (int tags = 0;;) {
        switch (type) {
        case ETHERTYPE_IPV4: return decode_ip(ctx, c, 4);
        case ETHERTYPE_IPV6: return decode_ip(ctx, c, 6);
        case ETHERTYPE_VLAN: case ETHERTYPE_QINQ: case ETHERTYPE_QINQ_OLD: /* IEEE 802.1Q */
            if (++tags > MAX_VLAN_TAGS)
                return fail(ctx, DECODE_MALFORMED, "too many VLAN tags");
            if (!cursor_skip(&c, 2) || !rd_be16(&c, &type))
                return fail(ctx, DECODE_TRUNCATED, "VLAN tag cut short by the capture");
            break;
        case ETHERTYPE_MPLS: case ETHERTYPE_MPLS_MC:
            return mpls(ctx, c);
        case ETHERTYPE_PPPOE_SESSION:
            return pppoe(ctx, c);
        case ETHERTYPE_PBB: /* IEEE 802.1ah I-TAG: PCP, DEI, UCA, 3 reserved bits, I-SID (24);
                               then the customer's destination and source addresses */
            if (!rd_be32(&c, &tag) || !cursor_skip(&c, 12) || !rd_be16(&c, &type))
                return fail(ctx, DECODE_TRUNCATED, "PBB header cut short by the capture");
            if (!(l = decode_push(ctx, ENCAP_PBB)))
                return too_deep();
            l->has_id = true;
            l->id = tag & 0xffffff;
            break;
        case ETHERTYPE_VNTAG: /* Cisco VN-Tag: 4 bytes (direction, pointer, destination and
                                 source virtual interfaces), then the ethertype */
            if (!rd_be32(&c, &tag) || !rd_be16(&c, &type))
                return fail(ctx, DECODE_TRUNCATED, "VN-Tag cut short by the capture");
            if (!(l = decode_push(ctx, ENCAP_VNTAG)))
                return too_deep();
            l->has_id = true;
            l->id = tag;
            break;
        default:
            if (type >= 0x0600)
                return DECODE_NOT_IP; /* ARP, LLDP, ... */
            /* An 802.3 length: only LLC/SNAP (aa aa 03, an OUI, an ethertype) carries IP. */
            uint8_t snap[8];
            if (!rd_bytes(&c, snap, 8) || snap[0] != 0xAA || snap[1] != 0xAA || snap[2] != 0x03)
                return DECODE_NOT_IP;
            type = (uint16_t)(snap[6] << 8 | snap[7]);
            if (type < 0x0600)
                return DECODE_NOT_IP;
            break;
        }
    }
}

/* Ethernet II (destination, source, ethertype). A Cisco FabricPath frame (ethertype 0x8903;
 * Zeek's Ethernet analyzer, Wireshark's packet-cisco-fp-mim.c) has 16 bytes in front of the
 * classic frame: outer destination and source, 0x8903, FTag (10 bits) and TTL (6 bits). */
enum decode_outcome decode_ethernet(struct decode_ctx *ctx, struct cursor c)
{
    uint16_t type, ftag_ttl;
    if (!cursor_skip(&c, 12) || !rd_be16(&c, &type))
        return fail(ctx, DECODE_TRUNCATED, "Ethernet header cut short by the capture");
    if (type == ETHERTYPE_FABRICPATH) {
        if (!rd_be16(&c, &ftag_ttl) || !cursor_skip(&c, 12) || !rd_be16(&c, &type))
            return fail(ctx, DECODE_TRUNCATED, "FabricPath header cut short by the capture");
        struct encap_layer *l = decode_push(ctx, ENCAP_FABRICPATH);
        if (!l)
            return too_deep();
        l->has_id = true;
        l->id = ftag_ttl >> 6;
    }
    return decode_ethertype(ctx, c, type);
}
