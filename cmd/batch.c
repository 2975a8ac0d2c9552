/* batch.c — the conversion run over its inputs (batch.h): collecting them, the worker threads,
 * one capture from analysis to outputs, and the batch index at the end. */
#define _GNU_SOURCE
#include "batch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "commands.h"
#include "html.h"
#include "index.h"
#include "interrupt.h"
#include "outputs.h"
#include "paths.h"
#include "pdf_writer.h"

void batch_init(struct batch *b, const struct settings *st)
{
    *b = (struct batch){.st = st};
    pthread_mutex_init(&b->lock, NULL);
    progress_init(&b->progress, st->progress);
}

void batch_free(struct batch *b)
{
    progress_free(&b->progress);
    pthread_mutex_destroy(&b->lock);
    inputs_free(&b->inputs);
}

/* ---- collecting ---------------------------------------------------------------------------- */

int batch_collect(struct batch *b)
{
    const struct settings *st = b->st;
    char err[256];
    if (inputs_collect(&b->inputs, st->captures, st->n_captures, err, sizeof err) != 0) {
        fprintf(stderr, "pcap2report: %s\n", err);
        return EXIT_SOME_FAILED;
    }
    if (st->shard_n)
        inputs_shard(&b->inputs, st->shard_k, st->shard_n);
    if (st->to_stdout && b->inputs.n != 1) {
        fputs("pcap2report: -o - writes one capture to standard output; give exactly one\n", stderr);
        return EXIT_USAGE;
    }
    if (!st->to_stdout && make_dirs(st->out_dir) != 0) {
        fprintf(stderr, "pcap2report: cannot create %s: %s\n", st->out_dir, strerror(errno));
        return EXIT_SOME_FAILED;
    }
    progress_start(&b->progress, b->inputs.n);
    size_t candidates = 0;
    for (size_t i = 0; i < b->inputs.n; i++) {
        if (b->inputs.items[i].status != INPUT_SKIPPED)
            candidates++;
        else if (!st->quiet)
            progress_say(&b->progress, "pcap2report: skipped %s: %s\n", b->inputs.items[i].path,
                         b->inputs.items[i].reason);
    }
    if (candidates == 0 && !st->shard_n) {
        /* Folders without a single capture: most likely the wrong folder. */
        fputs("pcap2report: no capture found in the given folders\n", stderr);
        return EXIT_SOME_FAILED;
    }
    return EXIT_OK;
}

/* ---- one capture ---------------------------------------------------------------------------- */

/* capture_analyze's progress callback: draws, and stops the reading when interrupted. */
static int on_progress(void *arg, uint64_t packets, uint64_t bytes)
{
    struct batch *b = arg;
    progress_reading(&b->progress, bytes, packets);
    return interrupt_requested();
}

/* The paths of the input's outputs (NULL when not requested) and their folder, created. 0, or
 * -1 with err filled. */
static int output_paths(const struct settings *st, const struct input *in, struct output_paths *o, char *err,
                        size_t errlen)
{
    const char *dir_of = NULL;
    if (((st->formats & FORMAT_JSON) && asprintf(&o->json, "%s/%s.json", st->out_dir, in->stem) < 0) ||
        ((st->formats & FORMAT_PDF) && asprintf(&o->pdf, "%s/%s.pdf", st->out_dir, in->stem) < 0) ||
        ((st->formats & FORMAT_HTML) && asprintf(&o->html, "%s/%s.html", st->out_dir, in->stem) < 0) ||
        ((st->formats & FORMAT_CSV) && asprintf(&o->csv, "%s/%s.csv", st->out_dir, in->stem) < 0) ||
        ((st->formats & FORMAT_SVG) && asprintf(&o->svg_dir, "%s/%s", st->out_dir, in->stem) < 0)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    dir_of = o->json ? o->json : o->pdf ? o->pdf : o->html ? o->html : o->csv ? o->csv : o->svg_dir;
    char *dir = strdup(dir_of);
    if (!dir) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    *strrchr(dir, '/') = '\0';
    int rc = make_dirs(dir);
    if (rc != 0)
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
    free(dir);
    return rc;
}

static void free_output_paths(struct output_paths *o)
{
    free(o->json);
    free(o->pdf);
    free(o->html);
    free(o->csv);
    free(o->svg_dir);
}

/* Puts "<capture>: " before the message in err: the writers' messages name only the output. */
static void name_the_capture(char *err, size_t errlen, const char *path)
{
    size_t n = strlen(path) + 2 < errlen ? strlen(path) + 2 : 0;
    memmove(err + n, err, errlen - n - 1);
    err[errlen - 1] = '\0';
    if (n) {
        memcpy(err, path, n - 2);
        memcpy(err + n - 2, ": ", 2);
    }
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Analyses the capture and writes its outputs; says what became of it. */
static void convert_one(struct batch *b, struct input *in)
{
    const struct settings *st = b->st;
    char err[512] = "";
    struct output_paths out = {NULL, NULL, NULL, NULL, NULL};
    struct capture_report *r = NULL;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    if (!st->to_stdout) {
        if (output_paths(st, in, &out, err, sizeof err) != 0)
            goto fail;
        if (!st->force && outputs_up_to_date(in->path, &out, st)) {
            in->status = INPUT_UP_TO_DATE;
            goto done;
        }
    }
    struct capture_options opt = {
        .max_sessions = st->max_sessions, .idle_timeout_ns = st->idle_timeout_s * 1000000000LL,
        .filter = st->filter, .progress = on_progress, .progress_arg = b, .cores = st->cores,
    };
    if (capture_analyze(in->path, &opt, &r, err, sizeof err) != 0)
        goto fail;
    for (size_t i = 0; !st->quiet && i < r->n_warnings; i++)
        progress_say(&b->progress, "pcap2report: warning: %s: %s\n", in->path, r->warnings[i].message);
    if (r->warnings_suppressed && !st->quiet)
        progress_say(&b->progress, "pcap2report: warning: %s: %llu more warnings (see the report)\n", in->path,
                     (unsigned long long)r->warnings_suppressed);
    if ((st->to_stdout ? outputs_write_stdout(st, r, err, sizeof err)
                       : outputs_write(st, r, &out, err, sizeof err)) != 0) {
        name_the_capture(err, sizeof err, in->path);
        goto fail;
    }
    in->status = INPUT_CONVERTED;
    in->packets = r->counts.total;
    in->sessions = r->n_sessions;
    if (!st->quiet) {
        /* The outputs written, "a.json, a.pdf, a/ (SVG)" */
        char list[2048] = "";
        const char *names[] = {out.json, out.pdf, out.html, out.csv, out.svg_dir};
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
            if (names[k])
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s%s", list[0] ? ", " : " -> ", names[k],
                         k == 4 ? "/" : "");
        progress_say(&b->progress, "pcap2report: %s: %llu packets, %zu session%s in %.3f s%s\n", in->path,
                     (unsigned long long)r->counts.total, r->n_sessions, r->n_sessions == 1 ? "" : "s",
                     seconds_since(&t0), list);
    }
    progress_converted(&b->progress, r->size_bytes, r->counts.total);
    goto done;
fail:
    in->status = INPUT_FAILED;
    in->reason = strdup(err);
    progress_say(&b->progress, "pcap2report: %s\n", err);
done:
    capture_report_free(r);
    free_output_paths(&out);
}

/* ---- the workers ---------------------------------------------------------------------------- */

static void *worker(void *arg)
{
    struct batch *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t i = b->next;
        while (i < b->inputs.n && b->inputs.items[i].status != INPUT_PENDING)
            i++;
        b->next = i + 1;
        pthread_mutex_unlock(&b->lock);
        if (i >= b->inputs.n || interrupt_requested())
            return NULL;
        convert_one(b, &b->inputs.items[i]);
        progress_file_done(&b->progress);
    }
}

void batch_convert(struct batch *b)
{
    for (size_t i = 0; i < b->inputs.n; i++) {
        struct stat s;
        if (b->inputs.items[i].status == INPUT_PENDING && stat(b->inputs.items[i].path, &s) == 0)
            b->progress.bytes_total += (unsigned long long)s.st_size;
    }
    unsigned jobs = b->st->jobs < b->inputs.n ? b->st->jobs : (unsigned)(b->inputs.n ? b->inputs.n : 1);
    pthread_t *threads = calloc(jobs, sizeof *threads);
    unsigned started = 0;
    for (unsigned i = 1; threads && i < jobs; i++, started++)
        if (pthread_create(&threads[i - 1], NULL, worker, b) != 0)
            break;
    worker(b); /* the main thread works too */
    for (unsigned i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    progress_end(&b->progress);
}

/* ---- the index ------------------------------------------------------------------------------ */

static const char *status_name(enum input_status s)
{
    switch (s) {
    case INPUT_CONVERTED: return "converted";
    case INPUT_UP_TO_DATE: return "up-to-date";
    case INPUT_FAILED: return "failed";
    case INPUT_SKIPPED: return "skipped";
    default: return "pending";
    }
}

/* The entry's HTML, CSV and SVG outputs, relative to the output folder. */
static int add_other_outputs(const struct settings *st, struct index_builder *b, const struct input *in, char *err,
                             size_t errlen)
{
    char *html = NULL, *csv = NULL, *svg = NULL;
    int rc = ((st->formats & FORMAT_HTML) && asprintf(&html, "%s.html", in->stem) < 0) ||
                     ((st->formats & FORMAT_CSV) && asprintf(&csv, "%s.csv", in->stem) < 0) ||
                     ((st->formats & FORMAT_SVG) && asprintf(&svg, "%s/", in->stem) < 0)
                 ? -1
                 : index_add_outputs(b, html, csv, svg);
    if (rc != 0)
        snprintf(err, errlen, "out of memory");
    free(html);
    free(csv);
    free(svg);
    return rc;
}

/* OUT/index.html, under a temporary name renamed when complete. */
static int write_index_html(const struct settings *st, struct index_builder *b, char *err, size_t errlen)
{
    char *path = NULL, *tmp = NULL;
    if (asprintf(&path, "%s/index.html", st->out_dir) < 0 || !(tmp = outputs_temp_name(path))) {
        free(path);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    FILE *f = fopen(tmp, "w");
    int rc = f ? html_write_index(f, b, &st->pdf, err, errlen) : -1;
    if (!f)
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
    if (f && fclose(f) != 0 && rc == 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    free(path);
    return rc;
}

/* OUT/index.json (OUT/index.shard-K-of-N.json for a shard) and, with PDF output, the batch's
 * one-page summary OUT/index.pdf. 0, or -1 after saying why. */
static int write_index(const struct settings *st, const struct input_list *inputs)
{
    char err[512], *path, *json_rel = NULL, *pdf_rel = NULL;
    struct index_builder *b = index_new();
    int rc = b ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < inputs->n; i++) {
        const struct input *in = &inputs->items[i];
        bool done = in->status == INPUT_CONVERTED || in->status == INPUT_UP_TO_DATE;
        if ((done && (st->formats & FORMAT_JSON) && asprintf(&json_rel, "%s.json", in->stem) < 0) ||
            (done && (st->formats & FORMAT_PDF) && asprintf(&pdf_rel, "%s.pdf", in->stem) < 0)) {
            rc = -1;
            break;
        }
        rc = index_add(b, in->path, status_name(in->status), in->reason, st->out_dir,
                       json_rel, pdf_rel, err, sizeof err);
        free(json_rel);
        free(pdf_rel);
        json_rel = pdf_rel = NULL;
        if (rc == 0 && done && (st->formats & (FORMAT_HTML | FORMAT_CSV | FORMAT_SVG)))
            rc = add_other_outputs(st, b, in, err, sizeof err);
    }
    if (rc == 0) {
        int n = st->shard_n ? asprintf(&path, "%s/index.shard-%u-of-%u.json", st->out_dir, st->shard_k, st->shard_n)
                            : asprintf(&path, "%s/index.json", st->out_dir);
        if (n < 0) {
            rc = -1;
        } else {
            rc = index_write(b, path, PCAP2REPORT_VERSION, err, sizeof err);
            free(path);
        }
    }
    /* With PDF output, the index also gets a one-page PDF summary (not per shard: the merged
     * index is where a batch ends). */
    if (rc == 0 && (st->formats & FORMAT_PDF) && !st->shard_n) {
        struct pdf_batch summary;
        char *pdf_path = NULL, *tmp = NULL;
        rc = index_batch_summary(b, &summary) == 0 && asprintf(&pdf_path, "%s/index.pdf", st->out_dir) >= 0 &&
                     (tmp = outputs_temp_name(pdf_path)) != NULL
                 ? 0 : -1;
        if (rc != 0)
            snprintf(err, sizeof err, "out of memory");
        if (rc == 0 && (rc = pdf_write_batch_summary(tmp, &summary, &st->pdf, err, sizeof err)) == 0 &&
            rename(tmp, pdf_path) != 0) {
            snprintf(err, sizeof err, "%s: %s", pdf_path, strerror(errno));
            rc = -1;
        }
        if (rc != 0 && tmp)
            unlink(tmp);
        free(tmp);
        free(pdf_path);
    }
    /* With HTML output, index.html beside index.json (not per shard either). */
    if (rc == 0 && (st->formats & FORMAT_HTML) && !st->shard_n)
        rc = write_index_html(st, b, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "pcap2report: batch index: %s\n", b ? err : "out of memory");
    index_free(b);
    return rc;
}

int batch_finish(struct batch *b)
{
    const struct settings *st = b->st;
    unsigned long long counts[5] = {0};
    for (size_t i = 0; i < b->inputs.n; i++)
        counts[b->inputs.items[i].status]++;
    int rc = counts[INPUT_FAILED] ? EXIT_SOME_FAILED : EXIT_OK;
    if (interrupt_requested()) {
        fputs("pcap2report: interrupted; finished reports were kept, none is partial\n", stderr);
        return EXIT_INTERRUPTED;
    }
    if (st->to_stdout)
        return rc;
    if (write_index(st, &b->inputs) != 0)
        rc = EXIT_SOME_FAILED;
    if (!st->quiet && b->inputs.n > 1)
        fprintf(stderr, "pcap2report: %llu converted, %llu up to date, %llu failed, %llu skipped in %.1f s\n",
                counts[INPUT_CONVERTED], counts[INPUT_UP_TO_DATE], counts[INPUT_FAILED], counts[INPUT_SKIPPED],
                progress_seconds(&b->progress));
    return rc;
}
