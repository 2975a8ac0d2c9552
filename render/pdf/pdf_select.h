/* pdf_select.h — which sessions of a report get diagram pages, and where those pages are.
 *
 * At most max sessions, so that the document does not grow with the session count: those a
 * session filter ("3,7-9") names, or else first the sessions that show something not shown
 * yet (a class, an anomaly, IPv6, a reused address pair), then the earliest others. The
 * driver records each chosen session's first diagram page here as it draws it; this is the
 * table it passes down, so that the summary's rows link to the diagrams without calling up. */
#ifndef PCAP2REPORT_PDF_SELECT_H
#define PCAP2REPORT_PDF_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdf_hpdf.h"
#include "report.h"

struct pdf_selection {
    size_t *index;        /* session indices into the report, ascending */
    HPDF_Page *diagram;   /* each one's first diagram page, NULL until drawn */
    size_t n, max;
    const char *filter;   /* the session filter they were chosen by, as a reader sees it, or NULL */
    char *filter_text;    /* "tcp.stream 3" for a stream filter (filter points here) */
    uint64_t n_requested; /* with a filter: the sessions it names that exist */
};

/* Chooses at most max sessions of r, by filter when it is not NULL: a list of session numbers,
 * or with by_stream of Wireshark tcp.stream numbers (a session is chosen when any of its
 * streams is listed). Returns 0, or -1 with a sentence in err for a filter that is not such a
 * list, or out of memory. */
int pdf_select_sessions(struct pdf_selection *sel, const struct capture_report *r, const char *filter,
                        bool by_stream, size_t max, char *err, size_t errlen);

/* Whether session index i was chosen. */
bool pdf_selection_has(const struct pdf_selection *sel, size_t i);

/* Whether filter is a list pdf_select_sessions takes ("3,7-9": session numbers from 1, or
 * with by_stream tcp.stream numbers from 0, and ranges, comma-separated), so a caller can
 * refuse a bad one before any capture is read; false with what is expected in err. */
bool pdf_select_check(const char *filter, bool by_stream, char *err, size_t errlen);

/* The first diagram page of session index i, or NULL when it has none. */
HPDF_Page pdf_selection_diagram(const struct pdf_selection *sel, size_t i);

/* Frees what pdf_select_sessions allocated; accepts a zeroed struct. */
void pdf_selection_free(struct pdf_selection *sel);

#endif
