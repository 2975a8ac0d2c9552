/* grades_pdf.c — the feedback PDF of one student (grades_pdf.h).
 *
 * First the feedback pages: the student's name, the rubric, the total, the captures handed in,
 * then one block per check (points, what it looks for, the rubric's sentence, the reason in
 * plain words, and a link to the diagram of the session it picked). Then, once per session
 * any check picked, that session's pages as the PDF report draws them (pdf_session_draw). The
 * document is begun and saved by pdf_doc.h, as the report's is; the session pages' "back"
 * link leads to the first feedback page. The wording is the template's
 * (grade.*), and the reasons are put into words here (grade_words.c) in the same language.
 * libharu errors longjmp back to grade_write_feedback_pdf. */
#include "grades_pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grade_words.h"
#include "pdf_archive.h"
#include "pdf_doc.h"
#include "pdf_session.h"
#include "grow.h"

#define LEFT PDF_MARGIN
#define WIDTH (PDF_PAGE_W - 2 * PDF_MARGIN)
#define TOP (PDF_PAGE_H - PDF_MARGIN)
#define INDENT 38.0f

struct fb_session {
    size_t capture, index;
    HPDF_Page page; /* its first diagram page */
};

struct fb_link {
    HPDF_Page page;
    float x, y, w, h;
    size_t session; /* index into fb.sessions */
};

struct fb {
    struct pdf_doc *x;
    struct pdf_words *wd;
    struct pdf_session_pages session_pages;
    const struct rubric *r;
    struct grade_student *st; /* a copy of the caller's, whose words are made here */
    const struct capture_report *const *reports;
    struct fb_session *sessions;
    size_t n_sessions;
    struct fb_link *links;
    size_t n_links, cap_links;
    HPDF_Page page;
    float y;
    char name[256];                  /* the student's name as valid UTF-8 */
    const char *lang;                /* of the wording, and of the rubric's sentences when it has them */
    char title[512], subject[512];   /* the document's */
    struct session_view view;        /* released after build, which may longjmp out */
};

static HPDF_Page new_page(struct fb *f)
{
    f->page = pdf_doc_add_page(f->x);
    f->y = TOP;
    return f->page;
}

/* Room for h points below y, or a new page. */
static void need(struct fb *f, float h)
{
    if (f->y - h < PDF_BOTTOM)
        new_page(f);
}

static size_t session_slot(const struct fb *f, size_t capture, size_t index)
{
    for (size_t i = 0; i < f->n_sessions; i++)
        if (f->sessions[i].capture == capture && f->sessions[i].index == index)
            return i;
    return (size_t)-1;
}

static void add_link(struct fb *f, HPDF_Page page, float x, float y, float w, float h, size_t session)
{
    if (!GROW(f->links, f->cap_links, f->n_links + 1, 16))
        pdf_fail(&f->x->fail, "out of memory");
    f->links[f->n_links++] = (struct fb_link){page, x, y, w, h, session};
}

/* Wrapped text from the baseline of its first line at y; returns the height used. */
static float para(struct fb *f, HPDF_Page page, enum pdf_font_role role, float size, float leading, float x,
                  float y, float w, const char *text)
{
    if (!text || !*text)
        return 0;
    int n = pdf_text_wrap(&f->x->canvas, page, role, size, leading, x, y - size, w, text);
    return size + (float)(n > 0 ? n - 1 : 0) * leading + 3;
}

/* One check's block from y down; draws when page is not NULL. Returns its height. */
static float check_block(struct fb *f, HPDF_Page page, float y, const struct grade_result *res)
{
    struct pdf_doc *x = f->x;
    struct pdf_words *wd = f->wd;
    struct pdf_canvas *c = &x->canvas;
    const struct rubric_check *chk = &f->r->checks[res->check];
    bool pass = res->status == GRADE_PASS;
    float y0 = y, tx = LEFT + INDENT, tw = WIDTH - INDENT;
    char got[24], max[24];

    y -= 11;
    pdf_round_rect(page, LEFT, y - 3, 30, 12, 2, pass ? &PDF_PASS : &PDF_ALERT, NULL, 0);
    pdf_fill_color(page, PDF_WHITE);
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, 7, 5, LEFT + 15, y, 28, PDF_CENTER,
                 T0(wd, pass ? "grade.pdf.pass" : "grade.pdf.lost"));
    pdf_fill_color(page, pass ? PDF_PASS : PDF_ALERT);
    float pw = pdf_text(c, page, PDF_FONT_LABEL_BOLD, 10, LEFT + WIDTH, y, PDF_RIGHT,
                        pdf_fmt(wd, "%s / %s", rubric_points_string(res->points, got),
                                rubric_points_string(res->max, max)));
    pdf_fill_color(page, PDF_TEXT);
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, 10, 7, tx, y, tw - pw - 10, PDF_LEFT, chk->id);
    y -= 4;
    pdf_fill_color(page, PDF_MUTED);
    y -= para(f, page, PDF_FONT_TEXT, 7.5f, 9.5f, tx, y, tw, rubric_text(f->r, chk, "looks-for", f->lang));
    pdf_fill_color(page, PDF_TEXT);
    y -= para(f, page, PDF_FONT_TEXT, 9.5f, 12, tx, y, tw, res->feedback);
    pdf_fill_color(page, PDF_MUTED);
    y -= para(f, page, PDF_FONT_TEXT, 7.5f, 9.5f, tx, y, tw,
              T(wd, pass ? "grade.pdf.how" : "grade.pdf.why", {"reason", res->reason}));
    if (res->has_session) {
        const char *file = f->st->captures[res->capture].file_name;
        const char *id = pdf_format_count(wd, res->session_id);
        const char *label = f->st->n_captures > 1
            ? T(wd, "grade.pdf.see-in", {"session", id}, {"client", res->client}, {"server", res->server},
                {"capture", file})
            : T(wd, "grade.pdf.see", {"session", id}, {"client", res->client}, {"server", res->server});
        y -= 9;
        pdf_fill_color(page, PDF_LINK);
        float lw = pdf_text_fit(c, page, PDF_FONT_TEXT, 7.5f, 6, tx, y, tw, PDF_LEFT, label);
        (void)lw;
        float w = pdf_text_width(c, PDF_FONT_TEXT, 7.5f, label);
        if (page)
            add_link(f, page, tx, y - 2, w < tw ? w : tw, 10,
                     session_slot(f, res->capture, res->session_index));
        y -= 3;
    }
    y -= 9;
    pdf_line(page, LEFT, y + 4, LEFT + WIDTH, y + 4, 0.3f, PDF_RULE, 0, 0);
    return y0 - y;
}

static void feedback_pages(struct fb *f)
{
    struct pdf_doc *x = f->x;
    struct pdf_words *wd = f->wd;
    struct pdf_canvas *c = &x->canvas;
    const struct grade_student *st = f->st;
    HPDF_Page page = new_page(f);
    char got[24], max[24];

    pdf_fill_color(page, PDF_ACCENT);
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, 17, 9, LEFT, f->y - 17, WIDTH, PDF_LEFT, f->title);
    f->y -= 24;
    pdf_fill_color(page, PDF_MUTED);
    const char *title = rubric_text(f->r, NULL, "title", f->lang);
    f->y -= para(f, page, PDF_FONT_TEXT, 9, 11, LEFT, f->y, WIDTH,
                 *title ? T(wd, "grade.pdf.rubric-titled", {"title", title}, {"rubric", f->r->name})
                        : T(wd, "grade.pdf.rubric", {"rubric", f->r->name}));
    f->y -= para(f, page, PDF_FONT_TEXT, 7.5f, 9.5f, LEFT, f->y, WIDTH, rubric_text(f->r, NULL, "about", f->lang));
    f->y -= 6;
    pdf_fill_color(page, PDF_TEXT);
    pdf_text(c, page, PDF_FONT_TEXT_BOLD, 13, LEFT, f->y - 13, PDF_LEFT,
             T(wd, "grade.pdf.total", {"points", rubric_points_string(st->total, got)},
               {"max", rubric_points_string(st->max, max)}));
    f->y -= 22;

    for (size_t i = 0; i < st->n_captures; i++) {
        const struct grade_capture *cap = &st->captures[i];
        /* A file that is not a capture is said once, here, with what to hand in instead. */
        const char *line = cap->analysed
            ? T(wd, "grade.pdf.capture", {"capture", cap->file_name}, {"packets", pdf_format_count(wd, cap->packets)},
                {"sessions", pdf_format_count(wd, cap->sessions)})
            : cap->words ? cap->words : "";
        need(f, 12);
        pdf_fill_color(f->page, cap->analysed ? PDF_TEXT : PDF_ALERT);
        f->y -= para(f, f->page, PDF_FONT_TEXT, 8.5f, 10.5f, LEFT, f->y, WIDTH, line);
        if (cap->analysed && cap->words && *cap->words) {
            need(f, 12);
            pdf_fill_color(f->page, PDF_WARN);
            f->y -= para(f, f->page, PDF_FONT_TEXT, 8, 10, LEFT + 10, f->y, WIDTH - 10, cap->words);
        }
    }
    bool any_analysed = false;
    for (size_t i = 0; i < st->n_captures; i++)
        any_analysed |= st->captures[i].analysed;
    if (st->error) {
        /* When no file was a capture, each said so above: one line, not the same again. */
        need(f, 24);
        pdf_fill_color(f->page, PDF_ALERT);
        f->y -= para(f, f->page, PDF_FONT_TEXT_BOLD, 9, 11, LEFT, f->y, WIDTH,
                     st->n_captures && !any_analysed ? T0(wd, "grade.pdf.no-capture")
                                                     : T(wd, "grade.pdf.no-points", {"error", st->error}));
    }
    f->y -= 6;
    pdf_line(f->page, LEFT, f->y, LEFT + WIDTH, f->y, 0.6f, PDF_RULE, 0, 0);
    f->y -= 4;

    for (size_t i = 0; i < st->n_results; i++) {
        const struct grade_result *res = &st->results[i];
        if (res->status == GRADE_NA)
            continue; /* it does not count for anyone */
        float h = check_block(f, NULL, f->y, res);
        need(f, h);
        f->y -= check_block(f, f->page, f->y, res);
    }
}

static void outline(struct fb *f)
{
    struct pdf_doc *x = f->x;
    struct pdf_words *wd = f->wd;
    HPDF_Encoder utf8 = HPDF_GetEncoder(x->pdf, "UTF-8");
    HPDF_Outline top = HPDF_CreateOutline(x->pdf, NULL, f->title, utf8);
    HPDF_Destination d = HPDF_Page_CreateDestination(x->pages[0]);
    HPDF_Destination_SetXYZ(d, 0, PDF_PAGE_H, 1);
    HPDF_Outline_SetDestination(top, d);
    for (size_t i = 0; i < f->n_sessions; i++) {
        const struct capture_report *rep = f->reports[f->sessions[i].capture];
        const struct session *s = capture_session(rep, f->sessions[i].index, &f->view);
        const char *id = pdf_format_count(wd, s->id);
        const char *title = f->st->n_captures > 1
            ? T(wd, "grade.pdf.outline-session-in", {"session", id},
                {"capture", f->st->captures[f->sessions[i].capture].file_name})
            : T(wd, "grade.pdf.outline-session", {"session", id});
        HPDF_Outline o = HPDF_CreateOutline(x->pdf, NULL, title, utf8);
        d = HPDF_Page_CreateDestination(f->sessions[i].page);
        HPDF_Destination_SetXYZ(d, 0, PDF_PAGE_H, 1);
        HPDF_Outline_SetDestination(o, d);
    }
}

/* The document's beginning: the student's title, and the provenance of the first capture
 * that could be read (its SHA-256 and date), as the report of that capture has. */
static void begin(struct fb *f, const struct pdf_options *popt, const struct capture_report *first)
{
    struct pdf_words *wd = f->wd;
    char options[PDF_WORDS_LEN];
    snprintf(f->title, sizeof f->title, "%s", T(wd, "grade.pdf.title", {"student", f->name}));
    snprintf(f->subject, sizeof f->subject, "%s", T(wd, "grade.pdf.subject", {"rubric", f->r->name}));
    pdf_archive_options(popt, PDF_DEFAULT_MAX_DIAGRAMS, options);
    struct pdf_provenance p = {.title = f->title, .subject = f->subject, .tool_version = popt->tool_version,
                               .input_sha256 = first ? first->sha256 : NULL, .options = options,
                               .pdfa = popt->pdfa};
    p.date_source = pdf_archive_date(popt, first, &p.date);
    pdf_doc_begin(f->x, &p);
}

static void build(struct fb *f, FILE *out, const struct pdf_options *popt,
                  const struct capture_report *first)
{
    struct pdf_doc *x = f->x;
    struct pdf_words *wd = f->wd;
    if (grade_words_fill(f->st, f->r, x->tpl, f->lang) != 0)
        pdf_fail(&x->fail, "out of memory");
    begin(f, popt, first);

    /* The sessions the checks picked, each once, in the order the checks name them. */
    f->sessions = calloc(f->st->n_results ? f->st->n_results : 1, sizeof *f->sessions);
    if (!f->sessions)
        pdf_fail(&x->fail, "out of memory");
    for (size_t i = 0; i < f->st->n_results; i++) {
        const struct grade_result *res = &f->st->results[i];
        if (res->status == GRADE_NA || !res->has_session || !f->reports[res->capture] ||
            session_slot(f, res->capture, res->session_index) != (size_t)-1)
            continue;
        f->sessions[f->n_sessions++] = (struct fb_session){res->capture, res->session_index, NULL};
    }

    feedback_pages(f);
    /* The session pages' "back" link leads to the first feedback page. */
    f->session_pages = (struct pdf_session_pages){.doc = x, .absolute_seq = popt->absolute_seq};
    for (size_t i = 0; i < f->n_sessions; i++) {
        const struct capture_report *rep = f->reports[f->sessions[i].capture];
        f->sessions[i].page = pdf_session_draw(&f->session_pages, rep,
                                               capture_session(rep, f->sessions[i].index, &f->view), x->pages[0]);
    }
    for (size_t i = 0; i < f->n_links; i++)
        if (f->links[i].session < f->n_sessions)
            pdf_link(f->links[i].page, f->links[i].x, f->links[i].y, f->links[i].w, f->links[i].h,
                     f->sessions[f->links[i].session].page);
    outline(f);
    pdf_doc_footers(x, T(wd, "grade.pdf.footer", {"student", f->name}));
    pdf_doc_save(x, out);
}

/* A shallow copy of the student whose words belong to the copy, so that the caller's stay as
 * they are (they may be in another language). */
static void copy_student(struct grade_student *dst, struct grade_result *results, struct grade_capture *caps,
                         const struct grade_student *src)
{
    *dst = *src;
    dst->error = NULL;
    dst->results = results;
    dst->captures = caps;
    for (size_t i = 0; i < src->n_results; i++) {
        results[i] = src->results[i];
        results[i].reason = results[i].feedback = NULL;
    }
    for (size_t i = 0; i < src->n_captures; i++) {
        caps[i] = src->captures[i];
        caps[i].words = NULL;
    }
}

static void free_words(struct grade_student *st)
{
    free(st->error);
    for (size_t i = 0; i < st->n_results; i++) {
        free(st->results[i].reason);
        free(st->results[i].feedback);
    }
    for (size_t i = 0; i < st->n_captures; i++)
        free(st->captures[i].words);
}

int grade_write_feedback_pdf(FILE *out, const struct rubric *r, const struct grade_student *st,
                             const struct capture_report *const *reports,
                             const struct grades_pdf_options *opt, char *err, size_t errlen)
{
    struct pdf_options popt = {
        .templates_dir = opt && opt->templates_dir ? opt->templates_dir : "templates",
        .lang = opt && opt->lang ? opt->lang : "en",
        .tool_version = opt ? opt->tool_version : NULL,
        .pdfa = opt && opt->pdfa,
        .have_source_date = opt && opt->have_source_date,
        .source_date = opt ? opt->source_date : 0,
    };
    struct fb *f = calloc(1, sizeof *f);
    struct grade_student *copy = calloc(1, sizeof *copy);
    struct grade_result *results = calloc(st->n_results ? st->n_results : 1, sizeof *results);
    if (!f || !copy || !results) {
        free(f);
        free(copy);
        free(results);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    struct grade_capture *caps = calloc(st->n_captures ? st->n_captures : 1, sizeof *caps);
    if (!caps) {
        free(f);
        free(copy);
        free(results);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    copy_student(copy, results, caps, st);
    f->r = r;
    f->lang = popt.lang;
    f->st = copy;
    f->reports = reports;
    pdf_valid_utf8(st->name, f->name, sizeof f->name);
    const struct capture_report *first = NULL;
    for (size_t i = 0; i < st->n_captures && !first; i++)
        first = reports[i];
    volatile int rc = -1;
    f->x = pdf_doc_new(popt.templates_dir, popt.lang, err, errlen);
    if (f->x) {
        f->wd = &f->x->words;
        if (setjmp(f->x->fail.jump) == 0) {
            build(f, out, &popt, first);
            rc = 0;
        }
    }
    rc = pdf_doc_free(f->x, rc);
    pdf_session_pages_free(&f->session_pages);
    session_view_release(&f->view);
    free_words(copy);
    free(results);
    free(copy->captures);
    free(copy);
    free(f->sessions);
    free(f->links);
    free(f);
    return rc;
}
