/* decode.h — turns one captured frame into the TCP facts the session table needs.
 *
 * Pure and stateless: given a link type and the captured bytes, it walks the link layer,
 * the encapsulations and tunnels on the way (MPLS, PBB, PPPoE, VN-Tag, FabricPath; GRE with
 * ERSPAN and Aruba, VXLAN, Geneve, IP-in-IP, Teredo, AYIYA, GTP-U), IPv4 or IPv6 (with
 * extension headers) and the TCP header with its options, reading every byte through a
 * bounds-checked cursor. It never allocates and never trusts a length field that the captured
 * bytes do not back up. The files: decode.c (IP, TCP, the entry point), decode_link.c (link
 * types), decode_ether.c (Ethernet and what rides on it), decode_wlan.c (802.11 and its radio
 * headers), decode_tunnel.c (tunnels over IP and UDP). */
#ifndef PCAP2REPORT_DECODE_H
#define PCAP2REPORT_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Link types, by their DLT_ values as libpcap reports them (pcap_datalink()). */
enum {
    LINK_NULL = 0,         /* BSD loopback, AF in the writer's byte order */
    LINK_ETHERNET = 1,
    LINK_RAW = 12,         /* DLT_RAW on Linux (LINKTYPE_RAW 101 is mapped to it) */
    LINK_RAW_BSD = 14,     /* DLT_RAW on the BSDs */
    LINK_RAW_LINKTYPE = 101,
    LINK_LOOP = 108,       /* OpenBSD loopback, AF in network byte order */
    LINK_LINUX_SLL = 113,
    LINK_IPV4 = 228,
    LINK_IPV6 = 229,
    LINK_LINUX_SLL2 = 276,
    LINK_PPP = 9,          /* RFC 1661; RFC 1662 framing when it starts with ff 03 */
    LINK_PPP_HDLC = 50,    /* DLT_PPP_SERIAL: PPP in HDLC-like framing, or Cisco HDLC */
    LINK_C_HDLC = 104,     /* Cisco HDLC */
    LINK_IEEE802_11 = 105,
    LINK_ENC = 109,        /* OpenBSD enc(4) */
    LINK_PFLOG = 117,      /* OpenBSD pflog(4) */
    LINK_PRISM = 119,      /* Prism (or AVS) header + 802.11 */
    LINK_RADIOTAP = 127,   /* radiotap header + 802.11 */
    LINK_PKTAP_APPLE = 149,/* DLT_PKTAP on macOS (DLT_USER2 elsewhere) */
    LINK_PPI = 192,        /* Per-Packet Information header + its DLT */
    LINK_IPNET = 226,      /* Solaris ipnet */
    LINK_NFLOG = 239,      /* Linux netfilter log */
    LINK_PKTAP = 258,      /* LINKTYPE_PKTAP, as libpcap maps it everywhere but macOS */
    /* decode_lan.c */
    LINK_TOKEN_RING = 6,   /* IEEE 802.5 */
    LINK_SLIP = 8,         /* with libpcap's 16-byte pseudo-header */
    LINK_FDDI = 10,
    LINK_ATM_RFC1483 = 11, /* LINKTYPE_ATM_RFC1483 (100), LLC-encapsulated */
    LINK_PPP_ETHER = 51,   /* PPPoE without the Ethernet header */
    LINK_FRELAY = 107,
    LINK_APPLE_IP_OVER_1394 = 138,
    LINK_MPLS = 219,
};

/* Encapsulations and tunnels a TCP segment can travel in (struct encap_layer.kind). */
enum encap_kind {
    ENCAP_NONE,
    ENCAP_MPLS,        /* RFC 3032 label stack; labels[] */
    ENCAP_PBB,         /* IEEE 802.1ah provider backbone bridging; id = I-SID */
    ENCAP_PPPOE,       /* RFC 2516 session; id = session id */
    ENCAP_VNTAG,       /* Cisco VN-Tag; id = the 32-bit tag */
    ENCAP_FABRICPATH,  /* Cisco FabricPath; id = FTag */
    ENCAP_GRE,         /* RFC 2784/2890 (and the PPTP variant, RFC 2637); id = key when has_id */
    ENCAP_ERSPAN,      /* Cisco ERSPAN type I, II or III over GRE; id = session id (II, III) */
    ENCAP_ARUBA,       /* Aruba's GRE carrying 802.11 frames (protocol 0x8200-0x8320) */
    ENCAP_VXLAN,       /* RFC 7348; id = VNI */
    ENCAP_GENEVE,      /* RFC 8926; id = VNI */
    ENCAP_IP_IN_IP,    /* RFC 2003 / RFC 4213: 4in4, 6in4, 4in6, 6in6 */
    ENCAP_TEREDO,      /* RFC 4380 */
    ENCAP_AYIYA,       /* draft-massar-v6ops-ayiya */
    ENCAP_GTPU,        /* 3GPP TS 29.281; id = TEID */
    ENCAP_KINDS
};

/* Deepest nesting decoded; a frame with more layers is reported malformed with that reason.
 * Real traffic seldom has more than three (MPLS under GRE under an outer VLAN, say). */
enum { ENCAP_MAX_DEPTH = 8, ENCAP_MAX_LABELS = 4 };

/* One layer of the path from the link layer to the TCP segment, outermost first. */
struct encap_layer {
    uint8_t kind;       /* enum encap_kind */
    uint8_t ip_version; /* of src/dst: 4 or 6 for tunnels over IP, 0 below IP */
    bool has_id;        /* id holds a VNI, TEID, key, session, I-SID, tag or FTag */
    uint8_t n_labels;   /* MPLS: labels in the stack; the first ENCAP_MAX_LABELS are kept */
    uint32_t id;
    uint16_t sport, dport;      /* outer UDP ports of a UDP tunnel, else 0 */
    uint8_t src[16], dst[16];   /* outer IP addresses (IPv4 in the first 4 bytes) */
    uint32_t labels[ENCAP_MAX_LABELS]; /* MPLS label values (20 bits), top of stack first */
};

/* TCP flag bits as they sit in the header's 9 flag bits. */
enum {
    TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04, TCP_PSH = 0x08,
    TCP_ACK = 0x10, TCP_URG = 0x20, TCP_ECE = 0x40, TCP_CWR = 0x80, TCP_NS = 0x100,
};

/* Which TCP options a segment carried (tcp_options.present). */
enum {
    OPT_MSS = 0x01, OPT_WSCALE = 0x02, OPT_SACK_PERM = 0x04, OPT_SACK = 0x08, OPT_TS = 0x10,
};

struct tcp_options {
    uint8_t present;     /* OPT_* bits */
    uint8_t wscale;      /* window scale shift, when OPT_WSCALE */
    uint8_t sack_blocks; /* number of SACK blocks, when OPT_SACK */
    uint16_t mss;
    uint32_t ts_val, ts_ecr;
};

enum decode_outcome {
    DECODE_TCP,       /* a TCP segment whose fixed header was captured */
    DECODE_NOT_IP,    /* the link layer carries something else (ARP, LLDP, ...) */
    DECODE_NOT_TCP,   /* IP, but not TCP (UDP, ICMP, ESP, ...) */
    DECODE_FRAGMENT,  /* a non-first IP fragment: counted and skipped */
    DECODE_TRUNCATED, /* the capture ends before the IP or TCP header does */
    DECODE_MALFORMED, /* the bytes are there but impossible (IHL < 5, data offset < 5, ...) */
    DECODE_OUTCOMES
};

enum checksum_status { CHECKSUM_UNVERIFIED, CHECKSUM_GOOD, CHECKSUM_BAD };

struct decoded_packet {
    uint8_t ip_version; /* 4 or 6 */
    uint8_t src[16], dst[16]; /* IPv4 uses the first 4 bytes; the rest are zero */
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint16_t flags;  /* TCP_* bits */
    uint16_t window; /* unscaled, as on the wire */
    uint32_t payload_len; /* from the IP lengths, so a short snap length does not shrink it */
    struct tcp_options options;
    bool options_truncated; /* the snap length cut the options */
    bool options_malformed; /* an option length of 0 or 1, or one that overruns the header */
    enum checksum_status checksum;
    /* The encapsulation path, outermost first; only the first n_encap layers are written
     * (decode_packet clears the fields above and n_encap, not the layers themselves). */
    uint8_t n_encap;
    struct encap_layer encap[ENCAP_MAX_DEPTH];
};

/* Decodes one frame. Returns the outcome; for DECODE_TCP, *out is filled. For
 * DECODE_TRUNCATED and DECODE_MALFORMED, *why points to a static sentence naming what was
 * wrong (why may be NULL). caplen is what was captured, wirelen what was on the wire. */
enum decode_outcome decode_packet(int linktype, const uint8_t *data, size_t caplen,
                                  size_t wirelen, struct decoded_packet *out, const char **why);

/* The bytes of p that hold something: the fields and its n_encap layers. A copy of a decoded
 * packet (a queue of segments held back, say) should copy only those: decoded_packet_copy.
 * The whole struct is some 600 bytes longer than a packet without encapsulation needs. */
size_t decoded_packet_size(const struct decoded_packet *p);
void decoded_packet_copy(struct decoded_packet *dst, const struct decoded_packet *src);

/* True when decode_packet understands this link type. */
bool decode_link_supported(int linktype);

/* Name of an encapsulation kind ("vxlan", "gre", ...; "unknown" when out of range). */
const char *encap_kind_name(enum encap_kind k);

/* Name of an outcome as used in reports ("tcp", "not_ip", ...). */
const char *decode_outcome_name(enum decode_outcome o);

#endif
