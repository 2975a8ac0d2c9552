/* index_pdf.c — OUT/index.pdf for `pcap2report index` (index_pdf.h): the options are read
 * back from the reports' own PDFs, which must agree, and the page is written as batch.c
 * writes it at the end of a run. */
#define _GNU_SOURCE
#include "index_pdf.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "paths.h"
#include "pdf_read.h"
#include "pdf_writer.h"
#include "term.h"

enum { KEYWORDS_MAX = 4096 };

/* The /Keywords of the PDF rel, found below the first of the folders that has it (a regular
 * file, reached without following a link). 0, or -1 with the reason in err. */
static int read_keywords(struct outdir *dirs, int n, const char *rel, char *kw, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: not found in the folders given", rel);
    for (int i = 0; i < n; i++) {
        const char *base;
        char why[512], path[64];
        int dir = outdir_folder(&dirs[i], rel, false, &base, why, sizeof why);
        int fd = dir >= 0 ? openat(dir, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK) : -1;
        struct stat st;
        bool regular = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
        int rc = 1;
        if (regular) {
            snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
            rc = pdf_read_keywords(path, kw, KEYWORDS_MAX, why, sizeof why);
            if (rc != 0)
                snprintf(err, errlen, "%s/%s: %s", dirs[i].path, rel, why);
        }
        if (fd >= 0)
            close(fd);
        if (dir >= 0)
            close(dir);
        if (regular)
            return rc;
    }
    return -1;
}

/* The keywords without the capture's SHA-256 and SOURCE_DATE_EPOCH: what every report of one
 * run shares. A report leaves SOURCE_DATE_EPOCH out when its capture starts in that very
 * second (pdf_archive_keywords), so the reports of one run may differ there. */
static void shared_part(const char *kw, char *out, size_t len)
{
    const char *sha = strstr(kw, "; input SHA-256 ");
    size_t head = sha ? (size_t)(sha - kw) : strlen(kw);
    const char *tail = sha ? sha + 16 + strspn(sha + 16, "0123456789abcdef") : "";
    const char *epoch = strstr(tail, "; SOURCE_DATE_EPOCH ");
    snprintf(out, len, "%.*s%.*s", (int)head, kw, (int)(epoch ? (size_t)(epoch - tail) : strlen(tail)), tail);
}

/* Takes the SOURCE_DATE_EPOCH that one more report records (if it does) into prov: false
 * when two reports record different ones. */
static bool agreed_epoch(struct pdf_read_provenance *prov, const char *kw, char *err, size_t errlen)
{
    struct pdf_read_provenance p;
    bool ok = pdf_read_provenance(kw, &p, err, errlen) == 0;
    if (ok && p.have_source_date && prov->have_source_date && p.source_date != prov->source_date) {
        snprintf(err, errlen, "SOURCE_DATE_EPOCH %lld and %lld", prov->source_date, p.source_date);
        ok = false;
    } else if (ok && p.have_source_date) {
        prov->have_source_date = true;
        prov->source_date = p.source_date;
    }
    pdf_read_provenance_free(&p);
    return ok;
}

/* The options every PDF of the entries records, into prov. 1 when there is none, 0, or -1
 * after saying why index.pdf is not written. */
static int agreed_options(struct index_builder *b, struct outdir *dirs, int n, struct pdf_read_provenance *prov)
{
    const char **paths = NULL;
    ssize_t count = index_pdf_outputs(b, &paths);
    char *kw = malloc(KEYWORDS_MAX), *first = malloc(KEYWORDS_MAX), *mine = malloc(KEYWORDS_MAX);
    char err[1024] = "out of memory";
    int rc = count < 0 || !kw || !first || !mine ? -1 : count == 0 ? 1 : 0;
    for (ssize_t i = 0; rc == 0 && i < count; i++) {
        if (read_keywords(dirs, n, paths[i], kw, err, sizeof err) != 0) {
            rc = -1;
        } else if (i == 0) {
            shared_part(kw, first, KEYWORDS_MAX);
            if (pdf_read_provenance(kw, prov, err, sizeof err) != 0)
                rc = -1;
        } else if (shared_part(kw, mine, KEYWORDS_MAX), strcmp(first, mine) != 0 ||
                   !agreed_epoch(prov, kw, err, sizeof err)) {
            snprintf(err, sizeof err, "%s and %s were made with other options or versions", paths[0], paths[i]);
            rc = -1;
        }
    }
    if (rc < 0)
        term_printf(stderr, "pcap2report index: index.pdf not written: %s\n", err);
    free(paths);
    free(kw);
    free(first);
    free(mine);
    return rc;
}

int index_pdf_write(struct index_builder *b, char **folders, int n, const struct outdir *first, bool *wrote,
                    char *err, size_t errlen)
{
    struct outdir *dirs = calloc((size_t)n, sizeof *dirs);
    struct pdf_read_provenance prov;
    char templates[PATH_MAX];
    int opened = 0, rc = 0;
    memset(&prov, 0, sizeof prov);
    *wrote = false;
    if (!dirs) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    while (opened < n && outdir_open(&dirs[opened], folders[opened], false, err, errlen) == 0)
        opened++;
    if (opened < n)
        rc = -1;
    else if (agreed_options(b, dirs, n, &prov) == 0) {
        if (!find_templates_dir(prov.lang, templates, sizeof templates)) {
            term_printf(stderr, "pcap2report index: index.pdf not written: no wording for language '%s' "
                        "(templates/%s.txt; set PCAP2REPORT_TEMPLATES)\n", prov.lang, prov.lang);
        } else {
            struct pdf_options o = {.templates_dir = templates, .tool_version = PCAP2REPORT_VERSION};
            struct pdf_batch summary;
            struct outfile f;
            pdf_read_options(&prov, &o);
            o.max_diagrams = 0; /* as a batch's summary records it */
            rc = index_batch_summary(b, &summary) == 0 ? 0 : (snprintf(err, errlen, "out of memory"), -1);
            if (rc == 0 && (rc = outfile_begin(&f, first, "index.pdf", err, errlen)) == 0) {
                if (pdf_write_batch_summary(f.stream, &summary, &o, err, errlen) != 0) {
                    outfile_failure(&f, err, err, errlen);
                    outfile_end(&f);
                    rc = -1;
                } else {
                    rc = outfile_commit(&f, err, errlen);
                }
            }
            *wrote = rc == 0;
        }
    }
    for (int i = 0; i < opened; i++)
        outdir_close(&dirs[i]);
    free(dirs);
    pdf_read_provenance_free(&prov);
    return rc;
}
