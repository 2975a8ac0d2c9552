/* pdf_canvas.h — the drawing layer under every PDF of pcap2report: fonts, text and shapes on
 * libharu's public page calls (pdf_canvas.c: fonts and encoding; pdf_text.c: text;
 * pdf_shapes.c: the rest).
 *
 * Text arrives as UTF-8 everywhere. The wording fonts come from the template's settings
 * (built-in Helvetica with WinAnsiEncoding for English; a TrueType collection with UTF-8 for
 * languages whose script the built-in fonts lack), and the canvas converts each string to
 * what its font takes. Technical labels (flags, numbers, addresses) use the built-in fonts.
 * A character a role's font lacks (a student's name in Polish, Cyrillic or Chinese in an
 * English report, a Polish letter in a Chinese one) is drawn from an embedded subset of DejaVu
 * Sans (Bold, Mono) or of WenQuanYi Zen Hei, loaded the first time a character needs it: a
 * string that one font shows whole is drawn in that font (the role's own first), else each
 * character in the first font that has it. A document whose text its built-in fonts show keeps
 * them, byte for byte. Which characters a font has is read from its cmap with FreeType.
 * libharu reports errors through the document's error handler, which the caller installs;
 * nothing here checks return codes. */
#ifndef PCAP2REPORT_PDF_CANVAS_H
#define PCAP2REPORT_PDF_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdf_hpdf.h"
#include "pdf_style.h"
#include "pdf_templates.h"

enum pdf_font_role {
    PDF_FONT_TEXT,        /* wording, from the template */
    PDF_FONT_TEXT_BOLD,   /* headings, from the template */
    PDF_FONT_LABEL,       /* technical labels: Helvetica */
    PDF_FONT_LABEL_BOLD,  /* Helvetica-Bold */
    PDF_FONT_MONO,        /* hashes and tcpdump options: Courier */
    PDF_FONT_DINGBATS,    /* check marks: ZapfDingbats */
    PDF_FONT_ROLES
};

enum pdf_align { PDF_LEFT, PDF_CENTER, PDF_RIGHT };

/* The fonts a canvas may use: one per role, then the fallbacks for characters a role's font
 * lacks, loaded when first needed (PDF_DEJAVU_DIR, PDF_CJK_FONT in pdf_canvas.c). */
enum pdf_font_slot {
    PDF_SLOT_SANS = PDF_FONT_ROLES, /* DejaVu Sans: Latin, Greek, Cyrillic and more */
    PDF_SLOT_SANS_BOLD,             /* DejaVu Sans Bold */
    PDF_SLOT_MONO,                  /* DejaVu Sans Mono */
    PDF_SLOT_CJK,                   /* WenQuanYi Zen Hei: Chinese, Japanese kana, Korean */
    PDF_FONT_SLOTS
};

struct pdf_canvas {
    HPDF_Doc pdf;
    HPDF_Font fonts[PDF_FONT_SLOTS];
    HPDF_Font symbol;               /* arrows for single-byte text (none when embed_all) */
    bool text_utf8;                 /* the wording fonts take UTF-8 */
    bool utf8[PDF_FONT_SLOTS];      /* this font is an embedded TrueType font taking UTF-8 */
    bool embed_all;                 /* every font embedded (PDF/A): no built-in font at all */
    bool fake_bold;                 /* the template's bold font is its regular one: stroke it */
    float widths[PDF_FONT_ROLES][256]; /* per byte, for single-byte fonts; 1/1000 em */
    void *ft;                       /* FreeType's library (FT_Library), opened when first needed */
    void *faces[PDF_FONT_SLOTS];    /* FT_Face of each TrueType font in use: which characters it has */
    bool tried[PDF_FONT_SLOTS];     /* a fallback's loading was attempted */
    char scratch[8192];             /* the encoded form of the string being drawn */
};

/* Registers libharu's UTF-8 encoder (HPDF_UseUTFEncodings; the caller must not) and loads the
 * fonts the template's settings name (@encoding, @font.regular, @font.bold; see
 * templates/README.md). Returns 0, or -1 with a sentence in err for a setting it does not
 * understand; libharu's own failures go to the document's error handler. With embed_all
 * every font is an embedded TrueType font taking UTF-8, as PDF/A requires: a built-in font
 * name in the template stands for its DejaVu counterpart (Helvetica for DejaVu Sans, Courier
 * for DejaVu Sans Mono, Times for DejaVu Serif), the technical labels
 * use DejaVu Sans and DejaVu Sans Mono, and check marks and arrows come from DejaVu Sans
 * (fonts-dejavu-core). A missing font file is an error naming the package. */
int pdf_canvas_init_fonts(struct pdf_canvas *c, HPDF_Doc pdf, const struct pdf_templates *t,
                          bool embed_all, char *err, size_t errlen);

/* Frees what the canvas holds besides libharu's objects (FreeType's faces). Accepts a canvas
 * that was never initialised (all zero). */
void pdf_canvas_free(struct pdf_canvas *c);

/* The distinct embedded TrueType fonts in use (at most max, PDF_FONT_SLOTS is enough), for
 * the fix-ups before saving (pdf_repair.h). Returns how many. */
size_t pdf_canvas_truetype_fonts(const struct pdf_canvas *c, HPDF_Font *out, size_t max);

/* For pdf_text.c: the font slot that shows all n bytes of utf8 for role (the role's own font
 * when it can), or -1 when no single font can and each character needs its own
 * (pdf_canvas_char_slot). Loads a fallback font when one is needed. */
int pdf_canvas_string_slot(struct pdf_canvas *c, enum pdf_font_role role, const char *utf8, size_t n);

/* The slot of one character cp for role: the role's font when it has it, else the first
 * fallback that has it, else the role's font (which shows its stand-in). */
int pdf_canvas_char_slot(struct pdf_canvas *c, enum pdf_font_role role, uint32_t cp);

/* True when the slot's font is drawn bold by stroking its outlines (a role asks for bold and
 * the font has none). */
bool pdf_canvas_fake_bold(const struct pdf_canvas *c, enum pdf_font_role role, int slot);

/* The bytes the font of slot takes for the n bytes of utf8, in c->scratch (valid until the next
 * call). Characters a single-byte font lacks become a close ASCII form ("->" for an arrow) or
 * '?'; ZapfDingbats codes in the dingbats role become check marks in a UTF-8 font. */
const char *pdf_encode(struct pdf_canvas *c, int slot, const char *utf8, size_t n, size_t *len);

/* Width in 1/1000 em of the n bytes at s, already encoded for the font of slot. */
float pdf_encoded_width(const struct pdf_canvas *c, int slot, const char *s, size_t n);

/* Decodes the UTF-8 sequence at *p and moves *p past it; an invalid byte decodes as U+FFFD,
 * one byte at a time. */
uint32_t pdf_utf8_next(const unsigned char **p);

/* Windows-1252 has no arrows, so for a single-byte font the encoder writes them as five bytes
 * that encoding leaves undefined, and they are drawn from the Symbol font, at these codes. */
#define PDF_ARROW_BYTES "\x81\x8d\x8f\x90\x9d"
static inline unsigned char pdf_symbol_code(char arrow_byte)
{
    switch ((unsigned char)arrow_byte) {
    case 0x81: return 0xae; /* arrowright */
    case 0x8d: return 0xac; /* arrowleft */
    case 0x8f: return 0xad; /* arrowup */
    case 0x90: return 0xaf; /* arrowdown */
    default: return 0xab;   /* arrowboth */
    }
}

float pdf_text_width(struct pdf_canvas *c, enum pdf_font_role role, float size, const char *utf8);

/* Draws one line of text with its baseline at y; x is its left end, centre or right end as
 * align says. Returns the width drawn. */
float pdf_text(struct pdf_canvas *c, HPDF_Page page, enum pdf_font_role role, float size,
               float x, float y, enum pdf_align align, const char *utf8);

/* Draws text within max_width: at size when it fits, else smaller down to min_size, else at
 * min_size with its middle replaced by "...". Returns the size used. */
float pdf_text_fit(struct pdf_canvas *c, HPDF_Page page, enum pdf_font_role role, float size,
                   float min_size, float x, float y, float max_width, enum pdf_align align,
                   const char *utf8);

/* What pdf_text_fit draws, worked out without drawing: for a drawing described before it is
 * drawn (render/diagram.h), which must land exactly where pdf_text_fit would put it. */
enum { PDF_FIT_SHORT = 512 }; /* a shortened text's bytes at most */
struct pdf_fitted {
    float size, left, width; /* the size used, the left end and the width drawn */
    bool drawn;              /* something is drawn (the text has a width) */
    bool shortened;          /* its middle was replaced by "..." */
    int slot;                /* the font slot of the whole text, or -1: character by character */
    char text[PDF_FIT_SHORT]; /* the shortened text, UTF-8 */
};
float pdf_text_fit_plan(struct pdf_canvas *c, enum pdf_font_role role, float size, float min_size,
                        float x, float max_width, enum pdf_align align, const char *utf8,
                        struct pdf_fitted *out);
/* The text f shows, as UTF-8: "" when nothing is drawn, utf8 itself unless it was shortened,
 * else the shortened text. */
const char *pdf_fitted_utf8(const struct pdf_fitted *f, const char *utf8);

/* Wraps utf8 into lines of at most width (breaking at spaces, at explicit line breaks, and
 * between CJK characters) and draws them from baseline y downwards, leading apart. With page
 * NULL it only measures. Returns the number of lines. */
int pdf_text_wrap(struct pdf_canvas *c, HPDF_Page page, enum pdf_font_role role, float size,
                  float leading, float x, float y, float width, const char *utf8);

/* Shapes. Colours are set per call so that no drawing depends on what came before.
 * Every drawing call does nothing when page is NULL, so a layout can be measured by running
 * the code that draws it. */
/* Sets the fill colour (text is filled too), unless it is already the current one. */
void pdf_fill_color(HPDF_Page page, struct pdf_rgb color);
void pdf_fill_rect(HPDF_Page page, float x, float y, float w, float h, struct pdf_rgb fill);
void pdf_round_rect(HPDF_Page page, float x, float y, float w, float h, float r,
                    const struct pdf_rgb *fill, const struct pdf_rgb *stroke, float line_width);
void pdf_line(HPDF_Page page, float x1, float y1, float x2, float y2, float width,
              struct pdf_rgb color, float dash_on, float dash_off);
/* A line from (x1,y1) to (x2,y2) with a filled head at (x2,y2). */
void pdf_arrow(HPDF_Page page, float x1, float y1, float x2, float y2, float width,
               float head, struct pdf_rgb color, bool dashed);

/* A clickable rectangle that jumps to the top of target, without a visible border. Its flags
 * say "print" (/F 4), as PDF/A asks of every annotation, where pdf_repair.h can set them. */
void pdf_link(HPDF_Page page, float x, float y, float w, float h, HPDF_Page target);

#endif
