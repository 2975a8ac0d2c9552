/* pdf_hpdf.h — libharu as the PDF renderer uses it: through its public API only.
 *
 * hpdf.h declares libharu's public functions, and unless HPDF_SHARED is defined it also pulls
 * in every private structure (hpdf_doc.h, hpdf_pages.h, hpdf_streams.h ...), whose layout
 * changes between releases (2.4 adds a field to HPDF_PageAttr_Rec). With HPDF_SHARED, which
 * is how hpdf.h presents the library to programs linking it as a shared library, each handle
 * is an opaque pointer and only the HPDF_EXPORT functions are declared: a file that includes
 * this header before any other libharu header cannot reach into a page, a stream or a
 * dictionary, because the compiler refuses it. Every file of the renderer does so, except
 * pdf_repair.c, which repairs libharu 2.3.0's own output and only for that version.
 *
 * hpdf_error.h cannot be included beside the opaque handles (it defines HPDF_Error as a
 * structure pointer), so the few error codes the renderer names are repeated here, with the
 * values libharu has kept since 2.0. */
#ifndef PCAP2REPORT_PDF_HPDF_H
#define PCAP2REPORT_PDF_HPDF_H

#ifndef HPDF_SHARED
#define HPDF_SHARED
#endif
#include <hpdf.h>

enum pdf_hpdf_error {
    PDF_HPDF_FAILD_TO_ALLOC_MEM = 0x1015,
    PDF_HPDF_FILE_IO_ERROR = 0x1016,
    PDF_HPDF_FILE_OPEN_ERROR = 0x1017,
    PDF_HPDF_INVALID_TTC_FILE = 0x103F,
    PDF_HPDF_INVALID_TTC_INDEX = 0x1040,
    PDF_HPDF_TTF_CANNOT_EMBEDDING_FONT = 0x105D,
    PDF_HPDF_TTF_MISSING_TABLE = 0x1060,
};

#endif
