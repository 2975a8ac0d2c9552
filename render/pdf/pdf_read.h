/* pdf_read.h — reading back what a PDF of pcap2report records about itself, from a file that
 * may have been edited or may be no PDF at all.
 *
 * A report's document information holds its provenance in /Keywords (pdf_archive.h writes
 * them): the tool version, the capture's SHA-256, the options as a command line gives them,
 * and SOURCE_DATE_EPOCH when the date came from it. That is what a rerun compares (is the
 * PDF on disk the one these options would make of this capture?), what `verify` makes the
 * document again with, and what `index` writes the batch's index.pdf with. The file is parsed
 * by libqpdf (its C API: qpdf-c.h), which reads only the trailer, the cross-reference table
 * and the objects asked for, and is fuzzed upstream; it is told to print nothing and not to
 * attempt the repair of a damaged file. Every option read back is checked as the command
 * line checks it before anyone uses it. */
#ifndef PCAP2REPORT_PDF_READ_H
#define PCAP2REPORT_PDF_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "pdf_options.h"

/* The document's /Keywords as UTF-8, into out (truncated to len). path is opened by libqpdf:
 * the caller opens a file safely and passes "/proc/self/fd/N". Returns 0, -1 with a phrase
 * in err when the file is no PDF libqpdf reads ("not a PDF: ..."), or when it has no
 * /Keywords. */
int pdf_read_keywords(const char *path, char *out, size_t len, char *err, size_t errlen);

/* The provenance that /Keywords record, parsed and checked. */
struct pdf_read_provenance {
    char version[64];                /* of the pcap2report that wrote it */
    char sha256[65];                 /* the capture's, lowercase hex; "" for a batch summary */
    char *filter;                    /* malloc'd, NULL when none */
    unsigned long long max_sessions; /* 0: no cap */
    long long idle_timeout_s;        /* 0: not recorded */
    char lang[41];                   /* a bare name: letters, digits, '-' and '_' */
    unsigned max_diagrams;           /* 0 for a batch summary */
    char *session_filter;            /* malloc'd, NULL when none; a valid session list */
    char *stream_filter;             /* the same for --tcp-stream (tcp.stream numbers) */
    bool absolute_seq, pdfa;
    bool have_source_date;
    long long source_date;
};

/* Parses keywords as pdf_archive_keywords writes them. Returns 0, or -1 with what is wrong
 * in err ("--max-diagrams is 'x', not a number from 1 to 1000000"). p is zeroed first; free
 * it with pdf_read_provenance_free either way. */
int pdf_read_provenance(const char *keywords, struct pdf_read_provenance *p, char *err, size_t errlen);

void pdf_read_provenance_free(struct pdf_read_provenance *p); /* accepts a zeroed p */

/* Sets the options of o that p records (lang, diagrams, sessions, tcp streams, absolute numbers, PDF/A,
 * the analysis options, SOURCE_DATE_EPOCH); p's strings are borrowed while o is used. The
 * caller sets templates_dir and tool_version. */
void pdf_read_options(const struct pdf_read_provenance *p, struct pdf_options *o);

#endif
