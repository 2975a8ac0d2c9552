/* test_grades_writer.c — the grade sheet's files: CSV cells quoted as RFC 4180 says (and
 * formulas defused), grades.csv and grades.json listing the students by name. */
#define _GNU_SOURCE
#include <cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grade.h"
#include "grade_fixtures.h"
#include "grades_writer.h"
#include "grade_words.h"
#include "rubric.h"

static char err[1024];

static char *csv_cell(const char *text, int is_text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    cr_assert_eq(grades_csv_cell(m, text, is_text), 0);
    fclose(m);
    return buf;
}

Test(grade_sheet, csv_cells_are_quoted)
{
    static const struct {
        const char *in;
        int is_text;
        const char *out;
    } cases[] = {
        {"alice", 1, "alice"},
        {"1.5", 0, "1.5"},
        {"a,b", 1, "\"a,b\""},
        {"say \"hi\"", 1, "\"say \"\"hi\"\"\""},
        {"two\nlines", 1, "\"two\nlines\""},
        {"=cmd()", 1, "\"'=cmd()\""},
        {"-1", 0, "-1"},
        {" padded", 1, "\" padded\""},
        {"王小明", 1, "王小明"},
        {"bad\xff", 1, "bad\xef\xbf\xbd"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = csv_cell(cases[i].in, cases[i].is_text);
        cr_expect_str_eq(got, cases[i].out, "case %zu", i);
        free(got);
    }
}

Test(grade_sheet, csv_and_json_list_students_by_name)
{
    struct rubric *r = load(CLASSIC);
    struct grade_sheet *s = grade_sheet_new(r);
    add_student(s, "zoe, the second", classic_report("z.pcap", 40000, 111111, 222222, 0), SHA_A, 900);
    add_student(s, "dave", classic_report("d.pcap", 40000, 111111, 222222, 0), SHA_A, 900);
    size_t idx;
    grade_sheet_student(s, "erin", &idx);
    struct grade_capture_info info = {.path = "h/erin.pcap", .file_name = "erin.pcap", .kind = GRADE_KIND_EMPTY};
    grade_student_add_capture(&s->students[idx], &info, err, sizeof err);
    const struct capture_report *none[1] = {NULL};
    evaluate_words(&s->students[idx], r, none, err, sizeof err);
    grade_sheet_sort(s);
    cr_assert_eq(grade_sheet_integrity(s, err, sizeof err), 0);
    struct pdf_templates *t = grade_words_load("templates", "en", err, sizeof err);
    cr_assert_not_null(t);
    cr_assert_eq(grade_words_fill_integrity(s, t), 0);
    pdf_templates_free(t);
    s->students[1].listed = GRADE_LIST_OFF; /* erin, after sorting */

    char *csv = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&csv, &len);
    cr_assert_eq(grades_write_csv(m, s, "Not on the class list.", err, sizeof err), 0, "%s", err);
    fclose(m);
    const char *expected =
        "student,id,total,handshake,handshake-numbers,close,close-numbers,target,notes,integrity\n"
        "dave,,9,3,2,2,2,n/a,,\"identical-file: d.pcap is byte-identical to the hand-in of 1 other student (copy group 1: "
        "zoe, the second)\"\n"
        "erin,,0,0,0,0,0,n/a,\"erin.pcap is empty. Stop tcpdump with Ctrl-C only after the connection has ended, and hand "
        "in the file it wrote. Not on the class list.\",\n"
        "\"zoe, the second\",,9,3,2,2,2,n/a,,identical-file: z.pcap is byte-identical to the hand-in of 1 other student "
        "(copy group 1: dave)\n";
    cr_assert_str_eq(csv, expected);
    free(csv);

    char *json = NULL;
    m = open_memstream(&json, &len);
    cr_assert_eq(grades_write_json(m, s, "9.9.9", err, sizeof err), 0, "%s", err);
    fclose(m);
    cJSON *doc = cJSON_Parse(json);
    cr_assert_not_null(doc, "grades.json parses");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "schema"), "name")->valuestring, "pcap2report-grades");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "tool"), "version")->valuestring, "9.9.9");
    cJSON *rub = cJSON_GetObjectItem(doc, "rubric");
    cr_assert_eq(cJSON_GetObjectItem(rub, "max_points")->valuedouble, 9);
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(rub, "target")));
    cJSON *students = cJSON_GetObjectItem(doc, "students");
    cr_assert_eq(cJSON_GetArraySize(students), 3);
    cJSON *dave = cJSON_GetArrayItem(students, 0);
    cr_assert_str_eq(cJSON_GetObjectItem(dave, "name")->valuestring, "dave");
    cr_assert_eq(cJSON_GetObjectItem(dave, "total")->valuedouble, 9);
    cJSON *check0 = cJSON_GetArrayItem(cJSON_GetObjectItem(dave, "checks"), 0);
    cr_assert_str_eq(cJSON_GetObjectItem(check0, "id")->valuestring, "handshake");
    cr_assert_str_eq(cJSON_GetObjectItem(check0, "status")->valuestring, "pass");
    cr_assert_eq(cJSON_GetObjectItem(check0, "session")->valuedouble, 1);
    cr_assert_str_eq(cJSON_GetObjectItem(check0, "capture")->valuestring, "d.pcap");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(check0, "packets")), 3);
    cJSON *erin = cJSON_GetArrayItem(students, 1);
    cr_assert_str_eq(cJSON_GetObjectItem(erin, "error")->valuestring,
                     "erin.pcap is empty. Stop tcpdump with Ctrl-C only after the connection has ended, and hand in "
                     "the file it wrote.");
    cr_assert_str_eq(cJSON_GetObjectItem(erin, "error_code")->valuestring, "error.empty");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(erin, "captures"), 0), "kind")->valuestring,
                     "empty");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(erin, "captures"), 0), "status")->valuestring,
                     "unreadable");
    cJSON *groups = cJSON_GetObjectItem(doc, "copy_groups");
    cr_assert_eq(cJSON_GetArraySize(groups), 1);
    cJSON *members = cJSON_GetObjectItem(cJSON_GetArrayItem(groups, 0), "members");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(members, 0), "student")->valuestring, "dave");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(members, 1), "student")->valuestring, "zoe, the second");
    cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "summary"), "students_flagged")->valuedouble, 2);
    cJSON_Delete(doc);
    free(json);
    grade_sheet_free(s);
    rubric_free(r);
}

