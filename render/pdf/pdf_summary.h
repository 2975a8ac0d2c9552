/* pdf_summary.h — the capture report's first part: the first page (the capture, what made the
 * report, charts of the classes, which sessions have diagrams) and the table of every session,
 * however many there are, continued over as many pages as it takes. A row of a session with
 * a diagram links to its first diagram page.
 *
 * The driver creates these pages first, so that they come first in the document, then draws
 * the sessions' pages, recording where each one starts in the selection (pdf_select.h), and
 * then draws these, whose links need those pages to exist. */
#ifndef PCAP2REPORT_PDF_SUMMARY_H
#define PCAP2REPORT_PDF_SUMMARY_H

#include <stddef.h>

#include "pdf_doc.h"
#include "pdf_options.h"
#include "pdf_select.h"
#include "report.h"

/* The table lists at most this many sessions (the first ones, in the report's order; about 120
 * pages): a capture of millions of sessions still makes a document a person reads, and a
 * libharu document of a million pages is beyond what it can build. A note under the last row
 * counts the rest and points to the JSON report, which lists every session (docs/report.md). */
enum { PDF_TABLE_MAX_ROWS = 5000 };

struct pdf_summary {
    /* Set by the driver. */
    struct pdf_doc *doc;
    const struct capture_report *r;
    const struct pdf_options *opt;   /* recorded on the first page (provenance) */
    const struct pdf_selection *sel; /* the sessions with diagrams, and their pages */
    size_t max_diagrams;
    const char *file_name;           /* the capture's name as valid UTF-8 */
    struct session_view *view;       /* the driver's, through which sessions are read */

    /* Set by pdf_summary_create_pages: the table's pages (the first page is table_pages[0])
     * and how many rows each holds. */
    HPDF_Page *table_pages;
    size_t n_table_pages, rows_first_page, rows_per_page;
    size_t n_rows;                   /* sessions listed: at most PDF_TABLE_MAX_ROWS */
    float table_top_first;           /* y of the table's title on the first page */
};

/* Lays out the first page and appends the summary's pages to the document. */
void pdf_summary_create_pages(struct pdf_summary *sm);

/* The table page listing session index i (for a session page's link back). */
HPDF_Page pdf_summary_page_of(const struct pdf_summary *sm, size_t i);

/* Draws the summary's pages; every diagram page in sm->sel must exist. */
void pdf_summary_draw(struct pdf_summary *sm);

/* The first page's sentences, for another writer of the same report (the HTML): the packets
 * by outcome, the sessions by IP version, the bad checksums, the first warnings (each into
 * buf, of PDF_WORDS_LEN bytes), and which sessions have diagrams (in a pdf_words buffer). */
void pdf_summary_packets_text(struct pdf_words *wd, const struct capture_counts *k, char *buf);
void pdf_summary_sessions_text(struct pdf_words *wd, const struct capture_report *r, char *buf);
void pdf_summary_checksums_text(struct pdf_words *wd, const struct capture_report *r, char *buf);
void pdf_summary_warnings_text(struct pdf_words *wd, const struct capture_report *r, char *buf);
const char *pdf_summary_diagrams_text(struct pdf_words *wd, const struct capture_report *r,
                                      const struct pdf_selection *sel, size_t max_diagrams, const char *prefix);

/* Frees what pdf_summary_create_pages allocated; accepts a zeroed struct. */
void pdf_summary_free(struct pdf_summary *sm);

#endif
