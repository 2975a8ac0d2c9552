/* outputs.c — one capture's outputs (outputs.h): each made through outfile.h and named when it
 * is complete, whatever became of the other, the PDF on a thread of its own beside the JSON;
 * reading a report's first lines back. Whether they are up to date is uptodate.c's. */
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
#include "interrupt.h"
#include "index.h"
#include "json.h"
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

/* Renders the outputs that began into their temporaries: the PDF on a second thread while this
 * one writes the JSON, with both outputs and a core to spare (the core budget: not with -j 1,
 * nor in batch mode, where every core converts a capture). The bytes are the same either way.
 * Each output succeeds or fails on its own: a PDF that libharu cannot build does not cost the
 * JSON, nor the other way round (issue 20). */
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

/* Syncs and names one output that rendered; a failure is its own. */
static void finish(struct outfile *o, struct output_result *res)
{
    if (!res->failed && o->stream &&
        (outfile_sync(o, res->err, sizeof res->err) != 0 || outfile_publish(o, res->err, sizeof res->err) != 0))
        res->failed = true;
    outfile_end(o);
}

int outputs_write(const struct settings *st, const struct capture_report *r, const struct outdir *out,
                  const char *json_rel, const char *pdf_rel, struct output_result res[OUTPUTS])
{
    struct outfile json = {.dirfd = -1, .fd = -1}, pdf = {.dirfd = -1, .fd = -1};
    res[OUTPUT_JSON] = (struct output_result){0};
    res[OUTPUT_PDF] = (struct output_result){0};
    if (json_rel && outfile_begin(&json, out, json_rel, res[OUTPUT_JSON].err, sizeof res[OUTPUT_JSON].err) != 0)
        res[OUTPUT_JSON].failed = true;
    if (pdf_rel && outfile_begin(&pdf, out, pdf_rel, res[OUTPUT_PDF].err, sizeof res[OUTPUT_PDF].err) != 0)
        res[OUTPUT_PDF].failed = true;
    render(st, r, &json, &pdf, res);
    finish(&json, &res[OUTPUT_JSON]);
    finish(&pdf, &res[OUTPUT_PDF]);
    return res[OUTPUT_JSON].failed || res[OUTPUT_PDF].failed ? -1 : 0;
}

int outputs_write_stdout(const struct settings *st, const struct capture_report *r, char *err, size_t errlen)
{
    struct json_provenance prov = provenance(st);
    int rc = st->formats == FORMAT_PDF ? pdf_write_report(stdout, r, &st->pdf, err, errlen)
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
