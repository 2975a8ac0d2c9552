/* outputs.c — one capture's outputs (outputs.h): temporary names renamed into place when all
 * are complete, the PDF on a thread of its own beside the JSON, and the up-to-date check. */
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
#include "json.h"

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

bool outputs_up_to_date(const char *input, const char *json_path, const char *pdf_path,
                        const struct settings *st)
{
    struct stat in, out;
    if (strcmp(input, "-") == 0 || stat(input, &in) != 0)
        return false;
    if (pdf_path && (stat(pdf_path, &out) != 0 || !newer_or_same(&out, &in)))
        return false;
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

/* Writes the requested outputs under temporary names, then renames them all; on any failure
 * (or Ctrl-C) removes what it wrote, so no output is ever partial.
 *
 * With both outputs and a core to spare (the core budget: not with -j 1, nor in batch
 * mode, where every core converts a capture), the PDF is written on a second thread while this
 * one writes the JSON: each takes a core, and the JSON renders without its own helper thread.
 * The bytes are the same either way, and so is the error reported: the JSON's when both fail,
 * as when the PDF came second. */
int outputs_write(const struct settings *st, const struct capture_report *r, const char *json_path,
                  const char *pdf_path, char *err, size_t errlen)
{
    char *json_tmp = json_path ? outputs_temp_name(json_path) : NULL;
    char *pdf_tmp = pdf_path ? outputs_temp_name(pdf_path) : NULL;
    struct json_provenance prov = provenance(st);
    struct pdf_job pdf = {.path = pdf_tmp, .r = r, .opt = &st->pdf};
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
        unlink(json_path);
        rc = -1;
    }
    if (rc != 0) {
        if (json_tmp)
            unlink(json_tmp);
        if (pdf_tmp)
            unlink(pdf_tmp);
    }
    free(json_tmp);
    free(pdf_tmp);
    return rc;
}

int outputs_write_stdout(const struct settings *st, const struct capture_report *r, char *err, size_t errlen)
{
    struct json_provenance prov = provenance(st);
    int rc = json_write_report(stdout, r, &prov, st->cores, err, errlen);
    if (rc == 0 && fflush(stdout) != 0) {
        snprintf(err, errlen, "standard output: %s", strerror(errno));
        rc = -1;
    }
    return rc;
}
