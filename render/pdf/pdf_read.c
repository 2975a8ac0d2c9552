/* pdf_read.c — a PDF's /Keywords through libqpdf, and the provenance in them (pdf_read.h). */
#include "pdf_read.h"

#include <errno.h>
#include <limits.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_select.h"
#include "report.h"

int pdf_read_keywords(const char *path, char *out, size_t len, char *err, size_t errlen)
{
    qpdf_data q = qpdf_init();
    int rc = -1;
    if (!q) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* A library prints nothing: errors come back as codes, warnings are kept, not printed,
     * and a damaged file is refused rather than reconstructed (which reads all of it). */
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    qpdf_set_attempt_recovery(q, QPDF_FALSE);
    if (qpdf_read(q, path, NULL) & QPDF_ERRORS) {
        qpdf_error e = qpdf_get_error(q);
        const char *detail = e ? qpdf_get_error_message_detail(q, e) : NULL;
        snprintf(err, errlen, "not a PDF that can be read (%s)", detail && *detail ? detail : "libqpdf failed");
    } else {
        /* The object itself, not qpdf_get_info_key's raw bytes: libharu writes the keywords
         * as UTF-16BE with a byte order mark, which qpdf_oh_get_utf8_value decodes. */
        qpdf_oh info = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Info");
        qpdf_oh keywords = qpdf_oh_get_key(q, info, "/Keywords");
        size_t n = 0;
        const char *k = qpdf_oh_is_string(q, keywords) ? qpdf_oh_get_binary_utf8_value(q, keywords, &n) : NULL;
        if (qpdf_has_error(q) || !k || memchr(k, '\0', n)) {
            qpdf_get_error(q); /* cleared */
            snprintf(err, errlen, "a PDF without /Keywords in its document information");
        } else {
            snprintf(out, len, "%s", k);
            rc = 0;
        }
    }
    qpdf_cleanup(&q);
    return rc;
}

/* ---- the keywords ------------------------------------------------------------------------- */

/* The longest word: a filter, which pdf_archive_options cuts at 1535 bytes. */
enum { PDF_READ_WORD_MAX = 1600 };

/* If s starts with prefix, the rest of it; else NULL. */
static const char *after(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}

/* A whole number from lo to hi written in decimal digits only. */
static bool whole(const char *s, unsigned long long lo, unsigned long long hi, unsigned long long *v)
{
    char *end;
    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    *v = strtoull(s, &end, 10);
    return errno == 0 && *end == '\0' && *v >= lo && *v <= hi;
}

/* The next shell word of *p as pdf_archive_options writes one (plain, or in single quotes
 * with '\'' for a quote) into w (of len); false at the end of the options (the string's end
 * or a ';' outside quotes) or when w is too small. */
static bool next_word(const char **p, char *w, size_t len)
{
    const char *s = *p;
    size_t n = 0;
    while (*s == ' ')
        s++;
    if (*s == '\0' || *s == ';')
        return false;
    while (*s && *s != ' ' && *s != ';') {
        if (*s == '\'') {
            for (s++; *s && *s != '\''; s++)
                if (n + 1 < len)
                    w[n++] = *s;
                else
                    return false;
            if (*s == '\'')
                s++;
        } else if (*s == '\\' && s[1]) {
            if (n + 1 >= len)
                return false;
            w[n++] = s[1];
            s += 2;
        } else {
            if (n + 1 >= len)
                return false;
            w[n++] = *s++;
        }
    }
    w[n] = '\0';
    *p = s;
    return true;
}

static bool bare_name(const char *s, size_t max)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");
    return n > 0 && n <= max && s[n] == '\0';
}

/* One option and, for those that take one, its value (read from *p). 0, or -1 with err. */
static int take_option(struct pdf_read_provenance *pv, const char *opt, const char **p, char *w, size_t wlen,
                       char *err, size_t errlen)
{
    unsigned long long v;
    if (strcmp(opt, "--absolute-seq") == 0) {
        pv->absolute_seq = true;
        return 0;
    }
    if (strcmp(opt, "--pdfa") == 0) {
        pv->pdfa = true;
        return 0;
    }
    if (!next_word(p, w, wlen)) {
        snprintf(err, errlen, "%.40s has no value", opt);
        return -1;
    }
    if (strcmp(opt, "--filter") == 0 && !pv->filter) {
        if (!(pv->filter = strdup(w)))
            snprintf(err, errlen, "out of memory");
        return pv->filter ? 0 : -1;
    }
    if (strcmp(opt, "--sessions") == 0 && !pv->session_filter) {
        char why[128];
        if (!pdf_select_check(w, false, why, sizeof why)) {
            snprintf(err, errlen, "--sessions is '%.40s': %s", w, why);
            return -1;
        }
        if (!(pv->session_filter = strdup(w)))
            snprintf(err, errlen, "out of memory");
        return pv->session_filter ? 0 : -1;
    }
    if (strcmp(opt, "--tcp-stream") == 0 && !pv->stream_filter) {
        char why[128];
        if (!pdf_select_check(w, true, why, sizeof why)) {
            snprintf(err, errlen, "--tcp-stream is '%.40s': %s", w, why);
            return -1;
        }
        if (!(pv->stream_filter = strdup(w)))
            snprintf(err, errlen, "out of memory");
        return pv->stream_filter ? 0 : -1;
    }
    if (strcmp(opt, "--lang") == 0 && bare_name(w, sizeof pv->lang - 1)) {
        memcpy(pv->lang, w, strlen(w) + 1); /* bare_name: at most sizeof lang - 1 */
        return 0;
    }
    if (strcmp(opt, "--max-sessions") == 0 && whole(w, 1, ULLONG_MAX, &v)) {
        pv->max_sessions = v;
        return 0;
    }
    if (strcmp(opt, "--idle-timeout") == 0 && whole(w, 1, 1000000000ULL, &v)) {
        pv->idle_timeout_s = (long long)v;
        return 0;
    }
    if (strcmp(opt, "--max-diagrams") == 0 && whole(w, 0, 1000000, &v)) {
        pv->max_diagrams = (unsigned)v;
        return 0;
    }
    snprintf(err, errlen, "the option %.40s '%.60s' is not one pcap2report writes", opt, w);
    return -1;
}

int pdf_read_provenance(const char *k, struct pdf_read_provenance *pv, char *err, size_t errlen)
{
    memset(pv, 0, sizeof *pv);
    char w[PDF_READ_WORD_MAX];
    const char *p = after(k, "pcap2report "), *end;
    size_t n;
    unsigned long long v;
    if (!p || !(end = strstr(p, "; schema ")) || (n = (size_t)(end - p)) == 0 || n >= sizeof pv->version ||
        memchr(p, ' ', n)) {
        snprintf(err, errlen, "its /Keywords do not start with \"pcap2report VERSION; schema\"");
        return -1;
    }
    memcpy(pv->version, p, n);
    p = after(end + 9, PCAP2REPORT_SCHEMA_NAME " ");
    if (!p || !(p = strstr(p, "; input SHA-256 "))) {
        snprintf(err, errlen, "its /Keywords name no schema %s and no input SHA-256", PCAP2REPORT_SCHEMA_NAME);
        return -1;
    }
    p += 16;
    n = strspn(p, "0123456789abcdef");
    if (n == 64) {
        memcpy(pv->sha256, p, 64);
        p += 64;
    } else if (after(p, "none")) {
        p += 4;
    } else {
        snprintf(err, errlen, "its input SHA-256 is not 64 hexadecimal digits");
        return -1;
    }
    if (!(p = after(p, "; options "))) {
        snprintf(err, errlen, "its /Keywords record no options");
        return -1;
    }
    snprintf(pv->lang, sizeof pv->lang, "en");
    char opt[PDF_READ_WORD_MAX];
    while (next_word(&p, opt, sizeof opt))
        if (take_option(pv, opt, &p, w, sizeof w, err, errlen) != 0)
            return -1;
    while (*p == ' ')
        p++;
    if (*p == '\0')
        return 0;
    if ((p = after(p, "; SOURCE_DATE_EPOCH ")) && whole(p, 0, 253402300799ULL, &v)) {
        pv->have_source_date = true;
        pv->source_date = (long long)v;
        return 0;
    }
    snprintf(err, errlen, "its /Keywords end in something other than SOURCE_DATE_EPOCH and a number");
    return -1;
}

void pdf_read_provenance_free(struct pdf_read_provenance *p)
{
    free(p->filter);
    free(p->session_filter);
    free(p->stream_filter);
    p->filter = p->session_filter = p->stream_filter = NULL;
}

void pdf_read_options(const struct pdf_read_provenance *p, struct pdf_options *o)
{
    o->lang = p->lang;
    o->absolute_seq = p->absolute_seq;
    o->max_diagrams = p->max_diagrams;
    o->session_filter = p->session_filter;
    o->stream_filter = p->stream_filter;
    o->pdfa = p->pdfa;
    o->filter = p->filter;
    o->max_sessions = p->max_sessions;
    o->idle_timeout_s = p->idle_timeout_s;
    o->have_source_date = p->have_source_date;
    o->source_date = p->source_date;
}
