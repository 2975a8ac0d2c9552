/* svg.h — a session's sequence diagram as SVG 1.1 (svg.c), drawn from the description the
 * PDF draws (diagram.h, built with diagram_frame_svg: one page as long as the session needs,
 * as wide as the diagram).
 *
 * Text is text (selectable, searchable), in fonts named by family with fallbacks: Helvetica
 * and the fonts that share its metrics (Arial, Liberation Sans, Nimbus Sans), so labels fitted
 * to an arrow in the PDF fit in the SVG too, then CJK fonts for Chinese wording, then the
 * generic sans-serif. The drawing is sized to its content: the width and height attributes are
 * its size in CSS pixels (a point is 4/3 px), the viewBox its extent in points. */
#ifndef PCAP2REPORT_SVG_H
#define PCAP2REPORT_SVG_H

#include <stdbool.h>
#include <stdio.h>

#include "diagram.h"

struct svg_style {
    bool cjk;          /* the wording is in a CJK font (the template's fonts take UTF-8) */
    bool embedded;     /* inside an HTML page: no XML declaration */
    const char *title; /* the drawing's <title>, for screen readers and tooltips */
    const char *id;    /* the svg element's id, or NULL */
};

/* The extent of the drawing in points (y up): what the viewBox shows. */
struct svg_box {
    float x0, y0, x1, y1;
};
struct svg_box svg_extent(const struct diagram *d);

/* Writes d as one SVG document. Returns 0, or -1 when writing failed (ferror). */
int svg_write(FILE *out, const struct diagram *d, const struct svg_style *st);

/* Writes text with &, <, > and " escaped and bytes that are not valid UTF-8 or not allowed in
 * XML replaced by U+FFFD (for the HTML writer too). */
void svg_text_escaped(FILE *out, const char *utf8);

#endif
