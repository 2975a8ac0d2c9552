/* test_capture.c — capture_analyze() end to end on capture files written into a temp dir.
 *
 * Covers every supported link type, microsecond and nanosecond pcap, a big-endian pcap and
 * pcapng written by hand, files that are not captures, damaged tails, caplen > len, an
 * unsupported link type, the SHA-256 and size against sha256sum (and libcrypto failing), the
 * BPF filter, the session cap, and a 200,000-packet capture. Reading standard input is tested by tests/cli.sh. */
#define _GNU_SOURCE /* popen */
#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "classify.h"
#include "pktbuild.h"
#include "scratch.h"

#define TS0 (1700000000LL * 1000000000LL + 123456000LL)
#define STEP_NS 1000000LL

/* ---- temp dir and helpers -------------------------------------------------------------------- */

static void setup(void) { scratch_create("p2r-capture"); }

TestSuite(capture, .init = setup, .fini = scratch_remove, .timeout = 120);

static const struct pkt_flow classic_flow = {
    .linktype = LINK_ETHERNET, .ip_version = 4, .client = "192.0.2.1", .server = "198.51.100.2",
    .cport = 56952, .sport = 80, .cisn = 310736074u, .sisn = 491778611u,
};

static struct pkt_flow flow_for(int linktype, int ip_version, int vlan_tags, bool be_af)
{
    struct pkt_flow f = classic_flow;
    f.linktype = linktype;
    f.ip_version = ip_version;
    f.vlan_tags = vlan_tags;
    f.big_endian_af = be_af;
    if (ip_version == 6) {
        f.client = "2001:db8::1";
        f.server = "2001:db8::2";
    }
    return f;
}

static void write_classic(const char *path, const struct pkt_flow *f, bool nanosecond, int64_t ts0)
{
    struct pcap_file_writer w;
    cr_assert_eq(pcapw_open(&w, path, f->linktype, nanosecond, 262144), 0, "cannot create %s", path);
    cr_assert_eq(pkt_flow_classic(&w, f, ts0, STEP_NS), PKT_CLASSIC_SEGMENTS);
    cr_assert_eq(pcapw_close(&w), 0);
}

static void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
}

static struct capture_report *analyze_ok(const char *path, const struct capture_options *opt)
{
    struct capture_report *r = NULL;
    char err[512] = "";
    int rc = capture_analyze(path, opt, &r, err, sizeof err);
    cr_assert_eq(rc, 0, "capture_analyze(%s) failed: %s", path, err);
    cr_assert_not_null(r);
    return r;
}

/* Asserts that capture_analyze fails and that its message names the file. */
static void analyze_fails(const char *path, const struct capture_options *opt, const char *must_contain)
{
    struct capture_report *r = (struct capture_report *)1;
    char err[512] = "";
    int rc = capture_analyze(path, opt, &r, err, sizeof err);
    cr_assert_eq(rc, -1, "capture_analyze(%s) returned %d", path, rc);
    cr_assert_null(r, "*out must be NULL on failure");
    cr_assert(strstr(err, path) != NULL, "message does not name the file: \"%s\"", err);
    if (must_contain)
        cr_assert(strstr(err, must_contain) != NULL, "message lacks \"%s\": \"%s\"", must_contain, err);
}

static const struct capture_warning *find_warning(const struct capture_report *r, const char *code)
{
    for (size_t i = 0; i < r->n_warnings; i++)
        if (strcmp(r->warnings[i].code, code) == 0)
            return &r->warnings[i];
    return NULL;
}

static uint64_t outcome_sum(const struct capture_report *r)
{
    uint64_t n = 0;
    for (int o = 0; o < DECODE_OUTCOMES; o++)
        n += r->counts.by_outcome[o];
    return n;
}

/* The SHA-256 and size of a file by another route: sha256sum(1) and stat(2). */
static void assert_fingerprint(const struct capture_report *r, const char *path)
{
    char cmd[512], want[128] = "";
    snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    cr_assert_eq(fscanf(p, "%64s", want), 1);
    cr_assert_eq(pclose(p), 0);
    cr_assert_str_eq(r->sha256, want, "sha256 of %s", path);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(r->size_bytes, (uint64_t)st.st_size, "size_bytes %llu, file has %lld",
                 (unsigned long long)r->size_bytes, (long long)st.st_size);
}

/* The classic session, as every link type must report it. */
static void assert_classic(const struct capture_report *r, int ip_version, const char *what)
{
    cr_assert_eq(r->counts.total, PKT_CLASSIC_SEGMENTS, "%s: total %llu", what, (unsigned long long)r->counts.total);
    cr_assert_eq(r->counts.by_outcome[DECODE_TCP], PKT_CLASSIC_SEGMENTS, "%s: tcp %llu", what,
                 (unsigned long long)r->counts.by_outcome[DECODE_TCP]);
    cr_assert_eq(r->n_warnings, 0, "%s: warning %s", what, r->n_warnings ? r->warnings[0].message : "");
    cr_assert_eq(r->n_sessions, 1, "%s: %zu sessions", what, r->n_sessions);
    cr_assert_eq(r->bad_checksums, 0, "%s: bad checksums", what);
    const struct session *s = capture_session(r, 0);
    cr_assert_eq(s->ip_version, ip_version, "%s", what);
    cr_assert_eq(s->side[ROLE_CLIENT].port, 56952, "%s", what);
    cr_assert_eq(s->side[ROLE_SERVER].port, 80, "%s", what);
    cr_assert_eq(s->side[ROLE_CLIENT].isn, 310736074u, "%s", what);
    cr_assert_eq(s->side[ROLE_SERVER].isn, 491778611u, "%s", what);
    cr_assert_eq(s->side[ROLE_CLIENT].payload_bytes, 100, "%s", what);
    cr_assert_eq(s->side[ROLE_SERVER].payload_bytes, 200, "%s", what);
    cr_assert_eq(s->handshake, HANDSHAKE_NORMAL, "%s: handshake %s", what, handshake_class_name(s->handshake));
    cr_assert_eq(s->teardown, TEARDOWN_FOUR_WAY, "%s: teardown %s", what, teardown_class_name(s->teardown));
    cr_assert_eq(s->anomalies, 0, "%s: anomalies 0x%x", what, s->anomalies);
}

/* ---- link types, end to end ------------------------------------------------------------------ */

Test(capture, every_link_type)
{
    static const struct {
        const char *name;
        int linktype, vlan_tags;
        bool be_af;
        int ip_version;
        int dlt;          /* what pcap_datalink() reports */
        const char *dlt_name;
    } cases[] = {
        {"null LE", LINK_NULL, 0, false, 4, 0, "NULL"},
        {"null BE", LINK_NULL, 0, true, 4, 0, "NULL"},
        {"null LE v6", LINK_NULL, 0, false, 6, 0, "NULL"},
        {"null BE v6", LINK_NULL, 0, true, 6, 0, "NULL"},
        {"ethernet", LINK_ETHERNET, 0, false, 4, 1, "EN10MB"},
        {"ethernet v6", LINK_ETHERNET, 0, false, 6, 1, "EN10MB"},
        {"ethernet 802.1Q", LINK_ETHERNET, 1, false, 4, 1, "EN10MB"},
        {"ethernet 802.1ad+802.1Q v6", LINK_ETHERNET, 2, false, 6, 1, "EN10MB"},
        {"raw (LINKTYPE 101)", LINK_RAW, 0, false, 4, 12, "RAW"},
        {"raw (LINKTYPE 101) v6", LINK_RAW_LINKTYPE, 0, false, 6, 12, "RAW"},
        {"raw 14", LINK_RAW_BSD, 0, false, 4, 14, "DLT_14"},
        {"raw 14 v6", LINK_RAW_BSD, 0, false, 6, 14, "DLT_14"},
        {"loop", LINK_LOOP, 0, false, 4, 108, "LOOP"},
        {"loop v6", LINK_LOOP, 0, false, 6, 108, "LOOP"},
        {"linux sll", LINK_LINUX_SLL, 0, false, 4, 113, "LINUX_SLL"},
        {"linux sll v6", LINK_LINUX_SLL, 0, false, 6, 113, "LINUX_SLL"},
        {"linux sll2", LINK_LINUX_SLL2, 0, false, 4, 276, "LINUX_SLL2"},
        {"linux sll2 v6", LINK_LINUX_SLL2, 0, false, 6, 276, "LINUX_SLL2"},
        {"ipv4", LINK_IPV4, 0, false, 4, 228, "IPV4"},
        {"ipv6", LINK_IPV6, 0, false, 6, 229, "IPV6"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "link%zu.pcap", i);
        const char *path = scratch_path(name);
        struct pkt_flow f = flow_for(cases[i].linktype, cases[i].ip_version, cases[i].vlan_tags, cases[i].be_af);
        write_classic(path, &f, false, TS0);
        struct capture_report *r = analyze_ok(path, NULL);
        cr_assert_eq(r->link_type, cases[i].dlt, "%s: link type %d", cases[i].name, r->link_type);
        cr_assert_str_eq(r->link_name, cases[i].dlt_name, "%s", cases[i].name);
        cr_assert_str_eq(r->format, "pcap");
        cr_assert_eq(r->ts_digits, 6, "%s", cases[i].name);
        cr_assert_str_eq(r->file_name, name);
        assert_classic(r, cases[i].ip_version, cases[i].name);
        capture_report_free(r);
    }
}

/* ---- timestamps and formats ------------------------------------------------------------------ */

Test(capture, microsecond_pcap)
{
    const char *path = scratch_path("us.pcap");
    write_classic(path, &classic_flow, false, TS0);
    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_eq(r->ts_digits, 6);
    cr_assert(r->have_packets);
    cr_assert_eq(r->first_ts, TS0);
    cr_assert_eq(r->last_ts, TS0 + 10 * STEP_NS);
    cr_assert_eq(capture_session(r, 0)->first_ts, TS0);
    capture_report_free(r);
}

Test(capture, nanosecond_pcap_keeps_exact_nanoseconds)
{
    const char *path = scratch_path("ns.pcap");
    int64_t t0 = TS0 + 789;
    write_classic(path, &classic_flow, true, t0);
    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_eq(r->ts_digits, 9);
    cr_assert_eq(r->first_ts, t0, "first_ts %lld", (long long)r->first_ts);
    cr_assert_eq(r->last_ts, t0 + 10 * STEP_NS, "last_ts %lld", (long long)r->last_ts);
    const struct session *s = capture_session(r, 0);
    cr_assert_eq(s->first_ts, t0);
    cr_assert_eq(s->last_ts, t0 + 10 * STEP_NS);
    cr_assert_eq(s->rtt_syn_synack, STEP_NS);
    assert_classic(r, 4, "ns pcap");
    capture_report_free(r);
}

Test(capture, nanosecond_magic_alone_means_nine_digits)
{
    /* Whole microseconds in a nanosecond file: the precision comes from the magic. */
    const char *path = scratch_path("ns-round.pcap");
    write_classic(path, &classic_flow, true, TS0);
    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_eq(r->ts_digits, 9);
    cr_assert_eq(r->first_ts, TS0);
    capture_report_free(r);
}

static void put_be32(FILE *f, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    fwrite(b, 1, 4, f);
}

/* A big-endian classic pcap, as a SPARC or old PowerPC machine writes it. */
static void write_big_endian(const char *path, const struct pkt_flow *f, bool nanosecond, int64_t ts0)
{
    static const struct { int dir; uint16_t flags; uint32_t seq, ack, len; } script[PKT_CLASSIC_SEGMENTS] = {
        {PKT_C2S, TCP_SYN, 0, 0, 0},          {PKT_S2C, TCP_SYN | TCP_ACK, 0, 1, 0},
        {PKT_C2S, TCP_ACK, 1, 1, 0},          {PKT_C2S, TCP_PSH | TCP_ACK, 1, 1, 100},
        {PKT_S2C, TCP_ACK, 1, 101, 0},        {PKT_S2C, TCP_PSH | TCP_ACK, 1, 101, 200},
        {PKT_C2S, TCP_ACK, 101, 201, 0},      {PKT_C2S, TCP_FIN | TCP_ACK, 101, 201, 0},
        {PKT_S2C, TCP_ACK, 201, 102, 0},      {PKT_S2C, TCP_FIN | TCP_ACK, 201, 102, 0},
        {PKT_C2S, TCP_ACK, 102, 202, 0},
    };
    FILE *out = fopen(path, "wb");
    cr_assert_not_null(out);
    put_be32(out, nanosecond ? 0xa1b23c4d : 0xa1b2c3d4);
    fwrite("\x00\x02\x00\x04", 1, 4, out); /* version 2.4, big-endian */
    put_be32(out, 0);
    put_be32(out, 0);
    put_be32(out, 65535);
    put_be32(out, (uint32_t)(f->linktype == LINK_RAW ? LINK_RAW_LINKTYPE : f->linktype));
    for (int i = 0; i < PKT_CLASSIC_SEGMENTS; i++) {
        uint8_t frame[512];
        size_t n = pkt_flow_frame(f, script[i].dir, script[i].flags, script[i].seq, script[i].ack, script[i].len,
                                  frame, sizeof frame);
        cr_assert_gt(n, 0);
        int64_t ts = ts0 + i * STEP_NS;
        put_be32(out, (uint32_t)(ts / 1000000000));
        put_be32(out, (uint32_t)(nanosecond ? ts % 1000000000 : ts % 1000000000 / 1000));
        put_be32(out, (uint32_t)n);
        put_be32(out, (uint32_t)n);
        fwrite(frame, 1, n, out);
    }
    cr_assert_eq(fclose(out), 0);
}

Test(capture, big_endian_pcap)
{
    const char *path = scratch_path("be.pcap");
    struct pkt_flow f = flow_for(LINK_ETHERNET, 4, 0, false);
    write_big_endian(path, &f, false, TS0);
    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_str_eq(r->format, "pcap");
    cr_assert_eq(r->link_type, 1);
    cr_assert_eq(r->ts_digits, 6);
    cr_assert_eq(r->first_ts, TS0);
    cr_assert_eq(r->last_ts, TS0 + 10 * STEP_NS);
    assert_classic(r, 4, "big-endian pcap");
    assert_fingerprint(r, path);
    capture_report_free(r);
}

Test(capture, big_endian_nanosecond_pcap_with_null_link)
{
    /* DLT_NULL's family stays in the writer's (big-endian) order: libpcap does not swap it. */
    const char *path = scratch_path("be-ns-null.pcap");
    struct pkt_flow f = flow_for(LINK_NULL, 6, 0, true);
    write_big_endian(path, &f, true, TS0 + 1);
    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_eq(r->link_type, 0);
    cr_assert_eq(r->ts_digits, 9);
    cr_assert_eq(r->first_ts, TS0 + 1);
    assert_classic(r, 6, "big-endian ns DLT_NULL");
    capture_report_free(r);
}

Test(capture, pcapng_microseconds)
{
    const char *path = scratch_path("us.pcapng");
    struct pcap_file_writer w;
    cr_assert_eq(pcapngw_open(&w, path, LINK_ETHERNET, false, 262144), 0);
    cr_assert_eq(pkt_flow_classic(&w, &classic_flow, TS0, STEP_NS), PKT_CLASSIC_SEGMENTS);
    cr_assert_eq(pcapw_close(&w), 0);
    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_str_eq(r->format, "pcapng");
    cr_assert_eq(r->link_type, 1);
    cr_assert_eq(r->ts_digits, 6);
    cr_assert_eq(r->first_ts, TS0);
    assert_classic(r, 4, "pcapng");
    assert_fingerprint(r, path);
    capture_report_free(r);
}

Test(capture, pcapng_if_tsresol_9)
{
    const char *path = scratch_path("ns.pcapng");
    struct pcap_file_writer w;
    int64_t t0 = TS0 + 789;
    cr_assert_eq(pcapngw_open(&w, path, LINK_LINUX_SLL2, true, 262144), 0);
    struct pkt_flow f = flow_for(LINK_LINUX_SLL2, 6, 0, false);
    cr_assert_eq(pkt_flow_classic(&w, &f, t0, STEP_NS), PKT_CLASSIC_SEGMENTS);
    cr_assert_eq(pcapw_close(&w), 0);
    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_str_eq(r->format, "pcapng");
    cr_assert_eq(r->link_type, 276);
    cr_assert_eq(r->ts_digits, 9);
    cr_assert_eq(r->first_ts, t0, "first_ts %lld", (long long)r->first_ts);
    cr_assert_eq(r->last_ts, t0 + 10 * STEP_NS);
    assert_classic(r, 6, "pcapng ns");
    capture_report_free(r);
}

/* ---- not captures ---------------------------------------------------------------------------- */

Test(capture, empty_file)
{
    const char *path = scratch_path("empty.pcap");
    write_bytes(path, "", 0);
    analyze_fails(path, NULL, NULL);
}

Test(capture, truncated_file_header)
{
    /* The magic alone, and 20 of the 24 header bytes. */
    const char *path = scratch_path("header.pcap");
    static const uint8_t hdr[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                    0, 0, 4, 0, 1, 0, 0, 0};
    write_bytes(path, hdr, 4);
    analyze_fails(path, NULL, NULL);
    write_bytes(path, hdr, 20);
    analyze_fails(path, NULL, NULL);
}

Test(capture, header_only_file_is_an_empty_capture)
{
    /* A complete 24-byte header and no packets is what tcpdump -w leaves when nothing matched:
     * a valid capture with nothing in it, so it converts (0 packets, 0 sessions). */
    const char *path = scratch_path("nopackets.pcap");
    struct pcap_file_writer w;
    cr_assert_eq(pcapw_open(&w, path, LINK_ETHERNET, false, 262144), 0);
    cr_assert_eq(pcapw_close(&w), 0);
    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_eq(r->counts.total, 0);
    cr_assert_eq(r->n_sessions, 0);
    cr_assert_not(r->have_packets);
    cr_assert_eq(r->n_warnings, 0);
    assert_fingerprint(r, path);
    capture_report_free(r);
}

Test(capture, text_file)
{
    const char *path = scratch_path("notes.txt");
    const char *text = "This is not a capture file.\nIt is only text, long enough to fill a header.\n";
    write_bytes(path, text, strlen(text));
    analyze_fails(path, NULL, NULL);
}

Test(capture, directory)
{
    const char *path = scratch_path("adir");
    cr_assert_eq(mkdir(path, 0755), 0);
    analyze_fails(path, NULL, "directory");
}

Test(capture, missing_file)
{
    analyze_fails(scratch_path("no-such-file.pcap"), NULL, "No such file");
}

Test(capture, unsupported_link_type)
{
    /* 802.11 (105) was the example until issue 15 taught the decoder 802.11. */
    const char *path = scratch_path("user0.pcap");
    struct pcap_file_writer w;
    uint8_t frame[64] = {0x08, 0x00};
    cr_assert_eq(pcapw_open(&w, path, 147, false, 262144), 0);
    pcapw_write(&w, TS0, frame, sizeof frame, sizeof frame);
    cr_assert_eq(pcapw_close(&w), 0);
    analyze_fails(path, NULL, "147");
    analyze_fails(path, NULL, "unsupported link type");
}

/* ---- damaged files --------------------------------------------------------------------------- */

/* Offset of the 1-based record `packet` in a little-endian classic pcap file. */
static long record_offset(const char *path, int packet)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    long off = 24;
    for (int i = 1; i < packet; i++) {
        uint8_t h[16];
        cr_assert_eq(fseek(f, off, SEEK_SET), 0);
        cr_assert_eq(fread(h, 1, 16, f), 16);
        off += 16 + (long)((uint32_t)h[8] | (uint32_t)h[9] << 8 | (uint32_t)h[10] << 16 | (uint32_t)h[11] << 24);
    }
    fclose(f);
    return off;
}

static void check_damaged_tail(long cut_into_record8, bool expect_warning)
{
    const char *path = scratch_path("cut.pcap");
    write_classic(path, &classic_flow, false, TS0);
    long off = record_offset(path, 8);
    cr_assert_eq(truncate(path, off + cut_into_record8), 0);
    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_eq(r->counts.total, 7, "cut at +%ld: %llu packets", cut_into_record8, (unsigned long long)r->counts.total);
    cr_assert_eq(r->counts.by_outcome[DECODE_TCP], 7);
    cr_assert_eq(r->n_sessions, 1);
    cr_assert_eq(capture_session(r, 0)->handshake, HANDSHAKE_NORMAL);
    const struct capture_warning *w = find_warning(r, "damaged-tail");
    if (expect_warning) {
        cr_assert_not_null(w, "cut at +%ld: no damaged-tail warning", cut_into_record8);
        cr_assert_eq(w->packet, 8, "warning names packet %llu", (unsigned long long)w->packet);
        cr_assert(strstr(w->message, "packet 8") != NULL, "message: %s", w->message);
    } else {
        cr_assert_null(w, "a cut on a record boundary is a clean end of file");
    }
    /* The digest still covers every byte of the file, the broken record too. */
    assert_fingerprint(r, path);
    capture_report_free(r);
}

Test(capture, damaged_tail_inside_packet_data)
{
    check_damaged_tail(16 + 20, true);
}

Test(capture, damaged_tail_inside_record_header)
{
    check_damaged_tail(7, true);
}

Test(capture, cut_on_a_record_boundary_is_a_clean_end)
{
    check_damaged_tail(0, false);
}

Test(capture, impossible_caplen_mid_file_is_an_error)
{
    /* A record that cannot be read past is an error (issue 15): a report of the packets
     * before it would leave out the rest of the file with exit status 0. */
    const char *path = scratch_path("badlen.pcap");
    write_classic(path, &classic_flow, false, TS0);
    long off = record_offset(path, 5);
    FILE *f = fopen(path, "r+b");
    cr_assert_not_null(f);
    cr_assert_eq(fseek(f, off + 8, SEEK_SET), 0);
    fwrite("\xff\xff\xff\x7f", 1, 4, f); /* caplen 0x7fffffff */
    cr_assert_eq(fclose(f), 0);
    analyze_fails(path, NULL, "cannot be read past packet 4: the record of packet 5");
    analyze_fails(path, NULL, "captured length 2147483647");
}

Test(capture, caplen_exceeding_len_is_a_warning)
{
    /* Packet 3, an ACK of 54 bytes, stored with 6 bytes of padding: caplen 60, len 54. */
    const char *path = scratch_path("caplen.pcap");
    struct pcap_file_writer w;
    cr_assert_eq(pcapw_open(&w, path, LINK_ETHERNET, false, 262144), 0);
    static const struct { int dir; uint16_t flags; uint32_t seq, ack, len; } script[3] = {
        {PKT_C2S, TCP_SYN, 0, 0, 0}, {PKT_S2C, TCP_SYN | TCP_ACK, 0, 1, 0}, {PKT_C2S, TCP_ACK, 1, 1, 0},
    };
    for (int i = 0; i < 3; i++) {
        uint8_t frame[128] = {0};
        size_t n = pkt_flow_frame(&classic_flow, script[i].dir, script[i].flags, script[i].seq, script[i].ack,
                                  script[i].len, frame, sizeof frame);
        cr_assert_gt(n, 0);
        if (i == 2) {
            cr_assert_eq(n, 54);
            memset(frame + n, 0xee, 6);
            pcapw_write(&w, TS0 + i * STEP_NS, frame, 60, 54);
        } else {
            pcapw_write(&w, TS0 + i * STEP_NS, frame, (uint32_t)n, (uint32_t)n);
        }
    }
    cr_assert_eq(pcapw_close(&w), 0);
    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_eq(r->counts.total, 3);
    cr_assert_eq(r->counts.by_outcome[DECODE_TCP], 3);
    const struct capture_warning *wn = find_warning(r, "caplen-exceeds-len");
    cr_assert_not_null(wn);
    cr_assert_eq(wn->packet, 3);
    cr_assert_eq(r->n_sessions, 1);
    cr_assert_eq(capture_session(r, 0)->handshake, HANDSHAKE_NORMAL);
    cr_assert_eq(r->bad_checksums, 0);
    capture_report_free(r);
}

Test(capture, warnings_are_limited_per_kind)
{
    /* 15 frames cut by a 40-byte snap length inside the TCP header: 10 warnings, 5 more counted. */
    const char *path = scratch_path("snap40.pcap");
    struct pcap_file_writer w;
    cr_assert_eq(pcapw_open(&w, path, LINK_ETHERNET, false, 40), 0);
    for (int i = 0; i < 15; i++) {
        uint8_t frame[256];
        size_t n = pkt_flow_frame(&classic_flow, PKT_C2S, TCP_ACK, 1, 1, 10, frame, sizeof frame);
        cr_assert_gt(n, 40);
        pcapw_write(&w, TS0 + i * STEP_NS, frame, 40, (uint32_t)n);
    }
    cr_assert_eq(pcapw_close(&w), 0);
    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_eq(r->counts.total, 15);
    cr_assert_eq(r->counts.by_outcome[DECODE_TRUNCATED], 15);
    cr_assert_eq(r->n_sessions, 0);
    cr_assert_eq(r->n_warnings, 10, "%zu warnings", r->n_warnings);
    for (size_t i = 0; i < r->n_warnings; i++) {
        cr_assert_str_eq(r->warnings[i].code, "truncated");
        cr_assert_eq(r->warnings[i].packet, i + 1);
    }
    cr_assert_eq(r->warnings_suppressed, 5);
    capture_report_free(r);
}

Test(capture, gzipped_capture_reads_like_the_plain_one)
{
    const char *path = scratch_path("classic.pcap");
    write_classic(path, &classic_flow, false, TS0);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "gzip -n -k '%s'", path);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    const char *gz = scratch_path("classic.pcap.gz");
    struct capture_report *r = analyze_ok(gz, NULL);
    assert_classic(r, 4, "gzip'd pcap");
    assert_fingerprint(r, gz); /* the digest of the file as given, not of its content */
    capture_report_free(r);
}

/* ---- fingerprint ----------------------------------------------------------------------------- */

Test(capture, sha256_and_size_match_sha256sum)
{
    const char *path = scratch_path("classic.pcap");
    write_classic(path, &classic_flow, false, TS0);
    struct capture_report *r = analyze_ok(path, NULL);
    assert_fingerprint(r, path);
    capture_report_free(r);
}

Test(capture, a_libcrypto_failure_is_an_error)
{
    const char *path = scratch_path("classic.pcap");
    write_classic(path, &classic_flow, false, TS0);
    cr_assert_eq(EVP_set_default_properties(NULL, "provider=nowhere"), 1); /* no SHA-256 to be had */
    struct capture_report *r = NULL;
    char err[256] = "";
    cr_assert_eq(capture_analyze(path, NULL, &r, err, sizeof err), -1);
    cr_assert_null(r);
    cr_assert(strstr(err, "SHA-256 (libcrypto)"), "%s", err);
}

/* ---- filter, cap, size ----------------------------------------------------------------------- */

static void write_mixed(const char *path, unsigned sessions, unsigned data, struct pkt_mix_stats *st)
{
    struct pcap_file_writer w;
    cr_assert_eq(pcapw_open(&w, path, LINK_ETHERNET, false, 262144), 0);
    cr_assert_eq(pkt_gen_mixed(&w, LINK_ETHERNET, sessions, data, TS0, st), 0);
    cr_assert_eq(pcapw_close(&w), 0);
}

Test(capture, bpf_filter_counts_filtered_out)
{
    const char *path = scratch_path("mixed.pcap");
    struct pkt_mix_stats st;
    write_mixed(path, 64, 4, &st);
    cr_assert_gt(st.port80_packets, 0);
    cr_assert_lt(st.port80_packets, st.packets);
    struct capture_options opt = {.filter = "port 80"};
    struct capture_report *r = analyze_ok(path, &opt);
    cr_assert_eq(r->counts.total, st.packets);
    cr_assert_eq(r->counts.filtered_out, st.packets - st.port80_packets, "filtered_out %llu",
                 (unsigned long long)r->counts.filtered_out);
    cr_assert_eq(r->counts.by_outcome[DECODE_TCP], st.port80_packets);
    cr_assert_eq(r->counts.total, outcome_sum(r) + r->counts.filtered_out);
    cr_assert_eq(r->n_sessions, st.port80_sessions);
    for (size_t i = 0; i < r->n_sessions; i++)
        cr_assert_eq(capture_session(r, i)->side[ROLE_SERVER].port, 80);
    assert_fingerprint(r, path); /* filtered packets are hashed all the same */
    capture_report_free(r);
}

Test(capture, bad_filter_fails)
{
    const char *path = scratch_path("classic.pcap");
    write_classic(path, &classic_flow, false, TS0);
    struct capture_options opt = {.filter = "port eighty and ("};
    struct capture_report *r = NULL;
    char err[512] = "";
    cr_assert_eq(capture_analyze(path, &opt, &r, err, sizeof err), -1);
    cr_assert_null(r);
    cr_assert(strstr(err, "filter") != NULL, "%s", err);
}

Test(capture, max_sessions_counts_session_cap)
{
    const char *path = scratch_path("mixed.pcap");
    struct pkt_mix_stats st;
    write_mixed(path, 40, 4, &st);
    struct capture_options opt = {.max_sessions = 10};
    struct capture_report *r = analyze_ok(path, &opt);
    cr_assert_eq(r->n_sessions, 10);
    uint64_t kept = 0;
    for (size_t i = 0; i < r->n_sessions; i++) {
        const struct session *s = capture_session(r, i);
        kept += s->side[0].packets + s->side[1].packets;
    }
    cr_assert_gt(r->counts.session_cap, 0);
    cr_assert_eq(kept + r->counts.session_cap, st.packets, "kept %llu + capped %llu != %llu",
                 (unsigned long long)kept, (unsigned long long)r->counts.session_cap, (unsigned long long)st.packets);
    cr_assert_eq(r->counts.by_outcome[DECODE_TCP], st.packets);
    /* Each refused 4-tuple counts once, however many segments it sent (an earlier version
     * counted every segment of a refused 4-tuple as another dropped session). */
    cr_assert_eq(r->sessions_dropped, 30, "sessions_dropped %llu, want 30 (session_cap %llu)",
                 (unsigned long long)r->sessions_dropped, (unsigned long long)r->counts.session_cap);
    capture_report_free(r);
}

static int count_progress(void *arg, uint64_t packets, uint64_t bytes)
{
    unsigned *calls = arg;
    cr_assert_eq(packets % 65536, 0, "progress at packet %llu", (unsigned long long)packets);
    cr_assert_gt(bytes, 0);
    ++*calls;
    return 0;
}

Test(capture, two_hundred_thousand_packets)
{
    const char *path = scratch_path("big.pcap");
    struct pkt_mix_stats st;
    write_mixed(path, 2000, 90, &st);
    cr_assert_geq(st.packets, 200000);
    unsigned calls = 0;
    struct capture_options opt = {.progress = count_progress, .progress_arg = &calls};
    struct capture_report *r = analyze_ok(path, &opt);
    cr_assert_eq(r->counts.total, st.packets);
    cr_assert_eq(r->counts.by_outcome[DECODE_TCP], st.packets);
    cr_assert_eq(r->n_sessions, 2000, "%zu sessions", r->n_sessions);
    cr_assert_eq(r->n_warnings, 0);
    cr_assert_eq(r->bad_checksums, 0);
    cr_assert_eq(calls, st.packets / 65536);
    unsigned established = 2000 - st.by_kind[PKT_MIX_REFUSED] - st.by_kind[PKT_MIX_SYN_ONLY];
    cr_assert_eq(r->handshake_counts[HANDSHAKE_NORMAL], established);
    cr_assert_eq(r->handshake_counts[HANDSHAKE_REFUSED], st.by_kind[PKT_MIX_REFUSED]);
    cr_assert_eq(r->handshake_counts[HANDSHAKE_SYN_ONLY], st.by_kind[PKT_MIX_SYN_ONLY]);
    cr_assert_eq(r->teardown_counts[TEARDOWN_FOUR_WAY],
                 st.by_kind[PKT_MIX_FOUR_WAY_CLIENT] + st.by_kind[PKT_MIX_FOUR_WAY_CLIENT2] +
                     st.by_kind[PKT_MIX_FOUR_WAY_CLIENT3] + st.by_kind[PKT_MIX_FOUR_WAY_SERVER]);
    cr_assert_eq(r->teardown_counts[TEARDOWN_MERGED_FIN], st.by_kind[PKT_MIX_MERGED_FIN]);
    cr_assert_eq(r->teardown_counts[TEARDOWN_RST], st.by_kind[PKT_MIX_RST_SERVER]);
    cr_assert_eq(r->anomaly_counts[ANOMALY_SYN_RETRANSMITTED], st.by_kind[PKT_MIX_SYN_ONLY]);
    /* Sessions come out in order of their first packet. */
    for (size_t i = 1; i < r->n_sessions; i++)
        cr_assert_lt(capture_session(r, i - 1)->first_packet, capture_session(r, i)->first_packet);
    assert_fingerprint(r, path);
    capture_report_free(r);
}

static int stop_at_once(void *arg, uint64_t packets, uint64_t bytes)
{
    (void)arg, (void)packets, (void)bytes;
    return 1;
}

Test(capture, progress_can_interrupt)
{
    const char *path = scratch_path("mid.pcap");
    struct pkt_mix_stats st;
    write_mixed(path, 800, 90, &st);
    cr_assert_geq(st.packets, 65536);
    struct capture_options opt = {.progress = stop_at_once};
    struct capture_report *r = (struct capture_report *)1;
    char err[256] = "";
    cr_assert_eq(capture_analyze(path, &opt, &r, err, sizeof err), -1);
    cr_assert_null(r);
    cr_assert(strstr(err, "interrupted") != NULL, "%s", err);
}

/* -j N makes a budget of N cores: with one there is none to spare for helper threads, with
 * two there is one for a single capture, and none once both hold a capture; no budget spares
 * nothing. */
Test(capture, core_budget_decides_the_helper_threads)
{
    struct core_budget b;
    core_budget_init(&b, 1);
    core_budget_hold(&b);
    cr_assert(!core_budget_spare(&b));
    core_budget_release(&b);
    core_budget_init(&b, 2);
    core_budget_hold(&b);
    cr_assert(core_budget_spare(&b));
    core_budget_hold(&b);
    cr_assert(!core_budget_spare(&b));
    core_budget_release(&b);
    core_budget_release(&b);
    cr_assert(core_budget_spare(&b));
    cr_assert(!core_budget_spare(NULL));
    core_budget_hold(NULL); /* accepted, and nothing happens */
    core_budget_release(NULL);
}

/* A host whose every segment has a bad checksum is taken for the capturing host (checksum
 * offload); one with some good segments is not, nor is a peer with good ones. */
Test(capture, offload_host_is_the_one_with_only_bad_checksums)
{
    const char *path = scratch_path("offload.pcap");
    struct pcap_file_writer w;
    cr_assert_eq(pcapw_open(&w, path, LINK_ETHERNET, false, 262144), 0);
    static const struct { const char *client, *server; bool bad_syn, bad_ack; } sessions[] = {
        {"10.0.0.1", "10.0.0.9", true, true},  /* offload: all of 10.0.0.1's are bad */
        {"10.0.0.1", "10.0.0.8", true, true},
        {"10.0.0.2", "10.0.0.9", true, false}, /* one bad, one good: not offload */
    };
    int64_t ts = TS0;
    for (size_t i = 0; i < sizeof sessions / sizeof sessions[0]; i++) {
        struct pkt_spec seg[3] = {
            {4, sessions[i].client, sessions[i].server, 40000, 80, 1000, 0, TCP_SYN, 64240, 0, NULL, 0,
             sessions[i].bad_syn},
            {4, sessions[i].server, sessions[i].client, 80, 40000, 5000, 1001, TCP_SYN | TCP_ACK, 64240, 0, NULL,
             0, false},
            {4, sessions[i].client, sessions[i].server, 40000, 80, 1001, 5001, TCP_ACK, 64240, 0, NULL, 0,
             sessions[i].bad_ack},
        };
        for (int k = 0; k < 3; k++) {
            uint8_t ip[128], frame[160];
            size_t n = pkt_build_ip(&seg[k], ip, sizeof ip);
            cr_assert_gt(n, 0);
            n = pkt_wrap(LINK_ETHERNET, ip, n, frame, sizeof frame, 0, false);
            cr_assert_gt(n, 0);
            pcapw_write(&w, ts += STEP_NS, frame, (uint32_t)n, (uint32_t)n);
        }
    }
    cr_assert_eq(pcapw_close(&w), 0);
    struct capture_report *r = analyze_ok(path, NULL);
    cr_assert_eq(r->n_sessions, 3);
    cr_assert_eq(r->bad_checksums, 5);
    cr_assert_eq(r->n_offload_hosts, 1);
    const struct host_checksums *h = &r->offload_hosts[0];
    cr_assert_eq(h->ip_version, 4);
    cr_assert_arr_eq(h->addr, ((uint8_t[16]){10, 0, 0, 1}), 16);
    cr_assert_eq(h->packets, 4);
    cr_assert_eq(h->bad, 4);
    capture_report_free(r);
}

/* A big plain file with a core to spare is read by capfile directly while a helper hashes it
 * (capture_analyze); without one it goes through the hashing stream. Both must see the same
 * packets and the same digest, up to a cut far into the file; and both must refuse a damaged
 * record there alike. */
static void compare_read_paths(const char *path, uint64_t expect_total, bool expect_cut)
{
    struct core_budget two;
    core_budget_init(&two, 2);
    struct capture_options spare = {.cores = &two};
    struct capture_report *direct = analyze_ok(path, &spare);
    struct capture_report *streamed = analyze_ok(path, NULL);
    cr_assert_eq(direct->counts.total, expect_total, "%llu packets", (unsigned long long)direct->counts.total);
    cr_assert_eq(streamed->counts.total, expect_total);
    cr_assert_eq(direct->n_sessions, streamed->n_sessions);
    cr_assert_eq(find_warning(direct, "damaged-tail") != NULL, expect_cut);
    cr_assert_eq(find_warning(streamed, "damaged-tail") != NULL, expect_cut);
    assert_fingerprint(direct, path);
    assert_fingerprint(streamed, path);
    capture_report_free(direct);
    capture_report_free(streamed);
}

static void compare_read_paths_fail(const char *path, const char *must_contain)
{
    struct core_budget two;
    core_budget_init(&two, 2);
    struct capture_options spare = {.cores = &two};
    analyze_fails(path, &spare, must_contain);
    analyze_fails(path, NULL, must_contain);
}

Test(capture, big_file_read_directly_or_streamed_gives_the_same_report)
{
    const char *path = scratch_path("big-damaged.pcap");
    struct pkt_mix_stats st;
    write_mixed(path, 1000, 40, &st);
    struct stat sb;
    cr_assert_eq(stat(path, &sb), 0);
    cr_assert_gt(sb.st_size, 1 << 20, "%lld bytes: not bigger than the read buffer", (long long)sb.st_size);
    compare_read_paths(path, st.packets, false);

    int late = (int)(st.packets * 3 / 4);
    long off = record_offset(path, late);
    cr_assert_eq(truncate(path, off - 5), 0); /* cut inside the record before */
    compare_read_paths(path, (uint64_t)late - 2, true);

    FILE *f = fopen(path, "r+b");
    cr_assert_not_null(f);
    off = record_offset(path, late / 2);
    cr_assert_eq(fseek(f, off + 8, SEEK_SET), 0);
    fwrite("\xff\xff\xff\x7f", 1, 4, f); /* caplen 0x7fffffff: an error, on either path */
    cr_assert_eq(fclose(f), 0);
    char want[64];
    snprintf(want, sizeof want, "cannot be read past packet %d:", late / 2 - 1);
    compare_read_paths_fail(path, want);
}
