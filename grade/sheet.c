/* sheet.c — the grade sheet's records: the names of statuses and flags, students (found by
 * name, added when new), the captures a student handed in (their facts copied, so that the
 * reports may be freed once the student is graded), sorting by name, and freeing. */
#define _GNU_SOURCE
#include "grade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integrity.h"
#include "grow.h"

const char *grade_status_name(enum grade_status s)
{
    static const char *const names[] = {"fail", "pass", "n/a"};
    return (unsigned)s < 3 ? names[s] : "unknown";
}

const char *grade_flag_kind_name(enum grade_flag_kind k)
{
    static const char *const names[GRADE_FLAG_KINDS] = {
        "identical-file", "same-connection", "isn-zero", "impossible-timing",
    };
    return (unsigned)k < GRADE_FLAG_KINDS ? names[k] : "unknown";
}

struct grade_sheet *grade_sheet_new(const struct rubric *r)
{
    struct grade_sheet *s = calloc(1, sizeof *s);
    if (s)
        s->rubric = r;
    return s;
}

void grade_result_clear(struct grade_result *res)
{
    grade_reason_clear(&res->why);
    free(res->reason);
    free(res->feedback);
    res->reason = res->feedback = NULL;
}

void grade_student_clear(struct grade_student *st)
{
    free(st->name);
    for (size_t i = 0; i < st->n_captures; i++) {
        struct grade_capture *c = &st->captures[i];
        free(c->path);
        free(c->file_name);
        free(c->error);
        for (size_t k = 0; k < c->n_notes; k++)
            free(c->notes[k]);
        free(c->notes);
    }
    free(st->captures);
    for (size_t i = 0; i < st->n_results; i++)
        grade_result_clear(&st->results[i]);
    free(st->results);
    grade_reason_clear(&st->error_why);
    free(st->error);
    for (size_t i = 0; i < st->n_flags; i++) {
        free(st->flags[i].other);
        free(st->flags[i].message);
    }
    free(st->flags);
    free(st->prints);
    free(st->feedback_file);
    memset(st, 0, sizeof *st);
}

void grade_sheet_free(struct grade_sheet *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_students; i++)
        grade_student_clear(&s->students[i]);
    free(s->students);
    for (size_t i = 0; i < s->n_pairs; i++)
        free(s->pairs[i].message);
    free(s->pairs);
    free(s);
}

int grade_sheet_student(struct grade_sheet *s, const char *name, size_t *index)
{
    for (size_t i = 0; i < s->n_students; i++)
        if (strcmp(s->students[i].name, name) == 0) {
            *index = i;
            return 0;
        }
    if (!GROW(s->students, s->cap_students, s->n_students + 1, 16))
        return -1;
    struct grade_student *st = &s->students[s->n_students];
    memset(st, 0, sizeof *st);
    if (!(st->name = strdup(name)))
        return -1;
    *index = s->n_students++;
    return 0;
}

int grade_student_add_capture(struct grade_student *st, const struct grade_capture_info *info,
                              char *err, size_t errlen)
{
    struct grade_capture *grown = realloc(st->captures, (st->n_captures + 1) * sizeof *grown);
    if (!grown)
        goto oom;
    st->captures = grown;
    struct grade_capture *c = &grown[st->n_captures];
    memset(c, 0, sizeof *c);
    size_t ci = st->n_captures++;
    c->size_bytes = info->size_bytes;
    if (info->sha256 && strlen(info->sha256) == 64) {
        memcpy(c->sha256, info->sha256, 65);
        c->hashed = true;
    }
    if (!(c->path = strdup(info->path ? info->path : "")) ||
        !(c->file_name = strdup(info->file_name ? info->file_name : (info->path ? info->path : ""))))
        goto oom;
    const struct capture_report *rep = info->report;
    if (!rep) {
        if (!(c->error = strdup(info->error && *info->error ? info->error : "not a readable capture")))
            goto oom;
        return 0;
    }
    c->analysed = true;
    c->packets = rep->counts.total;
    c->tcp_packets = rep->counts.by_outcome[DECODE_TCP];
    c->sessions = rep->n_sessions;
    for (size_t i = 0; i < rep->n_warnings; i++) {
        if (strcmp(rep->warnings[i].code, "damaged-tail") != 0)
            continue;
        char **notes = realloc(c->notes, (c->n_notes + 1) * sizeof *notes);
        if (!notes)
            goto oom;
        c->notes = notes;
        if (asprintf(&notes[c->n_notes], "the file is damaged (%s); the %llu packet%s before the damage were graded",
                     rep->warnings[i].message, (unsigned long long)rep->counts.total,
                     rep->counts.total == 1 ? "" : "s") < 0)
            goto oom;
        c->n_notes++;
    }
    if (grade_integrity_capture(st, ci, rep) != 0)
        goto oom;
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

static int cmp_students(const void *x, const void *y)
{
    return strcmp(((const struct grade_student *)x)->name, ((const struct grade_student *)y)->name);
}

void grade_sheet_sort(struct grade_sheet *s)
{
    if (s->n_students > 1)
        qsort(s->students, s->n_students, sizeof *s->students, cmp_students);
}
