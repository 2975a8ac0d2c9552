/* grade_fixtures.h — what the grading tests share (grade_fixtures.c): the rubrics they grade
 * with, reports around sessions built by hand (convo.h), and students added to a sheet and
 * graded as pcap2report grade does, with the reasons in English. Helpers assert on failure. */
#ifndef PCAP2REPORT_GRADE_FIXTURES_H
#define PCAP2REPORT_GRADE_FIXTURES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "capture.h"
#include "convo.h"
#include "grade.h"
#include "rubric.h"

#define A TCP_ACK
#define F (TCP_FIN | TCP_ACK)
#define P (TCP_PSH | TCP_ACK)
#define R (TCP_RST | TCP_ACK)

#define CLASSIC "templates/rubrics/classic-handshake.rubric"
#define REFUSED "templates/rubrics/find-refused.rubric"
#define CUSTOM "tests/fixtures/grade/http-fetch.rubric"

#define SHA_A "aaaa000000000000000000000000000000000000000000000000000000000001"
#define SHA_B "bbbb000000000000000000000000000000000000000000000000000000000002"
#define SHA_C "cccc000000000000000000000000000000000000000000000000000000000003"
#define SHA_D "dddd000000000000000000000000000000000000000000000000000000000004"

#define HAS(text, part) cr_assert(strstr((text), (part)) != NULL, "\"%s\" lacks \"%s\"", (text), (part))

/* The rubric file at path. */
struct rubric *load(const char *path);

/* Grades and puts the reasons into words, in English as pcap2report grade does by default. */
int evaluate_words(struct grade_student *st, const struct rubric *r,
                   const struct capture_report *const *reports, char *e, size_t elen);

/* A report around the convo's table, as capture_analyze would return it (takes the table). */
struct capture_report *report_of(struct convo *c, const char *name);

/* The classic session: handshake, a request and its answer, a four-way close by the client. */
void classic(struct convo *c, uint32_t cisn, uint32_t sisn);

/* A report of one classic session from client port sport, its clock shifted by shift_ns. */
struct capture_report *classic_report(const char *name, uint16_t sport, uint32_t cisn, uint32_t sisn,
                                      int64_t shift_ns);

/* Adds the capture (rep, freed here) to the student of that name and grades the student on it
 * alone. */
void add_student(struct grade_sheet *sheet, const char *name, struct capture_report *rep, const char *sha,
                 uint64_t size);

#endif
