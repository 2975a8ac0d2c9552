/* test_capfile.c — the pcap/pcapng reader (analysis/capfile.c) on crafted files.
 *
 * Files are built in memory with tests/support/capbuild and read through fmemopen, so each
 * test states its bytes. Covered: pcap in µs, ns and the modified format, both byte orders;
 * pcapng with 2 and 3 interfaces of different link types and snap lengths, if_tsresol 6, 9
 * and powers of 2, if_tsoffset, two sections of different byte order, Simple and obsolete
 * Packet Blocks, unknown blocks; the BPF filter compiled per link type
 * (analysis/capfilter.c). Damaged files: test_capfile_damage.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capbuild.h"
#include "capfile.h"
#include "capfile_fixtures.h"
#include "capfilter.h"
#include "decode.h"
#include "pktbuild.h"

/* ---- pcap ------------------------------------------------------------------------------- */

Test(capfile_pcap, microsecond_and_nanosecond_in_both_byte_orders)
{
    static const enum cb_pcap_kind kinds[] = {CB_PCAP_US, CB_PCAP_NS, CB_PCAP_MODIFIED};
    for (int be = 0; be < 2; be++) {
        for (size_t k = 0; k < 3; k++) {
            struct capbuild c;
            uint8_t d[100];
            cb_init(&c);
            cb_pcap_header(&c, be, kinds[k], 65535, 101);
            frame(d, sizeof d, 7);
            cb_pcap_record(&c, kinds[k], 1700000000, kinds[k] == CB_PCAP_NS ? 123456789 : 123456, d, 60, 100);
            cb_pcap_record(&c, kinds[k], 1700000001, kinds[k] == CB_PCAP_NS ? 1 : 999999, d, 100, 100);
            struct got g;
            read_ok(&c, &g);
            cr_assert_eq(g.n, 2, "be %d kind %zu", be, k);
            cr_assert_eq(g.p[0].caplen, 60);
            cr_assert_eq(g.p[0].len, 100);
            cr_assert_eq(g.first_byte[0], 7);
            cr_assert_eq(g.p[0].dlt, 12, "LINKTYPE_RAW is DLT_RAW (12) as libpcap maps it");
            cr_assert_eq(g.p[0].ts_sec, 1700000000);
            cr_assert_eq(g.p[0].ts_nsec, kinds[k] == CB_PCAP_NS ? 123456789u : 123456000u);
            cr_assert_eq(g.p[1].ts_nsec, kinds[k] == CB_PCAP_NS ? 1u : 999999000u);
            cb_free(&c);
        }
    }
}

Test(capfile_pcap, interface_and_format)
{
    struct capbuild c;
    cb_init(&c);
    cb_pcap_header(&c, true, CB_PCAP_NS, 128, 1);
    char err[128];
    FILE *f = mem_file(c.b, c.len);
    struct capfile *cf = capfile_open(f, err, sizeof err);
    cr_assert_not_null(cf, "%s", err);
    cr_assert_eq(capfile_format(cf), CAPFILE_PCAP_NS);
    cr_assert_str_eq(capfile_format_name(capfile_format(cf)), "pcap-ns");
    cr_assert_eq(capfile_interface_count(cf), 1);
    const struct capfile_interface *i = capfile_interface(cf, 0);
    cr_assert_eq(i->linktype, 1);
    cr_assert_eq(i->snaplen, 128);
    cr_assert(i->big_endian);
    cr_assert_null(capfile_interface(cf, 1));
    capfile_close(cf);
    fclose(f);
    cb_free(&c);
}

Test(capfile_pcap, a_damaged_record_length_is_an_error)
{
    struct capbuild c;
    uint8_t d[64] = {0};
    cb_init(&c);
    cb_pcap_header(&c, false, CB_PCAP_US, 65535, 1);
    cb_pcap_record(&c, CB_PCAP_US, 1, 0, d, 64, 64);
    cb_pcap_record(&c, CB_PCAP_US, 2, 0, d, 64, 64);
    cb_pcap_record(&c, CB_PCAP_US, 3, 0, d, 64, 64);
    uint8_t *second = c.b + 24 + 16 + 64;
    second[8] = 0xff, second[9] = 0xff, second[10] = 0xff, second[11] = 0x7f; /* caplen 0x7fffffff */
    struct got g;
    char err[64];
    cr_assert(read_all(c.b, c.len, &g, err, sizeof err));
    cr_assert_eq(g.n, 1);
    cr_assert_eq(g.end, CAPFILE_ERROR);
    cr_assert(strstr(g.why, "captured length 2147483647") != NULL, "%s", g.why);
    cb_free(&c);
}

Test(capfile_pcap, not_a_capture)
{
    static const uint8_t text[] = "hello, this is not a capture file at all";
    struct got g;
    char err[128] = "";
    cr_assert_not(read_all(text, sizeof text, &g, err, sizeof err));
    cr_assert(strstr(err, "unknown file format") != NULL, "%s", err);
    cr_assert_not(read_all(text, 0, &g, err, sizeof err));
    cr_assert_str_eq(err, "the file is empty");
    static const uint8_t v3[24] = {0xd4, 0xc3, 0xb2, 0xa1, 3, 0, 0, 0};
    cr_assert_not(read_all(v3, sizeof v3, &g, err, sizeof err));
    cr_assert(strstr(err, "version 3.0") != NULL, "%s", err);
}

/* ---- pcapng: interfaces, resolutions, sections ----------------------------------------------- */

Test(capfile_pcapng, two_interfaces_with_different_link_types_and_snap_lengths)
{
    struct capbuild c;
    uint8_t d[200];
    frame(d, sizeof d, 1);
    cb_init(&c);
    cb_shb(&c, false);
    cb_idb(&c, 1, 65535, 6, 0);   /* Ethernet, µs */
    cb_idb(&c, 113, 128, 9, 0);   /* Linux cooked, ns */
    cb_epb(&c, 0, 1700000000123456ull, d, 100, 100);
    cb_epb(&c, 1, 1700000000123456789ull, d + 1, 128, 180);
    cb_epb(&c, 0, 1700000001000000ull, d + 2, 60, 60);
    struct got g;
    read_ok(&c, &g);
    cr_assert_eq(g.n, 3);
    cr_assert_eq(g.p[0].dlt, 1);
    cr_assert_eq(g.p[1].dlt, 113);
    cr_assert_eq(g.p[1].interface, 1);
    cr_assert_eq(g.p[1].caplen, 128);
    cr_assert_eq(g.p[1].len, 180);
    cr_assert_eq(g.first_byte[1], 2);
    cr_assert_eq(g.p[0].ts_sec, 1700000000);
    cr_assert_eq(g.p[0].ts_nsec, 123456000);
    cr_assert_eq(g.p[1].ts_sec, 1700000000);
    cr_assert_eq(g.p[1].ts_nsec, 123456789);
    cr_assert_eq(g.p[2].ts_sec, 1700000001);
    cr_assert(g.p[2].has_ts);
    cb_free(&c);
}

Test(capfile_pcapng, an_interface_described_after_packets)
{
    /* libpcap 1.10 stops here ("an interface has a type 113 different from the type of the
     * first interface"); Wireshark writes such files when a capture adds an interface. */
    struct capbuild c;
    uint8_t d[64] = {0};
    cb_init(&c);
    cb_shb(&c, false);
    cb_idb(&c, 1, 65535, -1, 0);
    cb_epb(&c, 0, 1, d, 60, 60);
    cb_idb(&c, 113, 96, 9, 0);
    cb_epb(&c, 1, 2000000000, d, 44, 44);
    cb_epb(&c, 0, 3000000, d, 60, 60);
    struct got g;
    read_ok(&c, &g);
    cr_assert_eq(g.n, 3);
    cr_assert_eq(g.p[1].dlt, 113);
    cr_assert_eq(g.p[1].ts_sec, 2);
    cr_assert_eq(g.p[2].dlt, 1);
    cb_free(&c);
}

Test(capfile_pcapng, three_interfaces_and_power_of_two_resolution)
{
    struct capbuild c;
    uint8_t d[64] = {0x45};
    cb_init(&c);
    cb_shb(&c, true);
    cb_idb(&c, 1, 262144, -1, 0);        /* Ethernet, default µs */
    cb_idb(&c, 0, 1500, 0x80 | 10, 0);   /* BSD loopback, 2^-10 s */
    cb_idb(&c, 101, 96, 3, 0);           /* raw IP, ms */
    cb_epb(&c, 2, 1700000000123ull, d, 40, 40);
    cb_epb(&c, 1, (1700000000ull << 10) | 512, d, 44, 44); /* x + 0.5 s */
    cb_epb(&c, 0, 5, d, 64, 64);
    struct got g;
    read_ok(&c, &g);
    cr_assert_eq(g.n, 3);
    cr_assert_eq(g.p[0].dlt, 12);
    cr_assert_eq(g.p[0].interface, 2);
    cr_assert_eq(g.p[0].ts_sec, 1700000000);
    cr_assert_eq(g.p[0].ts_nsec, 123000000);
    cr_assert_eq(g.p[1].dlt, 0);
    cr_assert_eq(g.p[1].ts_sec, 1700000000);
    cr_assert_eq(g.p[1].ts_nsec, 500000000);
    cr_assert_eq(g.p[2].ts_sec, 0);
    cr_assert_eq(g.p[2].ts_nsec, 5000);
    cb_free(&c);
}

Test(capfile_pcapng, resolutions_and_offsets)
{
    static const struct {
        int tsresol;
        uint64_t ticks;
        int64_t offset, sec;
        uint32_t nsec;
    } cases[] = {
        {6, 1500000, 0, 1, 500000000},
        {9, 2000000001, 0, 2, 1},
        {0, 7, 0, 7, 0},
        {12, 1000000000001ull, 0, 1, 0},              /* picoseconds: the rest is cut */
        {0x80 | 0, 3, 0, 3, 0},
        {0x80 | 20, (3ull << 20) | (1 << 19), 0, 3, 500000000},
        {0x80 | 64, 1ull << 63, 0, 0, 500000000},     /* 2^-64 s ticks */
        {6, 1000000, 1600000000, 1600000001, 0},      /* if_tsoffset */
        {6, 1000000, -1, 0, 0},
        {30, 1000, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int be = 0; be < 2; be++) {
            struct capbuild c;
            uint8_t d[4] = {0};
            cb_init(&c);
            cb_shb(&c, be);
            cb_idb(&c, 1, 0, cases[i].tsresol, cases[i].offset);
            cb_epb(&c, 0, cases[i].ticks, d, 4, 4);
            struct got g;
            read_ok(&c, &g);
            cr_assert_eq(g.n, 1);
            cr_assert_eq(g.p[0].ts_sec, cases[i].sec, "case %zu be %d: sec %lld", i, be, (long long)g.p[0].ts_sec);
            cr_assert_eq(g.p[0].ts_nsec, cases[i].nsec, "case %zu be %d: nsec %u", i, be, g.p[0].ts_nsec);
            cb_free(&c);
        }
    }
}

Test(capfile_pcapng, two_sections_of_different_byte_order)
{
    struct capbuild c;
    size_t pe[16], be[16], nb;
    build_two_sections(&c, pe, be, &nb);
    struct got g;
    read_ok(&c, &g);
    cr_assert_eq(g.n, 5);
    static const int dlts[] = {276, 1, 0, 0, 0};
    static const unsigned ifs[] = {1, 0, 2, 2, 2};
    static const uint32_t caplens[] = {70, 99, 33, 41, 20};
    for (unsigned i = 0; i < 5; i++) {
        cr_assert_eq(g.p[i].dlt, dlts[i], "packet %u dlt %d", i, g.p[i].dlt);
        cr_assert_eq(g.p[i].interface, ifs[i], "packet %u interface", i);
        cr_assert_eq(g.p[i].caplen, caplens[i], "packet %u caplen", i);
        cr_assert_eq(g.first_byte[i], 0x10 + i, "packet %u data", i);
    }
    cr_assert_eq(g.p[0].ts_sec, 1);
    cr_assert_eq(g.p[1].ts_sec, 2);
    cr_assert_eq(g.p[2].ts_sec, 3);
    cr_assert_not(g.p[3].has_ts, "a Simple Packet Block has no timestamp");
    cr_assert_eq(g.p[3].ts_sec, 3, "and gets the previous packet's");
    cr_assert_eq(g.p[4].ts_sec, 4);

    char err[64];
    FILE *f = mem_file(c.b, c.len);
    struct capfile *cf = capfile_open(f, err, sizeof err);
    struct capfile_packet p;
    while (capfile_next(cf, &p) == CAPFILE_PACKET)
        ;
    cr_assert_eq(capfile_section_count(cf), 2);
    cr_assert_eq(capfile_interface_count(cf), 3);
    cr_assert_eq(capfile_interface(cf, 2)->section, 1);
    cr_assert(capfile_interface(cf, 2)->big_endian);
    cr_assert_not(capfile_interface(cf, 0)->big_endian);
    capfile_close(cf);
    fclose(f);
    cb_free(&c);
}

/* The layout of pcapng-test-generator's difficult/test202 (the file other readers test
 * with): three sections, little-, big- and little-endian; name resolution, interface
 * statistics and custom blocks (copyable and not) among the packets; Simple Packet Blocks in
 * the big-endian section; the last packet on the second interface of the third section. */
Test(capfile_pcapng, three_sections_with_every_other_block)
{
    struct capbuild c;
    uint8_t d[160], nrb[4] = {0}, cb[12] = {0x00, 0x00, 0x7e, 0xd9, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0};
    uint8_t isb[12] = {0}; /* interface 0, a timestamp, no options */
    frame(d, sizeof d, 0x20);
    cb_init(&c);
    cb_shb(&c, false);
    cb_idb(&c, 1, 96, -1, 0);
    cb_block(&c, 4, nrb, sizeof nrb);
    cb_idb(&c, 0, 0, -1, 0);
    cb_block(&c, 0x00000BAD, cb, sizeof cb);
    cb_epb(&c, 0, 1, d, 96, 150);
    cb_block(&c, 5, isb, sizeof isb);
    cb_epb(&c, 0, 2, d + 1, 96, 150);
    cb_epb(&c, 1, 3, d + 2, 40, 40);
    cb_shb(&c, true);
    cb_idb(&c, 1, 128, -1, 0);
    cb_spb(&c, d + 3, 128, 150);
    cb_epb(&c, 0, 4, d + 4, 128, 150);
    cb_block(&c, 0x40000BAD, cb, sizeof cb);
    cb_block(&c, 4, nrb, sizeof nrb);
    cb_block(&c, 5, isb, sizeof isb);
    cb_spb(&c, d + 5, 128, 150);
    cb_epb(&c, 0, 5, d + 6, 128, 150);
    cb_shb(&c, false);
    cb_block(&c, 4, nrb, sizeof nrb);
    cb_idb(&c, 1, 96, -1, 0);
    cb_block(&c, 0x40000BAD, cb, sizeof cb);
    cb_idb(&c, 0, 0, -1, 0);
    cb_block(&c, 5, isb, sizeof isb);
    cb_epb(&c, 1, 6, d + 7, 40, 40);
    struct got g;
    read_ok(&c, &g);
    cr_assert_eq(g.n, 8);
    static const unsigned ifs[] = {0, 0, 1, 2, 2, 2, 2, 4};
    static const int dlts[] = {1, 1, 0, 1, 1, 1, 1, 0};
    for (unsigned i = 0; i < 8; i++) {
        cr_assert_eq(g.p[i].interface, ifs[i], "packet %u: interface %u", i, g.p[i].interface);
        cr_assert_eq(g.p[i].dlt, dlts[i], "packet %u: dlt %d", i, g.p[i].dlt);
        cr_assert_eq(g.first_byte[i], 0x20 + i, "packet %u: data", i);
    }
    cr_assert_eq(g.p[3].caplen, 128, "a Simple Packet Block holds min(length, snap length)");
    cr_assert_not(g.p[5].has_ts);
    cr_assert_eq(g.p[7].ts_sec, 0);
    cb_free(&c);
}

Test(capfile_pcapng, simple_packet_block_is_cut_to_the_snap_length)
{
    struct capbuild c;
    uint8_t d[100] = {0};
    cb_init(&c);
    cb_shb(&c, false);
    cb_idb(&c, 1, 64, -1, 0);
    cb_spb(&c, d, 64, 100); /* original 100 bytes, 64 captured */
    struct got g;
    read_ok(&c, &g);
    cr_assert_eq(g.n, 1);
    cr_assert_eq(g.p[0].caplen, 64);
    cr_assert_eq(g.p[0].len, 100);
    cb_free(&c);
}

/* ---- the filter, per link type ------------------------------------------------------------- */

Test(capfilter, one_expression_over_several_link_types)
{
    struct pkt_spec s = {.ip_version = 4, .src = "10.0.0.1", .dst = "10.0.0.2", .sport = 40000, .dport = 80,
                         .seq = 1, .ack = 1, .flags = TCP_ACK, .window = 1000};
    uint8_t ip[128], eth[160], sll[160];
    size_t n = pkt_build_ip(&s, ip, sizeof ip);
    size_t ne = pkt_wrap(LINK_ETHERNET, ip, n, eth, sizeof eth, 0, false);
    size_t ns = pkt_wrap(LINK_LINUX_SLL, ip, n, sll, sizeof sll, 0, false);
    char err[512] = "";
    struct capfilter *f = capfilter_new("tcp port 80");
    cr_assert_not_null(f);
    cr_assert_eq(capfilter_match(f, LINK_ETHERNET, eth, (uint32_t)ne, (uint32_t)ne, err, sizeof err), 1, "%s", err);
    cr_assert_eq(capfilter_match(f, LINK_RAW, ip, (uint32_t)n, (uint32_t)n, err, sizeof err), 1, "%s", err);
    cr_assert_eq(capfilter_match(f, LINK_LINUX_SLL, sll, (uint32_t)ns, (uint32_t)ns, err, sizeof err), 1, "%s", err);
    cr_assert_eq(capfilter_match(f, LINK_ETHERNET, eth, (uint32_t)ne, (uint32_t)ne, err, sizeof err), 1, "%s", err);
    capfilter_free(f);

    f = capfilter_new("tcp port 443");
    cr_assert_eq(capfilter_match(f, LINK_RAW, ip, (uint32_t)n, (uint32_t)n, err, sizeof err), 0);
    capfilter_free(f);

    f = capfilter_new("ether host 02:00:00:00:00:01");
    cr_assert_eq(capfilter_match(f, LINK_ETHERNET, eth, (uint32_t)ne, (uint32_t)ne, err, sizeof err), 1, "%s", err);
    err[0] = '\0';
    cr_assert_eq(capfilter_match(f, LINK_RAW, ip, (uint32_t)n, (uint32_t)n, err, sizeof err), -1);
    cr_assert(strstr(err, "for link type 12 (RAW)") != NULL, "%s", err);
    err[0] = '\0';
    cr_assert_eq(capfilter_match(f, LINK_RAW, ip, (uint32_t)n, (uint32_t)n, err, sizeof err), -1, "again");
    cr_assert(err[0]);
    capfilter_free(f);
    capfilter_free(NULL);
}
