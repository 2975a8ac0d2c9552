/* decode_internal.h — what the decode_*.c files share; not for use outside the decoder.
 *
 * Every function takes the decoding context and a cursor by value, peels one layer and hands
 * the rest down. The invariant: ctx->wire_left counts the bytes, as on the wire, from the
 * cursor's data[0] on (the cursor's pos may be past it); decode_limit starts a new layer. */
#ifndef PCAP2REPORT_DECODE_INTERNAL_H
#define PCAP2REPORT_DECODE_INTERNAL_H

#include "cursor.h"
#include "decode.h"

enum {
    ETHERTYPE_IPV4 = 0x0800, ETHERTYPE_IPV6 = 0x86DD, ETHERTYPE_VLAN = 0x8100,
    ETHERTYPE_QINQ = 0x88A8, ETHERTYPE_QINQ_OLD = 0x9100, ETHERTYPE_MPLS = 0x8847,
    ETHERTYPE_MPLS_MC = 0x8848, ETHERTYPE_PPPOE_SESSION = 0x8864, ETHERTYPE_PBB = 0x88E7,
    ETHERTYPE_VNTAG = 0x8926, ETHERTYPE_FABRICPATH = 0x8903, ETHERTYPE_TEB = 0x6558,
    ETHERTYPE_PPP = 0x880B,
};
enum { IPPROTO_IPIP_ = 4, IPPROTO_TCP_ = 6, IPPROTO_UDP_ = 17, IPPROTO_IPV6_ = 41, IPPROTO_GRE_ = 47 };
enum { PPP_IPV4 = 0x0021, PPP_IPV6 = 0x0057, PPP_MPLS = 0x0281 };

struct decode_ctx {
    struct decoded_packet *out;
    const char **why;
    size_t wire_left;  /* see above */
    bool fragment;     /* a first fragment: the TCP checksum covers bytes not in this packet */
    int link_depth;    /* link types that carry another link type (PKTAP, PPI): at most 1 */
};

enum decode_outcome decode_fail(struct decode_ctx *ctx, enum decode_outcome o, const char *why);

/* Starts a new layer at the cursor's position, at most len bytes long (SIZE_MAX: the rest
 * of the frame): both the captured bytes and ctx->wire_left are cut to it. */
void decode_limit(struct decode_ctx *ctx, struct cursor *c, size_t len);

/* Appends a layer to the path; NULL (with *ctx->why set) past ENCAP_MAX_DEPTH. */
struct encap_layer *decode_push(struct decode_ctx *ctx, enum encap_kind kind);

/* The IP header at the cursor; version_hint 4 or 6 when the layer below says which, else 0. */
enum decode_outcome decode_ip(struct decode_ctx *ctx, struct cursor c, int version_hint);

/* What an IP datagram carries when it is not TCP: tunnels (decode_tunnel.c). c holds the
 * captured part of the payload, payload_len its length as the IP header declares it. */
enum decode_outcome decode_ip_payload(struct decode_ctx *ctx, struct cursor c, uint8_t proto, size_t payload_len);

/* A frame of the given link type at the cursor (decode_link.c). */
enum decode_outcome decode_link(struct decode_ctx *ctx, struct cursor c, int linktype);

/* The link types of decode_lan.c: FDDI, Token Ring, ATM, Frame Relay, SLIP, FireWire, raw
 * MPLS, PPPoE without Ethernet. */
enum decode_outcome decode_other_link(struct decode_ctx *ctx, struct cursor c, int linktype);

/* An Ethernet frame at the cursor, and what follows an ethertype (decode_ether.c). */
enum decode_outcome decode_ethernet(struct decode_ctx *ctx, struct cursor c);
enum decode_outcome decode_ethertype(struct decode_ctx *ctx, struct cursor c, uint16_t type);

/* A PPP frame from its protocol field on (one byte when compressed, RFC 1661 section 6.5). */
enum decode_outcome decode_ppp(struct decode_ctx *ctx, struct cursor c);

/* A PPP protocol number's payload (RFC 1661; 0x0021 IPv4, 0x0057 IPv6, 0x0281 MPLS). */
enum decode_outcome decode_ppp_protocol(struct decode_ctx *ctx, struct cursor c, uint16_t proto);

/* An 802.11 frame at the cursor (decode_wlan.c); data_pad: the radio header says the body
 * is padded to 4 bytes after the 802.11 header (radiotap flag 0x20). */
enum decode_outcome decode_ieee80211(struct decode_ctx *ctx, struct cursor c, bool data_pad);

/* 802.11 frames behind their radio headers: LINK_IEEE802_11, LINK_RADIOTAP, LINK_PRISM. */
enum decode_outcome decode_wlan_link(struct decode_ctx *ctx, struct cursor c, int linktype);

/* IP version for an ethertype or a BSD/Linux address family; 0 when not IP. */
int decode_version_for_ethertype(uint16_t type);
int decode_version_for_af(uint32_t af);

#endif
