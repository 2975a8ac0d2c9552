/* decode_fixtures.c — frames for the decode_packet() tests (decode_fixtures.h). */
#include "decode_fixtures.h"

#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

/* Decodes the first caplen bytes of data from a heap copy of exactly that size. */
enum decode_outcome decode_exact(int linktype, const uint8_t *data, size_t caplen, size_t wirelen,
                                 struct decoded_packet *out, const char **why)
{
    uint8_t *copy = malloc(caplen);
    cr_assert(caplen == 0 || copy != NULL);
    if (caplen)
        memcpy(copy, data, caplen);
    enum decode_outcome o = decode_packet(linktype, copy, caplen, wirelen, out, why);
    free(copy);
    return o;
}

enum decode_outcome decode_frame(int linktype, const struct frame *f, struct decoded_packet *out,
                                 const char **why)
{
    return decode_exact(linktype, f->b, f->len, f->len, out, why);
}

struct pkt_spec spec_v4(void)
{
    struct pkt_spec s = {
        .ip_version = 4, .src = "10.0.0.1", .dst = "10.0.0.2", .sport = 40000, .dport = 80,
        .seq = 1000, .ack = 2000, .flags = TCP_PSH | TCP_ACK, .window = 64240, .payload_len = 10,
    };
    return s;
}

struct pkt_spec spec_v6(void)
{
    struct pkt_spec s = spec_v4();
    s.ip_version = 6;
    s.src = "2001:db8::1";
    s.dst = "2001:db8::2";
    return s;
}

/* Wraps an IP datagram for linktype with pkt_wrap and fills in the offsets. */
void frame_wrap(struct frame *f, int linktype, const uint8_t *ip, size_t ip_len, size_t tcp_in_ip,
                size_t tcp_hlen, int vlan_tags, bool big_endian_af)
{
    f->len = pkt_wrap(linktype, ip, ip_len, f->b, sizeof f->b, vlan_tags, big_endian_af);
    cr_assert_gt(f->len, 0, "pkt_wrap(%d) failed", linktype);
    f->ip_end = f->len;
    f->tcp_off = f->len - ip_len + tcp_in_ip;
    f->tcp_hlen = tcp_hlen;
}

/* Builds s and wraps it. */
void frame_build(struct frame *f, int linktype, const struct pkt_spec *s, int vlan_tags, bool be_af)
{
    uint8_t ip[FRAME_MAX];
    size_t n = pkt_build_ip(s, ip, sizeof ip);
    cr_assert_gt(n, 0, "pkt_build_ip failed");
    frame_wrap(f, linktype, ip, n, s->ip_version == 6 ? 40 : 20, 20 + s->options_len, vlan_tags, be_af);
}

/* A frame with a hand-made link header in front of the datagram of s. */
void frame_with_header(struct frame *f, const uint8_t *hdr, size_t hl, const struct pkt_spec *s)
{
    uint8_t ip[FRAME_MAX];
    size_t n = pkt_build_ip(s, ip, sizeof ip);
    cr_assert_gt(n, 0);
    memcpy(f->b, hdr, hl);
    memcpy(f->b + hl, ip, n);
    f->len = hl + n;
    f->ip_end = f->len;
    f->tcp_off = hl + (s->ip_version == 6 ? 40 : 20);
    f->tcp_hlen = 20 + s->options_len;
}

uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* Recomputes the IPv4 header checksum (the decoder does not check it; tshark does). */
void ipv4_fix_header_checksum(uint8_t *ip)
{
    size_t ihl = (size_t)(ip[0] & 15) * 4;
    uint32_t sum = 0;
    put16(ip + 10, 0);
    for (size_t i = 0; i < ihl; i += 2)
        sum += get16(ip + i);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    put16(ip + 10, (uint16_t)~sum);
}

/* Inserts IPv4 options (a multiple of 4 bytes) after the fixed header; returns the new length. */
size_t ipv4_insert_options(uint8_t *ip, size_t len, const uint8_t *opt, size_t n)
{
    memmove(ip + 20 + n, ip + 20, len - 20);
    memcpy(ip + 20, opt, n);
    ip[0] = (uint8_t)(0x40 | (20 + n) / 4);
    put16(ip + 2, (uint16_t)(len + n));
    ipv4_fix_header_checksum(ip);
    return len + n;
}

/* Inserts IPv6 extension headers (their own next-header chain ends in 6) after the fixed
 * header; first is the next header the fixed header names. Returns the new length. */
size_t ipv6_insert_ext(uint8_t *ip, size_t len, uint8_t first, const uint8_t *ext, size_t n)
{
    memmove(ip + 40 + n, ip + 40, len - 40);
    memcpy(ip + 40, ext, n);
    ip[6] = first;
    put16(ip + 4, (uint16_t)(get16(ip + 4) + n));
    return len + n;
}

void assert_addr(const uint8_t *got, int version, const char *text)
{
    uint8_t want[16] = {0};
    cr_assert_eq(inet_pton(version == 6 ? AF_INET6 : AF_INET, text, want), 1);
    cr_assert(memcmp(got, want, 16) == 0, "address differs from %s", text);
}

/* The fields every fully captured frame of spec s must decode to. */
void assert_decoded(const struct decoded_packet *p, const struct pkt_spec *s, const char *what)
{
    cr_assert_eq(p->ip_version, s->ip_version, "%s: ip_version %d", what, p->ip_version);
    assert_addr(p->src, s->ip_version, s->src);
    assert_addr(p->dst, s->ip_version, s->dst);
    cr_assert_eq(p->sport, s->sport, "%s: sport %u", what, p->sport);
    cr_assert_eq(p->dport, s->dport, "%s: dport %u", what, p->dport);
    cr_assert_eq(p->seq, s->seq, "%s: seq", what);
    cr_assert_eq(p->ack, s->ack, "%s: ack", what);
    cr_assert_eq(p->flags, s->flags, "%s: flags 0x%x, want 0x%x", what, p->flags, s->flags);
    cr_assert_eq(p->window, s->window, "%s: window", what);
    cr_assert_eq(p->payload_len, s->payload_len, "%s: payload_len %u, want %u", what, p->payload_len, s->payload_len);
    cr_assert_not(p->options_truncated, "%s: options_truncated", what);
    cr_assert_not(p->options_malformed, "%s: options_malformed", what);
    cr_assert_eq(p->checksum, s->bad_checksum ? CHECKSUM_BAD : CHECKSUM_GOOD, "%s: checksum status %d", what, p->checksum);
}

/* Decodes f (fully captured) and checks it against s. */
void expect_tcp(int linktype, const struct frame *f, const struct pkt_spec *s, const char *what)
{
    struct decoded_packet p;
    const char *why = "unset";
    enum decode_outcome o = decode_frame(linktype, f, &p, &why);
    cr_assert_eq(o, DECODE_TCP, "%s: outcome %s (%s)", what, decode_outcome_name(o), why ? why : "-");
    cr_assert_null(why, "%s: why set for a TCP segment: %s", what, why);
    assert_decoded(&p, s, what);
}

void expect_outcome(int linktype, const uint8_t *b, size_t len, enum decode_outcome want, const char *what)
{
    struct decoded_packet p;
    const char *why = NULL;
    enum decode_outcome o = decode_exact(linktype, b, len, len, &p, &why);
    cr_assert_eq(o, want, "%s: outcome %s, want %s (%s)", what, decode_outcome_name(o), decode_outcome_name(want),
                 why ? why : "-");
    if (want == DECODE_TRUNCATED || want == DECODE_MALFORMED)
        cr_assert(why != NULL && why[0] != '\0', "%s: no reason given", what);
}

/* Hop-by-hop, destination options and a fragment header (offset, M bit as given). */
size_t ipv6_with_three_ext(uint8_t *ip, const struct pkt_spec *s, uint16_t frag_off_m)
{
    uint8_t ext[24] = {
        60, 0, 1, 4, 0, 0, 0, 0,  /* hop-by-hop: next destination options, PadN */
        44, 0, 1, 4, 0, 0, 0, 0,  /* destination options: next fragment, PadN */
        6, 0, 0, 0, 0, 0, 0x12, 0x34, /* fragment: next TCP, offset/M, id */
    };
    put16(ext + 18, frag_off_m);
    size_t n = pkt_build_ip(s, ip, FRAME_MAX);
    cr_assert_gt(n, 0);
    return ipv6_insert_ext(ip, n, 0, ext, sizeof ext);
}

const struct link_case link_cases[LINK_CASES] = {
    {"ethernet ipv4", LINK_ETHERNET, 0, false, 4},
    {"ethernet ipv6", LINK_ETHERNET, 0, false, 6},
    {"ethernet 802.1Q ipv4", LINK_ETHERNET, 1, false, 4},
    {"ethernet 802.1Q ipv6", LINK_ETHERNET, 1, false, 6},
    {"ethernet 802.1ad+802.1Q ipv4", LINK_ETHERNET, 2, false, 4},
    {"ethernet 802.1ad+802.1Q ipv6", LINK_ETHERNET, 2, false, 6},
    {"null LE ipv4", LINK_NULL, 0, false, 4},
    {"null BE ipv4", LINK_NULL, 0, true, 4},
    {"null LE ipv6 (30)", LINK_NULL, 0, false, 6},
    {"null BE ipv6 (30)", LINK_NULL, 0, true, 6},
    {"loop ipv4", LINK_LOOP, 0, false, 4},
    {"loop ipv6", LINK_LOOP, 0, false, 6},
    {"linux sll ipv4", LINK_LINUX_SLL, 0, false, 4},
    {"linux sll ipv6", LINK_LINUX_SLL, 0, false, 6},
    {"linux sll2 ipv4", LINK_LINUX_SLL2, 0, false, 4},
    {"linux sll2 ipv6", LINK_LINUX_SLL2, 0, false, 6},
    {"raw 12 ipv4", LINK_RAW, 0, false, 4},
    {"raw 12 ipv6", LINK_RAW, 0, false, 6},
    {"raw 14 ipv4", LINK_RAW_BSD, 0, false, 4},
    {"raw 14 ipv6", LINK_RAW_BSD, 0, false, 6},
    {"raw 101 ipv4", LINK_RAW_LINKTYPE, 0, false, 4},
    {"raw 101 ipv6", LINK_RAW_LINKTYPE, 0, false, 6},
    {"ipv4 228", LINK_IPV4, 0, false, 4},
    {"ipv6 229", LINK_IPV6, 0, false, 6},
};
