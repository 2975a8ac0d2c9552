/* utf8.h — one UTF-8 decoder for every name, path and line that comes from outside (file
 * names in reports and outputs, terminal lines, rubric files). */
#ifndef PCAP2REPORT_UTF8_H
#define PCAP2REPORT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The length of the valid UTF-8 sequence at s, of the avail bytes there (RFC 3629: no overlong
 * form, no surrogate, nothing above U+10FFFF), with its code point in *cp when cp is not NULL;
 * 0 when the bytes there are not one (or avail is 0). */
size_t utf8_char(const unsigned char *s, size_t avail, uint32_t *cp);

#endif
