/* test_table.c — session_table_push, which holds segments back to fetch their memory ahead,
 * must build the very table session_table_add builds, cap and all. */
#include <criterion/criterion.h>
#include <string.h>

#include "table.h"
#include "table_fixtures.h"

static void compare_push_with_add(uint64_t max_sessions)
{
    enum { CAP = 20000 };
    struct mix m;
    make_mix(&m, CAP, 200, 7);
    cr_assert_gt(m.n, 2000, "the mix has %zu segments", m.n);
    struct session_table_config cfg = {.max_sessions = max_sessions, .idle_timeout_ns = SESSION_TABLE_DEFAULT_IDLE_NS};
    struct session_table *added = session_table_new(&cfg), *pushed = session_table_new(&cfg);
    for (size_t i = 0; i < m.n; i++) {
        session_table_add(added, &m.segs[i], m.ts[i], i + 1);
        session_table_push(pushed, &m.segs[i], m.ts[i], i + 1);
    }
    session_table_finish(added);
    session_table_finish(pushed);
    cr_assert_eq(session_table_oom(pushed), 0);
    size_t n = session_table_count(added);
    cr_assert_gt(n, max_sessions ? max_sessions - 1 : 250, "%zu sessions", n);
    cr_assert_eq(session_table_count(pushed), n);
    cr_assert_eq(session_table_dropped(pushed), session_table_dropped(added));
    cr_assert_eq(session_table_sessions_dropped(pushed), session_table_sessions_dropped(added));
    cr_assert_eq(session_table_first_dropped(pushed), session_table_first_dropped(added));
    for (size_t i = 0; i < n; i++)
        assert_same_session(session_table_get(added, i, NULL), session_table_get(pushed, i, NULL));
    session_table_free(added);
    session_table_free(pushed);
    mix_free(&m);
}

Test(session_table, push_builds_what_add_builds)
{
    compare_push_with_add(0);
}

Test(session_table, push_drops_what_add_drops_under_the_cap)
{
    compare_push_with_add(50);
}

Test(session_table, first_dropped_is_the_first_segment_over_the_cap)
{
    struct session_table_config cfg = {.max_sessions = 1, .idle_timeout_ns = SESSION_TABLE_DEFAULT_IDLE_NS};
    struct session_table *t = session_table_new(&cfg);
    struct decoded_packet p = {.ip_version = 4, .src = {10, 0, 0, 1}, .dst = {10, 0, 0, 2},
                               .sport = 40000, .dport = 80, .flags = TCP_SYN};
    session_table_push(t, &p, 1, 1);
    p.sport = 40001;
    session_table_push(t, &p, 2, 2);
    session_table_push(t, &p, 3, 3);
    session_table_finish(t);
    cr_assert_eq(session_table_count(t), 1);
    cr_assert_eq(session_table_dropped(t), 2);
    cr_assert_eq(session_table_first_dropped(t), 2);
    session_table_free(t);
}

/* The dropped set knows 4-tuples by their hash alone. These two once shared one: the server
 * port was XORed raw into the hash over the client address's last two bytes. */
Test(session_table, dropped_4_tuples_with_overlapping_bits_count_apart)
{
    struct session_table_config cfg = {.max_sessions = 1, .idle_timeout_ns = SESSION_TABLE_DEFAULT_IDLE_NS};
    struct session_table *t = session_table_new(&cfg);
    struct decoded_packet kept = {.ip_version = 4, .src = {10, 0, 0, 9}, .dst = {192, 0, 2, 200},
                                  .sport = 40000, .dport = 80, .flags = TCP_SYN};
    struct decoded_packet first = kept, second = kept;
    first.src[3] = 1;                          /* 10.0.0.1:40000 -> 192.0.2.200:80 */
    memcpy(second.src, (uint8_t[]){10, 0, 81, 1}, 4); /* 10.0.81.1:40000 -> 192.0.2.200:1 */
    second.dport = 1;
    session_table_add(t, &kept, 1, 1);
    session_table_add(t, &first, 2, 2);
    session_table_add(t, &second, 3, 3);
    session_table_add(t, &first, 4, 4); /* the same attempt again is not another session */
    session_table_finish(t);
    cr_assert_eq(session_table_count(t), 1);
    cr_assert_eq(session_table_sessions_dropped(t), 2);
    cr_assert_eq(session_table_dropped(t), 3);
    session_table_free(t);
}
