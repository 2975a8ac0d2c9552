/* capture.c — the pipeline's driver: packets from the reader, decoded, into the session
 * table; then each session classified and the capture summarised.
 *
 * reader.c delivers the packets through capfile.c (and the file's SHA-256 and size); each
 * packet is decoded with its own interface's link type and filtered with the BPF program
 * compiled for that link type (capfilter.c). This file keeps the report: the interfaces, the
 * time span, the counts by decode outcome, the warnings (at most WARNINGS_PER_CODE of each
 * kind), and at the end the summary counts and the hosts whose checksums were all bad.
 *
 * What the file cannot give in full is an error, never a shorter report with exit status 0:
 * a damaged record or block, damaged gzip data, an interface of a link type we do not
 * decode, a filter that does not compile for one. A file that ends inside its last record
 * (cut short) is the one damage that stays a warning, with everything before it analysed. */
#include "capture.h"

#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capfilter.h"
#include "grow.h"
#include "reader.h"

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
    free(r->interfaces);
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
    struct session_view v = {0};
    for (size_t i = 0; i < r->n_sessions; i++) {
        const struct session *s = capture_session(r, i, &v);
        for (int k = 0; k < 2; k++) {
            struct host_checksums *h = find_host(o, s->ip_version, s->side[k].addr);
            if (h) {
                h->packets += s->side[k].packets;
                h->bad += s->side[k].bad_checksums;
            }
        }
    }
    session_view_release(&v);
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

/* Counts s once for each encapsulation kind on its path, in either direction; ENCAP_NONE
 * when it has none. */
static void count_encapsulation(struct capture_report *r, const struct session *s)
{
    uint32_t kinds = 0;
    for (int dir = 0; dir < 2; dir++) {
        size_t n;
        const struct encap_layer *l = session_encap_path(s, dir, &n);
        for (size_t i = 0; i < n; i++)
            kinds |= (l[i].kind < ENCAP_KINDS ? 1u : 0u) << l[i].kind;
    }
    kinds &= ~1u; /* ENCAP_NONE is no layer */
    if (!kinds)
        r->encap_counts[ENCAP_NONE]++;
    for (int k = 1; k < ENCAP_KINDS; k++)
        r->encap_counts[k] += (kinds >> k) & 1;
}

/* Counts the sessions (classified as the table finished them). */
static void summarise(struct capture_report *r)
{
    struct offload_search o = {0};
    struct session_view v = {0};
    r->n_sessions = session_table_count(r->table);
    r->sessions_dropped = session_table_sessions_dropped(r->table);
    for (size_t i = 0; i < r->n_sessions; i++) {
        const struct session *s = capture_session(r, i, &v);
        r->handshake_counts[s->handshake]++;
        r->teardown_counts[s->teardown]++;
        r->ipv6_sessions += s->ip_version == 6;
        r->zeek_records += 1 + (uint64_t)s->n_zeek_more;
        r->zeek_split_sessions += s->n_zeek_more != 0;
        for (int a = 0; a < ANOMALIES; a++)
            r->anomaly_counts[a] += session_has_anomaly(s, (enum anomaly)a);
        count_encapsulation(r, s);
        for (int k = 0; k < 2; k++) {
            r->bad_checksums += s->side[k].bad_checksums;
            if (s->side[k].bad_checksums)
                offload_candidate(&o, s, k);
        }
    }
    session_view_release(&v);
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

/* ---- interfaces ----------------------------------------------------------------------------- */

/* Brings r->interfaces up to the interfaces capfile has seen so far (a pcapng file may
 * describe one between packets). false when out of memory. */
static bool sync_interfaces(struct capture_report *r, const struct capfile *cf)
{
    size_t n = capfile_interface_count(cf);
    if (n > r->n_interfaces && !GROW(r->interfaces, r->cap_interfaces, n, 4))
        return false;
    for (size_t i = r->n_interfaces; i < n; i++) {
        const struct capfile_interface *from = capfile_interface(cf, i);
        struct capture_interface *to = &r->interfaces[i];
        memset(to, 0, sizeof *to);
        to->link_type = from->dlt;
        link_name(from->dlt, to->link_name, sizeof to->link_name);
        to->snaplen = from->snaplen;
        to->section = from->section;
        snprintf(to->name, sizeof to->name, "%s", from->name);
    }
    r->n_interfaces = n;
    return true;
}

/* An interface pcap2report cannot decode is an error at its first packet (an interface
 * without packets does no harm): its packets would be missing from the report. */
static int unsupported_link(const struct capture_report *r, const struct capture_interface *ifc, size_t i,
                            uint64_t n, char *err, size_t errlen)
{
    const char *desc = pcap_datalink_val_to_description(ifc->link_type);
    char where[64] = "";
    if (r->n_interfaces > 1 || n)
        snprintf(where, sizeof where, " on interface %zu (packet %llu)", i, (unsigned long long)n);
    snprintf(err, errlen, "%s: unsupported link type %d (%s%s%s)%s", r->path, ifc->link_type, ifc->link_name,
             desc ? ", " : "", desc ? desc : "", where);
    return -1;
}

/* ---- the reading loop --------------------------------------------------------------------- */

/* The packet's time in nanoseconds since 1970, and the capture's time span moved to take it
 * in. Seconds outside 0..2^32-1 (what classic pcap can hold, 1970 to 2106) come from damaged
 * pcapng timestamps or offsets; clamped, so that no nanosecond sum or difference downstream
 * can overflow. */
static int64_t packet_time(struct capture_report *r, int64_t sec, uint32_t nsec, uint64_t n)
{
    if (sec < 0 || sec > (int64_t)UINT32_MAX) {
        add_warning(r, "bad-timestamp", n, "packet %llu: timestamp of %lld s is outside 1970-2106; using %s",
                    (unsigned long long)n, (long long)sec, sec < 0 ? "1970" : "2106");
        sec = sec < 0 ? 0 : (int64_t)UINT32_MAX;
    }
    int64_t ts = sec * 1000000000 + nsec;
    if (!r->have_packets || ts < r->first_ts)
        r->first_ts = ts;
    if (!r->have_packets || ts > r->last_ts)
        r->last_ts = ts;
    r->have_packets = true;
    return ts;
}

/* Decodes packet n and hands a TCP segment to the session table; anything else is counted,
 * with a warning when it was truncated or malformed. false when the table ran out of memory. */
static bool decode_and_push(struct capture_report *r, const struct capfile_packet *pk, size_t caplen,
                            int64_t ts, uint64_t n)
{
    struct decoded_packet pkt;
    const char *why = NULL;
    enum decode_outcome o = decode_packet(pk->dlt, pk->data, caplen, pk->len, &pkt, &why);
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
        uint32_t snap = r->interfaces[pk->interface].snaplen;
        char snap_note[32] = "";
        if (snap > 0 && caplen == snap)
            snprintf(snap_note, sizeof snap_note, "; snap length %u", snap);
        add_warning(r, decode_outcome_name(o), n, "packet %llu: %s (%zu of %u bytes captured%s)",
                    (unsigned long long)n, why, caplen, pk->len, snap_note);
    } else if (o == DECODE_MALFORMED) {
        add_warning(r, decode_outcome_name(o), n, "packet %llu: %s", (unsigned long long)n, why);
    }
    return true;
}

/* After the last packet (capfile_next returned st): the sessions still open are closed, the
 * session cap and a cut-short file become warnings, and a file that could not be read to its
 * end an error. -1 with err set then, or when memory ran out. */
static int end_of_packets(struct reader *rd, struct capture_report *r, const struct capture_options *opt,
                          enum capfile_status st, bool sub_us, char *err, size_t errlen)
{
    const struct capfile *cf = reader_capfile(rd);
    enum reader_gzip gzip;
    const char *gzip_problem = reader_gzip_problem(rd, &gzip);
    bool gzip_damaged = gzip == READER_GZIP_DAMAGED;
    unsigned long long next = (unsigned long long)r->counts.total + 1;
    if (st == CAPFILE_ERROR || gzip_damaged) {
        /* Never a report of part of a file with nothing said: what cannot be read past is an
         * error, unless the file merely ends early (below). */
        const char *why = gzip_damaged ? gzip_problem : capfile_error(cf);
        if (next == 1)
            snprintf(err, errlen, "%s: not a readable capture file (%s)", r->path, why);
        else
            snprintf(err, errlen, "%s: cannot be read past packet %llu: %s", r->path, next - 1, why);
        return -1;
    }
    if (!sync_interfaces(r, cf)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (!r->n_interfaces) {
        snprintf(err, errlen, "%s: not a readable capture file (the pcapng file ends before it describes an "
                 "interface%s%s)", r->path, st == CAPFILE_TRUNCATED ? ": " : "",
                 st == CAPFILE_TRUNCATED ? capfile_error(cf) : "");
        return -1;
    }
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
    if (gzip == READER_GZIP_TRAILING)
        add_warning(r, "damaged-tail", 0, "%s", gzip_problem); /* bytes after the gzip data */
    if (st == CAPFILE_TRUNCATED || gzip == READER_GZIP_ENDS_EARLY)
        /* The file ends inside its last record: everything before it is analysed. */
        add_warning(r, "damaged-tail", next, "packet %llu: %s: the capture was cut short", next,
                    gzip == READER_GZIP_ENDS_EARLY ? gzip_problem : capfile_error(cf));
    r->ts_digits = capfile_format(cf) == CAPFILE_PCAP_NS || sub_us ? 9 : 6;
    return 0;
}

/* The interface of packet pk, checked at its first packet: its link type must be one we
 * decode, and the filter must compile for it. NULL with err set otherwise. */
static struct capture_interface *packet_interface(struct capture_report *r, const struct capfile *cf,
                                                  const struct capfile_packet *pk, struct capfilter *filter,
                                                  char *err, size_t errlen)
{
    if (pk->interface >= r->n_interfaces && !sync_interfaces(r, cf)) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    struct capture_interface *ifc = &r->interfaces[pk->interface];
    if (ifc->packets)
        return ifc;
    char why[512];
    if (!decode_link_supported(ifc->link_type)) {
        unsupported_link(r, ifc, pk->interface, r->counts.total, err, errlen);
        return NULL;
    }
    if (filter && capfilter_prepare(filter, ifc->link_type, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", r->path, why);
        return NULL;
    }
    return ifc;
}

static int read_packets(struct reader *rd, struct capture_report *r, const struct capture_options *opt,
                        struct capfilter *filter, char *err, size_t errlen)
{
    struct capfile *cf = reader_capfile(rd);
    struct capfile_packet pk;
    bool sub_us = false;
    enum capfile_status st;

    while ((st = capfile_next(cf, &pk)) == CAPFILE_PACKET) {
        uint64_t n = ++r->counts.total;
        struct capture_interface *ifc = pk.interface < r->n_interfaces && r->interfaces[pk.interface].packets
                                            ? &r->interfaces[pk.interface]
                                            : packet_interface(r, cf, &pk, filter, err, errlen);
        if (!ifc)
            return -1;
        ifc->packets++;
        int64_t ts = packet_time(r, pk.ts_sec, pk.ts_nsec, n);
        size_t caplen = pk.caplen;
        sub_us |= pk.ts_nsec % 1000 != 0;
        if (caplen > pk.len) {
            add_warning(r, "caplen-exceeds-len", n,
                        "packet %llu: captured length %zu exceeds the original length %u; using %u",
                        (unsigned long long)n, caplen, pk.len, pk.len);
            caplen = pk.len;
        }
        if (filter) {
            int m = capfilter_match(filter, pk.dlt, pk.data, (uint32_t)caplen, pk.len, err, errlen);
            if (m < 0)
                return -1; /* not reached: packet_interface compiled it */
            if (!m) {
                r->counts.filtered_out++;
                continue;
            }
        }
        if (!decode_and_push(r, &pk, caplen, ts, n))
            break;
        if (opt->progress && n % PROGRESS_EVERY == 0 &&
            opt->progress(opt->progress_arg, n, reader_bytes_read(rd))) {
            snprintf(err, errlen, "interrupted at packet %llu", (unsigned long long)n);
            return -1;
        }
    }
    return end_of_packets(rd, r, opt, st, sub_us, err, errlen);
}

/* What is known before the first packet: the format and, for a pcap file, its one
 * interface, whose link type must be one we decode and for which the filter must compile. */
static int open_capture(struct capture_report *r, struct reader *rd, struct capfilter *filter, char *err,
                        size_t errlen)
{
    const struct capfile *cf = reader_capfile(rd);
    r->format = capfile_format(cf) == CAPFILE_PCAPNG ? "pcapng" : "pcap";
    if (!sync_interfaces(r, cf)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (!r->n_interfaces)
        return 0; /* pcapng: interfaces come with the blocks after the section header */
    char why[512];
    if (!decode_link_supported(r->interfaces[0].link_type))
        return unsupported_link(r, &r->interfaces[0], 0, 0, err, errlen);
    if (filter && capfilter_prepare(filter, r->interfaces[0].link_type, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", r->path, why);
        return -1;
    }
    return 0;
}

int capture_analyze(const char *path, const struct capture_options *opt_in,
                    struct capture_report **out, char *err, size_t errlen)
{
    static const struct capture_options defaults;
    const struct capture_options *opt = opt_in ? opt_in : &defaults;
    struct reader *rd = NULL;
    struct capfilter *filter = NULL;
    bool holding = false; /* core_budget_hold() was called */
    int ret = -1;

    *out = NULL;
    struct capture_report *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path)) ||
        !(r->file_name = strdup(strcmp(path, "-") == 0 ? "-" : base_name(path))) ||
        (opt->filter && !(filter = capfilter_new(opt->filter)))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    core_budget_hold(opt->cores); /* this capture's core, while it is read */
    holding = true;
    rd = reader_open(path, opt->cores, err, errlen);
    if (!rd || open_capture(r, rd, filter, err, errlen) != 0)
        goto fail;
    struct session_table_config cfg = {opt->max_sessions, opt->idle_timeout_ns, opt->spill_dir,
                                       opt->spill_eagerly};
    r->table = session_table_new(&cfg);
    if (!r->table) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (read_packets(rd, r, opt, filter, err, errlen) != 0 ||
        reader_finish(rd, &r->size_bytes, r->sha256, err, errlen) != 0)
        goto fail;
    r->link_type = r->interfaces[0].link_type;
    memcpy(r->link_name, r->interfaces[0].link_name, sizeof r->link_name);
    core_budget_release(opt->cores);
    holding = false;
    summarise(r);
    if (session_table_read_problem(r->table)) {
        snprintf(err, errlen, "cannot read back the temporary file of sessions: %s",
                 session_table_read_problem(r->table));
        goto fail;
    }
    *out = r;
    r = NULL;
    ret = 0;
fail:
    capfilter_free(filter);
    reader_close(rd);
    if (holding)
        core_budget_release(opt->cores);
    capture_report_free(r);
    return ret;
}
