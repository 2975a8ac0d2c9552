/* test_capture.c — capture_analyze() end to end on capture files written into a temp dir.
 *
 * Covers every supported link type, microsecond and nanosecond pcap, a big-endian pcap and
 * pcapng written by hand, files that are not captures, damaged tails, caplen > len, an
 * unsupported link type, the SHA-256 and size against sha256sum (and libcrypto failing); the
 * rest (filter, cap, size, progress, read paths) in test_capture_run.c. Reading standard
 * input is tested by tests/cli.sh. */
#define _GNU_SOURCE /* popen */
#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture_fixtures.h"
#include "classify.h"
#include "pktbuild.h"
#include "scratch.h"

/* ---- temp dir -------------------------------------------------------------------------------- */

static void setup(void) { scratch_create("p2r-capture"); }

TestSuite(capture, .init = setup, .fini = scratch_remove, .timeout = 120);

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
    cr_assert_eq(capture_session(r, 0, NULL)->first_ts, TS0);
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
    const struct session *s = capture_session(r, 0, NULL);
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
    static const struct pkt_segment *const script = pkt_classic_script;
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
    cr_assert_eq(capture_session(r, 0, NULL)->handshake, HANDSHAKE_NORMAL);
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
    cr_assert_eq(capture_session(r, 0, NULL)->handshake, HANDSHAKE_NORMAL);
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
