/* json_writer.c — the JSON renderer: capture report in, documented JSON out.
 *
 * Built with cJSON one part at a time. 64-bit counters and timestamps are written as raw
 * decimal text, because cJSON keeps numbers as doubles and would round or exponent them
 * (shared/LIBRARIES.md); strings taken from outside are made valid UTF-8 first. */
#include "json_writer.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- values ------------------------------------------------------------------------------- */

static void add_u64(cJSON *o, const char *key, uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    cJSON_AddRawToObject(o, key, buf);
}

/* Seconds with the capture's precision, as exact decimal text: 1700000000.123456 */
static void format_time(char *buf, size_t len, int64_t ns, int digits)
{
    uint64_t mag = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    uint64_t frac = mag % 1000000000u;
    if (digits == 6)
        frac /= 1000;
    snprintf(buf, len, "%s%" PRIu64 ".%0*" PRIu64, ns < 0 ? "-" : "", mag / 1000000000u, digits, frac);
}

static void add_time(cJSON *o, const char *key, int64_t ns, int digits)
{
    char buf[40];
    format_time(buf, sizeof buf, ns, digits);
    cJSON_AddRawToObject(o, key, buf);
}

/* Length of the valid UTF-8 sequence at p (RFC 3629: no overlong form, no surrogate, nothing
 * above U+10FFFF), or 0 when p does not start one. p is NUL-terminated, so the checks stop
 * at the terminator. */
static size_t utf8_sequence_length(const unsigned char *p)
{
    unsigned c = p[0], lo = 0x80, hi = 0xbf;
    size_t len;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80; /* overlong */
        hi = c == 0xed ? 0x9f : 0xbf; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        lo = c == 0xf0 ? 0x90 : 0x80; /* overlong */
        hi = c == 0xf4 ? 0x8f : 0xbf; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return len;
}

char *json_utf8_clean(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n * 3 + 1), *w = out;
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t len = utf8_sequence_length(p);
        if (len) {
            memcpy(w, p, len);
            w += len;
            p += len;
        } else {
            memcpy(w, "\xef\xbf\xbd", 3);
            w += 3;
            p++;
        }
    }
    *w = '\0';
    return out;
}

static void add_string(cJSON *o, const char *key, const char *s)
{
    char *clean = json_utf8_clean(s);
    cJSON_AddStringToObject(o, key, clean ? clean : "");
    free(clean);
}

static void format_ip(char *buf, size_t len, int version, const uint8_t *addr)
{
    if (!inet_ntop(version == 4 ? AF_INET : AF_INET6, addr, buf, (socklen_t)len))
        snprintf(buf, len, "?");
}

static const char *role_name(int role)
{
    return role == ROLE_CLIENT ? "client" : role == ROLE_SERVER ? "server" : NULL;
}

/* ---- header parts ------------------------------------------------------------------------- */

static cJSON *input_json(const struct capture_report *r)
{
    cJSON *in = cJSON_CreateObject();
    add_string(in, "file_name", r->file_name);
    add_u64(in, "size_bytes", r->size_bytes);
    cJSON_AddStringToObject(in, "sha256", r->sha256);
    cJSON_AddStringToObject(in, "format", r->format);
    cJSON *lt = cJSON_AddObjectToObject(in, "link_type");
    cJSON_AddNumberToObject(lt, "value", r->link_type);
    cJSON_AddStringToObject(lt, "name", r->link_name);
    cJSON_AddStringToObject(in, "timestamp_precision", r->ts_digits == 9 ? "ns" : "us");

    cJSON *pk = cJSON_AddObjectToObject(in, "packets");
    add_u64(pk, "total", r->counts.total);
    for (int o = 0; o < DECODE_OUTCOMES; o++)
        add_u64(pk, decode_outcome_name((enum decode_outcome)o), r->counts.by_outcome[o]);
    add_u64(pk, "filtered_out", r->counts.filtered_out);
    add_u64(pk, "session_cap", r->counts.session_cap);

    if (r->have_packets) {
        add_time(in, "first_time", r->first_ts, r->ts_digits);
        add_time(in, "last_time", r->last_ts, r->ts_digits);
    } else {
        cJSON_AddNullToObject(in, "first_time");
        cJSON_AddNullToObject(in, "last_time");
    }

    cJSON *ck = cJSON_AddObjectToObject(in, "checksums");
    add_u64(ck, "bad", r->bad_checksums);
    cJSON *hosts = cJSON_AddArrayToObject(ck, "offload_suspected");
    for (size_t i = 0; i < r->n_offload_hosts; i++) {
        char ip[INET6_ADDRSTRLEN];
        format_ip(ip, sizeof ip, r->offload_hosts[i].ip_version, r->offload_hosts[i].addr);
        cJSON_AddItemToArray(hosts, cJSON_CreateString(ip));
    }

    cJSON *ws = cJSON_AddArrayToObject(in, "warnings");
    for (size_t i = 0; i < r->n_warnings; i++) {
        cJSON *w = cJSON_CreateObject();
        cJSON_AddStringToObject(w, "code", r->warnings[i].code);
        if (r->warnings[i].packet)
            add_u64(w, "packet", r->warnings[i].packet);
        else
            cJSON_AddNullToObject(w, "packet");
        add_string(w, "message", r->warnings[i].message);
        cJSON_AddItemToArray(ws, w);
    }
    add_u64(in, "warnings_suppressed", r->warnings_suppressed);
    return in;
}

static cJSON *summary_json(const struct capture_report *r)
{
    cJSON *sm = cJSON_CreateObject();
    add_u64(sm, "sessions", r->n_sessions);
    add_u64(sm, "sessions_dropped", r->sessions_dropped);
    cJSON *hs = cJSON_AddObjectToObject(sm, "handshake");
    for (int c = 0; c < HANDSHAKE_CLASSES; c++)
        cJSON_AddNumberToObject(hs, handshake_class_name((enum handshake_class)c), r->handshake_counts[c]);
    cJSON *td = cJSON_AddObjectToObject(sm, "teardown");
    for (int c = 0; c < TEARDOWN_CLASSES; c++)
        cJSON_AddNumberToObject(td, teardown_class_name((enum teardown_class)c), r->teardown_counts[c]);
    cJSON *an = cJSON_AddObjectToObject(sm, "anomalies");
    for (int a = 0; a < ANOMALIES; a++)
        add_u64(an, anomaly_name((enum anomaly)a), r->anomaly_counts[a]);
    return sm;
}

/* ---- one session -------------------------------------------------------------------------- */

/* Sessions are the bulk of a report (hundreds of megabytes for a big capture), so they are
 * written straight as text rather than built as cJSON trees: a tree costs three allocations
 * per value and cJSON prints every number through sprintf and checks it back with sscanf,
 * which took 10 s for the 500 MB report of a 1.3 GB capture that libpcap reads in 0.6 s
 * (docs/benchmark.md). The text is byte for byte what cJSON_PrintUnformatted gives for the
 * same tree (integers as plain digits, the same string escapes). */

struct jw {
    char *buf;
    size_t len, cap;
    bool comma; /* a value was written at this level: the next key or element needs a ',' */
    bool oom;
};

/* Makes room for n more bytes; false when out of memory. */
static bool jw_grow(struct jw *w, size_t n)
{
    size_t cap = w->cap ? w->cap : 1 << 16;
    while (cap < w->len + n)
        cap *= 2;
    char *b = realloc(w->buf, cap);
    if (!b) {
        w->oom = true;
        return false;
    }
    w->buf = b;
    w->cap = cap;
    return true;
}

/* The small writers are forced inline: with the key a constant at each call, strlen and
 * memcpy fold into a few moves. */
#define JW_INLINE static inline __attribute__((always_inline))

JW_INLINE void jw_put(struct jw *w, const char *s, size_t n)
{
    if (w->cap - w->len < n && !jw_grow(w, n))
        return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

#define JW_LIT(w, lit) jw_put(w, lit, sizeof lit - 1)

/* Before a value: the separator from the previous element, if any. */
JW_INLINE void jw_sep(struct jw *w)
{
    if (w->comma)
        JW_LIT(w, ",");
    w->comma = true;
}

/* "key": — key is one of this file's constants, which need no escaping. */
JW_INLINE void jw_key(struct jw *w, const char *key)
{
    jw_sep(w);
    JW_LIT(w, "\"");
    jw_put(w, key, strlen(key));
    JW_LIT(w, "\":");
    w->comma = false;
}

JW_INLINE void jw_open(struct jw *w, char c)
{
    jw_sep(w);
    jw_put(w, &c, 1);
    w->comma = false;
}

JW_INLINE void jw_close(struct jw *w, char c)
{
    jw_put(w, &c, 1);
    w->comma = true;
}

static void jw_u64(struct jw *w, uint64_t v)
{
    /* Two digits per division. */
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                "8081828384858687888990919293949596979899";
    char digits[20], *p = digits + sizeof digits;
    while (v >= 100) {
        p -= 2;
        memcpy(p, pairs + v % 100 * 2, 2);
        v /= 100;
    }
    if (v >= 10) {
        p -= 2;
        memcpy(p, pairs + v * 2, 2);
    } else {
        *--p = (char)('0' + v);
    }
    jw_sep(w);
    jw_put(w, p, (size_t)(digits + sizeof digits - p));
}

JW_INLINE void jw_null(struct jw *w)
{
    jw_sep(w);
    JW_LIT(w, "null");
}

JW_INLINE void jw_bool(struct jw *w, bool v)
{
    jw_sep(w);
    if (v)
        JW_LIT(w, "true");
    else
        JW_LIT(w, "false");
}

/* A string, escaped as cJSON escapes it: ", \ and control characters; other bytes as they are
 * (the strings written here are ASCII names and addresses). */
static void jw_str(struct jw *w, const char *s)
{
    jw_sep(w);
    JW_LIT(w, "\"");
    for (const char *run = s;; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        jw_put(w, run, (size_t)(s - run));
        run = s + 1;
        if (c == '\0')
            break;
        char esc[7];
        switch (c) {
        case '"': JW_LIT(w, "\\\""); break;
        case '\\': JW_LIT(w, "\\\\"); break;
        case '\b': JW_LIT(w, "\\b"); break;
        case '\f': JW_LIT(w, "\\f"); break;
        case '\n': JW_LIT(w, "\\n"); break;
        case '\r': JW_LIT(w, "\\r"); break;
        case '\t': JW_LIT(w, "\\t"); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
            jw_put(w, esc, 6);
            break;
        }
    }
    JW_LIT(w, "\"");
}

/* Seconds as format_time writes them, without going through snprintf. */
static void jw_time(struct jw *w, int64_t ns, int digits)
{
    uint64_t mag = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    uint64_t frac = mag % 1000000000u, sec = mag / 1000000000u;
    if (digits == 6)
        frac /= 1000;
    char buf[40], *p = buf + sizeof buf;
    for (int i = 0; i < digits; i++, frac /= 10)
        *--p = (char)('0' + frac % 10);
    *--p = '.';
    do {
        *--p = (char)('0' + sec % 10);
        sec /= 10;
    } while (sec);
    if (ns < 0)
        *--p = '-';
    jw_sep(w);
    jw_put(w, p, (size_t)(buf + sizeof buf - p));
}

static void jw_time_or_null(struct jw *w, int64_t ns, int digits)
{
    if (ns < 0)
        jw_null(w);
    else
        jw_time(w, ns, digits);
}

JW_INLINE void jw_key_u64(struct jw *w, const char *key, uint64_t v)
{
    jw_key(w, key);
    jw_u64(w, v);
}

JW_INLINE void jw_key_str(struct jw *w, const char *key, const char *v)
{
    jw_key(w, key);
    jw_str(w, v);
}

JW_INLINE void jw_key_bool(struct jw *w, const char *key, bool v)
{
    jw_key(w, key);
    jw_bool(w, v);
}

JW_INLINE void jw_key_time(struct jw *w, const char *key, int64_t ns, int digits)
{
    jw_key(w, key);
    jw_time(w, ns, digits);
}

static void jw_role(struct jw *w, int role)
{
    const char *name = role_name(role);
    if (name)
        jw_str(w, name);
    else
        jw_null(w);
}

static void options_json(struct jw *w, const struct tcp_options *o)
{
    jw_open(w, '{');
    if (o->present & OPT_MSS)
        jw_key_u64(w, "mss", o->mss);
    if (o->present & OPT_WSCALE)
        jw_key_u64(w, "wscale", o->wscale);
    if (o->present & OPT_SACK_PERM)
        jw_key_bool(w, "sack_permitted", true);
    if (o->present & OPT_SACK)
        jw_key_u64(w, "sack_blocks", o->sack_blocks);
    if (o->present & OPT_TS) {
        jw_key_u64(w, "ts_val", o->ts_val);
        jw_key_u64(w, "ts_ecr", o->ts_ecr);
    }
    jw_close(w, '}');
}

static void side_json(struct jw *w, const struct session *s, int role)
{
    const struct session_side *d = &s->side[role];
    char ip[INET6_ADDRSTRLEN];
    format_ip(ip, sizeof ip, s->ip_version, d->addr);
    jw_open(w, '{');
    jw_key_str(w, "ip", ip);
    jw_key_u64(w, "port", d->port);
    jw_key(w, "isn");
    if (d->isn_known)
        jw_u64(w, d->isn);
    else
        jw_null(w);
    jw_key_u64(w, "packets", d->packets);
    jw_key_u64(w, "payload_bytes", d->payload_bytes);
    jw_key_u64(w, "retransmissions", d->retransmissions);
    jw_key_u64(w, "out_of_order", d->out_of_order);
    jw_key_u64(w, "bad_checksums", d->bad_checksums);
    jw_key_u64(w, "zero_windows", d->zero_windows);
    jw_key_str(w, "final_state", tcp_state_name((enum tcp_state)d->state));
    jw_key(w, "syn_options");
    if (d->isn_known)
        options_json(w, &d->syn_options);
    else
        jw_null(w);
    jw_close(w, '}');
}

/* What the two SYNs agreed on (RFC 9293 3.7.1, RFC 7323, RFC 2018): an option is in use only
 * when both sides offered it; each side sends at most its peer's MSS. Null without both SYNs. */
static void negotiated_json(struct jw *w, const struct session *s)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    if (!c->isn_known || !v->isn_known) {
        jw_null(w);
        return;
    }
    const struct tcp_options *a = &c->syn_options, *b = &v->syn_options;
    jw_open(w, '{');
    jw_key(w, "client_mss");
    if (a->present & OPT_MSS)
        jw_u64(w, a->mss);
    else
        jw_null(w);
    jw_key(w, "server_mss");
    if (b->present & OPT_MSS)
        jw_u64(w, b->mss);
    else
        jw_null(w);
    bool ws = a->present & b->present & OPT_WSCALE;
    jw_key_bool(w, "window_scaling", ws);
    if (ws) {
        jw_key_u64(w, "client_wscale", a->wscale);
        jw_key_u64(w, "server_wscale", b->wscale);
    }
    jw_key_bool(w, "sack", a->present & b->present & OPT_SACK_PERM);
    jw_key_bool(w, "timestamps", a->present & b->present & OPT_TS);
    jw_close(w, '}');
}

static bool is_handshake_check(const struct session_check *c)
{
    return strcmp(c->name, "synack-ack") == 0 || strcmp(c->name, "final-ack") == 0;
}

static void checks_json(struct jw *w, const struct session *s, bool handshake)
{
    jw_open(w, '[');
    for (uint32_t i = 0; i < s->n_checks; i++) {
        const struct session_check *c = &s->checks[i];
        if (is_handshake_check(c) != handshake)
            continue;
        jw_open(w, '{');
        jw_key_str(w, "name", c->name);
        jw_key_u64(w, "packet", c->packet);
        jw_key_u64(w, "expected", c->expected);
        jw_key_u64(w, "actual", c->actual);
        jw_key_bool(w, "pass", c->pass);
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

static void packets_with_mark(struct jw *w, const struct session *s, uint8_t mark)
{
    jw_open(w, '[');
    for (uint32_t i = 0; i < s->n_events; i++)
        if (s->events[i].marks & mark)
            jw_u64(w, s->events[i].packet);
    jw_close(w, ']');
}

static void event_json(struct jw *w, const struct session *s, const struct timeline_event *e, int digits)
{
    static const struct { uint8_t bit; const char *name; } marks[] = {
        {MARK_HANDSHAKE, "handshake"}, {MARK_TEARDOWN, "teardown"},
        {MARK_RETRANSMISSION, "retransmission"}, {MARK_OUT_OF_ORDER, "out-of-order"},
        {MARK_BAD_CHECKSUM, "bad-checksum"}, {MARK_ZERO_WINDOW, "zero-window"},
        {MARK_BAD_ACK, "bad-ack"},
    };
    const struct session_side *snd = &s->side[e->dir], *rcv = &s->side[!e->dir];
    char flags[12];
    jw_open(w, '{');
    jw_key_u64(w, "packet", e->packet);
    jw_key_time(w, "time", e->ts_ns, digits);
    jw_key_str(w, "dir", e->dir == DIR_C2S ? "c2s" : "s2c");
    jw_key_str(w, "flags", tcp_flags_string(e->flags, flags));
    jw_key_u64(w, "seq", e->seq);
    jw_key_u64(w, "ack", e->ack);
    jw_key(w, "rel_seq");
    if (snd->isn_known)
        jw_u64(w, (uint32_t)(e->seq - snd->isn));
    else
        jw_null(w);
    jw_key(w, "rel_ack");
    if (rcv->isn_known && (e->flags & TCP_ACK))
        jw_u64(w, (uint32_t)(e->ack - rcv->isn));
    else
        jw_null(w);
    jw_key_u64(w, "len", e->len);
    jw_key_u64(w, "win", e->window);
    jw_key(w, "options");
    options_json(w, &e->options);
    jw_key(w, "state");
    jw_open(w, '{');
    jw_key_str(w, "client", tcp_state_name((enum tcp_state)e->state[ROLE_CLIENT]));
    jw_key_str(w, "server", tcp_state_name((enum tcp_state)e->state[ROLE_SERVER]));
    jw_close(w, '}');
    jw_key(w, "marks");
    jw_open(w, '[');
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (e->marks & marks[i].bit)
            jw_str(w, marks[i].name);
    jw_close(w, ']');
    jw_close(w, '}');
}

static void timeline_json(struct jw *w, const struct session *s, int digits)
{
    jw_open(w, '{');
    jw_key_u64(w, "kept", s->n_events);
    jw_key_u64(w, "omitted", s->omitted_packets);
    jw_key(w, "events");
    jw_open(w, '[');
    for (uint32_t i = 0; i < s->n_events; i++)
        event_json(w, s, &s->events[i], digits);
    jw_close(w, ']');
    jw_key(w, "gaps");
    jw_open(w, '[');
    for (uint32_t i = 0; i < s->n_gaps; i++) {
        const struct timeline_gap *g = &s->gaps[i];
        jw_open(w, '{');
        jw_key_u64(w, "before_event", g->before);
        jw_key_u64(w, "packets_c2s", g->packets[DIR_C2S]);
        jw_key_u64(w, "bytes_c2s", g->bytes[DIR_C2S]);
        jw_key_u64(w, "packets_s2c", g->packets[DIR_S2C]);
        jw_key_u64(w, "bytes_s2c", g->bytes[DIR_S2C]);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_close(w, '}');
}

static void session_json(struct jw *w, const struct session *s, int digits)
{
    w->comma = false;
    jw_open(w, '{');
    jw_key_u64(w, "id", s->id);
    jw_key_u64(w, "generation", s->generation);
    jw_key_u64(w, "ip_version", s->ip_version);
    jw_key(w, "client");
    side_json(w, s, ROLE_CLIENT);
    jw_key(w, "server");
    side_json(w, s, ROLE_SERVER);
    jw_key_bool(w, "roles_inferred", s->roles_inferred);
    jw_key_u64(w, "first_packet", s->first_packet);
    jw_key_u64(w, "last_packet", s->last_packet);
    jw_key_time(w, "start", s->first_ts, digits);
    jw_key_time(w, "end", s->last_ts, digits);
    jw_key_time(w, "duration", s->last_ts - s->first_ts, digits);

    jw_key(w, "handshake");
    jw_open(w, '{');
    jw_key_str(w, "class", handshake_class_name(s->handshake));
    jw_key(w, "packets");
    packets_with_mark(w, s, MARK_HANDSHAKE);
    jw_key(w, "rtt");
    jw_open(w, '{');
    jw_key(w, "syn_to_synack");
    jw_time_or_null(w, s->rtt_syn_synack, digits);
    jw_key(w, "synack_to_ack");
    jw_time_or_null(w, s->rtt_synack_ack, digits);
    jw_close(w, '}');
    jw_key(w, "checks");
    checks_json(w, s, true);
    jw_key(w, "negotiated");
    negotiated_json(w, s);
    jw_close(w, '}');

    jw_key(w, "teardown");
    jw_open(w, '{');
    jw_key_str(w, "class", teardown_class_name(s->teardown));
    jw_key(w, "active_closer");
    jw_role(w, s->active_closer);
    jw_key(w, "rst_sender");
    jw_role(w, s->teardown == TEARDOWN_RST ? s->rst_sender : ROLE_NONE);
    jw_key_bool(w, "rst_after_fin", s->rst_seen && s->rst_after_fin);
    jw_key(w, "packets");
    packets_with_mark(w, s, MARK_TEARDOWN);
    jw_key(w, "checks");
    checks_json(w, s, false);
    jw_close(w, '}');

    jw_key(w, "anomalies");
    jw_open(w, '[');
    for (int a = 0; a < ANOMALIES; a++)
        if (session_has_anomaly(s, (enum anomaly)a))
            jw_str(w, anomaly_name((enum anomaly)a));
    jw_close(w, ']');

    jw_key(w, "zeek");
    jw_open(w, '{');
    jw_key_str(w, "conn_state", s->conn_state);
    jw_key_str(w, "history", s->zeek_history);
    jw_close(w, '}');
    jw_key(w, "wireshark");
    jw_open(w, '{');
    jw_key_u64(w, "completeness", s->wireshark_completeness);
    jw_close(w, '}');
    jw_key(w, "timeline");
    timeline_json(w, s, digits);
    jw_close(w, '}');
}

/* ---- all sessions ------------------------------------------------------------------------- */

/* Sessions are rendered in batches of JSON_BATCH and each batch is written with one fwrite.
 * When the machine has a core to spare (capture_core_to_spare: not in batch mode), a helper
 * thread renders every other batch: each of the two renders its batch, waits for its turn
 * and writes it, so the text is the same as from one thread. */
enum { JSON_BATCH = 128 };

struct sessions_job {
    FILE *out;
    const struct capture_report *r;
    size_t batches;
    pthread_mutex_t lock;
    pthread_cond_t turn_done; /* next_turn moved on, or failed was set */
    size_t next_turn;         /* the batch to be written next */
    bool failed;              /* out of memory: nothing more is written */
};

/* Renders batches first, first + step, ... and writes each when its turn comes. */
static void sessions_share(struct sessions_job *job, size_t first, size_t step)
{
    struct jw w = {0};
    for (size_t b = first; b < job->batches; b += step) {
        size_t end = (b + 1) * JSON_BATCH < job->r->n_sessions ? (b + 1) * JSON_BATCH : job->r->n_sessions;
        w.len = 0;
        for (size_t i = b * JSON_BATCH; i < end && !w.oom; i++) {
            if (i)
                JW_LIT(&w, ",\n");
            else
                JW_LIT(&w, "\n");
            session_json(&w, capture_session(job->r, i), job->r->ts_digits);
        }
        pthread_mutex_lock(&job->lock);
        while (job->next_turn != b && !job->failed)
            pthread_cond_wait(&job->turn_done, &job->lock);
        bool stop = job->failed || w.oom;
        job->failed = stop;
        pthread_mutex_unlock(&job->lock);
        if (!stop)
            fwrite(w.buf, 1, w.len, job->out); /* alone: the others wait for their turn */
        pthread_mutex_lock(&job->lock);
        job->next_turn = b + 1;
        pthread_cond_broadcast(&job->turn_done);
        pthread_mutex_unlock(&job->lock);
        if (stop)
            break;
    }
    free(w.buf);
}

static void *sessions_helper(void *arg)
{
    sessions_share(arg, 1, 2);
    return NULL;
}

/* Writes the elements of the "sessions" array; false when out of memory. */
static bool write_sessions(FILE *out, const struct capture_report *r)
{
    struct sessions_job job = {.out = out, .r = r, .batches = (r->n_sessions + JSON_BATCH - 1) / JSON_BATCH};
    pthread_t helper;
    pthread_mutex_init(&job.lock, NULL);
    pthread_cond_init(&job.turn_done, NULL);
    capture_hold();
    bool two = job.batches >= 4 && capture_core_to_spare() &&
               pthread_create(&helper, NULL, sessions_helper, &job) == 0;
    sessions_share(&job, 0, two ? 2 : 1);
    if (two)
        pthread_join(helper, NULL);
    capture_release();
    pthread_cond_destroy(&job.turn_done);
    pthread_mutex_destroy(&job.lock);
    return !job.failed;
}

/* ---- the document ------------------------------------------------------------------------- */

/* Prints one part without its braces' surroundings; returns false when out of memory. */
static bool put_json(FILE *out, cJSON *item)
{
    char *text = item ? cJSON_PrintUnformatted(item) : NULL;
    cJSON_Delete(item);
    if (!text)
        return false;
    fputs(text, out);
    cJSON_free(text);
    return true;
}

static cJSON *tool_json(const struct json_provenance *prov)
{
    cJSON *tool = cJSON_CreateObject();
    cJSON_AddStringToObject(tool, "name", "pcap2report");
    cJSON_AddStringToObject(tool, "version", prov->tool_version);
    cJSON *opts = cJSON_AddObjectToObject(tool, "options");
    if (prov->filter)
        add_string(opts, "filter", prov->filter);
    else
        cJSON_AddNullToObject(opts, "filter");
    add_u64(opts, "max_sessions", prov->max_sessions);
    add_u64(opts, "idle_timeout_s", (uint64_t)prov->idle_timeout_s);
    return tool;
}

static cJSON *schema_json(void)
{
    cJSON *schema = cJSON_CreateObject();
    cJSON_AddStringToObject(schema, "name", PCAP2REPORT_SCHEMA_NAME);
    cJSON_AddStringToObject(schema, "version", PCAP2REPORT_SCHEMA_VERSION);
    return schema;
}

int json_write_header(FILE *out, const struct json_provenance *prov)
{
    bool ok = true;
    fputs("{\"schema\":", out);
    ok &= put_json(out, schema_json());
    fputs(",\"tool\":", out);
    ok &= put_json(out, tool_json(prov));
    return ok ? 0 : -1;
}

int json_write_report(FILE *out, const struct capture_report *r, const struct json_provenance *prov,
                      char *err, size_t errlen)
{
    bool ok = json_write_header(out, prov) == 0;
    fputs(",\n\"input\":", out);
    ok &= put_json(out, input_json(r));
    fputs(",\n\"summary\":", out);
    ok &= put_json(out, summary_json(r));
    fputs(",\n\"sessions\":[", out);
    ok = ok && write_sessions(out, r);
    fputs("\n]}\n", out);
    if (!ok) {
        snprintf(err, errlen, "out of memory while writing JSON");
        return -1;
    }
    if (ferror(out)) {
        snprintf(err, errlen, "write error");
        return -1;
    }
    return 0;
}
