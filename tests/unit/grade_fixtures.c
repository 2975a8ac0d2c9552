/* grade_fixtures.c — what the grading tests share (grade_fixtures.h). */
#define _GNU_SOURCE
#include "grade_fixtures.h"

#include <criterion/criterion.h>
#include <stdlib.h>

#include "grade_words.h"

static char err[1024];

struct rubric *load(const char *path)
{
    struct rubric *r = rubric_load(path, err, sizeof err);
    cr_assert_not_null(r, "%s: %s", path, err);
    return r;
}

/* Grades and puts the reasons into words, in English as pcap2report grade does by default. */
int evaluate_words(struct grade_student *st, const struct rubric *r,
                   const struct capture_report *const *reports, char *e, size_t elen)
{
    int rc = grade_student_evaluate(st, r, reports, e, elen);
    if (rc != 0)
        return rc;
    struct pdf_templates *t = grade_words_load("templates", "en", e, elen);
    cr_assert_not_null(t, "%s", e);
    rc = grade_words_fill(st, r, t, "en");
    pdf_templates_free(t);
    return rc;
}

/* A report around the convo's table, as capture_analyze would return it (takes the table). */
struct capture_report *report_of(struct convo *c, const char *name)
{
    convo_finish(c, 0);
    struct capture_report *r = calloc(1, sizeof *r);
    cr_assert_not_null(r);
    r->path = strdup(name);
    r->file_name = strdup(name);
    r->table = c->table;
    r->n_sessions = session_table_count(c->table);
    r->counts.total = r->counts.by_outcome[DECODE_TCP] = c->packet_no;
    r->have_packets = c->packet_no > 0;
    if (r->n_sessions) {
        r->first_ts = capture_session(r, 0, NULL)->first_ts;
        r->last_ts = c->ts;
    }
    c->table = NULL;
    return r;
}

/* The classic session: handshake, a request and its answer, a four-way close by the client. */
void classic(struct convo *c, uint32_t cisn, uint32_t sisn)
{
    convo_handshake(c, cisn, sisn);
    convo_send(c, C2S, P, cisn + 1, sisn + 1, 100);
    convo_send(c, S2C, P, sisn + 1, cisn + 101, 200);
    convo_send(c, C2S, F, cisn + 101, sisn + 201, 0);
    convo_send(c, S2C, A, sisn + 201, cisn + 102, 0);
    convo_send(c, S2C, F, sisn + 201, cisn + 102, 0);
    convo_send(c, C2S, A, cisn + 102, sisn + 202, 0);
}

void add_student(struct grade_sheet *sheet, const char *name, struct capture_report *rep, const char *sha,
                 uint64_t size)
{
    size_t idx;
    cr_assert_eq(grade_sheet_student(sheet, name, &idx), 0);
    struct grade_capture_info info = {.path = rep->path, .file_name = rep->file_name, .size_bytes = size,
                                      .sha256 = sha, .report = rep};
    struct grade_student *st = &sheet->students[idx];
    cr_assert_eq(grade_student_add_capture(st, &info, err, sizeof err), 0);
    const struct capture_report **reps = calloc(st->n_captures, sizeof *reps);
    reps[st->n_captures - 1] = rep;
    /* Earlier captures of this student were freed: grade on this one alone. */
    cr_assert_eq(evaluate_words(st, sheet->rubric, reps, err, sizeof err), 0);
    free(reps);
    capture_report_free(rep);
}

struct capture_report *classic_report(const char *name, uint16_t sport, uint32_t cisn, uint32_t sisn,
                                      int64_t shift_ns)
{
    struct convo c;
    convo_init(&c, 4);
    c.c2s.sport = sport;
    c.ts += shift_ns;
    classic(&c, cisn, sisn);
    struct capture_report *r = report_of(&c, name);
    convo_free(&c);
    return r;
}

