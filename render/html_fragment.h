/* html_fragment.h — HTML that stands alone where pasted: no style sheet, no script, no class
 * or id a page must define; every style inline, and a diagram as an <img> whose SVG is in a
 * data: URL (the sanitizers of learning platforms' comment fields drop <svg>, <style> and
 * <script>, and keep an image and inline styles). For grade's HTML feedback, which is pasted
 * into such a field; the HTML report (html.h) is a page of its own and needs none of this. */
#ifndef PCAP2REPORT_HTML_FRAGMENT_H
#define PCAP2REPORT_HTML_FRAGMENT_H

#include <stdbool.h>
#include <stdio.h>

#include "drawing.h"

/* Text with &, <, > and " escaped, invalid UTF-8 replaced. */
void html_fragment_text(FILE *out, const char *utf8);

/* "#rrggbb" of a colour of the PDF's palette (pdf_canvas.h). */
void html_fragment_color(FILE *out, struct pdf_rgb c);

/* Session s of dw's report: its diagram as an image (alt text alt), then beside and below it
 * the sentences the PDF sets beside the diagram (the handshake and the close in words with
 * their checks, TIME-WAIT, anomalies, the facts, how to read the diagram). Returns 0, or -1
 * with a sentence in the err given to drawing_open. */
int html_fragment_session(FILE *out, struct drawing *dw, const struct session *s, const char *alt);

#endif
