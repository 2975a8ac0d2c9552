/* table.h — the session table: rebuilds TCP sessions from decoded segments.
 *
 * The table owns every session. It finds a segment's session by its 4-tuple and the tunnel
 * it travels in (tunnel.h; plus a generation when a 4-tuple is reused), infers roles, records
 * the encapsulation path, and hands the segment to the protocol code of analysis/tcp: the
 * facts the classifier needs (segment.c), the RFC 9293 states of both sides (rfc9293.c),
 * Zeek's view (zeek.c), Wireshark's (wireshark.c) and the bounded timeline (timeline.c).
 * Memory grows with the number of sessions, never with the number of packets; given a
 * directory for a temporary file, sessions that are finished or cannot finish soon leave
 * memory for it (table.c, "sessions leaving memory"), so that memory grows with the sessions
 * open at once and by a few dozen bytes for each other one. */
#ifndef PCAP2REPORT_TABLE_H
#define PCAP2REPORT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "session.h"

struct session_table_config {
    uint64_t max_sessions;   /* 0: no limit; past it, segments of new sessions are dropped */
    int64_t idle_timeout_ns; /* Zeek's tcp_inactivity_timeout, for its records (zeek.h) */
    const char *spill_dir;   /* where the temporary file goes; NULL: sessions stay in memory */
    bool spill_eagerly;      /* for tests: every session leaves memory at every segment */
};

#define SESSION_TABLE_DEFAULT_IDLE_NS (300LL * 1000000000LL) /* init-bare.zeek's default */

struct session_table;

/* Returns NULL when out of memory. cfg may be NULL for the defaults. */
struct session_table *session_table_new(const struct session_table_config *cfg);
void session_table_free(struct session_table *t); /* accepts NULL */

/* Attributes one segment to its session, creating the session when needed. Returns the
 * session, or NULL when the session cap dropped it or memory ran out (see
 * session_table_dropped / session_table_oom). The pointer stays valid until the next segment
 * is added (after which the session may have left memory). */
struct session *session_table_add(struct session_table *t, const struct decoded_packet *p,
                                  int64_t ts_ns, uint64_t packet_no);

/* The same, faster for a stream of segments: the segment may be held back (at most 16 of
 * them) while the memory it needs is fetched ahead, so its session exists only after a later
 * push, session_table_add or session_table_finish. Memory running out shows in
 * session_table_oom. */
void session_table_push(struct session_table *t, const struct decoded_packet *p, int64_t ts_ns,
                        uint64_t packet_no);

/* Adds the segments still held back and places those held back for the timelines; call
 * once after the last segment, before reading the sessions. */
void session_table_finish(struct session_table *t);

/* The latest generation of the untunnelled session between these endpoints, or NULL; valid
 * until the next segment is added. */
struct session *session_table_find(struct session_table *t, int ip_version,
                                   const uint8_t *a, uint16_t aport, const uint8_t *b, uint16_t bport);

size_t session_table_count(const struct session_table *t);

/* A reader's view of the finished table's sessions: a session that left memory is read back
 * into it. Zero-initialise it (struct session_view v = {0}); each thread needs its own; release
 * it when done. */
struct session_view {
    struct session_view_state *state; /* private: made when a session is first read back */
};
void session_view_release(struct session_view *v);

/* The i-th session in order of first packet (0-based), after session_table_finish. The
 * pointer stays valid until v is used again or released. Never NULL: a session that could not
 * be read back (session_table_read_problem says why) is an empty one. v may be NULL for a
 * table that keeps its sessions in memory (no spill_dir). */
const struct session *session_table_get(const struct session_table *t, size_t i, struct session_view *v);

/* Why reading a session back from the temporary file failed (strerror), NULL when it never did. */
const char *session_table_read_problem(const struct session_table *t);
/* Why sessions stopped leaving memory (the temporary file could not be made or written),
 * NULL when they never did. */
const char *session_table_spill_problem(const struct session_table *t);

/* How often sessions left memory and came back, and the temporary file's size. */
struct session_table_spill_stats {
    uint64_t left, came_back, file_bytes;
};
struct session_table_spill_stats session_table_spill_stats(const struct session_table *t);
uint64_t session_table_dropped(const struct session_table *t); /* segments dropped by the cap */
/* Sessions the cap kept out: each new 4-tuple once, however many segments it has, and each
 * refused later generation of a tracked 4-tuple. Exact while the bounded set of dropped
 * 4-tuples has room (786,432 of them); past that, only SYNs without ACK count. */
uint64_t session_table_sessions_dropped(const struct session_table *t);
/* The packet number of the first segment the cap dropped, 0 when none was. */
uint64_t session_table_first_dropped(const struct session_table *t);
/* The packet number at which memory first ran out (1 when no segment was being added), 0
 * when it never did. */
uint64_t session_table_oom(const struct session_table *t);

#endif
