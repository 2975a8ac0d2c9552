/* inputs.c — collecting captures from files and folders, naming their outputs, sharding. */
#define _GNU_SOURCE
#include "inputs.h"
#include "grow.h"
#include "names.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

enum { MAX_DEPTH = 64, MAX_COMPONENT = 200 };

/* The rule is names.c's, shared with `grade`'s feedback file names. */
void inputs_safe_component(const char *in, size_t len, char *out)
{
    names_component(in, len, out);
}

bool inputs_is_capture(const char *path)
{
    static const uint8_t magics[][4] = {
        {0xd4, 0xc3, 0xb2, 0xa1}, {0xa1, 0xb2, 0xc3, 0xd4}, /* pcap, microseconds */
        {0x4d, 0x3c, 0xb2, 0xa1}, {0xa1, 0xb2, 0x3c, 0x4d}, /* pcap, nanoseconds */
        {0x0a, 0x0d, 0x0d, 0x0a},                           /* pcapng section header */
    };
    uint8_t head[4];
    gzFile f = gzopen(path, "rb"); /* reads a gzip'd capture's magic; plain files pass through */
    if (!f)
        return false;
    int n = gzread(f, head, sizeof head);
    gzclose(f);
    if (n < 4)
        return false;
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
        if (memcmp(head, magics[i], 4) == 0)
            return true;
    return false;
}

static int push(struct input_list *l, const char *path, const char *stem, enum input_status st, const char *reason)
{
    if (!GROW(l->items, l->cap, l->n + 1, 16))
        return -1;
    struct input *in = &l->items[l->n];
    memset(in, 0, sizeof *in);
    in->path = strdup(path);
    in->stem = strdup(stem);
    in->status = st;
    in->reason = reason ? strdup(reason) : NULL;
    if (!in->path || !in->stem || (reason && !in->reason)) {
        free(in->path);
        free(in->stem);
        free(in->reason);
        return -1;
    }
    l->n++;
    return 0;
}

/* "dir/sub/x.pcap" relative path -> "dir/sub/x", each component made safe. */
static char *stem_from_relative(const char *rel)
{
    size_t len = strlen(rel);
    char *out = malloc(len * 1 + 2 * (MAX_COMPONENT + 2) + 16), *w = out;
    if (!out)
        return NULL;
    const char *p = rel;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (!slash) { /* the file name: drop its last extension, and a ".gz" after it */
            if (n > 3 && memcmp(p + n - 3, ".gz", 3) == 0)
                n -= 3;
            const char *dot = memrchr(p, '.', n);
            if (dot && dot != p)
                n = (size_t)(dot - p);
        }
        if (n) {
            char comp[MAX_COMPONENT + 1];
            inputs_safe_component(p, n, comp);
            if (w != out)
                *w++ = '/';
            w = stpcpy(w, comp);
        }
        p = slash ? slash + 1 : p + n + strlen(p + n);
    }
    if (w == out)
        w = stpcpy(w, "capture");
    *w = '\0';
    return out;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(struct input_list *l, const char *dir, const char *rel, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return push(l, dir, rel[0] ? rel : "_", INPUT_FAILED, "cannot open the folder");
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (!GROW(names, cap, n + 1, 32)) {
            rc = -1;
            break;
        }
        if (!(names[n] = strdup(e->d_name))) { rc = -1; break; }
        n++;
    }
    closedir(d);
    if (rc == 0 && n) /* qsort(NULL, 0, ...) is undefined: an empty folder */
        qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char *path, *child_rel;
        if (asprintf(&path, "%s/%s", dir, names[i]) < 0) { rc = -1; break; }
        if (asprintf(&child_rel, "%s%s%s", rel, rel[0] ? "/" : "", names[i]) < 0) { free(path); rc = -1; break; }
        struct stat st;
        if (lstat(path, &st) != 0) {
            /* vanished while walking: ignore */
        } else if (S_ISDIR(st.st_mode)) {
            if (depth < MAX_DEPTH)
                rc = walk(l, path, child_rel, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            char *stem = stem_from_relative(child_rel);
            if (!stem)
                rc = -1;
            else if (inputs_is_capture(path))
                rc = push(l, path, stem, INPUT_PENDING, NULL);
            else
                rc = push(l, path, stem, INPUT_SKIPPED, "not a capture (no pcap or pcapng magic number)");
            free(stem);
        }
        free(path);
        free(child_rel);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* Two inputs must never write the same output: of inputs with the same stem, all but the
 * first (in input order) get "~2", "~3", ...; repeated until no stem clashes, in case a
 * renamed stem meets an existing one. */
static const struct input_list *sort_list;

static int compare_stems(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcmp(sort_list->items[i].stem, sort_list->items[j].stem);
    return c ? c : (i < j ? -1 : i > j);
}

static int make_stems_unique(struct input_list *l)
{
    size_t *order = malloc((l->n + 1) * sizeof *order);
    if (!order)
        return -1;
    for (bool renamed = true; renamed;) {
        renamed = false;
        for (size_t i = 0; i < l->n; i++)
            order[i] = i;
        sort_list = l;
        qsort(order, l->n, sizeof *order, compare_stems);
        for (size_t g = 0; g < l->n;) {
            size_t e = g + 1;
            while (e < l->n && strcmp(l->items[order[e]].stem, l->items[order[g]].stem) == 0)
                e++;
            for (size_t k = g + 1; k < e; k++) {
                char *s;
                if (asprintf(&s, "%s~%zu", l->items[order[k]].stem, k - g + 1) < 0) {
                    free(order);
                    return -1;
                }
                free(l->items[order[k]].stem);
                l->items[order[k]].stem = s;
                renamed = true;
            }
            g = e;
        }
    }
    free(order);
    return 0;
}

int inputs_collect(struct input_list *l, char **args, size_t n_args, char *err, size_t errlen)
{
    for (size_t i = 0; i < n_args; i++) {
        const char *a = args[i];
        struct stat st;
        int rc;
        if (strcmp(a, "-") == 0) {
            rc = push(l, a, "stdin", INPUT_PENDING, NULL);
        } else if (stat(a, &st) == 0 && S_ISDIR(st.st_mode)) {
            char *dir = strdup(a);
            if (!dir)
                goto oom;
            size_t len = strlen(dir);
            while (len > 1 && dir[len - 1] == '/')
                dir[--len] = '\0';
            rc = walk(l, dir, "", 0);
            free(dir);
        } else {
            const char *slash = strrchr(a, '/');
            char *stem = stem_from_relative(slash ? slash + 1 : a);
            if (!stem)
                goto oom;
            rc = push(l, a, stem, INPUT_PENDING, NULL);
            free(stem);
        }
        if (rc != 0)
            goto oom;
    }
    if (make_stems_unique(l) != 0)
        goto oom;
    return 0;
oom:
    snprintf(err, errlen, "out of memory while listing inputs");
    return -1;
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

void inputs_shard(struct input_list *l, unsigned k, unsigned n)
{
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (fnv1a(l->items[i].stem) % n == k - 1) {
            l->items[w++] = l->items[i];
        } else {
            free(l->items[i].path);
            free(l->items[i].stem);
            free(l->items[i].reason);
        }
    }
    l->n = w;
}

void inputs_free(struct input_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].path);
        free(l->items[i].stem);
        free(l->items[i].reason);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}
