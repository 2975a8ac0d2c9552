/* outputs.c — one capture's outputs (outputs.h): each made through outfile.h and named when it
 * is complete, whatever became of the others, the PDF on a thread of its own beside the JSON,
 * then the HTML, the CSV and the SVG diagrams; reading a report's first lines back; one output
 * to standard output. Whether they are up to date is uptodate.c's. */
#define _GNU_SOURCE
#include "outputs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "csv.h"
#include "drawing.h"
#include "grow.h"
#include "html.h"
#include "interrupt.h"
#include "index.h"
#include "json.h"
#include "pdf_select.h"
#include "pdf_writer.h"
#include "readfile.h"

static struct json_provenance provenance(const struct settings *st)
{
    struct json_provenance p = {PCAP2REPORT_VERSION, st->filter, st->max_sessions, st->idle_timeout_s};
    return p;
}

char *outputs_read_head(const struct outdir *out, const char *rel, size_t *len, char *err, size_t errlen)
{
    const char *base;
    int fd = outdir_folder(out, rel, false, &base, err, errlen);
    if (fd < 0)
        return NULL;
    char why[512];
    char *text = readfile(fd, base, INDEX_REPORT_HEAD_MAX, READFILE_PREFIX | READFILE_REGULAR | READFILE_NOFOLLOW,
                          len, NULL, why, sizeof why);
    close(fd);
    if (!text) /* why is "base: reason" */
        snprintf(err, errlen, "%s/%.*s%s", out->path, (int)(base - rel), rel, why);
    return text;
}

/* The PDF of a capture, written on a thread of its own while the JSON is written. */
struct pdf_job {
    pthread_t thread;
    FILE *out;
    const struct capture_report *r;
    const struct pdf_options *opt;
    int rc;
    char err[512];
};

static void *pdf_job_main(void *arg)
{
    struct pdf_job *j = arg;
    j->rc = pdf_write_report(j->out, j->r, j->opt, j->err, sizeof j->err);
    return NULL;
}

/* Renders the JSON and the PDF into their temporaries (those that began): the PDF on a second
 * thread while this one writes the JSON, with both outputs and a core to spare (the core
 * budget: not with -j 1, nor in batch mode, where every core converts a capture). The bytes
 * are the same either way. Each output succeeds or fails on its own: a PDF that libharu
 * cannot build does not cost the JSON, nor the other way round (issue 20). */
static void render(const struct settings *st, const struct capture_report *r, struct outfile *json,
                   struct outfile *pdf, struct output_result res[OUTPUTS])
{
    struct json_provenance prov = provenance(st);
    struct pdf_job job = {.out = pdf->stream, .r = r, .opt = &st->pdf};
    bool started = false;
    if (json->stream && pdf->stream) {
        core_budget_hold(st->cores); /* the PDF thread's core, counted before asking for it */
        started = core_budget_spare(st->cores) && pthread_create(&job.thread, NULL, pdf_job_main, &job) == 0;
        if (!started)
            core_budget_release(st->cores);
    }
    struct output_result *j = &res[OUTPUT_JSON], *p = &res[OUTPUT_PDF];
    if (json->stream && json_write_report(json->stream, r, &prov, st->cores, j->err, sizeof j->err) != 0) {
        outfile_failure(json, j->err, j->err, sizeof j->err);
        j->failed = true;
    }
    if (started) {
        pthread_join(job.thread, NULL);
        core_budget_release(st->cores);
    } else if (pdf->stream) {
        core_budget_hold(st->cores); /* this capture's core while its PDF is rendered, as for its JSON */
        job.rc = pdf_write_report(pdf->stream, r, &st->pdf, job.err, sizeof job.err);
        core_budget_release(st->cores);
    }
    if (pdf->stream && job.rc != 0) {
        outfile_failure(pdf, job.err, p->err, sizeof p->err);
        p->failed = true;
    }
}

/* ---- the HTML, the CSV and the SVG diagrams ---------------------------------------------- */

/* The sessions the diagram options choose (pdf_select.h), as the PDF draws them. */
static int select_diagrams(const struct settings *st, const struct capture_report *r, struct pdf_selection *sel,
                           char *err, size_t errlen)
{
    const struct pdf_options *o = &st->pdf;
    memset(sel, 0, sizeof *sel);
    return pdf_select_sessions(sel, r, o->stream_filter ? o->stream_filter : o->session_filter, o->stream_filter != NULL,
                               o->max_diagrams ? o->max_diagrams : PDF_DEFAULT_MAX_DIAGRAMS, err, errlen);
}

/* The SVG diagrams already named (each complete), to be removed again if another of them
 * cannot be: the diagrams are one output, complete or not there. */
struct svg_files {
    char **rel;
    size_t n, cap;
};

static void svg_files_remove(const struct outdir *out, struct svg_files *w)
{
    for (size_t i = 0; i < w->n; i++) {
        char err[256];
        const char *base;
        int fd = outdir_folder(out, w->rel[i], false, &base, err, sizeof err);
        if (fd >= 0) {
            unlinkat(fd, base, 0);
            close(fd);
        }
    }
}

static void svg_files_free(struct svg_files *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->rel[i]);
    free(w->rel);
}

/* One SVG per chosen session into the folder dir below OUT (made even when none is chosen, so
 * that the up-to-date check finds it). Each is made and named on its own, as it is complete:
 * a capture may have thousands, more than a process may hold open at once. */
static int write_svg_files(const struct settings *st, const struct capture_report *r, const struct outdir *out,
                           const char *dir, struct svg_files *w, char *err, size_t errlen)
{
    struct pdf_selection sel;
    if (select_diagrams(st, r, &sel, err, errlen) != 0)
        return -1;
    char *probe = NULL;
    const char *base;
    int rc = asprintf(&probe, "%s/x", dir) < 0 ? -1 : 0, fd = -1;
    if (rc != 0)
        snprintf(err, errlen, "out of memory");
    else if ((fd = outdir_folder(out, probe, true, &base, err, errlen)) < 0)
        rc = -1;
    if (fd >= 0)
        close(fd);
    free(probe);
    struct drawing dw;
    bool opened = rc == 0 && sel.n; /* drawing_close takes a drawing that failed to open */
    if (opened)
        rc = drawing_open(&dw, r, &st->pdf, err, errlen);
    struct session_view v = {0};
    for (size_t k = 0; rc == 0 && k < sel.n && !interrupt_requested(); k++) {
        const struct session *s = capture_session(r, sel.index[k], &v);
        char *rel;
        struct outfile o;
        if (!GROW(w->rel, w->cap, w->n + 1, 64) ||
            asprintf(&rel, "%s/session-%llu.svg", dir, (unsigned long long)s->id) < 0) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
            break;
        }
        if ((rc = outfile_begin(&o, out, rel, err, errlen)) != 0) {
            free(rel);
            break;
        }
        if (drawing_svg(&dw, s, o.stream, false, NULL) != 0) {
            outfile_failure(&o, err, err, errlen);
            outfile_end(&o);
            free(rel);
            rc = -1;
            break;
        }
        if ((rc = outfile_commit(&o, err, errlen)) != 0) {
            free(rel);
            break;
        }
        w->rel[w->n++] = rel;
    }
    session_view_release(&v);
    if (opened)
        drawing_close(&dw);
    pdf_selection_free(&sel);
    return rc;
}

/* The HTML and the CSV into their temporaries (those that began), each on its own. */
static void render_tables(const struct settings *st, const struct capture_report *r, struct outfile *html,
                          struct outfile *csv, struct output_result res[OUTPUTS])
{
    struct output_result *h = &res[OUTPUT_HTML], *c = &res[OUTPUT_CSV];
    if (html->stream && html_write_report(html->stream, r, &st->pdf, h->err, sizeof h->err) != 0) {
        outfile_failure(html, h->err, h->err, sizeof h->err);
        h->failed = true;
    }
    if (csv->stream && csv_write_report(csv->stream, r, c->err, sizeof c->err) != 0) {
        outfile_failure(csv, c->err, c->err, sizeof c->err);
        c->failed = true;
    }
}

/* Whether reading sessions back from the temporary file failed (table.h), with the sentence
 * in err: the outputs rendered then lack those sessions. */
static bool sessions_unreadable(const struct capture_report *r, char *err, size_t errlen)
{
    const char *why = session_table_read_problem(r->table);
    if (why)
        snprintf(err, errlen, "cannot read back the temporary file of sessions: %s", why);
    return why != NULL;
}

/* Syncs and names one output that rendered; a failure is its own. */
static void finish(const struct capture_report *r, struct outfile *o, struct output_result *res)
{
    if (!res->failed && o->stream && sessions_unreadable(r, res->err, sizeof res->err))
        res->failed = true;
    if (!res->failed && o->stream &&
        (outfile_sync(o, res->err, sizeof res->err) != 0 || outfile_publish(o, res->err, sizeof res->err) != 0))
        res->failed = true;
    outfile_end(o);
}

const char *outputs_path(const struct output_paths *paths, int k)
{
    const char *rel[OUTPUTS] = {paths->json, paths->pdf, paths->html, paths->csv, paths->svg_dir};
    return k >= 0 && k < OUTPUTS ? rel[k] : NULL;
}

/* Makes the files in temporaries and names each as it is complete, then writes the SVG
 * diagrams, each named as it is complete and all removed again when one cannot be. */
int outputs_write(const struct settings *st, const struct capture_report *r, const struct outdir *out,
                  const struct output_paths *paths, struct output_result res[OUTPUTS])
{
    enum { FILES = OUTPUT_SVG }; /* the outputs before it are one file each */
    struct outfile f[FILES];
    struct svg_files svgs = {0};
    for (int i = 0; i < OUTPUTS; i++)
        res[i] = (struct output_result){0};
    for (int i = 0; i < FILES; i++) {
        f[i] = (struct outfile){.dirfd = -1, .fd = -1};
        const char *rel = outputs_path(paths, i);
        if (rel && outfile_begin(&f[i], out, rel, res[i].err, sizeof res[i].err) != 0)
            res[i].failed = true;
    }
    render(st, r, &f[OUTPUT_JSON], &f[OUTPUT_PDF], res);
    render_tables(st, r, &f[OUTPUT_HTML], &f[OUTPUT_CSV], res);
    for (int i = 0; i < FILES; i++)
        finish(r, &f[i], &res[i]);
    struct output_result *sv = &res[OUTPUT_SVG];
    if (paths->svg_dir && write_svg_files(st, r, out, paths->svg_dir, &svgs, sv->err, sizeof sv->err) != 0) {
        sv->failed = true;
        svg_files_remove(out, &svgs);
    }
    svg_files_free(&svgs);
    for (int i = 0; i < OUTPUTS; i++)
        if (res[i].failed)
            return -1;
    return 0;
}

/* The SVG of the one session chosen, to out. */
static int svg_to(FILE *out, const struct settings *st, const struct capture_report *r, char *err, size_t errlen)
{
    struct pdf_selection sel;
    if (select_diagrams(st, r, &sel, err, errlen) != 0)
        return -1;
    int rc = -1;
    if (sel.n != 1 || sel.n_requested > 1) {
        snprintf(err, errlen, "-o - with --format svg writes one session's diagram, and %s chose %zu; pick one with "
                 "--sessions N or --tcp-stream N", st->pdf.session_filter || st->pdf.stream_filter ? "the options" : "--max-diagrams",
                 sel.n_requested > sel.n ? (size_t)sel.n_requested : sel.n);
    } else {
        struct drawing dw;
        rc = drawing_open(&dw, r, &st->pdf, err, errlen);
        struct session_view v = {0};
        if (rc == 0)
            rc = drawing_svg(&dw, capture_session(r, sel.index[0], &v), out, false, NULL);
        session_view_release(&v);
        if (rc == 0 || dw.doc)
            drawing_close(&dw);
    }
    pdf_selection_free(&sel);
    return rc;
}

int outputs_write_stdout(const struct settings *st, const struct capture_report *r, char *err, size_t errlen)
{
    struct json_provenance prov = provenance(st);
    int rc = st->formats & FORMAT_CSV    ? csv_write_report(stdout, r, err, errlen)
             : st->formats & FORMAT_HTML ? html_write_report(stdout, r, &st->pdf, err, errlen)
             : st->formats & FORMAT_SVG  ? svg_to(stdout, st, r, err, errlen)
             : st->formats & FORMAT_PDF  ? pdf_write_report(stdout, r, &st->pdf, err, errlen)
                                         : json_write_report(stdout, r, &prov, st->cores, err, errlen);
    if (rc == 0 && sessions_unreadable(r, err, errlen))
        rc = -1;
    if (fflush(stdout) != 0 || rc != 0) {
        if (errno == EPIPE)
            interrupt_die(SIGPIPE); /* returns only when the parent ignores SIGPIPE */
        if (ferror(stdout))
            snprintf(err, errlen, "cannot write standard output: %s", strerror(errno));
        rc = -1;
    }
    return rc;
}
