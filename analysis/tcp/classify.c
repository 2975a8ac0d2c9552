/* classify.c — handshake and teardown classes, checks, anomalies and round-trip times; Zeek's
 * conn_state comes from zeek.c, filled as the session's segments were added.
 *
 * Rules follow shared/TAXONOMY.md in its order; where a capture shows something the taxonomy
 * does not cover, the closest class is chosen and an anomaly says what was odd. */
#include "classify.h"

static const struct session_side *client_of(const struct session *s) { return &s->side[ROLE_CLIENT]; }
static const struct session_side *server_of(const struct session *s) { return &s->side[ROLE_SERVER]; }

bool classify_one_sided(const struct session *s)
{
    const struct session_side *c = client_of(s), *v = server_of(s);
    if (c->packets && v->packets)
        return false;
    return (c->packets ? c->first_ack_packet : v->first_ack_packet) != 0;
}

/* A side that sent its SYN (or SYN/ACK) and after it a segment with ACK, without SYN or RST, had
 * finished its handshake: a stack sends such a segment only after the handshake's segment it
 * waits for (the SYN/ACK, or the final ACK) arrived. When that segment is not in the capture,
 * the ACK is the evidence that it existed (one-sided captures, lost capture packets). */
enum handshake_class classify_handshake(const struct session *s)
{
    const struct session_side *c = client_of(s), *v = server_of(s);
    if (c->syns && v->syns)
        return c->acked_syn && v->acked_syn ? HANDSHAKE_SIMULTANEOUS_OPEN : HANDSHAKE_NO_FINAL_ACK;
    if (v->synacks) { /* with or without the client's SYN in the capture */
        if (c->acked_syn || (!c->packets && v->first_ack_packet > v->syn_packet))
            return HANDSHAKE_NORMAL;
        return HANDSHAKE_NO_FINAL_ACK;
    }
    if (c->syns) {
        if (c->first_ack_packet > c->syn_packet)
            return HANDSHAKE_NORMAL; /* its SYN/ACK was not captured */
        if (v->rsts)
            return HANDSHAKE_REFUSED;
        return HANDSHAKE_SYN_ONLY;
    }
    return HANDSHAKE_MISSING;
}

static bool handshake_completed(enum handshake_class hs)
{
    return hs == HANDSHAKE_NORMAL || hs == HANDSHAKE_SIMULTANEOUS_OPEN || hs == HANDSHAKE_MISSING;
}

bool classify_handshake_aborted(const struct session *s)
{
    return s->rst_seen && !handshake_completed(s->handshake) && s->handshake != HANDSHAKE_REFUSED;
}

enum teardown_class classify_teardown(const struct session *s, enum handshake_class hs,
                                      int *active_closer)
{
    const struct session_side *c = client_of(s), *v = server_of(s);
    *active_closer = ROLE_NONE;
    if (!handshake_completed(hs)) /* a RST aborted the handshake, or nothing ended it */
        return s->rst_seen && hs != HANDSHAKE_REFUSED ? TEARDOWN_RST : TEARDOWN_NONE;

    int a = ROLE_NONE;
    if (c->fin_seen && (!v->fin_seen || c->fin_packet <= v->fin_packet))
        a = ROLE_CLIENT;
    else if (v->fin_seen)
        a = ROLE_SERVER;
    *active_closer = a;

    bool both_fins = c->fin_seen && v->fin_seen;
    bool fins_before_rst = both_fins && c->fin_packet < s->rst_packet && v->fin_packet < s->rst_packet;
    if (s->rst_seen && !fins_before_rst)
        return TEARDOWN_RST;
    if (both_fins) {
        const struct session_side *A = &s->side[a], *B = &s->side[!a];
        enum teardown_class cls;
        bool complete;
        if (B->acked_fin && B->ack_of_fin_packet < B->fin_packet) {
            cls = TEARDOWN_FOUR_WAY;
            complete = A->acked_fin;
        } else if (B->acked_fin && B->ack_of_fin_packet == B->fin_packet) {
            cls = TEARDOWN_MERGED_FIN;
            complete = A->acked_fin;
        } else {
            /* B's FIN did not acknowledge A's: it left before A's FIN arrived. */
            cls = TEARDOWN_SIMULTANEOUS_CLOSE;
            complete = A->acked_fin && B->acked_fin;
        }
        return complete ? cls : TEARDOWN_INCOMPLETE;
    }
    return a != ROLE_NONE ? TEARDOWN_HALF_CLOSED : TEARDOWN_NONE;
}

static void add_check(struct session_check *checks, unsigned *n, const char *name,
                      uint64_t packet, uint32_t expected, uint32_t actual)
{
    if (*n >= SESSION_MAX_CHECKS)
        return;
    checks[*n] = (struct session_check){name, packet, expected, actual, expected == actual};
    (*n)++;
}

unsigned classify_checks(const struct session *s, struct session_check *checks)
{
    const struct session_side *c = client_of(s), *v = server_of(s);
    unsigned n = 0;
    if (c->isn_known && v->synacks)
        add_check(checks, &n, "synack-ack", v->syn_packet, c->isn + 1, v->syn_ack);
    if (v->isn_known && c->acked_syn)
        add_check(checks, &n, "final-ack", c->ack_of_syn_packet, v->isn + 1, c->ack_of_syn);
    if (c->fin_seen && v->acked_fin)
        add_check(checks, &n, "client-fin-ack", v->ack_of_fin_packet, c->fin_seq + 1, v->ack_of_fin);
    if (v->fin_seen && c->acked_fin)
        add_check(checks, &n, "server-fin-ack", c->ack_of_fin_packet, v->fin_seq + 1, c->ack_of_fin);
    return n;
}

static void set_anomaly(struct session *s, enum anomaly a) { s->anomalies |= 1u << a; }

void classify_session(struct session *s)
{
    const struct session_side *c = client_of(s), *v = server_of(s);
    int closer;

    s->handshake = classify_handshake(s);
    s->teardown = classify_teardown(s, s->handshake, &closer);
    s->active_closer = (int8_t)closer;
    s->n_checks = classify_checks(s, s->checks);

    for (unsigned i = 0; i < s->n_checks; i++) {
        if (s->checks[i].pass)
            continue;
        set_anomaly(s, ANOMALY_BAD_ACK);
        for (uint32_t e = 0; e < s->n_events; e++)
            if (s->events[e].packet == s->checks[i].packet)
                s->events[e].marks |= MARK_BAD_ACK;
    }
    if (v->synacks && !c->syns)
        set_anomaly(s, ANOMALY_SYN_NOT_CAPTURED);
    /* A final ACK that a RST replaced was not lost: the handshake was aborted. */
    if ((s->handshake == HANDSHAKE_NO_FINAL_ACK && !s->rst_seen) || s->teardown == TEARDOWN_INCOMPLETE)
        set_anomaly(s, ANOMALY_FINAL_ACK_NOT_CAPTURED);
    if (classify_one_sided(s))
        set_anomaly(s, ANOMALY_ONE_SIDED);
    if (s->rst_seen && s->rst_after_fin)
        set_anomaly(s, ANOMALY_RST_AFTER_FIN);
    if (s->rst_seen && (s->handshake == HANDSHAKE_SYN_ONLY || s->handshake == HANDSHAKE_NO_FINAL_ACK))
        set_anomaly(s, ANOMALY_RST_DURING_HANDSHAKE);

    s->rtt_syn_synack = s->rtt_synack_ack = -1;
    if (c->isn_known && v->synacks && c->syns)
        s->rtt_syn_synack = v->syn_ts - c->syn_ts;
    if (v->synacks && c->acked_syn)
        s->rtt_synack_ack = c->ack_of_syn_ts - v->syn_ts;
}
