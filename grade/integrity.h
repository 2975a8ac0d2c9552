/* integrity.h — what grading records about a capture for the integrity checks (integrity.c).
 * The checks across students are grade_sheet_integrity (grade.h). */
#ifndef PCAP2REPORT_GRADE_INTEGRITY_H
#define PCAP2REPORT_GRADE_INTEGRITY_H

#include <stddef.h>

#include "grade.h"

/* For the student's capture ci, whose report is rep: keeps a fingerprint of each connection
 * (to find it in another student's captures later), and flags what no real TCP stack writes
 * (ISN 0, answers timed before their questions, a clock before 1990). Returns 0, or -1 when
 * out of memory. */
int grade_integrity_capture(struct grade_student *st, size_t ci, const struct capture_report *rep);

#endif
