/* session.h — the session record: everything pcap2report knows about one TCP connection.
 *
 * The session table fills these records packet by packet (table.c); the classifier adds the
 * verdicts (classify.c); renderers only read them. Nothing here points at packet bytes, and
 * nothing here is private to the code that builds the record: the table keeps its working
 * state (sequence tracking, Zeek's letter bookkeeping, the timeline's ring) beside it. Names of
 * classes, states and anomalies are the stable vocabulary of shared/TAXONOMY.md and of the
 * JSON schema. */
#ifndef PCAP2REPORT_SESSION_H
#define PCAP2REPORT_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

/* RFC 9293 states as a third party can infer them. */
enum tcp_state {
    TCP_STATE_UNKNOWN, TCP_CLOSED, TCP_LISTEN, TCP_SYN_SENT, TCP_SYN_RECEIVED, TCP_ESTABLISHED,
    TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, TCP_CLOSING, TCP_LAST_ACK, TCP_TIME_WAIT,
    TCP_STATES
};

enum handshake_class {
    HANDSHAKE_NORMAL, HANDSHAKE_SIMULTANEOUS_OPEN, HANDSHAKE_REFUSED, HANDSHAKE_SYN_ONLY,
    HANDSHAKE_NO_FINAL_ACK, HANDSHAKE_MISSING, HANDSHAKE_CLASSES
};

enum teardown_class {
    TEARDOWN_FOUR_WAY, TEARDOWN_MERGED_FIN, TEARDOWN_SIMULTANEOUS_CLOSE, TEARDOWN_RST,
    TEARDOWN_INCOMPLETE, TEARDOWN_HALF_CLOSED, TEARDOWN_NONE, TEARDOWN_CLASSES
};

/* Anomalies, in the order TAXONOMY.md lists them, then the ones this project added
 * (documented in docs/json.md). A session holds them as a bit set. */
enum anomaly {
    ANOMALY_SYN_RETRANSMITTED, ANOMALY_SYNACK_RETRANSMITTED, ANOMALY_FIN_RETRANSMITTED,
    ANOMALY_RETRANSMISSION, ANOMALY_OUT_OF_ORDER, ANOMALY_BAD_ACK, ANOMALY_RST_AFTER_FIN,
    ANOMALY_DATA_ON_SYN, ANOMALY_ZERO_WINDOW, ANOMALY_ISN_ZERO, ANOMALY_FINAL_ACK_NOT_CAPTURED,
    ANOMALY_ROLES_INFERRED, ANOMALY_TRUNCATED, ANOMALY_BAD_CHECKSUM,
    ANOMALY_RST_DURING_HANDSHAKE, ANOMALY_SYN_NOT_CAPTURED, ANOMALY_MALFORMED_OPTIONS,
    ANOMALY_DATA_AFTER_FIN, ANOMALY_ONE_SIDED,
    ANOMALIES
};

enum { DIR_C2S = 0, DIR_S2C = 1 }; /* client to server, server to client */
enum { ROLE_NONE = -1, ROLE_CLIENT = 0, ROLE_SERVER = 1 };

/* Marks on a timeline event: which phase it belongs to and what was odd about it. */
enum {
    MARK_HANDSHAKE = 0x01, MARK_TEARDOWN = 0x02, MARK_RETRANSMISSION = 0x04,
    MARK_OUT_OF_ORDER = 0x08, MARK_BAD_CHECKSUM = 0x10, MARK_ZERO_WINDOW = 0x20,
    MARK_BAD_ACK = 0x40,
};

/* One segment kept for diagrams. Sequence numbers are absolute; relative ones are derived
 * from the session's ISNs by the reader. */
struct timeline_event {
    int64_t ts_ns;   /* nanoseconds since the epoch */
    uint64_t packet; /* 1-based packet number in the capture */
    uint32_t seq, ack, len;
    uint16_t flags, window;
    struct tcp_options options;
    uint8_t dir;      /* DIR_C2S or DIR_S2C */
    uint8_t marks;    /* MARK_* bits */
    uint8_t state[2]; /* enum tcp_state of client and server after this segment */
};

/* Segments left out of the timeline between two kept events. */
struct timeline_gap {
    uint32_t before; /* index of the first event after the gap */
    uint64_t packets[2], bytes[2]; /* per direction */
};

/* One side of the connection, as seen from its outgoing segments. */
struct session_side {
    uint8_t addr[16];
    uint16_t port;

    uint64_t packets, payload_bytes;
    uint64_t retransmissions, out_of_order, bad_checksums, zero_windows;

    bool isn_known;
    uint32_t isn;
    uint32_t syns, synacks, fins, rsts; /* segments carrying each flag */
    struct tcp_options syn_options;     /* from its SYN or SYN/ACK */

    /* Its first SYN (or SYN/ACK): where, when, and what it acknowledged. */
    uint64_t syn_packet;
    int64_t syn_ts;
    uint32_t syn_ack; /* the ack field of its first SYN/ACK */

    /* Its first FIN: the sequence number the FIN occupies, when and where. */
    bool fin_seen;
    uint32_t fin_seq;
    uint64_t fin_packet;
    int64_t fin_ts;

    /* Its first segment with ACK and without SYN or RST (0: none): only a side past its
     * handshake sends one. */
    uint64_t first_ack_packet;
    /* Its first segment (not a RST) acknowledging the peer's SYN, and the peer's FIN. */
    bool acked_syn, acked_fin;
    uint32_t ack_of_syn, ack_of_fin;
    uint64_t ack_of_syn_packet, ack_of_fin_packet;
    int64_t ack_of_syn_ts, ack_of_fin_ts;

    /* enum tcp_state now, and before its last change (rfc9293.c). */
    uint8_t state, prev_state;
};

struct session_check {
    const char *name;     /* "synack-ack", "final-ack", "client-fin-ack", "server-fin-ack" */
    uint64_t packet;      /* the segment whose ack was checked */
    uint32_t expected, actual; /* absolute */
    bool pass;
};

enum { SESSION_MAX_CHECKS = 4, SESSION_HISTORY_MAX = 48 };

/* The encapsulation a session's segments travelled in (issue 15; tunnel.c): for each
 * direction (DIR_C2S, DIR_S2C), the layers of its first segment, outermost first, with their
 * outer addresses and ids as that direction carried them. A session none of whose segments
 * was encapsulated has none (session.encap is NULL). */
struct session_encap {
    bool seen[2];     /* a segment of that direction was seen */
    uint8_t n[2];     /* layers of the direction's first segment (0: none) */
    uint8_t first[2]; /* where they start in layers[] */
    struct encap_layer layers[]; /* n[0] + n[1] of them */
};

/* A conn.log record as Zeek would write it for some of a session's segments (zeek_conn.c). */
struct zeek_record {
    uint64_t first_packet, last_packet;
    int64_t ts;             /* its first segment's time */
    int8_t orig;            /* ROLE_*: the side Zeek calls the originator */
    const char *conn_state; /* "S0", "SF" ... */
    char history[SESSION_HISTORY_MAX + 1];
};

struct session {
    uint64_t id;        /* 1-based, in order of first packet */
    uint32_t generation; /* 0 for the first session on its 4-tuple */
    uint8_t ip_version;
    bool roles_inferred;
    struct session_side side[2]; /* ROLE_CLIENT, ROLE_SERVER */

    int64_t first_ts, last_ts;
    uint64_t first_packet, last_packet;

    /* RST facts. */
    bool rst_seen;
    int8_t rst_sender;  /* ROLE_* */
    bool rst_after_fin; /* a FIN was sent by either side before the first RST */
    uint64_t rst_packet;
    int64_t rst_ts;

    uint32_t anomalies;    /* bit (1u << enum anomaly) */
    uint8_t wireshark_completeness; /* of the tcp.stream tshark would give these segments */

    /* Zeek's view (zeek.h): conn_state, zeek_history and zeek_orig are those of the conn.log
     * record holding the session's first segment, which ends at zeek_last_packet; Zeek's
     * timers and reuse rules can end it before the session ends, and the records that follow
     * are in zeek_more (usually none). */
    const char *conn_state;
    char zeek_history[SESSION_HISTORY_MAX + 1];
    int8_t zeek_orig; /* ROLE_*: the side Zeek calls the originator */
    uint64_t zeek_last_packet;
    struct zeek_record *zeek_more;
    uint32_t n_zeek_more;

    /* Bounded timeline for diagrams (timeline.c): the segments kept, in order, and the gaps
     * of segments left out between them. */
    struct timeline_event *events;
    uint32_t n_events;
    struct timeline_gap *gaps;
    uint32_t n_gaps;
    uint64_t omitted_packets;

    /* Its encapsulation path, or NULL (session_encap_path). */
    struct session_encap *encap;

    /* Verdicts, filled by classify_session(). */
    enum handshake_class handshake;
    enum teardown_class teardown;
    int8_t active_closer; /* ROLE_*; the side whose FIN came first */
    struct session_check checks[SESSION_MAX_CHECKS];
    uint32_t n_checks;
    /* Handshake round-trip times in ns (-1 when not measurable). */
    int64_t rtt_syn_synack, rtt_synack_ack;
};

const char *tcp_state_name(enum tcp_state s);
const char *handshake_class_name(enum handshake_class c);
const char *teardown_class_name(enum teardown_class c);
const char *anomaly_name(enum anomaly a);

/* An address as inet_ntop writes it (the first 4 bytes for IPv4). buf must hold at least
 * IP_ADDRESS_STRING_LEN bytes; returns buf. */
enum { IP_ADDRESS_STRING_LEN = 46 }; /* INET6_ADDRSTRLEN */
char *ip_address_string(int ip_version, const uint8_t *addr, char *buf);

/* "client" or "server" (ROLE_CLIENT, ROLE_SERVER); NULL for ROLE_NONE. */
const char *session_role_name(int role);

/* One side's address and port as the reports show it: 10.0.0.1:40000, or
 * [2001:db8::1]:40000. buf must hold at least SESSION_ENDPOINT_STRING_LEN bytes; returns buf. */
enum { SESSION_ENDPOINT_STRING_LEN = IP_ADDRESS_STRING_LEN + 8 };
char *session_endpoint_string(const struct session *s, int role, char *buf);

/* tcpdump's flag notation: "S", "S.", ".", "P.", "F.", "R.", "FP." ...; "none" when no flag
 * is set. buf must hold at least 12 bytes; returns buf. */
char *tcp_flags_string(uint16_t flags, char *buf);

/* The options of a segment as tcpdump lists them ("mss 1460,sackOK,TS val 1 ecr 0,wscale 7"),
 * in that fixed order; "" when none. Returns buf. */
char *tcp_options_string(const struct tcp_options *o, char *buf, size_t len);

/* The layers of direction dir's first segment (*n of them; NULL and 0 when it had none or
 * the direction was not seen). */
static inline const struct encap_layer *session_encap_path(const struct session *s, int dir, size_t *n)
{
    const struct session_encap *e = s->encap;
    *n = e && e->seen[dir] ? e->n[dir] : 0;
    return *n ? &e->layers[e->first[dir]] : NULL;
}

static inline bool session_has_anomaly(const struct session *s, enum anomaly a)
{
    return (s->anomalies >> a) & 1u;
}

/* Wireshark's tcp.stream of the session, the number its GUI shows. tshark 4.0 numbers TCP
 * conversations from 0 in the order it starts them (epan/dissectors/packet-tcp.c, dissect_tcp),
 * and a session begins exactly where tshark starts a conversation (table.c,
 * starts_new_generation), so it is the session's number less one. Sessions past a
 * --max-sessions cap are never made, so they never shift the numbers of those before them.
 * Not so where the same inner addresses and ports travel in two tunnels: tshark keys its
 * conversations by the inner 4-tuple alone (one stream), the table by the tunnel too (two
 * sessions), and the numbers after that differ from tshark's (docs/csv.md). */
static inline uint64_t session_tcp_stream(const struct session *s)
{
    return s->id - 1;
}

/* Sequence-space comparisons modulo 2^32 (RFC 9293 3.4). */
static inline bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool seq_leq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline bool seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline bool seq_geq(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }

#endif
