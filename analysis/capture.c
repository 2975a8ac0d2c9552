/* capture.c — the pipeline's driver: packets from the reader, decoded, into the session
 * table; then each session classified and the capture summarised.
 *
 * reader.c delivers the packets (and the file's SHA-256 and size); this file keeps the
 * report: the time span, the counts by decode outcome, the warnings (at most
 * WARNINGS_PER_CODE of each kind), and at the end the summary counts and the hosts whose
 * checksums were all bad. */
#include "capture.h"

#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "reader.h"
#include "grow.h"

enum { WARNINGS_PER_CODE = 10, PROGRESS_EVERY = 1 << 16 };

/* ---- report helpers ---------------------------------------------------------------------- */

static void add_warning(struct capture_report *r, const char *code, uint64_t packet, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add_warning(struct capture_report *r, const char *code, uint64_t packet, const char *fmt, ...)
{
    size_t same = 0;
    for (size_t i = 0; i < r->n_warnings; i++)
        same += strcmp(r->warnings[i].code, code) == 0;
    if (same >= WARNINGS_PER_CODE) {
        r->warnings_suppressed++;
        return;
    }
    if (!GROW(r->warnings, r->cap_warnings, r->n_warnings + 1, 8))
        return;
    struct capture_warning *w = &r->warnings[r->n_warnings++];
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
    if (!GROW(o->hosts, o->cap, o->n + 1, 64))
        return; /* a host less to suspect: the report says nothing wrong for it */
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

/* The packet's time in nanoseconds since 1970, and the capture's time span moved to take it
 * in. Seconds outside 0..2^32-1 (what classic pcap can hold, 1970 to 2106) come from damaged
 * pcapng timestamps; clamped, so that no nanosecond sum or difference downstream can
 * overflow. */
static int64_t packet_time(struct capture_report *r, const struct pcap_pkthdr *hdr, uint64_t n)
{
    int64_t sec = hdr->ts.tv_sec;
    if (sec < 0 || sec > (int64_t)UINT32_MAX) {
        add_warning(r, "bad-timestamp", n, "packet %llu: timestamp of %lld s is outside 1970-2106; using %s",
                    (unsigned long long)n, (long long)sec, sec < 0 ? "1970" : "2106");
        sec = sec < 0 ? 0 : (int64_t)UINT32_MAX;
    }
    int64_t ts = sec * 1000000000 + hdr->ts.tv_usec;
    if (!r->have_packets || ts < r->first_ts)
        r->first_ts = ts;
    if (!r->have_packets || ts > r->last_ts)
        r->last_ts = ts;
    r->have_packets = true;
    return ts;
}

/* Decodes packet n and hands a TCP segment to the session table; anything else is counted,
 * with a warning when it was truncated or malformed. false when the table ran out of memory. */
static bool decode_and_push(struct capture_report *r, pcap_t *p, const u_char *data, size_t caplen,
                            size_t len, int64_t ts, uint64_t n)
{
    struct decoded_packet pkt;
    const char *why = NULL;
    enum decode_outcome o = decode_packet(r->link_type, data, caplen, len, &pkt, &why);
    r->counts.by_outcome[o]++;
    if (o == DECODE_TCP) {
        if (pkt.options_malformed)
            add_warning(r, "malformed-options", n,
                        "packet %llu: malformed TCP options (a length of 0 or 1, wrong for the option's kind, "
                        "or past the end of the TCP header)", (unsigned long long)n);
        session_table_push(r->table, &pkt, ts, n);
        return !session_table_oom(r->table);
    }
    if (o == DECODE_TRUNCATED) {
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
    return true;
}

/* After the last packet (pcap_next_ex returned rc): the sessions still open are closed, and
 * the session cap and a damaged tail become warnings. -1 when memory ran out. */
static int end_of_packets(struct reader *rd, struct capture_report *r, const struct capture_options *opt,
                          int rc, bool sub_us, char *err, size_t errlen)
{
    session_table_finish(r->table);
    if (session_table_oom(r->table)) {
        snprintf(err, errlen, "out of memory at packet %llu", (unsigned long long)session_table_oom(r->table));
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
    const char *gzip_problem = reader_gzip_problem(rd);
    if (rc == PCAP_ERROR || gzip_problem) {
        /* A damaged tail: everything before it is still analysed. */
        add_warning(r, "damaged-tail", r->counts.total + 1, "packet %llu: %s; the rest of the file was not read",
                    (unsigned long long)r->counts.total + 1, gzip_problem ? gzip_problem : pcap_geterr(reader_pcap(rd)));
    }
    const uint8_t *m = reader_magic(rd);
    bool ns_magic = (m[0] == 0xa1 && m[1] == 0xb2 && m[2] == 0x3c && m[3] == 0x4d) ||
                    (m[0] == 0x4d && m[1] == 0x3c && m[2] == 0xb2 && m[3] == 0xa1);
    r->ts_digits = ns_magic || sub_us ? 9 : 6;
    return 0;
}

static int read_packets(struct reader *rd, struct capture_report *r, const struct capture_options *opt,
                        struct bpf_program *filter, char *err, size_t errlen)
{
    pcap_t *p = reader_pcap(rd);
    struct pcap_pkthdr *hdr;
    const u_char *data;
    bool sub_us = false;
    int rc;

    while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
        uint64_t n = ++r->counts.total;
        int64_t ts = packet_time(r, hdr, n);
        size_t caplen = hdr->caplen, len = hdr->len;
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
        if (!decode_and_push(r, p, data, caplen, len, ts, n))
            break;
        if (opt->progress && n % PROGRESS_EVERY == 0 &&
            opt->progress(opt->progress_arg, n, reader_bytes_read(rd))) {
            snprintf(err, errlen, "interrupted at packet %llu", (unsigned long long)n);
            return -1;
        }
    }
    return end_of_packets(rd, r, opt, rc, sub_us, err, errlen);
}

int capture_analyze(const char *path, const struct capture_options *opt_in,
                    struct capture_report **out, char *err, size_t errlen)
{
    static const struct capture_options defaults;
    const struct capture_options *opt = opt_in ? opt_in : &defaults;
    struct reader *rd = NULL;
    struct bpf_program filter;
    bool have_filter = false;
    bool holding = false; /* core_budget_hold() was called */
    int ret = -1;

    *out = NULL;
    struct capture_report *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path)) ||
        !(r->file_name = strdup(strcmp(path, "-") == 0 ? "-" : base_name(path)))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    core_budget_hold(opt->cores); /* this capture's core, while it is read */
    holding = true;
    rd = reader_open(path, opt->cores, err, errlen);
    if (!rd)
        goto fail;
    pcap_t *p = reader_pcap(rd);
    const uint8_t *m = reader_magic(rd);
    r->format = (m[0] == 0x0a && m[1] == 0x0d && m[2] == 0x0d && m[3] == 0x0a) ? "pcapng" : "pcap";
    r->link_type = pcap_datalink(p);
    link_name(r->link_type, r->link_name, sizeof r->link_name);
    if (!decode_link_supported(r->link_type)) {
        const char *desc = pcap_datalink_val_to_description(r->link_type);
        snprintf(err, errlen, "%s: unsupported link type %d (%s%s%s)", path, r->link_type, r->link_name,
                desc ? ", " : "", desc ? desc : "");
        goto fail;
    }
    if (opt->filter) {
        if (pcap_compile(p, &filter, opt->filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
            snprintf(err, errlen, "bad filter \"%s\": %s", opt->filter, pcap_geterr(p));
            goto fail;
        }
        have_filter = true;
    }
    struct session_table_config cfg = {opt->max_sessions, opt->idle_timeout_ns};
    r->table = session_table_new(&cfg);
    if (!r->table) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (read_packets(rd, r, opt, have_filter ? &filter : NULL, err, errlen) != 0 ||
        reader_finish(rd, &r->size_bytes, r->sha256, err, errlen) != 0)
        goto fail;
    core_budget_release(opt->cores);
    holding = false;
    summarise(r);
    *out = r;
    r = NULL;
    ret = 0;
fail:
    if (have_filter)
        pcap_freecode(&filter);
    reader_close(rd);
    if (holding)
        core_budget_release(opt->cores);
    capture_report_free(r);
    return ret;
}
