/* decode_fixtures.h — frames for the decode_packet() tests (test_decode.c, test_decode_tcp.c):
 * building them at each link type, decoding them from an exact-size heap copy (so the
 * sanitizer build sees any read past caplen), and checking what was decoded. */
#ifndef PCAP2REPORT_DECODE_FIXTURES_H
#define PCAP2REPORT_DECODE_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "pktbuild.h"

enum { FRAME_MAX = 4096 };

struct frame {
    uint8_t b[FRAME_MAX];
    size_t len;      /* whole frame */
    size_t tcp_off;  /* where the TCP header starts */
    size_t tcp_hlen; /* TCP header with options */
    size_t ip_end;   /* where the IP datagram ends (link padding may follow) */
};

/* Decodes the first caplen bytes of data from a heap copy of exactly that size. */
enum decode_outcome decode_exact(int linktype, const uint8_t *data, size_t caplen, size_t wirelen,
                                 struct decoded_packet *out, const char **why);

enum decode_outcome decode_frame(int linktype, const struct frame *f, struct decoded_packet *out,
                                 const char **why);

struct pkt_spec spec_v4(void);

struct pkt_spec spec_v6(void);

/* Wraps an IP datagram for linktype with pkt_wrap and fills in the offsets. */
void frame_wrap(struct frame *f, int linktype, const uint8_t *ip, size_t ip_len, size_t tcp_in_ip,
                size_t tcp_hlen, int vlan_tags, bool big_endian_af);

/* Builds s and wraps it. */
void frame_build(struct frame *f, int linktype, const struct pkt_spec *s, int vlan_tags, bool be_af);

/* A frame with a hand-made link header in front of the datagram of s. */
void frame_with_header(struct frame *f, const uint8_t *hdr, size_t hl, const struct pkt_spec *s);

uint16_t get16(const uint8_t *p);

void put16(uint8_t *p, uint16_t v);

/* Recomputes the IPv4 header checksum (the decoder does not check it; tshark does). */
void ipv4_fix_header_checksum(uint8_t *ip);

/* Inserts IPv4 options (a multiple of 4 bytes) after the fixed header; returns the new length. */
size_t ipv4_insert_options(uint8_t *ip, size_t len, const uint8_t *opt, size_t n);

/* Inserts IPv6 extension headers (their own next-header chain ends in 6) after the fixed
 * header; first is the next header the fixed header names. Returns the new length. */
size_t ipv6_insert_ext(uint8_t *ip, size_t len, uint8_t first, const uint8_t *ext, size_t n);

void assert_addr(const uint8_t *got, int version, const char *text);

/* The fields every fully captured frame of spec s must decode to. */
void assert_decoded(const struct decoded_packet *p, const struct pkt_spec *s, const char *what);

/* Decodes f (fully captured) and checks it against s. */
void expect_tcp(int linktype, const struct frame *f, const struct pkt_spec *s, const char *what);

void expect_outcome(int linktype, const uint8_t *b, size_t len, enum decode_outcome want, const char *what);

/* Hop-by-hop, destination options and a fragment header (offset, M bit as given). */
size_t ipv6_with_three_ext(uint8_t *ip, const struct pkt_spec *s, uint16_t frag_off_m);

/* Every link type and IP version decode_packet() reads, with VLAN tags and both byte orders
 * of the null link's address family. */
struct link_case {
    const char *name;
    int linktype, vlan_tags;
    bool big_endian_af;
    int ip_version;
};

enum { LINK_CASES = 24 };
extern const struct link_case link_cases[LINK_CASES];

#endif
