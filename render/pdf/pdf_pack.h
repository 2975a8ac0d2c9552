/* pdf_pack.h — finished pages' contents compressed before the document is saved, on a helper
 * thread when the machine has a core to spare.
 *
 * libharu compresses every page's content stream while it saves, one after the other: on a
 * report of thousands of table pages that was half of the PDF's time, after all the drawing.
 * A page handed over here is compressed as libharu would compress it (zlib's default level,
 * window and memory; zlib's output does not depend on how its input is cut) and the result
 * put in its place, marked so that libharu writes the same dictionary and copies the bytes as
 * they are: the document is the same to the byte. A helper thread compresses pages while the
 * caller draws the next ones, when the run's core budget spares a core (not in batch mode); without
 * it the pages wait for pdf_pack_finish, which compresses the rest on the calling thread and
 * the helper together.
 *
 * A page handed over is finished: nothing may be drawn on it afterwards (libharu's page calls
 * then fail with HPDF_PAGE_INVALID_GMODE rather than write into the compressed bytes).
 * Only the thread that draws calls these functions; errors go through the document's error
 * handler, as libharu's own do. */
#ifndef PCAP2REPORT_PDF_PACK_H
#define PCAP2REPORT_PDF_PACK_H

#include <hpdf.h>
#include <stddef.h>

#include "cores.h"

struct pdf_pack;

/* A packer for at most max_pages pages of doc, with a helper thread while cores (may be
 * NULL: never) spares a core; NULL when out of memory. */
struct pdf_pack *pdf_pack_new(HPDF_Doc doc, size_t max_pages, struct core_budget *cores);

/* Hands over a finished page. */
void pdf_pack_page(struct pdf_pack *p, HPDF_Page page);

/* Compresses what is left and puts every page's compressed contents in place. */
void pdf_pack_finish(struct pdf_pack *p);

/* Stops the helper (waiting for the page it is on) and frees p, whether or not it finished;
 * accepts NULL. Must come before the document is freed. */
void pdf_pack_free(struct pdf_pack *p);

#endif
