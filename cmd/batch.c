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
#include "term.h"
#include "uptodate.h"

void batch_init(struct batch *b, const struct settings *st)
{
    *b = (struct batch){.st = st, .out = {.fd = -1}};
    pthread_mutex_init(&b->lock, NULL);
    progress_init(&b->progress, st->progress);
}

void batch_free(struct batch *b)
{
    progress_free(&b->progress);
    pthread_mutex_destroy(&b->lock);
    inputs_free(&b->inputs);
    outdir_close(&b->out);
}

/* ---- collecting ---------------------------------------------------------------------------- */

/* Says which inputs failed already (an empty capture, an unreadable folder: errors, said
 * even with -q), and unless -q which are not taken and why, and which were renamed. */
static void tell_collected(struct batch *b)
{
    for (size_t i = 0; i < b->inputs.n; i++) {
        const struct input *in = &b->inputs.items[i];
        if (in->status == INPUT_FAILED)
            progress_say(&b->progress, "pcap2report: %s: %s\n", in->path, in->reason ? in->reason : "failed");
        else if (b->st->quiet)
            continue;
        else if (in->status == INPUT_SKIPPED)
            progress_say(&b->progress, "pcap2report: skipped %s: %s\n", in->path, in->reason);
        else if (in->renamed_from)
            progress_say(&b->progress, "pcap2report: note: %s is written as %s.*: %s.* is %s\n", in->path, in->stem,
                         in->renamed_from, inputs_reserved_stem(in->renamed_from) ? "the name of the batch index"
                                                                                  : "another input's name");
    }
}

int batch_collect(struct batch *b)
{
    const struct settings *st = b->st;
    char err[512];
    struct inputs_options io = {.follow = st->follow};
    if (!st->to_stdout) {
        /* OUT first, so that a walk of an input folder holding it leaves it out. */
        if (outdir_open(&b->out, st->out_dir, true, err, sizeof err) != 0) {
            term_printf(stderr, "pcap2report: %s\n", err);
            return EXIT_SOME_FAILED;
        }
        io.exclude = true;
        io.exclude_dev = b->out.dev;
        io.exclude_ino = b->out.ino;
    }
    if (inputs_collect(&b->inputs, st->captures, st->n_captures, &io, err, sizeof err) != 0) {
        term_printf(stderr, "pcap2report: %s\n", err);
        return EXIT_SOME_FAILED;
    }
    if (st->shard_n)
        inputs_shard(&b->inputs, st->shard_k, st->shard_n);
    if (st->to_stdout && b->inputs.n != 1) {
        fputs("pcap2report: -o - writes one capture to standard output; give exactly one\n", stderr);
        return EXIT_USAGE;
    }
    progress_start(&b->progress, b->inputs.n);
    tell_collected(b);
    size_t candidates = 0;
    for (size_t i = 0; i < b->inputs.n; i++)
        candidates += b->inputs.items[i].status != INPUT_SKIPPED;
    if (candidates == 0 && !st->shard_n) {
        /* Folders without a single capture: most likely the wrong folder. */
        fputs("pcap2report: no capture found in the given folders\n", stderr);
        return EXIT_SOME_FAILED;
    }
    return EXIT_OK;
}

/* ---- one capture ---------------------------------------------------------------------------- */

/* capture_analyze's progress callback: draws (a signal ends the program: interrupt.h). */
static int on_progress(void *arg, uint64_t packets, uint64_t bytes)
{
    struct batch *b = arg;
    progress_reading(&b->progress, bytes, packets);
    return interrupt_requested();
}

/* The paths below OUT of the input's outputs (NULL when not requested); the SVG diagrams' is
 * a folder. 0, or -1 with err. */
static int output_paths(const struct settings *st, const struct input *in, struct output_paths *o, char *err,
                        size_t errlen)
{
    if (((st->formats & FORMAT_JSON) && asprintf(&o->json, "%s.json", in->stem) < 0) ||
        ((st->formats & FORMAT_PDF) && asprintf(&o->pdf, "%s.pdf", in->stem) < 0) ||
        ((st->formats & FORMAT_HTML) && asprintf(&o->html, "%s.html", in->stem) < 0) ||
        ((st->formats & FORMAT_CSV) && asprintf(&o->csv, "%s.csv", in->stem) < 0) ||
        ((st->formats & FORMAT_SVG) && asprintf(&o->svg_dir, "%s", in->stem) < 0)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

static void free_output_paths(struct output_paths *o)
{
    free(o->json);
    free(o->pdf);
    free(o->html);
    free(o->csv);
    free(o->svg_dir);
}

/* "capture: 12 packets, 1 session in 0.001 s -> OUT/a.json, OUT/a.pdf, OUT/a/ (SVG)" */
static void tell_converted(struct batch *b, const struct input *in, const struct capture_report *r,
                           const struct output_paths *o, double seconds)
{
    char list[4096] = "";
    const char *names[] = {o->json, o->pdf, o->html, o->csv, o->svg_dir};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t n = strlen(list);
        if (names[k])
            snprintf(list + n, sizeof list - n, "%s%s/%s%s", n ? ", " : " -> ", b->out.path, names[k],
                     k == 4 ? "/ (SVG)" : "");
    }
    progress_say(&b->progress, "pcap2report: %s: %llu packets, %zu session%s in %.3f s%s\n", in->path,
                 (unsigned long long)r->counts.total, r->n_sessions, r->n_sessions == 1 ? "" : "s", seconds, list);
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

/* Appends "; " and reason to err (or reason alone to an empty err), cut short to fit. */
static void add_reason(char *err, size_t errlen, const char *reason)
{
    size_t n = strlen(err);
    if (n && n + 3 < errlen) {
        memcpy(err + n, "; ", 2);
        n += 2;
    }
    size_t m = strlen(reason) < errlen - n - 1 ? strlen(reason) : errlen - n - 1;
    memcpy(err + n, reason, m);
    err[n + m] = '\0';
}

/* Writes the capture's outputs below OUT. Each is made or fails on its own (outputs.h): false
 * when at least one was written, after saying why the others failed (recorded as the input's
 * reason, and their paths freed, so that the index does not list them); true when none was,
 * with every output's reason in err, in the order of the outputs. */
static bool some_output_failed(struct batch *b, struct input *in, const struct capture_report *r,
                               struct output_paths *paths, char *err, size_t errlen)
{
    struct output_result res[OUTPUTS];
    if (outputs_write(b->st, r, &b->out, paths, res) == 0)
        return false;
    char **path[OUTPUTS] = {&paths->json, &paths->pdf, &paths->html, &paths->csv, &paths->svg_dir};
    bool any_ok = false;
    err[0] = '\0';
    for (int k = 0; k < OUTPUTS; k++) {
        any_ok |= *path[k] && !res[k].failed;
        if (res[k].failed)
            add_reason(err, errlen, res[k].err);
    }
    if (!any_ok)
        return true;
    for (int k = 0; k < OUTPUTS; k++)
        if (res[k].failed) {
            in->outputs_failed |= 1u << k;
            free(*path[k]);
            *path[k] = NULL;
        }
    name_the_capture(err, errlen, in->path);
    free(in->reason);
    in->reason = strdup(err);
    progress_say(&b->progress, "pcap2report: %s\n", err);
    return false;
}

/* Analyses the capture and writes its outputs; says what became of it. */
static void convert_one(struct batch *b, struct input *in)
{
    const struct settings *st = b->st;
    char err[512] = "";
    struct output_paths out = {NULL, NULL, NULL, NULL, NULL}; /* below OUT */
    struct capture_report *r = NULL;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    if (!st->to_stdout) {
        if (output_paths(st, in, &out, err, sizeof err) != 0)
            goto fail;
        if (!st->force && uptodate_check(in->path, &b->out, &out, st)) {
            in->status = INPUT_UP_TO_DATE;
            goto done;
        }
    }
    struct capture_options opt = {
        .max_sessions = st->max_sessions, .idle_timeout_ns = st->idle_timeout_s * 1000000000LL,
        .filter = st->filter, .progress = on_progress, .progress_arg = b, .cores = st->cores,
        .spill_dir = temporary_dir(), .spill_eagerly = spill_eagerly_requested(),
    };
    if (capture_analyze(in->path, &opt, &r, err, sizeof err) != 0) {
        /* Most reasons name the capture; one that does not (the filter does not apply to its
         * link type) gets its name, so that the line says which input failed. */
        if (strncmp(err, in->path, strlen(in->path)) != 0)
            name_the_capture(err, sizeof err, in->path);
        goto fail;
    }
    if (session_table_spill_problem(r->table) && !st->quiet)
        progress_say(&b->progress, "pcap2report: note: %s: sessions stayed in memory (%s)\n", in->path,
                     session_table_spill_problem(r->table));
    for (size_t i = 0; !st->quiet && i < r->n_warnings; i++)
        progress_say(&b->progress, "pcap2report: warning: %s: %s\n", in->path, r->warnings[i].message);
    if (r->warnings_suppressed && !st->quiet)
        progress_say(&b->progress, "pcap2report: warning: %s: %llu more warnings (see the report)\n", in->path,
                     (unsigned long long)r->warnings_suppressed);
    if (st->to_stdout ? outputs_write_stdout(st, r, err, sizeof err) != 0
                      : some_output_failed(b, in, r, &out, err, sizeof err)) {
        name_the_capture(err, sizeof err, in->path);
        goto fail;
    }
    in->status = INPUT_CONVERTED;
    in->packets = r->counts.total;
    in->sessions = r->n_sessions;
    if (!st->quiet)
        tell_converted(b, in, r, &out, seconds_since(&t0));
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

/* The index's entry of one input; its report's first lines are read back for a done one. */
static int add_input(struct index_builder *ib, const struct settings *st, const struct outdir *out,
                     const struct input *in, char *err, size_t errlen)
{
    bool done = in->status == INPUT_CONVERTED || in->status == INPUT_UP_TO_DATE;
    struct output_paths o = {NULL, NULL, NULL, NULL, NULL};
    char *renamed = NULL, *head = NULL, *svg = NULL;
    struct index_input x = {.input = in->path, .status = status_name(in->status), .reason = in->reason};
    int rc = -1;
    if ((done && output_paths(st, in, &o, err, errlen) != 0) ||
        (o.svg_dir && !(in->outputs_failed & (1u << OUTPUT_SVG)) && asprintf(&svg, "%s/", o.svg_dir) < 0) ||
        (in->renamed_from && asprintf(&renamed, "%s.json", in->renamed_from) < 0)) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    /* An output that failed while another was written is not listed (the reason says why). */
    const char *rel[OUTPUTS];
    for (int k = 0; k < OUTPUTS; k++)
        rel[k] = in->outputs_failed & (1u << k) ? NULL : outputs_path(&o, k);
    if (rel[OUTPUT_JSON] && !(head = outputs_read_head(out, rel[OUTPUT_JSON], &x.head_len, err, errlen)))
        goto out;
    x.json_rel = rel[OUTPUT_JSON];
    x.pdf_rel = rel[OUTPUT_PDF];
    x.html_rel = rel[OUTPUT_HTML];
    x.csv_rel = rel[OUTPUT_CSV];
    x.svg_rel = svg;
    x.renamed_from = renamed;
    x.head = head;
    rc = index_add(ib, &x, err, errlen);
out:
    free_output_paths(&o);
    free(svg);
    free(renamed);
    free(head);
    return rc;
}

/* The batch's one-page PDF summary, OUT/index.pdf. 0, or -1 with err. */
static int write_summary(struct index_builder *ib, const struct settings *st, const struct outdir *out,
                         char *err, size_t errlen)
{
    struct pdf_batch summary;
    struct outfile o;
    if (index_batch_summary(ib, &summary) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (outfile_begin(&o, out, "index.pdf", err, errlen) != 0)
        return -1;
    if (pdf_write_batch_summary(o.stream, &summary, &st->pdf, err, errlen) != 0) {
        outfile_failure(&o, err, err, errlen);
        outfile_end(&o);
        return -1;
    }
    return outfile_commit(&o, err, errlen);
}

/* The batch's index.html beside index.json, OUT/index.html. 0, or -1 with err. */
static int write_index_html(struct index_builder *ib, const struct settings *st, const struct outdir *out,
                            char *err, size_t errlen)
{
    struct outfile o;
    if (outfile_begin(&o, out, "index.html", err, errlen) != 0)
        return -1;
    if (html_write_index(o.stream, ib, &st->pdf, err, errlen) != 0) {
        outfile_failure(&o, err, err, errlen);
        outfile_end(&o);
        return -1;
    }
    return outfile_commit(&o, err, errlen);
}

/* OUT/index.json (OUT/index.shard-K-of-N.json for a shard) and, with PDF output, the batch's
 * one-page summary OUT/index.pdf. 0, or -1 after saying why. */
static int write_index(const struct settings *st, const struct outdir *out, const struct input_list *inputs)
{
    char err[1024], name[64];
    struct index_builder *ib = index_new();
    int rc = ib ? 0 : -1;
    if (!ib)
        snprintf(err, sizeof err, "out of memory");
    for (size_t i = 0; rc == 0 && i < inputs->n; i++)
        rc = add_input(ib, st, out, &inputs->items[i], err, sizeof err);
    if (st->shard_n)
        snprintf(name, sizeof name, "index.shard-%u-of-%u.json", st->shard_k, st->shard_n);
    else
        snprintf(name, sizeof name, "index.json");
    struct outfile o;
    if (rc == 0 && (rc = outfile_begin(&o, out, name, err, sizeof err)) == 0) {
        if (index_write(ib, o.stream, PCAP2REPORT_VERSION, err, sizeof err) != 0) {
            outfile_failure(&o, err, err, sizeof err);
            outfile_end(&o);
            rc = -1;
        } else {
            rc = outfile_commit(&o, err, sizeof err);
        }
    }
    /* With PDF output, the index also gets a one-page PDF summary (not per shard: the merged
     * index is where a batch ends). */
    if (rc == 0 && (st->formats & FORMAT_PDF) && !st->shard_n)
        rc = write_summary(ib, st, out, err, sizeof err);
    /* With HTML output, index.html beside index.json (not per shard either). */
    if (rc == 0 && (st->formats & FORMAT_HTML) && !st->shard_n)
        rc = write_index_html(ib, st, out, err, sizeof err);
    if (rc != 0)
        term_printf(stderr, "pcap2report: batch index: %s\n", err);
    index_free(ib);
    return rc;
}

int batch_finish(struct batch *b)
{
    const struct settings *st = b->st;
    unsigned long long counts[5] = {0}, partial = 0;
    for (size_t i = 0; i < b->inputs.n; i++) {
        counts[b->inputs.items[i].status]++;
        partial += b->inputs.items[i].outputs_failed != 0;
    }
    int rc = counts[INPUT_FAILED] || partial ? EXIT_SOME_FAILED : EXIT_OK;
    if (st->to_stdout)
        return rc;
    if (write_index(st, &b->out, &b->inputs) != 0)
        rc = EXIT_SOME_FAILED;
    if (!st->quiet && b->inputs.n > 1)
        fprintf(stderr, "pcap2report: %llu converted, %llu up to date, %llu failed, %llu skipped in %.1f s\n",
                counts[INPUT_CONVERTED], counts[INPUT_UP_TO_DATE], counts[INPUT_FAILED], counts[INPUT_SKIPPED],
                progress_seconds(&b->progress));
    return rc;
}
