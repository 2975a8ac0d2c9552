/* table.c — sessions by 4-tuple, each side's state, and the bounded timeline.
 *
 * Layout: a hash table (open addressing, linear probing) maps a canonical 4-tuple to the
 * newest session on it; sessions live in fixed-size chunks so their addresses never move and
 * their order is the order of first packet. Per segment, session_table_add() updates, in
 * order: counters, SYN/FIN/RST facts, sequence tracking, RFC 9293 states, Zeek's bookkeeping,
 * Wireshark's completeness bits, and the timeline. */
#include "table.h"

#include <stdlib.h>
#include <string.h>

enum {
    CHUNK_SESSIONS = 256,
    TIMELINE_MAX_EVENTS = 64, /* hard cap; a normal session needs 10 to 20 */
    TIMELINE_HEAD = 4,        /* data segments kept after each key segment */
    TIMELINE_TAIL = 4,        /* data segments kept before the next key segment */
};

struct slot {
    uint64_t hash;
    struct session *s; /* NULL: empty */
    /* The session cap refused this 4-tuple's next generation: later segments belong to it,
     * not to s, and are dropped. dropped_isn is the ISN of the refused SYN. */
    bool successor_dropped;
    uint32_t dropped_isn;
};

enum { DROPPED_SET_MAX = 1 << 20 }; /* slots of the dropped-session set: 8 MB at most */

/* A 4-tuple, the same for both directions (make_key). Addresses are two 64-bit words each
 * (IPv4 in the first 4 bytes, the rest zero), compared and hashed a word at a time, as this
 * runs for every segment. */
struct tuple_key {
    uint64_t a[2], b[2];
    uint16_t aport, bport;
    uint8_t version;
};

/* A segment held back by session_table_push (see "reading ahead"). */
struct pending_segment {
    struct decoded_packet p;
    struct tuple_key key;
    int64_t ts;
    uint64_t packet_no, hash;
};

enum { PENDING_MAX = 16, AHEAD_SESSION = 8, AHEAD_TIMELINE = 3 }; /* see "reading ahead" */

struct session_table {
    struct session_table_config cfg;
    struct pending_segment pending[PENDING_MAX]; /* a ring: oldest at pending_head */
    size_t pending_head, n_pending;
    struct slot *slots;
    size_t n_slots, n_used; /* n_slots is a power of two */
    struct session **chunks;
    size_t n_chunks, cap_chunks, count;
    uint64_t dropped_segments, dropped_sessions;
    uint64_t first_dropped_packet, oom_packet;
    uint64_t *dropped; /* hashes of the 4-tuples of sessions the cap dropped; 0: empty */
    size_t n_dropped_slots, n_dropped;
    int oom;
};

/* ---- keys and hashing ------------------------------------------------------------------ */

static void load_addr(uint64_t w[2], const uint8_t *addr)
{
    memcpy(w, addr, 16);
}

static bool same_addr(const uint64_t w[2], const uint8_t *addr)
{
    uint64_t v[2];
    load_addr(v, addr);
    return ((w[0] ^ v[0]) | (w[1] ^ v[1])) == 0;
}

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33; h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

/* Fills k, ordering the two endpoints so both directions give the same key (any fixed order
 * will do), and returns its hash, computed from the words in hand: loading them back from k
 * stalled on the stores that had just written it.
 *
 * The set of dropped 4-tuples knows them by the hash alone, so distinct keys must not
 * collide: the ports are mixed before the first address word goes in, as XORed raw they
 * overlapped its bytes and whole families of 4-tuples shared a hash. */
static uint64_t make_key(struct tuple_key *k, int version, const uint8_t *x, uint16_t xport,
                         const uint8_t *y, uint16_t yport)
{
    uint64_t wx[2], wy[2];
    load_addr(wx, x);
    load_addr(wy, y);
    bool x_first = wx[0] != wy[0] ? wx[0] < wy[0] : wx[1] != wy[1] ? wx[1] < wy[1] : xport <= yport;
    /* Chosen word by word so that they stay in registers. */
    const uint64_t w[4] = {x_first ? wx[0] : wy[0], x_first ? wx[1] : wy[1],
                           x_first ? wy[0] : wx[0], x_first ? wy[1] : wx[1]};
    uint16_t aport = x_first ? xport : yport, bport = x_first ? yport : xport;
    k->a[0] = w[0];
    k->a[1] = w[1];
    k->b[0] = w[2];
    k->b[1] = w[3];
    k->aport = aport;
    k->bport = bport;
    k->version = (uint8_t)version;

    uint64_t h = mix64((uint64_t)aport << 32 | (uint64_t)bport << 16 | (uint8_t)version);
    for (int i = 0; i < 4; i++)
        h = mix64(h ^ w[i]) + (uint64_t)i;
    return h | 1; /* never 0, so a zero hash can mark nothing */
}

/* Whether s is between the endpoints of k, in either order. Compared field by field rather
 * than by building s's key. */
static bool session_matches(const struct session *s, const struct tuple_key *k)
{
    const struct session_side *x = &s->side[0], *y = &s->side[1];
    if (s->ip_version != k->version)
        return false;
    if (x->port == k->aport && y->port == k->bport && same_addr(k->a, x->addr) && same_addr(k->b, y->addr))
        return true;
    return x->port == k->bport && y->port == k->aport && same_addr(k->b, x->addr) && same_addr(k->a, y->addr);
}

static struct slot *find_slot(const struct session_table *t, const struct tuple_key *k, uint64_t h)
{
    size_t mask = t->n_slots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct slot *sl = &t->slots[i];
        if (!sl->s || (sl->hash == h && session_matches(sl->s, k)))
            return sl;
    }
}

static bool grow_slots(struct session_table *t)
{
    size_t n = t->n_slots ? t->n_slots * 2 : 1024;
    struct slot *old = t->slots;
    size_t old_n = t->n_slots;
    t->slots = calloc(n, sizeof *t->slots);
    if (!t->slots) {
        t->slots = old;
        return false;
    }
    t->n_slots = n;
    for (size_t i = 0; i < old_n; i++) {
        if (!old[i].s)
            continue;
        size_t j = old[i].hash & (n - 1);
        while (t->slots[j].s)
            j = (j + 1) & (n - 1);
        t->slots[j] = old[i];
    }
    free(old);
    return true;
}

/* ---- table life cycle ------------------------------------------------------------------- */

struct session_table *session_table_new(const struct session_table_config *cfg)
{
    struct session_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    if (cfg)
        t->cfg = *cfg;
    if (t->cfg.idle_timeout_ns <= 0)
        t->cfg.idle_timeout_ns = SESSION_TABLE_DEFAULT_IDLE_NS;
    if (!grow_slots(t)) {
        free(t);
        return NULL;
    }
    return t;
}

void session_table_free(struct session_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->count; i++) {
        struct session *s = session_table_get(t, i);
        free(s->events);
        free(s->gaps);
        free(s->ring);
    }
    for (size_t i = 0; i < t->n_chunks; i++)
        free(t->chunks[i]);
    free(t->chunks);
    free(t->slots);
    free(t->dropped);
    free(t);
}

size_t session_table_count(const struct session_table *t) { return t->count; }
uint64_t session_table_dropped(const struct session_table *t) { return t->dropped_segments; }
uint64_t session_table_sessions_dropped(const struct session_table *t) { return t->dropped_sessions; }
uint64_t session_table_first_dropped(const struct session_table *t) { return t->first_dropped_packet; }
uint64_t session_table_oom(const struct session_table *t) { return t->oom ? (t->oom_packet ? t->oom_packet : 1) : 0; }

struct session *session_table_get(const struct session_table *t, size_t i)
{
    return &t->chunks[i / CHUNK_SESSIONS][i % CHUNK_SESSIONS];
}

struct session *session_table_find(const struct session_table *t, int ip_version,
                                   const uint8_t *a, uint16_t aport, const uint8_t *b, uint16_t bport)
{
    struct tuple_key k;
    uint64_t h = make_key(&k, ip_version, a, aport, b, bport);
    return find_slot(t, &k, h)->s;
}

static struct session *allocate_session(struct session_table *t)
{
    if (t->count == t->n_chunks * CHUNK_SESSIONS) {
        if (t->n_chunks == t->cap_chunks) {
            size_t cap = t->cap_chunks ? t->cap_chunks * 2 : 16;
            struct session **c = realloc(t->chunks, cap * sizeof *c);
            if (!c)
                return NULL;
            t->chunks = c;
            t->cap_chunks = cap;
        }
        t->chunks[t->n_chunks] = calloc(CHUNK_SESSIONS, sizeof(struct session));
        if (!t->chunks[t->n_chunks])
            return NULL;
        t->n_chunks++;
    }
    return session_table_get(t, t->count++);
}

/* ---- roles and generations --------------------------------------------------------------- */

static bool is_pure_syn(const struct decoded_packet *p)
{
    return (p->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
}

/* Which end of p is the client: 0 for the sender, 1 for the receiver. */
static int client_end(const struct decoded_packet *p, bool *inferred)
{
    *inferred = false;
    if (p->flags & TCP_SYN)
        return (p->flags & TCP_ACK) ? 1 : 0;
    /* No SYN: a well-known or lower port is the server; equal ports: the sender is the client. */
    *inferred = true;
    if (p->sport == p->dport)
        return 0;
    return p->sport < p->dport ? 1 : 0;
}

static int direction_of(const struct session *s, const struct decoded_packet *p)
{
    const struct session_side *c = &s->side[ROLE_CLIENT];
    return (c->port == p->sport && memcmp(c->addr, p->src, 16) == 0) ? DIR_C2S : DIR_S2C;
}

/* TAXONOMY.md: a SYN without ACK whose ISN differs from the current session's starts a new
 * session when that session closed (both FINs or a RST) or went idle. A SYN from a side that
 * already sent one with another ISN means its stack started over, so it starts one too. */
static bool starts_new_generation(const struct session_table *t, const struct session *s,
                                  const struct decoded_packet *p, int64_t ts)
{
    if (!is_pure_syn(p))
        return false;
    const struct session_side *side = &s->side[direction_of(s, p)];
    if (side->isn_known && p->seq == side->isn)
        return false; /* a retransmitted SYN */
    bool closed = s->rst_seen || (s->side[0].fin_seen && s->side[1].fin_seen);
    return closed || ts - s->last_ts > t->cfg.idle_timeout_ns || side->syns > 0;
}

static struct session *new_session(struct session_table *t, const struct decoded_packet *p,
                                   int64_t ts, uint64_t packet_no, uint32_t generation)
{
    struct session *s = allocate_session(t);
    if (!s)
        return NULL;
    bool inferred;
    int c = client_end(p, &inferred);
    s->id = t->count;
    s->generation = generation;
    s->ip_version = p->ip_version;
    s->roles_inferred = inferred;
    memcpy(s->side[ROLE_CLIENT].addr, c == 0 ? p->src : p->dst, 16);
    s->side[ROLE_CLIENT].port = c == 0 ? p->sport : p->dport;
    memcpy(s->side[ROLE_SERVER].addr, c == 0 ? p->dst : p->src, 16);
    s->side[ROLE_SERVER].port = c == 0 ? p->dport : p->sport;
    s->first_ts = s->last_ts = ts;
    s->first_packet = packet_no;
    s->rst_sender = ROLE_NONE;
    s->active_closer = ROLE_NONE;
    s->rtt_syn_synack = s->rtt_synack_ack = -1;
    for (int i = 0; i < 2; i++)
        s->side[i].zeek_state = s->side[i].zeek_prev_state = ZEEK_INACTIVE;
    if (inferred)
        s->anomalies |= 1u << ANOMALY_ROLES_INFERRED;
    return s;
}

/* ---- timeline ----------------------------------------------------------------------------- */

/* Grows *arr to hold need elements: first elements at first, then in steps of step.
 * Timelines are short (at most TIMELINE_MAX_EVENTS), so a few more reallocs cost little,
 * while doubling would leave a quarter of every timeline unused on average: a tenth of a
 * session's memory. */
static bool reserve(void **arr, uint32_t *cap, uint32_t need, size_t elem, uint32_t first, uint32_t step)
{
    if (need <= *cap)
        return true;
    uint32_t n = need <= first ? first : first + (need - first + step - 1) / step * step;
    void *p = realloc(*arr, (size_t)n * elem);
    if (!p)
        return false;
    *arr = p;
    *cap = n;
    return true;
}

static void omit(struct session *s, const struct timeline_event *ev)
{
    s->pending_gap.packets[ev->dir]++;
    s->pending_gap.bytes[ev->dir] += ev->len;
    s->omitted_packets++;
}

static void append_event(struct session_table *t, struct session *s, const struct timeline_event *ev)
{
    if (s->n_events >= TIMELINE_MAX_EVENTS ||
        !reserve((void **)&s->events, &s->cap_events, s->n_events + 1, sizeof *ev, 8, 4)) {
        if (s->n_events < TIMELINE_MAX_EVENTS)
            t->oom = 1;
        omit(s, ev);
        return;
    }
    s->events[s->n_events++] = *ev;
}

static void close_gap(struct session_table *t, struct session *s)
{
    struct timeline_gap *g = &s->pending_gap;
    if (!g->packets[0] && !g->packets[1])
        return;
    if (!reserve((void **)&s->gaps, &s->cap_gaps, s->n_gaps + 1, sizeof *g, 2, 2)) {
        t->oom = 1;
        return;
    }
    g->before = s->n_events;
    s->gaps[s->n_gaps++] = *g;
    memset(g, 0, sizeof *g);
}

/* Places the held-back tail of a data run, preceded by the gap it leaves. */
static void timeline_flush(struct session_table *t, struct session *s)
{
    if (s->n_events >= TIMELINE_MAX_EVENTS)
        return; /* the final gap stays open until session_table_finish */
    close_gap(t, s);
    for (uint32_t i = 0; i < s->ring_len; i++)
        append_event(t, s, &s->ring[(s->ring_head + i) % TIMELINE_TAIL]);
    /* The ring is needed only inside a long run of data segments: freed here, it is held by
     * the sessions in such a run at the moment, not by every session that ever had one. */
    free(s->ring);
    s->ring = NULL;
    s->ring_len = s->ring_head = 0;
    s->run_kept = 0;
}

/* An ended session (a RST, or both FINs acknowledged) seldom gets another segment: its
 * timeline gives back the capacity it does not use, so that the many ended sessions of a big
 * capture cost what they hold (memory grows with sessions; docs/benchmark.md). */
static void trim_ended(struct session *s)
{
    if (s->n_events == 0 || s->cap_events == s->n_events)
        return;
    struct timeline_event *e = realloc(s->events, s->n_events * sizeof *e);
    if (e) {
        s->events = e;
        s->cap_events = s->n_events;
    }
}

/* Key segments (SYN, FIN, RST and the ACKs that complete them) are always kept; of each run
 * of other segments the first TIMELINE_HEAD and the last TIMELINE_TAIL are kept. */
static void timeline_record(struct session_table *t, struct session *s,
                            const struct timeline_event *ev, bool key)
{
    if (key || s->run_kept < TIMELINE_HEAD) {
        append_event(t, s, ev);
        if (!key)
            s->run_kept++;
        return;
    }
    if (!s->ring && !(s->ring = malloc(TIMELINE_TAIL * sizeof *s->ring))) {
        t->oom = 1;
        omit(s, ev);
        return;
    }
    if (s->ring_len == TIMELINE_TAIL) {
        omit(s, &s->ring[s->ring_head]);
        s->ring[s->ring_head] = *ev;
        s->ring_head = (s->ring_head + 1) % TIMELINE_TAIL;
    } else {
        s->ring[(s->ring_head + s->ring_len++) % TIMELINE_TAIL] = *ev;
    }
}

/* Rewrites a side's state (role, which equals its direction: DIR_C2S == ROLE_CLIENT) in events recorded since a packet, when a later segment shows the
 * earlier inference was wrong (the crossing FINs of a simultaneous close, crossing SYNs). */
static void revise_states(struct session *s, int role, uint64_t since, uint8_t from, uint8_t to)
{
    for (uint32_t i = s->n_events; i-- > 0 && s->events[i].packet >= since;)
        if (s->events[i].state[role] == from)
            s->events[i].state[role] = to;
}

/* ---- RFC 9293 states ----------------------------------------------------------------------- */

/* Each segment is taken as delivered when seen: the sender's state moves for what it sent,
 * the receiver's for what it got. Crossing segments are recognised by their ack fields. */
static void advance_states(struct session *s, int dir, const struct decoded_packet *p)
{
    struct session_side *snd = &s->side[dir], *rcv = &s->side[!dir];
    uint8_t *S = &snd->state, *R = &rcv->state;
    bool ack = p->flags & TCP_ACK;
    bool acks_rcv_syn = ack && rcv->isn_known && seq_geq(p->ack, rcv->isn + 1);
    bool acks_rcv_fin = ack && rcv->fin_seen && seq_geq(p->ack, rcv->fin_seq + 1);

    if (p->flags & TCP_RST) {
        *S = TCP_CLOSED;
        *R = TCP_CLOSED;
        return;
    }
    if ((p->flags & TCP_SYN) && !ack) {
        if (*S == TCP_LISTEN && *R == TCP_SYN_SENT) /* crossing SYNs: it was never listening */
            revise_states(s, dir, rcv->syn_packet, TCP_LISTEN, TCP_CLOSED);
        if (*S == TCP_STATE_UNKNOWN || *S == TCP_CLOSED || *S == TCP_LISTEN)
            *S = TCP_SYN_SENT;
        if (*R == TCP_STATE_UNKNOWN || *R == TCP_CLOSED)
            *R = TCP_LISTEN;
        else if (*R == TCP_SYN_SENT)
            *R = TCP_SYN_RECEIVED; /* simultaneous open */
    } else if (p->flags & TCP_SYN) {
        if (*S == TCP_STATE_UNKNOWN || *S == TCP_CLOSED || *S == TCP_LISTEN || *S == TCP_SYN_SENT)
            *S = TCP_SYN_RECEIVED;
        if (acks_rcv_syn && (*R == TCP_SYN_SENT || *R == TCP_SYN_RECEIVED))
            *R = TCP_ESTABLISHED;
    } else {
        if (*S == TCP_STATE_UNKNOWN)
            *S = TCP_ESTABLISHED; /* first segment of a capture started mid-stream */
        else if ((*S == TCP_SYN_SENT || *S == TCP_SYN_RECEIVED) && ack && snd->acked_syn)
            *S = TCP_ESTABLISHED;
        if (*R == TCP_STATE_UNKNOWN)
            *R = TCP_ESTABLISHED;
        else if (*R == TCP_SYN_RECEIVED && acks_rcv_syn)
            *R = TCP_ESTABLISHED;
    }
    if (acks_rcv_fin) {
        if (*R == TCP_FIN_WAIT_1)
            *R = TCP_FIN_WAIT_2;
        else if (*R == TCP_CLOSING)
            *R = TCP_TIME_WAIT;
        else if (*R == TCP_LAST_ACK)
            *R = TCP_CLOSED;
    }
    if (!(p->flags & TCP_FIN))
        return;
    switch (*S) {
    case TCP_CLOSE_WAIT:
        if (acks_rcv_fin) {
            *S = TCP_LAST_ACK;
        } else {
            /* Its FIN left before the peer's arrived: a simultaneous close. It was still
             * ESTABLISHED, sent FIN (FIN-WAIT-1) and then got the peer's FIN (CLOSING). */
            revise_states(s, dir, rcv->fin_packet, TCP_CLOSE_WAIT, TCP_ESTABLISHED);
            *S = TCP_CLOSING;
        }
        break;
    case TCP_FIN_WAIT_1: case TCP_FIN_WAIT_2: case TCP_CLOSING: case TCP_LAST_ACK: case TCP_TIME_WAIT:
        break; /* a retransmitted FIN */
    default:
        *S = TCP_FIN_WAIT_1;
        break;
    }
    switch (*R) {
    case TCP_FIN_WAIT_1: *R = TCP_CLOSING; break;
    case TCP_FIN_WAIT_2: *R = TCP_TIME_WAIT; break;
    case TCP_STATE_UNKNOWN: case TCP_SYN_RECEIVED: case TCP_ESTABLISHED: *R = TCP_CLOSE_WAIT; break;
    default: break;
    }
}

/* ---- Zeek's endpoint states and history (shared/ZEEK-CONN-STATE.md) ------------------------ */

enum { ZSEEN_S = 1, ZSEEN_H = 2, ZSEEN_F = 4, ZSEEN_R = 8, ZSEEN_A = 16, ZSEEN_D = 32,
       ZSEEN_I = 64, ZSEEN_Q = 128 };

static void history_add(struct session *s, int dir, char letter)
{
    size_t n = strlen(s->zeek_history);
    if (n < SESSION_HISTORY_MAX) {
        s->zeek_history[n] = dir == DIR_C2S ? letter : (char)(letter - 'A' + 'a');
        s->zeek_history[n + 1] = '\0';
    }
}

static void history_once(struct session *s, int dir, uint8_t bit, char letter)
{
    if (!(s->side[dir].zeek_seen & bit)) {
        s->side[dir].zeek_seen |= bit;
        history_add(s, dir, letter);
    }
}

/* S, H, F and R are written again only when the sequence number differs from the last one. */
static void history_seq(struct session *s, int dir, uint8_t bit, uint32_t *last, uint32_t seq, char letter)
{
    struct session_side *e = &s->side[dir];
    if (!(e->zeek_seen & bit) || *last != seq) {
        e->zeek_seen |= bit;
        *last = seq;
        history_add(s, dir, letter);
    }
}

/* C, T and W are written at the 1st, 10th, 100th ... occurrence. */
static void history_scaled(struct session *s, int dir, uint64_t count, uint8_t *log10_next, char letter)
{
    uint64_t threshold = 1;
    for (uint8_t i = 0; i < *log10_next; i++)
        threshold *= 10;
    if (count == threshold) {
        (*log10_next)++;
        history_add(s, dir, letter);
    }
}

static void zeek_set(struct session_side *e, uint8_t state)
{
    e->zeek_prev_state = e->zeek_state;
    e->zeek_state = state;
}

static void zeek_update(struct session *s, int dir, const struct decoded_packet *p)
{
    struct session_side *e = &s->side[dir], *peer = &s->side[!dir];
    bool is_orig = dir == DIR_C2S;
    bool syn = p->flags & TCP_SYN, fin = p->flags & TCP_FIN, rst = p->flags & TCP_RST;
    bool ack = p->flags & TCP_ACK;

    int bits = syn + fin + rst;
    if (bits > 1)
        history_once(s, dir, fin && rst ? ZSEEN_I : ZSEEN_Q, fin && rst ? 'I' : 'Q');
    else if (syn)
        history_seq(s, dir, ack ? ZSEEN_H : ZSEEN_S, &e->zeek_last_syn, p->seq, ack ? 'H' : 'S');
    else if (fin)
        history_seq(s, dir, ZSEEN_F, &e->zeek_last_fin, p->seq + p->payload_len, 'F');
    else if (rst)
        history_seq(s, dir, ZSEEN_R, &e->zeek_last_rst, p->seq, 'R');
    else if (p->payload_len)
        history_once(s, dir, ZSEEN_D, 'D');
    else if (ack)
        history_once(s, dir, ZSEEN_A, 'A');

    switch (e->zeek_state) {
    case ZEEK_INACTIVE:
        if (syn) {
            if (is_orig) {
                zeek_set(e, ack ? ZEEK_SYN_ACK_SENT : ZEEK_SYN_SENT);
            } else {
                if (peer->zeek_state == ZEEK_SYN_SENT || peer->zeek_state == ZEEK_SYN_ACK_SENT)
                    zeek_set(peer, ZEEK_ESTABLISHED);
                zeek_set(e, ZEEK_ESTABLISHED);
            }
        } else if (fin) {
            zeek_set(e, ZEEK_CLOSED);
        } else if (rst) {
            zeek_set(e, ZEEK_RESET);
        } else if (!is_orig && p->payload_len == 0 && peer->zeek_state == ZEEK_SYN_SENT) {
            /* some stacks ACK before their SYN/ACK: ignored */
        } else {
            zeek_set(e, peer->zeek_state == ZEEK_ESTABLISHED ? ZEEK_ESTABLISHED : ZEEK_PARTIAL);
        }
        break;
    case ZEEK_SYN_SENT: case ZEEK_SYN_ACK_SENT:
        if (fin)
            zeek_set(e, ZEEK_CLOSED);
        else if (rst)
            zeek_set(e, ZEEK_RESET);
        break;
    case ZEEK_ESTABLISHED: case ZEEK_PARTIAL:
        if (syn && e->zeek_state == ZEEK_PARTIAL && peer->zeek_state == ZEEK_INACTIVE) {
            zeek_set(e, ZEEK_SYN_SENT);
        } else if (fin && !rst) {
            zeek_set(e, ZEEK_CLOSED);
            if (peer->zeek_state == ZEEK_RESET && peer->zeek_prev_state == ZEEK_CLOSED)
                zeek_set(peer, ZEEK_CLOSED);
        } else if (rst) {
            zeek_set(e, ZEEK_RESET);
        }
        break;
    case ZEEK_CLOSED:
        if (rst && peer->zeek_state != ZEEK_CLOSED)
            zeek_set(e, ZEEK_RESET);
        break;
    default:
        break;
    }
}

/* Wireshark's tcp.completeness bits. */
enum { WS_SYN = 1, WS_SYNACK = 2, WS_ACK = 4, WS_DATA = 8, WS_FIN = 16, WS_RST = 32 };

static void update_completeness(struct session *s, const struct decoded_packet *p)
{
    uint8_t *c = &s->wireshark_completeness;
    if (p->flags & TCP_SYN)
        *c |= (p->flags & TCP_ACK) ? WS_SYNACK : WS_SYN;
    else if (p->flags & TCP_ACK) /* tshark 4.0 counts any ACK without SYN, RST/ACK too */
        *c |= WS_ACK;
    if (p->payload_len)
        *c |= WS_DATA;
    if (p->flags & TCP_FIN)
        *c |= WS_FIN;
    if (p->flags & TCP_RST)
        *c |= WS_RST;
}

/* ---- per-segment facts -------------------------------------------------------------------- */

/* Classifies the segment against what this side sent before: new data, a retransmission, or
 * a segment that fills a hole nobody saw filled (out of order). Returns MARK_* bits. */
static uint8_t track_sequence(struct session *s, struct session_side *side, const struct decoded_packet *p,
                              bool syn_repeat, bool fin_repeat)
{
    uint32_t span = p->payload_len + !!(p->flags & TCP_SYN) + !!(p->flags & TCP_FIN);
    uint32_t start = p->seq, end = p->seq + span;
    if (!side->seq_valid) {
        side->seq_valid = true;
        side->next_seq = end;
        return 0;
    }
    if (span == 0 || p->flags & TCP_RST)
        return 0;
    if (seq_gt(end, side->next_seq)) {
        if (seq_gt(start, side->next_seq)) {
            side->hole = true; /* bytes skipped: lost before the capture point, or reordered */
            side->hole_start = side->next_seq;
            side->hole_end = start;
        }
        bool overlap = seq_lt(start, side->next_seq);
        side->next_seq = end;
        if (overlap && p->payload_len) {
            side->retransmissions++;
            s->anomalies |= 1u << ANOMALY_RETRANSMISSION;
            return MARK_RETRANSMISSION;
        }
        return 0;
    }
    if (syn_repeat || fin_repeat)
        return MARK_RETRANSMISSION; /* counted as syn/fin-retransmitted, not as data */
    if ((p->flags & TCP_SYN) && !p->payload_len)
        return 0; /* a simultaneous open's SYN/ACK repeats the side's SYN by design */
    if (side->hole && seq_geq(start, side->hole_start) && seq_leq(end, side->hole_end)) {
        if (start == side->hole_start)
            side->hole_start = end;
        else if (end == side->hole_end)
            side->hole_end = start;
        if (!seq_lt(side->hole_start, side->hole_end))
            side->hole = false;
        side->out_of_order++;
        s->anomalies |= 1u << ANOMALY_OUT_OF_ORDER;
        return MARK_OUT_OF_ORDER;
    }
    side->retransmissions++;
    s->anomalies |= 1u << ANOMALY_RETRANSMISSION;
    return MARK_RETRANSMISSION;
}

static void record_syn(struct session *s, struct session_side *side, const struct decoded_packet *p,
                       int64_t ts, uint64_t packet_no, bool *repeat)
{
    bool ack = p->flags & TCP_ACK;
    *repeat = side->isn_known && p->seq == side->isn && (ack ? side->synacks : side->syns) > 0;
    if (ack)
        side->synacks++;
    else
        side->syns++;
    if (*repeat)
        s->anomalies |= 1u << (ack ? ANOMALY_SYNACK_RETRANSMITTED : ANOMALY_SYN_RETRANSMITTED);
    if (!side->isn_known) {
        side->isn_known = true;
        side->isn = p->seq;
        side->syn_options = p->options;
        side->syn_packet = packet_no;
        side->syn_ts = ts;
        if (p->seq == 0)
            s->anomalies |= 1u << ANOMALY_ISN_ZERO;
    }
    if (ack && side->synacks == 1)
        side->syn_ack = p->ack;
    if (p->payload_len)
        s->anomalies |= 1u << ANOMALY_DATA_ON_SYN;
}

static bool grow_dropped(struct session_table *t)
{
    size_t n = t->n_dropped_slots ? t->n_dropped_slots * 2 : 4096;
    uint64_t *d = calloc(n, sizeof *d);
    if (!d)
        return false;
    for (size_t i = 0; i < t->n_dropped_slots; i++) {
        if (!t->dropped[i])
            continue;
        size_t j = t->dropped[i] & (n - 1);
        while (d[j])
            j = (j + 1) & (n - 1);
        d[j] = t->dropped[i];
    }
    free(t->dropped);
    t->dropped = d;
    t->n_dropped_slots = n;
    return true;
}

/* Remembers the 4-tuple (by its hash h) of a segment the cap dropped, so that each dropped
 * session counts once however many segments it has. Returns true when the tuple is new. The
 * set is bounded (DROPPED_SET_MAX); once it is full, a tuple not in it counts as new only
 * when its segment is a SYN without ACK, the start of a session. */
static bool note_dropped(struct session_table *t, uint64_t h, const struct decoded_packet *p)
{
    bool full = (t->n_dropped + 1) * 4 > t->n_dropped_slots * 3 &&
                (t->n_dropped_slots >= DROPPED_SET_MAX || !grow_dropped(t));
    if (!t->n_dropped_slots)
        return is_pure_syn(p);
    size_t mask = t->n_dropped_slots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) { /* ends: at most 3/4 of the slots are used */
        if (t->dropped[i] == h)
            return false;
        if (!t->dropped[i]) {
            if (full)
                return is_pure_syn(p);
            t->dropped[i] = h;
            t->n_dropped++;
            return true;
        }
    }
}

static struct session *add_segment(struct session_table *t, const struct decoded_packet *p,
                                   const struct tuple_key *k, uint64_t h, int64_t ts, uint64_t packet_no)
{
    struct slot *sl = find_slot(t, k, h);
    struct session *s = sl->s;

    if (s && sl->successor_dropped) {
        /* Segments of a refused later generation must not land in the earlier one. */
        if (is_pure_syn(p) && p->seq != sl->dropped_isn) {
            t->dropped_sessions++; /* yet another generation */
            sl->dropped_isn = p->seq;
        }
        t->dropped_segments++;
        return NULL;
    }
    if (!s || starts_new_generation(t, s, p, ts)) {
        if (t->cfg.max_sessions && t->count >= t->cfg.max_sessions) {
            if (s) {
                sl->successor_dropped = true;
                sl->dropped_isn = p->seq;
                t->dropped_sessions++;
            } else if (note_dropped(t, h, p)) {
                t->dropped_sessions++;
            }
            t->dropped_segments++;
            return NULL;
        }
        uint32_t gen = s ? s->generation + 1 : 0;
        if (s)
            timeline_flush(t, s);
        s = new_session(t, p, ts, packet_no, gen);
        if (!s) {
            t->oom = 1;
            return NULL;
        }
        if (!sl->s)
            t->n_used++;
        sl->hash = h;
        sl->s = s;
        if (t->n_used * 2 > t->n_slots && !grow_slots(t))
            t->oom = 1;
    }

    int dir = direction_of(s, p);
    struct session_side *side = &s->side[dir], *peer = &s->side[!dir];
    struct timeline_event ev = {
        .ts_ns = ts, .packet = packet_no, .seq = p->seq, .ack = p->ack, .len = p->payload_len,
        .flags = p->flags, .window = p->window, .options = p->options, .dir = (uint8_t)dir,
    };

    /* Timestamps can go backwards (merged captures, clock steps): a session spans its
     * earliest to its latest, so its duration is never negative. */
    if (ts > s->last_ts)
        s->last_ts = ts;
    if (ts < s->first_ts)
        s->first_ts = ts;
    s->last_packet = packet_no;
    side->packets++;
    side->payload_bytes += p->payload_len;

    if (p->checksum == CHECKSUM_BAD) {
        side->bad_checksums++;
        ev.marks |= MARK_BAD_CHECKSUM;
        s->anomalies |= 1u << ANOMALY_BAD_CHECKSUM;
        /* No 'C' in the history: Zeek is matched as run with -C (checksums ignored). */
    }
    if (p->options_truncated)
        s->anomalies |= 1u << ANOMALY_TRUNCATED;
    if (p->options_malformed)
        s->anomalies |= 1u << ANOMALY_MALFORMED_OPTIONS;

    bool syn_repeat = false, fin_repeat = false, key = false;
    if (p->flags & TCP_SYN) {
        record_syn(s, side, p, ts, packet_no, &syn_repeat);
        ev.marks |= MARK_HANDSHAKE;
        key = true;
    }
    if (p->flags & TCP_FIN) {
        uint32_t fin_seq = p->seq + p->payload_len + !!(p->flags & TCP_SYN);
        side->fins++;
        if (!side->fin_seen) {
            side->fin_seen = true;
            side->fin_seq = fin_seq;
            side->fin_packet = packet_no;
            side->fin_ts = ts;
        } else if (fin_seq == side->fin_seq) {
            fin_repeat = true;
            s->anomalies |= 1u << ANOMALY_FIN_RETRANSMITTED;
        }
        ev.marks |= MARK_TEARDOWN;
        key = true;
    } else if (side->fin_seen && p->payload_len && seq_gt(p->seq + p->payload_len, side->fin_seq)) {
        s->anomalies |= 1u << ANOMALY_DATA_AFTER_FIN;
    }
    if (p->flags & TCP_ACK) {
        if (!side->acked_syn && peer->isn_known && seq_geq(p->ack, peer->isn + 1)) {
            side->acked_syn = true;
            side->ack_of_syn = p->ack;
            side->ack_of_syn_packet = packet_no;
            side->ack_of_syn_ts = ts;
            /* A RST answering a SYN belongs to the teardown packets, not the handshake's. */
            if (!(p->flags & TCP_RST))
                ev.marks |= MARK_HANDSHAKE;
            key = true;
        }
        if (!side->acked_fin && peer->fin_seen && seq_geq(p->ack, peer->fin_seq + 1)) {
            side->acked_fin = true;
            side->ack_of_fin = p->ack;
            side->ack_of_fin_packet = packet_no;
            side->ack_of_fin_ts = ts;
            ev.marks |= MARK_TEARDOWN;
            key = true;
        }
    }
    if (p->flags & TCP_RST) {
        side->rsts++;
        if (!s->rst_seen) {
            s->rst_seen = true;
            s->rst_sender = (int8_t)(dir == DIR_C2S ? ROLE_CLIENT : ROLE_SERVER);
            s->rst_after_fin = side->fin_seen || peer->fin_seen;
            s->rst_packet = packet_no;
            s->rst_ts = ts;
        }
        ev.marks |= MARK_TEARDOWN;
        key = true;
    }
    ev.marks |= track_sequence(s, side, p, syn_repeat, fin_repeat);
    if (ev.marks & MARK_RETRANSMISSION && !syn_repeat && !fin_repeat)
        history_scaled(s, dir, side->retransmissions, &side->zeek_rexmit_log, 'T');
    if (p->window == 0 && !(p->flags & (TCP_RST | TCP_SYN))) {
        side->zero_windows++;
        ev.marks |= MARK_ZERO_WINDOW;
        s->anomalies |= 1u << ANOMALY_ZERO_WINDOW;
        history_scaled(s, dir, side->zero_windows, &side->zeek_zwin_log, 'W');
    }

    if (key)
        timeline_flush(t, s);
    advance_states(s, dir, p);
    zeek_update(s, dir, p);
    update_completeness(s, p);

    ev.state[ROLE_CLIENT] = s->side[ROLE_CLIENT].state;
    ev.state[ROLE_SERVER] = s->side[ROLE_SERVER].state;
    timeline_record(t, s, &ev, key);
    if (key && (s->rst_seen || (s->side[0].acked_fin && s->side[1].acked_fin)))
        trim_ended(s);
    return s;
}

static void prepare_segment(struct pending_segment *seg, const struct decoded_packet *p, int64_t ts,
                            uint64_t packet_no)
{
    seg->p = *p;
    seg->hash = make_key(&seg->key, p->ip_version, p->src, p->sport, p->dst, p->dport);
    seg->ts = ts;
    seg->packet_no = packet_no;
}

/* Adds one segment; notes where the cap first dropped one and where memory first ran out. */
static struct session *add_noted(struct session_table *t, const struct pending_segment *seg)
{
    uint64_t dropped = t->dropped_segments;
    struct session *s = add_segment(t, &seg->p, &seg->key, seg->hash, seg->ts, seg->packet_no);
    if (t->dropped_segments != dropped && !t->first_dropped_packet)
        t->first_dropped_packet = seg->packet_no;
    if (t->oom && !t->oom_packet)
        t->oom_packet = seg->packet_no;
    return s;
}

/* ---- reading ahead ------------------------------------------------------------------------ */

/* With thousands of sessions open at once, a segment's slot, its session and the session's
 * timeline arrays are each a cache miss, and waiting for them one after the other was most of
 * the table's time. session_table_push therefore holds the last PENDING_MAX segments back and
 * starts the loads each will need while it waits: its slot as it arrives, the session the slot
 * points to when AHEAD_SESSION segments are ahead of it, that session's timeline arrays when
 * AHEAD_TIMELINE are. The loads are hints only (the table may change before the segment is
 * added); segments are still added one at a time and in order, so the table ends up exactly
 * as session_table_add would leave it. */

/* The session in the first slot probed for h, when that slot is h's: a guess, seldom wrong
 * in a table at most half full. */
static const struct session *likely_session(const struct session_table *t, uint64_t h)
{
    const struct slot *sl = &t->slots[h & (t->n_slots - 1)];
    return sl->hash == h ? sl->s : NULL;
}

static void prefetch_bytes(const void *p, size_t size)
{
    for (size_t off = 0; off < size; off += 64)
        __builtin_prefetch((const char *)p + off, 1);
}

static struct pending_segment *pending_at(struct session_table *t, size_t i)
{
    return &t->pending[(t->pending_head + i) % PENDING_MAX];
}

static void add_oldest_pending(struct session_table *t)
{
    struct pending_segment *seg = pending_at(t, 0);
    add_noted(t, seg);
    t->pending_head = (t->pending_head + 1) % PENDING_MAX;
    t->n_pending--;
}

void session_table_push(struct session_table *t, const struct decoded_packet *p, int64_t ts,
                        uint64_t packet_no)
{
    if (t->n_pending == PENDING_MAX)
        add_oldest_pending(t);
    struct pending_segment *seg = pending_at(t, t->n_pending++);
    prepare_segment(seg, p, ts, packet_no);
    if (!t->n_slots)
        return;
    __builtin_prefetch(&t->slots[seg->hash & (t->n_slots - 1)]);
    if (t->n_pending > AHEAD_SESSION) {
        const struct session *s = likely_session(t, pending_at(t, AHEAD_SESSION)->hash);
        if (s)
            prefetch_bytes(s, sizeof *s);
    }
    if (t->n_pending > AHEAD_TIMELINE) {
        const struct session *s = likely_session(t, pending_at(t, AHEAD_TIMELINE)->hash);
        if (s && s->ring)
            prefetch_bytes(s->ring, TIMELINE_TAIL * sizeof *s->ring);
        if (s && s->n_events < s->cap_events)
            __builtin_prefetch(&s->events[s->n_events], 1);
    }
}

struct session *session_table_add(struct session_table *t, const struct decoded_packet *p,
                                  int64_t ts, uint64_t packet_no)
{
    while (t->n_pending)
        add_oldest_pending(t);
    struct pending_segment seg;
    prepare_segment(&seg, p, ts, packet_no);
    return add_noted(t, &seg);
}

/* ---- the end -------------------------------------------------------------------------------- */

void session_table_finish(struct session_table *t)
{
    while (t->n_pending)
        add_oldest_pending(t);
    for (size_t i = 0; i < t->count; i++) {
        struct session *s = session_table_get(t, i);
        if (s->n_events >= TIMELINE_MAX_EVENTS) {
            /* A full timeline: what is still held back joins the final gap. */
            for (uint32_t j = 0; j < s->ring_len; j++)
                omit(s, &s->ring[(s->ring_head + j) % TIMELINE_TAIL]);
            s->ring_len = 0;
            close_gap(t, s);
        } else {
            timeline_flush(t, s);
            close_gap(t, s);
        }
        free(s->ring);
        s->ring = NULL;
    }
}
