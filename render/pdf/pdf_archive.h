/* pdf_archive.h — what makes a PDF report last (internal to render/pdf_*.c): its date, its
 * provenance, a document /ID derived from its own bytes, font dictionaries within PDF/A-1's
 * rules, and with pdf_options.pdfa the PDF/A-1b parts (XMP metadata, sRGB OutputIntent).
 *
 * Order of calls: pdf_archive_begin right after the canvas is set up (document information,
 * a placeholder /ID); pdf_archive_end after the last thing is drawn (font fix-ups, PDF/A);
 * pdf_archive_save instead of HPDF_SaveToFile. Errors longjmp through pdf_fail. */
#ifndef PCAP2REPORT_PDF_ARCHIVE_H
#define PCAP2REPORT_PDF_ARCHIVE_H

#include <stdint.h>

struct pdf_ctx;

/* Where the document's date comes from. */
enum pdf_date_source { PDF_DATE_NONE, PDF_DATE_SOURCE_DATE_EPOCH, PDF_DATE_CAPTURE };

/* The date written into the document, in seconds since the epoch, and where it comes from:
 * SOURCE_DATE_EPOCH as the caller read it, else the capture's first packet (rounded down to the
 * second), else none. */
enum pdf_date_source pdf_archive_date(const struct pdf_ctx *x, int64_t *seconds);

/* The options that shaped the report, as a command line would give them, e.g.
 * "--idle-timeout 300 --lang zh --max-diagrams 50 --pdfa" (in a rotating buffer). */
const char *pdf_archive_options(struct pdf_ctx *x);

/* Document information (title, subject, creator, producer, keywords with the provenance,
 * creation and modification dates) and a placeholder /ID, before anything can replace it. */
void pdf_archive_begin(struct pdf_ctx *x);

/* After the last page is drawn: repairs the font dictionaries libharu writes for TrueType
 * fonts taking UTF-8, and for pdf_options.pdfa makes the document PDF/A-1b. */
void pdf_archive_end(struct pdf_ctx *x);

/* Saves the document to path with its /ID set to the first 16 bytes of the SHA-256 of the
 * file as written with a zero /ID, so that anyone can check the ID against the bytes. */
void pdf_archive_save(struct pdf_ctx *x, const char *path);

#endif
