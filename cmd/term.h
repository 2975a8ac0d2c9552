/* term.h — the one way pcap2report prints text that holds names from outside (file names,
 * student names, messages quoting them) to a terminal or a log.
 *
 * A file name is any bytes but '/' and NUL: an escape sequence in it would retitle the
 * terminal or recolour it, a newline or carriage return would forge a line of its own
 * ("alice: 9/9"). Every such character is written as `ls -b` (GNU coreutils' "escape" quoting
 * style) writes it, so the name can still be read and told apart from any other:
 *   \a \b \t \n \v \f \r and \\ for a backslash; any other C0 control character, DEL and
 *   each byte of a C1 control character (U+0080-U+009F, which a terminal may take as CSI and
 *   the like) or of bytes that are not UTF-8 as three octal digits (\033, \302\233, \377).
 * Beyond ls, Unicode's line and paragraph separators and bidirectional controls (U+2028,
 * U+2029, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), which can make a line read
 * differently from what it holds, are written as their bytes in octal too. Any other valid
 * UTF-8 (every script) is written as it is. */
#ifndef PCAP2REPORT_TERM_H
#define PCAP2REPORT_TERM_H

#include <stdio.h>

/* A malloc'd copy of s with every character above escaped; a newline that ends s stays when
 * keep_final_newline. NULL when out of memory. */
char *term_escape(const char *s, int keep_final_newline);

/* Formats as fprintf does, escapes the result (keeping a final newline) and writes it to f in
 * one call. Returns what fputs returns. */
int term_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
