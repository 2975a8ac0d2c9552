/* fuzz_json.c — libFuzzer harness: the JSON that pcap2report reads back, as `verify` and
 * `index` read it: a report's first lines (json_read_provenance, and index_add from the
 * head of a report) and a shard index (index_merge_text, and index_merge_lines a line at a
 * time), then the index written and its PDF summary's counts made from whatever was taken.
 *
 * Every input goes through all three readers. Besides memory safety and undefined behaviour
 * (built with -fsanitize=float-cast-overflow too: every number is converted to an integer
 * somewhere), it checks that a refusal comes with a sentence, that what is accepted is in
 * range (idle timeout 1 to 10^9 s, a 64-digit SHA-256), that an index written from accepted
 * entries is valid JSON, and that it reads back as a shard index itself. */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "json_read.h"
#include "pdf_writer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_provenance(const char *text, size_t size)
{
    struct json_read_provenance p;
    char err[512] = "";
    if (json_read_provenance(text, size, &p, err, sizeof err) != 0) {
        if (!err[0] || p.filter)
            abort(); /* a refusal must say why, and hold nothing */
        return;
    }
    if (p.idle_timeout_s < 1 || p.idle_timeout_s > 1000000000 || strlen(p.sha256) != 64 ||
        strspn(p.sha256, "0123456789abcdef") != 64)
        abort();
    json_read_provenance_free(&p);
}

/* The index b writes, malloc'd (NULL when out of memory). */
static char *written(struct index_builder *b, size_t *len)
{
    char *text = NULL, err[512];
    FILE *mem = open_memstream(&text, len);
    if (!mem)
        return NULL;
    int rc = index_write(b, mem, "fuzz", err, sizeof err);
    fclose(mem);
    if (rc != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* An index pcap2report wrote, merged line by line (index_merge_lines), gives the same index as
 * merged whole (whole, from index_merge_text). */
static void same_by_lines(const char *text, size_t len, struct index_builder *whole)
{
    FILE *in = fmemopen((void *)text, len, "r");
    struct index_builder *by_lines = index_new();
    char err[512] = "";
    if (in && by_lines) {
        int rc = index_merge_lines(by_lines, "again", in, err, sizeof err);
        if (rc != 0 && !strstr(err, "out of memory"))
            abort(); /* it is in the layout index_write writes, and valid */
        size_t la = 0, lb = 0;
        char *a = rc == 0 && whole ? written(whole, &la) : NULL, *b = a ? written(by_lines, &lb) : NULL;
        if (a && b && (la != lb || memcmp(a, b, la) != 0))
            abort();
        free(a);
        free(b);
    }
    if (in)
        fclose(in);
    index_free(by_lines);
}

/* Any text, line by line: a refusal says why; text in another layout adds nothing. */
static void merge_lines_of_anything(const char *text, size_t size)
{
    FILE *in = size ? fmemopen((void *)text, size, "r") : NULL;
    struct index_builder *b = index_new();
    char err[512] = "";
    if (in && b) {
        int rc = index_merge_lines(b, "fuzz", in, err, sizeof err);
        if ((rc == -1 && !err[0]) || rc < -1 || rc > 1)
            abort();
        size_t len;
        free(written(b, &len));
    }
    if (in)
        fclose(in);
    index_free(b);
}

/* Writes the index into memory, checks it is JSON, merges it back into a new builder (whole
 * and line by line, which must agree), and makes the PDF summary's counts from both. */
static void write_and_reread(struct index_builder *b)
{
    char *text = NULL, err[512] = "";
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return;
    int rc = index_write(b, mem, "fuzz", err, sizeof err);
    fclose(mem);
    struct pdf_batch summary;
    if (rc == 0) {
        cJSON *doc = cJSON_ParseWithLength(text, len);
        if (!doc)
            abort(); /* the index written must be JSON */
        cJSON_Delete(doc);
        struct index_builder *again = index_new();
        if (again && index_merge_text(again, "again", text, len, err, sizeof err) != 0 &&
            !strstr(err, "out of memory"))
            abort(); /* an index pcap2report wrote must read back as a shard index */
        if (again && index_batch_summary(again, &summary) != 0)
            abort();
        same_by_lines(text, len, again);
        index_free(again);
    }
    free(text);
    if (index_batch_summary(b, &summary) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy with no terminator: the readers take a length, never a C string. */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    check_provenance(text, size);

    char err[512] = "";
    struct index_builder *b = index_new();
    if (!b) {
        free(text);
        return 0;
    }
    if (index_merge_text(b, "fuzz", text, size, err, sizeof err) != 0 && !err[0])
        abort();
    merge_lines_of_anything(text, size);
    struct index_input x = {.input = "in.pcap", .status = "converted", .json_rel = "r.json", .pdf_rel = "r.pdf",
                            .head = text, .head_len = size};
    err[0] = '\0';
    if (index_add(b, &x, err, sizeof err) != 0 && !err[0])
        abort();
    write_and_reread(b);
    index_free(b);
    free(text);
    return 0;
}
