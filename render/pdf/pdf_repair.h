/* pdf_repair.h — what libharu 2.3.0 gets wrong in its own output, put right where its public
 * API offers no way to: TrueType font dictionaries, the PDF/A-1b metadata and output intent,
 * and annotation flags (the list, and why each needs libharu's private structures, is at the
 * top of pdf_repair.c).
 *
 * The repairs are compiled only with libharu 2.3.0 (HPDF_VERSION_ID 20300, Debian 12), the
 * version they were written and checked against, and not with PDF_PUBLIC_ONLY defined. With
 * any other version (or PDF_PUBLIC_ONLY) pdf_repair_available
 * says so, the font and link repairs do nothing (libharu's own dictionaries are valid PDF,
 * just not PDF/A-1), and pdf_repair_pdfa fails: a report that claims PDF/A-1b must be one. */
#ifndef PCAP2REPORT_PDF_REPAIR_H
#define PCAP2REPORT_PDF_REPAIR_H

#include <stdbool.h>
#include <stddef.h>

#include "pdf_fail.h"
#include "pdf_hpdf.h"

/* True when the repairs are compiled in. */
bool pdf_repair_available(void);

/* Sets "print" in a link annotation's flags (/F 4), as PDF/A asks of every annotation. */
void pdf_repair_link_flags(HPDF_Annotation a);

/* Repairs the dictionaries of the embedded TrueType fonts taking UTF-8 (pdf_canvas_truetype_fonts),
 * after the last text is drawn: /W within PDF/A-1's limits, a /CIDSet, an identity /ToUnicode.
 * Errors go to fail. */
void pdf_repair_fonts(struct pdf_fail *fail, HPDF_Doc pdf, const HPDF_Font *fonts, size_t n);

/* Makes the document PDF/A-1b, after the last thing is drawn: libharu's conformance, with the
 * XMP packet xmp (xmp_len bytes, written by the caller) as its metadata, and the ICC profile at
 * icc_path (version 2 sRGB) as its output intent under icc_name. Errors go to fail. */
void pdf_repair_pdfa(struct pdf_fail *fail, HPDF_Doc pdf, const char *xmp, size_t xmp_len,
                     const char *icc_path, const char *icc_name);

#endif
