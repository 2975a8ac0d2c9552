/* zeek_conn.c — where Zeek's conn.log records begin and end within a session (zeek.h).
 *
 * Zeek keeps one connection per 4-tuple and writes its conn.log record when the connection is
 * removed. Its timers are part of what a record is: they run on packet time before each packet
 * (run_state::detail::dispatch_packet advances the timer manager, then the packet is analysed),
 * so a later segment on the same 4-tuple opens a new record when a timer removed the old one:
 *
 *   attempt   tcp_attempt_delay (5 s) after the originator's SYN, if the responder has sent
 *             nothing (TCPSessionAdapter::AttemptTimer)
 *   close     tcp_close_delay (5 s) after the last activity once the close is complete: a RST,
 *             both sides closed, or a close with a silent peer (ConnectionClosed,
 *             ConnDeleteTimer -> Session::DeleteTimer)
 *   reset     tcp_reset_delay (5 s) after a RST from a side that had closed (UpdateClosedState,
 *             ResetTimer)
 *   idle      udp_inactivity_timeout (1 min) while both sides are in the handshake,
 *             tcp_inactivity_timeout (5 min, pcap2report's --idle-timeout) afterwards
 *             (TCPAnalyzer::MakeSessionAdapter,
 *             TCP_Endpoint::SetState, Session::InactivityTimer)
 *
 * A SYN also ends the open connection when TCPSessionAdapter::IsReuse says so (any SYN after
 * a side closed; an initial SYN whose sequence number is not the originator's). A new
 * connection's originator is the sender of its first segment, unless that segment is not a
 * pure SYN and its source port is a likely server port (TCPAnalyzer::WantConnection), or the
 * connection began with a SYN-ACK and an ACK or data follows (zeek PR #2191): Zeek then flips
 * the roles and writes '^'.
 *
 * The session's own conn_state and zeek_history are those of the record that holds its first
 * segment; any further record goes into session.zeek_more. */
#include "zeek.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define UDP_INACTIVITY_TIMEOUT (60LL * 1000000000LL)  /* init-bare.zeek udp_inactivity_timeout */
#define TCP_INACTIVITY_TIMEOUT (300LL * 1000000000LL) /* tcp_inactivity_timeout */

/* The TCP ports Zeek's base scripts add to likely_server_ports (scripts/base/protocols/<proto>/
 * main.zeek: conn's neighbours dce-rpc, dnp3, dns, finger, ftp, http, imap, irc, krb, ldap,
 * modbus, mysql, pop3, postgresql, rdp, redis, smb, smtp, socks, ssh, ssl, xmpp). Sorted. */
static const uint16_t likely_server_ports[] = {
    21, 22, 25, 53, 79, 80, 81, 88, 110, 135, 139, 143, 389, 443, 445, 502, 563, 585, 587, 614,
    631, 636, 989, 990, 992, 993, 995, 1080, 1434, 2811, 3128, 3268, 3306, 3389, 5222, 5223,
    5269, 5432, 6379, 6666, 6667, 6668, 6669, 8000, 8080, 8888, 20000,
};

bool zeek_likely_server_port(uint16_t port)
{
    size_t lo = 0, hi = sizeof likely_server_ports / sizeof likely_server_ports[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (likely_server_ports[mid] == port)
            return true;
        if (likely_server_ports[mid] < port)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* ---- records ---------------------------------------------------------------------------------- */

static int orig_role(const struct zeek_tracker *z)
{
    return z->orig_dir == DIR_C2S ? ROLE_CLIENT : ROLE_SERVER;
}

/* Writes the open record's verdict where its history already is, and closes it. */
static void close_record(struct session *s, struct zeek_tracker *z)
{
    const struct zeek_endpoint *o = &z->ep[ZEEK_ORIG], *r = &z->ep[ZEEK_RESP];
    const char *state = zeek_conn_state_of(o->state, r->state, zeek_endpoint_size(o, r),
                                           zeek_endpoint_size(r, o), z->history ? z->history : "");
    if (z->history == s->zeek_history) {
        s->conn_state = state;
        s->zeek_orig = (int8_t)orig_role(z);
        s->zeek_last_packet = z->last_packet;
    } else if (z->history) {
        struct zeek_record *rec = &s->zeek_more[s->n_zeek_more - 1];
        rec->conn_state = state;
        rec->last_packet = z->last_packet;
    }
    z->open = false;
    z->history = NULL;
}

/* Where the next record's history goes: the session's own fields for its first record, a new
 * entry of zeek_more after that. NULL when out of memory. zeek_more grows one entry at a
 * time: a session seldom has a second record, and its room would cost every session. */
static char *next_history(struct session *s, int orig, int64_t ts, uint64_t packet_no)
{
    if (packet_no == s->first_packet) {
        s->zeek_history[0] = '\0';
        return s->zeek_history;
    }
    size_t more = (size_t)s->n_zeek_more + 1;
    struct zeek_record *m = more < SIZE_MAX / sizeof *m ? realloc(s->zeek_more, more * sizeof *m) : NULL;
    if (!m)
        return NULL;
    s->zeek_more = m;
    struct zeek_record *rec = &s->zeek_more[s->n_zeek_more++];
    memset(rec, 0, sizeof *rec);
    rec->first_packet = rec->last_packet = packet_no;
    rec->ts = ts;
    rec->orig = (int8_t)orig;
    rec->conn_state = "OTH";
    return rec->history;
}

/* TCPAnalyzer::WantConnection: whether the first segment's receiver is the originator. */
static bool want_flip(const struct decoded_packet *p)
{
    bool syn = p->flags & TCP_SYN;
    if (syn && !(p->flags & TCP_ACK))
        return false;
    if (!zeek_likely_server_port(p->sport))
        return false;
    if (zeek_likely_server_port(p->dport))
        return !syn && p->sport < p->dport; /* both plausible: not on a SYN-ACK (stealth scans) */
    return true;
}

static bool open_record(struct session *s, struct zeek_tracker *z, int dir, const struct decoded_packet *p,
                        int64_t ts, uint64_t packet_no)
{
    bool flip = want_flip(p);
    int orig_dir = flip ? !dir : dir;
    char *history = next_history(s, orig_dir == DIR_C2S ? ROLE_CLIENT : ROLE_SERVER, ts, packet_no);
    if (!history)
        return false;
    memset(z, 0, sizeof *z); /* tcp_timeout false: udp_inactivity_timeout, as
                                TCPAnalyzer::MakeSessionAdapter sets it */
    z->history = history;
    z->open = z->is_active = true;
    z->orig_dir = (uint8_t)orig_dir;
    z->last_time = ts;
    z->last_packet = packet_no;
    if (flip) {
        history[0] = '^'; /* Connection::FlipRoles */
        history[1] = '\0';
        z->hist_len = 1;
    }
    return true;
}

/* ---- what ends a record ----------------------------------------------------------------------- */

/* Whether a timer removed the connection at or before now (the state is what the last
 * segment left, as no segment of this connection came in between). */
static bool removed_by_timer(struct zeek_tracker *z, int64_t now, int64_t tcp_inactivity_ns)
{
    const struct zeek_endpoint *o = &z->ep[ZEEK_ORIG], *r = &z->ep[ZEEK_RESP];
    if (z->attempt_at && z->attempt_at <= now) {
        if (z->is_active && (o->state == ZEEK_SYN_SENT || o->state == ZEEK_SYN_ACK_SENT) &&
            r->state == ZEEK_INACTIVE)
            return true;
        z->attempt_at = 0; /* fired, and found an answer */
    }
    if (z->delete_at && z->delete_at <= now)
        return true;
    if (z->reset_at && z->reset_at <= now && z->is_active)
        return true;
    return z->last_time + (z->tcp_timeout ? tcp_inactivity_ns : UDP_INACTIVITY_TIMEOUT) <= now;
}

/* TCPSessionAdapter::IsReuse: a SYN that starts a new connection on the 4-tuple. */
static bool is_reuse(const struct zeek_tracker *z, const struct decoded_packet *p)
{
    if (!(p->flags & TCP_SYN))
        return false;
    const struct zeek_endpoint *conn_orig = &z->ep[ZEEK_ORIG], *resp = &z->ep[ZEEK_RESP];
    if (p->flags & TCP_ACK) {
        if (conn_orig->state != ZEEK_INACTIVE)
            return false; /* reuse on a SYN-ACK only for half connections */
        conn_orig = resp;
    }
    if (z->ep[0].did_close || z->ep[1].did_close)
        return true;
    if (p->seq == conn_orig->start_seq)
        return false;
    /* A SYN and its SYN-ACK seen in reverse order: not a reuse (NextPacket flips them). */
    return (p->flags & TCP_ACK) || conn_orig->state != ZEEK_SYN_ACK_SENT || resp->state != ZEEK_INACTIVE ||
           p->seq != resp->start_seq;
}

/* Zeek PR #2191: a connection that began with a SYN-ACK is flipped when an ACK or data
 * segment follows, and its history "H" becomes "^h". */
static void flip_after_synack(struct zeek_tracker *z, const struct decoded_packet *p)
{
    if (z->hist_len != 1 || (p->flags & (TCP_SYN | TCP_FIN | TCP_RST)) || !z->history || z->history[0] != 'H')
        return;
    struct zeek_endpoint tmp = z->ep[0];
    z->ep[0] = z->ep[1];
    z->ep[1] = tmp;
    z->orig_dir = (uint8_t)!z->orig_dir;
    z->hist_seen = (z->hist_seen & 0xffffu) << 16;
    strcpy(z->history, "^h");
    z->hist_len = 2;
}

bool zeek_update(struct session *s, struct zeek_tracker *z, int dir, const struct decoded_packet *p,
                 int64_t ts, int64_t now, uint64_t packet_no, int64_t inactivity_ns)
{
    int64_t tcp_inactivity = inactivity_ns > 0 ? inactivity_ns : TCP_INACTIVITY_TIMEOUT;
    if (z->open && (removed_by_timer(z, now, tcp_inactivity) || is_reuse(z, p)))
        close_record(s, z);
    if (!z->open && !open_record(s, z, dir, p, ts, packet_no))
        return false;
    flip_after_synack(z, p);
    bool was_first = z->history == s->zeek_history;
    zeek_process(z, dir, p, ts);
    z->last_packet = packet_no;
    if (!was_first && s->n_zeek_more)
        s->zeek_more[s->n_zeek_more - 1].orig = (int8_t)orig_role(z);
    else
        s->zeek_orig = (int8_t)orig_role(z);
    return true;
}

void zeek_finish(struct session *s, struct zeek_tracker *z)
{
    if (z->open)
        close_record(s, z);
    if (!s->conn_state)
        s->conn_state = "OTH";
}
