/* capture.c — reads a capture with libpcap and runs the analysis pipeline over it.
 *
 * The file is read through a stdio cookie that hashes and counts every byte libpcap reads,
 * so the SHA-256 and size come out of the same single pass, for standard input too. */
#define _GNU_SOURCE /* fopencookie */
#include "capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "classify.h"
#include "sha256.h"

enum { WARNINGS_PER_CODE = 10, PROGRESS_EVERY = 1 << 16 };

/* ---- hashing reader --------------------------------------------------------------------- */

struct hashing_reader {
    FILE *under;
    bool close_under;
    struct sha256 hash;
    uint8_t magic[4];
    size_t magic_len;
};

static ssize_t hashing_read(void *cookie, char *buf, size_t size)
{
    struct hashing_reader *h = cookie;
    size_t n = fread(buf, 1, size, h->under);
    if (n == 0 && ferror(h->under))
        return -1;
    for (size_t i = 0; i < n && h->magic_len < 4; i++)
        h->magic[h->magic_len++] = (uint8_t)buf[i];
    sha256_update(&h->hash, buf, n);
    return (ssize_t)n;
}

static int hashing_close(void *cookie)
{
    struct hashing_reader *h = cookie;
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
 * network card fills checksums in after the capture point (offload). */
static void find_offload_hosts(struct capture_report *r)
{
    size_t n = r->n_sessions * 2, m = 0;
    if (!n)
        return;
    struct host_checksums *all = calloc(n, sizeof *all);
    if (!all)
        return;
    for (size_t i = 0; i < r->n_sessions; i++) {
        const struct session *s = capture_session(r, i);
        for (int k = 0; k < 2; k++) {
            all[2 * i + k].ip_version = s->ip_version;
            memcpy(all[2 * i + k].addr, s->side[k].addr, 16);
            all[2 * i + k].packets = s->side[k].packets;
            all[2 * i + k].bad = s->side[k].bad_checksums;
        }
    }
    qsort(all, n, sizeof *all, compare_hosts);
    for (size_t i = 0; i < n; i++) {
        if (m && compare_hosts(&all[m - 1], &all[i]) == 0) {
            all[m - 1].packets += all[i].packets;
            all[m - 1].bad += all[i].bad;
        } else {
            all[m++] = all[i];
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (all[i].packets && all[i].bad == all[i].packets)
            all[k++] = all[i];
    if (k) {
        r->offload_hosts = all;
        r->n_offload_hosts = k;
    } else {
        free(all);
    }
}

static void summarise(struct capture_report *r)
{
    r->n_sessions = session_table_count(r->table);
    r->sessions_dropped = session_table_sessions_dropped(r->table);
    for (size_t i = 0; i < r->n_sessions; i++) {
        struct session *s = session_table_get(r->table, i);
        classify_session(s);
        r->handshake_counts[s->handshake]++;
        r->teardown_counts[s->teardown]++;
        for (int a = 0; a < ANOMALIES; a++)
            r->anomaly_counts[a] += session_has_anomaly(s, (enum anomaly)a);
        r->bad_checksums += s->side[0].bad_checksums + s->side[1].bad_checksums;
    }
    if (r->bad_checksums)
        find_offload_hosts(r);
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
        int64_t ts = (int64_t)hdr->ts.tv_sec * 1000000000 + hdr->ts.tv_usec;
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
            if (!session_table_add(r->table, &pkt, ts, n)) {
                if (session_table_oom(r->table)) {
                    set_err(err, errlen, "out of memory at packet %llu", (unsigned long long)n);
                    return -1;
                }
                r->counts.session_cap++;
            }
        } else if (o == DECODE_TRUNCATED || o == DECODE_MALFORMED) {
            add_warning(r, decode_outcome_name(o), n, "packet %llu: %s", (unsigned long long)n, why);
        }
        if (opt->progress && n % PROGRESS_EVERY == 0 && opt->progress(opt->progress_arg, n, hr->hash.length)) {
            set_err(err, errlen, "interrupted at packet %llu", (unsigned long long)n);
            return -1;
        }
    }
    if (rc == PCAP_ERROR) {
        /* A damaged tail: everything before it is still analysed. */
        add_warning(r, "damaged-tail", r->counts.total + 1, "packet %llu: %s; the rest of the file was not read",
                    (unsigned long long)r->counts.total + 1, pcap_geterr(p));
    }
    /* Hash whatever libpcap did not read, so the digest covers the whole file. */
    char buf[1 << 15];
    FILE *f = pcap_file(p);
    while (f && fread(buf, 1, sizeof buf, f) > 0)
        ;
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
    int ret = -1;

    *out = NULL;
    struct capture_report *r = calloc(1, sizeof *r);
    hr = calloc(1, sizeof *hr);
    if (!r || !hr) {
        set_err(err, errlen, "out of memory");
        goto fail;
    }
    r->path = strdup(path);
    r->file_name = strdup(strcmp(path, "-") == 0 ? "-" : base_name(path));
    if (!r->path || !r->file_name) {
        set_err(err, errlen, "out of memory");
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
    sha256_init(&hr->hash);
    cookie = fopencookie(hr, "rb", (cookie_io_functions_t){.read = hashing_read, .close = hashing_close});
    if (!cookie) {
        if (hr->close_under)
            fclose(hr->under);
        set_err(err, errlen, "%s: %s", path, strerror(errno));
        goto fail;
    }
    p = pcap_fopen_offline_with_tstamp_precision(cookie, PCAP_TSTAMP_PRECISION_NANO, pcap_err);
    if (!p) {
        fclose(cookie);
        set_err(err, errlen, "%s: not a readable capture file (%s)", path, pcap_err);
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
    r->size_bytes = hr->hash.length;
    sha256_final_hex(&hr->hash, r->sha256);
    session_table_finish(r->table);
    summarise(r);
    *out = r;
    r = NULL;
    ret = 0;
fail:
    if (have_filter)
        pcap_freecode(&filter);
    if (p)
        pcap_close(p); /* closes the cookie, which closes the file */
    free(hr);
    capture_report_free(r);
    return ret;
}
