/* integrity.h — what grading records about a capture for the integrity checks (integrity.c),
 * and adding a flag to a student. The checks across students are grade_sheet_integrity
 * (grade.h, clusters.c). */
#ifndef PCAP2REPORT_GRADE_INTEGRITY_H
#define PCAP2REPORT_GRADE_INTEGRITY_H

#include <stddef.h>

#include "grade.h"

/* For the student's capture ci, whose report is rep: keeps a fingerprint of each connection
 * (to find it in another student's captures later), and flags what no real TCP stack writes
 * (ISN 0, answers timed before their questions, a clock before 1990). Returns 0, or -1 when
 * out of memory. */
int grade_integrity_capture(struct grade_student *st, size_t ci, const struct capture_report *rep);

/* Adds a flag to the student (group 0 for none) and points b at its reason, for the caller to
 * record the clauses. Returns 0, or -1 when out of memory. b is valid until the next flag. */
int grade_integrity_flag(struct grade_student *st, enum grade_flag_kind kind, size_t capture, uint64_t session_id,
                         size_t group, struct grade_reason_builder *b);

#endif
