/* index_merge.c — taking shard indexes into the batch index (index.h): each entry checked as
 * index_add would have made it before any is taken; a shard laid out as index_write writes it
 * is read a line at a time, any other layout whole (up to a limit), so merging is linear in
 * the entries (issue 20). */
#define _GNU_SOURCE
#include "index.h"
#include "index_builder.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "json_read.h"

/* An output path as the index records it: relative, below OUT, no "..". */
static bool safe_relative(const cJSON *v)
{
    const char *s = cJSON_GetStringValue(v);
    if (!s)
        return cJSON_IsNull(v);
    if (!*s || s[0] == '/')
        return false;
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 0 || (n == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        p += n + (p[n] == '/');
    }
    return true;
}

/* The outputs only some batches write (html, csv, svg) may be left out. */
static bool absent_or_safe(const cJSON *v) { return !v || safe_relative(v); }

static bool string_or_null(const cJSON *v) { return cJSON_IsString(v) || cJSON_IsNull(v); }

/* One entry of a shard index, checked as index_add would have made it. */
static bool check_entry(const cJSON *e, char *err, size_t errlen)
{
    const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "status"));
    const cJSON *outs = cJSON_GetObjectItemCaseSensitive(e, "outputs");
    const cJSON *summary = cJSON_GetObjectItemCaseSensitive(e, "summary");
    const cJSON *renamed = cJSON_GetObjectItemCaseSensitive(e, "renamed_from");
    bool known = false;
    for (size_t i = 0; st && i < 4; i++)
        known |= strcmp(st, index_statuses[i]) == 0;
    const char *wrong = !cJSON_IsObject(e) ? "it is not an object"
        : !known ? "its status is not converted, up-to-date, failed or skipped"
        : !string_or_null(cJSON_GetObjectItemCaseSensitive(e, "input")) ? "its input is not a string"
        : !string_or_null(cJSON_GetObjectItemCaseSensitive(e, "reason")) ? "its reason is not a string"
        : !cJSON_IsObject(outs) ? "its outputs are not an object"
        : !safe_relative(cJSON_GetObjectItemCaseSensitive(outs, "json")) ||
          !safe_relative(cJSON_GetObjectItemCaseSensitive(outs, "pdf")) ||
          !absent_or_safe(cJSON_GetObjectItemCaseSensitive(outs, "html")) ||
          !absent_or_safe(cJSON_GetObjectItemCaseSensitive(outs, "csv")) ||
          !absent_or_safe(cJSON_GetObjectItemCaseSensitive(outs, "svg")) ? "an output is not a path below OUT"
        : renamed && !cJSON_IsString(renamed) ? "its renamed_from is not a string"
        : NULL;
    if (wrong) {
        snprintf(err, errlen, "%s", wrong);
        return false;
    }
    if (cJSON_IsNull(summary))
        return true;
    if (!json_read_check_summary(summary, err, errlen) || !json_read_check_input(e, err, errlen))
        return false;
    if (!json_read_whole(cJSON_GetObjectItemCaseSensitive(e, "warnings"), JSON_READ_MAX_COUNT, NULL)) {
        snprintf(err, errlen, "its warnings are not a count");
        return false;
    }
    return true;
}

int index_merge_text(struct index_builder *b, const char *name, const char *text, size_t len, char *err,
                     size_t errlen)
{
    cJSON *doc = cJSON_ParseWithLength(text, len);
    const char *schema = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "schema"), "name"));
    cJSON *inputs = cJSON_GetObjectItemCaseSensitive(doc, "inputs");
    char why[256] = "";
    if (!doc || !schema || strcmp(schema, "pcap2report-index") != 0 || !cJSON_IsArray(inputs)) {
        snprintf(why, sizeof why, "%s", doc ? "no \"schema\" pcap2report-index or no \"inputs\" list"
                                            : "not JSON");
    } else {
        size_t i = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, inputs) {
            char what[200];
            if (!check_entry(e, what, sizeof what)) {
                snprintf(why, sizeof why, "entry %zu: %s", i + 1, what);
                break;
            }
            i++;
        }
    }
    if (why[0]) {
        cJSON_Delete(doc);
        snprintf(err, errlen, "%s: not a pcap2report index: %s", name, why);
        return -1;
    }
    struct index_builder *staged = index_new();
    const cJSON *e;
    int rc = staged ? 0 : -1;
    cJSON_ArrayForEach(e, inputs) {
        if (rc == 0)
            rc = index_append(staged, e, NULL, 0);
    }
    cJSON_Delete(doc);
    if (rc != 0 || index_absorb(b, staged) != 0) { /* all entries or none */
        if (rc != 0)
            index_free(staged);
        snprintf(err, errlen, "out of memory while merging %s", name);
        return -1;
    }
    return 0;
}

/* ---- shard indexes, line by line ------------------------------------------------------------ */

/* Whether cJSON_PrintUnformatted prints the value parsed from s (n bytes) as s itself, so that
 * the text can be kept as it is (printing every number of millions of entries again was most
 * of a merge's time). True only for text in the form it prints (cJSON.c, print_value): no
 * space between tokens; in strings, raw bytes from 0x20 up and the escapes it writes (\" \\ \b
 * \f \n \r \t, \u00xx in lowercase for the other control characters); numbers as whole numbers
 * of at most 15 digits without a sign (print_number: "%d", or "%1.15g", the same digits). */
static bool canonical_json(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"') {
            for (i++; i < n && s[i] != '"'; i++) {
                c = (unsigned char)s[i];
                if (c < 0x20)
                    return false;
                if (c != '\\')
                    continue;
                if (++i >= n)
                    return false;
                if (strchr("\"\\bfnrt", s[i]) && s[i])
                    continue;
                if (s[i] != 'u' || i + 4 >= n || s[i + 1] != '0' || s[i + 2] != '0' || !strchr("01", s[i + 3]) ||
                    !s[i + 3] || !strchr("0123456789abcdef", s[i + 4]) || !s[i + 4])
                    return false;
                unsigned v = (unsigned)(s[i + 3] - '0') * 16 +
                             (unsigned)(s[i + 4] <= '9' ? s[i + 4] - '0' : s[i + 4] - 'a' + 10);
                if (v == 0 || v == '\b' || v == '\f' || v == '\n' || v == '\r' || v == '\t')
                    return false;
                i += 4;
            }
            if (i >= n)
                return false;
        } else if (c >= '0' && c <= '9') {
            size_t d = i;
            while (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')
                i++;
            if ((c == '0' && i > d) || i - d + 1 > 15 || (i + 1 < n && strchr(".eE", s[i + 1]) && s[i + 1]))
                return false;
        } else if (c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
    }
    return true;
}

/* A shard being read a line at a time. */
struct reading {
    struct index_builder *staged; /* its entries, all or none */
    size_t number;                /* the entry's, from 1 */
    bool comma;                   /* the line before ended in a comma */
    int src;                      /* the file, a source of staged where lines stay; -1: none */
    uint64_t at;                  /* where the line read last starts in it */
};

/* One line of a shard in the layout index_write writes: the entry, then a comma unless it is
 * the last. Returns 1 for an entry taken, 0 at the closing line, -1 with err when the entry
 * is wrong, 2 when the line is not in that layout. */
static int merge_line(struct reading *r, char *line, size_t len, char *err, size_t errlen)
{
    size_t number = ++r->number;
    if (len && line[len - 1] == '\n')
        line[--len] = '\0';
    if (strcmp(line, "]}") == 0)
        return r->comma ? 2 : 0;
    if (number > 1 && !r->comma)
        return 2;
    r->comma = len && line[len - 1] == ',';
    if (r->comma)
        line[--len] = '\0';
    int taken = index_scan_line(r->staged, line, len, r->src, r->at); /* most lines: no cJSON tree */
    if (taken != 0) {
        if (taken < 0)
            snprintf(err, errlen, "out of memory");
        return taken;
    }
    struct index_builder *staged = r->staged;
    const char *end = NULL;
    cJSON *e = cJSON_ParseWithLengthOpts(line, len, &end, false);
    if (!e || end != line + len) {
        cJSON_Delete(e);
        return 2;
    }
    char what[200];
    int rc = 1;
    if (!check_entry(e, what, sizeof what)) {
        snprintf(err, errlen, "entry %zu: %s", number, what);
        rc = -1;
    } else if (index_append(staged, e, canonical_json(line, len) ? line : NULL, len) != 0) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    cJSON_Delete(e);
    return rc;
}

/* Reads a line of at most max bytes into *buf; its length, 0 at end of file, -1 when longer
 * than max or on a read error. *nul is set when the line holds a NUL byte (its length is then
 * not the bytes it took in the file; fgets says no more). */
static ssize_t read_line(FILE *in, char **buf, size_t *cap, size_t max, bool *nul)
{
    size_t len = 0;
    for (;;) {
        if (*cap - len < 2) {
            size_t n = *cap ? *cap * 2 : 4096;
            char *p = n <= max + 2 ? realloc(*buf, n) : NULL;
            if (!p)
                return -1;
            *buf = p;
            *cap = n;
        }
        if (!fgets(*buf + len, (int)(*cap - len), in))
            return ferror(in) ? -1 : (ssize_t)len;
        size_t n = strlen(*buf + len);
        if (n + 1 < *cap - len && (n == 0 || (*buf)[len + n - 1] != '\n') && !feof(in))
            *nul = true; /* fgets stopped short of the buffer's end, of a newline and of the end */
        len += n;
        if (len && (*buf)[len - 1] == '\n')
            return (ssize_t)len;
    }
}

/* in's file as a source of staged, where the lines taken stay (index_builder.h): its index,
 * or -1 when it is not a regular file (a memory stream, a pipe). */
static int source_of(struct index_builder *staged, FILE *in)
{
    struct stat st;
    int fd = fileno(in);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return -1;
    int dup = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    return dup < 0 ? -1 : index_source_add(staged, dup);
}

int index_merge_lines(struct index_builder *b, const char *name, FILE *in, char *err, size_t errlen)
{
    char *line = NULL, why[256] = "";
    size_t cap = 0;
    bool nul = false;
    struct reading r = {.src = -1};
    int src = ftello(in) == 0 ? 0 : -1; /* lines stay in the file only when it is read from its start */
    ssize_t len = read_line(in, &line, &cap, INDEX_LINE_MAX, &nul);
    uint64_t at = len > 0 ? (uint64_t)len : 0;
    cJSON *head = NULL;
    /* The first line is the document up to "inputs", ending in a comma. */
    if (len > 2 && line[len - 1] == '\n' && line[len - 2] == ',') {
        line[len - 2] = '}';
        head = cJSON_ParseWithLength(line, (size_t)len - 1);
    }
    const char *schema = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(head, "schema"), "name"));
    bool ours = schema && strcmp(schema, "pcap2report-index") == 0 && !cJSON_HasObjectItem(head, "inputs") &&
                (len = read_line(in, &line, &cap, INDEX_LINE_MAX, &nul)) > 0 && strcmp(line, "\"inputs\":[\n") == 0;
    cJSON_Delete(head);
    at += len > 0 ? (uint64_t)len : 0;
    struct index_builder *staged = ours ? index_new() : NULL;
    int rc = ours && !staged ? -1 : 2;
    if (staged) {
        r.staged = staged;
        r.src = src == 0 ? source_of(staged, in) : -1;
        do {
            len = read_line(in, &line, &cap, INDEX_LINE_MAX, &nul);
            if (nul) /* where the lines are in the file is not known from here on */
                r.src = -1;
            r.at = at;
            at += len > 0 ? (uint64_t)len : 0;
            rc = len <= 0 ? 2 : merge_line(&r, line, (size_t)len, why, sizeof why);
        } while (rc == 1);
        /* Nothing may follow the closing line. */
        if (rc == 0 && (read_line(in, &line, &cap, INDEX_LINE_MAX, &nul) != 0 || ferror(in)))
            rc = 2;
    }
    free(line);
    if (rc == 0)
        rc = index_absorb(b, staged);
    else
        index_free(staged);
    if (rc == -1)
        snprintf(err, errlen, "%s: %s%s", name, why[0] && strcmp(why, "out of memory") ? "not a pcap2report index: " : "",
                 why[0] ? why : "out of memory");
    return rc == 2 ? 1 : rc;
}
