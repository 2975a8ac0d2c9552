/* grades_pdf.h — one feedback PDF per student: the points of each check of the rubric, the
 * feedback sentence and the reason in plain words, then the sequence diagram of every session
 * a check picked (to credit a point, or to show why it was lost), drawn by the PDF report's
 * own session pages. Integrity flags are for the teacher and are not shown here. */
#ifndef PCAP2REPORT_GRADES_PDF_H
#define PCAP2REPORT_GRADES_PDF_H

#include <stddef.h>

#include "capture.h"
#include "grade.h"

struct grades_pdf_options {
    const char *templates_dir; /* the PDF report's wording: folder holding <lang>.txt */
    const char *lang;          /* "en" when NULL */
    const char *tool_version;
};

/* Writes the student's feedback to path. reports[i] is the report of st->captures[i] (NULL
 * where the capture could not be read), as given to grade_student_evaluate; r is the rubric
 * the student was graded with. The same input gives the same bytes. Returns 0, or -1 with a
 * sentence in err (templates missing or wrong, a libharu error; a partial file is removed). */
int grade_write_feedback_pdf(const char *path, const struct rubric *r, const struct grade_student *st,
                             const struct capture_report *const *reports,
                             const struct grades_pdf_options *opt, char *err, size_t errlen);

#endif
