/* shard.c — writes the index-merge benchmark's shard index: N entries (default 4 million) in
 * the layout index_write writes, made from a real shard index written by this pcap2report.
 *
 *   shard [-n ENTRIES] -t TEMPLATE.json -o OUT.json
 *
 * TEMPLATE is a shard index from a small batch (bench/index-merge.sh runs one on samples/):
 * its first two lines are copied, then its entries over and over, the k-th copy with
 * "gK/" (K zero-padded to 8 digits) put in front of its input and its output paths, so that
 * every entry is its own input and the file is sorted as index_write sorts. Building it from
 * the program's own output keeps the benchmark on the line-by-line path whatever the entries
 * hold in a later version; the head's totals are the template's (merging adds the entries up
 * again and never reads them). The same bytes for the same arguments. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes line (its comma and newline dropped) with prefix after the first "KEY":" of each key. */
static void put_entry(FILE *out, const char *line, size_t len, const char *prefix)
{
    static const char *const keys[] = {"\"input\":\"", "\"json\":\"", "\"pdf\":\"", "\"html\":\"", "\"csv\":\"",
                                       "\"svg\":\""};
    const char *at[6];
    for (size_t k = 0; k < 6; k++) {
        const char *p = memmem(line, len, keys[k], strlen(keys[k]));
        at[k] = p ? p + strlen(keys[k]) : NULL;
    }
    const char *from = line, *end = line + len;
    while (from < end) {
        const char *next = end;
        for (size_t k = 0; k < 6; k++)
            if (at[k] && at[k] >= from && at[k] < next)
                next = at[k];
        fwrite(from, 1, (size_t)(next - from), out);
        if (next < end)
            fputs(prefix, out);
        from = next;
        for (size_t k = 0; k < 6; k++)
            if (at[k] == next)
                at[k] = NULL;
    }
}

int main(int argc, char **argv)
{
    unsigned long long n = 4000000;
    const char *tpl = NULL, *outname = NULL;
    int c;
    while ((c = getopt(argc, argv, "n:t:o:")) != -1) {
        switch (c) {
        case 'n': n = strtoull(optarg, NULL, 10); break;
        case 't': tpl = optarg; break;
        case 'o': outname = optarg; break;
        default: tpl = NULL; optind = argc; break;
        }
    }
    if (!tpl || !outname || !n || n > 99999999ULL * 1000) {
        fputs("usage: shard [-n ENTRIES] -t TEMPLATE.json -o OUT.json\n", stderr);
        return 2;
    }
    FILE *in = fopen(tpl, "r"), *out = fopen(outname, "w");
    if (!in || !out) {
        perror(!in ? tpl : outname);
        return 1;
    }
    char *lines[1024], *line = NULL;
    size_t lens[1024], m = 0, cap = 0;
    ssize_t len;
    for (int i = 0; (len = getline(&line, &cap, in)) > 0; i++) {
        if (i < 2) {
            fputs(line, out); /* the head, then "inputs":[ */
            continue;
        }
        if (strcmp(line, "]}\n") == 0)
            break;
        if (m == 1024 || !(lines[m] = strndup(line, (size_t)len))) {
            fputs("shard: the template has too many entries\n", stderr);
            return 1;
        }
        len -= line[len - 1] == '\n';
        len -= len && line[len - 1] == ',';
        lens[m++] = (size_t)len;
    }
    if (!m) {
        fprintf(stderr, "shard: %s has no entries in index_write's layout\n", tpl);
        return 1;
    }
    for (unsigned long long i = 0; i < n; i++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "g%08llu/", i / m);
        put_entry(out, lines[i % m], lens[i % m], prefix);
        fputs(i + 1 < n ? ",\n" : "\n", out);
    }
    fputs("]}\n", out);
    if (fclose(out) != 0) {
        perror(outname);
        return 1;
    }
    fclose(in);
    for (size_t i = 0; i < m; i++)
        free(lines[i]);
    free(line);
    return 0;
}
