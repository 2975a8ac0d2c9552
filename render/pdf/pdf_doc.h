/* pdf_doc.h — the document every PDF of pcap2report is built on: libharu's document with its
 * errors routed to one failure, the wording, the fonts, the list of pages, the footers, and
 * saving with the provenance and /ID of pdf_archive.h.
 *
 * A driver (pdf_writer.c, pdf_batch.c, grade's feedback) makes one with pdf_doc_new, sets
 * d->fail.jump with setjmp, then calls pdf_doc_begin, adds and draws pages (the page kinds:
 * pdf_summary.h, pdf_session.h ...), draws the footers and saves; every failure on the way
 * longjmps back to it, and pdf_doc_free cleans up either way. */
#ifndef PCAP2REPORT_PDF_DOC_H
#define PCAP2REPORT_PDF_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "pdf_archive.h"
#include "pdf_canvas.h"
#include "pdf_fail.h"
#include "pdf_hpdf.h"
#include "pdf_templates.h"
#include "pdf_words.h"

struct pdf_doc {
    struct pdf_fail fail;      /* the driver sets fail.jump before pdf_doc_begin */
    HPDF_Doc pdf;
    const char *templates_dir, *lang; /* where the wording comes from (borrowed) */
    struct pdf_templates *tpl; /* the wording, owned */
    struct pdf_words words;    /* sentences and values, from tpl */
    struct pdf_canvas canvas;  /* fonts, text and shapes */
    struct pdf_archive archive;
    const char *tool_version;  /* for the footers; NULL: "?" */

    /* Every page in document order. */
    HPDF_Page *pages;
    size_t n_pages, cap_pages;
    bool footers_drawn;        /* no page may be added after ("page N of M" needs M) */
};

/* A document with the wording of <templates_dir>/<lang>.txt ("templates" and "en" when NULL;
 * both must outlive d), checked against the schema of pdf_wording.h, failing into err. NULL
 * with a sentence in err when the templates cannot be used or memory is short. */
struct pdf_doc *pdf_doc_new(const char *templates_dir, const char *lang, char *err, size_t errlen);

/* Creates libharu's document, with every libharu error failing through d->fail: compression,
 * the fonts the template names (every one embedded with p->pdfa), the document information
 * (pdf_archive_begin with p) and the outline shown on opening. */
void pdf_doc_begin(struct pdf_doc *d, const struct pdf_provenance *p);

/* A new A4 page at the end of the document. */
HPDF_Page pdf_doc_add_page(struct pdf_doc *d);

/* "pcap2report VERSION · file" and "page N of M" at the foot of every page; after it no page
 * may be added. */
void pdf_doc_footers(struct pdf_doc *d, const char *file);

/* After the last thing is drawn: the font repairs and PDF/A (pdf_archive_end), then writing
 * to out, a file the caller created, with the /ID from the bytes (pdf_archive_save). */
void pdf_doc_save(struct pdf_doc *d, FILE *out);

/* Frees d and what it holds (accepts NULL). Returns rc. A file that failed is the caller's
 * to remove: it created it. */
int pdf_doc_free(struct pdf_doc *d, int rc);

#endif
