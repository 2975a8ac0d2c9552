/* pdf_shapes.c — fills, lines, arrows and links on a page (pdf_canvas.h). */
#include "pdf_canvas.h"

#include <math.h>

#include "pdf_repair.h"

/* Sets the fill colour unless it is the current one already: every rg is bytes in the page
 * (and libharu tracks the current colour through GSave and GRestore). */
void pdf_fill_color(HPDF_Page page, struct pdf_rgb color)
{
    if (!page)
        return;
    HPDF_RGBColor cur = HPDF_Page_GetRGBFill(page);
    if (HPDF_Page_GetFillingColorSpace(page) == HPDF_CS_DEVICE_RGB && cur.r == color.r &&
        cur.g == color.g && cur.b == color.b)
        return;
    HPDF_Page_SetRGBFill(page, color.r, color.g, color.b);
}

void pdf_fill_rect(HPDF_Page page, float x, float y, float w, float h, struct pdf_rgb fill)
{
    if (!page)
        return;
    pdf_fill_color(page, fill);
    HPDF_Page_Rectangle(page, x, y, w, h);
    HPDF_Page_Fill(page);
}

/* A dash of on and off points, or a solid line for on 0. HPDF_Page_SetDash takes its pattern
 * as HPDF_UINT16 up to libharu 2.3 and as HPDF_REAL from 2.4 on; both write the same bytes
 * for whole numbers. */
static void set_dash(HPDF_Page page, float on, float off)
{
#if HPDF_VERSION_ID >= 20400
    const HPDF_REAL pattern[2] = {on, off};
#else
    const HPDF_UINT16 pattern[2] = {(HPDF_UINT16)on, (HPDF_UINT16)off};
#endif
    HPDF_Page_SetDash(page, on > 0 ? pattern : NULL, on > 0 ? 2 : 0, 0);
}

void pdf_round_rect(HPDF_Page page, float x, float y, float w, float h, float r,
                    const struct pdf_rgb *fill, const struct pdf_rgb *stroke, float line_width)
{
    if (!page)
        return;
    if (r > w / 2)
        r = w / 2;
    if (r > h / 2)
        r = h / 2;
    const float k = 0.5523f * r; /* Bezier handle for a quarter circle */
    if (fill)
        pdf_fill_color(page, *fill);
    if (stroke) {
        HPDF_Page_SetRGBStroke(page, stroke->r, stroke->g, stroke->b);
        HPDF_Page_SetLineWidth(page, line_width);
        set_dash(page, 0, 0);
    }
    HPDF_Page_MoveTo(page, x + r, y);
    HPDF_Page_LineTo(page, x + w - r, y);
    HPDF_Page_CurveTo(page, x + w - r + k, y, x + w, y + r - k, x + w, y + r);
    HPDF_Page_LineTo(page, x + w, y + h - r);
    HPDF_Page_CurveTo(page, x + w, y + h - r + k, x + w - r + k, y + h, x + w - r, y + h);
    HPDF_Page_LineTo(page, x + r, y + h);
    HPDF_Page_CurveTo(page, x + r - k, y + h, x, y + h - r + k, x, y + h - r);
    HPDF_Page_LineTo(page, x, y + r);
    HPDF_Page_CurveTo(page, x, y + r - k, x + r - k, y, x + r, y);
    if (fill && stroke)
        HPDF_Page_FillStroke(page);
    else if (fill)
        HPDF_Page_Fill(page);
    else
        HPDF_Page_Stroke(page);
}

void pdf_line(HPDF_Page page, float x1, float y1, float x2, float y2, float width,
              struct pdf_rgb color, float dash_on, float dash_off)
{
    if (!page)
        return;
    HPDF_Page_SetRGBStroke(page, color.r, color.g, color.b);
    HPDF_Page_SetLineWidth(page, width);
    set_dash(page, dash_on, dash_off);
    HPDF_Page_MoveTo(page, x1, y1);
    HPDF_Page_LineTo(page, x2, y2);
    HPDF_Page_Stroke(page);
    if (dash_on > 0)
        set_dash(page, 0, 0);
}

void pdf_arrow(HPDF_Page page, float x1, float y1, float x2, float y2, float width,
               float head, struct pdf_rgb color, bool dashed)
{
    float dx = x2 - x1, dy = y2 - y1, len = sqrtf(dx * dx + dy * dy);
    if (!page || len < 1e-3f)
        return;
    float ux = dx / len, uy = dy / len;
    /* The shaft stops inside the head, so a thick line does not blunt its point. */
    float bx = x2 - ux * head, by = y2 - uy * head;
    pdf_line(page, x1, y1, bx + ux * head * 0.3f, by + uy * head * 0.3f, width, color,
             dashed ? 3.0f : 0, dashed ? 2.0f : 0);
    float half = head * 0.38f;
    pdf_fill_color(page, color);
    HPDF_Page_MoveTo(page, x2, y2);
    HPDF_Page_LineTo(page, bx - uy * half, by + ux * half);
    HPDF_Page_LineTo(page, bx + uy * half, by - ux * half);
    HPDF_Page_ClosePath(page);
    HPDF_Page_Fill(page);
}

void pdf_link(HPDF_Page page, float x, float y, float w, float h, HPDF_Page target)
{
    if (!page)
        return;
    HPDF_Destination dst = HPDF_Page_CreateDestination(target);
    /* zoom must lie in [0.08, 32] (shared/LIBRARIES.md): 1 keeps the page at its size. */
    HPDF_Destination_SetXYZ(dst, 0, HPDF_Page_GetHeight(target), 1);
    HPDF_Rect rect = {x, y, x + w, y + h};
    HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(page, rect, dst);
    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    HPDF_LinkAnnot_SetHighlightMode(a, HPDF_ANNOT_INVERT_BOX);
    pdf_repair_link_flags(a); /* /F 4, "print" */
}

