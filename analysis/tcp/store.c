/* store.c — where the table's sessions live: in memory, or in the spill file (store.h). */
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

enum { WRITE_AHEAD = 4 }; /* sessions a sweep loads ahead of the one it writes out */

static bool add_resident(struct session_store *st, struct tracked_session *e)
{
    if (!GROW(st->resident, st->cap_resident, st->n_resident + 1, 1024))
        return false;
    st->resident[st->n_resident++] = (struct resident){e, 0};
    st->where[e->pub.id - 1] = (uint64_t)(uintptr_t)e;
    return true;
}

struct tracked_session *store_add(struct session_store *st)
{
    if (!GROW(st->where, st->cap_where, st->count + 1, 4096))
        return NULL;
    struct tracked_session *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->pub.id = st->count + 1;
    if (!add_resident(st, e)) {
        free(e);
        return NULL;
    }
    st->count++;
    st->created_since_sweep++;
    return e;
}

struct tracked_session *store_fetch(struct session_store *st, uint64_t id)
{
    struct tracked_session *e = store_resident(st, id);
    if (e)
        return e;
    if (!(e = malloc(sizeof *e)))
        return NULL;
    if (!spill_read(st->spill, st->where[id - 1] >> 1, &st->window, e)) {
        free(e);
        return NULL;
    }
    if (!add_resident(st, e)) {
        tracked_session_free(e);
        return NULL;
    }
    st->came_back++;
    return e;
}

static bool open_spill(struct session_store *st)
{
    char err[160];
    if (st->spill)
        return true;
    st->spill = spill_open(st->spill_dir, err, sizeof err);
    if (!st->spill)
        snprintf(st->spill_failed, sizeof st->spill_failed, "%s", err);
    return st->spill != NULL;
}

/* Writes e out of memory; false when the spill file failed (spill_failed says why). */
static bool write_out(struct session_store *st, struct tracked_session *e)
{
    int64_t off = spill_write(st->spill, e);
    if (off < 0) {
        snprintf(st->spill_failed, sizeof st->spill_failed, "writing the temporary file of sessions failed: %s",
                 strerror(spill_write_errno(st->spill)));
        return false;
    }
    st->where[e->pub.id - 1] = (uint64_t)off << 1 | 1;
    tracked_session_free(e);
    st->left++;
    return true;
}

static int by_id(const void *a, const void *b)
{
    uint64_t x = (*(struct tracked_session *const *)a)->pub.id;
    uint64_t y = (*(struct tracked_session *const *)b)->pub.id;
    return (x > y) - (x < y);
}

/* Puts the sessions leaving in order of id, so that readers, who go through the sessions in
 * that order, read the file forwards a window at a time (one read for each record cost twice
 * the table's time in the large benchmark capture). Usually they are in order already: the
 * list of sessions in memory is in order of arrival, but for sessions that came back. */
static void order_leaving(struct tracked_session **leaving, size_t n)
{
    for (size_t k = 1; k < n; k++)
        if (leaving[k - 1]->pub.id > leaving[k]->pub.id) {
            qsort(leaving, n, sizeof *leaving, by_id);
            return;
        }
}

bool store_sweep(struct session_store *st, int64_t now, store_may_leave *may_leave, void *arg)
{
    st->created_since_sweep = 0;
    if (st->spill_failed[0] || !GROW(st->leaving, st->cap_leaving, st->n_resident, 1024))
        return false;
    /* First which sessions leave: most stay, and most of those are not looked at (their
     * recheck time has not come). Those staying keep their order. */
    size_t kept = 0, n_leaving = 0;
    for (size_t i = 0; i < st->n_resident; i++) {
        struct resident r = st->resident[i];
        if (r.recheck <= now && may_leave(r.e, now, &r.recheck, arg))
            st->leaving[n_leaving++] = r.e;
        else
            st->resident[kept++] = r;
    }
    /* Then out they go, each read whole: loaded ahead, as they are long out of the cache. */
    order_leaving(st->leaving, n_leaving);
    for (size_t k = 0; k < n_leaving; k++) {
        struct tracked_session *e = st->leaving[k];
        if (k + WRITE_AHEAD < n_leaving)
            for (size_t off = 0; off < sizeof *e; off += 64)
                __builtin_prefetch((const char *)st->leaving[k + WRITE_AHEAD] + off);
        if (st->spill_failed[0] || !open_spill(st) || !write_out(st, e))
            st->resident[kept++] = (struct resident){e, 0}; /* stays after all */
    }
    st->n_resident = kept;
    st->resident_after_sweep = kept;
    return !st->spill_failed[0];
}

bool store_finish(struct session_store *st, void (*fn)(struct tracked_session *e, void *arg), void *arg)
{
    for (size_t i = 0; i < st->n_resident; i++)
        fn(st->resident[i].e, arg);
    if (st->spill && !spill_flush(st->spill)) {
        snprintf(st->spill_failed, sizeof st->spill_failed, "writing the temporary file of sessions failed: %s",
                 strerror(spill_write_errno(st->spill)));
        return false;
    }
    return true;
}

/* What a reader's view holds: a session read back from the spill file, and its windows. */
struct session_view_state {
    struct tracked_session *loaded;
    struct spill_window window;
};

/* Stands for a session that could not be read back: spill_read_errno says why. */
static const struct session unreadable = {.conn_state = "OTH", .rst_sender = ROLE_NONE,
                                          .active_closer = ROLE_NONE, .zeek_orig = ROLE_NONE,
                                          .handshake = HANDSHAKE_MISSING, .teardown = TEARDOWN_NONE};

/* Session i read back into the view's own memory, and finished; NULL when that failed. */
static struct tracked_session *read_back(const struct session_store *st, size_t i, struct session_view_state *vs,
                                         bool (*finish)(struct tracked_session *e))
{
    if (vs->loaded)
        tracked_session_clear(vs->loaded);
    else if (!(vs->loaded = malloc(sizeof *vs->loaded)))
        return NULL;
    if (!spill_read(st->spill, st->where[i] >> 1, &vs->window, vs->loaded))
        return NULL;
    return finish(vs->loaded) ? vs->loaded : NULL;
}

const struct session *store_view(const struct session_store *st, size_t i, struct session_view_state **state,
                                 bool (*finish)(struct tracked_session *e))
{
    if (!(st->where[i] & 1))
        return &((struct tracked_session *)(uintptr_t)st->where[i])->pub;
    if (state && !*state)
        *state = calloc(1, sizeof **state);
    const struct tracked_session *e = state && *state ? read_back(st, i, *state, finish) : NULL;
    if (!e) { /* no view (a caller's mistake), no memory, or reading failed (which said so first) */
        spill_note_read_error(st->spill, state ? ENOMEM : EINVAL);
        return &unreadable;
    }
    return &e->pub;
}

void store_view_release(struct session_view_state **state)
{
    if (!*state)
        return;
    tracked_session_free((*state)->loaded);
    spill_window_free(&(*state)->window);
    free(*state);
    *state = NULL;
}

void store_free(struct session_store *st)
{
    for (size_t i = 0; i < st->n_resident; i++)
        tracked_session_free(st->resident[i].e);
    free(st->resident);
    free(st->leaving);
    free(st->where);
    spill_close(st->spill);
    spill_window_free(&st->window);
    memset(st, 0, sizeof *st);
}
