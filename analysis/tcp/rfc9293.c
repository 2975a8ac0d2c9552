/* rfc9293.c — the RFC 9293 states of both sides (rfc9293.h). */
#include "rfc9293.h"

static void revision(struct rfc9293_revision *rev, int role, uint64_t since, uint8_t was, uint8_t really)
{
    *rev = (struct rfc9293_revision){true, (uint8_t)role, was, really, since};
}

/* Each segment is taken as delivered when seen: the sender's state moves for what it sent,
 * the receiver's for what it got. Crossing segments are recognised by their ack fields. */
void rfc9293_step(struct session *s, int dir, const struct rfc9293_segment *seg,
                  struct rfc9293_revision *rev)
{
    struct session_side *snd = &s->side[dir], *rcv = &s->side[!dir];
    uint8_t *S = &snd->state, *R = &rcv->state;
    bool ack = seg->flags & TCP_ACK;
    bool acks_rcv_syn = seg->acks_syn;
    bool acks_rcv_fin = seg->acks_fin;

    rev->due = false;
    if (seg->flags & TCP_RST) {
        *S = TCP_CLOSED;
        *R = TCP_CLOSED;
        return;
    }
    if ((seg->flags & TCP_SYN) && !ack) {
        if (*S == TCP_LISTEN && *R == TCP_SYN_SENT) /* crossing SYNs: it was never listening */
            revision(rev, dir, rcv->syn_packet, TCP_LISTEN, TCP_CLOSED);
        if (*S == TCP_STATE_UNKNOWN || *S == TCP_CLOSED || *S == TCP_LISTEN)
            *S = TCP_SYN_SENT;
        if (*R == TCP_STATE_UNKNOWN || *R == TCP_CLOSED)
            *R = TCP_LISTEN;
        else if (*R == TCP_SYN_SENT)
            *R = TCP_SYN_RECEIVED; /* simultaneous open */
    } else if (seg->flags & TCP_SYN) {
        if (*S == TCP_STATE_UNKNOWN || *S == TCP_CLOSED || *S == TCP_LISTEN || *S == TCP_SYN_SENT)
            *S = TCP_SYN_RECEIVED;
        if (acks_rcv_syn && (*R == TCP_SYN_SENT || *R == TCP_SYN_RECEIVED))
            *R = TCP_ESTABLISHED;
    } else {
        if (*S == TCP_STATE_UNKNOWN)
            *S = TCP_ESTABLISHED; /* first segment of a capture started mid-stream */
        else if ((*S == TCP_SYN_SENT || *S == TCP_SYN_RECEIVED) && ack && seg->sender_acked_syn)
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
    if (!(seg->flags & TCP_FIN))
        return;
    switch (*S) {
    case TCP_CLOSE_WAIT:
        if (acks_rcv_fin) {
            *S = TCP_LAST_ACK;
        } else {
            /* Its FIN left before the peer's arrived: a simultaneous close. It was still
             * ESTABLISHED, sent FIN (FIN-WAIT-1) and then got the peer's FIN (CLOSING). */
            revision(rev, dir, rcv->fin_packet, TCP_CLOSE_WAIT, TCP_ESTABLISHED);
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

void rfc9293_update(struct session *s, int dir, const struct decoded_packet *p,
                    struct rfc9293_revision *rev)
{
    const struct session_side *snd = &s->side[dir], *rcv = &s->side[!dir];
    bool ack = p->flags & TCP_ACK;
    struct rfc9293_segment seg = {
        .flags = p->flags,
        .acks_syn = ack && rcv->isn_known && seq_geq(p->ack, rcv->isn + 1),
        .acks_fin = ack && rcv->fin_seen && seq_geq(p->ack, rcv->fin_seq + 1),
        .sender_acked_syn = snd->acked_syn,
    };
    rfc9293_step(s, dir, &seg, rev);
}
