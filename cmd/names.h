/* names.h — output file names made from input names (a capture's path, a student's name),
 * by one rule for `convert` and `grade` alike (names.c).
 *
 * Every valid UTF-8 character is kept, in any script ("张伟", "Łukasz Żółw", "Иван"): a name
 * is what its owner wrote. Replaced by '_' are only what a file name cannot hold or what
 * would make it misbehave: '/', control characters (C0, DEL and C1), bytes that are not
 * valid UTF-8, and a leading '.' (a hidden file) or '-' (read as an option). "", "." and ".."
 * become "_". A name longer than NAMES_MAX bytes is cut at a character boundary (Linux file
 * systems refuse components over 255 bytes; the rest leaves room for "~2" and ".json"). */
#ifndef PCAP2REPORT_NAMES_H
#define PCAP2REPORT_NAMES_H

#include <stddef.h>

enum { NAMES_MAX = 200 };

/* Makes the len bytes at in one safe path component, written into out (at least
 * NAMES_MAX + 1 bytes). */
void names_component(const char *in, size_t len, char *out);

#endif
