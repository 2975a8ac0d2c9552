/* test_table.c — session_table_push, which holds segments back to fetch their memory ahead,
 * must build the very table session_table_add builds, cap and all. */
#include <criterion/criterion.h>
#include <string.h>

#include "table.h"

/* Segments of many interleaved connections: handshakes, data both ways with a retransmission
 * now and then, all three closes, RSTs, and 4-tuples reused after a close. */
struct mix {
    struct decoded_packet *segs;
    int64_t *ts;
    size_t n;
};

static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 8;
}

static void put(struct mix *m, size_t cap, int conn, int dir, uint16_t flags, uint32_t seq, uint32_t ack,
                uint32_t len)
{
    cr_assert_lt(m->n, cap);
    struct decoded_packet *p = &m->segs[m->n];
    memset(p, 0, sizeof *p);
    p->ip_version = 4;
    uint8_t client[4] = {10, 0, (uint8_t)(conn / 7), 1}, server[4] = {192, 0, 2, (uint8_t)(conn % 7)};
    memcpy(dir ? p->src : p->dst, server, 4);
    memcpy(dir ? p->dst : p->src, client, 4);
    uint16_t cport = (uint16_t)(40000 + conn % 11), sport = 80;
    p->sport = dir ? sport : cport;
    p->dport = dir ? cport : sport;
    p->flags = flags;
    p->seq = seq;
    p->ack = ack;
    p->payload_len = len;
    p->window = (uint16_t)(len ? 512 : 0); /* some zero windows */
    m->ts[m->n] = 1700000000000000000LL + (int64_t)m->n * 1000;
    m->n++;
}

static void make_mix(struct mix *m, size_t cap, int conns, uint32_t seed)
{
    struct { int step, ended; uint32_t cseq, sseq; } st[256] = {{0}};
    cr_assert_leq(conns, 256);
    m->segs = calloc(cap, sizeof *m->segs);
    m->ts = calloc(cap, sizeof *m->ts);
    m->n = 0;
    uint32_t r = seed;
    int live = conns;
    while (live > 0 && m->n + 4 < cap) {
        int c = (int)(next_random(&r) % (uint32_t)conns);
        if (st[c].ended)
            continue;
        uint32_t *cs = &st[c].cseq, *ss = &st[c].sseq;
        switch (st[c].step++) {
        case 0: *cs = next_random(&r); *ss = next_random(&r); put(m, cap, c, 0, TCP_SYN, (*cs)++, 0, 0); break;
        case 1: put(m, cap, c, 1, TCP_SYN | TCP_ACK, (*ss)++, *cs, 0); break;
        case 2: put(m, cap, c, 0, TCP_ACK, *cs, *ss, 0); break;
        default: {
            uint32_t what = next_random(&r) % 16, len = 100 + next_random(&r) % 1000;
            if (st[c].step < 12 + (int)(c % 9) || what < 10) {
                int dir = (int)(what & 1);
                uint32_t *seq = dir ? ss : cs;
                if (what == 3)
                    *seq -= len; /* resend what went before */
                put(m, cap, c, dir, TCP_PSH | TCP_ACK, *seq, dir ? *cs : *ss, len);
                *seq += len;
            } else if (what < 12) { /* four-way close */
                put(m, cap, c, 0, TCP_FIN | TCP_ACK, *cs, *ss, 0);
                put(m, cap, c, 1, TCP_ACK, *ss, *cs + 1, 0);
                put(m, cap, c, 1, TCP_FIN | TCP_ACK, *ss, *cs + 1, 0);
                put(m, cap, c, 0, TCP_ACK, *cs + 1, *ss + 1, 0);
                st[c].ended = 1;
            } else if (what < 14) { /* the second FIN rides on the ACK */
                put(m, cap, c, 1, TCP_FIN | TCP_ACK, *ss, *cs, 0);
                put(m, cap, c, 0, TCP_FIN | TCP_ACK, *cs, *ss + 1, 0);
                put(m, cap, c, 1, TCP_ACK, *ss + 1, *cs + 1, 0);
                st[c].ended = 1;
            } else {
                put(m, cap, c, (int)(what & 1), TCP_RST | TCP_ACK, what & 1 ? *ss : *cs, what & 1 ? *cs : *ss, 0);
                st[c].ended = 1;
            }
            if (st[c].ended && c % 3 == 0 && st[c].step < 100) {
                st[c].ended = 0; /* the same 4-tuple again: a new generation */
                st[c].step = 0;
            }
            live -= st[c].ended;
        }
        }
    }
}

static void assert_same_session(const struct session *a, const struct session *b)
{
    cr_assert_eq(a->id, b->id);
    cr_assert_eq(a->generation, b->generation);
    cr_assert_eq(a->first_packet, b->first_packet);
    cr_assert_eq(a->last_packet, b->last_packet);
    cr_assert_eq(a->anomalies, b->anomalies, "session %llu", (unsigned long long)a->id);
    cr_assert_str_eq(a->zeek_history, b->zeek_history);
    cr_assert_eq(a->wireshark_completeness, b->wireshark_completeness);
    cr_assert_eq(a->rst_packet, b->rst_packet);
    for (int k = 0; k < 2; k++) {
        const struct session_side *x = &a->side[k], *y = &b->side[k];
        cr_assert_eq(x->packets, y->packets);
        cr_assert_eq(x->payload_bytes, y->payload_bytes);
        cr_assert_eq(x->retransmissions, y->retransmissions);
        cr_assert_eq(x->out_of_order, y->out_of_order);
        cr_assert_eq(x->state, y->state);
        cr_assert_eq(x->fin_packet, y->fin_packet);
        cr_assert_eq(x->ack_of_fin_packet, y->ack_of_fin_packet);
    }
    cr_assert_eq(a->n_events, b->n_events, "session %llu", (unsigned long long)a->id);
    for (uint32_t i = 0; i < a->n_events; i++) {
        const struct timeline_event *x = &a->events[i], *y = &b->events[i];
        cr_assert_eq(x->packet, y->packet);
        cr_assert_eq(x->marks, y->marks);
        cr_assert_eq(x->state[0], y->state[0]);
        cr_assert_eq(x->state[1], y->state[1]);
    }
    cr_assert_eq(a->n_gaps, b->n_gaps);
    for (uint32_t i = 0; i < a->n_gaps; i++) {
        cr_assert_eq(a->gaps[i].before, b->gaps[i].before);
        cr_assert_eq(a->gaps[i].packets[0], b->gaps[i].packets[0]);
        cr_assert_eq(a->gaps[i].bytes[1], b->gaps[i].bytes[1]);
    }
    cr_assert_eq(a->omitted_packets, b->omitted_packets);
}

static void compare_push_with_add(uint64_t max_sessions)
{
    enum { CAP = 20000 };
    struct mix m;
    make_mix(&m, CAP, 200, 7);
    cr_assert_gt(m.n, 2000, "the mix has %zu segments", m.n);
    struct session_table_config cfg = {max_sessions, SESSION_TABLE_DEFAULT_IDLE_NS};
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
        assert_same_session(session_table_get(added, i), session_table_get(pushed, i));
    session_table_free(added);
    session_table_free(pushed);
    free(m.segs);
    free(m.ts);
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
    struct session_table_config cfg = {1, SESSION_TABLE_DEFAULT_IDLE_NS};
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
    struct session_table_config cfg = {1, SESSION_TABLE_DEFAULT_IDLE_NS};
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
