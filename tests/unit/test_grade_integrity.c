/* test_grade_integrity.c — the integrity checks: byte-identical files and the same connection
 * in two students' captures name both students; a student's own captures and empty files are
 * not flagged; ISN 0 and impossible timing are flagged as not written by a real TCP stack. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convo.h"
#include "grade.h"
#include "grade_fixtures.h"
#include "rubric.h"

static char err[1024];

static const struct grade_flag *flag_of(const struct grade_student *st, enum grade_flag_kind k)
{
    for (size_t i = 0; i < st->n_flags; i++)
        if (st->flags[i].kind == k)
            return &st->flags[i];
    return NULL;
}

static const struct grade_student *student(const struct grade_sheet *s, const char *name)
{
    for (size_t i = 0; i < s->n_students; i++)
        if (strcmp(s->students[i].name, name) == 0)
            return &s->students[i];
    cr_assert_fail("no student %s", name);
    return NULL;
}

Test(grade_integrity, identical_files_and_shared_connections_name_both_students)
{
    struct rubric *r = load(CLASSIC);
    struct grade_sheet *s = grade_sheet_new(r);
    /* Added out of order: the sheet sorts by name. */
    add_student(s, "zoe", classic_report("zoe.pcap", 40000, 111111, 222222, 0), SHA_A, 900);
    add_student(s, "dave", classic_report("dave.pcap", 40000, 111111, 222222, 0), SHA_A, 900);
    add_student(s, "peggy", classic_report("peggy.pcap", 41000, 333333, 444444, 0), SHA_B, 900);
    add_student(s, "trent", classic_report("trent.pcap", 41000, 333333, 444444, 10000), SHA_C, 905);
    add_student(s, "alice", classic_report("alice.pcap", 42000, 555555, 666666, 0), SHA_D, 900);
    grade_sheet_sort(s);
    cr_assert_eq(grade_sheet_integrity(s, err, sizeof err), 0);
    cr_assert_str_eq(s->students[0].name, "alice");
    cr_assert_str_eq(s->students[4].name, "zoe");

    cr_assert_eq(student(s, "alice")->n_flags, 0);
    const struct grade_flag *d = flag_of(student(s, "dave"), GRADE_FLAG_IDENTICAL_FILE);
    const struct grade_flag *z = flag_of(student(s, "zoe"), GRADE_FLAG_IDENTICAL_FILE);
    cr_assert_not_null(d);
    cr_assert_not_null(z);
    cr_assert_str_eq(d->other, "zoe");
    cr_assert_str_eq(z->other, "dave");
    HAS(d->message, "dave.pcap is byte-identical to zoe's zoe.pcap");
    cr_assert_null(flag_of(student(s, "dave"), GRADE_FLAG_SAME_CONNECTION), "identical files are flagged once");

    const struct grade_flag *p = flag_of(student(s, "peggy"), GRADE_FLAG_SAME_CONNECTION);
    cr_assert_not_null(p);
    cr_assert_str_eq(p->other, "trent");
    cr_assert_eq(p->session_id, 1);
    HAS(p->message, "peggy.pcap session 1 is the same connection as trent's trent.pcap session 1");
    HAS(p->message, "ISNs 333333 and 444444");
    HAS(p->message, "timestamps 0.000010 s apart");
    cr_assert_not_null(flag_of(student(s, "trent"), GRADE_FLAG_SAME_CONNECTION));

    cr_assert_eq(s->n_pairs, 2);
    cr_assert_eq(s->pairs[0].kind, GRADE_FLAG_IDENTICAL_FILE);
    cr_assert_str_eq(s->students[s->pairs[0].a].name, "dave");
    cr_assert_str_eq(s->students[s->pairs[0].b].name, "zoe");
    HAS(s->pairs[0].message, "dave and zoe handed in byte-identical files");
    cr_assert_eq(s->pairs[1].kind, GRADE_FLAG_SAME_CONNECTION);
    HAS(s->pairs[1].message, "peggy and trent captured the same connection");
    grade_sheet_free(s);
    rubric_free(r);
}

Test(grade_integrity, a_students_own_captures_and_empty_files_are_not_flagged)
{
    struct rubric *r = load(CLASSIC);
    struct grade_sheet *s = grade_sheet_new(r);
    add_student(s, "ann", classic_report("a1.pcap", 40000, 111111, 222222, 0), SHA_A, 900);
    add_student(s, "ann", classic_report("a2.pcap", 40000, 111111, 222222, 0), SHA_A, 900);
    struct capture_report *e1 = classic_report("e1.pcap", 41000, 1, 2, 0), *e2 = classic_report("e2.pcap", 42000, 3, 4, 0);
    add_student(s, "ben", e1, SHA_B, 0);
    add_student(s, "cat", e2, SHA_B, 0);
    grade_sheet_sort(s);
    cr_assert_eq(grade_sheet_integrity(s, err, sizeof err), 0);
    for (size_t i = 0; i < s->n_students; i++)
        cr_assert_eq(s->students[i].n_flags, 0, "%s has %zu flags", s->students[i].name, s->students[i].n_flags);
    cr_assert_eq(s->n_pairs, 0);
    grade_sheet_free(s);
    rubric_free(r);
}

Test(grade_integrity, isn_zero_and_impossible_timing_are_not_a_real_stack)
{
    struct rubric *r = load(CLASSIC);
    struct grade_sheet *s = grade_sheet_new(r);
    add_student(s, "mallory", classic_report("m.pcap", 40000, 0, 0, 0), SHA_A, 900);

    /* The SYN/ACK timestamped half a second before the SYN it answers. */
    struct convo c;
    convo_init(&c, 4);
    convo_send(&c, C2S, TCP_SYN, 1000, 0, 0);
    c.ts -= 500000000;
    convo_send(&c, S2C, TCP_SYN | TCP_ACK, 5000, 1001, 0);
    c.ts += 600000000;
    convo_send(&c, C2S, A, 1001, 5001, 0);
    add_student(s, "oscar", report_of(&c, "o.pcap"), SHA_B, 900);
    convo_free(&c);

    /* Every segment at the same instant, in 1970. */
    convo_init(&c, 4);
    c.ts = 0;
    c.step_ns = 0;
    classic(&c, 77777, 88888);
    add_student(s, "victor", report_of(&c, "v.pcap"), SHA_C, 900);
    convo_free(&c);

    grade_sheet_sort(s);
    cr_assert_eq(grade_sheet_integrity(s, err, sizeof err), 0);
    const struct grade_flag *m = flag_of(student(s, "mallory"), GRADE_FLAG_ISN_ZERO);
    cr_assert_not_null(m);
    cr_assert_null(m->other);
    HAS(m->message, "m.pcap session 1: the ISN is 0 on both sides");
    cr_assert_eq(student(s, "mallory")->total, 900, "flags never change the points");

    const struct grade_flag *o = flag_of(student(s, "oscar"), GRADE_FLAG_IMPOSSIBLE_TIMING);
    cr_assert_not_null(o);
    HAS(o->message, "the SYN/ACK is timestamped before the SYN it answers (packet 2 is 0.499000 s earlier than packet 1)");

    const struct grade_flag *v = flag_of(student(s, "victor"), GRADE_FLAG_IMPOSSIBLE_TIMING);
    cr_assert_not_null(v);
    HAS(v->message, "the capture's clock says 1970-01-01 00:00:00 UTC");
    HAS(v->message, "(and 1 more finding)");
    cr_assert_eq(s->n_pairs, 0, "zero ISNs are not a shared connection");
    grade_sheet_free(s);
    rubric_free(r);
}

