/* pdf_text.c — text on a page: one line, a line fitted to a width, wrapped paragraphs
 * (pdf_canvas.h). Strings arrive as UTF-8 and are drawn in the bytes their font takes. */
#include "pdf_canvas.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Draws text already encoded for the role's font, its left end at x and baseline at y;
 * nothing without a page. */
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
    if (c->utf8[role] || !strpbrk(encoded, PDF_ARROW_BYTES)) {
        HPDF_Page_TextOut(page, x, y, encoded);
    } else {
        /* Runs of text, with each arrow byte shown in the Symbol font. */
        HPDF_Page_MoveTextPos(page, x, y);
        char run[sizeof c->scratch];
        for (const char *p = encoded; *p;) {
            const char *arrow = strchr(PDF_ARROW_BYTES, *p);
            if (arrow) {
                char sym[2] = {(char)pdf_symbol_code(*p), '\0'};
                HPDF_Page_SetFontAndSize(page, c->symbol, size);
                HPDF_Page_ShowText(page, sym);
                HPDF_Page_SetFontAndSize(page, c->fonts[role], size);
                p++;
                continue;
            }
            size_t n = strcspn(p, PDF_ARROW_BYTES);
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
    float w = pdf_encoded_width(c, role, s, n) * size / 1000.0f;
    show(c, page, role, size, aligned_x(x, w, align), y, s);
    return w;
}

/* Length of the UTF-8 (or single-byte) character at s. */
static size_t char_len(const struct pdf_canvas *c, enum pdf_font_role role, const char *s)
{
    if (!c->utf8[role])
        return 1;
    const unsigned char *p = (const unsigned char *)s;
    pdf_utf8_next(&p);
    return (size_t)(p - (const unsigned char *)s);
}

/* Windows-1252 bytes 0x80-0x9F as code points (the standard mapping), with the five bytes it
 * leaves undefined standing for the arrows pdf_encode writes there; 0 for none. */
static const uint16_t cp1252_high[32] = {
    0x20ac, 0x2192, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x2190, 0x017d, 0x2191, 0x2193, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
    0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x2194, 0x017e, 0x0178,
};

/* The UTF-8 form of text encoded for a single-byte font, into out: pdf_encode gives the same
 * bytes back for it. */
static void decode_single_byte(const char *s, char *out, size_t outlen)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < outlen; p++) {
        uint32_t cp = *p < 0x80 || *p >= 0xa0 ? *p : cp1252_high[*p - 0x80];
        if (cp < 0x80) {
            out[o++] = (char)cp;
        } else if (cp < 0x800) {
            out[o++] = (char)(0xc0 | cp >> 6);
            out[o++] = (char)(0x80 | (cp & 0x3f));
        } else {
            out[o++] = (char)(0xe0 | cp >> 12);
            out[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
            out[o++] = (char)(0x80 | (cp & 0x3f));
        }
    }
    out[o] = '\0';
}

float pdf_text_fit_plan(struct pdf_canvas *c, enum pdf_font_role role, float size, float min_size,
                        float x, float max_width, enum pdf_align align, const char *utf8,
                        struct pdf_fitted *out)
{
    size_t n;
    const char *s = pdf_encode(c, role, utf8, &n);
    float em = pdf_encoded_width(c, role, s, n);
    out->shortened = false;
    out->encoded[0] = '\0';
    if (em <= 0) {
        out->size = size;
        out->left = x;
        out->width = 0;
        return size;
    }
    float fit = max_width * 1000.0f / em;
    if (fit >= size) {
        out->size = size;
        out->width = em * size / 1000.0f;
        out->left = aligned_x(x, out->width, align);
        snprintf(out->encoded, sizeof out->encoded, "%s", s);
        return size;
    }
    if (fit >= min_size) {
        out->size = fit;
        out->width = max_width;
        out->left = aligned_x(x, max_width, align);
        snprintf(out->encoded, sizeof out->encoded, "%s", s);
        return fit;
    }
    /* Too long even at the smallest size: keep both ends, which identify an address best. */
    char *o = out->encoded;
    float ell = pdf_encoded_width(c, role, "...", 3), budget = max_width * 1000.0f / min_size - ell;
    size_t head = 0, tail = n, k = 0;
    float used = 0;
    for (;;) {
        k = char_len(c, role, s + head);
        float w = pdf_encoded_width(c, role, s + head, k);
        if (head + k > tail || used + w > budget / 2 || head + k >= PDF_FIT_SHORT / 2)
            break;
        used += w;
        head += k;
    }
    while (tail > head) {
        size_t start = tail - 1;
        while (start > head && c->utf8[role] && ((unsigned char)s[start] & 0xc0) == 0x80)
            start--;
        float w = pdf_encoded_width(c, role, s + start, tail - start);
        if (used + w > budget || n - start + head + 4 >= PDF_FIT_SHORT)
            break;
        used += w;
        tail = start;
    }
    memcpy(o, s, head);
    k = head;
    memcpy(o + k, "...", 3);
    k += 3;
    memcpy(o + k, s + tail, n - tail);
    k += n - tail;
    o[k] = '\0';
    out->size = min_size;
    out->width = (used + ell) * min_size / 1000.0f;
    out->left = aligned_x(x, out->width, align);
    out->shortened = true;
    return min_size;
}

const char *pdf_fitted_utf8(const struct pdf_canvas *c, enum pdf_font_role role, const struct pdf_fitted *f,
                            const char *utf8, char *buf, size_t buflen)
{
    if (!f->shortened)
        return utf8;
    if (c->utf8[role])
        return f->encoded;
    decode_single_byte(f->encoded, buf, buflen);
    return buf;
}

float pdf_text_fit(struct pdf_canvas *c, HPDF_Page page, enum pdf_font_role role, float size,
                   float min_size, float x, float y, float max_width, enum pdf_align align,
                   const char *utf8)
{
    struct pdf_fitted f;
    float used = pdf_text_fit_plan(c, role, size, min_size, x, max_width, align, utf8, &f);
    if (f.encoded[0])
        show(c, page, role, f.size, f.left, y, f.encoded);
    return used;
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
    if (!c->utf8[role])
        return *s == ' ';
    const unsigned char *p = (const unsigned char *)s, *q = (const unsigned char *)next;
    uint32_t cp = pdf_utf8_next(&p), after = *q ? pdf_utf8_next(&q) : 0;
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
            float cw = pdf_encoded_width(c, role, text + i, k);
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
