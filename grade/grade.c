/* grade.c — evaluating a rubric against a student's captures, and the integrity checks. */
#define _GNU_SOURCE
#include "grade.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- a growing string ----------------------------------------------------------------------- */

struct sb {
    char *buf;
    size_t len, cap;
    bool oom;
};

static void sb_add(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(struct sb *b, const char *fmt, ...)
{
    if (!b || b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->buf ? b->buf + b->len : NULL, b->buf ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = true;
            return;
        }
        if (b->buf && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap : 128;
        while (cap <= b->len + (size_t)n)
            cap *= 2;
        char *grown = realloc(b->buf, cap);
        if (!grown) {
            b->oom = true;
            return;
        }
        b->buf = grown;
        b->cap = cap;
    }
}

/* Takes the text (an empty string when nothing was added); NULL when memory ran out. */
static char *sb_take(struct sb *b)
{
    if (b->oom) {
        free(b->buf);
        return NULL;
    }
    if (!b->buf)
        return strdup("");
    return b->buf;
}

/* ---- names ---------------------------------------------------------------------------------- */

const char *grade_status_name(enum grade_status s)
{
    static const char *const names[] = {"fail", "pass", "n/a"};
    return (unsigned)s < 3 ? names[s] : "unknown";
}

const char *grade_flag_kind_name(enum grade_flag_kind k)
{
    static const char *const names[GRADE_FLAG_KINDS] = {
        "identical-file", "same-connection", "isn-zero", "impossible-timing",
    };
    return (unsigned)k < GRADE_FLAG_KINDS ? names[k] : "unknown";
}

static const char *role_name(int role) { return role == ROLE_SERVER ? "server" : "client"; }

static void endpoint_string(const struct session *s, int role, char *buf, size_t len)
{
    char a[IP_ADDRESS_STRING_LEN];
    const struct session_side *side = &s->side[role];
    ip_address_string(s->ip_version, side->addr, a);
    snprintf(buf, len, s->ip_version == 6 ? "[%s]:%u" : "%s:%u", a, side->port);
}

/* ---- explanations as data ------------------------------------------------------------------- */

/* A reason being recorded; NULL records nothing (while sessions are only scored). */
struct rb {
    struct grade_reason *r;
    size_t cap;
    bool oom;
};

static void reason_clear(struct grade_reason *r)
{
    for (size_t i = 0; i < r->n; i++)
        for (size_t k = 0; k < r->clauses[i].n_args; k++)
            free(r->clauses[i].args[k].value);
    free(r->clauses);
    r->clauses = NULL;
    r->n = 0;
}

/* Starts a clause; later args go to it. Returns NULL when not recording or out of memory. */
static struct grade_clause *clause(struct rb *b, enum grade_clause_kind kind, const char *code)
{
    if (!b || b->oom)
        return NULL;
    if (b->r->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 8;
        struct grade_clause *grown = realloc(b->r->clauses, cap * sizeof *grown);
        if (!grown) {
            b->oom = true;
            return NULL;
        }
        b->r->clauses = grown;
        b->cap = cap;
    }
    struct grade_clause *c = &b->r->clauses[b->r->n++];
    memset(c, 0, sizeof *c);
    c->code = code;
    c->kind = kind;
    return c;
}

static void arg_str(struct rb *b, const char *name, enum grade_arg_kind kind, const char *value)
{
    if (!b || b->oom || !b->r->n)
        return;
    struct grade_clause *c = &b->r->clauses[b->r->n - 1];
    char *v = strdup(value ? value : "");
    if (!v || c->n_args == GRADE_CLAUSE_ARGS) {
        free(v);
        b->oom = true;
        return;
    }
    c->args[c->n_args++] = (struct grade_arg){name, kind, v};
}

static void arg_num(struct rb *b, const char *name, uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    arg_str(b, name, GRADE_ARG_NUMBER, buf);
}

static void arg_role(struct rb *b, const char *name, int role) { arg_str(b, name, GRADE_ARG_ROLE, role_name(role)); }

/* The names of the bits of set, comma-separated. */
static void arg_set(struct rb *b, const char *name, enum grade_arg_kind kind, uint32_t set, unsigned count,
                    const char *(*names)(unsigned))
{
    if (!b || b->oom)
        return;
    char buf[1024] = "";
    size_t n = 0;
    for (unsigned i = 0; i < count; i++)
        if (set >> i & 1u && names(i) && n < sizeof buf)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? "," : "", names(i));
    arg_str(b, name, kind, buf);
}

static const char *hs_name(unsigned i) { return handshake_class_name((enum handshake_class)i); }
static const char *td_name(unsigned i) { return teardown_class_name((enum teardown_class)i); }
static const char *an_name(unsigned i) { return anomaly_name((enum anomaly)i); }
static const char *cs_name(unsigned i) { return rubric_conn_state_name(i); }

const char *grade_reason_arg(const struct grade_clause *c, const char *name)
{
    for (size_t i = 0; c && i < c->n_args; i++)
        if (strcmp(c->args[i].name, name) == 0)
            return c->args[i].value;
    return NULL;
}

const struct grade_clause *grade_reason_main(const struct grade_reason *r)
{
    if (!r->n)
        return NULL;
    if (r->clauses[0].kind == GRADE_CLAUSE_LEAD && r->n > 1)
        return &r->clauses[1];
    return &r->clauses[0];
}

/* ---- evaluating one requirement on one session --------------------------------------------- */

enum outcome { OUT_FAIL, OUT_PASS, OUT_NA };

struct packets {
    uint64_t v[GRADE_MAX_PACKETS];
    size_t n;
};

static void add_packet(struct packets *p, uint64_t packet)
{
    if (!p || packet == 0)
        return;
    for (size_t i = 0; i < p->n; i++)
        if (p->v[i] == packet)
            return;
    if (p->n < GRADE_MAX_PACKETS)
        p->v[p->n++] = packet;
}

static const struct timeline_event *find_event(const struct session *s, uint64_t packet)
{
    for (uint32_t i = 0; i < s->n_events; i++)
        if (s->events[i].packet == packet)
            return &s->events[i];
    return NULL;
}

static const struct timeline_event *first_event_with(const struct session *s, int dir, uint16_t flag)
{
    for (uint32_t i = 0; i < s->n_events; i++)
        if (s->events[i].dir == dir && (s->events[i].flags & flag))
            return &s->events[i];
    return NULL;
}

static void handshake_packets(const struct session *s, struct packets *p)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    if (c->syns || c->synacks)
        add_packet(p, c->syn_packet);
    if (v->syns || v->synacks)
        add_packet(p, v->syn_packet);
    if (c->acked_syn)
        add_packet(p, c->ack_of_syn_packet);
    if (v->acked_syn && s->handshake == HANDSHAKE_SIMULTANEOUS_OPEN)
        add_packet(p, v->ack_of_syn_packet);
    if (s->handshake == HANDSHAKE_REFUSED && s->rst_seen)
        add_packet(p, s->rst_packet);
}

static void teardown_packets(const struct session *s, struct packets *p)
{
    int a = s->active_closer >= 0 ? s->active_closer : ROLE_CLIENT;
    for (int k = 0; k < 2; k++) {
        int role = k ? !a : a;
        const struct session_side *me = &s->side[role], *peer = &s->side[!role];
        if (me->fin_seen) {
            add_packet(p, me->fin_packet);
            if (peer->acked_fin)
                add_packet(p, peer->ack_of_fin_packet);
        }
    }
    if (s->rst_seen && s->handshake != HANDSHAKE_REFUSED)
        add_packet(p, s->rst_packet);
}

/* "it opens with a complete three-way handshake (SYN in packet 1, SYN/ACK in packet 2, ...)" */
static void describe_handshake(struct rb *b, const struct session *s)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    uint64_t cs = c->syn_packet, vs = v->syn_packet;
    switch (s->handshake) {
    case HANDSHAKE_NORMAL:
        clause(b, GRADE_CLAUSE_PART, c->syns ? "opens.normal" : "opens.normal-no-syn");
        if (c->syns)
            arg_num(b, "syn", cs);
        arg_num(b, "synack", vs);
        arg_num(b, "ack", c->ack_of_syn_packet);
        break;
    case HANDSHAKE_SIMULTANEOUS_OPEN:
        clause(b, GRADE_CLAUSE_PART, "opens.simultaneous-open");
        arg_num(b, "first", cs < vs ? cs : vs);
        arg_num(b, "second", cs < vs ? vs : cs);
        break;
    case HANDSHAKE_REFUSED:
        clause(b, GRADE_CLAUSE_PART, "opens.refused");
        arg_num(b, "syn", cs);
        arg_num(b, "rst", s->rst_packet);
        break;
    case HANDSHAKE_SYN_ONLY:
        clause(b, GRADE_CLAUSE_PART, "opens.syn-only");
        arg_num(b, "syns", c->syns);
        arg_num(b, "syn", cs);
        break;
    case HANDSHAKE_NO_FINAL_ACK:
        clause(b, GRADE_CLAUSE_PART, c->syns ? "opens.no-final-ack" : "opens.no-final-ack-no-syn");
        if (c->syns)
            arg_num(b, "syn", cs);
        arg_num(b, "synack", vs);
        break;
    case HANDSHAKE_MISSING:
    default:
        clause(b, GRADE_CLAUSE_PART, "opens.missing");
        arg_num(b, "packet", s->first_packet);
        break;
    }
}

/* "it ends with a four-way close (the client's FIN in packet 6, ...)" */
static void describe_teardown(struct rb *b, const struct session *s)
{
    int a = s->active_closer >= 0 ? s->active_closer : ROLE_CLIENT;
    const struct session_side *A = &s->side[a], *B = &s->side[!a];
    switch (s->teardown) {
    case TEARDOWN_FOUR_WAY:
        clause(b, GRADE_CLAUSE_PART, "ends.four-way");
        arg_role(b, "closer", a);
        arg_role(b, "passive", !a);
        arg_num(b, "fin1", A->fin_packet);
        arg_num(b, "ack1", B->ack_of_fin_packet);
        arg_num(b, "fin2", B->fin_packet);
        arg_num(b, "ack2", A->ack_of_fin_packet);
        break;
    case TEARDOWN_MERGED_FIN:
        clause(b, GRADE_CLAUSE_PART, "ends.merged-fin");
        arg_role(b, "closer", a);
        arg_role(b, "passive", !a);
        arg_num(b, "fin1", A->fin_packet);
        arg_num(b, "fin2", B->fin_packet);
        arg_num(b, "ack2", A->ack_of_fin_packet);
        break;
    case TEARDOWN_SIMULTANEOUS_CLOSE:
        clause(b, GRADE_CLAUSE_PART, "ends.simultaneous-close");
        arg_num(b, "fin1", A->fin_packet);
        arg_num(b, "fin2", B->fin_packet);
        break;
    case TEARDOWN_RST:
        clause(b, GRADE_CLAUSE_PART, s->rst_after_fin ? "ends.rst-after-fin" : "ends.rst");
        arg_role(b, "sender", s->rst_sender);
        arg_num(b, "rst", s->rst_packet);
        break;
    case TEARDOWN_INCOMPLETE:
        clause(b, GRADE_CLAUSE_PART, "ends.incomplete");
        arg_num(b, "fin1", A->fin_packet);
        arg_num(b, "fin2", B->fin_packet);
        break;
    case TEARDOWN_HALF_CLOSED:
        clause(b, GRADE_CLAUSE_PART, "ends.half-closed");
        arg_role(b, "closer", a);
        arg_num(b, "fin1", A->fin_packet);
        break;
    case TEARDOWN_NONE:
    default:
        clause(b, GRADE_CLAUSE_PART,
               s->handshake == HANDSHAKE_REFUSED || s->handshake == HANDSHAKE_SYN_ONLY ||
                       s->handshake == HANDSHAKE_NO_FINAL_ACK
                   ? "ends.not-open"
                   : "ends.none");
        break;
    }
}

static enum outcome eval_handshake_arithmetic(const struct session *s, struct rb *b, struct packets *p)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    handshake_packets(s, p);
    if (!v->synacks && !(s->handshake == HANDSHAKE_SIMULTANEOUS_OPEN)) {
        clause(b, GRADE_CLAUSE_PART, "hs-arith.no-synack");
        arg_str(b, "handshake", GRADE_ARG_TEXT, handshake_class_name(s->handshake));
        return OUT_FAIL;
    }
    if (!c->isn_known || !c->syns) {
        clause(b, GRADE_CLAUSE_PART, "hs-arith.no-syn");
        return OUT_FAIL;
    }
    if (!c->acked_syn) {
        clause(b, GRADE_CLAUSE_PART, "hs-arith.no-ack");
        arg_num(b, "synack", v->syn_packet);
        return OUT_FAIL;
    }
    uint32_t x = c->isn, y = v->isn;
    bool ok_synack = v->syn_ack == x + 1, ok_ack = c->ack_of_syn == y + 1;
    const struct timeline_event *third = s->handshake == HANDSHAKE_NORMAL ? find_event(s, c->ack_of_syn_packet) : NULL;
    bool ok_seq = !third || third->seq == x + 1;
    uint64_t p1 = c->syn_packet, p2 = v->syn_packet, p3 = c->ack_of_syn_packet;
    if (s->handshake == HANDSHAKE_SIMULTANEOUS_OPEN) {
        /* The server's first SYN carried no ACK: its SYN/ACK came later. */
        for (uint32_t i = 0; i < s->n_events; i++)
            if (s->events[i].dir == DIR_S2C && (s->events[i].flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
                p2 = s->events[i].packet;
                break;
            }
    }
    if (ok_synack && ok_ack && ok_seq) {
        clause(b, GRADE_CLAUSE_PART, third ? "hs-arith.right" : "hs-arith.right-no-third");
        arg_num(b, "syn", p1);
        arg_num(b, "synack", p2);
        arg_num(b, "ack", p3);
        arg_num(b, "x", x);
        arg_num(b, "y", y);
        arg_num(b, "x1", (uint32_t)(x + 1));
        arg_num(b, "y1", (uint32_t)(y + 1));
        return OUT_PASS;
    }
    if (!ok_synack) {
        clause(b, GRADE_CLAUSE_PART, "hs-arith.synack-ack");
        arg_num(b, "synack", p2);
        arg_num(b, "actual", v->syn_ack);
        arg_num(b, "expected", (uint32_t)(x + 1));
        arg_num(b, "x", x);
        arg_num(b, "syn", p1);
    }
    if (!ok_seq) {
        clause(b, GRADE_CLAUSE_PART, "hs-arith.ack-seq");
        arg_num(b, "ack", p3);
        arg_num(b, "actual", third->seq);
        arg_num(b, "expected", (uint32_t)(x + 1));
    }
    if (!ok_ack) {
        clause(b, GRADE_CLAUSE_PART, "hs-arith.ack-ack");
        arg_num(b, "ack", p3);
        arg_num(b, "actual", c->ack_of_syn);
        arg_num(b, "expected", (uint32_t)(y + 1));
        arg_num(b, "y", y);
        arg_num(b, "synack", p2);
    }
    return OUT_FAIL;
}

/* One side's FIN and the ACK of it, as a clause: code, or code-data when the FIN carried data. */
static void fin_clause(struct rb *b, const struct session *s, int role, bool right, bool first)
{
    const struct session_side *me = &s->side[role], *peer = &s->side[!role];
    const struct timeline_event *fin = find_event(s, me->fin_packet);
    bool data = fin && fin->len;
    static const char *const codes[2][2][2] = {
        {{"fin-arith.wrong", "fin-arith.wrong-data"}, {"fin-arith.wrong", "fin-arith.wrong-data"}},
        {{"fin-arith.also-right", "fin-arith.also-right-data"}, {"fin-arith.right", "fin-arith.right-data"}},
    };
    clause(b, GRADE_CLAUSE_PART, codes[right][first][data]);
    arg_role(b, "side", role);
    arg_num(b, "fin", me->fin_packet);
    arg_num(b, "ack", peer->ack_of_fin_packet);
    arg_num(b, "actual", peer->ack_of_fin);
    arg_num(b, "expected", (uint32_t)(me->fin_seq + 1));
    if (data) {
        arg_num(b, "seq", fin->seq);
        arg_num(b, "bytes", fin->len);
    } else {
        arg_num(b, "fin_seq", me->fin_seq);
    }
}

static enum outcome eval_fin_arithmetic(const struct session *s, struct rb *b, struct packets *p)
{
    teardown_packets(s, p);
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    if (!c->fin_seen && !v->fin_seen) {
        clause(b, GRADE_CLAUSE_PART, "fin-arith.no-fin");
        arg_str(b, "teardown", GRADE_ARG_TEXT, teardown_class_name(s->teardown));
        return OUT_FAIL;
    }
    int a = s->active_closer >= 0 ? s->active_closer : ROLE_CLIENT;
    bool ok = true;
    for (int k = 0; k < 2; k++) {
        int role = k ? !a : a;
        const struct session_side *me = &s->side[role], *peer = &s->side[!role];
        if (!me->fin_seen) {
            clause(b, GRADE_CLAUSE_PART, "fin-arith.no-fin-side");
            arg_role(b, "side", role);
            ok = false;
        } else if (!peer->acked_fin) {
            clause(b, GRADE_CLAUSE_PART, "fin-arith.unacked");
            arg_role(b, "side", role);
            arg_num(b, "fin", me->fin_packet);
            ok = false;
        } else if (peer->ack_of_fin != me->fin_seq + 1) {
            fin_clause(b, s, role, false, false);
            ok = false;
        }
    }
    if (ok) {
        bool first = true;
        for (int k = 0; k < 2; k++) {
            int role = k ? !a : a;
            if (s->side[role].fin_seen && s->side[!role].acked_fin) {
                fin_clause(b, s, role, true, first);
                first = false;
            }
        }
    }
    return ok ? OUT_PASS : OUT_FAIL;
}

static bool port_in(uint16_t port, const uint16_t *ports, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ports[i] == port)
            return true;
    return false;
}

/* True when the session's server (or, with roles inferred, either side) is one of the hosts
 * and ports; an empty list matches anything. */
static bool to_server(const struct session *s, const struct rubric_hosts *hosts,
                      const uint16_t *ports, size_t n_ports)
{
    for (int role = ROLE_SERVER; role >= ROLE_CLIENT; role--) {
        const struct session_side *side = &s->side[role];
        bool host_ok = hosts->n == 0 || rubric_hosts_match(hosts, s->ip_version, side->addr);
        bool port_ok = n_ports == 0 || port_in(side->port, ports, n_ports);
        if (host_ok && port_ok)
            return true;
        if (!s->roles_inferred)
            break;
    }
    return false;
}

static enum outcome eval_server(const struct session *s, const struct rubric_hosts *hosts,
                                const uint16_t *ports, size_t n_ports, struct rb *b)
{
    char server[64];
    endpoint_string(s, ROLE_SERVER, server, sizeof server);
    bool ok = to_server(s, hosts, ports, n_ports);
    clause(b, GRADE_CLAUSE_PART, ok ? "server.right" : "server.wrong");
    arg_str(b, "server", GRADE_ARG_TEXT, server);
    if (b && hosts->n) {
        char list[1024] = "";
        size_t n = 0;
        for (size_t i = 0; i < hosts->n && n < sizeof list; i++)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? "," : "", hosts->items[i].spec);
        arg_str(b, "hosts", GRADE_ARG_CHOICES, list);
    }
    if (b && n_ports) {
        char list[512] = "";
        size_t n = 0;
        for (size_t i = 0; i < n_ports && n < sizeof list; i++)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%u", i ? "," : "", ports[i]);
        arg_str(b, "ports", GRADE_ARG_CHOICES, list);
    }
    return ok ? OUT_PASS : OUT_FAIL;
}

static uint64_t rst_packet_of(const struct session *s, int role)
{
    if (s->rst_seen && s->rst_sender == role)
        return s->rst_packet;
    const struct timeline_event *e = first_event_with(s, role == ROLE_CLIENT ? DIR_C2S : DIR_S2C, TCP_RST);
    return e ? e->packet : 0;
}

static enum outcome eval_req(const struct rubric_req *q, const struct rubric *r, const struct session *s,
                             struct rb *b, struct packets *p)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    switch (q->type) {
    case REQ_HANDSHAKE: {
        handshake_packets(s, p);
        bool ok = q->set >> s->handshake & 1u;
        describe_handshake(b, s);
        if (!ok) {
            clause(b, GRADE_CLAUSE_MORE, "asks");
            arg_set(b, "expected", GRADE_ARG_HANDSHAKES, q->set, HANDSHAKE_CLASSES, hs_name);
        }
        return ok ? OUT_PASS : OUT_FAIL;
    }
    case REQ_TEARDOWN: {
        teardown_packets(s, p);
        bool ok = q->set >> s->teardown & 1u;
        describe_teardown(b, s);
        if (!ok) {
            clause(b, GRADE_CLAUSE_MORE, "asks");
            arg_set(b, "expected", GRADE_ARG_TEARDOWNS, q->set, TEARDOWN_CLASSES, td_name);
        }
        return ok ? OUT_PASS : OUT_FAIL;
    }
    case REQ_HANDSHAKE_ARITHMETIC:
        return eval_handshake_arithmetic(s, b, p);
    case REQ_FIN_ARITHMETIC:
        return eval_fin_arithmetic(s, b, p);
    case REQ_TARGET:
        if (!rubric_has_target(r))
            return OUT_NA;
        return eval_server(s, &r->target_hosts, r->target_ports, r->n_target_ports, b);
    case REQ_SERVER_HOST:
        return eval_server(s, &q->hosts, NULL, 0, b);
    case REQ_SERVER_PORT: {
        struct rubric_hosts none = {0};
        return eval_server(s, &none, q->ports, q->n_ports, b);
    }
    case REQ_ANOMALY:
    case REQ_NO_ANOMALY: {
        uint32_t present = s->anomalies & q->set;
        bool want = q->type == REQ_ANOMALY;
        if (present) {
            clause(b, GRADE_CLAUSE_PART, "anomaly.shows");
            arg_set(b, "anomalies", GRADE_ARG_ANOMALIES, present, ANOMALIES, an_name);
            if (!want)
                clause(b, GRADE_CLAUSE_MORE, "anomaly.not-allowed");
        } else {
            clause(b, GRADE_CLAUSE_PART, "anomaly.none-of");
            arg_set(b, "names", GRADE_ARG_NAMES, q->set, ANOMALIES, an_name);
        }
        return (present != 0) == want ? OUT_PASS : OUT_FAIL;
    }
    case REQ_DATA: {
        uint64_t cb = c->payload_bytes, vb = v->payload_bytes;
        uint64_t m = q->min_bytes;
        bool ok = q->side == RUBRIC_CLIENT ? cb >= m : q->side == RUBRIC_SERVER ? vb >= m
                : q->side == RUBRIC_BOTH ? cb >= m && vb >= m : cb >= m || vb >= m;
        clause(b, GRADE_CLAUSE_PART, "data.sent");
        arg_num(b, "client_bytes", cb);
        arg_num(b, "server_bytes", vb);
        if (!ok) {
            static const char *const codes[] = {"data.asks-client", "data.asks-server", "data.asks-both",
                                                "data.asks-either"};
            clause(b, GRADE_CLAUSE_MORE, codes[q->side]);
            arg_num(b, "min", m);
        }
        return ok ? OUT_PASS : OUT_FAIL;
    }
    case REQ_RST_FROM: {
        for (int role = ROLE_CLIENT; role <= ROLE_SERVER; role++) {
            if (!s->side[role].rsts || (q->side != RUBRIC_EITHER && (int)q->side != role))
                continue;
            uint64_t pk = rst_packet_of(s, role);
            add_packet(p, pk);
            clause(b, GRADE_CLAUSE_PART, pk ? "rst.sent" : "rst.sent-unnumbered");
            arg_role(b, "side", role);
            if (pk)
                arg_num(b, "rst", pk);
            return OUT_PASS;
        }
        if (q->side == RUBRIC_EITHER) {
            clause(b, GRADE_CLAUSE_PART, "rst.neither");
        } else {
            clause(b, GRADE_CLAUSE_PART, s->side[!q->side].rsts ? "rst.only-peer" : "rst.none");
            arg_role(b, "side", (int)q->side);
            arg_role(b, "peer", !q->side);
        }
        return OUT_FAIL;
    }
    case REQ_CLOSER: {
        teardown_packets(s, p);
        if (s->active_closer < 0) {
            clause(b, GRADE_CLAUSE_PART, "closer.no-fin");
            return OUT_FAIL;
        }
        clause(b, GRADE_CLAUSE_PART, "closer.first");
        arg_role(b, "side", s->active_closer);
        arg_num(b, "fin", s->side[s->active_closer].fin_packet);
        if (s->active_closer != (int)q->side) {
            clause(b, GRADE_CLAUSE_MORE, "closer.asks");
            arg_role(b, "wanted", (int)q->side);
            return OUT_FAIL;
        }
        return OUT_PASS;
    }
    case REQ_CONN_STATE: {
        unsigned k = 0;
        const char *state = s->conn_state ? s->conn_state : "OTH";
        while (rubric_conn_state_name(k) && strcmp(rubric_conn_state_name(k), state) != 0)
            k++;
        bool ok = rubric_conn_state_name(k) && (q->set >> k & 1u);
        clause(b, GRADE_CLAUSE_PART, "conn-state");
        arg_str(b, "state", GRADE_ARG_TEXT, state);
        if (!ok) {
            clause(b, GRADE_CLAUSE_MORE, "asks");
            arg_set(b, "expected", GRADE_ARG_CHOICES, q->set, 32, cs_name);
        }
        return ok ? OUT_PASS : OUT_FAIL;
    }
    case REQ_IP_VERSION: {
        bool ok = q->set >> s->ip_version & 1u;
        clause(b, GRADE_CLAUSE_PART, "ip-version");
        arg_num(b, "ipv", (uint64_t)s->ip_version);
        if (!ok) {
            clause(b, GRADE_CLAUSE_MORE, "asks");
            arg_str(b, "expected", GRADE_ARG_TEXT, (q->set >> 4 & 1u) ? "IPv4" : "IPv6");
        }
        return ok ? OUT_PASS : OUT_FAIL;
    }
    case REQ_TYPES:
        break;
    }
    return OUT_NA;
}

/* ---- evaluating a check --------------------------------------------------------------------- */

struct candidate {
    bool any;
    size_t capture, index;
    unsigned score;
    bool on_target;
    size_t earlier; /* the first earlier check that picked this session, or SIZE_MAX */
};

static bool better(const struct candidate *a, const struct candidate *b)
{
    if (!b->any)
        return true;
    if (a->score != b->score)
        return a->score > b->score;
    if (a->on_target != b->on_target)
        return a->on_target;
    return a->earlier < b->earlier;
}

static bool check_applicable(const struct rubric_check *c, const struct rubric *r)
{
    for (size_t i = 0; i < c->n_reqs; i++)
        if (c->reqs[i].type != REQ_TARGET || rubric_has_target(r))
            return true;
    return false;
}

static void format_packets(struct sb *b, const uint64_t *v, size_t n, const char *none)
{
    if (n == 0)
        sb_add(b, "%s", none);
    for (size_t i = 0; i < n; i++)
        sb_add(b, "%s%llu", i ? ", " : "", (unsigned long long)v[i]);
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

char *grade_fill_feedback(const struct grade_student *st, const struct rubric *r, const struct grade_result *res,
                          const char *reason, const char *target, const char *none)
{
    const struct rubric_check *chk = &r->checks[res->check];
    if (res->status == GRADE_NA)
        return strdup("");
    const char *tmpl = res->status == GRADE_PASS ? chk->pass : chk->fail;
    none = none ? none : "";
    struct sb b = {0};
    for (const char *s = tmpl; *s;) {
        const char *open = strchr(s, '{');
        if (!open) {
            sb_add(&b, "%s", s);
            break;
        }
        sb_add(&b, "%.*s", (int)(open - s), s);
        size_t n = strspn(open + 1, "abcdefghijklmnopqrstuvwxyz_-");
        if (n == 0 || open[1 + n] != '}') {
            sb_add(&b, "{");
            s = open + 1;
            continue;
        }
        char key[24];
        snprintf(key, sizeof key, "%.*s", (int)n, open + 1);
        char pts[24];
        bool sess = res->has_session;
        const struct grade_clause *lead = res->why.n ? &res->why.clauses[0] : NULL;
        if (strcmp(key, "session") == 0) {
            if (sess)
                sb_add(&b, "%llu", (unsigned long long)res->session_id);
            else
                sb_add(&b, "%s", none);
        } else if (strcmp(key, "capture") == 0) {
            sb_add(&b, "%s", sess ? st->captures[res->capture].file_name : none);
        } else if (strcmp(key, "client") == 0) {
            sb_add(&b, "%s", sess ? res->client : none);
        } else if (strcmp(key, "server") == 0) {
            sb_add(&b, "%s", sess ? res->server : none);
        } else if (strcmp(key, "handshake") == 0 || strcmp(key, "teardown") == 0) {
            const char *v = sess ? grade_reason_arg(lead, key) : NULL;
            sb_add(&b, "%s", v ? v : none);
        } else if (strcmp(key, "packets") == 0) {
            format_packets(&b, res->packets, res->n_packets, none);
        } else if (strcmp(key, "reason") == 0) {
            sb_add(&b, "%s", reason ? reason : "");
        } else if (strcmp(key, "points") == 0) {
            sb_add(&b, "%s", rubric_points_string(res->points, pts));
        } else if (strcmp(key, "max") == 0) {
            sb_add(&b, "%s", rubric_points_string(chk->points, pts));
        } else if (strcmp(key, "target") == 0) {
            sb_add(&b, "%s", rubric_has_target(r) && target ? target : none);
        } else {
            sb_add(&b, "{%s}", key);
        }
        s = open + 2 + n;
    }
    return sb_take(&b);
}

static int evaluate_check(struct grade_student *st, const struct rubric *r, size_t ci,
                          const struct capture_report *const *reports, size_t n_sessions)
{
    const struct rubric_check *chk = &r->checks[ci];
    struct grade_result *res = &st->results[ci];
    memset(res, 0, sizeof *res);
    res->check = ci;
    struct rb why = {&res->why, 0, false};
    if (!check_applicable(chk, r)) {
        res->status = GRADE_NA;
        clause(&why, GRADE_CLAUSE_SENTENCE, "not-applicable");
        return why.oom ? -1 : 0;
    }
    res->max = chk->points;
    struct candidate best = {0};
    unsigned applicable = 0;
    for (size_t q = 0; q < chk->n_reqs; q++)
        applicable += chk->reqs[q].type != REQ_TARGET || rubric_has_target(r);

    for (size_t c = 0; c < st->n_captures; c++) {
        const struct capture_report *rep = reports[c];
        for (size_t i = 0; rep && i < rep->n_sessions; i++) {
            const struct session *s = capture_session(rep, i);
            struct candidate cand = {true, c, i, 0, false, SIZE_MAX};
            for (size_t q = 0; q < chk->n_reqs; q++)
                cand.score += eval_req(&chk->reqs[q], r, s, NULL, NULL) == OUT_PASS;
            if (rubric_has_target(r))
                cand.on_target = to_server(s, &r->target_hosts, r->target_ports, r->n_target_ports);
            for (size_t k = 0; k < ci; k++)
                if (st->results[k].has_session && st->results[k].capture == c && st->results[k].session_index == i) {
                    cand.earlier = k;
                    break;
                }
            if (better(&cand, &best))
                best = cand;
        }
    }

    if (!best.any) {
        res->status = GRADE_FAIL;
        clause(&why, GRADE_CLAUSE_SENTENCE, st->error_why.n ? "student-error" : "no-session");
    } else {
        const struct session *s = capture_session(reports[best.capture], best.index);
        res->has_session = true;
        res->capture = best.capture;
        res->session_index = best.index;
        res->session_id = s->id;
        endpoint_string(s, ROLE_CLIENT, res->client, sizeof res->client);
        endpoint_string(s, ROLE_SERVER, res->server, sizeof res->server);
        res->status = best.score == applicable ? GRADE_PASS : GRADE_FAIL;
        bool closest = res->status == GRADE_FAIL && n_sessions > 1, in = st->n_captures > 1;
        static const char *const leads[2][2] = {{"lead.session", "lead.session-in"},
                                                {"lead.closest", "lead.closest-in"}};
        clause(&why, GRADE_CLAUSE_LEAD, leads[closest][in]);
        arg_num(&why, "session", s->id);
        arg_str(&why, "client", GRADE_ARG_TEXT, res->client);
        arg_str(&why, "server", GRADE_ARG_TEXT, res->server);
        arg_str(&why, "handshake", GRADE_ARG_TEXT, handshake_class_name(s->handshake));
        arg_str(&why, "teardown", GRADE_ARG_TEXT, teardown_class_name(s->teardown));
        if (in)
            arg_str(&why, "capture", GRADE_ARG_TEXT, st->captures[best.capture].file_name);
        if (closest)
            arg_num(&why, "sessions", n_sessions);
        struct packets pk = {{0}, 0};
        for (size_t q = 0; q < chk->n_reqs; q++) {
            struct grade_reason part = {0};
            struct rb pb = {&part, 0, false};
            struct packets qp = {{0}, 0};
            enum outcome o = eval_req(&chk->reqs[q], r, s, &pb, &qp);
            if (o == OUT_NA || (res->status == GRADE_FAIL && o == OUT_PASS) || pb.oom) {
                why.oom |= pb.oom;
                reason_clear(&part);
                continue;
            }
            for (size_t k = 0; k < qp.n; k++)
                add_packet(&pk, qp.v[k]);
            /* Move the requirement's clauses onto the reason. */
            for (size_t k = 0; k < part.n && !why.oom; k++) {
                struct grade_clause *dst = clause(&why, part.clauses[k].kind, part.clauses[k].code);
                if (dst) {
                    *dst = part.clauses[k];
                    part.clauses[k].n_args = 0;
                }
            }
            reason_clear(&part);
        }
        qsort(pk.v, pk.n, sizeof pk.v[0], cmp_u64);
        memcpy(res->packets, pk.v, sizeof pk.v);
        res->n_packets = pk.n;
    }
    res->points = res->status == GRADE_PASS ? chk->points : 0;
    return why.oom ? -1 : 0;
}

static void result_clear(struct grade_result *res)
{
    reason_clear(&res->why);
    free(res->reason);
    free(res->feedback);
    res->reason = res->feedback = NULL;
}

int grade_student_evaluate(struct grade_student *st, const struct rubric *r,
                           const struct capture_report *const *reports, char *err, size_t errlen)
{
    for (size_t i = 0; i < st->n_results; i++)
        result_clear(&st->results[i]);
    free(st->results);
    reason_clear(&st->error_why);
    free(st->error);
    st->error = NULL;
    st->n_results = 0;
    st->total = st->max = 0;
    st->results = calloc(r->n_checks ? r->n_checks : 1, sizeof *st->results);
    if (!st->results)
        goto oom;

    /* Why the student gets nothing, when that is the case. */
    size_t analysed = 0, sessions = 0;
    uint64_t packets = 0;
    for (size_t c = 0; c < st->n_captures; c++) {
        if (reports[c]) {
            analysed++;
            sessions += reports[c]->n_sessions;
            packets += reports[c]->counts.total;
        }
    }
    struct rb e = {&st->error_why, 0, false};
    if (st->n_captures == 0) {
        clause(&e, GRADE_CLAUSE_SENTENCE, "error.nothing");
    } else if (analysed == 0) {
        for (size_t c = 0; c < st->n_captures; c++) {
            clause(&e, GRADE_CLAUSE_SENTENCE, "error.unreadable");
            arg_str(&e, "capture", GRADE_ARG_TEXT, st->captures[c].file_name);
            arg_str(&e, "error", GRADE_ARG_TEXT, st->captures[c].error ? st->captures[c].error : "unknown error");
        }
    } else if (sessions == 0) {
        clause(&e, GRADE_CLAUSE_SENTENCE, packets == 0 ? "error.no-packets" : "error.no-tcp");
        if (packets)
            arg_num(&e, "packets", packets);
    }
    if (e.oom)
        goto oom;

    st->n_results = r->n_checks;
    for (size_t ci = 0; ci < r->n_checks; ci++) {
        if (evaluate_check(st, r, ci, reports, sessions) != 0)
            goto oom;
        st->total += st->results[ci].points;
        st->max += st->results[ci].max;
    }
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

/* ---- students and captures ------------------------------------------------------------------ */

struct grade_sheet *grade_sheet_new(const struct rubric *r)
{
    struct grade_sheet *s = calloc(1, sizeof *s);
    if (s)
        s->rubric = r;
    return s;
}

void grade_student_clear(struct grade_student *st)
{
    free(st->name);
    for (size_t i = 0; i < st->n_captures; i++) {
        struct grade_capture *c = &st->captures[i];
        free(c->path);
        free(c->file_name);
        free(c->error);
        for (size_t k = 0; k < c->n_notes; k++)
            free(c->notes[k]);
        free(c->notes);
    }
    free(st->captures);
    for (size_t i = 0; i < st->n_results; i++)
        result_clear(&st->results[i]);
    free(st->results);
    reason_clear(&st->error_why);
    free(st->error);
    for (size_t i = 0; i < st->n_flags; i++) {
        free(st->flags[i].other);
        free(st->flags[i].message);
    }
    free(st->flags);
    free(st->prints);
    free(st->feedback_file);
    memset(st, 0, sizeof *st);
}

void grade_sheet_free(struct grade_sheet *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_students; i++)
        grade_student_clear(&s->students[i]);
    free(s->students);
    for (size_t i = 0; i < s->n_pairs; i++)
        free(s->pairs[i].message);
    free(s->pairs);
    free(s);
}

int grade_sheet_student(struct grade_sheet *s, const char *name, size_t *index)
{
    for (size_t i = 0; i < s->n_students; i++)
        if (strcmp(s->students[i].name, name) == 0) {
            *index = i;
            return 0;
        }
    if (s->n_students == s->cap_students) {
        size_t cap = s->cap_students ? s->cap_students * 2 : 16;
        struct grade_student *grown = realloc(s->students, cap * sizeof *grown);
        if (!grown)
            return -1;
        s->students = grown;
        s->cap_students = cap;
    }
    struct grade_student *st = &s->students[s->n_students];
    memset(st, 0, sizeof *st);
    if (!(st->name = strdup(name)))
        return -1;
    *index = s->n_students++;
    return 0;
}

static int add_flag(struct grade_student *st, enum grade_flag_kind kind, const char *other,
                    size_t capture, uint64_t session_id, char *message)
{
    if (!message)
        return -1;
    struct grade_flag *grown = realloc(st->flags, (st->n_flags + 1) * sizeof *grown);
    if (!grown) {
        free(message);
        return -1;
    }
    st->flags = grown;
    struct grade_flag *f = &grown[st->n_flags];
    f->kind = kind;
    f->capture = capture;
    f->session_id = session_id;
    f->message = message;
    f->other = NULL;
    if (other && !(f->other = strdup(other))) {
        free(message);
        return -1;
    }
    st->n_flags++;
    return 0;
}

static void seconds_string(int64_t ns, char *buf, size_t len)
{
    uint64_t v = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    snprintf(buf, len, "%s%llu.%06llu s", ns < 0 ? "-" : "", (unsigned long long)(v / 1000000000u),
             (unsigned long long)(v % 1000000000u / 1000u));
}

/* Not from a real stack: an ISN of 0, answers timed before their questions, all segments at
 * one instant, a clock before 1990. One flag per kind and capture, naming the first case. */
static int real_stack_flags(struct grade_student *st, size_t ci, const struct capture_report *rep)
{
    const char *file = st->captures[ci].file_name;
    struct sb isn = {0}, timing = {0};
    unsigned n_isn = 0, n_timing = 0;
    uint64_t isn_session = 0, timing_session = 0;
    const int64_t y1990 = 631152000LL * 1000000000LL;
    if (rep->have_packets && rep->first_ts < y1990) {
        time_t t = (time_t)(rep->first_ts / 1000000000LL);
        struct tm tm;
        char when[64] = "?";
        if (gmtime_r(&t, &tm))
            strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
        sb_add(&timing, "%s: the capture's clock says %s, before 1990: written by hand or edited", file, when);
        n_timing++;
    }
    for (size_t i = 0; i < rep->n_sessions; i++) {
        const struct session *s = capture_session(rep, i);
        const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
        bool cz = c->isn_known && c->isn == 0, vz = v->isn_known && v->isn == 0;
        if (cz || vz) {
            if (n_isn++ == 0) {
                isn_session = s->id;
                sb_add(&isn, "%s session %llu: %s; a real TCP stack picks a random ISN", file,
                       (unsigned long long)s->id,
                       cz && vz ? "the ISN is 0 on both sides" : cz ? "the client's ISN is 0" : "the server's ISN is 0");
            }
        }
        char d[40];
        const char *problem = NULL;
        uint64_t p_late = 0, p_early = 0;
        int64_t delta = 0;
        if (s->rtt_syn_synack < 0 && c->syns && v->synacks && v->syn_ts < c->syn_ts) {
            problem = "the SYN/ACK is timestamped before the SYN it answers";
            p_late = v->syn_packet;
            p_early = c->syn_packet;
            delta = c->syn_ts - v->syn_ts;
        } else if (s->rtt_synack_ack < 0 && v->synacks && c->acked_syn && c->ack_of_syn_ts < v->syn_ts) {
            problem = "the ACK is timestamped before the SYN/ACK it acknowledges";
            p_late = c->ack_of_syn_packet;
            p_early = v->syn_packet;
            delta = v->syn_ts - c->ack_of_syn_ts;
        } else if (c->fin_seen && v->acked_fin && v->ack_of_fin_ts < c->fin_ts) {
            problem = "the ACK of the client's FIN is timestamped before that FIN";
            p_late = v->ack_of_fin_packet;
            p_early = c->fin_packet;
            delta = c->fin_ts - v->ack_of_fin_ts;
        } else if (v->fin_seen && c->acked_fin && c->ack_of_fin_ts < v->fin_ts) {
            problem = "the ACK of the server's FIN is timestamped before that FIN";
            p_late = c->ack_of_fin_packet;
            p_early = v->fin_packet;
            delta = v->fin_ts - c->ack_of_fin_ts;
        }
        if (problem) {
            if (n_timing++ == 0) {
                timing_session = s->id;
                seconds_string(delta, d, sizeof d);
                sb_add(&timing, "%s session %llu: %s (packet %llu is %s earlier than packet %llu)", file,
                       (unsigned long long)s->id, problem, (unsigned long long)p_late, d,
                       (unsigned long long)p_early);
            }
        } else if (c->packets + v->packets >= 3 && s->first_ts == s->last_ts) {
            if (n_timing++ == 0) {
                timing_session = s->id;
                sb_add(&timing, "%s session %llu: all %llu segments carry the same timestamp", file,
                       (unsigned long long)s->id, (unsigned long long)(c->packets + v->packets));
            }
        }
    }
    int rc = 0;
    if (n_isn > 1)
        sb_add(&isn, " (and %u more session%s)", n_isn - 1, n_isn == 2 ? "" : "s");
    if (n_timing > 1)
        sb_add(&timing, " (and %u more finding%s)", n_timing - 1, n_timing == 2 ? "" : "s");
    if (n_isn)
        rc |= add_flag(st, GRADE_FLAG_ISN_ZERO, NULL, ci, isn_session, sb_take(&isn));
    else
        free(isn.buf);
    if (n_timing)
        rc |= add_flag(st, GRADE_FLAG_IMPOSSIBLE_TIMING, NULL, ci, timing_session, sb_take(&timing));
    else
        free(timing.buf);
    return rc ? -1 : 0;
}

static int add_fingerprints(struct grade_student *st, size_t ci, const struct capture_report *rep)
{
    if (!rep->n_sessions)
        return 0;
    struct grade_fingerprint *grown = realloc(st->prints, (st->n_prints + rep->n_sessions) * sizeof *grown);
    if (!grown)
        return -1;
    st->prints = grown;
    for (size_t i = 0; i < rep->n_sessions; i++) {
        const struct session *s = capture_session(rep, i);
        const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
        struct grade_fingerprint fp = {.capture = ci, .session_id = s->id, .cport = c->port, .sport = v->port,
                                       .first_ts = s->first_ts};
        if (c->isn_known || v->isn_known) {
            fp.isns = true;
            fp.c_known = c->isn_known;
            fp.c_anchor = c->isn;
            fp.s_known = v->isn_known;
            fp.s_anchor = v->isn;
            /* A zero ISN carries no information (and is flagged on its own). */
            if (!((fp.c_known && fp.c_anchor) || (fp.s_known && fp.s_anchor)))
                continue;
        } else {
            const struct timeline_event *ec = NULL, *ev = NULL;
            for (uint32_t k = 0; k < s->n_events && (!ec || !ev); k++) {
                const struct timeline_event *e = &s->events[k];
                if (e->dir == DIR_C2S && !ec)
                    ec = e;
                if (e->dir == DIR_S2C && !ev)
                    ev = e;
            }
            if (!ec || !ev || (!ec->seq && !ev->seq))
                continue;
            fp.c_known = fp.s_known = true;
            fp.c_anchor = ec->seq;
            fp.s_anchor = ev->seq;
        }
        st->prints[st->n_prints++] = fp;
    }
    return 0;
}

int grade_student_add_capture(struct grade_student *st, const struct grade_capture_info *info,
                              char *err, size_t errlen)
{
    struct grade_capture *grown = realloc(st->captures, (st->n_captures + 1) * sizeof *grown);
    if (!grown)
        goto oom;
    st->captures = grown;
    struct grade_capture *c = &grown[st->n_captures];
    memset(c, 0, sizeof *c);
    size_t ci = st->n_captures++;
    c->size_bytes = info->size_bytes;
    if (info->sha256 && strlen(info->sha256) == 64) {
        memcpy(c->sha256, info->sha256, 65);
        c->hashed = true;
    }
    if (!(c->path = strdup(info->path ? info->path : "")) ||
        !(c->file_name = strdup(info->file_name ? info->file_name : (info->path ? info->path : ""))))
        goto oom;
    const struct capture_report *rep = info->report;
    if (!rep) {
        if (!(c->error = strdup(info->error && *info->error ? info->error : "not a readable capture")))
            goto oom;
        return 0;
    }
    c->analysed = true;
    c->packets = rep->counts.total;
    c->tcp_packets = rep->counts.by_outcome[DECODE_TCP];
    c->sessions = rep->n_sessions;
    for (size_t i = 0; i < rep->n_warnings; i++) {
        if (strcmp(rep->warnings[i].code, "damaged-tail") != 0)
            continue;
        char **notes = realloc(c->notes, (c->n_notes + 1) * sizeof *notes);
        if (!notes)
            goto oom;
        c->notes = notes;
        if (asprintf(&notes[c->n_notes], "the file is damaged (%s); the %llu packet%s before the damage were graded",
                     rep->warnings[i].message, (unsigned long long)rep->counts.total,
                     rep->counts.total == 1 ? "" : "s") < 0)
            goto oom;
        c->n_notes++;
    }
    if (add_fingerprints(st, ci, rep) != 0 || real_stack_flags(st, ci, rep) != 0)
        goto oom;
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

/* ---- across students ------------------------------------------------------------------------ */

static int cmp_students(const void *x, const void *y)
{
    return strcmp(((const struct grade_student *)x)->name, ((const struct grade_student *)y)->name);
}

void grade_sheet_sort(struct grade_sheet *s)
{
    if (s->n_students > 1)
        qsort(s->students, s->n_students, sizeof *s->students, cmp_students);
}

struct print_ref {
    const struct grade_fingerprint *fp;
    size_t student;
};

static int cmp_prints(const void *x, const void *y)
{
    const struct grade_fingerprint *a = ((const struct print_ref *)x)->fp, *b = ((const struct print_ref *)y)->fp;
#define CMP(f) if (a->f != b->f) return a->f < b->f ? -1 : 1
    CMP(isns);
    CMP(c_known);
    CMP(s_known);
    CMP(c_anchor);
    CMP(s_anchor);
    CMP(cport);
    CMP(sport);
#undef CMP
    size_t sa = ((const struct print_ref *)x)->student, sb2 = ((const struct print_ref *)y)->student;
    if (sa != sb2)
        return sa < sb2 ? -1 : 1;
    if (a->capture != b->capture)
        return a->capture < b->capture ? -1 : 1;
    return a->session_id < b->session_id ? -1 : a->session_id > b->session_id;
}

static bool same_connection(const struct grade_fingerprint *a, const struct grade_fingerprint *b)
{
    return a->isns == b->isns && a->c_known == b->c_known && a->s_known == b->s_known &&
           a->c_anchor == b->c_anchor && a->s_anchor == b->s_anchor && a->cport == b->cport && a->sport == b->sport;
}

struct found_pair {
    enum grade_flag_kind kind;
    size_t a, b;            /* students, a < b */
    size_t ca, cb;          /* their captures */
    uint64_t sa, sb;        /* their sessions (same-connection) */
    const struct grade_fingerprint *fa, *fb;
    unsigned count;
};

static struct found_pair *find_pair(struct found_pair *v, size_t n, enum grade_flag_kind k, size_t a, size_t b)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].kind == k && v[i].a == a && v[i].b == b)
            return &v[i];
    return NULL;
}

static int push_pair(struct found_pair **v, size_t *n, struct found_pair p)
{
    struct found_pair *hit = find_pair(*v, *n, p.kind, p.a, p.b);
    if (hit) {
        hit->count++;
        return 0;
    }
    struct found_pair *grown = realloc(*v, (*n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    *v = grown;
    p.count = 1;
    grown[(*n)++] = p;
    return 0;
}

static int cmp_flags(const void *x, const void *y)
{
    const struct grade_flag *a = x, *b = y;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (!a->other != !b->other)
        return a->other ? 1 : -1;
    if (a->other && b->other) {
        int c = strcmp(a->other, b->other);
        if (c)
            return c;
    }
    if (a->capture != b->capture)
        return a->capture < b->capture ? -1 : 1;
    return a->session_id < b->session_id ? -1 : a->session_id > b->session_id;
}

static int cmp_pairs(const void *x, const void *y)
{
    const struct grade_pair *a = x, *b = y;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static char *pair_message(const struct grade_sheet *s, const struct found_pair *p, bool for_sheet, bool from_a)
{
    const struct grade_student *A = &s->students[p->a], *B = &s->students[p->b];
    const struct grade_student *me = from_a ? A : B, *other = from_a ? B : A;
    size_t mc = from_a ? p->ca : p->cb, oc = from_a ? p->cb : p->ca;
    struct sb b = {0};
    if (p->kind == GRADE_FLAG_IDENTICAL_FILE) {
        if (for_sheet)
            sb_add(&b, "%s and %s handed in byte-identical files: %s's %s and %s's %s (sha256 %.16s...)",
                   A->name, B->name, A->name, A->captures[p->ca].file_name, B->name, B->captures[p->cb].file_name,
                   A->captures[p->ca].sha256);
        else
            sb_add(&b, "%s is byte-identical to %s's %s (sha256 %.16s...)", me->captures[mc].file_name,
                   other->name, other->captures[oc].file_name, me->captures[mc].sha256);
    } else {
        const struct grade_fingerprint *fm = from_a ? p->fa : p->fb, *fo = from_a ? p->fb : p->fa;
        char ids[96], dt[64];
        if (fm->isns)
            snprintf(ids, sizeof ids, "ISNs %s%" PRIu32 " and %s%" PRIu32, fm->c_known ? "" : "?", fm->c_anchor,
                     fm->s_known ? "" : "?", fm->s_anchor);
        else
            snprintf(ids, sizeof ids, "first sequence numbers %" PRIu32 " and %" PRIu32, fm->c_anchor, fm->s_anchor);
        int64_t delta = fm->first_ts - fo->first_ts;
        if (delta == 0) {
            snprintf(dt, sizeof dt, "identical timestamps");
        } else {
            char secs[32];
            seconds_string(delta < 0 ? -delta : delta, secs, sizeof secs);
            snprintf(dt, sizeof dt, "timestamps %s apart", secs);
        }
        const char *more = p->count > 1 ? " and more" : "";
        if (for_sheet)
            sb_add(&b, "%s and %s captured the same connection: %s's %s session %llu and %s's %s session %llu "
                   "(ports %u → %u, %s; %s)%s", A->name, B->name, A->name, A->captures[p->ca].file_name,
                   (unsigned long long)p->sa, B->name, B->captures[p->cb].file_name, (unsigned long long)p->sb,
                   fm->cport, fm->sport, ids, dt, p->count > 1 ? "; more connections in common" : "");
        else
            sb_add(&b, "%s session %llu is the same connection as %s's %s session %llu (ports %u → %u, %s; %s)%s",
                   me->captures[mc].file_name, (unsigned long long)fm->session_id, other->name,
                   other->captures[oc].file_name, (unsigned long long)fo->session_id, fm->cport, fm->sport, ids,
                   dt, more);
    }
    return sb_take(&b);
}

int grade_sheet_integrity(struct grade_sheet *s, char *err, size_t errlen)
{
    struct found_pair *pairs = NULL;
    size_t n_pairs = 0;
    struct print_ref *refs = NULL;
    int rc = -1;

    /* Byte-identical files (empty files are not compared: they carry nothing to copy). */
    for (size_t a = 0; a < s->n_students; a++)
        for (size_t ca = 0; ca < s->students[a].n_captures; ca++) {
            const struct grade_capture *x = &s->students[a].captures[ca];
            if (!x->hashed || x->size_bytes == 0)
                continue;
            for (size_t b = a + 1; b < s->n_students; b++)
                for (size_t cb = 0; cb < s->students[b].n_captures; cb++) {
                    const struct grade_capture *y = &s->students[b].captures[cb];
                    if (y->hashed && y->size_bytes == x->size_bytes && strcmp(x->sha256, y->sha256) == 0 &&
                        push_pair(&pairs, &n_pairs, (struct found_pair){GRADE_FLAG_IDENTICAL_FILE, a, b, ca, cb,
                                                                       0, 0, NULL, NULL, 0}) != 0)
                        goto out;
                }
        }

    /* The same connection in two students' captures: sort every fingerprint, scan equal runs. */
    size_t n_refs = 0;
    for (size_t a = 0; a < s->n_students; a++)
        n_refs += s->students[a].n_prints;
    if (n_refs) {
        if (!(refs = malloc(n_refs * sizeof *refs)))
            goto out;
        size_t k = 0;
        for (size_t a = 0; a < s->n_students; a++)
            for (size_t i = 0; i < s->students[a].n_prints; i++)
                refs[k++] = (struct print_ref){&s->students[a].prints[i], a};
        qsort(refs, n_refs, sizeof *refs, cmp_prints);
        for (size_t i = 0; i < n_refs;) {
            size_t j = i + 1;
            while (j < n_refs && same_connection(refs[i].fp, refs[j].fp))
                j++;
            for (size_t x = i; x < j; x++)
                for (size_t y = x + 1; y < j; y++) {
                    size_t a = refs[x].student, b = refs[y].student;
                    if (a == b || find_pair(pairs, n_pairs, GRADE_FLAG_IDENTICAL_FILE, a, b))
                        continue;
                    if (push_pair(&pairs, &n_pairs, (struct found_pair){GRADE_FLAG_SAME_CONNECTION, a, b,
                            refs[x].fp->capture, refs[y].fp->capture, refs[x].fp->session_id,
                            refs[y].fp->session_id, refs[x].fp, refs[y].fp, 0}) != 0)
                        goto out;
                }
            i = j;
        }
    }

    /* Record each pair on both students and on the sheet. */
    for (size_t i = 0; i < n_pairs; i++) {
        const struct found_pair *p = &pairs[i];
        char *ma = pair_message(s, p, false, true), *mb = pair_message(s, p, false, false),
             *ms = pair_message(s, p, true, true);
        struct grade_pair *grown = realloc(s->pairs, (s->n_pairs + 1) * sizeof *grown);
        if (!grown || !ms) {
            free(ma);
            free(mb);
            free(ms);
            if (grown)
                s->pairs = grown;
            goto out;
        }
        s->pairs = grown;
        grown[s->n_pairs++] = (struct grade_pair){p->kind, p->a, p->b, ms};
        int r1 = add_flag(&s->students[p->a], p->kind, s->students[p->b].name, p->ca, p->sa, ma);
        int r2 = add_flag(&s->students[p->b], p->kind, s->students[p->a].name, p->cb, p->sb, mb);
        if (r1 || r2)
            goto out;
    }
    if (s->n_pairs > 1)
        qsort(s->pairs, s->n_pairs, sizeof *s->pairs, cmp_pairs);
    for (size_t a = 0; a < s->n_students; a++)
        if (s->students[a].n_flags > 1)
            qsort(s->students[a].flags, s->students[a].n_flags, sizeof *s->students[a].flags, cmp_flags);
    rc = 0;
out:
    if (rc)
        snprintf(err, errlen, "out of memory");
    free(pairs);
    free(refs);
    return rc;
}
