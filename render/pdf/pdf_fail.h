/* pdf_fail.h — how a PDF being built gives up: a sentence in the caller's buffer and a
 * longjmp back to the caller.
 *
 * Building a document makes thousands of libharu calls, any of which may fail (out of memory,
 * a font libharu rejects, a full disk); libharu reports each through the document's error
 * handler. Rather than check every call, the caller sets the jump with setjmp before the
 * first one, and every failure (libharu's, through pdf_fail_on_hpdf_error, or the renderer's
 * own) writes its sentence and jumps there; the caller then frees the document. */
#ifndef PCAP2REPORT_PDF_FAIL_H
#define PCAP2REPORT_PDF_FAIL_H

#include <setjmp.h>
#include <stddef.h>

#include "pdf_hpdf.h"

struct pdf_fail {
    jmp_buf jump; /* set by the caller (setjmp) before anything can fail */
    char *err;    /* the caller's buffer for the sentence */
    size_t errlen;
};

/* Writes the sentence into f->err and jumps to f->jump; never returns. */
_Noreturn void pdf_fail(struct pdf_fail *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* libharu's error handler for a document made with HPDF_New(pdf_fail_on_hpdf_error, f):
 * names the error (in words where a user can act on it) and fails. */
void HPDF_STDCALL pdf_fail_on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *f);

#endif
