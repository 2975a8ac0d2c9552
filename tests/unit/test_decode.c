/* test_decode.c — decode_packet() for every link type and IP corner (TCP, checksums and
 * every cut: test_decode_tcp.c).
 *
 * Every frame is copied into a heap buffer of exactly caplen bytes before it is decoded, so
 * the sanitizer build reports any read past what was captured. The replay tests cut each valid
 * frame at every length from 0 to its end ("replay each test packet cut at every length"). */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "decode_fixtures.h"

/* ---- link types ------------------------------------------------------------------------------ */

Test(decode_link, every_supported_link_type_and_ip_version)
{
    for (size_t i = 0; i < LINK_CASES; i++) {
        const struct link_case *c = &link_cases[i];
        struct pkt_spec s = c->ip_version == 6 ? spec_v6() : spec_v4();
        struct frame f;
        frame_build(&f, c->linktype, &s, c->vlan_tags, c->big_endian_af);
        expect_tcp(c->linktype, &f, &s, c->name);
        cr_assert(decode_link_supported(c->linktype), "%s", c->name);
    }
}

Test(decode_link, vlan_tags_are_skipped)
{
    struct pkt_spec s = spec_v4();
    struct frame f;
    frame_build(&f, LINK_ETHERNET, &s, 2, false);
    cr_assert_eq(get16(f.b + 12), 0x88A8, "outer tag is 802.1ad");
    cr_assert_eq(get16(f.b + 16), 0x8100, "inner tag is 802.1Q");
    cr_assert_eq(get16(f.b + 20), 0x0800);
    expect_tcp(LINK_ETHERNET, &f, &s, "QinQ");
    /* The pre-standard 0x9100 outer tag too. */
    put16(f.b + 12, 0x9100);
    expect_tcp(LINK_ETHERNET, &f, &s, "0x9100 + 802.1Q");
}

Test(decode_link, too_many_vlan_tags_are_malformed)
{
    uint8_t b[128] = {0};
    size_t n = 12;
    for (int i = 0; i < 9; i++, n += 4)
        put16(b + n, 0x8100);
    put16(b + n, 0x0800);
    n += 2;
    memset(b + n, 0x45, 40); /* something IP-like after the tags */
    n += 40;
    expect_outcome(LINK_ETHERNET, b, n, DECODE_MALFORMED, "9 VLAN tags");
}

Test(decode_link, null_address_families_in_both_byte_orders)
{
    static const struct { uint32_t af; int version; } fams[] = {
        {2, 4}, {10, 6}, {24, 6}, {28, 6}, {30, 6},
    };
    for (size_t i = 0; i < sizeof fams / sizeof fams[0]; i++) {
        for (int be = 0; be < 2; be++) {
            uint32_t af = fams[i].af;
            uint8_t h[4] = {0};
            if (be) {
                h[3] = (uint8_t)af;
            } else {
                h[0] = (uint8_t)af;
            }
            struct pkt_spec s = fams[i].version == 6 ? spec_v6() : spec_v4();
            struct frame f;
            char what[64];
            snprintf(what, sizeof what, "DLT_NULL AF %u %s", af, be ? "big-endian" : "little-endian");
            frame_with_header(&f, h, 4, &s);
            expect_tcp(LINK_NULL, &f, &s, what);
        }
    }
}

Test(decode_link, loop_address_families_are_big_endian)
{
    static const struct { uint32_t af; int version; } fams[] = {
        {2, 4}, {10, 6}, {24, 6}, {28, 6}, {30, 6},
    };
    for (size_t i = 0; i < sizeof fams / sizeof fams[0]; i++) {
        uint8_t h[4] = {0, 0, 0, (uint8_t)fams[i].af};
        struct pkt_spec s = fams[i].version == 6 ? spec_v6() : spec_v4();
        struct frame f;
        char what[64];
        snprintf(what, sizeof what, "DLT_LOOP AF %u", fams[i].af);
        frame_with_header(&f, h, 4, &s);
        expect_tcp(LINK_LOOP, &f, &s, what);
    }
}

Test(decode_link, unknown_address_family_is_not_ip)
{
    struct pkt_spec s = spec_v4();
    struct frame f;
    uint8_t h[4] = {7, 0, 0, 0}; /* AF_UNIX-ish: not IP */
    frame_with_header(&f, h, 4, &s);
    expect_outcome(LINK_NULL, f.b, f.len, DECODE_NOT_IP, "DLT_NULL AF 7");
    expect_outcome(LINK_LOOP, f.b, f.len, DECODE_NOT_IP, "DLT_LOOP 0x07000000");
}

Test(decode_link, address_family_disagreeing_with_ip_version_is_malformed)
{
    struct pkt_spec s = spec_v6();
    struct frame f;
    uint8_t h[4] = {2, 0, 0, 0}; /* AF_INET, but an IPv6 packet follows */
    frame_with_header(&f, h, 4, &s);
    expect_outcome(LINK_NULL, f.b, f.len, DECODE_MALFORMED, "AF_INET carrying IPv6");
}

Test(decode_link, raw_ip_link_types_check_the_version)
{
    struct pkt_spec s4 = spec_v4(), s6 = spec_v6();
    struct frame f4, f6;
    frame_build(&f4, LINK_IPV4, &s4, 0, false);
    frame_build(&f6, LINK_IPV6, &s6, 0, false);
    expect_outcome(LINK_IPV4, f6.b, f6.len, DECODE_MALFORMED, "IPv6 under DLT_IPV4");
    expect_outcome(LINK_IPV6, f4.b, f4.len, DECODE_MALFORMED, "IPv4 under DLT_IPV6");
    f4.b[0] = 0x55; /* version 5 */
    expect_outcome(LINK_RAW, f4.b, f4.len, DECODE_MALFORMED, "IP version 5");
    expect_outcome(LINK_RAW_BSD, f4.b, f4.len, DECODE_MALFORMED, "IP version 5 (14)");
}

Test(decode_link, ethertype_disagreeing_with_ip_version_is_malformed)
{
    struct pkt_spec s = spec_v6();
    struct frame f;
    frame_build(&f, LINK_ETHERNET, &s, 0, false);
    put16(f.b + 12, 0x0800);
    expect_outcome(LINK_ETHERNET, f.b, f.len, DECODE_MALFORMED, "ethertype IPv4 carrying IPv6");
}

Test(decode_link, arp_and_other_ethertypes_are_not_ip)
{
    uint8_t arp[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06,
                       0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1,
                       0, 0, 0, 0, 0, 0, 10, 0, 0, 2};
    expect_outcome(LINK_ETHERNET, arp, sizeof arp, DECODE_NOT_IP, "ARP request");
    put16(arp + 12, 0x88cc); /* LLDP */
    expect_outcome(LINK_ETHERNET, arp, sizeof arp, DECODE_NOT_IP, "LLDP");

    struct pkt_spec s = spec_v4();
    struct frame f;
    frame_build(&f, LINK_LINUX_SLL, &s, 0, false);
    put16(f.b + 14, 0x0806);
    expect_outcome(LINK_LINUX_SLL, f.b, f.len, DECODE_NOT_IP, "ARP in SLL");
    frame_build(&f, LINK_LINUX_SLL2, &s, 0, false);
    put16(f.b, 0x0806);
    expect_outcome(LINK_LINUX_SLL2, f.b, f.len, DECODE_NOT_IP, "ARP in SLL2");
}

Test(decode_link, llc_snap_carries_ip)
{
    struct pkt_spec s = spec_v4();
    uint8_t ip[256];
    size_t n = pkt_build_ip(&s, ip, sizeof ip);
    struct frame f;
    memcpy(f.b, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
    put16(f.b + 12, (uint16_t)(8 + n)); /* an 802.3 length */
    memcpy(f.b + 14, "\xaa\xaa\x03\x00\x00\x00\x08\x00", 8);
    memcpy(f.b + 22, ip, n);
    f.len = 22 + n;
    expect_tcp(LINK_ETHERNET, &f, &s, "802.3 LLC/SNAP");
    f.b[14] = 0x42; /* spanning tree LLC: not SNAP */
    expect_outcome(LINK_ETHERNET, f.b, f.len, DECODE_NOT_IP, "802.3 LLC, not SNAP");
}

Test(decode_link, unsupported_link_type)
{
    struct pkt_spec s = spec_v4();
    struct frame f;
    frame_build(&f, LINK_RAW, &s, 0, false);
    /* 105 and 127 (802.11) were the examples here until issue 15 added them. */
    cr_assert_not(decode_link_supported(147)); /* DLT_USER0 */
    cr_assert_not(decode_link_supported(42));
    cr_assert_not(decode_link_supported(-1));
    expect_outcome(147, f.b, f.len, DECODE_MALFORMED, "DLT_USER0");
}

Test(decode_link, outcome_names)
{
    cr_assert_str_eq(decode_outcome_name(DECODE_TCP), "tcp");
    cr_assert_str_eq(decode_outcome_name(DECODE_NOT_IP), "not_ip");
    cr_assert_str_eq(decode_outcome_name(DECODE_NOT_TCP), "not_tcp");
    cr_assert_str_eq(decode_outcome_name(DECODE_FRAGMENT), "fragment");
    cr_assert_str_eq(decode_outcome_name(DECODE_TRUNCATED), "truncated");
    cr_assert_str_eq(decode_outcome_name(DECODE_MALFORMED), "malformed");
    cr_assert_str_eq(decode_outcome_name(DECODE_OUTCOMES), "unknown");
    cr_assert_str_eq(decode_outcome_name((enum decode_outcome)-1), "unknown");
}

Test(decode_link, why_may_be_null)
{
    struct decoded_packet p;
    uint8_t b[3] = {0};
    cr_assert_eq(decode_packet(LINK_ETHERNET, b, sizeof b, sizeof b, &p, NULL), DECODE_TRUNCATED);
    cr_assert_eq(decode_packet(LINK_ETHERNET, NULL, 0, 0, &p, NULL), DECODE_TRUNCATED);
}

/* ---- IPv4 ------------------------------------------------------------------------------------ */

Test(decode_ipv4, options_are_skipped)
{
    static const struct {
        uint8_t bytes[40];
        size_t len;
    } opts[] = {
        {{0x94, 0x04, 0x00, 0x00}, 4},                               /* router alert */
        {{0x01, 0x01, 0x01, 0x00, 0x07, 0x07, 0x04, 0, 0, 0, 0, 0}, 12}, /* NOPs, EOL, junk */
        {{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
          1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, 40}, /* IHL 15 */
    };
    for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
        struct pkt_spec s = spec_v4();
        uint8_t ip[256];
        size_t n = pkt_build_ip(&s, ip, sizeof ip);
        n = ipv4_insert_options(ip, n, opts[k].bytes, opts[k].len);
        struct frame f;
        frame_wrap(&f, LINK_ETHERNET, ip, n, 20 + opts[k].len, 20, 0, false);
        char what[48];
        snprintf(what, sizeof what, "IPv4 with %zu option bytes", opts[k].len);
        expect_tcp(LINK_ETHERNET, &f, &s, what);
    }
}

Test(decode_ipv4, ihl_below_5_is_malformed)
{
    for (uint8_t ihl = 0; ihl < 5; ihl++) {
        struct pkt_spec s = spec_v4();
        struct frame f;
        frame_build(&f, LINK_RAW, &s, 0, false);
        f.b[0] = (uint8_t)(0x40 | ihl);
        char what[32];
        snprintf(what, sizeof what, "IHL %u", ihl);
        expect_outcome(LINK_RAW, f.b, f.len, DECODE_MALFORMED, what);
    }
}

Test(decode_ipv4, total_length_shorter_than_headers_is_malformed)
{
    struct pkt_spec s = spec_v4();
    struct frame f;
    frame_build(&f, LINK_RAW, &s, 0, false);
    put16(f.b + 2, 19); /* shorter than the IPv4 header */
    expect_outcome(LINK_RAW, f.b, f.len, DECODE_MALFORMED, "total length 19");
}

Test(decode_ipv4, ip_length_too_short_for_a_tcp_header_is_malformed)
{
    /* BUG: analysis/decode.c decode_ipv4() (and decode_ipv6()) trims the cursor to the
     * datagram length the IP header declares ("c.len = c.pos + payload") and decode_tcp() then
     * reports "TCP header cut short by the capture" (DECODE_TRUNCATED) although all 40 bytes
     * were captured: it is the IP length field that leaves no room for the 20-byte TCP header.
     * Expected DECODE_MALFORMED (the bytes are there but impossible); as it is, a damaged
     * packet is counted and warned about as a snap-length truncation. */
    struct pkt_spec s = spec_v4();
    struct frame f;
    frame_build(&f, LINK_RAW, &s, 0, false);
    struct decoded_packet p;
    put16(f.b + 2, 30); /* IPv4 header plus 10 bytes */
    enum decode_outcome o = decode_frame(LINK_RAW, &f, &p, NULL);
    cr_expect_eq(o, DECODE_MALFORMED, "IPv4 total length 30: %s", decode_outcome_name(o));
    struct pkt_spec s6 = spec_v6();
    frame_build(&f, LINK_IPV6, &s6, 0, false);
    put16(f.b + 4, 10); /* IPv6 payload length 10 */
    o = decode_frame(LINK_IPV6, &f, &p, NULL);
    cr_expect_eq(o, DECODE_MALFORMED, "IPv6 payload length 10: %s", decode_outcome_name(o));
}

Test(decode_ipv4, ip_length_beyond_the_wire_length_is_not_trusted)
{
    /* BUG: analysis/decode.c decode_ipv4() takes ip_len from the total-length field without
     * comparing it with ctx->wire_left (the bytes the frame had on the wire, which libpcap's
     * len gives even when caplen is cut), and decode_ipv6() does the same with the payload
     * length. A 50-byte frame whose header claims 1500 bytes decodes as DECODE_TCP with
     * payload_len 1460: 1450 bytes that never existed are counted as payload. The snap length
     * cannot explain it (wirelen == caplen here). Expected DECODE_MALFORMED. */
    struct pkt_spec s = spec_v4();
    struct frame f;
    struct decoded_packet p;
    frame_build(&f, LINK_RAW, &s, 0, false);
    put16(f.b + 2, 1500);
    enum decode_outcome o = decode_frame(LINK_RAW, &f, &p, NULL);
    cr_expect_eq(o, DECODE_MALFORMED, "IPv4: outcome %s, payload_len %u", decode_outcome_name(o), p.payload_len);
    struct pkt_spec s6 = spec_v6();
    frame_build(&f, LINK_IPV6, &s6, 0, false);
    put16(f.b + 4, 1480);
    o = decode_frame(LINK_IPV6, &f, &p, NULL);
    cr_expect_eq(o, DECODE_MALFORMED, "IPv6: outcome %s, payload_len %u", decode_outcome_name(o), p.payload_len);
}

Test(decode_ipv4, total_length_zero_falls_back_to_the_frame_length)
{
    /* What TCP segmentation offload leaves in a capture taken on the sender. */
    struct pkt_spec s = spec_v4();
    s.payload_len = 3000;
    struct frame f;
    frame_build(&f, LINK_ETHERNET, &s, 0, false);
    put16(f.b + 14 + 2, 0);
    expect_tcp(LINK_ETHERNET, &f, &s, "total length 0");
}

Test(decode_ipv4, non_first_fragment)
{
    struct pkt_spec s = spec_v4();
    struct frame f;
    frame_build(&f, LINK_ETHERNET, &s, 0, false);
    put16(f.b + 14 + 6, 185);            /* offset 1480, no more fragments */
    expect_outcome(LINK_ETHERNET, f.b, f.len, DECODE_FRAGMENT, "offset 1480");
    put16(f.b + 14 + 6, 0x2000 | 1);     /* offset 8, more fragments */
    expect_outcome(LINK_ETHERNET, f.b, f.len, DECODE_FRAGMENT, "offset 8 + MF");
    f.b[14 + 9] = 17;                    /* a UDP fragment is a fragment too */
    expect_outcome(LINK_ETHERNET, f.b, f.len, DECODE_FRAGMENT, "UDP fragment");
}

Test(decode_ipv4, first_fragment_decodes)
{
    /* A 100-byte segment split after 48 bytes of IP payload: the first fragment holds the
     * TCP header and 28 bytes of data. */
    struct pkt_spec s = spec_v4();
    s.payload_len = 100;
    uint8_t ip[256];
    size_t n = pkt_build_ip(&s, ip, sizeof ip);
    cr_assert_eq(n, 140);
    put16(ip + 2, 20 + 48);
    put16(ip + 6, 0x2000); /* MF, offset 0 */
    ipv4_fix_header_checksum(ip);
    struct decoded_packet p;
    const char *why = NULL;
    enum decode_outcome o = decode_exact(LINK_RAW, ip, 68, 68, &p, &why);
    cr_assert_eq(o, DECODE_TCP, "outcome %s (%s)", decode_outcome_name(o), why ? why : "-");
    cr_assert_eq(p.sport, 40000);
    cr_assert_eq(p.dport, 80);
    cr_assert_eq(p.seq, 1000);
    /* BUG: analysis/decode.c decode_tcp() (the `if (captured >= ip_payload_len)` checksum
     * block) verifies the TCP checksum over the first fragment alone. The checksum covers the
     * whole segment, which this fragment does not hold, so a correct segment is reported as
     * CHECKSUM_BAD (and counted as a bad-checksum anomaly). Expected: CHECKSUM_UNVERIFIED
     * whenever IPv4 MF is set (or the IPv6 fragment header's M bit). */
    cr_expect_eq(p.checksum, CHECKSUM_UNVERIFIED, "first fragment checksum %s",
                 p.checksum == CHECKSUM_BAD ? "BAD" : p.checksum == CHECKSUM_GOOD ? "GOOD" : "UNVERIFIED");
}

Test(decode_ipv4, other_protocols_are_not_tcp)
{
    static const uint8_t protos[] = {1, 17, 50, 51, 132};
    for (size_t i = 0; i < sizeof protos; i++) {
        struct pkt_spec s = spec_v4();
        struct frame f;
        frame_build(&f, LINK_ETHERNET, &s, 0, false);
        f.b[14 + 9] = protos[i];
        char what[32];
        snprintf(what, sizeof what, "IP protocol %u", protos[i]);
        expect_outcome(LINK_ETHERNET, f.b, f.len, DECODE_NOT_TCP, what);
    }
}

/* ---- IPv6 ------------------------------------------------------------------------------------ */

Test(decode_ipv6, hop_by_hop_destination_options_and_atomic_fragment)
{
    struct pkt_spec s = spec_v6();
    uint8_t ip[FRAME_MAX];
    size_t n = ipv6_with_three_ext(ip, &s, 0);
    struct frame f;
    frame_wrap(&f, LINK_ETHERNET, ip, n, 40 + 24, 20, 0, false);
    expect_tcp(LINK_ETHERNET, &f, &s, "HBH + DO + fragment offset 0");
}

Test(decode_ipv6, first_fragment_decodes)
{
    struct pkt_spec s = spec_v6();
    s.payload_len = 100;
    uint8_t ip[FRAME_MAX];
    size_t n = ipv6_with_three_ext(ip, &s, 0x0001); /* offset 0, M */
    /* Keep the TCP header and 28 bytes of data in this fragment. */
    size_t keep = 40 + 24 + 48;
    cr_assert_lt(keep, n);
    put16(ip + 4, (uint16_t)(keep - 40));
    struct decoded_packet p;
    const char *why = NULL;
    enum decode_outcome o = decode_exact(LINK_IPV6, ip, keep, keep, &p, &why);
    cr_assert_eq(o, DECODE_TCP, "outcome %s (%s)", decode_outcome_name(o), why ? why : "-");
    cr_assert_eq(p.sport, 40000);
    cr_assert_eq(p.seq, 1000);
    /* BUG: same as decode_ipv4::first_fragment_decodes: analysis/decode.c verifies the
     * checksum over the first fragment only; expected CHECKSUM_UNVERIFIED. */
    cr_expect_eq(p.checksum, CHECKSUM_UNVERIFIED, "first fragment checksum %s",
                 p.checksum == CHECKSUM_BAD ? "BAD" : p.checksum == CHECKSUM_GOOD ? "GOOD" : "UNVERIFIED");
}

Test(decode_ipv6, non_first_fragment)
{
    struct pkt_spec s = spec_v6();
    uint8_t ip[FRAME_MAX];
    size_t n = ipv6_with_three_ext(ip, &s, 1448 | 1);
    expect_outcome(LINK_IPV6, ip, n, DECODE_FRAGMENT, "offset 1448 + M");
    n = ipv6_with_three_ext(ip, &s, 1448);
    expect_outcome(LINK_IPV6, ip, n, DECODE_FRAGMENT, "last fragment");
}

Test(decode_ipv6, authentication_header_is_walked)
{
    struct pkt_spec s = spec_v6();
    uint8_t ip[FRAME_MAX];
    uint8_t ah[24] = {6, 4}; /* next TCP; length 4 => (4 + 2) * 4 = 24 bytes */
    size_t n = pkt_build_ip(&s, ip, sizeof ip);
    n = ipv6_insert_ext(ip, n, 51, ah, sizeof ah);
    struct frame f;
    frame_wrap(&f, LINK_RAW, ip, n, 40 + 24, 20, 0, false);
    expect_tcp(LINK_RAW, &f, &s, "AH");
}

Test(decode_ipv6, esp_udp_icmp_and_no_next_header_are_not_tcp)
{
    static const uint8_t nexts[] = {50, 17, 58, 59};
    for (size_t i = 0; i < sizeof nexts; i++) {
        struct pkt_spec s = spec_v6();
        struct frame f;
        frame_build(&f, LINK_IPV6, &s, 0, false);
        f.b[6] = nexts[i];
        char what[32];
        snprintf(what, sizeof what, "next header %u", nexts[i]);
        expect_outcome(LINK_IPV6, f.b, f.len, DECODE_NOT_TCP, what);
    }
    /* UDP behind a hop-by-hop header. */
    struct pkt_spec s = spec_v6();
    uint8_t ip[FRAME_MAX];
    uint8_t hbh[8] = {17, 0, 1, 4};
    size_t n = pkt_build_ip(&s, ip, sizeof ip);
    n = ipv6_insert_ext(ip, n, 0, hbh, sizeof hbh);
    expect_outcome(LINK_IPV6, ip, n, DECODE_NOT_TCP, "HBH then UDP");
}

Test(decode_ipv6, extension_longer_than_payload_is_malformed)
{
    struct pkt_spec s = spec_v6();
    uint8_t ip[FRAME_MAX];
    uint8_t hbh[8] = {6, 200, 1, 4}; /* claims (200 + 1) * 8 bytes */
    size_t n = pkt_build_ip(&s, ip, sizeof ip);
    n = ipv6_insert_ext(ip, n, 0, hbh, sizeof hbh);
    expect_outcome(LINK_IPV6, ip, n, DECODE_MALFORMED, "HBH of 1608 bytes");
}

Test(decode_ipv6, too_many_extension_headers_are_malformed)
{
    struct pkt_spec s = spec_v6();
    uint8_t ip[FRAME_MAX], ext[17 * 8];
    memset(ext, 0, sizeof ext);
    for (int i = 0; i < 17; i++) {
        ext[i * 8] = i == 16 ? 6 : 60;
        ext[i * 8 + 2] = 1;
        ext[i * 8 + 3] = 4;
    }
    size_t n = pkt_build_ip(&s, ip, sizeof ip);
    n = ipv6_insert_ext(ip, n, 60, ext, sizeof ext);
    expect_outcome(LINK_IPV6, ip, n, DECODE_MALFORMED, "17 destination options headers");
}
