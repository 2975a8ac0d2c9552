/* diagram.h — one session's sequence diagram, laid out: what to draw, not how.
 *
 * The description holds every piece of the drawing with its coordinates: the heading and its
 * chips, the lifeline boxes and lifelines, the shaded handshake and close, folded data runs and
 * long pauses, one arrow per kept segment with its label as tcpdump prints it, the anomaly tags
 * under arrows, the packet numbers and times in the margin, and each side's TCP state where it
 * changes. The PDF writer (render/pdf/pdf_session_diagram.c) and the SVG writer (svg.h) each
 * turn the same list into their own calls, in order, so the two drawings cannot drift apart.
 *
 * Coordinates are points with y upwards, as on a PDF page; text is measured with the PDF's
 * fonts (pdf_canvas.h), so a label shrunk to fit its arrow has the size and place the PDF gives
 * it, and the SVG names fonts with the same metrics. A frame says where the drawing goes: the
 * PDF's A4 pages, rows continuing on the next page when they do not fit, or the SVG's one page
 * that is as long as the session needs. */
#ifndef PCAP2REPORT_DIAGRAM_H
#define PCAP2REPORT_DIAGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdf_canvas.h"
#include "pdf_words.h"
#include "report.h"

/* ---- geometry (points) ------------------------------------------------------------------------ */

#define DG_MARGIN PDF_MARGIN
#define DG_TOP_Y (PDF_PAGE_H - PDF_MARGIN)
#define DG_X_STRIP PDF_MARGIN        /* the phase strip, 6 wide */
#define DG_X_TIME_R 66.0f            /* right edge of the packet number and time */
#define DG_X_CLIENT 122.0f
#define DG_X_SERVER 326.0f
#define DG_X_STATE_GAP 4.0f          /* between a lifeline and its state labels */
#define DG_STATE_W 50.0f
#define DG_X_RIGHT 386.0f            /* right edge of the diagram, phase bands included */
#define DG_BOX_W 132.0f
#define DG_BOX_TOP 770.0f
#define DG_BOX_H 30.0f
#define DG_ROWS_TOP 728.0f
#define DG_ROWS_BOTTOM (PDF_BOTTOM + 6) /* on an A4 page */

#define DG_LABEL_SIZE 6.3f
#define DG_OPTIONS_SIZE 5.6f
#define DG_LINE_STEP 7.2f     /* between the two lines of a SYN's label */
#define DG_ROW_BASE 22.0f     /* between two one-line rows close in time */
#define DG_ROW_TIME_MAX 14.0f /* what time can add to a row */
#define DG_TAG_H 8.0f         /* anomaly tag under an arrow */
#define DG_FOLD_H 38.0f
#define DG_PAUSE_H 14.0f
#define DG_DROP_MAX 12.0f
#define DG_DROP_SHARE 0.3f    /* of the row it leans into */
#define DG_PAUSE_NS 1000000000LL /* a silence this long gets its own row */

/* Where the drawing goes. */
struct diagram_frame {
    float right;       /* right edge of the heading line and its chips */
    float rows_bottom; /* rows below this go on to a new page; -INFINITY: one page */
};

/* The PDF's A4 page, and the SVG's one long page as wide as the diagram. */
extern const struct diagram_frame diagram_frame_pdf, diagram_frame_svg;

/* ---- the layout: one row per event, fold and pause ---------------------------------------------- */

enum diagram_item_kind { DIAGRAM_EVENT, DIAGRAM_FOLD, DIAGRAM_PAUSE };

struct diagram_item {
    uint8_t kind;
    uint8_t lines;        /* label lines of an event (1, or 2 with SYN options) */
    bool tag;             /* an anomaly tag under the arrow */
    bool from_capture;    /* the arrow leaves the side the capture was taken at */
    uint32_t index;       /* event or gap index; for a pause, the event after it */
    uint32_t page;        /* page of the session, from 0 */
    float y;              /* event: its capture time; fold or pause: the top of its row */
    float y_start, y_end; /* event: the arrow's ends at sender and receiver */
    float top, bottom;    /* extent of everything drawn for the item */
};

/* Estimates from the handshake, for slanting the arrows (diagram.c). */
struct diagram_transit {
    int64_t one_way_ns; /* 0: unknown, arrows are drawn level */
    bool near_client;
    bool midway;        /* neither time dominates: the capture was between the two, or on
                           loopback at both ends; drawn as if near the client */
};

/* ---- the drawing: primitives in drawing order ----------------------------------------------------- */

enum diagram_prim_kind {
    DG_RECT,       /* x y w h, filled with fill */
    DG_ROUND_RECT, /* x y w h r; filled when has_fill, outlined (width) when has_stroke */
    DG_LINE,       /* x y to x2 y2, width, stroke, dashed dash_on/dash_off when dash_on > 0 */
    DG_ARROW,      /* x y to x2 y2 with a filled head of size head at x2 y2; dashed 3/2 */
    DG_DOT,        /* a filled circle at x y of radius r */
    DG_BREAK,      /* the zigzag across a lifeline at x, centred on y, in stroke, width */
    DG_TEXT,       /* text, its left end at left, baseline y, size, font; anchor x as align says */
    DG_LINK,       /* a link over x y w h to the page the caller names (PDF only) */
    DG_PUSH,       /* the frame m (a b c d e f, as a PDF cm) applies until the matching DG_POP */
    DG_POP,
};

/* What a primitive belongs to: the SVG groups and classes its elements by it, and tests pick
 * them out. */
enum diagram_part {
    DG_PART_HEADING, DG_PART_CHIP, DG_PART_META, DG_PART_BACK /* PDF only */, DG_PART_BOX,
    DG_PART_LIFELINE, DG_PART_PHASE, DG_PART_FOLD, DG_PART_PAUSE, DG_PART_ARROW,
    DG_PART_LABEL, DG_PART_OPTIONS, DG_PART_TAG, DG_PART_MARGIN, DG_PART_STATE,
    DG_PART_TIME_WAIT, DG_PARTS
};

struct diagram_prim {
    uint8_t kind, part, font, align;        /* font: enum pdf_font_role; align: enum pdf_align */
    bool has_fill, has_stroke, dashed;
    uint32_t page;                          /* page of the session, from 0 */
    uint32_t index;                         /* the event or gap it draws, else 0 */
    float x, y, x2, y2, w, h, r;
    float width, head, dash_on, dash_off;   /* lines */
    float size, left, text_w;               /* text: size, left end, width as measured */
    float m[6];                             /* DG_PUSH */
    struct pdf_rgb fill, stroke;
    size_t text;                            /* DG_TEXT: offset into the description's strings */
};

/* One session's drawing. Zero it before the first diagram_build; it keeps its buffers from
 * one session to the next until diagram_free. */
struct diagram {
    /* Set by the caller before diagram_build. */
    struct pdf_canvas *canvas;       /* measures text (with the fonts the PDF uses) */
    struct pdf_words *words;
    const struct capture_report *r;  /* for capture-wide facts: offload hosts, digits */
    bool absolute_seq;
    const struct diagram_frame *frame;

    /* Filled by diagram_build. */
    const struct session *s;
    struct diagram_transit transit;
    struct diagram_item *items;
    size_t n_items, cap_items;
    uint32_t pages;
    struct diagram_prim *prims;
    size_t n_prims, cap_prims;
    char *strings;
    size_t n_strings, cap_strings;
    bool oom;                        /* memory ran out: the description is incomplete */
    struct diagram_prim spare_prim;  /* what is written to once memory ran out */
    struct diagram_item spare_item;
};

/* Lays out and describes session s: for each page, its header (heading, chips, the "back"
 * link, lifeline boxes) and its part of the diagram. Returns 0, or -1 when memory ran out. */
int diagram_build(struct diagram *d, const struct session *s);

/* Appends the header of page `page` of the session being described (the heading, continued
 * unless first; the lifeline boxes with boxes), for pages a caller adds (the PDF's text
 * column). Returns 0 or -1 as diagram_build. */
int diagram_header(struct diagram *d, uint32_t page, bool first, bool boxes);

/* The transit estimate of s (diagram.c), as diagram_build makes it. */
struct diagram_transit diagram_transit_of(const struct session *s);

/* The text of a DG_TEXT primitive. */
static inline const char *diagram_text(const struct diagram *d, const struct diagram_prim *p)
{
    return d->strings + p->text;
}

/* The marks of e worth a tag under its arrow: a bad checksum is left out for a host whose
 * checksums are all bad (offload, explained on the first page). */
uint8_t diagram_shown_marks(const struct diagram *d, const struct session *s, const struct timeline_event *e);

/* The label of a segment as tcpdump prints it, without the flags: "seq 1:101, ack 1, win 502,
 * length 100", relative to the ISNs unless absolute. In a pdf_words buffer. */
const char *diagram_segment_label(struct pdf_words *w, const struct session *s, const struct timeline_event *e,
                                  bool absolute);

void diagram_free(struct diagram *d); /* accepts a zeroed struct */

/* ---- diagram.c's helpers for the files that build the description (diagram_*.c) ---------------- */

struct diagram_prim *diagram_add(struct diagram *d, enum diagram_prim_kind kind, enum diagram_part part,
                                 uint32_t page);
void diagram_lay_out(struct diagram *d);                       /* diagram_layout.c */
void diagram_draw_header(struct diagram *d, uint32_t page, bool first, bool boxes); /* diagram_draw.c */
void diagram_draw_page(struct diagram *d, uint32_t page);      /* diagram_draw.c */

#endif
