/* outputs.c — one capture's outputs (outputs.h): made through outfile.h and named when all are
 * complete, the PDF on a thread of its own beside the JSON; reading a report's first lines
 * back. Whether they are up to date is uptodate.c's. */
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

/* Makes the outputs in temporaries, syncs them, then names them all; on any failure removes
 * what it made, so no output is ever partial, nor one without the other. */
int outputs_write(const struct settings *st, const struct capture_report *r, const struct outdir *out,
                  const char *json_rel, const char *pdf_rel, char *err, size_t errlen)
{
    struct outfile json = {.dirfd = -1, .fd = -1}, pdf = {.dirfd = -1, .fd = -1};
    int rc = (json_rel && outfile_begin(&json, out, json_rel, err, errlen) != 0) ||
             (pdf_rel && outfile_begin(&pdf, out, pdf_rel, err, errlen) != 0) ? -1 : 0;
    if (rc == 0)
        rc = render(st, r, &json, &pdf, err, errlen);
    if (rc == 0 && json_rel)
        rc = outfile_sync(&json, err, errlen);
    if (rc == 0 && pdf_rel)
        rc = outfile_sync(&pdf, err, errlen);
    if (rc == 0 && json_rel)
        rc = outfile_publish(&json, err, errlen);
    if (rc == 0 && pdf_rel)
        rc = outfile_publish(&pdf, err, errlen);
    if (rc != 0) {
        outfile_unpublish(&json);
        outfile_unpublish(&pdf);
    }
    outfile_end(&json);
    outfile_end(&pdf);
    return rc;
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
