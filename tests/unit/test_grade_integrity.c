/* test_grade_integrity.c — the integrity checks: byte-identical files and the same connection
 * in several students' captures make one copy group each, whatever the number of students; a
 * student's own captures and empty files are not flagged; ISN 0 and impossible timing are
 * flagged as not written by a real TCP stack. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convo.h"
#include "grade.h"
#include "grade_fixtures.h"
#include "grade_words.h"
#include "rubric.h"

static char err[1024];

/* The flags' and groups' words, in English. */
static void integrity_words(struct grade_sheet *s)
{
    struct pdf_templates *t = grade_words_load("templates", "en", err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    cr_assert_eq(grade_words_fill_integrity(s, t), 0);
    pdf_templates_free(t);
}

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
    integrity_words(s);
    cr_assert_str_eq(s->students[0].name, "alice");
    cr_assert_str_eq(s->students[4].name, "zoe");

    cr_assert_eq(student(s, "alice")->n_flags, 0);
    const struct grade_flag *d = flag_of(student(s, "dave"), GRADE_FLAG_IDENTICAL_FILE);
    const struct grade_flag *z = flag_of(student(s, "zoe"), GRADE_FLAG_IDENTICAL_FILE);
    cr_assert_not_null(d);
    cr_assert_not_null(z);
    cr_assert_eq(d->group, 1);
    cr_assert_eq(z->group, 1);
    cr_assert_str_eq(d->message, "dave.pcap is byte-identical to the hand-in of 1 other student (copy group 1: zoe)");
    cr_assert_null(flag_of(student(s, "dave"), GRADE_FLAG_SAME_CONNECTION), "identical files are flagged once");

    const struct grade_flag *p = flag_of(student(s, "peggy"), GRADE_FLAG_SAME_CONNECTION);
    cr_assert_not_null(p);
    cr_assert_eq(p->group, 2);
    cr_assert_eq(p->session_id, 1);
    cr_assert_str_eq(p->message, "peggy.pcap session 1 is the same connection as in the captures of 1 other student "
                                 "(copy group 2: trent)");
    cr_assert_not_null(flag_of(student(s, "trent"), GRADE_FLAG_SAME_CONNECTION));

    cr_assert_eq(s->n_clusters, 2);
    cr_assert_eq(s->clusters[0].kind, GRADE_FLAG_IDENTICAL_FILE);
    cr_assert_eq(s->clusters[0].n_members, 2);
    cr_assert_str_eq(s->students[s->clusters[0].members[0].student].name, "dave");
    cr_assert_str_eq(s->students[s->clusters[0].members[1].student].name, "zoe");
    HAS(s->clusters[0].message, "Copy group 1: 2 students handed in byte-identical files (sha256 ");
    HAS(s->clusters[0].message, "900 bytes): dave (dave.pcap), zoe (zoe.pcap).");
    cr_assert_eq(s->clusters[1].kind, GRADE_FLAG_SAME_CONNECTION);
    cr_assert_str_eq(s->clusters[1].message, "Copy group 2: 2 students captured the same connection (ports 41000 → 80, "
                     "ISNs 333333 and 444444; first packets 0.000010 s apart): peggy (peggy.pcap session 1), "
                     "trent (trent.pcap session 1).");
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
    cr_assert_eq(s->n_clusters, 0);
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
    integrity_words(s);
    const struct grade_flag *m = flag_of(student(s, "mallory"), GRADE_FLAG_ISN_ZERO);
    cr_assert_not_null(m);
    cr_assert_eq(m->group, 0);
    HAS(m->message, "m.pcap session 1: the ISN is 0 on both sides");
    cr_assert_eq(student(s, "mallory")->total, 900, "flags never change the points");

    const struct grade_flag *o = flag_of(student(s, "oscar"), GRADE_FLAG_IMPOSSIBLE_TIMING);
    cr_assert_not_null(o);
    HAS(o->message, "the SYN/ACK is timestamped before the SYN it answers (packet 2 is 0.499000 s earlier than packet 1)");

    const struct grade_flag *v = flag_of(student(s, "victor"), GRADE_FLAG_IMPOSSIBLE_TIMING);
    cr_assert_not_null(v);
    HAS(v->message, "the capture's clock says 1970-01-01 00:00:00 UTC");
    HAS(v->message, "(and 1 more finding)");
    cr_assert_eq(s->n_clusters, 0, "zero ISNs are not a shared connection");
    grade_sheet_free(s);
    rubric_free(r);
}


Test(grade_integrity, many_copies_are_one_group_and_connections_with_the_same_members_fold)
{
    struct rubric *r = load(CLASSIC);
    struct grade_sheet *s = grade_sheet_new(r);
    char name[16];
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "s%03d", i);
        add_student(s, name, classic_report("c.pcap", 40000, 111111, 222222, (int64_t)i), SHA_A, 900);
    }
    /* Two students sharing two connections, in different files: one group, two connections. */
    for (int k = 0; k < 2; k++) {
        struct convo c;
        convo_init(&c, 4);
        classic(&c, 5000, 6000);
        c.c2s.sport = 45000;
        classic(&c, 7000, 8000);
        add_student(s, k ? "x2" : "x1", report_of(&c, k ? "b.pcap" : "a.pcap"), k ? SHA_C : SHA_B, 900 + k);
        convo_free(&c);
    }
    grade_sheet_sort(s);
    cr_assert_eq(grade_sheet_integrity(s, err, sizeof err), 0);
    integrity_words(s);
    cr_assert_eq(s->n_clusters, 2, "one group per shared thing, not one per pair");
    cr_assert_eq(s->clusters[0].n_members, 300);
    cr_assert_eq(s->clusters[1].kind, GRADE_FLAG_SAME_CONNECTION);
    cr_assert_eq(s->clusters[1].connections, 2);
    HAS(s->clusters[1].message, "and 1 more in common: x1 (a.pcap session 1), x2 (b.pcap session 1).");
    const struct grade_student *first = student(s, "s000");
    cr_assert_eq(first->n_flags, 1);
    cr_assert_str_eq(first->flags[0].message, "c.pcap is byte-identical to the hand-ins of 299 other students "
                     "(copy group 1, among them s001, s002, s003, s004, s005)");
    grade_sheet_free(s);
    rubric_free(r);
}
