/* pdf_session.h — one session's pages: its sequence diagram (one arrow per kept segment,
 * labelled as tcpdump prints it, each side's TCP state beside its lifeline, handshake and close
 * shaded, long data runs folded) and, beside it, the acknowledgement checks and the explanation
 * of its close in words. A session takes as many pages as its diagram or its text needs.
 *
 * The capture report draws the sessions it chose after its summary pages; a student's
 * feedback draws those its checks picked. Each page has a "back" link to a page the caller
 * names (the summary's table row, the feedback's first page): the caller passes it down, so
 * nothing here needs to know who called. */
#ifndef PCAP2REPORT_PDF_SESSION_H
#define PCAP2REPORT_PDF_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "pdf_doc.h"
#include "report.h"

struct diagram;

/* What draws sessions into one document; zero it, then set doc and absolute_seq. */
struct pdf_session_pages {
    struct pdf_doc *doc;
    bool absolute_seq;       /* label arrows with absolute sequence numbers */
    struct diagram *diagram; /* the description of the session being drawn, reused */
};

/* Appends the pages of session s of report r (for its capture-wide facts: offload hosts,
 * timestamp digits), their "back" links leading to back. Returns the first page. */
HPDF_Page pdf_session_draw(struct pdf_session_pages *sp, const struct capture_report *r,
                           const struct session *s, HPDF_Page back);

/* Where the text column goes when it is not drawn on pages (the HTML report): each section's
 * heading, each paragraph (label: a technical name such as an anomaly's; small: a note), each
 * acknowledgement check with where it was read. ink is the colour the PDF gives it. */
struct pdf_session_sink {
    void *arg;
    void (*heading)(void *arg, const char *text, struct pdf_rgb ink);
    void (*text)(void *arg, const char *text, bool label, bool small, struct pdf_rgb ink);
    void (*check)(void *arg, bool pass, const char *text, const char *where);
};

/* Writes the text column of session s (the handshake and close in words, the checks,
 * TIME-WAIT, anomalies, the facts, and with legend how to read the diagram) into sink: the
 * same sentences the PDF sets beside the diagram. Failures inside libharu go to d->fail. */
void pdf_session_explain(struct pdf_doc *d, const struct capture_report *r, const struct session *s,
                         bool absolute_seq, bool legend, const struct pdf_session_sink *sink);

/* Frees the description; accepts a zeroed struct. */
void pdf_session_pages_free(struct pdf_session_pages *sp);

#endif
