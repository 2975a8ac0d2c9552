/* pdf_writer.c — runs the capture report's PDF: wording, session choice, pages in order,
 * outline, saving (pdf_writer.h).
 *
 * Order of work: load and check the wording and choose the sessions that get diagram pages
 * (pdf_select.h); begin the document (pdf_doc.h); create the summary's pages, so they come
 * first (pdf_summary.h); append each chosen session's pages (pdf_session.h), recording where
 * each starts in the selection, with their "back" links to the summary page that lists the
 * session; then draw the summary, whose rows link forward to pages that now exist; add the
 * outline and the footers ("page N of M" needs M); save. Each part is handed the pages it
 * links to, so none calls back up. Every failure longjmps back to pdf_write_report: the
 * document is freed, and the caller removes the file it made. */
#include "pdf_writer.h"

#include <stdio.h>
#include <stdlib.h>

#include "pdf_archive.h"
#include "pdf_doc.h"
#include "pdf_offload.h"
#include "pdf_select.h"
#include "pdf_session.h"
#include "pdf_summary.h"

/* The report being written. */
struct report {
    struct pdf_doc *doc;
    const struct capture_report *r;
    const struct pdf_options *opt;
    size_t max_diagrams;
    char file_name[512]; /* the capture's name as valid UTF-8, whatever bytes it had on disk */
    struct pdf_selection sel;
    struct pdf_summary summary;
    struct pdf_session_pages sessions;
    struct session_view view; /* released after build, which may longjmp out */
};

/* ---- outline -------------------------------------------------------------------------------- */

static void outline_to(HPDF_Outline o, HPDF_Page page)
{
    HPDF_Destination dst = HPDF_Page_CreateDestination(page);
    HPDF_Destination_SetXYZ(dst, 0, HPDF_Page_GetHeight(page), 1);
    HPDF_Outline_SetDestination(o, dst);
}

/* The table, with an entry per page naming its first and last session when it has several. */
static void outline_table(struct report *rp, HPDF_Encoder utf8)
{
    struct pdf_words *wd = &rp->doc->words;
    const struct pdf_summary *sm = &rp->summary;
    HPDF_Outline table = HPDF_CreateOutline(rp->doc->pdf, NULL, T0(wd, "outline.table"), utf8);
    outline_to(table, sm->table_pages[0]);
    if (sm->n_table_pages < 2)
        return;
    size_t first = 0;
    for (size_t p = 0; p < sm->n_table_pages && first < sm->n_rows; p++) {
        size_t rows = p == 0 ? sm->rows_first_page : sm->rows_per_page;
        size_t last = first + rows < sm->n_rows ? first + rows : sm->n_rows;
        if (last > first) {
            HPDF_Outline o = HPDF_CreateOutline(
                rp->doc->pdf, table,
                T(wd, "outline.table-page", {"first", pdf_format_count(wd, first + 1)},
                  {"last", pdf_format_count(wd, last)}), /* session i has id i + 1 */
                utf8);
            outline_to(o, sm->table_pages[p]);
        }
        first = last;
    }
}

/* An entry per session with a diagram, opened. */
static void outline_diagrams(struct report *rp, HPDF_Encoder utf8)
{
    struct pdf_words *wd = &rp->doc->words;
    const struct pdf_selection *sel = &rp->sel;
    if (!sel->n)
        return;
    HPDF_Outline diagrams = HPDF_CreateOutline(rp->doc->pdf, NULL, T0(wd, "outline.diagrams"), utf8);
    outline_to(diagrams, sel->diagram[0]);
    HPDF_Outline_SetOpened(diagrams, HPDF_TRUE);
    for (size_t k = 0; k < sel->n; k++) {
        const struct session *s = capture_session(rp->r, sel->index[k], &rp->view);
        const char *id = pdf_format_count(wd, s->id);
        const char *client = pdf_format_endpoint(wd, s, ROLE_CLIENT);
        const char *server = pdf_format_endpoint(wd, s, ROLE_SERVER);
        const char *hs = handshake_class_name(s->handshake), *td = teardown_class_name(s->teardown);
        uint32_t shown = pdf_alarming_anomalies(rp->r, s); /* not a bad checksum offload explains */
        const char *title = shown
            ? T(wd, "outline.session-anomalies", {"id", id}, {"client", client}, {"server", server},
                {"handshake", hs}, {"teardown", td}, {"anomalies", pdf_format_anomaly_bits(wd, shown, 3)})
            : T(wd, "outline.session", {"id", id}, {"client", client}, {"server", server},
                {"handshake", hs}, {"teardown", td});
        outline_to(HPDF_CreateOutline(rp->doc->pdf, diagrams, title, utf8), sel->diagram[k]);
    }
}

static void add_outline(struct report *rp)
{
    /* Outline titles go through the UTF-8 encoder, so libharu writes them as UTF-16 and any
     * language shows. */
    HPDF_Encoder utf8 = HPDF_GetEncoder(rp->doc->pdf, "UTF-8");
    HPDF_Outline summary = HPDF_CreateOutline(rp->doc->pdf, NULL, T0(&rp->doc->words, "outline.summary"), utf8);
    outline_to(summary, rp->doc->pages[0]);
    outline_table(rp, utf8);
    outline_diagrams(rp, utf8);
}

/* ---- the document --------------------------------------------------------------------------- */

static size_t max_diagrams(const struct pdf_options *opt)
{
    return opt->max_diagrams ? opt->max_diagrams : PDF_DEFAULT_MAX_DIAGRAMS;
}

static void begin(struct report *rp)
{
    struct pdf_words *wd = &rp->doc->words;
    char title[PDF_WORDS_LEN], subject[PDF_WORDS_LEN], options[PDF_WORDS_LEN];
    snprintf(title, sizeof title, "%s", T(wd, "doc.title", {"file", rp->file_name}));
    snprintf(subject, sizeof subject, "%s", T(wd, "doc.subject", {"file", rp->file_name}));
    pdf_archive_options(rp->opt, rp->max_diagrams, options);
    struct pdf_provenance p = {.title = title, .subject = subject, .tool_version = rp->opt->tool_version,
                               .input_sha256 = rp->r->sha256, .options = options, .pdfa = rp->opt->pdfa};
    p.date_source = pdf_archive_date(rp->opt, rp->r, &p.date);
    struct pdf_options capture_only = *rp->opt;
    capture_only.have_source_date = false;
    p.have_capture_date = pdf_archive_date(&capture_only, rp->r, &p.capture_date) == PDF_DATE_CAPTURE;
    pdf_doc_begin(rp->doc, &p);
}

void pdf_report_keywords(const struct pdf_options *opt, const char *sha256, char *out, size_t len)
{
    char options[PDF_WORDS_LEN], keywords[PDF_WORDS_LEN];
    pdf_archive_options(opt, max_diagrams(opt), options);
    /* Only SOURCE_DATE_EPOCH shows in the keywords: a date from the capture is not written. */
    struct pdf_provenance p = {.tool_version = opt->tool_version, .input_sha256 = sha256, .options = options,
                               .date_source = opt->have_source_date ? PDF_DATE_SOURCE_DATE_EPOCH : PDF_DATE_CAPTURE,
                               .date = opt->source_date};
    pdf_archive_keywords(&p, keywords);
    snprintf(out, len, "%s", keywords);
}

/* Everything between creating the document and saving it; errors longjmp. */
static void build(struct report *rp, FILE *out)
{
    begin(rp);
    rp->summary = (struct pdf_summary){.doc = rp->doc, .r = rp->r, .opt = rp->opt, .sel = &rp->sel,
                                       .max_diagrams = rp->max_diagrams, .file_name = rp->file_name,
                                       .view = &rp->view};
    pdf_summary_create_pages(&rp->summary);
    rp->sessions = (struct pdf_session_pages){.doc = rp->doc, .absolute_seq = rp->opt->absolute_seq};
    for (size_t k = 0; k < rp->sel.n; k++) {
        size_t i = rp->sel.index[k];
        rp->sel.diagram[k] = pdf_session_draw(&rp->sessions, rp->r, capture_session(rp->r, i, &rp->view),
                                              pdf_summary_page_of(&rp->summary, i));
    }
    pdf_summary_draw(&rp->summary);
    add_outline(rp);
    pdf_doc_footers(rp->doc, rp->file_name);
    pdf_doc_save(rp->doc, out);
}

int pdf_write_report(FILE *out, const struct capture_report *r, const struct pdf_options *opt,
                     char *err, size_t errlen)
{
    struct report *rp = calloc(1, sizeof *rp);
    if (!rp) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rp->r = r;
    rp->opt = opt;
    rp->max_diagrams = max_diagrams(opt);
    pdf_valid_utf8(r->file_name ? r->file_name : "", rp->file_name, sizeof rp->file_name);
    volatile int rc = -1;
    rp->doc = pdf_doc_new(opt->templates_dir, opt->lang, err, errlen);
    if (rp->doc && pdf_select_sessions(&rp->sel, r, opt->stream_filter ? opt->stream_filter : opt->session_filter,
                                            opt->stream_filter != NULL, rp->max_diagrams, err, errlen) == 0) {
        if (setjmp(rp->doc->fail.jump) == 0) {
            build(rp, out);
            rc = 0;
        }
    }
    pdf_session_pages_free(&rp->sessions);
    pdf_summary_free(&rp->summary);
    session_view_release(&rp->view);
    pdf_selection_free(&rp->sel);
    rc = pdf_doc_free(rp->doc, rc);
    free(rp);
    return rc;
}
