/* settings.h — the options of a conversion run (pcap2report [OPTIONS] CAPTURE|FOLDER...), read
 * from the command line and the environment once, then only read by the batch. */
#ifndef PCAP2REPORT_SETTINGS_H
#define PCAP2REPORT_SETTINGS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "cores.h"
#include "pdf_writer.h"

enum { FORMAT_JSON = 1, FORMAT_PDF = 2, FORMAT_SVG = 4, FORMAT_HTML = 8, FORMAT_CSV = 16 };

struct settings {
    const char *out_dir;       /* "-": one capture's JSON (or the one output --format names)
                                * to standard output */
    bool to_stdout;
    bool format_given;         /* --format was on the command line */
    const char *filter;
    unsigned long long max_sessions;
    long long idle_timeout_s;
    unsigned formats;          /* FORMAT_* bits; with to_stdout exactly one */
    struct pdf_options pdf;
    char templates[PATH_MAX];
    unsigned jobs;
    struct core_budget budget; /* -j N: N cores at most, helper threads included */
    struct core_budget *cores; /* &budget, as every stage is handed it */
    unsigned shard_k, shard_n;
    bool quiet, force, progress;
    bool follow;               /* --follow: symbolic links inside folders are followed */
    char **captures;           /* the CAPTURE|FOLDER arguments */
    size_t n_captures;
};

/* Returned by settings_parse when the run goes on. */
enum { SETTINGS_GO_ON = -1 };

/* Fills st from the arguments and the environment (SOURCE_DATE_EPOCH, the templates folder,
 * the CPUs this process may use); st points into itself afterwards, so it must stay where it
 * is. Every value is checked here, before any input is looked at (a rerun that finds every
 * report up to date still refuses --sessions 3,abc, a filter that does not compile, a
 * language without wording). Returns SETTINGS_GO_ON, or the exit status when the run ends
 * here: 0 after --help or --version, EXIT_USAGE after printing what was wrong. */
int settings_parse(struct settings *st, int argc, char **argv);

#endif
