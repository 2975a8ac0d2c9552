/* evaluate.c — grading one student (grade_student_evaluate): for each check of the rubric,
 * every session of the student's captures is scored by how many of the check's requirements it
 * meets; when the rubric or the command line names a target server, a check that names no
 * server of its own also requires the session to go there (rubric_check_on_target). The best
 * session is picked: all requirements met, else the most; then one to the target; then the
 * session that passes the most points of the whole rubric (so that the handshake and the close
 * come from the session that shows both, when one does); then one an earlier check picked.
 * Checks of a "same-session" group are judged together on the one session that earns the
 * group the most. The result records that session, the points, the packets looked at and the
 * reason as data. A student with nothing to grade gets the reason why (no capture, none
 * readable, no TCP). */
#include "grade.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "requirements.h"

/* A session considered for a check. */
struct candidate {
    bool any;
    size_t capture, index;
    unsigned score;
    bool on_target;
    int rubric_points; /* points of the whole rubric the session passes alone */
    size_t earlier;    /* the first earlier check that picked this session, or SIZE_MAX */
};

static bool better(const struct candidate *a, const struct candidate *b)
{
    if (!b->any)
        return true;
    if (a->score != b->score)
        return a->score > b->score;
    if (a->on_target != b->on_target)
        return a->on_target;
    if (a->rubric_points != b->rubric_points)
        return a->rubric_points > b->rubric_points;
    return a->earlier < b->earlier;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* How many of check ci's requirements session s meets, counting the implicit target. */
static unsigned check_score(const struct rubric *r, size_t ci, const struct session *s)
{
    const struct rubric_check *chk = &r->checks[ci];
    unsigned score = 0;
    for (size_t q = 0; q < chk->n_reqs; q++)
        score += grade_req_eval(&chk->reqs[q], r, s, NULL, NULL) == GRADE_REQ_PASS;
    if (rubric_check_on_target(r, chk))
        score += grade_req_on_target(s, r);
    return score;
}

/* How many requirements check ci has that can hold (a target requirement without a target
 * does not count; the implicit target does). */
static unsigned check_applicable(const struct rubric *r, size_t ci)
{
    const struct rubric_check *chk = &r->checks[ci];
    unsigned n = rubric_check_on_target(r, chk);
    for (size_t q = 0; q < chk->n_reqs; q++)
        n += chk->reqs[q].type != REQ_TARGET || rubric_has_target(r);
    return n;
}

/* The points of the whole rubric that session s passes on its own. */
static int rubric_points(const struct rubric *r, const struct session *s)
{
    int pts = 0;
    for (size_t ci = 0; ci < r->n_checks; ci++)
        if (rubric_check_applies(r, &r->checks[ci]) && check_score(r, ci, s) == check_applicable(r, ci))
            pts += r->checks[ci].points;
    return pts;
}

/* For a same-session group: the points the group's checks earn on session s, then (to tell
 * failures apart) how many of their requirements s meets, as one number to compare. */
static int64_t group_key(const struct rubric *r, size_t group, const struct session *s)
{
    int64_t points = 0, met = 0;
    for (size_t k = 0; k < r->n_checks; k++) {
        if (r->checks[k].same_session != group || !rubric_check_applies(r, &r->checks[k]))
            continue;
        unsigned sc = check_score(r, k, s);
        met += sc;
        points += sc == check_applicable(r, k) ? r->checks[k].points : 0;
    }
    return points * 4096 + met;
}

/* The session of the student's captures that best satisfies check ci, or for a check of a
 * same-session group the session that earns the whole group the most; any is false when the
 * student has no session at all. */
static struct candidate pick_session(const struct grade_student *st, const struct rubric *r, size_t ci,
                                     const struct capture_report *const *reports, const int *points)
{
    size_t flat = 0;
    const struct rubric_check *chk = &r->checks[ci];
    struct candidate best = {0};
    int64_t best_key = 0;
    struct session_view v = {0};
    for (size_t c = 0; c < st->n_captures; c++) {
        const struct capture_report *rep = reports[c];
        for (size_t i = 0; rep && i < rep->n_sessions; i++) {
            const struct session *s = capture_session(rep, i, &v);
            struct candidate cand = {true, c, i, check_score(r, ci, s), false, points[flat++], SIZE_MAX};
            if (rubric_has_target(r))
                cand.on_target = grade_req_on_target(s, r);
            for (size_t k = 0; k < ci; k++)
                if (st->results[k].has_session && st->results[k].capture == c && st->results[k].session_index == i) {
                    cand.earlier = k;
                    break;
                }
            int64_t key = chk->same_session ? group_key(r, chk->same_session, s) : 0;
            if (best.any && key != best_key) {
                if (key > best_key)
                    best = cand, best_key = key;
                continue;
            }
            if (better(&cand, &best))
                best = cand, best_key = key;
        }
    }
    session_view_release(&v);
    return best;
}

/* The lead clause: the session picked, and for a failure among several sessions that it is only
 * the closest one. */
static void lead_clause(struct grade_reason_builder *why, const struct grade_student *st,
                        const struct grade_result *res, const struct session *s, size_t n_sessions)
{
    bool closest = res->status == GRADE_FAIL && n_sessions > 1, in = st->n_captures > 1;
    static const char *const leads[2][2] = {{"lead.session", "lead.session-in"},
                                            {"lead.closest", "lead.closest-in"}};
    grade_reason_clause(why, GRADE_CLAUSE_LEAD, leads[closest][in]);
    grade_reason_num(why, "session", s->id);
    grade_reason_text(why, "client", GRADE_ARG_TEXT, res->client);
    grade_reason_text(why, "server", GRADE_ARG_TEXT, res->server);
    grade_reason_text(why, "handshake", GRADE_ARG_TEXT, handshake_class_name(s->handshake));
    grade_reason_text(why, "teardown", GRADE_ARG_TEXT, teardown_class_name(s->teardown));
    if (in)
        grade_reason_text(why, "capture", GRADE_ARG_TEXT, st->captures[res->capture].file_name);
    if (closest)
        grade_reason_num(why, "sessions", n_sessions);
}

/* The clauses and packets of the requirements that explain the outcome: every one that applies
 * for a pass, the failed ones for a failure. The packets are sorted. */
static void requirement_clauses(struct grade_reason_builder *why, struct grade_result *res, const struct rubric *r,
                                const struct rubric_check *chk, const struct session *s)
{
    struct grade_packets pk = {{0}, 0};
    struct rubric_req target = {.type = REQ_TARGET, .text = "target"};
    size_t n = chk->n_reqs + rubric_check_on_target(r, chk);
    for (size_t q = 0; q < n; q++) {
        const struct rubric_req *req = q < chk->n_reqs ? &chk->reqs[q] : &target;
        struct grade_reason part = {0};
        struct grade_reason_builder pb = {&part, 0, false};
        struct grade_packets qp = {{0}, 0};
        enum grade_req_outcome o = grade_req_eval(req, r, s, &pb, &qp);
        if (o == GRADE_REQ_NA || (res->status == GRADE_FAIL && o == GRADE_REQ_PASS) || pb.oom) {
            why->oom |= pb.oom;
            grade_reason_clear(&part);
            continue;
        }
        for (size_t k = 0; k < qp.n; k++)
            grade_packets_add(&pk, qp.v[k]);
        grade_reason_append(why, &part);
    }
    qsort(pk.v, pk.n, sizeof pk.v[0], cmp_u64);
    memcpy(res->packets, pk.v, sizeof pk.v);
    res->n_packets = pk.n;
}

static int evaluate_check(struct grade_student *st, const struct rubric *r, size_t ci,
                          const struct capture_report *const *reports, size_t n_sessions, const int *points)
{
    const struct rubric_check *chk = &r->checks[ci];
    struct grade_result *res = &st->results[ci];
    memset(res, 0, sizeof *res);
    res->check = ci;
    struct grade_reason_builder why = {&res->why, 0, false};
    if (!rubric_check_applies(r, chk)) {
        res->status = GRADE_NA;
        grade_reason_clause(&why, GRADE_CLAUSE_SENTENCE, "not-applicable");
        return why.oom ? -1 : 0;
    }
    res->max = chk->points;
    unsigned applicable = check_applicable(r, ci);

    struct candidate best = pick_session(st, r, ci, reports, points);
    if (!best.any) {
        res->status = GRADE_FAIL;
        grade_reason_clause(&why, GRADE_CLAUSE_SENTENCE, st->error_why.n ? "student-error" : "no-session");
    } else {
        struct session_view v = {0};
        const struct session *s = capture_session(reports[best.capture], best.index, &v);
        res->has_session = true;
        res->capture = best.capture;
        res->session_index = best.index;
        res->session_id = s->id;
        session_endpoint_string(s, ROLE_CLIENT, res->client);
        session_endpoint_string(s, ROLE_SERVER, res->server);
        res->status = best.score == applicable ? GRADE_PASS : GRADE_FAIL;
        lead_clause(&why, st, res, s, n_sessions);
        requirement_clauses(&why, res, r, chk, s);
        session_view_release(&v);
    }
    res->points = res->status == GRADE_PASS ? chk->points : 0;
    return why.oom ? -1 : 0;
}

/* Why the student gets nothing, when that is the case, as SENTENCE clauses in error_why; and
 * the number of sessions in the student's captures. Returns 0, or -1 when out of memory. */
static int student_error(struct grade_student *st, const struct capture_report *const *reports, size_t *sessions)
{
    size_t analysed = 0;
    uint64_t packets = 0;
    *sessions = 0;
    for (size_t c = 0; c < st->n_captures; c++) {
        if (reports[c]) {
            analysed++;
            *sessions += reports[c]->n_sessions;
            packets += reports[c]->counts.total;
        }
    }
    struct grade_reason_builder e = {&st->error_why, 0, false};
    if (st->n_captures == 0) {
        grade_reason_clause(&e, GRADE_CLAUSE_SENTENCE, "error.nothing");
    } else if (analysed == 0) {
        /* What each file is and what to hand in instead, once, as recorded when it was added. */
        for (size_t c = 0; c < st->n_captures; c++) {
            const struct grade_reason *w = &st->captures[c].why;
            for (size_t k = 0; k < w->n; k++) {
                grade_reason_clause(&e, GRADE_CLAUSE_SENTENCE, w->clauses[k].code);
                for (size_t a = 0; a < w->clauses[k].n_args; a++)
                    grade_reason_text(&e, w->clauses[k].args[a].name, w->clauses[k].args[a].kind,
                                      w->clauses[k].args[a].value);
            }
        }
    } else if (*sessions == 0) {
        grade_reason_clause(&e, GRADE_CLAUSE_SENTENCE, packets == 0 ? "error.no-packets" : "error.no-tcp");
        if (packets)
            grade_reason_num(&e, "packets", packets);
    }
    return e.oom ? -1 : 0;
}

int grade_student_evaluate(struct grade_student *st, const struct rubric *r,
                           const struct capture_report *const *reports, char *err, size_t errlen)
{
    for (size_t i = 0; i < st->n_results; i++)
        grade_result_clear(&st->results[i]);
    free(st->results);
    grade_reason_clear(&st->error_why);
    free(st->error);
    st->error = NULL;
    st->n_results = 0;
    st->total = st->max = 0;
    st->results = calloc(r->n_checks ? r->n_checks : 1, sizeof *st->results);
    if (!st->results)
        goto oom;
    size_t sessions;
    if (student_error(st, reports, &sessions) != 0)
        goto oom;

    /* Each session's points over the whole rubric, once: the tie-break of every check. */
    int *points = calloc(sessions ? sessions : 1, sizeof *points);
    if (!points)
        goto oom;
    size_t flat = 0;
    struct session_view v = {0};
    for (size_t c = 0; c < st->n_captures; c++)
        for (size_t i = 0; reports[c] && i < reports[c]->n_sessions; i++)
            points[flat++] = rubric_points(r, capture_session(reports[c], i, &v));
    session_view_release(&v);
    st->n_results = r->n_checks;
    for (size_t ci = 0; ci < r->n_checks; ci++) {
        if (evaluate_check(st, r, ci, reports, sessions, points) != 0) {
            free(points);
            goto oom;
        }
        st->total += st->results[ci].points;
        st->max += st->results[ci].max;
    }
    free(points);
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}
