/* feedback.c — a check's feedback sentence (grade_fill_feedback): the rubric's pass or fail
 * sentence, in the language chosen when the rubric has it, with its placeholders ({session},
 * {client}, {packets}, {reason} ...; the list is rubric_placeholders) filled in from the
 * student's result for that check and the caller's words (the classes in words, never their
 * identifiers). */
#include "grade.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

static void format_packets(struct grade_text *b, const uint64_t *v, size_t n, const char *none)
{
    if (n == 0)
        grade_text_add(b, "%s", none);
    for (size_t i = 0; i < n; i++)
        grade_text_add(b, "%s%llu", i ? ", " : "", (unsigned long long)v[i]);
}

char *grade_fill_feedback(const struct grade_student *st, const struct rubric *r, const struct grade_result *res,
                          const char *lang, const struct grade_feedback_words *w)
{
    const struct rubric_check *chk = &r->checks[res->check];
    if (res->status == GRADE_NA)
        return strdup("");
    const char *tmpl = rubric_text(r, chk, res->status == GRADE_PASS ? "pass" : "fail", lang);
    const char *none = w->none ? w->none : "", *reason = w->reason, *target = w->target;
    struct grade_text b = {0};
    for (const char *s = tmpl; *s;) {
        const char *open = strchr(s, '{');
        if (!open) {
            grade_text_add(&b, "%s", s);
            break;
        }
        grade_text_add(&b, "%.*s", (int)(open - s), s);
        size_t n = strspn(open + 1, "abcdefghijklmnopqrstuvwxyz_-");
        if (n == 0 || open[1 + n] != '}') {
            grade_text_add(&b, "{");
            s = open + 1;
            continue;
        }
        char key[24];
        snprintf(key, sizeof key, "%.*s", (int)n, open + 1);
        char pts[24];
        bool sess = res->has_session;
        if (strcmp(key, "session") == 0) {
            if (sess)
                grade_text_add(&b, "%llu", (unsigned long long)res->session_id);
            else
                grade_text_add(&b, "%s", none);
        } else if (strcmp(key, "capture") == 0) {
            grade_text_add(&b, "%s", sess ? st->captures[res->capture].file_name : none);
        } else if (strcmp(key, "client") == 0) {
            grade_text_add(&b, "%s", sess ? res->client : none);
        } else if (strcmp(key, "server") == 0) {
            grade_text_add(&b, "%s", sess ? res->server : none);
        } else if (strcmp(key, "handshake") == 0 || strcmp(key, "teardown") == 0) {
            const char *v = sess ? (key[0] == 'h' ? w->handshake : w->teardown) : NULL;
            grade_text_add(&b, "%s", v ? v : none);
        } else if (strcmp(key, "packets") == 0) {
            format_packets(&b, res->packets, res->n_packets, none);
        } else if (strcmp(key, "reason") == 0) {
            grade_text_add(&b, "%s", reason ? reason : "");
        } else if (strcmp(key, "points") == 0) {
            grade_text_add(&b, "%s", rubric_points_string(res->points, pts));
        } else if (strcmp(key, "max") == 0) {
            grade_text_add(&b, "%s", rubric_points_string(chk->points, pts));
        } else if (strcmp(key, "target") == 0) {
            grade_text_add(&b, "%s", rubric_has_target(r) && target ? target : none);
        } else {
            grade_text_add(&b, "{%s}", key);
        }
        s = open + 2 + n;
    }
    return grade_text_take(&b);
}
