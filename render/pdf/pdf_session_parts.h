/* pdf_session_parts.h — what the files of one session's pages share (internal to
 * pdf_session*.c): the geometry, the layout of the rows, and the session being drawn.
 *
 * pdf_session.c runs a session: it estimates the transit time, lays the rows out
 * (pdf_session_layout.c), appends the pages and draws the diagram on them
 * (pdf_session_diagram.c), then the text column beside it (pdf_session_panel.c), which adds
 * pages when the text is longer than the diagram. */
#ifndef PCAP2REPORT_PDF_SESSION_PARTS_H
#define PCAP2REPORT_PDF_SESSION_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdf_doc.h"
#include "pdf_session.h"
#include "report.h"

/* ---- geometry (points) ------------------------------------------------------------------------ */

#define TOP_Y (PDF_PAGE_H - PDF_MARGIN)
#define X_STRIP PDF_MARGIN          /* the phase strip, 6 wide */
#define X_TIME_R 66.0f              /* right edge of the packet number and time */
#define X_CLIENT 122.0f
#define X_SERVER 326.0f
#define X_STATE_GAP 4.0f            /* between a lifeline and its state labels */
#define STATE_W 50.0f
#define X_DIAGRAM_R 386.0f          /* right edge of the diagram, phase bands included */
#define X_PANEL 400.0f
#define PANEL_W (PDF_PAGE_W - PDF_MARGIN - X_PANEL)
#define BOX_W 132.0f
#define BOX_TOP 770.0f
#define BOX_H 30.0f
#define ROWS_TOP 728.0f
#define ROWS_BOTTOM (PDF_BOTTOM + 6)
#define PANEL_TOP (BOX_TOP - 6) /* the first baseline of the text column */

#define LABEL_SIZE 6.3f
#define OPTIONS_SIZE 5.6f
#define LINE_STEP 7.2f     /* between the two lines of a SYN's label */
#define ROW_BASE 22.0f     /* between two one-line rows close in time */
#define ROW_TIME_MAX 14.0f /* what time can add to a row */
#define TAG_H 8.0f         /* anomaly tag under an arrow */
#define FOLD_H 38.0f
#define PAUSE_H 14.0f
#define DROP_MAX 12.0f
#define DROP_SHARE 0.3f    /* of the row it leans into */

#define PAUSE_NS 1000000000LL /* a silence this long gets its own row */

#define TEXT_SIZE 7.0f /* the text column's */
#define TEXT_LEAD 8.7f

enum item_kind { ITEM_EVENT, ITEM_FOLD, ITEM_PAUSE };

struct pdf_session_item {
    uint8_t kind;
    uint8_t lines;      /* label lines of an event (1, or 2 with SYN options) */
    bool tag;           /* an anomaly tag under the arrow */
    bool from_capture;  /* the arrow leaves the side the capture was taken at */
    uint32_t index;     /* event or gap index; for a pause, the event after it */
    uint32_t page;      /* page of the session, from 0 */
    float y;            /* event: its capture time; fold or pause: the top of its row */
    float y_start, y_end; /* event: the arrow's ends at sender and receiver */
    float top, bottom;  /* extent of everything drawn for the item */
};

struct layout {
    struct pdf_session_item *items;
    size_t n;
    uint32_t pages;
};

/* Estimates from the handshake, for slanting (see the file comment). */
struct transit {
    int64_t one_way_ns; /* 0: unknown, arrows are drawn level */
    bool near_client;
    bool midway;        /* neither time dominates: the capture was between the two, or on
                           loopback at both ends; drawn as if near the client */
};


/* One session being drawn. */
struct pdf_sess {
    struct pdf_session_pages *sp; /* the document's, with the layout scratch */
    struct pdf_doc *doc;
    struct pdf_words *words;
    struct pdf_canvas *canvas;
    const struct capture_report *r;
    bool absolute_seq;
    HPDF_Page back;               /* where each page's "back" link leads */
};

/* ---- pdf_session_layout.c ---- */

/* The marks of e worth a tag under its arrow: a bad checksum is left out for a host whose
 * checksums are all bad (offload, explained on the first page). */
uint8_t pdf_session_shown_marks(const struct pdf_sess *x, const struct session *s, const struct timeline_event *e);

/* Lays out the rows of s in l (in x->sp's scratch, valid until the next session): pages,
 * heights and each arrow's slant from tr. */
void pdf_session_lay_out(struct pdf_sess *x, const struct session *s, const struct transit *tr,
                         struct layout *l);

/* ---- pdf_session_diagram.c ---- */

/* The top of a page of s: the heading (continued on pages after the first), the chips of its
 * classes, the "back" link, and with boxes the lifeline boxes. */
void pdf_session_page_header(struct pdf_sess *x, HPDF_Page page, const struct session *s, bool first,
                             bool boxes);

/* The diagram's page pg of l: phases, lifelines, folds, pauses, arrows and states. */
void pdf_session_diagram_page(struct pdf_sess *x, HPDF_Page page, const struct session *s,
                              const struct layout *l, uint32_t pg);

/* How to read the diagram, under it when its last page (page) has room. Returns whether it
 * was drawn. */
bool pdf_session_legend(struct pdf_sess *x, HPDF_Page page, const struct layout *l);

/* ---- pdf_session_panel.c ---- */

/* The text column of s, from the session's page first (an index into x->doc's pages) on, over
 * its n_pages pages and more when needed; with legend_drawn the legend is under the diagram
 * already. */
void pdf_session_panel(struct pdf_sess *x, const struct session *s, size_t first, uint32_t n_pages,
                       const struct transit *tr, bool legend_drawn);

#endif
