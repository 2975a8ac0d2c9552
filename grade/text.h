/* text.h — a string that grows as the grader adds sentences to it (feedback sentences,
 * integrity messages). A failed allocation is remembered rather than reported at each
 * addition: the text is then dropped when it is taken. */
#ifndef PCAP2REPORT_GRADE_TEXT_H
#define PCAP2REPORT_GRADE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

struct grade_text {
    char *buf;
    size_t len, cap;
    bool oom;
};

/* Appends printf-style text. A NULL text, or one whose memory ran out, takes nothing. */
void grade_text_add(struct grade_text *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Takes the text (an empty string when nothing was added); NULL when memory ran out. */
char *grade_text_take(struct grade_text *b);

#endif
