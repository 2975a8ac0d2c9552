/* html_parts.h — what the files of the HTML report share (internal to html*.c): the page being
 * written and the helpers that write escaped text. html.c writes the page and its summary,
 * html_table.c the sessions table, html_session.c the diagrams with their explanations,
 * html_assets.c the styles and the script. */
#ifndef PCAP2REPORT_HTML_PARTS_H
#define PCAP2REPORT_HTML_PARTS_H

#include <stdbool.h>
#include <stdio.h>

#include "drawing.h"
#include "html.h"
#include "pdf_select.h"
#include "svg.h"

struct html_page {
    FILE *out;
    const struct capture_report *r;
    const struct pdf_options *opt;
    struct drawing dw;          /* wording, fonts to measure with, the diagram description */
    struct pdf_words *w;        /* &dw.doc->words */
    struct pdf_selection sel;   /* the sessions with diagrams */
    char file_name[512];        /* the capture's name as valid UTF-8 */
};

/* Text with &, <, >, " escaped. */
static inline void html_esc(FILE *out, const char *s)
{
    svg_text_escaped(out, s);
}

/* A template's text, escaped. */
static inline void html_word(struct html_page *pg, const char *key)
{
    html_esc(pg->out, T0(pg->w, key));
}

/* #rrggbb of a PDF colour. */
void html_color(FILE *out, struct pdf_rgb c);

/* html_table.c: the filters, the table of sessions and the note on diagrams. */
void html_table(struct html_page *pg);

/* html_session.c: each chosen session's diagram and explanation. Returns 0 or -1 (err). */
int html_sessions(struct html_page *pg);

/* html_assets.c: the page's styles and script. */
extern const char html_style[], html_script[];

#endif
