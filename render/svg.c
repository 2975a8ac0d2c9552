/* svg.c — the described diagram as SVG 1.1 (svg.h).
 *
 * Each primitive of the description becomes one element, in drawing order; coordinates are
 * written as (x, -y), turning the PDF's upward y into SVG's downward one, and a frame the
 * description pushes (a PDF cm: a b c d e f) becomes a group with matrix(a, -b, -c, d, e, -f),
 * which keeps text upright inside it. Shapes follow the PDF canvas's (render/pdf/pdf_shapes.c):
 * the arrow's shaft stops inside its head, the head is a triangle of the same proportions. */
#include "svg.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "pdf_words.h"

/* Fonts: Helvetica, the families with its metrics, then CJK ones (pdf_canvas.h names the PDF's);
 * DejaVu Sans between them, as the PDF draws a character its font lacks from DejaVu Sans, then
 * from WenQuanYi Zen Hei (pdf_canvas.c, the fallback fonts). */
#define LATIN "Helvetica,Arial,'Liberation Sans','Nimbus Sans','Nimbus Sans L',FreeSans,'DejaVu Sans'"
#define CJK "'WenQuanYi Zen Hei','Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC'," \
            "'Hiragino Sans GB','Noto Sans SC'"

static const char *const part_names[DG_PARTS] = {
    "heading", "chip", "meta", "back", "box", "lifeline", "phase", "fold", "pause", "arrow", "label",
    "options", "tag", "margin", "state", "time-wait",
};

/* A number with at most `decimals` decimals and no trailing zeros. */
static void num_to(FILE *out, float v, int decimals)
{
    char buf[48];
    if (fabsf(v) < 0.5f * powf(10, (float)-decimals))
        v = 0;
    snprintf(buf, sizeof buf, "%.*f", decimals, (double)v);
    char *e = buf + strlen(buf);
    while (e[-1] == '0')
        *--e = '\0';
    if (e[-1] == '.')
        e[-1] = '\0';
    fputs(buf, out);
}

/* Coordinates: two decimals, well below what a screen or a printer shows. */
static void num(FILE *out, float v)
{
    num_to(out, v, 2);
}

static void color(FILE *out, const char *attr, struct pdf_rgb c)
{
    fprintf(out, " %s=\"#%02x%02x%02x\"", attr, (unsigned)lroundf(c.r * 255), (unsigned)lroundf(c.g * 255),
            (unsigned)lroundf(c.b * 255));
}

void svg_text_escaped(FILE *out, const char *utf8)
{
    const unsigned char *p = (const unsigned char *)utf8;
    while (*p) {
        const unsigned char *at = p;
        uint32_t cp = pdf_utf8_next(&p);
        bool xml_ok = cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
                      (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
        if (cp == 0xfffd || !xml_ok)
            fputs("\xef\xbf\xbd", out);
        else if (cp == '&')
            fputs("&amp;", out);
        else if (cp == '<')
            fputs("&lt;", out);
        else if (cp == '>')
            fputs("&gt;", out);
        else if (cp == '"')
            fputs("&quot;", out);
        else
            fwrite(at, 1, (size_t)(p - at), out);
    }
}

/* ---- extent ------------------------------------------------------------------------------------ */

struct matrix {
    float a, b, c, d, e, f;
};

static void grow_box(struct svg_box *bx, const struct matrix *m, float x, float y)
{
    float tx = m->a * x + m->c * y + m->e, ty = m->b * x + m->d * y + m->f;
    bx->x0 = fminf(bx->x0, tx), bx->x1 = fmaxf(bx->x1, tx);
    bx->y0 = fminf(bx->y0, ty), bx->y1 = fmaxf(bx->y1, ty);
}

static void grow_rect(struct svg_box *bx, const struct matrix *m, float x0, float y0, float x1, float y1)
{
    grow_box(bx, m, x0, y0);
    grow_box(bx, m, x1, y0);
    grow_box(bx, m, x0, y1);
    grow_box(bx, m, x1, y1);
}

static bool shown(const struct diagram_prim *p)
{
    return p->part != DG_PART_BACK && p->kind != DG_LINK;
}

struct svg_box svg_extent(const struct diagram *d)
{
    struct svg_box bx = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    struct matrix stack[8] = {{1, 0, 0, 1, 0, 0}};
    int depth = 0;
    for (size_t k = 0; k < d->n_prims; k++) {
        const struct diagram_prim *p = &d->prims[k];
        const struct matrix *m = &stack[depth];
        if (!shown(p))
            continue;
        switch ((enum diagram_prim_kind)p->kind) {
        case DG_RECT: case DG_ROUND_RECT:
            grow_rect(&bx, m, p->x, p->y, p->x + p->w, p->y + p->h);
            break;
        case DG_LINE: case DG_ARROW:
            grow_rect(&bx, m, fminf(p->x, p->x2) - 3, fminf(p->y, p->y2) - 3, fmaxf(p->x, p->x2) + 3,
                      fmaxf(p->y, p->y2) + 3);
            break;
        case DG_DOT: case DG_BREAK:
            grow_rect(&bx, m, p->x - 6, p->y - 6, p->x + 6, p->y + 6);
            break;
        case DG_TEXT:
            if (diagram_text(d, p)[0])
                grow_rect(&bx, m, p->left, p->y - 0.25f * p->size, p->left + p->text_w, p->y + 0.8f * p->size);
            break;
        case DG_PUSH:
            if (depth + 1 < (int)(sizeof stack / sizeof stack[0])) {
                const struct matrix *o = m;
                struct matrix n = {p->m[0] * o->a + p->m[1] * o->c, p->m[0] * o->b + p->m[1] * o->d,
                                   p->m[2] * o->a + p->m[3] * o->c, p->m[2] * o->b + p->m[3] * o->d,
                                   p->m[4] * o->a + p->m[5] * o->c + o->e, p->m[4] * o->b + p->m[5] * o->d + o->f};
                stack[++depth] = n;
            }
            break;
        case DG_POP:
            if (depth)
                depth--;
            break;
        case DG_LINK:
            break;
        }
    }
    if (bx.x0 > bx.x1)
        bx = (struct svg_box){0, 0, 1, 1};
    return bx;
}

/* ---- elements ---------------------------------------------------------------------------------- */

static void attr_num(FILE *out, const char *name, float v)
{
    fprintf(out, " %s=\"", name);
    num(out, v);
    putc('"', out);
}

static void stroke_attrs(FILE *out, const struct diagram_prim *p, bool dashed, float on, float off)
{
    color(out, "stroke", p->stroke);
    attr_num(out, "stroke-width", p->width);
    if (dashed) {
        fputs(" stroke-dasharray=\"", out);
        num(out, on);
        putc(' ', out);
        num(out, off);
        putc('"', out);
    }
}

static void line_el(FILE *out, const char *part, float x1, float y1, float x2, float y2,
                    const struct diagram_prim *p, bool dashed, float on, float off)
{
    fprintf(out, "<line class=\"%s\"", part);
    attr_num(out, "x1", x1);
    attr_num(out, "y1", -y1);
    attr_num(out, "x2", x2);
    attr_num(out, "y2", -y2);
    stroke_attrs(out, p, dashed, on, off);
    fputs("/>\n", out);
}

/* As pdf_arrow: the shaft stops inside the head so a thick line does not blunt its point. */
static void arrow_el(FILE *out, const struct diagram_prim *p)
{
    float dx = p->x2 - p->x, dy = p->y2 - p->y, len = sqrtf(dx * dx + dy * dy);
    if (len < 1e-3f)
        return;
    float ux = dx / len, uy = dy / len, head = p->head, half = head * 0.38f;
    float bx = p->x2 - ux * head, by = p->y2 - uy * head;
    fprintf(out, "<g class=\"arrow\" data-event=\"%u\">", p->index);
    line_el(out, "shaft", p->x, p->y, bx + ux * head * 0.3f, by + uy * head * 0.3f, p, p->dashed, 3, 2);
    fputs("<path d=\"M", out);
    num(out, p->x2);
    putc(' ', out);
    num(out, -p->y2);
    fputs("L", out);
    num(out, bx - uy * half);
    putc(' ', out);
    num(out, -(by + ux * half));
    fputs("L", out);
    num(out, bx + uy * half);
    putc(' ', out);
    num(out, -(by - ux * half));
    fputs("Z\"", out);
    color(out, "fill", p->stroke);
    fputs("/></g>\n", out);
}

static void rect_el(FILE *out, const char *part, const struct diagram_prim *p, bool round)
{
    fprintf(out, "<rect class=\"%s\"", part);
    attr_num(out, "x", p->x);
    attr_num(out, "y", -(p->y + p->h));
    attr_num(out, "width", p->w);
    attr_num(out, "height", p->h);
    if (round) {
        float r = fminf(p->r, fminf(p->w / 2, p->h / 2));
        attr_num(out, "rx", r);
    }
    if (p->has_fill)
        color(out, "fill", p->fill);
    else
        fputs(" fill=\"none\"", out);
    if (p->has_stroke)
        stroke_attrs(out, p, false, 0, 0);
    fputs("/>\n", out);
}

static const char *font_class(enum pdf_font_role f)
{
    switch (f) {
    case PDF_FONT_TEXT: return "t";
    case PDF_FONT_TEXT_BOLD: return "t b";
    case PDF_FONT_LABEL_BOLD: return "l b";
    case PDF_FONT_MONO: return "m";
    default: return "l";
    }
}

static void text_el(FILE *out, const struct diagram *d, const char *part, const struct diagram_prim *p)
{
    const char *s = diagram_text(d, p);
    if (!s[0])
        return;
    /* Anchored where the PDF anchored it, so a font a little wider or narrower than the PDF's
     * still centres or right-aligns the same. */
    float x = p->align == PDF_CENTER ? p->left + p->text_w / 2 : p->align == PDF_RIGHT ? p->left + p->text_w : p->left;
    fprintf(out, "<text class=\"%s %s\"", part, font_class((enum pdf_font_role)p->font));
    attr_num(out, "x", x);
    attr_num(out, "y", -p->y);
    attr_num(out, "font-size", p->size);
    if (p->align != PDF_LEFT)
        fputs(p->align == PDF_CENTER ? " text-anchor=\"middle\"" : " text-anchor=\"end\"", out);
    color(out, "fill", p->fill);
    if (p->part == DG_PART_LABEL || p->part == DG_PART_STATE || p->part == DG_PART_MARGIN)
        fprintf(out, " data-event=\"%u\"", p->index);
    putc('>', out);
    svg_text_escaped(out, s);
    fputs("</text>\n", out);
}

static void prim_el(FILE *out, const struct diagram *d, const struct diagram_prim *p)
{
    const char *part = part_names[p->part < DG_PARTS ? p->part : 0];
    switch ((enum diagram_prim_kind)p->kind) {
    case DG_RECT: rect_el(out, part, p, false); break;
    case DG_ROUND_RECT: rect_el(out, part, p, true); break;
    case DG_LINE: line_el(out, part, p->x, p->y, p->x2, p->y2, p, p->dashed, p->dash_on, p->dash_off); break;
    case DG_ARROW: arrow_el(out, p); break;
    case DG_DOT:
        fprintf(out, "<circle class=\"%s\"", part);
        attr_num(out, "cx", p->x);
        attr_num(out, "cy", -p->y);
        attr_num(out, "r", p->r);
        color(out, "fill", p->fill);
        fputs("/>\n", out);
        break;
    case DG_BREAK:
        fprintf(out, "<path class=\"%s\" fill=\"none\" d=\"M", part);
        num(out, p->x - 5), putc(' ', out), num(out, -(p->y + 3)), putc('L', out);
        num(out, p->x + 5), putc(' ', out), num(out, -(p->y + 5.5f)), putc('M', out);
        num(out, p->x - 5), putc(' ', out), num(out, -(p->y - 5.5f)), putc('L', out);
        num(out, p->x + 5), putc(' ', out), num(out, -(p->y - 3)), putc('"', out);
        stroke_attrs(out, p, false, 0, 0);
        fputs("/>\n", out);
        break;
    case DG_TEXT: text_el(out, d, part, p); break;
    case DG_PUSH:
        fprintf(out, "<g class=\"%s\" transform=\"matrix(", part);
        const float m[6] = {p->m[0], -p->m[1], -p->m[2], p->m[3], p->m[4], -p->m[5]};
        for (int i = 0; i < 6; i++) { /* a rotation's cosine and sine need more */
            if (i)
                putc(' ', out);
            num_to(out, m[i], i < 4 ? 5 : 2);
        }
        fputs(")\">\n", out);
        break;
    case DG_POP: fputs("</g>\n", out); break;
    case DG_LINK: break;
    }
}

int svg_write(FILE *out, const struct diagram *d, const struct svg_style *st)
{
    struct svg_box bx = svg_extent(d);
    /* A margin of 6 points, and whole multiples of 3 points, so that the size in pixels (4/3
     * of it) is a whole number. */
    float x0 = floorf((bx.x0 - 6) / 3) * 3, x1 = ceilf((bx.x1 + 6) / 3) * 3;
    float y0 = floorf((bx.y0 - 6) / 3) * 3, y1 = ceilf((bx.y1 + 6) / 3) * 3;
    long wpx = lroundf((x1 - x0) * 4 / 3), hpx = lroundf((y1 - y0) * 4 / 3);
    if (!st->embedded)
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"", out);
    if (st->id)
        fprintf(out, " id=\"%s\"", st->id);
    fprintf(out, " class=\"diagram\" width=\"%ld\" height=\"%ld\" viewBox=\"", wpx, hpx);
    num(out, x0), putc(' ', out), num(out, -y1), putc(' ', out), num(out, x1 - x0), putc(' ', out), num(out, y1 - y0);
    fputs("\" role=\"img\">\n<title>", out);
    svg_text_escaped(out, st->title ? st->title : "");
    fprintf(out, "</title>\n<style type=\"text/css\"><![CDATA[\n"
                 "text{font-family:%s,%s,sans-serif}\n.t{font-family:%s,sans-serif}\n"
                 ".b{font-weight:bold}\n.m{font-family:'Courier New',Courier,'Nimbus Mono PS','Liberation Mono',monospace}\n"
                 "]]></style>\n",
            LATIN, CJK, st->cjk ? CJK "," LATIN : LATIN "," CJK);
    fputs("<rect class=\"background\" fill=\"#ffffff\"", out);
    attr_num(out, "x", x0);
    attr_num(out, "y", -y1);
    attr_num(out, "width", x1 - x0);
    attr_num(out, "height", y1 - y0);
    fputs("/>\n", out);
    int depth = 0;
    for (size_t k = 0; k < d->n_prims; k++) {
        const struct diagram_prim *p = &d->prims[k];
        if (!shown(p))
            continue;
        depth += p->kind == DG_PUSH ? 1 : p->kind == DG_POP ? -1 : 0;
        prim_el(out, d, p);
    }
    while (depth-- > 0)
        fputs("</g>\n", out);
    fputs("</svg>\n", out);
    return ferror(out) ? -1 : 0;
}
