/* names.c — output file names from input names (names.h). */
#include "names.h"

#include <stdbool.h>
#include <string.h>

#include "utf8.h"

void names_component(const char *in, size_t len, char *out)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        size_t k = utf8_char(s + i, len - i, &cp);
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
