/* readfile.h — reading a small file whole, with a bound: anything that is not a capture (a
 * report's first lines, a shard index, a rubric, a wording file).
 *
 * A path given where a small file belongs may be /dev/zero, a huge file, a folder or a FIFO
 * nobody writes to. Each ends here with a sentence instead of filling memory or waiting for
 * ever: the size is checked before and while reading, a folder or a device is refused, and a
 * FIFO is opened without waiting for a writer. Captures are read by reader.h, not here. */
#ifndef PCAP2REPORT_READFILE_H
#define PCAP2REPORT_READFILE_H

#include <stdbool.h>
#include <stddef.h>

enum readfile_flags {
    READFILE_PREFIX = 1,   /* a file longer than max is not an error: its first max bytes */
    READFILE_REGULAR = 2,  /* only a regular file (not a FIFO or a pipe) */
    READFILE_NOFOLLOW = 4, /* refuse a symbolic link as the last component of the path */
};

/* Opens path (relative to dirfd when it is not AT_FDCWD) for reading, without waiting for a
 * FIFO's writer; refuses a folder, a device or a socket (and with READFILE_REGULAR a FIFO
 * too). Returns the descriptor (close-on-exec, blocking), or -1 with "PATH: reason" in err
 * and errno set. */
int readfile_open(int dirfd, const char *path, unsigned flags, char *err, size_t errlen);

/* Reads fd onward, appending to the malloc'd *buf of *len bytes (both 0/NULL at first),
 * until end of file or until *len reaches max. *buf stays NUL-terminated. Returns 1 at end of
 * file, 0 when max was reached first (the file may go on), -1 on a read error or when memory
 * runs out (errno set; *buf and *len stay valid). */
int readfile_more(int fd, size_t max, char **buf, size_t *len);

/* The whole of path (relative to dirfd unless AT_FDCWD), at most max bytes, NUL-terminated
 * and malloc'd, its length in *len. With READFILE_PREFIX a longer file gives its first max
 * bytes and *truncated (may be NULL) says so. NULL with "PATH: reason" in err: the system's
 * reason, "a folder", "a character device, not a file", "larger than N bytes". */
char *readfile(int dirfd, const char *path, size_t max, unsigned flags, size_t *len, bool *truncated,
               char *err, size_t errlen);

#endif
