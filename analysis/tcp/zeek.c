/* zeek.c — one segment through Zeek's TCP analysis, rule for rule as Zeek's source has it
 * (zeek/zeek, src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc: Process, init_endpoint,
 * update_history, update_window, init_peer, update_ack_seq, update_last_seq,
 * UpdateStateMachine and the Update*State handlers, ConnectionClosed; and
 * src/analyzer/protocol/tcp/TCP_Endpoint.cc: SetState, Size, CheckHistory, DidRxmit,
 * ZeroWindow), and conn_state as scripts/base/protocols/conn/main.zeek computes it.
 *
 * pcap2report reports what Zeek would report, so this follows Zeek, not RFC 9293. Zeek is
 * matched as run with -C (checksums ignored): no segment is dropped and no 'C' is written.
 * Not reproduced: content gaps ('G', which need Zeek's reassembler) and the weirds. */
#include "zeek.h"

#include <string.h>

enum { SEC = 1000000000 };
#define TCP_ATTEMPT_DELAY (5LL * SEC)       /* init-bare.zeek tcp_attempt_delay */
#define TCP_CLOSE_DELAY (5LL * SEC)         /* tcp_close_delay */
#define TCP_RESET_DELAY (5LL * SEC)         /* tcp_reset_delay */
enum { TOO_LARGE_SEQ_DELTA = 1048576 };     /* TCPSessionAdapter.cc */

/* History masks (TCP_Endpoint.h); the responder's are shifted left by 16. */
enum {
    HIST_SYN_PKT = 0x1, HIST_FIN_PKT = 0x2, HIST_RST_PKT = 0x4, HIST_FIN_RST_PKT = 0x8,
    HIST_DATA_PKT = 0x10, HIST_ACK_PKT = 0x20, HIST_MULTI_FLAG_PKT = 0x40,
};

/* ---- history (TCP_Endpoint::CheckHistory, Session::CheckHistory, ScaledHistoryEntry) -------- */

void zeek_history_add(struct zeek_tracker *z, int e, char letter)
{
    if (z->hist_len >= SESSION_HISTORY_MAX || !z->history)
        return;
    z->history[z->hist_len++] = e == ZEEK_ORIG ? letter : (char)(letter - 'A' + 'a');
    z->history[z->hist_len] = '\0';
}

/* Writes the letter the first time; returns whether it had been seen already. */
static bool check_history(struct zeek_tracker *z, int e, uint32_t mask, char letter)
{
    mask <<= e == ZEEK_ORIG ? 0 : 16;
    if (z->hist_seen & mask)
        return true;
    z->hist_seen |= mask;
    zeek_history_add(z, e, letter);
    return false;
}

/* C, T and W: written at the 1st, 10th, 100th ... occurrence (base 10). */
static void scaled_history(struct zeek_tracker *z, int e, uint32_t *count, uint8_t *log10_next, char letter)
{
    uint64_t threshold = 1;
    for (uint8_t i = 0; i < *log10_next; i++)
        threshold *= 10;
    if (++*count == threshold) {
        zeek_history_add(z, e, letter);
        if (*log10_next < 9)
            (*log10_next)++;
        else
            *count = 0;
    }
}

/* update_history: one letter for the segment's flags; S, H, F and R again only when the
 * relative sequence number differs from the last one of their kind. S and H share a mask. */
static void update_history(struct zeek_tracker *z, int e, uint16_t flags, uint32_t rel_seq, uint32_t len)
{
    struct zeek_endpoint *ep = &z->ep[e];
    bool syn = flags & TCP_SYN, fin = flags & TCP_FIN, rst = flags & TCP_RST;
    int bits = syn + fin + rst;
    if (bits > 1) {
        if (fin && rst)
            check_history(z, e, HIST_FIN_RST_PKT, 'I');
        else
            check_history(z, e, HIST_MULTI_FLAG_PKT, 'Q');
    } else if (syn) {
        char code = flags & TCP_ACK ? 'H' : 'S';
        if (check_history(z, e, HIST_SYN_PKT, code) && rel_seq != ep->hist_last_syn)
            zeek_history_add(z, e, code);
        ep->hist_last_syn = rel_seq;
    } else if (fin) {
        if (check_history(z, e, HIST_FIN_PKT, 'F') && rel_seq + len != ep->hist_last_fin)
            zeek_history_add(z, e, 'F');
        ep->hist_last_fin = rel_seq + len;
    } else if (rst) {
        if (check_history(z, e, HIST_RST_PKT, 'R') && rel_seq != ep->hist_last_rst)
            zeek_history_add(z, e, 'R');
        ep->hist_last_rst = rel_seq;
    } else if (len) {
        check_history(z, e, HIST_DATA_PKT, 'D');
    } else if (flags & TCP_ACK) {
        check_history(z, e, HIST_ACK_PKT, 'A');
    }
}

/* ---- sequence bookkeeping --------------------------------------------------------------------- */

static void init_seq(struct zeek_endpoint *ep, uint32_t start, uint32_t last)
{
    ep->start_seq = ep->ack_seq = start;
    ep->last_seq = last;
}

/* init_endpoint: where an endpoint's sequence space starts. */
static void init_endpoint(struct zeek_endpoint *ep, uint16_t flags, uint32_t seq, uint32_t last)
{
    bool syn = flags & TCP_SYN;
    switch (ep->state) {
    case ZEEK_INACTIVE:
        /* Without a SYN, numbered as though one came just before (a partial connection). */
        init_seq(ep, syn ? seq : seq - 1, syn ? last : seq);
        break;
    case ZEEK_SYN_SENT: case ZEEK_SYN_ACK_SENT:
        if (syn && seq != ep->start_seq) /* weird SYN_seq_jump */
            init_seq(ep, seq, last);
        break;
    case ZEEK_ESTABLISHED: case ZEEK_PARTIAL:
        if (syn) /* "this SYN will be the one that actually sets it up" */
            init_seq(ep, seq, last);
        break;
    case ZEEK_RESET:
        if (syn && ep->prev_state == ZEEK_INACTIVE)
            init_seq(ep, seq, last);
        break;
    default:
        break;
    }
}

/* update_last_seq: returns the delta; a payload that does not advance it is a retransmission. */
static int32_t update_last_seq(struct zeek_tracker *z, int e, uint32_t last, uint16_t flags, uint32_t len)
{
    struct zeek_endpoint *ep = &z->ep[e];
    int32_t delta = (int32_t)(last - ep->last_seq);
    if ((flags & (TCP_SYN | TCP_RST)) && (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA))
        ; /* not trusted */
    else if ((flags & TCP_FIN) && ep->last_seq == ep->start_seq + 1)
        ep->last_seq = last; /* > 2 GB connections seen only by their SYN and FIN */
    else if (ep->state == ZEEK_RESET)
        ; /* nothing after a RST is trusted */
    else if (delta > 0)
        ep->last_seq = last;
    else if (len > 0)
        scaled_history(z, e, &ep->rxmt_cnt, &ep->rxmt_log, 'T'); /* DidRxmit */
    return delta;
}

static void update_ack_seq(struct zeek_endpoint *ep, uint32_t ack)
{
    int32_t delta = (int32_t)(ack - ep->ack_seq);
    if (ack == 0 && delta > TOO_LARGE_SEQ_DELTA)
        return; /* a broken ack, more likely than a wrap onto 0 */
    if (delta > 0)
        ep->ack_seq = ack;
}

uint64_t zeek_endpoint_size(const struct zeek_endpoint *ep, const struct zeek_endpoint *peer)
{
    bool no_data_acked = ep->ack_seq == ep->start_seq || ep->ack_seq == ep->start_seq + 1;
    if (ep->prev_state == ZEEK_SYN_SENT && ep->state == ZEEK_RESET && peer->state == ZEEK_INACTIVE &&
        !no_data_acked)
        return 0; /* a half-open connection discovered and aborted */
    uint32_t by_last = ep->last_seq - ep->start_seq, by_ack = ep->ack_seq - ep->start_seq;
    uint64_t size = by_last > by_ack ? by_last : by_ack;
    if (size)
        size--; /* the SYN */
    if (ep->fin_seen && size)
        size--; /* the FIN */
    return size;
}

/* ---- the endpoint machine --------------------------------------------------------------------- */

static bool is_handshake(int state)
{
    return state == ZEEK_INACTIVE || state == ZEEK_SYN_SENT || state == ZEEK_SYN_ACK_SENT;
}

/* What one segment did to the connection (UpdateStateMachine's do_close, gen_event). */
struct step {
    struct zeek_tracker *z;
    int e;              /* the sender's endpoint (it moves when roles flip) */
    uint16_t flags;
    uint32_t len;
    int64_t t;
    bool do_close, gen_event;
};

/* TCP_Endpoint::SetState: leaving the handshake switches to tcp_inactivity_timeout. */
static void set_state(const struct step *st, int e, int state)
{
    struct zeek_tracker *z = st->z;
    struct zeek_endpoint *ep = &z->ep[e];
    if (ep->state == state)
        return;
    if (!is_handshake(state) && is_handshake(ep->state) && is_handshake(z->ep[!e].state))
        z->tcp_timeout = true;
    ep->prev_state = ep->state;
    ep->state = (uint8_t)state;
}

/* Connection::FlipRoles: the endpoints trade places and '^' is written. */
static void flip_roles(struct step *st)
{
    struct zeek_tracker *z = st->z;
    struct zeek_endpoint tmp = z->ep[0];
    z->ep[0] = z->ep[1];
    z->ep[1] = tmp;
    z->orig_dir = (uint8_t)!z->orig_dir;
    st->e = !st->e;
    if (z->hist_len < SESSION_HISTORY_MAX && z->history) {
        z->history[z->hist_len++] = '^';
        z->history[z->hist_len] = '\0';
    }
}

static void inactive_syn(struct step *st, uint32_t seq)
{
    struct zeek_tracker *z = st->z;
    int e = st->e;
    if (e == ZEEK_ORIG) {
        set_state(st, e, st->flags & TCP_ACK ? ZEEK_SYN_ACK_SENT : ZEEK_SYN_SENT);
        z->attempt_at = st->t + TCP_ATTEMPT_DELAY;
        return;
    }
    if (!(st->flags & TCP_ACK) && z->ep[!e].state == ZEEK_SYN_ACK_SENT && seq == z->ep[e].start_seq) {
        /* A SYN/SYN-ACK reversal: flip, and the SYN-ACK's sender is established. */
        flip_roles(st);
        e = st->e;
        set_state(st, !e, ZEEK_ESTABLISHED);
    }
    if (z->ep[!e].state == ZEEK_SYN_SENT)
        set_state(st, !e, ZEEK_ESTABLISHED);
    set_state(st, e, ZEEK_ESTABLISHED);
}

/* UpdateInactiveState: the sender's first segment. The flags act one after the other. */
static void update_inactive(struct step *st, uint32_t seq)
{
    struct zeek_tracker *z = st->z;
    if (st->flags & TCP_SYN)
        inactive_syn(st, seq);
    int e = st->e, peer = z->ep[!e].state;
    if (st->flags & TCP_FIN) {
        set_state(st, e, ZEEK_CLOSED);
        st->do_close = st->gen_event = true;
    }
    if (st->flags & TCP_RST) {
        /* A reject: the originator resets a SYN-ACK it never asked for (reverse scan), or the
         * responder resets the originator's SYN. */
        bool reject = e == ZEEK_ORIG ? peer == ZEEK_ESTABLISHED
                                     : peer == ZEEK_SYN_SENT || peer == ZEEK_SYN_ACK_SENT;
        set_state(st, e, ZEEK_RESET);
        st->do_close = true;
        st->gen_event = !reject;
    }
    if (z->ep[e].state != ZEEK_INACTIVE)
        return;
    if (e == ZEEK_RESP && st->len == 0 && z->ep[ZEEK_ORIG].state == ZEEK_SYN_SENT)
        ; /* some stacks ACK a SYN before their SYN-ACK: not a partial connection */
    else if ((st->flags & TCP_ACK) && peer == ZEEK_ESTABLISHED)
        set_state(st, e, ZEEK_ESTABLISHED); /* the originator's SYN was missed */
    else
        set_state(st, e, ZEEK_PARTIAL);
}

static void update_syn_sent(struct step *st)
{
    if (st->flags & TCP_FIN) {
        set_state(st, st->e, ZEEK_CLOSED);
        st->do_close = st->gen_event = true;
    }
    if (st->flags & TCP_RST) {
        set_state(st, st->e, ZEEK_RESET);
        st->z->is_active = false; /* ConnectionReset */
        st->do_close = true;
    }
}

static void update_established(struct step *st)
{
    struct zeek_tracker *z = st->z;
    int e = st->e;
    struct zeek_endpoint *peer = &z->ep[!e];
    if ((st->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && z->ep[e].state == ZEEK_PARTIAL &&
        peer->state == ZEEK_INACTIVE)
        set_state(st, e, ZEEK_SYN_SENT); /* SYN_after_partial */
    if ((st->flags & TCP_FIN) && !(st->flags & TCP_RST)) {
        set_state(st, e, ZEEK_CLOSED);
        if (peer->state == ZEEK_RESET && peer->prev_state == ZEEK_CLOSED)
            set_state(st, !e, ZEEK_CLOSED); /* FIN then RST was a normal termination */
        st->do_close = st->gen_event = true;
    }
    if (st->flags & TCP_RST) {
        bool peer_reset_from_established = peer->state == ZEEK_RESET && peer->prev_state == ZEEK_ESTABLISHED;
        set_state(st, e, ZEEK_RESET);
        st->do_close = true;
        if (!peer_reset_from_established)
            z->is_active = false; /* ConnectionReset */
    }
}

static void update_closed(struct step *st)
{
    struct zeek_tracker *z = st->z;
    if ((st->flags & TCP_RST) && z->ep[!st->e].state != ZEEK_CLOSED) {
        set_state(st, st->e, ZEEK_RESET);
        if (!z->ep[st->e].did_close)
            st->do_close = true;
        /* ResetTimer; base scripts handle connection_reset (netcontrol), so it is armed. */
        z->reset_at = st->t + TCP_RESET_DELAY;
    }
}

/* ConnectionClosed: a complete close (a RST, or both sides closed, or a silent peer) removes
 * the connection tcp_close_delay after its last activity. */
static void connection_closed(struct step *st)
{
    struct zeek_tracker *z = st->z;
    struct zeek_endpoint *ep = &z->ep[st->e], *peer = &z->ep[!st->e];
    if (ep->did_close)
        return;
    ep->did_close = true;
    if (!(ep->state == ZEEK_RESET || peer->did_close || peer->state == ZEEK_INACTIVE))
        return;
    if ((ep->prev_state != ZEEK_INACTIVE || peer->state != ZEEK_INACTIVE) && st->gen_event)
        z->is_active = false; /* ConnectionFinished */
    z->attempt_at = z->reset_at = 0; /* CancelTimers */
    z->delete_at = z->last_time + TCP_CLOSE_DELAY;
}

static void update_state_machine(struct step *st, uint32_t seq)
{
    switch (st->z->ep[st->e].state) {
    case ZEEK_INACTIVE: update_inactive(st, seq); break;
    case ZEEK_SYN_SENT: case ZEEK_SYN_ACK_SENT: update_syn_sent(st); break;
    case ZEEK_ESTABLISHED: case ZEEK_PARTIAL: update_established(st); break;
    case ZEEK_CLOSED: update_closed(st); break;
    default: break; /* RESET: only weirds */
    }
}

/* ---- TCPSessionAdapter::Process -------------------------------------------------------------- */

void zeek_process(struct zeek_tracker *z, int dir, const struct decoded_packet *p, int64_t ts)
{
    struct step st = {z, dir == z->orig_dir ? ZEEK_ORIG : ZEEK_RESP, p->flags, p->payload_len, ts, false, false};
    uint16_t flags = p->flags;
    uint32_t len = p->payload_len;
    uint32_t seg_len = len + !!(flags & TCP_SYN) + !!(flags & TCP_FIN) - ((flags & TCP_RST) ? len : 0);
    uint32_t last = p->seq + seg_len;

    struct zeek_endpoint *ep = &z->ep[st.e], *peer = &z->ep[!st.e];
    init_endpoint(ep, flags, p->seq, last);
    uint32_t rel_seq = p->seq - ep->start_seq; /* compared only for equality: mod 2^32 will do */
    update_history(z, st.e, flags, rel_seq, len);
    /* update_window: a zero window, unless with or after a RST or after the peer's FIN. */
    if (p->window == 0 && !(flags & TCP_RST) && peer->state != ZEEK_CLOSED && ep->state != ZEEK_RESET)
        scaled_history(z, st.e, &ep->win0_cnt, &ep->win0_log, 'W');
    if (!z->ep[0].did_close || !z->ep[1].did_close)
        z->last_time = ts;
    if (flags & TCP_FIN)
        ep->fin_seen = true;
    if (flags & TCP_ACK) {
        if (peer->state == ZEEK_INACTIVE)
            init_seq(peer, p->ack - 1, p->ack - 1); /* init_peer */
        else if (!(flags & TCP_RST)) /* acks in RSTs are not trusted */
            update_ack_seq(peer, p->ack);
    }
    update_last_seq(z, st.e, last, flags, len);
    update_state_machine(&st, p->seq);
    if (st.do_close)
        connection_closed(&st);
}

/* ---- conn_state (scripts/base/protocols/conn/main.zeek, conn_state()) ------------------------ */

/* The RSTOS0 history, /^\^?S[^HAFGIQ]*R.*$/ (zeek PR #1166). */
static bool rstos0_history(const char *h)
{
    if (*h == '^')
        h++;
    if (*h != 'S')
        return false;
    size_t n = strcspn(h + 1, "HAFGIQ");
    return memchr(h + 1, 'R', n) != NULL;
}

const char *zeek_conn_state_of(int os, int rs, uint64_t orig_size, uint64_t resp_size, const char *history)
{
    bool o_inactive = os == ZEEK_INACTIVE || os == ZEEK_PARTIAL;
    bool r_inactive = rs == ZEEK_INACTIVE || rs == ZEEK_PARTIAL;

    if (rs == ZEEK_RESET) {
        if (os == ZEEK_SYN_SENT || os == ZEEK_SYN_ACK_SENT ||
            (os == ZEEK_RESET && orig_size == 0 && resp_size == 0))
            return "REJ";
        return o_inactive ? "RSTRH" : "RSTR";
    }
    if (os == ZEEK_RESET) {
        if (!r_inactive)
            return "RSTO";
        return rstos0_history(history) ? "RSTOS0" : "OTH";
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
