/* zeek.h — Zeek's view of a session: the conn.log records Zeek would write for its segments,
 * each with its conn_state and history (shared/ZEEK-CONN-STATE.md).
 *
 * zeek.c is Zeek's per-packet TCP processing (TCPSessionAdapter::Process and the endpoint
 * machine); zeek_conn.c decides where Zeek's records begin and end (timers, reuse, role flips)
 * and writes them into the session. Internal to analysis/tcp: the table calls zeek_update per
 * segment and zeek_finish when a session ends. */
#ifndef PCAP2REPORT_ZEEK_H
#define PCAP2REPORT_ZEEK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "session.h"

/* Zeek's endpoint states (TCP_Endpoint.h EndpointState; TCP_INACTIVE ... in init-bare.zeek). */
enum zeek_state {
    ZEEK_INACTIVE, ZEEK_SYN_SENT, ZEEK_SYN_ACK_SENT, ZEEK_PARTIAL, ZEEK_ESTABLISHED,
    ZEEK_CLOSED, ZEEK_RESET
};

enum { ZEEK_ORIG = 0, ZEEK_RESP = 1 };

/* One side of a Zeek connection (TCP_Endpoint): what the state machine, the history letters
 * and Size() read. Sequence numbers are absolute; Zeek's relative ones are differences. */
struct zeek_endpoint {
    uint32_t start_seq, last_seq, ack_seq;
    uint32_t hist_last_syn, hist_last_fin, hist_last_rst; /* relative, as Zeek compares them */
    uint32_t rxmt_cnt, win0_cnt;
    uint8_t rxmt_log, win0_log; /* the next T or W is written at the 10^log-th occurrence */
    uint8_t state, prev_state;  /* enum zeek_state */
    bool did_close, fin_seen;
};

/* The Zeek connection open on a session's 4-tuple, kept by the table beside the session (so
 * it is kept small: a session's memory counts). All zero to start. */
struct zeek_tracker {
    struct zeek_endpoint ep[2];  /* ZEEK_ORIG, ZEEK_RESP */
    char *history;               /* the open record's history, in the session */
    int64_t last_time;           /* Connection::LastTime() */
    int64_t attempt_at, delete_at, reset_at; /* armed timers; 0: none */
    uint64_t last_packet;
    uint32_t hist_seen;          /* Session::hist_seen: orig's masks low, resp's << 16 */
    uint8_t hist_len;
    bool open;                   /* a record is open */
    bool is_active;              /* TCPSessionAdapter::is_active */
    bool tcp_timeout;            /* the inactivity timeout is tcp_inactivity_timeout, not
                                    udp_inactivity_timeout: the handshake is over */
    uint8_t orig_dir;            /* DIR_* in which Zeek's originator sends */
};

/* ---- zeek.c: one segment through Zeek's TCP analysis ------------------------------------- */

/* Processes segment p, sent in direction dir of the session, in the open Zeek connection z
 * (TCPSessionAdapter::Process); ts is its time. */
void zeek_process(struct zeek_tracker *z, int dir, const struct decoded_packet *p, int64_t ts);

/* Appends a history letter for Zeek endpoint e (uppercase for the originator). */
void zeek_history_add(struct zeek_tracker *z, int e, char letter);

/* The endpoint's size in bytes as Zeek computes it from sequence numbers (TCP_Endpoint::Size). */
uint64_t zeek_endpoint_size(const struct zeek_endpoint *ep, const struct zeek_endpoint *peer);

/* Zeek's conn_state (main.zeek conn_state()) from the two endpoint states, their sizes and the
 * history: "S0", "SF", "REJ", "RSTO" ... */
const char *zeek_conn_state_of(int orig_state, int resp_state, uint64_t orig_size, uint64_t resp_size,
                               const char *history);

/* ---- zeek_conn.c: where Zeek's records begin and end ------------------------------------- */

/* Feeds segment p (direction dir of s, time ts, packet number packet_no) to Zeek's view of s:
 * ends the open record when one of Zeek's timers removed it by network time now (the latest
 * segment time of the whole capture, which never goes back) or when p reuses the 4-tuple
 * (IsReuse), opens a record when none is open, then processes p. inactivity_ns is Zeek's
 * tcp_inactivity_timeout (300 s by default). Returns false when memory for a further record
 * ran out (the segment then joins no record). */
bool zeek_update(struct session *s, struct zeek_tracker *z, int dir, const struct decoded_packet *p,
                 int64_t ts, int64_t now, uint64_t packet_no, int64_t inactivity_ns);

/* Ends the open record, if any, and writes its conn_state (the session's last segment was
 * seen). The session's conn_state is "OTH" when it never had a record. */
void zeek_finish(struct session *s, struct zeek_tracker *z);

/* Whether Zeek counts port as a likely server port (the TCP ports its base scripts add to
 * likely_server_ports). */
bool zeek_likely_server_port(uint16_t port);

#endif
