/* grade_files.h — what is inside a file handed in (grade_files.c): the file itself when it is
 * a capture (or something else to name), or, for an archive, the files packed in it, unpacked
 * with libarchive within limits so that a zip bomb is refused rather than unpacked. */
#ifndef PCAP2REPORT_GRADE_FILES_H
#define PCAP2REPORT_GRADE_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "grade.h"

/* The limits on one hand-in's archives (docs/grading.md): bytes unpacked in all, files in
 * all, archives within archives. */
enum {
    GRADE_FILES_MAX_BYTES = 64 << 20,
    GRADE_FILES_MAX_ENTRIES = 256,
    GRADE_FILES_MAX_DEPTH = 3,
};

/* One file to grade. path is a path the analysis can open (for an archive's member, an
 * in-memory file of this process, valid during the callback). sha256 is "" for a capture (the
 * analysis hashes it) and for a file that could not be read. */
struct grade_item {
    const char *path;
    const char *file_name;   /* as shown: "capture.pcap", "hw.zip/capture.pcap" */
    enum grade_kind kind;    /* GRADE_KIND_CAPTURE: analyse it; anything else: say what it is */
    uint64_t size_bytes;
    const char *sha256;
    const char *refusal;     /* GRADE_KIND_ARCHIVE_REFUSED: "too-large", "too-many", "too-deep", "damaged",
                                "encrypted", "empty" */
    uint64_t limit;          /* the limit exceeded */
    const char *detail;      /* libarchive's or the system's own words, for the teacher, or NULL */
};

/* Calls fn for each file to grade in the file at path (shown as file_name): the file itself,
 * or the members of an archive. Returns 0, or fn's nonzero return. */
int grade_files_each(const char *path, const char *file_name, int (*fn)(void *arg, const struct grade_item *it),
                     void *arg);

#endif
