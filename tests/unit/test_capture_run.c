/* test_capture_run.c — capture_analyze() end to end, continued (suite "capture", whose .init
 * in test_capture.c makes the scratch folder): the BPF filter, the session cap, a
 * 200,000-packet capture, progress and interruption, the core budget, checksum offload, and
 * a big file read directly or streamed. */
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
        cr_assert_eq(capture_session(r, i, NULL)->side[ROLE_SERVER].port, 80);
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
        const struct session *s = capture_session(r, i, NULL);
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
        cr_assert_lt(capture_session(r, i - 1, NULL)->first_packet, capture_session(r, i, NULL)->first_packet);
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
