/* grade_words.c — the grader's reasons in words (grade_words.h): the checks' reasons and
 * feedback, what each file handed in is, the integrity flags and the copy groups. */
#define _GNU_SOURCE
#include "grade_words.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_wording.h"
#include "text.h"

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

/* A list (names separated by GRADE_LIST_SEP) written out: each name through item_key (a
 * class's words) or as it stands, joined with grade.list.comma and, before the last, last_key. */
static char *list_words(const struct pdf_templates *t, const char *list, const char *words_prefix,
                        const char *last_key, bool *oom)
{
    char *acc = NULL;
    size_t n_items = 1;
    for (const char *p = list; *p; p++)
        n_items += *p == GRADE_LIST_SEP;
    size_t i = 0;
    for (const char *p = list; *p || i == 0; i++) {
        size_t len = strcspn(p, GRADE_LIST_SEP_STR);
        char name[512];
        snprintf(name, sizeof name, "%.*s", (int)len, p);
        char *item;
        if (words_prefix) {
            char key[600];
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
        if (*p == GRADE_LIST_SEP)
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
        n += (size_t)snprintf(hosts + n, sizeof hosts - n, "%s%s", i ? GRADE_LIST_SEP_STR : "", r->target_hosts.items[i].spec);
    n = 0;
    for (size_t i = 0; i < r->n_target_ports && n < sizeof ports; i++)
        n += (size_t)snprintf(ports + n, sizeof ports - n, "%s%u", i ? GRADE_LIST_SEP_STR : "", r->target_ports[i]);
    bool oom = false;
    char *out = wanted_words(t, r->target_hosts.n ? hosts : NULL, r->n_target_ports ? ports : NULL, &oom);
    return oom ? (free(out), NULL) : out;
}

/* A class's words ("a complete three-way handshake"), or NULL when out of memory. */
static char *class_words(const struct pdf_templates *t, const char *prefix, const char *name)
{
    char key[96];
    snprintf(key, sizeof key, "%s%s", prefix, name);
    return words(t, key, NULL, 0);
}

/* A check's feedback and reason, from its result; for a student who handed in nothing to
 * grade, the reason points to the one sentence that says why, and the rubric's advice (about
 * capturing better) is left out: it would be wrong advice. */
static int fill_result(struct grade_student *st, const struct rubric *r, const struct pdf_templates *t,
                       const char *lang, struct grade_result *res, const char *target, const char *none)
{
    free(res->reason);
    free(res->feedback);
    res->reason = res->feedback = NULL;
    if (st->error_why.n && !res->has_session && res->status != GRADE_NA) {
        res->reason = words(t, "grade.student-error", NULL, 0);
        res->feedback = strdup("");
        return res->reason && res->feedback ? 0 : -1;
    }
    if (!(res->reason = grade_words_reason(t, &res->why, st->error)))
        return -1;
    const struct grade_clause *lead = res->why.n && res->why.clauses[0].kind == GRADE_CLAUSE_LEAD
                                          ? &res->why.clauses[0] : NULL;
    const char *hs = grade_reason_arg(lead, "handshake"), *td = grade_reason_arg(lead, "teardown");
    char *hw = hs ? class_words(t, "grade.handshake.", hs) : NULL;
    char *tw = td ? class_words(t, "grade.teardown.", td) : NULL;
    struct grade_feedback_words w = {res->reason, target, hw, tw, none};
    res->feedback = (!hs || hw) && (!td || tw) ? grade_fill_feedback(st, r, res, lang, &w) : NULL;
    free(hw);
    free(tw);
    return res->feedback ? 0 : -1;
}

int grade_words_fill(struct grade_student *st, const struct rubric *r, const struct pdf_templates *t,
                     const char *lang)
{
    free(st->error);
    st->error = NULL;
    if (st->error_why.n && !(st->error = grade_words_reason(t, &st->error_why, NULL)))
        return -1;
    for (size_t c = 0; c < st->n_captures; c++) {
        struct grade_capture *cap = &st->captures[c];
        free(cap->words);
        cap->words = NULL;
        if (cap->why.n && !(cap->words = grade_words_reason(t, &cap->why, NULL)))
            return -1;
    }
    char *target = grade_words_target(t, r), *none = words(t, "grade.none", NULL, 0);
    int rc = none && (target || !rubric_has_target(r)) ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < st->n_results; i++)
        rc = fill_result(st, r, t, lang, &st->results[i], target, none);
    free(target);
    free(none);
    return rc;
}

/* ---- integrity ------------------------------------------------------------------------------------ */

/* The separator of a list in this language: what grade.list.comma puts between two items. */
static char *list_separator(const struct pdf_templates *t)
{
    char *both = words(t, "grade.list.comma", TPL_ARGS({"list", "\x01"}, {"item", "\x02"}));
    if (!both)
        return NULL;
    char *a = strchr(both, '\x01'), *b = a ? strchr(a, '\x02') : NULL;
    char *sep = a && b ? strndup(a + 1, (size_t)(b - a - 1)) : strdup(", ");
    free(both);
    return sep;
}

/* The members of a copy group, each as grade.member.file or grade.member.session says,
 * separated as the language separates a list. Built in one pass: a group may have a
 * thousand members. */
static char *members_words(const struct pdf_templates *t, const struct grade_sheet *s, const struct grade_cluster *c)
{
    char *sep = list_separator(t);
    if (!sep)
        return NULL;
    struct grade_text b = {0};
    for (size_t i = 0; i < c->n_members; i++) {
        const struct grade_member *m = &c->members[i];
        const struct grade_student *st = &s->students[m->student];
        char session[24];
        snprintf(session, sizeof session, "%llu", (unsigned long long)m->session_id);
        char *one = c->kind == GRADE_FLAG_IDENTICAL_FILE
            ? words(t, "grade.member.file", TPL_ARGS({"student", st->name}, {"capture", st->captures[m->capture].file_name}))
            : words(t, "grade.member.session", TPL_ARGS({"student", st->name},
                    {"capture", st->captures[m->capture].file_name}, {"session", session}));
        if (!one)
            b.oom = true;
        grade_text_add(&b, "%s%s", i ? sep : "", one ? one : "");
        free(one);
    }
    free(sep);
    return grade_text_take(&b);
}

/* A copy group's line: its evidence, then every member. */
static char *cluster_words(const struct pdf_templates *t, const struct grade_sheet *s, const struct grade_cluster *c)
{
    char group[24], count[24], bytes[24], cport[8], sport[8], ca[16], sa[16], spread[40], more[24];
    snprintf(group, sizeof group, "%zu", c->number);
    snprintf(count, sizeof count, "%zu", c->n_members);
    snprintf(bytes, sizeof bytes, "%llu", (unsigned long long)c->size_bytes);
    snprintf(cport, sizeof cport, "%u", c->print.cport);
    snprintf(sport, sizeof sport, "%u", c->print.sport);
    snprintf(ca, sizeof ca, "%s%u", c->print.c_known ? "" : "?", c->print.c_anchor);
    snprintf(sa, sizeof sa, "%s%u", c->print.s_known ? "" : "?", c->print.s_anchor);
    snprintf(spread, sizeof spread, "%lld.%06lld", (long long)(c->ts_spread / 1000000000),
             (long long)(c->ts_spread % 1000000000 / 1000));
    snprintf(more, sizeof more, "%zu", c->connections > 0 ? c->connections - 1 : 0);
    char sha[20];
    snprintf(sha, sizeof sha, "%.16s", c->sha256);
    const char *key = c->kind == GRADE_FLAG_IDENTICAL_FILE ? "grade.cluster.file"
                      : c->print.isns ? (c->connections > 1 ? "grade.cluster.connections" : "grade.cluster.connection")
                      : (c->connections > 1 ? "grade.cluster.connections-seq" : "grade.cluster.connection-seq");
    char *head = words(t, key, TPL_ARGS({"group", group}, {"count", count}, {"sha256", sha}, {"bytes", bytes},
                                        {"cport", cport}, {"sport", sport}, {"x", ca}, {"y", sa},
                                        {"seconds", spread}, {"more", more}, {"members", "\x1e"}));
    char *members = head ? members_words(t, s, c) : NULL;
    char *out = NULL;
    if (head && members) {
        char *mark = strchr(head, '\x1e');
        if (!mark)
            out = strdup(head);
        else if (asprintf(&out, "%.*s%s%s", (int)(mark - head), head, members, mark + 1) < 0)
            out = NULL;
    }
    free(head);
    free(members);
    return out;
}

int grade_words_fill_integrity(struct grade_sheet *s, const struct pdf_templates *t)
{
    for (size_t i = 0; i < s->n_students; i++)
        for (size_t f = 0; f < s->students[i].n_flags; f++) {
            struct grade_flag *fl = &s->students[i].flags[f];
            free(fl->message);
            if (!(fl->message = grade_words_reason(t, &fl->why, NULL)))
                return -1;
        }
    for (size_t i = 0; i < s->n_clusters; i++) {
        free(s->clusters[i].message);
        if (!(s->clusters[i].message = cluster_words(t, s, &s->clusters[i])))
            return -1;
    }
    return 0;
}
