/* integrity.c — the integrity checks: captures that no real TCP stack wrote (an ISN of 0,
 * answers timed before their questions, a clock before 1990), and copying between students
 * (byte-identical files, the same connection in two students' captures). Flags never change
 * the points; they name both students where there are two, for the teacher to look at. */
#define _GNU_SOURCE
#include "integrity.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text.h"

/* ---- one student's captures ------------------------------------------------------------------ */

static int add_flag(struct grade_student *st, enum grade_flag_kind kind, const char *other,
                    size_t capture, uint64_t session_id, char *message)
{
    if (!message)
        return -1;
    struct grade_flag *grown = realloc(st->flags, (st->n_flags + 1) * sizeof *grown);
    if (!grown) {
        free(message);
        return -1;
    }
    st->flags = grown;
    struct grade_flag *f = &grown[st->n_flags];
    f->kind = kind;
    f->capture = capture;
    f->session_id = session_id;
    f->message = message;
    f->other = NULL;
    if (other && !(f->other = strdup(other))) {
        free(message);
        return -1;
    }
    st->n_flags++;
    return 0;
}

static void seconds_string(int64_t ns, char *buf, size_t len)
{
    uint64_t v = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    snprintf(buf, len, "%s%llu.%06llu s", ns < 0 ? "-" : "", (unsigned long long)(v / 1000000000u),
             (unsigned long long)(v % 1000000000u / 1000u));
}

/* The first answer in the session timed before its question, or NULL: the SYN/ACK before the
 * SYN, the ACK before the SYN/ACK, the ACK of a FIN before that FIN. Sets the later-numbered
 * packet, the earlier one and by how much (ns). */
static const char *timing_problem(const struct session *s, uint64_t *p_late, uint64_t *p_early, int64_t *delta)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    if (s->rtt_syn_synack < 0 && c->syns && v->synacks && v->syn_ts < c->syn_ts) {
        *p_late = v->syn_packet;
        *p_early = c->syn_packet;
        *delta = c->syn_ts - v->syn_ts;
        return "the SYN/ACK is timestamped before the SYN it answers";
    }
    if (s->rtt_synack_ack < 0 && v->synacks && c->acked_syn && c->ack_of_syn_ts < v->syn_ts) {
        *p_late = c->ack_of_syn_packet;
        *p_early = v->syn_packet;
        *delta = v->syn_ts - c->ack_of_syn_ts;
        return "the ACK is timestamped before the SYN/ACK it acknowledges";
    }
    if (c->fin_seen && v->acked_fin && v->ack_of_fin_ts < c->fin_ts) {
        *p_late = v->ack_of_fin_packet;
        *p_early = c->fin_packet;
        *delta = c->fin_ts - v->ack_of_fin_ts;
        return "the ACK of the client's FIN is timestamped before that FIN";
    }
    if (v->fin_seen && c->acked_fin && c->ack_of_fin_ts < v->fin_ts) {
        *p_late = c->ack_of_fin_packet;
        *p_early = v->fin_packet;
        *delta = v->fin_ts - c->ack_of_fin_ts;
        return "the ACK of the server's FIN is timestamped before that FIN";
    }
    return NULL;
}

/* Not from a real stack: an ISN of 0, answers timed before their questions, all segments at
 * one instant, a clock before 1990. One flag per kind and capture, naming the first case. */
static int real_stack_flags(struct grade_student *st, size_t ci, const struct capture_report *rep)
{
    const char *file = st->captures[ci].file_name;
    struct grade_text isn = {0}, timing = {0};
    unsigned n_isn = 0, n_timing = 0;
    uint64_t isn_session = 0, timing_session = 0;
    const int64_t y1990 = 631152000LL * 1000000000LL;
    if (rep->have_packets && rep->first_ts < y1990) {
        time_t t = (time_t)(rep->first_ts / 1000000000LL);
        struct tm tm;
        char when[64] = "?";
        if (gmtime_r(&t, &tm))
            strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
        grade_text_add(&timing, "%s: the capture's clock says %s, before 1990: written by hand or edited", file, when);
        n_timing++;
    }
    for (size_t i = 0; i < rep->n_sessions; i++) {
        const struct session *s = capture_session(rep, i);
        const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
        bool cz = c->isn_known && c->isn == 0, vz = v->isn_known && v->isn == 0;
        if (cz || vz) {
            if (n_isn++ == 0) {
                isn_session = s->id;
                grade_text_add(&isn, "%s session %llu: %s; a real TCP stack picks a random ISN", file,
                               (unsigned long long)s->id,
                               cz && vz ? "the ISN is 0 on both sides" : cz ? "the client's ISN is 0" : "the server's ISN is 0");
            }
        }
        char d[40];
        uint64_t p_late = 0, p_early = 0;
        int64_t delta = 0;
        const char *problem = timing_problem(s, &p_late, &p_early, &delta);
        if (problem) {
            if (n_timing++ == 0) {
                timing_session = s->id;
                seconds_string(delta, d, sizeof d);
                grade_text_add(&timing, "%s session %llu: %s (packet %llu is %s earlier than packet %llu)", file,
                               (unsigned long long)s->id, problem, (unsigned long long)p_late, d,
                               (unsigned long long)p_early);
            }
        } else if (c->packets + v->packets >= 3 && s->first_ts == s->last_ts) {
            if (n_timing++ == 0) {
                timing_session = s->id;
                grade_text_add(&timing, "%s session %llu: all %llu segments carry the same timestamp", file,
                               (unsigned long long)s->id, (unsigned long long)(c->packets + v->packets));
            }
        }
    }
    int rc = 0;
    if (n_isn > 1)
        grade_text_add(&isn, " (and %u more session%s)", n_isn - 1, n_isn == 2 ? "" : "s");
    if (n_timing > 1)
        grade_text_add(&timing, " (and %u more finding%s)", n_timing - 1, n_timing == 2 ? "" : "s");
    if (n_isn)
        rc |= add_flag(st, GRADE_FLAG_ISN_ZERO, NULL, ci, isn_session, grade_text_take(&isn));
    else
        free(isn.buf);
    if (n_timing)
        rc |= add_flag(st, GRADE_FLAG_IMPOSSIBLE_TIMING, NULL, ci, timing_session, grade_text_take(&timing));
    else
        free(timing.buf);
    return rc ? -1 : 0;
}

static int add_fingerprints(struct grade_student *st, size_t ci, const struct capture_report *rep)
{
    if (!rep->n_sessions)
        return 0;
    struct grade_fingerprint *grown = realloc(st->prints, (st->n_prints + rep->n_sessions) * sizeof *grown);
    if (!grown)
        return -1;
    st->prints = grown;
    for (size_t i = 0; i < rep->n_sessions; i++) {
        const struct session *s = capture_session(rep, i);
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
    return 0;
}

int grade_integrity_capture(struct grade_student *st, size_t ci, const struct capture_report *rep)
{
    return add_fingerprints(st, ci, rep) != 0 || real_stack_flags(st, ci, rep) != 0 ? -1 : 0;
}

/* ---- across students ------------------------------------------------------------------------- */

struct print_ref {
    const struct grade_fingerprint *fp;
    size_t student;
};

static int cmp_prints(const void *x, const void *y)
{
    const struct grade_fingerprint *a = ((const struct print_ref *)x)->fp, *b = ((const struct print_ref *)y)->fp;
#define CMP(f) if (a->f != b->f) return a->f < b->f ? -1 : 1
    CMP(isns);
    CMP(c_known);
    CMP(s_known);
    CMP(c_anchor);
    CMP(s_anchor);
    CMP(cport);
    CMP(sport);
#undef CMP
    size_t sa = ((const struct print_ref *)x)->student, sb2 = ((const struct print_ref *)y)->student;
    if (sa != sb2)
        return sa < sb2 ? -1 : 1;
    if (a->capture != b->capture)
        return a->capture < b->capture ? -1 : 1;
    return a->session_id < b->session_id ? -1 : a->session_id > b->session_id;
}

static bool same_connection(const struct grade_fingerprint *a, const struct grade_fingerprint *b)
{
    return a->isns == b->isns && a->c_known == b->c_known && a->s_known == b->s_known &&
           a->c_anchor == b->c_anchor && a->s_anchor == b->s_anchor && a->cport == b->cport && a->sport == b->sport;
}

struct found_pair {
    enum grade_flag_kind kind;
    size_t a, b;            /* students, a < b */
    size_t ca, cb;          /* their captures */
    uint64_t sa, sb;        /* their sessions (same-connection) */
    const struct grade_fingerprint *fa, *fb;
    unsigned count;
};

static struct found_pair *find_pair(struct found_pair *v, size_t n, enum grade_flag_kind k, size_t a, size_t b)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].kind == k && v[i].a == a && v[i].b == b)
            return &v[i];
    return NULL;
}

static int push_pair(struct found_pair **v, size_t *n, struct found_pair p)
{
    struct found_pair *hit = find_pair(*v, *n, p.kind, p.a, p.b);
    if (hit) {
        hit->count++;
        return 0;
    }
    struct found_pair *grown = realloc(*v, (*n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    *v = grown;
    p.count = 1;
    grown[(*n)++] = p;
    return 0;
}

static int cmp_flags(const void *x, const void *y)
{
    const struct grade_flag *a = x, *b = y;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (!a->other != !b->other)
        return a->other ? 1 : -1;
    if (a->other && b->other) {
        int c = strcmp(a->other, b->other);
        if (c)
            return c;
    }
    if (a->capture != b->capture)
        return a->capture < b->capture ? -1 : 1;
    return a->session_id < b->session_id ? -1 : a->session_id > b->session_id;
}

static int cmp_pairs(const void *x, const void *y)
{
    const struct grade_pair *a = x, *b = y;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static char *pair_message(const struct grade_sheet *s, const struct found_pair *p, bool for_sheet, bool from_a)
{
    const struct grade_student *A = &s->students[p->a], *B = &s->students[p->b];
    const struct grade_student *me = from_a ? A : B, *other = from_a ? B : A;
    size_t mc = from_a ? p->ca : p->cb, oc = from_a ? p->cb : p->ca;
    struct grade_text b = {0};
    if (p->kind == GRADE_FLAG_IDENTICAL_FILE) {
        if (for_sheet)
            grade_text_add(&b, "%s and %s handed in byte-identical files: %s's %s and %s's %s (sha256 %.16s...)",
                   A->name, B->name, A->name, A->captures[p->ca].file_name, B->name, B->captures[p->cb].file_name,
                   A->captures[p->ca].sha256);
        else
            grade_text_add(&b, "%s is byte-identical to %s's %s (sha256 %.16s...)", me->captures[mc].file_name,
                   other->name, other->captures[oc].file_name, me->captures[mc].sha256);
    } else {
        const struct grade_fingerprint *fm = from_a ? p->fa : p->fb, *fo = from_a ? p->fb : p->fa;
        char ids[96], dt[64];
        if (fm->isns)
            snprintf(ids, sizeof ids, "ISNs %s%" PRIu32 " and %s%" PRIu32, fm->c_known ? "" : "?", fm->c_anchor,
                     fm->s_known ? "" : "?", fm->s_anchor);
        else
            snprintf(ids, sizeof ids, "first sequence numbers %" PRIu32 " and %" PRIu32, fm->c_anchor, fm->s_anchor);
        int64_t delta = fm->first_ts - fo->first_ts;
        if (delta == 0) {
            snprintf(dt, sizeof dt, "identical timestamps");
        } else {
            char secs[32];
            seconds_string(delta < 0 ? -delta : delta, secs, sizeof secs);
            snprintf(dt, sizeof dt, "timestamps %s apart", secs);
        }
        const char *more = p->count > 1 ? " and more" : "";
        if (for_sheet)
            grade_text_add(&b, "%s and %s captured the same connection: %s's %s session %llu and %s's %s session %llu "
                   "(ports %u → %u, %s; %s)%s", A->name, B->name, A->name, A->captures[p->ca].file_name,
                   (unsigned long long)p->sa, B->name, B->captures[p->cb].file_name, (unsigned long long)p->sb,
                   fm->cport, fm->sport, ids, dt, p->count > 1 ? "; more connections in common" : "");
        else
            grade_text_add(&b, "%s session %llu is the same connection as %s's %s session %llu (ports %u → %u, %s; %s)%s",
                   me->captures[mc].file_name, (unsigned long long)fm->session_id, other->name,
                   other->captures[oc].file_name, (unsigned long long)fo->session_id, fm->cport, fm->sport, ids,
                   dt, more);
    }
    return grade_text_take(&b);
}

/* Byte-identical files in two students' hand-ins (empty files are not compared: they carry
 * nothing to copy). Returns 0, or -1 when out of memory. */
static int identical_files(const struct grade_sheet *s, struct found_pair **pairs, size_t *n_pairs)
{
    for (size_t a = 0; a < s->n_students; a++)
        for (size_t ca = 0; ca < s->students[a].n_captures; ca++) {
            const struct grade_capture *x = &s->students[a].captures[ca];
            if (!x->hashed || x->size_bytes == 0)
                continue;
            for (size_t b = a + 1; b < s->n_students; b++)
                for (size_t cb = 0; cb < s->students[b].n_captures; cb++) {
                    const struct grade_capture *y = &s->students[b].captures[cb];
                    if (y->hashed && y->size_bytes == x->size_bytes && strcmp(x->sha256, y->sha256) == 0 &&
                        push_pair(pairs, n_pairs, (struct found_pair){GRADE_FLAG_IDENTICAL_FILE, a, b, ca, cb,
                                                                      0, 0, NULL, NULL, 0}) != 0)
                        return -1;
                }
        }
    return 0;
}

/* The same connection in two students' captures (not already flagged as identical files): sort
 * every fingerprint, scan equal runs. Returns 0, or -1 when out of memory. */
static int shared_connections(const struct grade_sheet *s, struct found_pair **pairs, size_t *n_pairs)
{
    size_t n_refs = 0;
    for (size_t a = 0; a < s->n_students; a++)
        n_refs += s->students[a].n_prints;
    if (!n_refs)
        return 0;
    struct print_ref *refs = malloc(n_refs * sizeof *refs);
    if (!refs)
        return -1;
    size_t k = 0;
    for (size_t a = 0; a < s->n_students; a++)
        for (size_t i = 0; i < s->students[a].n_prints; i++)
            refs[k++] = (struct print_ref){&s->students[a].prints[i], a};
    qsort(refs, n_refs, sizeof *refs, cmp_prints);
    int rc = 0;
    for (size_t i = 0; i < n_refs && rc == 0;) {
        size_t j = i + 1;
        while (j < n_refs && same_connection(refs[i].fp, refs[j].fp))
            j++;
        for (size_t x = i; x < j && rc == 0; x++)
            for (size_t y = x + 1; y < j; y++) {
                size_t a = refs[x].student, b = refs[y].student;
                if (a == b || find_pair(*pairs, *n_pairs, GRADE_FLAG_IDENTICAL_FILE, a, b))
                    continue;
                if (push_pair(pairs, n_pairs, (struct found_pair){GRADE_FLAG_SAME_CONNECTION, a, b,
                        refs[x].fp->capture, refs[y].fp->capture, refs[x].fp->session_id,
                        refs[y].fp->session_id, refs[x].fp, refs[y].fp, 0}) != 0) {
                    rc = -1;
                    break;
                }
            }
        i = j;
    }
    free(refs);
    return rc;
}

/* Records each pair on both students and on the sheet, then sorts both lists. Returns 0, or -1
 * when out of memory. */
static int record_pairs(struct grade_sheet *s, const struct found_pair *pairs, size_t n_pairs)
{
    for (size_t i = 0; i < n_pairs; i++) {
        const struct found_pair *p = &pairs[i];
        char *ma = pair_message(s, p, false, true), *mb = pair_message(s, p, false, false),
             *ms = pair_message(s, p, true, true);
        struct grade_pair *grown = realloc(s->pairs, (s->n_pairs + 1) * sizeof *grown);
        if (!grown || !ms) {
            free(ma);
            free(mb);
            free(ms);
            if (grown)
                s->pairs = grown;
            return -1;
        }
        s->pairs = grown;
        grown[s->n_pairs++] = (struct grade_pair){p->kind, p->a, p->b, ms};
        int r1 = add_flag(&s->students[p->a], p->kind, s->students[p->b].name, p->ca, p->sa, ma);
        int r2 = add_flag(&s->students[p->b], p->kind, s->students[p->a].name, p->cb, p->sb, mb);
        if (r1 || r2)
            return -1;
    }
    if (s->n_pairs > 1)
        qsort(s->pairs, s->n_pairs, sizeof *s->pairs, cmp_pairs);
    for (size_t a = 0; a < s->n_students; a++)
        if (s->students[a].n_flags > 1)
            qsort(s->students[a].flags, s->students[a].n_flags, sizeof *s->students[a].flags, cmp_flags);
    return 0;
}

int grade_sheet_integrity(struct grade_sheet *s, char *err, size_t errlen)
{
    struct found_pair *pairs = NULL;
    size_t n_pairs = 0;
    int rc = identical_files(s, &pairs, &n_pairs);
    if (rc == 0)
        rc = shared_connections(s, &pairs, &n_pairs);
    if (rc == 0)
        rc = record_pairs(s, pairs, n_pairs);
    if (rc)
        snprintf(err, errlen, "out of memory");
    free(pairs);
    return rc;
}
