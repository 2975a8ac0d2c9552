/* inputs.c — collecting captures from files and folders (the walk is walk.c), naming their
 * outputs, sharding. */
#define _GNU_SOURCE
#include "inputs.h"
#include "grow.h"
#include "names.h"
#include "paths.h"
#include "walk.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

/* An empty file named as captures are (.pcap, .pcapng, .cap, and those gzip'd): a capture
 * that tcpdump never wrote to, a failed input as the same file given directly is, where any
 * other file without a capture's content (notes, an empty .gitkeep) is skipped with a note.
 * Its content cannot tell, so its name does. */
static bool is_empty_capture(const char *path)
{
    static const char *const ext[] = {".pcap", ".pcapng", ".cap", ".pcap.gz", ".pcapng.gz", ".cap.gz"};
    struct stat st;
    const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
    size_t n = strlen(name);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != 0)
        return false;
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t e = strlen(ext[i]);
        if (n > e && strcasecmp(name + n - e, ext[i]) == 0)
            return true;
    }
    return false;
}

/* The walk's entries: files by their content, everything not taken with its reason. */
static int take_entry(void *list, const struct walk_entry *e)
{
    char *stem = stem_from_relative(e->rel[0] ? e->rel : "_");
    int rc;
    if (!stem)
        return -1;
    if (e->kind == WALK_FAILED)
        rc = push(list, e->path, stem, INPUT_FAILED, e->reason);
    else if (e->kind == WALK_SKIPPED)
        rc = push(list, e->path, stem, INPUT_SKIPPED, e->reason);
    else if (inputs_is_capture(e->path))
        rc = push(list, e->path, stem, INPUT_PENDING, NULL);
    else if (is_empty_capture(e->path))
        rc = push(list, e->path, stem, INPUT_FAILED, "an empty file (0 bytes): the capture holds nothing");
    else
        rc = push(list, e->path, stem, INPUT_SKIPPED, "not a capture (no pcap or pcapng magic number)");
    free(stem);
    return rc;
}

bool inputs_reserved_stem(const char *stem)
{
    if (strcasecmp(stem, "index") == 0)
        return true;
    /* "index.shard-K-of-N", digits only: what a renamed "...~2" never is. */
    if (strncasecmp(stem, "index.shard-", 12) != 0)
        return false;
    const char *p = stem + 12;
    size_t d = strspn(p, "0123456789");
    if (d == 0 || strncasecmp(p + d, "-of-", 4) != 0)
        return false;
    p += d + 4;
    d = strspn(p, "0123456789");
    return d > 0 && p[d] == '\0';
}

static bool claims_a_name(const struct input *in)
{
    return in->status != INPUT_SKIPPED && in->status != INPUT_FAILED; /* these write nothing */
}

static int compare_stems(const void *a, const void *b, void *list)
{
    const struct input_list *l = list;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcasecmp(l->items[i].stem, l->items[j].stem);
    return c ? c : (i < j ? -1 : i > j);
}

/* Gives the input the stem "<stem>~<k>", remembering the first stem it had. */
static int rename_stem(struct input *in, size_t k)
{
    char *s;
    if (asprintf(&s, "%s~%zu", in->stem, k) < 0)
        return -1;
    if (!in->renamed_from)
        in->renamed_from = in->stem;
    else
        free(in->stem);
    in->stem = s;
    return 0;
}

/* Two inputs must never write the same output, nor one the batch index's: of inputs with the
 * same stem (ignoring ASCII case: "Alice/x" and "alice/x" are one file where the file system
 * ignores it), all but the first (in input order) get "~2", "~3", ...; of those with a reserved
 * stem, all of them, as if the index were the first. Repeated until no stem clashes, in case
 * a renamed stem meets an existing one. Inputs that write nothing claim no name. */
static int make_stems_unique(struct input_list *l)
{
    size_t *order = malloc((l->n + 1) * sizeof *order);
    if (!order)
        return -1;
    for (bool renamed = true; renamed;) {
        renamed = false;
        size_t n = 0;
        for (size_t i = 0; i < l->n; i++)
            if (claims_a_name(&l->items[i]))
                order[n++] = i;
        if (n > 1)
            qsort_r(order, n, sizeof *order, compare_stems, l);
        for (size_t g = 0; g < n;) {
            size_t e = g + 1;
            while (e < n && strcasecmp(l->items[order[e]].stem, l->items[order[g]].stem) == 0)
                e++;
            size_t index_takes = inputs_reserved_stem(l->items[order[g]].stem) ? 1 : 0;
            for (size_t k = g + 1 - index_takes; k < e; k++) {
                if (rename_stem(&l->items[order[k]], k - g + 1 + index_takes) != 0) {
                    free(order);
                    return -1;
                }
                renamed = true;
            }
            g = e;
        }
    }
    free(order);
    return 0;
}

int inputs_collect(struct input_list *l, char **args, size_t n_args, const struct inputs_options *opt, char *err,
                   size_t errlen)
{
    struct walk_options wo = {.follow = opt->follow, .hint_follow = true, .max_depth = MAX_DEPTH, .exclude = opt->exclude,
                              .exclude_dev = opt->exclude_dev, .exclude_ino = opt->exclude_ino};
    for (size_t i = 0; i < n_args; i++) {
        const char *a = args[i];
        struct stat st;
        int rc;
        if (strcmp(a, "-") == 0) {
            rc = push(l, a, "stdin", INPUT_PENDING, NULL);
        } else if (stat(a, &st) == 0 && S_ISDIR(st.st_mode)) {
            /* The user's own argument: a link to a folder is followed; links inside are not. */
            /* "hw//alice/" is walked as "hw/alice": the paths printed and written into the
             * index are built from it. */
            char *dir = path_tidy(a);
            if (!dir)
                goto oom;
            rc = walk_tree(dir, &wo, take_entry, l);
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
            free(l->items[i].renamed_from);
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
        free(l->items[i].renamed_from);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}
