/* test_tunnel.c — the tunnel in the session key and the encapsulation path a session records
 * (analysis/tcp/tunnel.c, through the session table).
 *
 * Kind by kind: both directions of one tunnel give one key (outer addresses swapped, per
 * direction ids and UDP source ports different); two instances of a keyed tunnel give two;
 * layers left out of the key give none. Then the table: the same inner 4-tuple in two VXLAN
 * segments is two sessions, a GTP-U session whose directions differ in TEID is one, and the
 * record keeps each direction's path. In the suite "session_table" (test_table.c): another
 * suite made Criterion 2.4.1's runner leak 48 bytes under -j2 (make test-sanitize). */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#include "table.h"
#include "tunnel.h"

/* A decoded segment between 10.0.0.1:40000 and 10.0.0.2:80 (reverse: the other way). */
static struct decoded_packet segment(bool reverse, uint16_t flags, uint32_t seq, uint32_t ack)
{
    struct decoded_packet p;
    memset(&p, 0, sizeof p);
    p.ip_version = 4;
    inet_pton(AF_INET, reverse ? "10.0.0.2" : "10.0.0.1", p.src);
    inet_pton(AF_INET, reverse ? "10.0.0.1" : "10.0.0.2", p.dst);
    p.sport = reverse ? 80 : 40000;
    p.dport = reverse ? 40000 : 80;
    p.flags = flags;
    p.seq = seq;
    p.ack = ack;
    p.window = 1000;
    return p;
}

/* Appends a layer; outer addresses a and b (IPv4), swapped when reverse. */
static struct encap_layer *layer(struct decoded_packet *p, enum encap_kind kind, const char *a, const char *b,
                                 bool reverse)
{
    struct encap_layer *l = &p->encap[p->n_encap++];
    memset(l, 0, sizeof *l);
    l->kind = (uint8_t)kind;
    if (a) {
        l->ip_version = 4;
        inet_pton(AF_INET, reverse ? b : a, l->src);
        inet_pton(AF_INET, reverse ? a : b, l->dst);
    }
    return l;
}

static void set_id(struct encap_layer *l, uint32_t id)
{
    l->has_id = true;
    l->id = id;
}

/* ---- the key, kind by kind -------------------------------------------------------------------- */

struct key_case {
    const char *name;
    enum encap_kind kind;
    bool over_ip;
    bool id_per_direction; /* the way back carries another id (TEID, call id, label, tag) */
    bool keyed;            /* part of the key at all */
    bool id_keyed;         /* another id is another tunnel */
    bool ends_keyed;       /* other outer addresses are another tunnel */
};

static const struct key_case key_cases[] = {
    {"vxlan", ENCAP_VXLAN, true, false, true, true, true},
    {"geneve", ENCAP_GENEVE, true, false, true, true, true},
    {"gre (key per direction allowed)", ENCAP_GRE, true, true, true, false, true},
    {"aruba", ENCAP_ARUBA, true, false, true, false, true},
    {"ip-in-ip", ENCAP_IP_IN_IP, true, false, true, false, true},
    {"ayiya", ENCAP_AYIYA, true, false, true, false, true},
    {"gtp-u (TEID per direction)", ENCAP_GTPU, true, true, true, false, true},
    {"teredo (relays differ)", ENCAP_TEREDO, true, false, true, false, false},
    {"pbb", ENCAP_PBB, false, false, true, true, false},
    {"pppoe", ENCAP_PPPOE, false, false, true, true, false},
    {"mpls", ENCAP_MPLS, false, true, false, false, false},
    {"vn-tag", ENCAP_VNTAG, false, true, false, false, false},
    {"fabricpath", ENCAP_FABRICPATH, false, false, false, false, false},
    {"erspan (a mirror)", ENCAP_ERSPAN, true, false, false, false, false},
};

/* The key of a segment in kind c's tunnel: direction, id, and which outer endpoints. */
static uint64_t key_of(const struct key_case *c, bool reverse, uint32_t id, bool other_ends)
{
    struct decoded_packet p = segment(reverse, TCP_ACK, 1, 1);
    const char *a = other_ends ? "192.0.2.11" : "192.0.2.1", *b = other_ends ? "192.0.2.12" : "192.0.2.2";
    struct encap_layer *l = layer(&p, c->kind, c->over_ip ? a : NULL, c->over_ip ? b : NULL, reverse);
    set_id(l, id);
    if (c->kind == ENCAP_VXLAN || c->kind == ENCAP_GENEVE || c->kind == ENCAP_GTPU) {
        l->sport = reverse ? 50123 : 49152; /* each end's entropy port */
        l->dport = c->kind == ENCAP_GTPU ? 2152 : 4789;
    }
    return tunnel_key(&p);
}

Test(session_table, tunnel_key_kind_by_kind)
{
    for (size_t i = 0; i < sizeof key_cases / sizeof key_cases[0]; i++) {
        const struct key_case *c = &key_cases[i];
        uint64_t there = key_of(c, false, 100, false);
        uint64_t back = key_of(c, true, c->id_per_direction ? 200 : 100, false);
        cr_assert_eq(there, back, "%s: the two directions differ", c->name);
        cr_assert_eq(there != 0, c->keyed, "%s: keyed %d", c->name, there != 0);
        cr_assert_eq(key_of(c, false, 101, false) != there, c->id_keyed, "%s: another id", c->name);
        cr_assert_eq(key_of(c, false, 100, true) != there, c->ends_keyed, "%s: other ends", c->name);
    }
}

Test(session_table, tunnel_key_none_without_layers_and_nested_layers_each_count)
{
    struct decoded_packet p = segment(false, TCP_SYN, 1, 0);
    cr_assert_eq(tunnel_key(&p), 0);
    set_id(layer(&p, ENCAP_GRE, "192.0.2.1", "192.0.2.2", false), 7);
    uint64_t gre_only = tunnel_key(&p);
    struct encap_layer *v = layer(&p, ENCAP_VXLAN, "198.51.100.1", "198.51.100.2", false);
    set_id(v, 5001);
    uint64_t both = tunnel_key(&p);
    cr_assert_neq(both, gre_only);
    v->id = 5002;
    cr_assert_neq(tunnel_key(&p), both);
    /* An MPLS label stack or an ERSPAN mirror in front changes nothing. */
    struct decoded_packet q = segment(false, TCP_SYN, 1, 0);
    set_id(layer(&q, ENCAP_MPLS, NULL, NULL, false), 16);
    set_id(layer(&q, ENCAP_GRE, "192.0.2.1", "192.0.2.2", false), 7);
    set_id(layer(&q, ENCAP_VXLAN, "198.51.100.1", "198.51.100.2", false), 5001);
    cr_assert_eq(tunnel_key(&q), both);
}

Test(session_table, tunnel_key_six_to_four_relays_are_left_out)
{
    /* 6to4 (RFC 3056): out through the anycast relay, back from another one. */
    struct decoded_packet out, back;
    memset(&out, 0, sizeof out);
    out.ip_version = 6;
    inet_pton(AF_INET6, "2002:c000:201::1", out.src);
    inet_pton(AF_INET6, "2001:db8::80", out.dst);
    back = out;
    memcpy(back.src, out.dst, 16);
    memcpy(back.dst, out.src, 16);
    layer(&out, ENCAP_IP_IN_IP, "192.0.2.1", "192.88.99.1", false);
    layer(&back, ENCAP_IP_IN_IP, "198.51.100.77", "192.0.2.1", false);
    cr_assert_neq(tunnel_key(&out), 0);
    cr_assert_eq(tunnel_key(&out), tunnel_key(&back));
}

/* ---- the table -------------------------------------------------------------------------------- */

/* The classic handshake and close of one conversation, each segment wrapped by wrap. */
static void conversation(struct session_table *t, uint64_t *n,
                         void (*wrap)(struct decoded_packet *p, bool reverse, int which), int which)
{
    static const struct { bool rev; uint16_t flags; uint32_t seq, ack; } script[] = {
        {false, TCP_SYN, 100, 0}, {true, TCP_SYN | TCP_ACK, 500, 101}, {false, TCP_ACK, 101, 501},
        {false, TCP_FIN | TCP_ACK, 101, 501}, {true, TCP_FIN | TCP_ACK, 501, 102}, {false, TCP_ACK, 102, 502},
    };
    for (size_t i = 0; i < sizeof script / sizeof script[0]; i++) {
        struct decoded_packet p = segment(script[i].rev, script[i].flags, script[i].seq, script[i].ack);
        wrap(&p, script[i].rev, which);
        ++*n;
        session_table_add(t, &p, (int64_t)*n * 1000000, *n);
    }
}

static void in_vxlan(struct decoded_packet *p, bool reverse, int which)
{
    struct encap_layer *l = layer(p, ENCAP_VXLAN, "192.0.2.1", "192.0.2.2", reverse);
    set_id(l, 5001u + (uint32_t)which);
    l->sport = (uint16_t)(reverse ? 50000 : 49152);
    l->dport = 4789;
}

static void in_gtpu(struct decoded_packet *p, bool reverse, int which)
{
    (void)which;
    struct encap_layer *l = layer(p, ENCAP_GTPU, "192.0.2.1", "192.0.2.2", reverse);
    set_id(l, reverse ? 0x0badf00du : 0xdeadbeefu);
    l->sport = reverse ? 2152 : 5906;
    l->dport = 2152;
}

static void bare(struct decoded_packet *p, bool reverse, int which)
{
    (void)p, (void)reverse, (void)which;
}

Test(session_table, tunnel_one_inner_tuple_in_two_vxlan_segments_is_two_sessions)
{
    struct session_table *t = session_table_new(NULL);
    uint64_t n = 0;
    conversation(t, &n, in_vxlan, 0);
    conversation(t, &n, in_vxlan, 1);
    conversation(t, &n, bare, 0);
    session_table_finish(t);
    cr_assert_eq(session_table_count(t), 3);
    for (size_t i = 0; i < 3; i++) {
        const struct session *s = session_table_get(t, i, NULL);
        cr_assert_eq(s->side[0].packets + s->side[1].packets, 6, "session %zu", i);
        cr_assert_eq(s->generation, 0, "no generation: a session of its own");
        size_t c2s, s2c;
        const struct encap_layer *a = session_encap_path(s, DIR_C2S, &c2s);
        const struct encap_layer *b = session_encap_path(s, DIR_S2C, &s2c);
        if (i == 2) {
            cr_assert_null(s->encap);
            continue;
        }
        cr_assert_eq(c2s, 1);
        cr_assert_eq(s2c, 1);
        cr_assert_eq(a->id, 5001 + i);
        cr_assert_eq(b->id, 5001 + i);
        cr_assert_eq(a->sport, 49152);
        cr_assert_eq(b->sport, 50000, "each direction as it was");
        cr_assert_arr_eq(a->src, b->dst, 16);
    }
    cr_assert_not_null(session_table_find(t, 4, session_table_get(t, 2, NULL)->side[0].addr, 40000,
                                          session_table_get(t, 2, NULL)->side[1].addr, 80));
    session_table_free(t);
}

Test(session_table, tunnel_gtpu_teids_differ_by_direction_in_one_session)
{
    struct session_table *t = session_table_new(NULL);
    uint64_t n = 0;
    conversation(t, &n, in_gtpu, 0);
    session_table_finish(t);
    cr_assert_eq(session_table_count(t), 1);
    const struct session *s = session_table_get(t, 0, NULL);
    size_t c2s, s2c;
    cr_assert_eq(session_encap_path(s, DIR_C2S, &c2s)->id, 0xdeadbeefu);
    cr_assert_eq(session_encap_path(s, DIR_S2C, &s2c)->id, 0x0badf00du);
    cr_assert_eq(s->handshake, HANDSHAKE_NORMAL);
    session_table_free(t);
}

static void c2s_only_mpls(struct decoded_packet *p, bool reverse, int which)
{
    (void)which;
    if (!reverse) {
        struct encap_layer *l = layer(p, ENCAP_MPLS, NULL, NULL, false);
        l->n_labels = 1;
        l->labels[0] = 16;
    }
}

static void s2c_only_mpls(struct decoded_packet *p, bool reverse, int which)
{
    c2s_only_mpls(p, !reverse, which);
}

Test(session_table, tunnel_a_label_popped_on_one_side_keeps_one_session)
{
    /* MPLS is left out of the key: one direction labelled, the other bare, one session; the
     * record says which direction carried what, whichever came first. */
    void (*wraps[2])(struct decoded_packet *, bool, int) = {c2s_only_mpls, s2c_only_mpls};
    for (int w = 0; w < 2; w++) {
        struct session_table *t = session_table_new(NULL);
        uint64_t n = 0;
        conversation(t, &n, wraps[w], 0);
        session_table_finish(t);
        cr_assert_eq(session_table_count(t), 1);
        const struct session *s = session_table_get(t, 0, NULL);
        cr_assert_not_null(s->encap);
        cr_assert(s->encap->seen[DIR_C2S] && s->encap->seen[DIR_S2C]);
        size_t c2s, s2c;
        session_encap_path(s, DIR_C2S, &c2s);
        session_encap_path(s, DIR_S2C, &s2c);
        cr_assert_eq(c2s, w == 0 ? 1 : 0);
        cr_assert_eq(s2c, w == 0 ? 0 : 1);
        session_table_free(t);
    }
}
