/* pdf_writer.c — runs the PDF report: templates, session choice, pages, outline, saving.
 *
 * Order of work: load and check the wording; choose the sessions that get diagram pages
 * (bounded by max_diagrams, so memory does not grow with the session count); create the
 * summary pages, so they come first; append each chosen session's pages; then draw the
 * summary, whose table links forward to pages that now exist, and finish each of its pages
 * as soon as it is drawn (footer, compression: pdf_finish_pages); add the outline and the
 * other pages' footers ("page N of M" needs M); save. Every libharu error calls
 * on_hpdf_error, which longjmps back here: the document is freed and a partly written file
 * removed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_archive.h"
#include "pdf_report.h"

const struct pdf_rgb PDF_BLACK = {0.00f, 0.00f, 0.00f};
const struct pdf_rgb PDF_TEXT = {0.13f, 0.14f, 0.16f};
const struct pdf_rgb PDF_MUTED = {0.42f, 0.44f, 0.48f};
const struct pdf_rgb PDF_RULE = {0.78f, 0.80f, 0.83f};
const struct pdf_rgb PDF_ACCENT = {0.11f, 0.30f, 0.55f};
const struct pdf_rgb PDF_LINK = {0.05f, 0.35f, 0.75f};
const struct pdf_rgb PDF_ALERT = {0.78f, 0.10f, 0.12f};
const struct pdf_rgb PDF_WARN = {0.85f, 0.45f, 0.00f};
const struct pdf_rgb PDF_PASS = {0.10f, 0.55f, 0.25f};
const struct pdf_rgb PDF_HANDSHAKE_TINT = {0.89f, 0.94f, 1.00f};
const struct pdf_rgb PDF_TEARDOWN_TINT = {1.00f, 0.94f, 0.86f};
const struct pdf_rgb PDF_HANDSHAKE_INK = {0.17f, 0.38f, 0.70f};
const struct pdf_rgb PDF_TEARDOWN_INK = {0.72f, 0.42f, 0.05f};
const struct pdf_rgb PDF_ZEBRA = {0.955f, 0.96f, 0.97f};
const struct pdf_rgb PDF_FOLD_TINT = {0.93f, 0.93f, 0.94f};
const struct pdf_rgb PDF_WHITE = {1.00f, 1.00f, 1.00f};

/* ---- failure -------------------------------------------------------------------------------- */

_Noreturn void pdf_fail(struct pdf_ctx *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->err, x->errlen, fmt, ap);
    va_end(ap);
    longjmp(x->fail, 1);
}

/* libharu's error codes (hpdf_error.h) a user can act on; the rest are reported by number. */
static const char *hpdf_error_text(HPDF_STATUS code)
{
    switch (code) {
    case HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
    case HPDF_FILE_IO_ERROR: return "cannot write the file";
    case HPDF_FILE_OPEN_ERROR: return "cannot create the file";
    case HPDF_TTF_MISSING_TABLE: return "the TrueType font lacks a table libharu needs";
    case HPDF_INVALID_TTC_FILE: return "not a TrueType collection";
    case HPDF_INVALID_TTC_INDEX: return "no such font in the TrueType collection";
    case HPDF_TTF_CANNOT_EMBEDDING_FONT: return "the font's licence forbids embedding";
    default: return "internal error";
    }
}

static void HPDF_STDCALL on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
    struct pdf_ctx *x = data;
    pdf_fail(x, "PDF library: %s (libharu error 0x%04X, detail %u)", hpdf_error_text(code),
             (unsigned)code, (unsigned)detail);
}

/* ---- pages ---------------------------------------------------------------------------------- */

HPDF_Page pdf_add_page(struct pdf_ctx *x)
{
    if (x->footers_begun)
        pdf_fail(x, "internal error: a page added after the footers were drawn");
    if (x->n_pages == x->cap_pages) {
        size_t cap = x->cap_pages ? x->cap_pages * 2 : 64;
        HPDF_Page *p = realloc(x->pages, cap * sizeof *p);
        if (!p)
            pdf_fail(x, "out of memory");
        x->pages = p;
        x->cap_pages = cap;
    }
    HPDF_Page page = HPDF_AddPage(x->pdf);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    x->pages[x->n_pages++] = page;
    return page;
}

/* ---- which sessions get diagrams ------------------------------------------------------------ */

/* Parses "3,7-9" into ranges. Returns false for anything else. */
static bool parse_filter(const char *text, struct pdf_filter *f)
{
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == ',';
    f->ranges = calloc(cap, sizeof *f->ranges);
    if (!f->ranges)
        return false;
    const char *p = text;
    for (;;) {
        char *end;
        while (*p == ' ')
            p++;
        if (*p < '0' || *p > '9')
            return false;
        errno = 0;
        unsigned long long a = strtoull(p, &end, 10), b = a;
        p = end;
        if (*p == '-') {
            p++;
            if (*p < '0' || *p > '9')
                return false;
            b = strtoull(p, &end, 10);
            p = end;
        }
        if (errno || a == 0 || b < a)
            return false;
        f->ranges[f->n].first = a;
        f->ranges[f->n].last = b;
        f->n++;
        while (*p == ' ')
            p++;
        if (*p == '\0')
            return f->n > 0;
        if (*p != ',')
            return false;
        p++;
    }
}

static bool filter_has(const struct pdf_filter *f, uint64_t id)
{
    for (size_t i = 0; i < f->n; i++)
        if (id >= f->ranges[i].first && id <= f->ranges[i].last)
            return true;
    return false;
}

/* What a session shows that a reader may want to see drawn once: its classes, each anomaly,
 * IPv6, a reused address pair. */
struct coverage {
    uint32_t handshake, teardown, anomalies, other;
};

static bool adds_coverage(struct coverage *c, const struct session *s)
{
    uint32_t other = (s->ip_version == 6 ? 1u : 0u) | (s->generation ? 2u : 0u);
    bool adds = !(c->handshake >> s->handshake & 1u) || !(c->teardown >> s->teardown & 1u) ||
                (s->anomalies & ~c->anomalies) || (other & ~c->other);
    if (adds) {
        c->handshake |= 1u << s->handshake;
        c->teardown |= 1u << s->teardown;
        c->anomalies |= s->anomalies;
        c->other |= other;
    }
    return adds;
}

static void choose_sessions(struct pdf_ctx *x)
{
    const struct capture_report *r = x->r;
    size_t max = x->max_diagrams, n = 0;
    if (max > r->n_sessions)
        max = r->n_sessions;
    x->selected = calloc(max ? max : 1, sizeof *x->selected);
    x->selected_page = calloc(max ? max : 1, sizeof *x->selected_page);
    size_t *first_pass = calloc(max ? max : 1, sizeof *first_pass);
    if (!x->selected || !x->selected_page || !first_pass) {
        free(first_pass);
        pdf_fail(x, "out of memory");
    }

    if (x->filter.n) {
        for (size_t i = 0; i < r->n_sessions; i++) {
            if (!filter_has(&x->filter, capture_session(r, i)->id))
                continue;
            x->n_requested++;
            if (n < max)
                x->selected[n++] = i;
        }
        x->n_selected = n;
        free(first_pass);
        return;
    }

    /* First the sessions that show something not shown yet, then the earliest others. */
    struct coverage cov = {0};
    size_t n_first = 0;
    for (size_t i = 0; i < r->n_sessions && n_first < max; i++)
        if (adds_coverage(&cov, capture_session(r, i)))
            first_pass[n_first++] = i;
    size_t extra = max - n_first, j = 0;
    for (size_t i = 0; i < r->n_sessions && n < max; i++) {
        if (j < n_first && first_pass[j] == i) {
            x->selected[n++] = i;
            j++;
        } else if (extra) {
            x->selected[n++] = i;
            extra--;
        }
    }
    x->n_selected = n;
    free(first_pass);
}

static size_t selected_slot(const struct pdf_ctx *x, size_t i)
{
    size_t lo = 0, hi = x->n_selected;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->selected[mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < x->n_selected && x->selected[lo] == i ? lo : (size_t)-1;
}

HPDF_Page pdf_diagram_page_of(const struct pdf_ctx *x, size_t i)
{
    size_t k = selected_slot(x, i);
    return k == (size_t)-1 ? NULL : x->selected_page[k];
}

/* ---- outline and footers -------------------------------------------------------------------- */

static void outline_to(struct pdf_ctx *x, HPDF_Outline o, HPDF_Page page)
{
    HPDF_Destination dst = HPDF_Page_CreateDestination(page);
    HPDF_Destination_SetXYZ(dst, 0, HPDF_Page_GetHeight(page), 1);
    HPDF_Outline_SetDestination(o, dst);
    (void)x;
}

static void add_outline(struct pdf_ctx *x)
{
    const struct capture_report *r = x->r;
    /* Outline titles go through the UTF-8 encoder, so libharu writes them as UTF-16 and any
     * language shows. */
    HPDF_Encoder utf8 = HPDF_GetEncoder(x->pdf, "UTF-8");
    HPDF_Outline summary = HPDF_CreateOutline(x->pdf, NULL, T0(x, "outline.summary"), utf8);
    outline_to(x, summary, x->pages[0]);

    HPDF_Outline table = HPDF_CreateOutline(x->pdf, NULL, T0(x, "outline.table"), utf8);
    outline_to(x, table, x->table_pages[0]);
    if (x->n_table_pages > 1) {
        size_t first = 0;
        for (size_t p = 0; p < x->n_table_pages && first < r->n_sessions; p++) {
            size_t rows = p == 0 ? x->rows_first_page : x->rows_per_page;
            size_t last = first + rows < r->n_sessions ? first + rows : r->n_sessions;
            if (last > first) {
                HPDF_Outline o = HPDF_CreateOutline(
                    x->pdf, table,
                    T(x, "outline.table-page", {"first", pdf_format_count(x, capture_session(r, first)->id)},
                      {"last", pdf_format_count(x, capture_session(r, last - 1)->id)}),
                    utf8);
                outline_to(x, o, x->table_pages[p]);
            }
            first = last;
        }
    }

    if (!x->n_selected)
        return;
    HPDF_Outline diagrams = HPDF_CreateOutline(x->pdf, NULL, T0(x, "outline.diagrams"), utf8);
    outline_to(x, diagrams, x->selected_page[0]);
    HPDF_Outline_SetOpened(diagrams, HPDF_TRUE);
    for (size_t k = 0; k < x->n_selected; k++) {
        const struct session *s = capture_session(r, x->selected[k]);
        const char *id = pdf_format_count(x, s->id);
        const char *client = pdf_format_endpoint(x, s, ROLE_CLIENT);
        const char *server = pdf_format_endpoint(x, s, ROLE_SERVER);
        const char *hs = handshake_class_name(s->handshake), *td = teardown_class_name(s->teardown);
        const char *title = s->anomalies
            ? T(x, "outline.session-anomalies", {"id", id}, {"client", client}, {"server", server},
                {"handshake", hs}, {"teardown", td}, {"anomalies", pdf_format_anomalies(x, s, 3)})
            : T(x, "outline.session", {"id", id}, {"client", client}, {"server", server},
                {"handshake", hs}, {"teardown", td});
        outline_to(x, HPDF_CreateOutline(x->pdf, diagrams, title, utf8), x->selected_page[k]);
    }
}

void pdf_finish_pages(struct pdf_ctx *x, size_t end, const char *file)
{
    x->footers_begun = true;
    struct pdf_canvas *c = &x->canvas;
    const char *pages = pdf_format_count(x, x->n_pages);
    const char *left = T(x, "footer.left", {"version", x->opt->tool_version ? x->opt->tool_version : "?"},
                         {"file", file});
    char left_copy[PDF_FMT_LEN];
    snprintf(left_copy, sizeof left_copy, "%s", left);
    char pages_copy[32];
    snprintf(pages_copy, sizeof pages_copy, "%s", pages);
    for (size_t i = x->n_finished; i < end && i < x->n_pages; i++) {
        HPDF_Page page = x->pages[i];
        pdf_line(page, PDF_MARGIN, PDF_FOOTER_Y + 9, PDF_PAGE_W - PDF_MARGIN, PDF_FOOTER_Y + 9, 0.4f,
                 PDF_RULE, 0, 0);
        pdf_fill_color(page, PDF_MUTED);
        const char *right = T(x, "footer.right", {"page", pdf_format_count(x, i + 1)}, {"pages", pages_copy});
        float rw = pdf_text(c, page, PDF_FONT_TEXT, 6.5f, PDF_PAGE_W - PDF_MARGIN, PDF_FOOTER_Y,
                            PDF_RIGHT, right);
        pdf_text_fit(c, page, PDF_FONT_TEXT, 6.5f, 5.0f, PDF_MARGIN, PDF_FOOTER_Y,
                     PDF_PAGE_W - 2 * PDF_MARGIN - rw - 20, PDF_LEFT, left_copy);
        x->n_finished = i + 1;
    }
}

void pdf_draw_footers(struct pdf_ctx *x, const char *file)
{
    pdf_finish_pages(x, x->n_pages, file);
}

/* ---- the document --------------------------------------------------------------------------- */

void pdf_document_begin(struct pdf_ctx *x)
{
    x->pdf = HPDF_New(on_hpdf_error, x);
    if (!x->pdf)
        pdf_fail(x, "out of memory");
    HPDF_SetCompressionMode(x->pdf, HPDF_COMP_ALL);
    char err[256];
    if (pdf_canvas_init_fonts(&x->canvas, x->pdf, x->tpl, x->opt->pdfa, err, sizeof err) != 0)
        pdf_fail(x, "%s/%s.txt: %s", x->opt->templates_dir, x->opt->lang, err);
    pdf_archive_begin(x); /* document information (provenance, date) and the /ID */
    HPDF_SetPageMode(x->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
}

void pdf_document_save(struct pdf_ctx *x, const char *path)
{
    pdf_archive_end(x);         /* font fix-ups; PDF/A */
    pdf_archive_save(x, path);  /* the /ID from the bytes */
}

int pdf_ctx_finish(struct pdf_ctx *x, const char *path, int rc)
{
    if (rc != 0 && x->saving)
        remove(path);
    if (x->pdf)
        HPDF_Free(x->pdf);
    pdf_templates_free(x->tpl);
    free(x->filter.ranges);
    free(x->selected);
    free(x->selected_page);
    free(x->table_pages);
    free(x->pages);
    free(x->layout);
    free(x);
    return rc;
}

/* Everything between creating the document and saving it; errors longjmp. */
static void build(struct pdf_ctx *x, const char *path)
{
    pdf_document_begin(x);
    choose_sessions(x);
    pdf_summary_create_pages(x);
    for (size_t k = 0; k < x->n_selected; k++)
        x->selected_page[k] = pdf_session_draw(x, capture_session(x->r, x->selected[k]));
    pdf_summary_draw(x);
    add_outline(x);
    pdf_draw_footers(x, x->file_name);
    pdf_document_save(x, path);
}

int pdf_write_report(const char *path, const struct capture_report *r, const struct pdf_options *opt,
                     char *err, size_t errlen)
{
    struct pdf_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    x->r = r;
    x->opt = opt;
    x->err = err;
    x->errlen = errlen;
    x->max_diagrams = opt->max_diagrams ? opt->max_diagrams : PDF_DEFAULT_MAX_DIAGRAMS;
    pdf_valid_utf8(r->file_name ? r->file_name : "", x->file_name, sizeof x->file_name);
    volatile int rc = -1;

    x->tpl = pdf_templates_load(opt->templates_dir ? opt->templates_dir : "templates",
                                opt->lang ? opt->lang : "en", pdf_wording_schema,
                                pdf_wording_schema_len, err, errlen);
    if (!x->tpl)
        goto done;
    if (opt->session_filter && !parse_filter(opt->session_filter, &x->filter)) {
        snprintf(err, errlen, "bad session list '%s': expected session numbers such as 3,7-9",
                 opt->session_filter);
        goto done;
    }
    if (setjmp(x->fail) == 0) {
        build(x, path);
        rc = 0;
    }
done:
    return pdf_ctx_finish(x, path, rc);
}
