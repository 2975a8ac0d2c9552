/* requirements.h — does one TCP session meet one requirement of a rubric's check?
 *
 * Each requirement type (rubric.h, REQ_*) has one evaluator that looks at the session record
 * the analysis left (its classes, per-side facts and timeline), says pass, fail or does not
 * apply, names the packets it looked at, and records what it saw as reason clauses. The same
 * evaluator scores every session (with no builder) and explains the one picked (evaluate.c). */
#ifndef PCAP2REPORT_GRADE_REQUIREMENTS_H
#define PCAP2REPORT_GRADE_REQUIREMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grade.h"
#include "reason.h"
#include "rubric.h"
#include "session.h"

enum grade_req_outcome { GRADE_REQ_FAIL, GRADE_REQ_PASS, GRADE_REQ_NA };

/* The packet numbers a requirement looked at, without repeats, at most GRADE_MAX_PACKETS. */
struct grade_packets {
    uint64_t v[GRADE_MAX_PACKETS];
    size_t n;
};

/* Adds a packet number; a NULL list, packet 0 (none) and a repeat are ignored. */
void grade_packets_add(struct grade_packets *p, uint64_t packet);

/* Evaluates requirement q of rubric r on session s. b (the reason) and p (the packets) may be
 * NULL. GRADE_REQ_NA only for a target requirement when the rubric names no target. */
enum grade_req_outcome grade_req_eval(const struct rubric_req *q, const struct rubric *r, const struct session *s,
                                      struct grade_reason_builder *b, struct grade_packets *p);

/* True when the session goes to the rubric's target server (with roles inferred, either side
 * may be the server). Call only when rubric_has_target(r). */
bool grade_req_on_target(const struct session *s, const struct rubric *r);

#endif
