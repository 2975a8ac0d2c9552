/* index.c — `pcap2report index OUT...`: builds OUT/index.json from what conversions left,
 * and OUT/index.pdf when the reports have PDFs (index_pdf.c).
 *
 * For a batch run on N machines with --shard K/N, each machine leaves an
 * index.shard-K-of-N.json beside its reports; copied into one folder (or given as several
 * folders), this merges them. A folder without shard indexes is walked for reports (walk.h:
 * links not followed, every entry not taken noted). Every file is read with a bound
 * (readfile.h) and checked before use (index.h); the index is written through outfile.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "grow.h"
#include "html.h"
#include "index.h"
#include "index_pdf.h"
#include "inputs.h"
#include "outfile.h"
#include "outputs.h"
#include "paths.h"
#include "readfile.h"
#include "term.h"
#include "walk.h"

/* A shard index holds about 1.2 KB per input; cJSON takes about ten times a file's size, so a
 * shard not in the layout this program writes (and so read whole) is taken up to 256 MB. */
enum { SHARD_MAX_FILE = 256 << 20, MAX_DEPTH = 64 };

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the shard indexes at the top of OUT, sorted; -1 with err. */
static ssize_t shard_names(const struct outdir *d, char ***out, char *err, size_t errlen)
{
    int fd = fcntl(d->fd, F_DUPFD_CLOEXEC, 0);
    DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
    if (!dir) {
        snprintf(err, errlen, "cannot read folder %s: %m", d->path);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    rewinddir(dir); /* the duplicate shares its position with OUT's descriptor */
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (strncmp(e->d_name, "index.shard-", 12) != 0)
            continue;
        if (!GROW(names, cap, n + 1, 16) || !(names[n] = strdup(e->d_name))) {
            for (size_t i = 0; i < n; i++)
                free(names[i]);
            free(names);
            closedir(dir);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        n++;
    }
    closedir(dir);
    if (n > 1)
        qsort(names, n, sizeof *names, compare_names);
    *out = names;
    return (ssize_t)n;
}

/* Merges the shard index name of OUT, shown as shown: line by line when it is laid out as
 * this program writes it (index_merge_lines: any size), else read whole, up to
 * SHARD_MAX_FILE. 1 merged, 0 not a regular file (said, and left out), -1 with err. */
static int merge_shard(struct index_builder *b, const struct outdir *d, const char *name, const char *shown,
                       char *err, size_t errlen)
{
    char why[512];
    int fd = readfile_open(d->fd, name, READFILE_REGULAR | READFILE_NOFOLLOW, why, sizeof why);
    FILE *in = fd >= 0 ? fdopen(fd, "r") : NULL;
    if (!in) {
        if (fd >= 0)
            close(fd);
        term_printf(stderr, "pcap2report index: skipped %s/%s\n", d->path, why); /* why is "name: reason" */
        return 0;
    }
    int rc = index_merge_lines(b, shown, in, err, errlen);
    fclose(in);
    if (rc != 1)
        return rc == 0 ? 1 : -1;
    size_t len;
    char *text = readfile(d->fd, name, SHARD_MAX_FILE, READFILE_REGULAR | READFILE_NOFOLLOW, &len, NULL, why,
                          sizeof why);
    if (!text) {
        term_printf(stderr, "pcap2report index: skipped %s/%s\n", d->path, why);
        return 0;
    }
    rc = index_merge_text(b, shown, text, len, err, errlen) == 0 ? 1 : -1;
    free(text);
    return rc;
}

/* Merges the shard indexes of OUT; a shard that is not a regular file is noted and left out.
 * Returns how many were merged, or -1 with err. */
static ssize_t merge_shards(struct index_builder *b, const struct outdir *d, char *err, size_t errlen)
{
    char **names;
    ssize_t n = shard_names(d, &names, err, errlen);
    ssize_t merged = 0;
    for (ssize_t i = 0; n > 0 && i < n; i++) {
        char *shown = NULL;
        if (merged >= 0) {
            int rc = asprintf(&shown, "%s/%s", d->path, names[i]) < 0 ? -1
                     : merge_shard(b, d, names[i], shown, err, errlen);
            if (rc < 0 && !shown)
                snprintf(err, errlen, "out of memory");
            merged = rc < 0 ? -1 : merged + rc;
        }
        free(shown);
        free(names[i]);
    }
    if (n > 0)
        free(names);
    return n < 0 ? -1 : merged;
}

/* What the walk of a folder of reports needs. */
struct scan {
    struct index_builder *b;
    const struct outdir *d;
    char *err;
    size_t errlen;
};

/* The batch's own files at the top of OUT (index.json, index.shard-K-of-N.json), not reports;
 * rel ends with ".json". */
static bool is_index_name(const char *rel)
{
    char stem[64];
    size_t n = strlen(rel) - 5;
    return !strchr(rel, '/') && n < sizeof stem && (memcpy(stem, rel, n), stem[n] = '\0', inputs_reserved_stem(stem));
}

/* One entry of the walk: a .json that is a report becomes a converted entry (its PDF beside
 * it when there is one); anything else of note is said. */
static int scan_entry(void *arg, const struct walk_entry *e)
{
    struct scan *s = arg;
    size_t n = strlen(e->rel);
    if (e->kind != WALK_FILE) {
        term_printf(stderr, "pcap2report index: skipped %s: %s\n", e->path, e->reason);
        return 0;
    }
    if (n <= 5 || strcmp(e->rel + n - 5, ".json") != 0 || is_index_name(e->rel))
        return 0;
    char *pdf = strdup(e->rel), *head = NULL, why[512];
    if (!pdf)
        return -1;
    strcpy(pdf + n - 5, ".pdf");
    struct index_input x = {.status = "converted", .json_rel = e->rel};
    const char *base;
    int fd = outdir_folder(s->d, pdf, false, &base, why, sizeof why);
    struct stat st;
    if (fd >= 0 && fstatat(fd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
        x.pdf_rel = pdf;
    if (fd >= 0)
        close(fd);
    int rc = 0;
    if (!(x.head = head = outputs_read_head(s->d, e->rel, &x.head_len, why, sizeof why))) {
        term_printf(stderr, "pcap2report index: skipped %s\n", why);
    } else if (index_add(s->b, &x, why, sizeof why) != 0) {
        if (strstr(why, "out of memory")) {
            snprintf(s->err, s->errlen, "%s", why);
            rc = -1;
        } else { /* a .json that is not a report: said, and left out */
            term_printf(stderr, "pcap2report index: skipped %s/%s\n", s->d->path, why);
        }
    }
    free(head);
    free(pdf);
    return rc;
}

static int add_folder(struct index_builder *b, const char *path, char *err, size_t errlen)
{
    struct outdir d;
    if (outdir_open(&d, path, false, err, errlen) != 0)
        return -1;
    ssize_t merged = merge_shards(b, &d, err, errlen);
    int rc = merged < 0 ? -1 : 0;
    if (merged == 0) {
        struct scan s = {b, &d, err, errlen};
        struct walk_options wo = {.skip_hidden = true, .max_depth = MAX_DEPTH};
        snprintf(err, errlen, "out of memory");
        rc = walk_tree(d.path, &wo, scan_entry, &s);
    }
    outdir_close(&d);
    return rc;
}

/* When the merged entries have HTML reports (the shards ran with --format html), index.html
 * beside index.json, as a batch on one machine writes it; in English, as the shards' language
 * is not recorded. 0, or -1 with err. */
static int write_index_html(struct index_builder *b, const struct outdir *out, char *err, size_t errlen)
{
    if (!index_has_html(b))
        return 0;
    char templates[PATH_MAX];
    if (!find_templates_dir("en", templates, sizeof templates)) {
        snprintf(err, errlen, "index.html: no wording (templates/en.txt) was found; set PCAP2REPORT_TEMPLATES");
        return -1;
    }
    struct pdf_options opt = {.templates_dir = templates, .lang = "en", .tool_version = PCAP2REPORT_VERSION};
    struct outfile o;
    if (outfile_begin(&o, out, "index.html", err, errlen) != 0)
        return -1;
    if (html_write_index(o.stream, b, &opt, err, errlen) != 0) {
        outfile_failure(&o, err, err, errlen);
        outfile_end(&o);
        return -1;
    }
    if (outfile_commit(&o, err, errlen) != 0)
        return -1;
    term_printf(stderr, "pcap2report: wrote %s/index.html\n", out->path);
    return 0;
}

int cmd_index(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs("Usage: pcap2report index OUT...\n"
              "Builds OUT/index.json (in the first OUT) from the shard indexes\n"
              "(index.shard-K-of-N.json) or, where there are none, from the reports in each OUT.\n"
              "When the reports have PDFs, OUT/index.pdf summarises the batch on one page, made\n"
              "with the options those PDFs record (as one machine's run writes it); when the\n"
              "shards wrote HTML reports, OUT/index.html lists them.\n"
              "Symbolic links in the folders are not followed; what is not taken is noted.\n"
              "Options:\n"
              "  -h, --help              show this help and exit\n"
              "Exit status: 0 written, 1 not written (the reason is printed), 2 usage error,\n"
              "128+N stopped by signal N.\n",
              argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    char err[1024];
    struct index_builder *b = index_new();
    struct outdir first = {.fd = -1};
    struct outfile o;
    int rc = b ? 0 : -1;
    if (!b)
        snprintf(err, sizeof err, "out of memory");
    for (int i = 1; rc == 0 && i < argc; i++)
        rc = add_folder(b, argv[i], err, sizeof err);
    if (rc == 0)
        rc = outdir_open(&first, argv[1], false, err, sizeof err);
    if (rc == 0 && (rc = outfile_begin(&o, &first, "index.json", err, sizeof err)) == 0) {
        if (index_write(b, o.stream, PCAP2REPORT_VERSION, err, sizeof err) != 0) {
            outfile_failure(&o, err, err, sizeof err);
            outfile_end(&o);
            rc = -1;
        } else if ((rc = outfile_commit(&o, err, sizeof err)) == 0) {
            term_printf(stderr, "pcap2report: wrote %s/index.json\n", first.path);
        }
    }
    bool pdf = false;
    if (rc == 0 && (rc = index_pdf_write(b, argv + 1, argc - 1, &first, &pdf, err, sizeof err)) == 0 && pdf)
        term_printf(stderr, "pcap2report: wrote %s/index.pdf\n", first.path);
    if (rc == 0)
        rc = write_index_html(b, &first, err, sizeof err);
    outdir_close(&first);
    index_free(b);
    if (rc != 0) {
        term_printf(stderr, "pcap2report: index: %s\n", err);
        return EXIT_SOME_FAILED;
    }
    return EXIT_OK;
}
