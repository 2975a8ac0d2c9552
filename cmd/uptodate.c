/* uptodate.c — whether a capture's reports are up to date (uptodate.h): what the JSON's first
 * two lines and the PDF's /Keywords record, against the capture and the settings. The cheap
 * checks come first; the capture is hashed only when everything else matches. */
#define _GNU_SOURCE
#include "uptodate.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "json.h"
#include "json_read.h"
#include "outputs.h"
#include "pdf_read.h"
#include "pdf_writer.h"
#include "sha256.h"

enum { KEYWORDS_MAX = 4096, HASH_CHUNK = 1 << 20 };

/* What the outputs on disk record about the capture. */
struct recorded {
    char sha256[65];            /* "" until an output names one */
    bool have_size;
    unsigned long long size;
};

/* Takes an output's record of the capture's SHA-256: false when another output recorded a
 * different one (two outputs of two captures). */
static bool agree(struct recorded *rec, const char *sha256)
{
    if (!rec->sha256[0])
        snprintf(rec->sha256, sizeof rec->sha256, "%s", sha256);
    return strcmp(rec->sha256, sha256) == 0;
}

/* The JSON's first line is what this run would write (version and analysis options), and its
 * second records the capture's SHA-256 and size. */
static bool json_matches(const struct outdir *out, const char *rel, const struct settings *st, struct recorded *rec)
{
    char *expected = NULL, err[256];
    size_t exp_len = 0, len = 0;
    struct json_provenance prov = {PCAP2REPORT_VERSION, st->filter, st->max_sessions, st->idle_timeout_s};
    FILE *mem = open_memstream(&expected, &exp_len);
    if (!mem)
        return false;
    bool made = json_write_header(mem, &prov) == 0;
    fclose(mem);
    char *head = made ? outputs_read_head(out, rel, &len, err, sizeof err) : NULL;
    bool same = head && len >= exp_len && memcmp(head, expected, exp_len) == 0;
    cJSON *input = same ? json_read_line_object(head, len, 1, "input", err, sizeof err) : NULL;
    const char *sha = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(input, "sha256"));
    same = input && sha && strlen(sha) == 64 &&
           json_read_whole(cJSON_GetObjectItemCaseSensitive(input, "size_bytes"), JSON_READ_MAX_COUNT, &rec->size) &&
           agree(rec, sha);
    rec->have_size = same;
    cJSON_Delete(input);
    free(head);
    free(expected);
    return same;
}

/* The PDF's /Keywords, read through a descriptor opened below OUT without following a link,
 * into kw. */
static bool pdf_keywords(const struct outdir *out, const char *rel, char *kw, size_t len)
{
    char err[512], path[64];
    const char *base;
    int dir = outdir_folder(out, rel, false, &base, err, sizeof err);
    int fd = dir >= 0 ? openat(dir, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK) : -1;
    struct stat st;
    bool ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ok = ok && pdf_read_keywords(path, kw, len, err, sizeof err) == 0;
    if (fd >= 0)
        close(fd);
    if (dir >= 0)
        close(dir);
    return ok;
}

/* The PDF's /Keywords are those this run would write for the capture they name. */
static bool pdf_matches(const struct outdir *out, const char *rel, const struct settings *st, struct recorded *rec)
{
    char *kw = malloc(KEYWORDS_MAX), *expected = malloc(KEYWORDS_MAX), err[256];
    struct pdf_read_provenance p;
    memset(&p, 0, sizeof p);
    bool same = kw && expected && pdf_keywords(out, rel, kw, KEYWORDS_MAX) &&
                pdf_read_provenance(kw, &p, err, sizeof err) == 0 && p.sha256[0] && agree(rec, p.sha256);
    if (same) {
        pdf_report_keywords(&st->pdf, rec->sha256, expected, KEYWORDS_MAX);
        same = strcmp(kw, expected) == 0;
    }
    pdf_read_provenance_free(&p);
    free(kw);
    free(expected);
    return same;
}

/* The SHA-256 of the capture open at fd, read to its end. */
static bool hash_capture(int fd, char hex[65])
{
    struct sha256 h;
    char *buf = malloc(HASH_CHUNK);
    bool ok = buf && sha256_init(&h);
    ssize_t n = 0;
    while (ok && (n = read(fd, buf, HASH_CHUNK)) > 0)
        ok = sha256_update(&h, buf, (size_t)n);
    if (buf && !sha256_final_hex(&h, hex))
        ok = false;
    free(buf);
    return ok && n == 0;
}

bool uptodate_check(const char *input, const struct outdir *out, const struct output_paths *paths,
                    const struct settings *st)
{
    struct recorded rec = {.sha256 = ""};
    const char *json_rel = paths->json, *pdf_rel = paths->pdf;
    /* The HTML, the CSV and the SVG diagrams record neither the capture nor the options that
     * shaped them (a CSV has no place for it): a run asking for any of them converts again. */
    if (strcmp(input, "-") == 0 || (!json_rel && !pdf_rel) || paths->html || paths->csv || paths->svg_dir)
        return false;
    if ((json_rel && !json_matches(out, json_rel, st, &rec)) || (pdf_rel && !pdf_matches(out, pdf_rel, st, &rec)))
        return false;
    int fd = open(input, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat s;
    char now[65];
    bool same = fd >= 0 && fstat(fd, &s) == 0 && S_ISREG(s.st_mode) &&
                (!rec.have_size || rec.size == (unsigned long long)s.st_size) && hash_capture(fd, now) &&
                strcmp(now, rec.sha256) == 0;
    if (fd >= 0)
        close(fd);
    return same;
}
