/* feedback_html.h — one student's feedback as HTML, for pasting into a learning platform's
 * comment field (Moodle, Canvas, Blackboard): what the feedback PDF says (grades_pdf.h), in
 * one block of plain HTML with inline styles and no script, the diagram of each session a
 * check picked as an image with the explanation beside it (render/html_fragment.h). The file
 * is a whole page that a browser opens; everything inside <body> is the part to paste. */
#ifndef PCAP2REPORT_FEEDBACK_HTML_H
#define PCAP2REPORT_FEEDBACK_HTML_H

#include <stdio.h>

#include "capture.h"
#include "grade.h"
#include "grades_pdf.h"

/* Writes the student's feedback to out. reports[i] is the report of st->captures[i] (NULL
 * where it could not be read); the student's words must be filled in opt->lang
 * (grade_words_fill). The same input gives the same bytes. Returns 0, or -1 with a sentence
 * in err (templates missing or wrong, out of memory). */
int grade_write_feedback_html(FILE *out, const struct rubric *r, const struct grade_student *st,
                              const struct capture_report *const *reports, const struct grades_pdf_options *opt,
                              char *err, size_t errlen);

#endif
