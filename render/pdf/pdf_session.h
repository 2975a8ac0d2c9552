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

/* Frees the description; accepts a zeroed struct. */
void pdf_session_pages_free(struct pdf_session_pages *sp);

#endif
