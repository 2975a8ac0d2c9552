/* outfile.c — the output files (outfile.h): the output folder and the folders below it, the
 * temporaries and their registry, syncing and publishing.
 *
 * The registry holds every temporary that has a name (a named one from creation to rename, an
 * anonymous one for the instant between linkat and renameat); its lock is taken around every
 * operation that creates, names or removes one, so that outfile_freeze, taking it for good,
 * sees a settled set and nothing happens after it. It is process-wide state, which only the
 * program (cmd/) may own. */
#define _GNU_SOURCE
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grow.h"
#include "paths.h"

/* ---- the registry of named temporaries --------------------------------------------------- */

struct temp_ref {
    int dirfd;
    const char *name; /* owned by the outfile */
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct temp_ref *registry;
static size_t registry_n, registry_cap;
static bool anonymous_allowed = true;

/* Both under registry_lock. */
static bool registry_add(int dirfd, const char *name)
{
    if (!GROW(registry, registry_cap, registry_n + 1, 16))
        return false;
    registry[registry_n++] = (struct temp_ref){dirfd, name};
    return true;
}

static void registry_remove(const char *name)
{
    for (size_t i = 0; i < registry_n; i++)
        if (registry[i].name == name) {
            registry[i] = registry[--registry_n];
            return;
        }
}

void outfile_freeze(void)
{
    pthread_mutex_lock(&registry_lock); /* never unlocked: the program is ending */
    for (size_t i = 0; i < registry_n; i++)
        unlinkat(registry[i].dirfd, registry[i].name, 0);
    registry_n = 0;
}

void outfile_use_anonymous(bool yes) { anonymous_allowed = yes; }

/* ---- the output folder ------------------------------------------------------------------- */

int outdir_open(struct outdir *d, const char *path, bool create, char *err, size_t errlen)
{
    *d = (struct outdir){.fd = -1};
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    if (!(d->path = strndup(path, n))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* OUT is the user's own argument: made and opened following links, as mkdir -p does. */
    if (create && make_dirs(d->path) != 0) {
        snprintf(err, errlen, "cannot create folder %s: %s", d->path, strerror(errno));
        outdir_close(d);
        return -1;
    }
    struct stat st;
    d->fd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d->fd < 0 || fstat(d->fd, &st) != 0) {
        snprintf(err, errlen, "cannot open folder %s: %s", d->path, strerror(errno));
        outdir_close(d);
        return -1;
    }
    d->dev = st.st_dev;
    d->ino = st.st_ino;
    return 0;
}

void outdir_close(struct outdir *d)
{
    if (d->fd >= 0)
        close(d->fd);
    free(d->path);
    *d = (struct outdir){.fd = -1};
}

/* Why entering comp in fd failed, for the message. */
static const char *folder_refusal(int fd, const char *comp, int e)
{
    struct stat st;
    if (fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISLNK(st.st_mode))
            return "is a symbolic link, not followed";
        if (!S_ISDIR(st.st_mode))
            return "is not a folder";
    }
    return strerror(e);
}

int outdir_folder(const struct outdir *d, const char *rel, bool create, const char **base, char *err,
                  size_t errlen)
{
    int fd = fcntl(d->fd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "cannot %s %s/%s: %s", create ? "create" : "open", d->path, rel, strerror(errno));
        return -1;
    }
    const char *p = rel;
    for (const char *slash; (slash = strchr(p, '/')) != NULL; p = slash + 1) {
        size_t n = (size_t)(slash - p);
        char comp[NAME_MAX + 1];
        if (n == 0 || n > NAME_MAX || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) {
            snprintf(err, errlen, "cannot %s %s/%s: not a path below %s", create ? "create" : "open", d->path,
                     rel, d->path);
            close(fd);
            return -1;
        }
        memcpy(comp, p, n);
        comp[n] = '\0';
        int next = -1, e = 0;
        if (create && mkdirat(fd, comp, 0777) != 0 && errno != EEXIST)
            e = errno;
        if (!e && (next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
            e = errno;
        if (e) {
            snprintf(err, errlen, "cannot %s %s/%s: %s/%.*s %s", create ? "create" : "open", d->path, rel,
                     d->path, (int)(slash - rel), rel, folder_refusal(fd, comp, e));
            close(fd);
            return -1;
        }
        close(fd);
        fd = next;
    }
    *base = p;
    return fd;
}

/* ---- writing ----------------------------------------------------------------------------- */

/* The stream's writes: all of buf, or 0 after recording the first error (fopencookie's
 * contract: never negative). */
static ssize_t stream_write(void *cookie, const char *buf, size_t n)
{
    struct outfile *o = cookie;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(o->fd, buf + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (!o->error)
                o->error = w < 0 ? errno : EIO;
            return (ssize_t)done;
        }
        done += (size_t)w;
    }
    return (ssize_t)n;
}

/* ".NAME.tmp.XXXXXXXXXXXX": 72 random bits no one can guess, the name cut so that the whole
 * fits NAME_MAX. */
static char *temp_name(const char *name)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char r[12];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        return NULL;
    char tail[13];
    for (int i = 0; i < 12; i++)
        tail[i] = digits[r[i] & 63];
    tail[12] = '\0';
    char *t;
    int keep = (int)strnlen(name, NAME_MAX - 32);
    return asprintf(&t, ".%.*s.tmp.%s", keep, name, tail) < 0 ? NULL : t;
}

int outfile_create_exclusive(int dirfd, const char *name)
{
    return openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
}

/* A named temporary beside o->name, registered as it is created. 0, or -1 with errno. */
static int create_named(struct outfile *o)
{
    for (int tries = 0; tries < 64; tries++) {
        char *t = temp_name(o->name);
        if (!t)
            return -1;
        pthread_mutex_lock(&registry_lock);
        int fd = outfile_create_exclusive(o->dirfd, t), e = errno;
        if (fd >= 0 && !registry_add(o->dirfd, t)) {
            unlinkat(o->dirfd, t, 0);
            close(fd);
            fd = -1;
            e = ENOMEM;
        }
        pthread_mutex_unlock(&registry_lock);
        if (fd >= 0) {
            o->fd = fd;
            o->tmp = t;
            return 0;
        }
        free(t);
        if (e != EEXIST) { /* EEXIST: someone's file, or link, has that name: another one */
            errno = e;
            return -1;
        }
    }
    errno = EEXIST;
    return -1;
}

/* Whether an anonymous file can be given a name later: through /proc/self/fd (linkat with
 * AT_EMPTY_PATH needs a capability ordinary users lack). */
static bool anonymous_usable(void)
{
    return anonymous_allowed && faccessat(AT_FDCWD, "/proc/self/fd", X_OK, 0) == 0;
}

int outfile_begin(struct outfile *o, const struct outdir *d, const char *rel, char *err, size_t errlen)
{
    *o = (struct outfile){.dirfd = -1, .fd = -1};
    const char *base;
    if (asprintf(&o->shown, "%s/%s", d->path, rel) < 0) {
        o->shown = NULL;
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if ((o->dirfd = outdir_folder(d, rel, true, &base, err, errlen)) < 0) {
        outfile_end(o);
        return -1;
    }
    int e = 0;
    if (!(o->name = strdup(base)))
        e = ENOMEM;
    if (!e && anonymous_usable()) {
        o->fd = openat(o->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
        /* Not every file system has them (EOPNOTSUPP; EISDIR on kernels before 3.11). */
        if (o->fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
            e = errno;
    }
    if (!e && o->fd < 0 && create_named(o) != 0)
        e = errno;
    static const cookie_io_functions_t io = {.write = stream_write};
    if (!e && !(o->stream = fopencookie(o, "w", io)))
        e = errno ? errno : ENOMEM;
    if (e) {
        snprintf(err, errlen, "cannot create %s: %s", o->shown, strerror(e));
        outfile_end(o);
        return -1;
    }
    setvbuf(o->stream, NULL, _IOFBF, 1 << 16);
    return 0;
}

int outfile_sync(struct outfile *o, char *err, size_t errlen)
{
    if (fflush(o->stream) != 0 && !o->error)
        o->error = EIO;
    if (!o->error && fsync(o->fd) != 0 && errno != EINVAL) /* EINVAL: a file system without sync */
        o->error = errno;
    if (o->error) {
        snprintf(err, errlen, "cannot write %s: %s", o->shown, strerror(o->error));
        return -1;
    }
    return 0;
}

/* Names the anonymous file o->name, replacing what is there; under registry_lock. 0 or -1
 * with errno. */
static int name_anonymous(struct outfile *o)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
    if (linkat(AT_FDCWD, proc, o->dirfd, o->name, AT_SYMLINK_FOLLOW) == 0)
        return 0;
    if (errno != EEXIST)
        return -1;
    /* Something is there (an older report, or a planted link): link beside it, rename over. */
    for (int tries = 0; tries < 64; tries++) {
        char *t = temp_name(o->name);
        if (!t || !registry_add(o->dirfd, t)) {
            free(t);
            errno = ENOMEM;
            return -1;
        }
        int rc = linkat(AT_FDCWD, proc, o->dirfd, t, AT_SYMLINK_FOLLOW), e = errno;
        if (rc == 0 && (rc = renameat(o->dirfd, t, o->dirfd, o->name)) != 0) {
            e = errno;
            unlinkat(o->dirfd, t, 0);
        }
        registry_remove(t);
        free(t);
        if (rc == 0 || e != EEXIST) {
            errno = e;
            return rc;
        }
    }
    errno = EEXIST;
    return -1;
}

int outfile_publish(struct outfile *o, char *err, size_t errlen)
{
    pthread_mutex_lock(&registry_lock);
    int rc;
    if (o->tmp) {
        rc = renameat(o->dirfd, o->tmp, o->dirfd, o->name);
        if (rc == 0) {
            registry_remove(o->tmp);
            free(o->tmp);
            o->tmp = NULL;
        }
    } else {
        rc = name_anonymous(o);
    }
    int e = errno;
    pthread_mutex_unlock(&registry_lock);
    if (rc != 0) {
        snprintf(err, errlen, "cannot create %s: %s", o->shown, strerror(e));
        return -1;
    }
    /* The new name is on disk only once the folder is: a crash now keeps the old file or the
     * new one, whole. EINVAL: a file system that cannot sync a folder. */
    if (fsync(o->dirfd) != 0 && errno != EINVAL) {
        snprintf(err, errlen, "cannot write %s: %s", o->shown, strerror(errno));
        return -1;
    }
    return 0;
}

int outfile_commit(struct outfile *o, char *err, size_t errlen)
{
    int rc = outfile_sync(o, err, errlen) == 0 && outfile_publish(o, err, errlen) == 0 ? 0 : -1;
    outfile_end(o);
    return rc;
}

void outfile_end(struct outfile *o)
{
    if (o->stream)
        fclose(o->stream); /* writes nothing more that matters: the result is settled */
    if (o->tmp) {
        pthread_mutex_lock(&registry_lock);
        unlinkat(o->dirfd, o->tmp, 0);
        registry_remove(o->tmp);
        pthread_mutex_unlock(&registry_lock);
    }
    if (o->fd >= 0)
        close(o->fd);
    if (o->dirfd >= 0)
        close(o->dirfd);
    free(o->tmp);
    free(o->name);
    free(o->shown);
    *o = (struct outfile){.dirfd = -1, .fd = -1};
}

void outfile_failure(const struct outfile *o, const char *why, char *err, size_t errlen)
{
    char copy[1024]; /* why may be err itself */
    snprintf(copy, sizeof copy, "%s", why);
    if (o->error)
        snprintf(err, errlen, "cannot write %s: %s", o->shown, strerror(o->error));
    else
        snprintf(err, errlen, "%s: %s", o->shown ? o->shown : "?", copy);
}
