/* verify.c — `pcap2report verify REPORT.json CAPTURE`: does a stored report still match?
 *
 * Reads the options the report records on its first line, analyses the capture again with
 * them, and compares the new document with the stored one byte for byte. Exit status: 0 the
 * report matches, 1 it does not (or the capture is not the one it was made from), 2 usage.
 * The report is read with a bound and every option in it checked (json_read.h) before the
 * capture is analysed with it: a report is a file anyone may have edited. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "commands.h"
#include "index.h"
#include "json.h"
#include "json_read.h"
#include "paths.h"
#include "readfile.h"
#include "term.h"

/* The report's first lines are at most this long (index.h); the rest is read only as far as
 * the fresh document goes, so a file of any length (/dev/zero through a FIFO) ends. */
enum { HEAD_MAX = INDEX_REPORT_HEAD_MAX };

/* Compares the fresh document with the stored report, reading the rest of fd as far as the
 * fresh one goes (one byte more tells a longer file). 1 same, 0 different, -1 read error. */
static int compare(int fd, char **stored, size_t *stored_len, const char *fresh, size_t fresh_len)
{
    if (*stored_len <= fresh_len && readfile_more(fd, fresh_len + 1, stored, stored_len) < 0)
        return -1;
    return *stored_len == fresh_len && memcmp(fresh, *stored, fresh_len) == 0;
}

/* Says how the documents differ: the first line that does, and the versions. */
static void tell_difference(const char *report_path, const char *capture_path, const char *fresh, size_t fresh_len,
                            const char *stored, size_t stored_len, const char *version)
{
    size_t i = 0, line = 1;
    while (i < fresh_len && i < stored_len && fresh[i] == stored[i])
        line += fresh[i++] == '\n';
    term_printf(stdout, "DIFFERS: %s no longer matches %s (first difference on line %zu%s)\n", report_path,
                capture_path, line, line > 4 ? ", a session" : line == 1 ? ", the header" : "");
    if (strcmp(version, PCAP2REPORT_VERSION) != 0)
        term_printf(stdout, "The report was written by pcap2report %s; this is %s.\n", version, PCAP2REPORT_VERSION);
}

/* Analyses the capture with the report's options and renders the fresh document into
 * *fresh. 0, -1 after saying why, or 1 when the capture is another one (said too). */
static int reanalyse(const char *capture_path, const struct json_read_provenance *p, char **fresh,
                     size_t *fresh_len)
{
    struct core_budget cores;
    core_budget_init(&cores, available_cores());
    /* idle_timeout_s is at most 10^9 (json_read.h), so the nanoseconds fit an int64_t. */
    struct capture_options opt = {.max_sessions = p->max_sessions, .idle_timeout_ns = p->idle_timeout_s * 1000000000LL,
                                  .filter = p->filter, .cores = &cores};
    struct json_provenance prov = {PCAP2REPORT_VERSION, p->filter, p->max_sessions, p->idle_timeout_s};
    struct capture_report *r = NULL;
    char err[512];
    if (capture_analyze(capture_path, &opt, &r, err, sizeof err) != 0) {
        term_printf(stderr, "pcap2report verify: %s\n", err);
        return -1;
    }
    if (strcmp(r->sha256, p->sha256) != 0) {
        term_printf(stdout, "DIFFERENT CAPTURE: %s has SHA-256 %s; the report was made from %s\n", capture_path,
                    r->sha256, p->sha256);
        capture_report_free(r);
        return 1;
    }
    FILE *mem = open_memstream(fresh, fresh_len);
    int wrc = mem ? json_write_report(mem, r, &prov, &cores, err, sizeof err) : -1;
    if (mem)
        fclose(mem);
    capture_report_free(r);
    if (wrc != 0)
        term_printf(stderr, "pcap2report verify: %s\n", mem ? err : "out of memory");
    return wrc;
}

int cmd_verify(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "--help") == 0) {
        fputs("Usage: pcap2report verify REPORT.json CAPTURE\n"
              "Analyses CAPTURE again with the options REPORT.json records and says whether the\n"
              "stored report still matches, byte for byte.\n"
              "Exit status: 0 matches, 1 does not match (or the report cannot be read), 2 usage\n"
              "error, 128+N stopped by signal N.\n",
              argc == 2 ? stdout : stderr);
        return argc == 2 && strcmp(argv[1], "--help") == 0 ? EXIT_OK : EXIT_USAGE;
    }
    const char *report_path = argv[1], *capture_path = argv[2];
    char err[1024], why[512], *stored = NULL, *fresh = NULL;
    size_t stored_len = 0, fresh_len = 0;
    struct json_read_provenance p = {0};
    int rc = EXIT_SOME_FAILED;
    int fd = readfile_open(AT_FDCWD, report_path, 0, err, sizeof err);
    if (fd < 0) {
        term_printf(stderr, "pcap2report verify: cannot read %s\n", err);
        return EXIT_SOME_FAILED;
    }
    if (readfile_more(fd, HEAD_MAX, &stored, &stored_len) < 0) {
        term_printf(stderr, "pcap2report verify: cannot read %s: %s\n", report_path, strerror(errno));
        goto done;
    }
    if (json_read_provenance(stored, stored_len, &p, why, sizeof why) != 0) {
        term_printf(stderr, "pcap2report verify: %s is not a pcap2report report: %s\n", report_path, why);
        goto done;
    }
    if (reanalyse(capture_path, &p, &fresh, &fresh_len) != 0)
        goto done;
    int same = compare(fd, &stored, &stored_len, fresh, fresh_len);
    if (same < 0) {
        term_printf(stderr, "pcap2report verify: cannot read %s: %s\n", report_path, strerror(errno));
    } else if (same) {
        term_printf(stdout, "MATCH: %s is what pcap2report %s makes of %s\n", report_path, PCAP2REPORT_VERSION,
                    capture_path);
        rc = EXIT_OK;
    } else {
        tell_difference(report_path, capture_path, fresh, fresh_len, stored, stored_len, p.version);
    }
done:
    close(fd);
    free(fresh);
    free(stored);
    json_read_provenance_free(&p);
    return rc;
}
