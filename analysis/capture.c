/* capture.c — reads a capture with libpcap and runs the analysis pipeline over it.
 *
 * The file is read through a stdio cookie that hashes and counts every byte libpcap reads,
 * so the SHA-256 and size come out of the same single pass, for standard input too. The same
 * cookie inflates a gzip'd capture on the way, so .pcap.gz and .pcapng.gz read like the
 * uncompressed files (the digest and size stay those of the file as given). */
#define _GNU_SOURCE /* fopencookie */
#include "capture.h"

#include <errno.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "classify.h"
#include "sha256.h"

enum { WARNINGS_PER_CODE = 10, PROGRESS_EVERY = 1 << 16 };

/* libpcap reads through a stdio buffer of this size: one read(2) per 64 KiB instead of one
 * per 8 KiB (glibc's default for a cookie stream). 256 KiB measured 2 % slower on the large
 * benchmark capture: what the kernel copies in is less often still in cache when libpcap
 * copies it out. */
enum { READ_BUFFER = 1 << 16 };

/* ---- hashing helper thread -------------------------------------------------------------- */

/* SHA-256 costs about as much as everything else done per byte put together (even with the
 * SHA instructions: 1.8 GB/s, while libpcap reads 2.5 GB/s), so on a machine with a core to
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

/* ---- hashing reader --------------------------------------------------------------------- */

struct hashing_reader {
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
    bool direct;              /* libpcap reads under itself; the helper hashes (see capture_analyze) */
    uint8_t magic[4];         /* the first bytes handed to libpcap: the capture's magic */
    size_t magic_len;
    bool started, gzip, gzip_end;
    z_stream z;               /* next_in/avail_in: raw bytes read and not yet used */
    char gzip_problem[120];   /* why the gzip data stopped early, or "" */
    uint8_t in[1 << 15];
};

/* Reads raw bytes from the file and hashes them, or has the helper hash them (see
 * hash_helper); -1 on a read error. */
static ssize_t raw_read(struct hashing_reader *h, void *buf, size_t size)
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

static bool refill(struct hashing_reader *h)
{
    ssize_t n = raw_read(h, h->in, sizeof h->in);
    h->z.next_in = h->in;
    h->z.avail_in = n > 0 ? (uInt)n : 0;
    return n > 0;
}

/* Inflates into buf; members of a concatenated gzip file follow each other. Returns the
 * bytes produced, 0 at the end, -1 on damaged data (with gzip_problem set). */
static ssize_t gunzip_read(struct hashing_reader *h, uint8_t *buf, size_t size)
{
    h->z.next_out = buf;
    h->z.avail_out = size > UINT_MAX ? UINT_MAX : (uInt)size;
    uInt want = h->z.avail_out;
    while (h->z.avail_out == want && !h->gzip_end) {
        if (h->z.avail_in == 0 && !refill(h)) {
            snprintf(h->gzip_problem, sizeof h->gzip_problem, "the gzip data ends early");
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
                h->gzip_end = true;
            }
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            snprintf(h->gzip_problem, sizeof h->gzip_problem, "the gzip data is damaged (%s)",
                     h->z.msg ? h->z.msg : "inflate failed");
            h->gzip_end = true;
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
    struct hashing_reader *h = cookie;
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
    for (ssize_t i = 0; i < n && h->magic_len < 4; i++)
        h->magic[h->magic_len++] = (uint8_t)buf[i];
    return n;
}

static int hashing_close(void *cookie)
{
    struct hashing_reader *h = cookie;
    hash_helper_finish(h->helper, h->size, false); /* only on failure: the digest is done before */
    h->helper = NULL;
    if (h->gzip)
        inflateEnd(&h->z);
    if (h->close_under)
        fclose(h->under);
    h->under = NULL;
    return 0;
}

/* ---- report helpers ---------------------------------------------------------------------- */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static void add_warning(struct capture_report *r, const char *code, uint64_t packet, const char *fmt, ...)
{
    size_t same = 0;
    for (size_t i = 0; i < r->n_warnings; i++)
        same += strcmp(r->warnings[i].code, code) == 0;
    if (same >= WARNINGS_PER_CODE) {
        r->warnings_suppressed++;
        return;
    }
    struct capture_warning *w = realloc(r->warnings, (r->n_warnings + 1) * sizeof *w);
    if (!w)
        return;
    r->warnings = w;
    w = &r->warnings[r->n_warnings++];
    memset(w, 0, sizeof *w);
    snprintf(w->code, sizeof w->code, "%s", code);
    w->packet = packet;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->message, sizeof w->message, fmt, ap);
    va_end(ap);
}

void capture_report_free(struct capture_report *r)
{
    if (!r)
        return;
    session_table_free(r->table);
    free(r->warnings);
    free(r->offload_hosts);
    free(r->path);
    free(r->file_name);
    free(r);
}

static int compare_hosts(const void *x, const void *y)
{
    const struct host_checksums *a = x, *b = y;
    if (a->ip_version != b->ip_version)
        return a->ip_version - b->ip_version;
    return memcmp(a->addr, b->addr, 16);
}

/* A host all of whose segments had bad checksums was most likely the capturing host, whose
 * network card fills checksums in after the capture point (offload). Only a host with a bad
 * checksum somewhere can be one: summarise gathers those sides (seldom many) while it walks
 * the sessions anyway, and then every side is counted against them through a small hash
 * table. Sorting all the sides took 45 ms at the end of a 112,000-session capture. */

struct offload_search {
    struct host_checksums *hosts; /* candidates; deduplicated and sorted before counting */
    size_t n, cap;
    uint32_t *slots;              /* index + 1 into hosts; 0: empty */
    size_t mask;
};

static void offload_candidate(struct offload_search *o, const struct session *s, int k)
{
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 64;
        struct host_checksums *h = realloc(o->hosts, cap * sizeof *h);
        if (!h)
            return; /* a host less to suspect: the report says nothing wrong for it */
        o->hosts = h;
        o->cap = cap;
    }
    struct host_checksums *h = &o->hosts[o->n++];
    memset(h, 0, sizeof *h);
    h->ip_version = s->ip_version;
    memcpy(h->addr, s->side[k].addr, 16);
}

static size_t host_slot(const struct offload_search *o, int ip_version, const uint8_t addr[16])
{
    uint64_t w[2];
    memcpy(w, addr, 16);
    uint64_t h = (w[0] ^ (w[1] * 0x9e3779b97f4a7c15ULL) ^ (uint64_t)ip_version) * 0xff51afd7ed558ccdULL;
    return (size_t)(h >> 32) & o->mask;
}

static struct host_checksums *find_host(const struct offload_search *o, int ip_version, const uint8_t addr[16])
{
    for (size_t i = host_slot(o, ip_version, addr);; i = (i + 1) & o->mask) {
        if (!o->slots[i])
            return NULL;
        struct host_checksums *h = &o->hosts[o->slots[i] - 1];
        if (h->ip_version == ip_version && memcmp(h->addr, addr, 16) == 0)
            return h;
    }
}

static void find_offload_hosts(struct capture_report *r, struct offload_search *o)
{
    if (!o->n)
        return;
    qsort(o->hosts, o->n, sizeof *o->hosts, compare_hosts);
    size_t u = 0;
    for (size_t i = 0; i < o->n; i++)
        if (!u || compare_hosts(&o->hosts[u - 1], &o->hosts[i]) != 0)
            o->hosts[u++] = o->hosts[i];
    size_t n_slots = 4;
    while (n_slots < 2 * u)
        n_slots *= 2;
    o->slots = calloc(n_slots, sizeof *o->slots);
    if (!o->slots)
        return;
    o->mask = n_slots - 1;
    for (size_t i = 0; i < u; i++) {
        size_t j = host_slot(o, o->hosts[i].ip_version, o->hosts[i].addr);
        while (o->slots[j])
            j = (j + 1) & o->mask;
        o->slots[j] = (uint32_t)i + 1;
    }
    for (size_t i = 0; i < r->n_sessions; i++) {
        const struct session *s = capture_session(r, i);
        for (int k = 0; k < 2; k++) {
            struct host_checksums *h = find_host(o, s->ip_version, s->side[k].addr);
            if (h) {
                h->packets += s->side[k].packets;
                h->bad += s->side[k].bad_checksums;
            }
        }
    }
    size_t kept = 0;
    for (size_t i = 0; i < u; i++)
        if (o->hosts[i].packets && o->hosts[i].bad == o->hosts[i].packets)
            o->hosts[kept++] = o->hosts[i];
    if (kept) {
        r->offload_hosts = o->hosts; /* sorted, as compare_hosts orders them */
        r->n_offload_hosts = kept;
        o->hosts = NULL;
    }
}

static void summarise(struct capture_report *r)
{
    struct offload_search o = {0};
    r->n_sessions = session_table_count(r->table);
    r->sessions_dropped = session_table_sessions_dropped(r->table);
    for (size_t i = 0; i < r->n_sessions; i++) {
        struct session *s = session_table_get(r->table, i);
        classify_session(s);
        r->handshake_counts[s->handshake]++;
        r->teardown_counts[s->teardown]++;
        for (int a = 0; a < ANOMALIES; a++)
            r->anomaly_counts[a] += session_has_anomaly(s, (enum anomaly)a);
        for (int k = 0; k < 2; k++) {
            r->bad_checksums += s->side[k].bad_checksums;
            if (s->side[k].bad_checksums)
                offload_candidate(&o, s, k);
        }
    }
    find_offload_hosts(r, &o);
    free(o.hosts);
    free(o.slots);
}

static void link_name(int dlt, char *buf, size_t len)
{
    const char *name = pcap_datalink_val_to_name(dlt); /* NULL for some values (DLT 14) */
    if (name)
        snprintf(buf, len, "%s", name);
    else
        snprintf(buf, len, "DLT_%d", dlt);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---- the reading loop --------------------------------------------------------------------- */

/* Bytes of the file read so far. */
static uint64_t bytes_read(struct hashing_reader *hr)
{
    if (!hr->direct)
        return hr->size;
    off_t at = ftello(hr->under);
    return at > hr->start ? (uint64_t)(at - hr->start) : 0;
}

static int read_packets(pcap_t *p, struct capture_report *r, const struct capture_options *opt,
                        struct bpf_program *filter, struct hashing_reader *hr, char *err, size_t errlen)
{
    struct pcap_pkthdr *hdr;
    const u_char *data;
    struct decoded_packet pkt;
    bool sub_us = false;
    int rc;

    while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
        uint64_t n = ++r->counts.total;
        /* Seconds outside 0..2^32-1 (what classic pcap can hold, 1970 to 2106) come from
         * damaged pcapng timestamps; clamped, so that no nanosecond sum or difference
         * downstream can overflow. */
        int64_t sec = hdr->ts.tv_sec;
        if (sec < 0 || sec > (int64_t)UINT32_MAX) {
            add_warning(r, "bad-timestamp", n, "packet %llu: timestamp of %lld s is outside 1970-2106; using %s",
                        (unsigned long long)n, (long long)sec, sec < 0 ? "1970" : "2106");
            sec = sec < 0 ? 0 : (int64_t)UINT32_MAX;
        }
        int64_t ts = sec * 1000000000 + hdr->ts.tv_usec;
        size_t caplen = hdr->caplen, len = hdr->len;

        if (!r->have_packets || ts < r->first_ts)
            r->first_ts = ts;
        if (!r->have_packets || ts > r->last_ts)
            r->last_ts = ts;
        r->have_packets = true;
        sub_us |= hdr->ts.tv_usec % 1000 != 0;
        if (caplen > len) {
            add_warning(r, "caplen-exceeds-len", n,
                        "packet %llu: captured length %zu exceeds the original length %zu; using %zu",
                        (unsigned long long)n, caplen, len, len);
            caplen = len;
        }
        if (filter && !pcap_offline_filter(filter, hdr, data)) {
            r->counts.filtered_out++;
            continue;
        }
        const char *why = NULL;
        enum decode_outcome o = decode_packet(r->link_type, data, caplen, len, &pkt, &why);
        r->counts.by_outcome[o]++;
        if (o == DECODE_TCP) {
            if (pkt.options_malformed)
                add_warning(r, "malformed-options", n,
                            "packet %llu: malformed TCP options (a length of 0 or 1, wrong for the option's kind, "
                            "or past the end of the TCP header)", (unsigned long long)n);
            session_table_push(r->table, &pkt, ts, n);
            if (session_table_oom(r->table))
                break;
        } else if (o == DECODE_TRUNCATED) {
            /* Says how much was there, so a too-small tcpdump -s shows as what it is. */
            int snap = pcap_snapshot(p);
            char snap_note[32] = "";
            if (snap > 0 && caplen == (size_t)snap)
                snprintf(snap_note, sizeof snap_note, "; snap length %d", snap);
            add_warning(r, decode_outcome_name(o), n, "packet %llu: %s (%zu of %zu bytes captured%s)",
                        (unsigned long long)n, why, caplen, len, snap_note);
        } else if (o == DECODE_MALFORMED) {
            add_warning(r, decode_outcome_name(o), n, "packet %llu: %s", (unsigned long long)n, why);
        }
        if (opt->progress && n % PROGRESS_EVERY == 0 && opt->progress(opt->progress_arg, n, bytes_read(hr))) {
            set_err(err, errlen, "interrupted at packet %llu", (unsigned long long)n);
            return -1;
        }
    }
    session_table_finish(r->table);
    if (session_table_oom(r->table)) {
        set_err(err, errlen, "out of memory at packet %llu", (unsigned long long)session_table_oom(r->table));
        return -1;
    }
    r->counts.session_cap = session_table_dropped(r->table);
    uint64_t first_cap_drop = session_table_first_dropped(r->table);
    if (first_cap_drop)
        add_warning(r, "session-cap", first_cap_drop,
                    "packet %llu: the session cap (%llu) was reached; %llu later sessions "
                    "(%llu TCP segments) were counted but not analysed", (unsigned long long)first_cap_drop,
                    (unsigned long long)opt->max_sessions,
                    (unsigned long long)session_table_sessions_dropped(r->table),
                    (unsigned long long)r->counts.session_cap);
    if (rc == PCAP_ERROR || hr->gzip_problem[0]) {
        /* A damaged tail: everything before it is still analysed. */
        add_warning(r, "damaged-tail", r->counts.total + 1, "packet %llu: %s; the rest of the file was not read",
                    (unsigned long long)r->counts.total + 1, hr->gzip_problem[0] ? hr->gzip_problem : pcap_geterr(p));
    }
    /* Hash whatever libpcap did not read, so the digest covers the whole file. */
    char buf[1 << 15];
    if (hr->direct) {
        while (fread(buf, 1, sizeof buf, hr->under) > 0)
            ;
        hr->size = bytes_read(hr);
    } else {
        while (raw_read(hr, buf, sizeof buf) > 0)
            ;
    }
    bool ns_magic = (hr->magic[0] == 0xa1 && hr->magic[1] == 0xb2 && hr->magic[2] == 0x3c && hr->magic[3] == 0x4d) ||
                    (hr->magic[0] == 0x4d && hr->magic[1] == 0x3c && hr->magic[2] == 0xb2 && hr->magic[3] == 0xa1);
    r->ts_digits = ns_magic || sub_us ? 9 : 6;
    return 0;
}

int capture_analyze(const char *path, const struct capture_options *opt_in,
                    struct capture_report **out, char *err, size_t errlen)
{
    static const struct capture_options defaults;
    const struct capture_options *opt = opt_in ? opt_in : &defaults;
    char pcap_err[PCAP_ERRBUF_SIZE] = "";
    struct hashing_reader *hr = NULL;
    struct bpf_program filter;
    bool have_filter = false;
    pcap_t *p = NULL;
    FILE *cookie = NULL;
    bool holding = false; /* core_budget_hold() was called */
    int ret = -1;

    *out = NULL;
    struct capture_report *r = calloc(1, sizeof *r);
    hr = calloc(1, sizeof *hr);
    if (hr) {
        hr->iobuf = malloc(READ_BUFFER);
    }
    if (!r || !hr || !hr->iobuf) {
        set_err(err, errlen, "out of memory");
        goto fail;
    }
    r->path = strdup(path);
    r->file_name = strdup(strcmp(path, "-") == 0 ? "-" : base_name(path));
    if (!r->path || !r->file_name) {
        set_err(err, errlen, "out of memory");
        goto fail;
    }
    if (!sha256_init(&hr->hash)) {
        set_err(err, errlen, "%s: SHA-256 (libcrypto): %s", path, sha256_failure(&hr->hash));
        goto fail;
    }

    if (strcmp(path, "-") == 0) {
        hr->under = stdin;
    } else {
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            set_err(err, errlen, "%s: is a directory, not a capture file", path);
            goto fail;
        }
        hr->under = fopen(path, "rb");
        if (!hr->under) {
            set_err(err, errlen, "%s: %s", path, strerror(errno));
            goto fail;
        }
        hr->close_under = true;
    }
    /* A regular file can be read a second time by the hashing helper (see hash_helper). */
    struct stat under_st;
    hr->fd = -1;
    if (fstat(fileno(hr->under), &under_st) == 0 && S_ISREG(under_st.st_mode)) {
        hr->start = lseek(fileno(hr->under), 0, SEEK_CUR);
        if (hr->start >= 0)
            hr->fd = fileno(hr->under);
    }
    hr->cores = opt->cores;
    core_budget_hold(opt->cores);
    holding = true;
    /* A plain regular file bigger than the buffer, with a core to spare: the helper hashes it
     * on its own from the start, and libpcap reads the file itself, without the cookie
     * stream between them (glibc's generic path for cookie streams copies small reads byte by
     * byte, and libpcap makes two reads per packet). */
    uint8_t head[4];
    if (hr->fd >= 0 && under_st.st_size - hr->start >= READ_BUFFER && core_budget_spare(opt->cores) &&
        pread(hr->fd, head, 4, hr->start) == 4 && !(head[0] == 0x1f && head[1] == 0x8b) &&
        (hr->helper = hash_helper_start(hr->fd, hr->start, &hr->hash)) != NULL) {
        hr->direct = true;
        memcpy(hr->magic, head, 4);
        hr->magic_len = 4;
        hash_helper_advance(hr->helper, (uint64_t)(under_st.st_size - hr->start));
        setvbuf(hr->under, (char *)hr->iobuf, _IOFBF, READ_BUFFER);
        p = pcap_fopen_offline_with_tstamp_precision(hr->under, PCAP_TSTAMP_PRECISION_NANO, pcap_err);
        if (!p) {
            hash_helper_finish(hr->helper, 0, false);
            hr->helper = NULL;
            if (hr->close_under)
                fclose(hr->under);
            set_err(err, errlen, "%s: not a readable capture file (%s)", path, pcap_err);
            goto fail;
        }
    } else {
        cookie = fopencookie(hr, "rb", (cookie_io_functions_t){.read = hashing_read, .close = hashing_close});
        if (!cookie) {
            if (hr->close_under)
                fclose(hr->under);
            set_err(err, errlen, "%s: %s", path, strerror(errno));
            goto fail;
        }
        setvbuf(cookie, (char *)hr->iobuf, _IOFBF, READ_BUFFER);
        p = pcap_fopen_offline_with_tstamp_precision(cookie, PCAP_TSTAMP_PRECISION_NANO, pcap_err);
    }
    if (!p) {
        fclose(cookie);
        if (hr->size == 0)
            set_err(err, errlen, "%s: the file is empty, not a capture", path);
        else
            set_err(err, errlen, "%s: not a readable capture file (%s%s)", path, hr->gzip ? "gzip'd; " : "",
                    hr->gzip_problem[0] ? hr->gzip_problem : pcap_err);
        goto fail;
    }
    r->format = (hr->magic[0] == 0x0a && hr->magic[1] == 0x0d && hr->magic[2] == 0x0d && hr->magic[3] == 0x0a)
                    ? "pcapng" : "pcap";
    r->link_type = pcap_datalink(p);
    link_name(r->link_type, r->link_name, sizeof r->link_name);
    if (!decode_link_supported(r->link_type)) {
        const char *desc = pcap_datalink_val_to_description(r->link_type);
        set_err(err, errlen, "%s: unsupported link type %d (%s%s%s)", path, r->link_type, r->link_name,
                desc ? ", " : "", desc ? desc : "");
        goto fail;
    }
    if (opt->filter) {
        if (pcap_compile(p, &filter, opt->filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
            set_err(err, errlen, "bad filter \"%s\": %s", opt->filter, pcap_geterr(p));
            goto fail;
        }
        have_filter = true;
    }

    struct session_table_config cfg = {opt->max_sessions, opt->idle_timeout_ns};
    r->table = session_table_new(&cfg);
    if (!r->table) {
        set_err(err, errlen, "out of memory");
        goto fail;
    }
    if (read_packets(p, r, opt, have_filter ? &filter : NULL, hr, err, errlen) != 0)
        goto fail;
    int hashed = hash_helper_finish(hr->helper, hr->size, true);
    hr->helper = NULL;
    if (hashed != 0) {
        set_err(err, errlen, "%s: the file changed or could not be read again while it was hashed", path);
        goto fail;
    }
    core_budget_release(opt->cores);
    holding = false;
    r->size_bytes = hr->size;
    if (!sha256_final_hex(&hr->hash, r->sha256)) {
        set_err(err, errlen, "%s: SHA-256 (libcrypto): %s", path, sha256_failure(&hr->hash));
        goto fail;
    }
    summarise(r);
    *out = r;
    r = NULL;
    ret = 0;
fail:
    if (have_filter)
        pcap_freecode(&filter);
    if (hr && hr->direct) {
        hash_helper_finish(hr->helper, 0, false); /* before pcap_close closes its file */
        hr->helper = NULL;
    }
    if (p)
        pcap_close(p); /* closes the cookie, which closes the file; or the file itself */
    if (holding)
        core_budget_release(opt->cores);
    if (hr) {
        sha256_free(&hr->hash); /* when the digest was not finished */
        free(hr->iobuf);
    }
    free(hr);
    capture_report_free(r);
    return ret;
}
