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

const char *grade_kind_name(enum grade_kind k)
{
    static const char *const names[GRADE_KINDS] = {
        "capture", "damaged", "empty", "tcpdump-text", "wireshark-text", "wireshark-csv", "image", "pdf",
        "document", "archive", "archive-refused", "text", "unknown", "unreadable",
    };
    return (unsigned)k < GRADE_KINDS ? names[k] : "unknown";
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
    free(st->id);
    free(st->email);
    for (size_t i = 0; i < st->n_captures; i++) {
        struct grade_capture *c = &st->captures[i];
        free(c->path);
        free(c->file_name);
        free(c->detail);
        grade_reason_clear(&c->why);
        free(c->words);
    }
    free(st->captures);
    for (size_t i = 0; i < st->n_results; i++)
        grade_result_clear(&st->results[i]);
    free(st->results);
    grade_reason_clear(&st->error_why);
    free(st->error);
    for (size_t i = 0; i < st->n_flags; i++) {
        grade_reason_clear(&st->flags[i].why);
        free(st->flags[i].message);
    }
    free(st->flags);
    free(st->prints);
    free(st->feedback_file);
    free(st->feedback_html);
    memset(st, 0, sizeof *st);
}

void grade_sheet_free(struct grade_sheet *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_students; i++)
        grade_student_clear(&s->students[i]);
    free(s->students);
    for (size_t i = 0; i < s->n_clusters; i++) {
        free(s->clusters[i].members);
        grade_reason_clear(&s->clusters[i].why);
        free(s->clusters[i].message);
    }
    free(s->clusters);
    free(s);
}

int grade_sheet_student(struct grade_sheet *s, const char *name, size_t *index)
{
    for (size_t i = 0; i < s->n_students; i++)
        if (strcmp(s->students[i].name, name) == 0) {
            *index = i;
            return 0;
        }
    return grade_sheet_add_student(s, name, index);
}

int grade_sheet_add_student(struct grade_sheet *s, const char *name, size_t *index)
{
    if (!GROW(s->students, s->cap_students, s->n_students + 1, 16))
        return -1;
    struct grade_student *st = &s->students[s->n_students];
    memset(st, 0, sizeof *st);
    if (!(st->name = strdup(name)))
        return -1;
    *index = s->n_students++;
    return 0;
}

/* What to tell about a file that was not analysed: error.<kind>, or for an archive that was
 * not unpacked error.archive-<refusal> with the limit. */
static void kind_clause(struct grade_reason_builder *b, const struct grade_capture_info *info, const char *file)
{
    static const char *const codes[GRADE_KINDS] = {
        [GRADE_KIND_CAPTURE] = "error.damaged", [GRADE_KIND_DAMAGED] = "error.damaged",
        [GRADE_KIND_EMPTY] = "error.empty", [GRADE_KIND_TCPDUMP_TEXT] = "error.tcpdump-text",
        [GRADE_KIND_WIRESHARK_TEXT] = "error.wireshark-text", [GRADE_KIND_WIRESHARK_CSV] = "error.wireshark-csv",
        [GRADE_KIND_IMAGE] = "error.image", [GRADE_KIND_PDF] = "error.pdf", [GRADE_KIND_DOCUMENT] = "error.document",
        [GRADE_KIND_ARCHIVE] = "error.archive-empty", [GRADE_KIND_ARCHIVE_REFUSED] = "error.archive-damaged",
        [GRADE_KIND_TEXT] = "error.text", [GRADE_KIND_UNKNOWN] = "error.unknown",
        [GRADE_KIND_UNREADABLE] = "error.unreadable-file",
    };
    static const char *const refusals[] = {"too-large", "too-many", "too-deep", "damaged", "encrypted", "empty"};
    const char *code = (unsigned)info->kind < GRADE_KINDS ? codes[info->kind] : "error.unknown";
    if (info->kind == GRADE_KIND_ARCHIVE_REFUSED && info->refusal)
        for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++)
            if (strcmp(info->refusal, refusals[i]) == 0) {
                static const char *const ac[] = {"error.archive-too-large", "error.archive-too-many",
                                                 "error.archive-too-deep", "error.archive-damaged",
                                                 "error.archive-encrypted", "error.archive-empty"};
                code = ac[i];
            }
    grade_reason_clause(b, GRADE_CLAUSE_SENTENCE, code);
    grade_reason_text(b, "capture", GRADE_ARG_TEXT, file);
    if (info->kind == GRADE_KIND_ARCHIVE_REFUSED)
        grade_reason_num(b, "limit", info->limit);
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
    const struct capture_report *rep = info->report;
    c->kind = rep ? GRADE_KIND_CAPTURE : info->kind;
    /* The report's hash and size are the file's (read once); the caller's win when given. */
    c->size_bytes = info->size_bytes ? info->size_bytes : rep ? rep->size_bytes : 0;
    const char *sha = info->sha256 && *info->sha256 ? info->sha256 : rep ? rep->sha256 : NULL;
    if (sha && strlen(sha) == 64) {
        memcpy(c->sha256, sha, 65);
        c->hashed = true;
    }
    if (!(c->path = strdup(info->path ? info->path : "")) ||
        !(c->file_name = strdup(info->file_name ? info->file_name : (info->path ? info->path : ""))) ||
        (info->detail && *info->detail && !(c->detail = strdup(info->detail))))
        goto oom;
    struct grade_reason_builder b = {&c->why, 0, false};
    if (!rep) {
        kind_clause(&b, info, c->file_name);
        if (b.oom)
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
        /* The library's sentence goes to the teacher (detail); the student reads the note. */
        free(c->detail);
        if (!(c->detail = strdup(rep->warnings[i].message)))
            goto oom;
        grade_reason_clause(&b, GRADE_CLAUSE_SENTENCE, "note.damaged-tail");
        grade_reason_text(&b, "capture", GRADE_ARG_TEXT, c->file_name);
        grade_reason_num(&b, "packets", rep->counts.total);
        break;
    }
    if (b.oom || grade_integrity_capture(st, ci, rep) != 0)
        goto oom;
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

static int cmp_students(const void *x, const void *y)
{
    const struct grade_student *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c ? c : strcmp(a->id ? a->id : "", b->id ? b->id : "");
}

void grade_sheet_sort(struct grade_sheet *s)
{
    if (s->n_students > 1)
        qsort(s->students, s->n_students, sizeof *s->students, cmp_students);
}
