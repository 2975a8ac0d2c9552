/* html_index.c — the batch's index.html (html.h): its totals and classes as the one-page PDF
 * summary words them, and a table of every input with its status, counts and links to its
 * reports, so that a folder of HTML reports can be browsed from one page. Self-contained like
 * the reports; every word from templates/<lang>.txt. */
#include "html_parts.h"

#include <stdlib.h>

#include "index.h"
#include "pdf_writer.h"

static void link_to(FILE *out, const char *rel, const char *label, bool *first)
{
    if (!rel)
        return;
    fputs(*first ? "" : " · ", out);
    fputs("<a href=\"", out);
    html_esc(out, rel);
    fprintf(out, "\">%s</a>", label);
    *first = false;
}

static void input_row(struct html_page *pg, const struct index_row *row)
{
    FILE *out = pg->out;
    fputs("<tr><td>", out);
    html_esc(out, row->input ? row->input : row->json ? row->json : "");
    fputs("</td><td>", out);
    html_esc(out, row->status ? row->status : "");
    if (row->reason) {
        fputs("<br><span class=\"hint\">", out);
        html_esc(out, row->reason);
        fputs("</span>", out);
    }
    fputs("</td><td class=\"num\">", out);
    if (row->sessions >= 0)
        html_esc(out, pdf_format_count(pg->w, (uint64_t)row->sessions));
    fputs("</td><td class=\"num\">", out);
    if (row->packets >= 0)
        html_esc(out, pdf_format_count(pg->w, (uint64_t)row->packets));
    fputs("</td><td>", out);
    bool first = true;
    link_to(out, row->html, "HTML", &first);
    link_to(out, row->pdf, "PDF", &first);
    link_to(out, row->json, "JSON", &first);
    link_to(out, row->csv, "CSV", &first);
    link_to(out, row->svg, "SVG", &first);
    fputs("</td></tr>\n", out);
}

static void totals(struct html_page *pg, const struct pdf_batch *sum)
{
    struct pdf_words *w = pg->w;
    FILE *out = pg->out;
    const struct { const char *key; unsigned long long n; } lines[] = {
        {"batch.inputs", sum->inputs}, {"batch.converted", sum->converted}, {"batch.up-to-date", sum->up_to_date},
        {"batch.failed", sum->failed}, {"batch.skipped", sum->skipped}, {"batch.sessions", sum->sessions},
        {"batch.packets", sum->packets},
    };
    fputs("<section id=\"totals\"><h2>", out);
    html_word(pg, "batch.totals");
    fputs("</h2><ul>\n", out);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        fputs("<li>", out);
        html_esc(out, T(w, lines[i].key, {"count", pdf_format_count(w, lines[i].n)}));
        fputs("</li>\n", out);
    }
    fputs("</ul></section>\n", out);
}

int html_write_index(FILE *out, struct index_builder *b, const struct pdf_options *opt, char *err, size_t errlen)
{
    struct html_page pg = {.out = out, .opt = opt};
    struct pdf_batch sum;
    pg.dw.doc = pdf_doc_new(opt->templates_dir, opt->lang, err, errlen);
    if (!pg.dw.doc)
        return -1;
    pg.w = &pg.dw.doc->words;
    if (index_batch_summary(b, &sum) != 0) {
        snprintf(err, errlen, "out of memory");
        pdf_doc_free(pg.dw.doc, -1);
        return -1;
    }
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
            opt->lang ? opt->lang : "en");
    html_word(&pg, "batch.title");
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header><h1>", html_style);
    html_word(&pg, "batch.heading");
    fputs("</h1></header>\n", out);
    totals(&pg, &sum);
    fputs("<section id=\"inputs\"><div class=\"scroll\"><table class=\"sessions\" id=\"inputs-table\">\n<thead><tr>", out);
    const char *cols[] = {"html.index.col.input", "html.index.col.status", "html.index.col.sessions",
                          "html.index.col.packets", "html.index.col.reports"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        fputs(i == 2 || i == 3 ? "<th class=\"num\">" : "<th>", out); /* over the counts */
        html_word(&pg, cols[i]);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    bool oom = false;
    for (size_t i = 0; i < index_count(b) && !oom; i++) {
        struct index_row row;
        if (!(oom = index_row(b, i, &row) != 0))
            input_row(&pg, &row);
    }
    fputs("</tbody></table></div></section>\n</body>\n</html>\n", out);
    pdf_doc_free(pg.dw.doc, 0);
    if (oom) {
        snprintf(err, errlen, "out of memory while writing the batch's HTML index");
        return -1;
    }
    if (ferror(out)) {
        snprintf(err, errlen, "cannot write the batch's HTML index");
        return -1;
    }
    return 0;
}
