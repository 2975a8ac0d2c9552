/* convert.c — the default command: converts captures (files and folders) into reports.
 *
 * Collects the inputs, keeps this machine's shard, converts them on N threads (each capture
 * is analysed and written by one thread; outputs go to temporary names and are renamed when
 * complete), shows progress on a terminal, writes the batch index, and decides the exit
 * code: 0 when every input converted, 1 when some input failed (the others still
 * converted), 2 for a usage error, 130 when interrupted. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "commands.h"
#include "index_writer.h"
#include "inputs.h"
#include "json_writer.h"
#include "paths.h"
#include "pdf_writer.h"

enum { FORMAT_JSON = 1, FORMAT_PDF = 2 };

struct settings {
    const char *out_dir;
    const char *filter;
    unsigned long long max_sessions;
    long long idle_timeout_s;
    unsigned formats;
    struct pdf_options pdf;
    char templates[PATH_MAX];
    unsigned jobs;
    struct core_budget *cores; /* -j N: N cores at most, helper threads included */
    unsigned shard_k, shard_n;
    bool quiet, force, progress;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void usage(FILE *f)
{
    fputs("Usage: pcap2report [OPTIONS] CAPTURE|FOLDER...\n"
          "       pcap2report index OUT...\n"
          "Rebuilds every TCP session in pcap/pcapng captures, classifies each handshake and\n"
          "teardown, and writes one report per capture: OUT/<capture name>.json.\n"
          "Folders are searched recursively for captures (recognised by content, not name);\n"
          "their reports keep the capture's path relative to the folder.\n"
          "\n"
          "Options:\n"
          "  -o, --output DIR        write reports into DIR (default: ./report); '-' writes the\n"
          "                          JSON of a single capture to standard output\n"
          "      --format LIST       outputs to write, comma-separated: json, pdf\n"
          "                          (default: json,pdf)\n"
          "  -f, --filter EXPR       analyse only packets matching a tcpdump (BPF) filter,\n"
          "                          e.g. 'host example.com and port 80'\n"
          "  -j, --jobs N            convert N captures at once, on N cores at most (default:\n"
          "                          the number of cores; -j 1 runs on one thread)\n"
          "      --force             convert even when the reports are up to date\n"
          "      --shard K/N         convert only share K of N of the inputs (for N machines);\n"
          "                          then 'pcap2report index OUT' merges the shards' indexes\n"
          "      --max-sessions N    track at most N sessions per capture (default: no limit);\n"
          "                          segments of further sessions are counted and dropped\n"
          "      --idle-timeout SEC  a SYN after SEC seconds of silence starts a new session\n"
          "                          on the same 4-tuple (default: 300)\n"
          "PDF report options:\n"
          "      --max-diagrams N    draw sequence diagrams for at most N sessions per capture,\n"
          "                          every class and anomaly first (default: 50)\n"
          "      --sessions LIST     draw diagrams for these sessions only, e.g. 3,7-9\n"
          "      --absolute-seq      label arrows with absolute sequence numbers\n"
          "      --lang LANG         language of the wording (templates/LANG.txt; default: en)\n"
          "      --pdfa              write PDF/A-1b for archiving: every font embedded, an sRGB\n"
          "                          output intent, XMP metadata (docs/pdfa.md)\n"
          "  -q, --quiet             print only errors (no progress, no per-file lines)\n"
          "  -h, --help              show this help and exit\n"
          "  -V, --version           show the version and exit\n"
          "\n"
          "CAPTURE is a pcap or pcapng file, or '-' for standard input. OUT/index.json lists\n"
          "every input with its status, summary counts and outputs.\n"
          "The date in a PDF is SOURCE_DATE_EPOCH (seconds since 1970) when it is set, else the\n"
          "time of the capture's first packet; never the clock.\n"
          "Exit status: 0 all inputs converted, 1 some input failed, 2 usage error,\n"
          "130 interrupted (finished reports are kept, none is partial).\n",
          f);
}

static bool parse_count(const char *s, unsigned long long *v)
{
    char *end;
    errno = 0;
    *v = strtoull(s, &end, 10);
    return errno == 0 && *s && *end == '\0' && s[0] != '-';
}

static bool parse_formats(const char *s, unsigned *formats)
{
    char *copy = strdup(s), *save = NULL;
    bool ok = copy != NULL;
    *formats = 0;
    for (char *tok = copy ? strtok_r(copy, ",", &save) : NULL; ok && tok; tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "json") == 0)
            *formats |= FORMAT_JSON;
        else if (strcmp(tok, "pdf") == 0)
            *formats |= FORMAT_PDF;
        else
            ok = false;
    }
    free(copy);
    return ok && *formats;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- the batch: shared state of the worker threads ----------------------------------------- */

struct batch {
    const struct settings *st;
    struct input_list *inputs;
    size_t next;                  /* next input to take */
    pthread_mutex_t lock;         /* guards next, the counters and stderr */
    struct timespec start;
    unsigned long long files_done, bytes_total, bytes_done, packets_done;
    double last_draw;
};

struct job_progress {
    struct batch *b;
    unsigned long long bytes, packets; /* this capture's, so far */
};

/* Draws "files 3/300 · 1.2 M packets/s · 40 s left" on a terminal, at most 5 times a second. */
static void draw_progress(struct batch *b, unsigned long long extra_bytes, unsigned long long extra_packets)
{
    double t = seconds_since(&b->start);
    if (!b->st->progress || t - b->last_draw < 0.2)
        return;
    b->last_draw = t;
    double bytes = (double)(b->bytes_done + extra_bytes), packets = (double)(b->packets_done + extra_packets);
    double rate = t > 0 ? packets / t : 0;
    fprintf(stderr, "\r\033[Kfiles %llu/%zu, %.0f packets/s", b->files_done, b->inputs->n, rate);
    if (bytes > 0 && b->bytes_total > bytes)
        fprintf(stderr, ", %.0f s left", t * ((double)b->bytes_total - bytes) / bytes);
}

static int on_progress(void *arg, uint64_t packets, uint64_t bytes)
{
    struct job_progress *jp = arg;
    jp->packets = packets;
    jp->bytes = bytes;
    if (jp->b->st->progress && pthread_mutex_trylock(&jp->b->lock) == 0) {
        draw_progress(jp->b, bytes, packets);
        pthread_mutex_unlock(&jp->b->lock);
    }
    return interrupted;
}

/* Prints one line to stderr without mixing with other threads or the progress line. File
 * names come from strangers' disks: control characters in them (an escape sequence would
 * drive the terminal) are shown as '?'. */
static void say(struct batch *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct batch *b, const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t n = strlen(line);
    for (size_t i = 0; i + 1 < n; i++) /* the final newline stays */
        if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
            line[i] = '?';
    pthread_mutex_lock(&b->lock);
    if (b->st->progress)
        fputs("\r\033[K", stderr);
    fputs(line, stderr);
    b->last_draw = 0;
    pthread_mutex_unlock(&b->lock);
}

/* ---- one capture ---------------------------------------------------------------------------- */

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

/* Up to date: every requested output exists and is newer than the capture, and the JSON was
 * written by this version with the same analysis options (its first line, which records
 * them, is what we would write now). The PDF's own options (--lang, ...) are not recorded:
 * after changing them, --force. */
static bool is_up_to_date(const char *input, const char *json_path, const char *pdf_path,
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
    json_write_header(mem, &prov);
    fclose(mem);
    FILE *f = fopen(json_path, "r");
    bool same = false;
    if (f && getline(&line, &cap, f) > 0)
        same = strncmp(line, expected, exp_len) == 0;
    if (f)
        fclose(f);
    free(line);
    free(expected);
    return same;
}

/* A temporary name beside the final one, unique per process and thread. */
static char *temp_name(const char *path)
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
static int write_outputs(const struct settings *st, const struct capture_report *r,
                         const char *json_path, const char *pdf_path, char *err, size_t errlen)
{
    char *json_tmp = json_path ? temp_name(json_path) : NULL;
    char *pdf_tmp = pdf_path ? temp_name(pdf_path) : NULL;
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
    if (rc == 0 && interrupted) {
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

static int write_stdout(const struct settings *st, const struct capture_report *r, char *err, size_t errlen)
{
    struct json_provenance prov = provenance(st);
    int rc = json_write_report(stdout, r, &prov, st->cores, err, errlen);
    if (rc == 0 && fflush(stdout) != 0) {
        snprintf(err, errlen, "standard output: %s", strerror(errno));
        rc = -1;
    }
    return rc;
}

static void convert_one(struct batch *b, struct input *in)
{
    const struct settings *st = b->st;
    char err[512] = "";
    char *json_path = NULL, *pdf_path = NULL;
    struct capture_report *r = NULL;
    struct job_progress jp = {b, 0, 0};
    bool to_stdout = strcmp(st->out_dir, "-") == 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    if (!to_stdout) {
        if (((st->formats & FORMAT_JSON) && asprintf(&json_path, "%s/%s.json", st->out_dir, in->stem) < 0) ||
            ((st->formats & FORMAT_PDF) && asprintf(&pdf_path, "%s/%s.pdf", st->out_dir, in->stem) < 0)) {
            snprintf(err, sizeof err, "out of memory");
            goto fail;
        }
        char *dir = strdup(json_path ? json_path : pdf_path);
        if (!dir) {
            snprintf(err, sizeof err, "out of memory");
            goto fail;
        }
        *strrchr(dir, '/') = '\0';
        if (make_dirs(dir) != 0) {
            snprintf(err, sizeof err, "cannot create %s: %s", dir, strerror(errno));
            free(dir);
            goto fail;
        }
        free(dir);
        if (!st->force && is_up_to_date(in->path, json_path, pdf_path, st)) {
            in->status = INPUT_UP_TO_DATE;
            free(json_path);
            free(pdf_path);
            return;
        }
    }

    struct capture_options opt = {
        .max_sessions = st->max_sessions,
        .idle_timeout_ns = st->idle_timeout_s * 1000000000LL,
        .filter = st->filter,
        .progress = on_progress,
        .progress_arg = &jp,
        .cores = st->cores,
    };
    if (capture_analyze(in->path, &opt, &r, err, sizeof err) != 0)
        goto fail;
    for (size_t i = 0; !st->quiet && i < r->n_warnings; i++)
        say(b, "pcap2report: warning: %s: %s\n", in->path, r->warnings[i].message);
    if (r->warnings_suppressed && !st->quiet)
        say(b, "pcap2report: warning: %s: %llu more warnings (see the report)\n", in->path,
            (unsigned long long)r->warnings_suppressed);

    int rc = to_stdout ? write_stdout(st, r, err, sizeof err) : write_outputs(st, r, json_path, pdf_path, err, sizeof err);
    if (rc != 0) {
        /* Name the capture: the writers' messages name only the output. */
        size_t n = strlen(in->path) + 2 < sizeof err ? strlen(in->path) + 2 : 0;
        memmove(err + n, err, sizeof err - n - 1);
        err[sizeof err - 1] = '\0';
        if (n) {
            memcpy(err, in->path, n - 2);
            memcpy(err + n - 2, ": ", 2);
        }
        goto fail;
    }
    in->status = INPUT_CONVERTED;
    in->packets = r->counts.total;
    in->sessions = r->n_sessions;
    if (!st->quiet)
        say(b, "pcap2report: %s: %llu packets, %zu session%s in %.3f s%s%s%s%s\n", in->path,
            (unsigned long long)r->counts.total, r->n_sessions, r->n_sessions == 1 ? "" : "s",
            seconds_since(&t0), json_path || pdf_path ? " -> " : "", json_path ? json_path : "",
            json_path && pdf_path ? ", " : "", pdf_path ? pdf_path : "");
    pthread_mutex_lock(&b->lock);
    b->packets_done += r->counts.total;
    b->bytes_done += r->size_bytes;
    pthread_mutex_unlock(&b->lock);
    capture_report_free(r);
    free(json_path);
    free(pdf_path);
    return;
fail:
    in->status = INPUT_FAILED;
    in->reason = strdup(err);
    say(b, "pcap2report: %s\n", err);
    capture_report_free(r);
    free(json_path);
    free(pdf_path);
}

static void *worker(void *arg)
{
    struct batch *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t i = b->next;
        while (i < b->inputs->n && b->inputs->items[i].status != INPUT_PENDING)
            i++;
        b->next = i + 1;
        pthread_mutex_unlock(&b->lock);
        if (i >= b->inputs->n || interrupted)
            return NULL;
        convert_one(b, &b->inputs->items[i]);
        pthread_mutex_lock(&b->lock);
        b->files_done++;
        draw_progress(b, 0, 0);
        pthread_mutex_unlock(&b->lock);
    }
}

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
                     (tmp = temp_name(pdf_path)) != NULL
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
    if (rc != 0)
        fprintf(stderr, "pcap2report: batch index: %s\n", b ? err : "out of memory");
    index_free(b);
    return rc;
}

int cmd_convert(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"filter", required_argument, NULL, 'f'},
        {"format", required_argument, NULL, 'F'},
        {"jobs", required_argument, NULL, 'j'},
        {"force", no_argument, NULL, 'R'},
        {"shard", required_argument, NULL, 'S'},
        {"max-sessions", required_argument, NULL, 'M'},
        {"idle-timeout", required_argument, NULL, 'I'},
        {"max-diagrams", required_argument, NULL, 'D'},
        {"sessions", required_argument, NULL, 'L'},
        {"absolute-seq", no_argument, NULL, 'A'},
        {"lang", required_argument, NULL, 'G'},
        {"pdfa", no_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct settings st = {.out_dir = "report", .idle_timeout_s = 300, .formats = FORMAT_JSON | FORMAT_PDF,
                          .jobs = available_cores()};
    st.pdf.lang = "en";
    st.pdf.tool_version = PCAP2REPORT_VERSION;
    unsigned long long v;
    int c;

    while ((c = getopt_long(argc, argv, "o:f:j:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': st.out_dir = optarg; break;
        case 'f': st.filter = optarg; break;
        case 'q': st.quiet = true; break;
        case 'R': st.force = true; break;
        case 'F':
            if (!parse_formats(optarg, &st.formats)) {
                fprintf(stderr, "pcap2report: --format takes a list of: json, pdf; not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'j':
            if (!parse_count(optarg, &v) || v == 0 || v > 1024) {
                fprintf(stderr, "pcap2report: -j needs a number of jobs from 1 to 1024, not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            st.jobs = (unsigned)v;
            break;
        case 'S': {
            unsigned k, n;
            char extra;
            if (sscanf(optarg, "%u/%u%c", &k, &n, &extra) != 2 || n == 0 || k == 0 || k > n) {
                fprintf(stderr, "pcap2report: --shard takes K/N with 1 <= K <= N, not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            st.shard_k = k;
            st.shard_n = n;
            break;
        }
        case 'M':
            if (!parse_count(optarg, &st.max_sessions)) {
                fprintf(stderr, "pcap2report: --max-sessions needs a whole number, not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'I':
            if (!parse_count(optarg, &v) || v == 0 || v > 1000000000ULL) {
                fprintf(stderr, "pcap2report: --idle-timeout needs a positive number of seconds, not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            st.idle_timeout_s = (long long)v;
            break;
        case 'D':
            if (!parse_count(optarg, &v) || v == 0 || v > 1000000) {
                fprintf(stderr, "pcap2report: --max-diagrams needs a number from 1 to 1000000, not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            st.pdf.max_diagrams = (unsigned)v;
            break;
        case 'L': st.pdf.session_filter = optarg; break;
        case 'A': st.pdf.absolute_seq = true; break;
        case 'G': st.pdf.lang = optarg; break;
        case 'P': st.pdf.pdfa = true; break;
        case 'h': usage(stdout); return EXIT_OK;
        case 'V': printf("pcap2report %s\n", PCAP2REPORT_VERSION); return EXIT_OK;
        default:
            fputs("Try 'pcap2report --help' for more information.\n", stderr);
            return EXIT_USAGE;
        }
    }
    if (optind == argc) {
        fputs("pcap2report: no capture given\nTry 'pcap2report --help' for more information.\n", stderr);
        return EXIT_USAGE;
    }
    struct core_budget cores;
    unsigned available = available_cores();
    core_budget_init(&cores, st.jobs < available ? st.jobs : available);
    st.cores = &cores;
    /* The PDF records the options that shaped it, and its date: SOURCE_DATE_EPOCH when set
     * (reproducible-builds.org), else the capture's first packet. */
    st.pdf.filter = st.filter;
    st.pdf.max_sessions = st.max_sessions;
    st.pdf.idle_timeout_s = st.idle_timeout_s;
    int sde = source_date_epoch(&st.pdf.source_date);
    if (sde < 0) {
        fprintf(stderr, "pcap2report: SOURCE_DATE_EPOCH must be a number of seconds since 1970, not '%s'\n",
                getenv("SOURCE_DATE_EPOCH"));
        return EXIT_USAGE;
    }
    st.pdf.have_source_date = sde > 0;
    bool to_stdout = strcmp(st.out_dir, "-") == 0;
    if (to_stdout)
        st.formats = FORMAT_JSON; /* a PDF is never written to a terminal or a pipe */
    if (st.formats & FORMAT_PDF) {
        if (!find_templates_dir(st.pdf.lang, st.templates, sizeof st.templates)) {
            fprintf(stderr, "pcap2report: no wording for language '%s' (templates/%s.txt) was found; "
                    "set PCAP2REPORT_TEMPLATES to the templates folder\n", st.pdf.lang, st.pdf.lang);
            return EXIT_USAGE;
        }
        st.pdf.templates_dir = st.templates;
    }

    struct input_list inputs = {0};
    char err[256];
    if (inputs_collect(&inputs, argv + optind, (size_t)(argc - optind), err, sizeof err) != 0) {
        fprintf(stderr, "pcap2report: %s\n", err);
        return EXIT_SOME_FAILED;
    }
    if (st.shard_n)
        inputs_shard(&inputs, st.shard_k, st.shard_n);
    if (to_stdout && inputs.n != 1) {
        fputs("pcap2report: -o - writes one capture to standard output; give exactly one\n", stderr);
        inputs_free(&inputs);
        return EXIT_USAGE;
    }
    if (!to_stdout && make_dirs(st.out_dir) != 0) {
        fprintf(stderr, "pcap2report: cannot create %s: %s\n", st.out_dir, strerror(errno));
        inputs_free(&inputs);
        return EXIT_SOME_FAILED;
    }
    st.progress = !st.quiet && isatty(STDERR_FILENO);
    struct batch b = {.st = &st, .inputs = &inputs};
    pthread_mutex_init(&b.lock, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b.start);

    size_t candidates = 0;
    for (size_t i = 0; i < inputs.n; i++) {
        if (inputs.items[i].status != INPUT_SKIPPED)
            candidates++;
        else if (!st.quiet)
            say(&b, "pcap2report: skipped %s: %s\n", inputs.items[i].path, inputs.items[i].reason);
    }
    if (candidates == 0 && !st.shard_n) {
        /* Folders without a single capture: most likely the wrong folder. */
        fputs("pcap2report: no capture found in the given folders\n", stderr);
        pthread_mutex_destroy(&b.lock);
        inputs_free(&inputs);
        return EXIT_SOME_FAILED;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    for (size_t i = 0; i < inputs.n; i++) {
        struct stat s;
        if (inputs.items[i].status == INPUT_PENDING && stat(inputs.items[i].path, &s) == 0)
            b.bytes_total += (unsigned long long)s.st_size;
    }
    unsigned jobs = st.jobs < inputs.n ? st.jobs : (unsigned)(inputs.n ? inputs.n : 1);
    pthread_t *threads = calloc(jobs, sizeof *threads);
    unsigned started = 0;
    for (unsigned i = 1; threads && i < jobs; i++, started++)
        if (pthread_create(&threads[i - 1], NULL, worker, &b) != 0)
            break;
    worker(&b); /* the main thread works too */
    for (unsigned i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    if (st.progress)
        fputs("\r\033[K", stderr);

    unsigned long long counts[5] = {0};
    for (size_t i = 0; i < inputs.n; i++)
        counts[inputs.items[i].status]++;
    int rc = counts[INPUT_FAILED] ? EXIT_SOME_FAILED : EXIT_OK;
    if (interrupted) {
        fputs("pcap2report: interrupted; finished reports were kept, none is partial\n", stderr);
        rc = EXIT_INTERRUPTED;
    } else if (!to_stdout) {
        if (write_index(&st, &inputs) != 0)
            rc = EXIT_SOME_FAILED;
        if (!st.quiet && inputs.n > 1)
            fprintf(stderr, "pcap2report: %llu converted, %llu up to date, %llu failed, %llu skipped in %.1f s\n",
                    counts[INPUT_CONVERTED], counts[INPUT_UP_TO_DATE], counts[INPUT_FAILED],
                    counts[INPUT_SKIPPED], seconds_since(&b.start));
    }
    pthread_mutex_destroy(&b.lock);
    inputs_free(&inputs);
    return rc;
}
