/* grades_pdf.h — one feedback PDF per student: the points of each check of the rubric, the
 * feedback sentence and the reason in plain words, then the sequence diagram of every session
 * a check picked (to credit a point, or to show why it was lost), drawn by the PDF report's
 * own session pages. Integrity flags are for the teacher and are not shown here. Every sentence
 * comes from templates/<lang>.txt (keys grade.*, the reasons through grade_words.h); the
 * document is set up and saved as the report is (reproducible date, /ID, provenance, PDF/A). */
#ifndef PCAP2REPORT_GRADES_PDF_H
#define PCAP2REPORT_GRADES_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "capture.h"
#include "grade.h"

struct grades_pdf_options {
    const char *templates_dir; /* the PDF report's wording: folder holding <lang>.txt */
    const char *lang;          /* "en" when NULL */
    const char *tool_version;
    bool pdfa;                 /* PDF/A-1b, as pdf_options.pdfa */
    /* The document's date: SOURCE_DATE_EPOCH when the caller read one, else the time of the
     * first capture's first packet, as pdf_options says. */
    bool have_source_date;
    long long source_date;
};

/* Writes the student's feedback to out (a file the caller created, and removes on failure). reports[i] is the report of st->captures[i] (NULL
 * where the capture could not be read), as given to grade_student_evaluate; r is the rubric
 * the student was graded with; the student's words (reason, feedback, error) need not be
 * filled: they are made here in opt->lang. The same input gives the same bytes. Returns 0, or -1 with a
 * sentence in err (templates missing or wrong, a libharu error, the system's reason when
 * writing failed). */
int grade_write_feedback_pdf(FILE *out, const struct rubric *r, const struct grade_student *st,
                             const struct capture_report *const *reports,
                             const struct grades_pdf_options *opt, char *err, size_t errlen);

#endif
