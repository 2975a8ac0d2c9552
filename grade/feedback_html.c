/* feedback_html.c — a student's feedback as HTML (feedback_html.h): the blocks of the feedback
 * PDF's first pages (grades_pdf.c: the title, the rubric, the total, the captures, one block
 * per check) in the same words (grade.pdf.* and the rubric's sentences), then the diagram of
 * each session a check picked with its explanation (render/html_fragment.h). Inline styles
 * only: the body is pasted into a platform's comment field, whose sanitizer keeps those and
 * drops style sheets and scripts. */
#include "feedback_html.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "drawing.h"
#include "html_fragment.h"
#include "pdf_words.h"

struct fh {
    FILE *out;
    struct drawing dw;
    struct pdf_words *wd;
    const struct rubric *r;
    const struct grade_student *st;
    const struct capture_report *const *reports;
    const char *lang;
    struct session_view view;
};

/* <tag style="...color:C">text</tag> */
static void para(struct fh *h, const char *tag, const char *style, struct pdf_rgb ink, const char *text)
{
    if (!text || !*text)
        return;
    fprintf(h->out, "<%s style=\"%scolor:", tag, style);
    html_fragment_color(h->out, ink);
    fputs("\">", h->out);
    html_fragment_text(h->out, text);
    fprintf(h->out, "</%s>\n", tag);
}

/* The anchor of the diagram of session id of capture c: "c1-s3". */
static void anchor(char *buf, size_t len, size_t capture, uint64_t id)
{
    snprintf(buf, len, "c%zu-s%llu", capture + 1, (unsigned long long)id);
}

static void check_block(struct fh *h, const struct grade_result *res)
{
    const struct rubric_check *chk = &h->r->checks[res->check];
    bool pass = res->status == GRADE_PASS;
    char got[24], max[24];
    struct pdf_rgb ink = pass ? PDF_PASS : PDF_ALERT;
    fputs("<div style=\"margin:0.8em 0;padding:0.1em 0 0.1em 0.8em;border-left:4px solid ", h->out);
    html_fragment_color(h->out, ink);
    fputs("\">\n<p style=\"margin:0.2em 0\"><strong style=\"color:", h->out);
    html_fragment_color(h->out, ink);
    fputs("\">", h->out);
    html_fragment_text(h->out, T0(h->wd, pass ? "grade.pdf.pass" : "grade.pdf.lost"));
    fprintf(h->out, " %s / %s</strong> &nbsp;<strong>", rubric_points_string(res->points, got),
            rubric_points_string(res->max, max));
    html_fragment_text(h->out, chk->id);
    fputs("</strong></p>\n", h->out);
    para(h, "p", "margin:0.2em 0;font-size:90%;", PDF_MUTED, rubric_text(h->r, chk, "looks-for", h->lang));
    para(h, "p", "margin:0.2em 0;", PDF_TEXT, res->feedback);
    para(h, "p", "margin:0.2em 0;font-size:90%;", PDF_MUTED,
         T(h->wd, pass ? "grade.pdf.how" : "grade.pdf.why", {"reason", res->reason ? res->reason : ""}));
    if (res->has_session && h->reports[res->capture]) {
        const char *id = pdf_format_count(h->wd, res->session_id);
        const char *label = h->st->n_captures > 1
            ? T(h->wd, "grade.pdf.see-in", {"session", id}, {"client", res->client}, {"server", res->server},
                {"capture", h->st->captures[res->capture].file_name})
            : T(h->wd, "grade.pdf.see", {"session", id}, {"client", res->client}, {"server", res->server});
        char a[48];
        anchor(a, sizeof a, res->capture, res->session_id);
        fprintf(h->out, "<p style=\"margin:0.2em 0;font-size:90%%\"><a href=\"#%s\">", a);
        html_fragment_text(h->out, label);
        fputs("</a></p>\n", h->out);
    }
    fputs("</div>\n", h->out);
}

static void head(struct fh *h)
{
    const struct grade_student *st = h->st;
    char got[24], max[24];
    para(h, "h2", "margin:0 0 0.3em;font-size:1.4em;", PDF_ACCENT, T(h->wd, "grade.pdf.title", {"student", st->name}));
    const char *title = rubric_text(h->r, NULL, "title", h->lang);
    para(h, "p", "margin:0.2em 0;", PDF_MUTED,
         *title ? T(h->wd, "grade.pdf.rubric-titled", {"title", title}, {"rubric", h->r->name})
                : T(h->wd, "grade.pdf.rubric", {"rubric", h->r->name}));
    para(h, "p", "margin:0.2em 0;font-size:90%;", PDF_MUTED, rubric_text(h->r, NULL, "about", h->lang));
    para(h, "p", "margin:0.6em 0;font-size:1.15em;font-weight:bold;", PDF_TEXT,
         T(h->wd, "grade.pdf.total", {"points", rubric_points_string(st->total, got)},
           {"max", rubric_points_string(st->max, max)}));
    bool any_analysed = false;
    for (size_t i = 0; i < st->n_captures; i++) {
        const struct grade_capture *cap = &st->captures[i];
        any_analysed |= cap->analysed;
        /* A file that is not a capture is said once, here, with what to hand in instead. */
        if (cap->analysed)
            para(h, "p", "margin:0.2em 0;", PDF_TEXT,
                 T(h->wd, "grade.pdf.capture", {"capture", cap->file_name},
                   {"packets", pdf_format_count(h->wd, cap->packets)},
                   {"sessions", pdf_format_count(h->wd, cap->sessions)}));
        para(h, "p", cap->analysed ? "margin:0.2em 0 0.2em 1em;" : "margin:0.2em 0;",
             cap->analysed ? PDF_WARN : PDF_ALERT, cap->words);
    }
    if (st->error)
        para(h, "p", "margin:0.4em 0;font-weight:bold;", PDF_ALERT,
             st->n_captures && !any_analysed ? T0(h->wd, "grade.pdf.no-capture")
                                             : T(h->wd, "grade.pdf.no-points", {"error", st->error}));
}

/* Each session a check picked, once, in the order the checks name them. */
static int diagrams(struct fh *h)
{
    const struct grade_student *st = h->st;
    bool heading = false;
    for (size_t i = 0; i < st->n_results; i++) {
        const struct grade_result *res = &st->results[i];
        if (res->status == GRADE_NA || !res->has_session || !h->reports[res->capture])
            continue;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++) {
            const struct grade_result *o = &st->results[k];
            seen = o->status != GRADE_NA && o->has_session && o->capture == res->capture &&
                   o->session_index == res->session_index;
        }
        if (seen)
            continue;
        if (!heading)
            para(h, "h3", "margin:1.2em 0 0.3em;font-size:1.2em;", PDF_ACCENT, T0(h->wd, "outline.diagrams"));
        heading = true;
        const struct capture_report *rep = h->reports[res->capture];
        const struct session *s = capture_session(rep, res->session_index, &h->view);
        drawing_use_report(&h->dw, rep);
        const char *id = pdf_format_count(h->wd, s->id);
        const char *title = st->n_captures > 1
            ? T(h->wd, "grade.pdf.outline-session-in", {"session", id},
                {"capture", st->captures[res->capture].file_name})
            : T(h->wd, "grade.pdf.outline-session", {"session", id});
        char a[48], alt[PDF_WORDS_LEN];
        anchor(a, sizeof a, res->capture, s->id);
        snprintf(alt, sizeof alt, "%s", title);
        fprintf(h->out, "<h4 id=\"%s\" style=\"margin:1em 0 0.2em;color:", a);
        html_fragment_color(h->out, PDF_ACCENT);
        fputs("\">", h->out);
        html_fragment_text(h->out, drawing_session_title(&h->dw, s));
        fputs("</h4>\n", h->out);
        if (html_fragment_session(h->out, &h->dw, s, alt) != 0)
            return -1;
    }
    return 0;
}

static int write_all(struct fh *h)
{
    FILE *out = h->out;
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
            h->lang);
    html_fragment_text(out, T(h->wd, "grade.pdf.title", {"student", h->st->name}));
    fputs("</title>\n</head>\n<body>\n<div style=\"font-family:Helvetica,Arial,sans-serif;line-height:1.4;"
          "max-width:60em;color:", out);
    html_fragment_color(out, PDF_TEXT);
    fputs("\">\n", out);
    head(h);
    for (size_t i = 0; i < h->st->n_results; i++)
        if (h->st->results[i].status != GRADE_NA) /* it does not count for anyone */
            check_block(h, &h->st->results[i]);
    int rc = diagrams(h);
    fputs("</div>\n</body>\n</html>\n", out);
    return rc;
}

int grade_write_feedback_html(FILE *out, const struct rubric *r, const struct grade_student *st,
                              const struct capture_report *const *reports, const struct grades_pdf_options *opt,
                              char *err, size_t errlen)
{
    struct pdf_options popt = {
        .templates_dir = opt && opt->templates_dir ? opt->templates_dir : "templates",
        .lang = opt && opt->lang ? opt->lang : "en",
        .tool_version = opt ? opt->tool_version : NULL,
    };
    const struct capture_report *first = NULL;
    for (size_t i = 0; i < st->n_captures && !first; i++)
        first = reports[i];
    struct fh h = {.out = out, .r = r, .st = st, .reports = reports, .lang = popt.lang};
    if (drawing_open(&h.dw, first, &popt, err, errlen) != 0)
        return -1;
    h.wd = &h.dw.doc->words;
    /* libharu and the wording fail through the document's jump: set here for the text,
     * drawing_svg and drawing_explain set their own for each diagram. */
    volatile int rc = -1;
    if (setjmp(h.dw.doc->fail.jump) == 0)
        rc = write_all(&h);
    drawing_close(&h.dw);
    session_view_release(&h.view);
    if (rc == 0 && ferror(out)) {
        snprintf(err, errlen, "write error");
        rc = -1;
    }
    return rc;
}
