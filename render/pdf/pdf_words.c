/* pdf_words.c — a document's sentences and values, in rotating buffers (pdf_words.h).
 *
 * Values (counts, times, addresses) are formatted the same way in every language, except the
 * digit grouping, which the template's @thousands setting chooses. */
#include "pdf_words.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void pdf_words_init(struct pdf_words *w, const struct pdf_templates *tpl)
{
    w->tpl = tpl;
    w->next = 0;
}

/* ---- buffers ------------------------------------------------------------------------------- */

static char *next_buffer(struct pdf_words *w)
{
    return w->buf[w->next++ % PDF_WORDS_BUFFERS];
}

const char *pdf_tpl(struct pdf_words *w, const char *key, const struct tpl_arg *args, size_t n)
{
    return pdf_templates_format(w->tpl, key, args, n, next_buffer(w), PDF_WORDS_LEN);
}

const char *pdf_fmt(struct pdf_words *w, const char *fmt, ...)
{
    char *b = next_buffer(w);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, PDF_WORDS_LEN, fmt, ap);
    va_end(ap);
    return b;
}

/* ---- values -------------------------------------------------------------------------------- */

/* The table formats several values for every session, and printf's format parsing was a
 * good part of its time: the commonest values are written digit by digit below, as printf
 * would write them. */

/* v in decimal at o, at least width digits (zero-padded); returns the end. */
static char *put_uint(char *o, uint64_t v, int width)
{
    char digits[20];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (width-- > n)
        *o++ = '0';
    while (n)
        *o++ = digits[--n];
    return o;
}

const char *pdf_format_count(struct pdf_words *w, uint64_t v)
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%" PRIu64, v);
    const char *sep = pdf_templates_get(w->tpl, "@thousands");
    size_t seplen = strlen(sep);
    char *b = next_buffer(w), *o = b;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) {
            memcpy(o, sep, seplen);
            o += seplen;
        }
        *o++ = digits[i];
    }
    *o = '\0';
    return b;
}

const char *pdf_format_u32(struct pdf_words *w, uint32_t v)
{
    return pdf_fmt(w, "%" PRIu32, v);
}

/* Three significant digits in fixed notation ("129", "12.9", "1.29"), moving to the next
 * unit where rounding would reach 1000. */
static const char *three_digits(struct pdf_words *w, const char *sign, double v, const char *unit,
                                const char *next_unit)
{
    if (v >= 999.5 && next_unit) {
        v /= 1000;
        unit = next_unit;
    }
    int decimals = v >= 99.95 ? 0 : v >= 9.995 ? 1 : 2;
    return pdf_fmt(w, "%s%.*f %s", sign, decimals, v, unit);
}

const char *pdf_format_duration(struct pdf_words *w, int64_t ns)
{
    const char *sign = ns < 0 ? "-" : "";
    uint64_t v = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    if (v < 1000)
        return pdf_fmt(w, "%s%" PRIu64 " ns", sign, v);
    if (v < 999500)
        return three_digits(w, sign, (double)v / 1e3, "\xc2\xb5s", "ms");
    if (v < 999500000)
        return three_digits(w, sign, (double)v / 1e6, "ms", "s");
    if (v < 100ULL * 1000000000)
        return three_digits(w, sign, (double)v / 1e9, "s", NULL);
    uint64_t s = v / 1000000000;
    if (s < 3600)
        return pdf_fmt(w, "%s%" PRIu64 " min %02" PRIu64 " s", sign, s / 60, s % 60);
    return pdf_fmt(w, "%s%" PRIu64 " h %02" PRIu64 " min", sign, s / 3600, s / 60 % 60);
}

static void split_time(int64_t ns, struct tm *tm, uint64_t *frac)
{
    int64_t sec = ns / 1000000000, rem = ns % 1000000000;
    if (rem < 0) {
        rem += 1000000000;
        sec--;
    }
    time_t t = (time_t)sec;
    gmtime_r(&t, tm);
    *frac = (uint64_t)rem;
}

static const char *fraction_digits(struct pdf_words *w, uint64_t ns_frac, int digits)
{
    return pdf_fmt(w, "%0*" PRIu64, digits, digits == 9 ? ns_frac : ns_frac / 1000);
}

const char *pdf_format_utc(struct pdf_words *w, int64_t ns, int digits)
{
    struct tm tm;
    uint64_t frac;
    split_time(ns, &tm, &frac);
    return pdf_fmt(w, "%04d-%02d-%02d %02d:%02d:%02d.%s", tm.tm_year + 1900, tm.tm_mon + 1,
                   tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                   fraction_digits(w, frac, digits == 9 ? 9 : 6));
}

const char *pdf_format_clock(struct pdf_words *w, int64_t ns, int digits)
{
    struct tm tm;
    uint64_t frac;
    split_time(ns, &tm, &frac);
    char *b = next_buffer(w), *o = b; /* "%02d:%02d:%02d.%06" (or %09) */
    o = put_uint(o, (uint64_t)tm.tm_hour, 2);
    *o++ = ':';
    o = put_uint(o, (uint64_t)tm.tm_min, 2);
    *o++ = ':';
    o = put_uint(o, (uint64_t)tm.tm_sec, 2);
    *o++ = '.';
    o = digits == 9 ? put_uint(o, frac, 9) : put_uint(o, frac / 1000, 6);
    *o = '\0';
    return b;
}

const char *pdf_format_offset(struct pdf_words *w, int64_t ns)
{
    /* Microseconds, as tcpdump prints by default: the margin has no room for nine digits. */
    const char *sign = ns < 0 ? "-" : "+";
    uint64_t v = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    return pdf_fmt(w, "%s%" PRIu64 ".%s", sign, v / 1000000000, fraction_digits(w, v % 1000000000, 6));
}

const char *pdf_format_ip(struct pdf_words *w, int version, const uint8_t *addr)
{
    return ip_address_string(version, addr, next_buffer(w));
}

const char *pdf_format_endpoint(struct pdf_words *w, const struct session *s, int role)
{
    return session_endpoint_string(s, role, next_buffer(w));
}

void pdf_valid_utf8(const char *s, char *out, size_t outlen)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p) {
        size_t len = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;
        bool ok = len > 0 && !(len == 2 && *p < 0xc2); /* no overlong two-byte forms */
        for (size_t i = 1; ok && i < len; i++)
            ok = (p[i] & 0xc0) == 0x80;
        const char *piece = ok ? (const char *)p : "\xef\xbf\xbd";
        size_t k = ok ? len : 3;
        if (n + k >= outlen)
            break;
        memcpy(out + n, piece, k);
        n += k;
        p += ok ? len : 1;
    }
    if (outlen)
        out[n < outlen ? n : outlen - 1] = '\0';
}

const char *pdf_format_anomalies(struct pdf_words *w, const struct session *s, unsigned max)
{
    return pdf_format_anomaly_bits(w, s->anomalies, max);
}

const char *pdf_format_anomaly_bits(struct pdf_words *w, uint32_t bits, unsigned max)
{
    char *b = next_buffer(w);
    size_t n = 0;
    unsigned shown = 0, more = 0;
    b[0] = '\0';
    for (int a = 0; a < ANOMALIES; a++) {
        if (!((bits >> a) & 1u))
            continue;
        if (shown == max) {
            more++;
            continue;
        }
        n += (size_t)snprintf(b + n, PDF_WORDS_LEN - n, "%s%s", shown ? ", " : "", anomaly_name((enum anomaly)a));
        shown++;
    }
    if (more) {
        const char *tail = T(w, "table.more-anomalies", {"count", pdf_format_count(w, more)});
        snprintf(b + n, PDF_WORDS_LEN - n, " %s", tail);
    }
    return b;
}
