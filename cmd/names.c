/* names.c — output file names from input names (names.h). */
#include "names.h"

#include <stdbool.h>
#include <string.h>

size_t names_utf8_char(const unsigned char *s, size_t avail, unsigned long *cp)
{
    unsigned char c = s[0];
    size_t n;
    unsigned long v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        v = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        v = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        v = c & 0x07;
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3f);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

void names_component(const char *in, size_t len, char *out)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        unsigned long cp = 0;
        size_t k = names_utf8_char(s + i, len - i, &cp);
        bool bad = k == 0 || cp < 0x20 || cp == '/' || (cp >= 0x7f && cp <= 0x9f);
        size_t take = bad ? 1 : k;
        if (n + take > NAMES_MAX)
            break;
        if (bad)
            out[n++] = '_';
        else
            memcpy(out + n, s + i, k);
        n += bad ? 0 : k;
        i += bad ? (k ? k : 1) : k;
    }
    out[n] = '\0';
    if (n == 0 || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
        strcpy(out, "_");
    else if (out[0] == '.' || out[0] == '-')
        out[0] = '_'; /* no hidden files, nothing that reads as an option */
}
