/* rfc9293.c — the RFC 9293 state of each side of a connection, as a third party watching its
 * segments can infer it (rfc9293.h).
 *
 * RFC 9293's state diagram (its figure 5) labels each transition with what the side receives
 * or sends: "rcv SYN / snd SYN,ACK". Someone watching the wire sees both halves of every
 * segment, so each segment is a few events for the side that sent it ("snd ...") and a few for
 * the side it reached ("rcv ..."), taken as delivered when seen. A side moves on each event as
 * the diagram says; the events of a segment come in the order RFC 9293 (3.10.7.4) reads one:
 * its SYN, then its ACK, then its FIN. Here is the diagram transition by transition, with how
 * each shows on the wire:
 *
 *   CLOSED        passive OPEN              -> LISTEN         when the SYN arrives
 *   CLOSED        active OPEN / snd SYN     -> SYN-SENT
 *   LISTEN        rcv SYN / snd SYN,ACK     -> SYN-RECEIVED   when the SYN,ACK leaves
 *   LISTEN        SEND / snd SYN            -> SYN-SENT
 *   LISTEN        CLOSE                     -> CLOSED         not on the wire
 *   SYN-SENT      rcv SYN / snd SYN,ACK     -> SYN-RECEIVED   simultaneous open: when either shows
 *   SYN-SENT      rcv SYN,ACK / snd ACK     -> ESTABLISHED    when either shows
 *   SYN-SENT      CLOSE                     -> CLOSED         not on the wire
 *   SYN-RECEIVED  rcv ACK of SYN            -> ESTABLISHED    or when it sends an ACK of the SYN
 *   SYN-RECEIVED  CLOSE / snd FIN           -> FIN-WAIT-1
 *   SYN-RECEIVED  rcv RST                   -> LISTEN         taken as CLOSED, as any RST
 *   ESTABLISHED   CLOSE / snd FIN           -> FIN-WAIT-1
 *   ESTABLISHED   rcv FIN / snd ACK         -> CLOSE-WAIT     when the FIN arrives
 *   FIN-WAIT-1    rcv ACK of FIN            -> FIN-WAIT-2
 *   FIN-WAIT-1    rcv FIN / snd ACK         -> CLOSING        simultaneous close
 *   FIN-WAIT-2    rcv FIN / snd ACK         -> TIME-WAIT      when the FIN arrives
 *   CLOSE-WAIT    CLOSE / snd FIN           -> LAST-ACK
 *   CLOSING       rcv ACK of FIN            -> TIME-WAIT
 *   LAST-ACK      rcv ACK of FIN            -> CLOSED
 *   TIME-WAIT     timeout = 2 MSL           -> CLOSED         not on the wire
 *
 * Beyond the diagram: a RST closes both sides in any state; a side whose first segment comes
 * in the middle of a connection (state UNKNOWN: the capture started late) is taken as
 * ESTABLISHED; and a FIN from a side not yet closing moves it to FIN-WAIT-1 whatever its state.
 *
 * Two inferences can prove wrong later, both when segments cross on the wire: a side that got
 * a SYN looked LISTENing until its own SYN shows it was opening too (simultaneous open), and a
 * side that got a FIN looked in CLOSE-WAIT until its own FIN, not acknowledging that one,
 * shows it had closed first (simultaneous close). The handler then reports a revision, "this
 * side was really in state A since packet N", which the timeline applies to its events. */
#include "rfc9293.h"

/* What a side sends or receives, in the diagram's words. */
enum event {
    SND_SYN,        /* it sent a SYN without ACK */
    SND_SYN_ACK,    /* it sent a SYN,ACK */
    SND_ACK,        /* it sent an ACK (no SYN), having acknowledged the peer's SYN */
    SND_OTHER,      /* it sent any other segment without SYN */
    SND_FIN,        /* its segment carried a FIN (after the above) */
    RCV_SYN,        /* it got a SYN without ACK */
    RCV_SYN_ACK,    /* it got a SYN,ACK acknowledging its SYN */
    RCV_ACK_OF_SYN, /* it got a segment without SYN acknowledging its SYN */
    RCV_OTHER,      /* it got any other segment without SYN */
    RCV_ACK_OF_FIN, /* the segment acknowledged its FIN (after the above) */
    RCV_FIN,        /* the segment carried a FIN (last) */
};

/* One segment going through the machine. */
struct step {
    struct session *s;
    int sender;                        /* its role: DIR_C2S is ROLE_CLIENT */
    const struct rfc9293_segment *seg;
    uint8_t receiver_was;              /* the receiver's state before the segment */
    struct rfc9293_revision *rev;
};

static void enter(struct session_side *me, enum tcp_state state)
{
    if (me->state != state) {
        me->prev_state = me->state;
        me->state = (uint8_t)state;
    }
}

/* The sender was really in state `really` where the events since packet `since` show `was`. */
static void revise(struct step *st, enum tcp_state was, enum tcp_state really, uint64_t since)
{
    *st->rev = (struct rfc9293_revision){true, (uint8_t)st->sender, (uint8_t)was, (uint8_t)really, since};
}

static const struct session_side *receiver(const struct step *st) { return &st->s->side[!st->sender]; }

/* ---- one handler per state, in the order of the diagram ----------------------------------- */

static void in_closed(struct session_side *me, enum event ev)
{
    switch (ev) {
    case SND_SYN: enter(me, TCP_SYN_SENT); break;         /* active OPEN */
    case RCV_SYN: enter(me, TCP_LISTEN); break;           /* it was listening: passive OPEN */
    case SND_SYN_ACK: enter(me, TCP_SYN_RECEIVED); break; /* the SYN it answers was not seen */
    case SND_FIN: enter(me, TCP_FIN_WAIT_1); break;       /* it had not closed after all */
    default: break;
    }
}

static void in_listen(struct step *st, struct session_side *me, enum event ev)
{
    switch (ev) {
    case SND_SYN_ACK: enter(me, TCP_SYN_RECEIVED); break; /* rcv SYN / snd SYN,ACK */
    case SND_SYN:                                          /* SEND / snd SYN */
        if (st->receiver_was == TCP_SYN_SENT) {
            /* Crossing SYNs: it was never listening; it was CLOSED when the peer's SYN came,
             * and opened actively itself (simultaneous open). */
            revise(st, TCP_LISTEN, TCP_CLOSED, receiver(st)->syn_packet);
            enter(me, TCP_CLOSED);
        }
        enter(me, TCP_SYN_SENT);
        break;
    case SND_FIN: enter(me, TCP_FIN_WAIT_1); break;
    case RCV_ACK_OF_SYN: enter(me, TCP_ESTABLISHED); break; /* its SYN,ACK was not captured */
    default: break;
    }
}

static void in_syn_sent(struct session_side *me, enum event ev)
{
    switch (ev) {
    case RCV_SYN_ACK: enter(me, TCP_ESTABLISHED); break;  /* rcv SYN,ACK / snd ACK */
    case SND_ACK: enter(me, TCP_ESTABLISHED); break;      /* the same, seen by its ACK */
    case RCV_SYN: enter(me, TCP_SYN_RECEIVED); break;     /* simultaneous open: rcv SYN */
    case SND_SYN_ACK: enter(me, TCP_SYN_RECEIVED); break; /* ... / snd SYN,ACK */
    case SND_FIN: enter(me, TCP_FIN_WAIT_1); break;
    default: break; /* SND_SYN: a retransmitted SYN */
    }
}

static void in_syn_received(struct session_side *me, enum event ev)
{
    switch (ev) {
    case RCV_ACK_OF_SYN: case RCV_SYN_ACK: enter(me, TCP_ESTABLISHED); break; /* rcv ACK of SYN */
    case SND_ACK: enter(me, TCP_ESTABLISHED); break; /* the peer's SYN,ACK, acknowledged */
    case SND_FIN: enter(me, TCP_FIN_WAIT_1); break;  /* CLOSE / snd FIN */
    case RCV_FIN: enter(me, TCP_CLOSE_WAIT); break;  /* the ACK of its SYN was not seen */
    default: break;
    }
}

static void in_established(struct session_side *me, enum event ev)
{
    switch (ev) {
    case SND_FIN: enter(me, TCP_FIN_WAIT_1); break; /* CLOSE / snd FIN */
    case RCV_FIN: enter(me, TCP_CLOSE_WAIT); break; /* rcv FIN / snd ACK */
    default: break;
    }
}

static void in_fin_wait_1(struct session_side *me, enum event ev)
{
    switch (ev) {
    case RCV_ACK_OF_FIN: enter(me, TCP_FIN_WAIT_2); break;
    case RCV_FIN: enter(me, TCP_CLOSING); break; /* simultaneous close */
    default: break;                              /* SND_FIN: a retransmitted FIN */
    }
}

static void in_fin_wait_2(struct session_side *me, enum event ev)
{
    if (ev == RCV_FIN)
        enter(me, TCP_TIME_WAIT);
}

static void in_close_wait(struct step *st, struct session_side *me, enum event ev)
{
    if (ev != SND_FIN)
        return;
    if (st->seg->acks_fin) {
        enter(me, TCP_LAST_ACK); /* CLOSE / snd FIN */
        return;
    }
    /* Its FIN does not acknowledge the peer's: it left before the peer's FIN arrived. It was
     * still ESTABLISHED, sent its FIN (FIN-WAIT-1), then got the peer's (CLOSING). */
    revise(st, TCP_CLOSE_WAIT, TCP_ESTABLISHED, receiver(st)->fin_packet);
    enter(me, TCP_ESTABLISHED);
    enter(me, TCP_FIN_WAIT_1);
    enter(me, TCP_CLOSING);
}

static void in_closing(struct session_side *me, enum event ev)
{
    if (ev == RCV_ACK_OF_FIN)
        enter(me, TCP_TIME_WAIT);
}

static void in_last_ack(struct session_side *me, enum event ev)
{
    if (ev == RCV_ACK_OF_FIN)
        enter(me, TCP_CLOSED);
}

/* TIME-WAIT ends after 2 MSL, which does not show on the wire: nothing moves it. */

/* Not in the diagram: the side's first segment came in the middle of a connection. */
static void in_unknown(struct session_side *me, enum event ev)
{
    switch (ev) {
    case SND_SYN: enter(me, TCP_SYN_SENT); break;
    case SND_SYN_ACK: enter(me, TCP_SYN_RECEIVED); break;
    case RCV_SYN: enter(me, TCP_LISTEN); break;
    case SND_ACK: case SND_OTHER: case RCV_ACK_OF_SYN: case RCV_OTHER:
        enter(me, TCP_ESTABLISHED); /* the capture started mid-stream */
        break;
    case SND_FIN: enter(me, TCP_FIN_WAIT_1); break;
    case RCV_FIN: enter(me, TCP_CLOSE_WAIT); break;
    default: break;
    }
}

/* ---- the machine ---------------------------------------------------------------------------- */

static void on_event(struct step *st, struct session_side *me, enum event ev)
{
    switch (me->state) {
    case TCP_CLOSED: in_closed(me, ev); break;
    case TCP_LISTEN: in_listen(st, me, ev); break;
    case TCP_SYN_SENT: in_syn_sent(me, ev); break;
    case TCP_SYN_RECEIVED: in_syn_received(me, ev); break;
    case TCP_ESTABLISHED: in_established(me, ev); break;
    case TCP_FIN_WAIT_1: in_fin_wait_1(me, ev); break;
    case TCP_FIN_WAIT_2: in_fin_wait_2(me, ev); break;
    case TCP_CLOSE_WAIT: in_close_wait(st, me, ev); break;
    case TCP_CLOSING: in_closing(me, ev); break;
    case TCP_LAST_ACK: in_last_ack(me, ev); break;
    case TCP_TIME_WAIT: break;
    default: in_unknown(me, ev); break;
    }
}

/* The sender's events: how its segment opens, then its FIN. */
static void sender_events(struct step *st, struct session_side *me)
{
    uint16_t flags = st->seg->flags;
    if (flags & TCP_SYN)
        on_event(st, me, flags & TCP_ACK ? SND_SYN_ACK : SND_SYN);
    else
        on_event(st, me, (flags & TCP_ACK) && st->seg->sender_acked_syn ? SND_ACK : SND_OTHER);
    if (flags & TCP_FIN)
        on_event(st, me, SND_FIN);
}

/* The receiver's events: the SYN or what the segment acknowledges, then its FIN. A SYN,ACK
 * that does not acknowledge the receiver's SYN tells nothing about the receiver. */
static void receiver_events(struct step *st, struct session_side *me)
{
    uint16_t flags = st->seg->flags;
    if (!(flags & TCP_SYN))
        on_event(st, me, st->seg->acks_syn ? RCV_ACK_OF_SYN : RCV_OTHER);
    else if (!(flags & TCP_ACK))
        on_event(st, me, RCV_SYN);
    else if (st->seg->acks_syn)
        on_event(st, me, RCV_SYN_ACK);
    if (st->seg->acks_fin)
        on_event(st, me, RCV_ACK_OF_FIN);
    if (flags & TCP_FIN)
        on_event(st, me, RCV_FIN);
}

void rfc9293_step(struct session *s, int dir, const struct rfc9293_segment *seg,
                  struct rfc9293_revision *rev)
{
    struct session_side *snd = &s->side[dir], *rcv = &s->side[!dir];
    struct step st = {s, dir, seg, rcv->state, rev};
    rev->due = false;
    if (seg->flags & TCP_RST) { /* whatever the states: both sides close */
        enter(snd, TCP_CLOSED);
        enter(rcv, TCP_CLOSED);
        return;
    }
    sender_events(&st, snd);
    receiver_events(&st, rcv);
}

void rfc9293_update(struct session *s, int dir, const struct decoded_packet *p,
                    struct rfc9293_revision *rev)
{
    const struct session_side *snd = &s->side[dir], *rcv = &s->side[!dir];
    /* Most segments are data and ACKs between two ESTABLISHED sides, which only a SYN, a FIN
     * or a RST moves (in_established): they stop here, before any event is made of them. */
    if (!(p->flags & (TCP_SYN | TCP_FIN | TCP_RST)) && snd->state == TCP_ESTABLISHED &&
        rcv->state == TCP_ESTABLISHED) {
        rev->due = false;
        return;
    }
    bool ack = p->flags & TCP_ACK;
    /* A side that sent its SYN (or SYN,ACK) and now sends an ACK without SYN or RST got the
     * peer's SYN, though the capture did not show it (a one-sided capture): the ACK is taken as
     * acknowledging it. */
    bool unseen_syn = ack && !(p->flags & (TCP_SYN | TCP_RST)) && snd->isn_known && !rcv->isn_known;
    struct rfc9293_segment seg = {
        .flags = p->flags,
        .acks_syn = ack && (rcv->isn_known ? seq_geq(p->ack, rcv->isn + 1) : unseen_syn),
        .acks_fin = ack && rcv->fin_seen && seq_geq(p->ack, rcv->fin_seq + 1),
        .sender_acked_syn = snd->acked_syn || unseen_syn,
    };
    rfc9293_step(s, dir, &seg, rev);
}
