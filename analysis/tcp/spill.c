/* spill.c — the spill file: sessions written out of memory and read back (spill.h).
 *
 * A record: its length (4 bytes, the rest of the record), a bit per 8-byte word of struct
 * tracked_session telling which words are not zero, those words, a word of flags (where the
 * Zeek tracker's history points, whether the timeline's ring is held), then the session's
 * events, gaps, further Zeek records, encapsulation path and ring. Pointers are written as
 * zero and set again on reading; the pointers to static strings (conn_state, check names) are
 * kept as they are, as the file is read only by the process that wrote it. Nothing here knows
 * TCP; it copies bytes.
 *
 * Why not a compressor (zlib, LZ4): the records are short and their redundancy is zero
 * words; leaving those out is one branch-free pass over the session's words, where a
 * compressor looks for repeats at every byte to find the same thing. */
#define _GNU_SOURCE
#include "spill.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tunnel.h"

enum {
    SESSION_WORDS = sizeof(struct tracked_session) / sizeof(uint64_t),
    MASK_WORDS = (SESSION_WORDS + 63) / 64,
    WRITE_BUFFER = 1 << 20,
    WINDOW_MIN = 1 << 14, /* spill.h: struct spill_window */
    WINDOW_MAX = 1 << 15,
};

_Static_assert(sizeof(struct tracked_session) % sizeof(uint64_t) == 0, "a session is whole words");

/* The flags word: which of the optional parts follow, and from bit FLAG_BITS up where
 * zeek.history points (0: nowhere, 1: the session's zeek_history, 2 + k: zeek_more[k]'s). */
enum { FLAG_RING = 1, FLAG_ENCAP = 2, FLAG_BITS = 2 };

struct spill {
    int fd;
    uint64_t written; /* bytes in the file */
    unsigned char *buf; /* records not yet written: they start at offset written */
    size_t len;
    int write_error;        /* errno of the first write that failed */
    _Atomic int read_error; /* errno of the first read that failed, in any thread */
};

void spill_note_read_error(struct spill *sp, int err)
{
    int none = 0;
    if (sp)
        atomic_compare_exchange_strong(&sp->read_error, &none, err ? err : EIO);
}

int spill_read_errno(const struct spill *sp) { return atomic_load(&((struct spill *)sp)->read_error); }
int spill_write_errno(const struct spill *sp) { return sp->write_error; }

static void write_failed(struct spill *sp, int err)
{
    if (!sp->write_error)
        sp->write_error = err;
}
uint64_t spill_size(const struct spill *sp) { return sp->written + sp->len; }

struct spill *spill_open(const char *dir, char *err, size_t errlen)
{
    struct spill *sp = calloc(1, sizeof *sp);
    if (!sp || !(sp->buf = malloc(WRITE_BUFFER))) {
        free(sp);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    sp->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (sp->fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        /* A file system without O_TMPFILE: a named file, unlinked at once. */
        char path[4096];
        snprintf(path, sizeof path, "%s/pcap2report-sessions-XXXXXX", dir);
        sp->fd = mkostemp(path, O_CLOEXEC);
        if (sp->fd >= 0)
            unlink(path);
    }
    if (sp->fd < 0) {
        snprintf(err, errlen, "cannot create a temporary file in %s: %s", dir, strerror(errno));
        free(sp->buf);
        free(sp);
        return NULL;
    }
    return sp;
}

void spill_close(struct spill *sp)
{
    if (!sp)
        return;
    close(sp->fd);
    free(sp->buf);
    free(sp);
}

/* Writes n bytes at the end of the file, all or (as far as the file's end goes) none: when a
 * write fails, what part of them was written lies past the end and is never read. */
static bool write_all(struct spill *sp, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t done = 0; done < n;) {
        ssize_t k = pwrite(sp->fd, p + done, n - done, (off_t)(sp->written + done));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            write_failed(sp, k < 0 ? errno : ENOSPC);
            return false;
        }
        done += (size_t)k;
    }
    sp->written += n;
    return true;
}

/* What could not be written stays in the buffer, where spill_read finds it: sessions already
 * out of memory stay readable when the disk fills up, and only no more can leave. */
bool spill_flush(struct spill *sp)
{
    if (!write_all(sp, sp->buf, sp->len))
        return false;
    sp->len = 0;
    return true;
}

/* ---- records ------------------------------------------------------------------------------ */

static size_t encap_size(const struct session_encap *e)
{
    return e ? sizeof *e + ((size_t)e->n[0] + e->n[1]) * sizeof e->layers[0] : 0;
}

static uint32_t history_place(const struct tracked_session *e)
{
    const char *h = e->zeek.history;
    if (!h)
        return 0;
    if (h == e->pub.zeek_history)
        return 1;
    for (uint32_t k = 0; k < e->pub.n_zeek_more; k++)
        if (h == e->pub.zeek_more[k].history)
            return 2 + k;
    return 0;
}

/* The parts a record holds after the session's words, in order. */
struct record_parts {
    const void *ptr[5];
    size_t size[5];
};

static void parts_of(const struct tracked_session *e, struct record_parts *p)
{
    const struct session *s = &e->pub;
    p->ptr[0] = s->events, p->size[0] = (size_t)s->n_events * sizeof *s->events;
    p->ptr[1] = s->gaps, p->size[1] = (size_t)s->n_gaps * sizeof *s->gaps;
    p->ptr[2] = s->zeek_more, p->size[2] = (size_t)s->n_zeek_more * sizeof *s->zeek_more;
    p->ptr[3] = s->encap, p->size[3] = encap_size(s->encap);
    p->ptr[4] = e->timeline.ring, p->size[4] = e->timeline.ring ? TIMELINE_TAIL * sizeof *e->timeline.ring : 0;
}

/* Writes the record of e into out (room for at least its largest size) and returns its size. */
static size_t encode(const struct tracked_session *e, unsigned char *out)
{
    static const size_t pointers[] = {
        offsetof(struct tracked_session, pub.events), offsetof(struct tracked_session, pub.gaps),
        offsetof(struct tracked_session, pub.zeek_more), offsetof(struct tracked_session, pub.encap),
        offsetof(struct tracked_session, timeline.ring), offsetof(struct tracked_session, zeek.history),
    };
    uint64_t words[SESSION_WORDS], mask[MASK_WORDS] = {0};
    memcpy(words, e, sizeof words);
    for (size_t k = 0; k < sizeof pointers / sizeof pointers[0]; k++)
        words[pointers[k] / sizeof(uint64_t)] = 0; /* set again on reading */

    unsigned char *p = out + sizeof(uint32_t) + sizeof mask;
    for (size_t k = 0; k < MASK_WORDS; k++) {
        size_t n = SESSION_WORDS - k * 64 < 64 ? SESSION_WORDS - k * 64 : 64;
        uint64_t m = 0; /* in a register: or-ing into mask[k] made each word wait for the last */
        for (size_t j = 0; j < n; j++) { /* without a branch: every word is stored, and the */
            uint64_t w = words[k * 64 + j], nonzero = w != 0; /* next overwrites a zero one */
            m |= nonzero << j;
            memcpy(p, &w, sizeof w);
            p += nonzero * sizeof w;
        }
        mask[k] = m;
    }
    memcpy(out + sizeof(uint32_t), mask, sizeof mask);
    uint64_t flags = (e->timeline.ring ? FLAG_RING : 0) | (e->pub.encap ? FLAG_ENCAP : 0) |
                     (uint64_t)history_place(e) << FLAG_BITS;
    memcpy(p, &flags, sizeof flags);
    p += sizeof flags;
    struct record_parts parts;
    parts_of(e, &parts);
    for (int k = 0; k < 5; k++) {
        if (parts.size[k])
            memcpy(p, parts.ptr[k], parts.size[k]);
        p += parts.size[k];
    }
    uint32_t body = (uint32_t)(p - out - sizeof(uint32_t));
    memcpy(out, &body, sizeof body);
    return (size_t)(p - out);
}

static size_t max_record_size(const struct tracked_session *e)
{
    struct record_parts parts;
    parts_of(e, &parts);
    size_t n = sizeof(uint32_t) + sizeof(uint64_t) * (MASK_WORDS + SESSION_WORDS + 1);
    for (int k = 0; k < 5; k++)
        n += parts.size[k];
    return n;
}

int64_t spill_write(struct spill *sp, const struct tracked_session *e)
{
    size_t need = max_record_size(e);
    if (sp->write_error)
        return -1; /* the buffer may hold records that could not be written: nothing after them */
    if (need > UINT32_MAX) {
        write_failed(sp, EFBIG);
        return -1;
    }
    if (sp->len + need > WRITE_BUFFER && !spill_flush(sp))
        return -1;
    if (need > WRITE_BUFFER) { /* a session with very many Zeek records: written on its own */
        unsigned char *tmp = malloc(need);
        if (!tmp) {
            write_failed(sp, ENOMEM);
            return -1;
        }
        uint64_t off = sp->written;
        bool ok = write_all(sp, tmp, encode(e, tmp));
        free(tmp);
        return ok ? (int64_t)off : -1;
    }
    uint64_t off = sp->written + sp->len;
    sp->len += encode(e, sp->buf + sp->len);
    return (int64_t)off;
}

/* ---- reading back ------------------------------------------------------------------------- */

/* The window to read [off, off + n) into: the one it continues (reading forwards), else the
 * least recently used. */
static size_t window_for(const struct spill_window *w, uint64_t off, bool *forwards)
{
    size_t lru = 0;
    for (size_t k = 0; k < SPILL_WINDOWS; k++) {
        if (w->w[k].len && off >= w->w[k].off && off < w->w[k].off + w->w[k].len + w->w[k].ahead) {
            *forwards = true;
            return k;
        }
        if (w->w[k].used < w->w[lru].used)
            lru = k;
    }
    *forwards = false;
    return lru;
}

/* n bytes at off, from the write buffer or through a window; NULL when the file has fewer. */
static const unsigned char *bytes_at(struct spill *sp, struct spill_window *ws, uint64_t off, size_t n)
{
    if (off >= sp->written) /* still buffered (only while the table is being built) */
        return off - sp->written + n <= sp->len ? sp->buf + (off - sp->written) : NULL;
    ws->clock++;
    for (size_t k = 0; k < SPILL_WINDOWS; k++)
        if (off >= ws->w[k].off && off + n <= ws->w[k].off + ws->w[k].len) {
            ws->w[k].used = ws->clock;
            return ws->w[k].buf + (off - ws->w[k].off);
        }
    bool forwards;
    size_t k = window_for(ws, off, &forwards);
    typeof(ws->w[0]) *w = &ws->w[k];
    w->ahead = !forwards ? WINDOW_MIN : w->ahead < WINDOW_MAX ? w->ahead * 2 : WINDOW_MAX;
    w->used = ws->clock;
    size_t want = n > w->ahead ? n : w->ahead;
    if (w->cap < want) {
        unsigned char *b = realloc(w->buf, want);
        if (!b)
            return NULL;
        w->buf = b;
        w->cap = want;
    }
    w->off = off;
    w->len = 0;
    while (w->len < n) {
        ssize_t got = pread(sp->fd, w->buf + w->len, want - w->len, (off_t)(off + w->len));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            spill_note_read_error(sp, got < 0 ? errno : EIO);
            return NULL;
        }
        w->len += (size_t)got;
    }
    return w->buf;
}

/* Copies the next size bytes of the record into a new array at *dst. */
static bool take_array(void **dst, const unsigned char **p, const unsigned char *end, size_t size)
{
    *dst = NULL;
    if (!size)
        return true;
    if ((size_t)(end - *p) < size || !(*dst = malloc(size)))
        return false;
    memcpy(*dst, *p, size);
    *p += size;
    return true;
}

/* Reads a record's body into e (zeroed). */
static bool decode(struct tracked_session *e, const unsigned char *p, const unsigned char *end)
{
    uint64_t mask[MASK_WORDS], flags;
    size_t n = 0;
    if ((size_t)(end - p) < sizeof mask)
        return false;
    memcpy(mask, p, sizeof mask);
    p += sizeof mask;
    for (size_t k = 0; k < MASK_WORDS; k++)
        n += (size_t)__builtin_popcountll(mask[k]);
    const unsigned tail_bits = SESSION_WORDS % 64; /* bits of the last mask word in use */
    if ((tail_bits && mask[MASK_WORDS - 1] >> tail_bits) || (size_t)(end - p) < n * sizeof(uint64_t) + sizeof flags)
        return false;
    unsigned char *words = (unsigned char *)e;
    for (size_t k = 0; k < MASK_WORDS; k++)
        for (uint64_t m = mask[k]; m; m &= m - 1) { /* each bit set: a word that is not zero */
            memcpy(words + (k * 64 + (size_t)__builtin_ctzll(m)) * sizeof(uint64_t), p, sizeof(uint64_t));
            p += sizeof(uint64_t);
        }
    memcpy(&flags, p, sizeof flags);
    p += sizeof flags;

    struct session *s = &e->pub;
    struct session_encap head;
    if (!take_array((void **)&s->events, &p, end, (size_t)s->n_events * sizeof *s->events) ||
        !take_array((void **)&s->gaps, &p, end, (size_t)s->n_gaps * sizeof *s->gaps) ||
        !take_array((void **)&s->zeek_more, &p, end, (size_t)s->n_zeek_more * sizeof *s->zeek_more))
        return false;
    e->timeline.cap_events = s->n_events;
    e->timeline.cap_gaps = s->n_gaps;
    if (flags & FLAG_ENCAP) {
        if ((size_t)(end - p) < sizeof head)
            return false;
        memcpy(&head, p, sizeof head);
        if (!take_array((void **)&s->encap, &p, end, encap_size(&head)))
            return false;
    }
    if ((flags & FLAG_RING) &&
        !take_array((void **)&e->timeline.ring, &p, end, TIMELINE_TAIL * sizeof *e->timeline.ring))
        return false;
    uint64_t place = flags >> FLAG_BITS;
    if (place == 1)
        e->zeek.history = s->zeek_history;
    else if (place >= 2 && place - 2 < s->n_zeek_more)
        e->zeek.history = s->zeek_more[place - 2].history;
    return p == end;
}

bool spill_read(struct spill *sp, uint64_t off, struct spill_window *w, struct tracked_session *e)
{
    memset(e, 0, sizeof *e);
    uint32_t body;
    const unsigned char *p = bytes_at(sp, w, off, sizeof body);
    if (!p)
        return false;
    memcpy(&body, p, sizeof body);
    if (!(p = bytes_at(sp, w, off, sizeof body + (size_t)body)))
        return false;
    if (!decode(e, p + sizeof body, p + sizeof body + body)) {
        spill_note_read_error(sp, EIO); /* a record that does not read back as written */
        tracked_session_clear(e);
        return false;
    }
    return true;
}

void spill_window_free(struct spill_window *w)
{
    for (size_t k = 0; k < SPILL_WINDOWS; k++)
        free(w->w[k].buf);
    memset(w, 0, sizeof *w);
}

void tracked_session_clear(struct tracked_session *e)
{
    timeline_free(&e->pub, &e->timeline);
    tunnel_free(&e->pub);
    free(e->pub.zeek_more);
    e->pub.zeek_more = NULL;
}

void tracked_session_free(struct tracked_session *e)
{
    if (!e)
        return;
    tracked_session_clear(e);
    free(e);
}
