/* settings.c — reads the options of a conversion run: the usage text, getopt_long over the
 * command line, the checks of each value, and what the environment adds (settings.h). */
#define _GNU_SOURCE
#include "settings.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capfilter.h"
#include "capture.h"
#include "commands.h"
#include "paths.h"
#include "pdf_select.h"

static void usage(FILE *f)
{
    fputs("Usage: pcap2report [convert] [OPTIONS] CAPTURE|FOLDER...\n"
          "       pcap2report grade --rubric RUBRIC [OPTIONS] CAPTURE|FOLDER...\n"
          "       pcap2report index OUT...\n"
          "       pcap2report verify REPORT.json|REPORT.pdf CAPTURE\n"
          "Rebuilds every TCP session in pcap/pcapng captures, classifies each handshake and\n"
          "teardown, and writes one report per capture: OUT/<capture name>.json and .pdf.\n"
          "Folders are searched recursively for captures (recognised by content, not name);\n"
          "their reports keep the capture's path relative to the folder.\n"
          "\n"
          "Commands (each has its own --help):\n"
          "  convert     the default: captures into reports, with the options below\n"
          "  grade       marks homework captures against a rubric: a grade sheet and a\n"
          "              feedback PDF per student\n"
          "  index       merges the shard indexes of --shard runs (or the reports in OUT)\n"
          "              into OUT/index.json, and OUT/index.pdf when the reports have PDFs\n"
          "  verify      analyses the capture again and says whether a stored report (its\n"
          "              JSON or its PDF) still matches, byte for byte\n"
          "\n"
          "Options:\n"
          "  -o, --output DIR        write reports into DIR (default: ./report); '-' writes one\n"
          "                          output of a single capture to standard output: the JSON,\n"
          "                          or the one --format names (pdf, csv, html, or svg of one\n"
          "                          session)\n"
          "      --format LIST       outputs to write, comma-separated: json, pdf, html (one\n"
          "                          page with every diagram), svg (OUT/<capture>/session-N.svg\n"
          "                          per diagram), csv (a row per session) (default: json,pdf)\n"
          "  -f, --filter EXPR       analyse only packets matching a tcpdump (BPF) filter,\n"
          "                          e.g. 'host example.com and port 80'\n"
          "  -j, --jobs N            convert N captures at once, on N cores at most (default:\n"
          "                          the number of cores; -j 1 runs on one thread)\n"
          "      --force             convert even when the reports are up to date (they record\n"
          "                          this capture's SHA-256 and size, this version, the same\n"
          "                          options and SOURCE_DATE_EPOCH)\n"
          "      --follow            follow symbolic links inside folders (by default they are\n"
          "                          skipped with a note); a folder met twice is walked once\n"
          "      --shard K/N         convert only share K of N of the inputs (for N machines);\n"
          "                          then 'pcap2report index OUT' merges the shards' indexes\n"
          "      --max-sessions N    track at most N sessions per capture (default: 1000000,\n"
          "                          1.6 GB at most; 0: no limit); segments of further\n"
          "                          sessions are counted and dropped, with a warning.\n"
          "                          Finished and unanswered sessions leave memory for a\n"
          "                          temporary file in $TMPDIR (or /tmp)\n"
          "      --idle-timeout SEC  Zeek's tcp_inactivity_timeout for the Zeek records of the\n"
          "                          JSON (zeek.records; default: 300, as Zeek)\n"
          "Diagram options (PDF, HTML, SVG):\n"
          "      --max-diagrams N    draw sequence diagrams for at most N sessions per capture,\n"
          "                          every class and anomaly first (default: 50)\n"
          "      --sessions LIST     draw diagrams for these sessions only, e.g. 3,7-9\n"
          "      --tcp-stream LIST   draw diagrams for the sessions of these Wireshark tcp.stream\n"
          "                          numbers only, e.g. 3 or 0,4-6\n"
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
          "Exit status: 0 all inputs converted, 1 some input failed (missing, not a capture,\n"
          "empty), 2 usage error (a bad option or value, a filter that does not compile),\n"
          "128+N stopped by signal N: 130 SIGINT, 143 SIGTERM, 129 SIGHUP, 141 SIGPIPE\n"
          "(finished reports are kept, none is partial).\n",
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
        else if (strcmp(tok, "svg") == 0)
            *formats |= FORMAT_SVG;
        else if (strcmp(tok, "html") == 0)
            *formats |= FORMAT_HTML;
        else if (strcmp(tok, "csv") == 0)
            *formats |= FORMAT_CSV;
        else
            ok = false;
    }
    free(copy);
    return ok && *formats;
}

/* An option that takes a number: its value, or false after saying what was wrong. */
static bool option_count(const char *what, const char *arg, unsigned long long lo, unsigned long long hi,
                         unsigned long long *v)
{
    if (parse_count(arg, v) && *v >= lo && *v <= hi)
        return true;
    fprintf(stderr, "pcap2report: %s, not '%s'\n", what, arg);
    return false;
}

/* One option of getopt_long's; SETTINGS_GO_ON, or the exit status. */
static int take_option(struct settings *st, int c, const char *arg)
{
    unsigned long long v;
    switch (c) {
    case 'o': st->out_dir = arg; break;
    case 'f': st->filter = arg; break;
    case 'q': st->quiet = true; break;
    case 'R': st->force = true; break;
    case 'Y': st->follow = true; break;
    case 'F':
        st->format_given = true;
        if (!parse_formats(arg, &st->formats)) {
            fprintf(stderr, "pcap2report: --format takes a list of: json, pdf, html, svg, csv; not '%s'\n", arg);
            return EXIT_USAGE;
        }
        break;
    case 'j':
        if (!option_count("-j needs a number of jobs from 1 to 1024", arg, 1, 1024, &v))
            return EXIT_USAGE;
        st->jobs = (unsigned)v;
        break;
    case 'S': {
        unsigned k, n;
        char extra;
        if (sscanf(arg, "%u/%u%c", &k, &n, &extra) != 2 || n == 0 || k == 0 || k > n) {
            fprintf(stderr, "pcap2report: --shard takes K/N with 1 <= K <= N, not '%s'\n", arg);
            return EXIT_USAGE;
        }
        st->shard_k = k;
        st->shard_n = n;
        break;
    }
    case 'M':
        if (!option_count("--max-sessions needs a whole number", arg, 0, ULLONG_MAX, &st->max_sessions))
            return EXIT_USAGE;
        break;
    case 'I':
        if (!option_count("--idle-timeout needs a positive number of seconds", arg, 1, 1000000000ULL, &v))
            return EXIT_USAGE;
        st->idle_timeout_s = (long long)v;
        break;
    case 'D':
        if (!option_count("--max-diagrams needs a number from 1 to 1000000", arg, 1, 1000000, &v))
            return EXIT_USAGE;
        st->pdf.max_diagrams = (unsigned)v;
        break;
    case 'L':
    case 'T': {
        char why[128];
        if (!pdf_select_check(arg, c == 'T', why, sizeof why)) {
            fprintf(stderr, "pcap2report: %s takes a list of %s numbers, not '%s': %s\n",
                    c == 'L' ? "--sessions" : "--tcp-stream", c == 'L' ? "session" : "tcp.stream", arg, why);
            return EXIT_USAGE;
        }
        if (c == 'L')
            st->pdf.session_filter = arg;
        else
            st->pdf.stream_filter = arg;
        break;
    }
    case 'A': st->pdf.absolute_seq = true; break;
    case 'G': st->pdf.lang = arg; break;
    case 'P': st->pdf.pdfa = true; break;
    case 'h': usage(stdout); return EXIT_OK;
    case 'V': printf("pcap2report %s\n", PCAP2REPORT_VERSION); return EXIT_OK;
    default:
        fputs("Try 'pcap2report --help' for more information.\n", stderr);
        return EXIT_USAGE;
    }
    return SETTINGS_GO_ON;
}

/* -o -: one document on standard output. The JSON unless --format names another output:
 * exactly one, as two documents cannot share one stream (svg: one session's, checked once the
 * capture is read, outputs.c); and a PDF is not written to a terminal (gzip's rule for binary
 * data). SETTINGS_GO_ON, or EXIT_USAGE after saying why. */
static int stdout_format(struct settings *st)
{
    if (!st->format_given) {
        st->formats = FORMAT_JSON;
        return SETTINGS_GO_ON;
    }
    if (st->formats & (st->formats - 1)) {
        fputs("pcap2report: -o - writes one document to standard output: give --format json, pdf, csv, html "
              "or svg\n", stderr);
        return EXIT_USAGE;
    }
    if (st->formats == FORMAT_PDF && isatty(STDOUT_FILENO)) {
        fputs("pcap2report: -o - --format pdf: standard output is a terminal; redirect it to a file or a pipe\n",
              stderr);
        return EXIT_USAGE;
    }
    return SETTINGS_GO_ON;
}

/* What follows from the options and the environment: the core budget, what the PDF records,
 * its date, the outputs and where the wording is. */
static int complete(struct settings *st)
{
    int rc;
    unsigned available = available_cores();
    core_budget_init(&st->budget, st->jobs < available ? st->jobs : available);
    st->cores = &st->budget;
    /* The PDF records the options that shaped it, and its date: SOURCE_DATE_EPOCH when set
     * (reproducible-builds.org), else the capture's first packet. */
    st->pdf.filter = st->filter;
    st->pdf.max_sessions = st->max_sessions;
    st->pdf.idle_timeout_s = st->idle_timeout_s;
    int sde = source_date_epoch(&st->pdf.source_date);
    if (sde < 0) {
        fprintf(stderr, "pcap2report: SOURCE_DATE_EPOCH must be a number of seconds since 1970, not '%s'\n",
                getenv("SOURCE_DATE_EPOCH"));
        return EXIT_USAGE;
    }
    st->pdf.have_source_date = sde > 0;
    if (st->pdf.session_filter && st->pdf.stream_filter) {
        fputs("pcap2report: --sessions and --tcp-stream both choose diagrams; give one\n", stderr);
        return EXIT_USAGE;
    }
    if (st->filter) {
        /* Compiled once here, so that a filter that is no filter is a usage error before any
         * input is read, not a failure of every capture (each capture compiles it for its
         * own link type). */
        char why[512];
        if (capfilter_check(st->filter, why, sizeof why) != 0) {
            fprintf(stderr, "pcap2report: -f: '%s' is not a tcpdump filter: %s\n", st->filter, why);
            return EXIT_USAGE;
        }
    }
    st->to_stdout = strcmp(st->out_dir, "-") == 0;
    if (st->to_stdout && (rc = stdout_format(st)) != SETTINGS_GO_ON)
        return rc;
    /* The wording is needed for a PDF, an HTML report or an SVG; a language asked for is
     * checked even without one. */
    if ((st->formats & (FORMAT_PDF | FORMAT_SVG | FORMAT_HTML)) || strcmp(st->pdf.lang, "en") != 0) {
        if (!find_templates_dir(st->pdf.lang, st->templates, sizeof st->templates)) {
            char langs[256];
            template_languages(langs, sizeof langs);
            if (langs[0])
                fprintf(stderr, "pcap2report: --lang: there is no wording for '%s'; the languages are: %s\n"
                        "(templates/LANG.txt; PCAP2REPORT_TEMPLATES names another templates folder)\n",
                        st->pdf.lang, langs);
            else
                fprintf(stderr, "pcap2report: no wording was found (templates/%s.txt); set PCAP2REPORT_TEMPLATES "
                        "to the templates folder\n", st->pdf.lang);
            return EXIT_USAGE;
        }
        st->pdf.templates_dir = st->templates;
    }
    st->progress = !st->quiet && isatty(STDERR_FILENO);
    return SETTINGS_GO_ON;
}

int settings_parse(struct settings *st, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"filter", required_argument, NULL, 'f'},
        {"format", required_argument, NULL, 'F'},
        {"jobs", required_argument, NULL, 'j'},
        {"force", no_argument, NULL, 'R'},
        {"follow", no_argument, NULL, 'Y'},
        {"shard", required_argument, NULL, 'S'},
        {"max-sessions", required_argument, NULL, 'M'},
        {"idle-timeout", required_argument, NULL, 'I'},
        {"max-diagrams", required_argument, NULL, 'D'},
        {"sessions", required_argument, NULL, 'L'},
        {"tcp-stream", required_argument, NULL, 'T'},
        {"absolute-seq", no_argument, NULL, 'A'},
        {"lang", required_argument, NULL, 'G'},
        {"pdfa", no_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    *st = (struct settings){.out_dir = "report", .idle_timeout_s = 300, .formats = FORMAT_JSON | FORMAT_PDF,
                            .max_sessions = CAPTURE_DEFAULT_MAX_SESSIONS,
                            .jobs = available_cores()};
    st->pdf.lang = "en";
    st->pdf.tool_version = PCAP2REPORT_VERSION;
    int c, rc;
    while ((c = getopt_long(argc, argv, "o:f:j:qhV", longopts, NULL)) != -1)
        if ((rc = take_option(st, c, optarg)) != SETTINGS_GO_ON)
            return rc;
    if (optind == argc) {
        fputs("pcap2report: no capture given\nTry 'pcap2report --help' for more information.\n", stderr);
        return EXIT_USAGE;
    }
    st->captures = argv + optind;
    st->n_captures = (size_t)(argc - optind);
    return complete(st);
}
