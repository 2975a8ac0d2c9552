/* index.c — builds and writes the batch index with cJSON.
 *
 * The per-capture summary is read from the report's second and third lines ("input" and
 * "summary", as json.c lays the document out), so a huge report is never parsed
 * whole. */
#define _GNU_SOURCE
#include "index.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
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

/* Parses `"key":{...},` (one line of a report) into the object. */
static cJSON *parse_member_line(const char *line, const char *key)
{
    size_t klen = strlen(key);
    if (line[0] != '"' || strncmp(line + 1, key, klen) != 0 || line[1 + klen] != '"' || line[2 + klen] != ':')
        return NULL;
    const char *start = line + klen + 3;
    size_t len = strlen(start);
    while (len && (start[len - 1] == '\n' || start[len - 1] == ','))
        len--;
    return cJSON_ParseWithLength(start, len);
}

/* Reads "input" and "summary" from a capture report. */
static int read_report_head(const char *path, cJSON **input, cJSON **summary)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    *input = *summary = NULL;
    if (!f)
        return -1;
    for (int i = 0; i < 3 && getline(&line, &cap, f) > 0; i++) {
        if (i == 1)
            *input = parse_member_line(line, "input");
        else if (i == 2)
            *summary = parse_member_line(line, "summary");
    }
    free(line);
    fclose(f);
    if (*input && *summary)
        return 0;
    cJSON_Delete(*input);
    cJSON_Delete(*summary);
    *input = *summary = NULL;
    return -1;
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

int index_add(struct index_builder *b, const char *input, const char *status, const char *reason,
              const char *out_dir, const char *json_rel, const char *pdf_rel, char *err, size_t errlen)
{
    cJSON *e = cJSON_CreateObject();
    if (!e)
        goto oom;
    add_nullable_string(e, "input", input);
    cJSON_AddStringToObject(e, "status", status);
    add_nullable_string(e, "reason", reason);
    cJSON *outs = cJSON_AddObjectToObject(e, "outputs");
    add_nullable_string(outs, "json", json_rel);
    add_nullable_string(outs, "pdf", pdf_rel);

    cJSON *in = NULL, *summary = NULL;
    if (json_rel && (strcmp(status, "converted") == 0 || strcmp(status, "up-to-date") == 0)) {
        char *path;
        if (asprintf(&path, "%s/%s", out_dir, json_rel) < 0)
            goto oom;
        int rc = read_report_head(path, &in, &summary);
        free(path);
        if (rc != 0) {
            snprintf(err, errlen, "%s/%s: not a pcap2report report", out_dir, json_rel);
            cJSON_Delete(e);
            return -1;
        }
    }
    if (in) {
        cJSON_AddItemToObject(e, "file_name", cJSON_DetachItemFromObject(in, "file_name"));
        cJSON_AddItemToObject(e, "sha256", cJSON_DetachItemFromObject(in, "sha256"));
        cJSON_AddItemToObject(e, "packets", cJSON_DetachItemFromObject(in, "packets"));
        cJSON_AddItemToObject(e, "warnings", cJSON_CreateNumber(cJSON_GetArraySize(cJSON_GetObjectItem(in, "warnings"))));
        cJSON_AddItemToObject(e, "summary", summary);
        cJSON_Delete(in);
    } else {
        cJSON_AddNullToObject(e, "summary");
    }
    if (append(b, e) == 0)
        return 0;
oom:
    cJSON_Delete(e);
    snprintf(err, errlen, "out of memory while building the index");
    return -1;
}

int index_add_outputs(struct index_builder *b, const char *html_rel, const char *csv_rel, const char *svg_rel)
{
    if (!b->n)
        return -1;
    cJSON *outs = cJSON_GetObjectItem(b->entries[b->n - 1], "outputs");
    const char *keys[] = {"html", "csv", "svg"}, *values[] = {html_rel, csv_rel, svg_rel};
    for (size_t i = 0; i < 3; i++) {
        if (!values[i])
            continue;
        char *clean = json_utf8_clean(values[i]);
        if (!clean || !cJSON_AddStringToObject(outs, keys[i], clean)) {
            free(clean);
            return -1;
        }
        free(clean);
    }
    return 0;
}

size_t index_count(const struct index_builder *b)
{
    return b->n;
}

static const char *string_of(const cJSON *o, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
}

void index_row(const struct index_builder *b, size_t i, struct index_row *row)
{
    const cJSON *e = b->entries[i], *outs = cJSON_GetObjectItem(e, "outputs");
    const cJSON *sm = cJSON_GetObjectItem(e, "summary");
    *row = (struct index_row){
        .input = string_of(e, "input"), .status = string_of(e, "status"), .reason = string_of(e, "reason"),
        .file_name = string_of(e, "file_name"), .json = string_of(outs, "json"), .pdf = string_of(outs, "pdf"),
        .html = string_of(outs, "html"), .csv = string_of(outs, "csv"), .svg = string_of(outs, "svg"),
        .packets = -1, .sessions = -1,
    };
    if (cJSON_IsObject(sm)) {
        row->sessions = cJSON_GetNumberValue(cJSON_GetObjectItem(sm, "sessions"));
        row->packets = cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "packets"), "total"));
    }
}

int index_merge_file(struct index_builder *b, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open", path);
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *text = size >= 0 ? malloc((size_t)size + 1) : NULL;
    size_t got = text ? fread(text, 1, (size_t)size, f) : 0;
    fclose(f);
    cJSON *doc = text ? cJSON_ParseWithLength(text, got) : NULL;
    free(text);
    cJSON *inputs = cJSON_GetObjectItem(doc, "inputs");
    if (!cJSON_IsArray(inputs)) {
        cJSON_Delete(doc);
        snprintf(err, errlen, "%s: not a pcap2report index", path);
        return -1;
    }
    while (cJSON_GetArraySize(inputs) > 0) {
        cJSON *e = cJSON_DetachItemFromArray(inputs, 0);
        if (append(b, e) != 0) {
            cJSON_Delete(e);
            cJSON_Delete(doc);
            snprintf(err, errlen, "out of memory while merging %s", path);
            return -1;
        }
    }
    cJSON_Delete(doc);
    return 0;
}

static bool is_index_name(const char *name)
{
    return strncmp(name, "index", 5) == 0 && strlen(name) > 5 && (name[5] == '.');
}

static int scan(struct index_builder *b, const char *root, const char *rel, char *err, size_t errlen)
{
    char *dir;
    if (asprintf(&dir, "%s%s%s", root, rel[0] ? "/" : "", rel) < 0)
        return -1;
    DIR *d = opendir(dir);
    free(dir);
    if (!d)
        return 0;
    struct dirent *de;
    int rc = 0;
    while (rc == 0 && (de = readdir(d))) {
        const char *name = de->d_name;
        if (name[0] == '.')
            continue;
        char *child, *path;
        if (asprintf(&child, "%s%s%s", rel, rel[0] ? "/" : "", name) < 0)
            return closedir(d), -1;
        if (asprintf(&path, "%s/%s", root, child) < 0)
            return free(child), closedir(d), -1;
        struct stat st;
        size_t len = strlen(name);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = scan(b, root, child, err, errlen);
        } else if (len > 5 && strcmp(name + len - 5, ".json") == 0 && !is_index_name(name)) {
            char *pdf = strdup(child);
            if (pdf) {
                strcpy(pdf + strlen(pdf) - 5, ".pdf");
                char *pdf_path;
                if (asprintf(&pdf_path, "%s/%s", root, pdf) >= 0) {
                    bool has_pdf = access(pdf_path, F_OK) == 0;
                    free(pdf_path);
                    cJSON *probe_in, *probe_sum;
                    if (read_report_head(path, &probe_in, &probe_sum) == 0) {
                        cJSON_Delete(probe_in);
                        cJSON_Delete(probe_sum);
                        rc = index_add(b, NULL, "converted", NULL, root, child, has_pdf ? pdf : NULL, err, errlen);
                    }
                }
                free(pdf);
            }
        }
        free(child);
        free(path);
    }
    closedir(d);
    return rc;
}

int index_scan_reports(struct index_builder *b, const char *dir, char *err, size_t errlen)
{
    return scan(b, dir, "", err, errlen);
}

static const char *sort_key(const cJSON *e)
{
    const char *json = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "outputs"), "json"));
    const char *input = cJSON_GetStringValue(cJSON_GetObjectItem(e, "input"));
    return json ? json : input ? input : "";
}

static int compare_entries(const void *x, const void *y)
{
    const cJSON *a = *(cJSON *const *)x, *b = *(cJSON *const *)y;
    int c = strcmp(sort_key(a), sort_key(b));
    if (c)
        return c;
    const char *ia = cJSON_GetStringValue(cJSON_GetObjectItem(a, "input"));
    const char *ib = cJSON_GetStringValue(cJSON_GetObjectItem(b, "input"));
    return strcmp(ia ? ia : "", ib ? ib : "");
}

/* Adds every number of src's object members into dst's (both objects of counts). */
static void add_counts(cJSON *dst, const cJSON *src)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, src) {
        if (!cJSON_IsNumber(it))
            continue;
        cJSON *d = cJSON_GetObjectItem(dst, it->string);
        if (d)
            cJSON_SetNumberValue(d, d->valuedouble + it->valuedouble);
        else
            cJSON_AddNumberToObject(dst, it->string, it->valuedouble);
    }
}

int index_write(struct index_builder *b, const char *path, const char *tool_version, char *err, size_t errlen)
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
        const char *st = cJSON_GetStringValue(cJSON_GetObjectItem(b->entries[i], "status"));
        for (int k = 0; k < 4; k++)
            by_status[k] += st && strcmp(st, statuses[k]) == 0;
        cJSON *sm = cJSON_GetObjectItem(b->entries[i], "summary");
        if (cJSON_IsObject(sm)) {
            sessions += cJSON_GetNumberValue(cJSON_GetObjectItem(sm, "sessions"));
            packets += cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(b->entries[i], "packets"), "total"));
            add_counts(hs, cJSON_GetObjectItem(sm, "handshake"));
            add_counts(td, cJSON_GetObjectItem(sm, "teardown"));
            add_counts(an, cJSON_GetObjectItem(sm, "anomalies"));
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
    char *tmp;
    if (!head || asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
        cJSON_free(head);
        snprintf(err, errlen, "out of memory while writing the index");
        return -1;
    }
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "%s: cannot create", tmp);
        cJSON_free(head);
        free(tmp);
        return -1;
    }
    head[strlen(head) - 1] = '\0'; /* drop the closing brace, to append "inputs" */
    fprintf(f, "%s,\n\"inputs\":[", head);
    cJSON_free(head);
    bool ok = true;
    for (size_t i = 0; i < b->n && ok; i++) {
        char *line = cJSON_PrintUnformatted(b->entries[i]);
        ok = line != NULL;
        if (line)
            fprintf(f, "%s\n%s", i ? "," : "", line);
        cJSON_free(line);
    }
    fputs("\n]}\n", f);
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        snprintf(err, errlen, "%s: cannot write the index", path);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

static unsigned long long count_of(const cJSON *o, const char *key)
{
    return (unsigned long long)cJSON_GetNumberValue(cJSON_GetObjectItem(o, key));
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
    qsort(b->entries, b->n, sizeof *b->entries, compare_entries);
    out->inputs = b->n;
    for (size_t i = 0; i < b->n; i++) {
        const cJSON *e = b->entries[i];
        const char *st = cJSON_GetStringValue(cJSON_GetObjectItem(e, "status"));
        st = st ? st : "";
        out->converted += strcmp(st, "converted") == 0;
        out->up_to_date += strcmp(st, "up-to-date") == 0;
        out->skipped += strcmp(st, "skipped") == 0;
        if (strcmp(st, "failed") == 0) {
            const char *in = cJSON_GetStringValue(cJSON_GetObjectItem(e, "input"));
            b->failed_inputs[out->n_failed] = in ? in : "";
            b->failed_reasons[out->n_failed++] = cJSON_GetStringValue(cJSON_GetObjectItem(e, "reason"));
        }
        const cJSON *sm = cJSON_GetObjectItem(e, "summary");
        if (!cJSON_IsObject(sm))
            continue;
        out->sessions += count_of(sm, "sessions");
        out->packets += count_of(cJSON_GetObjectItem(e, "packets"), "total");
        for (int c = 0; c < HANDSHAKE_CLASSES; c++)
            out->handshake[c] += (unsigned)count_of(cJSON_GetObjectItem(sm, "handshake"),
                                                    handshake_class_name((enum handshake_class)c));
        for (int c = 0; c < TEARDOWN_CLASSES; c++)
            out->teardown[c] += (unsigned)count_of(cJSON_GetObjectItem(sm, "teardown"),
                                                   teardown_class_name((enum teardown_class)c));
    }
    out->failed = out->n_failed;
    out->failed_inputs = b->failed_inputs;
    out->failed_reasons = b->failed_reasons;
    return 0;
}
