/* grade_files.c — what is inside a file handed in (grade_files.h).
 *
 * The first bytes say what a file is (grade/kind.c). A gzip'd capture is a capture (the reader
 * unzips it). An archive (zip, tar, 7z, rar, and gzip, xz, bzip2, zstd filters) is read with
 * libarchive, which does not stop a bomb by itself (/work/shared/LIBRARIES.md, "Archives"):
 * the bytes actually unpacked, the members and the depth of archives within archives are
 * counted as they are read, and the first limit passed refuses the whole archive with its
 * reason. Members go to anonymous in-memory files (memfd_create), so nothing is written to
 * disk and nothing is left behind; the analysis opens them as /proc/self/fd/N. */
#define _GNU_SOURCE
#include "grade_files.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "grow.h"
#include "kind.h"
#include "sha256.h"

/* A member unpacked, waiting until the whole archive is known to be within the limits. */
struct member {
    int fd;
    char *name;
    uint64_t size;
};

struct unpack {
    struct member *v;
    size_t n, cap;
    uint64_t bytes;
    const char *refusal;
    uint64_t limit;
    char detail[256];
};

/* The first bytes of a regular file. A FIFO or a device given as a hand-in is not read: what
 * a FIFO holds can be read only once, and the analysis must read it after this look. */
static size_t read_head(const char *path, unsigned char *head, uint64_t *size, bool *ok)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat sb;
    *ok = fd >= 0 && fstat(fd, &sb) == 0;
    if (*ok && !S_ISREG(sb.st_mode)) {
        *ok = false;
        errno = S_ISDIR(sb.st_mode) ? EISDIR : EINVAL; /* EINVAL: said as "not a regular file" */
    }
    *size = *ok ? (uint64_t)sb.st_size : 0;
    ssize_t got = *ok ? read(fd, head, GRADE_KIND_HEAD) : -1;
    if (fd >= 0)
        close(fd);
    *ok = *ok && got >= 0;
    return got > 0 ? (size_t)got : 0;
}

/* True when a gzip'd file holds a capture (the reader reads it as it is). */
static bool gzip_capture(const char *path)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return false;
    unsigned char head[4];
    int n = gzread(f, head, sizeof head);
    gzclose(f);
    return n == 4 && grade_is_capture_magic(head, 4);
}

static bool hash_path(const char *path, char hex[65])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    struct sha256 h;
    sha256_init(&h);
    unsigned char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        sha256_update(&h, buf, got);
    bool ok = !ferror(f);
    fclose(f);
    if (!ok) {
        sha256_free(&h);
        return false;
    }
    return sha256_final_hex(&h, hex);
}

static void refuse(struct unpack *u, const char *why, uint64_t limit, struct archive *a)
{
    if (u->refusal)
        return;
    u->refusal = why;
    u->limit = limit;
    if (a && archive_error_string(a))
        snprintf(u->detail, sizeof u->detail, "%s", archive_error_string(a));
}

static void unpack_path(struct unpack *u, const char *path, const char *prefix, int depth);

/* Copies the current member into an in-memory file, counting the bytes against the limit. */
static int copy_member(struct unpack *u, struct archive *a)
{
    int fd = memfd_create("hand-in", MFD_CLOEXEC);
    if (fd < 0) {
        refuse(u, "damaged", 0, NULL);
        snprintf(u->detail, sizeof u->detail, "memfd_create: %s", strerror(errno));
        return -1;
    }
    char buf[65536];
    for (;;) {
        la_ssize_t got = archive_read_data(a, buf, sizeof buf);
        if (got == 0)
            break;
        if (got < 0) {
            refuse(u, "damaged", 0, a);
            close(fd);
            return -1;
        }
        u->bytes += (uint64_t)got;
        if (u->bytes > GRADE_FILES_MAX_BYTES) {
            refuse(u, "too-large", GRADE_FILES_MAX_BYTES >> 20, NULL);
            close(fd);
            return -1;
        }
        if (write(fd, buf, (size_t)got) != got) {
            refuse(u, "damaged", 0, NULL);
            close(fd);
            return -1;
        }
    }
    return fd;
}

/* Unpacks one archive (a path) into u; members that are archives themselves are unpacked in
 * turn, depth levels down. */
static void unpack_archive(struct unpack *u, struct archive *a, const char *prefix, int depth)
{
    struct archive_entry *e;
    int r = ARCHIVE_OK;
    while (!u->refusal && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(e);
        if (archive_entry_filetype(e) != AE_IFREG || !name)
            continue;
        const char *base = strrchr(name, '/');
        base = base ? base + 1 : name;
        if (base[0] == '.' || strstr(name, "__MACOSX/"))
            continue; /* macOS's resource forks and hidden files are not hand-ins */
        if (archive_entry_is_encrypted(e)) {
            refuse(u, "encrypted", 0, NULL);
            break;
        }
        if (archive_entry_size_is_set(e) && (uint64_t)archive_entry_size(e) > GRADE_FILES_MAX_BYTES - u->bytes) {
            refuse(u, "too-large", GRADE_FILES_MAX_BYTES >> 20, NULL); /* says so before unpacking it */
            break;
        }
        if (u->n >= GRADE_FILES_MAX_ENTRIES) {
            refuse(u, "too-many", GRADE_FILES_MAX_ENTRIES, NULL);
            break;
        }
        int fd = copy_member(u, a);
        if (fd < 0)
            break;
        char *shown = NULL;
        /* A single compressed file (raw format) is named after the archive itself. */
        if (asprintf(&shown, "%s/%s", prefix, strcmp(name, "data") == 0 && archive_format(a) == ARCHIVE_FORMAT_RAW
                                                   ? "(unpacked)" : name) < 0) {
            close(fd);
            refuse(u, "damaged", 0, NULL);
            break;
        }
        char fdpath[64];
        snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
        unsigned char head[GRADE_KIND_HEAD];
        uint64_t size;
        bool ok;
        size_t n = read_head(fdpath, head, &size, &ok);
        if (grade_kind_of(head, n, size) == GRADE_KIND_ARCHIVE && !gzip_capture(fdpath)) {
            if (depth + 1 >= GRADE_FILES_MAX_DEPTH)
                refuse(u, "too-deep", GRADE_FILES_MAX_DEPTH, NULL);
            else
                unpack_path(u, fdpath, shown, depth + 1);
            close(fd);
            free(shown);
            continue;
        }
        if (!GROW(u->v, u->cap, u->n + 1, 16)) {
            close(fd);
            free(shown);
            refuse(u, "damaged", 0, NULL);
            break;
        }
        u->v[u->n++] = (struct member){fd, shown, size};
    }
    if (!u->refusal && r != ARCHIVE_EOF && r != ARCHIVE_OK)
        refuse(u, "damaged", 0, a);
}

static void unpack_path(struct unpack *u, const char *path, const char *prefix, int depth)
{
    struct archive *a = archive_read_new();
    if (!a) {
        refuse(u, "damaged", 0, NULL);
        return;
    }
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    archive_read_support_format_raw(a); /* a lone file under gzip, xz, bzip2 or zstd */
    if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK)
        refuse(u, "damaged", 0, a);
    else
        unpack_archive(u, a, prefix, depth);
    archive_read_free(a);
}

static void item_for(const char *path, const char *file_name, enum grade_kind kind, uint64_t size,
                     struct grade_item *it, char hex[65])
{
    hex[0] = '\0';
    if (kind != GRADE_KIND_CAPTURE && kind != GRADE_KIND_EMPTY && !hash_path(path, hex))
        hex[0] = '\0';
    *it = (struct grade_item){.path = path, .file_name = file_name, .kind = kind, .size_bytes = size, .sha256 = hex};
}

int grade_files_each(const char *path, const char *file_name, int (*fn)(void *arg, const struct grade_item *it),
                     void *arg)
{
    unsigned char head[GRADE_KIND_HEAD];
    uint64_t size;
    bool ok;
    size_t n = read_head(path, head, &size, &ok);
    struct grade_item it;
    char hex[65] = "";
    if (!ok) {
        it = (struct grade_item){.path = path, .file_name = file_name, .kind = GRADE_KIND_UNREADABLE, .sha256 = "",
                                 .detail = errno == EINVAL ? "not a regular file (a FIFO or a device)" : strerror(errno)};
        return fn(arg, &it);
    }
    enum grade_kind kind = grade_kind_of(head, n, size);
    if (kind != GRADE_KIND_ARCHIVE || gzip_capture(path)) {
        item_for(path, file_name, kind == GRADE_KIND_ARCHIVE ? GRADE_KIND_CAPTURE : kind, size, &it, hex);
        return fn(arg, &it);
    }
    struct unpack u = {0};
    unpack_path(&u, path, file_name, 0);
    if (!u.refusal && u.n == 0)
        refuse(&u, "empty", 0, NULL);
    int rc = 0;
    if (u.refusal) {
        hash_path(path, hex);
        it = (struct grade_item){.path = path, .file_name = file_name, .kind = GRADE_KIND_ARCHIVE_REFUSED,
                                 .size_bytes = size, .sha256 = hex, .refusal = u.refusal, .limit = u.limit,
                                 .detail = u.detail[0] ? u.detail : NULL};
        rc = fn(arg, &it);
    }
    for (size_t i = 0; i < u.n; i++) {
        if (!u.refusal && rc == 0) {
            char fdpath[64];
            snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", u.v[i].fd);
            unsigned char h2[GRADE_KIND_HEAD];
            uint64_t sz;
            bool ok2;
            size_t n2 = read_head(fdpath, h2, &sz, &ok2);
            enum grade_kind k = grade_kind_of(h2, n2, sz);
            item_for(fdpath, u.v[i].name, k == GRADE_KIND_ARCHIVE ? GRADE_KIND_CAPTURE : k, sz, &it, hex);
            rc = fn(arg, &it);
        }
        close(u.v[i].fd);
        free(u.v[i].name);
    }
    free(u.v);
    return rc;
}
