/* rubric.c — reading and checking rubric files (format: templates/rubrics/README.md). */
#define _GNU_SOURCE
#include "rubric.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "sha256.h"

const char *const rubric_placeholders[] = {
    "session", "capture", "client", "server", "handshake", "teardown", "packets", "reason",
    "points", "max", "target", NULL,
};

static const struct {
    const char *name;
    enum rubric_req_type type;
} req_names[REQ_TYPES] = {
    {"handshake", REQ_HANDSHAKE},
    {"teardown", REQ_TEARDOWN},
    {"handshake-arithmetic", REQ_HANDSHAKE_ARITHMETIC},
    {"fin-arithmetic", REQ_FIN_ARITHMETIC},
    {"target", REQ_TARGET},
    {"server-host", REQ_SERVER_HOST},
    {"server-port", REQ_SERVER_PORT},
    {"anomaly", REQ_ANOMALY},
    {"no-anomaly", REQ_NO_ANOMALY},
    {"data", REQ_DATA},
    {"rst-from", REQ_RST_FROM},
    {"closer", REQ_CLOSER},
    {"conn-state", REQ_CONN_STATE},
    {"ip-version", REQ_IP_VERSION},
};

static const char *const conn_states[] = {
    "S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH",
};

/* Column names of grades.csv that a check id may not take. */
static const char *const reserved_ids[] = {"student", "total", "max", "error", "integrity", "notes"};

const char *rubric_req_type_name(enum rubric_req_type t)
{
    for (size_t i = 0; i < REQ_TYPES; i++)
        if (req_names[i].type == t)
            return req_names[i].name;
    return "unknown";
}

const char *rubric_side_name(enum rubric_side s)
{
    static const char *const names[] = {"client", "server", "both", "either"};
    return (unsigned)s < 4 ? names[s] : "unknown";
}

const char *rubric_conn_state_name(unsigned i)
{
    return i < sizeof conn_states / sizeof conn_states[0] ? conn_states[i] : NULL;
}

char *rubric_points_string(int hundredths, char buf[24])
{
    const char *sign = hundredths < 0 ? "-" : "";
    unsigned v = hundredths < 0 ? 0u - (unsigned)hundredths : (unsigned)hundredths;
    if (v % 100 == 0)
        snprintf(buf, 24, "%s%u", sign, v / 100);
    else if (v % 10 == 0)
        snprintf(buf, 24, "%s%u.%u", sign, v / 100, (v % 100) / 10);
    else
        snprintf(buf, 24, "%s%u.%02u", sign, v / 100, v % 100);
    return buf;
}

/* ---- freeing --------------------------------------------------------------------------------- */

static void hosts_free(struct rubric_hosts *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->items[i].spec);
        free(h->items[i].prefixes);
    }
    free(h->items);
    h->items = NULL;
    h->n = 0;
}

static void req_free(struct rubric_req *q)
{
    free(q->text);
    free(q->ports);
    hosts_free(&q->hosts);
}

static void check_free(struct rubric_check *c)
{
    free(c->id);
    free(c->looks_for);
    free(c->pass);
    free(c->fail);
    for (size_t i = 0; i < c->n_reqs; i++)
        req_free(&c->reqs[i]);
    free(c->reqs);
}

void rubric_free(struct rubric *r)
{
    if (!r)
        return;
    free(r->name);
    free(r->title);
    free(r->about);
    free(r->source);
    hosts_free(&r->target_hosts);
    free(r->target_ports);
    for (size_t i = 0; i < r->n_checks; i++)
        check_free(&r->checks[i]);
    free(r->checks);
    free(r);
}

/* ---- the parser's state ---------------------------------------------------------------------- */

struct parser {
    const char *source;
    unsigned line;
    char *err;
    size_t errlen;
    struct rubric *r;
    struct rubric_check *check; /* the check being read, or NULL in the header */
};

static int fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct parser *p, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (p->line)
        snprintf(p->err, p->errlen, "%s, line %u: %s", p->source, p->line, msg);
    else
        snprintf(p->err, p->errlen, "%s: %s", p->source, msg);
    return -1;
}

static int oom(struct parser *p) { return fail(p, "out of memory"); }

/* Appends value to *field, separated by a space (continuation lines). */
static int append_text(struct parser *p, char **field, const char *value)
{
    char *joined;
    if (!*field) {
        joined = strdup(value);
    } else if (asprintf(&joined, "%s %s", *field, value) < 0) {
        joined = NULL;
    }
    if (!joined)
        return oom(p);
    free(*field);
    *field = joined;
    return 0;
}

/* Length of the valid UTF-8 sequence at s (RFC 3629), or 0. */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

/* ---- values ---------------------------------------------------------------------------------- */

/* Splits a value into words at spaces, tabs and commas. Returns the number of words, writing
 * at most max pointers into words (the value is modified). */
static size_t split_words(char *value, char **words, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *w = strtok_r(value, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save)) {
        if (n < max)
            words[n] = w;
        n++;
    }
    return n;
}

static bool parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    if (!*s || !isdigit((unsigned char)*s))
        return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (!isdigit((unsigned char)*s))
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

/* "3", "1.5", "0.25": at most two decimals. */
static bool parse_points(const char *s, int *out)
{
    uint64_t whole = 0, frac = 0;
    const char *dot = strchr(s, '.');
    char buf[32];
    if (strlen(s) >= sizeof buf)
        return false;
    if (dot) {
        size_t wl = (size_t)(dot - s), fl = strlen(dot + 1);
        if (wl == 0 || fl == 0 || fl > 2)
            return false;
        memcpy(buf, s, wl);
        buf[wl] = '\0';
        if (!parse_uint(buf, RUBRIC_MAX_POINTS / 100, &whole) || !parse_uint(dot + 1, 99, &frac))
            return false;
        if (fl == 1)
            frac *= 10;
    } else if (!parse_uint(s, RUBRIC_MAX_POINTS / 100, &whole)) {
        return false;
    }
    uint64_t v = whole * 100 + frac;
    if (v > RUBRIC_MAX_POINTS)
        return false;
    *out = (int)v;
    return true;
}

static int parse_port(struct parser *p, const char *w, uint16_t *port)
{
    uint64_t v;
    if (!parse_uint(w, 65535, &v) || v == 0)
        return fail(p, "'%s' is not a port number (1 to 65535)", w);
    *port = (uint16_t)v;
    return 0;
}

static int add_ports(struct parser *p, char *value, uint16_t **ports, size_t *n)
{
    char *words[64];
    size_t k = split_words(value, words, 64);
    if (k == 0)
        return fail(p, "give at least one port number");
    if (k > 64)
        return fail(p, "at most 64 ports on one line");
    uint16_t *grown = realloc(*ports, (*n + k) * sizeof *grown);
    if (!grown)
        return oom(p);
    *ports = grown;
    for (size_t i = 0; i < k; i++)
        if (parse_port(p, words[i], &grown[*n + i]) != 0)
            return -1;
    *n += k;
    return 0;
}

/* An address, a prefix "addr/bits", or a host name (letters, digits, '-', '.'). */
static int parse_host(struct parser *p, const char *w, struct rubric_host *h)
{
    memset(h, 0, sizeof *h);
    char addr[INET6_ADDRSTRLEN + 8];
    const char *slash = strchr(w, '/');
    size_t alen = slash ? (size_t)(slash - w) : strlen(w);
    struct rubric_prefix pf = {0};
    if (alen < sizeof addr) {
        memcpy(addr, w, alen);
        addr[alen] = '\0';
        if (inet_pton(AF_INET, addr, pf.addr) == 1) {
            pf.ip_version = 4;
            pf.bits = 32;
        } else if (inet_pton(AF_INET6, addr, pf.addr) == 1) {
            pf.ip_version = 6;
            pf.bits = 128;
        }
    }
    if (pf.ip_version) {
        if (slash) {
            uint64_t bits;
            if (!parse_uint(slash + 1, pf.bits, &bits))
                return fail(p, "'%s': the prefix length must be 0 to %u", w, pf.bits);
            pf.bits = (uint8_t)bits;
        }
        h->prefixes = malloc(sizeof *h->prefixes);
        if (!h->prefixes)
            return oom(p);
        h->prefixes[0] = pf;
        h->n_prefixes = 1;
    } else {
        bool ok = !slash && *w && strlen(w) <= 253 && *w != '-' && *w != '.';
        for (const char *c = w; ok && *c; c++)
            ok = isalnum((unsigned char)*c) || *c == '-' || *c == '.';
        if (!ok)
            return fail(p, "'%s' is neither an IP address, a prefix (192.0.2.0/24) nor a host name", w);
        h->is_name = true;
    }
    if (!(h->spec = strdup(w))) {
        free(h->prefixes);
        h->prefixes = NULL;
        return oom(p);
    }
    return 0;
}

static int add_hosts(struct parser *p, char *value, struct rubric_hosts *hosts)
{
    char *words[64];
    size_t k = split_words(value, words, 64);
    if (k == 0)
        return fail(p, "give at least one address, prefix or host name");
    if (k > 64)
        return fail(p, "at most 64 hosts on one line");
    struct rubric_host *grown = realloc(hosts->items, (hosts->n + k) * sizeof *grown);
    if (!grown)
        return oom(p);
    hosts->items = grown;
    for (size_t i = 0; i < k; i++) {
        if (parse_host(p, words[i], &grown[hosts->n]) != 0)
            return -1;
        hosts->n++;
    }
    return 0;
}

/* Looks up each word in a table of names, setting its bit. */
static int name_set(struct parser *p, char **words, size_t n, const char *what,
                    const char *(*name_of)(unsigned), unsigned count, uint32_t *set)
{
    if (n == 0)
        return fail(p, "name at least one %s", what);
    for (size_t i = 0; i < n; i++) {
        unsigned k;
        for (k = 0; k < count; k++)
            if (strcmp(words[i], name_of(k)) == 0)
                break;
        if (k == count) {
            char known[600] = "";
            size_t used = 0;
            for (unsigned j = 0; j < count && used < sizeof known; j++)
                used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", j ? ", " : "", name_of(j));
            return fail(p, "unknown %s '%s' (known: %s)", what, words[i], known);
        }
        *set |= 1u << k;
    }
    return 0;
}

static const char *hs_name(unsigned i) { return handshake_class_name((enum handshake_class)i); }
static const char *td_name(unsigned i) { return teardown_class_name((enum teardown_class)i); }
static const char *an_name(unsigned i) { return anomaly_name((enum anomaly)i); }
static const char *cs_name(unsigned i) { return rubric_conn_state_name(i); }

static int parse_side(struct parser *p, const char *w, bool allow_both, bool allow_either,
                      enum rubric_side *side)
{
    for (int s = RUBRIC_CLIENT; s <= RUBRIC_EITHER; s++) {
        if ((s == RUBRIC_BOTH && !allow_both) || (s == RUBRIC_EITHER && !allow_either))
            continue;
        if (w && strcmp(w, rubric_side_name((enum rubric_side)s)) == 0) {
            *side = (enum rubric_side)s;
            return 0;
        }
    }
    return fail(p, "expected client or server%s%s, not '%s'", allow_both ? ", both" : "",
                allow_either ? " or either" : "", w ? w : "");
}

/* "require TYPE ARGS..." */
static int parse_requirement(struct parser *p, const char *value)
{
    struct rubric_check *c = p->check;
    char *copy = strdup(value);
    if (!copy)
        return oom(p);
    char *rest = copy + strcspn(copy, " \t");
    if (*rest)
        *rest++ = '\0';
    rest += strspn(rest, " \t");

    size_t t;
    for (t = 0; t < REQ_TYPES; t++)
        if (strcmp(copy, req_names[t].name) == 0)
            break;
    if (t == REQ_TYPES) {
        fail(p, "unknown requirement '%s' (see templates/rubrics/README.md for the list)", copy);
        free(copy);
        return -1;
    }
    struct rubric_req *grown = realloc(c->reqs, (c->n_reqs + 1) * sizeof *grown);
    if (!grown) {
        free(copy);
        return oom(p);
    }
    c->reqs = grown;
    struct rubric_req *q = &c->reqs[c->n_reqs++];
    memset(q, 0, sizeof *q);
    q->type = req_names[t].type;
    q->line = p->line;
    q->min_bytes = 1;
    if (!(q->text = strdup(value))) {
        free(copy);
        return oom(p);
    }

    char *words[64];
    char *args = strdup(rest);
    if (!args) {
        free(copy);
        return oom(p);
    }
    size_t n = split_words(args, words, 64);
    int rc = 0;
    if (n > 64)
        rc = fail(p, "too many values");
    else switch (q->type) {
    case REQ_HANDSHAKE:
        rc = name_set(p, words, n, "handshake class", hs_name, HANDSHAKE_CLASSES, &q->set);
        break;
    case REQ_TEARDOWN:
        rc = name_set(p, words, n, "teardown class", td_name, TEARDOWN_CLASSES, &q->set);
        break;
    case REQ_ANOMALY:
    case REQ_NO_ANOMALY:
        rc = name_set(p, words, n, "anomaly", an_name, ANOMALIES, &q->set);
        break;
    case REQ_CONN_STATE:
        rc = name_set(p, words, n, "conn_state", cs_name,
                      (unsigned)(sizeof conn_states / sizeof conn_states[0]), &q->set);
        break;
    case REQ_HANDSHAKE_ARITHMETIC:
    case REQ_FIN_ARITHMETIC:
    case REQ_TARGET:
        if (n)
            rc = fail(p, "'%s' takes no value", copy);
        break;
    case REQ_SERVER_HOST:
        rc = add_hosts(p, rest, &q->hosts);
        break;
    case REQ_SERVER_PORT:
        rc = add_ports(p, rest, &q->ports, &q->n_ports);
        break;
    case REQ_DATA:
        if (n < 1 || n > 2)
            rc = fail(p, "write 'data client|server|both|either [MIN_BYTES]'");
        else if ((rc = parse_side(p, words[0], true, true, &q->side)) == 0 && n == 2 &&
                 (!parse_uint(words[1], UINT64_MAX / 10, &q->min_bytes) || q->min_bytes == 0))
            rc = fail(p, "'%s' is not a byte count (1 or more)", words[1]);
        break;
    case REQ_RST_FROM:
        rc = n == 1 ? parse_side(p, words[0], false, true, &q->side)
                    : fail(p, "write 'rst-from client|server|either'");
        break;
    case REQ_CLOSER:
        rc = n == 1 ? parse_side(p, words[0], false, false, &q->side)
                    : fail(p, "write 'closer client|server'");
        break;
    case REQ_IP_VERSION:
        for (size_t i = 0; rc == 0 && i < n; i++) {
            if (strcmp(words[i], "4") == 0)
                q->set |= 1u << 4;
            else if (strcmp(words[i], "6") == 0)
                q->set |= 1u << 6;
            else
                rc = fail(p, "ip-version is 4 or 6, not '%s'", words[i]);
        }
        if (rc == 0 && n == 0)
            rc = fail(p, "write 'ip-version 4' or 'ip-version 6'");
        break;
    case REQ_TYPES:
        break;
    }
    free(args);
    free(copy);
    return rc;
}

/* Every "{word}" in a sentence must be a known placeholder. */
static int check_placeholders(struct parser *p, const char *text, const char *field)
{
    for (const char *s = strchr(text, '{'); s; s = strchr(s + 1, '{')) {
        size_t n = strspn(s + 1, "abcdefghijklmnopqrstuvwxyz_-");
        if (n == 0 || s[1 + n] != '}')
            continue; /* a literal brace */
        bool known = false;
        for (size_t i = 0; rubric_placeholders[i]; i++)
            if (strlen(rubric_placeholders[i]) == n && memcmp(rubric_placeholders[i], s + 1, n) == 0)
                known = true;
        if (!known)
            return fail(p, "'%s' uses {%.*s}, which is not a placeholder (known: session, capture, "
                        "client, server, handshake, teardown, packets, reason, points, max, target)",
                        field, (int)n, s + 1);
    }
    return 0;
}

/* Called at the next "check" line and at the end of the file. */
static int finish_check(struct parser *p)
{
    struct rubric_check *c = p->check;
    if (!c)
        return 0;
    unsigned line = p->line;
    p->line = c->line;
    int rc = 0;
    if (!c->looks_for)
        rc = fail(p, "check '%s' has no 'looks-for' line (what it looks for)", c->id);
    else if (c->points < 0)
        rc = fail(p, "check '%s' has no 'points' line", c->id);
    else if (c->n_reqs == 0)
        rc = fail(p, "check '%s' has no 'require' line", c->id);
    else if (!c->pass)
        rc = fail(p, "check '%s' has no 'pass' sentence", c->id);
    else if (!c->fail)
        rc = fail(p, "check '%s' has no 'fail' sentence", c->id);
    p->line = line;
    p->check = NULL;
    return rc;
}

static int start_check(struct parser *p, const char *id)
{
    if (finish_check(p) != 0)
        return -1;
    size_t n = strlen(id);
    bool ok = n > 0 && n <= 40 && isalnum((unsigned char)id[0]);
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)id[i]) || strchr("._-", id[i]);
    if (!ok)
        return fail(p, "a check's id is 1 to 40 letters, digits, '.', '_' or '-', starting with a "
                    "letter or digit: 'check handshake' (got '%s')", id);
    for (size_t i = 0; i < sizeof reserved_ids / sizeof reserved_ids[0]; i++)
        if (strcasecmp(id, reserved_ids[i]) == 0)
            return fail(p, "'%s' is a column of grades.csv; give the check another id", id);
    for (size_t i = 0; i < p->r->n_checks; i++)
        if (strcasecmp(p->r->checks[i].id, id) == 0)
            return fail(p, "a check '%s' already exists (line %u)", p->r->checks[i].id, p->r->checks[i].line);
    struct rubric_check *grown = realloc(p->r->checks, (p->r->n_checks + 1) * sizeof *grown);
    if (!grown)
        return oom(p);
    p->r->checks = grown;
    struct rubric_check *c = &grown[p->r->n_checks++];
    memset(c, 0, sizeof *c);
    c->line = p->line;
    c->points = -1;
    if (!(c->id = strdup(id)))
        return oom(p);
    p->check = c;
    return 0;
}

static int header_line(struct parser *p, const char *key, char *value)
{
    struct rubric *r = p->r;
    if (strcmp(key, "rubric") == 0) {
        if (!*value)
            return fail(p, "'rubric' needs a name");
        free(r->name);
        return (r->name = strdup(value)) ? 0 : oom(p);
    }
    if (strcmp(key, "title") == 0)
        return append_text(p, &r->title, value);
    if (strcmp(key, "about") == 0)
        return append_text(p, &r->about, value);
    if (strcmp(key, "target-host") == 0)
        return add_hosts(p, value, &r->target_hosts);
    if (strcmp(key, "target-port") == 0)
        return add_ports(p, value, &r->target_ports, &r->n_target_ports);
    if (strcmp(key, "looks-for") == 0 || strcmp(key, "points") == 0 || strcmp(key, "require") == 0 ||
        strcmp(key, "pass") == 0 || strcmp(key, "fail") == 0)
        return fail(p, "'%s' belongs to a check: start one with 'check ID' first", key);
    return fail(p, "unknown keyword '%s' (before the first check: rubric, title, about, "
                "target-host, target-port, check)", key);
}

static int check_line(struct parser *p, const char *key, char *value)
{
    struct rubric_check *c = p->check;
    if (strcmp(key, "looks-for") == 0)
        return append_text(p, &c->looks_for, value);
    if (strcmp(key, "pass") == 0)
        return check_placeholders(p, value, "pass") ? -1 : append_text(p, &c->pass, value);
    if (strcmp(key, "fail") == 0)
        return check_placeholders(p, value, "fail") ? -1 : append_text(p, &c->fail, value);
    if (strcmp(key, "points") == 0) {
        if (c->points >= 0)
            return fail(p, "check '%s' has two 'points' lines", c->id);
        if (!parse_points(value, &c->points))
            return fail(p, "points are a number from 0 to %d with at most two decimals ('2', '1.5'), not '%s'",
                        RUBRIC_MAX_POINTS / 100, value);
        return 0;
    }
    if (strcmp(key, "require") == 0)
        return parse_requirement(p, value);
    if (strcmp(key, "rubric") == 0 || strcmp(key, "title") == 0 || strcmp(key, "about") == 0 ||
        strcmp(key, "target-host") == 0 || strcmp(key, "target-port") == 0)
        return fail(p, "'%s' belongs before the first check", key);
    return fail(p, "unknown keyword '%s' in check '%s' (known: looks-for, points, require, pass, fail, check)",
                key, c->id);
}

static int parse_line(struct parser *p, char *line)
{
    char *s = line + strspn(line, " \t");
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    if (n == 0 || s[0] == '#')
        return 0;
    char *value = s + strcspn(s, " \t");
    if (*value)
        *value++ = '\0';
    value += strspn(value, " \t");
    if (strcmp(s, "check") == 0)
        return start_check(p, value);
    return p->check ? check_line(p, s, value) : header_line(p, s, value);
}

struct rubric *rubric_parse(const char *text, size_t len, const char *source,
                            const char *default_name, char *err, size_t errlen)
{
    struct parser p = {.source = source ? source : "rubric", .err = err, .errlen = errlen};
    struct rubric *r = calloc(1, sizeof *r);
    char *buf = NULL;
    if (!r) {
        oom(&p);
        return NULL;
    }
    p.r = r;
    if (len > RUBRIC_MAX_FILE) {
        fail(&p, "the file is larger than %d bytes: not a rubric", RUBRIC_MAX_FILE);
        goto fail;
    }
    struct sha256 h;
    sha256_init(&h);
    sha256_update(&h, text, len);
    sha256_final_hex(&h, r->sha256);
    if (!(r->source = strdup(p.source)) || !(buf = malloc(len + 1))) {
        oom(&p);
        goto fail;
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
    char *start = buf;
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
        start += 3;
    for (char *line = start; line && line <= buf + len;) {
        char *nl = memchr(line, '\n', (size_t)(buf + len - line));
        size_t ll = nl ? (size_t)(nl - line) : strlen(line);
        p.line++;
        if (ll && line[ll - 1] == '\r')
            ll--;
        line[ll] = '\0';
        for (size_t i = 0; i < ll;) {
            size_t k = utf8_len((const unsigned char *)line + i, ll - i);
            if (k == 0 || line[i] == '\0') {
                fail(&p, "%s at byte %zu of the line (save the file as UTF-8)",
                     line[i] == '\0' ? "a NUL byte" : "not valid UTF-8", i + 1);
                goto fail;
            }
            i += k;
        }
        if (parse_line(&p, line) != 0)
            goto fail;
        line = nl ? nl + 1 : NULL;
        if (!nl)
            break;
    }
    if (finish_check(&p) != 0)
        goto fail;
    p.line = 0;
    if (r->n_checks == 0) {
        fail(&p, "no check: a rubric needs at least one 'check ID' section");
        goto fail;
    }
    if (!r->name && !(r->name = strdup(default_name && *default_name ? default_name : "rubric"))) {
        oom(&p);
        goto fail;
    }
    if ((!r->title && !(r->title = strdup(""))) || (!r->about && !(r->about = strdup("")))) {
        oom(&p);
        goto fail;
    }
    free(buf);
    return r;
fail:
    free(buf);
    rubric_free(r);
    return NULL;
}

struct rubric *rubric_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *text = malloc(cap);
    while (text) {
        if (len == cap) {
            if (cap > RUBRIC_MAX_FILE)
                break;
            char *grown = realloc(text, cap * 2);
            if (!grown) {
                free(text);
                text = NULL;
                break;
            }
            text = grown;
            cap *= 2;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (!text || bad) {
        snprintf(err, errlen, "%s: %s", path, text ? "read error" : "out of memory");
        free(text);
        return NULL;
    }
    /* The default name: the file name without folders and without ".rubric". */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char *name = strdup(base);
    if (name) {
        size_t n = strlen(name);
        if (n > 7 && strcmp(name + n - 7, ".rubric") == 0)
            name[n - 7] = '\0';
    }
    struct rubric *r = rubric_parse(text, len, path, name, err, errlen);
    free(name);
    free(text);
    return r;
}

/* ---- targets and hosts ----------------------------------------------------------------------- */

bool rubric_has_target(const struct rubric *r)
{
    return r->target_hosts.n > 0 || r->n_target_ports > 0;
}

static bool prefix_match(const struct rubric_prefix *pf, int ip_version, const uint8_t *addr)
{
    if (pf->ip_version != ip_version)
        return false;
    unsigned full = pf->bits / 8, rest = pf->bits % 8;
    if (memcmp(pf->addr, addr, full) != 0)
        return false;
    if (rest) {
        uint8_t mask = (uint8_t)(0xff << (8 - rest));
        return (pf->addr[full] & mask) == (addr[full] & mask);
    }
    return true;
}

bool rubric_hosts_match(const struct rubric_hosts *h, int ip_version, const uint8_t *addr)
{
    for (size_t i = 0; i < h->n; i++)
        for (size_t k = 0; k < h->items[i].n_prefixes; k++)
            if (prefix_match(&h->items[i].prefixes[k], ip_version, addr))
                return true;
    return false;
}

int rubric_set_target(struct rubric *r, const char *const *hosts, size_t n_hosts,
                      const char *const *ports, size_t n_ports, char *err, size_t errlen)
{
    struct parser p = {.source = "command line", .err = err, .errlen = errlen, .r = r};
    struct rubric_hosts new_hosts = {0};
    uint16_t *new_ports = NULL;
    size_t n_new_ports = 0;
    for (size_t i = 0; i < n_hosts; i++) {
        char *copy = strdup(hosts[i]);
        int rc = copy ? add_hosts(&p, copy, &new_hosts) : oom(&p);
        free(copy);
        if (rc != 0)
            goto fail;
    }
    for (size_t i = 0; i < n_ports; i++) {
        char *copy = strdup(ports[i]);
        int rc = copy ? add_ports(&p, copy, &new_ports, &n_new_ports) : oom(&p);
        free(copy);
        if (rc != 0)
            goto fail;
    }
    if (n_hosts) {
        hosts_free(&r->target_hosts);
        r->target_hosts = new_hosts;
    }
    if (n_ports) {
        free(r->target_ports);
        r->target_ports = new_ports;
        r->n_target_ports = n_new_ports;
    }
    return 0;
fail:
    hosts_free(&new_hosts);
    free(new_ports);
    return -1;
}

static int resolve_list(struct rubric_hosts *h, rubric_resolver resolve, void *arg, char *err, size_t errlen)
{
    for (size_t i = 0; i < h->n; i++) {
        struct rubric_host *host = &h->items[i];
        if (!host->is_name || host->n_prefixes)
            continue;
        struct rubric_prefix *out = NULL;
        size_t n = 0;
        if (resolve(arg, host->spec, &out, &n, err, errlen) != 0) {
            free(out);
            return -1;
        }
        if (n == 0) {
            free(out);
            snprintf(err, errlen, "%s: the name has no address", host->spec);
            return -1;
        }
        host->prefixes = out;
        host->n_prefixes = n;
    }
    return 0;
}

int rubric_resolve_hosts(struct rubric *r, rubric_resolver resolve, void *arg, char *err, size_t errlen)
{
    if (resolve_list(&r->target_hosts, resolve, arg, err, errlen) != 0)
        return -1;
    for (size_t c = 0; c < r->n_checks; c++)
        for (size_t q = 0; q < r->checks[c].n_reqs; q++)
            if (resolve_list(&r->checks[c].reqs[q].hosts, resolve, arg, err, errlen) != 0)
                return -1;
    return 0;
}
