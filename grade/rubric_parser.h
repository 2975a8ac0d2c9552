/* rubric_parser.h — what the rubric reader's two files share: the parser's state and errors,
 * and the readers of values (rubric_values.c) that the line reader (rubric_parse.c) calls.
 * Not for use outside the rubric module. */
#ifndef PCAP2REPORT_RUBRIC_PARSER_H
#define PCAP2REPORT_RUBRIC_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rubric.h"

struct rubric_parser {
    const char *source;
    unsigned line;
    char *err;
    size_t errlen;
    struct rubric *r;
    struct rubric_check *check; /* the check being read, or NULL in the header */
    char **same;        /* the "same-session" lines' values, resolved once every check is read */
    unsigned *same_line;
    size_t n_same;
};

/* Writes "SOURCE, line N: message" (or "SOURCE: message" when line is 0) into err. Returns -1. */
int rubric_fail(struct rubric_parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int rubric_oom(struct rubric_parser *p); /* rubric_fail with "out of memory" */

/* "3", "1.5", "0.25": points with at most two decimals, up to RUBRIC_MAX_POINTS hundredths. */
bool rubric_read_points(const char *s, int *out);

/* Port numbers, or addresses, prefixes and host names, separated by spaces or commas (value is
 * modified), appended to the list. Return 0, or -1 after rubric_fail. */
int rubric_read_ports(struct rubric_parser *p, char *value, uint16_t **ports, size_t *n);
int rubric_read_hosts(struct rubric_parser *p, char *value, struct rubric_hosts *hosts);

/* "require TYPE VALUES": adds the requirement to the check being read. Returns 0 or -1. */
int rubric_read_requirement(struct rubric_parser *p, const char *value);

#endif
