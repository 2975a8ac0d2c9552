/* grade.c — evaluating a rubric against a student's captures, and the integrity checks. */
#define _GNU_SOURCE
#include "grade.h"

#include <arpa/inet.h>
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
    char a[INET6_ADDRSTRLEN];
    const struct session_side *side = &s->side[role];
    if (s->ip_version == 6) {
        inet_ntop(AF_INET6, side->addr, a, sizeof a);
        snprintf(buf, len, "[%s]:%u", a, side->port);
    } else {
        inet_ntop(AF_INET, side->addr, a, sizeof a);
        snprintf(buf, len, "%s:%u", a, side->port);
    }
}

/* Plain words for each class and anomaly, for students. */
static const char *handshake_words(enum handshake_class c)
{
    static const char *const w[HANDSHAKE_CLASSES] = {
        [HANDSHAKE_NORMAL] = "a complete three-way handshake",
        [HANDSHAKE_SIMULTANEOUS_OPEN] = "a simultaneous open",
        [HANDSHAKE_REFUSED] = "a refused connection",
        [HANDSHAKE_SYN_ONLY] = "a SYN that was never answered",
        [HANDSHAKE_NO_FINAL_ACK] = "a handshake without its final ACK",
        [HANDSHAKE_MISSING] = "no handshake",
    };
    return (unsigned)c < HANDSHAKE_CLASSES ? w[c] : "an unknown handshake";
}

static const char *teardown_words(enum teardown_class c)
{
    static const char *const w[TEARDOWN_CLASSES] = {
        [TEARDOWN_FOUR_WAY] = "a four-way close",
        [TEARDOWN_MERGED_FIN] = "a three-packet close",
        [TEARDOWN_SIMULTANEOUS_CLOSE] = "a simultaneous close",
        [TEARDOWN_RST] = "a reset",
        [TEARDOWN_INCOMPLETE] = "a close without its last ACK",
        [TEARDOWN_HALF_CLOSED] = "a half-closed connection",
        [TEARDOWN_NONE] = "no close",
    };
    return (unsigned)c < TEARDOWN_CLASSES ? w[c] : "an unknown close";
}

static const char *anomaly_words(enum anomaly a)
{
    static const char *const w[ANOMALIES] = {
        [ANOMALY_SYN_RETRANSMITTED] = "a SYN was sent again",
        [ANOMALY_SYNACK_RETRANSMITTED] = "a SYN/ACK was sent again",
        [ANOMALY_FIN_RETRANSMITTED] = "a FIN was sent again",
        [ANOMALY_RETRANSMISSION] = "data was sent again",
        [ANOMALY_OUT_OF_ORDER] = "a segment came out of order",
        [ANOMALY_BAD_ACK] = "an acknowledgement number is wrong",
        [ANOMALY_RST_AFTER_FIN] = "a RST came after a FIN",
        [ANOMALY_DATA_ON_SYN] = "a SYN carried data",
        [ANOMALY_ZERO_WINDOW] = "a side advertised a zero window",
        [ANOMALY_ISN_ZERO] = "an initial sequence number of 0",
        [ANOMALY_FINAL_ACK_NOT_CAPTURED] = "the last ACK is missing",
        [ANOMALY_ROLES_INFERRED] = "no SYN showed which side was the client",
        [ANOMALY_TRUNCATED] = "the snap length cut a segment",
        [ANOMALY_BAD_CHECKSUM] = "a segment had a wrong checksum",
        [ANOMALY_RST_DURING_HANDSHAKE] = "a RST before the handshake completed",
        [ANOMALY_SYN_NOT_CAPTURED] = "the SYN was not captured",
        [ANOMALY_MALFORMED_OPTIONS] = "malformed TCP options",
        [ANOMALY_DATA_AFTER_FIN] = "data sent after a FIN",
    };
    return (unsigned)a < ANOMALIES ? w[a] : "an unknown anomaly";
}

/* "a complete three-way handshake (normal) or a refused connection (refused)" */
static void expected_classes(struct sb *b, uint32_t set, unsigned count, bool handshake)
{
    unsigned shown = 0, total = (unsigned)__builtin_popcount(set);
    for (unsigned i = 0; i < count; i++) {
        if (!(set >> i & 1u))
            continue;
        const char *words = handshake ? handshake_words((enum handshake_class)i) : teardown_words((enum teardown_class)i);
        const char *name = handshake ? handshake_class_name((enum handshake_class)i) : teardown_class_name((enum teardown_class)i);
        sb_add(b, "%s%s (%s)", shown == 0 ? "" : shown + 1 == total ? " or " : ", ", words, name);
        shown++;
    }
}

static void name_list(struct sb *b, uint32_t set, unsigned count, const char *(*name)(unsigned), const char *last_sep)
{
    unsigned shown = 0, total = (unsigned)__builtin_popcount(set);
    for (unsigned i = 0; i < count; i++)
        if (set >> i & 1u) {
            sb_add(b, "%s%s", shown == 0 ? "" : shown + 1 == total ? last_sep : ", ", name(i));
            shown++;
        }
}

static const char *an_name(unsigned i) { return anomaly_name((enum anomaly)i); }
static const char *cs_name(unsigned i) { return rubric_conn_state_name(i); }

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

/* "a complete three-way handshake (SYN in packet 1, SYN/ACK in packet 2, ACK in packet 3)" */
static void describe_handshake(struct sb *b, const struct session *s)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    unsigned long long cs = (unsigned long long)c->syn_packet, vs = (unsigned long long)v->syn_packet;
    sb_add(b, "%s (", handshake_words(s->handshake));
    switch (s->handshake) {
    case HANDSHAKE_NORMAL:
        if (c->syns)
            sb_add(b, "SYN in packet %llu, SYN/ACK in packet %llu, ACK in packet %llu", cs, vs,
                   (unsigned long long)c->ack_of_syn_packet);
        else
            sb_add(b, "SYN/ACK in packet %llu and ACK in packet %llu, but the SYN itself was not captured",
                   vs, (unsigned long long)c->ack_of_syn_packet);
        break;
    case HANDSHAKE_SIMULTANEOUS_OPEN:
        sb_add(b, "both sides sent a SYN, in packets %llu and %llu, and each acknowledged the other's",
               cs < vs ? cs : vs, cs < vs ? vs : cs);
        break;
    case HANDSHAKE_REFUSED:
        sb_add(b, "the SYN in packet %llu was answered by a RST in packet %llu", cs, (unsigned long long)s->rst_packet);
        break;
    case HANDSHAKE_SYN_ONLY:
        sb_add(b, "%u SYN%s, the first in packet %llu, and no answer from the server", c->syns,
               c->syns == 1 ? "" : "s", cs);
        break;
    case HANDSHAKE_NO_FINAL_ACK:
        if (c->syns)
            sb_add(b, "SYN in packet %llu, SYN/ACK in packet %llu, then no ACK from the client", cs, vs);
        else
            sb_add(b, "SYN/ACK in packet %llu, then no ACK from the client; the SYN was not captured", vs);
        break;
    case HANDSHAKE_MISSING:
    default:
        sb_add(b, "the capture began after the connection was opened, at packet %llu",
               (unsigned long long)s->first_packet);
        break;
    }
    sb_add(b, ")");
}

static void describe_teardown(struct sb *b, const struct session *s)
{
    int a = s->active_closer >= 0 ? s->active_closer : ROLE_CLIENT;
    const struct session_side *A = &s->side[a], *B = &s->side[!a];
    const char *an = role_name(a), *bn = role_name(!a);
    unsigned long long af = (unsigned long long)A->fin_packet, bf = (unsigned long long)B->fin_packet;
    sb_add(b, "%s (", teardown_words(s->teardown));
    switch (s->teardown) {
    case TEARDOWN_FOUR_WAY:
        sb_add(b, "the %s's FIN in packet %llu, the %s's ACK in packet %llu, the %s's FIN in packet %llu, "
               "the %s's ACK in packet %llu", an, af, bn, (unsigned long long)B->ack_of_fin_packet, bn, bf,
               an, (unsigned long long)A->ack_of_fin_packet);
        break;
    case TEARDOWN_MERGED_FIN:
        sb_add(b, "the %s's FIN in packet %llu, the %s's FIN+ACK in packet %llu, the %s's ACK in packet %llu",
               an, af, bn, bf, an, (unsigned long long)A->ack_of_fin_packet);
        break;
    case TEARDOWN_SIMULTANEOUS_CLOSE:
        sb_add(b, "the two FINs crossed, in packets %llu and %llu, then each side acknowledged the other's", af, bf);
        break;
    case TEARDOWN_RST:
        sb_add(b, "the %s sent a RST in packet %llu%s", role_name(s->rst_sender),
               (unsigned long long)s->rst_packet, s->rst_after_fin ? " after a FIN" : " instead of closing with FIN");
        break;
    case TEARDOWN_INCOMPLETE:
        sb_add(b, "both sides sent a FIN, in packets %llu and %llu, but the last ACK was not captured", af, bf);
        break;
    case TEARDOWN_HALF_CLOSED:
        sb_add(b, "only the %s sent a FIN, in packet %llu", an, af);
        break;
    case TEARDOWN_NONE:
    default:
        if (s->handshake == HANDSHAKE_REFUSED || s->handshake == HANDSHAKE_SYN_ONLY ||
            s->handshake == HANDSHAKE_NO_FINAL_ACK)
            sb_add(b, "the connection never opened");
        else
            sb_add(b, "neither side sent a FIN or a RST before the capture ended");
        break;
    }
    sb_add(b, ")");
}

static enum outcome eval_handshake_arithmetic(const struct session *s, struct sb *b, struct packets *p)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    handshake_packets(s, p);
    if (!v->synacks && !(s->handshake == HANDSHAKE_SIMULTANEOUS_OPEN)) {
        sb_add(b, "there is no SYN/ACK, so the handshake's numbers cannot be checked (%s)",
               handshake_class_name(s->handshake));
        return OUT_FAIL;
    }
    if (!c->isn_known || !c->syns) {
        sb_add(b, "the client's SYN is not in the capture, so its sequence number x cannot be checked");
        return OUT_FAIL;
    }
    if (!c->acked_syn) {
        sb_add(b, "the client never acknowledged the SYN/ACK (packet %llu), so the third segment is missing",
               (unsigned long long)v->syn_packet);
        return OUT_FAIL;
    }
    uint32_t x = c->isn, y = v->isn;
    bool ok_synack = v->syn_ack == x + 1, ok_ack = c->ack_of_syn == y + 1;
    const struct timeline_event *third = s->handshake == HANDSHAKE_NORMAL ? find_event(s, c->ack_of_syn_packet) : NULL;
    bool ok_seq = !third || third->seq == x + 1;
    unsigned long long p1 = (unsigned long long)c->syn_packet, p2 = (unsigned long long)v->syn_packet,
                       p3 = (unsigned long long)c->ack_of_syn_packet;
    if (s->handshake == HANDSHAKE_SIMULTANEOUS_OPEN) {
        /* The server's first SYN carried no ACK: its SYN/ACK came later. */
        for (uint32_t i = 0; i < s->n_events; i++)
            if (s->events[i].dir == DIR_S2C && (s->events[i].flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
                p2 = (unsigned long long)s->events[i].packet;
                break;
            }
    }
    if (ok_synack && ok_ack && ok_seq) {
        sb_add(b, "the numbers are right: the SYN (packet %llu) has seq x = %" PRIu32 "; the SYN/ACK "
               "(packet %llu) has seq y = %" PRIu32 " and ack %" PRIu32 " = x + 1; ", p1, x, p2, y, x + 1);
        if (third)
            sb_add(b, "the ACK (packet %llu) has seq %" PRIu32 " = x + 1 and ack %" PRIu32 " = y + 1", p3, x + 1, y + 1);
        else
            sb_add(b, "the client's acknowledgement (packet %llu) has ack %" PRIu32 " = y + 1", p3, y + 1);
        return OUT_PASS;
    }
    const char *sep = "";
    if (!ok_synack) {
        sb_add(b, "the SYN/ACK (packet %llu) acknowledges %" PRIu32 ", but it should be x + 1 = %" PRIu32
               " (x = %" PRIu32 " is the sequence number of the client's SYN, packet %llu)",
               p2, v->syn_ack, x + 1, x, p1);
        sep = "; ";
    }
    if (!ok_seq) {
        sb_add(b, "%sthe ACK (packet %llu) has seq %" PRIu32 ", but it should be x + 1 = %" PRIu32,
               sep, p3, third->seq, x + 1);
        sep = "; ";
    }
    if (!ok_ack)
        sb_add(b, "%sthe ACK (packet %llu) acknowledges %" PRIu32 ", but it should be y + 1 = %" PRIu32
               " (y = %" PRIu32 " is the sequence number of the SYN/ACK, packet %llu)",
               sep, p3, c->ack_of_syn, y + 1, y, p2);
    return OUT_FAIL;
}

static enum outcome eval_fin_arithmetic(const struct session *s, struct sb *b, struct packets *p)
{
    teardown_packets(s, p);
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    if (!c->fin_seen && !v->fin_seen) {
        sb_add(b, "there is no FIN, so the close's numbers cannot be checked (%s)", teardown_class_name(s->teardown));
        return OUT_FAIL;
    }
    int a = s->active_closer >= 0 ? s->active_closer : ROLE_CLIENT;
    bool ok = true;
    const char *sep = "";
    struct sb good = {0};
    for (int k = 0; k < 2; k++) {
        int role = k ? !a : a;
        const struct session_side *me = &s->side[role], *peer = &s->side[!role];
        const char *who = role_name(role);
        if (!me->fin_seen) {
            sb_add(b, "%sthe %s never sent a FIN, so the close is not complete", sep, who);
            ok = false;
            sep = "; ";
            continue;
        }
        unsigned long long fp = (unsigned long long)me->fin_packet, ap = (unsigned long long)peer->ack_of_fin_packet;
        if (!peer->acked_fin) {
            sb_add(b, "%sthe %s's FIN (packet %llu) was never acknowledged in the capture", sep, who, fp);
            ok = false;
            sep = "; ";
            continue;
        }
        const struct timeline_event *fin = find_event(s, me->fin_packet);
        char how[96];
        if (fin && fin->len)
            snprintf(how, sizeof how, "seq %" PRIu32 " + %" PRIu32 " data bytes + 1", fin->seq, fin->len);
        else
            snprintf(how, sizeof how, "the FIN's seq %" PRIu32 " + 1", me->fin_seq);
        if (peer->ack_of_fin == me->fin_seq + 1) {
            sb_add(&good, "%sthe %s's FIN (packet %llu) is acknowledged with %" PRIu32 " = %s (packet %llu)",
                   good.len ? "; " : "", who, fp, peer->ack_of_fin, how, ap);
        } else {
            sb_add(b, "%sthe %s's FIN (packet %llu) is acknowledged with %" PRIu32 " (packet %llu), but it "
                   "should be %s = %" PRIu32, sep, who, fp, peer->ack_of_fin, ap, how, me->fin_seq + 1);
            ok = false;
            sep = "; ";
        }
    }
    if (ok)
        sb_add(b, "the numbers are right: %s", good.buf ? good.buf : "");
    free(good.buf);
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

static void describe_server_wanted(struct sb *b, const struct rubric_hosts *hosts, const uint16_t *ports, size_t n_ports)
{
    if (hosts->n) {
        sb_add(b, "host ");
        for (size_t i = 0; i < hosts->n; i++)
            sb_add(b, "%s%s", i == 0 ? "" : i + 1 == hosts->n ? " or " : ", ", hosts->items[i].spec);
    }
    if (n_ports) {
        sb_add(b, "%sport ", hosts->n ? ", " : "");
        for (size_t i = 0; i < n_ports; i++)
            sb_add(b, "%s%u", i == 0 ? "" : i + 1 == n_ports ? " or " : ", ", ports[i]);
    }
}

static enum outcome eval_server(const struct session *s, const struct rubric_hosts *hosts,
                                const uint16_t *ports, size_t n_ports, struct sb *b)
{
    char server[64];
    endpoint_string(s, ROLE_SERVER, server, sizeof server);
    if (to_server(s, hosts, ports, n_ports)) {
        sb_add(b, "it goes to %s, the expected server (", server);
        describe_server_wanted(b, hosts, ports, n_ports);
        sb_add(b, ")");
        return OUT_PASS;
    }
    sb_add(b, "it goes to %s, not to the expected server (", server);
    describe_server_wanted(b, hosts, ports, n_ports);
    sb_add(b, ")");
    return OUT_FAIL;
}

static uint64_t rst_packet_of(const struct session *s, int role)
{
    if (s->rst_seen && s->rst_sender == role)
        return s->rst_packet;
    const struct timeline_event *e = first_event_with(s, role == ROLE_CLIENT ? DIR_C2S : DIR_S2C, TCP_RST);
    return e ? e->packet : 0;
}

static enum outcome eval_req(const struct rubric_req *q, const struct rubric *r, const struct session *s,
                             struct sb *b, struct packets *p)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    switch (q->type) {
    case REQ_HANDSHAKE: {
        handshake_packets(s, p);
        bool ok = q->set >> s->handshake & 1u;
        sb_add(b, "it opens with ");
        describe_handshake(b, s);
        if (!ok) {
            sb_add(b, ", but the check asks for ");
            expected_classes(b, q->set, HANDSHAKE_CLASSES, true);
        }
        return ok ? OUT_PASS : OUT_FAIL;
    }
    case REQ_TEARDOWN: {
        teardown_packets(s, p);
        bool ok = q->set >> s->teardown & 1u;
        sb_add(b, "it ends with ");
        describe_teardown(b, s);
        if (!ok) {
            sb_add(b, ", but the check asks for ");
            expected_classes(b, q->set, TEARDOWN_CLASSES, false);
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
            sb_add(b, "it shows ");
            unsigned shown = 0;
            for (unsigned i = 0; i < ANOMALIES; i++)
                if (present >> i & 1u)
                    sb_add(b, "%s%s (%s)", shown++ ? " and " : "", anomaly_words((enum anomaly)i), anomaly_name((enum anomaly)i));
            if (!want)
                sb_add(b, ", which the check does not allow");
        } else {
            sb_add(b, "it shows none of: ");
            name_list(b, q->set, ANOMALIES, an_name, ", ");
        }
        return (present != 0) == want ? OUT_PASS : OUT_FAIL;
    }
    case REQ_DATA: {
        unsigned long long cb = (unsigned long long)c->payload_bytes, vb = (unsigned long long)v->payload_bytes;
        uint64_t m = q->min_bytes;
        bool ok = q->side == RUBRIC_CLIENT ? cb >= m : q->side == RUBRIC_SERVER ? vb >= m
                : q->side == RUBRIC_BOTH ? cb >= m && vb >= m : cb >= m || vb >= m;
        sb_add(b, "the client sent %llu byte%s of data and the server %llu", cb, cb == 1 ? "" : "s", vb);
        if (!ok) {
            static const char *const from[] = {"from the client", "from the server", "from each side", "from one side"};
            sb_add(b, ", but the check asks for at least %llu byte%s %s", (unsigned long long)m, m == 1 ? "" : "s",
                   from[q->side]);
        }
        return ok ? OUT_PASS : OUT_FAIL;
    }
    case REQ_RST_FROM: {
        for (int role = ROLE_CLIENT; role <= ROLE_SERVER; role++) {
            if (!s->side[role].rsts || (q->side != RUBRIC_EITHER && (int)q->side != role))
                continue;
            uint64_t pk = rst_packet_of(s, role);
            add_packet(p, pk);
            sb_add(b, "the %s sent a RST", role_name(role));
            if (pk)
                sb_add(b, " (packet %llu)", (unsigned long long)pk);
            return OUT_PASS;
        }
        if (q->side == RUBRIC_EITHER)
            sb_add(b, "neither side sent a RST");
        else if (s->side[!q->side].rsts)
            sb_add(b, "only the %s sent a RST, not the %s", role_name(!q->side), role_name(q->side));
        else
            sb_add(b, "the %s sent no RST", role_name(q->side));
        return OUT_FAIL;
    }
    case REQ_CLOSER: {
        teardown_packets(s, p);
        if (s->active_closer < 0) {
            sb_add(b, "neither side sent a FIN");
            return OUT_FAIL;
        }
        sb_add(b, "the %s sent the first FIN (packet %llu)", role_name(s->active_closer),
               (unsigned long long)s->side[s->active_closer].fin_packet);
        if (s->active_closer != (int)q->side) {
            sb_add(b, ", but the check asks for the %s to close first", role_name(q->side));
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
        sb_add(b, "Zeek's conn_state for it is %s", state);
        if (!ok) {
            sb_add(b, ", but the check asks for ");
            name_list(b, q->set, 32, cs_name, " or ");
        }
        return ok ? OUT_PASS : OUT_FAIL;
    }
    case REQ_IP_VERSION: {
        bool ok = q->set >> s->ip_version & 1u;
        sb_add(b, "it runs over IPv%d", s->ip_version);
        if (!ok)
            sb_add(b, ", but the check asks for IPv%d", (q->set >> 4 & 1u) ? 4 : 6);
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

static void format_packets(struct sb *b, const uint64_t *v, size_t n)
{
    if (n == 0)
        sb_add(b, "(none)");
    for (size_t i = 0; i < n; i++)
        sb_add(b, "%s%llu", i ? ", " : "", (unsigned long long)v[i]);
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* Fills the check's sentence: the rubric's pass or fail text with its placeholders. */
static char *fill_sentence(const char *tmpl, const struct grade_student *st, const struct grade_result *res,
                           const struct rubric *r, const struct rubric_check *chk, const char *handshake,
                           const char *teardown)
{
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
        if (strcmp(key, "session") == 0) {
            if (sess)
                sb_add(&b, "%llu", (unsigned long long)res->session_id);
            else
                sb_add(&b, "(none)");
        } else if (strcmp(key, "capture") == 0) {
            sb_add(&b, "%s", sess ? st->captures[res->capture].file_name : "(none)");
        } else if (strcmp(key, "client") == 0) {
            sb_add(&b, "%s", sess ? res->client : "(none)");
        } else if (strcmp(key, "server") == 0) {
            sb_add(&b, "%s", sess ? res->server : "(none)");
        } else if (strcmp(key, "handshake") == 0) {
            sb_add(&b, "%s", sess ? handshake : "(none)");
        } else if (strcmp(key, "teardown") == 0) {
            sb_add(&b, "%s", sess ? teardown : "(none)");
        } else if (strcmp(key, "packets") == 0) {
            format_packets(&b, res->packets, res->n_packets);
        } else if (strcmp(key, "reason") == 0) {
            sb_add(&b, "%s", res->reason ? res->reason : "");
        } else if (strcmp(key, "points") == 0) {
            sb_add(&b, "%s", rubric_points_string(res->points, pts));
        } else if (strcmp(key, "max") == 0) {
            sb_add(&b, "%s", rubric_points_string(chk->points, pts));
        } else if (strcmp(key, "target") == 0) {
            if (rubric_has_target(r))
                describe_server_wanted(&b, &r->target_hosts, r->target_ports, r->n_target_ports);
            else
                sb_add(&b, "(none)");
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
    if (!check_applicable(chk, r)) {
        res->status = GRADE_NA;
        res->reason = strdup("This check does not apply: the rubric names no target host or port.");
        res->feedback = strdup("");
        return res->reason && res->feedback ? 0 : -1;
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

    struct sb why = {0};
    const char *hs = NULL, *td = NULL;
    if (!best.any) {
        res->status = GRADE_FAIL;
        sb_add(&why, "%s", st->error ? st->error : "Your capture holds no TCP session.");
    } else {
        const struct session *s = capture_session(reports[best.capture], best.index);
        res->has_session = true;
        res->capture = best.capture;
        res->session_index = best.index;
        res->session_id = s->id;
        endpoint_string(s, ROLE_CLIENT, res->client, sizeof res->client);
        endpoint_string(s, ROLE_SERVER, res->server, sizeof res->server);
        hs = handshake_class_name(s->handshake);
        td = teardown_class_name(s->teardown);
        res->status = best.score == applicable ? GRADE_PASS : GRADE_FAIL;
        char where[160] = "";
        if (st->n_captures > 1)
            snprintf(where, sizeof where, " in %s", st->captures[best.capture].file_name);
        if (res->status == GRADE_FAIL && n_sessions > 1)
            sb_add(&why, "None of your %zu sessions meets this check. The closest is session %llu (%s → %s%s): ",
                   n_sessions, (unsigned long long)s->id, res->client, res->server, where);
        else
            sb_add(&why, "Session %llu (%s → %s%s): ", (unsigned long long)s->id, res->client, res->server, where);
        struct packets pk = {{0}, 0};
        const char *sep = "";
        for (size_t q = 0; q < chk->n_reqs; q++) {
            struct sb part = {0};
            struct packets qp = {{0}, 0};
            enum outcome o = eval_req(&chk->reqs[q], r, s, &part, &qp);
            if (o == OUT_NA || (res->status == GRADE_FAIL && o == OUT_PASS)) {
                free(part.buf);
                continue;
            }
            for (size_t k = 0; k < qp.n; k++)
                add_packet(&pk, qp.v[k]);
            sb_add(&why, "%s%s", sep, part.buf ? part.buf : "");
            if (part.oom)
                why.oom = true;
            free(part.buf);
            sep = "; ";
        }
        sb_add(&why, ".");
        qsort(pk.v, pk.n, sizeof pk.v[0], cmp_u64);
        memcpy(res->packets, pk.v, sizeof pk.v);
        res->n_packets = pk.n;
    }
    res->points = res->status == GRADE_PASS ? chk->points : 0;
    if (!(res->reason = sb_take(&why)))
        return -1;
    res->feedback = fill_sentence(res->status == GRADE_PASS ? chk->pass : chk->fail, st, res, r, chk,
                                  hs ? hs : "", td ? td : "");
    return res->feedback ? 0 : -1;
}

int grade_student_evaluate(struct grade_student *st, const struct rubric *r,
                           const struct capture_report *const *reports, char *err, size_t errlen)
{
    for (size_t i = 0; i < st->n_results; i++) {
        free(st->results[i].reason);
        free(st->results[i].feedback);
    }
    free(st->results);
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
    struct sb e = {0};
    if (st->n_captures == 0) {
        sb_add(&e, "Nothing was handed in.");
    } else if (analysed == 0) {
        for (size_t c = 0; c < st->n_captures; c++)
            sb_add(&e, "%s%s could not be read: %s.", c ? " " : "", st->captures[c].file_name,
                   st->captures[c].error ? st->captures[c].error : "unknown error");
    } else if (sessions == 0) {
        if (packets == 0)
            sb_add(&e, "The capture holds no packets at all, so there is no TCP to grade.");
        else
            sb_add(&e, "The capture has no TCP at all: %llu packet%s, none of them a TCP segment "
                   "(capture while the TCP connection is made, e.g. with wget).",
                   (unsigned long long)packets, packets == 1 ? "" : "s");
    }
    if (e.len || e.oom) {
        if (!(st->error = sb_take(&e)))
            goto oom;
    }

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
    for (size_t i = 0; i < st->n_results; i++) {
        free(st->results[i].reason);
        free(st->results[i].feedback);
    }
    free(st->results);
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
