/* test_spill.c — sessions leaving memory for the temporary file and coming back (table.c,
 * "sessions leaving memory"; store.c; spill.c): whatever leaves and whenever, the table must
 * find exactly what a table keeping every session in memory finds. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "table.h"
#include "table_fixtures.h"

static const char *spill_dir(void)
{
    const char *d = getenv("TMPDIR");
    return d && *d ? d : "/tmp";
}

/* Builds one table from the segments as given, with cfg; finished. */
static struct session_table *build(const struct mix *m, const struct session_table_config *cfg)
{
    struct session_table *t = session_table_new(cfg);
    cr_assert_not_null(t);
    for (size_t i = 0; i < m->n; i++)
        session_table_push(t, &m->segs[i], m->ts[i], i + 1);
    session_table_finish(t);
    cr_assert_eq(session_table_oom(t), 0);
    return t;
}

/* Asserts that t built what a table keeping every session in memory builds from m. */
static void assert_as_in_memory(const struct mix *m, struct session_table *t)
{
    struct session_table_config plain = {.idle_timeout_ns = SESSION_TABLE_DEFAULT_IDLE_NS};
    struct session_table *ref = build(m, &plain);
    cr_assert_eq(session_table_count(t), session_table_count(ref));
    struct session_view v = {0};
    for (size_t i = 0; i < session_table_count(ref); i++) {
        const struct session *a = session_table_get(ref, i, NULL), *b = session_table_get(t, i, &v);
        assert_same_session(a, b);
        cr_assert_str_eq(a->conn_state, b->conn_state, "session %zu", i + 1);
        cr_assert_eq(a->n_zeek_more, b->n_zeek_more, "session %zu", i + 1);
        for (uint32_t k = 0; k < a->n_zeek_more; k++)
            cr_assert_str_eq(a->zeek_more[k].history, b->zeek_more[k].history);
        cr_assert_eq(a->handshake, b->handshake, "session %zu", i + 1);
        cr_assert_eq(a->teardown, b->teardown, "session %zu", i + 1);
        cr_assert_eq(a->n_checks, b->n_checks);
        cr_assert_eq(memcmp(&a->side[0].syn_options, &b->side[0].syn_options, sizeof a->side[0].syn_options), 0);
    }
    session_view_release(&v);
    cr_assert_null(session_table_read_problem(t));
    session_table_free(ref);
}

Test(spill, every_session_leaving_at_every_segment_changes_nothing)
{
    struct mix m;
    make_mix(&m, 20000, 200, 7);
    struct session_table_config cfg = {.idle_timeout_ns = SESSION_TABLE_DEFAULT_IDLE_NS, .spill_dir = spill_dir(),
                                       .spill_eagerly = true};
    struct session_table *t = build(&m, &cfg);
    struct session_table_spill_stats st = session_table_spill_stats(t);
    /* Each segment but the first of a session brings it back. */
    cr_assert_gt(st.left, m.n / 2, "%llu left", (unsigned long long)st.left);
    cr_assert_gt(st.came_back, m.n / 2, "%llu came back", (unsigned long long)st.came_back);
    assert_as_in_memory(&m, t);
    session_table_free(t);
    mix_free(&m);
}

/* The mix stretched to 0.2 s between segments (over an hour in all): finished sessions leave
 * after a second, idle ones after the idle timeout, Zeek's timers split records, and late
 * segments bring sessions back. */
Test(spill, finished_and_idle_sessions_leave_and_come_back_as_they_were)
{
    struct mix m;
    make_mix(&m, 20000, 200, 11);
    for (size_t i = 0; i < m.n; i++)
        m.ts[i] = m.ts[0] + (int64_t)i * 200000000;
    struct session_table_config cfg = {.idle_timeout_ns = SESSION_TABLE_DEFAULT_IDLE_NS, .spill_dir = spill_dir()};
    struct session_table *t = build(&m, &cfg);
    struct session_table_spill_stats st = session_table_spill_stats(t);
    cr_assert_gt(st.left, 100, "%llu left", (unsigned long long)st.left);
    cr_assert_gt(st.came_back, 0);
    assert_as_in_memory(&m, t);
    session_table_free(t);
    mix_free(&m);
}

/* A SYN flood: n SYNs from distinct ports, gap_ns apart. */
static void flood(struct mix *m, size_t n, int64_t gap_ns)
{
    m->segs = calloc(n + 2, sizeof *m->segs);
    m->ts = calloc(n + 2, sizeof *m->ts);
    m->n = n;
    for (size_t i = 0; i < n; i++) {
        struct decoded_packet *p = &m->segs[i];
        *p = (struct decoded_packet){.ip_version = 4, .src = {10, 1, (uint8_t)(i >> 16), 1}, .dst = {192, 0, 2, 80},
                                     .sport = (uint16_t)(1024 + i % 60000), .dport = 80, .flags = TCP_SYN,
                                     .seq = (uint32_t)(i * 2654435761u), .window = 64240,
                                     .options = {.present = OPT_MSS, .mss = 1460}};
        m->ts[i] = 1700000000000000000LL + (int64_t)i * gap_ns;
    }
}

Test(spill, unanswered_attempts_leave_memory_in_compact_records)
{
    struct mix m;
    flood(&m, 10000, 10000000); /* 100 s */
    struct session_table_config cfg = {.idle_timeout_ns = SESSION_TABLE_DEFAULT_IDLE_NS, .spill_dir = spill_dir()};
    struct session_table *t = build(&m, &cfg);
    struct session_table_spill_stats st = session_table_spill_stats(t);
    /* All but the youngest leave (a sweep comes every 1,024 new sessions); none comes back. */
    cr_assert_geq(st.left, 8500, "%llu left", (unsigned long long)st.left);
    cr_assert_eq(st.came_back, 0);
    /* A session in memory is over 1,100 bytes; its record, a third of that. */
    cr_assert_lt(st.file_bytes / st.left, 420, "%llu bytes a record", (unsigned long long)(st.file_bytes / st.left));
    assert_as_in_memory(&m, t);
    session_table_free(t);
    mix_free(&m);
}

Test(spill, an_answer_after_the_attempt_left_brings_it_back)
{
    struct mix m;
    flood(&m, 5000, 1000000); /* 5 s */
    struct decoded_packet retry = m.segs[0], answer = m.segs[0];
    memcpy(answer.src, retry.dst, 16);
    memcpy(answer.dst, retry.src, 16);
    answer.sport = retry.dport;
    answer.dport = retry.sport;
    answer.flags = TCP_SYN | TCP_ACK;
    answer.ack = retry.seq + 1;
    answer.seq = 777;
    m.segs[m.n] = retry; /* the first SYN again, 6 s after it, then its answer */
    m.ts[m.n] = m.ts[0] + 6000000000LL;
    m.segs[m.n + 1] = answer;
    m.ts[m.n + 1] = m.ts[m.n] + 1000000;
    m.n += 2;
    struct session_table_config cfg = {.idle_timeout_ns = SESSION_TABLE_DEFAULT_IDLE_NS, .spill_dir = spill_dir()};
    struct session_table *t = build(&m, &cfg);
    cr_assert_eq(session_table_spill_stats(t).came_back, 1);
    struct session_view v = {0};
    const struct session *s = session_table_get(t, 0, &v);
    cr_assert_eq(s->side[ROLE_CLIENT].syns, 2);
    cr_assert_eq(s->side[ROLE_SERVER].synacks, 1);
    cr_assert(session_has_anomaly(s, ANOMALY_SYN_RETRANSMITTED));
    session_view_release(&v);
    assert_as_in_memory(&m, t);
    session_table_free(t);
    mix_free(&m);
}

Test(spill, without_a_temporary_directory_sessions_stay_in_memory)
{
    struct mix m;
    flood(&m, 10000, 10000000);
    struct session_table_config cfg = {.idle_timeout_ns = SESSION_TABLE_DEFAULT_IDLE_NS,
                                       .spill_dir = "/nonexistent/pcap2report-test"};
    struct session_table *t = build(&m, &cfg);
    const char *why = session_table_spill_problem(t);
    cr_assert_not_null(why);
    cr_assert(strstr(why, "cannot create a temporary file in /nonexistent/pcap2report-test") != NULL, "%s", why);
    cr_assert_eq(session_table_spill_stats(t).left, 0);
    assert_as_in_memory(&m, t);
    session_table_free(t);
    mix_free(&m);
}

/* The disk fills up (here: a file size limit) after some records: those stay readable (the
 * records not written stay buffered), the sessions after them stay in memory. */
Test(spill, a_full_disk_keeps_what_left_readable)
{
    signal(SIGXFSZ, SIG_IGN); /* a write past the limit fails with EFBIG instead */
    struct rlimit lim = {.rlim_cur = 256 * 1024, .rlim_max = RLIM_INFINITY};
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    struct mix m;
    flood(&m, 10000, 10000000);
    struct session_table_config cfg = {.idle_timeout_ns = SESSION_TABLE_DEFAULT_IDLE_NS, .spill_dir = spill_dir()};
    struct session_table *t = build(&m, &cfg);
    const char *why = session_table_spill_problem(t);
    cr_assert_not_null(why);
    cr_assert(strstr(why, "writing the temporary file of sessions failed: File too large") != NULL, "%s", why);
    struct session_table_spill_stats st = session_table_spill_stats(t);
    cr_assert_gt(st.left, 1000, "%llu left", (unsigned long long)st.left); /* more than the file holds */
    cr_assert_lt(st.left, 9000, "%llu left", (unsigned long long)st.left);
    assert_as_in_memory(&m, t);
    session_table_free(t);
    mix_free(&m);
}
