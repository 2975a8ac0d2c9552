/* test_readfile.c — the bounded reader (analysis/readfile.h) and the checked reading of
 * reports and indexes (render/json_read.h, render/index.h): what hostile files must give. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index.h"
#include "index_fixtures.h"
#include "json_read.h"
#include "readfile.h"
#include "scratch.h"

static void setup(void) { scratch_create("test_readfile"); }

TestSuite(readfile, .init = setup, .fini = scratch_remove);

static char *read_all(const char *path, size_t max, unsigned flags, size_t *len, bool *cut, char *err)
{
    return readfile(AT_FDCWD, path, max, flags, len, cut, err, 256);
}

Test(readfile, devices_folders_and_links_are_refused_at_once)
{
    char err[256];
    size_t len;
    cr_expect_null(read_all("/dev/zero", 1 << 20, 0, &len, NULL, err));
    cr_expect_str_eq(err, "/dev/zero: a character device, not a file");
    cr_expect_null(read_all(scratch_dir(), 1 << 20, 0, &len, NULL, err));
    cr_expect(strstr(err, ": a folder, not a file") != NULL, "%s", err);
    cr_assert_eq(symlink("/etc/hostname", scratch_path("link")), 0);
    cr_expect_null(read_all(scratch_path("link"), 1 << 20, READFILE_NOFOLLOW, &len, NULL, err));
    cr_expect(strstr(err, "a symbolic link, not a file") != NULL, "%s", err);
    cr_expect_null(read_all(scratch_path("missing"), 1 << 20, 0, &len, NULL, err));
    cr_expect(strstr(err, "No such file or directory") != NULL, "%s", err);
}

Test(readfile, a_fifo_without_a_writer_reads_as_empty_and_can_be_refused)
{
    char err[256];
    size_t len = 99;
    cr_assert_eq(mkfifo(scratch_path("fifo"), 0600), 0);
    char *t = read_all(scratch_path("fifo"), 1 << 20, 0, &len, NULL, err);
    cr_assert_not_null(t, "%s", err);
    cr_expect_eq(len, 0);
    cr_expect_eq(t[0], '\0');
    free(t);
    cr_expect_null(read_all(scratch_path("fifo"), 1 << 20, READFILE_REGULAR, &len, NULL, err));
    cr_expect(strstr(err, "a FIFO (named pipe), not a file") != NULL, "%s", err);
}

Test(readfile, the_bound_holds_and_a_prefix_is_cut_there)
{
    char err[256];
    size_t len;
    bool cut = false;
    FILE *f = fopen(scratch_path("ten"), "w");
    cr_assert_not_null(f);
    fputs("0123456789", f);
    fclose(f);
    char *t = read_all(scratch_path("ten"), 10, 0, &len, NULL, err);
    cr_assert_not_null(t, "%s", err);
    cr_expect(len == 10 && strcmp(t, "0123456789") == 0);
    free(t);
    cr_expect_null(read_all(scratch_path("ten"), 9, 0, &len, NULL, err));
    cr_expect(strstr(err, "larger than 9 bytes") != NULL, "%s", err);
    t = read_all(scratch_path("ten"), 4, READFILE_PREFIX, &len, &cut, err);
    cr_assert_not_null(t, "%s", err);
    cr_expect(len == 4 && cut && strcmp(t, "0123") == 0);
    free(t);
    t = read_all(scratch_path("ten"), 10, READFILE_PREFIX, &len, &cut, err);
    cr_expect(t && len == 10 && !cut, "a file of exactly max bytes is whole");
    free(t);
}

Test(readfile, more_stops_at_the_bound_and_goes_on_later)
{
    int fd = open("/dev/zero", O_RDONLY);
    cr_assert_geq(fd, 0);
    char *buf = NULL;
    size_t len = 0;
    cr_expect_eq(readfile_more(fd, 100000, &buf, &len), 0, "max reached before the end");
    cr_expect_eq(len, 100000);
    cr_expect_eq(readfile_more(fd, 300000, &buf, &len), 0);
    cr_expect_eq(len, 300000);
    cr_expect_eq(buf[len], '\0');
    free(buf);
    close(fd);
}

/* ---- reports and indexes read back --------------------------------------------------------- */

static const char *head =
    "{\"schema\":{\"name\":\"pcap2report\",\"version\":\"1.0.0\"},\"tool\":{\"name\":\"pcap2report\",\"version\":"
    "\"0.1.0\",\"options\":{\"filter\":null,\"max_sessions\":0,\"idle_timeout_s\":300}},\n"
    "\"input\":{\"file_name\":\"x.pcap\",\"sha256\":\"ec0fdf0476f7ee9209d2b60ce7a5a119a37b25252e8e3081c0dc41c9a6"
    "2370d7\",\"packets\":{\"total\":11,\"tcp\":11},\"warnings\":[]},\n"
    "\"summary\":{\"sessions\":1,\"sessions_dropped\":0,\"handshake\":{\"normal\":1},\"teardown\":{\"four-way\":1},"
    "\"anomalies\":{\"bad-checksum\":1}},\n\"sessions\":[\n";

/* head with `from` replaced by `to`, malloc'd. */
static char *edited(const char *from, const char *to)
{
    const char *at = strstr(head, from);
    cr_assert_not_null(at, "%s", from);
    char *s;
    cr_assert_geq(asprintf(&s, "%.*s%s%s", (int)(at - head), head, to, at + strlen(from)), 0);
    return s;
}

Test(readfile, provenance_is_read_with_every_number_checked)
{
    struct json_read_provenance p;
    char err[256];
    cr_assert_eq(json_read_provenance(head, strlen(head), &p, err, sizeof err), 0, "%s", err);
    cr_expect(p.idle_timeout_s == 300 && p.max_sessions == 0 && !p.filter && strcmp(p.version, "0.1.0") == 0);
    json_read_provenance_free(&p);
    static const struct { const char *from, *to, *says; } bad[] = {
        {"\"idle_timeout_s\":300", "\"idle_timeout_s\":1e10", "idle_timeout_s is 10000000000, not a whole number"},
        {"\"idle_timeout_s\":300", "\"idle_timeout_s\":0", "idle_timeout_s is 0"},
        {"\"idle_timeout_s\":300", "\"idle_timeout_s\":2.5", "idle_timeout_s is 2.5"},
        {"\"max_sessions\":0", "\"max_sessions\":-1", "max_sessions is -1"},
        {"\"max_sessions\":0", "\"max_sessions\":1e30", "max_sessions is 1e+30, not a whole number from 0 to 2^64"},
        {"\"max_sessions\":0", "\"max_sessions\":null", "max_sessions is null"},
        {"\"filter\":null", "\"filter\":7", "filter is 7, not a string or null"},
        {"ec0fdf", "ZZ0fdf", "sha256 is not 64 hexadecimal digits"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *t = edited(bad[i].from, bad[i].to);
        cr_expect_eq(json_read_provenance(t, strlen(t), &p, err, sizeof err), -1, "%s", bad[i].to);
        cr_expect(strstr(err, bad[i].says) != NULL, "%s: %s", bad[i].to, err);
        free(t);
    }
    cr_expect_eq(json_read_provenance(head, 40, &p, err, sizeof err), -1, "a head cut inside its first line");
}

Test(readfile, index_entries_from_reports_and_shards_are_checked)
{
    struct index_builder *b = index_new();
    char err[256];
    struct index_input x = {.status = "converted", .json_rel = "x.json", .head = head, .head_len = strlen(head)};
    cr_expect_eq(index_add(b, &x, err, sizeof err), 0, "%s", err);
    char *t = edited("\"four-way\":1", "\"four-way\":-7");
    x.head = t;
    x.head_len = strlen(t);
    cr_expect_eq(index_add(b, &x, err, sizeof err), -1);
    cr_expect_str_eq(err, "x.json: not a pcap2report report: summary.teardown.four-way is -7, not a whole number "
                          "from 0 to 2^53");
    free(t);
    t = edited("\"normal\":1", "\"made-up\":1");
    x.head = t;
    x.head_len = strlen(t);
    cr_expect_eq(index_add(b, &x, err, sizeof err), -1, "an unknown class name is refused");
    free(t);

    static const char *const shards[] = {
        "{\"schema\":{\"name\":\"pcap2report-index\"},\"inputs\":[{\"input\":\"a\",\"status\":\"failed\","
        "\"reason\":\"r\",\"outputs\":{\"json\":\"../x.json\",\"pdf\":null},\"summary\":null}]}",
        "{\"schema\":{\"name\":\"pcap2report-index\"},\"inputs\":[{\"input\":\"a\",\"status\":\"done\","
        "\"reason\":null,\"outputs\":{\"json\":null,\"pdf\":null},\"summary\":null}]}",
        "{\"schema\":{\"name\":\"other\"},\"inputs\":[]}",
    };
    static const char *const says[] = {"entry 1: an output is not a path below OUT", "entry 1: its status",
                                       "no \"schema\" pcap2report-index"};
    for (size_t i = 0; i < 3; i++) {
        cr_expect_eq(index_merge_text(b, "s.json", shards[i], strlen(shards[i]), err, sizeof err), -1);
        cr_expect(strstr(err, says[i]) != NULL, "%s", err);
    }
    index_free(b);
}


static int merge_lines_of(struct index_builder *b, const char *text, char *err, size_t errlen)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    cr_assert_not_null(f);
    int rc = index_merge_lines(b, "s.json", f, err, errlen);
    fclose(f);
    return rc;
}

/* A shard laid out as index_write writes it is merged a line at a time, to the same index as
 * the whole-document parse gives; an entry that is wrong is named by its number, nothing of
 * the shard is taken; text in another layout is left to index_merge_text (1); an entry not in
 * cJSON's printed form is printed again, as the whole-document path prints it. */
Test(readfile, shard_indexes_merge_line_by_line_as_whole)
{
    char err[256];
    struct index_builder *one = index_new();
    struct index_input x = {.input = "c/a.pcap", .status = "converted", .json_rel = "a.json", .head = head,
                            .head_len = strlen(head)};
    cr_assert_eq(index_add(one, &x, err, sizeof err), 0, "%s", err);
    x = (struct index_input){.input = "c/b.pcap", .status = "failed", .reason = "r\x01\t\"q\""};
    cr_assert_eq(index_add(one, &x, err, sizeof err), 0, "%s", err);
    char *shard = index_written(one);
    index_free(one);

    struct index_builder *by_lines = index_new(), *whole = index_new();
    cr_expect_eq(merge_lines_of(by_lines, shard, err, sizeof err), 0, "%s", err);
    cr_expect_eq(index_merge_text(whole, "s.json", shard, strlen(shard), err, sizeof err), 0, "%s", err);
    char *a = index_written(by_lines), *b = index_written(whole);
    cr_expect_str_eq(a, b);
    cr_expect_str_eq(a, shard, "merging one shard gives it back");
    free(a);
    free(b);

    /* Another layout (pretty-printed, say): 1, nothing taken. */
    struct index_builder *other = index_new();
    cr_expect_eq(merge_lines_of(other, "{\n  \"schema\": {\"name\": \"pcap2report-index\"},\n  \"inputs\": []\n}\n",
                                err, sizeof err), 1);
    /* A wrong entry: named, and nothing of the shard taken. */
    char *bad = strdup(shard);
    char *at = strstr(bad, "\"status\":\"failed\"");
    cr_assert_not_null(at);
    memcpy(at + 9, "\"feiled\"", 8);
    cr_expect_eq(merge_lines_of(other, bad, err, sizeof err), -1);
    cr_expect_str_eq(err, "s.json: not a pcap2report index: entry 2: its status is not converted, up-to-date, "
                          "failed or skipped");
    /* An entry with an escape cJSON does not print (\u0041 for A) is printed again. */
    at = strstr(bad, "\"feiled\"");
    memcpy(at, "\"failed\"", 8);
    at = strstr(bad, "\"c/b.pcap\"");
    cr_assert_not_null(at);
    char *escaped = NULL;
    cr_assert(asprintf(&escaped, "%.*s\"c/\\u0062.pcap\"%s", (int)(at - bad), bad, at + 10) > 0);
    cr_expect_eq(merge_lines_of(other, escaped, err, sizeof err), 0, "%s", err);
    char *c = index_written(other);
    cr_expect_str_eq(c, shard);
    free(c);
    free(escaped);
    free(bad);
    free(shard);
    index_free(other);
    index_free(by_lines);
    index_free(whole);
}
