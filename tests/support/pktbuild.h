/* pktbuild.h — builds test packets byte by byte and writes them into pcap files.
 *
 * Used by the unit tests (decoder inputs for every link type), by tests/tools/mksample
 * (whole synthetic captures) and by the benchmark generator. Checksums are computed unless a
 * test asks for a wrong one. */
#ifndef PCAP2REPORT_PKTBUILD_H
#define PCAP2REPORT_PKTBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pkt_spec {
    int ip_version;              /* 4 or 6 */
    const char *src, *dst;       /* textual addresses */
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint16_t flags;              /* TCP_* from decode.h */
    uint16_t window;
    uint32_t payload_len;        /* payload bytes (filled with a pattern) */
    const uint8_t *options;      /* raw TCP option bytes, padded by the caller to 4 */
    size_t options_len;
    bool bad_checksum;
};

/* Writes the IP datagram (header, TCP header, options, payload) into buf; returns its length,
 * or 0 when cap is too small or an address does not parse. */
size_t pkt_build_ip(const struct pkt_spec *s, uint8_t *buf, size_t cap);

/* Prepends a link-layer header for linktype (a DLT value; vlan_tags 802.1Q tags for
 * Ethernet; for DLT_NULL big_endian_af picks the writer's byte order). Returns the frame
 * length or 0. */
size_t pkt_wrap(int linktype, const uint8_t *ip, size_t ip_len, uint8_t *buf, size_t cap,
                int vlan_tags, bool big_endian_af);

/* The usual SYN options: mss 1460, sackOK, TS val/ecr, nop, wscale 7 (20 bytes). */
size_t pkt_syn_options(uint8_t out[20], uint32_t ts_val, uint32_t ts_ecr);

struct pcap_file_writer {
    FILE *f;
    bool nanosecond;
    bool pcapng; /* set by pcapngw_open; pcapw_write then writes Enhanced Packet Blocks */
};

/* A classic pcap file (little-endian; microsecond or nanosecond magic). Returns 0 or -1. */
int pcapw_open(struct pcap_file_writer *w, const char *path, int linktype, bool nanosecond, uint32_t snaplen);
void pcapw_write(struct pcap_file_writer *w, int64_t ts_ns, const uint8_t *frame, uint32_t caplen, uint32_t len);
int pcapw_close(struct pcap_file_writer *w);

/* A pcapng file: a Section Header Block and one Interface Description Block (little-endian),
 * with if_tsresol 9 when nanosecond, else the default microseconds. pcapw_write then appends
 * Enhanced Packet Blocks on interface 0 and pcapw_close closes it. Returns 0 or -1. */
int pcapngw_open(struct pcap_file_writer *w, const char *path, int linktype, bool nanosecond, uint32_t snaplen);

/* ---- whole conversations, for tests/tools/mksample and the capture tests ------------------- */

/* One TCP connection: endpoints, ISNs and how its frames are wrapped. */
struct pkt_flow {
    int linktype;        /* DLT value for pkt_wrap */
    int vlan_tags;       /* Ethernet only */
    bool big_endian_af;  /* DLT_NULL only */
    int ip_version;      /* 4 or 6 */
    const char *client, *server;
    uint16_t cport, sport;
    uint32_t cisn, sisn;
};

enum { PKT_C2S = 0, PKT_S2C = 1 };

/* The frame of one segment of f in direction dir (PKT_C2S or PKT_S2C). rel_seq is relative to
 * the sender's ISN and rel_ack to the receiver's (the ack field stays 0 without TCP_ACK). A
 * segment with TCP_SYN carries pkt_syn_options. Returns the frame length, or 0. */
size_t pkt_flow_frame(const struct pkt_flow *f, int dir, uint16_t flags, uint32_t rel_seq,
                      uint32_t rel_ack, uint32_t len, uint8_t *buf, size_t cap);

/* pkt_flow_frame, appended to w at ts_ns. Returns the frame length, or 0 (nothing written). */
size_t pkt_flow_write(struct pcap_file_writer *w, const struct pkt_flow *f, int64_t ts_ns, int dir,
                      uint16_t flags, uint32_t rel_seq, uint32_t rel_ack, uint32_t len);

/* One segment of a scripted conversation: its direction (PKT_C2S, PKT_S2C), TCP flags, sequence
 * and acknowledgement numbers relative to each side's ISN, and payload bytes. */
struct pkt_segment {
    int dir;
    uint16_t flags;
    uint32_t seq, ack, len;
};

/* The classic session, client closing (11 segments, step_ns apart from ts0):
 * >S <S. >. >P.(100) <. <P.(200) >. >F. <. <F. >.  Returns the number of segments written. */
enum { PKT_CLASSIC_SEGMENTS = 11 };
unsigned pkt_flow_classic(struct pcap_file_writer *w, const struct pkt_flow *f, int64_t ts0, int64_t step_ns);
/* Its script, for tests that build the frames themselves (other encapsulations, byte orders). */
extern const struct pkt_segment pkt_classic_script[PKT_CLASSIC_SEGMENTS];

/* A mixed capture: n sessions, 16 at a time interleaved segment by segment, 10 us apart.
 * Session i is IPv6 when i % 10 == 9, else IPv4; its server port is 80 when (i / 8) % 2 == 0,
 * else 443; its kind is i % 8 (enum pkt_mix_kind). Established kinds carry a 100-byte request,
 * data_segments 100-byte response segments and an ACK for every second one. */
enum pkt_mix_kind {
    PKT_MIX_FOUR_WAY_CLIENT, PKT_MIX_FOUR_WAY_CLIENT2, PKT_MIX_FOUR_WAY_CLIENT3,
    PKT_MIX_FOUR_WAY_SERVER, PKT_MIX_MERGED_FIN, PKT_MIX_RST_SERVER, PKT_MIX_REFUSED,
    PKT_MIX_SYN_ONLY, PKT_MIX_KINDS
};
struct pkt_mix_stats {
    uint64_t packets;
    uint64_t port80_packets;
    unsigned sessions, port80_sessions;
    unsigned by_kind[PKT_MIX_KINDS];
};
/* Returns 0, or -1 when out of memory. st may be NULL. */
int pkt_gen_mixed(struct pcap_file_writer *w, int linktype, unsigned n, unsigned data_segments,
                  int64_t ts0, struct pkt_mix_stats *st);

#endif
