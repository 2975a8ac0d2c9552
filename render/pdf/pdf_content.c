/* pdf_content.c — libharu's commonest page operators, written straight into the content
 * stream (see pdf_content.h). Each function follows the libharu 2.3.0 function it names: the
 * same checks, the same bytes, the same changes to the page's state (hpdf_page_operator.c). */
#include "pdf_content.h"

#include <hpdf_font.h>
#include <hpdf_gstate.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <stdint.h>
#include <string.h>

static HPDF_PageAttr attr_of(const struct pdf_content *o)
{
    return (HPDF_PageAttr)o->page->attr;
}

bool pdf_content_takes_font(HPDF_Font font)
{
    HPDF_FontAttr fa = font ? (HPDF_FontAttr)font->attr : NULL;
    return fa && fa->type == HPDF_FONT_TYPE1 && fa->widths;
}

void pdf_content_begin(struct pdf_content *o, HPDF_Page page)
{
    o->page = page;
    o->failed = false;
    o->len = 0;
}

/* What HPDF_Stream_Write does for a memory stream (HPDF_MemStream_WriteFunc and InWrite):
 * skip the write while an error is pending, else fill the last buffer and add buffers of
 * buf_siz bytes as needed; with memcpy, where libharu copies byte by byte. */
static HPDF_STATUS append(HPDF_Stream s, const char *p, size_t n)
{
    HPDF_STATUS st = HPDF_Error_GetCode(s->error);
    if (st != HPDF_OK)
        return st;
    HPDF_MemStreamAttr m = s->attr;
    HPDF_UINT total = (HPDF_UINT)n;
    while (n) {
        if (m->w_pos == m->buf_siz) {
            HPDF_BYTE *buf = HPDF_GetMem(s->mmgr, m->buf_siz);
            if (!buf)
                return HPDF_Error_GetCode(s->error);
            if (HPDF_List_Add(m->buf, buf) != HPDF_OK) {
                HPDF_FreeMem(s->mmgr, buf);
                return HPDF_Error_GetCode(s->error);
            }
            m->w_ptr = buf;
            m->w_pos = 0;
        }
        size_t k = m->buf_siz - m->w_pos < n ? m->buf_siz - m->w_pos : n;
        memcpy(m->w_ptr, p, k);
        m->w_ptr += k;
        m->w_pos += (HPDF_UINT)k;
        p += k;
        n -= k;
    }
    s->size += total;
    return HPDF_OK;
}

static void write_stream(struct pdf_content *o, const char *s, size_t n)
{
    HPDF_Stream stream = attr_of(o)->stream;
    HPDF_STATUS st = stream->type == HPDF_STREAM_MEMORY
                         ? append(stream, s, n)
                         : HPDF_Stream_Write(stream, (const HPDF_BYTE *)s, (HPDF_UINT)n);
    if (st != HPDF_OK) {
        HPDF_CheckError(o->page->error); /* the handler hears of it, as from libharu's calls */
        o->failed = true;
    }
}

void pdf_content_flush(struct pdf_content *o)
{
    if (o->len && !o->failed)
        write_stream(o, o->buf, o->len);
    o->len = 0;
}

static void put(struct pdf_content *o, const char *s, size_t n)
{
    if (o->failed)
        return;
    if (o->len + n > sizeof o->buf)
        pdf_content_flush(o);
    if (n > sizeof o->buf) {
        write_stream(o, s, n);
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

#define PUT_LIT(o, lit) put((o), (lit), sizeof(lit) - 1)

/* HPDF_FToA's text for the numbers written last, by their bits: it takes longer than the
 * rest of an operator (float arithmetic for every digit), and a report writes the same few
 * hundred numbers over and over (the table's columns and rows, font sizes, colours). Per
 * thread, as reports are written on several threads at once; len 0 is an empty entry. */
enum { REAL_CACHE_BITS = 10, REAL_CACHE = 1 << REAL_CACHE_BITS };
static __thread struct {
    uint32_t bits;
    uint8_t len;
    char text[19];
} real_cache[REAL_CACHE];

/* A number as libharu's operators write it. */
static void real(struct pdf_content *o, float v)
{
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    unsigned slot = (bits * 2654435761u) >> (32 - REAL_CACHE_BITS); /* Fibonacci hashing */
    if (real_cache[slot].len == 0 || real_cache[slot].bits != bits) {
        char tmp[64];
        char *end = HPDF_FToA(tmp, v, tmp + sizeof tmp - 1);
        size_t n = (size_t)(end - tmp);
        if (n > sizeof real_cache[slot].text) { /* never for numbers libharu limits to +-32767 */
            put(o, tmp, n);
            return;
        }
        real_cache[slot].bits = bits;
        real_cache[slot].len = (uint8_t)n;
        memcpy(real_cache[slot].text, tmp, n);
    }
    put(o, real_cache[slot].text, real_cache[slot].len);
}

/* A number as HPDF_Stream_WriteReal writes it: at most HPDF_REAL_LEN characters. */
static void real_short(struct pdf_content *o, float v)
{
    char tmp[HPDF_REAL_LEN + 1];
    char *end = HPDF_FToA(tmp, v, tmp + HPDF_REAL_LEN);
    put(o, tmp, (size_t)(end - tmp));
}

static void integer(struct pdf_content *o, HPDF_INT32 v)
{
    char tmp[HPDF_INT_LEN + 1];
    char *end = HPDF_IToA(tmp, v, tmp + HPDF_INT_LEN);
    put(o, tmp, (size_t)(end - tmp));
}

/* x y, as the two numbers before a path or text operator. */
static void point(struct pdf_content *o, float x, float y)
{
    real(o, x);
    PUT_LIT(o, " ");
    real(o, y);
}

/* HPDF_Page_CheckState: false when the page is not in one of these modes (libharu's handler
 * has then been told) or is not a page. */
static bool allowed(struct pdf_content *o, HPDF_UINT16 modes)
{
    if (o->failed)
        return false;
    if (HPDF_Page_CheckState(o->page, modes) != HPDF_OK)
        o->failed = true;
    return !o->failed;
}

static void fail_with(struct pdf_content *o, HPDF_STATUS code, HPDF_STATUS detail)
{
    HPDF_RaiseError(o->page->error, code, detail);
    o->failed = true;
}

/* ---- colour, line, path --------------------------------------------------------------------- */

static bool is_unit(float r, float g, float b)
{
    return !(r < 0 || r > 1 || g < 0 || g > 1 || b < 0 || b > 1);
}

/* HPDF_Page_SetRGBFill ("rg") and HPDF_Page_SetRGBStroke ("RG"). */
static void set_rgb(struct pdf_content *o, float r, float g, float b, bool stroke)
{
    if (!allowed(o, HPDF_GMODE_TEXT_OBJECT | HPDF_GMODE_PAGE_DESCRIPTION))
        return;
    if (!is_unit(r, g, b)) {
        fail_with(o, HPDF_PAGE_OUT_OF_RANGE, 0);
        return;
    }
    point(o, r, g);
    PUT_LIT(o, " ");
    real(o, b);
    if (stroke)
        PUT_LIT(o, " RG\012");
    else
        PUT_LIT(o, " rg\012");
    HPDF_GState gs = attr_of(o)->gstate;
    HPDF_RGBColor *c = stroke ? &gs->rgb_stroke : &gs->rgb_fill;
    c->r = r;
    c->g = g;
    c->b = b;
    if (stroke)
        gs->cs_stroke = HPDF_CS_DEVICE_RGB;
    else
        gs->cs_fill = HPDF_CS_DEVICE_RGB;
}

void pdf_content_fill_rgb(struct pdf_content *o, float r, float g, float b)
{
    set_rgb(o, r, g, b, false);
}

void pdf_content_stroke_rgb(struct pdf_content *o, float r, float g, float b)
{
    set_rgb(o, r, g, b, true);
}

void pdf_content_line_width(struct pdf_content *o, float width)
{
    if (!allowed(o, HPDF_GMODE_PAGE_DESCRIPTION | HPDF_GMODE_TEXT_OBJECT))
        return;
    if (width < 0) {
        fail_with(o, HPDF_PAGE_OUT_OF_RANGE, 0);
        return;
    }
    real_short(o, width);
    PUT_LIT(o, " w\012");
    attr_of(o)->gstate->line_width = width;
}

void pdf_content_dash(struct pdf_content *o, const HPDF_UINT16 *pattern, unsigned n)
{
    if (!allowed(o, HPDF_GMODE_PAGE_DESCRIPTION | HPDF_GMODE_TEXT_OBJECT))
        return;
    /* libharu does not check n against the 8 places of its dash_mode.ptn; this does. */
    if (n > 8 || (n != 1 && n % 2 != 0)) {
        fail_with(o, HPDF_PAGE_INVALID_PARAM_COUNT, n);
        return;
    }
    if (!pattern && n > 0) {
        fail_with(o, HPDF_INVALID_PARAMETER, 0);
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        if (pattern[i] == 0 || pattern[i] > HPDF_MAX_DASH_PATTERN) {
            fail_with(o, HPDF_PAGE_OUT_OF_RANGE, 0);
            return;
        }
    }
    PUT_LIT(o, "[");
    for (unsigned i = 0; i < n; i++) {
        integer(o, pattern[i]);
        PUT_LIT(o, " ");
    }
    PUT_LIT(o, "] 0 d\012");
    HPDF_DashMode *dm = &attr_of(o)->gstate->dash_mode;
    memset(dm, 0, sizeof *dm);
    dm->num_ptn = n;
    dm->phase = 0;
    for (unsigned i = 0; i < n; i++)
        dm->ptn[i] = pattern[i];
}

/* MoveTo and Rectangle: a path begins at (x, y). */
static void start_path(struct pdf_content *o, float x, float y)
{
    HPDF_PageAttr a = attr_of(o);
    a->cur_pos.x = x;
    a->cur_pos.y = y;
    a->str_pos = a->cur_pos;
    a->gmode = HPDF_GMODE_PATH_OBJECT;
}

void pdf_content_move_to(struct pdf_content *o, float x, float y)
{
    if (!allowed(o, HPDF_GMODE_PAGE_DESCRIPTION | HPDF_GMODE_PATH_OBJECT))
        return;
    point(o, x, y);
    PUT_LIT(o, " m\012");
    start_path(o, x, y);
}

void pdf_content_line_to(struct pdf_content *o, float x, float y)
{
    if (!allowed(o, HPDF_GMODE_PATH_OBJECT))
        return;
    point(o, x, y);
    PUT_LIT(o, " l\012");
    HPDF_PageAttr a = attr_of(o);
    a->cur_pos.x = x;
    a->cur_pos.y = y;
}

void pdf_content_rectangle(struct pdf_content *o, float x, float y, float w, float h)
{
    if (!allowed(o, HPDF_GMODE_PAGE_DESCRIPTION | HPDF_GMODE_PATH_OBJECT))
        return;
    point(o, x, y);
    PUT_LIT(o, " ");
    point(o, w, h);
    PUT_LIT(o, " re\012");
    start_path(o, x, y);
}

/* Stroke and Fill: the path ends, and with it the current point. */
static void paint(struct pdf_content *o, const char *op, size_t len)
{
    if (!allowed(o, HPDF_GMODE_PATH_OBJECT | HPDF_GMODE_CLIPPING_PATH))
        return;
    put(o, op, len);
    HPDF_PageAttr a = attr_of(o);
    a->gmode = HPDF_GMODE_PAGE_DESCRIPTION;
    a->cur_pos.x = 0;
    a->cur_pos.y = 0;
}

void pdf_content_stroke(struct pdf_content *o)
{
    paint(o, "S\012", 2);
}

void pdf_content_fill(struct pdf_content *o)
{
    paint(o, "f\012", 2);
}

/* ---- text ----------------------------------------------------------------------------------- */

void pdf_content_begin_text(struct pdf_content *o)
{
    if (!allowed(o, HPDF_GMODE_PAGE_DESCRIPTION))
        return;
    PUT_LIT(o, "BT\012");
    HPDF_PageAttr a = attr_of(o);
    const HPDF_TransMatrix identity = {1, 0, 0, 1, 0, 0};
    a->gmode = HPDF_GMODE_TEXT_OBJECT;
    a->text_pos.x = 0;
    a->text_pos.y = 0;
    a->text_matrix = identity;
}

void pdf_content_end_text(struct pdf_content *o)
{
    if (!allowed(o, HPDF_GMODE_TEXT_OBJECT))
        return;
    PUT_LIT(o, "ET\012");
    HPDF_PageAttr a = attr_of(o);
    a->text_pos.x = 0;
    a->text_pos.y = 0;
    a->gmode = HPDF_GMODE_PAGE_DESCRIPTION;
}

void pdf_content_font(struct pdf_content *o, HPDF_Font font, float size)
{
    if (!allowed(o, HPDF_GMODE_PAGE_DESCRIPTION | HPDF_GMODE_TEXT_OBJECT))
        return;
    if (!HPDF_Font_Validate(font)) {
        fail_with(o, HPDF_PAGE_INVALID_FONT, 0);
        return;
    }
    if (size <= 0 || size > HPDF_MAX_FONTSIZE) {
        fail_with(o, HPDF_PAGE_INVALID_FONT_SIZE, (HPDF_STATUS)size);
        return;
    }
    if (o->page->mmgr != font->mmgr) {
        fail_with(o, HPDF_PAGE_INVALID_FONT, 0);
        return;
    }
    /* The page's name for the font, added to its resources on first use. */
    const char *name = HPDF_Page_GetLocalFontName(o->page, font);
    if (!name) {
        fail_with(o, HPDF_PAGE_INVALID_FONT, 0);
        return;
    }
    /* HPDF_Stream_WriteEscapeName, for names of at most HPDF_LIMIT_MAX_NAME_LEN bytes. */
    static const char hex[] = "0123456789ABCDEF";
    char esc[HPDF_LIMIT_MAX_NAME_LEN * 3 + 2], *e = esc;
    *e++ = '/';
    const unsigned char *p = (const unsigned char *)name;
    for (size_t i = 0; p[i] && i < HPDF_LIMIT_MAX_NAME_LEN; i++) {
        if (HPDF_NEEDS_ESCAPE(p[i])) {
            *e++ = '#';
            *e++ = hex[p[i] >> 4];
            *e++ = hex[p[i] & 15];
        } else {
            *e++ = (char)p[i];
        }
    }
    put(o, esc, (size_t)(e - esc));
    PUT_LIT(o, " ");
    real(o, size);
    PUT_LIT(o, " Tf\012");
    HPDF_GState gs = attr_of(o)->gstate;
    gs->font = font;
    gs->font_size = size;
    gs->writing_mode = ((HPDF_FontAttr)font->attr)->writing_mode;
}

void pdf_content_move_text(struct pdf_content *o, float x, float y)
{
    if (!allowed(o, HPDF_GMODE_TEXT_OBJECT))
        return;
    point(o, x, y);
    PUT_LIT(o, " Td\012");
    HPDF_PageAttr a = attr_of(o);
    a->text_matrix.x += x * a->text_matrix.a + y * a->text_matrix.c;
    a->text_matrix.y += y * a->text_matrix.d + x * a->text_matrix.b;
    a->text_pos.x = a->text_matrix.x;
    a->text_pos.y = a->text_matrix.y;
}

void pdf_content_show(struct pdf_content *o, const char *text)
{
    if (!allowed(o, HPDF_GMODE_TEXT_OBJECT) || !text || !text[0])
        return;
    HPDF_PageAttr a = attr_of(o);
    HPDF_GState gs = a->gstate;
    if (!gs->font) {
        fail_with(o, HPDF_PAGE_FONT_NOT_FOUND, 0);
        return;
    }
    if (!pdf_content_takes_font(gs->font)) {
        /* libharu encodes such text itself, and records the glyphs an embedded font needs. */
        pdf_content_flush(o);
        if (!o->failed)
            HPDF_Page_ShowText(o->page, text);
        return;
    }
    size_t len = strlen(text);
    if (len > HPDF_LIMIT_MAX_STRING_LEN) {
        fail_with(o, HPDF_STRING_OUT_OF_RANGE, 0);
        return;
    }
    /* HPDF_Page_TextWidth: text whose width is 0 is not shown at all. */
    const HPDF_INT16 *widths = ((HPDF_FontAttr)gs->font->attr)->widths;
    HPDF_UINT width = 0, spaces = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)text[i];
        width += (HPDF_UINT)widths[b];
        spaces += HPDF_IS_WHITE_SPACE(b);
    }
    HPDF_REAL tw = 0;
    tw += gs->word_space * (HPDF_REAL)spaces;
    tw += (HPDF_REAL)width * gs->font_size / 1000;
    tw += gs->char_space * (HPDF_REAL)len;
    if (!tw)
        return;
    /* HPDF_Stream_WriteEscapeText: a literal string, every byte outside plain ASCII and every
     * delimiter as a three-digit octal escape. */
    char esc[256];
    size_t n = 0;
    esc[n++] = '(';
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)text[i];
        if (n + 5 > sizeof esc) { /* room for this byte's escape and the closing parenthesis */
            put(o, esc, n);
            n = 0;
        }
        if (HPDF_NEEDS_ESCAPE(b)) {
            esc[n++] = '\\';
            esc[n++] = (char)('0' + (b >> 6));
            esc[n++] = (char)('0' + ((b >> 3) & 7));
            esc[n++] = (char)('0' + (b & 7));
        } else {
            esc[n++] = (char)b;
        }
    }
    esc[n++] = ')';
    put(o, esc, n);
    PUT_LIT(o, " Tj\012");
    if (gs->writing_mode == HPDF_WMODE_HORIZONTAL) {
        a->text_pos.x += tw * a->text_matrix.a;
        a->text_pos.y += tw * a->text_matrix.b;
    } else {
        a->text_pos.x -= tw * a->text_matrix.b;
        a->text_pos.y -= tw * a->text_matrix.a;
    }
}

void pdf_content_text_out(struct pdf_content *o, float x, float y, const char *text)
{
    if (!allowed(o, HPDF_GMODE_TEXT_OBJECT))
        return;
    /* From the page's coordinates to the text matrix's (libharu's TextPos_AbsToRel). */
    HPDF_TransMatrix m = attr_of(o)->text_matrix;
    float rx, ry;
    if (m.a == 0) {
        rx = (y - m.y - (x - m.x) * m.d / m.c) / m.b;
        ry = (x - m.x) / m.c;
    } else {
        ry = (y - m.y - (x - m.x) * m.b / m.a) / (m.d - m.c * m.b / m.a);
        rx = (x - m.x - ry * m.c) / m.a;
    }
    pdf_content_move_text(o, rx, ry);
    pdf_content_show(o, text);
}
