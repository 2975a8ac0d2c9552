/* pdf_content.h — the page operators the report draws with most, written straight into a
 * page's content stream.
 *
 * For every operator with a number, libharu 2.3.0 clears a 512-byte buffer one byte at a
 * time, and for every string it shows it measures the string again; on a report of thousands
 * of table pages that was a third of the PDF's time. These functions write the bytes that the
 * HPDF_Page_* call named beside each would write (numbers through libharu's own HPDF_FToA)
 * and leave the page as that call leaves it (graphics state, text matrix, mode), so the
 * document is the same to the byte and libharu's calls can follow on the same page. They check
 * what libharu checks (the page's mode, the ranges of values) and report a failure through the
 * document's error handler, as libharu does.
 *
 * Operators are gathered in a struct pdf_content and reach the page at pdf_content_flush,
 * which must come before any libharu call on that page. Text in a font other than a built-in
 * one (pdf_content_takes_font) is shown by libharu itself, which encodes it and records the
 * glyphs an embedded font needs. */
#ifndef PCAP2REPORT_PDF_CONTENT_H
#define PCAP2REPORT_PDF_CONTENT_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>

struct pdf_content {
    HPDF_Page page;
    bool failed; /* an error was reported: the rest is dropped */
    size_t len;
    char buf[1024];
};

/* True for a single-byte Type 1 font (the built-in fonts), whose text is shown here: libharu
 * measures it with a table and keeps no record of the characters used. */
bool pdf_content_takes_font(HPDF_Font font);

void pdf_content_begin(struct pdf_content *o, HPDF_Page page);
/* Writes what was gathered into the page's content stream. */
void pdf_content_flush(struct pdf_content *o);

/* Colour, line and path operators. */
void pdf_content_fill_rgb(struct pdf_content *o, float r, float g, float b);   /* SetRGBFill */
void pdf_content_stroke_rgb(struct pdf_content *o, float r, float g, float b); /* SetRGBStroke */
void pdf_content_line_width(struct pdf_content *o, float width);               /* SetLineWidth */
/* SetDash with phase 0; n 0 for a solid line. */
void pdf_content_dash(struct pdf_content *o, const HPDF_UINT16 *pattern, unsigned n);
void pdf_content_move_to(struct pdf_content *o, float x, float y);             /* MoveTo */
void pdf_content_line_to(struct pdf_content *o, float x, float y);             /* LineTo */
void pdf_content_rectangle(struct pdf_content *o, float x, float y, float w, float h); /* Rectangle */
void pdf_content_stroke(struct pdf_content *o);                                /* Stroke */
void pdf_content_fill(struct pdf_content *o);                                  /* Fill */

/* Text operators. */
void pdf_content_begin_text(struct pdf_content *o);                            /* BeginText */
void pdf_content_end_text(struct pdf_content *o);                              /* EndText */
void pdf_content_font(struct pdf_content *o, HPDF_Font font, float size);     /* SetFontAndSize */
void pdf_content_move_text(struct pdf_content *o, float x, float y);           /* MoveTextPos */
void pdf_content_show(struct pdf_content *o, const char *text);                /* ShowText */
void pdf_content_text_out(struct pdf_content *o, float x, float y, const char *text); /* TextOut */

#endif
