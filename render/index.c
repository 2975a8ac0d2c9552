/* index.c — builds and writes the batch index with cJSON.
 *
 * The per-capture summary is read from the report's second and third lines ("input" and
 * "summary", as json.c lays the document out: json_read.h), so a huge report is never parsed
 * whole; shard indexes are checked entry by entry before any is taken, a line at a time when
 * they are laid out as index_write writes them. Each entry is kept as its printed line and
 * its sort keys, and the totals are added up as entries come in: merging is linear in the
 * entries (issue 20), and costs about the shard's size in memory. */
#define _GNU_SOURCE
#include "index.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "json_read.h"
#include "pdf_writer.h"
#include "grow.h"

/* An entry as the index keeps it: its line, printed once when it is added, and what sorting
 * and the batch summary need. A merged shard of millions of entries costs its text, not a
 * cJSON tree of each (about ten times as much). */
struct entry {
    char *line;         /* the entry as the index writes it */
    char *key, *input;  /* sort keys: the JSON output path (or the input), then the input */
    char *reason;       /* a failed entry's reason (NULL when it has none) */
    char *pdf;          /* its PDF report's path, NULL when it has none (for index.pdf) */
    bool failed;
    bool html;          /* it lists an HTML report (for index.html, whose rows index_row reads
                         * from the line when they are written) */
};

static const char *const statuses[] = {"converted", "up-to-date", "failed", "skipped"};

struct index_builder {
    struct entry *entries;
    size_t n, cap;
    /* Totals over the entries, added up as they come in. */
    double by_status[4], sessions, packets;
    cJSON *hs, *td, *an; /* counts by class and anomaly name, in the order the names came */
    const char **failed_inputs, **failed_reasons; /* for index_batch_summary */
    cJSON *row;          /* the entry index_row parsed last, whose strings it lends */
};

struct index_builder *index_new(void)
{
    struct index_builder *b = calloc(1, sizeof *b);
    if (b && (!(b->hs = cJSON_CreateObject()) || !(b->td = cJSON_CreateObject()) || !(b->an = cJSON_CreateObject()))) {
        index_free(b);
        return NULL;
    }
    return b;
}

static void entry_free(struct entry *e)
{
    cJSON_free(e->line);
    free(e->key);
    free(e->input);
    free(e->reason);
    free(e->pdf);
}

void index_free(struct index_builder *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        entry_free(&b->entries[i]);
    free(b->entries);
    cJSON_Delete(b->hs);
    cJSON_Delete(b->td);
    cJSON_Delete(b->an);
    free(b->failed_inputs);
    free(b->failed_reasons);
    cJSON_Delete(b->row);
    free(b);
}

static const char *sort_key(const cJSON *e)
{
    const char *json = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(e, "outputs"), "json"));
    const char *input = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "input"));
    return json ? json : input ? input : "";
}

/* A count of an entry (checked on the way in); a class the entry does not name counts 0 (its
 * value would be NaN, which no integer type holds: C11 6.3.1.4). */
static unsigned long long count_of(const cJSON *o, const char *key)
{
    unsigned long long v = 0;
    json_read_whole(cJSON_GetObjectItemCaseSensitive(o, key), JSON_READ_MAX_COUNT, &v);
    return v;
}

/* Adds every number of src's object members into dst's (both objects of counts). The names
 * come in the same order in every entry, so dst's member after the last one found is tried
 * first: a lookup per member made this most of a merge's time. */
static bool add_counts(cJSON *dst, const cJSON *src)
{
    const cJSON *it;
    cJSON *next = dst ? dst->child : NULL;
    cJSON_ArrayForEach(it, src) {
        if (!cJSON_IsNumber(it))
            continue;
        cJSON *d = next && next->string && it->string && strcmp(next->string, it->string) == 0
                       ? next : cJSON_GetObjectItemCaseSensitive(dst, it->string);
        next = d ? d->next : NULL;
        if (d)
            cJSON_SetNumberValue(d, d->valuedouble + it->valuedouble);
        else if (!cJSON_AddNumberToObject(dst, it->string, it->valuedouble))
            return false;
    }
    return true;
}

/* Adds entry e's figures to b's totals. */
static bool add_totals(struct index_builder *b, const cJSON *e, bool *failed)
{
    const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "status"));
    for (int k = 0; k < 4; k++)
        b->by_status[k] += st && strcmp(st, statuses[k]) == 0;
    *failed = st && strcmp(st, "failed") == 0;
    const cJSON *sm = cJSON_GetObjectItemCaseSensitive(e, "summary");
    if (!cJSON_IsObject(sm))
        return true;
    b->sessions += (double)count_of(sm, "sessions");
    b->packets += (double)count_of(cJSON_GetObjectItemCaseSensitive(e, "packets"), "total");
    const cJSON *hs = cJSON_GetObjectItemCaseSensitive(sm, "handshake");
    const cJSON *td = cJSON_GetObjectItemCaseSensitive(sm, "teardown");
    return add_counts(b->hs, hs) && add_counts(b->td, td) &&
           add_counts(b->an, cJSON_GetObjectItemCaseSensitive(sm, "anomalies"));
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* Adds entry e, which the caller still owns and frees; line is its text when the caller knows
 * it is exactly what cJSON_PrintUnformatted would make of e (else it is printed here). -1
 * when out of memory. */
static int append(struct index_builder *b, const cJSON *e, const char *line, size_t line_len)
{
    if (!GROW(b->entries, b->cap, b->n + 1, 64))
        return -1;
    struct entry *x = &b->entries[b->n];
    const char *in = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "input"));
    *x = (struct entry){0};
    if (line && (x->line = cJSON_malloc(line_len + 1))) {
        memcpy(x->line, line, line_len);
        x->line[line_len] = '\0';
    } else if (!line) {
        x->line = cJSON_PrintUnformatted(e);
    }
    x->key = strdup(sort_key(e));
    x->input = strdup(in ? in : "");
    x->reason = dup_or_null(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "reason")));
    const char *pdf =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(e, "outputs"), "pdf"));
    x->pdf = dup_or_null(pdf);
    x->html = cJSON_IsString(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(e, "outputs"), "html"));
    if (!x->line || !x->key || !x->input || (pdf && !x->pdf) || !add_totals(b, e, &x->failed)) {
        entry_free(x);
        return -1;
    }
    b->n++;
    return 0;
}

/* Moves every entry of from into b, with its totals; from is freed. -1 when out of memory
 * (nothing moved, from freed). */
static int absorb(struct index_builder *b, struct index_builder *from)
{
    int rc = -1;
    if (!GROW(b->entries, b->cap, b->n + from->n, 64) || !add_counts(b->hs, from->hs) ||
        !add_counts(b->td, from->td) || !add_counts(b->an, from->an))
        goto out;
    if (from->n) /* entries may be NULL when there are none */
        memcpy(b->entries + b->n, from->entries, from->n * sizeof *from->entries);
    b->n += from->n;
    from->n = 0;
    for (int k = 0; k < 4; k++)
        b->by_status[k] += from->by_status[k];
    b->sessions += from->sessions;
    b->packets += from->packets;
    rc = 0;
out:
    index_free(from);
    return rc;
}

/* Paths and reasons come from strangers' disks: made valid UTF-8 first. */
static void add_nullable_string(cJSON *o, const char *key, const char *v)
{
    char *clean = v ? json_utf8_clean(v) : NULL;
    if (clean)
        cJSON_AddStringToObject(o, key, clean);
    else
        cJSON_AddNullToObject(o, key);
    free(clean);
}

/* Reads "input" and "summary" from the head of a report, checked. 0, or -1 with why. */
static int report_head(const char *head, size_t len, cJSON **input, cJSON **summary, char *err, size_t errlen)
{
    *input = json_read_line_object(head, len, 1, "input", err, errlen);
    *summary = *input ? json_read_line_object(head, len, 2, "summary", err, errlen) : NULL;
    if (*summary && json_read_check_input(*input, err, errlen) && json_read_check_summary(*summary, err, errlen)) {
        if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(*input, "warnings")))
            return 0;
        snprintf(err, errlen, "input.warnings is not an array");
    }
    cJSON_Delete(*input);
    cJSON_Delete(*summary);
    *input = *summary = NULL;
    return -1;
}

int index_add(struct index_builder *b, const struct index_input *x, char *err, size_t errlen)
{
    cJSON *in = NULL, *summary = NULL;
    if (x->json_rel && (strcmp(x->status, "converted") == 0 || strcmp(x->status, "up-to-date") == 0)) {
        char why[256];
        if (report_head(x->head ? x->head : "", x->head ? x->head_len : 0, &in, &summary, why, sizeof why) != 0) {
            snprintf(err, errlen, "%s: not a pcap2report report: %s", x->json_rel, why);
            return -1;
        }
    }
    cJSON *e = cJSON_CreateObject();
    if (!e)
        goto oom;
    add_nullable_string(e, "input", x->input);
    cJSON_AddStringToObject(e, "status", x->status);
    add_nullable_string(e, "reason", x->reason);
    cJSON *outs = cJSON_AddObjectToObject(e, "outputs");
    add_nullable_string(outs, "json", x->json_rel);
    add_nullable_string(outs, "pdf", x->pdf_rel);
    const char *more_keys[] = {"html", "csv", "svg"}, *more[] = {x->html_rel, x->csv_rel, x->svg_rel};
    for (size_t i = 0; i < 3; i++)
        if (more[i])
            add_nullable_string(outs, more_keys[i], more[i]);
    if (x->renamed_from)
        add_nullable_string(e, "renamed_from", x->renamed_from);
    if (in) {
        cJSON_AddItemToObject(e, "file_name", cJSON_DetachItemFromObjectCaseSensitive(in, "file_name"));
        cJSON_AddItemToObject(e, "sha256", cJSON_DetachItemFromObjectCaseSensitive(in, "sha256"));
        cJSON_AddItemToObject(e, "packets", cJSON_DetachItemFromObjectCaseSensitive(in, "packets"));
        cJSON_AddItemToObject(e, "warnings", cJSON_CreateNumber(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(in, "warnings"))));
        cJSON_AddItemToObject(e, "summary", summary);
        summary = NULL;
    } else {
        cJSON_AddNullToObject(e, "summary");
    }
    cJSON_Delete(in);
    if (append(b, e, NULL, 0) == 0) {
        cJSON_Delete(e);
        return 0;
    }
oom:
    cJSON_Delete(e);
    cJSON_Delete(summary);
    snprintf(err, errlen, "out of memory while building the index");
    return -1;
}

/* ---- shard indexes ------------------------------------------------------------------------- */

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
        known |= strcmp(st, statuses[i]) == 0;
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
            rc = append(staged, e, NULL, 0);
    }
    cJSON_Delete(doc);
    if (rc != 0 || absorb(b, staged) != 0) { /* all entries or none */
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

/* One line of a shard in the layout index_write writes: the entry, then a comma unless it is
 * the last. Returns 1 for an entry taken, 0 at the closing line, -1 with err when the entry
 * is wrong, 2 when the line is not in that layout. */
static int merge_line(struct index_builder *staged, char *line, size_t len, size_t number, bool *comma,
                      char *err, size_t errlen)
{
    if (len && line[len - 1] == '\n')
        line[--len] = '\0';
    if (strcmp(line, "]}") == 0)
        return *comma ? 2 : 0;
    if (number > 1 && !*comma)
        return 2;
    *comma = len && line[len - 1] == ',';
    if (*comma)
        line[--len] = '\0';
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
    } else if (append(staged, e, canonical_json(line, len) ? line : NULL, len) != 0) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    cJSON_Delete(e);
    return rc;
}

/* Reads a line of at most max bytes into *buf; its length, 0 at end of file, -1 when longer
 * than max or on a read error. */
static ssize_t read_line(FILE *in, char **buf, size_t *cap, size_t max)
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
        len += strlen(*buf + len);
        if ((*buf)[len - 1] == '\n')
            return (ssize_t)len;
    }
}

int index_merge_lines(struct index_builder *b, const char *name, FILE *in, char *err, size_t errlen)
{
    char *line = NULL, why[256] = "";
    size_t cap = 0, number = 0;
    ssize_t len = read_line(in, &line, &cap, INDEX_LINE_MAX);
    cJSON *head = NULL;
    /* The first line is the document up to "inputs", ending in a comma. */
    if (len > 2 && line[len - 1] == '\n' && line[len - 2] == ',') {
        line[len - 2] = '}';
        head = cJSON_ParseWithLength(line, (size_t)len - 1);
    }
    const char *schema = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(head, "schema"), "name"));
    bool ours = schema && strcmp(schema, "pcap2report-index") == 0 && !cJSON_HasObjectItem(head, "inputs") &&
                (len = read_line(in, &line, &cap, INDEX_LINE_MAX)) > 0 && strcmp(line, "\"inputs\":[\n") == 0;
    cJSON_Delete(head);
    struct index_builder *staged = ours ? index_new() : NULL;
    int rc = ours && !staged ? -1 : 2;
    if (staged) {
        bool comma = false;
        do {
            len = read_line(in, &line, &cap, INDEX_LINE_MAX);
            rc = len <= 0 ? 2 : merge_line(staged, line, (size_t)len, ++number, &comma, why, sizeof why);
        } while (rc == 1);
        /* Nothing may follow the closing line. */
        if (rc == 0 && (read_line(in, &line, &cap, INDEX_LINE_MAX) != 0 || ferror(in)))
            rc = 2;
    }
    free(line);
    if (rc == 0)
        rc = absorb(b, staged);
    else
        index_free(staged);
    if (rc == -1)
        snprintf(err, errlen, "%s: %s%s", name, why[0] && strcmp(why, "out of memory") ? "not a pcap2report index: " : "",
                 why[0] ? why : "out of memory");
    return rc == 2 ? 1 : rc;
}

/* ---- writing -------------------------------------------------------------------------------- */

static int compare_entries(const void *x, const void *y)
{
    const struct entry *a = x, *b = y;
    int c = strcmp(a->key, b->key);
    return c ? c : strcmp(a->input, b->input);
}

/* Sorts the entries by output path (then input): the index is the same whatever the order in
 * which inputs finished or shards were merged. */
static void sort_entries(struct index_builder *b)
{
    if (b->n > 1) /* entries is NULL when there are none, and qsort(NULL, 0, ...) is undefined */
        qsort(b->entries, b->n, sizeof *b->entries, compare_entries);
}

int index_write(struct index_builder *b, FILE *out, const char *tool_version, char *err, size_t errlen)
{
    sort_entries(b);
    cJSON *doc = cJSON_CreateObject();
    cJSON *schema = cJSON_AddObjectToObject(doc, "schema");
    cJSON_AddStringToObject(schema, "name", "pcap2report-index");
    cJSON_AddStringToObject(schema, "version", PCAP2REPORT_INDEX_SCHEMA_VERSION);
    cJSON *tool = cJSON_AddObjectToObject(doc, "tool");
    cJSON_AddStringToObject(tool, "name", "pcap2report");
    cJSON_AddStringToObject(tool, "version", tool_version);

    cJSON *totals = cJSON_AddObjectToObject(doc, "totals");
    cJSON_AddNumberToObject(totals, "inputs", (double)b->n);
    for (int k = 0; k < 4; k++)
        cJSON_AddNumberToObject(totals, statuses[k], b->by_status[k]);
    cJSON_AddNumberToObject(totals, "sessions", b->sessions);
    cJSON_AddNumberToObject(totals, "packets", b->packets);
    cJSON_AddItemReferenceToObject(totals, "handshake", b->hs);
    cJSON_AddItemReferenceToObject(totals, "teardown", b->td);
    cJSON_AddItemReferenceToObject(totals, "anomalies", b->an);

    /* The entries are printed already: one per line. */
    char *head = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (!head) {
        snprintf(err, errlen, "out of memory while writing the index");
        return -1;
    }
    head[strlen(head) - 1] = '\0'; /* drop the closing brace, to append "inputs" */
    fprintf(out, "%s,\n\"inputs\":[", head);
    cJSON_free(head);
    for (size_t i = 0; i < b->n; i++)
        fprintf(out, "%s\n%s", i ? "," : "", b->entries[i].line);
    fputs("\n]}\n", out);
    if (ferror(out)) {
        snprintf(err, errlen, "write error");
        return -1;
    }
    return 0;
}

size_t index_count(const struct index_builder *b)
{
    return b->n;
}

bool index_has_html(const struct index_builder *b)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->entries[i].html)
            return true;
    return false;
}

static const char *string_of(const cJSON *o, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* The entry's line is parsed again here, one at a time: index.html is the only reader of
 * these fields, and keeping them for every entry would cost a merge of millions of entries
 * what keeping the lines saves. Counts were checked on the way in (index_add, check_entry). */
int index_row(struct index_builder *b, size_t i, struct index_row *row)
{
    cJSON_Delete(b->row);
    const cJSON *e = b->row = cJSON_Parse(b->entries[i].line);
    if (!e)
        return -1;
    const cJSON *outs = cJSON_GetObjectItemCaseSensitive(e, "outputs");
    const cJSON *sm = cJSON_GetObjectItemCaseSensitive(e, "summary");
    *row = (struct index_row){
        .input = string_of(e, "input"), .status = string_of(e, "status"), .reason = string_of(e, "reason"),
        .file_name = string_of(e, "file_name"), .json = string_of(outs, "json"), .pdf = string_of(outs, "pdf"),
        .html = string_of(outs, "html"), .csv = string_of(outs, "csv"), .svg = string_of(outs, "svg"),
        .packets = -1, .sessions = -1,
    };
    if (cJSON_IsObject(sm)) {
        row->sessions = (double)count_of(sm, "sessions");
        row->packets = (double)count_of(cJSON_GetObjectItemCaseSensitive(e, "packets"), "total");
    }
    return 0;
}

ssize_t index_pdf_outputs(struct index_builder *b, const char ***paths)
{
    const char **v = calloc(b->n + 1, sizeof *v);
    ssize_t n = 0;
    if (!v)
        return -1;
    sort_entries(b);
    for (size_t i = 0; i < b->n; i++)
        if (b->entries[i].pdf)
            v[n++] = b->entries[i].pdf;
    *paths = v;
    return n;
}

int index_batch_summary(struct index_builder *b, struct pdf_batch *out)
{
    memset(out, 0, sizeof *out);
    free(b->failed_inputs);
    free(b->failed_reasons);
    b->failed_inputs = calloc(b->n + 1, sizeof *b->failed_inputs);
    b->failed_reasons = calloc(b->n + 1, sizeof *b->failed_reasons);
    if (!b->failed_inputs || !b->failed_reasons)
        return -1;
    sort_entries(b);
    out->inputs = b->n;
    out->converted = (unsigned long long)b->by_status[0];
    out->up_to_date = (unsigned long long)b->by_status[1];
    out->skipped = (unsigned long long)b->by_status[3];
    for (size_t i = 0; i < b->n; i++) {
        if (b->entries[i].failed) {
            b->failed_inputs[out->n_failed] = b->entries[i].input;
            b->failed_reasons[out->n_failed++] = b->entries[i].reason;
        }
    }
    out->sessions = (unsigned long long)b->sessions;
    out->packets = (unsigned long long)b->packets;
    for (int c = 0; c < HANDSHAKE_CLASSES; c++)
        out->handshake[c] = (unsigned)count_of(b->hs, handshake_class_name((enum handshake_class)c));
    for (int c = 0; c < TEARDOWN_CLASSES; c++)
        out->teardown[c] = (unsigned)count_of(b->td, teardown_class_name((enum teardown_class)c));
    out->failed = out->n_failed;
    out->failed_inputs = b->failed_inputs;
    out->failed_reasons = b->failed_reasons;
    return 0;
}
