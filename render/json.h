/* json.h — writes a capture report as one JSON document (docs/json.md).
 *
 * The document is streamed: the header parts first, then one line per session, so memory does
 * not grow with the number of sessions and a diff of two reports shows changed sessions. */
#ifndef PCAP2REPORT_JSON_H
#define PCAP2REPORT_JSON_H

#include <stdio.h>

#include "cores.h"
#include "report.h"

/* What produced the report; recorded in it so a reader knows how to reproduce it. */
struct json_provenance {
    const char *tool_version;
    const char *filter;     /* NULL when none */
    unsigned long long max_sessions;
    long long idle_timeout_s;
};

/* Writes the document's first line, up to the "tool" object: what produced it and with which
 * options. A report whose first line equals this one was written the same way. Returns 0/-1. */
int json_write_header(FILE *out, const struct json_provenance *prov);

/* A malloc'd copy of s in which every byte that is not part of valid UTF-8 (RFC 3629) is
 * replaced by U+FFFD, so that a file name from a stranger's disk cannot make a document
 * unreadable. NULL when out of memory. */
char *json_utf8_clean(const char *s);

/* Writes the report to out, rendering on a helper thread too while cores (may be NULL)
 * spares a core. Returns 0, or -1 with a sentence in err when writing failed. */
int json_write_report(FILE *out, const struct capture_report *r, const struct json_provenance *prov,
                      struct core_budget *cores, char *err, size_t errlen);

#endif
