/* grade_words.c — the grader's reasons in words (grade_words.h). */
#define _GNU_SOURCE
#include "grade_words.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_wording.h"

enum { WORDS_LEN = 16384 };

struct pdf_templates *grade_words_load(const char *dir, const char *lang, char *err, size_t errlen)
{
    return pdf_templates_load(dir ? dir : "templates", lang ? lang : "en", pdf_wording_schema,
                              pdf_wording_schema_len, err, errlen);
}

/* The text of key with args, as a new string (NULL when out of memory). */
static char *words(const struct pdf_templates *t, const char *key, const struct tpl_arg *args, size_t n)
{
    char *buf = malloc(WORDS_LEN);
    if (!buf)
        return NULL;
    pdf_templates_format(t, key, args, n, buf, WORDS_LEN);
    char *out = realloc(buf, strlen(buf) + 1);
    return out ? out : buf;
}

/* Joins next onto acc with key ("{first}; {next}", "{list} or {item}"); takes both. */
static char *join(const struct pdf_templates *t, const char *key, const char *a, const char *b, char *acc,
                  char *next)
{
    if (!next) {
        free(acc);
        return NULL;
    }
    if (!acc)
        return next;
    char *out = words(t, key, TPL_ARGS({a, acc}, {b, next}));
    free(acc);
    free(next);
    return out;
}

/* A comma-separated list written out: each name through item_key (a class's words) or as it
 * stands, joined with grade.list.comma and, before the last, last_key. */
static char *list_words(const struct pdf_templates *t, const char *list, const char *words_prefix,
                        const char *last_key, bool *oom)
{
    char *acc = NULL;
    size_t n_items = 1;
    for (const char *p = list; *p; p++)
        n_items += *p == ',';
    size_t i = 0;
    for (const char *p = list; *p || i == 0; i++) {
        size_t len = strcspn(p, ",");
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)len, p);
        char *item;
        if (words_prefix) {
            char key[192];
            snprintf(key, sizeof key, "%s%s", words_prefix, name);
            char *w = words(t, key, NULL, 0);
            item = w ? words(t, "grade.class", TPL_ARGS({"words", w}, {"name", name})) : NULL;
            free(w);
        } else {
            item = strdup(name);
        }
        const char *key = strcmp(last_key, "grade.list.and") == 0 || i + 1 == n_items ? last_key : "grade.list.comma";
        acc = join(t, key, "list", "item", acc, item);
        if (!acc) {
            *oom = true;
            return NULL;
        }
        p += len;
        if (*p == ',')
            p++;
        if (!*p)
            break;
    }
    return acc;
}

/* A value as the reader sees it. */
static char *value_words(const struct pdf_templates *t, const struct grade_arg *a, bool *oom)
{
    char *v = NULL;
    switch (a->kind) {
    case GRADE_ARG_ROLE:
        v = words(t, strcmp(a->value, "server") == 0 ? "word.server" : "word.client", NULL, 0);
        break;
    case GRADE_ARG_HANDSHAKES:
        return list_words(t, a->value, "grade.handshake.", "grade.list.or", oom);
    case GRADE_ARG_TEARDOWNS:
        return list_words(t, a->value, "grade.teardown.", "grade.list.or", oom);
    case GRADE_ARG_ANOMALIES:
        return list_words(t, a->value, "grade.anomaly.", "grade.list.and", oom);
    case GRADE_ARG_NAMES:
        return list_words(t, a->value, NULL, "grade.list.comma", oom);
    case GRADE_ARG_CHOICES:
        return list_words(t, a->value, NULL, "grade.list.or", oom);
    case GRADE_ARG_TEXT:
    case GRADE_ARG_NUMBER:
    default:
        v = strdup(a->value);
        break;
    }
    if (!v)
        *oom = true;
    return v;
}

/* "host a or b, port 80": hosts and ports as comma-separated lists, either may be NULL. */
static char *wanted_words(const struct pdf_templates *t, const char *hosts, const char *ports, bool *oom)
{
    char *h = NULL, *p = NULL, *out = NULL;
    if (hosts) {
        char *list = list_words(t, hosts, NULL, "grade.list.or", oom);
        h = list ? words(t, "grade.target.host", TPL_ARGS({"hosts", list})) : NULL;
        free(list);
    }
    if (ports) {
        char *list = list_words(t, ports, NULL, "grade.list.or", oom);
        p = list ? words(t, "grade.target.port", TPL_ARGS({"ports", list})) : NULL;
        free(list);
    }
    if (h && p)
        out = words(t, "grade.target.both", TPL_ARGS({"host", h}, {"port", p}));
    else
        out = strdup(h ? h : p ? p : "");
    free(h);
    free(p);
    if (!out)
        *oom = true;
    return out;
}

/* One clause in words; extra is {before} or {details} (NULL for none). */
static char *clause_words(const struct pdf_templates *t, const struct grade_clause *c, const char *extra_name,
                          const char *extra, bool *oom)
{
    struct tpl_arg args[GRADE_CLAUSE_ARGS + 2];
    char *owned[GRADE_CLAUSE_ARGS + 2] = {0};
    size_t n = 0;
    for (size_t i = 0; i < c->n_args; i++) {
        owned[n] = value_words(t, &c->args[i], oom);
        args[n] = (struct tpl_arg){c->args[i].name, owned[n]};
        n++;
    }
    const char *hosts = grade_reason_arg(c, "hosts"), *ports = grade_reason_arg(c, "ports");
    if (hosts || ports) {
        owned[n] = wanted_words(t, hosts, ports, oom);
        args[n] = (struct tpl_arg){"wanted", owned[n]};
        n++;
    }
    if (extra_name)
        args[n++] = (struct tpl_arg){extra_name, extra ? extra : ""};
    char key[96];
    snprintf(key, sizeof key, "grade.%s", c->code);
    char *out = *oom ? NULL : words(t, key, args, n);
    for (size_t i = 0; i < n; i++)
        free(owned[i]);
    if (!out)
        *oom = true;
    return out;
}

char *grade_words_reason(const struct pdf_templates *t, const struct grade_reason *r, const char *student_error)
{
    bool oom = false;
    const struct grade_clause *lead = NULL;
    char *parts = NULL, *cur = NULL, *sentences = NULL;
    for (size_t i = 0; i < r->n && !oom; i++) {
        const struct grade_clause *c = &r->clauses[i];
        switch (c->kind) {
        case GRADE_CLAUSE_LEAD:
            lead = c;
            break;
        case GRADE_CLAUSE_PART:
            if (cur && !(parts = join(t, "grade.join", "first", "next", parts, cur)))
                oom = true;
            cur = clause_words(t, c, NULL, NULL, &oom);
            break;
        case GRADE_CLAUSE_MORE: {
            char *more = clause_words(t, c, "before", cur, &oom);
            free(cur);
            cur = more;
            break;
        }
        case GRADE_CLAUSE_SENTENCE: {
            char *s = strcmp(c->code, "student-error") == 0 ? strdup(student_error ? student_error : "")
                                                            : clause_words(t, c, NULL, NULL, &oom);
            if (!(sentences = join(t, "grade.sentences", "first", "next", sentences, s)))
                oom = true;
            break;
        }
        }
    }
    if (!oom && cur) {
        if (!(parts = join(t, "grade.join", "first", "next", parts, cur)))
            oom = true;
        cur = NULL;
    }
    char *out = NULL;
    if (!oom) {
        if (lead)
            out = clause_words(t, lead, "details", parts, &oom);
        else
            out = strdup(sentences ? sentences : parts ? parts : "");
    }
    free(cur);
    free(parts);
    free(sentences);
    return oom ? (free(out), NULL) : out;
}

char *grade_words_target(const struct pdf_templates *t, const struct rubric *r)
{
    if (!rubric_has_target(r))
        return NULL;
    char hosts[1024] = "", ports[512] = "";
    size_t n = 0;
    for (size_t i = 0; i < r->target_hosts.n && n < sizeof hosts; i++)
        n += (size_t)snprintf(hosts + n, sizeof hosts - n, "%s%s", i ? "," : "", r->target_hosts.items[i].spec);
    n = 0;
    for (size_t i = 0; i < r->n_target_ports && n < sizeof ports; i++)
        n += (size_t)snprintf(ports + n, sizeof ports - n, "%s%u", i ? "," : "", r->target_ports[i]);
    bool oom = false;
    char *out = wanted_words(t, r->target_hosts.n ? hosts : NULL, r->n_target_ports ? ports : NULL, &oom);
    return oom ? (free(out), NULL) : out;
}

int grade_words_fill(struct grade_student *st, const struct rubric *r, const struct pdf_templates *t)
{
    free(st->error);
    st->error = NULL;
    if (st->error_why.n && !(st->error = grade_words_reason(t, &st->error_why, NULL)))
        return -1;
    char *target = grade_words_target(t, r), *none = words(t, "grade.none", NULL, 0);
    int rc = none && (target || !rubric_has_target(r)) ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < st->n_results; i++) {
        struct grade_result *res = &st->results[i];
        free(res->reason);
        free(res->feedback);
        res->feedback = NULL;
        res->reason = grade_words_reason(t, &res->why, st->error);
        if (res->reason)
            res->feedback = grade_fill_feedback(st, r, res, res->reason, target, none);
        if (!res->reason || !res->feedback)
            rc = -1;
    }
    free(target);
    free(none);
    return rc;
}
