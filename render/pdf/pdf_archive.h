/* pdf_archive.h — what makes a PDF of pcap2report last: its date, its provenance (document
 * information, and with PDF/A the same in XMP), and a document /ID derived from its own bytes.
 *
 * Order of calls: pdf_archive_begin right after the document and its fonts are set up (the
 * document information); pdf_archive_end after the last thing is drawn (libharu's font
 * dictionaries repaired, and with pdfa the PDF/A-1b parts: pdf_repair.h); pdf_archive_save
 * instead of HPDF_SaveToFile. Errors go to the pdf_fail given to pdf_archive_begin. */
#ifndef PCAP2REPORT_PDF_ARCHIVE_H
#define PCAP2REPORT_PDF_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "pdf_fail.h"
#include "pdf_hpdf.h"
#include "pdf_options.h"
#include "pdf_words.h"
#include "report.h"

/* Where the document's date comes from. */
enum pdf_date_source { PDF_DATE_NONE, PDF_DATE_SOURCE_DATE_EPOCH, PDF_DATE_CAPTURE };

/* The date written into the document, in seconds since the epoch, and where it comes from:
 * SOURCE_DATE_EPOCH as the caller read it (o), else the first packet of r (rounded down to
 * the second; r may be NULL), else none. */
enum pdf_date_source pdf_archive_date(const struct pdf_options *o, const struct capture_report *r,
                                      int64_t *seconds);

/* The options that shaped the document, as a command line would give them, e.g.
 * "--idle-timeout 300 --lang zh --max-diagrams 50 --pdfa", into out. */
void pdf_archive_options(const struct pdf_options *o, size_t max_diagrams, char out[PDF_WORDS_LEN]);

/* What the document says about itself. */
struct pdf_provenance {
    const char *title, *subject;  /* the document's */
    const char *tool_version;     /* NULL: "?" */
    const char *input_sha256;     /* the capture's; NULL or "" when there is none */
    const char *options;          /* pdf_archive_options */
    enum pdf_date_source date_source;
    int64_t date;                 /* pdf_archive_date */
    bool have_capture_date;       /* the date the capture alone gives (its first packet's second) */
    int64_t capture_date;
    bool pdfa;                    /* PDF/A-1b */
};

/* The document's Keywords, which record its provenance so that it can be made again:
 * "pcap2report 0.1.0; schema pcap2report 1.0.0; input SHA-256 <hex>; options <options>", and
 * "; SOURCE_DATE_EPOCH <seconds>" when the date came from it and differs from the capture's
 * own (a date from the capture follows from the capture; SOURCE_DATE_EPOCH set to the
 * capture's first second gives the same bytes as none: docs/pdfa.md). pdf_read.h reads
 * them back. */
void pdf_archive_keywords(const struct pdf_provenance *p, char out[PDF_WORDS_LEN]);

struct pdf_archive {
    struct pdf_fail *fail;
    HPDF_Doc pdf;
    char title[PDF_WORDS_LEN], subject[PDF_WORDS_LEN], creator[PDF_WORDS_LEN],
        producer[PDF_WORDS_LEN], keywords[PDF_WORDS_LEN];
    bool have_date;
    struct tm date; /* UTC */
    bool pdfa;
    char *xmp;      /* the XMP packet while it is handed to libharu */
};

/* Writes the document information (title, subject, creator, producer, keywords with the
 * provenance, creation and modification dates). Fails for pdfa when libharu 2.3.0's repairs
 * are not compiled in (pdf_repair.h). */
void pdf_archive_begin(struct pdf_archive *a, struct pdf_fail *fail, HPDF_Doc pdf,
                       const struct pdf_provenance *p);

/* After the last page is drawn: repairs the dictionaries of fonts (the embedded TrueType fonts
 * taking UTF-8, pdf_canvas_truetype_fonts), and with pdfa makes the document PDF/A-1b. */
void pdf_archive_end(struct pdf_archive *a, const HPDF_Font *fonts, size_t n_fonts);

/* Writes the document to out (a file the caller created, and removes on failure) with its
 * /ID set to the first 16 bytes of the SHA-256 of the file as written with a zero /ID, so
 * that anyone can check the ID against the bytes. A write error fails with the system's
 * reason (strerror) alone: the caller knows the file's name. */
void pdf_archive_save(struct pdf_archive *a, FILE *out);

/* Frees what a failure left behind; accepts a zeroed struct. */
void pdf_archive_free(struct pdf_archive *a);

#endif
