/* drawing.h — what the SVG and HTML writers need to draw sessions as the PDF does: the
 * report's wording, the PDF's fonts to measure text with (a libharu document that is never
 * saved), and one diagram description reused from session to session.
 *
 * Nothing is drawn on a page here: the fonts only measure, so that the SVG's labels get the
 * sizes and places the PDF gives them (diagram.h). */
#ifndef PCAP2REPORT_DRAWING_H
#define PCAP2REPORT_DRAWING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diagram.h"
#include "pdf_doc.h"
#include "pdf_options.h"
#include "report.h"

struct drawing {
    struct pdf_doc *doc;   /* wording and fonts */
    struct diagram dg;
    const struct capture_report *r;
    bool cjk;              /* the wording's font is a CJK one */
    char *err;             /* the caller's buffer, for failures inside libharu */
    size_t errlen;
};

/* Loads the wording of opt (templates_dir, lang) and the fonts. Returns 0, or -1 with a
 * sentence in err (which must outlive dw). */
int drawing_open(struct drawing *dw, const struct capture_report *r, const struct pdf_options *opt,
                 char *err, size_t errlen);

/* Writes session s's diagram as SVG (embedded: for an HTML page, with id as its element id).
 * Returns 0, or -1 with a sentence in the err given to drawing_open. */
int drawing_svg(struct drawing *dw, const struct session *s, FILE *out, bool embedded, const char *id);

/* A line naming session s (its number, endpoints, classes and anomalies), from the wording. */
const char *drawing_session_title(struct drawing *dw, const struct session *s);

/* Draws the sessions of another report of the same language from now on. */
void drawing_use_report(struct drawing *dw, const struct capture_report *r);

/* The text the PDF sets beside session s's diagram, into sink (pdf_session_explain), with how
 * to read the diagram when legend. Returns 0, or -1 with a sentence in the err given to
 * drawing_open. */
struct pdf_session_sink;
int drawing_explain(struct drawing *dw, const struct session *s, bool legend, const struct pdf_session_sink *sink);

void drawing_close(struct drawing *dw); /* accepts a zeroed struct */

#endif
