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
};

/* A classic pcap file (little-endian; microsecond or nanosecond magic). Returns 0 or -1. */
int pcapw_open(struct pcap_file_writer *w, const char *path, int linktype, bool nanosecond, uint32_t snaplen);
void pcapw_write(struct pcap_file_writer *w, int64_t ts_ns, const uint8_t *frame, uint32_t caplen, uint32_t len);
int pcapw_close(struct pcap_file_writer *w);

#endif
