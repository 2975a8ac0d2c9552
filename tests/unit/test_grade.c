/* test_grade.c — grading against rubrics: the session picked for each check, its points, the
 * reason and the feedback sentence, on sessions built by hand (convo.h) where a case needs a
 * precise mistake, and on captures from samples/ where real captures show it. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "convo.h"
#include "grade.h"
#include "grade_fixtures.h"
#include "rubric.h"

static char err[1024];

static struct rubric *parse(const char *text)
{
    return rubric_parse(text, strlen(text), "test.rubric", "test", err, sizeof err);
}

/* ---- grading hand-made sessions ---------------------------------------------------------- */

static struct convo cv;
static void setup(void) { convo_init(&cv, 4); }
static void fini(void) { convo_free(&cv); }
TestSuite(grade, .init = setup, .fini = fini);

struct graded {
    struct grade_sheet *sheet;
    struct rubric *rubric;
    struct grade_student *st;
};

/* Grades one student whose only capture is rep (freed here). */
static struct graded grade_one(const char *rubric_path, const char *student, struct capture_report *rep,
                               const char *sha)
{
    struct graded g = {0};
    g.rubric = load(rubric_path);
    g.sheet = grade_sheet_new(g.rubric);
    size_t idx;
    cr_assert_eq(grade_sheet_student(g.sheet, student, &idx), 0);
    g.st = &g.sheet->students[idx];
    struct grade_capture_info info = {.path = rep ? rep->path : "x.pcap", .file_name = rep ? rep->file_name : "x.pcap",
                                      .size_bytes = 100, .sha256 = sha, .report = rep,
                                      .kind = rep ? GRADE_KIND_CAPTURE : GRADE_KIND_EMPTY};
    cr_assert_eq(grade_student_add_capture(g.st, &info, err, sizeof err), 0);
    const struct capture_report *reps[1] = {rep};
    cr_assert_eq(evaluate_words(g.st, g.rubric, reps, err, sizeof err), 0);
    capture_report_free(rep);
    return g;
}

static void graded_free(struct graded *g)
{
    grade_sheet_free(g->sheet);
    rubric_free(g->rubric);
}

static const struct grade_result *result(const struct graded *g, const char *id)
{
    for (size_t i = 0; i < g->st->n_results; i++)
        if (strcmp(g->rubric->checks[g->st->results[i].check].id, id) == 0)
            return &g->st->results[i];
    cr_assert_fail("no result for check %s", id);
    return NULL;
}

Test(grade, a_correct_session_earns_every_point)
{
    classic(&cv, 1000, 5000);
    struct graded g = grade_one(CLASSIC, "alice", report_of(&cv, "alice.pcap"), NULL);
    cr_assert_null(g.st->error);
    cr_assert_eq(g.st->total, 900);
    cr_assert_eq(g.st->max, 900);
    const struct grade_result *hs = result(&g, "handshake"), *num = result(&g, "handshake-numbers"),
                              *cl = result(&g, "close"), *cn = result(&g, "close-numbers"), *t = result(&g, "target");
    cr_assert_eq(hs->status, GRADE_PASS);
    cr_assert_eq(hs->points, 300);
    cr_assert(hs->has_session);
    cr_assert_eq(hs->session_id, 1);
    cr_assert_str_eq(hs->client, "10.0.0.1:40000");
    cr_assert_str_eq(hs->server, "10.0.0.2:80");
    cr_assert_eq(hs->n_packets, 3);
    cr_assert_eq(hs->packets[0], 1);
    cr_assert_eq(hs->packets[2], 3);
    cr_assert_str_eq(hs->feedback, "Session 1 (10.0.0.1:40000 → 10.0.0.2:80) opens with a complete three-way "
                                   "handshake: SYN, SYN/ACK and ACK in packets 1, 2, 3.");
    cr_assert_eq(num->status, GRADE_PASS);
    HAS(num->reason, "seq x = 1000");
    HAS(num->reason, "ack 1001 = x + 1");
    HAS(num->reason, "seq 1001 = x + 1 and ack 5001 = y + 1");
    cr_assert_eq(cl->status, GRADE_PASS);
    HAS(cl->reason, "a four-way close (the client's FIN in packet 6, the server's ACK in packet 7, "
                    "the server's FIN in packet 8, the client's ACK in packet 9)");
    cr_assert_str_eq(cl->feedback, "Session 1 closes with FINs from both sides (a four-way close), packets 6, 7, 8, 9.");
    cr_assert_eq(cn->status, GRADE_PASS);
    HAS(cn->reason, "the client's FIN (packet 6) is acknowledged with 1102 = the FIN's seq 1101 + 1 (packet 7)");
    cr_assert_eq(t->status, GRADE_NA, "no target named: the check does not count");
    cr_assert_eq(t->max, 0);
    cr_assert_eq(g.st->n_flags, 0);
    graded_free(&g);
}

Test(grade, a_wrong_synack_ack_loses_the_numbers_points)
{
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, S2C, TCP_SYN | TCP_ACK, 5000, 1005, 0);
    convo_send(&cv, C2S, A, 1001, 5001, 0);
    struct graded g = grade_one(CLASSIC, "bob", report_of(&cv, "bob.pcap"), NULL);
    const struct grade_result *hs = result(&g, "handshake"), *num = result(&g, "handshake-numbers");
    cr_assert_eq(hs->status, GRADE_PASS);
    cr_assert_eq(num->status, GRADE_FAIL);
    cr_assert_eq(num->points, 0);
    cr_assert_eq(num->max, 200);
    HAS(num->reason, "the SYN/ACK (packet 2) acknowledges 1005, but it should be x + 1 = 1001 "
                     "(x = 1000 is the sequence number of the client's SYN, packet 1)");
    cr_assert_str_eq(num->feedback, "The sequence and acknowledgement numbers of a complete handshake could not be confirmed.");
    cr_assert_eq(result(&g, "close")->status, GRADE_FAIL);
    HAS(result(&g, "close")->reason, "neither side sent a FIN or a RST before the capture ended");
    cr_assert_eq(g.st->total, 300);
    graded_free(&g);
}

Test(grade, a_wrong_third_segment_is_explained)
{
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, S2C, TCP_SYN | TCP_ACK, 5000, 1001, 0);
    convo_send(&cv, C2S, A, 1003, 5002, 0);
    struct graded g = grade_one(CLASSIC, "bob", report_of(&cv, "bob.pcap"), NULL);
    const struct grade_result *num = result(&g, "handshake-numbers");
    cr_assert_eq(num->status, GRADE_FAIL);
    HAS(num->reason, "the ACK (packet 3) has seq 1003, but it should be x + 1 = 1001");
    HAS(num->reason, "the ACK (packet 3) acknowledges 5002, but it should be y + 1 = 5001");
    graded_free(&g);
}

Test(grade, a_wrong_fin_ack_is_explained)
{
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, C2S, F, 1001, 5001, 0);
    convo_send(&cv, S2C, A, 5001, 1003, 0); /* should be 1002 */
    convo_send(&cv, S2C, F, 5001, 1003, 0);
    convo_send(&cv, C2S, A, 1002, 5002, 0);
    struct graded g = grade_one(CLASSIC, "carol", report_of(&cv, "carol.pcap"), NULL);
    const struct grade_result *cn = result(&g, "close-numbers");
    cr_assert_eq(cn->status, GRADE_FAIL);
    HAS(cn->reason, "the client's FIN (packet 4) is acknowledged with 1003 (packet 5), but it should be "
                    "the FIN's seq 1001 + 1 = 1002");
    graded_free(&g);
}

Test(grade, the_best_session_is_picked_for_each_check)
{
    /* Session 1 is refused, session 2 opens and closes; session 3 opens but is reset. */
    convo_send(&cv, C2S, TCP_SYN, 100, 0, 0);
    convo_send(&cv, S2C, R, 0, 101, 0);
    cv.c2s.sport = 40001;
    classic(&cv, 2000, 7000);
    cv.c2s.sport = 40002;
    convo_handshake(&cv, 3000, 9000);
    convo_send(&cv, C2S, R, 3001, 9001, 0);
    struct graded g = grade_one(CLASSIC, "dave", report_of(&cv, "dave.pcap"), NULL);
    cr_assert_eq(g.st->total, 900);
    for (size_t i = 0; i < g.st->n_results; i++)
        if (g.st->results[i].status != GRADE_NA)
            cr_assert_eq(g.st->results[i].session_id, 2, "check %zu picked session %llu", i,
                         (unsigned long long)g.st->results[i].session_id);
    graded_free(&g);

    /* With only sessions 1 and 3, the failure is explained on the closest session. */
    convo_free(&cv);
    convo_init(&cv, 4);
    convo_send(&cv, C2S, TCP_SYN, 100, 0, 0);
    convo_send(&cv, S2C, R, 0, 101, 0);
    cv.c2s.sport = 40002;
    convo_handshake(&cv, 3000, 9000);
    convo_send(&cv, C2S, R, 3001, 9001, 0);
    g = grade_one(CLASSIC, "dave", report_of(&cv, "dave.pcap"), NULL);
    const struct grade_result *cl = result(&g, "close");
    cr_assert_eq(cl->status, GRADE_FAIL);
    HAS(cl->reason, "None of your 2 sessions meets this check.");
    cr_assert_eq(result(&g, "handshake")->session_id, 2);
    cr_assert_eq(result(&g, "close")->session_id, 2, "on a tie, the session earlier checks picked");
    cr_assert_eq(result(&g, "close-numbers")->session_id, 2);
    graded_free(&g);
}

Test(grade, refused_connections_for_the_find_refused_rubric)
{
    convo_send(&cv, C2S, TCP_SYN, 100, 0, 0);
    convo_send(&cv, S2C, R, 0, 101, 0);
    struct graded g = grade_one(REFUSED, "erin", report_of(&cv, "erin.pcap"), NULL);
    cr_assert_eq(result(&g, "refused")->status, GRADE_PASS);
    cr_assert_eq(result(&g, "refused-by-server")->status, GRADE_PASS);
    HAS(result(&g, "refused-by-server")->reason, "the server sent a RST (packet 2)");
    cr_assert_eq(result(&g, "accepted")->status, GRADE_FAIL);
    cr_assert_eq(result(&g, "target")->status, GRADE_NA);
    cr_assert_eq(g.st->total, 400);
    cr_assert_eq(g.st->max, 500);
    cr_assert_str_eq(result(&g, "refused")->feedback,
                     "Session 1 (10.0.0.1:40000 → 10.0.0.2:80) was refused: packets 1, 2 show the SYN and the RST "
                     "that answered it.");
    graded_free(&g);
}

Test(grade, a_target_is_preferred_and_checked)
{
    classic(&cv, 1000, 5000);       /* to port 80 */
    cv.c2s.dport = 8080;
    cv.c2s.sport = 40001;
    classic(&cv, 2000, 6000);       /* to port 8080: the target */
    struct graded g = grade_one(CUSTOM, "frank", report_of(&cv, "frank.pcap"), NULL);
    const struct grade_result *t = result(&g, "web-port");
    cr_assert_eq(t->status, GRADE_PASS);
    cr_assert_eq(t->session_id, 2);
    cr_assert_str_eq(t->feedback, "The server is 10.0.0.2:8080.");
    cr_assert_eq(result(&g, "fetch")->session_id, 2, "equal sessions: the one to the target wins");
    graded_free(&g);

    convo_free(&cv);
    convo_init(&cv, 4);
    classic(&cv, 1000, 5000);
    g = grade_one(CUSTOM, "frank", report_of(&cv, "frank.pcap"), NULL);
    t = result(&g, "web-port");
    cr_assert_eq(t->status, GRADE_FAIL);
    HAS(t->reason, "it goes to 10.0.0.2:80, not to the expected server (port 8080)");
    cr_assert_str_eq(t->feedback, "None of your connections goes to port 8080.");
    /* The custom rubric's other checks are held to its target (port 8080) unless they say
     * any-server: data both 100 holds (100 and 200 bytes), but not on the server asked for;
     * the client closed first; the session is clean (any-server). */
    cr_assert_eq(result(&g, "fetch")->status, GRADE_FAIL);
    HAS(result(&g, "fetch")->reason, "it goes to 10.0.0.2:80, not to the expected server (port 8080)");
    cr_assert_eq(result(&g, "server-closes")->status, GRADE_FAIL);
    HAS(result(&g, "server-closes")->feedback, "没有服务器先关闭的连接：Session 1");
    HAS(result(&g, "server-closes")->reason, "the client sent the first FIN (packet 6), but the check asks for the "
                                             "server to close first");
    cr_assert_eq(result(&g, "clean")->status, GRADE_PASS);
    cr_assert_str_eq(result(&g, "clean")->feedback, "Clean: 0.5 of 0.5.");
    cr_assert_eq(g.st->total, 50, "only the check that says any-server counts a session to another server");
    cr_assert_eq(g.st->max, 500);
    graded_free(&g);
}

Test(grade, no_tcp_and_unreadable_captures_get_zero_with_the_reason)
{
    struct capture_report *empty = report_of(&cv, "udp.pcap");
    empty->counts.total = 12;
    empty->counts.by_outcome[DECODE_NOT_TCP] = 12;
    empty->have_packets = true;
    empty->first_ts = 1700000000LL * 1000000000LL;
    struct graded g = grade_one(CLASSIC, "grace", empty, NULL);
    cr_assert_eq(g.st->total, 0);
    cr_assert_eq(g.st->max, 900);
    cr_assert_not_null(g.st->error);
    HAS(g.st->error, "The capture has no TCP at all: 12 packets, none of them a TCP segment");
    for (size_t i = 0; i < g.st->n_results; i++)
        if (g.st->results[i].status != GRADE_NA) {
            cr_assert_eq(g.st->results[i].status, GRADE_FAIL);
            cr_assert_not(g.st->results[i].has_session);
            /* Why is said once (the student's error); each check points to it, and the
             * rubric's advice on capturing is not given: it would be wrong advice. */
            cr_assert_str_eq(g.st->results[i].reason, "Nothing could be graded: why is said once, at the top of this page.");
            cr_assert_str_eq(g.st->results[i].feedback, "");
        }
    graded_free(&g);

    g = grade_one(CLASSIC, "heidi", NULL, NULL);
    cr_assert_eq(g.st->total, 0);
    cr_assert_str_eq(g.st->error, "x.pcap is empty. Stop tcpdump with Ctrl-C only after the connection has ended, "
                                  "and hand in the file it wrote.");
    cr_assert_not(g.st->captures[0].analysed);
    cr_assert_eq(g.st->captures[0].kind, GRADE_KIND_EMPTY);
    cr_assert_str_eq(result(&g, "handshake")->feedback, "");
    graded_free(&g);
}

Test(grade, placeholders_without_a_session_say_none)
{
    struct rubric *r = parse("check c\nlooks-for x\npoints 1\nrequire handshake normal\npass p\n"
                             "fail s={session} c={client} h={handshake} p={packets} m={max} t={target} {notakey\n");
    cr_assert_not_null(r, "%s", err);
    struct grade_sheet *sheet = grade_sheet_new(r);
    size_t idx;
    grade_sheet_student(sheet, "x", &idx);
    struct grade_result res = {.check = 0, .status = GRADE_FAIL};
    struct grade_feedback_words w = {.reason = "", .none = "(none)"};
    char *fb = grade_fill_feedback(&sheet->students[idx], r, &res, "en", &w);
    cr_assert_str_eq(fb, "s=(none) c=(none) h=(none) p=(none) m=1 t=(none) {notakey");
    free(fb);
    grade_sheet_free(sheet);
    rubric_free(r);
}

/* ---- real captures ------------------------------------------------------------------------ */

static struct graded grade_sample(const char *rubric_path, const char *sample)
{
    struct capture_options opt = {0};
    struct capture_report *rep = NULL;
    cr_assert_eq(capture_analyze(sample, &opt, &rep, err, sizeof err), 0, "%s: %s", sample, err);
    return grade_one(rubric_path, "s", rep, rep->sha256);
}

Test(grade_samples, the_classic_rubric_on_real_captures)
{
    static const struct {
        const char *file;
        int total;
        const char *passed; /* the checks passed, in order */
    } cases[] = {
        {"samples/http-get.pcap", 900, "handshake handshake-numbers close close-numbers"},
        {"samples/four-way.pcap", 900, "handshake handshake-numbers close close-numbers"},
        {"samples/merged-fin.pcap", 900, "handshake handshake-numbers close close-numbers"},
        {"samples/half-close.pcap", 900, "handshake handshake-numbers close close-numbers"},
        {"samples/ipv6.pcap", 900, "handshake handshake-numbers close close-numbers"},
        {"samples/reuse.pcap", 900, "handshake handshake-numbers close close-numbers"},
        {"samples/simultaneous-close.pcap", 500, "handshake handshake-numbers"},
        {"samples/rst-client.pcap", 500, "handshake handshake-numbers"},
        {"samples/open-at-end.pcap", 500, "handshake handshake-numbers"},
        {"samples/mid-stream.pcap", 400, "close close-numbers"},
        {"samples/refused.pcap", 0, ""},
        {"samples/syn-only.pcap", 0, ""},
        {"samples/no-final-ack.pcap", 0, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct graded g = grade_sample(CLASSIC, cases[i].file);
        char passed[200] = "";
        for (size_t k = 0; k < g.st->n_results; k++)
            if (g.st->results[k].status == GRADE_PASS)
                snprintf(passed + strlen(passed), sizeof passed - strlen(passed), "%s%s", passed[0] ? " " : "",
                         g.rubric->checks[g.st->results[k].check].id);
        cr_expect_eq(g.st->total, cases[i].total, "%s: %d points", cases[i].file, g.st->total);
        cr_expect_str_eq(passed, cases[i].passed, "%s", cases[i].file);
        for (size_t k = 0; k < g.st->n_results; k++)
            cr_expect(g.st->results[k].reason && g.st->results[k].reason[0], "%s: a reason for every check",
                      cases[i].file);
        graded_free(&g);
    }
}

Test(grade_samples, find_refused_on_real_captures)
{
    struct graded g = grade_sample(REFUSED, "samples/refused.pcap");
    cr_assert_eq(g.st->total, 400);
    HAS(result(&g, "refused")->reason, "the SYN in packet 1 was answered by a RST in packet 2");
    cr_assert_eq(result(&g, "accepted")->status, GRADE_FAIL);
    graded_free(&g);
    g = grade_sample(REFUSED, "samples/syn-only.pcap");
    cr_assert_eq(g.st->total, 0);
    HAS(result(&g, "refused")->reason, "4 SYNs, the first in packet 1, and no answer from the server");
    graded_free(&g);
}

Test(grade_samples, the_custom_rubric_on_real_captures)
{
    struct graded g = grade_sample(CUSTOM, "samples/http-get.pcap");
    cr_assert_eq(g.st->total, 500, "%d", g.st->total);
    HAS(result(&g, "server-closes")->feedback, "会话 1：服务器先关闭（a three-packet close，数据包 10, 11, 12）。");
    graded_free(&g);
    g = grade_sample(CUSTOM, "samples/four-way.pcap");
    cr_assert_eq(g.st->total, 50, "%d", g.st->total);
    HAS(result(&g, "fetch")->reason, "the client sent 6 bytes of data and the server 6, but the check asks for at "
                                     "least 100 bytes from each side");
    graded_free(&g);
}
