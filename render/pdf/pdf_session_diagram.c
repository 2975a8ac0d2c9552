/* pdf_session_diagram.c — draws a session's described diagram on its PDF pages
 * (pdf_session_parts.h): each primitive of render/diagram.h becomes the canvas call it stands
 * for, in order; and the legend under the diagram, which only the PDF has.
 *
 * What is drawn, and where, is decided in render/diagram_*.c, which the SVG writer reads too;
 * nothing here decides anything but how a primitive looks in PDF. */
#include "pdf_session_parts.h"

/* The zigzag across a lifeline where a fold breaks the time axis. */
static void lifeline_break(HPDF_Page page, const struct diagram_prim *p)
{
    HPDF_Page_SetRGBStroke(page, p->stroke.r, p->stroke.g, p->stroke.b);
    HPDF_Page_SetLineWidth(page, p->width);
    HPDF_Page_MoveTo(page, p->x - 5, p->y + 3);
    HPDF_Page_LineTo(page, p->x + 5, p->y + 5.5f);
    HPDF_Page_MoveTo(page, p->x - 5, p->y - 5.5f);
    HPDF_Page_LineTo(page, p->x + 5, p->y - 3);
    HPDF_Page_Stroke(page);
}

static void draw_prim(struct pdf_sess *x, HPDF_Page page, const struct diagram_prim *p)
{
    switch ((enum diagram_prim_kind)p->kind) {
    case DG_RECT:
        pdf_fill_rect(page, p->x, p->y, p->w, p->h, p->fill);
        break;
    case DG_ROUND_RECT:
        pdf_round_rect(page, p->x, p->y, p->w, p->h, p->r, p->has_fill ? &p->fill : NULL,
                       p->has_stroke ? &p->stroke : NULL, p->width);
        break;
    case DG_LINE:
        pdf_line(page, p->x, p->y, p->x2, p->y2, p->width, p->stroke, p->dash_on, p->dash_off);
        break;
    case DG_ARROW:
        pdf_arrow(page, p->x, p->y, p->x2, p->y2, p->width, p->head, p->stroke, p->dashed);
        break;
    case DG_DOT:
        pdf_fill_color(page, p->fill);
        HPDF_Page_Circle(page, p->x, p->y, p->r);
        HPDF_Page_Fill(page);
        break;
    case DG_BREAK:
        lifeline_break(page, p);
        break;
    case DG_TEXT:
        /* Where pdf_text_fit would have put it: at its left end, in its size (diagram_draw.c). */
        pdf_fill_color(page, p->fill);
        pdf_text(x->canvas, page, (enum pdf_font_role)p->font, p->size, p->left, p->y, PDF_LEFT,
                 diagram_text(x->dg, p));
        break;
    case DG_LINK:
        pdf_link(page, p->x, p->y, p->w, p->h, x->back);
        break;
    case DG_PUSH:
        HPDF_Page_GSave(page);
        HPDF_Page_Concat(page, p->m[0], p->m[1], p->m[2], p->m[3], p->m[4], p->m[5]);
        break;
    case DG_POP:
        HPDF_Page_GRestore(page);
        break;
    }
}

void pdf_session_diagram_page(struct pdf_sess *x, HPDF_Page page, uint32_t pg)
{
    const struct diagram *d = x->dg;
    for (size_t k = 0; k < d->n_prims; k++)
        if (d->prims[k].page == pg)
            draw_prim(x, page, &d->prims[k]);
}

void pdf_session_page_header(struct pdf_sess *x, HPDF_Page page, const struct session *s, bool first,
                             bool boxes)
{
    (void)s; /* the session being described */
    struct diagram *d = x->dg;
    size_t from = d->n_prims;
    if (diagram_header(d, UINT32_MAX, first, boxes) != 0)
        pdf_fail(&x->doc->fail, "out of memory");
    for (size_t k = from; k < d->n_prims; k++)
        draw_prim(x, page, &d->prims[k]);
}

/* How to read the diagram, under it when the last diagram page has room (it usually has, and
 * the text column beside it then stays on one page). Returns whether it was drawn. */
bool pdf_session_legend(struct pdf_sess *x, HPDF_Page page)
{
    struct pdf_canvas *c = x->canvas;
    const struct diagram *d = x->dg;
    const float size = 6.3f, lead = size * TEXT_LEAD / TEXT_SIZE, width = DG_X_RIGHT - PDF_MARGIN;
    const char *legend = T0(x->words, x->absolute_seq ? "legend.absolute" : "legend.relative");
    float y = DG_ROWS_TOP;
    for (size_t k = 0; k < d->n_items; k++)
        if (d->items[k].page + 1 == d->pages && d->items[k].bottom < y)
            y = d->items[k].bottom;
    y -= 34; /* below the 2 MSL mark of a side in TIME-WAIT */
    int lines = pdf_text_wrap(c, NULL, PDF_FONT_TEXT, size, lead, 0, 0, width - 6, legend);
    if (y - 16 - (float)lines * lead < DG_ROWS_BOTTOM)
        return false;
    pdf_fill_rect(page, PDF_MARGIN, y - 2.5f, 2.5f, 11, PDF_MUTED);
    pdf_fill_color(page, PDF_MUTED);
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, 8.5f, 5, PDF_MARGIN + 6, y, width - 6, PDF_LEFT,
                 T0(x->words, "panel.legend"));
    pdf_line(page, PDF_MARGIN, y - 5, DG_X_RIGHT, y - 5, 0.4f, PDF_RULE, 0, 0);
    pdf_text_wrap(c, page, PDF_FONT_TEXT, size, lead, PDF_MARGIN, y - 14, width, legend);
    return true;
}
