/* gen.c — writes the benchmark's synthetic capture, the same bytes for the same arguments.
 *
 *   gen [-s SEED] [-n SESSIONS] [-c CONCURRENT] [-p bulk|short] -o OUT.pcap
 *
 * The capture is Ethernet, microsecond pcap. It holds SESSIONS TCP sessions of which about
 * CONCURRENT are open at any moment: when one ends, the next one starts. Each session gets a
 * script drawn from a seeded generator (no libc rand, so every machine writes the same file):
 *
 * - every handshake and teardown class of shared/TAXONOMY.md (normal, simultaneous open,
 *   refused, SYN only, no final ACK, mid-stream start; four-way close from either side,
 *   merged FIN, simultaneous close, RST with and without a FIN before it, incomplete,
 *   half-closed, still open), in fixed proportions (see kind_weights);
 * - SYN options (mss, sackOK, timestamps, wscale), timestamps or SACK blocks on later
 *   segments, data both ways in request/response rounds, delayed ACKs;
 * - retransmitted SYNs, SYN/ACKs and data segments, reordered segment pairs, zero windows,
 *   sequence numbers that wrap past 2^32, an occasional bad checksum, data on a SYN and an
 *   ISN of zero;
 * - IPv4 and IPv6, no VLAN tag, one 802.1Q tag or two (802.1ad), and 4-tuples reused by a
 *   later session after a clean close.
 *
 * "bulk" (the default) has responses from one segment to a hundred, about 18 packets and
 * 12 KB per session; "short" keeps every response to one segment (the memory benchmark's
 * profile: a million sessions in 2 GB). It prints what it wrote on stderr. */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "pktbuild.h"

/* ---- deterministic random numbers (splitmix64) --------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static uint64_t range(uint64_t lo, uint64_t hi) { return lo + rnd() % (hi - lo + 1); }

/* True with probability per_mille / 1000. */
static bool chance(unsigned per_mille) { return rnd() % 1000 < per_mille; }

/* ---- session kinds ---------------------------------------------------------------------------- */

enum kind {
    K_FOUR_WAY_CLIENT, K_FOUR_WAY_SERVER, K_MERGED_FIN, K_SIMULTANEOUS_CLOSE, K_RST,
    K_RST_AFTER_FIN, K_INCOMPLETE, K_HALF_CLOSED, K_OPEN, K_REFUSED, K_SYN_ONLY,
    K_NO_FINAL_ACK, K_SIMULTANEOUS_OPEN, K_MID_STREAM, KINDS
};

static const char *const kind_names[KINDS] = {
    "four-way (client closes)", "four-way (server closes)", "merged-fin", "simultaneous-close",
    "rst", "rst after fin", "incomplete", "half-closed", "still open", "refused", "syn-only",
    "no-final-ack", "simultaneous-open", "mid-stream",
};

/* Parts per thousand of sessions of each kind. */
static const unsigned kind_weights[KINDS] = {
    330, 150, 190, 30, 50, 30, 20, 20, 30, 50, 30, 20, 10, 40,
};

static enum kind pick_kind(void)
{
    unsigned r = (unsigned)(rnd() % 1000), sum = 0;
    for (int k = 0; k < KINDS; k++) {
        sum += kind_weights[k];
        if (r < sum)
            return (enum kind)k;
    }
    return K_FOUR_WAY_CLIENT;
}

/* A kind that closes cleanly enough for its 4-tuple to be reused by a new session. */
static bool closes_cleanly(enum kind k)
{
    return k == K_FOUR_WAY_CLIENT || k == K_FOUR_WAY_SERVER || k == K_MERGED_FIN ||
           k == K_SIMULTANEOUS_CLOSE || k == K_RST || k == K_REFUSED;
}

/* ---- session scripts --------------------------------------------------------------------------- */

enum { OPTS_NONE, OPTS_SYN, OPTS_TS, OPTS_SACK };
enum { C2S = 0, S2C = 1 };

struct step {
    int64_t t; /* microseconds after the session's start */
    uint32_t seq, ack, len;
    uint16_t flags, window;
    uint8_t dir, opts;
    bool bad_checksum;
};

struct gsession {
    uint64_t id;
    int64_t start; /* microseconds since the epoch */
    enum kind kind;
    int ip_version, vlan_tags;
    char addr[2][48]; /* client, server */
    uint16_t port[2];
    bool timestamps;   /* TS option on every segment */
    uint32_t ts_base[2];
    uint32_t mss;
    struct step *steps;
    size_t n, cap, next;
    /* While scripting. */
    int64_t t;
    uint32_t snd_nxt[2];
    uint32_t isn[2];
};

struct tuple {
    int ip_version, vlan_tags;
    char addr[2][48];
    uint16_t port[2];
};

static struct step *push(struct gsession *s)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->steps = realloc(s->steps, s->cap * sizeof *s->steps);
        if (!s->steps) {
            fputs("gen: out of memory\n", stderr);
            exit(1);
        }
    }
    struct step *st = &s->steps[s->n++];
    memset(st, 0, sizeof *st);
    return st;
}

/* A segment at explicit sequence and ack numbers, dt microseconds after the previous one. */
static struct step *seg_at(struct gsession *s, int dir, uint16_t flags, uint32_t seq, uint32_t ack,
                           uint32_t len, int64_t dt)
{
    s->t += dt;
    struct step *st = push(s);
    st->t = s->t;
    st->dir = (uint8_t)dir;
    st->flags = flags;
    st->seq = seq;
    st->ack = (flags & TCP_ACK) ? ack : 0;
    st->len = len;
    st->window = (uint16_t)(dir == C2S ? 64240 : 65160);
    st->opts = (flags & TCP_SYN) ? OPTS_SYN : s->timestamps ? OPTS_TS : OPTS_NONE;
    st->bad_checksum = chance(1);
    return st;
}

/* The next new segment from dir, acknowledging everything the peer sent so far. */
static struct step *seg(struct gsession *s, int dir, uint16_t flags, uint32_t len, int64_t dt)
{
    struct step *st = seg_at(s, dir, flags, s->snd_nxt[dir], s->snd_nxt[!dir], len, dt);
    s->snd_nxt[dir] += len + !!(flags & TCP_SYN) + !!(flags & TCP_FIN);
    return st;
}

static uint32_t pick_isn(void)
{
    if (chance(1))
        return 0; /* isn-zero */
    if (chance(50))
        return (uint32_t)(0u - range(1, 200000)); /* the data will wrap past 2^32 */
    return (uint32_t)rnd();
}

/* Client SYN (possibly retransmitted) and, unless stopped early, the server's answer. */
static void script_open(struct gsession *s, int64_t rtt)
{
    s->isn[C2S] = s->snd_nxt[C2S] = pick_isn();
    s->isn[S2C] = s->snd_nxt[S2C] = pick_isn();
    uint32_t syn_data = chance(2) ? (uint32_t)range(20, 200) : 0; /* TCP Fast Open */
    struct step *syn = seg(s, C2S, TCP_SYN, syn_data, 0);
    if (s->kind == K_SYN_ONLY) {
        int retries = (int)range(1, 3);
        for (int i = 0; i < retries; i++)
            seg_at(s, C2S, TCP_SYN, syn->seq, 0, syn_data, 1000000LL << i);
        return;
    }
    if (chance(20)) /* the SYN was lost beyond the capture point */
        seg_at(s, C2S, TCP_SYN, s->isn[C2S], 0, syn_data, 1000000);
    if (s->kind == K_REFUSED) {
        seg_at(s, S2C, TCP_RST | TCP_ACK, 0, s->snd_nxt[C2S], 0, rtt);
        return;
    }
    if (s->kind == K_SIMULTANEOUS_OPEN) {
        /* Both SYNs cross; each side then sends SYN/ACK with its own ISN again. */
        seg(s, S2C, TCP_SYN, 0, rtt / 4 + 1);
        seg_at(s, C2S, TCP_SYN | TCP_ACK, s->isn[C2S], s->snd_nxt[S2C], 0, rtt / 2 + 1);
        seg_at(s, S2C, TCP_SYN | TCP_ACK, s->isn[S2C], s->snd_nxt[C2S], 0, 3);
        return;
    }
    seg(s, S2C, TCP_SYN | TCP_ACK, 0, rtt);
    if (s->kind == K_NO_FINAL_ACK) {
        if (chance(500))
            seg_at(s, S2C, TCP_SYN | TCP_ACK, s->isn[S2C], s->snd_nxt[C2S], 0, 1000000);
        return;
    }
    if (chance(10)) /* the SYN/ACK retransmitted: its first copy crossed the final ACK */
        seg_at(s, S2C, TCP_SYN | TCP_ACK, s->isn[S2C], s->snd_nxt[C2S], 0, rtt + 200);
    seg(s, C2S, TCP_ACK, 0, 30);
}

/* count segments of up to mss bytes, size bytes in all, from dir; the other side acknowledges
 * every second one. Some are retransmitted, some pairs arrive swapped. */
static void script_transfer(struct gsession *s, int dir, uint64_t size, int64_t rtt, bool reorder)
{
    int in_flight = 0;
    while (size > 0) {
        uint32_t len = size > s->mss ? s->mss : (uint32_t)size;
        size -= len;
        int64_t gap = rtt / 40 + (int64_t)range(5, 60);
        if (in_flight >= 10) { /* the window is full: wait a round trip */
            gap += rtt;
            in_flight = 0;
        }
        seg(s, dir, (uint16_t)(TCP_ACK | (size == 0 ? TCP_PSH : 0)), len, gap);
        in_flight++;
        if (reorder && s->n >= 2 && chance(20) && size > 0) {
            /* The previous and this segment were swapped in flight: exchange their contents
             * (the times stay in order). */
            struct step *a = &s->steps[s->n - 2], *b = &s->steps[s->n - 1];
            if (a->dir == b->dir && a->len && b->len && !(a->flags & (TCP_SYN | TCP_FIN))) {
                struct step tmp = *a;
                a->seq = b->seq, a->len = b->len, a->flags = b->flags;
                b->seq = tmp.seq, b->len = tmp.len, b->flags = tmp.flags;
                /* The receiver saw a hole: a duplicate ACK with a SACK block for it. */
                struct step *d = seg_at(s, !dir, TCP_ACK, s->snd_nxt[!dir], a->seq, 0, 20);
                d->opts = OPTS_SACK;
            }
        }
        if (chance(8)) { /* lost after the capture point: the same bytes again after a timeout */
            struct step *orig = &s->steps[s->n - 1];
            seg_at(s, dir, orig->flags, orig->seq, orig->ack, orig->len, rtt * 2 + 200);
        }
        if (in_flight % 2 == 0 || size == 0) {
            struct step *a = seg(s, !dir, TCP_ACK, 0, rtt / 2 + 1);
            if (chance(3)) { /* the receiver's buffer filled up */
                a->window = 0;
                seg(s, !dir, TCP_ACK, 0, rtt * 3);
            }
            in_flight = 0;
        }
    }
}

/* Response sizes: most are small, some are big. */
static uint64_t response_size(bool bulk)
{
    unsigned r = (unsigned)(rnd() % 100);
    if (!bulk)
        return range(100, 1000);
    if (r < 65)
        return range(200, 2 * 1448);
    if (r < 94)
        return range(2 * 1448, 10 * 1448);
    return range(16 * 1448, 112 * 1448);
}

static void script_data(struct gsession *s, int64_t rtt, bool bulk)
{
    int rounds = chance(80) ? (int)range(2, 4) : 1;
    bool reorder = chance(150);
    for (int r = 0; r < rounds; r++) {
        uint32_t req = (uint32_t)range(60, 700);
        seg(s, C2S, TCP_PSH | TCP_ACK, req, r ? (int64_t)range(1000, 200000) : 40);
        s->t += (int64_t)range(100, 30000); /* the server thinks */
        script_transfer(s, S2C, response_size(bulk), rtt, reorder);
        if (chance(50)) /* an upload */
            script_transfer(s, C2S, range(1448, 8 * 1448), rtt, reorder);
    }
}

static void script_close(struct gsession *s, int64_t rtt)
{
    int a = s->kind == K_FOUR_WAY_SERVER ? S2C : C2S, b = !a;
    switch (s->kind) {
    case K_FOUR_WAY_CLIENT: case K_FOUR_WAY_SERVER:
        seg(s, a, TCP_FIN | TCP_ACK, 0, (int64_t)range(100, 5000));
        seg(s, b, TCP_ACK, 0, rtt / 2 + 1);
        if (chance(100)) /* data in the half-close period */
            seg(s, b, TCP_PSH | TCP_ACK, (uint32_t)range(10, 500), 200);
        seg(s, b, TCP_FIN | TCP_ACK, 0, (int64_t)range(50, 2000));
        if (chance(10)) /* the FIN retransmitted */
            seg_at(s, b, TCP_FIN | TCP_ACK, s->snd_nxt[b] - 1, s->snd_nxt[a], 0, rtt * 2);
        seg(s, a, TCP_ACK, 0, rtt / 2 + 1);
        break;
    case K_MERGED_FIN:
        seg(s, a, TCP_FIN | TCP_ACK, 0, (int64_t)range(100, 5000));
        seg(s, b, TCP_FIN | TCP_ACK, 0, rtt / 2 + 1);
        seg(s, a, TCP_ACK, 0, rtt / 2 + 1);
        break;
    case K_SIMULTANEOUS_CLOSE: {
        /* Both FINs leave before either arrives: the second does not acknowledge the first. */
        uint32_t a_before = s->snd_nxt[a];
        seg(s, a, TCP_FIN | TCP_ACK, 0, (int64_t)range(100, 5000));
        seg_at(s, b, TCP_FIN | TCP_ACK, s->snd_nxt[b], a_before, 0, 5);
        s->snd_nxt[b]++;
        seg(s, a, TCP_ACK, 0, rtt / 2 + 1);
        seg(s, b, TCP_ACK, 0, 3);
        break;
    }
    case K_RST:
        seg(s, chance(500) ? C2S : S2C, TCP_RST | TCP_ACK, 0, (int64_t)range(100, 5000));
        break;
    case K_RST_AFTER_FIN: /* an HTTP server closes; the client resets instead of closing */
        seg(s, S2C, TCP_FIN | TCP_ACK, 0, (int64_t)range(100, 5000));
        seg(s, C2S, TCP_ACK, 0, rtt / 2 + 1);
        seg(s, C2S, TCP_RST | TCP_ACK, 0, 300);
        break;
    case K_INCOMPLETE:
        seg(s, a, TCP_FIN | TCP_ACK, 0, (int64_t)range(100, 5000));
        seg(s, b, TCP_FIN | TCP_ACK, 0, rtt / 2 + 1);
        break;
    case K_HALF_CLOSED:
        seg(s, a, TCP_FIN | TCP_ACK, 0, (int64_t)range(100, 5000));
        seg(s, b, TCP_ACK, 0, rtt / 2 + 1);
        break;
    default:
        break;
    }
}

static int64_t pick_rtt(void)
{
    unsigned r = (unsigned)(rnd() % 10);
    if (r < 4)
        return (int64_t)range(100, 2000); /* same site */
    if (r < 9)
        return (int64_t)range(10000, 100000);
    return (int64_t)range(100000, 300000);
}

static void script(struct gsession *s, bool bulk)
{
    int64_t rtt = pick_rtt();
    s->n = s->next = 0;
    s->t = 0;
    s->timestamps = chance(700);
    s->ts_base[0] = (uint32_t)rnd();
    s->ts_base[1] = (uint32_t)rnd();
    s->mss = (s->ip_version == 6 ? 1440 : 1460) - (s->timestamps ? 12 : 0);
    if (s->kind == K_MID_STREAM) {
        /* The capture started inside the session: no SYN, data already flowing. */
        s->isn[C2S] = s->snd_nxt[C2S] = (uint32_t)rnd();
        s->isn[S2C] = s->snd_nxt[S2C] = (uint32_t)rnd();
        script_transfer(s, S2C, response_size(bulk), rtt, false);
        s->kind = chance(500) ? K_FOUR_WAY_CLIENT : K_OPEN;
        script_close(s, rtt);
        s->kind = K_MID_STREAM;
        return;
    }
    script_open(s, rtt);
    if (s->kind == K_REFUSED || s->kind == K_SYN_ONLY || s->kind == K_NO_FINAL_ACK)
        return;
    script_data(s, rtt, bulk);
    script_close(s, rtt);
}

/* ---- endpoints -------------------------------------------------------------------------------- */

enum { CLIENTS_V4 = 4096, CLIENTS_V6 = 1024, SERVERS_V4 = 256, SERVERS_V6 = 64 };

static uint16_t next_port[CLIENTS_V4 + CLIENTS_V6];

static void pick_endpoints(struct gsession *s)
{
    static const uint16_t server_ports[] = {443, 443, 443, 443, 80, 80, 8080, 22, 25, 993};
    s->ip_version = chance(200) ? 6 : 4;
    unsigned r = (unsigned)(rnd() % 100);
    s->vlan_tags = r < 80 ? 0 : r < 95 ? 1 : 2;
    unsigned c, srv = (unsigned)rnd();
    if (s->ip_version == 4) {
        c = (unsigned)(rnd() % CLIENTS_V4);
        snprintf(s->addr[0], sizeof s->addr[0], "10.%u.%u.%u", 1 + c / 4096, c / 16 % 256, 1 + c % 16 * 15);
        srv %= SERVERS_V4;
        snprintf(s->addr[1], sizeof s->addr[1], "%s.%u", srv < 128 ? "198.51.100" : "203.0.113", 1 + srv % 128);
    } else {
        unsigned i = (unsigned)(rnd() % CLIENTS_V6);
        c = CLIENTS_V4 + i;
        snprintf(s->addr[0], sizeof s->addr[0], "2001:db8:%x::%x", 1 + i / 256, 0x100 + i % 256);
        snprintf(s->addr[1], sizeof s->addr[1], "2001:db8:ffff::%x", 1 + (unsigned)(srv % SERVERS_V6));
    }
    /* Each client counts its ports up from 32768, so two live sessions never share a 4-tuple. */
    if (next_port[c] < 32768)
        next_port[c] = 32768;
    s->port[0] = next_port[c]++;
    s->port[1] = server_ports[rnd() % (sizeof server_ports / sizeof server_ports[0])];
}

/* ---- output ------------------------------------------------------------------------------------ */

struct stats {
    uint64_t packets, bytes, sessions, reused, v6, vlan, by_kind[KINDS];
};

static void write_step(struct pcap_file_writer *w, const struct gsession *s, const struct step *st,
                       struct stats *stats)
{
    uint8_t opts[40], ip[2048], frame[2100];
    size_t olen = 0;
    int64_t t = s->start + st->t;
    uint32_t ts_val = s->ts_base[st->dir] + (uint32_t)(st->t / 1000);
    uint32_t ts_ecr = st->t > 1000 ? s->ts_base[!st->dir] + (uint32_t)((st->t - 1000) / 1000) : 0;

    switch (st->opts) {
    case OPTS_SYN:
        if (s->timestamps) {
            olen = pkt_syn_options(opts, ts_val, (st->flags & TCP_ACK) ? ts_ecr : 0);
        } else { /* mss 1460, nop, wscale 8, nop, nop, sackOK */
            static const uint8_t o[12] = {2, 4, 0x05, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2};
            memcpy(opts, o, olen = sizeof o);
        }
        break;
    case OPTS_SACK: { /* nop, nop, SACK one block: the bytes after the hole */
        uint32_t left = st->ack + s->mss, right = left + s->mss;
        uint8_t o[12] = {1, 1, 5, 10, (uint8_t)(left >> 24), (uint8_t)(left >> 16), (uint8_t)(left >> 8),
                         (uint8_t)left, (uint8_t)(right >> 24), (uint8_t)(right >> 16),
                         (uint8_t)(right >> 8), (uint8_t)right};
        memcpy(opts, o, olen = sizeof o);
        if (!s->timestamps)
            break;
        goto timestamps; /* SACK and timestamps */
    }
    case OPTS_TS:
    timestamps: {
        uint8_t o[12] = {1, 1, 8, 10, (uint8_t)(ts_val >> 24), (uint8_t)(ts_val >> 16), (uint8_t)(ts_val >> 8),
                         (uint8_t)ts_val, (uint8_t)(ts_ecr >> 24), (uint8_t)(ts_ecr >> 16),
                         (uint8_t)(ts_ecr >> 8), (uint8_t)ts_ecr};
        memcpy(opts + olen, o, sizeof o);
        olen += sizeof o;
        break;
    }
    default:
        break;
    }
    struct pkt_spec spec = {
        .ip_version = s->ip_version,
        .src = s->addr[st->dir], .dst = s->addr[!st->dir],
        .sport = s->port[st->dir], .dport = s->port[!st->dir],
        .seq = st->seq, .ack = st->ack, .flags = st->flags, .window = st->window,
        .payload_len = st->len, .options = opts, .options_len = olen,
        .bad_checksum = st->bad_checksum,
    };
    size_t n = pkt_build_ip(&spec, ip, sizeof ip);
    size_t f = n ? pkt_wrap(LINK_ETHERNET, ip, n, frame, sizeof frame, s->vlan_tags, false) : 0;
    if (!f) {
        fprintf(stderr, "gen: cannot build a packet of session %" PRIu64 "\n", s->id);
        exit(1);
    }
    pcapw_write(w, t * 1000, frame, (uint32_t)f, (uint32_t)f);
    stats->packets++;
    stats->bytes += f + 16;
}

/* ---- scheduling: a heap of live sessions by the time of their next packet ---------------------- */

struct heap {
    struct gsession **a;
    size_t n;
};

static int64_t next_time(const struct gsession *s) { return s->start + s->steps[s->next].t; }

static bool before(const struct gsession *x, const struct gsession *y)
{
    int64_t tx = next_time(x), ty = next_time(y);
    return tx < ty || (tx == ty && x->id < y->id);
}

static void sift_down(struct heap *h, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && before(h->a[l], h->a[m]))
            m = l;
        if (r < h->n && before(h->a[r], h->a[m]))
            m = r;
        if (m == i)
            return;
        struct gsession *tmp = h->a[i];
        h->a[i] = h->a[m];
        h->a[m] = tmp;
        i = m;
    }
}

static void sift_up(struct heap *h, size_t i)
{
    while (i > 0 && before(h->a[i], h->a[(i - 1) / 2])) {
        struct gsession *tmp = h->a[i];
        h->a[i] = h->a[(i - 1) / 2];
        h->a[(i - 1) / 2] = tmp;
        i = (i - 1) / 2;
    }
}

enum { REUSE_RING = 256 };

struct generator {
    uint64_t total, started;
    bool bulk;
    struct tuple reuse[REUSE_RING]; /* recently closed 4-tuples */
    size_t reuse_n;
    struct stats stats;
};

static void start_session(struct generator *g, struct gsession *s, int64_t start)
{
    s->id = ++g->started;
    s->start = start;
    s->kind = pick_kind();
    if (g->reuse_n && chance(30)) {
        /* A new connection on a 4-tuple whose previous session closed: a new generation. */
        const struct tuple *t = &g->reuse[--g->reuse_n];
        s->ip_version = t->ip_version;
        s->vlan_tags = t->vlan_tags;
        memcpy(s->addr, t->addr, sizeof s->addr);
        memcpy(s->port, t->port, sizeof s->port);
        if (s->kind == K_MID_STREAM || s->kind == K_SIMULTANEOUS_OPEN)
            s->kind = K_FOUR_WAY_CLIENT;
        g->stats.reused++;
    } else {
        pick_endpoints(s);
    }
    script(s, g->bulk);
    g->stats.sessions++;
    g->stats.by_kind[s->kind]++;
    g->stats.v6 += s->ip_version == 6;
    g->stats.vlan += s->vlan_tags > 0;
}

static void end_session(struct generator *g, const struct gsession *s)
{
    if (closes_cleanly(s->kind) && chance(500)) {
        struct tuple *t = &g->reuse[g->reuse_n < REUSE_RING ? g->reuse_n++ : rnd() % REUSE_RING];
        t->ip_version = s->ip_version;
        t->vlan_tags = s->vlan_tags;
        memcpy(t->addr, s->addr, sizeof t->addr);
        memcpy(t->port, s->port, sizeof t->port);
    }
}

static void usage(void)
{
    fputs("usage: gen [-s SEED] [-n SESSIONS] [-c CONCURRENT] [-p bulk|short] -o OUT.pcap\n", stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    uint64_t seed = 1, sessions = 20000, concurrent = 2000;
    const char *out = NULL, *profile = "bulk";
    int c;
    while ((c = getopt(argc, argv, "s:n:c:p:o:")) != -1) {
        switch (c) {
        case 's': seed = strtoull(optarg, NULL, 10); break;
        case 'n': sessions = strtoull(optarg, NULL, 10); break;
        case 'c': concurrent = strtoull(optarg, NULL, 10); break;
        case 'p': profile = optarg; break;
        case 'o': out = optarg; break;
        default: usage();
        }
    }
    if (!out || !sessions || !concurrent || (strcmp(profile, "bulk") != 0 && strcmp(profile, "short") != 0))
        usage();
    if (concurrent > sessions)
        concurrent = sessions;
    rng_state = seed * 0x2545f4914f6cdd1dULL + 1;

    struct pcap_file_writer w;
    if (pcapw_open(&w, out, LINK_ETHERNET, false, 65535) != 0) {
        perror(out);
        return 1;
    }
    struct generator g = {.total = sessions, .bulk = strcmp(profile, "bulk") == 0};
    struct heap h = {calloc(concurrent, sizeof *h.a), 0};
    struct gsession *pool = calloc(concurrent, sizeof *pool);
    if (!h.a || !pool) {
        fputs("gen: out of memory\n", stderr);
        return 1;
    }
    const int64_t epoch = 1700000000LL * 1000000; /* 2023-11-14, microseconds */
    /* The first sessions start within the first 200 ms, so the capture is busy at once. */
    for (uint64_t i = 0; i < concurrent; i++) {
        start_session(&g, &pool[i], epoch + (int64_t)range(0, 200000));
        h.a[h.n++] = &pool[i];
        sift_up(&h, h.n - 1);
    }
    int64_t last = epoch;
    while (h.n) {
        struct gsession *s = h.a[0];
        last = next_time(s);
        write_step(&w, s, &s->steps[s->next], &g.stats);
        if (++s->next < s->n) {
            sift_down(&h, 0);
            continue;
        }
        end_session(&g, s);
        if (g.started < g.total) {
            start_session(&g, s, last + (int64_t)range(1, 2000));
        } else {
            free(s->steps);
            s->steps = NULL;
            h.a[0] = h.a[--h.n];
        }
        if (h.n)
            sift_down(&h, 0);
    }
    if (pcapw_close(&w) != 0) {
        perror(out);
        return 1;
    }
    fprintf(stderr, "gen: %s: %" PRIu64 " packets, %" PRIu64 " bytes, %" PRIu64 " sessions (%" PRIu64
            " on a reused 4-tuple, %" PRIu64 " IPv6, %" PRIu64 " VLAN-tagged), %.1f s of traffic\n",
            out, g.stats.packets, g.stats.bytes + 24, g.stats.sessions, g.stats.reused, g.stats.v6,
            g.stats.vlan, (double)(last - epoch) / 1e6);
    for (int k = 0; k < KINDS; k++)
        fprintf(stderr, "gen:   %-26s %" PRIu64 "\n", kind_names[k], g.stats.by_kind[k]);
    free(pool);
    free(h.a);
    return 0;
}
