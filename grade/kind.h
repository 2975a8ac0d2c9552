/* kind.h — what a file handed in is, from its first bytes (kind.c). Pure functions of the
 * bytes given: the caller reads them. */
#ifndef PCAP2REPORT_GRADE_KIND_H
#define PCAP2REPORT_GRADE_KIND_H

#include <stdbool.h>
#include <stddef.h>

#include "grade.h"

/* How many first bytes grade_kind_of looks at, at most (a tar header's "ustar" is at 257;
 * text forms are judged on their first lines). */
enum { GRADE_KIND_HEAD = 4096 };

/* The kind of a file of file_size bytes whose first n bytes are b (n may be less than
 * GRADE_KIND_HEAD for a short file). Never GRADE_KIND_DAMAGED, _ARCHIVE_REFUSED or
 * _UNREADABLE: those come from reading further. A gzip'd file is GRADE_KIND_ARCHIVE: the
 * caller looks inside (a gzip'd capture is a capture). */
enum grade_kind grade_kind_of(const unsigned char *b, size_t n, size_t file_size);

/* True when b starts with a pcap or pcapng magic number. */
bool grade_is_capture_magic(const unsigned char *b, size_t n);

#endif
