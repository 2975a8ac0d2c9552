/* index_scan.c — one entry line of a shard index taken without a cJSON tree (index_builder.h).
 *
 * Why: merging a shard of millions of entries spent nearly all its time building a cJSON tree
 * of each line, looking members up in it and freeing it (issue 20: 4 million entries took
 * about 100 s). A line index_write wrote is in the form cJSON_PrintUnformatted prints (no
 * space, a few escapes, whole numbers), so it is read here in that form, a bounded cursor
 * over the line, each value checked as check_entry (index_merge.c) and json_read.c check it
 * and added up as index_append adds it. A line is taken only when that is certain: anything
 * else (another form, an escape cJSON does not print, a member named twice, a value that
 * fails a check) is declined untouched, and the caller parses it with cJSON as before, so
 * what is refused, and every message, stays the same. */
#include "index_builder.h"

#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "session.h"

enum { MAX_DEPTH = 32, MAX_COUNTS = 64 };
enum { G_HS, G_TD, G_AN, G_PK, GROUPS }; /* the objects of counts: the summary's three, packets */

/* The names each object of counts may hold (json_read.c's lists), and for the summary's three
 * the builder's total of each name once it has been looked up. */
struct name {
    const char *s;
    size_t n;
};

struct index_scan {
    struct name names[GROUPS][DECODE_OUTCOMES + 3 + ANOMALIES];
    size_t n[GROUPS];
    cJSON *total[3][ANOMALIES + HANDSHAKE_CLASSES + TEARDOWN_CLASSES];
};

struct cur {
    const char *p, *end;
};

enum kind { V_NONE, V_STR, V_NUM, V_NULL, V_BOOL, V_OBJ, V_ARR };

/* A value read: a string's raw content (s, n; escaped when it has escapes), a number's value,
 * an object's or array's text from its opening bracket (s, n). */
struct val {
    enum kind kind;
    const char *s;
    size_t n;
    bool escaped;
    unsigned long long num;
};

static bool take(struct cur *c, char ch)
{
    if (c->p >= c->end || *c->p != ch)
        return false;
    c->p++;
    return true;
}

static bool hex_lower(char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'); }

/* A string as cJSON prints it: bytes from 0x20 up, \" \\ \b \f \n \r \t, and \u00xx for the
 * other control characters (never NUL), as canonical_json in index_merge.c allows. */
static bool string(struct cur *c, struct val *v)
{
    if (!take(c, '"'))
        return false;
    *v = (struct val){.kind = V_STR, .s = c->p};
    const char *p = c->p, *end = c->end;
    for (;;) {
        while (p < end && (unsigned char)*p >= 0x20 && *p != '"' && *p != '\\')
            p++;
        if (p >= end || (unsigned char)*p < 0x20)
            return false;
        if (*p == '"')
            break;
        v->escaped = true;
        size_t left = (size_t)(end - p);
        char e = left >= 2 ? p[1] : '\0';
        if (e == '"' || e == '\\' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
            p += 2;
            continue;
        }
        if (e != 'u' || left < 6 || p[2] != '0' || p[3] != '0' || (p[4] != '0' && p[4] != '1') || !hex_lower(p[5]))
            return false;
        unsigned x = (unsigned)(p[4] - '0') * 16 + (unsigned)(p[5] <= '9' ? p[5] - '0' : p[5] - 'a' + 10);
        if (x == 0 || x == '\b' || x == '\f' || x == '\n' || x == '\r' || x == '\t')
            return false;
        p += 6;
    }
    v->n = (size_t)(p - v->s);
    c->p = p + 1;
    return true;
}

size_t index_unescape(const char *s, size_t n, char *out)
{
    static const char from[] = "\"\\bfnrt", to[] = "\"\\\b\f\n\r\t";
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 >= n) {
            out[o++] = s[i];
        } else if (s[i + 1] == 'u' && i + 5 < n) { /* \u00xx */
            char h = s[i + 4], l = s[i + 5];
            out[o++] = (char)((h - '0') * 16 + (l <= '9' ? l - '0' : l - 'a' + 10));
            i += 5;
        } else {
            const char *k = memchr(from, s[i + 1], sizeof from - 1);
            out[o++] = k ? to[k - from] : s[i + 1];
            i++;
        }
    }
    return o;
}

/* A whole number as cJSON prints one it read: no sign, no leading zero, at most 15 digits
 * (so below 2^53, exactly what strtod makes of it), no fraction or exponent. */
static bool digits(struct cur *c, unsigned long long *out)
{
    const char *d = c->p, *end = c->end - d > 15 ? d + 16 : c->end;
    unsigned long long x = 0;
    while (c->p < end && (unsigned char)(*c->p - '0') <= 9)
        x = x * 10 + (unsigned long long)(*c->p++ - '0');
    size_t n = (size_t)(c->p - d);
    *out = x;
    return n && n <= 15 && (d[0] != '0' || n == 1) &&
           (c->p >= c->end || (*c->p != '.' && *c->p != 'e' && *c->p != 'E' && (unsigned char)(*c->p - '0') > 9));
}

static bool number(struct cur *c, struct val *v)
{
    *v = (struct val){.kind = V_NUM, .s = c->p};
    return digits(c, &v->num);
}

static bool word(struct cur *c, const char *w, size_t n)
{
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
        return false;
    c->p += n;
    return true;
}

static bool value(struct cur *c, struct val *v, int depth);

/* The members (or elements) of an object (array) whose opening bracket was read, up to and
 * including its closing one. */
static bool members(struct cur *c, bool object, int depth)
{
    char close = object ? '}' : ']';
    if (take(c, close))
        return true;
    do {
        struct val k, v;
        if ((object && (!string(c, &k) || !take(c, ':'))) || !value(c, &v, depth))
            return false;
    } while (take(c, ','));
    return take(c, close);
}

/* Any value, in printed form, nested at most MAX_DEPTH deep. */
static bool value(struct cur *c, struct val *v, int depth)
{
    if (c->p >= c->end || depth > MAX_DEPTH)
        return false;
    const char *start = c->p;
    switch (*c->p) {
    case '"': return string(c, v);
    case 'n': *v = (struct val){.kind = V_NULL}; return word(c, "null", 4);
    case 't': *v = (struct val){.kind = V_BOOL}; return word(c, "true", 4);
    case 'f': *v = (struct val){.kind = V_BOOL}; return word(c, "false", 5);
    case '{':
    case '[':
        c->p++;
        if (!members(c, *start == '{', depth + 1))
            return false;
        *v = (struct val){.kind = *start == '{' ? V_OBJ : V_ARR, .s = start, .n = (size_t)(c->p - start)};
        return true;
    default: return number(c, v);
    }
}

/* Which of names[0..n) the key is, tried from *at on (members come in one order as a rule;
 * *at is then the one after it); -1 when none. Escapes never make one of these names. */
static int name_of(const struct val *key, const struct name *names, size_t n, size_t *at)
{
    for (size_t i = 0; i < n && !key->escaped; i++) {
        size_t k = *at + i < n ? *at + i : *at + i - n;
        if (names[k].n == key->n && memcmp(names[k].s, key->s, key->n) == 0) {
            *at = k + 1;
            return (int)k;
        }
    }
    return -1;
}

/* The next member's key of the object being read at c (its '{' read; *first until a member
 * was), and its colon: 1 with which of names[0..n) it is in *i (-1: another), the caller
 * then reads the value; 0 past the closing brace; -1 when not in printed form. The name
 * expected next (*at, as name_of) is compared first, with its quotes and colon: most keys
 * are that, and need no other look. */
static int next_name(struct cur *c, bool *first, const struct name *names, size_t n, size_t *at, int *i)
{
    if (take(c, '}'))
        return 0;
    if (!*first && !take(c, ','))
        return -1;
    *first = false;
    const struct name *e = &names[*at < n ? *at : 0];
    if ((size_t)(c->end - c->p) >= e->n + 3 && c->p[0] == '"' && memcmp(c->p + 1, e->s, e->n) == 0 &&
        c->p[e->n + 1] == '"' && c->p[e->n + 2] == ':') {
        c->p += e->n + 3;
        *i = (int)(e - names);
        *at = (size_t)*i + 1;
        return 1;
    }
    struct val key;
    if (!string(c, &key) || !take(c, ':'))
        return -1;
    *i = name_of(&key, names, n, at);
    return 1;
}

/* The members among names[0..n) of the object at c, read up to its closing brace, each at
 * most once (a second is declined: cJSON would take the first, and the caller may as well
 * ask it); the others are read and left alone. */
static bool pick(struct cur *c, const struct name *names, size_t n, struct val *out)
{
    struct val v;
    bool first = true;
    size_t at = 0;
    int r, i;
    for (size_t j = 0; j < n; j++)
        out[j].kind = V_NONE;
    if (!take(c, '{'))
        return false;
    while ((r = next_name(c, &first, names, n, &at, &i)) == 1) {
        if (!value(c, &v, 1) || (i >= 0 && out[i].kind != V_NONE))
            return false;
        if (i >= 0)
            out[i] = v;
    }
    return r == 0;
}

/* An object of counts at c, read to its end, as json_read_counts takes it: every member a
 * known name of group g and a whole number (in printed form: below 2^53). The names (their
 * index in the group's list) and values, in order, in k and x, *n of them. */
static bool counts(const struct index_scan *s, int g, struct cur *c, unsigned char *k, unsigned long long *x,
                   size_t *n)
{
    bool first = true;
    size_t at = 0;
    int r, i;
    *n = 0;
    if (!take(c, '{'))
        return false;
    while ((r = next_name(c, &first, s->names[g], s->n[g], &at, &i)) == 1) {
        if (i < 0 || *n == MAX_COUNTS || !digits(c, &x[*n]))
            return false;
        k[(*n)++] = (unsigned char)i;
    }
    return r == 0;
}

/* safe_relative (index_merge.c) on a string without escapes: relative, no empty or ".."
 * component. */
static bool safe_span(const char *s, size_t n)
{
    if (!n || s[0] == '/')
        return false;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] != '/')
            j++;
        if (j == i || (j - i == 2 && s[i] == '.' && s[i + 1] == '.'))
            return false;
        i = j + (j < n);
    }
    return true;
}

/* An output path as check_entry takes it: null, or a string below OUT (required: absent is
 * refused). */
static bool safe_output(const struct val *v, bool required)
{
    if (v->kind == V_NONE)
        return !required;
    if (v->kind == V_NULL)
        return true;
    if (v->kind != V_STR)
        return false;
    if (!v->escaped)
        return safe_span(v->s, v->n);
    char *t = malloc(v->n + 1);
    bool ok = t && safe_span(t, index_unescape(v->s, v->n, t));
    free(t);
    return ok;
}

/* Adds the counts of group g (k, x: n of them) to total, an object of the builder's, in
 * order, as add_counts in index.c does; a name's member is looked up once per builder. */
static bool add_counts(struct index_scan *s, int g, cJSON *total, const unsigned char *k,
                       const unsigned long long *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cJSON **t = &s->total[g][k[i]];
        if (!*t)
            *t = cJSON_GetObjectItemCaseSensitive(total, s->names[g][k[i]].s);
        if (*t)
            cJSON_SetNumberValue(*t, (*t)->valuedouble + (double)x[i]);
        else if (!(*t = cJSON_AddNumberToObject(total, s->names[g][k[i]].s, (double)x[i])))
            return false;
    }
    return true;
}

static struct index_scan *scan_new(void)
{
    struct index_scan *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    for (int c = 0; c < HANDSHAKE_CLASSES; c++)
        s->names[G_HS][c].s = handshake_class_name((enum handshake_class)c);
    for (int c = 0; c < TEARDOWN_CLASSES; c++)
        s->names[G_TD][c].s = teardown_class_name((enum teardown_class)c);
    for (int c = 0; c < ANOMALIES; c++)
        s->names[G_AN][c].s = anomaly_name((enum anomaly)c);
    static const char *const pk[] = {"total", "filtered_out", "session_cap"};
    for (int c = 0; c < 3; c++)
        s->names[G_PK][c].s = pk[c];
    for (int o = 0; o < DECODE_OUTCOMES; o++)
        s->names[G_PK][3 + o].s = decode_outcome_name((enum decode_outcome)o);
    s->n[G_HS] = HANDSHAKE_CLASSES;
    s->n[G_TD] = TEARDOWN_CLASSES;
    s->n[G_AN] = ANOMALIES;
    s->n[G_PK] = DECODE_OUTCOMES + 3;
    for (int g = 0; g < GROUPS; g++)
        for (size_t i = 0; i < s->n[g]; i++)
            s->names[g][i].n = strlen(s->names[g][i].s);
    return s;
}

void index_scan_free(struct index_scan *s)
{
    free(s);
}

/* An entry's members that check_entry and index_append read. */
enum { M_INPUT, M_STATUS, M_REASON, M_OUTPUTS, M_RENAMED, M_SUMMARY, M_FILE, M_SHA, M_PACKETS, M_WARNINGS, M_N };
#define NAME(s) {s, sizeof s - 1}
static const struct name member_names[M_N] = {
    NAME("input"), NAME("status"), NAME("reason"), NAME("outputs"), NAME("renamed_from"),
    NAME("summary"), NAME("file_name"), NAME("sha256"), NAME("packets"), NAME("warnings")};
enum { O_JSON, O_PDF, O_HTML, O_CSV, O_SVG, O_N };
static const struct name output_names[O_N] = {NAME("json"), NAME("pdf"), NAME("html"), NAME("csv"), NAME("svg")};
enum { S_SESSIONS, S_DROPPED, S_HS, S_TD, S_AN, S_N };
static const struct name summary_names[S_N] = {NAME("sessions"), NAME("sessions_dropped"), NAME("handshake"),
                                              NAME("teardown"), NAME("anomalies")};
static const struct name statuses[4] = {NAME("converted"), NAME("up-to-date"), NAME("failed"), NAME("skipped")};

/* What a line holds, once read and checked. */
struct scanned {
    struct val m[M_N], out[O_N], sum[S_N];
    int status;
    bool summary;                           /* an object (else null) */
    unsigned char k[GROUPS][MAX_COUNTS];    /* its counts: name, value */
    unsigned long long x[GROUPS][MAX_COUNTS];
    size_t n[GROUPS];
    unsigned long long total;               /* packets.total */
};

static bool string_or_null(const struct val *v) { return v->kind == V_STR || v->kind == V_NULL; }

/* The summary object at c, read to its end, as json_read_check_summary checks it. */
static bool read_summary(const struct index_scan *s, struct cur *c, struct scanned *e)
{
    struct val *v = e->sum;
    bool first = true;
    size_t at = 0;
    int r, i;
    for (size_t j = 0; j < S_N; j++)
        v[j].kind = V_NONE;
    if (!take(c, '{'))
        return false;
    while ((r = next_name(c, &first, summary_names, S_N, &at, &i)) == 1) {
        struct val other;
        if (i >= 0 && v[i].kind != V_NONE)
            return false;
        int g = i == S_HS ? G_HS : i == S_TD ? G_TD : i == S_AN ? G_AN : -1;
        if (g >= 0 ? !counts(s, g, c, e->k[g], e->x[g], &e->n[g]) : !value(c, i >= 0 ? &v[i] : &other, 1))
            return false;
        if (g >= 0)
            v[i].kind = V_OBJ;
    }
    return r == 0 && v[S_SESSIONS].kind == V_NUM && (v[S_DROPPED].kind == V_NONE || v[S_DROPPED].kind == V_NUM) &&
           v[S_HS].kind == V_OBJ && v[S_TD].kind == V_OBJ && v[S_AN].kind == V_OBJ;
}

/* The members beside an object summary that json_read_check_input checks, and warnings. */
static bool check_input(struct scanned *e)
{
    const struct val *sha = &e->m[M_SHA];
    if (e->m[M_FILE].kind != V_STR || sha->kind != V_STR || sha->n != 64 || e->m[M_WARNINGS].kind != V_NUM ||
        e->m[M_PACKETS].kind != V_OBJ)
        return false;
    for (size_t i = 0; i < 64; i++)
        if (!hex_lower(sha->s[i]))
            return false;
    for (size_t i = 0; i < e->n[G_PK]; i++) /* "total", the first one, as cJSON finds it */
        if (e->k[G_PK][i] == 0) {
            e->total = e->x[G_PK][i];
            return true;
        }
    return false;
}

/* The entry's members, in one pass: outputs, summary and packets read as they come (packets
 * only as counts: in another form it is declined even when the summary is null and it would
 * not be checked). */
static bool read_members(const struct index_scan *s, struct cur *c, struct scanned *e)
{
    struct val other;
    bool first = true;
    size_t at = 0;
    int r, i;
    for (size_t j = 0; j < M_N; j++)
        e->m[j].kind = V_NONE;
    if (!take(c, '{'))
        return false;
    while ((r = next_name(c, &first, member_names, M_N, &at, &i)) == 1) {
        if (i >= 0 && e->m[i].kind != V_NONE)
            return false;
        bool inner = c->p < c->end && *c->p == '{';
        bool ok = !inner || i < 0                ? value(c, i >= 0 ? &e->m[i] : &other, 1)
                  : i == M_OUTPUTS               ? pick(c, output_names, O_N, e->out)
                  : i == M_SUMMARY               ? read_summary(s, c, e)
                  : i == M_PACKETS               ? counts(s, G_PK, c, e->k[G_PK], e->x[G_PK], &e->n[G_PK])
                                                 : value(c, &e->m[i], 1);
        if (!ok)
            return false;
        if (inner && i >= 0)
            e->m[i].kind = V_OBJ;
    }
    return r == 0;
}

/* Reads and checks line as check_entry does; false when it is to be declined. */
static bool read_entry(const struct index_scan *s, const char *line, size_t len, struct scanned *e)
{
    struct cur c = {line, line + len};
    if (!read_members(s, &c, e) || c.p != c.end)
        return false;
    const struct val *st = &e->m[M_STATUS], *renamed = &e->m[M_RENAMED];
    size_t at = 0;
    e->status = st->kind == V_STR ? name_of(st, statuses, 4, &at) : -1;
    if (e->status < 0 || !string_or_null(&e->m[M_INPUT]) || !string_or_null(&e->m[M_REASON]) ||
        e->m[M_OUTPUTS].kind != V_OBJ || !safe_output(&e->out[O_JSON], true) ||
        !safe_output(&e->out[O_PDF], true) || !safe_output(&e->out[O_HTML], false) ||
        !safe_output(&e->out[O_CSV], false) || !safe_output(&e->out[O_SVG], false) ||
        (renamed->kind != V_NONE && renamed->kind != V_STR))
        return false;
    e->summary = e->m[M_SUMMARY].kind == V_OBJ;
    return e->m[M_SUMMARY].kind == V_NULL || (e->summary && check_input(e));
}

/* v as an entry string: its text, or none (NULL) when it is not a string. */
static struct entry_string text(const struct val *v)
{
    return v->kind == V_STR ? (struct entry_string){v->s, v->n, v->escaped} : (struct entry_string){0};
}

int index_scan_line(struct index_builder *b, const char *line, size_t len, int src, uint64_t off)
{
    if (!b->scan && !(b->scan = scan_new()))
        return -1;
    struct index_scan *s = b->scan;
    struct scanned e;
    if (!read_entry(s, line, len, &e))
        return 0;
    const struct val *json = &e.out[O_JSON], *in = &e.m[M_INPUT];
    struct entry_fields f = {
        .line = line, .line_len = len, .src = src, .off = off,
        .key = json->kind == V_STR ? text(json) : in->kind == V_STR ? text(in) : (struct entry_string){"", 0, false},
        .input = in->kind == V_STR ? text(in) : (struct entry_string){"", 0, false},
        .reason = text(&e.m[M_REASON]), .pdf = text(&e.out[O_PDF]),
        .html = e.out[O_HTML].kind == V_STR, .failed = e.status == 2,
    };
    if (index_entry_add(b, &f) != 0)
        return -1;
    b->by_status[e.status]++;
    if (!e.summary)
        return 1;
    b->sessions += (double)e.sum[S_SESSIONS].num;
    b->packets += (double)e.total;
    return add_counts(s, G_HS, b->hs, e.k[G_HS], e.x[G_HS], e.n[G_HS]) &&
           add_counts(s, G_TD, b->td, e.k[G_TD], e.x[G_TD], e.n[G_TD]) &&
           add_counts(s, G_AN, b->an, e.k[G_AN], e.x[G_AN], e.n[G_AN]) ? 1 : -1;
}
