/* pdf_text.c — text on a page: one line, a line fitted to a width, wrapped paragraphs
 * (pdf_canvas.h). Strings arrive as UTF-8 and are drawn in the bytes their font takes. */
#include "pdf_canvas.h"

#include <stdint.h>
#include <string.h>

/* How a string is drawn: in one font slot (whole >= 0), or each character in its own
 * (pdf_canvas_string_slot). */
struct plan {
    enum pdf_font_role role;
    int whole;
};

static struct plan plan_for(struct pdf_canvas *c, enum pdf_font_role role, const char *utf8, size_t n)
{
    return (struct plan){role, pdf_canvas_string_slot(c, role, utf8, n)};
}

/* The length of the run of characters at s (at most n bytes) drawn in one slot, and that slot. */
static size_t run_at(struct pdf_canvas *c, struct plan pl, const char *s, size_t n, int *slot)
{
    if (pl.whole >= 0) {
        *slot = pl.whole;
        return n;
    }
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    *slot = -1;
    while (p < end && *p) {
        const unsigned char *q = p;
        int k = pdf_canvas_char_slot(c, pl.role, pdf_utf8_next(&q));
        if (*slot >= 0 && k != *slot)
            break;
        *slot = k;
        p = q > end ? end : q;
    }
    if (*slot < 0)
        *slot = pl.role;
    return (size_t)(p - (const unsigned char *)s);
}

/* Width in 1/1000 em of the n bytes of UTF-8 at s. */
static float width_of(struct pdf_canvas *c, struct plan pl, const char *s, size_t n)
{
    float w = 0;
    for (size_t at = 0; at < n;) {
        int slot;
        size_t k = run_at(c, pl, s + at, n - at, &slot);
        if (k == 0)
            break;
        size_t len;
        const char *e = pdf_encode(c, slot, s + at, k, &len);
        w += pdf_encoded_width(c, slot, e, len);
        at += k;
    }
    return w;
}

/* Shows text already encoded for slot's font at the current text position; a single-byte
 * font's arrows come from the Symbol font. */
static void show_encoded(struct pdf_canvas *c, HPDF_Page page, int slot, float size, const char *encoded)
{
    if (c->utf8[slot] || !strpbrk(encoded, PDF_ARROW_BYTES)) {
        HPDF_Page_ShowText(page, encoded);
        return;
    }
    char run[sizeof c->scratch];
    for (const char *p = encoded; *p;) {
        if (strchr(PDF_ARROW_BYTES, *p)) {
            char sym[2] = {(char)pdf_symbol_code(*p), '\0'};
            HPDF_Page_SetFontAndSize(page, c->symbol, size);
            HPDF_Page_ShowText(page, sym);
            HPDF_Page_SetFontAndSize(page, c->fonts[slot], size);
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

/* Draws text in one font slot, already encoded for it, its left end at x and baseline at y. */
static void show_one(struct pdf_canvas *c, HPDF_Page page, enum pdf_font_role role, int slot, float size,
                     float x, float y, const char *encoded)
{
    if (pdf_canvas_fake_bold(c, role, slot)) {
        /* The bold of a font that has none: its outlines stroked as well as filled, in the
         * fill colour. */
        HPDF_RGBColor ink = HPDF_Page_GetRGBFill(page);
        HPDF_Page_GSave(page);
        HPDF_Page_SetRGBStroke(page, ink.r, ink.g, ink.b);
        HPDF_Page_SetLineWidth(page, size * 0.035f);
        HPDF_Page_BeginText(page);
        HPDF_Page_SetTextRenderingMode(page, HPDF_FILL_THEN_STROKE);
        HPDF_Page_SetFontAndSize(page, c->fonts[slot], size);
        HPDF_Page_TextOut(page, x, y, encoded);
        HPDF_Page_EndText(page);
        HPDF_Page_GRestore(page);
        return;
    }
    HPDF_Page_BeginText(page);
    if (HPDF_Page_GetCurrentFont(page) != c->fonts[slot] || HPDF_Page_GetCurrentFontSize(page) != size)
        HPDF_Page_SetFontAndSize(page, c->fonts[slot], size);
    if (c->utf8[slot] || !strpbrk(encoded, PDF_ARROW_BYTES)) {
        HPDF_Page_TextOut(page, x, y, encoded);
    } else {
        HPDF_Page_MoveTextPos(page, x, y);
        show_encoded(c, page, slot, size, encoded);
    }
    HPDF_Page_EndText(page);
}

/* Draws the n bytes of UTF-8 at s, its left end at x and baseline at y; nothing without a
 * page. Text in one font takes the path reports always took (the same bytes); mixed text is
 * one text object whose runs switch fonts. */
static void show(struct pdf_canvas *c, HPDF_Page page, struct plan pl, float size, float x, float y,
                 const char *s, size_t n)
{
    if (!page || n == 0)
        return;
    int slot;
    size_t k = run_at(c, pl, s, n, &slot);
    if (k >= n) {
        show_one(c, page, pl.role, slot, size, x, y, pdf_encode(c, slot, s, n, NULL));
        return;
    }
    bool stroked = false;
    HPDF_RGBColor ink = HPDF_Page_GetRGBFill(page);
    HPDF_Page_GSave(page);
    HPDF_Page_SetRGBStroke(page, ink.r, ink.g, ink.b);
    HPDF_Page_SetLineWidth(page, size * 0.035f);
    HPDF_Page_BeginText(page);
    HPDF_Page_MoveTextPos(page, x, y);
    for (size_t at = 0; at < n;) {
        k = run_at(c, pl, s + at, n - at, &slot);
        if (k == 0)
            break;
        bool fake = pdf_canvas_fake_bold(c, pl.role, slot);
        if (fake != stroked)
            HPDF_Page_SetTextRenderingMode(page, fake ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
        stroked = fake;
        HPDF_Page_SetFontAndSize(page, c->fonts[slot], size);
        show_encoded(c, page, slot, size, pdf_encode(c, slot, s + at, k, NULL));
        at += k;
    }
    HPDF_Page_EndText(page);
    HPDF_Page_GRestore(page);
}

static float aligned_x(float x, float w, enum pdf_align align)
{
    return align == PDF_CENTER ? x - w / 2 : align == PDF_RIGHT ? x - w : x;
}

float pdf_text_width(struct pdf_canvas *c, enum pdf_font_role role, float size, const char *utf8)
{
    size_t n = strlen(utf8);
    return width_of(c, plan_for(c, role, utf8, n), utf8, n) * size / 1000.0f;
}

float pdf_text(struct pdf_canvas *c, HPDF_Page page, enum pdf_font_role role, float size,
               float x, float y, enum pdf_align align, const char *utf8)
{
    size_t n = strlen(utf8);
    if (!n)
        return 0;
    struct plan pl = plan_for(c, role, utf8, n);
    float w = width_of(c, pl, utf8, n) * size / 1000.0f;
    show(c, page, pl, size, aligned_x(x, w, align), y, utf8, n);
    return w;
}

/* Length of the UTF-8 character at s. */
static size_t char_len(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    pdf_utf8_next(&p);
    return (size_t)(p - (const unsigned char *)s);
}

float pdf_text_fit_plan(struct pdf_canvas *c, enum pdf_font_role role, float size, float min_size,
                        float x, float max_width, enum pdf_align align, const char *utf8,
                        struct pdf_fitted *out)
{
    size_t n = strlen(utf8);
    struct plan pl = plan_for(c, role, utf8, n);
    float em = width_of(c, pl, utf8, n);
    out->slot = pl.whole;
    out->shortened = false;
    out->drawn = em > 0;
    out->text[0] = '\0';
    out->size = size;
    out->left = x;
    out->width = 0;
    if (em <= 0)
        return size;
    float fit = max_width * 1000.0f / em;
    if (fit >= size) {
        out->width = em * size / 1000.0f;
        out->left = aligned_x(x, out->width, align);
        return size;
    }
    if (fit >= min_size) {
        out->size = fit;
        out->width = max_width;
        out->left = aligned_x(x, max_width, align);
        return fit;
    }
    /* Too long even at the smallest size: keep both ends, which identify an address best. */
    const char *s = utf8;
    char *o = out->text;
    float ell = width_of(c, pl, "...", 3), budget = max_width * 1000.0f / min_size - ell;
    size_t head = 0, tail = n, k;
    float used = 0;
    for (;;) {
        k = char_len(s + head);
        float w = width_of(c, pl, s + head, k);
        if (head + k > tail || used + w > budget / 2 || head + k >= PDF_FIT_SHORT / 2)
            break;
        used += w;
        head += k;
    }
    while (tail > head) {
        size_t start = tail - 1;
        while (start > head && ((unsigned char)s[start] & 0xc0) == 0x80)
            start--;
        float w = width_of(c, pl, s + start, tail - start);
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

const char *pdf_fitted_utf8(const struct pdf_fitted *f, const char *utf8)
{
    return !f->drawn ? "" : f->shortened ? f->text : utf8;
}

float pdf_text_fit(struct pdf_canvas *c, HPDF_Page page, enum pdf_font_role role, float size,
                   float min_size, float x, float y, float max_width, enum pdf_align align,
                   const char *utf8)
{
    struct pdf_fitted f;
    float used = pdf_text_fit_plan(c, role, size, min_size, x, max_width, align, utf8, &f);
    if (f.drawn) {
        const char *text = pdf_fitted_utf8(&f, utf8);
        /* the plan of the whole text, also for its shortened form (as the widths were taken) */
        show(c, page, (struct plan){role, f.slot}, f.size, f.left, y, text, strlen(text));
    }
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
 * space, or, in a language whose wording font takes UTF-8, after a CJK character (U+2E80 and
 * up) within the rules above. */
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
    char text[sizeof c->scratch];
    size_t n = strlen(utf8);
    if (n >= sizeof text) { /* cut at a character boundary */
        n = sizeof text - 1;
        while (n > 0 && ((unsigned char)utf8[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(text, utf8, n);
    text[n] = '\0';
    struct plan pl = plan_for(c, role, text, n);
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
            size_t k = char_len(text + i);
            float cw = width_of(c, pl, text + i, k);
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
        if (page && stop > start)
            show(c, page, pl, size, x, y - (float)lines * leading, text + start, stop - start);
        lines++;
        start = end + (forced ? 1 : 0);
        while (start < n && text[start] == ' ')
            start++;
        if (forced && start >= n)
            break;
    }
    return lines ? lines : 1;
}
