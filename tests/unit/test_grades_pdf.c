/* test_grades_pdf.c — the feedback PDF: written, the same bytes on two runs, and a missing
 * wording file an error with a message. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "convo.h"
#include "grade.h"
#include "grade_fixtures.h"
#include "grades_pdf.h"
#include "rubric.h"

static char err[1024];
static struct convo cv;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char *buf = NULL;
    *len = 0;
    size_t cap = 0, got;
    do {
        if (*len == cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap);
        }
        got = fread(buf + *len, 1, cap - *len, f);
        *len += got;
    } while (got);
    fclose(f);
    return buf;
}

Test(grade_pdf, feedback_is_written_and_reproducible)
{
    struct rubric *r = load(CLASSIC);
    struct grade_sheet *s = grade_sheet_new(r);
    size_t idx;
    grade_sheet_student(s, "ivan", &idx);
    struct grade_student *st = &s->students[idx];
    convo_init(&cv, 4);
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, C2S, R, 1001, 5001, 0);
    struct capture_report *rep = report_of(&cv, "ivan.pcap");
    convo_free(&cv);
    struct grade_capture_info info = {.path = "ivan.pcap", .file_name = "ivan.pcap", .report = rep};
    cr_assert_eq(grade_student_add_capture(st, &info, err, sizeof err), 0);
    const struct capture_report *reps[1] = {rep};
    cr_assert_eq(evaluate_words(st, r, reps, err, sizeof err), 0);

    char a[] = "/tmp/test_grade_pdf_XXXXXX", b[] = "/tmp/test_grade_pdf_XXXXXX";
    int fa = mkstemp(a), fbd = mkstemp(b);
    cr_assert(fa >= 0 && fbd >= 0);
    close(fa);
    close(fbd);
    struct grades_pdf_options opt = {.templates_dir = "templates", .lang = "en", .tool_version = "test"};
    FILE *fa_out = fopen(a, "wb"), *fb_out = fopen(b, "wb");
    cr_assert(fa_out && fb_out);
    cr_assert_eq(grade_write_feedback_pdf(fa_out, r, st, reps, &opt, err, sizeof err), 0, "%s", err);
    cr_assert_eq(grade_write_feedback_pdf(fb_out, r, st, reps, &opt, err, sizeof err), 0, "%s", err);
    cr_assert_eq(fclose(fa_out), 0);
    cr_assert_eq(fclose(fb_out), 0);
    size_t la, lb;
    char *da = slurp(a, &la), *db = slurp(b, &lb);
    cr_assert_gt(la, 1000);
    cr_assert_eq(memcmp(da, "%PDF-", 5), 0);
    cr_assert(la == lb && memcmp(da, db, la) == 0, "two runs give the same bytes");
    free(da);
    free(db);

    struct grades_pdf_options bad = {.templates_dir = "tests/fixtures/grade", .lang = "xx", .tool_version = "test"};
    FILE *fbad = fopen(a, "wb");
    cr_assert_not_null(fbad);
    cr_assert_eq(grade_write_feedback_pdf(fbad, r, st, reps, &bad, err, sizeof err), -1);
    fclose(fbad);
    cr_assert(err[0], "a missing wording file is an error with a message");
    unlink(a);
    unlink(b);
    capture_report_free(rep);
    grade_sheet_free(s);
    rubric_free(r);
}
