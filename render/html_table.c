/* html_table.c — the HTML report's table of sessions (html_parts.h): the filters (class,
 * anomaly, endpoint), one row per session with what the script sorts and filters by in data-
 * attributes, the number of a session with a diagram linking to it, and the note saying which
 * sessions have diagrams. At most HTML_TABLE_MAX rows: a browser stays quick with that many,
 * and the CSV and JSON hold every session. */
#include "html_parts.h"

#include <inttypes.h>

#include "pdf_offload.h"
#include "pdf_summary.h"

static void option(struct html_page *pg, const char *value, const char *text)
{
    fprintf(pg->out, "<option value=\"%s\">", value);
    html_esc(pg->out, text);
    fputs("</option>", pg->out);
}

static void filters(struct html_page *pg)
{
    FILE *out = pg->out;
    const struct capture_report *r = pg->r;
    fputs("<noscript><style>#sessions-table tr.later{display:table-row}</style><p class=\"hint\">", out);
    html_word(pg, "html.no-script");
    fputs("</p></noscript>\n<div class=\"filters\" id=\"filters\" hidden>\n<label>", out);
    html_word(pg, "html.filter.class");
    fputs("<select id=\"f-class\">", out);
    option(pg, "", T0(pg->w, "html.filter.all"));
    /* Only the classes that occur, so every choice shows something. */
    for (int c = 0; c < HANDSHAKE_CLASSES; c++)
        if (r->handshake_counts[c]) {
            const char *name = handshake_class_name((enum handshake_class)c);
            fprintf(out, "<option value=\"h:%s\">", name);
            html_esc(out, T(pg->w, "html.filter.handshake", {"name", name}));
            fputs("</option>", out);
        }
    for (int c = 0; c < TEARDOWN_CLASSES; c++)
        if (r->teardown_counts[c]) {
            const char *name = teardown_class_name((enum teardown_class)c);
            fprintf(out, "<option value=\"t:%s\">", name);
            html_esc(out, T(pg->w, "html.filter.teardown", {"name", name}));
            fputs("</option>", out);
        }
    fputs("</select></label>\n<label>", out);
    html_word(pg, "html.filter.anomaly");
    fputs("<select id=\"f-anomaly\">", out);
    option(pg, "", T0(pg->w, "html.filter.all"));
    option(pg, "*", T0(pg->w, "html.filter.any-anomaly"));
    option(pg, "-", T0(pg->w, "html.filter.no-anomaly"));
    for (int a = 0; a < ANOMALIES; a++)
        if (pdf_alarming_count(r, a))
            option(pg, anomaly_name((enum anomaly)a), anomaly_name((enum anomaly)a));
    fputs("</select></label>\n<label>", out);
    html_word(pg, "html.filter.endpoint");
    fputs("<input id=\"f-endpoint\" type=\"search\" placeholder=\"", out);
    html_word(pg, "html.filter.placeholder");
    fputs("\"></label>\n<span id=\"shown\" aria-live=\"polite\" data-format=\"", out);
    html_word(pg, "html.shown");
    fputs("\" data-thousands=\"", out);
    const char *sep = pdf_templates_get(pg->w->tpl, "@thousands");
    html_esc(out, sep ? sep : "");
    fputs("\"></span>\n</div>\n<p class=\"hint\">", out);
    html_word(pg, "html.sort-hint");
    fputs("</p>\n", out);
}

/* A column heading the script sorts by key (numerically with num); right-aligned over a
 * column of right-aligned numbers (td.num) with right. */
static void heading(struct html_page *pg, const char *key, bool num, bool right, const char *word_key)
{
    fprintf(pg->out, "<th data-key=\"%s\"%s%s aria-sort=\"none\"><button type=\"button\">", key,
            num ? " data-num" : "", right ? " class=\"num\"" : "");
    /* "Packets\nc→s / s→c" is two lines in the PDF's narrow column; one here. */
    char text[256];
    snprintf(text, sizeof text, "%s", T0(pg->w, word_key));
    for (char *p = text; *p; p++)
        if (*p == '\n')
            *p = ' ';
    html_esc(pg->out, text);
    fputs("</button></th>", pg->out);
}

/* Rows the page lays out at first, and the script per click of its button: tens of thousands
 * of rows laid out at once take a browser many seconds to show or sort. */
enum { HTML_PAGE_ROWS = 1000 };

static void row(struct html_page *pg, size_t i, const struct session *s)
{
    FILE *out = pg->out;
    struct pdf_words *w = pg->w;
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    char ep_c[SESSION_ENDPOINT_STRING_LEN], ep_s[SESSION_ENDPOINT_STRING_LEN];
    session_endpoint_string(s, ROLE_CLIENT, ep_c);
    session_endpoint_string(s, ROLE_SERVER, ep_s);
    int64_t start_us = s->first_ts / 1000;
    fprintf(out, "<tr data-id=\"%" PRIu64 "\" data-stream=\"%" PRIu64 "\" data-start=\"%" PRId64 "\" data-dur=\"%" PRId64
                 "\" data-pkts=\"%" PRIu64 "\" data-hs=\"%s\" data-td=\"%s\" data-zeek=\"%s\" data-ep=\"%s %s\" data-an=\"",
            s->id, session_tcp_stream(s), start_us, s->last_ts - s->first_ts, c->packets + v->packets,
            handshake_class_name(s->handshake), teardown_class_name(s->teardown), s->conn_state, ep_c, ep_s);
    /* A bad checksum that offload explains is no anomaly here either, as in the PDF's table:
     * a quiet mark in the cell, not filtered on (pdf_offload.h); the CSV and JSON keep it. */
    uint32_t shown = pdf_alarming_anomalies(pg->r, s);
    bool offload = pdf_offload_explains(pg->r, s);
    bool first = true;
    for (int a = 0; a < ANOMALIES; a++)
        if ((shown >> a) & 1u) {
            fprintf(out, "%s%s", first ? "" : " ", anomaly_name((enum anomaly)a));
            first = false;
        }
    /* Past the first page, hidden until the script shows them (or, without a script, the
     * style in <noscript> does). */
    fputs(i >= HTML_PAGE_ROWS ? "\" class=\"later\" hidden>" : "\">", out);
    if (pdf_selection_has(&pg->sel, i))
        fprintf(out, "<td class=\"num\"><a href=\"#s%" PRIu64 "\">%" PRIu64 "</a></td>", s->id, s->id);
    else
        fprintf(out, "<td class=\"num nodiagram\">%" PRIu64 "</td>", s->id);
    fprintf(out, "<td class=\"num\">%" PRIu64 "</td><td class=\"ep\">%s<br>%s</td><td>", session_tcp_stream(s), ep_c,
            ep_s);
    html_esc(out, pdf_format_clock(w, s->first_ts, pg->r->ts_digits));
    fputs("</td><td class=\"num\">", out);
    html_esc(out, pdf_format_duration(w, s->last_ts - s->first_ts));
    fputs("</td><td class=\"num\">", out);
    html_esc(out, T(w, "table.packets", {"c2s", pdf_format_count(w, c->packets)}, {"s2c", pdf_format_count(w, v->packets)}));
    fprintf(out, "</td><td><span class=\"cls hs\">%s</span></td><td><span class=\"cls td\">%s</span></td><td>%s</td>"
                 "<td class=\"an\">",
            handshake_class_name(s->handshake), teardown_class_name(s->teardown), s->conn_state);
    if (!shown && !offload)
        html_word(pg, "table.no-anomaly");
    first = true;
    for (int a = 0; a < ANOMALIES; a++)
        if ((shown >> a) & 1u) {
            fprintf(out, "%s%s", first ? "" : ", ", anomaly_name((enum anomaly)a));
            first = false;
        }
    if (offload) {
        fputs(shown ? "<br><span class=\"quiet\">" : "<span class=\"quiet\">", out);
        html_word(pg, "table.checksum-offload");
        fputs("</span>", out);
    }
    fputs("</td></tr>\n", out);
}

void html_table(struct html_page *pg)
{
    FILE *out = pg->out;
    const struct capture_report *r = pg->r;
    fputs("<section id=\"sessions\"><h2>", out);
    html_word(pg, "table.heading");
    fputs("</h2>\n<p>", out);
    size_t max = pg->opt->max_diagrams ? pg->opt->max_diagrams : PDF_DEFAULT_MAX_DIAGRAMS;
    html_esc(out, pdf_summary_diagrams_text(pg->w, r, &pg->sel, max, "html.diagrams"));
    fputs("</p>\n", out);
    size_t rows = r->n_sessions < HTML_TABLE_MAX ? r->n_sessions : HTML_TABLE_MAX;
    if (rows < r->n_sessions) {
        fputs("<p class=\"hint\">", out);
        html_esc(out, T(pg->w, "html.table-capped", {"shown", pdf_format_count(pg->w, rows)},
                        {"total", pdf_format_count(pg->w, r->n_sessions)}));
        fputs("</p>\n", out);
    }
    filters(pg);
    fprintf(out, "<div class=\"scroll\"><table class=\"sessions\" id=\"sessions-table\" data-page=\"%d\">\n<thead><tr>",
            HTML_PAGE_ROWS);
    heading(pg, "id", true, true, "table.col.id");
    heading(pg, "stream", true, true, "html.col.stream");
    heading(pg, "ep", false, false, "table.col.endpoints");
    heading(pg, "start", true, false, "table.col.start");
    heading(pg, "dur", true, true, "table.col.duration");
    heading(pg, "pkts", true, true, "table.col.packets");
    heading(pg, "hs", false, false, "table.col.handshake");
    heading(pg, "td", false, false, "table.col.teardown");
    heading(pg, "zeek", false, false, "table.col.zeek");
    heading(pg, "an", false, false, "table.col.anomalies");
    fputs("</tr></thead>\n<tbody>\n", out);
    struct session_view v = {0};
    for (size_t i = 0; i < rows; i++)
        row(pg, i, capture_session(r, i, &v));
    session_view_release(&v);
    fputs("</tbody></table></div>\n<button type=\"button\" id=\"more\" hidden data-format=\"", out);
    html_word(pg, "html.more");
    fputs("\"></button>\n</section>\n", out);
}
