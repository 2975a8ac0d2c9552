/* pdf_writer.h — writes a capture report as a PDF a person reads (pdf_writer.c), and a
 * batch's one-page summary (pdf_batch.c): the PDF renderer's entry points.
 *
 * The first page describes the capture (name, size, SHA-256, link type, time span, packet
 * counts, warnings), charts the sessions per handshake and close class, and starts a table of
 * every session; each table row links to that session's pages. A session's pages hold its
 * sequence diagram (one arrow per kept segment, labelled as tcpdump prints it, each side's TCP
 * state beside its lifeline, handshake and close shaded, long data runs folded) and, beside
 * it, the acknowledgement checks and the explanation of its close in words. Every sentence
 * comes from templates/<lang>.txt. The output depends only on the report and the options:
 * no clock, no random /ID, so the same input gives the same bytes. The document records what
 * made it (tool and schema version, the capture's SHA-256, the options) in its information
 * dictionary and on the first page; its /ID is derived from its own bytes; with pdfa it is
 * PDF/A-1b (pdf_archive.c, pdf_repair.c, docs/pdfa.md). */
#ifndef PCAP2REPORT_PDF_WRITER_H
#define PCAP2REPORT_PDF_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "pdf_options.h"
#include "report.h"

/* Writes the report to out, a file the caller created (and removes when this fails: the
 * bytes written so far are no PDF). Returns 0, or -1 with a sentence in err: unreadable or
 * incomplete templates, a bad session filter, out of memory, a libharu error, or the system's
 * reason when writing failed (strerror alone: the caller names its file). */
int pdf_write_report(FILE *out, const struct capture_report *r, const struct pdf_options *opt,
                     char *err, size_t errlen);

/* The /Keywords a report of the capture with this SHA-256 gets with opt (pdf_archive.h): the
 * provenance a rerun compares with the PDF on disk (pdf_read.h). Into out (of len bytes).
 * With SOURCE_DATE_EPOCH set they name it; a report whose capture starts in that very second
 * does not (pdf_archive_keywords), so a rerun converts it again, to the same bytes. */
void pdf_report_keywords(const struct pdf_options *opt, const char *sha256, char *out, size_t len);

/* What a batch converted, for its one-page summary. */
struct pdf_batch {
    unsigned long long inputs, converted, up_to_date, failed, skipped, sessions, packets;
    unsigned handshake[HANDSHAKE_CLASSES], teardown[TEARDOWN_CLASSES];
    const char *const *failed_inputs, *const *failed_reasons; /* n_failed of each */
    size_t n_failed;
};

/* Writes the one-page summary of a batch (OUT/index.pdf) to out: the counts by status, the
 * sessions by handshake and close class over all captures, and the inputs that failed with
 * their reasons (as many as fit; the rest are counted). Same return as pdf_write_report. */
int pdf_write_batch_summary(FILE *out, const struct pdf_batch *b, const struct pdf_options *opt,
                            char *err, size_t errlen);

#endif
