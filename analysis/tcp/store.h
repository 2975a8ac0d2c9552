/* store.h — where the table's sessions live: in memory while they may still change, in the
 * spill file (spill.h) once they have left it (internal to analysis/tcp; table.c decides which
 * sessions leave, this module only moves them).
 *
 * Sessions are numbered by id (1, 2, ... in order of first packet). For each the store keeps
 * one word: the session's address while it is in memory, else where its record is in the
 * spill file; and the list of the sessions in memory, which a sweep walks. A session that left
 * memory comes back when asked for (store_fetch), exactly as it left. Readers get sessions
 * through a view (table.h), which reads a session that left memory into memory of its own. */
#ifndef PCAP2REPORT_STORE_H
#define PCAP2REPORT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spill.h"
#include "tracked.h"

/* A session in memory, and the time before which a sweep need not ask whether it may leave. */
struct resident {
    struct tracked_session *e;
    int64_t recheck; /* 0: at the next sweep */
};

struct session_store {
    uint64_t *where;   /* per id - 1: the session's address (even), or its offset << 1 | 1 */
    size_t count, cap_where;
    struct resident *resident;        /* the sessions in memory */
    size_t n_resident, cap_resident;
    struct tracked_session **leaving; /* a sweep's: the sessions it moves out */
    size_t cap_leaving;
    size_t created_since_sweep, resident_after_sweep;
    const char *spill_dir; /* NULL: sessions never leave memory */
    struct spill *spill;   /* made at the first sweep that moves a session out */
    struct spill_window window; /* the table's own, for sessions coming back */
    uint64_t left, came_back;   /* sessions that left memory, and came back, so far */
    char spill_failed[200];     /* why sessions stopped leaving memory; "" while they do */
};

/* A new session, zeroed, in memory, with the next id (store->count after the call). NULL when
 * out of memory. */
struct tracked_session *store_add(struct session_store *st);

/* Session id in memory: already there, or read back from the spill file. NULL when reading
 * back failed (spill_read_errno) or memory ran out. */
struct tracked_session *store_fetch(struct session_store *st, uint64_t id);

/* Session id when it is in memory, else NULL; for reading ahead. */
static inline struct tracked_session *store_resident(const struct session_store *st, uint64_t id)
{
    uint64_t w = st->where[id - 1];
    return (w & 1) ? NULL : (struct tracked_session *)(uintptr_t)w;
}

/* Whether a session may leave memory at time now; when not, *recheck is the earliest time it
 * may (a sweep does not ask again before then, nor look at the session). */
typedef bool store_may_leave(const struct tracked_session *e, int64_t now, int64_t *recheck, void *arg);

/* Moves out of memory every session in memory for which may_leave returns true. Returns false
 * when the spill file failed; sessions then stay in memory from now on and spill_failed says
 * why. */
bool store_sweep(struct session_store *st, int64_t now, store_may_leave *may_leave, void *arg);

/* Calls fn on every session in memory; then writes out what the spill file still buffers, so
 * that readers in several threads may read it. false when that write failed (what it held
 * stays buffered and readable; spill_failed says why). */
bool store_finish(struct session_store *st, void (*fn)(struct tracked_session *e, void *arg), void *arg);

/* Session index i (0-based) for a reader (table.h, struct session_view): in memory, or read
 * back into the view's state *state (made on first need) and finished by finish. An empty
 * session when that fails (or state is NULL for a session that left memory), with the reason
 * noted (spill_read_errno). Thread-safe once store_finish ran, each thread with its state. */
struct session_view_state;
const struct session *store_view(const struct session_store *st, size_t i, struct session_view_state **state,
                                 bool (*finish)(struct tracked_session *e));
void store_view_release(struct session_view_state **state); /* accepts *state NULL */

void store_free(struct session_store *st); /* the sessions and the spill file; not st itself */

#endif
