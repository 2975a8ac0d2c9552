/* pdf_canvas.c — the canvas's fonts, the fallbacks for characters they lack, the bytes each
 * takes and their widths (pdf_canvas.h); pdf_text.c draws text with them and pdf_shapes.c
 * draws the rest. */
#include "pdf_canvas.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H

/* ---- fonts ---------------------------------------------------------------------------------- */

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

/* The fallback for Chinese, Japanese and Korean characters (fonts-wqy-zenhei). Its sibling
 * wqy-microhei does not work embedded with libharu 2.3.0 (composite glyphs lose their parts:
 * /work/shared/LIBRARIES.md, "Chinese text"). */
#ifndef PDF_CJK_FONT
#define PDF_CJK_FONT "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
#endif

/* Opens the FreeType face of a TrueType font in slot, to ask which characters it has. A face
 * that cannot be opened leaves the slot without one: the font is then taken to have every
 * character (as before fallbacks existed). */
static void open_face(struct pdf_canvas *c, int slot, const char *path, unsigned index)
{
    if (!c->ft && FT_Init_FreeType((FT_Library *)&c->ft) != 0) {
        c->ft = NULL;
        return;
    }
    FT_Face face = NULL;
    if (FT_New_Face((FT_Library)c->ft, path, (FT_Long)index, &face) == 0)
        c->faces[slot] = face;
}

/* Loads an embedded TrueType font (a .ttf, or index of a .ttc) for encoding into slot, and its
 * FreeType face when it takes UTF-8. */
static HPDF_Font load_truetype(struct pdf_canvas *c, int slot, const char *key, const char *path, bool ttc,
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
    HPDF_Font font = HPDF_GetFont(c->pdf, name, encoding);
    if (font && strcmp(encoding, "UTF-8") == 0 && !c->faces[slot])
        open_face(c, slot, path, index);
    return font;
}

/* A built-in font, or with embed_all its DejaVu counterpart taking UTF-8. */
static HPDF_Font builtin_font(struct pdf_canvas *c, int slot, const char *key, const char *name,
                              const char *encoding, char *err, size_t errlen)
{
    if (!c->embed_all)
        return HPDF_GetFont(c->pdf, name, encoding);
    char path[600];
    snprintf(path, sizeof path, "%s/%s", PDF_DEJAVU_DIR, dejavu_for(name));
    return load_truetype(c, slot, key, path, false, 0, "UTF-8", "fonts-dejavu-core", err, errlen);
}

/* A font setting is a built-in font name, or "ttc FILE INDEX" / "ttf FILE" with FILE relative
 * to the templates folder unless absolute. */
static HPDF_Font load_font(struct pdf_canvas *c, int slot, const struct pdf_templates *t, const char *key,
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
        return builtin_font(c, slot, key, spec, encoding, err, errlen);
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
    return load_truetype(c, slot, key, path, ttc, index, c->embed_all ? "UTF-8" : encoding, NULL, err, errlen);
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

    if (!(c->fonts[PDF_FONT_TEXT] = load_font(c, PDF_FONT_TEXT, t, "@font.regular", encoding, err, errlen)) ||
        !(c->fonts[PDF_FONT_TEXT_BOLD] = load_font(c, PDF_FONT_TEXT_BOLD, t, "@font.bold", encoding, err, errlen)))
        return -1;
    if (!(c->fonts[PDF_FONT_LABEL] =
              builtin_font(c, PDF_FONT_LABEL, "label font", "Helvetica", "WinAnsiEncoding", err, errlen)) ||
        !(c->fonts[PDF_FONT_LABEL_BOLD] =
              builtin_font(c, PDF_FONT_LABEL_BOLD, "label font", "Helvetica-Bold", "WinAnsiEncoding", err, errlen)) ||
        !(c->fonts[PDF_FONT_MONO] =
              builtin_font(c, PDF_FONT_MONO, "label font", "Courier", "WinAnsiEncoding", err, errlen)))
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
        for (const char *a = PDF_ARROW_BYTES; *a; a++) {
            HPDF_BYTE sym = pdf_symbol_code(*a);
            c->widths[r][(unsigned char)*a] = (float)HPDF_Font_TextWidth(c->symbol, &sym, 1).width;
        }
    }
    return 0;
}

void pdf_canvas_free(struct pdf_canvas *c)
{
    for (int i = 0; i < PDF_FONT_SLOTS; i++)
        if (c->faces[i])
            FT_Done_Face((FT_Face)c->faces[i]);
    if (c->ft)
        FT_Done_FreeType((FT_Library)c->ft);
    memset(c->faces, 0, sizeof c->faces);
    c->ft = NULL;
}

/* ---- encoding --------------------------------------------------------------------------------- */

size_t pdf_canvas_truetype_fonts(const struct pdf_canvas *c, HPDF_Font *out, size_t max)
{
    size_t n = 0;
    for (int r = 0; r < PDF_FONT_SLOTS; r++) {
        bool seen = !c->utf8[r] || !c->fonts[r];
        for (size_t i = 0; i < n && !seen; i++)
            seen = out[i] == c->fonts[r];
        if (!seen && n < max)
            out[n++] = c->fonts[r];
    }
    return n;
}

uint32_t pdf_utf8_next(const unsigned char **p)
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

const char *pdf_encode(struct pdf_canvas *c, int slot, const char *utf8, size_t len_in, size_t *len)
{
    size_t n = 0, cap = sizeof c->scratch - 1;
    const char *end = utf8 + len_in;
    if (c->utf8[slot] && slot == PDF_FONT_DINGBATS) {
        /* ZapfDingbats codes, as the callers write them, to the Unicode check marks. */
        for (const char *p = utf8; p < end && *p && n + 3 <= cap; p++) {
            const char *u = *p == '4' ? "\xe2\x9c\x94" : *p == '8' ? "\xe2\x9c\x98" : NULL;
            if (u) {
                memcpy(c->scratch + n, u, 3);
                n += 3;
            } else {
                c->scratch[n++] = *p;
            }
        }
    } else if (c->utf8[slot]) {
        n = len_in;
        if (n > cap)
            n = cap;
        memcpy(c->scratch, utf8, n);
    } else {
        const unsigned char *p = (const unsigned char *)utf8, *e = (const unsigned char *)end;
        while (p < e && *p && n < cap) {
            if (*p < 0x80) { /* ASCII, nearly all the text there is: itself, without a lookup */
                c->scratch[n++] = (char)*p++;
                continue;
            }
            char one[2];
            const char *s = cp1252(pdf_utf8_next(&p), one);
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

/* ---- fallbacks -------------------------------------------------------------------------------- */

/* The fallbacks of a role, in the order they are tried. */
static size_t fallbacks(enum pdf_font_role role, int out[2])
{
    switch (role) {
    case PDF_FONT_TEXT:
    case PDF_FONT_LABEL:
        out[0] = PDF_SLOT_SANS;
        break;
    case PDF_FONT_TEXT_BOLD:
    case PDF_FONT_LABEL_BOLD:
        out[0] = PDF_SLOT_SANS_BOLD;
        break;
    case PDF_FONT_MONO:
        out[0] = PDF_SLOT_MONO;
        break;
    default:
        return 0; /* check marks have no fallback */
    }
    out[1] = PDF_SLOT_CJK;
    return 2;
}

/* Loads a fallback font the first time it is needed. False when its file is missing (the text
 * then shows the role font's stand-ins, as without fallbacks). */
static bool load_fallback(struct pdf_canvas *c, int slot)
{
    if (c->fonts[slot])
        return true;
    if (c->tried[slot])
        return false;
    c->tried[slot] = true;
    char path[600], err[700];
    static const char *const files[] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"};
    if (slot == PDF_SLOT_CJK)
        snprintf(path, sizeof path, "%s", PDF_CJK_FONT);
    else
        snprintf(path, sizeof path, "%s/%s", PDF_DEJAVU_DIR, files[slot - PDF_SLOT_SANS]);
    c->fonts[slot] = load_truetype(c, slot, "fallback font", path, slot == PDF_SLOT_CJK, 0, "UTF-8", NULL, err,
                                   sizeof err);
    c->utf8[slot] = c->fonts[slot] != NULL;
    return c->fonts[slot] != NULL;
}

/* True when the font of slot has a glyph for cp (a single-byte font: a byte or a stand-in). */
static bool has_char(const struct pdf_canvas *c, int slot, uint32_t cp)
{
    if (cp == 0xfffd)
        return true; /* a byte that is not UTF-8: the role's font shows its '?' */
    if (!c->utf8[slot]) {
        char one[2];
        return cp < 0x80 || strcmp(cp1252(cp, one), "?") != 0;
    }
    if (!c->faces[slot])
        return true;
    return cp < 0x20 || FT_Get_Char_Index((FT_Face)c->faces[slot], (FT_ULong)cp) != 0;
}

static bool has_all(const struct pdf_canvas *c, int slot, const char *utf8, size_t n)
{
    const unsigned char *p = (const unsigned char *)utf8, *end = p + n;
    if (!c->utf8[slot]) { /* ASCII, nearly all the text there is, without decoding */
        while (p < end && *p && *p < 0x80)
            p++;
        if (p >= end || !*p)
            return true;
    }
    while (p < end && *p)
        if (!has_char(c, slot, pdf_utf8_next(&p)))
            return false;
    return true;
}

int pdf_canvas_string_slot(struct pdf_canvas *c, enum pdf_font_role role, const char *utf8, size_t n)
{
    if (has_all(c, role, utf8, n))
        return (int)role;
    int fb[2];
    size_t nf = fallbacks(role, fb);
    for (size_t i = 0; i < nf; i++)
        if (load_fallback(c, fb[i]) && c->fonts[fb[i]] != c->fonts[role] && has_all(c, fb[i], utf8, n))
            return fb[i];
    return nf ? -1 : (int)role;
}

int pdf_canvas_char_slot(struct pdf_canvas *c, enum pdf_font_role role, uint32_t cp)
{
    if (has_char(c, role, cp))
        return (int)role;
    int fb[2];
    size_t nf = fallbacks(role, fb);
    for (size_t i = 0; i < nf; i++)
        if (load_fallback(c, fb[i]) && has_char(c, fb[i], cp))
            return fb[i];
    return (int)role;
}

bool pdf_canvas_fake_bold(const struct pdf_canvas *c, enum pdf_font_role role, int slot)
{
    if (role != PDF_FONT_TEXT_BOLD)
        return false;
    return slot == (int)role ? c->fake_bold : slot == PDF_SLOT_CJK;
}

/* ---- measuring -------------------------------------------------------------------------------- */

float pdf_encoded_width(const struct pdf_canvas *c, int slot, const char *s, size_t n)
{
    if (!c->utf8[slot]) {
        float w = 0;
        for (size_t i = 0; i < n; i++)
            w += c->widths[slot][(unsigned char)s[i]];
        return w;
    }
    return (float)HPDF_Font_TextWidth(c->fonts[slot], (const HPDF_BYTE *)s, (HPDF_UINT)n).width;
}
