/* pdf_session_parts.h — what the files of one session's pages share (internal to
 * pdf_session*.c): the text column's geometry and the session being drawn.
 *
 * pdf_session.c runs a session: it has the diagram described (render/diagram.h: the layout
 * of the rows and every piece drawn), appends the pages and draws each page's part of the
 * description on it (pdf_session_diagram.c), then the text column beside it
 * (pdf_session_panel.c), which adds pages when the text is longer than the diagram. */
#ifndef PCAP2REPORT_PDF_SESSION_PARTS_H
#define PCAP2REPORT_PDF_SESSION_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagram.h"
#include "pdf_doc.h"
#include "pdf_session.h"
#include "report.h"

/* ---- geometry (points): the diagram's is in diagram.h ------------------------------------------- */

#define X_PANEL 400.0f
#define PANEL_W (PDF_PAGE_W - PDF_MARGIN - X_PANEL)
#define PANEL_TOP (DG_BOX_TOP - 6) /* the first baseline of the text column */
#define TEXT_SIZE 7.0f /* the text column's */
#define TEXT_LEAD 8.7f

/* What the text column is written into: the PDF's pages, or another writer's sink. */
struct pdf_session_sink;

/* One session being drawn. */
struct pdf_sess {
    struct pdf_session_pages *sp; /* the document's, with the description of the diagram */
    struct pdf_doc *doc;
    struct pdf_words *words;
    struct pdf_canvas *canvas;
    const struct capture_report *r;
    bool absolute_seq;
    struct diagram *dg;           /* the session's diagram, described (diagram.h) */
    HPDF_Page back;               /* where each page's "back" link leads */
};

/* ---- pdf_session_diagram.c ---- */

/* Draws the primitives of page pg of the description on page. */
void pdf_session_diagram_page(struct pdf_sess *x, HPDF_Page page, uint32_t pg);

/* The top of a page the text column adds: the heading, continued (first false), and the
 * lifeline boxes with boxes; described, then drawn. */
void pdf_session_page_header(struct pdf_sess *x, HPDF_Page page, const struct session *s, bool first,
                             bool boxes);

/* How to read the diagram, under it when its last page (page) has room. Returns whether it
 * was drawn. */
bool pdf_session_legend(struct pdf_sess *x, HPDF_Page page);

/* ---- pdf_session_panel.c ---- */

/* The text column of s, from the session's page first (an index into x->doc's pages) on, over
 * its n_pages pages and more when needed; with legend_drawn the legend is under the diagram
 * already. */
void pdf_session_panel(struct pdf_sess *x, const struct session *s, size_t first, uint32_t n_pages,
                       const struct diagram_transit *tr, bool legend_drawn);

#endif
