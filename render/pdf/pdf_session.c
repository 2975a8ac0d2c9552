/* pdf_session.c — one session's pages: the sequence diagram and, beside it, the checks
 * (pdf_session.h; the parts are in pdf_session_parts.h).
 *
 * The diagram is described first (render/diagram.h: the layout of its rows, slanted by the
 * time each segment took to cross, and every piece drawn, page by page); then each page is
 * added and its part of the description drawn on it (pdf_session_diagram.c), with the lifeline
 * boxes repeated on every page. The SVG writer draws the same description.
 *
 * The text column beside the diagram flows from page to page of the session and adds pages
 * when the explanation is longer than the diagram. */
#include "pdf_session.h"

#include <stdlib.h>

#include "pdf_session_parts.h"

HPDF_Page pdf_session_draw(struct pdf_session_pages *sp, const struct capture_report *r,
                           const struct session *s, HPDF_Page back)
{
    struct pdf_doc *d = sp->doc;
    if (!sp->diagram && !(sp->diagram = calloc(1, sizeof *sp->diagram)))
        pdf_fail(&d->fail, "out of memory");
    struct diagram *dg = sp->diagram;
    dg->canvas = &d->canvas;
    dg->words = &d->words;
    dg->r = r;
    dg->absolute_seq = sp->absolute_seq;
    dg->frame = &diagram_frame_pdf;
    if (diagram_build(dg, s) != 0)
        pdf_fail(&d->fail, "out of memory");
    struct pdf_sess x = {.sp = sp, .doc = d, .words = &d->words, .canvas = &d->canvas, .r = r,
                         .absolute_seq = sp->absolute_seq, .dg = dg, .back = back};

    size_t first = d->n_pages;
    for (uint32_t pg = 0; pg < dg->pages; pg++)
        pdf_session_diagram_page(&x, pdf_doc_add_page(d), pg);
    bool legend = pdf_session_legend(&x, d->pages[d->n_pages - 1]);
    pdf_session_panel(&x, s, first, dg->pages, &dg->transit, legend);
    return d->pages[first];
}

void pdf_session_pages_free(struct pdf_session_pages *sp)
{
    if (sp->diagram)
        diagram_free(sp->diagram);
    free(sp->diagram);
    sp->diagram = NULL;
}
