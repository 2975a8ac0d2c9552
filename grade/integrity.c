/* integrity.c — the integrity checks on one student's capture: what no real TCP stack writes
 * (an ISN of 0, answers timed before their questions, a clock before 1990), recorded as
 * flag.* clauses (words: grade_words.c), and the fingerprints of its connections for the copy
 * groups across students (clusters.c). Flags never change the points. */
#define _GNU_SOURCE
#include "integrity.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grow.h"

/* ---- one student's captures ------------------------------------------------------------------ */

static struct grade_flag *add_flag(struct grade_student *st, enum grade_flag_kind kind, size_t capture,
                                   uint64_t session_id)
{
    struct grade_flag *grown = realloc(st->flags, (st->n_flags + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    st->flags = grown;
    struct grade_flag *f = &grown[st->n_flags++];
    *f = (struct grade_flag){.kind = kind, .capture = capture, .session_id = session_id};
    return f;
}

int grade_integrity_flag(struct grade_student *st, enum grade_flag_kind kind, size_t capture, uint64_t session_id,
                         size_t group, struct grade_reason_builder *b)
{
    struct grade_flag *f = add_flag(st, kind, capture, session_id);
    if (!f)
        return -1;
    f->group = group;
    *b = (struct grade_reason_builder){&f->why, 0, false};
    return 0;
}

static void seconds_string(int64_t ns, char *buf, size_t len)
{
    uint64_t v = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    snprintf(buf, len, "%s%llu.%06llu", ns < 0 ? "-" : "", (unsigned long long)(v / 1000000000u),
             (unsigned long long)(v % 1000000000u / 1000u));
}

/* The first answer in the session timed before its question, as a clause code, or NULL: the
 * SYN/ACK before the SYN, the ACK before the SYN/ACK, the ACK of a FIN before that FIN. Sets
 * the later-numbered packet, the earlier one and by how much (ns). */
static const char *timing_problem(const struct session *s, uint64_t *p_late, uint64_t *p_early, int64_t *delta)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    if (s->rtt_syn_synack < 0 && c->syns && v->synacks && v->syn_ts < c->syn_ts) {
        *p_late = v->syn_packet;
        *p_early = c->syn_packet;
        *delta = c->syn_ts - v->syn_ts;
        return "flag.synack-early";
    }
    if (s->rtt_synack_ack < 0 && v->synacks && c->acked_syn && c->ack_of_syn_ts < v->syn_ts) {
        *p_late = c->ack_of_syn_packet;
        *p_early = v->syn_packet;
        *delta = v->syn_ts - c->ack_of_syn_ts;
        return "flag.ack-early";
    }
    if (c->fin_seen && v->acked_fin && v->ack_of_fin_ts < c->fin_ts) {
        *p_late = v->ack_of_fin_packet;
        *p_early = c->fin_packet;
        *delta = c->fin_ts - v->ack_of_fin_ts;
        return "flag.fin-ack-early-client";
    }
    if (v->fin_seen && c->acked_fin && c->ack_of_fin_ts < v->fin_ts) {
        *p_late = c->ack_of_fin_packet;
        *p_early = v->fin_packet;
        *delta = v->fin_ts - c->ack_of_fin_ts;
        return "flag.fin-ack-early-server";
    }
    return NULL;
}

/* Not from a real stack: an ISN of 0, answers timed before their questions, all segments at
 * one instant, a clock before 1990. One flag per kind and capture, naming the first case and
 * counting the others. */
static int real_stack_flags(struct grade_student *st, size_t ci, const struct capture_report *rep)
{
    const char *file = st->captures[ci].file_name;
    unsigned n_isn = 0, n_timing = 0;
    struct grade_flag isn = {.kind = GRADE_FLAG_ISN_ZERO, .capture = ci},
                      timing = {.kind = GRADE_FLAG_IMPOSSIBLE_TIMING, .capture = ci};
    struct grade_reason_builder bi = {&isn.why, 0, false}, bt = {&timing.why, 0, false};
    const int64_t y1990 = 631152000LL * 1000000000LL;
    if (rep->have_packets && rep->first_ts < y1990) {
        time_t t = (time_t)(rep->first_ts / 1000000000LL);
        struct tm tm;
        char when[64] = "?";
        if (gmtime_r(&t, &tm))
            strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
        grade_reason_clause(&bt, GRADE_CLAUSE_PART, "flag.clock");
        grade_reason_text(&bt, "capture", GRADE_ARG_TEXT, file);
        grade_reason_text(&bt, "when", GRADE_ARG_TEXT, when);
        n_timing++;
    }
    struct session_view view = {0};
    for (size_t i = 0; i < rep->n_sessions; i++) {
        const struct session *s = capture_session(rep, i, &view);
        const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
        bool cz = c->isn_known && c->isn == 0, vz = v->isn_known && v->isn == 0;
        if ((cz || vz) && n_isn++ == 0) {
            isn.session_id = s->id;
            grade_reason_clause(&bi, GRADE_CLAUSE_PART,
                                cz && vz ? "flag.isn-zero-both" : cz ? "flag.isn-zero-client" : "flag.isn-zero-server");
            grade_reason_text(&bi, "capture", GRADE_ARG_TEXT, file);
            grade_reason_num(&bi, "session", s->id);
        }
        uint64_t p_late = 0, p_early = 0;
        int64_t delta = 0;
        const char *problem = timing_problem(s, &p_late, &p_early, &delta);
        if (problem && n_timing++ == 0) {
            char d[40];
            timing.session_id = s->id;
            seconds_string(delta, d, sizeof d);
            grade_reason_clause(&bt, GRADE_CLAUSE_PART, problem);
            grade_reason_text(&bt, "capture", GRADE_ARG_TEXT, file);
            grade_reason_num(&bt, "session", s->id);
            grade_reason_num(&bt, "late", p_late);
            grade_reason_num(&bt, "early", p_early);
            grade_reason_text(&bt, "seconds", GRADE_ARG_TEXT, d);
        } else if (!problem && c->packets + v->packets >= 3 && s->first_ts == s->last_ts && n_timing++ == 0) {
            timing.session_id = s->id;
            grade_reason_clause(&bt, GRADE_CLAUSE_PART, "flag.same-time");
            grade_reason_text(&bt, "capture", GRADE_ARG_TEXT, file);
            grade_reason_num(&bt, "session", s->id);
            grade_reason_num(&bt, "segments", c->packets + v->packets);
        }
    }
    session_view_release(&view);
    if (n_isn > 1) {
        grade_reason_clause(&bi, GRADE_CLAUSE_MORE, "flag.more-sessions");
        grade_reason_num(&bi, "more", n_isn - 1);
    }
    if (n_timing > 1) {
        grade_reason_clause(&bt, GRADE_CLAUSE_MORE, "flag.more-findings");
        grade_reason_num(&bt, "more", n_timing - 1);
    }
    int rc = bi.oom || bt.oom ? -1 : 0;
    struct grade_flag *f;
    if (rc == 0 && n_isn) {
        if ((f = add_flag(st, GRADE_FLAG_ISN_ZERO, ci, isn.session_id)))
            f->why = isn.why, isn.why = (struct grade_reason){0};
        else
            rc = -1;
    }
    if (rc == 0 && n_timing) {
        if ((f = add_flag(st, GRADE_FLAG_IMPOSSIBLE_TIMING, ci, timing.session_id)))
            f->why = timing.why, timing.why = (struct grade_reason){0};
        else
            rc = -1;
    }
    grade_reason_clear(&isn.why);
    grade_reason_clear(&timing.why);
    return rc;
}

static int add_fingerprints(struct grade_student *st, size_t ci, const struct capture_report *rep)
{
    if (!rep->n_sessions)
        return 0;
    struct grade_fingerprint *grown = realloc(st->prints, (st->n_prints + rep->n_sessions) * sizeof *grown);
    if (!grown)
        return -1;
    st->prints = grown;
    struct session_view view = {0};
    for (size_t i = 0; i < rep->n_sessions; i++) {
        const struct session *s = capture_session(rep, i, &view);
        const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
        struct grade_fingerprint fp = {.capture = ci, .session_id = s->id, .cport = c->port, .sport = v->port,
                                       .first_ts = s->first_ts};
        if (c->isn_known || v->isn_known) {
            fp.isns = true;
            fp.c_known = c->isn_known;
            fp.c_anchor = c->isn;
            fp.s_known = v->isn_known;
            fp.s_anchor = v->isn;
            /* A zero ISN carries no information (and is flagged on its own). */
            if (!((fp.c_known && fp.c_anchor) || (fp.s_known && fp.s_anchor)))
                continue;
        } else {
            const struct timeline_event *ec = NULL, *ev = NULL;
            for (uint32_t k = 0; k < s->n_events && (!ec || !ev); k++) {
                const struct timeline_event *e = &s->events[k];
                if (e->dir == DIR_C2S && !ec)
                    ec = e;
                if (e->dir == DIR_S2C && !ev)
                    ev = e;
            }
            if (!ec || !ev || (!ec->seq && !ev->seq))
                continue;
            fp.c_known = fp.s_known = true;
            fp.c_anchor = ec->seq;
            fp.s_anchor = ev->seq;
        }
        st->prints[st->n_prints++] = fp;
    }
    session_view_release(&view);
    return 0;
}

int grade_integrity_capture(struct grade_student *st, size_t ci, const struct capture_report *rep)
{
    return add_fingerprints(st, ci, rep) != 0 || real_stack_flags(st, ci, rep) != 0 ? -1 : 0;
}

