/* table.c — the session table: finds each segment's session and hands the segment, in order,
 * to the code that knows TCP (table.h).
 *
 * Everything done here for speed and memory stays here, away from the protocol: a hash table
 * (open addressing, linear probing) maps a canonical 4-tuple to the id of the newest session
 * on it; the store (store.h) holds the sessions, and sessions that are finished or cannot
 * finish soon leave memory for the spill file (see "sessions leaving memory"); the session
 * cap remembers the 4-tuples it kept out in a bounded set; and session_table_push reads ahead
 * (see "reading ahead"). Per segment, add_segment() finds or
 * starts the session, then calls: segment.c (the facts), rfc9293.c (the RFC 9293 states),
 * zeek.c (Zeek's states and history), wireshark.c (tcp.completeness) and timeline.c. */
#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "dropped.h"
#include "rfc9293.h"
#include "store.h"
#include "tracked.h"
#include "tunnel.h"

struct slot {
    uint64_t hash;
    uint64_t tunnel; /* the tunnel part of the session's key (tunnel.h); 0: none */
    uint64_t id;     /* the newest session on the key; 0: the slot is empty */
    /* The session cap refused this 4-tuple's next generation: later segments belong to it,
     * not to entry, and are dropped. dropped_isn is the ISN of the refused SYN. */
    bool successor_dropped;
    uint32_t dropped_isn;
};


/* A 4-tuple, the same for both directions (make_key), and the tunnel the segment travels in
 * (tunnel_key: 0 for none). Addresses are two 64-bit words each (IPv4 in the first 4 bytes,
 * the rest zero), compared and hashed a word at a time, as this runs for every segment. */
struct tuple_key {
    uint64_t a[2], b[2];
    uint64_t tunnel;
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

enum { PENDING_MAX = 16, AHEAD_WHERE = 12, AHEAD_SESSION = 8, AHEAD_TIMELINE = 3 }; /* "reading ahead" */

struct session_table {
    struct session_table_config cfg;
    struct pending_segment pending[PENDING_MAX]; /* a ring: oldest at pending_head */
    size_t pending_head, n_pending;
    struct slot *slots;
    size_t n_slots, n_used; /* n_slots is a power of two */
    struct session_store store;
    uint64_t dropped_segments, dropped_sessions;
    uint64_t first_dropped_packet, oom_packet;
    struct dropped_set dropped; /* the 4-tuples of sessions the cap dropped */
    int64_t now;       /* the latest segment time: Zeek's network time, which runs its timers */
    int64_t last_sweep; /* now at the last sweep (see "sessions leaving memory") */
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
 * stalled on the stores that had just written it. tunnel is already the same both ways.
 *
 * The set of dropped 4-tuples knows them by the hash alone, so distinct keys must not
 * collide: the ports are mixed before the first address word goes in, as XORed raw they
 * overlapped its bytes and whole families of 4-tuples shared a hash. The tunnel goes in with
 * them; without one (0) the hash is what it was before tunnels were keyed. */
static uint64_t make_key(struct tuple_key *k, int version, const uint8_t *x, uint16_t xport,
                         const uint8_t *y, uint16_t yport, uint64_t tunnel)
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
    k->tunnel = tunnel;

    uint64_t h = mix64(((uint64_t)aport << 32 | (uint64_t)bport << 16 | (uint8_t)version) ^ tunnel);
    for (int i = 0; i < 4; i++)
        h = mix64(h ^ w[i]) + (uint64_t)i;
    return h | 1; /* never 0, so a zero hash can mark nothing */
}

/* Whether s is between the endpoints of k, in either order. Compared field by field rather
 * than by building s's key; the tunnel is compared in the slot (find_slot). */
static bool session_matches(const struct tracked_session *e, const struct tuple_key *k)
{
    const struct session *s = &e->pub;
    const struct session_side *x = &s->side[0], *y = &s->side[1];
    if (s->ip_version != k->version)
        return false;
    if (x->port == k->aport && y->port == k->bport && same_addr(k->a, x->addr) && same_addr(k->b, y->addr))
        return true;
    return x->port == k->bport && y->port == k->aport && same_addr(k->b, x->addr) && same_addr(k->a, y->addr);
}

/* The slot of key k (hash h), and in *found its session, brought back into memory when it had
 * left; the empty slot where k would go when k has none (*found NULL). NULL when a session
 * could not be read back (t->oom is set). */
static struct slot *find_slot(struct session_table *t, const struct tuple_key *k, uint64_t h,
                              struct tracked_session **found)
{
    size_t mask = t->n_slots - 1;
    *found = NULL;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct slot *sl = &t->slots[i];
        if (!sl->id)
            return sl;
        if (sl->hash != h || sl->tunnel != k->tunnel)
            continue;
        struct tracked_session *e = store_resident(&t->store, sl->id);
        if (!e && !(e = store_fetch(&t->store, sl->id))) {
            t->oom = 1;
            return NULL;
        }
        if (session_matches(e, k)) {
            *found = e;
            return sl;
        }
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
        if (!old[i].id)
            continue;
        size_t j = old[i].hash & (n - 1);
        while (t->slots[j].id)
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
    t->store.spill_dir = t->cfg.spill_dir;
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
    store_free(&t->store);
    free(t->slots);
    dropped_set_free(&t->dropped);
    free(t);
}

size_t session_table_count(const struct session_table *t) { return t->store.count; }
uint64_t session_table_dropped(const struct session_table *t) { return t->dropped_segments; }
uint64_t session_table_sessions_dropped(const struct session_table *t) { return t->dropped_sessions; }
uint64_t session_table_first_dropped(const struct session_table *t) { return t->first_dropped_packet; }
uint64_t session_table_oom(const struct session_table *t) { return t->oom ? (t->oom_packet ? t->oom_packet : 1) : 0; }

struct session *session_table_find(struct session_table *t, int ip_version,
                                   const uint8_t *a, uint16_t aport, const uint8_t *b, uint16_t bport)
{
    struct tuple_key k;
    struct tracked_session *e;
    uint64_t h = make_key(&k, ip_version, a, aport, b, bport, 0);
    find_slot(t, &k, h, &e);
    return e ? &e->pub : NULL;
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

/* A SYN without ACK starts a new session on the 4-tuple when its sequence number is not the
 * one its side has been using: the side's ISN, or for a side whose SYN was not seen, its first
 * sequence number minus one (or the peer's first acknowledgement minus one). That side's stack
 * is opening a new connection; a retransmitted SYN (same ISN) never does, however late. This
 * is exactly where tshark starts a new tcp.stream (wireshark.c), so sessions and streams
 * coincide; where Zeek's records split differently, the session lists them (zeek.h). */
static bool starts_new_generation(const struct tracked_session *e, const struct decoded_packet *p)
{
    return is_pure_syn(p) && wireshark_new_stream(&e->ws, direction_of(&e->pub, p), p);
}

/* A session starts with its first segment; every field not set here starts at zero. */
static struct tracked_session *new_session(struct session_table *t, const struct decoded_packet *p,
                                           int64_t ts, uint64_t packet_no, uint32_t generation)
{
    struct tracked_session *e = store_add(&t->store);
    if (!e)
        return NULL;
    struct session *s = &e->pub;
    bool inferred;
    int c = client_end(p, &inferred);
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
    s->zeek_orig = ROLE_NONE;
    if (inferred)
        s->anomalies |= 1u << ANOMALY_ROLES_INFERRED;
    return e;
}

/* The session segment p belongs to: found, or started (a new 4-tuple, or a new generation on
 * a known one). NULL when the cap drops the segment or memory runs out. */
static struct tracked_session *find_or_start(struct session_table *t, const struct decoded_packet *p,
                                             const struct tuple_key *k, uint64_t h, int64_t ts,
                                             uint64_t packet_no)
{
    struct tracked_session *e;
    struct slot *sl = find_slot(t, k, h, &e);
    if (!sl)
        return NULL;
    if (e && sl->successor_dropped) {
        /* Segments of a refused later generation must not land in the earlier one. */
        if (is_pure_syn(p) && p->seq != sl->dropped_isn) {
            t->dropped_sessions++; /* yet another generation */
            sl->dropped_isn = p->seq;
        }
        t->dropped_segments++;
        return NULL;
    }
    if (e && !starts_new_generation(e, p))
        return e;
    if (t->cfg.max_sessions && t->store.count >= t->cfg.max_sessions) {
        if (e) {
            sl->successor_dropped = true;
            sl->dropped_isn = p->seq;
            t->dropped_sessions++;
        } else if (dropped_set_note(&t->dropped, h, is_pure_syn(p))) {
            t->dropped_sessions++;
        }
        t->dropped_segments++;
        return NULL;
    }
    uint32_t gen = e ? e->pub.generation + 1 : 0;
    if (e && !timeline_flush(&e->pub, &e->timeline))
        t->oom = 1;
    if (e) {
        zeek_finish(&e->pub, &e->zeek);
        e->superseded = true;
    }
    e = new_session(t, p, ts, packet_no, gen);
    if (!e) {
        t->oom = 1;
        return NULL;
    }
    if (!sl->id)
        t->n_used++;
    sl->hash = h;
    sl->tunnel = k->tunnel;
    sl->id = e->pub.id;
    if (t->n_used * 2 > t->n_slots && !grow_slots(t))
        t->oom = 1;
    return e;
}

/* Each step reads what the steps before it recorded: the state machines read the facts, and
 * the timeline records the states they leave. */
static struct session *add_segment(struct session_table *t, const struct decoded_packet *p,
                                   const struct tuple_key *k, uint64_t h, int64_t ts, uint64_t packet_no)
{
    struct tracked_session *e = find_or_start(t, p, k, h, ts, packet_no);
    if (!e)
        return NULL;
    struct session *s = &e->pub;
    int dir = direction_of(s, p);
    struct segment_facts f;
    struct rfc9293_revision rev;

    if (!s->side[dir].packets && (p->n_encap || s->encap) && !tunnel_note(s, dir, p))
        t->oom = 1; /* the path of the direction's first segment (tunnel.h) */
    segment_record(s, &e->seq[dir], dir, p, ts, packet_no, &f);
    rfc9293_update(s, dir, p, &rev);
    if (ts > t->now)
        t->now = ts;
    if (!zeek_update(s, &e->zeek, dir, p, ts, t->now, packet_no, t->cfg.idle_timeout_ns))
        t->oom = 1;
    wireshark_update(s, &e->ws, dir, p, s->generation == 0);
    if (!timeline_add(s, &e->timeline, &f.ev, f.key, &rev))
        t->oom = 1;
    return s;
}

static void prepare_segment(struct pending_segment *seg, const struct decoded_packet *p, int64_t ts,
                            uint64_t packet_no)
{
    decoded_packet_copy(&seg->p, p); /* only the encapsulation layers in use */
    seg->hash = make_key(&seg->key, p->ip_version, p->src, p->sport, p->dst, p->dport, tunnel_key(p));
    seg->ts = ts;
    seg->packet_no = packet_no;
}

/* ---- sessions leaving memory --------------------------------------------------------------- */

/* A session leaves memory for the spill file (store.h) once it is finished or cannot finish
 * soon, and comes back, exactly as it left, if a later segment belongs to it after all: which
 * sessions leave changes what the table costs, never what it finds. Finished: a newer
 * generation took its 4-tuple over; both sides sent a FIN, or a RST was sent, and nothing came
 * for a while; or nothing came for the idle timeout. Cannot finish soon: an unanswered attempt
 * (only SYNs, from one side) that waited a while for an answer: a SYN flood or a scan is
 * millions of them, and their retries, if any come, come seconds apart.
 *
 * The while is half a second: a segment that comes later (a retransmitted FIN or final ACK,
 * whose timeout is at least 200 ms on Linux and 1 s by RFC 6298; a retry of a SYN, 1 s or
 * more after it) is rare, and costs one read of the session back. With Zeek's tcp_close_delay
 * (5 s) the large benchmark capture, whose sessions close at thousands a second, kept three
 * times as many sessions in memory; with 1 s, a fifth more than now. */
static const int64_t LEAVE_DELAY_NS = 500000000LL;
static const int64_t RECHECK_OPEN_NS = 10000000000LL;

/* A sweep walks the list of sessions in memory, so it comes once the sessions made since the
 * last one are half as many as those it left in memory, which keeps the cost of sweeping
 * proportional to the number of sessions; or, once SWEEP_MIN were made, when a quarter of a
 * second of capture time went by, as sessions too young at the last sweep may go now. */
enum { SWEEP_MIN = 1024 };
static const int64_t SWEEP_EVERY_NS = 250000000LL;

static bool sweep_due(const struct session_table *t)
{
    const struct session_store *st = &t->store;
    if (!st->spill_dir)
        return false;
    if (t->cfg.spill_eagerly)
        return true;
    if (st->created_since_sweep < SWEEP_MIN)
        return false;
    return st->created_since_sweep >= st->resident_after_sweep / 2 || t->now - t->last_sweep >= SWEEP_EVERY_NS;
}

static bool unanswered_attempt(const struct session *s)
{
    const struct session_side *c = &s->side[ROLE_CLIENT];
    return !s->side[ROLE_SERVER].packets && c->packets == c->syns && !c->synacks;
}

/* When it may not leave yet, the earliest it may: LEAVE_DELAY_NS after its last segment, for
 * one that ends; a session still open may end with its next segment, and is asked again
 * RECHECK_OPEN_NS later (so it stays in memory up to that long after it ended), or at its
 * idle timeout when that comes first. The sweep does not look at it before. */
static bool may_leave(const struct tracked_session *e, int64_t now, int64_t *recheck, void *arg)
{
    const struct session_table *t = arg;
    const struct session *s = &e->pub;
    int64_t quiet = now - s->last_ts;
    if (e->superseded || t->cfg.spill_eagerly || quiet > t->cfg.idle_timeout_ns)
        return true;
    if (quiet <= LEAVE_DELAY_NS) {
        *recheck = s->last_ts + LEAVE_DELAY_NS + 1;
        return false;
    }
    if (s->rst_seen || (s->side[0].fin_seen && s->side[1].fin_seen) || unanswered_attempt(s))
        return true;
    *recheck = now + (t->cfg.idle_timeout_ns - quiet < RECHECK_OPEN_NS ? t->cfg.idle_timeout_ns - quiet + 1
                                                                       : RECHECK_OPEN_NS);
    return false;
}

/* Adds one segment; notes where the cap first dropped one and where memory first ran out.
 * Sweeps first, so that the session it returns stays in memory until the next segment. */
static struct session *add_noted(struct session_table *t, const struct pending_segment *seg)
{
    if (sweep_due(t)) {
        store_sweep(&t->store, t->now, may_leave, t);
        t->last_sweep = t->now;
    }
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
 * starts the loads each will need while it waits: its slot as it arrives, the store's word
 * for the session the slot names when AHEAD_WHERE segments are ahead of it (store.h), the
 * session when AHEAD_SESSION are, that session's timeline arrays when AHEAD_TIMELINE are. The
 * loads are hints only (the table may change before the segment is added); segments are still
 * added one at a time and in order, so the table ends up exactly as session_table_add would
 * leave it. */

/* The session in the first slot probed for h, when that slot is h's: a guess, seldom wrong
 * in a table at most half full. */
static const struct tracked_session *likely_session(const struct session_table *t, uint64_t h)
{
    const struct slot *sl = &t->slots[h & (t->n_slots - 1)];
    return sl->hash == h && sl->id ? store_resident(&t->store, sl->id) : NULL;
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
    if (t->n_pending > AHEAD_WHERE) {
        uint64_t h = pending_at(t, AHEAD_WHERE)->hash;
        const struct slot *sl = &t->slots[h & (t->n_slots - 1)];
        if (sl->hash == h && sl->id)
            __builtin_prefetch(&t->store.where[sl->id - 1]);
    }
    if (t->n_pending > AHEAD_SESSION) {
        const struct tracked_session *e = likely_session(t, pending_at(t, AHEAD_SESSION)->hash);
        if (e)
            prefetch_bytes(e, sizeof *e);
    }
    if (t->n_pending > AHEAD_TIMELINE) {
        const struct tracked_session *e = likely_session(t, pending_at(t, AHEAD_TIMELINE)->hash);
        if (e && e->timeline.ring)
            prefetch_bytes(e->timeline.ring, TIMELINE_TAIL * sizeof *e->timeline.ring);
        if (e && e->pub.n_events < e->timeline.cap_events)
            __builtin_prefetch(&e->pub.events[e->pub.n_events], 1);
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

/* A session after its last segment: its timeline and Zeek record closed, its verdicts given.
 * false when memory ran out. */
static bool finish_session(struct tracked_session *e)
{
    bool ok = timeline_finish(&e->pub, &e->timeline);
    zeek_finish(&e->pub, &e->zeek);
    classify_session(&e->pub);
    return ok;
}

static void finish_in_table(struct tracked_session *e, void *arg)
{
    struct session_table *t = arg;
    if (!finish_session(e))
        t->oom = 1;
}

void session_table_finish(struct session_table *t)
{
    while (t->n_pending)
        add_oldest_pending(t);
    /* The sessions in the spill file are finished as they are read back (session_table_get).
     * What could not be written stays buffered (spill.h), as readable. */
    store_finish(&t->store, finish_in_table, t);
}

const struct session *session_table_get(const struct session_table *t, size_t i, struct session_view *v)
{
    return store_view(&t->store, i, v ? &v->state : NULL, finish_session);
}

void session_view_release(struct session_view *v)
{
    store_view_release(&v->state);
}

const char *session_table_read_problem(const struct session_table *t)
{
    const struct spill *sp = t->store.spill;
    return sp && spill_read_errno(sp) ? strerror(spill_read_errno(sp)) : NULL;
}

const char *session_table_spill_problem(const struct session_table *t)
{
    return t->store.spill_failed[0] ? t->store.spill_failed : NULL;
}

struct session_table_spill_stats session_table_spill_stats(const struct session_table *t)
{
    const struct session_store *st = &t->store;
    return (struct session_table_spill_stats){st->left, st->came_back, st->spill ? spill_size(st->spill) : 0};
}
