/* test_capture_interfaces.c — capture_analyze() on pcapng files with several interfaces and
 * sections, and on files it must refuse rather than report in part (issue 15).
 *
 * Files are built with tests/support/capbuild (block by block) and the classic conversation
 * of pktbuild.h, one conversation per interface on its own client port. Covered: two and
 * three interfaces of different link types and snap lengths equal, session for session, to
 * each interface's packets read alone; two sections of different byte order with Simple and
 * obsolete Packet Blocks; interface names; an interface of a link type we do not decode (an
 * error at its first packet, harmless without packets); the filter compiled per link type;
 * a pcapng file with no interface; a file cut inside its last block (a warning); damaged and
 * trailing gzip data. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capbuild.h"
#include "capture.h"
#include "pktbuild.h"
#include "scratch.h"

#define T0_US 1700000000000000ull

/* In the suite "capture" (test_capture.c, whose .init makes the scratch folder): with a suite
 * of its own, Criterion 2.4.1's runner leaked 48 bytes under -j2 (make test-sanitize). */

/* The classic conversation (pktbuild.h), segment by segment. */
static const struct pkt_segment *const script = pkt_classic_script;

struct iface {
    int linktype; /* as written in the file (LINKTYPE_) */
    int dlt;      /* for pkt_wrap */
    int ip_version;
    uint32_t snaplen;
};

static struct pkt_flow flow_of(const struct iface *f, int k)
{
    struct pkt_flow fl = {
        .linktype = f->dlt, .ip_version = f->ip_version,
        .client = f->ip_version == 6 ? "2001:db8::1" : "192.0.2.1",
        .server = f->ip_version == 6 ? "2001:db8::2" : "198.51.100.2",
        .cport = (uint16_t)(40000 + k), .sport = 80, .cisn = 1000u + (uint32_t)k, .sisn = 5000u + (uint32_t)k,
    };
    return fl;
}

static size_t segment_frame(const struct iface *f, int k, int i, uint8_t *out, size_t cap)
{
    struct pkt_flow fl = flow_of(f, k);
    size_t n = pkt_flow_frame(&fl, script[i].dir, script[i].flags, script[i].seq, script[i].ack, script[i].len,
                              out, cap);
    cr_assert_gt(n, 0);
    return n;
}

/* Interleaves the conversation of each of n interfaces (interface k: client port 40000 + k)
 * as Enhanced Packet Blocks numbered from first_id, and writes each interface's packets
 * alone into parts[k] (a pcap file), when parts is not NULL. */
static void interleave(struct capbuild *c, const struct iface *ifs, int n, int first_id, int k0,
                       struct capbuild *parts)
{
    for (int i = 0; i < PKT_CLASSIC_SEGMENTS; i++) {
        for (int k = 0; k < n; k++) {
            uint8_t fr[512];
            size_t len = segment_frame(&ifs[k], k0 + k, i, fr, sizeof fr);
            uint64_t us = T0_US + (uint64_t)i * 1000 + (uint64_t)k;
            cb_epb(c, (uint32_t)(first_id + k), us, fr, (uint32_t)len, (uint32_t)len);
            if (parts)
                cb_pcap_record(&parts[k], CB_PCAP_US, (uint32_t)(us / 1000000), (uint32_t)(us % 1000000), fr,
                               (uint32_t)len, (uint32_t)len);
        }
    }
}

static const char *write_cb(struct capbuild *c, const char *name)
{
    const char *path = scratch_path(name);
    cr_assert_eq(cb_write_file(c, path), 0);
    cb_free(c);
    return path;
}

static struct capture_report *analyze_ok(const char *path, const struct capture_options *opt)
{
    struct capture_report *r = NULL;
    char err[512] = "";
    cr_assert_eq(capture_analyze(path, opt, &r, err, sizeof err), 0, "%s: %s", path, err);
    return r;
}

static void analyze_fails(const char *path, const struct capture_options *opt, const char *must_contain)
{
    struct capture_report *r = NULL;
    char err[512] = "";
    cr_assert_eq(capture_analyze(path, opt, &r, err, sizeof err), -1, "%s converted", path);
    cr_assert_null(r);
    cr_assert(strstr(err, must_contain) != NULL, "message lacks \"%s\": \"%s\"", must_contain, err);
}

/* The session on client port cport, or NULL. */
static const struct session *by_port(const struct capture_report *r, uint16_t cport)
{
    for (size_t i = 0; i < r->n_sessions; i++)
        if (capture_session(r, i, NULL)->side[ROLE_CLIENT].port == cport)
            return capture_session(r, i, NULL);
    return NULL;
}

/* The same session, as far as reading it with other packets around it can leave it the
 * same: everything but ids and packet numbers. */
static void assert_same_session(const struct session *a, const struct session *b)
{
    cr_assert_eq(a->ip_version, b->ip_version);
    cr_assert_arr_eq(a->side[0].addr, b->side[0].addr, 16);
    cr_assert_arr_eq(a->side[1].addr, b->side[1].addr, 16);
    cr_assert_eq(a->side[1].port, b->side[1].port);
    for (int k = 0; k < 2; k++) {
        cr_assert_eq(a->side[k].packets, b->side[k].packets);
        cr_assert_eq(a->side[k].payload_bytes, b->side[k].payload_bytes);
        cr_assert_eq(a->side[k].isn, b->side[k].isn);
        cr_assert_eq(a->side[k].state, b->side[k].state);
    }
    cr_assert_eq(a->handshake, b->handshake);
    cr_assert_eq(a->teardown, b->teardown);
    cr_assert_eq(a->anomalies, b->anomalies);
    cr_assert_str_eq(a->conn_state, b->conn_state);
    cr_assert_str_eq(a->zeek_history, b->zeek_history);
    cr_assert_eq(a->wireshark_completeness, b->wireshark_completeness);
    cr_assert_eq(a->first_ts, b->first_ts);
    cr_assert_eq(a->last_ts, b->last_ts);
}

/* Reads the whole file and each part, and checks that the whole is the parts together. */
static void assert_whole_is_parts(const char *whole, struct capbuild *parts, const struct iface *ifs, int n,
                                  int k0)
{
    struct capture_report *r = analyze_ok(whole, NULL);
    cr_assert_eq(r->n_sessions, (size_t)n);
    cr_assert_eq(r->counts.total, (uint64_t)n * PKT_CLASSIC_SEGMENTS);
    cr_assert_eq(r->counts.by_outcome[DECODE_TCP], (uint64_t)n * PKT_CLASSIC_SEGMENTS);
    cr_assert_eq(r->n_warnings, 0, "%s", r->n_warnings ? r->warnings[0].message : "");
    for (int k = 0; k < n; k++) {
        char name[32];
        snprintf(name, sizeof name, "part%d.pcap", k);
        const char *path = write_cb(&parts[k], name);
        struct capture_report *p = analyze_ok(path, NULL);
        cr_assert_eq(p->n_sessions, 1);
        cr_assert_eq(p->link_type, ifs[k].dlt);
        const struct session *s = by_port(r, (uint16_t)(40000 + k0 + k));
        cr_assert_not_null(s, "no session of interface %d", k);
        assert_same_session(s, capture_session(p, 0, NULL));
        cr_assert_eq(s->handshake, HANDSHAKE_NORMAL);
        cr_assert_eq(s->teardown, TEARDOWN_FOUR_WAY);
        capture_report_free(p);
    }
    capture_report_free(r);
}

static void parts_init(struct capbuild *parts, const struct iface *ifs, int n)
{
    for (int k = 0; k < n; k++) {
        cb_init(&parts[k]);
        cb_pcap_header(&parts[k], false, CB_PCAP_US, 262144, (uint32_t)ifs[k].linktype);
    }
}

/* ---- several interfaces ----------------------------------------------------------------------- */

Test(capture, two_interfaces_of_different_link_types_and_snap_lengths)
{
    static const struct iface ifs[] = {{LINK_ETHERNET, LINK_ETHERNET, 4, 262144}, {113, LINK_LINUX_SLL, 6, 1500}};
    struct capbuild c, parts[2];
    cb_init(&c);
    parts_init(parts, ifs, 2);
    cb_shb(&c, false);
    cb_idb_name(&c, LINK_ETHERNET, 262144, "eth0");
    cb_idb(&c, 113, 1500, -1, 0);
    interleave(&c, ifs, 2, 0, 0, parts);
    const char *path = write_cb(&c, "two.pcapng");

    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_str_eq(r->format, "pcapng");
    cr_assert_eq(r->n_interfaces, 2);
    cr_assert_eq(r->link_type, 1, "the first interface's");
    cr_assert_str_eq(r->link_name, "EN10MB");
    cr_assert_eq(r->interfaces[0].link_type, 1);
    cr_assert_str_eq(r->interfaces[0].name, "eth0");
    cr_assert_eq(r->interfaces[0].snaplen, 262144);
    cr_assert_eq(r->interfaces[0].packets, PKT_CLASSIC_SEGMENTS);
    cr_assert_eq(r->interfaces[1].link_type, 113);
    cr_assert_str_eq(r->interfaces[1].link_name, "LINUX_SLL");
    cr_assert_str_eq(r->interfaces[1].name, "");
    cr_assert_eq(r->interfaces[1].snaplen, 1500);
    cr_assert_eq(r->interfaces[1].packets, PKT_CLASSIC_SEGMENTS);
    capture_report_free(r);
    assert_whole_is_parts(path, parts, ifs, 2, 0);
}

Test(capture, three_interfaces_ethernet_bsd_loopback_raw)
{
    static const struct iface ifs[] = {
        {LINK_ETHERNET, LINK_ETHERNET, 4, 65535}, {LINK_NULL, LINK_NULL, 4, 4096}, {101, LINK_RAW, 6, 9000}};
    struct capbuild c, parts[3];
    cb_init(&c);
    parts_init(parts, ifs, 3);
    cb_shb(&c, false);
    for (int k = 0; k < 3; k++)
        cb_idb(&c, (uint16_t)ifs[k].linktype, ifs[k].snaplen, -1, 0);
    interleave(&c, ifs, 3, 0, 0, parts);
    const char *path = write_cb(&c, "three.pcapng");
    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_eq(r->n_interfaces, 3);
    cr_assert_eq(r->interfaces[2].link_type, 12, "LINKTYPE_RAW 101 is DLT_RAW 12");
    capture_report_free(r);
    assert_whole_is_parts(path, parts, ifs, 3, 0);
}

Test(capture, two_sections_of_different_byte_order)
{
    /* The second section is big-endian, numbers its interfaces from 0 again and carries one
     * conversation in obsolete Packet Blocks. */
    static const struct iface first[] = {{LINK_ETHERNET, LINK_ETHERNET, 4, 262144}, {276, LINK_LINUX_SLL2, 6, 2000}};
    static const struct iface second[] = {{LINK_LOOP, LINK_LOOP, 6, 65535}};
    static const struct iface all[] = {{LINK_ETHERNET, LINK_ETHERNET, 4, 262144}, {276, LINK_LINUX_SLL2, 6, 2000},
                                       {LINK_LOOP, LINK_LOOP, 6, 65535}};
    struct capbuild c, parts[3];
    cb_init(&c);
    parts_init(parts, all, 3);
    cb_shb(&c, false);
    cb_idb(&c, LINK_ETHERNET, 262144, 6, 0);
    cb_idb(&c, 276, 2000, 9, 0);
    /* interface 1 counts in nanoseconds: its part gets the same microseconds */
    for (int i = 0; i < PKT_CLASSIC_SEGMENTS; i++) {
        for (int k = 0; k < 2; k++) {
            uint8_t fr[512];
            size_t len = segment_frame(&first[k], k, i, fr, sizeof fr);
            uint64_t us = T0_US + (uint64_t)i * 1000 + (uint64_t)k;
            cb_epb(&c, (uint32_t)k, k ? us * 1000 : us, fr, (uint32_t)len, (uint32_t)len);
            cb_pcap_record(&parts[k], CB_PCAP_US, (uint32_t)(us / 1000000), (uint32_t)(us % 1000000), fr,
                           (uint32_t)len, (uint32_t)len);
        }
    }
    cb_shb(&c, true);
    cb_idb(&c, LINK_LOOP, 65535, -1, 0);
    for (int i = 0; i < PKT_CLASSIC_SEGMENTS; i++) {
        uint8_t fr[512];
        size_t len = segment_frame(&second[0], 2, i, fr, sizeof fr);
        uint64_t us = T0_US + 60000000 + (uint64_t)i * 1000;
        cb_opb(&c, 0, us, fr, (uint32_t)len, (uint32_t)len);
        cb_pcap_record(&parts[2], CB_PCAP_US, (uint32_t)(us / 1000000), (uint32_t)(us % 1000000), fr,
                       (uint32_t)len, (uint32_t)len);
    }
    const char *path = write_cb(&c, "sections.pcapng");
    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_eq(r->n_interfaces, 3);
    cr_assert_eq(r->interfaces[2].section, 1);
    cr_assert_eq(r->interfaces[2].link_type, LINK_LOOP);
    cr_assert_eq(r->interfaces[2].packets, PKT_CLASSIC_SEGMENTS);
    cr_assert_eq(r->ts_digits, 6, "whole microseconds, though interface 1 counts in ns");
    capture_report_free(r);
    assert_whole_is_parts(path, parts, all, 3, 0);
}

/* ---- what must be refused --------------------------------------------------------------------- */

Test(capture, an_undecodable_interface_with_packets_is_an_error)
{
    static const struct iface ifs[] = {{LINK_ETHERNET, LINK_ETHERNET, 4, 262144}};
    uint8_t junk[40] = {0};
    struct capbuild c;
    cb_init(&c);
    cb_shb(&c, false);
    cb_idb(&c, LINK_ETHERNET, 262144, -1, 0);
    cb_idb(&c, 147, 262144, -1, 0); /* LINKTYPE_USER0 */
    interleave(&c, ifs, 1, 0, 0, NULL);
    cb_epb(&c, 1, T0_US + 100000, junk, sizeof junk, sizeof junk);
    const char *path = write_cb(&c, "user0.pcapng");
    analyze_fails(path, NULL, "unsupported link type 147 (DLT_147");
    analyze_fails(path, NULL, "on interface 1 (packet 12)");
}

Test(capture, an_undecodable_interface_without_packets_is_listed)
{
    static const struct iface ifs[] = {{LINK_ETHERNET, LINK_ETHERNET, 4, 262144}};
    struct capbuild c;
    cb_init(&c);
    cb_shb(&c, false);
    cb_idb(&c, 147, 262144, -1, 0);
    cb_idb(&c, LINK_ETHERNET, 262144, -1, 0);
    interleave(&c, ifs, 1, 1, 0, NULL);
    const char *path = write_cb(&c, "idle-user0.pcapng");
    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_eq(r->n_interfaces, 2);
    cr_assert_eq(r->interfaces[0].link_type, 147);
    cr_assert_eq(r->interfaces[0].packets, 0);
    cr_assert_eq(r->link_type, 147, "the first interface's, though it has no packets");
    cr_assert_eq(r->n_sessions, 1);
    cr_assert_eq(r->n_warnings, 0);
    capture_report_free(r);
}

/* Two interfaces, Ethernet (IPv4) and raw IP (raw_ip_version), each with its classic session,
 * interleaved; the last cut bytes cut off; written as name. */
static const char *eth_and_raw(int raw_ip_version, size_t cut, const char *name)
{
    const struct iface ifs[] = {{LINK_ETHERNET, LINK_ETHERNET, 4, 262144}, {101, LINK_RAW, raw_ip_version, 262144}};
    struct capbuild c;
    cb_init(&c);
    cb_shb(&c, false);
    cb_idb(&c, LINK_ETHERNET, 262144, -1, 0);
    cb_idb(&c, 101, 262144, -1, 0);
    interleave(&c, ifs, 2, 0, 0, NULL);
    c.len -= cut;
    return write_cb(&c, name);
}

Test(capture, the_filter_is_compiled_for_each_link_type)
{
    const char *path = eth_and_raw(4, 0, "eth-raw.pcapng");

    struct capture_options opt = {.filter = "tcp port 40001"}; /* interface 1's conversation */
    struct capture_report *r = analyze_ok(path, &opt);
    cr_assert_eq(r->counts.filtered_out, PKT_CLASSIC_SEGMENTS);
    cr_assert_eq(r->n_sessions, 1);
    cr_assert_eq(capture_session(r, 0, NULL)->side[ROLE_CLIENT].port, 40001);
    capture_report_free(r);

    /* Ethernet addresses on raw IP: the report would leave those packets out. */
    opt.filter = "ether src 02:00:00:00:00:01";
    analyze_fails(path, &opt, "bad filter \"ether src 02:00:00:00:00:01\" for link type 12 (RAW)");
    opt.filter = "port eighty and (";
    analyze_fails(path, &opt, "bad filter");
}

Test(capture, a_pcapng_file_without_an_interface_is_not_a_capture)
{
    struct capbuild c;
    cb_init(&c);
    cb_shb(&c, false);
    const char *path = write_cb(&c, "shb-only.pcapng");
    analyze_fails(path, NULL, "not a readable capture file (the pcapng file ends before it describes an interface)");

    cb_init(&c);
    cb_shb(&c, false);
    cb_idb(&c, LINK_ETHERNET, 262144, 6, 0);
    c.len -= 6; /* cut inside the interface description */
    path = write_cb(&c, "cut-idb.pcapng");
    analyze_fails(path, NULL, "ends before it describes an interface: the file ends inside a block");
}

Test(capture, a_file_cut_inside_its_last_block_is_a_warning)
{
    const char *path = eth_and_raw(6, 10, "cut.pcapng");
    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_eq(r->counts.total, 2 * PKT_CLASSIC_SEGMENTS - 1);
    cr_assert_eq(r->n_warnings, 1);
    cr_assert_str_eq(r->warnings[0].code, "damaged-tail");
    cr_assert_eq(r->warnings[0].packet, 2 * PKT_CLASSIC_SEGMENTS);
    cr_assert(strstr(r->warnings[0].message, "packet 22: the file ends inside a block at byte") != NULL, "%s",
              r->warnings[0].message);
    cr_assert(strstr(r->warnings[0].message, "the capture was cut short") != NULL, "%s", r->warnings[0].message);
    capture_report_free(r);
}

/* ---- gzip ------------------------------------------------------------------------------------- */

static const char *gzip_classic(const char *name)
{
    static const struct iface ifs[] = {{LINK_ETHERNET, LINK_ETHERNET, 4, 262144}};
    struct capbuild c;
    cb_init(&c);
    cb_pcap_header(&c, false, CB_PCAP_US, 262144, LINK_ETHERNET);
    for (int i = 0; i < PKT_CLASSIC_SEGMENTS; i++) {
        uint8_t fr[512];
        size_t len = segment_frame(&ifs[0], 0, i, fr, sizeof fr);
        cb_pcap_record(&c, CB_PCAP_US, 1700000000, (uint32_t)i, fr, (uint32_t)len, (uint32_t)len);
    }
    const char *path = write_cb(&c, name);
    free(scratch_run("gzip -n -f '%s'", path));
    return scratch_path(name); /* the caller adds .gz */
}

Test(capture, damaged_gzip_data_is_an_error)
{
    char gz[512];
    snprintf(gz, sizeof gz, "%s.gz", gzip_classic("dmg.pcap"));
    FILE *f = fopen(gz, "r+b");
    cr_assert_not_null(f);
    cr_assert_eq(fseek(f, 60, SEEK_SET), 0);
    fwrite("\xff\xff\xff\xff\xff\xff", 1, 6, f);
    cr_assert_eq(fclose(f), 0);
    analyze_fails(gz, NULL, "the gzip data is damaged (");
}

Test(capture, bytes_after_the_gzip_data_are_a_warning)
{
    char gz[512];
    snprintf(gz, sizeof gz, "%s.gz", gzip_classic("trail.pcap"));
    FILE *f = fopen(gz, "ab");
    cr_assert_not_null(f);
    fputs("not gzip", f);
    cr_assert_eq(fclose(f), 0);
    struct capture_report *r = analyze_ok(gz, NULL);
    cr_assert_eq(r->counts.total, PKT_CLASSIC_SEGMENTS);
    cr_assert_eq(r->n_warnings, 1);
    cr_assert_str_eq(r->warnings[0].code, "damaged-tail");
    cr_assert_eq(r->warnings[0].packet, 0, "about no packet");
    cr_assert_str_eq(r->warnings[0].message, "bytes after the gzip data were ignored");
    capture_report_free(r);
}

Test(capture, gzip_data_that_ends_early_is_a_warning)
{
    char gz[512];
    snprintf(gz, sizeof gz, "%s.gz", gzip_classic("early.pcap"));
    FILE *f = fopen(gz, "rb");
    cr_assert_not_null(f);
    cr_assert_eq(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    fclose(f);
    cr_assert_eq(truncate(gz, size - 30), 0);
    struct capture_report *r = analyze_ok(gz, NULL);
    cr_assert_lt(r->counts.total, PKT_CLASSIC_SEGMENTS);
    const struct capture_warning *w = &r->warnings[r->n_warnings - 1];
    cr_assert_str_eq(w->code, "damaged-tail");
    cr_assert_eq(w->packet, r->counts.total + 1);
    cr_assert(strstr(w->message, "the gzip data ends early: the capture was cut short") != NULL, "%s", w->message);
    capture_report_free(r);
}
