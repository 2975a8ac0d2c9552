/* grade_handins.h — finding what the students handed in, and who each student is
 * (grade_handins.c), for `pcap2report grade`. */
#ifndef PCAP2REPORT_GRADE_HANDINS_H
#define PCAP2REPORT_GRADE_HANDINS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* How students are found. auto: in a folder holding folders, each folder is a student (a
 * learning platform's export: Moodle's suffix is stripped); in a folder of files only, each
 * file is a student (named after the file, or as Canvas, Blackboard or Moodle name their
 * flat exports); a capture given directly is a student named after its file (after its folder
 * when several such files have the same name). file: each file is a student. folder: the
 * folder holding a student's files is the student (a folder of files given directly is one
 * student). */
enum handin_naming { NAME_AUTO, NAME_BY_FILE, NAME_BY_FOLDER };

/* One file handed in. */
struct handin {
    char *student;   /* the name shown */
    char *id;        /* the platform's id or user name, or NULL */
    char *key;       /* who the student is: "id:<id>" or "name:<name>" */
    char *source;    /* what makes the student (a folder, a file, a platform's prefix), for messages */
    char *path;
    char *file_name; /* shown: below the student's folder, or the file's own name */
};

/* An entry of a folder that is not taken as a hand-in, and why. */
struct handin_skip {
    char *path;
    char *reason;
};

struct handins {
    struct handin *v;
    size_t n, cap;
    struct handin_skip *skipped; /* links, FIFOs, devices, folders too deep or unreadable */
    size_t n_skipped, cap_skipped;
    dev_t out_dev;   /* the output folder, never walked into */
    ino_t out_ino;
    bool out_exists;
    char **notes;    /* how each folder given was read, for the terminal */
    size_t n_notes;
};

/* Adds every file found in args with its student (the output folder out_dir and hidden entries
 * skipped). Inside a folder, a symbolic link is not followed (a student's link to /etc/passwd
 * is not read), and it, a FIFO, a device, a folder nested too deep or unreadable are listed in
 * skipped with the reason. Returns 0, or -1 with a sentence in err (an argument that does not
 * exist or cannot be read, out of memory). */
int handins_collect(struct handins *h, const char *out_dir, enum handin_naming naming, char **args, size_t n_args,
                    char *err, size_t errlen);

/* Sorts by student key, then file name, then path (byte order): a student's files are
 * together. Then checks that each student comes from one place: two folders or files that
 * would be one student are an error naming both (never a silent merge); with NAME_AUTO, files
 * given directly that share a name are first named after their folders. Returns 0, or -1 with
 * a sentence in err. */
int handins_sort(struct handins *h, enum handin_naming naming, char *err, size_t errlen);

void handins_free(struct handins *h);

#endif
