/* grade_handins.c — the hand-ins of `pcap2report grade` (grade_handins.h): every file in the
 * captures and folders given is a hand-in (a file that is not a capture gets zero with the
 * reason later), and each belongs to one student: the folder it is in (a class folder of
 * student folders, as learning platforms export them), or its own name (a folder of files).
 * Platform names are read by grade/identity.c. Two places that would be one student are an
 * error, never a merge. */
#define _GNU_SOURCE
#include "grade_handins.h"
#include "grow.h"
#include "identity.h"
#include "paths.h"

#include <dirent.h>
#include <libgen.h>
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

/* The name of a folder: its base name, or that of its real path for "." and the like. */
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

/* A name shown on the terminal and in the sheet: control characters become '?'. */
static void tame(char *s)
{
    for (unsigned char *p = (unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            *p = '?';
}

static int push_handin(struct handins *h, const char *student, const char *id, const char *source, const char *path,
                       const char *file_name)
{
    if (!GROW(h->v, h->cap, h->n + 1, 32))
        return -1;
    struct handin *x = &h->v[h->n];
    memset(x, 0, sizeof *x);
    x->student = strdup(student);
    x->id = id && *id ? strdup(id) : NULL;
    x->source = strdup(source);
    x->path = strdup(path);
    x->file_name = strdup(file_name);
    if (!x->student || (id && *id && !x->id) || !x->source || !x->path || !x->file_name ||
        asprintf(&x->key, "%s:%s", x->id ? "id" : "name", x->id ? x->id : student) < 0) {
        x->key = NULL;
        free(x->student), free(x->id), free(x->source), free(x->path), free(x->file_name);
        return -1;
    }
    tame(x->student);
    h->n++;
    return 0;
}

static int note(struct handins *h, const char *fmt, const char *a, size_t n)
{
    char **grown = realloc(h->notes, (h->n_notes + 1) * sizeof *grown);
    if (!grown)
        return -1;
    h->notes = grown;
    char *s;
    if (asprintf(&s, fmt, a, n) < 0)
        return -1;
    tame(s);
    h->notes[h->n_notes++] = s;
    return 0;
}

/* The entries of a folder, sorted, without hidden ones (and so without "." and "..") and
 * without macOS's __MACOSX. Returns the count, or -1 with err filled. */
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
        if (e->d_name[0] == '.' || strcmp(e->d_name, "__MACOSX") == 0)
            continue;
        if (!GROW(names, cap, n + 1, 32) || !(names[n] = strdup(e->d_name))) {
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

static bool is_out_dir(const struct handins *h, const struct stat *sb)
{
    return h->out_exists && sb->st_dev == h->out_dev && sb->st_ino == h->out_ino;
}

/* Walks one student's folder: every file is theirs. rel is the path below the folder. */
static int walk_student(struct handins *h, const char *dir, const char *rel, const char *student, const char *id,
                        const char *source, int depth, char *err, size_t errlen)
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
        if (asprintf(&path, "%s/%s", dir, names[i]) < 0 || asprintf(&child, "%s%s%s", rel, *rel ? "/" : "", names[i]) < 0) {
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
            if (!is_out_dir(h, &sb))
                rc = walk_student(h, path, child, student, id, source, depth + 1, err, errlen);
        } else if (S_ISREG(sb.st_mode) && push_handin(h, student, id, source, path, child) != 0) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
        }
        free(path);
        free(child);
    }
    free_names(names, n);
    return rc;
}

/* One file that is a student of its own (a flat export, or a folder of captures): named as the
 * platform's prefix says, else after the file without its extension. Blackboard's notes give
 * full names (bb_names: "user\tName" lines). */
static int flat_file(struct handins *h, const char *dir, const char *name, const char *path, const char *bb_names)
{
    struct grade_identity id;
    if (grade_identity_file(name, &id)) {
        if (id.metadata)
            return 0;
        char source[PATH_MAX + 200];
        snprintf(source, sizeof source, "%s/%s (%s %s)", dir, id.name, id.platform, id.id);
        const char *shown = id.name;
        char full[256];
        if (bb_names && strcmp(id.platform, "blackboard") == 0) {
            char needle[160];
            snprintf(needle, sizeof needle, "\n%s\t", id.id);
            const char *hit = strstr(bb_names, needle);
            if (hit) {
                hit += strlen(needle);
                size_t len = strcspn(hit, "\n");
                snprintf(full, sizeof full, "%.*s", (int)len, hit);
                shown = full;
            }
        }
        return push_handin(h, shown, id.id, source, path, id.file);
    }
    char *student = strip_extension(name);
    int rc = student ? push_handin(h, student, NULL, path, path, name) : -1;
    free(student);
    return rc;
}

/* Blackboard's attempt notes in a folder: "\nuser\tFull Name" for each, or NULL. */
static char *blackboard_names(const char *dir, char **names, ssize_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    fputc('\n', m);
    for (ssize_t i = 0; i < n; i++) {
        struct grade_identity id;
        if (!grade_identity_file(names[i], &id) || !id.metadata)
            continue;
        char path[PATH_MAX + 300], text[2048], full[256];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        size_t got = f ? fread(text, 1, sizeof text, f) : 0;
        if (f)
            fclose(f);
        if (grade_identity_blackboard_name(text, got, full, sizeof full))
            fprintf(m, "%s\t%s\n", id.id, full);
    }
    fclose(m);
    return buf;
}

/* A folder given. With folders inside, a class: each folder a student (files beside them are
 * students of their own); with files only, each file a student. by_folder: the folder of
 * files is itself one student. */
static int walk_class(struct handins *h, const char *dir, enum handin_naming naming, char *err, size_t errlen)
{
    char **names;
    ssize_t n = list_folder(dir, &names, err, errlen);
    if (n < 0)
        return -1;
    size_t folders = 0, files = 0, moodle = 0;
    for (ssize_t i = 0; i < n; i++) {
        char path[PATH_MAX + 300];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct grade_identity id;
        if (lstat(path, &sb) != 0) /* links and the rest are noted when the folder is walked */
            continue;
        if (S_ISDIR(sb.st_mode) && !is_out_dir(h, &sb))
            folders++, moodle += grade_identity_folder(names[i], &id);
        else if (S_ISREG(sb.st_mode))
            files++;
    }
    int rc = 0;
    char *bb = NULL;
    if (naming == NAME_BY_FILE) {
        rc = walk_student(h, dir, "", "", NULL, dir, 0, err, errlen); /* renamed below */
        for (size_t i = 0; rc == 0 && i < h->n; i++)
            if (!*h->v[i].student) {
                char *s = strip_extension(base_name(h->v[i].file_name));
                if (!s) {
                    rc = -1;
                    break;
                }
                free(h->v[i].student);
                free(h->v[i].source);
                free(h->v[i].key);
                h->v[i].student = s;
                h->v[i].source = strdup(h->v[i].path);
                if (!h->v[i].source || asprintf(&h->v[i].key, "name:%s", s) < 0)
                    rc = -1;
            }
        if (rc == 0)
            rc = note(h, "%s: each file is one student (%zu found)", dir, h->n);
    } else if (naming == NAME_BY_FOLDER && (files || !folders)) {
        /* A folder of files given with --student-name folder is one student's, its subfolders too. */
        char *student = folder_name(dir);
        rc = student ? walk_student(h, dir, "", student, NULL, dir, 0, err, errlen) : -1;
        free(student);
    } else {
        if (files && !(bb = blackboard_names(dir, names, n)))
            rc = -1;
        for (ssize_t i = 0; rc == 0 && i < n; i++) {
            char *path = NULL;
            struct stat sb;
            if (asprintf(&path, "%s/%s", dir, names[i]) < 0) {
                rc = -1;
                break;
            }
            char why[128];
            const char *refused = look_at(path, &sb, why);
            struct grade_identity id;
            if (refused) {
                if (skip(h, path, refused) != 0)
                    rc = -1;
            } else if (S_ISDIR(sb.st_mode) && !is_out_dir(h, &sb)) {
                bool m = grade_identity_folder(names[i], &id);
                rc = walk_student(h, path, "", m ? id.name : names[i], m ? id.id : NULL, path, 1, err, errlen);
            } else if (S_ISREG(sb.st_mode)) {
                rc = flat_file(h, dir, names[i], path, bb);
            }
            free(path);
        }
        if (rc == 0 && folders)
            rc = note(h, moodle ? "%s: each folder is one student, as Moodle exports them (%zu folders)"
                                : "%s: each folder is one student (%zu folders)", dir, folders);
        else if (rc == 0 && files)
            rc = note(h, "%s: each file is one student, or each platform prefix (%zu files)", dir, files);
    }
    free(bb);
    free_names(names, n);
    if (rc != 0 && !*err)
        snprintf(err, errlen, "out of memory");
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
    err[0] = '\0';
    for (size_t i = 0; i < n_args; i++) {
        struct stat sb;
        if (stat(args[i], &sb) != 0) {
            snprintf(err, errlen, "%s: %s", args[i], strerror(errno));
            return -1;
        }
        if (S_ISDIR(sb.st_mode)) {
            /* "hand-ins/" is walked as "hand-ins": no "//" in a printed or recorded path. */
            char *dir = path_tidy(args[i]);
            int rc = dir ? walk_class(h, dir, naming, err, errlen) : (snprintf(err, errlen, "out of memory"), -1);
            free(dir);
            if (rc != 0)
                return -1;
            continue;
        }
        int rc;
        if (naming == NAME_BY_FOLDER) {
            char *dir = strdup(args[i]), *student = NULL;
            if (dir) {
                char *slash = strrchr(dir, '/');
                if (slash && slash != dir)
                    *slash = '\0';
                else if (slash)
                    dir[1] = '\0';
                else
                    strcpy(dir, ".");
                struct grade_identity id;
                char *f = folder_name(dir);
                student = f && grade_identity_folder(f, &id) ? strdup(id.name) : f ? strdup(f) : NULL;
                rc = student ? push_handin(h, student, f && grade_identity_folder(f, &id) ? id.id : NULL, dir,
                                           args[i], base_name(args[i])) : -1;
                free(f);
            } else {
                rc = -1;
            }
            free(student);
            free(dir);
        } else {
            rc = flat_file(h, ".", base_name(args[i]), args[i], NULL);
        }
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
    int c = strcmp(a->key, b->key);
    if (c)
        return c;
    c = strcmp(a->source, b->source);
    if (c)
        return c;
    c = strcmp(a->file_name, b->file_name);
    return c ? c : strcmp(a->path, b->path);
}

/* Files given directly that share a student (alice/capture.pcap, bob/capture.pcap): each is
 * named after its folder instead, when those differ. */
static int rename_by_folder(struct handins *h, size_t first, size_t last)
{
    for (size_t i = first; i < last; i++)
        for (size_t j = i + 1; j < last; j++) {
            char *a = strdup(h->v[i].path), *b = strdup(h->v[j].path);
            bool same = a && b && strcmp(dirname(a), dirname(b)) == 0;
            free(a);
            free(b);
            if (same)
                return 0; /* two files of one folder: the folders cannot tell them apart */
        }
    for (size_t i = first; i < last; i++) {
        char *d = strdup(h->v[i].path);
        char *f = d ? folder_name(dirname(d)) : NULL;
        struct grade_identity id;
        bool m = f && grade_identity_folder(f, &id);
        free(h->v[i].student);
        free(h->v[i].key);
        free(h->v[i].id);
        h->v[i].student = f ? strdup(m ? id.name : f) : NULL;
        h->v[i].id = m ? strdup(id.id) : NULL;
        if (!h->v[i].student || asprintf(&h->v[i].key, "%s:%s", m ? "id" : "name", m ? id.id : h->v[i].student) < 0) {
            h->v[i].key = NULL;
            free(f);
            free(d);
            return -1;
        }
        free(f);
        free(d);
    }
    return 1;
}

int handins_sort(struct handins *h, enum handin_naming naming, char *err, size_t errlen)
{
    for (int round = 0; round < 2; round++) {
        if (h->n > 1)
            qsort(h->v, h->n, sizeof *h->v, compare_handins);
        bool renamed = false;
        for (size_t i = 0; i < h->n;) {
            size_t j = i + 1;
            while (j < h->n && strcmp(h->v[j].key, h->v[i].key) == 0)
                j++;
            size_t k = i + 1;
            while (k < j && strcmp(h->v[k].source, h->v[i].source) == 0)
                k++;
            if (k < j) {
                bool direct = naming == NAME_AUTO && round == 0 && !h->v[i].id;
                for (size_t x = i; direct && x < j; x++)
                    direct = strcmp(h->v[x].source, h->v[x].path) == 0;
                int r = direct ? rename_by_folder(h, i, j) : 0;
                if (r < 0) {
                    snprintf(err, errlen, "out of memory");
                    return -1;
                }
                if (r == 0) {
                    snprintf(err, errlen, "%s and %s would both be the student '%s': put each student's files in a "
                             "folder of their own (grade FOLDER then takes each folder as one student), or rename "
                             "one of them", h->v[i].source, h->v[k].source, h->v[i].student);
                    return -1;
                }
                renamed = true;
            }
            i = j;
        }
        if (!renamed)
            return 0;
    }
    return 0;
}

void handins_free(struct handins *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->v[i].student);
        free(h->v[i].id);
        free(h->v[i].key);
        free(h->v[i].source);
        free(h->v[i].path);
        free(h->v[i].file_name);
    }
    free(h->v);
    for (size_t i = 0; i < h->n_notes; i++)
        free(h->notes[i]);
    free(h->notes);
    for (size_t i = 0; i < h->n_skipped; i++) {
        free(h->skipped[i].path);
        free(h->skipped[i].reason);
    }
    free(h->skipped);
}
