/* pdf_canvas.c — fonts, text encoding, measuring, wrapping and shapes (see pdf_canvas.h). */
#include "pdf_canvas.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Windows-1252 has no arrows, so the encoder writes them as five bytes it leaves undefined,
 * and the text is drawn in runs with these shown in the Symbol font. */
#define ARROW_BYTES "\x81\x8d\x8f\x90\x9d"

/* ---- fonts ---------------------------------------------------------------------------------- */

static unsigned char symbol_code(char arrow_byte);

static bool is_base14(const char *name)
{
    static const char *const names[] = {
        "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
        "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic",
        "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

/* Where fonts-dejavu-core puts its fonts. */
#ifndef PDF_DEJAVU_DIR
#define PDF_DEJAVU_DIR "/usr/share/fonts/truetype/dejavu"
#endif

/* The DejaVu font that stands for a built-in one when every font must be embedded. */
static const char *dejavu_for(const char *base14)
{
    static const char *const map[][2] = {
        {"Helvetica", "DejaVuSans.ttf"}, {"Helvetica-Bold", "DejaVuSans-Bold.ttf"},
        {"Helvetica-Oblique", "DejaVuSans-Oblique.ttf"},
        {"Helvetica-BoldOblique", "DejaVuSans-BoldOblique.ttf"},
        {"Times-Roman", "DejaVuSerif.ttf"}, {"Times-Bold", "DejaVuSerif-Bold.ttf"},
        {"Times-Italic", "DejaVuSerif-Italic.ttf"}, {"Times-BoldItalic", "DejaVuSerif-BoldItalic.ttf"},
        {"Courier", "DejaVuSansMono.ttf"}, {"Courier-Bold", "DejaVuSansMono-Bold.ttf"},
        {"Courier-Oblique", "DejaVuSansMono-Oblique.ttf"},
        {"Courier-BoldOblique", "DejaVuSansMono-BoldOblique.ttf"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], base14) == 0)
            return map[i][1];
    return NULL;
}

/* Loads an embedded TrueType font (a .ttf, or index of a .ttc) for encoding. */
static HPDF_Font load_truetype(struct pdf_canvas *c, const char *key, const char *path, bool ttc,
                               unsigned index, const char *encoding, const char *package,
                               char *err, size_t errlen)
{
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        snprintf(err, errlen, "%s: cannot open font file %s%s%s%s", key, path,
                 package ? " (Debian package " : "", package ? package : "", package ? ")" : "");
        return NULL;
    }
    fclose(probe);
    const char *name = ttc ? HPDF_LoadTTFontFromFile2(c->pdf, path, index, HPDF_TRUE)
                           : HPDF_LoadTTFontFromFile(c->pdf, path, HPDF_TRUE);
    return HPDF_GetFont(c->pdf, name, encoding);
}

/* A built-in font, or with embed_all its DejaVu counterpart taking UTF-8. */
static HPDF_Font builtin_font(struct pdf_canvas *c, const char *key, const char *name,
                              const char *encoding, char *err, size_t errlen)
{
    if (!c->embed_all)
        return HPDF_GetFont(c->pdf, name, encoding);
    char path[600];
    snprintf(path, sizeof path, "%s/%s", PDF_DEJAVU_DIR, dejavu_for(name));
    return load_truetype(c, key, path, false, 0, "UTF-8", "fonts-dejavu-core", err, errlen);
}

/* A font setting is a built-in font name, or "ttc FILE INDEX" / "ttf FILE" with FILE relative
 * to the templates folder unless absolute. */
static HPDF_Font load_font(struct pdf_canvas *c, const struct pdf_templates *t, const char *key,
                           const char *encoding, char *err, size_t errlen)
{
    const char *spec = pdf_templates_get(t, key);
    char kind[8], file[512];
    unsigned index = 0;
    if (is_base14(spec)) {
        if (c->text_utf8 && !c->embed_all) {
            snprintf(err, errlen, "%s: built-in font %s cannot show UTF-8 text", key, spec);
            return NULL;
        }
        return builtin_font(c, key, spec, encoding, err, errlen);
    }
    int n = sscanf(spec, "%7s %511s %u", kind, file, &index);
    bool ttc = n == 3 && strcmp(kind, "ttc") == 0, ttf = n == 2 && strcmp(kind, "ttf") == 0;
    if (!ttc && !ttf) {
        snprintf(err, errlen, "%s = %s: expected a built-in font name, 'ttc FILE INDEX' or 'ttf FILE'",
                 key, spec);
        return NULL;
    }
    char path[1100];
    if (file[0] == '/')
        snprintf(path, sizeof path, "%s", file);
    else
        snprintf(path, sizeof path, "%s/%s", pdf_templates_dir(t), file);
    return load_truetype(c, key, path, ttc, index, c->embed_all ? "UTF-8" : encoding, NULL, err, errlen);
}

int pdf_canvas_init_fonts(struct pdf_canvas *c, HPDF_Doc pdf, const struct pdf_templates *t,
                          bool embed_all, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    c->pdf = pdf;
    c->embed_all = embed_all;
    const char *encoding = pdf_templates_get(t, "@encoding");
    /* Registered whatever the language: outline titles and document information are always
     * written through the UTF-8 encoder (as UTF-16), and UTF-8 text fonts need it too. */
    HPDF_UseUTFEncodings(pdf);
    if (strcmp(encoding, "UTF-8") == 0) {
        c->text_utf8 = true;
    } else if (strcmp(encoding, "WinAnsiEncoding") != 0) {
        snprintf(err, errlen, "@encoding = %s: expected WinAnsiEncoding or UTF-8", encoding);
        return -1;
    }

    if (!(c->fonts[PDF_FONT_TEXT] = load_font(c, t, "@font.regular", encoding, err, errlen)) ||
        !(c->fonts[PDF_FONT_TEXT_BOLD] = load_font(c, t, "@font.bold", encoding, err, errlen)))
        return -1;
    if (!(c->fonts[PDF_FONT_LABEL] = builtin_font(c, "label font", "Helvetica", "WinAnsiEncoding", err, errlen)) ||
        !(c->fonts[PDF_FONT_LABEL_BOLD] =
              builtin_font(c, "label font", "Helvetica-Bold", "WinAnsiEncoding", err, errlen)) ||
        !(c->fonts[PDF_FONT_MONO] = builtin_font(c, "label font", "Courier", "WinAnsiEncoding", err, errlen)))
        return -1;
    for (int r = 0; r < PDF_FONT_ROLES; r++)
        c->utf8[r] = embed_all || (c->text_utf8 && (r == PDF_FONT_TEXT || r == PDF_FONT_TEXT_BOLD));
    c->fake_bold = c->utf8[PDF_FONT_TEXT] && c->fonts[PDF_FONT_TEXT_BOLD] == c->fonts[PDF_FONT_TEXT];
    if (embed_all) {
        /* Check marks from DejaVu Sans (U+2714, U+2718); arrows are in every DejaVu font. */
        c->fonts[PDF_FONT_DINGBATS] = c->fonts[PDF_FONT_LABEL];
        return 0;
    }
    c->fonts[PDF_FONT_DINGBATS] = HPDF_GetFont(pdf, "ZapfDingbats", NULL);
    c->symbol = HPDF_GetFont(pdf, "Symbol", NULL);

    /* Single-byte fonts are measured once per byte: wrapping measures every character. */
    for (int r = 0; r < PDF_FONT_ROLES; r++) {
        if (c->utf8[r])
            continue;
        for (int b = 1; b < 256; b++) {
            HPDF_BYTE ch = (HPDF_BYTE)b;
            c->widths[r][b] = (float)HPDF_Font_TextWidth(c->fonts[r], &ch, 1).width;
        }
        for (const char *a = ARROW_BYTES; *a; a++) {
            HPDF_BYTE sym = symbol_code(*a);
            c->widths[r][(unsigned char)*a] = (float)HPDF_Font_TextWidth(c->symbol, &sym, 1).width;
        }
    }
    return 0;
}

/* ---- encoding --------------------------------------------------------------------------------- */

static unsigned char symbol_code(char arrow_byte)
{
    switch ((unsigned char)arrow_byte) {
    case 0x81: return 0xae; /* arrowright */
    case 0x8d: return 0xac; /* arrowleft */
    case 0x8f: return 0xad; /* arrowup */
    case 0x90: return 0xaf; /* arrowdown */
    default: return 0xab;   /* arrowboth */
    }
}

static bool multibyte(const struct pdf_canvas *c, enum pdf_font_role role)
{
    return c->utf8[role];
}

size_t pdf_canvas_truetype_fonts(const struct pdf_canvas *c, HPDF_Font *out, size_t max)
{
    size_t n = 0;
    for (int r = 0; r < PDF_FONT_ROLES; r++) {
        bool seen = !c->utf8[r] || !c->fonts[r];
        for (size_t i = 0; i < n && !seen; i++)
            seen = out[i] == c->fonts[r];
        if (!seen && n < max)
            out[n++] = c->fonts[r];
    }
    return n;
}

/* Decodes one UTF-8 sequence; invalid bytes decode as U+FFFD one byte at a time. */
static uint32_t next_code_point(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t cp;
    size_t n;
    if (s[0] < 0x80) {
        cp = s[0];
        n = 1;
    } else if ((s[0] >> 5) == 6 && (s[1] & 0xc0) == 0x80) {
        cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
        n = 2;
    } else if ((s[0] >> 4) == 14 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
        cp = (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
        n = 3;
    } else if ((s[0] >> 3) == 30 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
               (s[3] & 0xc0) == 0x80) {
        cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
             (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
        n = 4;
    } else {
        cp = 0xfffd;
        n = 1;
    }
    *p = s + n;
    return cp;
}

/* Windows-1252 for a code point, or a short ASCII stand-in, or "?". */
static const char *cp1252(uint32_t cp, char one[2])
{
    static const struct { uint16_t cp; const char *s; } table[] = {
        {0x20ac, "\x80"}, {0x201a, "\x82"}, {0x0192, "\x83"}, {0x201e, "\x84"}, {0x2026, "\x85"},
        {0x2020, "\x86"}, {0x2021, "\x87"}, {0x02c6, "\x88"}, {0x2030, "\x89"}, {0x0160, "\x8a"},
        {0x2039, "\x8b"}, {0x0152, "\x8c"}, {0x017d, "\x8e"}, {0x2018, "\x91"}, {0x2019, "\x92"},
        {0x201c, "\x93"}, {0x201d, "\x94"}, {0x2022, "\x95"}, {0x2013, "\x96"}, {0x2014, "\x97"},
        {0x02dc, "\x98"}, {0x2122, "\x99"}, {0x0161, "\x9a"}, {0x203a, "\x9b"}, {0x0153, "\x9c"},
        {0x017e, "\x9e"}, {0x0178, "\x9f"},
        /* Arrows: bytes Windows-1252 leaves undefined, drawn from the Symbol font. */
        {0x2192, "\x81"}, {0x2190, "\x8d"}, {0x2191, "\x8f"}, {0x2193, "\x90"}, {0x2194, "\x9d"},
        /* Not in Windows-1252: the closest ASCII. */
        {0x21d2, "=>"}, {0x2212, "-"},
        {0x2264, "<="}, {0x2265, ">="}, {0x2248, "~"}, {0x2260, "!="}, {0x2009, " "},
        {0x202f, " "}, {0x2011, "-"}, {0x2010, "-"}, {0x2713, "v"}, {0x2717, "x"},
    };
    if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff)) {
        one[0] = (char)cp;
        one[1] = '\0';
        return one;
    }
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].cp == cp)
            return table[i].s;
    return "?";
}

const char *pdf_encode(struct pdf_canvas *c, enum pdf_font_role role, const char *utf8, size_t *len)
{
    size_t n = 0, cap = sizeof c->scratch - 1;
    if (multibyte(c, role) && role == PDF_FONT_DINGBATS) {
        /* ZapfDingbats codes, as the callers write them, to the Unicode check marks. */
        for (const char *p = utf8; *p && n + 3 <= cap; p++) {
            const char *u = *p == '4' ? "\xe2\x9c\x94" : *p == '8' ? "\xe2\x9c\x98" : NULL;
            if (u) {
                memcpy(c->scratch + n, u, 3);
                n += 3;
            } else {
                c->scratch[n++] = *p;
            }
        }
    } else if (multibyte(c, role)) {
        n = strlen(utf8);
        if (n > cap)
            n = cap;
        memcpy(c->scratch, utf8, n);
    } else {
        const unsigned char *p = (const unsigned char *)utf8;
        while (*p && n < cap) {
            if (*p < 0x80) { /* ASCII, nearly all the text there is: itself, without a lookup */
                c->scratch[n++] = (char)*p++;
                continue;
            }
            char one[2];
            const char *s = cp1252(next_code_point(&p), one);
            size_t k = strlen(s);
            if (k > cap - n)
                break;
            memcpy(c->scratch + n, s, k);
            n += k;
        }
    }
    c->scratch[n] = '\0';
    if (len)
        *len = n;
    return c->scratch;
}

/* ---- measuring -------------------------------------------------------------------------------- */

/* Width in 1/1000 em of one character of encoded text starting at s (n bytes long). */
static float encoded_width(const struct pdf_canvas *c, enum pdf_font_role role, const char *s, size_t n)
{
    if (!multibyte(c, role)) {
        float w = 0;
        for (size_t i = 0; i < n; i++)
            w += c->widths[role][(unsigned char)s[i]];
        return w;
    }
    return (float)HPDF_Font_TextWidth(c->fonts[role], (const HPDF_BYTE *)s, (HPDF_UINT)n).width;
}

float pdf_text_width(struct pdf_canvas *c, enum pdf_font_role role, float size, const char *utf8)
{
    size_t n;
    const char *s = pdf_encode(c, role, utf8, &n);
    return encoded_width(c, role, s, n) * size / 1000.0f;
}

/* ---- drawing text ----------------------------------------------------------------------------- */

static void show(struct pdf_canvas *c, HPDF_Page page, enum pdf_font_role role, float size,
                 float x, float y, const char *encoded)
{
    if (!page)
        return;
    if (role == PDF_FONT_TEXT_BOLD && c->fake_bold) {
        /* The bold of a font that has none: its outlines stroked as well as filled, in the
         * fill colour. */
        HPDF_RGBColor ink = HPDF_Page_GetRGBFill(page);
        HPDF_Page_GSave(page);
        HPDF_Page_SetRGBStroke(page, ink.r, ink.g, ink.b);
        HPDF_Page_SetLineWidth(page, size * 0.035f);
        HPDF_Page_BeginText(page);
        HPDF_Page_SetTextRenderingMode(page, HPDF_FILL_THEN_STROKE);
        HPDF_Page_SetFontAndSize(page, c->fonts[role], size);
        HPDF_Page_TextOut(page, x, y, encoded);
        HPDF_Page_EndText(page);
        HPDF_Page_GRestore(page);
        return;
    }
    HPDF_Page_BeginText(page);
    if (HPDF_Page_GetCurrentFont(page) != c->fonts[role] || HPDF_Page_GetCurrentFontSize(page) != size)
        HPDF_Page_SetFontAndSize(page, c->fonts[role], size);
    if (multibyte(c, role) || !strpbrk(encoded, ARROW_BYTES)) {
        HPDF_Page_TextOut(page, x, y, encoded);
    } else {
        /* Runs of text, with each arrow byte shown in the Symbol font. */
        HPDF_Page_MoveTextPos(page, x, y);
        char run[sizeof c->scratch];
        for (const char *p = encoded; *p;) {
            const char *arrow = strchr(ARROW_BYTES, *p);
            if (arrow) {
                char sym[2] = {(char)symbol_code(*p), '\0'};
                HPDF_Page_SetFontAndSize(page, c->symbol, size);
                HPDF_Page_ShowText(page, sym);
                HPDF_Page_SetFontAndSize(page, c->fonts[role], size);
                p++;
                continue;
            }
            size_t n = strcspn(p, ARROW_BYTES);
            memcpy(run, p, n);
            run[n] = '\0';
            HPDF_Page_ShowText(page, run);
            p += n;
        }
    }
    HPDF_Page_EndText(page);
}

static float aligned_x(float x, float w, enum pdf_align align)
{
    return align == PDF_CENTER ? x - w / 2 : align == PDF_RIGHT ? x - w : x;
}

float pdf_text(struct pdf_canvas *c, HPDF_Page page, enum pdf_font_role role, float size,
               float x, float y, enum pdf_align align, const char *utf8)
{
    size_t n;
    const char *s = pdf_encode(c, role, utf8, &n);
    if (!n)
        return 0;
    float w = encoded_width(c, role, s, n) * size / 1000.0f;
    show(c, page, role, size, aligned_x(x, w, align), y, s);
    return w;
}

/* Length of the UTF-8 (or single-byte) character at s. */
static size_t char_len(const struct pdf_canvas *c, enum pdf_font_role role, const char *s)
{
    if (!multibyte(c, role))
        return 1;
    const unsigned char *p = (const unsigned char *)s;
    next_code_point(&p);
    return (size_t)(p - (const unsigned char *)s);
}

float pdf_text_fit(struct pdf_canvas *c, HPDF_Page page, enum pdf_font_role role, float size,
                   float min_size, float x, float y, float max_width, enum pdf_align align,
                   const char *utf8)
{
    size_t n;
    const char *s = pdf_encode(c, role, utf8, &n);
    float em = encoded_width(c, role, s, n);
    if (em <= 0)
        return size;
    float fit = max_width * 1000.0f / em;
    if (fit >= size) {
        show(c, page, role, size, aligned_x(x, em * size / 1000.0f, align), y, s);
        return size;
    }
    if (fit >= min_size) {
        show(c, page, role, fit, aligned_x(x, max_width, align), y, s);
        return fit;
    }
    /* Too long even at the smallest size: keep both ends, which identify an address best. */
    char out[512];
    float ell = encoded_width(c, role, "...", 3), budget = max_width * 1000.0f / min_size - ell;
    size_t head = 0, tail = n, o = 0;
    float used = 0;
    for (;;) {
        size_t k = char_len(c, role, s + head);
        float w = encoded_width(c, role, s + head, k);
        if (head + k > tail || used + w > budget / 2 || head + k >= sizeof out / 2)
            break;
        used += w;
        head += k;
    }
    while (tail > head) {
        size_t start = tail - 1;
        while (start > head && multibyte(c, role) && ((unsigned char)s[start] & 0xc0) == 0x80)
            start--;
        float w = encoded_width(c, role, s + start, tail - start);
        if (used + w > budget || n - start + head + 4 >= sizeof out)
            break;
        used += w;
        tail = start;
    }
    memcpy(out, s, head);
    o = head;
    memcpy(out + o, "...", 3);
    o += 3;
    memcpy(out + o, s + tail, n - tail);
    o += n - tail;
    out[o] = '\0';
    show(c, page, role, min_size, aligned_x(x, (used + ell) * min_size / 1000.0f, align), y, out);
    return min_size;
}

/* Chinese and Japanese line-breaking rules (kinsoku): closing punctuation never starts a
 * line, opening punctuation never ends one. */
static bool no_line_start(uint32_t cp)
{
    static const uint32_t closing[] = {
        0xff0c, 0x3002, 0x3001, 0xff1a, 0xff1b, 0xff01, 0xff1f, 0xff09, 0x300d, 0x300f, 0x3011,
        0x300b, 0x3009, 0x201d, 0x2019, 0x2026, 0x2014, 0xff5e, 0x00b7, 0xff05, 0xff0e, 0x3015,
        ',', '.', ';', ':', '!', '?', ')', ']', '}', '%',
    };
    for (size_t i = 0; i < sizeof closing / sizeof closing[0]; i++)
        if (closing[i] == cp)
            return true;
    return false;
}

static bool no_line_end(uint32_t cp)
{
    static const uint32_t opening[] = {0xff08, 0x300c, 0x300e, 0x3010, 0x300a, 0x3008, 0x201c,
                                       0x2018, 0x3014, '(', '[', '{'};
    for (size_t i = 0; i < sizeof opening / sizeof opening[0]; i++)
        if (opening[i] == cp)
            return true;
    return false;
}

/* True when a line may break after the character at s, before the one at next: after a
 * space, or after a CJK character (U+2E80 and up, which take three or four UTF-8 bytes from
 * 0xE2 0xBA on), within the rules above. */
static bool break_after(const struct pdf_canvas *c, enum pdf_font_role role, const char *s,
                        const char *next)
{
    if (!multibyte(c, role))
        return *s == ' ';
    const unsigned char *p = (const unsigned char *)s, *q = (const unsigned char *)next;
    uint32_t cp = next_code_point(&p), after = *q ? next_code_point(&q) : 0;
    if (after && no_line_start(after))
        return false;
    return *s == ' ' || (cp >= 0x2e80 && !no_line_end(cp));
}

int pdf_text_wrap(struct pdf_canvas *c, HPDF_Page page, enum pdf_font_role role, float size,
                  float leading, float x, float y, float width, const char *utf8)
{
    size_t n;
    pdf_encode(c, role, utf8, &n);
    char text[sizeof c->scratch];
    memcpy(text, c->scratch, n + 1);
    float limit = width * 1000.0f / size;
    int lines = 0;
    size_t start = 0;
    while (start < n) {
        size_t i = start, last_break = 0, end = n;
        float w = 0;
        bool forced = false;
        while (i < n) {
            if (text[i] == '\n') {
                end = i;
                forced = true;
                break;
            }
            size_t k = char_len(c, role, text + i);
            float cw = encoded_width(c, role, text + i, k);
            if (w + cw > limit && i > start && text[i] != ' ') {
                end = last_break ? last_break : i;
                break;
            }
            w += cw;
            i += k;
            if (break_after(c, role, text + i - k, text + i))
                last_break = i;
        }
        /* The line is text[start, end) without trailing spaces. */
        size_t stop = end;
        while (stop > start && text[stop - 1] == ' ')
            stop--;
        if (page && stop > start) {
            char saved = text[stop];
            text[stop] = '\0';
            show(c, page, role, size, x, y - (float)lines * leading, text + start);
            text[stop] = saved;
        }
        lines++;
        start = end + (forced ? 1 : 0);
        while (start < n && text[start] == ' ')
            start++;
        if (forced && start >= n)
            break;
    }
    return lines ? lines : 1;
}

/* ---- shapes ----------------------------------------------------------------------------------- */

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
    if (HPDF_Dict_AddNumber(a, "F", 4) != HPDF_OK) /* print */
        HPDF_CheckError(a->error);
}
