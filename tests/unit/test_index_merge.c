/* test_index_merge.c — merging shard indexes (index_merge_lines, index_merge_text) gives the
 * bytes it gave before index_scan.c read lines without cJSON: a shard with escapes in its
 * names, the same shard pretty-printed (read whole, through cJSON), and every one-byte change
 * of the shard's entries merged line by line against the same text merged whole by cJSON;
 * from a file, whose lines stay there until they are written, checked again then. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "index_fixtures.h"
#include "scratch.h"

/* A file of tests/fixtures/index-merge, malloc'd and NUL-terminated. */
static char *fixture(const char *name)
{
    char path[256], *text = NULL;
    size_t cap = 0;
    snprintf(path, sizeof path, "tests/fixtures/index-merge/%s", name);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    ssize_t n = getdelim(&text, &cap, '\0', f);
    fclose(f);
    cr_assert(n > 0, "%s", path);
    return text;
}


static int merge_lines(struct index_builder *b, const char *text, size_t len, char *err, size_t errlen)
{
    FILE *f = fmemopen((void *)text, len, "r");
    cr_assert_not_null(f);
    int rc = index_merge_lines(b, "s.json", f, err, errlen);
    fclose(f);
    return rc;
}

/* shard.json (index_write's layout; names with quotes, backslashes, control characters, DEL
 * and UTF-8; an entry renamed, one with HTML; out of order) and pretty.json (the same, pretty-
 * printed) merge to merged.json, which pcap2report wrote before index_scan.c (and whose
 * index.html is the same bytes too: tests/views.sh). */
Test(index_merge, shards_merge_to_the_bytes_they_gave_before)
{
    char *shard = fixture("shard.json"), *pretty = fixture("pretty.json"), *merged = fixture("merged.json");
    char err[256];
    struct index_builder *b = index_new();
    cr_assert_eq(merge_lines(b, shard, strlen(shard), err, sizeof err), 0, "%s", err);
    char *out = index_written(b);
    cr_expect_str_eq(out, merged);
    free(out);
    index_free(b);

    b = index_new();
    cr_expect_eq(merge_lines(b, pretty, strlen(pretty), err, sizeof err), 1, "another layout: read whole");
    cr_assert_eq(index_merge_text(b, "s.json", pretty, strlen(pretty), err, sizeof err), 0, "%s", err);
    out = index_written(b);
    cr_expect_str_eq(out, merged);
    free(out);
    index_free(b);
    free(shard);
    free(pretty);
    free(merged);
}

/* One variant of the shard merged both ways: line by line (index_scan.c, or cJSON for a
 * line it declines) and whole (cJSON only). Same outcome, same message, same index; a
 * variant no longer in the line layout (1) is read whole by the caller, nothing to compare. */
static void same_both_ways(const char *text, size_t len, size_t at, char to)
{
    char err_l[256] = "", err_t[256] = "";
    struct index_builder *l = index_new(), *t = index_new();
    int rc_l = merge_lines(l, text, len, err_l, sizeof err_l);
    if (rc_l != 1) {
        int rc_t = index_merge_text(t, "s.json", text, len, err_t, sizeof err_t);
        cr_expect_eq(rc_l, rc_t, "byte %zu as '%c': %d (%s) by lines, %d (%s) whole", at, to, rc_l, err_l, rc_t, err_t);
        if (rc_l == -1 && rc_t == -1)
            cr_expect_str_eq(err_l, err_t, "byte %zu as '%c'", at, to);
        if (rc_l == 0 && rc_t == 0) {
            char *a = index_written(l), *b = index_written(t);
            cr_expect_str_eq(a, b, "byte %zu as '%c'", at, to);
            free(a);
            free(b);
        }
    }
    index_free(l);
    index_free(t);
}

/* Every byte of every entry replaced by each of a few characters that change what JSON
 * means (and removed, shown as '~'). */
Test(index_merge, every_one_byte_change_merges_as_cjson_reads_it)
{
    char *shard = fixture("shard.json");
    size_t len = strlen(shard);
    const char *from = strstr(shard, "\"inputs\":[\n"), *to = strstr(shard, "\n]}\n");
    cr_assert(from && to);
    char *text = malloc(len + 1);
    cr_assert_not_null(text);
    static const char subs[] = "\"\\0 }x";
    for (size_t at = (size_t)(from - shard) + 11; at < (size_t)(to - shard); at++) {
        if (shard[at] == '\n')
            continue;
        for (size_t k = 0; k <= sizeof subs - 1; k++) {
            size_t n = len;
            memcpy(text, shard, len + 1);
            if (k < sizeof subs - 1) {
                if (text[at] == subs[k])
                    continue;
                text[at] = subs[k];
            } else {
                memmove(text + at, text + at + 1, len - at); /* removed */
                n--;
            }
            same_both_ways(text, n, at, k < sizeof subs - 1 ? subs[k] : '~');
        }
    }
    free(text);
    free(shard);
}

static void files_init(void) { scratch_create("index-merge"); }

/* A shard merged from its file keeps its lines there and writes the same bytes; a shard that
 * changes after it was merged is not written from (its entries were checked as they were). */
Test(index_merge, lines_stay_in_the_shard_file_and_are_checked_again, .init = files_init, .fini = scratch_remove)
{
    char *shard = fixture("shard.json"), *merged = fixture("merged.json"), err[256];
    const char *path = scratch_path("index.shard-1-of-1.json");
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(shard, f);
    cr_assert_eq(fclose(f), 0);
    struct index_builder *b = index_new();
    f = fopen(path, "r");
    cr_assert_not_null(f);
    cr_assert_eq(index_merge_lines(b, "s.json", f, err, sizeof err), 0, "%s", err);
    fclose(f);
    char *out = index_written(b);
    cr_expect_str_eq(out, merged);
    free(out);
    index_free(b);

    /* One digit of an entry's line changed, in place, after the merge. */
    b = index_new();
    f = fopen(path, "r");
    cr_assert_not_null(f);
    cr_assert_eq(index_merge_lines(b, "s.json", f, err, sizeof err), 0, "%s", err);
    fclose(f);
    f = fopen(path, "r+");
    cr_assert_not_null(f);
    long at = (long)(strstr(shard, "\"warnings\":") - shard) + 11;
    cr_assert(fseek(f, at, SEEK_SET) == 0 && fputc(shard[at] == '7' ? '8' : '7', f) != EOF);
    cr_assert_eq(fclose(f), 0);
    char *text = NULL;
    size_t len = 0;
    f = open_memstream(&text, &len);
    cr_assert_not_null(f);
    cr_expect_eq(index_write(b, f, "0.1.0", err, sizeof err), -1);
    fclose(f);
    cr_expect_str_eq(err, "a shard index changed, or could not be read again, while it was merged");
    free(text);
    index_free(b);
    free(shard);
    free(merged);
}
