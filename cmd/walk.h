/* walk.h — walking a folder given on the command line, as find and tar do.
 *
 * In sorted (byte) order; a symbolic link inside the folder is not followed unless asked
 * (--follow), and is then followed at most once into each folder: a folder met again (the
 * same device and inode, through a loop or a second link) is not walked again. The output
 * folder is left out when it lies inside. Each entry not taken (a link not followed, a
 * dangling one, a loop, a FIFO, a device, a socket, a folder nested too deep, a path too long
 * to open) is reported with the reason, never dropped silently. Folders are opened relative
 * to their parent with O_NOFOLLOW, so a link swapped in for a folder mid-walk is not
 * followed either. */
#ifndef PCAP2REPORT_WALK_H
#define PCAP2REPORT_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum walk_kind {
    WALK_FILE,    /* a regular file: take it */
    WALK_SKIPPED, /* not taken: reason says why */
    WALK_FAILED,  /* a folder that could not be read: reason says why */
};

struct walk_entry {
    enum walk_kind kind;
    const char *path;   /* root/rel, as it can be opened */
    const char *rel;    /* below root: "alice/capture.pcap" */
    const char *reason; /* for WALK_SKIPPED and WALK_FAILED */
    int depth;          /* 0 for an entry directly in root */
};

struct walk_options {
    bool follow;        /* follow symbolic links (--follow) */
    bool hint_follow;   /* a link not followed says that --follow would follow it */
    bool skip_hidden;   /* leave out entries whose name starts with '.' (without a note) */
    int max_depth;      /* folders below root at most this deep are walked */
    bool exclude;       /* leave out the folder with this device and inode (OUT) */
    dev_t exclude_dev;
    ino_t exclude_ino;
};

/* Calls fn for every regular file below root and every entry not taken, in sorted order;
 * root itself is the user's argument and is followed if it is a link. fn returns 0 to go
 * on, or -1 to stop the walk (out of memory). Returns 0, or -1 when fn stopped the walk or
 * memory ran out. */
int walk_tree(const char *root, const struct walk_options *opt, int (*fn)(void *arg, const struct walk_entry *e),
              void *arg);

#endif
