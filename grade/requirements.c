/* requirements.c — one requirement of a check on one session (requirements.h): the packets
 * each requirement looks at, what the handshake and teardown look like in clauses, the
 * sequence-number arithmetic of the handshake and of the FINs, the server's address and port,
 * and then one small evaluator per requirement type, in the order of rubric.h. */
#include "requirements.h"

#include <stdio.h>
#include <string.h>

void grade_packets_add(struct grade_packets *p, uint64_t packet)
{
    if (!p || packet == 0)
        return;
    for (size_t i = 0; i < p->n; i++)
        if (p->v[i] == packet)
            return;
    if (p->n < GRADE_MAX_PACKETS)
        p->v[p->n++] = packet;
}

/* The names of the bits of a requirement's set, for grade_reason_set. */
static const char *hs_name(unsigned i) { return handshake_class_name((enum handshake_class)i); }
static const char *td_name(unsigned i) { return teardown_class_name((enum teardown_class)i); }
static const char *an_name(unsigned i) { return anomaly_name((enum anomaly)i); }
static const char *cs_name(unsigned i) { return rubric_conn_state_name(i); }

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

static void handshake_packets(const struct session *s, struct grade_packets *p)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    if (c->syns || c->synacks)
        grade_packets_add(p, c->syn_packet);
    if (v->syns || v->synacks)
        grade_packets_add(p, v->syn_packet);
    if (c->acked_syn)
        grade_packets_add(p, c->ack_of_syn_packet);
    if (v->acked_syn && s->handshake == HANDSHAKE_SIMULTANEOUS_OPEN)
        grade_packets_add(p, v->ack_of_syn_packet);
    if (s->handshake == HANDSHAKE_REFUSED && s->rst_seen)
        grade_packets_add(p, s->rst_packet);
}

static void teardown_packets(const struct session *s, struct grade_packets *p)
{
    int a = s->active_closer >= 0 ? s->active_closer : ROLE_CLIENT;
    for (int k = 0; k < 2; k++) {
        int role = k ? !a : a;
        const struct session_side *me = &s->side[role], *peer = &s->side[!role];
        if (me->fin_seen) {
            grade_packets_add(p, me->fin_packet);
            if (peer->acked_fin)
                grade_packets_add(p, peer->ack_of_fin_packet);
        }
    }
    if (s->rst_seen && s->handshake != HANDSHAKE_REFUSED)
        grade_packets_add(p, s->rst_packet);
}

/* "it opens with a complete three-way handshake (SYN in packet 1, SYN/ACK in packet 2, ...)" */
static void describe_handshake(struct grade_reason_builder *b, const struct session *s)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    uint64_t cs = c->syn_packet, vs = v->syn_packet;
    switch (s->handshake) {
    case HANDSHAKE_NORMAL:
        grade_reason_clause(b, GRADE_CLAUSE_PART, c->syns ? "opens.normal" : "opens.normal-no-syn");
        if (c->syns)
            grade_reason_num(b, "syn", cs);
        grade_reason_num(b, "synack", vs);
        grade_reason_num(b, "ack", c->ack_of_syn_packet);
        break;
    case HANDSHAKE_SIMULTANEOUS_OPEN:
        grade_reason_clause(b, GRADE_CLAUSE_PART, "opens.simultaneous-open");
        grade_reason_num(b, "first", cs < vs ? cs : vs);
        grade_reason_num(b, "second", cs < vs ? vs : cs);
        break;
    case HANDSHAKE_REFUSED:
        grade_reason_clause(b, GRADE_CLAUSE_PART, "opens.refused");
        grade_reason_num(b, "syn", cs);
        grade_reason_num(b, "rst", s->rst_packet);
        break;
    case HANDSHAKE_SYN_ONLY:
        grade_reason_clause(b, GRADE_CLAUSE_PART, "opens.syn-only");
        grade_reason_num(b, "syns", c->syns);
        grade_reason_num(b, "syn", cs);
        break;
    case HANDSHAKE_NO_FINAL_ACK:
        grade_reason_clause(b, GRADE_CLAUSE_PART, c->syns ? "opens.no-final-ack" : "opens.no-final-ack-no-syn");
        if (c->syns)
            grade_reason_num(b, "syn", cs);
        grade_reason_num(b, "synack", vs);
        break;
    case HANDSHAKE_MISSING:
    default:
        grade_reason_clause(b, GRADE_CLAUSE_PART, "opens.missing");
        grade_reason_num(b, "packet", s->first_packet);
        break;
    }
}

/* "it ends with a four-way close (the client's FIN in packet 6, ...)" */
static void describe_teardown(struct grade_reason_builder *b, const struct session *s)
{
    int a = s->active_closer >= 0 ? s->active_closer : ROLE_CLIENT;
    const struct session_side *A = &s->side[a], *B = &s->side[!a];
    switch (s->teardown) {
    case TEARDOWN_FOUR_WAY:
        grade_reason_clause(b, GRADE_CLAUSE_PART, "ends.four-way");
        grade_reason_role(b, "closer", a);
        grade_reason_role(b, "passive", !a);
        grade_reason_num(b, "fin1", A->fin_packet);
        grade_reason_num(b, "ack1", B->ack_of_fin_packet);
        grade_reason_num(b, "fin2", B->fin_packet);
        grade_reason_num(b, "ack2", A->ack_of_fin_packet);
        break;
    case TEARDOWN_MERGED_FIN:
        grade_reason_clause(b, GRADE_CLAUSE_PART, "ends.merged-fin");
        grade_reason_role(b, "closer", a);
        grade_reason_role(b, "passive", !a);
        grade_reason_num(b, "fin1", A->fin_packet);
        grade_reason_num(b, "fin2", B->fin_packet);
        grade_reason_num(b, "ack2", A->ack_of_fin_packet);
        break;
    case TEARDOWN_SIMULTANEOUS_CLOSE:
        grade_reason_clause(b, GRADE_CLAUSE_PART, "ends.simultaneous-close");
        grade_reason_num(b, "fin1", A->fin_packet);
        grade_reason_num(b, "fin2", B->fin_packet);
        break;
    case TEARDOWN_RST:
        grade_reason_clause(b, GRADE_CLAUSE_PART, s->rst_after_fin ? "ends.rst-after-fin" : "ends.rst");
        grade_reason_role(b, "sender", s->rst_sender);
        grade_reason_num(b, "rst", s->rst_packet);
        break;
    case TEARDOWN_INCOMPLETE:
        grade_reason_clause(b, GRADE_CLAUSE_PART, "ends.incomplete");
        grade_reason_num(b, "fin1", A->fin_packet);
        grade_reason_num(b, "fin2", B->fin_packet);
        break;
    case TEARDOWN_HALF_CLOSED:
        grade_reason_clause(b, GRADE_CLAUSE_PART, "ends.half-closed");
        grade_reason_role(b, "closer", a);
        grade_reason_num(b, "fin1", A->fin_packet);
        break;
    case TEARDOWN_NONE:
    default:
        grade_reason_clause(b, GRADE_CLAUSE_PART,
                            s->handshake == HANDSHAKE_REFUSED || s->handshake == HANDSHAKE_SYN_ONLY ||
                                    s->handshake == HANDSHAKE_NO_FINAL_ACK
                                ? "ends.not-open"
                                : "ends.none");
        break;
    }
}

/* handshake-arithmetic: with x and y the client's and the server's ISN, the SYN/ACK acknowledges
 * x + 1 and the ACK that completes the handshake has seq x + 1 and acknowledges y + 1. */
static enum grade_req_outcome eval_handshake_arithmetic(const struct session *s, struct grade_reason_builder *b,
                                                        struct grade_packets *p)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    handshake_packets(s, p);
    if (!v->synacks && !(s->handshake == HANDSHAKE_SIMULTANEOUS_OPEN)) {
        grade_reason_clause(b, GRADE_CLAUSE_PART, "hs-arith.no-synack");
        grade_reason_text(b, "handshake", GRADE_ARG_TEXT, handshake_class_name(s->handshake));
        return GRADE_REQ_FAIL;
    }
    if (!c->isn_known || !c->syns) {
        grade_reason_clause(b, GRADE_CLAUSE_PART, "hs-arith.no-syn");
        return GRADE_REQ_FAIL;
    }
    if (!c->acked_syn) {
        grade_reason_clause(b, GRADE_CLAUSE_PART, "hs-arith.no-ack");
        grade_reason_num(b, "synack", v->syn_packet);
        return GRADE_REQ_FAIL;
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
        grade_reason_clause(b, GRADE_CLAUSE_PART, third ? "hs-arith.right" : "hs-arith.right-no-third");
        grade_reason_num(b, "syn", p1);
        grade_reason_num(b, "synack", p2);
        grade_reason_num(b, "ack", p3);
        grade_reason_num(b, "x", x);
        grade_reason_num(b, "y", y);
        grade_reason_num(b, "x1", (uint32_t)(x + 1));
        grade_reason_num(b, "y1", (uint32_t)(y + 1));
        return GRADE_REQ_PASS;
    }
    if (!ok_synack) {
        grade_reason_clause(b, GRADE_CLAUSE_PART, "hs-arith.synack-ack");
        grade_reason_num(b, "synack", p2);
        grade_reason_num(b, "actual", v->syn_ack);
        grade_reason_num(b, "expected", (uint32_t)(x + 1));
        grade_reason_num(b, "x", x);
        grade_reason_num(b, "syn", p1);
    }
    if (!ok_seq) {
        grade_reason_clause(b, GRADE_CLAUSE_PART, "hs-arith.ack-seq");
        grade_reason_num(b, "ack", p3);
        grade_reason_num(b, "actual", third->seq);
        grade_reason_num(b, "expected", (uint32_t)(x + 1));
    }
    if (!ok_ack) {
        grade_reason_clause(b, GRADE_CLAUSE_PART, "hs-arith.ack-ack");
        grade_reason_num(b, "ack", p3);
        grade_reason_num(b, "actual", c->ack_of_syn);
        grade_reason_num(b, "expected", (uint32_t)(y + 1));
        grade_reason_num(b, "y", y);
        grade_reason_num(b, "synack", p2);
    }
    return GRADE_REQ_FAIL;
}

/* One side's FIN and the ACK of it, as a clause: code, or code-data when the FIN carried data. */
static void fin_clause(struct grade_reason_builder *b, const struct session *s, int role, bool right, bool first)
{
    const struct session_side *me = &s->side[role], *peer = &s->side[!role];
    const struct timeline_event *fin = find_event(s, me->fin_packet);
    bool data = fin && fin->len;
    static const char *const codes[2][2][2] = {
        {{"fin-arith.wrong", "fin-arith.wrong-data"}, {"fin-arith.wrong", "fin-arith.wrong-data"}},
        {{"fin-arith.also-right", "fin-arith.also-right-data"}, {"fin-arith.right", "fin-arith.right-data"}},
    };
    grade_reason_clause(b, GRADE_CLAUSE_PART, codes[right][first][data]);
    grade_reason_role(b, "side", role);
    grade_reason_num(b, "fin", me->fin_packet);
    grade_reason_num(b, "ack", peer->ack_of_fin_packet);
    grade_reason_num(b, "actual", peer->ack_of_fin);
    grade_reason_num(b, "expected", (uint32_t)(me->fin_seq + 1));
    if (data) {
        grade_reason_num(b, "seq", fin->seq);
        grade_reason_num(b, "bytes", fin->len);
    } else {
        grade_reason_num(b, "fin_seq", me->fin_seq);
    }
}

/* fin-arithmetic: each side's FIN is acknowledged with the FIN's seq + 1. */
static enum grade_req_outcome eval_fin_arithmetic(const struct session *s, struct grade_reason_builder *b,
                                                  struct grade_packets *p)
{
    teardown_packets(s, p);
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    if (!c->fin_seen && !v->fin_seen) {
        grade_reason_clause(b, GRADE_CLAUSE_PART, "fin-arith.no-fin");
        grade_reason_text(b, "teardown", GRADE_ARG_TEXT, teardown_class_name(s->teardown));
        return GRADE_REQ_FAIL;
    }
    int a = s->active_closer >= 0 ? s->active_closer : ROLE_CLIENT;
    bool ok = true;
    for (int k = 0; k < 2; k++) {
        int role = k ? !a : a;
        const struct session_side *me = &s->side[role], *peer = &s->side[!role];
        if (!me->fin_seen) {
            grade_reason_clause(b, GRADE_CLAUSE_PART, "fin-arith.no-fin-side");
            grade_reason_role(b, "side", role);
            ok = false;
        } else if (!peer->acked_fin) {
            grade_reason_clause(b, GRADE_CLAUSE_PART, "fin-arith.unacked");
            grade_reason_role(b, "side", role);
            grade_reason_num(b, "fin", me->fin_packet);
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
    return ok ? GRADE_REQ_PASS : GRADE_REQ_FAIL;
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

static enum grade_req_outcome eval_server(const struct session *s, const struct rubric_hosts *hosts,
                                          const uint16_t *ports, size_t n_ports, struct grade_reason_builder *b)
{
    char server[SESSION_ENDPOINT_STRING_LEN];
    session_endpoint_string(s, ROLE_SERVER, server);
    bool ok = to_server(s, hosts, ports, n_ports);
    grade_reason_clause(b, GRADE_CLAUSE_PART, ok ? "server.right" : "server.wrong");
    grade_reason_text(b, "server", GRADE_ARG_TEXT, server);
    if (b && hosts->n) {
        char list[1024] = "";
        size_t n = 0;
        for (size_t i = 0; i < hosts->n && n < sizeof list; i++)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? GRADE_LIST_SEP_STR : "", hosts->items[i].spec);
        grade_reason_text(b, "hosts", GRADE_ARG_CHOICES, list);
    }
    if (b && n_ports) {
        char list[512] = "";
        size_t n = 0;
        for (size_t i = 0; i < n_ports && n < sizeof list; i++)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%u", i ? GRADE_LIST_SEP_STR : "", ports[i]);
        grade_reason_text(b, "ports", GRADE_ARG_CHOICES, list);
    }
    return ok ? GRADE_REQ_PASS : GRADE_REQ_FAIL;
}

static uint64_t rst_packet_of(const struct session *s, int role)
{
    if (s->rst_seen && s->rst_sender == role)
        return s->rst_packet;
    const struct timeline_event *e = first_event_with(s, role == ROLE_CLIENT ? DIR_C2S : DIR_S2C, TCP_RST);
    return e ? e->packet : 0;
}

/* ---- one evaluator per requirement type ------------------------------------------------------ */

/* handshake CLASS...: the session's handshake class is one of them. */
static enum grade_req_outcome eval_handshake(const struct rubric_req *q, const struct session *s,
                                             struct grade_reason_builder *b, struct grade_packets *p)
{
    handshake_packets(s, p);
    bool ok = q->set >> s->handshake & 1u;
    describe_handshake(b, s);
    if (!ok) {
        grade_reason_clause(b, GRADE_CLAUSE_MORE, "asks");
        grade_reason_set(b, "expected", GRADE_ARG_HANDSHAKES, q->set, HANDSHAKE_CLASSES, hs_name);
    }
    return ok ? GRADE_REQ_PASS : GRADE_REQ_FAIL;
}

/* teardown CLASS...: the session's teardown class is one of them. */
static enum grade_req_outcome eval_teardown(const struct rubric_req *q, const struct session *s,
                                            struct grade_reason_builder *b, struct grade_packets *p)
{
    teardown_packets(s, p);
    bool ok = q->set >> s->teardown & 1u;
    describe_teardown(b, s);
    if (!ok) {
        grade_reason_clause(b, GRADE_CLAUSE_MORE, "asks");
        grade_reason_set(b, "expected", GRADE_ARG_TEARDOWNS, q->set, TEARDOWN_CLASSES, td_name);
    }
    return ok ? GRADE_REQ_PASS : GRADE_REQ_FAIL;
}

/* anomaly NAME... (at least one of them) and no-anomaly NAME... (none of them). */
static enum grade_req_outcome eval_anomaly(const struct rubric_req *q, const struct session *s,
                                           struct grade_reason_builder *b)
{
    uint32_t present = s->anomalies & q->set;
    bool want = q->type == REQ_ANOMALY;
    if (present) {
        grade_reason_clause(b, GRADE_CLAUSE_PART, "anomaly.shows");
        grade_reason_set(b, "anomalies", GRADE_ARG_ANOMALIES, present, ANOMALIES, an_name);
        if (!want)
            grade_reason_clause(b, GRADE_CLAUSE_MORE, "anomaly.not-allowed");
    } else {
        grade_reason_clause(b, GRADE_CLAUSE_PART, "anomaly.none-of");
        grade_reason_set(b, "names", GRADE_ARG_NAMES, q->set, ANOMALIES, an_name);
    }
    return (present != 0) == want ? GRADE_REQ_PASS : GRADE_REQ_FAIL;
}

/* data client|server|both|either [MIN_BYTES]: payload bytes from that side. */
static enum grade_req_outcome eval_data(const struct rubric_req *q, const struct session *s,
                                        struct grade_reason_builder *b)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    uint64_t cb = c->payload_bytes, vb = v->payload_bytes;
    uint64_t m = q->min_bytes;
    bool ok = q->side == RUBRIC_CLIENT ? cb >= m : q->side == RUBRIC_SERVER ? vb >= m
            : q->side == RUBRIC_BOTH ? cb >= m && vb >= m : cb >= m || vb >= m;
    grade_reason_clause(b, GRADE_CLAUSE_PART, "data.sent");
    grade_reason_num(b, "client_bytes", cb);
    grade_reason_num(b, "server_bytes", vb);
    if (!ok) {
        static const char *const codes[] = {"data.asks-client", "data.asks-server", "data.asks-both",
                                            "data.asks-either"};
        grade_reason_clause(b, GRADE_CLAUSE_MORE, codes[q->side]);
        grade_reason_num(b, "min", m);
    }
    return ok ? GRADE_REQ_PASS : GRADE_REQ_FAIL;
}

/* rst-from client|server|either: that side sent a RST. */
static enum grade_req_outcome eval_rst_from(const struct rubric_req *q, const struct session *s,
                                            struct grade_reason_builder *b, struct grade_packets *p)
{
    for (int role = ROLE_CLIENT; role <= ROLE_SERVER; role++) {
        if (!s->side[role].rsts || (q->side != RUBRIC_EITHER && (int)q->side != role))
            continue;
        uint64_t pk = rst_packet_of(s, role);
        grade_packets_add(p, pk);
        grade_reason_clause(b, GRADE_CLAUSE_PART, pk ? "rst.sent" : "rst.sent-unnumbered");
        grade_reason_role(b, "side", role);
        if (pk)
            grade_reason_num(b, "rst", pk);
        return GRADE_REQ_PASS;
    }
    if (q->side == RUBRIC_EITHER) {
        grade_reason_clause(b, GRADE_CLAUSE_PART, "rst.neither");
    } else {
        grade_reason_clause(b, GRADE_CLAUSE_PART, s->side[!q->side].rsts ? "rst.only-peer" : "rst.none");
        grade_reason_role(b, "side", (int)q->side);
        grade_reason_role(b, "peer", !q->side);
    }
    return GRADE_REQ_FAIL;
}

/* closer client|server: whose FIN came first. */
static enum grade_req_outcome eval_closer(const struct rubric_req *q, const struct session *s,
                                          struct grade_reason_builder *b, struct grade_packets *p)
{
    teardown_packets(s, p);
    if (s->active_closer < 0) {
        grade_reason_clause(b, GRADE_CLAUSE_PART, "closer.no-fin");
        return GRADE_REQ_FAIL;
    }
    grade_reason_clause(b, GRADE_CLAUSE_PART, "closer.first");
    grade_reason_role(b, "side", s->active_closer);
    grade_reason_num(b, "fin", s->side[s->active_closer].fin_packet);
    if (s->active_closer != (int)q->side) {
        grade_reason_clause(b, GRADE_CLAUSE_MORE, "closer.asks");
        grade_reason_role(b, "wanted", (int)q->side);
        return GRADE_REQ_FAIL;
    }
    return GRADE_REQ_PASS;
}

/* conn-state STATE...: Zeek's conn_state is one of them (none recorded counts as OTH). */
static enum grade_req_outcome eval_conn_state(const struct rubric_req *q, const struct session *s,
                                              struct grade_reason_builder *b)
{
    unsigned k = 0;
    const char *state = s->conn_state ? s->conn_state : "OTH";
    while (rubric_conn_state_name(k) && strcmp(rubric_conn_state_name(k), state) != 0)
        k++;
    bool ok = rubric_conn_state_name(k) && (q->set >> k & 1u);
    grade_reason_clause(b, GRADE_CLAUSE_PART, "conn-state");
    grade_reason_text(b, "state", GRADE_ARG_TEXT, state);
    if (!ok) {
        grade_reason_clause(b, GRADE_CLAUSE_MORE, "asks");
        grade_reason_set(b, "expected", GRADE_ARG_CHOICES, q->set, 32, cs_name);
    }
    return ok ? GRADE_REQ_PASS : GRADE_REQ_FAIL;
}

/* ip-version 4|6. */
static enum grade_req_outcome eval_ip_version(const struct rubric_req *q, const struct session *s,
                                              struct grade_reason_builder *b)
{
    bool ok = q->set >> s->ip_version & 1u;
    grade_reason_clause(b, GRADE_CLAUSE_PART, "ip-version");
    grade_reason_num(b, "ipv", (uint64_t)s->ip_version);
    if (!ok) {
        grade_reason_clause(b, GRADE_CLAUSE_MORE, "asks");
        grade_reason_text(b, "expected", GRADE_ARG_TEXT, (q->set >> 4 & 1u) ? "IPv4" : "IPv6");
    }
    return ok ? GRADE_REQ_PASS : GRADE_REQ_FAIL;
}

enum grade_req_outcome grade_req_eval(const struct rubric_req *q, const struct rubric *r, const struct session *s,
                                      struct grade_reason_builder *b, struct grade_packets *p)
{
    switch (q->type) {
    case REQ_HANDSHAKE:
        return eval_handshake(q, s, b, p);
    case REQ_TEARDOWN:
        return eval_teardown(q, s, b, p);
    case REQ_HANDSHAKE_ARITHMETIC:
        return eval_handshake_arithmetic(s, b, p);
    case REQ_FIN_ARITHMETIC:
        return eval_fin_arithmetic(s, b, p);
    case REQ_TARGET:
        if (!rubric_has_target(r))
            return GRADE_REQ_NA;
        return eval_server(s, &r->target_hosts, r->target_ports, r->n_target_ports, b);
    case REQ_SERVER_HOST:
        return eval_server(s, &q->hosts, NULL, 0, b);
    case REQ_SERVER_PORT: {
        struct rubric_hosts none = {0};
        return eval_server(s, &none, q->ports, q->n_ports, b);
    }
    case REQ_ANOMALY:
    case REQ_NO_ANOMALY:
        return eval_anomaly(q, s, b);
    case REQ_DATA:
        return eval_data(q, s, b);
    case REQ_RST_FROM:
        return eval_rst_from(q, s, b, p);
    case REQ_CLOSER:
        return eval_closer(q, s, b, p);
    case REQ_CONN_STATE:
        return eval_conn_state(q, s, b);
    case REQ_IP_VERSION:
        return eval_ip_version(q, s, b);
    case REQ_TYPES:
        break;
    }
    return GRADE_REQ_NA;
}

bool grade_req_on_target(const struct session *s, const struct rubric *r)
{
    return to_server(s, &r->target_hosts, r->target_ports, r->n_target_ports);
}
