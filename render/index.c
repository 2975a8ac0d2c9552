/* index.c — builds and writes the batch index with cJSON.
 *
 * The per-capture summary is read from the report's second and third lines ("input" and
 * "summary", as json.c lays the document out: json_read.h), so a huge report is never parsed
 * whole. Each entry is kept as its printed line and its sort keys, and the totals are added
 * up as entries come in (index_builder.h); shard indexes are taken in by index_merge.c. */
#define _GNU_SOURCE
#include "index.h"
#include "index_builder.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "json_read.h"
#include "pdf_writer.h"
#include "grow.h"

const char *const index_statuses[4] = {"converted", "up-to-date", "failed", "skipped"};

struct index_builder *index_new(void)
{
    struct index_builder *b = calloc(1, sizeof *b);
    if (b && (!(b->hs = cJSON_CreateObject()) || !(b->td = cJSON_CreateObject()) || !(b->an = cJSON_CreateObject()))) {
        index_free(b);
        return NULL;
    }
    return b;
}


void index_free(struct index_builder *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        free(b->entries[i].line); /* the entry's one block */
    free(b->entries);
    index_scan_free(b->scan);
    for (size_t i = 0; i < b->nsrc; i++) {
        close(b->src[i].fd);
        free(b->src[i].win);
    }
    free(b->src);
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
        b->by_status[k] += st && strcmp(st, index_statuses[k]) == 0;
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

/* Copies string f into the block at *at (decoded when it holds escapes): its copy, or NULL
 * for none. */
static char *put_string(char **at, const struct entry_string *f)
{
    if (!f->s)
        return NULL;
    char *s = *at;
    size_t n = f->escaped ? index_unescape(f->s, f->n, s) : (memcpy(s, f->s, f->n), f->n);
    s[n] = '\0';
    *at = s + n + 1;
    return s;
}

int index_entry_add(struct index_builder *b, const struct entry_fields *f)
{
    if (!GROW(b->entries, b->cap, b->n + 1, 64))
        return -1;
    /* One block: the line (unless it stays in its shard), then the strings (none longer than
     * given: decoding only shortens). */
    bool kept = f->src < 0;
    size_t size = (kept ? f->line_len : 0) + 1 + f->key.n + 1 + f->input.n + 1 + f->reason.n + 1 + f->pdf.n + 1;
    char *block = malloc(size), *at = block;
    if (!block)
        return -1;
    struct entry *x = &b->entries[b->n++];
    struct entry_string line = {f->line, kept ? f->line_len : 0, false};
    *x = (struct entry){.line = put_string(&at, &line), .len = f->line_len, .src = f->src, .html = f->html,
                        .failed = f->failed};
    if (!kept) {
        x->off = f->off;
        x->sum = index_line_sum(f->line, f->line_len);
    }
    x->key = put_string(&at, &f->key);
    x->input = put_string(&at, &f->input);
    x->reason = put_string(&at, &f->reason);
    x->pdf = put_string(&at, &f->pdf);
    return 0;
}

/* s as an entry string (NULL: none). */
static struct entry_string text(const char *s)
{
    return (struct entry_string){s, s ? strlen(s) : 0, false};
}

int index_append(struct index_builder *b, const cJSON *e, const char *line, size_t line_len)
{
    const char *in = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "input"));
    const cJSON *outs = cJSON_GetObjectItemCaseSensitive(e, "outputs");
    char *printed = line ? NULL : cJSON_PrintUnformatted(e);
    if (!line && !printed)
        return -1;
    bool failed;
    struct entry_fields f = {
        .line = line ? line : printed, .line_len = line ? line_len : strlen(printed), .src = -1,
        .key = text(sort_key(e)), .input = text(in ? in : ""),
        .reason = text(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "reason"))),
        .pdf = text(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(outs, "pdf"))),
        .html = cJSON_IsString(cJSON_GetObjectItemCaseSensitive(outs, "html")),
    };
    int rc = add_totals(b, e, &failed) ? index_entry_add(b, &f) : -1;
    if (rc == 0)
        b->entries[b->n - 1].failed = failed;
    cJSON_free(printed);
    return rc;
}

int index_absorb(struct index_builder *b, struct index_builder *from)
{
    int rc = -1;
    bool take = b->n == 0 && b->cap < from->cap; /* the first shard's entries taken as they are */
    if ((!take && !GROW(b->entries, b->cap, b->n + from->n, 64)) || !GROW(b->src, b->src_cap, b->nsrc + from->nsrc, 4) ||
        !add_counts(b->hs, from->hs) || !add_counts(b->td, from->td) || !add_counts(b->an, from->an))
        goto out;
    if (take) {
        struct entry *e = b->entries; /* empty: freed with from */
        b->entries = from->entries;
        b->cap = from->cap;
        from->entries = e;
        from->cap = 0;
    } else if (from->n) { /* entries may be NULL when there are none */
        memcpy(b->entries + b->n, from->entries, from->n * sizeof *from->entries);
    }
    for (size_t i = 0; from->nsrc && i < from->n; i++) /* their sources are b's now */
        if (b->entries[b->n + i].src >= 0)
            b->entries[b->n + i].src += (int)b->nsrc;
    if (from->nsrc)
        memcpy(b->src + b->nsrc, from->src, from->nsrc * sizeof *from->src);
    b->nsrc += from->nsrc;
    from->nsrc = 0;
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
    if (index_append(b, e, NULL, 0) == 0) {
        cJSON_Delete(e);
        return 0;
    }
oom:
    cJSON_Delete(e);
    cJSON_Delete(summary);
    snprintf(err, errlen, "out of memory while building the index");
    return -1;
}

/* ---- lines that stay in their shard ------------------------------------------------------------ */

/* How much of a shard is read at a time when its lines are written: they come in order. */
enum { WINDOW = 1 << 20 };

uint64_t index_line_sum(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15u ^ n, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    for (; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
    return h ^ (h >> 29);
}

int index_source_add(struct index_builder *b, int fd)
{
    if (!GROW(b->src, b->src_cap, b->nsrc + 1, 4)) {
        close(fd);
        return -1;
    }
    b->src[b->nsrc] = (struct index_source){.fd = fd};
    return (int)b->nsrc++;
}

/* Entry e's line (its len bytes, not NUL-terminated when it stays in its shard), valid until
 * the next call; NULL when it cannot be read again or is not what was checked. */
static const char *entry_line(struct index_builder *b, const struct entry *e)
{
    if (e->src < 0)
        return e->line;
    struct index_source *s = &b->src[e->src];
    if (e->off < s->base || e->off + e->len > s->base + s->n) {
        size_t want = e->len > WINDOW ? e->len : WINDOW;
        if (want > s->cap) {
            char *w = realloc(s->win, want);
            if (!w)
                return NULL;
            s->win = w;
            s->cap = want;
        }
        s->base = e->off;
        s->n = 0;
        while (s->n < want) {
            ssize_t got = pread(s->fd, s->win + s->n, want - s->n, (off_t)(e->off + s->n));
            if (got <= 0)
                break;
            s->n += (size_t)got;
        }
        if (s->n < e->len)
            return NULL;
    }
    const char *line = s->win + (e->off - s->base);
    return index_line_sum(line, e->len) == e->sum ? line : NULL;
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
    /* A shard's entries come sorted (index_write wrote them so): a pass that finds them in
     * order saves the sort, with the same result (glibc's qsort sorts stably when it has the
     * memory to: equal entries keep their order either way). */
    size_t i = 1;
    while (i < b->n && compare_entries(&b->entries[i - 1], &b->entries[i]) <= 0)
        i++;
    if (i < b->n) /* entries is NULL when there are none, and qsort(NULL, 0, ...) is undefined */
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
        cJSON_AddNumberToObject(totals, index_statuses[k], b->by_status[k]);
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
    for (size_t i = 0; i < b->n; i++) {
        const char *line = entry_line(b, &b->entries[i]);
        if (!line) {
            snprintf(err, errlen, "a shard index changed, or could not be read again, while it was merged");
            return -1;
        }
        fputs(i ? ",\n" : "\n", out);
        fwrite(line, 1, b->entries[i].len, out);
    }
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
    const char *line = entry_line(b, &b->entries[i]);
    const cJSON *e = b->row = line ? cJSON_ParseWithLength(line, b->entries[i].len) : NULL;
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
