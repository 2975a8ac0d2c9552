/* json_text.h — JSON text into a growing buffer, every write bounded (for render/json*.c).
 *
 * The writers put text at a cursor {p, end}: the next byte goes to p, and the buffer has room
 * up to end. Every put first asks for the most it can write (json_need), which grows the
 * buffer when the room is short, so no count, number or string can write past the end and
 * nothing is reckoned in advance. What one request asks for is at most JSON_PUT_MAX bytes,
 * which the compiler checks (JSON_ROOM); a string, which can be of any length, watches its
 * room byte by byte. When memory runs out, the cursor moves into a sink of that size inside struct json_buf: the
 * writers go on safely to the end of what they write, oom is set, and the caller drops the
 * text.
 *
 * The cursor is passed and returned by value: its two pointers stay in registers, where a
 * length kept in the struct would be stored and loaded again around every byte written (a
 * char store may alias it). A key and its value share one request (JSON_KEY_U64 and the
 * like), and numbers are written with digit pairs in eight-digit chunks: the sessions are the
 * bulk of a report (docs/benchmark.md). Text is written as cJSON_PrintUnformatted writes it:
 * integers as plain digits, cJSON's string escapes.
 *
 * The json_*_at_ helpers write into room their caller has just asked for; only this file's
 * functions and macros call them. */
#ifndef PCAP2REPORT_JSON_TEXT_H
#define PCAP2REPORT_JSON_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { JSON_PUT_MAX = 512 }; /* the most room one request asks for */

struct json_buf {
    char *buf;  /* malloc'd, cap bytes; the text starts at buf + 1 (buf[0] is never text) */
    size_t cap;
    bool oom;   /* memory ran out: the text is lost (stays set) */
    char sink[JSON_PUT_MAX + 1]; /* where the cursor goes after oom; sink[0] is never written */
};

struct json_at {
    char *p;   /* where the next byte goes */
    char *end; /* the end of the room */
};

/* Empties b (allocating its first buffer) and returns a cursor at the start of its text. */
struct json_at json_start(struct json_buf *b);

/* The text written from json_start up to a, and its length; meaningful only while !b->oom. */
static inline const char *json_text(const struct json_buf *b) { return b->buf + 1; }
static inline size_t json_length(const struct json_buf *b, struct json_at a) { return (size_t)(a.p - b->buf - 1); }

void json_buf_free(struct json_buf *b); /* the buffer; b itself is the caller's */

/* Room for n more bytes at a: the text moved to a buffer at least twice as big, or, out of
 * memory, a cursor into the sink. Called by json_need only. */
struct json_at json_grow(struct json_buf *b, struct json_at a, size_t n);

/* n as a constant the compiler has checked to be at most JSON_PUT_MAX. */
#define JSON_ROOM(n)                                                                            \
    ((size_t)(n) + 0 * sizeof(struct {                                                          \
         _Static_assert((size_t)(n) <= (size_t)JSON_PUT_MAX, "a put asks for more than JSON_PUT_MAX"); \
         char c;                                                                                \
     }))

/* At least n bytes of room at a (n <= JSON_PUT_MAX: pass JSON_ROOM(...)). */
static inline struct json_at json_need(struct json_buf *b, struct json_at a, size_t n)
{
    if (__builtin_expect((size_t)(a.end - a.p) < n, 0))
        a = json_grow(b, a, n);
    return a;
}

/* n bytes of s (a literal), after asking for room for them and whatever the caller writes
 * next (room >= n). */
static inline struct json_at json_put_(struct json_buf *b, struct json_at a, const char *s, size_t n, size_t room)
{
    a = json_need(b, a, room);
    memcpy(a.p, s, n);
    a.p += n;
    return a;
}

/* A string literal as it is; the same with room for `then` bytes after it; the first key of
 * an object with its brace; a later key with its comma (for keys whose place is fixed; lists
 * of varying length use json_sep). */
#define JSON_LIT(b, a, lit) json_put_(b, a, "" lit, sizeof lit - 1, JSON_ROOM(sizeof lit - 1))
#define JSON_LIT_THEN(b, a, lit, then) json_put_(b, a, "" lit, sizeof lit - 1, JSON_ROOM(sizeof lit - 1 + (then)))
#define JSON_FIRST_KEY(b, a, key) JSON_LIT(b, a, "{\"" key "\":")
#define JSON_KEY(b, a, key) JSON_LIT(b, a, ",\"" key "\":")

/* Before an element (or optional member) of a list of varying length: a comma, unless it is
 * the first, right after the bracket. No value ends in '[' or '{', so p[-1] tells; there is
 * always a byte before p (buf[0], sink[0]). */
static inline char *json_sep_at_(char *p)
{
    if (p[-1] != '[' && p[-1] != '{')
        *p++ = ',';
    return p;
}

static inline struct json_at json_sep(struct json_buf *b, struct json_at a)
{
    a = json_need(b, a, JSON_ROOM(1));
    a.p = json_sep_at_(a.p);
    return a;
}

/* json_sep, then n bytes of s (a literal), after asking for room for them and whatever the
 * caller writes next (room >= 1 + n). */
static inline struct json_at json_sep_put_(struct json_buf *b, struct json_at a, const char *s, size_t n, size_t room)
{
    a = json_need(b, a, room);
    a.p = json_sep_at_(a.p);
    memcpy(a.p, s, n);
    a.p += n;
    return a;
}

/* A literal after json_sep; the same with room for `then` bytes after it. */
#define JSON_SEP_LIT(b, a, lit) json_sep_put_(b, a, "" lit, sizeof lit - 1, JSON_ROOM(1 + sizeof lit - 1))
#define JSON_SEP_LIT_THEN(b, a, lit, then) \
    json_sep_put_(b, a, "" lit, sizeof lit - 1, JSON_ROOM(1 + sizeof lit - 1 + (then)))

static inline struct json_at json_bool(struct json_buf *b, struct json_at a, bool v)
{
    return v ? JSON_LIT(b, a, "true") : JSON_LIT(b, a, "false");
}

/* ---- numbers ---------------------------------------------------------------------------- */

enum {
    JSON_U64_ROOM = 20,            /* the digits of UINT64_MAX */
    JSON_TIME_ROOM = 1 + 20 + 1 + 9, /* '-', the seconds, '.', the fraction */
};

extern const char json_digit_pairs_[200];

/* The number of decimal digits of v (1 for 0). bits * 1233 >> 12 is bits * log10(2) rounded
 * down, for bits up to 64: v has that many digits or one more. */
static inline unsigned json_decimal_digits_(uint64_t v)
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

/* The last width (<= 8) digits of v, leading zeros included, two per division. */
static inline void json_digits32_(char *p, uint32_t v, unsigned width)
{
    unsigned i = width;
    for (; i >= 2; i -= 2, v /= 100)
        memcpy(p + i - 2, json_digit_pairs_ + v % 100 * 2, 2);
    if (i)
        p[0] = (char)('0' + v % 10);
}

/* The last width (<= 20) digits of v: eight at a time go to json_digits32_, as divisions of
 * 32 bits are cheaper than those of 64. */
static inline char *json_digits_(char *p, uint64_t v, unsigned width)
{
    unsigned left = width;
    for (; left > 8; left -= 8, v /= 100000000)
        json_digits32_(p + left - 8, (uint32_t)(v % 100000000), 8);
    json_digits32_(p, (uint32_t)v, left);
    return p + width;
}

static inline struct json_at json_u64_at_(struct json_at a, uint64_t v)
{
    a.p = json_digits_(a.p, v, json_decimal_digits_(v));
    return a;
}

static inline struct json_at json_u64(struct json_buf *b, struct json_at a, uint64_t v)
{
    return json_u64_at_(json_need(b, a, JSON_ROOM(JSON_U64_ROOM)), v);
}

/* A literal (after json_sep), then v: one request for the room of both. */
#define JSON_LIT_U64(b, a, lit, v) json_u64_at_(JSON_LIT_THEN(b, a, lit, JSON_U64_ROOM), v)
#define JSON_KEY_U64(b, a, key, v) JSON_LIT_U64(b, a, ",\"" key "\":", v)
#define JSON_SEP_LIT_U64(b, a, lit, v) json_u64_at_(JSON_SEP_LIT_THEN(b, a, lit, JSON_U64_ROOM), v)
#define JSON_SEP_U64(b, a, v) JSON_SEP_LIT_U64(b, a, "", v)

static inline struct json_at json_i64(struct json_buf *b, struct json_at a, int64_t v)
{
    a = json_need(b, a, JSON_ROOM(1 + JSON_U64_ROOM));
    if (v < 0)
        *a.p++ = '-';
    return json_u64_at_(a, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
}

/* Nanoseconds as seconds with the capture's precision (9 digits after the point, else 6),
 * as exact decimal text: 1700000000.123456. At most JSON_TIME_ROOM bytes. */
static inline struct json_at json_time_at_(struct json_at a, int64_t ns, int digits)
{
    unsigned width = digits == 9 ? 9 : 6;
    uint64_t mag = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    uint64_t frac = mag % 1000000000u;
    if (width == 6)
        frac /= 1000;
    if (ns < 0)
        *a.p++ = '-';
    a = json_u64_at_(a, mag / 1000000000u);
    *a.p++ = '.';
    a.p = json_digits_(a.p, frac, width);
    return a;
}

static inline struct json_at json_time(struct json_buf *b, struct json_at a, int64_t ns, int digits)
{
    return json_time_at_(json_need(b, a, JSON_ROOM(JSON_TIME_ROOM)), ns, digits);
}

#define JSON_LIT_TIME(b, a, lit, ns, digits) json_time_at_(JSON_LIT_THEN(b, a, lit, JSON_TIME_ROOM), ns, digits)
#define JSON_KEY_TIME(b, a, key, ns, digits) JSON_LIT_TIME(b, a, ",\"" key "\":", ns, digits)

/* ---- strings ---------------------------------------------------------------------------- */

/* One byte of a string, escaped as cJSON escapes it: ", \ and control characters; other bytes
 * as they are. At most 6 bytes. */
static inline char *json_escape_(char *p, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    if (c >= 0x20 && c != '"' && c != '\\') {
        *p++ = (char)c;
        return p;
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
        memcpy(p, "u00", 3);
        p[3] = hex[c >> 4];
        p[4] = hex[c & 0xf];
        p += 5;
        break;
    }
    return p;
}

/* The room a string asks for before it starts: its quotes need 2; a short name's bytes as
 * well keep it off the slow path near the end of the buffer. */
enum { JSON_STR_ROOM = 64 };

/* More room for a string being written (json_text.c). */
struct json_at json_str_room_(struct json_buf *b, struct json_at a);

/* A string in quotes: the caller has asked for JSON_STR_ROOM bytes of room. A string can be
 * of any length, so it watches its room as it goes: while p is at most end - 7, one more byte
 * (6 at most, escaped) and the closing quote fit. (end - 7 is inside the buffer or the sink,
 * both longer than 7 bytes.) */
static inline struct json_at json_str_at_(struct json_buf *b, struct json_at a, const char *s)
{
    char *last = a.end - 7;
    *a.p++ = '"';
    for (; *s; s++) {
        if (__builtin_expect(a.p > last, 0)) {
            a = json_str_room_(b, a);
            last = a.end - 7;
        }
        a.p = json_escape_(a.p, (unsigned char)*s);
    }
    *a.p++ = '"';
    return a;
}

static inline struct json_at json_str(struct json_buf *b, struct json_at a, const char *s)
{
    return json_str_at_(b, json_need(b, a, JSON_ROOM(JSON_STR_ROOM)), s);
}

/* A literal (after json_sep), then a string: one request for the literal and the string's
 * start. */
#define JSON_LIT_STR(b, a, lit, s) json_str_at_(b, JSON_LIT_THEN(b, a, lit, JSON_STR_ROOM), s)
#define JSON_KEY_STR(b, a, key, s) JSON_LIT_STR(b, a, ",\"" key "\":", s)
#define JSON_SEP_LIT_STR(b, a, lit, s) json_str_at_(b, JSON_SEP_LIT_THEN(b, a, lit, JSON_STR_ROOM), s)
#define JSON_SEP_STR(b, a, s) JSON_SEP_LIT_STR(b, a, "", s)

#endif
