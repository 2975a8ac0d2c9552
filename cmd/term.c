/* term.c — escaping names for the terminal (term.h), as GNU ls's "escape" quoting style does
 * (coreutils lib/quotearg.c, quotearg_buffer_restyled: the C escapes, then octal). */
#define _GNU_SOURCE
#include "term.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Characters that change how a line reads without being seen. */
static bool invisible_control(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 || cp == 0x200e || cp == 0x200f ||
           (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

static char *octal(char *w, unsigned char c)
{
    *w++ = '\\';
    *w++ = (char)('0' + (c >> 6));
    *w++ = (char)('0' + ((c >> 3) & 7));
    *w++ = (char)('0' + (c & 7));
    return w;
}

char *term_escape(const char *s, int keep_final_newline)
{
    size_t len = strlen(s);
    bool final_newline = keep_final_newline && len && s[len - 1] == '\n';
    if (final_newline)
        len--;
    char *out = malloc(len * 4 + 2), *w = out; /* at most four bytes ("\ooo") for each */
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        const char *esc = strchr("\a\b\t\n\v\f\r\\", c);
        if (c && esc) {
            *w++ = '\\';
            *w++ = "abtnvfr\\"[esc - "\a\b\t\n\v\f\r\\"];
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            w = octal(w, c);
            i++;
        } else if (c < 0x80) {
            *w++ = (char)c;
            i++;
        } else {
            uint32_t cp = 0;
            size_t n = utf8_char(p + i, len - i, &cp);
            if (n == 0) { /* not UTF-8: this byte alone */
                w = octal(w, c);
                i++;
            } else if (invisible_control(cp)) {
                for (size_t k = 0; k < n; k++)
                    w = octal(w, p[i + k]);
                i += n;
            } else {
                memcpy(w, p + i, n);
                w += n;
                i += n;
            }
        }
    }
    if (final_newline)
        *w++ = '\n';
    *w = '\0';
    return out;
}

int term_printf(FILE *f, const char *fmt, ...)
{
    char *raw = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&raw, fmt, ap);
    va_end(ap);
    if (n < 0)
        return EOF;
    char *safe = term_escape(raw, 1);
    free(raw);
    if (!safe)
        return EOF;
    int rc = fputs(safe, f);
    free(safe);
    return rc;
}
