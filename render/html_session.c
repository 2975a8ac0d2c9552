/* html_session.c — the HTML report's diagrams (html_parts.h): for each chosen session, its
 * diagram inline as SVG (drawing.h, the description the PDF draws) and beside it the text
 * column of its PDF page, the same sentences (pdf_session_explain), as HTML. */
#include "html_parts.h"

#include <inttypes.h>

#include "pdf_session.h"

static void on_heading(void *arg, const char *text, struct pdf_rgb ink)
{
    struct html_page *pg = arg;
    fputs("<h4 style=\"color:", pg->out);
    html_color(pg->out, ink);
    fputs("\">", pg->out);
    html_esc(pg->out, text);
    fputs("</h4>\n", pg->out);
}

static void on_text(void *arg, const char *text, bool label, bool small, struct pdf_rgb ink)
{
    struct html_page *pg = arg;
    (void)ink; /* the classes carry the PDF's colours */
    fprintf(pg->out, "<p%s>", label ? " class=\"label\"" : small ? " class=\"small\"" : "");
    html_esc(pg->out, text);
    fputs("</p>\n", pg->out);
}

static void on_check(void *arg, bool pass, const char *text, const char *where)
{
    struct html_page *pg = arg;
    /* U+2714 heavy check mark, U+2718 heavy ballot X: the PDF's marks. */
    fprintf(pg->out, "<div class=\"check %s\"><span class=\"mark\">%s</span><span>", pass ? "pass" : "fail",
            pass ? "\xe2\x9c\x94" : "\xe2\x9c\x98");
    html_esc(pg->out, text);
    fputs("</span><span class=\"where\">", pg->out);
    html_esc(pg->out, where);
    fputs("</span></div>\n", pg->out);
}

static int one_session(struct html_page *pg, const struct session *s)
{
    FILE *out = pg->out;
    fprintf(out, "<article class=\"session\" id=\"s%" PRIu64 "\" data-stream=\"%" PRIu64 "\"><h3>", s->id,
            session_tcp_stream(s));
    html_esc(out, drawing_session_title(&pg->dw, s));
    fputs("</h3>\n<div class=\"pair\"><figure>\n", out);
    char svg_id[40];
    snprintf(svg_id, sizeof svg_id, "diagram-%" PRIu64, s->id);
    if (drawing_svg(&pg->dw, s, out, true, svg_id) != 0)
        return -1;
    fputs("</figure>\n<div class=\"explain\">\n", out);
    struct pdf_session_sink sink = {.arg = pg, .heading = on_heading, .text = on_text, .check = on_check};
    pdf_session_explain(pg->dw.doc, pg->r, s, pg->opt->absolute_seq, false, &sink);
    fputs("<p class=\"back\"><a href=\"#sessions\">", out);
    html_word(pg, "session.back");
    fputs("</a></p>\n</div></div>\n</article>\n", out);
    return 0;
}

int html_sessions(struct html_page *pg)
{
    if (!pg->sel.n)
        return 0;
    FILE *out = pg->out;
    fputs("<section id=\"diagrams\"><h2>", out);
    html_word(pg, "outline.diagrams");
    fputs("</h2>\n<details class=\"legend\"><summary>", out);
    html_word(pg, "panel.legend");
    fputs("</summary><p>", out);
    html_word(pg, pg->opt->absolute_seq ? "legend.absolute" : "legend.relative");
    fputs("</p></details>\n", out);
    struct session_view v = {0};
    int rc = 0;
    for (size_t k = 0; k < pg->sel.n && !rc; k++)
        rc = one_session(pg, capture_session(pg->r, pg->sel.index[k], &v));
    session_view_release(&v);
    if (rc)
        return -1;
    fputs("</section>\n", out);
    return 0;
}
