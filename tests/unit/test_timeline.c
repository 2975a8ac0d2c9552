/* test_timeline.c — the bounded timeline (analysis/tcp/timeline.c) on its own: which segments
 * a run keeps, the gap it leaves, and a revision of earlier states. */
#include <criterion/criterion.h>
#include <string.h>

#include "timeline.h"

static struct session s;
static struct timeline_builder b;
static const struct rfc9293_revision none = {0};

static void setup(void)
{
    memset(&s, 0, sizeof s);
    memset(&b, 0, sizeof b);
}

static void teardown(void) { timeline_free(&s, &b); }

TestSuite(timeline, .init = setup, .fini = teardown);

/* Adds packet n (a data segment of len bytes, or a key segment) with both sides in `state`. */
static void add(uint64_t n, bool key, uint32_t len, uint8_t state, const struct rfc9293_revision *rev)
{
    struct timeline_event ev = {.packet = n, .len = len, .dir = DIR_C2S};
    s.side[ROLE_CLIENT].state = s.side[ROLE_SERVER].state = state;
    cr_assert(timeline_add(&s, &b, &ev, key, rev));
}

Test(timeline, a_run_keeps_its_head_and_tail_and_counts_the_middle)
{
    add(1, true, 0, TCP_ESTABLISHED, &none);
    for (uint64_t n = 2; n <= 21; n++) /* 20 data segments */
        add(n, false, 100, TCP_ESTABLISHED, &none);
    add(22, true, 0, TCP_FIN_WAIT_1, &none);
    cr_assert(timeline_finish(&s, &b));

    static const uint64_t kept[] = {1, 2, 3, 4, 5, 18, 19, 20, 21, 22};
    cr_assert_eq(s.n_events, 10);
    for (uint32_t i = 0; i < s.n_events; i++)
        cr_assert_eq(s.events[i].packet, kept[i], "event %u", i);
    cr_assert_eq(s.events[9].state[ROLE_CLIENT], TCP_FIN_WAIT_1);
    cr_assert_eq(s.n_gaps, 1);
    cr_assert_eq(s.gaps[0].before, 5, "the gap comes before packet 18");
    cr_assert_eq(s.gaps[0].packets[DIR_C2S], 12);
    cr_assert_eq(s.gaps[0].bytes[DIR_C2S], 1200);
    cr_assert_eq(s.omitted_packets, 12);
    cr_assert_null(b.ring, "the ring is freed at the end");
}

/* "The server was really ESTABLISHED since packet 3, where the timeline shows CLOSE-WAIT":
 * only its events from packet 3 on that show CLOSE-WAIT change. */
Test(timeline, a_revision_rewrites_one_sides_state_since_a_packet)
{
    add(1, true, 0, TCP_CLOSE_WAIT, &none);
    add(2, true, 0, TCP_ESTABLISHED, &none);
    add(3, true, 0, TCP_CLOSE_WAIT, &none);
    add(4, true, 0, TCP_CLOSE_WAIT, &none);
    struct rfc9293_revision rev = {true, ROLE_SERVER, TCP_CLOSE_WAIT, TCP_ESTABLISHED, 3};
    add(5, true, 0, TCP_CLOSING, &rev);
    cr_assert(timeline_finish(&s, &b));

    static const uint8_t server[] = {TCP_CLOSE_WAIT, TCP_ESTABLISHED, TCP_ESTABLISHED, TCP_ESTABLISHED, TCP_CLOSING};
    static const uint8_t client[] = {TCP_CLOSE_WAIT, TCP_ESTABLISHED, TCP_CLOSE_WAIT, TCP_CLOSE_WAIT, TCP_CLOSING};
    cr_assert_eq(s.n_events, 5);
    for (uint32_t i = 0; i < 5; i++) {
        cr_assert_eq(s.events[i].state[ROLE_SERVER], server[i], "event %u", i);
        cr_assert_eq(s.events[i].state[ROLE_CLIENT], client[i], "event %u", i);
    }
}

Test(timeline, at_most_timeline_max_events)
{
    for (uint64_t n = 1; n <= 2 * TIMELINE_MAX_EVENTS; n++)
        add(n, true, 0, TCP_ESTABLISHED, &none);
    cr_assert(timeline_finish(&s, &b));
    cr_assert_eq(s.n_events, TIMELINE_MAX_EVENTS);
    cr_assert_eq(s.omitted_packets, TIMELINE_MAX_EVENTS);
    cr_assert_eq(s.n_gaps, 1);
    cr_assert_eq(s.gaps[0].before, TIMELINE_MAX_EVENTS);
}
