/* decode_link.c — the link-layer headers in front of IP, one small function per link type.
 *
 * Each layout is from its public definition: the tcpdump.org list of link-layer header types
 * (LINKTYPE_*), libpcap's headers (pcap/nflog.h, pcap/ipnet.h), and the RFCs named at each function.
 * Ethernet is in decode_ether.c and 802.11 with its radio headers in decode_wlan.c. */
#include <stddef.h>
#include <stdint.h>

#include "decode_internal.h"

#define fail decode_fail

/* Address families in loopback and log headers: 2 is AF_INET everywhere; AF_INET6 is 10 on
 * Linux, 24 on NetBSD/OpenBSD, 26 on Solaris, 28 on FreeBSD and 30 on macOS (tcpdump's af.h). */
int decode_version_for_af(uint32_t af)
{
    switch (af) {
    case 2: return 4;
    case 10: case 24: case 26: case 28: case 30: return 6;
    default: return 0;
    }
}

int decode_version_for_ethertype(uint16_t type)
{
    return type == ETHERTYPE_IPV4 ? 4 : type == ETHERTYPE_IPV6 ? 6 : 0;
}

/* An address family written in the capturing host's byte order, which the file does not
 * tell: read as little-endian, and swapped when that cannot be a family. */
static uint32_t host_order_af(uint32_t af_le)
{
    return af_le > 0xffff ? __builtin_bswap32(af_le) : af_le;
}

static enum decode_outcome ip_by_version(struct decode_ctx *ctx, struct cursor c, int version)
{
    return version ? decode_ip(ctx, c, version) : DECODE_NOT_IP;
}

bool decode_link_supported(int linktype)
{
    switch (linktype) {
    case LINK_NULL: case LINK_ETHERNET: case LINK_RAW: case LINK_RAW_BSD: case LINK_RAW_LINKTYPE:
    case LINK_LOOP: case LINK_LINUX_SLL: case LINK_IPV4: case LINK_IPV6: case LINK_LINUX_SLL2:
    case LINK_PPP: case LINK_PPP_HDLC: case LINK_C_HDLC: case LINK_IEEE802_11: case LINK_ENC:
    case LINK_PFLOG: case LINK_PRISM: case LINK_RADIOTAP: case LINK_PKTAP_APPLE: case LINK_PPI:
    case LINK_IPNET: case LINK_NFLOG: case LINK_PKTAP:
    case LINK_TOKEN_RING: case LINK_SLIP: case LINK_FDDI: case LINK_ATM_RFC1483: case LINK_PPP_ETHER:
    case LINK_FRELAY: case LINK_APPLE_IP_OVER_1394: case LINK_MPLS:
        return true;
    default:
        return false;
    }
}

/* ---- PPP and HDLC ---------------------------------------------------------------------- */

enum decode_outcome decode_ppp_protocol(struct decode_ctx *ctx, struct cursor c, uint16_t proto)
{
    switch (proto) {
    case PPP_IPV4: return decode_ip(ctx, c, 4);
    case PPP_IPV6: return decode_ip(ctx, c, 6);
    case PPP_MPLS: return decode_ethertype(ctx, c, ETHERTYPE_MPLS);
    default: return DECODE_NOT_IP; /* LCP, IPCP, CHAP, ... */
    }
}

/* A PPP protocol field (RFC 1661 section 2): two bytes, or one when compressed (Protocol
 * Field Compression: the first byte is odd). */
enum decode_outcome decode_ppp(struct decode_ctx *ctx, struct cursor c)
{
    uint8_t b0, b1;
    if (!rd_u8(&c, &b0))
        return fail(ctx, DECODE_TRUNCATED, "PPP header cut short by the capture");
    if (b0 & 1)
        return decode_ppp_protocol(ctx, c, b0);
    if (!rd_u8(&c, &b1))
        return fail(ctx, DECODE_TRUNCATED, "PPP header cut short by the capture");
    return decode_ppp_protocol(ctx, c, (uint16_t)(b0 << 8 | b1));
}

/* DLT_PPP: the PPP header, after the HDLC-like address and control bytes ff 03 when present
 * (RFC 1662 section 3.1; both forms are seen under this link type). */
static enum decode_outcome link_ppp(struct decode_ctx *ctx, struct cursor c)
{
    if (!cursor_has(&c, 2)) /* no frame that carries IP is shorter */
        return fail(ctx, DECODE_TRUNCATED, "PPP header cut short by the capture");
    if (cursor_ptr(&c)[0] == 0xff && cursor_ptr(&c)[1] == 0x03)
        cursor_skip(&c, 2);
    return decode_ppp(ctx, c);
}

/* Cisco HDLC: address (0x0f unicast, 0x8f broadcast), control 0, a 2-byte ethertype. */
static enum decode_outcome cisco_hdlc(struct decode_ctx *ctx, struct cursor c)
{
    uint16_t type;
    if (!cursor_skip(&c, 2) || !rd_be16(&c, &type))
        return fail(ctx, DECODE_TRUNCATED, "Cisco HDLC header cut short by the capture");
    return decode_ethertype(ctx, c, type);
}

/* DLT_PPP_SERIAL (50): PPP in HDLC-like framing (RFC 1662), first byte 0xff; or Cisco PPP
 * with HDLC framing (RFC 1547 4.3.1), first byte 0x0f or 0x8f. */
static enum decode_outcome link_ppp_hdlc(struct decode_ctx *ctx, struct cursor c)
{
    uint8_t addr;
    if (!cursor_has(&c, 1))
        return fail(ctx, DECODE_TRUNCATED, "PPP header cut short by the capture");
    addr = cursor_ptr(&c)[0];
    if (addr == 0x0f || addr == 0x8f)
        return cisco_hdlc(ctx, c);
    if (!cursor_skip(&c, 2))
        return fail(ctx, DECODE_TRUNCATED, "PPP header cut short by the capture");
    return decode_ppp(ctx, c);
}

/* ---- logging and capture-metadata headers ------------------------------------------------- */

/* OpenBSD enc(4): struct enchdr { u_int32_t af, spi, flags; } with af and flags in host byte
 * order, then the IP datagram. */
static enum decode_outcome link_enc(struct decode_ctx *ctx, struct cursor c)
{
    uint32_t af;
    if (!rd_le32(&c, &af) || !cursor_skip(&c, 8))
        return fail(ctx, DECODE_TRUNCATED, "enc header cut short by the capture");
    return ip_by_version(ctx, c, decode_version_for_af(host_order_af(af)));
}

/* OpenBSD pflog(4): struct pfloghdr starts with its length (u_int8_t, without padding) and
 * the address family (u_int8_t); the datagram follows at the length rounded up to 4
 * (BPF_WORDALIGN, as tcpdump's print-pflog.c does). 45 bytes is the shortest header ever
 * written (tcpdump's MIN_PFLOG_HDRLEN). */
static enum decode_outcome link_pflog(struct decode_ctx *ctx, struct cursor c)
{
    uint8_t len, af;
    if (!rd_u8(&c, &len) || !rd_u8(&c, &af))
        return fail(ctx, DECODE_TRUNCATED, "pflog header cut short by the capture");
    if (len < 45)
        return fail(ctx, DECODE_MALFORMED, "pflog header length below 45");
    c.pos = 0;
    if (!cursor_skip(&c, ((size_t)len + 3) & ~(size_t)3))
        return fail(ctx, DECODE_TRUNCATED, "pflog header cut short by the capture");
    return ip_by_version(ctx, c, decode_version_for_af(af));
}

/* Solaris ipnet (libpcap's pcap/ipnet.h): dli_version (1), dli_family (2 or 26), then
 * htype, pktlen, ifindex, grifindex, zsrc, zdst: 24 bytes. */
static enum decode_outcome link_ipnet(struct decode_ctx *ctx, struct cursor c)
{
    uint8_t version, family;
    if (!rd_u8(&c, &version) || !rd_u8(&c, &family) || !cursor_skip(&c, 22))
        return fail(ctx, DECODE_TRUNCATED, "ipnet header cut short by the capture");
    return ip_by_version(ctx, c, decode_version_for_af(family));
}

/* Linux NFLOG (libpcap's pcap/nflog.h): family (u8), version (u8, 0), resource id (u16 BE),
 * then TLVs of u16 length (with the 4-byte TLV header) and u16 type, padded to 4 bytes. The
 * TLV header is in the capturing host's byte order; the first TLV's length tells which (the
 * order in which it fits the captured bytes; little-endian when both do).
 * NFULA_PAYLOAD (9) holds the datagram. */
static enum decode_outcome link_nflog(struct decode_ctx *ctx, struct cursor c)
{
    enum { NFULA_PAYLOAD = 9 };
    uint8_t family, version;
    if (!rd_u8(&c, &family) || !rd_u8(&c, &version) || !cursor_skip(&c, 2))
        return fail(ctx, DECODE_TRUNCATED, "NFLOG header cut short by the capture");
    if (version != 0)
        return fail(ctx, DECODE_MALFORMED, "NFLOG version is not 0");
    int big = -1; /* unknown until the first TLV */
    for (;;) {
        if (!cursor_has(&c, 4))
            return c.pos < ctx->wire_left ? fail(ctx, DECODE_TRUNCATED, "NFLOG TLV cut short by the capture")
                                          : DECODE_NOT_IP; /* no payload TLV */
        const uint8_t *p = cursor_ptr(&c);
        uint16_t le_len = (uint16_t)(p[0] | p[1] << 8), be_len = (uint16_t)(p[0] << 8 | p[1]);
        if (big < 0) { /* the order in which the length fits what was captured */
            size_t left = cursor_left(&c);
            big = !(le_len >= 4 && le_len <= left) && be_len >= 4 && be_len <= left;
        }
        uint16_t tlen = big ? be_len : le_len;
        uint16_t type = big ? (uint16_t)(p[2] << 8 | p[3]) : (uint16_t)(p[2] | p[3] << 8);
        if (tlen < 4)
            return fail(ctx, DECODE_MALFORMED, "NFLOG TLV length below 4");
        if ((type & 0x7fff) == NFULA_PAYLOAD) {
            cursor_skip(&c, 4);
            decode_limit(ctx, &c, (size_t)tlen - 4); /* the datagram, as logged */
            return ip_by_version(ctx, c, decode_version_for_af(family));
        }
        /* The last TLV's padding may be left out. */
        if (!cursor_skip(&c, ((size_t)tlen + 3) & ~(size_t)3) && !cursor_skip(&c, tlen))
            return fail(ctx, DECODE_TRUNCATED, "NFLOG TLV cut short by the capture");
    }
}

/* macOS PKTAP (Wireshark's packet-pktap.c, Apple's net/pktap.h): pth_length (u32, little-
 * endian as written by macOS), pth_type_next (1: a packet), pth_dlt (the DLT of what follows),
 * interface name, process ids and names...; at least 108 bytes. The packet is at pth_length. */
static enum decode_outcome link_pktap(struct decode_ctx *ctx, struct cursor c)
{
    uint32_t len, type, dlt;
    if (!rd_le32(&c, &len) || !rd_le32(&c, &type) || !rd_le32(&c, &dlt))
        return fail(ctx, DECODE_TRUNCATED, "PKTAP header cut short by the capture");
    if (len < 108)
        return fail(ctx, DECODE_MALFORMED, "PKTAP header length below 108");
    if (type != 1)
        return DECODE_NOT_IP; /* not a packet record */
    c.pos = 0;
    if (!cursor_skip(&c, len))
        return fail(ctx, DECODE_TRUNCATED, "PKTAP header cut short by the capture");
    if (ctx->link_depth++ || dlt == LINK_PKTAP || dlt == LINK_PKTAP_APPLE || dlt == LINK_PPI)
        return fail(ctx, DECODE_MALFORMED, "PKTAP header carrying another metadata header");
    decode_limit(ctx, &c, SIZE_MAX);
    return decode_link(ctx, c, (int)(dlt == 101 ? LINK_RAW : dlt));
}

/* Per-Packet Information (CACE PPI specification 1.0.10): pph_version (0), pph_flags,
 * pph_len (LE u16, the whole header), pph_dlt (LE u32); the frame follows at pph_len. */
static enum decode_outcome link_ppi(struct decode_ctx *ctx, struct cursor c)
{
    uint8_t version;
    uint16_t len;
    uint32_t dlt;
    if (!rd_u8(&c, &version) || !cursor_skip(&c, 1) || !rd_le16(&c, &len) || !rd_le32(&c, &dlt))
        return fail(ctx, DECODE_TRUNCATED, "PPI header cut short by the capture");
    if (version != 0 || len < 8)
        return fail(ctx, DECODE_MALFORMED, "PPI header of an unknown version or too short");
    c.pos = 0;
    if (!cursor_skip(&c, len))
        return fail(ctx, DECODE_TRUNCATED, "PPI header cut short by the capture");
    if (ctx->link_depth++ || dlt == LINK_PPI || dlt == LINK_PKTAP || dlt == LINK_PKTAP_APPLE)
        return fail(ctx, DECODE_MALFORMED, "PPI header carrying another metadata header");
    decode_limit(ctx, &c, SIZE_MAX);
    return decode_link(ctx, c, (int)dlt);
}

/* ---- the dispatch ------------------------------------------------------------------------ */

enum decode_outcome decode_link(struct decode_ctx *ctx, struct cursor c, int linktype)
{
    uint16_t type;
    uint32_t af;
    switch (linktype) {
    case LINK_ETHERNET:
        return decode_ethernet(ctx, c);
    case LINK_NULL:
        if (!rd_le32(&c, &af))
            return fail(ctx, DECODE_TRUNCATED, "loopback header cut short by the capture");
        return ip_by_version(ctx, c, decode_version_for_af(host_order_af(af)));
    case LINK_LOOP:
        if (!rd_be32(&c, &af))
            return fail(ctx, DECODE_TRUNCATED, "loopback header cut short by the capture");
        return ip_by_version(ctx, c, decode_version_for_af(af));
    /* The protocol field of a cooked header is an ethertype (or, below 0x0600, a Linux
     * ETH_P_ value: 0x0004, 802.2 LLC, goes the way of an 802.3 length), so what rides on
     * Ethernet (VLAN tags, MPLS, PPPoE) rides on it too. */
    case LINK_LINUX_SLL:
        if (!cursor_skip(&c, 14) || !rd_be16(&c, &type))
            return fail(ctx, DECODE_TRUNCATED, "Linux cooked header cut short by the capture");
        return decode_ethertype(ctx, c, type);
    case LINK_LINUX_SLL2:
        if (!rd_be16(&c, &type) || !cursor_skip(&c, 18))
            return fail(ctx, DECODE_TRUNCATED, "Linux cooked v2 header cut short by the capture");
        return decode_ethertype(ctx, c, type);
    case LINK_RAW: case LINK_RAW_BSD: case LINK_RAW_LINKTYPE:
        return decode_ip(ctx, c, 0);
    case LINK_IPV4:
        return decode_ip(ctx, c, 4);
    case LINK_IPV6:
        return decode_ip(ctx, c, 6);
    case LINK_PPP: return link_ppp(ctx, c);
    case LINK_PPP_HDLC: return link_ppp_hdlc(ctx, c);
    case LINK_C_HDLC: return cisco_hdlc(ctx, c);
    case LINK_ENC: return link_enc(ctx, c);
    case LINK_PFLOG: return link_pflog(ctx, c);
    case LINK_IPNET: return link_ipnet(ctx, c);
    case LINK_NFLOG: return link_nflog(ctx, c);
    case LINK_PKTAP: case LINK_PKTAP_APPLE: return link_pktap(ctx, c);
    case LINK_PPI: return link_ppi(ctx, c);
    case LINK_IEEE802_11: case LINK_RADIOTAP: case LINK_PRISM:
        return decode_wlan_link(ctx, c, linktype);
    default:
        return decode_other_link(ctx, c, linktype);
    }
}
