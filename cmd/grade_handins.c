/* grade_handins.c — the hand-ins of `pcap2report grade` (grade_handins.h): every file in the
 * captures and folders given is a hand-in (a file that is not a capture gets zero with the
 * reason later); a student is named after the file without its extension, or after the folder
 * holding the student's files (a folder of such folders is a class). */
#define _GNU_SOURCE
#include "grade_handins.h"
#include "grow.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_DEPTH = 32 };

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "alice.pcap" -> "alice"; "alice.pcap.gz" -> "alice"; ".x" and "x" stay. */
static char *strip_extension(const char *name)
{
    char *s = strdup(name);
    if (!s)
        return NULL;
    size_t n = strlen(s);
    if (n > 3 && strcmp(s + n - 3, ".gz") == 0 && memrchr(s, '.', n - 3))
        s[n -= 3] = '\0';
    char *dot = strrchr(s, '.');
    if (dot && dot != s)
        *dot = '\0';
    return s;
}

static const char *base_name(const char *path)
{
    const char *end = path + strlen(path);
    while (end > path + 1 && end[-1] == '/')
        end--;
    const char *b = end;
    while (b > path && b[-1] != '/')
        b--;
    return b;
}

/* The name of a folder as a student's name: its base name, or that of its real path for "."
 * and the like. */
static char *folder_name(const char *dir)
{
    char real[PATH_MAX];
    const char *b = base_name(dir);
    size_t n = strcspn(b, "/");
    if (n == 0 || (n == 1 && b[0] == '.') || (n == 2 && b[0] == '.' && b[1] == '.')) {
        if (!realpath(dir, real))
            return strdup("unknown");
        b = base_name(real);
        n = strcspn(b, "/");
        if (n == 0)
            return strdup("root");
    }
    return strndup(b, n);
}

static int push_handin(struct handins *h, const char *student, const char *path, const char *file_name)
{
    if (!GROW(h->v, h->cap, h->n + 1, 32))
        return -1;
    struct handin *x = &h->v[h->n];
    x->student = strdup(student);
    x->path = strdup(path);
    x->file_name = strdup(file_name);
    if (!x->student || !x->path || !x->file_name) {
        free(x->student);
        free(x->path);
        free(x->file_name);
        return -1;
    }
    h->n++;
    return 0;
}

/* The entries of a folder, sorted, without hidden ones (and so without "." and ".."). Returns
 * the count, or -1 with err filled. */
static ssize_t list_folder(const char *dir, char ***out, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    bool oom = false;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (!GROW(names, cap, n + 1, 32)) {
            oom = true;
            break;
        }
        if (!(names[n] = strdup(e->d_name))) {
            oom = true;
            break;
        }
        n++;
    }
    closedir(d);
    if (oom) {
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (n > 1)
        qsort(names, n, sizeof *names, compare_strings);
    *out = names;
    return (ssize_t)n;
}

static void free_names(char **names, ssize_t n)
{
    for (ssize_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Notes an entry not taken. 0, or -1 out of memory. */
static int skip(struct handins *h, const char *path, const char *reason)
{
    if (!GROW(h->skipped, h->cap_skipped, h->n_skipped + 1, 16))
        return -1;
    struct handin_skip *k = &h->skipped[h->n_skipped];
    k->path = strdup(path);
    k->reason = strdup(reason);
    if (!k->path || !k->reason) {
        free(k->path);
        free(k->reason);
        return -1;
    }
    h->n_skipped++;
    return 0;
}

/* An entry inside a walked folder, looked at without following a link (as find does): its
 * status, or NULL with the reason it is not taken (a link, a FIFO, a device, a path too long). */
static const char *look_at(const char *path, struct stat *sb, char why[128])
{
    if (strlen(path) >= PATH_MAX)
        snprintf(why, 128, "a path longer than %d bytes, which cannot be opened", PATH_MAX - 1);
    else if (lstat(path, sb) != 0)
        snprintf(why, 128, "cannot be looked at: %s", strerror(errno));
    else if (S_ISLNK(sb->st_mode))
        snprintf(why, 128, "a symbolic link, not followed");
    else if (!S_ISDIR(sb->st_mode) && !S_ISREG(sb->st_mode))
        snprintf(why, 128, "%s, not read", S_ISFIFO(sb->st_mode) ? "a FIFO (named pipe)"
                                          : S_ISCHR(sb->st_mode) || S_ISBLK(sb->st_mode) ? "a device" : "a socket");
    else
        return NULL;
    return why;
}

/* Walks dir; rel is the path below the folder the names are relative to ("" at its top).
 * student is the student of every file found (folder naming), or NULL to name each file's
 * student after the file. */
static int walk(struct handins *h, const char *dir, const char *rel, const char *student, int depth,
                char *err, size_t errlen)
{
    char why[128], **names;
    if (depth > MAX_DEPTH) {
        snprintf(why, sizeof why, "a folder nested deeper than %d folders, not walked", MAX_DEPTH);
        return skip(h, dir, why) == 0 ? 0 : (snprintf(err, errlen, "out of memory"), -1);
    }
    ssize_t n = list_folder(dir, &names, err, errlen);
    if (n < 0 && depth > 0 && strcmp(err, "out of memory") != 0) { /* a folder inside: noted, the run goes on */
        size_t dl = strlen(dir); /* err is "DIR: reason" */
        snprintf(why, sizeof why, "cannot read the folder: %s", strncmp(err, dir, dl) == 0 ? err + dl + 2 : err);
        return skip(h, dir, why) == 0 ? 0 : (snprintf(err, errlen, "out of memory"), -1);
    }
    if (n < 0)
        return -1;
    int rc = 0;
    for (ssize_t i = 0; rc == 0 && i < n; i++) {
        char *path = NULL, *child = NULL;
        if (asprintf(&path, "%s/%s", dir, names[i]) < 0 ||
            asprintf(&child, "%s%s%s", rel, *rel ? "/" : "", names[i]) < 0) {
            free(path);
            snprintf(err, errlen, "out of memory");
            rc = -1;
            break;
        }
        struct stat sb;
        const char *refused = look_at(path, &sb, why);
        if (refused) {
            if (skip(h, path, refused) != 0) {
                snprintf(err, errlen, "out of memory");
                rc = -1;
            }
        } else if (S_ISDIR(sb.st_mode)) {
            if (!(h->out_exists && sb.st_dev == h->out_dev && sb.st_ino == h->out_ino))
                rc = walk(h, path, child, student, depth + 1, err, errlen);
        } else if (S_ISREG(sb.st_mode)) {
            char *name = student ? strdup(student) : strip_extension(names[i]);
            if (!name || push_handin(h, name, path, child) != 0) {
                snprintf(err, errlen, "out of memory");
                rc = -1;
            }
            free(name);
        }
        free(path);
        free(child);
    }
    free_names(names, n);
    return rc;
}

/* Folder naming, a folder given: with files at its top it is one student's folder; with only
 * folders, it is a class and each of them is a student's. */
static int walk_class(struct handins *h, const char *dir, char *err, size_t errlen)
{
    char **names;
    ssize_t n = list_folder(dir, &names, err, errlen);
    if (n < 0)
        return -1;
    bool has_files = false;
    for (ssize_t i = 0; i < n && !has_files; i++) {
        char *path = NULL;
        struct stat sb;
        if (asprintf(&path, "%s/%s", dir, names[i]) < 0) {
            free_names(names, n);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        has_files = lstat(path, &sb) == 0 && S_ISREG(sb.st_mode);
        free(path);
    }
    int rc = 0;
    if (has_files) {
        char *student = folder_name(dir);
        rc = student ? walk(h, dir, "", student, 0, err, errlen) : -1;
        if (!student)
            snprintf(err, errlen, "out of memory");
        free(student);
    } else {
        for (ssize_t i = 0; rc == 0 && i < n; i++) {
            char *path = NULL;
            struct stat sb;
            if (asprintf(&path, "%s/%s", dir, names[i]) < 0) {
                snprintf(err, errlen, "out of memory");
                rc = -1;
                break;
            }
            char why[128];
            const char *refused = look_at(path, &sb, why);
            if (refused && skip(h, path, refused) != 0) {
                snprintf(err, errlen, "out of memory");
                rc = -1;
            } else if (!refused && S_ISDIR(sb.st_mode) &&
                       !(h->out_exists && sb.st_dev == h->out_dev && sb.st_ino == h->out_ino)) {
                rc = walk(h, path, "", names[i], 1, err, errlen);
            }
            free(path);
        }
    }
    free_names(names, n);
    return rc;
}

int handins_collect(struct handins *h, const char *out_dir, enum handin_naming naming, char **args, size_t n_args,
                    char *err, size_t errlen)
{
    struct stat out;
    if (stat(out_dir, &out) == 0) {
        h->out_exists = true;
        h->out_dev = out.st_dev;
        h->out_ino = out.st_ino;
    }
    for (size_t i = 0; i < n_args; i++) {
        struct stat sb;
        if (stat(args[i], &sb) != 0) {
            snprintf(err, errlen, "%s: %s", args[i], strerror(errno));
            return -1;
        }
        if (S_ISDIR(sb.st_mode)) {
            int rc = naming == NAME_BY_FOLDER ? walk_class(h, args[i], err, errlen)
                                              : walk(h, args[i], "", NULL, 0, err, errlen);
            if (rc != 0)
                return -1;
            continue;
        }
        const char *base = base_name(args[i]);
        char *student;
        if (naming == NAME_BY_FOLDER) {
            char *dir = strdup(args[i]);
            if (dir) {
                char *slash = strrchr(dir, '/');
                if (slash && slash != dir)
                    *slash = '\0';
                else if (slash)
                    dir[1] = '\0';
                else
                    strcpy(dir, ".");
            }
            student = dir ? folder_name(dir) : NULL;
            free(dir);
        } else {
            student = strip_extension(base);
        }
        int rc = student ? push_handin(h, student, args[i], base) : -1;
        free(student);
        if (rc != 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    return 0;
}

static int compare_handins(const void *x, const void *y)
{
    const struct handin *a = x, *b = y;
    int c = strcmp(a->student, b->student);
    if (c)
        return c;
    c = strcmp(a->file_name, b->file_name);
    return c ? c : strcmp(a->path, b->path);
}

void handins_sort(struct handins *h)
{
    if (h->n > 1)
        qsort(h->v, h->n, sizeof *h->v, compare_handins);
}

void handins_free(struct handins *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->v[i].student);
        free(h->v[i].path);
        free(h->v[i].file_name);
    }
    free(h->v);
    for (size_t i = 0; i < h->n_skipped; i++) {
        free(h->skipped[i].path);
        free(h->skipped[i].reason);
    }
    free(h->skipped);
}

