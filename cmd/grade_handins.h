/* grade_handins.h — finding what the students handed in, and naming the students
 * (grade_handins.c), for `pcap2report grade`. */
#ifndef PCAP2REPORT_GRADE_HANDINS_H
#define PCAP2REPORT_GRADE_HANDINS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* How a student is named: after each capture's file name without its extension, or after the
 * folder holding the student's captures. */
enum handin_naming { NAME_BY_FILE, NAME_BY_FOLDER };

/* One file handed in. */
struct handin {
    char *student;
    char *path;
    char *file_name; /* shown: below the folder given, or the bare name */
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
};

/* Adds every file found in args (captures, or folders walked recursively, hidden entries and
 * the output folder out_dir skipped) with its student's name. Inside a folder, a symbolic
 * link is not followed (a student's link to /etc/passwd is not read), and it, a FIFO, a
 * device, a folder nested too deep or unreadable are listed in skipped with the reason.
 * Returns 0, or -1 with a sentence in err (an argument that does not exist or cannot be read,
 * out of memory). */
int handins_collect(struct handins *h, const char *out_dir, enum handin_naming naming, char **args, size_t n_args,
                    char *err, size_t errlen);

/* Sorts by student, then file name, then path (byte order): a student's files are together. */
void handins_sort(struct handins *h);

void handins_free(struct handins *h);

#endif
