/* table.c — the session table: finds each segment's session and hands the segment, in order,
 * to the code that knows TCP (table.h).
 *
 * Everything done here for speed stays here, away from the protocol: a hash table (open
 * addressing, linear probing) maps a canonical 4-tuple to the newest session on it; sessions
 * live in fixed-size chunks, so their addresses never move and their order is the order of
 * first packet; the session cap remembers the 4-tuples it kept out in a bounded set; and
 * session_table_push reads ahead (see "reading ahead"). Per segment, add_segment() finds or
 * starts the session, then calls: segment.c (the facts), rfc9293.c (the RFC 9293 states),
 * zeek.c (Zeek's states and history), wireshark.c (tcp.completeness) and timeline.c. */
#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "rfc9293.h"
#include "segment.h"
#include "timeline.h"
#include "tunnel.h"
#include "wireshark.h"
#include "zeek.h"
#include "grow.h"

enum { CHUNK_SESSIONS = 256 };

/* A session as the table holds it: the public record, and beside it what building the record
 * needs and no reader should see. */
struct tracked_session {
    struct session pub;               /* first: session_table_get hands out its address */
    struct seq_tracker seq[2];        /* segment.c, per side */
    struct zeek_tracker zeek;         /* zeek.c: the Zeek connection open on the 4-tuple */
    struct wireshark_tracker ws;      /* wireshark.c: the tcp.stream */
    struct timeline_builder timeline; /* timeline.c */
};

struct slot {
    uint64_t hash;
    uint64_t tunnel;               /* the tunnel part of entry's key (tunnel.h); 0: none */
    struct tracked_session *entry; /* NULL: empty */
    /* The session cap refused this 4-tuple's next generation: later segments belong to it,
     * not to entry, and are dropped. dropped_isn is the ISN of the refused SYN. */
    bool successor_dropped;
    uint32_t dropped_isn;
};

enum { DROPPED_SET_MAX = 1 << 20 }; /* slots of the dropped-session set: 8 MB at most */

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

enum { PENDING_MAX = 16, AHEAD_SESSION = 8, AHEAD_TIMELINE = 3 }; /* see "reading ahead" */

struct session_table {
    struct session_table_config cfg;
    struct pending_segment pending[PENDING_MAX]; /* a ring: oldest at pending_head */
    size_t pending_head, n_pending;
    struct slot *slots;
    size_t n_slots, n_used; /* n_slots is a power of two */
    struct tracked_session **chunks;
    size_t n_chunks, cap_chunks, count;
    uint64_t dropped_segments, dropped_sessions;
    uint64_t first_dropped_packet, oom_packet;
    uint64_t *dropped; /* hashes of the 4-tuples of sessions the cap dropped; 0: empty */
    int64_t now;       /* the latest segment time: Zeek's network time, which runs its timers */
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

static struct slot *find_slot(const struct session_table *t, const struct tuple_key *k, uint64_t h)
{
    size_t mask = t->n_slots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct slot *sl = &t->slots[i];
        if (!sl->entry || (sl->hash == h && sl->tunnel == k->tunnel && session_matches(sl->entry, k)))
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
        if (!old[i].entry)
            continue;
        size_t j = old[i].hash & (n - 1);
        while (t->slots[j].entry)
            j = (j + 1) & (n - 1);
        t->slots[j] = old[i];
    }
    free(old);
    return true;
}

/* ---- table life cycle ------------------------------------------------------------------- */

static struct tracked_session *tracked_at(const struct session_table *t, size_t i)
{
    return &t->chunks[i / CHUNK_SESSIONS][i % CHUNK_SESSIONS];
}

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
        struct tracked_session *e = tracked_at(t, i);
        timeline_free(&e->pub, &e->timeline);
        tunnel_free(&e->pub);
        free(e->pub.zeek_more);
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
    return &tracked_at(t, i)->pub;
}

struct session *session_table_find(const struct session_table *t, int ip_version,
                                   const uint8_t *a, uint16_t aport, const uint8_t *b, uint16_t bport)
{
    struct tuple_key k;
    uint64_t h = make_key(&k, ip_version, a, aport, b, bport, 0);
    const struct slot *sl = find_slot(t, &k, h);
    return sl->entry ? &sl->entry->pub : NULL;
}

static struct tracked_session *allocate_session(struct session_table *t)
{
    if (t->count == t->n_chunks * CHUNK_SESSIONS) {
        if (!GROW(t->chunks, t->cap_chunks, t->n_chunks + 1, 16))
            return NULL;
        t->chunks[t->n_chunks] = calloc(CHUNK_SESSIONS, sizeof(struct tracked_session));
        if (!t->chunks[t->n_chunks])
            return NULL;
        t->n_chunks++;
    }
    return tracked_at(t, t->count++);
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
    struct tracked_session *e = allocate_session(t);
    if (!e)
        return NULL;
    struct session *s = &e->pub;
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
    s->zeek_orig = ROLE_NONE;
    if (inferred)
        s->anomalies |= 1u << ANOMALY_ROLES_INFERRED;
    return e;
}

/* ---- the cap's dropped sessions ----------------------------------------------------------- */

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

/* The session segment p belongs to: found, or started (a new 4-tuple, or a new generation on
 * a known one). NULL when the cap drops the segment or memory runs out. */
static struct tracked_session *find_or_start(struct session_table *t, const struct decoded_packet *p,
                                             const struct tuple_key *k, uint64_t h, int64_t ts,
                                             uint64_t packet_no)
{
    struct slot *sl = find_slot(t, k, h);
    struct tracked_session *e = sl->entry;

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
    if (t->cfg.max_sessions && t->count >= t->cfg.max_sessions) {
        if (e) {
            sl->successor_dropped = true;
            sl->dropped_isn = p->seq;
            t->dropped_sessions++;
        } else if (note_dropped(t, h, p)) {
            t->dropped_sessions++;
        }
        t->dropped_segments++;
        return NULL;
    }
    uint32_t gen = e ? e->pub.generation + 1 : 0;
    if (e && !timeline_flush(&e->pub, &e->timeline))
        t->oom = 1;
    if (e)
        zeek_finish(&e->pub, &e->zeek);
    e = new_session(t, p, ts, packet_no, gen);
    if (!e) {
        t->oom = 1;
        return NULL;
    }
    if (!sl->entry)
        t->n_used++;
    sl->hash = h;
    sl->tunnel = k->tunnel;
    sl->entry = e;
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
static const struct tracked_session *likely_session(const struct session_table *t, uint64_t h)
{
    const struct slot *sl = &t->slots[h & (t->n_slots - 1)];
    return sl->hash == h ? sl->entry : NULL;
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

void session_table_finish(struct session_table *t)
{
    while (t->n_pending)
        add_oldest_pending(t);
    for (size_t i = 0; i < t->count; i++) {
        struct tracked_session *e = tracked_at(t, i);
        if (!timeline_finish(&e->pub, &e->timeline))
            t->oom = 1;
        zeek_finish(&e->pub, &e->zeek);
    }
}
