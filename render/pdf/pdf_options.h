/* pdf_options.h — what a caller chooses about a PDF of pcap2report (pdf_writer.h): wording,
 * which sessions get diagrams, PDF/A, and the provenance the document records. */
#ifndef PCAP2REPORT_PDF_OPTIONS_H
#define PCAP2REPORT_PDF_OPTIONS_H

#include <stdbool.h>

/* Sessions with diagram pages when pdf_options.max_diagrams is 0. */
enum { PDF_DEFAULT_MAX_DIAGRAMS = 50 };

struct pdf_options {
    const char *templates_dir;   /* folder holding <lang>.txt */
    const char *lang;            /* "en" */
    bool absolute_seq;           /* label arrows with absolute instead of relative numbers */
    unsigned max_diagrams;       /* 0: PDF_DEFAULT_MAX_DIAGRAMS */
    const char *session_filter;  /* NULL or a list of session ids like "3,7-9": only those get diagrams */
    const char *stream_filter;   /* NULL or a list of Wireshark tcp.stream numbers ("0,3-5"): only the
                                    sessions of those streams get diagrams (instead of session_filter) */
    const char *tool_version;
    bool pdfa;                   /* PDF/A-1b: every font embedded, sRGB OutputIntent, XMP metadata */

    /* Provenance: the analysis options the report was made with, recorded in the document
     * information and on the first page next to the PDF options above. */
    const char *filter;          /* NULL when none */
    unsigned long long max_sessions; /* 0: no limit */
    long long idle_timeout_s;    /* 0: not given */

    /* The date written into the document (creation and modification): SOURCE_DATE_EPOCH when
     * the caller read one, else the time of the capture's first packet, else none. Never the
     * clock. */
    bool have_source_date;
    long long source_date;       /* seconds since the epoch */
};

#endif
