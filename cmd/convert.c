/* convert.c — the default command: converts captures into reports.
 *
 * Parses options, converts each capture, prints progress and errors, and decides the exit
 * code: 0 when every input converted, 1 when some input failed (the others still
 * converted), 2 for a usage error. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "commands.h"
#include "json_writer.h"

struct settings {
    const char *out_dir;
    const char *filter;
    unsigned long long max_sessions;
    long long idle_timeout_s;
    bool quiet;
    bool progress;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void usage(FILE *f)
{
    fputs("Usage: pcap2report [OPTIONS] CAPTURE...\n"
          "Rebuilds every TCP session in pcap/pcapng captures, classifies each handshake and\n"
          "teardown, and writes one JSON report per capture (OUT/<capture name>.json).\n"
          "\n"
          "Options:\n"
          "  -o, --output DIR        write reports into DIR (default: ./report);\n"
          "                          '-' writes the JSON of a single capture to standard output\n"
          "  -f, --filter EXPR       analyse only packets matching a tcpdump (BPF) filter,\n"
          "                          e.g. 'host example.com and port 80'\n"
          "      --max-sessions N    track at most N sessions per capture (default: no limit);\n"
          "                          segments of further sessions are counted and dropped\n"
          "      --idle-timeout SEC  a SYN after SEC seconds of silence starts a new session\n"
          "                          on the same 4-tuple (default: 300)\n"
          "  -q, --quiet             print only errors\n"
          "  -h, --help              show this help and exit\n"
          "  -V, --version           show the version and exit\n"
          "\n"
          "CAPTURE is a pcap or pcapng file, or '-' for standard input.\n"
          "Exit status: 0 all inputs converted, 1 some input failed, 2 usage error.\n",
          f);
}

static bool parse_count(const char *s, unsigned long long *v)
{
    char *end;
    errno = 0;
    *v = strtoull(s, &end, 10);
    return errno == 0 && *s && *end == '\0' && s[0] != '-';
}

/* ---- output names ------------------------------------------------------------------------ */

/* OUT/<base name without its last extension>.json; "stdin" for '-'. */
static char *output_path(const char *dir, const char *input)
{
    const char *base = strcmp(input, "-") == 0 ? "stdin" : input;
    const char *slash = strrchr(base, '/');
    if (slash)
        base = slash + 1;
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        n = (size_t)(dot - base);
    if (n == 0) {
        base = "capture";
        n = strlen(base);
    }
    size_t len = strlen(dir) + 1 + n + sizeof ".json";
    char *path = malloc(len);
    if (path)
        snprintf(path, len, "%s/%.*s.json", dir, (int)n, base);
    return path;
}

static int make_dirs(const char *dir)
{
    char *tmp = strdup(dir);
    if (!tmp)
        return -1;
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST) {
                free(tmp);
                return -1;
            }
            *p = '/';
        }
    }
    int rc = mkdir(tmp, 0777) != 0 && errno != EEXIST ? -1 : 0;
    free(tmp);
    return rc;
}

/* ---- progress ------------------------------------------------------------------------------ */

struct progress_state {
    const char *name;
    struct timespec start;
    bool show;
};

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static int on_progress(void *arg, uint64_t packets, uint64_t bytes)
{
    struct progress_state *ps = arg;
    if (ps->show) {
        double s = seconds_since(&ps->start);
        fprintf(stderr, "\r%s: %llu packets, %.0f packets/s, %.1f MB read ", ps->name,
                (unsigned long long)packets, s > 0 ? (double)packets / s : 0.0, (double)bytes / 1e6);
    }
    return interrupted;
}

/* ---- one capture ---------------------------------------------------------------------------- */

static int write_json_file(const char *path, const struct capture_report *r,
                           const struct json_provenance *prov, char *err, size_t errlen)
{
    size_t len = strlen(path) + 32;
    char *tmp = malloc(len);
    if (!tmp) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    int rc = json_write_report(f, r, prov, err, errlen);
    if (fclose(f) != 0 && rc == 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && interrupted) {
        snprintf(err, errlen, "interrupted");
        rc = -1;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

static bool convert_one(const char *input, const struct settings *st)
{
    char err[512] = "";
    struct progress_state ps = {input, {0, 0}, st->progress};
    struct capture_options opt = {
        .max_sessions = st->max_sessions,
        .idle_timeout_ns = st->idle_timeout_s * 1000000000LL,
        .filter = st->filter,
        .progress = on_progress,
        .progress_arg = &ps,
    };
    struct json_provenance prov = {PCAP2REPORT_VERSION, st->filter, st->max_sessions, st->idle_timeout_s};
    struct capture_report *r = NULL;

    clock_gettime(CLOCK_MONOTONIC, &ps.start);
    int rc = capture_analyze(input, &opt, &r, err, sizeof err);
    if (ps.show)
        fputs("\r\033[K", stderr);
    if (rc != 0) {
        fprintf(stderr, "pcap2report: %s\n", err);
        return false;
    }
    for (size_t i = 0; !st->quiet && i < r->n_warnings; i++)
        fprintf(stderr, "pcap2report: warning: %s: %s\n", input, r->warnings[i].message);

    bool ok = true;
    char *path = NULL;
    if (strcmp(st->out_dir, "-") == 0) {
        rc = json_write_report(stdout, r, &prov, err, sizeof err);
        if (rc == 0 && fflush(stdout) != 0)
            rc = -1, snprintf(err, sizeof err, "standard output: %s", strerror(errno));
    } else {
        path = output_path(st->out_dir, input);
        rc = path ? write_json_file(path, r, &prov, err, sizeof err) : -1;
    }
    if (rc != 0) {
        fprintf(stderr, "pcap2report: %s: %s\n", input, err);
        ok = false;
    } else if (!st->quiet) {
        fprintf(stderr, "pcap2report: %s: %llu packets, %zu sessions in %.3f s%s%s\n", input,
                (unsigned long long)r->counts.total, r->n_sessions, seconds_since(&ps.start),
                path ? " -> " : "", path ? path : "");
    }
    free(path);
    capture_report_free(r);
    return ok;
}

int cmd_convert(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"filter", required_argument, NULL, 'f'},
        {"max-sessions", required_argument, NULL, 'M'},
        {"idle-timeout", required_argument, NULL, 'I'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct settings st = {.out_dir = "report", .idle_timeout_s = 300};
    unsigned long long v;
    int c;

    while ((c = getopt_long(argc, argv, "o:f:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': st.out_dir = optarg; break;
        case 'f': st.filter = optarg; break;
        case 'q': st.quiet = true; break;
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
    if (strcmp(st.out_dir, "-") == 0 && argc - optind != 1) {
        fputs("pcap2report: -o - writes one capture to standard output; give exactly one\n", stderr);
        return EXIT_USAGE;
    }
    if (strcmp(st.out_dir, "-") != 0 && make_dirs(st.out_dir) != 0) {
        fprintf(stderr, "pcap2report: cannot create %s: %s\n", st.out_dir, strerror(errno));
        return EXIT_SOME_FAILED;
    }
    st.progress = !st.quiet && isatty(STDERR_FILENO);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    int failed = 0;
    for (int i = optind; i < argc && !interrupted; i++)
        failed += !convert_one(argv[i], &st);
    if (interrupted) {
        fputs("pcap2report: interrupted; finished reports were kept, none is partial\n", stderr);
        return EXIT_INTERRUPTED;
    }
    return failed ? EXIT_SOME_FAILED : EXIT_OK;
}
