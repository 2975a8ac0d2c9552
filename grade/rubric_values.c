/* rubric_values.c — the values on a rubric's lines (rubric_parser.h): words, numbers, points,
 * port numbers, addresses, prefixes and host names, class and anomaly names, sides, and each
 * requirement type's values ("require TYPE VALUES"). rubric_set_target reads the command
 * line's target as the file's target-host and target-port lines. Every mistake is a sentence
 * naming the line, through rubric_fail. */
#define _GNU_SOURCE
#include "rubric_parser.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

/* ---- the parser's errors ----------------------------------------------------------------------- */

int rubric_fail(struct rubric_parser *p, const char *fmt, ...)
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

int rubric_oom(struct rubric_parser *p) { return rubric_fail(p, "out of memory"); }

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
bool rubric_read_points(const char *s, int *out)
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

static int parse_port(struct rubric_parser *p, const char *w, uint16_t *port)
{
    uint64_t v;
    if (!parse_uint(w, 65535, &v) || v == 0)
        return rubric_fail(p, "'%s' is not a port number (1 to 65535)", w);
    *port = (uint16_t)v;
    return 0;
}

int rubric_read_ports(struct rubric_parser *p, char *value, uint16_t **ports, size_t *n)
{
    char *words[64];
    size_t k = split_words(value, words, 64);
    if (k == 0)
        return rubric_fail(p, "give at least one port number");
    if (k > 64)
        return rubric_fail(p, "at most 64 ports on one line");
    uint16_t *grown = realloc(*ports, (*n + k) * sizeof *grown);
    if (!grown)
        return rubric_oom(p);
    *ports = grown;
    for (size_t i = 0; i < k; i++)
        if (parse_port(p, words[i], &grown[*n + i]) != 0)
            return -1;
    *n += k;
    return 0;
}

/* An address, a prefix "addr/bits", or a host name (letters, digits, '-', '.'). */
static int parse_host(struct rubric_parser *p, const char *w, struct rubric_host *h)
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
                return rubric_fail(p, "'%s': the prefix length must be 0 to %u", w, pf.bits);
            pf.bits = (uint8_t)bits;
        }
        h->prefixes = malloc(sizeof *h->prefixes);
        if (!h->prefixes)
            return rubric_oom(p);
        h->prefixes[0] = pf;
        h->n_prefixes = 1;
    } else {
        bool ok = !slash && *w && strlen(w) <= 253 && *w != '-' && *w != '.';
        for (const char *c = w; ok && *c; c++)
            ok = isalnum((unsigned char)*c) || *c == '-' || *c == '.';
        if (!ok)
            return rubric_fail(p, "'%s' is neither an IP address, a prefix (192.0.2.0/24) nor a host name", w);
        h->is_name = true;
    }
    if (!(h->spec = strdup(w))) {
        free(h->prefixes);
        h->prefixes = NULL;
        return rubric_oom(p);
    }
    return 0;
}

int rubric_read_hosts(struct rubric_parser *p, char *value, struct rubric_hosts *hosts)
{
    char *words[64];
    size_t k = split_words(value, words, 64);
    if (k == 0)
        return rubric_fail(p, "give at least one address, prefix or host name");
    if (k > 64)
        return rubric_fail(p, "at most 64 hosts on one line");
    struct rubric_host *grown = realloc(hosts->items, (hosts->n + k) * sizeof *grown);
    if (!grown)
        return rubric_oom(p);
    hosts->items = grown;
    for (size_t i = 0; i < k; i++) {
        if (parse_host(p, words[i], &grown[hosts->n]) != 0)
            return -1;
        hosts->n++;
    }
    return 0;
}

/* Looks up each word in a table of names, setting its bit. */
static int name_set(struct rubric_parser *p, char **words, size_t n, const char *what,
                    const char *(*name_of)(unsigned), unsigned count, uint32_t *set)
{
    if (n == 0)
        return rubric_fail(p, "name at least one %s", what);
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
            return rubric_fail(p, "unknown %s '%s' (known: %s)", what, words[i], known);
        }
        *set |= 1u << k;
    }
    return 0;
}

static const char *hs_name(unsigned i) { return handshake_class_name((enum handshake_class)i); }
static const char *td_name(unsigned i) { return teardown_class_name((enum teardown_class)i); }
static const char *an_name(unsigned i) { return anomaly_name((enum anomaly)i); }
static const char *cs_name(unsigned i) { return rubric_conn_state_name(i); }

static int parse_side(struct rubric_parser *p, const char *w, bool allow_both, bool allow_either,
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
    return rubric_fail(p, "expected client or server%s%s, not '%s'", allow_both ? ", both" : "",
                       allow_either ? " or either" : "", w ? w : "");
}

/* ---- requirements ---------------------------------------------------------------------------- */

/* The values of a requirement of type q->type: words split at spaces and commas, rest the
 * whole text after the type name, type its name (for messages). Returns 0 or -1. */
static int requirement_values(struct rubric_parser *p, struct rubric_req *q, char **words, size_t n, char *rest,
                              const char *type)
{
    int rc = 0;
    switch (q->type) {
    case REQ_HANDSHAKE:
        return name_set(p, words, n, "handshake class", hs_name, HANDSHAKE_CLASSES, &q->set);
    case REQ_TEARDOWN:
        return name_set(p, words, n, "teardown class", td_name, TEARDOWN_CLASSES, &q->set);
    case REQ_ANOMALY:
    case REQ_NO_ANOMALY:
        return name_set(p, words, n, "anomaly", an_name, ANOMALIES, &q->set);
    case REQ_CONN_STATE:
        return name_set(p, words, n, "conn_state", cs_name, RUBRIC_CONN_STATES, &q->set);
    case REQ_HANDSHAKE_ARITHMETIC:
    case REQ_FIN_ARITHMETIC:
    case REQ_TARGET:
        return n ? rubric_fail(p, "'%s' takes no value", type) : 0;
    case REQ_SERVER_HOST:
        return rubric_read_hosts(p, rest, &q->hosts);
    case REQ_SERVER_PORT:
        return rubric_read_ports(p, rest, &q->ports, &q->n_ports);
    case REQ_DATA:
        if (n < 1 || n > 2)
            rc = rubric_fail(p, "write 'data client|server|both|either [MIN_BYTES]'");
        else if ((rc = parse_side(p, words[0], true, true, &q->side)) == 0 && n == 2 &&
                 (!parse_uint(words[1], UINT64_MAX / 10, &q->min_bytes) || q->min_bytes == 0))
            rc = rubric_fail(p, "'%s' is not a byte count (1 or more)", words[1]);
        return rc;
    case REQ_RST_FROM:
        return n == 1 ? parse_side(p, words[0], false, true, &q->side)
                      : rubric_fail(p, "write 'rst-from client|server|either'");
    case REQ_CLOSER:
        return n == 1 ? parse_side(p, words[0], false, false, &q->side)
                      : rubric_fail(p, "write 'closer client|server'");
    case REQ_IP_VERSION:
        for (size_t i = 0; rc == 0 && i < n; i++) {
            if (strcmp(words[i], "4") == 0)
                q->set |= 1u << 4;
            else if (strcmp(words[i], "6") == 0)
                q->set |= 1u << 6;
            else
                rc = rubric_fail(p, "ip-version is 4 or 6, not '%s'", words[i]);
        }
        if (rc == 0 && n == 0)
            rc = rubric_fail(p, "write 'ip-version 4' or 'ip-version 6'");
        return rc;
    case REQ_TYPES:
        break;
    }
    return 0;
}

int rubric_read_requirement(struct rubric_parser *p, const char *value)
{
    struct rubric_check *c = p->check;
    char *copy = strdup(value);
    if (!copy)
        return rubric_oom(p);
    char *rest = copy + strcspn(copy, " \t");
    if (*rest)
        *rest++ = '\0';
    rest += strspn(rest, " \t");

    size_t t;
    for (t = 0; t < REQ_TYPES; t++)
        if (strcmp(copy, rubric_req_type_name((enum rubric_req_type)t)) == 0)
            break;
    if (t == REQ_TYPES) {
        rubric_fail(p, "unknown requirement '%s' (see templates/rubrics/README.md for the list)", copy);
        free(copy);
        return -1;
    }
    struct rubric_req *grown = realloc(c->reqs, (c->n_reqs + 1) * sizeof *grown);
    if (!grown) {
        free(copy);
        return rubric_oom(p);
    }
    c->reqs = grown;
    struct rubric_req *q = &c->reqs[c->n_reqs++];
    memset(q, 0, sizeof *q);
    q->type = (enum rubric_req_type)t;
    q->line = p->line;
    q->min_bytes = 1;
    if (!(q->text = strdup(value))) {
        free(copy);
        return rubric_oom(p);
    }

    char *words[64];
    char *args = strdup(rest);
    if (!args) {
        free(copy);
        return rubric_oom(p);
    }
    size_t n = split_words(args, words, 64);
    int rc = n > 64 ? rubric_fail(p, "too many values") : requirement_values(p, q, words, n, rest, copy);
    free(args);
    free(copy);
    return rc;
}

/* ---- the target given on the command line ------------------------------------------------------ */

int rubric_set_target(struct rubric *r, const char *const *hosts, size_t n_hosts,
                      const char *const *ports, size_t n_ports, char *err, size_t errlen)
{
    struct rubric_parser p = {.source = "command line", .err = err, .errlen = errlen, .r = r};
    struct rubric_hosts new_hosts = {0};
    uint16_t *new_ports = NULL;
    size_t n_new_ports = 0;
    for (size_t i = 0; i < n_hosts; i++) {
        char *copy = strdup(hosts[i]);
        int rc = copy ? rubric_read_hosts(&p, copy, &new_hosts) : rubric_oom(&p);
        free(copy);
        if (rc != 0)
            goto fail;
    }
    for (size_t i = 0; i < n_ports; i++) {
        char *copy = strdup(ports[i]);
        int rc = copy ? rubric_read_ports(&p, copy, &new_ports, &n_new_ports) : rubric_oom(&p);
        free(copy);
        if (rc != 0)
            goto fail;
    }
    if (n_hosts) {
        rubric_hosts_free(&r->target_hosts);
        r->target_hosts = new_hosts;
    }
    if (n_ports) {
        free(r->target_ports);
        r->target_ports = new_ports;
        r->n_target_ports = n_new_ports;
    }
    return 0;
fail:
    rubric_hosts_free(&new_hosts);
    free(new_ports);
    return -1;
}
