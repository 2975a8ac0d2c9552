/* outfile.h — every file pcap2report writes (reports, the batch index and its PDF, shard
 * indexes, grade sheets, feedback PDFs) is made here, the same careful way, because the
 * output folder may be shared with people who plant links in it.
 *
 *   - The output folder OUT is opened once; every folder below it is created with mkdirat and
 *     entered with O_NOFOLLOW relative to it, so a link planted inside OUT is never followed.
 *     OUT itself is the user's own argument, and a link there is followed as given.
 *   - The content goes into a temporary file in the destination folder: an anonymous one
 *     (O_TMPFILE) where the file system has them, which no one can reach and no crash can
 *     leave behind; else one created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW) under a random,
 *     hidden name, ".NAME.tmp.XXXXXXXXXXXX".
 *   - When complete it is flushed to disk (fsync), then given its final name: linkat, or
 *     renameat over an existing file (which replaces a link planted there, never follows it),
 *     and the folder is synced. A reader never sees a partial file.
 *   - A signal (interrupt.h) removes every temporary that has a name; none is created or
 *     named after it.
 * Messages name the final file and give the system's reason: "cannot write out/x.json: No
 * space left on device". */
#ifndef PCAP2REPORT_OUTFILE_H
#define PCAP2REPORT_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* The output folder. */
struct outdir {
    int fd;             /* OUT, opened once (close-on-exec) */
    char *path;         /* OUT as given, without trailing slashes, for messages */
    dev_t dev;          /* OUT's device and inode: a walk of the inputs leaves it out */
    ino_t ino;
};

/* Opens OUT; with create, makes it first with its missing parents (as mkdir -p). 0, or -1 with
 * "cannot create folder OUT: reason" (or "cannot open folder OUT: reason") in err. */
int outdir_open(struct outdir *d, const char *path, bool create, char *err, size_t errlen);

void outdir_close(struct outdir *d); /* accepts a zeroed d */

/* The folder that holds rel (a path below OUT, such as "alice/capture.json"), opened without
 * following any link below OUT, and created with create. Returns its descriptor (the caller
 * closes it) with *base pointing at rel's last component, or -1 with "cannot create|open
 * OUT/rel: reason" in err ("OUT/alice is a symbolic link, not followed"). */
int outdir_folder(const struct outdir *d, const char *rel, bool create, const char **base, char *err,
                  size_t errlen);

/* One output being written. It must stay where it is between outfile_begin and outfile_end
 * (its stream refers to it). */
struct outfile {
    int dirfd;          /* the destination folder (owned) */
    int fd;             /* the temporary */
    FILE *stream;       /* buffered writes to fd; a failed write records its errno */
    char *name;         /* the final name in dirfd */
    char *tmp;          /* the temporary's name, NULL while it has none (O_TMPFILE) */
    char *shown;        /* "OUT/rel", for messages */
    int error;          /* the first errno of a failed write or sync, 0 while none */
};

/* Begins OUT/rel: its folders below OUT, then the temporary. 0, or -1 with "cannot create
 * OUT/rel: reason" in err (o is then ended already). */
int outfile_begin(struct outfile *o, const struct outdir *d, const char *rel, char *err, size_t errlen);

/* Flushes the stream and syncs the file to disk. 0, or -1 with "cannot write OUT/rel: reason". */
int outfile_sync(struct outfile *o, char *err, size_t errlen);

/* Gives the synced file its final name, replacing what was there, and syncs the folder. 0, or
 * -1 with "cannot create OUT/rel: reason". */
int outfile_publish(struct outfile *o, char *err, size_t errlen);

/* outfile_sync, outfile_publish, outfile_end: 0, or -1 with the reason and nothing left. */
int outfile_commit(struct outfile *o, char *err, size_t errlen);

/* Ends o: a temporary that was not published is removed; everything is closed and freed.
 * Accepts a zeroed or ended o. */
void outfile_end(struct outfile *o);

/* The sentence for a writer that failed into o: "cannot write OUT/rel: <system reason>" when a
 * write failed (the writer's own words are then only a symptom), else "OUT/rel: <why>". */
void outfile_failure(const struct outfile *o, const char *why, char *err, size_t errlen);

/* Takes the lock of the temporaries for good and removes every one that has a name: no
 * temporary is created or named after this. For the end of the program on a signal. */
void outfile_freeze(void);

/* Whether anonymous temporaries (O_TMPFILE) are tried; true by default. For tests of the
 * named ones. */
void outfile_use_anonymous(bool yes);

/* Creates name in dirfd exclusively, never through a link (O_CREAT|O_EXCL|O_NOFOLLOW), for
 * writing. The descriptor, or -1 with errno (EEXIST when anything, a link included, is
 * there). */
int outfile_create_exclusive(int dirfd, const char *name);

#endif
