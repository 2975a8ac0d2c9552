/* reason.c — why a check passed or failed, as data (reason.h): clauses with named values, and
 * the text of those values (numbers, roles, endpoints, names of classes). */
#include "reason.h"
#include "grow.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void grade_reason_clear(struct grade_reason *r)
{
    for (size_t i = 0; i < r->n; i++)
        for (size_t k = 0; k < r->clauses[i].n_args; k++)
            free(r->clauses[i].args[k].value);
    free(r->clauses);
    r->clauses = NULL;
    r->n = 0;
}

struct grade_clause *grade_reason_clause(struct grade_reason_builder *b, enum grade_clause_kind kind,
                                         const char *code)
{
    if (!b || b->oom)
        return NULL;
    if (!GROW(b->r->clauses, b->cap, b->r->n + 1, 8)) {
        b->oom = true;
        return NULL;
    }
    struct grade_clause *c = &b->r->clauses[b->r->n++];
    memset(c, 0, sizeof *c);
    c->code = code;
    c->kind = kind;
    return c;
}

void grade_reason_text(struct grade_reason_builder *b, const char *name, enum grade_arg_kind kind, const char *value)
{
    if (!b || b->oom || !b->r->n)
        return;
    struct grade_clause *c = &b->r->clauses[b->r->n - 1];
    char *v = strdup(value ? value : "");
    if (!v || c->n_args == GRADE_CLAUSE_ARGS) {
        free(v);
        b->oom = true;
        return;
    }
    c->args[c->n_args++] = (struct grade_arg){name, kind, v};
}

void grade_reason_num(struct grade_reason_builder *b, const char *name, uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    grade_reason_text(b, name, GRADE_ARG_NUMBER, buf);
}

void grade_reason_role(struct grade_reason_builder *b, const char *name, int role)
{
    /* The clauses that name a side always have one; a side not the server reads as the client. */
    grade_reason_text(b, name, GRADE_ARG_ROLE, session_role_name(role == ROLE_SERVER ? ROLE_SERVER : ROLE_CLIENT));
}

void grade_reason_set(struct grade_reason_builder *b, const char *name, enum grade_arg_kind kind, uint32_t set,
                      unsigned count, const char *(*names)(unsigned))
{
    if (!b || b->oom)
        return;
    char buf[1024] = "";
    size_t n = 0;
    for (unsigned i = 0; i < count; i++)
        if (set >> i & 1u && names(i) && n < sizeof buf)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? GRADE_LIST_SEP_STR : "", names(i));
    grade_reason_text(b, name, kind, buf);
}

void grade_reason_append(struct grade_reason_builder *b, struct grade_reason *part)
{
    for (size_t k = 0; b && k < part->n && !b->oom; k++) {
        struct grade_clause *dst = grade_reason_clause(b, part->clauses[k].kind, part->clauses[k].code);
        if (dst) {
            *dst = part->clauses[k];
            part->clauses[k].n_args = 0;
        }
    }
    grade_reason_clear(part);
}

const char *grade_reason_arg(const struct grade_clause *c, const char *name)
{
    for (size_t i = 0; c && i < c->n_args; i++)
        if (strcmp(c->args[i].name, name) == 0)
            return c->args[i].value;
    return NULL;
}

const struct grade_clause *grade_reason_main(const struct grade_reason *r)
{
    if (!r->n)
        return NULL;
    if (r->clauses[0].kind == GRADE_CLAUSE_LEAD && r->n > 1)
        return &r->clauses[1];
    return &r->clauses[0];
}
