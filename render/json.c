/* json.c — the JSON renderer: capture report in, documented JSON out.
 *
 * Built with cJSON one part at a time. 64-bit counters and timestamps are written as raw
 * decimal text, because cJSON keeps numbers as doubles and would round or exponent them
 * (shared/LIBRARIES.md); strings taken from outside are made valid UTF-8 first. */
#include "json.h"

#include <assert.h>
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
        char ip[IP_ADDRESS_STRING_LEN];
        ip_address_string(r->offload_hosts[i].ip_version, r->offload_hosts[i].addr, ip);
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
 * same tree (integers as plain digits, the same string escapes).
 *
 * Room for a whole session is reserved before it is written (session_room), so the writers
 * below check no capacity: each writes at a cursor and returns the cursor moved past its text.
 * The cursor stays in a register, where a length kept in struct jw would be stored and loaded
 * again around every byte written (a char store may alias it). A key whose place is fixed is
 * written with its comma as one constant (KEY); lists of varying length use put_sep. */

struct jw {
    char *buf;
    size_t len, cap;
    size_t name_room; /* room for the longest name of the schema's vocabulary, as a string */
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

/* Where the next n bytes go: the end of the text, with at least n bytes free after it. NULL
 * when out of memory. Whatever is written there counts once jw_wrote is told its end. */
static char *jw_room(struct jw *w, size_t n)
{
    if (w->cap - w->len < n && !jw_grow(w, n))
        return NULL;
    return w->buf + w->len;
}

static void jw_wrote(struct jw *w, const char *end)
{
    w->len = (size_t)(end - w->buf);
}

/* The writers: p has room for what they write (see session_room); they return the end. */

static inline char *put_bytes(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

#define PUT_LIT(p, lit) put_bytes(p, "" lit, sizeof lit - 1)
/* The first key of an object, with the brace that opens it; a later key, with its comma. */
#define FIRST_KEY(p, key) PUT_LIT(p, "{\"" key "\":")
#define KEY(p, key) PUT_LIT(p, ",\"" key "\":")

/* Before an element (or optional member) of a list of varying length: a comma, unless it is
 * the first, right after the bracket. No value ends in '[' or '{', so p[-1] tells. */
static inline char *put_sep(char *p)
{
    if (p[-1] != '[' && p[-1] != '{')
        *p++ = ',';
    return p;
}

static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                  "8081828384858687888990919293949596979899";

/* The number of decimal digits of v (1 for 0). bits * 1233 >> 12 is bits * log10(2) rounded
 * down, for bits up to 64: v has that many digits or one more. */
static inline unsigned decimal_digits(uint64_t v)
{
    static const uint64_t powers_of_10[20] = {
        1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
        10000000000u, 100000000000u, 1000000000000u, 10000000000000u, 100000000000000u,
        1000000000000000u, 10000000000000000u, 100000000000000000u, 1000000000000000000u,
        10000000000000000000u,
    };
    uint64_t odd = v | 1; /* as many digits as v, and never 0 for clz */
    unsigned bits = 64 - (unsigned)__builtin_clzll(odd);
    unsigned n = bits * 1233 >> 12;
    return n + (odd >= powers_of_10[n]);
}

/* The last width digits of v, leading zeros included, two per division. */
static inline void put_digits32(char *p, uint32_t v, unsigned width)
{
    unsigned i = width;
    for (; i >= 2; i -= 2, v /= 100)
        memcpy(p + i - 2, digit_pairs + v % 100 * 2, 2);
    if (i)
        p[0] = (char)('0' + v % 10);
}

/* The same for 64 bits: eight digits at a time go to put_digits32, as divisions of 32 bits
 * are cheaper than those of 64. */
static inline char *put_digits(char *p, uint64_t v, unsigned width)
{
    unsigned left = width;
    for (; left > 8; left -= 8, v /= 100000000)
        put_digits32(p + left - 8, (uint32_t)(v % 100000000), 8);
    put_digits32(p, (uint32_t)v, left);
    return p + width;
}

static inline char *put_u64(char *p, uint64_t v)
{
    return put_digits(p, v, decimal_digits(v));
}

/* Seconds with the capture's precision, as format_time writes them. */
static char *put_time(char *p, int64_t ns, int digits)
{
    uint64_t mag = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    uint64_t frac = mag % 1000000000u;
    if (digits == 6)
        frac /= 1000;
    if (ns < 0)
        *p++ = '-';
    p = put_u64(p, mag / 1000000000u);
    *p++ = '.';
    return put_digits(p, frac, (unsigned)digits);
}

static char *put_time_or_null(char *p, int64_t ns, int digits)
{
    return ns < 0 ? PUT_LIT(p, "null") : put_time(p, ns, digits);
}

static inline char *put_bool(char *p, bool v)
{
    return v ? PUT_LIT(p, "true") : PUT_LIT(p, "false");
}

/* The most a string of n bytes takes: its quotes and, at worst, \u00XX for every byte. */
static inline size_t escaped_room(size_t n)
{
    return 6 * n + 2;
}

/* A string, escaped as cJSON escapes it: ", \ and control characters; other bytes as they are
 * (the strings written here are ASCII names and addresses). */
static char *put_str(char *p, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    *p++ = '"';
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\') {
            *p++ = (char)c;
            continue;
        }
        *p++ = '\\';
        switch (c) {
        case '"': *p++ = '"'; break;
        case '\\': *p++ = '\\'; break;
        case '\b': *p++ = 'b'; break;
        case '\f': *p++ = 'f'; break;
        case '\n': *p++ = 'n'; break;
        case '\r': *p++ = 'r'; break;
        case '\t': *p++ = 't'; break;
        default:
            p = PUT_LIT(p, "u00");
            *p++ = hex[c >> 4];
            *p++ = hex[c & 0xf];
            break;
        }
    }
    *p++ = '"';
    return p;
}

/* An address as a string (an address needs no escaping). */
static char *put_ip(char *p, int version, const uint8_t *addr)
{
    *p++ = '"';
    p += strlen(ip_address_string(version, addr, p));
    *p++ = '"';
    return p;
}

static char *put_role(char *p, int role)
{
    const char *name = role_name(role);
    return name ? put_str(p, name) : PUT_LIT(p, "null");
}

/* Room for the pieces of a session, in bytes: the keys and punctuation of each (counted in
 * the comments, with margin), NUMBER_ROOM per number or time, escaped_room per string, and
 * for the names of tcp_state_name and the like, which are not this file's, jw.name_room. */
enum {
    NUMBER_ROOM = 21,   /* 20 digits of a uint64; a time: '-', 10 + 1 + 9 */
    OPTIONS_ROOM = 192, /* 75 of keys, 5 numbers */
    EVENT_ROOM = 768,   /* 145 of keys, 8 numbers, options, flags 2 + 11, marks 95 (+ 2 states) */
    CHECK_ROOM = 160,   /* 55 of keys, 3 numbers (+ its name) */
    GAP_ROOM = 256,     /* 75 of keys, 5 numbers */
    SIDE_ROOM = 640,    /* 150 of keys, 8 numbers, options (+ an address, a state) */
    /* A session without its sides, lists and strings: 490 of keys and roles, 13 numbers,
     * the negotiated options (120 of keys, 4 numbers). */
    SESSION_ROOM = 2048,
};

/* Room for the longest name that tcp_state_name, handshake_class_name, teardown_class_name
 * and anomaly_name can return, one past the last value included. */
static size_t vocabulary_room(void)
{
    size_t longest = 0;
#define LONGEST(name_of, type, count)                                                          \
    for (int i = 0; i <= (count); i++) {                                                       \
        size_t n = strlen(name_of((type)i));                                                   \
        longest = n > longest ? n : longest;                                                   \
    }
    LONGEST(tcp_state_name, enum tcp_state, TCP_STATES)
    LONGEST(handshake_class_name, enum handshake_class, HANDSHAKE_CLASSES)
    LONGEST(teardown_class_name, enum teardown_class, TEARDOWN_CLASSES)
    LONGEST(anomaly_name, enum anomaly, ANOMALIES)
#undef LONGEST
    return escaped_room(longest);
}

/* The most session_json writes for s. */
static size_t session_room(const struct jw *w, const struct session *s)
{
    size_t address = escaped_room(IP_ADDRESS_STRING_LEN - 1);
    size_t room = SESSION_ROOM + 2 * (SIDE_ROOM + address + w->name_room) +
                  2 * w->name_room /* classes */ + ANOMALIES * (1 + w->name_room) +
                  escaped_room(strlen(s->conn_state)) + escaped_room(SESSION_HISTORY_MAX);
    for (uint32_t i = 0; i < s->n_checks; i++)
        room += CHECK_ROOM + escaped_room(strlen(s->checks[i].name));
    /* Each event: itself, and its packet number in the handshake and the teardown lists. */
    room += (size_t)s->n_events * (EVENT_ROOM + 2 * w->name_room + 2 * (1 + NUMBER_ROOM));
    room += (size_t)s->n_gaps * GAP_ROOM;
    return room;
}

static char *options_json(char *p, const struct tcp_options *o)
{
    *p++ = '{';
    if (o->present & OPT_MSS)
        p = put_u64(PUT_LIT(put_sep(p), "\"mss\":"), o->mss);
    if (o->present & OPT_WSCALE)
        p = put_u64(PUT_LIT(put_sep(p), "\"wscale\":"), o->wscale);
    if (o->present & OPT_SACK_PERM)
        p = PUT_LIT(put_sep(p), "\"sack_permitted\":true");
    if (o->present & OPT_SACK)
        p = put_u64(PUT_LIT(put_sep(p), "\"sack_blocks\":"), o->sack_blocks);
    if (o->present & OPT_TS) {
        p = put_u64(PUT_LIT(put_sep(p), "\"ts_val\":"), o->ts_val);
        p = put_u64(KEY(p, "ts_ecr"), o->ts_ecr);
    }
    *p++ = '}';
    return p;
}

static char *side_json(char *p, const struct session *s, int role)
{
    const struct session_side *d = &s->side[role];
    p = put_ip(FIRST_KEY(p, "ip"), s->ip_version, d->addr);
    p = put_u64(KEY(p, "port"), d->port);
    p = KEY(p, "isn");
    p = d->isn_known ? put_u64(p, d->isn) : PUT_LIT(p, "null");
    p = put_u64(KEY(p, "packets"), d->packets);
    p = put_u64(KEY(p, "payload_bytes"), d->payload_bytes);
    p = put_u64(KEY(p, "retransmissions"), d->retransmissions);
    p = put_u64(KEY(p, "out_of_order"), d->out_of_order);
    p = put_u64(KEY(p, "bad_checksums"), d->bad_checksums);
    p = put_u64(KEY(p, "zero_windows"), d->zero_windows);
    p = put_str(KEY(p, "final_state"), tcp_state_name((enum tcp_state)d->state));
    p = KEY(p, "syn_options");
    p = d->isn_known ? options_json(p, &d->syn_options) : PUT_LIT(p, "null");
    *p++ = '}';
    return p;
}

/* What the two SYNs agreed on (RFC 9293 3.7.1, RFC 7323, RFC 2018): an option is in use only
 * when both sides offered it; each side sends at most its peer's MSS. Null without both SYNs. */
static char *negotiated_json(char *p, const struct session *s)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    if (!c->isn_known || !v->isn_known)
        return PUT_LIT(p, "null");
    const struct tcp_options *a = &c->syn_options, *b = &v->syn_options;
    p = FIRST_KEY(p, "client_mss");
    p = (a->present & OPT_MSS) ? put_u64(p, a->mss) : PUT_LIT(p, "null");
    p = KEY(p, "server_mss");
    p = (b->present & OPT_MSS) ? put_u64(p, b->mss) : PUT_LIT(p, "null");
    bool ws = a->present & b->present & OPT_WSCALE;
    p = put_bool(KEY(p, "window_scaling"), ws);
    if (ws) {
        p = put_u64(KEY(p, "client_wscale"), a->wscale);
        p = put_u64(KEY(p, "server_wscale"), b->wscale);
    }
    p = put_bool(KEY(p, "sack"), a->present & b->present & OPT_SACK_PERM);
    p = put_bool(KEY(p, "timestamps"), a->present & b->present & OPT_TS);
    *p++ = '}';
    return p;
}

static bool is_handshake_check(const struct session_check *c)
{
    return strcmp(c->name, "synack-ack") == 0 || strcmp(c->name, "final-ack") == 0;
}

static char *checks_json(char *p, const struct session *s, bool handshake)
{
    *p++ = '[';
    for (uint32_t i = 0; i < s->n_checks; i++) {
        const struct session_check *c = &s->checks[i];
        if (is_handshake_check(c) != handshake)
            continue;
        p = put_str(FIRST_KEY(put_sep(p), "name"), c->name);
        p = put_u64(KEY(p, "packet"), c->packet);
        p = put_u64(KEY(p, "expected"), c->expected);
        p = put_u64(KEY(p, "actual"), c->actual);
        p = put_bool(KEY(p, "pass"), c->pass);
        *p++ = '}';
    }
    *p++ = ']';
    return p;
}

static char *packets_with_mark(char *p, const struct session *s, uint8_t mark)
{
    *p++ = '[';
    for (uint32_t i = 0; i < s->n_events; i++)
        if (s->events[i].marks & mark)
            p = put_u64(put_sep(p), s->events[i].packet);
    *p++ = ']';
    return p;
}

static char *event_json(char *p, const struct session *s, const struct timeline_event *e, int digits)
{
    static const struct { uint8_t bit; const char *name; } marks[] = {
        {MARK_HANDSHAKE, "handshake"}, {MARK_TEARDOWN, "teardown"},
        {MARK_RETRANSMISSION, "retransmission"}, {MARK_OUT_OF_ORDER, "out-of-order"},
        {MARK_BAD_CHECKSUM, "bad-checksum"}, {MARK_ZERO_WINDOW, "zero-window"},
        {MARK_BAD_ACK, "bad-ack"},
    };
    const struct session_side *snd = &s->side[e->dir], *rcv = &s->side[!e->dir];
    char flags[12];
    p = put_u64(FIRST_KEY(p, "packet"), e->packet);
    p = put_time(KEY(p, "time"), e->ts_ns, digits);
    p = KEY(p, "dir");
    p = e->dir == DIR_C2S ? PUT_LIT(p, "\"c2s\"") : PUT_LIT(p, "\"s2c\"");
    p = put_str(KEY(p, "flags"), tcp_flags_string(e->flags, flags));
    p = put_u64(KEY(p, "seq"), e->seq);
    p = put_u64(KEY(p, "ack"), e->ack);
    p = KEY(p, "rel_seq");
    p = snd->isn_known ? put_u64(p, (uint32_t)(e->seq - snd->isn)) : PUT_LIT(p, "null");
    p = KEY(p, "rel_ack");
    p = (rcv->isn_known && (e->flags & TCP_ACK)) ? put_u64(p, (uint32_t)(e->ack - rcv->isn)) : PUT_LIT(p, "null");
    p = put_u64(KEY(p, "len"), e->len);
    p = put_u64(KEY(p, "win"), e->window);
    p = options_json(KEY(p, "options"), &e->options);
    p = put_str(PUT_LIT(p, ",\"state\":{\"client\":"), tcp_state_name((enum tcp_state)e->state[ROLE_CLIENT]));
    p = put_str(KEY(p, "server"), tcp_state_name((enum tcp_state)e->state[ROLE_SERVER]));
    p = PUT_LIT(p, "},\"marks\":[");
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (e->marks & marks[i].bit)
            p = put_str(put_sep(p), marks[i].name);
    return PUT_LIT(p, "]}");
}

static char *timeline_json(char *p, const struct session *s, int digits)
{
    p = put_u64(FIRST_KEY(p, "kept"), s->n_events);
    p = put_u64(KEY(p, "omitted"), s->omitted_packets);
    p = PUT_LIT(p, ",\"events\":[");
    for (uint32_t i = 0; i < s->n_events; i++)
        p = event_json(put_sep(p), s, &s->events[i], digits);
    p = PUT_LIT(p, "],\"gaps\":[");
    for (uint32_t i = 0; i < s->n_gaps; i++) {
        const struct timeline_gap *g = &s->gaps[i];
        p = put_u64(FIRST_KEY(put_sep(p), "before_event"), g->before);
        p = put_u64(KEY(p, "packets_c2s"), g->packets[DIR_C2S]);
        p = put_u64(KEY(p, "bytes_c2s"), g->bytes[DIR_C2S]);
        p = put_u64(KEY(p, "packets_s2c"), g->packets[DIR_S2C]);
        p = put_u64(KEY(p, "bytes_s2c"), g->bytes[DIR_S2C]);
        *p++ = '}';
    }
    return PUT_LIT(p, "]}");
}

static char *session_text(char *p, const struct session *s, int digits)
{
    p = put_u64(FIRST_KEY(p, "id"), s->id);
    p = put_u64(KEY(p, "generation"), s->generation);
    p = put_u64(KEY(p, "ip_version"), s->ip_version);
    p = side_json(KEY(p, "client"), s, ROLE_CLIENT);
    p = side_json(KEY(p, "server"), s, ROLE_SERVER);
    p = put_bool(KEY(p, "roles_inferred"), s->roles_inferred);
    p = put_u64(KEY(p, "first_packet"), s->first_packet);
    p = put_u64(KEY(p, "last_packet"), s->last_packet);
    p = put_time(KEY(p, "start"), s->first_ts, digits);
    p = put_time(KEY(p, "end"), s->last_ts, digits);
    p = put_time(KEY(p, "duration"), s->last_ts - s->first_ts, digits);

    p = put_str(PUT_LIT(p, ",\"handshake\":{\"class\":"), handshake_class_name(s->handshake));
    p = packets_with_mark(KEY(p, "packets"), s, MARK_HANDSHAKE);
    p = put_time_or_null(PUT_LIT(p, ",\"rtt\":{\"syn_to_synack\":"), s->rtt_syn_synack, digits);
    p = put_time_or_null(KEY(p, "synack_to_ack"), s->rtt_synack_ack, digits);
    p = checks_json(PUT_LIT(p, "},\"checks\":"), s, true);
    p = negotiated_json(KEY(p, "negotiated"), s);

    p = put_str(PUT_LIT(p, "},\"teardown\":{\"class\":"), teardown_class_name(s->teardown));
    p = put_role(KEY(p, "active_closer"), s->active_closer);
    p = put_role(KEY(p, "rst_sender"), s->teardown == TEARDOWN_RST ? s->rst_sender : ROLE_NONE);
    p = put_bool(KEY(p, "rst_after_fin"), s->rst_seen && s->rst_after_fin);
    p = packets_with_mark(KEY(p, "packets"), s, MARK_TEARDOWN);
    p = checks_json(KEY(p, "checks"), s, false);

    p = PUT_LIT(p, "},\"anomalies\":[");
    for (int a = 0; a < ANOMALIES; a++)
        if (session_has_anomaly(s, (enum anomaly)a))
            p = put_str(put_sep(p), anomaly_name((enum anomaly)a));

    p = put_str(PUT_LIT(p, "],\"zeek\":{\"conn_state\":"), s->conn_state);
    p = put_str(KEY(p, "history"), s->zeek_history);
    p = put_u64(PUT_LIT(p, "},\"wireshark\":{\"completeness\":"), s->wireshark_completeness);
    p = timeline_json(PUT_LIT(p, "},\"timeline\":"), s, digits);
    *p++ = '}';
    return p;
}

/* Appends the text `before` and s as one JSON object; sets w->oom when out of memory. */
static void session_json(struct jw *w, const char *before, const struct session *s, int digits)
{
    size_t room = strlen(before) + session_room(w, s);
    char *start = jw_room(w, room);
    if (!start)
        return;
    char *end = session_text(put_bytes(start, before, strlen(before)), s, digits);
    assert((size_t)(end - start) <= room); /* else session_room is wrong */
    jw_wrote(w, end);
}

/* ---- all sessions ------------------------------------------------------------------------- */

/* Sessions are rendered in batches of JSON_BATCH and each batch is written with one fwrite.
 * When the run's core budget spares a core (cores.h: not in batch mode), a helper
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
    struct jw w = {.name_room = vocabulary_room()};
    for (size_t b = first; b < job->batches; b += step) {
        size_t end = (b + 1) * JSON_BATCH < job->r->n_sessions ? (b + 1) * JSON_BATCH : job->r->n_sessions;
        w.len = 0;
        for (size_t i = b * JSON_BATCH; i < end && !w.oom; i++)
            session_json(&w, i ? ",\n" : "\n", capture_session(job->r, i), job->r->ts_digits);
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
static bool write_sessions(FILE *out, const struct capture_report *r, struct core_budget *cores)
{
    struct sessions_job job = {.out = out, .r = r, .batches = (r->n_sessions + JSON_BATCH - 1) / JSON_BATCH};
    pthread_t helper;
    pthread_mutex_init(&job.lock, NULL);
    pthread_cond_init(&job.turn_done, NULL);
    core_budget_hold(cores);
    bool two = job.batches >= 4 && core_budget_spare(cores) &&
               pthread_create(&helper, NULL, sessions_helper, &job) == 0;
    sessions_share(&job, 0, two ? 2 : 1);
    if (two)
        pthread_join(helper, NULL);
    core_budget_release(cores);
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
                      struct core_budget *cores, char *err, size_t errlen)
{
    bool ok = json_write_header(out, prov) == 0;
    fputs(",\n\"input\":", out);
    ok &= put_json(out, input_json(r));
    fputs(",\n\"summary\":", out);
    ok &= put_json(out, summary_json(r));
    fputs(",\n\"sessions\":[", out);
    ok = ok && write_sessions(out, r, cores);
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
