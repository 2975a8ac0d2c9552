/* text.c — a string that grows as the grader adds sentences to it (text.h). */
#include "text.h"
#include "grow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void grade_text_add(struct grade_text *b, const char *fmt, ...)
{
    if (!b || b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->buf ? b->buf + b->len : NULL, b->buf ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = true;
            return;
        }
        if (b->buf && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        if (!GROW(b->buf, b->cap, b->len + (size_t)n + 1, 128)) {
            b->oom = true;
            return;
        }
    }
}

char *grade_text_take(struct grade_text *b)
{
    if (b->oom) {
        free(b->buf);
        return NULL;
    }
    if (!b->buf)
        return strdup("");
    return b->buf;
}
