/* walk.c — the folder walk of walk.h: each folder opened relative to its parent, its entries
 * sorted, each looked at without following a link (fstatat with AT_SYMLINK_NOFOLLOW, as
 * find -P does), and the folders walked remembered by device and inode (as find -L and GNU
 * tar's --dereference detect loops: fts(3)'s FTS_DC). */
#define _GNU_SOURCE
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grow.h"

struct folder_id {
    dev_t dev;
    ino_t ino;
    bool used;
};

struct walker {
    const struct walk_options *o;
    int (*fn)(void *arg, const struct walk_entry *e);
    void *arg;
    struct folder_id *seen; /* open addressing; size a power of two, at most half full */
    size_t n_seen, size_seen;
};

static size_t slot_of(const struct walker *w, dev_t dev, ino_t ino)
{
    uint64_t h = ((uint64_t)ino * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)dev * 0xc2b2ae3d27d4eb4fULL);
    size_t i = (size_t)(h ^ h >> 29) & (w->size_seen - 1);
    while (w->seen[i].used && !(w->seen[i].dev == dev && w->seen[i].ino == ino))
        i = (i + 1) & (w->size_seen - 1);
    return i;
}

/* Records a folder; 1 when it was new, 0 when it had been walked already, -1 out of memory. */
static int remember(struct walker *w, dev_t dev, ino_t ino)
{
    if (2 * (w->n_seen + 1) > w->size_seen) {
        struct walker bigger = *w;
        bigger.size_seen = w->size_seen ? w->size_seen * 2 : 64;
        if (!(bigger.seen = calloc(bigger.size_seen, sizeof *bigger.seen)))
            return -1;
        for (size_t i = 0; i < w->size_seen; i++)
            if (w->seen[i].used)
                bigger.seen[slot_of(&bigger, w->seen[i].dev, w->seen[i].ino)] = w->seen[i];
        free(w->seen);
        w->seen = bigger.seen;
        w->size_seen = bigger.size_seen;
    }
    size_t i = slot_of(w, dev, ino);
    if (w->seen[i].used)
        return 0;
    w->seen[i] = (struct folder_id){dev, ino, true};
    w->n_seen++;
    return 1;
}

static int tell(struct walker *w, enum walk_kind kind, const char *path, const char *rel, const char *reason,
                int depth)
{
    struct walk_entry e = {kind, path, rel, reason, depth};
    return w->fn(w->arg, &e);
}

static const char *not_a_file(mode_t m)
{
    return S_ISFIFO(m) ? "a FIFO (named pipe), not read"
         : S_ISCHR(m) ? "a character device, not read"
         : S_ISBLK(m) ? "a block device, not read"
         : S_ISSOCK(m) ? "a socket, not read"
         : "not a regular file, not read";
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of the open folder fd (taken over), sorted; -1 out of memory or unreadable. */
static ssize_t list_folder(struct walker *w, int fd, char ***out)
{
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    bool ok = true;
    errno = 0;
    while (ok && (e = readdir(d))) {
        const char *nm = e->d_name;
        if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0 || (w->o->skip_hidden && nm[0] == '.'))
            continue;
        ok = GROW(names, cap, n + 1, 32) && (names[n] = strdup(nm)) != NULL;
        n += ok;
    }
    ok = ok && errno == 0;
    closedir(d);
    if (!ok) {
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
        return -1;
    }
    if (n > 1)
        qsort(names, n, sizeof *names, compare_names);
    *out = names;
    return (ssize_t)n;
}

static int walk_folder(struct walker *w, int fd, const char *path, const char *rel, int depth);

/* A folder below: opened (through a link only when following), checked, walked. */
static int enter(struct walker *w, int parent, const char *name, bool via_link, const char *path,
                 const char *rel, int depth)
{
    char why[96];
    if (depth + 1 > w->o->max_depth) {
        snprintf(why, sizeof why, "a folder nested deeper than %d folders, not walked", w->o->max_depth);
        return tell(w, WALK_SKIPPED, path, rel, why, depth);
    }
    if (strlen(path) >= PATH_MAX) {
        snprintf(why, sizeof why, "a folder whose path is longer than %d bytes, not walked", PATH_MAX - 1);
        return tell(w, WALK_SKIPPED, path, rel, why, depth);
    }
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (via_link ? 0 : O_NOFOLLOW));
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(why, sizeof why, "cannot open the folder: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return tell(w, WALK_FAILED, path, rel, why, depth);
    }
    if (w->o->exclude && st.st_dev == w->o->exclude_dev && st.st_ino == w->o->exclude_ino) {
        close(fd);
        return tell(w, WALK_SKIPPED, path, rel, "the output folder, not walked", depth);
    }
    int fresh = remember(w, st.st_dev, st.st_ino);
    if (fresh <= 0) {
        close(fd);
        return fresh < 0 ? -1 : tell(w, WALK_SKIPPED, path, rel,
                                      "a folder already walked (a loop, or a second link to it), not walked again",
                                      depth);
    }
    return walk_folder(w, fd, path, rel, depth + 1);
}

/* One entry of the folder parent. */
static int visit(struct walker *w, int parent, const char *name, const char *path, const char *rel, int depth)
{
    struct stat st;
    char why[96];
    if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        snprintf(why, sizeof why, "cannot be looked at: %s", strerror(errno));
        return tell(w, WALK_SKIPPED, path, rel, why, depth);
    }
    bool link = S_ISLNK(st.st_mode);
    if (link && !w->o->follow)
        return tell(w, WALK_SKIPPED, path, rel,
                    w->o->hint_follow ? "a symbolic link, not followed (--follow follows links)"
                                      : "a symbolic link, not followed", depth);
    if (link && fstatat(parent, name, &st, 0) != 0) {
        snprintf(why, sizeof why, "a symbolic link that leads nowhere: %s", strerror(errno));
        return tell(w, WALK_SKIPPED, path, rel, why, depth);
    }
    if (S_ISDIR(st.st_mode))
        return enter(w, parent, name, link, path, rel, depth);
    if (!S_ISREG(st.st_mode))
        return tell(w, WALK_SKIPPED, path, rel, not_a_file(st.st_mode), depth);
    if (strlen(path) >= PATH_MAX) {
        snprintf(why, sizeof why, "a path longer than %d bytes, which cannot be opened", PATH_MAX - 1);
        return tell(w, WALK_SKIPPED, path, rel, why, depth);
    }
    return tell(w, WALK_FILE, path, rel, NULL, depth);
}

/* Walks the open folder fd (taken over): path and rel name it ("" for rel at the root). */
static int walk_folder(struct walker *w, int fd, const char *path, const char *rel, int depth)
{
    int keep = fcntl(fd, F_DUPFD_CLOEXEC, 0); /* fdopendir takes fd; entries are looked at here */
    char **names = NULL;
    ssize_t n = keep < 0 ? -1 : list_folder(w, fd, &names);
    if (keep < 0)
        close(fd);
    if (n < 0) {
        int e = errno;
        if (keep >= 0)
            close(keep);
        if (e == ENOMEM)
            return -1;
        char why[96];
        snprintf(why, sizeof why, "cannot read the folder: %s", strerror(e));
        return tell(w, WALK_FAILED, path, rel[0] ? rel : ".", why, depth);
    }
    int rc = 0;
    for (ssize_t i = 0; rc == 0 && i < n; i++) {
        char *child = NULL, *child_rel = NULL;
        if (asprintf(&child, "%s/%s", path, names[i]) < 0 ||
            asprintf(&child_rel, "%s%s%s", rel, rel[0] ? "/" : "", names[i]) < 0) {
            free(child);
            rc = -1;
            break;
        }
        rc = visit(w, keep, names[i], child, child_rel, depth);
        free(child);
        free(child_rel);
    }
    for (ssize_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    close(keep);
    return rc;
}

int walk_tree(const char *root, const struct walk_options *opt, int (*fn)(void *arg, const struct walk_entry *e),
              void *arg)
{
    struct walker w = {.o = opt, .fn = fn, .arg = arg};
    int rc;
    struct stat st;
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* the user's own argument: followed */
    if (fd < 0 || fstat(fd, &st) != 0) {
        char why[96];
        snprintf(why, sizeof why, "cannot open the folder: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        rc = tell(&w, WALK_FAILED, root, "", why, 0);
    } else if (opt->exclude && st.st_dev == opt->exclude_dev && st.st_ino == opt->exclude_ino) {
        close(fd);
        rc = tell(&w, WALK_SKIPPED, root, "", "the output folder, not walked", 0);
    } else if (remember(&w, st.st_dev, st.st_ino) < 0) {
        close(fd);
        rc = -1;
    } else {
        rc = walk_folder(&w, fd, root, "", 0);
    }
    free(w.seen);
    return rc;
}
