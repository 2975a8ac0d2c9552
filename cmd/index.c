/* index.c — `pcap2report index OUT...`: builds OUT/index.json from what conversions left.
 *
 * For a batch run on N machines with --shard K/N, each machine leaves an
 * index.shard-K-of-N.json beside its reports; copied into one folder (or given as several
 * folders), this merges them. A folder without shard indexes is scanned for reports. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "index.h"
#include "grow.h"

static int add_folder(struct index_builder *b, const char *dir, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: cannot open the folder", dir);
        return -1;
    }
    char **shards = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "index.shard-", 12) != 0)
            continue;
        if (!GROW(shards, cap, n + 1, 16) || asprintf(&shards[n], "%s/%s", dir, e->d_name) < 0)
            break;
        n++;
    }
    closedir(d);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (rc == 0)
            rc = index_merge_file(b, shards[i], err, errlen);
        free(shards[i]);
    }
    free(shards);
    if (rc == 0 && n == 0)
        rc = index_scan_reports(b, dir, err, errlen);
    return rc;
}

int cmd_index(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs("Usage: pcap2report index OUT...\n"
              "Builds OUT/index.json (in the first OUT) from the shard indexes\n"
              "(index.shard-K-of-N.json) or, where there are none, from the reports in each OUT.\n",
              argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    char err[512], *path;
    struct index_builder *b = index_new();
    int rc = b ? 0 : -1;
    if (!b)
        snprintf(err, sizeof err, "out of memory");
    for (int i = 1; rc == 0 && i < argc; i++)
        rc = add_folder(b, argv[i], err, sizeof err);
    if (rc == 0) {
        if (asprintf(&path, "%s/index.json", argv[1]) < 0) {
            rc = -1;
            snprintf(err, sizeof err, "out of memory");
        } else {
            rc = index_write(b, path, PCAP2REPORT_VERSION, err, sizeof err);
            if (rc == 0)
                fprintf(stderr, "pcap2report: wrote %s\n", path);
            free(path);
        }
    }
    index_free(b);
    if (rc != 0) {
        fprintf(stderr, "pcap2report: index: %s\n", err);
        return EXIT_SOME_FAILED;
    }
    return EXIT_OK;
}
