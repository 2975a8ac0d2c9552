/* reader.c — a capture file's bytes for our pcap/pcapng reader (capfile.c): hashed and counted
 * on the way, inflated when gzip'd (reader.h).
 *
 * capfile reads through a stdio cookie stream whose read function reads the file, hashes and
 * counts its bytes, and inflates them when the file starts with the gzip magic. A plain
 * regular file bigger than a buffer, with a core to spare, is read by capfile directly
 * instead, while a helper thread hashes it a second time from the page cache (below). Why our
 * own reader and not libpcap's or libwiretap's: capfile.h and docs/capture-formats.md. */
#define _GNU_SOURCE /* fopencookie */
#include "reader.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "sha256.h"

/* The stream's stdio buffer: one read(2) per 64 KiB instead of one per 8 KiB (glibc's default
 * for a cookie stream). capfile asks for 256 KiB at a time, which glibc reads past the
 * buffer straight into capfile's; the buffer serves the smaller reads that top up a record
 * cut by the end of capfile's buffer. */
enum { READ_BUFFER = 1 << 16 };

/* ---- hashing helper thread -------------------------------------------------------------- */

/* SHA-256 costs about as much as everything else done per byte put together (even with the
 * SHA instructions: 1.8 GB/s, while capfile reads some 7 GB/s), so on a machine with a core to
 * spare a helper thread hashes a regular file while the reader decodes it. The helper reads
 * the file a second time, with pread, behind the reader: the reader publishes how many bytes
 * it has read (hash_helper_advance) and the helper hashes up to there. They share no buffer,
 * so neither waits for the other until the end; the second read costs the helper a copy from
 * the page cache, and the reader nothing. Pipes and small files are hashed in line.
 *
 * In batch mode every core already runs a capture, and a helper would only compete with
 * them: the helper is used only while the run's core budget spares a core (cores.h). */

struct hash_helper {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;      /* signalled when target moves, or the helper must stop */
    int fd;
    off_t start;              /* offset in fd of the file's first byte */
    struct sha256 *hash;      /* only the helper touches it until hash_helper_finish */
    uint64_t target;          /* guarded by lock: bytes the reader has read */
    bool finished;            /* guarded by lock: target will not move again */
    bool abandon;             /* stop now, the digest is not wanted (atomic: read unlocked) */
    bool asleep;              /* guarded by lock: the helper waits on cond, having hashed all
                                 bytes up to hash->length */
    uint8_t buf[1 << 18];
};

static void *hash_helper_main(void *arg)
{
    struct hash_helper *hh = arg;
    for (;;) {
        pthread_mutex_lock(&hh->lock);
        bool stop;
        while (!(stop = __atomic_load_n(&hh->abandon, __ATOMIC_RELAXED)) && !hh->finished &&
               hh->hash->length == hh->target) {
            hh->asleep = true;
            pthread_cond_wait(&hh->cond, &hh->lock);
        }
        hh->asleep = false;
        uint64_t goal = hh->target;
        bool last = hh->finished;
        pthread_mutex_unlock(&hh->lock);
        if (stop)
            return NULL;
        while (hh->hash->length < goal && !__atomic_load_n(&hh->abandon, __ATOMIC_RELAXED)) {
            uint64_t done = hh->hash->length;
            size_t want = goal - done < sizeof hh->buf ? (size_t)(goal - done) : sizeof hh->buf;
            ssize_t n = pread(hh->fd, hh->buf, want, hh->start + (off_t)done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return NULL; /* hash_helper_finish tries the rest itself */
            sha256_update(hh->hash, hh->buf, (size_t)n);
        }
        if (last)
            return NULL;
    }
}

/* Starts hashing fd (whose bytes before start + hash->length are hashed already) behind the
 * reader. NULL when no thread can be had: then hashing stays in line. */
static struct hash_helper *hash_helper_start(int fd, off_t start, struct sha256 *hash)
{
    struct hash_helper *hh = malloc(sizeof *hh);
    if (!hh)
        return NULL;
    memset(hh, 0, offsetof(struct hash_helper, buf));
    hh->fd = fd;
    hh->start = start;
    hh->hash = hash;
    hh->target = hash->length;
    pthread_mutex_init(&hh->lock, NULL);
    pthread_cond_init(&hh->cond, NULL);
    if (pthread_create(&hh->thread, NULL, hash_helper_main, hh) != 0) {
        pthread_cond_destroy(&hh->cond);
        pthread_mutex_destroy(&hh->lock);
        free(hh);
        return NULL;
    }
    return hh;
}

/* The reader has now read size bytes of the file. A helper that has caught up is woken
 * only once a few MiB are waiting for it: waking it for every read cost the reader more than
 * a few percent of its time in futex calls. */
static void hash_helper_advance(struct hash_helper *hh, uint64_t size)
{
    enum { WAKE_AFTER = 4 << 20 };
    pthread_mutex_lock(&hh->lock);
    hh->target = size;
    if (hh->asleep && size - hh->hash->length >= WAKE_AFTER)
        pthread_cond_signal(&hh->cond);
    pthread_mutex_unlock(&hh->lock);
}

/* Ends the thread: with want_digest, after it has hashed all size bytes the reader read
 * (reading what it could not itself); otherwise at once. Returns -1 when the file can no
 * longer give those bytes (changed under us, or an I/O error). Accepts NULL. */
static int hash_helper_finish(struct hash_helper *hh, uint64_t size, bool want_digest)
{
    if (!hh)
        return 0;
    pthread_mutex_lock(&hh->lock);
    hh->target = size;
    hh->finished = true;
    __atomic_store_n(&hh->abandon, !want_digest, __ATOMIC_RELAXED);
    pthread_cond_signal(&hh->cond);
    pthread_mutex_unlock(&hh->lock);
    pthread_join(hh->thread, NULL);
    int rc = 0;
    while (want_digest && hh->hash->length < size) {
        uint64_t done = hh->hash->length;
        size_t want = size - done < sizeof hh->buf ? (size_t)(size - done) : sizeof hh->buf;
        ssize_t n = pread(hh->fd, hh->buf, want, hh->start + (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = -1;
            break;
        }
        sha256_update(hh->hash, hh->buf, (size_t)n);
    }
    if (want_digest && hh->hash->length != size)
        rc = -1; /* hashed past what the reader found: the file shrank under us */
    pthread_cond_destroy(&hh->cond);
    pthread_mutex_destroy(&hh->lock);
    free(hh);
    return rc;
}

/* ---- the reader ------------------------------------------------------------------------- */

struct reader {
    const char *path;         /* borrowed from the caller, for messages */
    struct capfile *cf;       /* reads from under (direct) or from the cookie stream */
    FILE *cookie;             /* the cookie stream, or NULL (direct) */
    FILE *under;
    bool close_under;
    struct sha256 hash;       /* of the bytes of the file, compressed or not; while a helper
                                 runs, only the helper touches it */
    uint64_t size;            /* bytes read from the file so far */
    uint8_t *iobuf;           /* the cookie stream's stdio buffer (READ_BUFFER bytes) */
    int fd;                   /* under's descriptor when it is a regular file, else -1 */
    off_t start;              /* fd's offset before the first read */
    struct hash_helper *helper; /* NULL: hashing in line */
    bool helper_tried;
    const struct core_budget *cores; /* whether a helper may start (NULL: never) */
    bool direct;              /* capfile reads under itself; the helper hashes (start_direct) */
    bool started, gzip, gzip_end;
    enum reader_gzip gzip_kind; /* what gzip_problem is */
    z_stream z;               /* next_in/avail_in: raw bytes read and not yet used */
    char gzip_problem[120];   /* why the gzip data stopped early, or "" */
    uint8_t in[1 << 15];
};

/* Reads raw bytes from the file and hashes them, or has the helper hash them (see
 * hash_helper); -1 on a read error. */
static ssize_t raw_read(struct reader *h, void *buf, size_t size)
{
    size_t n = fread(buf, 1, size, h->under);
    if (n == 0 && ferror(h->under))
        return -1;
    if (!h->helper && !h->helper_tried && h->fd >= 0 && h->size >= READ_BUFFER && core_budget_spare(h->cores)) {
        h->helper_tried = true; /* a file bigger than one buffer: worth a thread */
        h->helper = hash_helper_start(h->fd, h->start, &h->hash);
    }
    h->size += n;
    if (h->helper)
        hash_helper_advance(h->helper, h->size);
    else
        sha256_update(&h->hash, buf, n);
    return (ssize_t)n;
}

static bool refill(struct reader *h)
{
    ssize_t n = raw_read(h, h->in, sizeof h->in);
    h->z.next_in = h->in;
    h->z.avail_in = n > 0 ? (uInt)n : 0;
    return n > 0;
}

/* Inflates into buf; members of a concatenated gzip file follow each other. Returns the
 * bytes produced, 0 at the end, -1 on damaged data (with gzip_problem set). */
static ssize_t gunzip_read(struct reader *h, uint8_t *buf, size_t size)
{
    h->z.next_out = buf;
    h->z.avail_out = size > UINT_MAX ? UINT_MAX : (uInt)size;
    uInt want = h->z.avail_out;
    while (h->z.avail_out == want && !h->gzip_end) {
        if (h->z.avail_in == 0 && !refill(h)) {
            snprintf(h->gzip_problem, sizeof h->gzip_problem, "the gzip data ends early");
            h->gzip_kind = READER_GZIP_ENDS_EARLY;
            h->gzip_end = true;
            break;
        }
        int zr = inflate(&h->z, Z_NO_FLUSH);
        if (zr == Z_STREAM_END) {
            if (h->z.avail_in == 0 && !refill(h)) {
                h->gzip_end = true;
            } else if (h->z.next_in[0] == 0x1f) {
                inflateReset(&h->z); /* the next member */
            } else {
                snprintf(h->gzip_problem, sizeof h->gzip_problem, "bytes after the gzip data were ignored");
                h->gzip_kind = READER_GZIP_TRAILING;
                h->gzip_end = true;
            }
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            snprintf(h->gzip_problem, sizeof h->gzip_problem, "the gzip data is damaged (%s)",
                     h->z.msg ? h->z.msg : "inflate failed");
            h->gzip_end = true;
            h->gzip_kind = READER_GZIP_DAMAGED;
            if (h->z.avail_out == want) {
                errno = EIO;
                return -1;
            }
        }
    }
    return (ssize_t)(want - h->z.avail_out);
}

static ssize_t hashing_read(void *cookie, char *buf, size_t size)
{
    struct reader *h = cookie;
    ssize_t n;
    if (!h->started) {
        h->started = true;
        if (!refill(h) && ferror(h->under))
            return -1;
        if (h->z.avail_in >= 2 && h->in[0] == 0x1f && h->in[1] == 0x8b) {
            if (inflateInit2(&h->z, 16 + MAX_WBITS) != Z_OK) {
                errno = ENOMEM;
                return -1;
            }
            h->gzip = true;
        }
    }
    if (h->gzip) {
        n = gunzip_read(h, (uint8_t *)buf, size);
    } else if (h->z.avail_in) { /* what was read to look for the gzip magic */
        n = (ssize_t)(size < h->z.avail_in ? size : h->z.avail_in);
        memcpy(buf, h->z.next_in, (size_t)n);
        h->z.next_in += n;
        h->z.avail_in -= (uInt)n;
    } else {
        n = raw_read(h, buf, size);
    }
    return n;
}

static int hashing_close(void *cookie)
{
    struct reader *h = cookie;
    hash_helper_finish(h->helper, h->size, false); /* only on failure: the digest is done before */
    h->helper = NULL;
    if (h->gzip)
        inflateEnd(&h->z);
    if (h->close_under)
        fclose(h->under);
    h->under = NULL;
    return 0;
}

/* ---- opening ------------------------------------------------------------------------------ */

/* Opens the file (or takes standard input) and notes whether the helper could read it a
 * second time: a regular file, at a known offset. *file_size is its size then. */
static int open_file(struct reader *hr, off_t *file_size, char *err, size_t errlen)
{
    const char *path = hr->path;
    if (strcmp(path, "-") == 0) {
        hr->under = stdin;
    } else {
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "%s: is a directory, not a capture file", path);
            return -1;
        }
        hr->under = fopen(path, "rb");
        if (!hr->under) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            return -1;
        }
        hr->close_under = true;
    }
    struct stat under_st;
    hr->fd = -1;
    *file_size = 0;
    if (fstat(fileno(hr->under), &under_st) == 0 && S_ISREG(under_st.st_mode)) {
        hr->start = lseek(fileno(hr->under), 0, SEEK_CUR);
        if (hr->start >= 0)
            hr->fd = fileno(hr->under);
        *file_size = under_st.st_size;
    }
    return 0;
}

/* A plain regular file bigger than the buffer, with a core to spare: the helper hashes it on
 * its own from the start, and capfile reads the file itself, without the cookie stream
 * between them (glibc copies every byte a cookie stream reads once more, through its buffer).
 * True when that is how it will be read. */
static bool start_direct(struct reader *hr, off_t file_size)
{
    uint8_t head[4];
    if (hr->fd >= 0 && file_size - hr->start >= READ_BUFFER && core_budget_spare(hr->cores) &&
        pread(hr->fd, head, 4, hr->start) == 4 && !(head[0] == 0x1f && head[1] == 0x8b) &&
        (hr->helper = hash_helper_start(hr->fd, hr->start, &hr->hash)) != NULL) {
        hr->direct = true;
        hash_helper_advance(hr->helper, (uint64_t)(file_size - hr->start));
        return true;
    }
    return false;
}

/* Opens capfile on the file itself (direct) or on the cookie stream. On failure err says why
 * in the words a user needs (an empty file, gzip'd data); reader_close closes the file. */
static int open_capfile(struct reader *hr, char *err, size_t errlen)
{
    char why[256] = "";
    FILE *in = hr->under;
    if (!hr->direct) {
        hr->cookie = fopencookie(hr, "rb", (cookie_io_functions_t){.read = hashing_read, .close = hashing_close});
        if (!hr->cookie) {
            snprintf(err, errlen, "%s: %s", hr->path, strerror(errno));
            return -1;
        }
        in = hr->cookie;
    }
    setvbuf(in, (char *)hr->iobuf, _IOFBF, READ_BUFFER);
    hr->cf = capfile_open(in, why, sizeof why);
    if (hr->cf)
        return 0;
    if (!hr->direct && hr->size == 0)
        snprintf(err, errlen, "%s: the file is empty, not a capture", hr->path);
    else
        snprintf(err, errlen, "%s: not a readable capture file (%s%s)", hr->path, hr->gzip ? "gzip'd; " : "",
                 hr->gzip_problem[0] ? hr->gzip_problem : why);
    return -1;
}

struct reader *reader_open(const char *path, const struct core_budget *cores, char *err, size_t errlen)
{
    struct reader *hr = calloc(1, sizeof *hr);
    off_t file_size;
    if (!hr || !(hr->iobuf = malloc(READ_BUFFER))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    hr->path = path;
    hr->cores = cores;
    if (!sha256_init(&hr->hash)) {
        snprintf(err, errlen, "%s: SHA-256 (libcrypto): %s", path, sha256_failure(&hr->hash));
        goto fail;
    }
    if (open_file(hr, &file_size, err, errlen) != 0)
        goto fail;
    start_direct(hr, file_size);
    if (open_capfile(hr, err, errlen) != 0)
        goto fail;
    return hr;
fail:
    reader_close(hr);
    return NULL;
}

/* ---- reading, finishing ------------------------------------------------------------------- */

struct capfile *reader_capfile(const struct reader *rd) { return rd->cf; }

const char *reader_gzip_problem(const struct reader *rd, enum reader_gzip *kind)
{
    *kind = rd->gzip_kind;
    return rd->gzip_problem[0] ? rd->gzip_problem : NULL;
}

uint64_t reader_bytes_read(const struct reader *rd)
{
    if (!rd->direct)
        return rd->size;
    off_t at = ftello(rd->under);
    return at > rd->start ? (uint64_t)(at - rd->start) : 0;
}

int reader_finish(struct reader *rd, uint64_t *size, char sha256[65], char *err, size_t errlen)
{
    /* Hash whatever capfile did not read (after a damaged tail, say), so that the digest
     * covers the whole file. */
    char buf[1 << 15];
    if (rd->direct) {
        while (fread(buf, 1, sizeof buf, rd->under) > 0)
            ;
        rd->size = reader_bytes_read(rd);
    } else {
        while (raw_read(rd, buf, sizeof buf) > 0)
            ;
    }
    int hashed = hash_helper_finish(rd->helper, rd->size, true);
    rd->helper = NULL;
    if (hashed != 0) {
        snprintf(err, errlen, "%s: the file changed or could not be read again while it was hashed", rd->path);
        return -1;
    }
    *size = rd->size;
    if (!sha256_final_hex(&rd->hash, sha256)) {
        snprintf(err, errlen, "%s: SHA-256 (libcrypto): %s", rd->path, sha256_failure(&rd->hash));
        return -1;
    }
    return 0;
}

void reader_close(struct reader *rd)
{
    if (!rd)
        return;
    capfile_close(rd->cf);
    if (rd->cookie) {
        fclose(rd->cookie); /* hashing_close stops a helper and closes the file */
    } else {
        hash_helper_finish(rd->helper, 0, false); /* only on failure: the digest is done before */
        rd->helper = NULL;
        if (rd->under && rd->close_under)
            fclose(rd->under);
    }
    sha256_free(&rd->hash); /* when the digest was not finished */
    free(rd->iobuf);
    free(rd);
}
