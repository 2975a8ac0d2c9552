/* drawing.c — the wording, measuring fonts and diagram description the SVG and HTML writers
 * share (drawing.h). */
#include "drawing.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "pdf_offload.h"
#include "pdf_session.h"
#include "svg.h"

int drawing_open(struct drawing *dw, const struct capture_report *r, const struct pdf_options *opt,
                 char *err, size_t errlen)
{
    memset(dw, 0, sizeof *dw);
    dw->r = r;
    dw->err = err;
    dw->errlen = errlen;
    dw->doc = pdf_doc_new(opt->templates_dir, opt->lang, err, errlen);
    if (!dw->doc)
        return -1;
    if (setjmp(dw->doc->fail.jump) != 0) {
        pdf_doc_free(dw->doc, -1);
        dw->doc = NULL;
        return -1;
    }
    /* A document only to measure with: fonts as the PDF has them (not embedded, as without
     * --pdfa: the same metrics either way for the built-in fonts' stand-ins is not assumed). */
    struct pdf_provenance p = {.title = "", .subject = "", .tool_version = opt->tool_version, .options = "",
                               .pdfa = opt->pdfa};
    pdf_doc_begin(dw->doc, &p);
    dw->cjk = dw->doc->canvas.text_utf8;
    dw->dg.canvas = &dw->doc->canvas;
    dw->dg.words = &dw->doc->words;
    dw->dg.r = r;
    dw->dg.absolute_seq = opt->absolute_seq;
    dw->dg.frame = &diagram_frame_svg;
    return 0;
}

const char *drawing_session_title(struct drawing *dw, const struct session *s)
{
    struct pdf_words *wd = &dw->doc->words;
    const char *id = pdf_format_count(wd, s->id);
    const char *client = pdf_format_endpoint(wd, s, ROLE_CLIENT);
    const char *server = pdf_format_endpoint(wd, s, ROLE_SERVER);
    const char *hs = handshake_class_name(s->handshake), *td = teardown_class_name(s->teardown);
    uint32_t shown = pdf_alarming_anomalies(dw->r, s); /* not a bad checksum offload explains, as the PDF's outline */
    return shown
        ? T(wd, "outline.session-anomalies", {"id", id}, {"client", client}, {"server", server},
            {"handshake", hs}, {"teardown", td}, {"anomalies", pdf_format_anomaly_bits(wd, shown, 3)})
        : T(wd, "outline.session", {"id", id}, {"client", client}, {"server", server}, {"handshake", hs},
            {"teardown", td});
}

static int svg_of(struct drawing *dw, const struct session *s, FILE *out, bool embedded, const char *id)
{
    if (diagram_build(&dw->dg, s) != 0) {
        snprintf(dw->err, dw->errlen, "out of memory");
        return -1;
    }
    char title[PDF_WORDS_LEN];
    snprintf(title, sizeof title, "%s", drawing_session_title(dw, s));
    struct svg_style st = {.cjk = dw->cjk, .embedded = embedded, .title = title, .id = id};
    if (svg_write(out, &dw->dg, &st) != 0) {
        snprintf(dw->err, dw->errlen, "cannot write the SVG of session %llu", (unsigned long long)s->id);
        return -1;
    }
    return 0;
}

int drawing_svg(struct drawing *dw, const struct session *s, FILE *out, bool embedded, const char *id)
{
    /* libharu fails by a jump: to here while the diagram is measured, then back to wherever
     * the caller had it. */
    jmp_buf saved;
    memcpy(saved, dw->doc->fail.jump, sizeof saved);
    volatile int rc = -1;
    if (setjmp(dw->doc->fail.jump) == 0)
        rc = svg_of(dw, s, out, embedded, id);
    memcpy(dw->doc->fail.jump, saved, sizeof saved);
    return rc;
}

void drawing_use_report(struct drawing *dw, const struct capture_report *r)
{
    dw->r = r;
    dw->dg.r = r;
}

int drawing_explain(struct drawing *dw, const struct session *s, bool legend, const struct pdf_session_sink *sink)
{
    jmp_buf saved; /* as drawing_svg */
    memcpy(saved, dw->doc->fail.jump, sizeof saved);
    volatile int rc = -1;
    if (setjmp(dw->doc->fail.jump) == 0) {
        pdf_session_explain(dw->doc, dw->r, s, dw->dg.absolute_seq, legend, sink);
        rc = 0;
    }
    memcpy(dw->doc->fail.jump, saved, sizeof saved);
    return rc;
}

void drawing_close(struct drawing *dw)
{
    diagram_free(&dw->dg);
    if (dw->doc)
        pdf_doc_free(dw->doc, 0);
    dw->doc = NULL;
}
