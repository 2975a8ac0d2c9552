/* decode.h — turns one captured frame into the TCP facts the session table needs.
 *
 * Pure and stateless: given a link type and the captured bytes, it walks the link layer,
 * IPv4 or IPv6 (with extension headers) and the TCP header with its options, reading every
 * byte through a bounds-checked cursor. It never allocates and never trusts a length field
 * that the captured bytes do not back up. */
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
};

/* Decodes one frame. Returns the outcome; for DECODE_TCP, *out is filled. For
 * DECODE_TRUNCATED and DECODE_MALFORMED, *why points to a static sentence naming what was
 * wrong (why may be NULL). caplen is what was captured, wirelen what was on the wire. */
enum decode_outcome decode_packet(int linktype, const uint8_t *data, size_t caplen,
                                  size_t wirelen, struct decoded_packet *out, const char **why);

/* True when decode_packet understands this link type. */
bool decode_link_supported(int linktype);

/* Name of an outcome as used in reports ("tcp", "not_ip", ...). */
const char *decode_outcome_name(enum decode_outcome o);

#endif
