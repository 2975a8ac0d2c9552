/* pdf_select.c — the sessions that get diagram pages (pdf_select.h). */
#define _GNU_SOURCE
#include "pdf_select.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* The session numbers given as a filter ("3,7-9"), as ranges. */
struct ranges {
    struct { uint64_t first, last; } *r;
    size_t n;
};

/* Parses "3,7-9" into ranges (r->r, which the caller frees). Returns false for anything else,
 * leaving *oom set when memory was short. */
static bool parse_filter(const char *text, bool zero_ok, struct ranges *f, bool *oom)
{
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == ',';
    f->r = calloc(cap, sizeof *f->r);
    if (!f->r) {
        *oom = true;
        return false;
    }
    const char *p = text;
    for (;;) {
        char *end;
        while (*p == ' ')
            p++;
        if (*p < '0' || *p > '9')
            return false;
        errno = 0;
        unsigned long long a = strtoull(p, &end, 10), b = a;
        p = end;
        if (*p == '-') {
            p++;
            if (*p < '0' || *p > '9')
                return false;
            b = strtoull(p, &end, 10);
            p = end;
        }
        if (errno || (a == 0 && !zero_ok) || b < a)
            return false;
        f->r[f->n].first = a;
        f->r[f->n].last = b;
        f->n++;
        while (*p == ' ')
            p++;
        if (*p == '\0')
            return f->n > 0;
        if (*p != ',')
            return false;
        p++;
    }
}

/* True when n is in one of the ranges. */
static bool in_ranges(const struct ranges *f, uint64_t n)
{
    for (size_t i = 0; i < f->n; i++)
        if (n <= f->r[i].last && n >= f->r[i].first)
            return true;
    return false;
}

/* What a session shows that a reader may want to see drawn once: its classes, each anomaly,
 * IPv6, a reused address pair. */
struct coverage {
    uint32_t handshake, teardown, anomalies, other;
};

static bool adds_coverage(struct coverage *c, const struct session *s)
{
    uint32_t other = (s->ip_version == 6 ? 1u : 0u) | (s->generation ? 2u : 0u);
    bool adds = !(c->handshake >> s->handshake & 1u) || !(c->teardown >> s->teardown & 1u) ||
                (s->anomalies & ~c->anomalies) || (other & ~c->other);
    if (adds) {
        c->handshake |= 1u << s->handshake;
        c->teardown |= 1u << s->teardown;
        c->anomalies |= s->anomalies;
        c->other |= other;
    }
    return adds;
}

static void choose_filtered(struct pdf_selection *sel, const struct capture_report *r, const struct ranges *f,
                            bool by_stream)
{
    struct session_view v = {0};
    for (size_t i = 0; i < r->n_sessions; i++) {
        const struct session *s = capture_session(r, i, &v);
        if (!in_ranges(f, by_stream ? session_tcp_stream(s) : s->id))
            continue;
        sel->n_requested++;
        if (sel->n < sel->max)
            sel->index[sel->n++] = i;
    }
    session_view_release(&v);
}

/* First the sessions that show something not shown yet, then the earliest others, in the
 * report's order. first_pass has room for max indices. */
static void choose_covering(struct pdf_selection *sel, const struct capture_report *r, size_t *first_pass)
{
    struct coverage cov = {0};
    size_t n_first = 0;
    struct session_view v = {0};
    for (size_t i = 0; i < r->n_sessions && n_first < sel->max; i++)
        if (adds_coverage(&cov, capture_session(r, i, &v)))
            first_pass[n_first++] = i;
    session_view_release(&v);
    size_t extra = sel->max - n_first, j = 0;
    for (size_t i = 0; i < r->n_sessions && sel->n < sel->max; i++) {
        if (j < n_first && first_pass[j] == i) {
            sel->index[sel->n++] = i;
            j++;
        } else if (extra) {
            sel->index[sel->n++] = i;
            extra--;
        }
    }
}

bool pdf_select_check(const char *filter, bool by_stream, char *err, size_t errlen)
{
    struct ranges f = {NULL, 0};
    bool oom = false, ok = parse_filter(filter, by_stream, &f, &oom);
    free(f.r);
    if (!ok)
        snprintf(err, errlen, "%s", oom         ? "out of memory"
                                    : by_stream ? "expected stream numbers such as 0,3-5"
                                                : "expected session numbers such as 3,7-9");
    return ok;
}

int pdf_select_sessions(struct pdf_selection *sel, const struct capture_report *r, const char *filter,
                        bool by_stream, size_t max, char *err, size_t errlen)
{
    struct ranges f = {NULL, 0};
    bool oom = false;
    if (filter && !parse_filter(filter, by_stream, &f, &oom)) {
        free(f.r);
        if (oom)
            snprintf(err, errlen, "out of memory");
        else if (by_stream)
            snprintf(err, errlen, "bad tcp.stream list '%s': expected stream numbers such as 0,3-5", filter);
        else
            snprintf(err, errlen, "bad session list '%s': expected session numbers such as 3,7-9", filter);
        return -1;
    }
    if (filter && by_stream) {
        if (asprintf(&sel->filter_text, "tcp.stream %s", filter) < 0) {
            sel->filter_text = NULL;
            free(f.r);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    if (max > r->n_sessions)
        max = r->n_sessions;
    sel->max = max;
    sel->filter = sel->filter_text ? sel->filter_text : filter;
    sel->index = calloc(max ? max : 1, sizeof *sel->index);
    sel->diagram = calloc(max ? max : 1, sizeof *sel->diagram);
    size_t *first_pass = filter ? NULL : calloc(max ? max : 1, sizeof *first_pass);
    if (!sel->index || !sel->diagram || (!filter && !first_pass)) {
        free(f.r);
        free(first_pass);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (filter)
        choose_filtered(sel, r, &f, by_stream);
    else
        choose_covering(sel, r, first_pass);
    free(f.r);
    free(first_pass);
    return 0;
}

/* Where session index i is or would be in sel->index. */
static size_t position(const struct pdf_selection *sel, size_t i)
{
    size_t lo = 0, hi = sel->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sel->index[mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool pdf_selection_has(const struct pdf_selection *sel, size_t i)
{
    size_t k = position(sel, i);
    return k < sel->n && sel->index[k] == i;
}

HPDF_Page pdf_selection_diagram(const struct pdf_selection *sel, size_t i)
{
    size_t k = position(sel, i);
    return k < sel->n && sel->index[k] == i ? sel->diagram[k] : NULL;
}

void pdf_selection_free(struct pdf_selection *sel)
{
    free(sel->index);
    free(sel->diagram);
    free(sel->filter_text);
    sel->index = NULL;
    sel->diagram = NULL;
    sel->filter_text = NULL;
}
