/* test_grade.c — rubric files, grading against them, the integrity checks, and the grade
 * sheet's CSV and JSON. Sessions are built by hand (convo.h) where a case needs a precise
 * mistake, and read from samples/ where real captures show it. */
#define _GNU_SOURCE
#include <cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "convo.h"
#include "grade.h"
#include "grade_words.h"
#include "grades_pdf.h"
#include "grades_writer.h"
#include "rubric.h"

#define A TCP_ACK
#define F (TCP_FIN | TCP_ACK)
#define P (TCP_PSH | TCP_ACK)
#define R (TCP_RST | TCP_ACK)

#define CLASSIC "templates/rubrics/classic-handshake.rubric"
#define REFUSED "templates/rubrics/find-refused.rubric"
#define CUSTOM "tests/fixtures/grade/http-fetch.rubric"

static char err[1024];

static struct rubric *load(const char *path)
{
    struct rubric *r = rubric_load(path, err, sizeof err);
    cr_assert_not_null(r, "%s: %s", path, err);
    return r;
}

/* Grades and puts the reasons into words, in English as pcap2report grade does by default. */
static int evaluate_words(struct grade_student *st, const struct rubric *r,
                          const struct capture_report *const *reports, char *e, size_t elen)
{
    int rc = grade_student_evaluate(st, r, reports, e, elen);
    if (rc != 0)
        return rc;
    struct pdf_templates *t = grade_words_load("templates", "en", e, elen);
    cr_assert_not_null(t, "%s", e);
    rc = grade_words_fill(st, r, t);
    pdf_templates_free(t);
    return rc;
}

static struct rubric *parse(const char *text)
{
    return rubric_parse(text, strlen(text), "test.rubric", "test", err, sizeof err);
}

/* ---- rubric files ------------------------------------------------------------------------ */

static const char *const minimal =
    "rubric mini\n"
    "title  A title\n"
    "check one\n"
    "looks-for something\n"
    "points 1.5\n"
    "require handshake normal simultaneous-open\n"
    "pass ok {session}\n"
    "fail not ok: {reason}\n";

Test(rubric, parses_a_minimal_rubric)
{
    struct rubric *r = parse(minimal);
    cr_assert_not_null(r, "%s", err);
    cr_assert_str_eq(r->name, "mini");
    cr_assert_str_eq(r->title, "A title");
    cr_assert_eq(r->n_checks, 1);
    cr_assert_str_eq(r->checks[0].id, "one");
    cr_assert_eq(r->checks[0].points, 150);
    cr_assert_eq(r->checks[0].n_reqs, 1);
    cr_assert_eq(r->checks[0].reqs[0].type, REQ_HANDSHAKE);
    cr_assert_eq(r->checks[0].reqs[0].set, (1u << HANDSHAKE_NORMAL) | (1u << HANDSHAKE_SIMULTANEOUS_OPEN));
    cr_assert_str_eq(r->checks[0].reqs[0].text, "handshake normal simultaneous-open");
    cr_assert_eq(strlen(r->sha256), 64);
    cr_assert_not(rubric_has_target(r));
    rubric_free(r);
}

Test(rubric, accepts_bom_crlf_continuations_and_utf8)
{
    const char *text = "\xef\xbb\xbf# comment\r\n"
                       "check ok\r\n"
                       "  looks-for  三次握手\r\n"
                       "  looks-for  (SYN, SYN/ACK, ACK)\r\n"
                       "  points 2\r\n"
                       "  require teardown four-way\r\n"
                       "  pass 会话 {session} 正确。\r\n"
                       "  fail 错误：\r\n"
                       "  fail {reason}\r\n";
    struct rubric *r = parse(text);
    cr_assert_not_null(r, "%s", err);
    cr_assert_str_eq(r->name, "test"); /* the default name */
    cr_assert_str_eq(r->checks[0].looks_for, "三次握手 (SYN, SYN/ACK, ACK)");
    cr_assert_str_eq(r->checks[0].pass, "会话 {session} 正确。");
    cr_assert_str_eq(r->checks[0].fail, "错误： {reason}");
    rubric_free(r);
}

/* Each broken rubric must be refused with a message naming the line and the problem. */
Test(rubric, refuses_mistakes_with_the_line)
{
    static const struct {
        const char *text, *message;
    } cases[] = {
        {"colour red\n", "line 1: unknown keyword 'colour'"},
        {"points 2\n", "line 1: 'points' belongs to a check"},
        {"check a\nlooks-for x\nrequire handshake normal\npass p\nfail f\n", "line 1: check 'a' has no 'points' line"},
        {"check a\nlooks-for x\npoints 1.234\n", "line 3: points are a number"},
        {"check a\nlooks-for x\npoints -1\n", "line 3: points are a number"},
        {"check a\nlooks-for x\npoints 1\nrequire handshake norml\n", "line 4: unknown handshake class 'norml'"},
        {"check a\nlooks-for x\npoints 1\nrequire teardown\n", "line 4: name at least one teardown class"},
        {"check a\nlooks-for x\npoints 1\nrequire magic\n", "line 4: unknown requirement 'magic'"},
        {"check a\nlooks-for x\npoints 1\nrequire data sideways\n", "line 4: expected client or server"},
        {"check a\nlooks-for x\npoints 1\nrequire server-port 0\n", "line 4: '0' is not a port number"},
        {"check a\nlooks-for x\npoints 1\nrequire server-host 10.0.0.0/40\n", "prefix length must be 0 to 32"},
        {"check a\nlooks-for x\npoints 1\nrequire anomaly no-such\n", "unknown anomaly 'no-such'"},
        {"check a\nlooks-for x\npoints 1\nrequire conn-state XX\n", "unknown conn_state 'XX'"},
        {"check a\nlooks-for x\npoints 1\nrequire fin-arithmetic now\n", "takes no value"},
        {"check a\nlooks-for x\npoints 1\nrequire target\npass {student} did it\n", "line 5: 'pass' uses {student}"},
        {"check a\nlooks-for x\npoints 1\nrequire target\npass p\n", "line 1: check 'a' has no 'fail' sentence"},
        {"check a\nlooks-for x\npoints 1\npoints 2\n", "line 4: check 'a' has two 'points' lines"},
        {"check a\nlooks-for x\npoints 1\nrequire target\npass p\nfail f\ncheck A\n", "line 7: a check 'a' already exists"},
        {"check total\n", "line 1: 'total' is a column of grades.csv"},
        {"check bad id\n", "line 1: a check's id"},
        {"check a\ntitle late\n", "line 2: 'title' belongs before the first check"},
        {"check a\nlooks-for x\npoints 1\nrequire target\npass \xff\n", "line 5: not valid UTF-8"},
        {"# nothing\n", "no check"},
        {"target-host not_a_host!\n", "is neither an IP address"},
        {"target-port 70000\n", "'70000' is not a port number"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err[0] = '\0';
        struct rubric *r = parse(cases[i].text);
        cr_expect_null(r, "case %zu was accepted", i);
        rubric_free(r);
        cr_expect(strstr(err, cases[i].message) != NULL, "case %zu: got \"%s\", expected \"%s\"", i, err,
                  cases[i].message);
        cr_expect(strncmp(err, "test.rubric", 11) == 0, "case %zu: the message names the file: %s", i, err);
    }
}

Test(rubric, points_print_as_plain_decimals)
{
    char buf[24];
    cr_assert_str_eq(rubric_points_string(0, buf), "0");
    cr_assert_str_eq(rubric_points_string(300, buf), "3");
    cr_assert_str_eq(rubric_points_string(150, buf), "1.5");
    cr_assert_str_eq(rubric_points_string(225, buf), "2.25");
    cr_assert_str_eq(rubric_points_string(5, buf), "0.05");
    cr_assert_str_eq(rubric_points_string(-50, buf), "-0.5");
}

Test(rubric, bundled_and_fixture_rubrics_load)
{
    struct rubric *c = load(CLASSIC), *f = load(REFUSED), *x = load(CUSTOM);
    cr_assert_str_eq(c->name, "classic-handshake");
    cr_assert_eq(c->n_checks, 5);
    cr_assert_not(rubric_has_target(c));
    cr_assert_str_eq(f->name, "find-refused");
    cr_assert_eq(f->n_checks, 4);
    cr_assert_str_eq(x->name, "http-fetch");
    cr_assert(rubric_has_target(x));
    cr_assert_eq(x->n_target_ports, 1);
    cr_assert_eq(x->target_ports[0], 8080);
    cr_assert_eq(x->checks[2].points, 150);
    rubric_free(c);
    rubric_free(f);
    rubric_free(x);
}

Test(rubric, a_missing_file_is_an_error)
{
    cr_assert_null(rubric_load("tests/fixtures/grade/no-such.rubric", err, sizeof err));
    cr_assert(strstr(err, "No such file") != NULL, "%s", err);
}

Test(rubric, targets_match_addresses_and_prefixes)
{
    struct rubric *r = parse(minimal);
    cr_assert_not_null(r);
    const char *hosts[] = {"192.0.2.0/24", "2001:db8::2"};
    const char *ports[] = {"80, 8080"};
    cr_assert_eq(rubric_set_target(r, hosts, 2, ports, 1, err, sizeof err), 0, "%s", err);
    cr_assert(rubric_has_target(r));
    cr_assert_eq(r->n_target_ports, 2);
    uint8_t a4[16] = {192, 0, 2, 77}, b4[16] = {192, 0, 3, 1};
    uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2}, b6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 3};
    cr_assert(rubric_hosts_match(&r->target_hosts, 4, a4));
    cr_assert_not(rubric_hosts_match(&r->target_hosts, 4, b4));
    cr_assert(rubric_hosts_match(&r->target_hosts, 6, a6));
    cr_assert_not(rubric_hosts_match(&r->target_hosts, 6, b6));
    const char *bad[] = {"192.0.2.1/33"};
    cr_assert_eq(rubric_set_target(r, bad, 1, NULL, 0, err, sizeof err), -1);
    cr_assert(rubric_hosts_match(&r->target_hosts, 4, a4), "a failed change keeps the old target");
    rubric_free(r);
}

static int fake_resolver(void *arg, const char *name, struct rubric_prefix **out, size_t *n,
                         char *e, size_t elen)
{
    (*(int *)arg)++;
    if (strcmp(name, "web.example") != 0) {
        snprintf(e, elen, "cannot resolve %s", name);
        return -1;
    }
    *out = calloc(1, sizeof **out);
    (*out)[0] = (struct rubric_prefix){.ip_version = 4, .bits = 32, .addr = {10, 1, 2, 3}};
    *n = 1;
    return 0;
}

Test(rubric, host_names_are_resolved_by_the_caller)
{
    struct rubric *r = parse("target-host web.example 10.9.9.9\ncheck t\nlooks-for x\npoints 1\n"
                             "require server-host web.example\npass p\nfail f\n");
    cr_assert_not_null(r, "%s", err);
    int calls = 0;
    cr_assert_eq(rubric_resolve_hosts(r, fake_resolver, &calls, err, sizeof err), 0, "%s", err);
    cr_assert_eq(calls, 2);
    uint8_t a[16] = {10, 1, 2, 3};
    cr_assert(rubric_hosts_match(&r->target_hosts, 4, a));
    cr_assert(rubric_hosts_match(&r->checks[0].reqs[0].hosts, 4, a));
    cr_assert_eq(rubric_resolve_hosts(r, fake_resolver, &calls, err, sizeof err), 0);
    cr_assert_eq(calls, 2, "resolved names are not looked up again");
    rubric_free(r);

    r = parse("target-host nowhere.example\ncheck t\nlooks-for x\npoints 1\nrequire target\npass p\nfail f\n");
    cr_assert_not_null(r, "%s", err);
    cr_assert_eq(rubric_resolve_hosts(r, fake_resolver, &calls, err, sizeof err), -1);
    cr_assert(strstr(err, "nowhere.example") != NULL, "%s", err);
    rubric_free(r);
}

/* ---- grading hand-made sessions ---------------------------------------------------------- */

static struct convo cv;
static void setup(void) { convo_init(&cv, 4); }
static void fini(void) { convo_free(&cv); }
TestSuite(grade, .init = setup, .fini = fini);

/* A report around the convo's table, as capture_analyze would return it (takes the table). */
static struct capture_report *report_of(struct convo *c, const char *name)
{
    convo_finish(c, 0);
    struct capture_report *r = calloc(1, sizeof *r);
    cr_assert_not_null(r);
    r->path = strdup(name);
    r->file_name = strdup(name);
    r->table = c->table;
    r->n_sessions = session_table_count(c->table);
    r->counts.total = r->counts.by_outcome[DECODE_TCP] = c->packet_no;
    r->have_packets = c->packet_no > 0;
    if (r->n_sessions) {
        r->first_ts = capture_session(r, 0)->first_ts;
        r->last_ts = c->ts;
    }
    c->table = NULL;
    return r;
}

/* The classic session: handshake, a request and its answer, a four-way close by the client. */
static void classic(struct convo *c, uint32_t cisn, uint32_t sisn)
{
    convo_handshake(c, cisn, sisn);
    convo_send(c, C2S, P, cisn + 1, sisn + 1, 100);
    convo_send(c, S2C, P, sisn + 1, cisn + 101, 200);
    convo_send(c, C2S, F, cisn + 101, sisn + 201, 0);
    convo_send(c, S2C, A, sisn + 201, cisn + 102, 0);
    convo_send(c, S2C, F, sisn + 201, cisn + 102, 0);
    convo_send(c, C2S, A, cisn + 102, sisn + 202, 0);
}

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
                                      .error = rep ? NULL : "the file is empty, not a capture"};
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

#define HAS(text, part) cr_assert(strstr((text), (part)) != NULL, "\"%s\" lacks \"%s\"", (text), (part))

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
    cr_assert_str_eq(cl->feedback, "Session 1 closes with FINs from both sides (four-way), packets 6, 7, 8, 9.");
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
    /* The custom rubric's other checks: data both 100 holds (100 and 200 bytes), the client
     * closed first, and the session is clean. */
    cr_assert_eq(result(&g, "fetch")->status, GRADE_PASS);
    HAS(result(&g, "fetch")->feedback, "会话 1（10.0.0.1:40000 → 10.0.0.2:80）中双方都发送了数据。");
    cr_assert_eq(result(&g, "server-closes")->status, GRADE_FAIL);
    HAS(result(&g, "server-closes")->feedback, "没有服务器先关闭的连接：Session 1");
    HAS(result(&g, "server-closes")->reason, "the client sent the first FIN (packet 6), but the check asks for the "
                                             "server to close first");
    cr_assert_eq(result(&g, "clean")->status, GRADE_PASS);
    cr_assert_str_eq(result(&g, "clean")->feedback, "Clean: 0.5 of 0.5.");
    cr_assert_eq(g.st->total, 250);
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
            cr_assert_str_eq(g.st->results[i].reason, g.st->error);
        }
    graded_free(&g);

    g = grade_one(CLASSIC, "heidi", NULL, NULL);
    cr_assert_eq(g.st->total, 0);
    cr_assert_str_eq(g.st->error, "x.pcap could not be read: the file is empty, not a capture.");
    cr_assert_not(g.st->captures[0].analysed);
    HAS(result(&g, "handshake")->feedback, "No connection in your capture opens with a complete three-way handshake");
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
    struct grade_capture_info info = {.path = "x", .file_name = "x", .error = "bad"};
    cr_assert_eq(grade_student_add_capture(&sheet->students[idx], &info, err, sizeof err), 0);
    const struct capture_report *reps[1] = {NULL};
    cr_assert_eq(evaluate_words(&sheet->students[idx], r, reps, err, sizeof err), 0);
    cr_assert_str_eq(sheet->students[idx].results[0].feedback,
                     "s=(none) c=(none) h=(none) p=(none) m=1 t=(none) {notakey");
    grade_sheet_free(sheet);
    rubric_free(r);
}

/* ---- integrity --------------------------------------------------------------------------- */

static void add_student(struct grade_sheet *sheet, const char *name, struct capture_report *rep, const char *sha,
                        uint64_t size)
{
    size_t idx;
    cr_assert_eq(grade_sheet_student(sheet, name, &idx), 0);
    struct grade_capture_info info = {.path = rep->path, .file_name = rep->file_name, .size_bytes = size,
                                      .sha256 = sha, .report = rep};
    struct grade_student *st = &sheet->students[idx];
    cr_assert_eq(grade_student_add_capture(st, &info, err, sizeof err), 0);
    const struct capture_report **reps = calloc(st->n_captures, sizeof *reps);
    reps[st->n_captures - 1] = rep;
    /* Earlier captures of this student were freed: grade on this one alone. */
    cr_assert_eq(evaluate_words(st, sheet->rubric, reps, err, sizeof err), 0);
    free(reps);
    capture_report_free(rep);
}

static struct capture_report *classic_report(const char *name, uint16_t sport, uint32_t cisn, uint32_t sisn,
                                             int64_t shift_ns)
{
    struct convo c;
    convo_init(&c, 4);
    c.c2s.sport = sport;
    c.ts += shift_ns;
    classic(&c, cisn, sisn);
    struct capture_report *r = report_of(&c, name);
    convo_free(&c);
    return r;
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

#define SHA_A "aaaa000000000000000000000000000000000000000000000000000000000001"
#define SHA_B "bbbb000000000000000000000000000000000000000000000000000000000002"
#define SHA_C "cccc000000000000000000000000000000000000000000000000000000000003"
#define SHA_D "dddd000000000000000000000000000000000000000000000000000000000004"

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
    HAS(result(&g, "server-closes")->feedback, "会话 1：服务器先关闭（merged-fin，数据包 10, 11, 12）。");
    graded_free(&g);
    g = grade_sample(CUSTOM, "samples/four-way.pcap");
    cr_assert_eq(g.st->total, 50, "%d", g.st->total);
    HAS(result(&g, "fetch")->reason, "the client sent 6 bytes of data and the server 6, but the check asks for at "
                                     "least 100 bytes from each side");
    graded_free(&g);
}

/* ---- the grade sheet's files ---------------------------------------------------------------- */

static char *csv_cell(const char *text, int is_text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    cr_assert_eq(grades_csv_cell(m, text, is_text), 0);
    fclose(m);
    return buf;
}

Test(grade_sheet, csv_cells_are_quoted)
{
    static const struct {
        const char *in;
        int is_text;
        const char *out;
    } cases[] = {
        {"alice", 1, "alice"},
        {"1.5", 0, "1.5"},
        {"a,b", 1, "\"a,b\""},
        {"say \"hi\"", 1, "\"say \"\"hi\"\"\""},
        {"two\nlines", 1, "\"two\nlines\""},
        {"=cmd()", 1, "\"'=cmd()\""},
        {"-1", 0, "-1"},
        {" padded", 1, "\" padded\""},
        {"王小明", 1, "王小明"},
        {"bad\xff", 1, "bad\xef\xbf\xbd"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = csv_cell(cases[i].in, cases[i].is_text);
        cr_expect_str_eq(got, cases[i].out, "case %zu", i);
        free(got);
    }
}

Test(grade_sheet, csv_and_json_list_students_by_name)
{
    struct rubric *r = load(CLASSIC);
    struct grade_sheet *s = grade_sheet_new(r);
    add_student(s, "zoe, the second", classic_report("z.pcap", 40000, 111111, 222222, 0), SHA_A, 900);
    add_student(s, "dave", classic_report("d.pcap", 40000, 111111, 222222, 0), SHA_A, 900);
    size_t idx;
    grade_sheet_student(s, "erin", &idx);
    struct grade_capture_info info = {.path = "h/erin.pcap", .file_name = "erin.pcap", .error = "the file is empty, not a capture"};
    grade_student_add_capture(&s->students[idx], &info, err, sizeof err);
    const struct capture_report *none[1] = {NULL};
    evaluate_words(&s->students[idx], r, none, err, sizeof err);
    grade_sheet_sort(s);
    cr_assert_eq(grade_sheet_integrity(s, err, sizeof err), 0);

    char *csv = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&csv, &len);
    cr_assert_eq(grades_write_csv(m, s, err, sizeof err), 0, "%s", err);
    fclose(m);
    const char *expected =
        "student,total,handshake,handshake-numbers,close,close-numbers,target,notes,integrity\n"
        "dave,9,3,2,2,2,n/a,,\"identical-file: d.pcap is byte-identical to zoe, the second's z.pcap (sha256 aaaa000000000000...)\"\n"
        "erin,0,0,0,0,0,n/a,\"erin.pcap could not be read: the file is empty, not a capture.\",\n"
        "\"zoe, the second\",9,3,2,2,2,n/a,,identical-file: z.pcap is byte-identical to dave's d.pcap (sha256 aaaa000000000000...)\n";
    cr_assert_str_eq(csv, expected);
    free(csv);

    char *json = NULL;
    m = open_memstream(&json, &len);
    cr_assert_eq(grades_write_json(m, s, "9.9.9", err, sizeof err), 0, "%s", err);
    fclose(m);
    cJSON *doc = cJSON_Parse(json);
    cr_assert_not_null(doc, "grades.json parses");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "schema"), "name")->valuestring, "pcap2report-grades");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "tool"), "version")->valuestring, "9.9.9");
    cJSON *rub = cJSON_GetObjectItem(doc, "rubric");
    cr_assert_eq(cJSON_GetObjectItem(rub, "max_points")->valuedouble, 9);
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(rub, "target")));
    cJSON *students = cJSON_GetObjectItem(doc, "students");
    cr_assert_eq(cJSON_GetArraySize(students), 3);
    cJSON *dave = cJSON_GetArrayItem(students, 0);
    cr_assert_str_eq(cJSON_GetObjectItem(dave, "name")->valuestring, "dave");
    cr_assert_eq(cJSON_GetObjectItem(dave, "total")->valuedouble, 9);
    cJSON *check0 = cJSON_GetArrayItem(cJSON_GetObjectItem(dave, "checks"), 0);
    cr_assert_str_eq(cJSON_GetObjectItem(check0, "id")->valuestring, "handshake");
    cr_assert_str_eq(cJSON_GetObjectItem(check0, "status")->valuestring, "pass");
    cr_assert_eq(cJSON_GetObjectItem(check0, "session")->valuedouble, 1);
    cr_assert_str_eq(cJSON_GetObjectItem(check0, "capture")->valuestring, "d.pcap");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(check0, "packets")), 3);
    cJSON *erin = cJSON_GetArrayItem(students, 1);
    cr_assert_str_eq(cJSON_GetObjectItem(erin, "error")->valuestring,
                     "erin.pcap could not be read: the file is empty, not a capture.");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(erin, "captures"), 0), "status")->valuestring,
                     "unreadable");
    cJSON *pairs = cJSON_GetObjectItem(doc, "integrity");
    cr_assert_eq(cJSON_GetArraySize(pairs), 1);
    cJSON *names = cJSON_GetObjectItem(cJSON_GetArrayItem(pairs, 0), "students");
    cr_assert_str_eq(cJSON_GetArrayItem(names, 0)->valuestring, "dave");
    cr_assert_str_eq(cJSON_GetArrayItem(names, 1)->valuestring, "zoe, the second");
    cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "summary"), "students_flagged")->valuedouble, 2);
    cJSON_Delete(doc);
    free(json);
    grade_sheet_free(s);
    rubric_free(r);
}

/* ---- the feedback PDF ------------------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char *buf = NULL;
    *len = 0;
    size_t cap = 0, got;
    do {
        if (*len == cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap);
        }
        got = fread(buf + *len, 1, cap - *len, f);
        *len += got;
    } while (got);
    fclose(f);
    return buf;
}

Test(grade_pdf, feedback_is_written_and_reproducible)
{
    struct rubric *r = load(CLASSIC);
    struct grade_sheet *s = grade_sheet_new(r);
    size_t idx;
    grade_sheet_student(s, "ivan", &idx);
    struct grade_student *st = &s->students[idx];
    convo_init(&cv, 4);
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, C2S, R, 1001, 5001, 0);
    struct capture_report *rep = report_of(&cv, "ivan.pcap");
    convo_free(&cv);
    struct grade_capture_info info = {.path = "ivan.pcap", .file_name = "ivan.pcap", .report = rep};
    cr_assert_eq(grade_student_add_capture(st, &info, err, sizeof err), 0);
    const struct capture_report *reps[1] = {rep};
    cr_assert_eq(evaluate_words(st, r, reps, err, sizeof err), 0);

    char a[] = "/tmp/test_grade_pdf_XXXXXX", b[] = "/tmp/test_grade_pdf_XXXXXX";
    int fa = mkstemp(a), fbd = mkstemp(b);
    cr_assert(fa >= 0 && fbd >= 0);
    close(fa);
    close(fbd);
    struct grades_pdf_options opt = {.templates_dir = "templates", .lang = "en", .tool_version = "test"};
    cr_assert_eq(grade_write_feedback_pdf(a, r, st, reps, &opt, err, sizeof err), 0, "%s", err);
    cr_assert_eq(grade_write_feedback_pdf(b, r, st, reps, &opt, err, sizeof err), 0, "%s", err);
    size_t la, lb;
    char *da = slurp(a, &la), *db = slurp(b, &lb);
    cr_assert_gt(la, 1000);
    cr_assert_eq(memcmp(da, "%PDF-", 5), 0);
    cr_assert(la == lb && memcmp(da, db, la) == 0, "two runs give the same bytes");
    free(da);
    free(db);

    struct grades_pdf_options bad = {.templates_dir = "tests/fixtures/grade", .lang = "xx", .tool_version = "test"};
    cr_assert_eq(grade_write_feedback_pdf(a, r, st, reps, &bad, err, sizeof err), -1);
    cr_assert(err[0], "a missing wording file is an error with a message");
    unlink(a);
    unlink(b);
    capture_report_free(rep);
    grade_sheet_free(s);
    rubric_free(r);
}
