/* zeek.c — Zeek's TCP endpoint machine (TCP_Endpoint.h, TCP_Analyzer::UpdateStateMachine),
 * its history letters and conn_state (main.zeek), as shared/ZEEK-CONN-STATE.md describes
 * them. pcap2report reports what Zeek would report, so this follows Zeek, not RFC 9293. */
#include "zeek.h"

#include <string.h>

/* ---- history letters: uppercase for the originator (the client), lowercase for the responder */

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

static void history_once(struct session *s, struct zeek_tracker *z, int dir, uint8_t bit, char letter)
{
    if (!(z->seen & bit)) {
        z->seen |= bit;
        history_add(s, dir, letter);
    }
}

/* S, H, F and R are written again only when the sequence number differs from the last one. */
static void history_seq(struct session *s, struct zeek_tracker *z, int dir, uint8_t bit, uint32_t *last,
                        uint32_t seq, char letter)
{
    if (!(z->seen & bit) || *last != seq) {
        z->seen |= bit;
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

/* T (a data retransmission) and W (a zero window) come first, then the one letter the
 * segment's flags give. No 'C' for a bad checksum: Zeek is matched as run with -C
 * (checksums ignored). */
static void history_letters(struct session *s, struct zeek_tracker *z, int dir, const struct decoded_packet *p,
                            const struct segment_facts *f)
{
    const struct session_side *e = &s->side[dir];
    bool syn = p->flags & TCP_SYN, fin = p->flags & TCP_FIN, rst = p->flags & TCP_RST;
    bool ack = p->flags & TCP_ACK;

    if (f->ev.marks & MARK_RETRANSMISSION && !f->repeat)
        history_scaled(s, dir, e->retransmissions, &z->rexmit_log, 'T');
    if (f->ev.marks & MARK_ZERO_WINDOW)
        history_scaled(s, dir, e->zero_windows, &z->zwin_log, 'W');

    int bits = syn + fin + rst;
    if (bits > 1)
        history_once(s, z, dir, fin && rst ? ZSEEN_I : ZSEEN_Q, fin && rst ? 'I' : 'Q');
    else if (syn)
        history_seq(s, z, dir, ack ? ZSEEN_H : ZSEEN_S, &z->last_syn, p->seq, ack ? 'H' : 'S');
    else if (fin)
        history_seq(s, z, dir, ZSEEN_F, &z->last_fin, p->seq + p->payload_len, 'F');
    else if (rst)
        history_seq(s, z, dir, ZSEEN_R, &z->last_rst, p->seq, 'R');
    else if (p->payload_len)
        history_once(s, z, dir, ZSEEN_D, 'D');
    else if (ack)
        history_once(s, z, dir, ZSEEN_A, 'A');
}

/* ---- the endpoint machine: one switch on the sending endpoint's state ---------------------- */

static void zeek_set(struct session_side *e, uint8_t state)
{
    e->zeek_prev_state = e->zeek_state;
    e->zeek_state = state;
}

static void endpoint_update(struct session *s, int dir, const struct decoded_packet *p)
{
    struct session_side *e = &s->side[dir], *peer = &s->side[!dir];
    bool is_orig = dir == DIR_C2S;
    bool syn = p->flags & TCP_SYN, fin = p->flags & TCP_FIN, rst = p->flags & TCP_RST;
    bool ack = p->flags & TCP_ACK;

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

void zeek_update(struct session *s, struct zeek_tracker z[2], int dir, const struct decoded_packet *p,
                 const struct segment_facts *f)
{
    history_letters(s, &z[dir], dir, p, f);
    endpoint_update(s, dir, p);
}

/* ---- conn_state ------------------------------------------------------------------------------ */

const char *zeek_conn_state(const struct session *s)
{
    const struct session_side *o = &s->side[ROLE_CLIENT], *r = &s->side[ROLE_SERVER];
    int os = o->zeek_state, rs = r->zeek_state;
    bool o_inactive = os == ZEEK_INACTIVE || os == ZEEK_PARTIAL;
    bool r_inactive = rs == ZEEK_INACTIVE || rs == ZEEK_PARTIAL;

    if (rs == ZEEK_RESET) {
        if (os == ZEEK_SYN_SENT || os == ZEEK_SYN_ACK_SENT ||
            (os == ZEEK_RESET && o->payload_bytes == 0 && r->payload_bytes == 0))
            return "REJ";
        return o_inactive ? "RSTRH" : "RSTR";
    }
    if (os == ZEEK_RESET) {
        if (!r_inactive)
            return "RSTO";
        /* RSTOS0 needs a history matching ^\^?S[^HAFGIQ]*R (zeek PR #1166). */
        const char *h = s->zeek_history;
        if (*h == '^')
            h++;
        if (*h == 'S') {
            size_t n = strcspn(h + 1, "HAFGIQ");
            if (memchr(h + 1, 'R', n))
                return "RSTOS0";
        }
        return "OTH";
    }
    if (os == ZEEK_CLOSED && rs == ZEEK_CLOSED)
        return "SF";
    if (os == ZEEK_CLOSED)
        return r_inactive ? "SH" : "S2";
    if (rs == ZEEK_CLOSED)
        return o_inactive ? "SHR" : "S3";
    if (os == ZEEK_SYN_SENT && rs == ZEEK_INACTIVE)
        return "S0";
    if (os == ZEEK_ESTABLISHED && rs == ZEEK_ESTABLISHED)
        return "S1";
    return "OTH";
}
