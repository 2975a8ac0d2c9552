/* pdf_fail.c — a PDF build's failure: the sentence, then the jump back (pdf_fail.h). */
#include "pdf_fail.h"

#include <stdarg.h>
#include <stdio.h>

_Noreturn void pdf_fail(struct pdf_fail *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->err, f->errlen, fmt, ap);
    va_end(ap);
    longjmp(f->jump, 1);
}

/* libharu's error codes a user can act on; the rest are reported by number. */
static const char *hpdf_error_text(HPDF_STATUS code)
{
    switch (code) {
    case PDF_HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
    case PDF_HPDF_FILE_IO_ERROR: return "cannot write the file";
    case PDF_HPDF_FILE_OPEN_ERROR: return "cannot create the file";
    case PDF_HPDF_TTF_MISSING_TABLE: return "the TrueType font lacks a table libharu needs";
    case PDF_HPDF_INVALID_TTC_FILE: return "not a TrueType collection";
    case PDF_HPDF_INVALID_TTC_INDEX: return "no such font in the TrueType collection";
    case PDF_HPDF_TTF_CANNOT_EMBEDDING_FONT: return "the font's licence forbids embedding";
    default: return "internal error";
    }
}

void HPDF_STDCALL pdf_fail_on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *f)
{
    pdf_fail(f, "PDF library: %s (libharu error 0x%04X, detail %u)", hpdf_error_text(code),
             (unsigned)code, (unsigned)detail);
}
