/* index.c — builds and writes the batch index with cJSON.
 *
 * The per-capture summary is read from the report's second and third lines ("input" and
 * "summary", as json.c lays the document out: json_read.h), so a huge report is never parsed
 * whole; shard indexes are checked entry by entry before any is taken. */
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

struct index_builder {
    cJSON **entries;
    size_t n, cap;
    const char **failed_inputs, **failed_reasons; /* for index_batch_summary */
};

struct index_builder *index_new(void) { return calloc(1, sizeof(struct index_builder)); }

void index_free(struct index_builder *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        cJSON_Delete(b->entries[i]);
    free(b->entries);
    free(b->failed_inputs);
    free(b->failed_reasons);
    free(b);
}

static int append(struct index_builder *b, cJSON *e)
{
    if (!GROW(b->entries, b->cap, b->n + 1, 64))
        return -1;
    b->entries[b->n++] = e;
    return 0;
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
    if (append(b, e) == 0)
        return 0;
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
    static const char *const statuses[] = {"converted", "up-to-date", "failed", "skipped"};
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
    while (cJSON_GetArraySize(inputs) > 0) {
        cJSON *e = cJSON_DetachItemFromArray(inputs, 0);
        if (append(b, e) != 0) {
            cJSON_Delete(e);
            cJSON_Delete(doc);
            snprintf(err, errlen, "out of memory while merging %s", name);
            return -1;
        }
    }
    cJSON_Delete(doc);
    return 0;
}

/* ---- writing -------------------------------------------------------------------------------- */

static const char *sort_key(const cJSON *e)
{
    const char *json = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(e, "outputs"), "json"));
    const char *input = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "input"));
    return json ? json : input ? input : "";
}

static int compare_entries(const void *x, const void *y)
{
    const cJSON *a = *(cJSON *const *)x, *b = *(cJSON *const *)y;
    int c = strcmp(sort_key(a), sort_key(b));
    if (c)
        return c;
    const char *ia = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "input"));
    const char *ib = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "input"));
    return strcmp(ia ? ia : "", ib ? ib : "");
}

/* A count of an entry (checked on the way in); a class the entry does not name counts 0 (its
 * value would be NaN, which no integer type holds: C11 6.3.1.4). */
static unsigned long long count_of(const cJSON *o, const char *key)
{
    unsigned long long v = 0;
    json_read_whole(cJSON_GetObjectItemCaseSensitive(o, key), JSON_READ_MAX_COUNT, &v);
    return v;
}

/* Adds every number of src's object members into dst's (both objects of counts). */
static void add_counts(cJSON *dst, const cJSON *src)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, src) {
        if (!cJSON_IsNumber(it))
            continue;
        cJSON *d = cJSON_GetObjectItemCaseSensitive(dst, it->string);
        if (d)
            cJSON_SetNumberValue(d, d->valuedouble + it->valuedouble);
        else
            cJSON_AddNumberToObject(dst, it->string, it->valuedouble);
    }
}

int index_write(struct index_builder *b, FILE *out, const char *tool_version, char *err, size_t errlen)
{
    if (b->n) /* entries is NULL when there are none, and qsort(NULL, 0, ...) is undefined */
        qsort(b->entries, b->n, sizeof *b->entries, compare_entries);
    cJSON *doc = cJSON_CreateObject();
    cJSON *schema = cJSON_AddObjectToObject(doc, "schema");
    cJSON_AddStringToObject(schema, "name", "pcap2report-index");
    cJSON_AddStringToObject(schema, "version", PCAP2REPORT_INDEX_SCHEMA_VERSION);
    cJSON *tool = cJSON_AddObjectToObject(doc, "tool");
    cJSON_AddStringToObject(tool, "name", "pcap2report");
    cJSON_AddStringToObject(tool, "version", tool_version);

    cJSON *totals = cJSON_AddObjectToObject(doc, "totals");
    static const char *const statuses[] = {"converted", "up-to-date", "failed", "skipped"};
    double by_status[4] = {0}, sessions = 0, packets = 0;
    cJSON *hs = cJSON_CreateObject(), *td = cJSON_CreateObject(), *an = cJSON_CreateObject();
    for (size_t i = 0; i < b->n; i++) {
        const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b->entries[i], "status"));
        for (int k = 0; k < 4; k++)
            by_status[k] += st && strcmp(st, statuses[k]) == 0;
        cJSON *sm = cJSON_GetObjectItemCaseSensitive(b->entries[i], "summary");
        if (cJSON_IsObject(sm)) {
            sessions += (double)count_of(sm, "sessions");
            packets += (double)count_of(cJSON_GetObjectItemCaseSensitive(b->entries[i], "packets"), "total");
            add_counts(hs, cJSON_GetObjectItemCaseSensitive(sm, "handshake"));
            add_counts(td, cJSON_GetObjectItemCaseSensitive(sm, "teardown"));
            add_counts(an, cJSON_GetObjectItemCaseSensitive(sm, "anomalies"));
        }
    }
    cJSON_AddNumberToObject(totals, "inputs", (double)b->n);
    for (int k = 0; k < 4; k++)
        cJSON_AddNumberToObject(totals, statuses[k], by_status[k]);
    cJSON_AddNumberToObject(totals, "sessions", sessions);
    cJSON_AddNumberToObject(totals, "packets", packets);
    cJSON_AddItemToObject(totals, "handshake", hs);
    cJSON_AddItemToObject(totals, "teardown", td);
    cJSON_AddItemToObject(totals, "anomalies", an);

    /* The entries stay owned by the builder: print them one per line. */
    char *head = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (!head) {
        snprintf(err, errlen, "out of memory while writing the index");
        return -1;
    }
    head[strlen(head) - 1] = '\0'; /* drop the closing brace, to append "inputs" */
    fprintf(out, "%s,\n\"inputs\":[", head);
    cJSON_free(head);
    bool ok = true;
    for (size_t i = 0; i < b->n && ok; i++) {
        char *line = cJSON_PrintUnformatted(b->entries[i]);
        ok = line != NULL;
        if (line)
            fprintf(out, "%s\n%s", i ? "," : "", line);
        cJSON_free(line);
    }
    fputs("\n]}\n", out);
    if (!ok || ferror(out)) {
        snprintf(err, errlen, ok ? "write error" : "out of memory while writing the index");
        return -1;
    }
    return 0;
}

size_t index_count(const struct index_builder *b)
{
    return b->n;
}

static const char *string_of(const cJSON *o, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* Counts were checked on the way in (index_add, check_entry). */
void index_row(const struct index_builder *b, size_t i, struct index_row *row)
{
    const cJSON *e = b->entries[i], *outs = cJSON_GetObjectItemCaseSensitive(e, "outputs");
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
    if (b->n)
        qsort(b->entries, b->n, sizeof *b->entries, compare_entries);
    out->inputs = b->n;
    for (size_t i = 0; i < b->n; i++) {
        const cJSON *e = b->entries[i];
        const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "status"));
        st = st ? st : "";
        out->converted += strcmp(st, "converted") == 0;
        out->up_to_date += strcmp(st, "up-to-date") == 0;
        out->skipped += strcmp(st, "skipped") == 0;
        if (strcmp(st, "failed") == 0) {
            const char *in = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "input"));
            b->failed_inputs[out->n_failed] = in ? in : "";
            b->failed_reasons[out->n_failed++] = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "reason"));
        }
        const cJSON *sm = cJSON_GetObjectItemCaseSensitive(e, "summary");
        if (!cJSON_IsObject(sm))
            continue;
        out->sessions += count_of(sm, "sessions");
        out->packets += count_of(cJSON_GetObjectItemCaseSensitive(e, "packets"), "total");
        for (int c = 0; c < HANDSHAKE_CLASSES; c++)
            out->handshake[c] += (unsigned)count_of(cJSON_GetObjectItemCaseSensitive(sm, "handshake"),
                                                    handshake_class_name((enum handshake_class)c));
        for (int c = 0; c < TEARDOWN_CLASSES; c++)
            out->teardown[c] += (unsigned)count_of(cJSON_GetObjectItemCaseSensitive(sm, "teardown"),
                                                   teardown_class_name((enum teardown_class)c));
    }
    out->failed = out->n_failed;
    out->failed_inputs = b->failed_inputs;
    out->failed_reasons = b->failed_reasons;
    return 0;
}
