/* readfile.c — the bounded reader of small files (readfile.h). */
#define _GNU_SOURCE
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a file that is not a regular one is, for the sentence that refuses it. */
static const char *kind_of(mode_t m)
{
    return S_ISDIR(m) ? "a folder" : S_ISCHR(m) ? "a character device" : S_ISBLK(m) ? "a block device"
         : S_ISSOCK(m) ? "a socket" : S_ISFIFO(m) ? "a FIFO (named pipe)" : S_ISLNK(m) ? "a symbolic link"
         : "not a regular file";
}

static bool acceptable(mode_t m, unsigned flags)
{
    return S_ISREG(m) || (S_ISFIFO(m) && !(flags & READFILE_REGULAR));
}

int readfile_open(int dirfd, const char *path, unsigned flags, char *err, size_t errlen)
{
    int nofollow = flags & READFILE_NOFOLLOW ? AT_SYMLINK_NOFOLLOW : 0;
    struct stat st;
    /* Looked at before opening: opening a device can have effects of its own (a tape rewinds). */
    if (fstatat(dirfd, path, &st, nofollow) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!acceptable(st.st_mode, flags)) {
        snprintf(err, errlen, "%s: %s, not a file%s", path, kind_of(st.st_mode),
                 S_ISLNK(st.st_mode) ? " (symbolic links are not followed here)" : "");
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        return -1;
    }
    /* O_NONBLOCK: a FIFO opens at once even with no writer (and then reads as empty). */
    int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (nofollow ? O_NOFOLLOW : 0));
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fstat(fd, &st) != 0 || !acceptable(st.st_mode, flags) || fl < 0 ||
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
        int e = errno;
        snprintf(err, errlen, "%s: %s", path, acceptable(st.st_mode, flags) ? strerror(e) : "changed while opened");
        close(fd);
        errno = e ? e : EINVAL;
        return -1;
    }
    return fd;
}

int readfile_more(int fd, size_t max, char **buf, size_t *len)
{
    size_t room = *len; /* the room of *buf is not known: grow before the first read */
    for (;;) {
        if (*len == room && *len < max) {
            size_t want = room < 32768 ? 65536 : room * 2;
            if (want > max || want < room)
                want = max;
            char *p = realloc(*buf, want + 1);
            if (!p) {
                errno = ENOMEM;
                return -1;
            }
            *buf = p;
            room = want;
        }
        if (!*buf && !(*buf = malloc(1))) {
            errno = ENOMEM;
            return -1;
        }
        (*buf)[*len] = '\0';
        if (*len >= max)
            return 0;
        ssize_t got = read(fd, *buf + *len, room - *len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            return 1;
        *len += (size_t)got;
        (*buf)[*len] = '\0';
    }
}

char *readfile(int dirfd, const char *path, size_t max, unsigned flags, size_t *len, bool *truncated,
               char *err, size_t errlen)
{
    *len = 0;
    if (truncated)
        *truncated = false;
    int fd = readfile_open(dirfd, path, flags, err, errlen);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (!(flags & READFILE_PREFIX) && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
        snprintf(err, errlen, "%s: larger than %zu bytes (%jd)", path, max, (intmax_t)st.st_size);
        close(fd);
        return NULL;
    }
    char *buf = NULL;
    /* One byte more than max tells a file of exactly max bytes from a longer one. */
    int rc = readfile_more(fd, max < SIZE_MAX ? max + 1 : max, &buf, len);
    int e = errno;
    close(fd);
    if (rc < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        free(buf);
        return NULL;
    }
    if (*len > max) {
        if (!(flags & READFILE_PREFIX)) {
            snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
            free(buf);
            return NULL;
        }
        buf[*len = max] = '\0';
        if (truncated)
            *truncated = true;
    }
    return buf;
}
