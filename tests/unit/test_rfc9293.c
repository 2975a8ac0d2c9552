/* test_rfc9293.c — the RFC 9293 machine (analysis/tcp/rfc9293.c), one row per transition of
 * RFC 9293's figure 5 as a third party sees it, plus simultaneous open and close, the RST, a
 * capture started mid-stream, and the segments that move nobody.
 *
 * A row is: the states of client and server, one segment (who sent it, its flags, what its
 * ack field covers), and the states after it; for the two crossings, also the revision the
 * machine reports of the sender's earlier states. */
#include <criterion/criterion.h>
#include <string.h>

#include "rfc9293.h"

enum { C2S = DIR_C2S, S2C = DIR_S2C };

/* Flags. */
#define SYN TCP_SYN
#define SYNACK (TCP_SYN | TCP_ACK)
#define ACK TCP_ACK
#define FIN (TCP_FIN | TCP_ACK)
#define RST TCP_RST
#define RSTACK (TCP_RST | TCP_ACK)

/* What the segment's ack field covers, and what its sender acknowledged before. */
enum { ACKS_SYN = 1, ACKS_FIN = 2, ACKED_SYN = 4 };

/* Short names of the states. */
enum {
    UNKNOWN = TCP_STATE_UNKNOWN, CLOSED = TCP_CLOSED, LISTEN = TCP_LISTEN, SYN_SENT = TCP_SYN_SENT,
    SYN_RCVD = TCP_SYN_RECEIVED, ESTAB = TCP_ESTABLISHED, FIN_WAIT_1 = TCP_FIN_WAIT_1,
    FIN_WAIT_2 = TCP_FIN_WAIT_2, CLOSE_WAIT = TCP_CLOSE_WAIT, CLOSING = TCP_CLOSING,
    LAST_ACK = TCP_LAST_ACK, TIME_WAIT = TCP_TIME_WAIT,
};

struct row {
    const char *what;           /* the transition, in the figure's words */
    uint8_t client, server;     /* before */
    int dir;                    /* who sent the segment */
    uint16_t flags;
    unsigned acks;              /* ACKS_* */
    uint8_t client_after, server_after;
    bool revised;               /* the sender's earlier states are revised ... */
    uint8_t was, really;        /* ... from was to really */
    /* A side's prev_state is its state before the segment when the segment moved it. When it
     * moved through another state on the way, client_via or server_via names the state it
     * left last, its prev_state (0: it did not). */
    uint8_t client_via, server_via;
};

/* The first eight fields of a row, by name, so that a row sets the others only when it needs
 * them. */
#define ROW(what_, client_, server_, dir_, flags_, acks_, client_after_, server_after_)              \
    .what = what_, .client = client_, .server = server_, .dir = dir_, .flags = flags_, .acks = acks_, \
    .client_after = client_after_, .server_after = server_after_

static const struct row rows[] = {
    /* Opening. */
    {ROW("CLOSED: active OPEN / snd SYN -> SYN-SENT; the peer, CLOSED: passive OPEN -> LISTEN",
         CLOSED, CLOSED, C2S, SYN, 0, SYN_SENT, LISTEN)},
    {ROW("LISTEN: rcv SYN / snd SYN,ACK -> SYN-RECEIVED; SYN-SENT: rcv SYN,ACK -> ESTABLISHED",
         SYN_SENT, LISTEN, S2C, SYNACK, ACKS_SYN, ESTAB, SYN_RCVD)},
    {ROW("SYN-SENT: a SYN,ACK not acknowledging its SYN leaves it in SYN-SENT",
         SYN_SENT, LISTEN, S2C, SYNACK, 0, SYN_SENT, SYN_RCVD)},
    {ROW("SYN-SENT: snd ACK of the peer's SYN -> ESTABLISHED (the SYN,ACK was not seen)",
         SYN_SENT, SYN_RCVD, C2S, ACK, ACKS_SYN | ACKED_SYN, ESTAB, ESTAB)},
    {ROW("SYN-RECEIVED: rcv ACK of SYN -> ESTABLISHED",
         ESTAB, SYN_RCVD, C2S, ACK, ACKS_SYN | ACKED_SYN, ESTAB, ESTAB)},
    {ROW("SYN-RECEIVED: a segment not acknowledging its SYN leaves it there",
         ESTAB, SYN_RCVD, C2S, ACK, 0, ESTAB, SYN_RCVD)},
    {ROW("LISTEN: SEND / snd SYN -> SYN-SENT (the peer, CLOSED, then LISTENs)",
         CLOSED, LISTEN, S2C, SYN, 0, LISTEN, SYN_SENT)},
    {ROW("SYN-RECEIVED: CLOSE / snd FIN -> FIN-WAIT-1; the peer: rcv FIN -> CLOSE-WAIT",
         ESTAB, SYN_RCVD, S2C, FIN, 0, CLOSE_WAIT, FIN_WAIT_1)},

    /* Simultaneous open: both send SYN, each answers with SYN,ACK. */
    {ROW("simultaneous open: SYN-SENT: rcv SYN -> SYN-RECEIVED; the sender was never LISTENing",
         SYN_SENT, LISTEN, S2C, SYN, 0, SYN_RCVD, SYN_SENT),
     .revised = true, .was = LISTEN, .really = CLOSED, .server_via = CLOSED},
    {ROW("simultaneous open: SYN-SENT: snd SYN,ACK -> SYN-RECEIVED; SYN-RECEIVED: rcv SYN,ACK -> ESTABLISHED",
         SYN_SENT, SYN_RCVD, C2S, SYNACK, ACKS_SYN | ACKED_SYN, SYN_RCVD, ESTAB)},
    {ROW("simultaneous open: SYN-RECEIVED: rcv SYN,ACK of its SYN -> ESTABLISHED",
         SYN_RCVD, SYN_RCVD, S2C, SYNACK, ACKS_SYN | ACKED_SYN, ESTAB, SYN_RCVD)},
    {ROW("simultaneous open: SYN-RECEIVED: snd ACK -> ESTABLISHED",
         SYN_RCVD, ESTAB, C2S, ACK, ACKED_SYN, ESTAB, ESTAB)},

    /* Data moves nobody. */
    {ROW("ESTABLISHED: data both ways moves nobody",
         ESTAB, ESTAB, C2S, ACK, ACKED_SYN, ESTAB, ESTAB)},
    {ROW("ESTABLISHED: data with an ACK of SYN moves nobody",
         ESTAB, ESTAB, S2C, ACK, ACKS_SYN | ACKED_SYN, ESTAB, ESTAB)},

    /* Closing. */
    {ROW("ESTABLISHED: CLOSE / snd FIN -> FIN-WAIT-1; the peer: rcv FIN / snd ACK -> CLOSE-WAIT",
         ESTAB, ESTAB, C2S, FIN, ACKED_SYN, FIN_WAIT_1, CLOSE_WAIT)},
    {ROW("FIN-WAIT-1: rcv ACK of FIN -> FIN-WAIT-2",
         FIN_WAIT_1, CLOSE_WAIT, S2C, ACK, ACKS_FIN | ACKED_SYN, FIN_WAIT_2, CLOSE_WAIT)},
    {ROW("FIN-WAIT-1: a retransmitted FIN stays in FIN-WAIT-1",
         FIN_WAIT_1, CLOSE_WAIT, C2S, FIN, ACKED_SYN, FIN_WAIT_1, CLOSE_WAIT)},
    {ROW("CLOSE-WAIT: CLOSE / snd FIN -> LAST-ACK; FIN-WAIT-2: rcv FIN / snd ACK -> TIME-WAIT",
         FIN_WAIT_2, CLOSE_WAIT, S2C, FIN, ACKS_FIN | ACKED_SYN, TIME_WAIT, LAST_ACK)},
    {ROW("FIN-WAIT-1: rcv FIN acknowledging its FIN -> FIN-WAIT-2 -> TIME-WAIT (merged FIN)",
         FIN_WAIT_1, CLOSE_WAIT, S2C, FIN, ACKS_FIN | ACKED_SYN, TIME_WAIT, LAST_ACK),
     .client_via = FIN_WAIT_2},
    {ROW("LAST-ACK: rcv ACK of FIN -> CLOSED",
         TIME_WAIT, LAST_ACK, C2S, ACK, ACKS_FIN | ACKED_SYN, TIME_WAIT, CLOSED)},
    {ROW("TIME-WAIT: nothing on the wire moves it (its 2 MSL timeout does not show)",
         TIME_WAIT, CLOSED, C2S, ACK, ACKS_FIN | ACKED_SYN, TIME_WAIT, CLOSED)},

    /* Simultaneous close: the FINs cross. */
    {ROW("simultaneous close: FIN-WAIT-1: rcv FIN -> CLOSING; the sender was ESTABLISHED, not CLOSE-WAIT",
         FIN_WAIT_1, CLOSE_WAIT, S2C, FIN, ACKED_SYN, CLOSING, CLOSING),
     .revised = true, .was = CLOSE_WAIT, .really = ESTAB, .server_via = FIN_WAIT_1},
    {ROW("simultaneous close: CLOSING: rcv ACK of FIN -> TIME-WAIT",
         CLOSING, CLOSING, S2C, ACK, ACKS_FIN | ACKED_SYN, TIME_WAIT, CLOSING)},

    /* RST, in any state. */
    {ROW("RST answering a SYN: both CLOSED",
         SYN_SENT, LISTEN, S2C, RSTACK, ACKS_SYN, CLOSED, CLOSED)},
    {ROW("SYN-RECEIVED: rcv RST -> CLOSED (the figure's LISTEN is not visible)",
         SYN_SENT, SYN_RCVD, C2S, RST, 0, CLOSED, CLOSED)},
    {ROW("ESTABLISHED: RST -> both CLOSED",
         ESTAB, ESTAB, S2C, RST, 0, CLOSED, CLOSED)},

    /* A capture that starts in the middle of a connection. */
    {ROW("mid-stream: a data segment -> both ESTABLISHED",
         UNKNOWN, UNKNOWN, C2S, ACK, 0, ESTAB, ESTAB)},
    {ROW("mid-stream: a FIN -> FIN-WAIT-1 and CLOSE-WAIT",
         UNKNOWN, UNKNOWN, S2C, FIN, 0, CLOSE_WAIT, FIN_WAIT_1),
     .client_via = ESTAB, .server_via = ESTAB},
    {ROW("mid-stream: a SYN,ACK -> SYN-RECEIVED; the peer stays unknown",
         UNKNOWN, UNKNOWN, S2C, SYNACK, 0, UNKNOWN, SYN_RCVD)},
    {ROW("mid-stream: a SYN -> SYN-SENT and LISTEN",
         UNKNOWN, UNKNOWN, C2S, SYN, 0, SYN_SENT, LISTEN)},

    /* Retransmissions. */
    {ROW("SYN-SENT: a retransmitted SYN moves nobody",
         SYN_SENT, LISTEN, C2S, SYN, 0, SYN_SENT, LISTEN)},
};

static void run_row(const struct row *r)
{
    struct session s;
    memset(&s, 0, sizeof s);
    s.side[ROLE_CLIENT].state = r->client;
    s.side[ROLE_SERVER].state = r->server;
    for (int k = 0; k < 2; k++) {
        s.side[k].prev_state = TCP_STATE_UNKNOWN;
        s.side[k].syn_packet = 10 + (uint64_t)k; /* where each side's SYN and FIN were */
        s.side[k].fin_packet = 20 + (uint64_t)k;
    }
    struct rfc9293_segment seg = {r->flags, r->acks & ACKS_SYN, r->acks & ACKS_FIN, r->acks & ACKED_SYN};
    struct rfc9293_revision rev;
    memset(&rev, 0xff, sizeof rev);
    rfc9293_step(&s, r->dir, &seg, &rev);

    cr_expect_eq(s.side[ROLE_CLIENT].state, r->client_after, "%s: client %s, expected %s", r->what,
                 tcp_state_name(s.side[ROLE_CLIENT].state), tcp_state_name(r->client_after));
    cr_expect_eq(s.side[ROLE_SERVER].state, r->server_after, "%s: server %s, expected %s", r->what,
                 tcp_state_name(s.side[ROLE_SERVER].state), tcp_state_name(r->server_after));
    cr_expect_eq(rev.due, r->revised, "%s: revision %d", r->what, rev.due);
    uint8_t before[2] = {r->client, r->server}, via[2] = {r->client_via, r->server_via};
    for (int k = 0; k < 2; k++) {
        uint8_t want = via[k] ? via[k] : s.side[k].state == before[k] ? TCP_STATE_UNKNOWN : before[k];
        cr_expect_eq(s.side[k].prev_state, want, "%s: side %d prev_state %s", r->what, k,
                     tcp_state_name(s.side[k].prev_state));
    }
    if (!r->revised || !rev.due)
        return;
    /* The sender's states since the receiver's SYN (open) or FIN (close) are revised. */
    cr_expect_eq(rev.role, r->dir, "%s", r->what);
    cr_expect_eq(rev.was, r->was, "%s: was %s", r->what, tcp_state_name(rev.was));
    cr_expect_eq(rev.really, r->really, "%s: really %s", r->what, tcp_state_name(rev.really));
    cr_expect_eq(rev.since, r->flags & TCP_SYN ? 10u + (unsigned)!r->dir : 20u + (unsigned)!r->dir, "%s", r->what);
}

Test(rfc9293, every_transition_of_the_table)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        run_row(&rows[i]);
}

/* Every state a side can be in must stay a valid state whatever segment comes. */
Test(rfc9293, any_segment_in_any_state_gives_a_state)
{
    for (int a = 0; a < TCP_STATES; a++)
        for (int b = 0; b < TCP_STATES; b++)
            for (unsigned f = 0; f < 64; f++) {
                struct session s;
                memset(&s, 0, sizeof s);
                s.side[0].state = (uint8_t)a;
                s.side[1].state = (uint8_t)b;
                uint16_t flags = (uint16_t)((f & 1 ? TCP_SYN : 0) | (f & 2 ? TCP_ACK : 0) |
                                            (f & 4 ? TCP_FIN : 0) | (f & 8 ? TCP_RST : 0));
                struct rfc9293_segment seg = {flags, f & 16, f & 32, f & 16};
                struct rfc9293_revision rev;
                rfc9293_step(&s, (int)(f & 1), &seg, &rev);
                cr_assert_lt(s.side[0].state, TCP_STATES);
                cr_assert_lt(s.side[1].state, TCP_STATES);
                if (flags & TCP_RST)
                    cr_assert(s.side[0].state == TCP_CLOSED && s.side[1].state == TCP_CLOSED);
            }
}
