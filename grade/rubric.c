/* rubric.c — a rubric once read (rubric.h): the names of requirement types, sides and Zeek's
 * conn_state values, points as text, freeing, and the hosts a check or the target names:
 * matching an address against them, and resolving host names through the caller. Reading the
 * file is rubric_parse.c; reading the values of its lines is rubric_values.c. */
#include "rubric.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

_Static_assert(sizeof conn_states / sizeof conn_states[0] == RUBRIC_CONN_STATES, "one name per conn_state");

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

void rubric_hosts_free(struct rubric_hosts *h)
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
    rubric_hosts_free(&q->hosts);
}

static void texts_free(struct rubric_texts *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->items[i].field);
        free(t->items[i].lang);
        free(t->items[i].text);
    }
    free(t->items);
}

static void check_free(struct rubric_check *c)
{
    texts_free(&c->texts);
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
    rubric_hosts_free(&r->target_hosts);
    free(r->target_ports);
    texts_free(&r->texts);
    for (size_t i = 0; i < r->n_checks; i++)
        check_free(&r->checks[i]);
    free(r->checks);
    free(r);
}

/* ---- targets and hosts ----------------------------------------------------------------------- */

bool rubric_has_target(const struct rubric *r)
{
    return r->target_hosts.n > 0 || r->n_target_ports > 0;
}

bool rubric_check_applies(const struct rubric *r, const struct rubric_check *c)
{
    for (size_t i = 0; i < c->n_reqs; i++)
        if (c->reqs[i].type != REQ_TARGET || rubric_has_target(r))
            return true;
    return false;
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

const char *rubric_text(const struct rubric *r, const struct rubric_check *c, const char *field, const char *lang)
{
    const struct rubric_texts *t = c ? &c->texts : &r->texts;
    for (size_t i = 0; lang && i < t->n; i++)
        if (strcmp(t->items[i].field, field) == 0 && strcmp(t->items[i].lang, lang) == 0)
            return t->items[i].text;
    const char *v = !c ? (strcmp(field, "title") == 0 ? r->title : r->about)
                       : strcmp(field, "looks-for") == 0 ? c->looks_for
                       : strcmp(field, "pass") == 0 ? c->pass : c->fail;
    return v ? v : "";
}

bool rubric_check_on_target(const struct rubric *r, const struct rubric_check *c)
{
    if (!rubric_has_target(r) || c->any_server)
        return false;
    for (size_t q = 0; q < c->n_reqs; q++)
        if (c->reqs[q].type == REQ_TARGET || c->reqs[q].type == REQ_SERVER_HOST ||
            c->reqs[q].type == REQ_SERVER_PORT)
            return false;
    return true;
}
