/* pdf_words.h — a document's sentences and values as the reader sees them.
 *
 * Every call returns a string in one of a ring of buffers, which stays valid for the next
 * PDF_WORDS_BUFFERS - 1 calls: enough to pass several to one template without copying, as in
 * T(w, "table.packets", {"c2s", pdf_format_count(w, a)}, {"s2c", pdf_format_count(w, b)}).
 * Values are written the same way in every language, except the digit grouping, which the
 * template's @thousands setting chooses. Nothing here knows about PDF. */
#ifndef PCAP2REPORT_PDF_WORDS_H
#define PCAP2REPORT_PDF_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "pdf_templates.h"
#include "report.h"

enum { PDF_WORDS_BUFFERS = 24, PDF_WORDS_LEN = 2048 };

struct pdf_words {
    const struct pdf_templates *tpl; /* borrowed */
    char buf[PDF_WORDS_BUFFERS][PDF_WORDS_LEN];
    unsigned next;
};

void pdf_words_init(struct pdf_words *w, const struct pdf_templates *tpl);

/* The template text of key with its placeholders filled. */
const char *pdf_tpl(struct pdf_words *w, const char *key, const struct tpl_arg *args, size_t n);
#define T(w, key, ...) pdf_tpl((w), (key), TPL_ARGS(__VA_ARGS__))
#define T0(w, key) pdf_tpl((w), (key), TPL_NOARGS)

/* printf-style technical text. */
const char *pdf_fmt(struct pdf_words *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

const char *pdf_format_count(struct pdf_words *w, uint64_t v);   /* 1,048,576 */
const char *pdf_format_u32(struct pdf_words *w, uint32_t v);     /* 606026523: never grouped */
const char *pdf_format_duration(struct pdf_words *w, int64_t ns); /* 129 µs, 1.234 ms, 4.93 s */
/* 2024-01-02 03:04:05.123456, with 9 digits after the second when digits is 9 (a capture of
 * nanosecond timestamps), else 6. */
const char *pdf_format_utc(struct pdf_words *w, int64_t ns, int digits);
const char *pdf_format_clock(struct pdf_words *w, int64_t ns, int digits); /* 03:04:05.123456 */
/* Seconds since a reference, to the microsecond: +0.000129 */
const char *pdf_format_offset(struct pdf_words *w, int64_t ns);
const char *pdf_format_ip(struct pdf_words *w, int version, const uint8_t *addr);
/* 10.0.0.1:40000, or [2001:db8::1]:40000 */
const char *pdf_format_endpoint(struct pdf_words *w, const struct session *s, int role);
/* "retransmission, bad-checksum"; at most max names, then "+N more" from the template. */
const char *pdf_format_anomalies(struct pdf_words *w, const struct session *s, unsigned max);

/* The same for the anomalies whose bits (1u << enum anomaly) are set in bits. */
const char *pdf_format_anomaly_bits(struct pdf_words *w, uint32_t bits, unsigned max);

/* Copies s into out (of outlen bytes) with every byte that is not part of valid UTF-8
 * replaced by U+FFFD, so a stranger's file name cannot break a font's or the outline's
 * encoder. */
void pdf_valid_utf8(const char *s, char *out, size_t outlen);

#endif
