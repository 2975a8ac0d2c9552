/* verify.c — `pcap2report verify REPORT.json|REPORT.pdf CAPTURE`: does a stored report still
 * match?
 *
 * Reads the options the report records (a JSON report on its first line; a PDF in its
 * /Keywords, pdf_read.h), analyses the capture again with them, makes the document again
 * (a PDF with its own options, its language and SOURCE_DATE_EPOCH as recorded) and compares
 * it with the stored one byte for byte: both are reproducible. Exit status: 0 the report
 * matches, 1 it does not (or the capture is not the one it was made from), 2 usage. The
 * report is read with a bound and every option in it checked (json_read.h, pdf_read.h)
 * before the capture is analysed with it: a report is a file anyone may have edited. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
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
#include "pdf_read.h"
#include "pdf_writer.h"
#include "readfile.h"
#include "term.h"

/* The report's first lines are at most this long (index.h); the rest is read only as far as
 * the fresh document goes, so a file of any length (/dev/zero through a FIFO) ends. */
enum { HEAD_MAX = INDEX_REPORT_HEAD_MAX, KEYWORDS_MAX = 4096 };

/* Compares the fresh document with the stored report, reading the rest of fd as far as the
 * fresh one goes (one byte more tells a longer file). 1 same, 0 different, -1 read error. */
static int compare(int fd, char **stored, size_t *stored_len, const char *fresh, size_t fresh_len)
{
    if (*stored_len <= fresh_len && readfile_more(fd, fresh_len + 1, stored, stored_len) < 0)
        return -1;
    return *stored_len == fresh_len && memcmp(fresh, *stored, fresh_len) == 0;
}

/* Says how the documents differ: the first line that does (the first byte, for a PDF), and the
 * versions. */
static void tell_difference(const char *report_path, const char *capture_path, const char *fresh, size_t fresh_len,
                            const char *stored, size_t stored_len, const char *version, bool pdf)
{
    size_t i = 0, line = 1;
    while (i < fresh_len && i < stored_len && fresh[i] == stored[i])
        line += fresh[i++] == '\n';
    if (pdf)
        term_printf(stdout, "DIFFERS: %s no longer matches %s (first difference at byte %zu of %zu)\n",
                    report_path, capture_path, i, stored_len);
    else
        term_printf(stdout, "DIFFERS: %s no longer matches %s (first difference on line %zu%s)\n", report_path,
                    capture_path, line, line > 4 ? ", a session" : line == 1 ? ", the header" : "");
    if (strcmp(version, PCAP2REPORT_VERSION) != 0)
        term_printf(stdout, "The report was written by pcap2report %s; this is %s.\n", version, PCAP2REPORT_VERSION);
}

/* What the stored report records: its options as the capture's analysis takes them and, for a
 * PDF, the PDF's own. */
struct stored {
    bool pdf;
    struct json_read_provenance json;  /* a JSON report's first lines */
    struct pdf_read_provenance prov;   /* a PDF's /Keywords */
    char templates[PATH_MAX];
};

/* Analyses the capture with the recorded options into *r. 0, -1 after saying why, or 1 when
 * the capture is another one (said too). */
static int reanalyse(const char *capture_path, const struct stored *sd, struct core_budget *cores,
                     struct capture_report **r)
{
    const char *filter = sd->pdf ? sd->prov.filter : sd->json.filter;
    const char *sha256 = sd->pdf ? sd->prov.sha256 : sd->json.sha256;
    /* idle_timeout_s is at most 10^9 (json_read.h, pdf_read.h), so the nanoseconds fit. */
    long long idle = sd->pdf ? sd->prov.idle_timeout_s : sd->json.idle_timeout_s;
    struct capture_options opt = {.max_sessions = sd->pdf ? sd->prov.max_sessions : sd->json.max_sessions,
                                  .idle_timeout_ns = (idle ? idle : 300) * 1000000000LL, .filter = filter,
                                  .cores = cores, .spill_dir = temporary_dir(),
                                  .spill_eagerly = spill_eagerly_requested()};
    char err[512];
    if (capture_analyze(capture_path, &opt, r, err, sizeof err) != 0) {
        term_printf(stderr, "pcap2report verify: %s\n", err);
        return -1;
    }
    if (strcmp((*r)->sha256, sha256) != 0) {
        term_printf(stdout, "DIFFERENT CAPTURE: %s has SHA-256 %s; the report was made from %s\n", capture_path,
                    (*r)->sha256, sha256);
        return 1;
    }
    return 0;
}

/* Renders the fresh document, as the stored report's kind and options ask, into *fresh. 0, or
 * -1 after saying why. */
static int render_fresh(const struct stored *sd, const struct capture_report *r, struct core_budget *cores,
                        char **fresh, size_t *fresh_len)
{
    char err[512];
    FILE *mem = open_memstream(fresh, fresh_len);
    int rc = -1;
    if (!mem) {
        snprintf(err, sizeof err, "out of memory");
    } else if (sd->pdf) {
        struct pdf_options o = {.templates_dir = sd->templates, .tool_version = PCAP2REPORT_VERSION};
        pdf_read_options(&sd->prov, &o);
        rc = pdf_write_report(mem, r, &o, err, sizeof err);
    } else {
        const struct json_read_provenance *p = &sd->json;
        struct json_provenance prov = {PCAP2REPORT_VERSION, p->filter, p->max_sessions, p->idle_timeout_s};
        rc = json_write_report(mem, r, &prov, cores, err, sizeof err);
    }
    if (mem)
        fclose(mem);
    if (rc != 0)
        term_printf(stderr, "pcap2report verify: %s\n", err);
    return rc;
}

/* Reads what the report at fd (its first bytes in head) records into sd. 0, or -1 after saying
 * why. */
static int read_stored(const char *report_path, int fd, const char *head, size_t head_len, struct stored *sd)
{
    char why[512];
    sd->pdf = head_len >= 5 && memcmp(head, "%PDF-", 5) == 0;
    if (!sd->pdf) {
        if (json_read_provenance(head, head_len, &sd->json, why, sizeof why) == 0)
            return 0;
        term_printf(stderr, "pcap2report verify: %s is not a pcap2report report: %s\n", report_path, why);
        return -1;
    }
    char path[64], *kw = malloc(KEYWORDS_MAX);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    int rc = kw && pdf_read_keywords(path, kw, KEYWORDS_MAX, why, sizeof why) == 0 &&
             pdf_read_provenance(kw, &sd->prov, why, sizeof why) == 0 ? 0 : -1;
    free(kw);
    if (rc == 0 && !sd->prov.sha256[0]) {
        snprintf(why, sizeof why, "it is a batch's summary (index.pdf), made from no one capture");
        rc = -1;
    }
    if (rc != 0) {
        term_printf(stderr, "pcap2report verify: %s is not a pcap2report report: %s\n", report_path,
                    kw ? why : "out of memory");
        return -1;
    }
    snprintf(sd->json.version, sizeof sd->json.version, "%s", sd->prov.version);
    if (!find_templates_dir(sd->prov.lang, sd->templates, sizeof sd->templates)) {
        term_printf(stderr, "pcap2report verify: %s is in language '%s', and there is no wording for it here "
                    "(templates/%s.txt; set PCAP2REPORT_TEMPLATES)\n", report_path, sd->prov.lang, sd->prov.lang);
        return -1;
    }
    return 0;
}

static void usage(FILE *f)
{
    fputs("Usage: pcap2report verify REPORT.json|REPORT.pdf CAPTURE\n"
          "Analyses CAPTURE again with the options the report records (a JSON report on its\n"
          "first line, a PDF in its document information) and says whether the stored report\n"
          "still matches, byte for byte: a PDF is made again with its language, diagrams,\n"
          "session list, PDF/A and SOURCE_DATE_EPOCH as it records them.\n"
          "Options:\n"
          "  -h, --help              show this help and exit\n"
          "Exit status: 0 matches, 1 does not match (or the report cannot be read), 2 usage\n"
          "error, 128+N stopped by signal N.\n",
          f);
}

int cmd_verify(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return EXIT_OK;
    }
    if (argc != 3) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *report_path = argv[1], *capture_path = argv[2];
    char err[1024], *stored = NULL, *fresh = NULL;
    size_t stored_len = 0, fresh_len = 0;
    struct stored sd;
    struct capture_report *r = NULL;
    struct core_budget cores;
    core_budget_init(&cores, available_cores());
    memset(&sd, 0, sizeof sd);
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
    if (read_stored(report_path, fd, stored, stored_len, &sd) != 0 ||
        reanalyse(capture_path, &sd, &cores, &r) != 0 || render_fresh(&sd, r, &cores, &fresh, &fresh_len) != 0)
        goto done;
    int same = compare(fd, &stored, &stored_len, fresh, fresh_len);
    if (same < 0) {
        term_printf(stderr, "pcap2report verify: cannot read %s: %s\n", report_path, strerror(errno));
    } else if (same) {
        term_printf(stdout, "MATCH: %s is what pcap2report %s makes of %s\n", report_path, PCAP2REPORT_VERSION,
                    capture_path);
        rc = EXIT_OK;
    } else {
        tell_difference(report_path, capture_path, fresh, fresh_len, stored, stored_len, sd.json.version, sd.pdf);
    }
done:
    close(fd);
    capture_report_free(r);
    free(fresh);
    free(stored);
    json_read_provenance_free(&sd.json);
    pdf_read_provenance_free(&sd.prov);
    return rc;
}
