/* json_read.h — reading back what json.c wrote, from text that may have been edited.
 *
 * A report's first three lines are its header ({"schema":...,"tool":{...,"options":{...}},),
 * "input":{...}, and "summary":{...}, (json.c writes them so), which is all that verify and
 * the batch index need: they are parsed one line at a time, never the whole document. Every
 * value is checked for its type and range before anyone uses it: cJSON keeps each number as
 * a double, and converting a double that is NaN, infinite, negative or too large to an
 * integer type is undefined behaviour in C (C11 6.3.1.4), so a number is taken only when it
 * is a whole number in the range asked for. */
#ifndef PCAP2REPORT_JSON_READ_H
#define PCAP2REPORT_JSON_READ_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* The largest count read back: 2^53, the largest whole number below which a double holds
 * every integer exactly. */
#define JSON_READ_MAX_COUNT 9007199254740992.0

/* Whether v is a number that is a whole number from 0 to max; its value in *out (may be NULL). */
bool json_read_whole(const cJSON *v, double max, unsigned long long *out);

/* Line `line` (0-based) of the report text, `"key":{...},`, parsed: the object, or NULL with
 * "the line for KEY ..." in err when it is not there, not whole within len, or not an object.
 * The caller deletes it. */
cJSON *json_read_line_object(const char *text, size_t len, int line, const char *key, char *err, size_t errlen);

/* An object whose members are all counts (json_read_whole up to JSON_READ_MAX_COUNT) named
 * among names[0..n) (every name when names is NULL). Returns true, or false with what is
 * wrong in err, naming the object as what. */
bool json_read_counts(const cJSON *obj, const char *what, const char *const *names, size_t n, char *err,
                      size_t errlen);

/* The options and provenance a report records on its first two lines, as verify reruns it. */
struct json_read_provenance {
    char version[64];                 /* the version of pcap2report that wrote it */
    char *filter;                     /* malloc'd, NULL when none */
    unsigned long long max_sessions;  /* 0: no cap */
    long long idle_timeout_s;         /* 1 to 1000000000, as --idle-timeout takes */
    char sha256[65];                  /* the capture's, lowercase hex */
};

/* Reads the provenance from the start of a report. Returns 0, or -1 with what is wrong in
 * err ("options.idle_timeout_s is 1e+10, not a whole number from 1 to 1000000000"). */
int json_read_provenance(const char *text, size_t len, struct json_read_provenance *p, char *err, size_t errlen);

void json_read_provenance_free(struct json_read_provenance *p); /* accepts a zeroed p */

/* The summary line's checks (summary.sessions and the class counts, every class name one of
 * this version's): true, or false with what is wrong in err. */
bool json_read_check_summary(const cJSON *summary, char *err, size_t errlen);

/* The input line's checks, as far as the index uses it (and an index entry's, which carries
 * the same members): file_name a string, sha256 64 hex digits, packets an object of counts
 * with "total". */
bool json_read_check_input(const cJSON *input, char *err, size_t errlen);

#endif
