/* outputs.c — one capture's outputs (outputs.h): temporary names renamed into place when all
 * are complete, the PDF on a thread of its own beside the JSON, then the HTML, the CSV and the
 * SVG diagrams, and the up-to-date check. */
#define _GNU_SOURCE
#include "outputs.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "interrupt.h"
#include "csv.h"
#include "drawing.h"
#include "html.h"
#include "json.h"
#include "paths.h"
#include "pdf_select.h"

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

bool outputs_up_to_date(const char *input, const struct output_paths *o, const struct settings *st)
{
    struct stat in, out;
    if (strcmp(input, "-") == 0 || stat(input, &in) != 0)
        return false;
    const char *others[] = {o->pdf, o->html, o->csv, o->svg_dir};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (others[i] && (stat(others[i], &out) != 0 || !newer_or_same(&out, &in)))
            return false;
    const char *json_path = o->json;
    if (!json_path)
        return true;
    if (stat(json_path, &out) != 0 || !newer_or_same(&out, &in))
        return false;

    char *expected = NULL, *line = NULL;
    size_t exp_len = 0, cap = 0;
    struct json_provenance prov = provenance(st);
    FILE *mem = open_memstream(&expected, &exp_len);
    if (!mem)
        return false;
    bool made = json_write_header(mem, &prov) == 0;
    fclose(mem);
    FILE *f = made ? fopen(json_path, "r") : NULL;
    bool same = false;
    if (f && getline(&line, &cap, f) > 0)
        same = strncmp(line, expected, exp_len) == 0;
    if (f)
        fclose(f);
    free(line);
    free(expected);
    return same;
}

char *outputs_temp_name(const char *path)
{
    char *tmp;
    if (asprintf(&tmp, "%s.tmp.%ld.%lx", path, (long)getpid(), (unsigned long)pthread_self()) < 0)
        return NULL;
    return tmp;
}

static int write_json_file(const char *tmp, const struct capture_report *r,
                           const struct json_provenance *prov, struct core_budget *cores,
                           char *err, size_t errlen)
{
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    int rc = json_write_report(f, r, prov, cores, err, errlen);
    if (fclose(f) != 0 && rc == 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        rc = -1;
    }
    return rc;
}

/* The PDF of a capture, written on a thread of its own while the JSON is written. */
struct pdf_job {
    pthread_t thread;
    const char *path;
    const struct capture_report *r;
    const struct pdf_options *opt;
    int rc;
    char err[512];
};

static void *pdf_job_main(void *arg)
{
    struct pdf_job *j = arg;
    j->rc = pdf_write_report(j->path, j->r, j->opt, j->err, sizeof j->err);
    return NULL;
}

/* ---- the HTML, the CSV and the SVG diagrams ------------------------------------------------------ */

/* Files written under temporary names, renamed into place together. */
struct written {
    char *tmp[64], *final[64];
    size_t n;
    char **more_tmp, **more_final; /* past 64 (many SVG diagrams) */
    size_t n_more, cap_more;
};

static int add_written(struct written *w, const char *path, char **tmp_out)
{
    char *final = strdup(path), *tmp = final ? outputs_temp_name(path) : NULL;
    if (!tmp) {
        free(final);
        return -1;
    }
    if (w->n < 64) {
        w->tmp[w->n] = tmp;
        w->final[w->n++] = final;
    } else {
        if (w->n_more == w->cap_more) {
            size_t cap = w->cap_more ? 2 * w->cap_more : 64;
            char **t = realloc(w->more_tmp, cap * sizeof *t), **f = t ? realloc(w->more_final, cap * sizeof *f) : NULL;
            if (t)
                w->more_tmp = t;
            if (!f) {
                free(tmp);
                free(final);
                return -1;
            }
            w->more_final = f;
            w->cap_more = cap;
        }
        w->more_tmp[w->n_more] = tmp;
        w->more_final[w->n_more++] = final;
    }
    *tmp_out = tmp;
    return 0;
}

static char **written_at(struct written *w, size_t i, bool final)
{
    return i < 64 ? (final ? &w->final[i] : &w->tmp[i]) : (final ? &w->more_final[i - 64] : &w->more_tmp[i - 64]);
}

/* Renames every file into place; on a failure removes those renamed so far. 0 or -1. */
static int rename_written(struct written *w, char *err, size_t errlen)
{
    size_t total = w->n + w->n_more;
    for (size_t i = 0; i < total; i++) {
        if (rename(*written_at(w, i, false), *written_at(w, i, true)) == 0)
            continue;
        snprintf(err, errlen, "%s: %s", *written_at(w, i, true), strerror(errno));
        while (i-- > 0)
            unlink(*written_at(w, i, true));
        return -1;
    }
    return 0;
}

static void free_written(struct written *w, bool remove_tmp)
{
    size_t total = w->n + w->n_more;
    for (size_t i = 0; i < total; i++) {
        if (remove_tmp)
            unlink(*written_at(w, i, false));
        free(*written_at(w, i, false));
        free(*written_at(w, i, true));
    }
    free(w->more_tmp);
    free(w->more_final);
}

/* Opens tmp for writing; NULL with err filled. */
static FILE *create(const char *tmp, char *err, size_t errlen)
{
    FILE *f = fopen(tmp, "w");
    if (!f)
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
    return f;
}

static int finish(FILE *f, const char *tmp, int rc, char *err, size_t errlen)
{
    if (fclose(f) != 0 && rc == 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        rc = -1;
    }
    return rc;
}

static int write_html_file(const struct settings *st, const struct capture_report *r, struct written *w,
                           const char *path, char *err, size_t errlen)
{
    char *tmp;
    if (add_written(w, path, &tmp) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    FILE *f = create(tmp, err, errlen);
    return f ? finish(f, tmp, html_write_report(f, r, &st->pdf, err, errlen), err, errlen) : -1;
}

static int write_csv_file(const struct capture_report *r, struct written *w, const char *path, char *err,
                          size_t errlen)
{
    char *tmp;
    if (add_written(w, path, &tmp) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    FILE *f = create(tmp, err, errlen);
    return f ? finish(f, tmp, csv_write_report(f, r, err, errlen), err, errlen) : -1;
}

/* The sessions the diagram options choose (pdf_select.h), as the PDF draws them. */
static int select_diagrams(const struct settings *st, const struct capture_report *r, struct pdf_selection *sel,
                           char *err, size_t errlen)
{
    const struct pdf_options *o = &st->pdf;
    memset(sel, 0, sizeof *sel);
    return pdf_select_sessions(sel, r, o->stream_filter ? o->stream_filter : o->session_filter, o->stream_filter != NULL,
                               o->max_diagrams ? o->max_diagrams : PDF_DEFAULT_MAX_DIAGRAMS, err, errlen);
}

/* One SVG per chosen session, into dir (created). */
static int write_svg_files(const struct settings *st, const struct capture_report *r, struct written *w,
                           const char *dir, char *err, size_t errlen)
{
    struct pdf_selection sel;
    if (select_diagrams(st, r, &sel, err, errlen) != 0)
        return -1;
    struct drawing dw;
    int rc = make_dirs(dir) == 0 ? 0 : -1;
    if (rc != 0)
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
    if (rc == 0 && sel.n)
        rc = drawing_open(&dw, r, &st->pdf, err, errlen);
    for (size_t k = 0; rc == 0 && k < sel.n && !interrupt_requested(); k++) {
        const struct session *s = capture_session(r, sel.index[k]);
        char *path, *tmp;
        if (asprintf(&path, "%s/session-%llu.svg", dir, (unsigned long long)s->id) < 0) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
            break;
        }
        rc = add_written(w, path, &tmp);
        free(path);
        if (rc != 0) {
            snprintf(err, errlen, "out of memory");
            break;
        }
        FILE *f = create(tmp, err, errlen);
        rc = f ? finish(f, tmp, drawing_svg(&dw, s, f, false, NULL), err, errlen) : -1;
    }
    if (sel.n)
        drawing_close(&dw);
    pdf_selection_free(&sel);
    return rc;
}

/* Writes the requested outputs under temporary names, then renames them all; on any failure
 * (or Ctrl-C) removes what it wrote, so no output is ever partial.
 *
 * With JSON and PDF both asked for and a core to spare (the core budget: not with -j 1, nor in
 * batch mode, where every core converts a capture), the PDF is written on a second thread
 * while this one writes the JSON: each takes a core, and the JSON renders without its own
 * helper thread. The bytes are the same either way, and so is the error reported: the JSON's
 * when both fail, as when the PDF came second. The HTML, CSV and SVG follow on this thread. */
int outputs_write(const struct settings *st, const struct capture_report *r, const struct output_paths *paths,
                  char *err, size_t errlen)
{
    const char *json_path = paths->json, *pdf_path = paths->pdf;
    char *json_tmp = json_path ? outputs_temp_name(json_path) : NULL;
    char *pdf_tmp = pdf_path ? outputs_temp_name(pdf_path) : NULL;
    struct json_provenance prov = provenance(st);
    struct pdf_job pdf = {.path = pdf_tmp, .r = r, .opt = &st->pdf};
    struct written more = {.n = 0};
    bool pdf_started = false;
    int rc = 0;
    if ((json_path && !json_tmp) || (pdf_path && !pdf_tmp)) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    if (rc == 0 && json_tmp && pdf_tmp) {
        core_budget_hold(st->cores); /* the PDF thread's core, counted before asking for it */
        pdf_started = core_budget_spare(st->cores) && pthread_create(&pdf.thread, NULL, pdf_job_main, &pdf) == 0;
        if (!pdf_started)
            core_budget_release(st->cores);
    }
    if (rc == 0 && json_tmp)
        rc = write_json_file(json_tmp, r, &prov, st->cores, err, errlen);
    if (pdf_started) {
        pthread_join(pdf.thread, NULL);
        core_budget_release(st->cores);
        if (rc == 0 && pdf.rc != 0) {
            snprintf(err, errlen, "%s", pdf.err);
            rc = -1;
        }
    } else if (rc == 0 && pdf_tmp) {
        core_budget_hold(st->cores); /* this capture's core while its PDF is rendered, as for its JSON */
        rc = pdf_write_report(pdf_tmp, r, &st->pdf, err, errlen);
        core_budget_release(st->cores);
    }
    if (rc == 0 && paths->html)
        rc = write_html_file(st, r, &more, paths->html, err, errlen);
    if (rc == 0 && paths->csv)
        rc = write_csv_file(r, &more, paths->csv, err, errlen);
    if (rc == 0 && paths->svg_dir)
        rc = write_svg_files(st, r, &more, paths->svg_dir, err, errlen);
    if (rc == 0 && interrupt_requested()) {
        snprintf(err, errlen, "interrupted");
        rc = -1;
    }
    if (rc == 0 && json_tmp && rename(json_tmp, json_path) != 0) {
        snprintf(err, errlen, "%s: %s", json_path, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && pdf_tmp && rename(pdf_tmp, pdf_path) != 0) {
        snprintf(err, errlen, "%s: %s", pdf_path, strerror(errno));
        if (json_path)
            unlink(json_path);
        rc = -1;
    }
    if (rc == 0 && rename_written(&more, err, errlen) != 0) {
        if (json_path)
            unlink(json_path);
        if (pdf_path)
            unlink(pdf_path);
        rc = -1;
    }
    if (rc != 0) {
        if (json_tmp)
            unlink(json_tmp);
        if (pdf_tmp)
            unlink(pdf_tmp);
    }
    free_written(&more, rc != 0);
    free(json_tmp);
    free(pdf_tmp);
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
    if (rc == 0 && fflush(stdout) != 0) {
        snprintf(err, errlen, "standard output: %s", strerror(errno));
        rc = -1;
    }
    return rc;
}
