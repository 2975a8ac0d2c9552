/* grade_words.h — the grader's reasons in words of a language (templates/<lang>.txt, keys
 * grade.*).
 *
 * The grader records why a check passed or failed as data (reason.h, struct grade_reason: clause
 * codes with their values); this turns it into sentences, so that grades.csv, grades.json, the
 * feedback PDF and the terminal all say the same thing in the language chosen. */
#ifndef PCAP2REPORT_GRADE_WORDS_H
#define PCAP2REPORT_GRADE_WORDS_H

#include <stddef.h>

#include "grade.h"
#include "pdf_templates.h"

/* Loads <dir>/<lang>.txt with the report's schema (which holds the grade.* keys). NULL with a
 * sentence in err when the file is missing or incomplete. Free with pdf_templates_free. */
struct pdf_templates *grade_words_load(const char *dir, const char *lang, char *err, size_t errlen);

/* The reason in words. student_error is what a "student-error" clause says (the student's
 * error in words), or NULL. Returns a new string, or NULL when out of memory. */
char *grade_words_reason(const struct pdf_templates *t, const struct grade_reason *r, const char *student_error);

/* The rubric's target server in words ("host 192.0.2.2, port 80"), or NULL when it names none
 * or memory ran out. */
char *grade_words_target(const struct pdf_templates *t, const struct rubric *r);

/* Fills the student's words: error (from error_why, NULL when it is empty), each file's words
 * (what it is, or its notes), and each result's reason and feedback (the rubric's sentence in
 * lang when the rubric has it, with {reason}, {target}, {handshake} and {teardown} in this
 * language). Replaces words filled before. Returns 0, or -1 when out of memory. */
int grade_words_fill(struct grade_student *st, const struct rubric *r, const struct pdf_templates *t,
                     const char *lang);

/* Fills the words of the integrity flags of every student and of the sheet's copy groups,
 * after grade_sheet_integrity. Returns 0, or -1 when out of memory. */
int grade_words_fill_integrity(struct grade_sheet *s, const struct pdf_templates *t);

#endif
