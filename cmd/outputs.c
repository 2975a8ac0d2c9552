/* outputs.c — one capture's outputs (outputs.h): made through outfile.h and named when all are
 * complete, the PDF on a thread of its own beside the JSON, then the HTML, the CSV and the SVG
 * diagrams; the up-to-date check; reading a report's first lines back; one output to standard
 * output. */
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

static bool newer_or_same(const struct stat *a, const struct stat *b)
{
    return a->st_mtim.tv_sec > b->st_mtim.tv_sec ||
           (a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec >= b->st_mtim.tv_nsec);
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

/* The output rel below OUT, reached without following a link: a regular file's (or with
 * folder, a folder's) status. */
static bool output_stat(const struct outdir *out, const char *rel, bool folder, struct stat *st)
{
    char err[256];
    const char *base;
    int fd = outdir_folder(out, rel, false, &base, err, sizeof err);
    bool ok = fd >= 0 && fstatat(fd, base, st, AT_SYMLINK_NOFOLLOW) == 0 &&
              (folder ? S_ISDIR(st->st_mode) : S_ISREG(st->st_mode));
    if (fd >= 0)
        close(fd);
    return ok;
}

bool outputs_up_to_date(const char *input, const struct outdir *out, const struct output_paths *paths,
                        const struct settings *st)
{
    struct stat in, o;
    if (strcmp(input, "-") == 0 || stat(input, &in) != 0)
        return false;
    const char *others[] = {paths->pdf, paths->html, paths->csv, paths->svg_dir};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (others[i] && (!output_stat(out, others[i], i == 3, &o) || !newer_or_same(&o, &in)))
            return false;
    const char *json_rel = paths->json;
    if (!json_rel)
        return true;
    if (!output_stat(out, json_rel, false, &o) || !newer_or_same(&o, &in))
        return false;

    char *expected = NULL, err[256];
    size_t exp_len = 0, len = 0;
    struct json_provenance prov = provenance(st);
    FILE *mem = open_memstream(&expected, &exp_len);
    if (!mem)
        return false;
    bool made = json_write_header(mem, &prov) == 0;
    fclose(mem);
    char *head = made ? outputs_read_head(out, json_rel, &len, err, sizeof err) : NULL;
    bool same = head && len >= exp_len && memcmp(head, expected, exp_len) == 0;
    free(head);
    free(expected);
    return same;
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

/* Renders both outputs into their temporaries: the PDF on a second thread while this one
 * writes the JSON, with both outputs and a core to spare (the core budget: not with -j 1,
 * nor in batch mode, where every core converts a capture). The bytes are the same either
 * way, and so is the error reported: the JSON's when both fail, as when the PDF came second. */
static int render(const struct settings *st, const struct capture_report *r, struct outfile *json,
                  struct outfile *pdf, char *err, size_t errlen)
{
    struct json_provenance prov = provenance(st);
    struct pdf_job job = {.out = pdf->stream, .r = r, .opt = &st->pdf};
    bool started = false;
    int rc = 0;
    if (json->stream && pdf->stream) {
        core_budget_hold(st->cores); /* the PDF thread's core, counted before asking for it */
        started = core_budget_spare(st->cores) && pthread_create(&job.thread, NULL, pdf_job_main, &job) == 0;
        if (!started)
            core_budget_release(st->cores);
    }
    if (json->stream && json_write_report(json->stream, r, &prov, st->cores, err, errlen) != 0) {
        outfile_failure(json, err, err, errlen);
        rc = -1;
    }
    if (started) {
        pthread_join(job.thread, NULL);
        core_budget_release(st->cores);
        if (rc == 0 && job.rc != 0) {
            outfile_failure(pdf, job.err, err, errlen);
            rc = -1;
        }
    } else if (rc == 0 && pdf->stream) {
        core_budget_hold(st->cores); /* this capture's core while its PDF is rendered, as for its JSON */
        if (pdf_write_report(pdf->stream, r, &st->pdf, err, errlen) != 0) {
            outfile_failure(pdf, err, err, errlen);
            rc = -1;
        }
        core_budget_release(st->cores);
    }
    return rc;
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

/* The SVG diagrams already named (each complete), to be removed again if the capture's other
 * outputs cannot be. */
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
    for (size_t k = 0; rc == 0 && k < sel.n && !interrupt_requested(); k++) {
        const struct session *s = capture_session(r, sel.index[k]);
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
    if (opened)
        drawing_close(&dw);
    pdf_selection_free(&sel);
    return rc;
}

/* The HTML and the CSV into their temporaries (begun already where requested). */
static int render_tables(const struct settings *st, const struct capture_report *r, struct outfile *html,
                         struct outfile *csv, char *err, size_t errlen)
{
    if (html->stream && html_write_report(html->stream, r, &st->pdf, err, errlen) != 0) {
        outfile_failure(html, err, err, errlen);
        return -1;
    }
    if (csv->stream && csv_write_report(csv->stream, r, err, errlen) != 0) {
        outfile_failure(csv, err, err, errlen);
        return -1;
    }
    return 0;
}

/* Makes the outputs in temporaries, syncs them, writes the SVG diagrams, then names the rest;
 * on any failure removes what it made, so no output is ever partial, nor one without the
 * others. */
int outputs_write(const struct settings *st, const struct capture_report *r, const struct outdir *out,
                  const struct output_paths *paths, char *err, size_t errlen)
{
    enum { N = 4 };
    struct outfile f[N];
    const char *rel[N] = {paths->json, paths->pdf, paths->html, paths->csv};
    struct svg_files svgs = {0};
    int rc = 0;
    for (size_t i = 0; i < N; i++)
        f[i] = (struct outfile){.dirfd = -1, .fd = -1};
    for (size_t i = 0; rc == 0 && i < N; i++)
        if (rel[i] && outfile_begin(&f[i], out, rel[i], err, errlen) != 0)
            rc = -1;
    if (rc == 0)
        rc = render(st, r, &f[0], &f[1], err, errlen);
    if (rc == 0)
        rc = render_tables(st, r, &f[2], &f[3], err, errlen);
    for (size_t i = 0; rc == 0 && i < N; i++)
        if (rel[i])
            rc = outfile_sync(&f[i], err, errlen);
    if (rc == 0 && paths->svg_dir)
        rc = write_svg_files(st, r, out, paths->svg_dir, &svgs, err, errlen);
    for (size_t i = 0; rc == 0 && i < N; i++)
        if (rel[i])
            rc = outfile_publish(&f[i], err, errlen);
    if (rc != 0) {
        for (size_t i = 0; i < N; i++)
            outfile_unpublish(&f[i]);
        svg_files_remove(out, &svgs);
    }
    for (size_t i = 0; i < N; i++)
        outfile_end(&f[i]);
    svg_files_free(&svgs);
    return rc;
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
        if (rc == 0)
            rc = drawing_svg(&dw, capture_session(r, sel.index[0]), out, false, NULL);
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
                                         : json_write_report(stdout, r, &prov, st->cores, err, errlen);
    if (fflush(stdout) != 0 || rc != 0) {
        if (errno == EPIPE)
            interrupt_die(SIGPIPE); /* returns only when the parent ignores SIGPIPE */
        if (ferror(stdout))
            snprintf(err, errlen, "cannot write standard output: %s", strerror(errno));
        rc = -1;
    }
    return rc;
}
