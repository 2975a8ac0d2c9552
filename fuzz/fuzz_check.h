/* fuzz_check.h — what the fuzzing harnesses share: the link type table and the checks on a
 * finished report.
 *
 * Renders a capture report into memory and aborts (a finding, for libFuzzer and for the
 * replay driver alike) when the document is not valid JSON or not strictly valid UTF-8:
 * text that came from a capture or a file name must never break the output. */
#ifndef PCAP2REPORT_FUZZ_CHECK_H
#define PCAP2REPORT_FUZZ_CHECK_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "capture.h"
#include "decode.h"
#include "json.h"

/* Every link type decode_packet() supports; fuzz_decode's first byte indexes this table. */
static const int fuzz_links[] = {
    LINK_NULL, LINK_ETHERNET, LINK_RAW, LINK_RAW_BSD, LINK_RAW_LINKTYPE,
    LINK_LOOP, LINK_LINUX_SLL, LINK_IPV4, LINK_IPV6, LINK_LINUX_SLL2,
};
enum { FUZZ_LINKS = sizeof fuzz_links / sizeof fuzz_links[0] };

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. */
static inline bool fuzz_utf8_valid(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t len;
        unsigned lo = 0x80, hi = 0xbf;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            if (c == 0xe0) lo = 0xa0;
            if (c == 0xed) hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            if (c == 0xf0) lo = 0x90;
            if (c == 0xf4) hi = 0x8f;
        } else {
            return false;
        }
        if (n - i < len)
            return false;
        if (p[i + 1] < lo || p[i + 1] > hi)
            return false;
        for (size_t k = 2; k < len; k++)
            if ((p[i + k] & 0xc0) != 0x80)
                return false;
        i += len;
    }
    return true;
}

/* Writes r as JSON into memory and checks the result. */
static inline void fuzz_check_report(const struct capture_report *r)
{
    char *text = NULL, err[256];
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    struct json_provenance prov = {"fuzz", NULL, 0, 300};
    int rc = json_write_report(f, r, &prov, NULL, err, sizeof err);
    fclose(f);
    if (rc == 0) {
        if (!fuzz_utf8_valid((const unsigned char *)text, len)) {
            fprintf(stderr, "fuzz: the JSON document is not valid UTF-8\n");
            abort();
        }
        cJSON *doc = cJSON_ParseWithLength(text, len);
        if (!doc) {
            const char *at = cJSON_GetErrorPtr();
            fprintf(stderr, "fuzz: the JSON document does not parse near: %.60s\n", at ? at : "?");
            abort();
        }
        cJSON_Delete(doc);
    }
    free(text);
}

#endif
