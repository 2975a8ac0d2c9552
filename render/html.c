/* html.c — the HTML report's page (html.h): head, the capture's summary as the PDF's first page
 * words it, the class charts, then the table (html_table.c) and the diagrams
 * (html_session.c), and the footer. */
#include "html_parts.h"

#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_archive.h"
#include "pdf_encap.h"
#include "pdf_offload.h"
#include "pdf_summary.h"

void html_color(FILE *out, struct pdf_rgb c)
{
    fprintf(out, "#%02x%02x%02x", (unsigned)lroundf(c.r * 255), (unsigned)lroundf(c.g * 255),
            (unsigned)lroundf(c.b * 255));
}

static void field(struct html_page *pg, const char *key, const char *value, bool mono)
{
    fputs("<dt>", pg->out);
    html_word(pg, key);
    fprintf(pg->out, "</dt><dd%s>", mono ? " class=\"mono\"" : "");
    html_esc(pg->out, value);
    fputs("</dd>\n", pg->out);
}

/* The capture block of the PDF's first page, in its words. */
static void summary(struct html_page *pg)
{
    struct pdf_words *wd = pg->w;
    const struct capture_report *r = pg->r;
    char buf[PDF_WORDS_LEN];
    fputs("<section id=\"capture\"><h2>", pg->out);
    html_word(pg, "summary.capture");
    fputs("</h2>\n<dl class=\"fields\">\n", pg->out);
    field(pg, "field.file", pg->file_name, false);
    field(pg, "field.size", T(wd, "field.size-value", {"bytes", pdf_format_count(wd, r->size_bytes)}), false);
    field(pg, "field.sha256", r->sha256, true);
    field(pg, "field.format", pdf_encap_format(wd, r), false);
    field(pg, "field.time",
          r->have_packets ? T(wd, "field.time-value", {"first", pdf_format_utc(wd, r->first_ts, r->ts_digits)},
                              {"last", pdf_format_utc(wd, r->last_ts, r->ts_digits)},
                              {"duration", pdf_format_duration(wd, r->last_ts - r->first_ts)})
                          : T0(wd, "field.time-none"),
          false);
    pdf_summary_packets_text(wd, &r->counts, buf);
    field(pg, "field.packets", buf, false);
    pdf_summary_sessions_text(wd, r, buf);
    field(pg, "field.sessions", buf, false);
    if (pdf_encap_counts(wd, r, buf))
        field(pg, "field.encapsulations", buf, false);
    pdf_summary_checksums_text(wd, r, buf);
    field(pg, "field.checksums", buf, false);
    if (!r->n_warnings && !r->warnings_suppressed) {
        field(pg, "field.warnings", T0(wd, "field.warnings-none"), false);
    } else {
        pdf_summary_warnings_text(wd, r, buf);
        field(pg, "field.warnings", buf, false);
    }
    field(pg, "field.producer",
          T(wd, "field.producer-value", {"version", pg->opt->tool_version ? pg->opt->tool_version : "?"},
            {"schema", PCAP2REPORT_SCHEMA_VERSION}),
          false);
    size_t max = pg->opt->max_diagrams ? pg->opt->max_diagrams : PDF_DEFAULT_MAX_DIAGRAMS;
    pdf_archive_options(pg->opt, max, buf);
    field(pg, "field.options", buf, true);
    fputs("</dl></section>\n", pg->out);
}

static void bar_chart(struct html_page *pg, const char *title_key, const char *cls, const char *const *names,
                      const unsigned *counts, size_t n)
{
    unsigned max = 1;
    for (size_t i = 0; i < n; i++)
        if (counts[i] > max)
            max = counts[i];
    fputs("<div><h3>", pg->out);
    html_word(pg, title_key);
    fputs("</h3><table class=\"bars\">\n", pg->out);
    for (size_t i = 0; i < n; i++) {
        fprintf(pg->out, "<tr><th>%s</th><td><span class=\"bar %s%s\" style=\"width:%.1f%%\"></span>"
                         "<span class=\"n\">%s</span></td></tr>\n",
                names[i], cls, counts[i] ? "" : " zero", counts[i] ? 85.0 * counts[i] / max : 0.0,
                pdf_format_count(pg->w, counts[i]));
    }
    fputs("</table></div>\n", pg->out);
}

static void charts(struct html_page *pg)
{
    const struct capture_report *r = pg->r;
    const char *hs[HANDSHAKE_CLASSES], *td[TEARDOWN_CLASSES];
    for (int i = 0; i < HANDSHAKE_CLASSES; i++)
        hs[i] = handshake_class_name((enum handshake_class)i);
    for (int i = 0; i < TEARDOWN_CLASSES; i++)
        td[i] = teardown_class_name((enum teardown_class)i);
    fputs("<section id=\"charts\"><h2>", pg->out);
    html_word(pg, "html.charts");
    fputs("</h2>\n<div class=\"charts\">\n", pg->out);
    bar_chart(pg, "chart.handshake", "hs", hs, r->handshake_counts, HANDSHAKE_CLASSES);
    bar_chart(pg, "chart.teardown", "td", td, r->teardown_counts, TEARDOWN_CLASSES);
    fputs("</div>\n<p><strong>", pg->out);
    html_word(pg, "chart.anomalies");
    fputs("</strong> ", pg->out);
    bool any = false;
    for (int a = 0; a < ANOMALIES; a++) {
        /* Sessions whose bad checksums offload explains are no anomaly, as on the PDF's
         * first page: the summary's checksums field says why, once (pdf_offload.h). */
        uint64_t count = pdf_alarming_count(r, a);
        if (!count)
            continue;
        fprintf(pg->out, "%s<span class=\"anomalies\">", any ? " &nbsp; " : "");
        html_esc(pg->out, T(pg->w, "chart.anomaly-item", {"name", anomaly_name((enum anomaly)a)},
                            {"count", pdf_format_count(pg->w, count)}));
        fputs("</span>", pg->out);
        any = true;
    }
    if (!any)
        html_word(pg, "chart.anomalies-none");
    fputs("</p></section>\n", pg->out);
}

static void head(struct html_page *pg)
{
    FILE *out = pg->out;
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<meta name=\"generator\" content=\"pcap2report %s\">\n<title>",
            pg->opt->lang ? pg->opt->lang : "en", pg->opt->tool_version ? pg->opt->tool_version : "?");
    html_esc(out, T(pg->w, "doc.title", {"file", pg->file_name}));
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header><h1>", html_style);
    html_word(pg, "summary.heading");
    fputs("</h1><p class=\"file\">", out);
    html_esc(out, pg->file_name);
    fputs("</p></header>\n", out);
}

static void foot(struct html_page *pg)
{
    fputs("<footer>", pg->out);
    html_esc(pg->out, T(pg->w, "footer.left", {"version", pg->opt->tool_version ? pg->opt->tool_version : "?"},
                        {"file", pg->file_name}));
    fprintf(pg->out, "</footer>\n<script>\n%s</script>\n</body>\n</html>\n", html_script);
}

static int write_page(struct html_page *pg)
{
    head(pg);
    summary(pg);
    charts(pg);
    html_table(pg);
    if (html_sessions(pg) != 0)
        return -1;
    foot(pg);
    return 0;
}

int html_write_report(FILE *out, const struct capture_report *r, const struct pdf_options *opt, char *err,
                      size_t errlen)
{
    static struct html_page zero;
    struct html_page *pg = malloc(sizeof *pg);
    if (!pg) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    *pg = zero;
    pg->out = out;
    pg->r = r;
    pg->opt = opt;
    pdf_valid_utf8(r->file_name ? r->file_name : "", pg->file_name, sizeof pg->file_name);
    size_t max = opt->max_diagrams ? opt->max_diagrams : PDF_DEFAULT_MAX_DIAGRAMS;
    int rc = pdf_select_sessions(&pg->sel, r, opt->stream_filter ? opt->stream_filter : opt->session_filter,
                                 opt->stream_filter != NULL, max, err, errlen);
    if (rc == 0)
        rc = drawing_open(&pg->dw, r, opt, err, errlen);
    if (rc == 0) {
        pg->w = &pg->dw.doc->words;
        /* libharu fails through the document's jump; set here for the summary and the table,
         * drawing_svg sets its own for each diagram. */
        if (setjmp(pg->dw.doc->fail.jump) == 0)
            rc = write_page(pg);
        else
            rc = -1;
        drawing_close(&pg->dw);
    }
    if (rc == 0 && ferror(out)) {
        snprintf(err, errlen, "cannot write the HTML");
        rc = -1;
    }
    pdf_selection_free(&pg->sel);
    free(pg);
    return rc;
}
