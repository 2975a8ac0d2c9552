/* grade.c — `pcap2report grade`: marks a folder of homework captures against a rubric.
 *
 * Finds the hand-ins (one capture or folder per student), analyses each capture, grades each
 * student against the rubric, compares the students for copying, and writes OUT/grades.csv
 * and OUT/grades.json (docs/grading.md). Exit status: 0 when every capture could be read, 1
 * when some could not (those students get zero with the reason; the sheet is still
 * written), 2 for a usage error (bad option, unknown rubric, missing argument). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "commands.h"
#include "grade.h"
#include "grade_words.h"
#include "grades_pdf.h"
#include "grades_writer.h"
#include "paths.h"
#include "rubric.h"
#include "sha256.h"

enum naming { NAME_BY_FILE, NAME_BY_FOLDER };
enum { MAX_DEPTH = 32, MAX_LIST = 64 };

struct grade_settings {
    const char *out_dir;
    const char *rubric;
    enum naming naming;
    const char *hosts[MAX_LIST];
    size_t n_hosts;
    const char *ports[MAX_LIST];
    size_t n_ports;
    bool quiet;
    bool pdf;              /* write the feedback PDFs */
    const char *lang;      /* of the wording: reasons, feedback PDFs */
    char templates[PATH_MAX]; /* the folder holding <lang>.txt, found at start */
    struct pdf_templates *words; /* <lang>.txt, loaded at start */
    bool pdfa;             /* the feedback PDFs as PDF/A-1b */
    bool have_source_date; /* SOURCE_DATE_EPOCH, for the PDFs' date */
    long long source_date;
    struct core_budget *cores; /* hand-ins are analysed one at a time: helpers may hash */
};

/* What the run has written and how it went, across students. */
struct run {
    char **pdf_names;      /* feedback file names already used */
    size_t n_pdf_names;
    unsigned unreadable;   /* captures that could not be analysed */
    unsigned pdf_failed;
    bool pdf_reported;     /* the first PDF failure was printed */
};

/* One file handed in. */
struct handin {
    char *student;
    char *path;
    char *file_name; /* shown: below the folder given, or the bare name */
};

struct handins {
    struct handin *v;
    size_t n, cap;
    dev_t out_dev;   /* the output folder, never walked into */
    ino_t out_ino;
    bool out_exists;
};

static void usage(FILE *f)
{
    fputs("Usage: pcap2report grade --rubric RUBRIC [OPTIONS] CAPTURE|FOLDER...\n"
          "Marks homework captures against a rubric: one capture (or one folder) per student.\n"
          "Writes OUT/grades.csv (student, total, the points of each check), OUT/grades.json\n"
          "(each check's session, reason and feedback, and the integrity flags) and one\n"
          "feedback PDF per student, OUT/feedback/<student>.pdf.\n"
          "\n"
          "Options:\n"
          "  -r, --rubric RUBRIC     a rubric file, or the name of a bundled rubric\n"
          "                          (classic-handshake, find-refused; see --list-rubrics)\n"
          "  -o, --output DIR        write the grade sheet into DIR (default: ./grades)\n"
          "      --student-name file|folder\n"
          "                          a student's name is the capture's file name without its\n"
          "                          extension (file, the default), or the name of the folder\n"
          "                          holding the student's captures (folder): hand-ins/alice/*.pcap\n"
          "      --target-host HOST  the server the students were asked to reach (an address,\n"
          "                          a prefix such as 192.0.2.0/24, or a name, resolved once);\n"
          "                          replaces the rubric's target-host; repeatable\n"
          "      --target-port PORT  likewise for the server's port; repeatable\n"
          "      --no-pdf            do not write the feedback PDFs (OUT/feedback/<student>.pdf)\n"
          "      --lang LANG         the language of the reasons and the feedback PDFs\n"
          "                          (templates/LANG.txt; default: en)\n"
          "      --pdfa              write the feedback PDFs as PDF/A-1b (docs/pdfa.md)\n"
          "      --list-rubrics      list the bundled rubrics and exit\n"
          "  -q, --quiet             print only errors\n"
          "  -h, --help              show this help and exit\n"
          "\n"
          "In a folder every file (not hidden ones) is a hand-in: a file that is not a capture,\n"
          "an empty or damaged one, or one without TCP gets zero with the reason.\n"
          "Bundled rubrics are looked up in $PCAP2REPORT_TEMPLATES/rubrics, in ../templates/rubrics\n"
          "and ../share/pcap2report/templates/rubrics next to the program, and in\n"
          PCAP2REPORT_PREFIX "/share/pcap2report/templates/rubrics.\n"
          "Exit status: 0 all captures read, 1 some capture could not be read (the sheet is\n"
          "still written), 2 usage error.\n",
          f);
}

/* ---- finding the rubric ------------------------------------------------------------------- */

/* The folders holding bundled rubrics, in search order: "rubrics" in each templates folder
 * (paths.h). Returns how many were written. */
static size_t rubric_dirs(char dirs[][PATH_MAX], size_t max)
{
    char tdirs[8][PATH_MAX];
    size_t n = templates_dirs(tdirs, max < 8 ? max : 8);
    for (size_t i = 0; i < n; i++)
        snprintf(dirs[i], PATH_MAX, "%.*s/rubrics", PATH_MAX - 16, tdirs[i]);
    return n;
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static struct rubric *find_rubric(const char *arg, char *err, size_t errlen)
{
    if (strchr(arg, '/') || is_file(arg))
        return rubric_load(arg, err, errlen);
    size_t n = strlen(arg);
    bool has_ext = n > 7 && strcmp(arg + n - 7, ".rubric") == 0;
    char dirs[4][PATH_MAX];
    size_t nd = rubric_dirs(dirs, 4);
    for (size_t i = 0; i < nd; i++) {
        char path[PATH_MAX + 300];
        snprintf(path, sizeof path, "%s/%.200s%s", dirs[i], arg, has_ext ? "" : ".rubric");
        if (is_file(path))
            return rubric_load(path, err, errlen);
    }
    int used = snprintf(err, errlen, "no rubric file '%s' and no bundled rubric of that name (looked in", arg);
    for (size_t i = 0; i < nd && used > 0 && (size_t)used < errlen; i++)
        used += snprintf(err + used, errlen - (size_t)used, "%s %s", i ? "," : "", dirs[i]);
    if (used > 0 && (size_t)used < errlen)
        snprintf(err + used, errlen - (size_t)used, "; --list-rubrics shows them)");
    return NULL;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_rubrics(void)
{
    char dirs[4][PATH_MAX];
    size_t nd = rubric_dirs(dirs, 4);
    bool any = false;
    for (size_t i = 0; i < nd; i++) {
        DIR *d = opendir(dirs[i]);
        if (!d)
            continue;
        char *names[256];
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(d)) && n < 256) {
            size_t len = strlen(e->d_name);
            if (len > 7 && strcmp(e->d_name + len - 7, ".rubric") == 0 && e->d_name[0] != '.')
                if ((names[n] = strdup(e->d_name)))
                    n++;
        }
        closedir(d);
        qsort(names, n, sizeof *names, compare_strings);
        for (size_t k = 0; k < n; k++) {
            char path[PATH_MAX + 300], err[512];
            snprintf(path, sizeof path, "%s/%s", dirs[i], names[k]);
            struct rubric *r = rubric_load(path, err, sizeof err);
            names[k][strlen(names[k]) - 7] = '\0';
            if (r)
                printf("%-24s %s\n%-24s %s\n", names[k], r->title, "", path);
            else
                printf("%-24s (broken: %s)\n", names[k], err);
            rubric_free(r);
            free(names[k]);
            any = true;
        }
        if (n)
            break; /* the first folder that has rubrics is the one used */
    }
    if (!any) {
        fprintf(stderr, "pcap2report grade: no bundled rubrics found\n");
        return EXIT_SOME_FAILED;
    }
    return EXIT_OK;
}

/* ---- host names --------------------------------------------------------------------------- */

static int resolve_name(void *arg, const char *name, struct rubric_prefix **out, size_t *n_out,
                        char *err, size_t errlen)
{
    (void)arg;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
    int rc = getaddrinfo(name, NULL, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "cannot resolve the host name '%s' (%s); write its addresses in the rubric "
                 "or give --target-host ADDRESS", name, gai_strerror(rc));
        return -1;
    }
    size_t n = 0;
    for (struct addrinfo *a = res; a; a = a->ai_next)
        n++;
    struct rubric_prefix *v = calloc(n ? n : 1, sizeof *v);
    if (!v) {
        freeaddrinfo(res);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t k = 0;
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        struct rubric_prefix p = {0};
        if (a->ai_family == AF_INET) {
            p.ip_version = 4;
            p.bits = 32;
            memcpy(p.addr, &((struct sockaddr_in *)(void *)a->ai_addr)->sin_addr, 4);
        } else if (a->ai_family == AF_INET6) {
            p.ip_version = 6;
            p.bits = 128;
            memcpy(p.addr, &((struct sockaddr_in6 *)(void *)a->ai_addr)->sin6_addr, 16);
        } else {
            continue;
        }
        bool dup = false;
        for (size_t i = 0; i < k; i++)
            dup |= memcmp(&v[i], &p, sizeof p) == 0;
        if (!dup)
            v[k++] = p;
    }
    freeaddrinfo(res);
    *out = v;
    *n_out = k;
    return 0;
}

/* ---- collecting the hand-ins --------------------------------------------------------------- */

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
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 32;
        struct handin *v = realloc(h->v, cap * sizeof *v);
        if (!v)
            return -1;
        h->v = v;
        h->cap = cap;
    }
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
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **grown = realloc(names, cap * sizeof *grown);
            if (!grown) {
                oom = true;
                break;
            }
            names = grown;
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

/* stat() that follows links; a dangling link counts as a file (a hand-in that will fail). */
static void stat_entry(const char *path, struct stat *sb)
{
    if (stat(path, sb) != 0) {
        memset(sb, 0, sizeof *sb);
        sb->st_mode = S_IFREG;
    }
}

/* Walks dir; rel is the path below the folder the names are relative to ("" at its top).
 * student is the student of every file found (folder naming), or NULL to name each file's
 * student after the file. */
static int walk(struct handins *h, const char *dir, const char *rel, const char *student, int depth,
                char *err, size_t errlen)
{
    if (depth > MAX_DEPTH) {
        snprintf(err, errlen, "%s: folders nested deeper than %d", dir, MAX_DEPTH);
        return -1;
    }
    char **names;
    ssize_t n = list_folder(dir, &names, err, errlen);
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
        stat_entry(path, &sb);
        if (S_ISDIR(sb.st_mode)) {
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
        stat_entry(path, &sb);
        has_files = S_ISREG(sb.st_mode);
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
            stat_entry(path, &sb);
            if (S_ISDIR(sb.st_mode) && !(h->out_exists && sb.st_dev == h->out_dev && sb.st_ino == h->out_ino))
                rc = walk(h, path, "", names[i], 1, err, errlen);
            free(path);
        }
    }
    free_names(names, n);
    return rc;
}

static int collect(struct handins *h, const struct grade_settings *st, char **args, size_t n_args,
                   char *err, size_t errlen)
{
    struct stat out;
    if (stat(st->out_dir, &out) == 0) {
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
            int rc = st->naming == NAME_BY_FOLDER ? walk_class(h, args[i], err, errlen)
                                                   : walk(h, args[i], "", NULL, 0, err, errlen);
            if (rc != 0)
                return -1;
            continue;
        }
        const char *base = base_name(args[i]);
        char *student;
        if (st->naming == NAME_BY_FOLDER) {
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

static void handins_free(struct handins *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->v[i].student);
        free(h->v[i].path);
        free(h->v[i].file_name);
    }
    free(h->v);
}

/* ---- grading -------------------------------------------------------------------------------- */

/* SHA-256 and size of a whole file; false when it cannot be read. */
static bool hash_file(const char *path, char hex[65], uint64_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    struct sha256 h;
    sha256_init(&h);
    unsigned char buf[65536];
    size_t got;
    *size = 0;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        sha256_update(&h, buf, got);
        *size += got;
    }
    bool ok = !ferror(f);
    fclose(f);
    if (!ok) {
        sha256_free(&h);
        return false;
    }
    if (!sha256_final_hex(&h, hex)) {
        errno = ENOMEM; /* libcrypto failed (an earlier sha256_init or _update): most likely memory */
        return false;
    }
    return true;
}

enum output_kind { OUT_CSV, OUT_JSON };

/* Writes one output under a temporary name, then renames it into place. */
static int write_output(const char *dir, const char *name, enum output_kind kind, const struct grade_sheet *s,
                        char *err, size_t errlen)
{
    char *path = NULL, *tmp = NULL;
    if (asprintf(&path, "%s/%s", dir, name) < 0 || asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
        free(path);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = -1;
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        goto out;
    }
    rc = kind == OUT_CSV ? grades_write_csv(f, s, err, errlen)
                         : grades_write_json(f, s, PCAP2REPORT_VERSION, err, errlen);
    if (fclose(f) != 0 && rc == 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(tmp);
out:
    free(path);
    free(tmp);
    return rc;
}

/* A student's name as a file name: valid UTF-8 kept (any script), '/', control and
 * shell-hostile characters replaced, never hidden, at most about 200 bytes, unique in the run
 * even where the file system ignores case ("Alice" and "alice" get alice.pdf, alice-2.pdf). */
static char *feedback_name(struct run *run, const char *student)
{
    char base[256];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)student; *p && n < 200;) {
        size_t k = 1;
        if (*p >= 0x80) {
            k = (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
            for (size_t i = 1; i < k; i++)
                if ((p[i] & 0xc0) != 0x80)
                    k = 0;
            if (k == 0) {
                base[n++] = '_';
                p++;
                continue;
            }
            memcpy(base + n, p, k);
            n += k;
            p += k;
            continue;
        }
        base[n++] = *p < 0x20 || *p == 0x7f || strchr("/\\:*?\"<>|", *p) ? '_' : (char)*p;
        p++;
    }
    base[n] = '\0';
    if (n == 0)
        strcpy(base, "_");
    if (base[0] == '.' || base[0] == '-')
        base[0] = '_';
    char *name = NULL;
    for (unsigned k = 1;; k++) {
        free(name);
        if ((k == 1 ? asprintf(&name, "%s.pdf", base) : asprintf(&name, "%s-%u.pdf", base, k)) < 0)
            return NULL;
        bool used = false;
        for (size_t i = 0; i < run->n_pdf_names && !used; i++)
            used = strcasecmp(run->pdf_names[i], name) == 0; /* case-insensitive file systems */
        if (!used)
            break;
    }
    char **grown = realloc(run->pdf_names, (run->n_pdf_names + 1) * sizeof *grown);
    if (!grown) {
        free(name);
        return NULL;
    }
    run->pdf_names = grown;
    run->pdf_names[run->n_pdf_names++] = name;
    return strdup(name);
}

/* Writes OUT/feedback/<name>.pdf for a graded student, via a temporary name. */
static void write_feedback(struct run *run, const struct grade_settings *st, const struct rubric *r,
                           struct grade_student *student, const struct capture_report *const *reports)
{
    char err[1024], *dir = NULL, *path = NULL, *tmp = NULL, *name = feedback_name(run, student->name);
    int rc = -1;
    if (!name || asprintf(&dir, "%s/feedback", st->out_dir) < 0 || asprintf(&path, "%s/%s", dir, name) < 0 ||
        asprintf(&tmp, "%s/.%s.tmp.%ld", dir, name, (long)getpid()) < 0) {
        snprintf(err, sizeof err, "out of memory");
        goto out;
    }
    if (make_dirs(dir) != 0) {
        snprintf(err, sizeof err, "%s: %s", dir, strerror(errno));
        goto out;
    }
    struct grades_pdf_options opt = {.templates_dir = st->templates, .lang = st->lang,
                                     .tool_version = PCAP2REPORT_VERSION, .pdfa = st->pdfa,
                                     .have_source_date = st->have_source_date, .source_date = st->source_date};
    if (grade_write_feedback_pdf(tmp, r, student, reports, &opt, err, sizeof err) != 0)
        goto out;
    if (rename(tmp, path) != 0) {
        snprintf(err, sizeof err, "%s: %s", path, strerror(errno));
        unlink(tmp);
        goto out;
    }
    if (asprintf(&student->feedback_file, "feedback/%s", name) < 0)
        student->feedback_file = NULL;
    rc = 0;
out:
    if (rc != 0) {
        run->pdf_failed++;
        if (!run->pdf_reported)
            fprintf(stderr, "pcap2report grade: feedback PDF of %s: %s\n", student->name, err);
        run->pdf_reported = true;
    }
    free(name);
    free(dir);
    free(path);
    free(tmp);
}

/* Analyses and grades the hand-ins [first, last) of one student, and writes the student's
 * feedback PDF while the reports are at hand. Returns 0, or -1 when memory ran out; run counts
 * the captures that could not be analysed and the PDFs that could not be written. */
static int grade_one(struct grade_sheet *sheet, const struct rubric *r, const struct handin *v, size_t first,
                     size_t last, struct run *run, const struct grade_settings *st, char *err, size_t errlen)
{
    size_t idx;
    if (grade_sheet_student(sheet, v[first].student, &idx) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t n = last - first;
    struct capture_report **reports = calloc(n, sizeof *reports);
    if (!reports) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct handin *h = &v[first + i];
        char hex[65] = "", why[512] = "";
        uint64_t size = 0;
        struct capture_options opt = {.cores = st->cores};
        struct grade_capture_info info = {.path = h->path, .file_name = h->file_name};
        if (!hash_file(h->path, hex, &size)) {
            snprintf(why, sizeof why, "%s", strerror(errno));
        } else if (capture_analyze(h->path, &opt, &reports[i], why, sizeof why) != 0) {
            reports[i] = NULL;
        }
        if (!reports[i]) {
            /* The library names the file first; the sheet names it already. */
            size_t pl = strlen(h->path);
            if (strncmp(why, h->path, pl) == 0 && strncmp(why + pl, ": ", 2) == 0)
                memmove(why, why + pl + 2, strlen(why + pl + 2) + 1);
            run->unreadable++;
            fprintf(stderr, "pcap2report grade: %s (%s): %s\n", h->path, h->student, why);
        }
        info.size_bytes = size;
        info.sha256 = hex;
        info.report = reports[i];
        info.error = why;
        rc = grade_student_add_capture(&sheet->students[idx], &info, err, errlen);
    }
    if (rc == 0)
        rc = grade_student_evaluate(&sheet->students[idx], r, (const struct capture_report *const *)reports,
                                    err, errlen);
    if (rc == 0 && grade_words_fill(&sheet->students[idx], r, st->words) != 0) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    if (rc == 0 && st->pdf)
        write_feedback(run, st, r, &sheet->students[idx], (const struct capture_report *const *)reports);
    for (size_t i = 0; i < n; i++)
        capture_report_free(reports[i]);
    free(reports);
    return rc;
}

int cmd_grade(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"rubric", required_argument, NULL, 'r'},
        {"output", required_argument, NULL, 'o'},
        {"student-name", required_argument, NULL, 'N'},
        {"target-host", required_argument, NULL, 'H'},
        {"target-port", required_argument, NULL, 'P'},
        {"list-rubrics", no_argument, NULL, 'L'},
        {"no-pdf", no_argument, NULL, 'n'},
        {"lang", required_argument, NULL, 'l'},
        {"pdfa", no_argument, NULL, 'A'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct grade_settings st = {.out_dir = "grades", .naming = NAME_BY_FILE, .pdf = true, .lang = "en"};
    struct core_budget cores;
    core_budget_init(&cores, available_cores());
    st.cores = &cores;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "r:o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'r':
            st.rubric = optarg;
            break;
        case 'o':
            st.out_dir = optarg;
            break;
        case 'N':
            if (strcmp(optarg, "file") == 0)
                st.naming = NAME_BY_FILE;
            else if (strcmp(optarg, "folder") == 0)
                st.naming = NAME_BY_FOLDER;
            else {
                fprintf(stderr, "pcap2report grade: --student-name is 'file' or 'folder', not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'H':
        case 'P':
            if ((c == 'H' ? st.n_hosts : st.n_ports) >= MAX_LIST) {
                fprintf(stderr, "pcap2report grade: at most %d --target-host and --target-port each\n", MAX_LIST);
                return EXIT_USAGE;
            }
            if (c == 'H')
                st.hosts[st.n_hosts++] = optarg;
            else
                st.ports[st.n_ports++] = optarg;
            break;
        case 'L':
            return list_rubrics();
        case 'n':
            st.pdf = false;
            break;
        case 'A':
            st.pdfa = true;
            break;
        case 'l':
            if (!*optarg || strchr(optarg, '/')) {
                fprintf(stderr, "pcap2report grade: --lang takes a language such as en\n");
                return EXIT_USAGE;
            }
            st.lang = optarg;
            break;
        case 'q':
            st.quiet = true;
            break;
        case 'h':
            usage(stdout);
            return EXIT_OK;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (!st.rubric) {
        fprintf(stderr, "pcap2report grade: which rubric? give --rubric FILE or a bundled name "
                        "(--list-rubrics shows them)\n");
        return EXIT_USAGE;
    }
    if (optind >= argc) {
        fprintf(stderr, "pcap2report grade: give the hand-ins: captures, or folders of captures\n");
        return EXIT_USAGE;
    }
    if (!*st.out_dir) {
        fprintf(stderr, "pcap2report grade: -o needs a folder\n");
        return EXIT_USAGE;
    }

    /* The PDFs' date: SOURCE_DATE_EPOCH when set, else the first capture's first packet. */
    int sde = source_date_epoch(&st.source_date);
    if (sde < 0) {
        fprintf(stderr, "pcap2report grade: SOURCE_DATE_EPOCH must be a number of seconds since 1970, "
                        "not '%s'\n", getenv("SOURCE_DATE_EPOCH"));
        return EXIT_USAGE;
    }
    st.have_source_date = sde > 0;

    char err[1024];
    int status = EXIT_USAGE;
    struct run run = {0};
    struct handins h = {0};
    struct grade_sheet *sheet = NULL;
    struct rubric *r = find_rubric(st.rubric, err, sizeof err);
    if (!r) {
        fprintf(stderr, "pcap2report grade: %s\n", err);
        return EXIT_USAGE;
    }
    if (!find_templates_dir(st.lang, st.templates, sizeof st.templates)) {
        fprintf(stderr, "pcap2report grade: no wording %s.txt found in the templates folders (where "
                        "the bundled rubrics are looked up, without rubrics/)\n", st.lang);
        goto out;
    }
    if (!(st.words = grade_words_load(st.templates, st.lang, err, sizeof err))) {
        fprintf(stderr, "pcap2report grade: %s\n", err);
        goto out;
    }
    if (rubric_set_target(r, st.hosts, st.n_hosts, st.ports, st.n_ports, err, sizeof err) != 0 ||
        rubric_resolve_hosts(r, resolve_name, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "pcap2report grade: %s\n", err);
        goto out;
    }
    if (collect(&h, &st, argv + optind, (size_t)(argc - optind), err, sizeof err) != 0) {
        fprintf(stderr, "pcap2report grade: %s\n", err);
        goto out;
    }
    if (h.n == 0) {
        fprintf(stderr, "pcap2report grade: no hand-ins found in the folders given\n");
        goto out;
    }
    if (h.n > 1)
        qsort(h.v, h.n, sizeof *h.v, compare_handins);

    status = EXIT_SOME_FAILED;
    if (!(sheet = grade_sheet_new(r))) {
        fprintf(stderr, "pcap2report grade: out of memory\n");
        goto out;
    }
    if (make_dirs(st.out_dir) != 0) {
        fprintf(stderr, "pcap2report grade: %s: %s\n", st.out_dir, strerror(errno));
        goto out;
    }
    for (size_t i = 0; i < h.n;) {
        size_t j = i + 1;
        while (j < h.n && strcmp(h.v[j].student, h.v[i].student) == 0)
            j++;
        if (grade_one(sheet, r, h.v, i, j, &run, &st, err, sizeof err) != 0) {
            fprintf(stderr, "pcap2report grade: %s\n", err);
            goto out;
        }
        i = j;
    }
    grade_sheet_sort(sheet);
    if (grade_sheet_integrity(sheet, err, sizeof err) != 0) {
        fprintf(stderr, "pcap2report grade: %s\n", err);
        goto out;
    }
    if (write_output(st.out_dir, "grades.csv", OUT_CSV, sheet, err, sizeof err) != 0 ||
        write_output(st.out_dir, "grades.json", OUT_JSON, sheet, err, sizeof err) != 0) {
        fprintf(stderr, "pcap2report grade: %s\n", err);
        goto out;
    }
    if (!st.quiet) {
        for (size_t i = 0; i < sheet->n_students; i++) {
            const struct grade_student *s = &sheet->students[i];
            char t[24], m[24];
            fprintf(stderr, "%s: %s/%s%s%s%s\n", s->name, rubric_points_string(s->total, t),
                    rubric_points_string(s->max, m), s->error ? " (" : "", s->error ? s->error : "",
                    s->error ? ")" : "");
            for (size_t f = 0; f < s->n_flags; f++)
                fprintf(stderr, "  integrity: %s\n", s->flags[f].message);
        }
        fprintf(stderr, "pcap2report grade: %zu student%s graded with %s -> %s/grades.csv, %s/grades.json%s%s%s\n",
                sheet->n_students, sheet->n_students == 1 ? "" : "s", r->name, st.out_dir, st.out_dir,
                st.pdf ? ", " : "", st.pdf ? st.out_dir : "", st.pdf ? "/feedback/" : "");
    }
    if (run.pdf_failed)
        fprintf(stderr, "pcap2report grade: %u feedback PDF%s could not be written\n", run.pdf_failed,
                run.pdf_failed == 1 ? "" : "s");
    status = run.unreadable || run.pdf_failed ? EXIT_SOME_FAILED : EXIT_OK;
out:
    for (size_t i = 0; i < run.n_pdf_names; i++)
        free(run.pdf_names[i]);
    free(run.pdf_names);
    grade_sheet_free(sheet);
    handins_free(&h);
    rubric_free(r);
    pdf_templates_free(st.words);
    return status;
}
