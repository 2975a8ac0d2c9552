/* table_fixtures.c — the mix of connections and the session comparison (table_fixtures.h). */
#include "table_fixtures.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

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

void make_mix(struct mix *m, size_t cap, int conns, uint32_t seed)
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

void assert_same_session(const struct session *a, const struct session *b)
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

void mix_free(struct mix *m)
{
    free(m->segs);
    free(m->ts);
}
