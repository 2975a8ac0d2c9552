/* grades_writer.h — the grade sheet as grades.csv and grades.json (docs/grading.md).
 *
 * Both list the students in the sheet's order, which grade_sheet_sort makes byte order of the
 * names, so the same hand-ins give the same bytes. Strings from outside (file and student
 * names) are made valid UTF-8 first. */
#ifndef PCAP2REPORT_GRADES_WRITER_H
#define PCAP2REPORT_GRADES_WRITER_H

#include <stdio.h>

#include "grade.h"

#define PCAP2REPORT_GRADES_SCHEMA_NAME "pcap2report-grades"
#define PCAP2REPORT_GRADES_SCHEMA_VERSION "2.0.0"

/* grades.csv: a header row (student, id, total, one column per check id, notes, integrity),
 * then one row per student. Points are plain decimals ("2", "1.5"), "n/a" for a check that
 * does not apply. The notes hold the student's words (grade_words_fill) and, for a student
 * not on the class list, off_list (a sentence in the sheet's language, or NULL). Cells are
 * quoted as RFC 4180 says; a text cell that a spreadsheet would take for a formula (=, +, -,
 * @) gets a leading apostrophe. Lines end with LF. Returns 0, or -1 with a sentence in err
 * when writing failed. */
int grades_write_csv(FILE *out, const struct grade_sheet *s, const char *off_list, char *err, size_t errlen);

/* grades.json: the rubric, every student with each check's points, session, reason and
 * feedback, each file's kind, the integrity flags, and the copy groups (one entry per group,
 * with every member and the evidence). tool_version is recorded. Returns 0 or -1 with err. */
int grades_write_json(FILE *out, const struct grade_sheet *s, const char *tool_version,
                      char *err, size_t errlen);

/* One CSV cell as grades_write_csv writes it, for callers and tests. Returns 0 or -1 (write
 * error or out of memory). */
int grades_csv_cell(FILE *out, const char *text, int is_text);

#endif
