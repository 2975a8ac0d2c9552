/* html_fragment.c — stand-alone HTML (html_fragment.h): a session's diagram as an image with
 * its SVG in a data: URL (RFC 2397; base64 by libcrypto's EVP_EncodeBlock), and the PDF's
 * sentences beside it with inline styles. */
#define _GNU_SOURCE
#include "html_fragment.h"

#include <math.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_canvas.h"
#include "pdf_session.h"
#include "svg.h"

void html_fragment_text(FILE *out, const char *utf8)
{
    svg_text_escaped(out, utf8);
}

void html_fragment_color(FILE *out, struct pdf_rgb c)
{
    fprintf(out, "#%02x%02x%02x", (unsigned)lroundf(c.r * 255), (unsigned)lroundf(c.g * 255),
            (unsigned)lroundf(c.b * 255));
}

/* ---- the explanation, through pdf_session_explain's sink ---------------------------------- */

static void on_heading(void *arg, const char *text, struct pdf_rgb ink)
{
    FILE *out = arg;
    fputs("<p style=\"margin:0.8em 0 0.2em;font-weight:bold;color:", out);
    html_fragment_color(out, ink);
    fputs("\">", out);
    html_fragment_text(out, text);
    fputs("</p>\n", out);
}

static void on_text(void *arg, const char *text, bool label, bool small, struct pdf_rgb ink)
{
    FILE *out = arg;
    fputs(label ? "<p style=\"margin:0.4em 0 0;font-weight:bold;font-size:90%;color:"
          : small ? "<p style=\"margin:0.2em 0;font-size:90%;color:"
                  : "<p style=\"margin:0.2em 0;color:", out);
    html_fragment_color(out, ink);
    fputs("\">", out);
    html_fragment_text(out, text);
    fputs("</p>\n", out);
}

static void on_check(void *arg, bool pass, const char *text, const char *where)
{
    FILE *out = arg;
    /* U+2714 heavy check mark, U+2718 heavy ballot X: the PDF's marks, in its colours. */
    fputs("<p style=\"margin:0.2em 0 0.2em 1.4em;text-indent:-1.4em\"><span style=\"color:", out);
    html_fragment_color(out, pass ? PDF_PASS : PDF_ALERT);
    fprintf(out, ";font-weight:bold\">%s</span>&nbsp; ", pass ? "\xe2\x9c\x94" : "\xe2\x9c\x98");
    html_fragment_text(out, text);
    fputs("<br><span style=\"font-size:85%;color:", out);
    html_fragment_color(out, PDF_MUTED);
    fputs("\">", out);
    html_fragment_text(out, where);
    fputs("</span></p>\n", out);
}

/* ---- the diagram as an image ---------------------------------------------------------------- */

/* The SVG of s, base64-encoded into a new string; NULL with err filled. */
static char *svg_base64(struct drawing *dw, const struct session *s)
{
    char *svg = NULL, *b64 = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&svg, &len);
    if (!mem) {
        snprintf(dw->err, dw->errlen, "out of memory");
        return NULL;
    }
    int rc = drawing_svg(dw, s, mem, false, NULL);
    if (fclose(mem) != 0 && rc == 0) {
        snprintf(dw->err, dw->errlen, "out of memory");
        rc = -1;
    }
    if (rc == 0 && len < (size_t)INT32_MAX / 2 && (b64 = malloc(4 * ((len + 2) / 3) + 1)))
        EVP_EncodeBlock((unsigned char *)b64, (const unsigned char *)svg, (int)len);
    else if (rc == 0)
        snprintf(dw->err, dw->errlen, "out of memory");
    free(svg);
    return b64;
}

int html_fragment_session(FILE *out, struct drawing *dw, const struct session *s, const char *alt)
{
    char *b64 = svg_base64(dw, s);
    if (!b64)
        return -1;
    fputs("<div style=\"margin:1em 0;overflow:hidden\">\n"
          "<img style=\"float:left;max-width:100%;height:auto;margin:0 1.2em 0.8em 0\" alt=\"", out);
    html_fragment_text(out, alt);
    fprintf(out, "\" src=\"data:image/svg+xml;base64,%s\">\n", b64);
    free(b64);
    fputs("<div style=\"min-width:16em;overflow:hidden;font-size:95%\">\n", out);
    struct pdf_session_sink sink = {.arg = out, .heading = on_heading, .text = on_text, .check = on_check};
    int rc = drawing_explain(dw, s, true, &sink);
    fputs("</div>\n</div>\n", out);
    return rc;
}
