/* index_builder.h — the index module's own view of its builder, shared by index.c (adding,
 * writing) and index_merge.c (taking shard indexes in); not for other modules. */
#ifndef PCAP2REPORT_INDEX_BUILDER_H
#define PCAP2REPORT_INDEX_BUILDER_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "index.h"

/* An entry as the index keeps it: its line, and what sorting and the batch summary need. A
 * merged shard of millions of entries costs neither a cJSON tree of each (about ten times its
 * text) nor its text: a line taken from a shard file stays there (src, off, len), read again
 * when the index is written and checked against its sum (the shard must not have changed);
 * other lines are kept, printed once when the entry is added. line is one malloc'd block that
 * holds the strings too. */
struct entry {
    char *line;         /* the entry as the index writes it ("" when it stays in its shard) */
    uint64_t off, sum;  /* where its line is in source src (src >= 0), and index_line_sum's */
    size_t len;         /* its line's length */
    int src;            /* its shard (index into the builder's sources), or -1 */
    char *key, *input;  /* sort keys: the JSON output path (or the input), then the input */
    char *reason;       /* a failed entry's reason (NULL when it has none) */
    char *pdf;          /* its PDF report's path, NULL when it has none (for index.pdf) */
    bool failed;
    bool html;          /* it lists an HTML report (for index.html, whose rows index_row reads
                         * from the line when they are written) */
};

struct index_builder {
    struct entry *entries;
    size_t n, cap;
    /* Totals over the entries, added up as they come in. */
    double by_status[4], sessions, packets;
    cJSON *hs, *td, *an; /* counts by class and anomaly name, in the order the names came */
    const char **failed_inputs, **failed_reasons; /* for index_batch_summary */
    cJSON *row;          /* the entry index_row parsed last, whose strings it lends */
    struct index_scan *scan; /* index_scan_line's tables, made when it is first called */
    struct index_source *src; /* the shard files whose lines entries keep there */
    size_t nsrc, src_cap;
};

/* A shard file lines stay in: an open descriptor, and a window of it read last. */
struct index_source {
    int fd;
    char *win;
    uint64_t base;
    size_t n, cap;
};

/* Takes fd (a descriptor of a regular file the caller will not change; closed here on
 * failure) as a source of b: its index, or -1 when out of memory. */
int index_source_add(struct index_builder *b, int fd);

/* A checksum of a line, to see that it has not changed between being checked and written. */
uint64_t index_line_sum(const char *s, size_t n);

/* The entry statuses, in the order of by_status. */
extern const char *const index_statuses[4];

/* Adds entry e, which the caller still owns and frees; line is its text when the caller knows
 * it is exactly what cJSON_PrintUnformatted would make of e (else it is printed here). -1
 * when out of memory. */
int index_append(struct index_builder *b, const cJSON *e, const char *line, size_t line_len);

/* A string of an entry being added: n bytes at s, with JSON escapes in cJSON's printed form
 * (index_unescape) when escaped; s NULL for none. */
struct entry_string {
    const char *s;
    size_t n;
    bool escaped;
};

/* What index_entry_add copies into an entry; key and input are never NULL. The line is
 * copied too unless src >= 0: then it stays at off in that source. */
struct entry_fields {
    const char *line;
    size_t line_len;
    int src;
    uint64_t off;
    struct entry_string key, input, reason, pdf;
    bool html, failed;
};

/* Adds an entry (copied) without its totals, which the caller adds. -1 when out of memory. */
int index_entry_add(struct index_builder *b, const struct entry_fields *f);

/* Adds the entry of one line of a shard (len bytes, no newline or comma) when it is in the
 * form cJSON_PrintUnformatted writes and every check_entry check passes, as index_append
 * would, without a cJSON tree (index_scan.c). 1 taken; 0 declined, nothing added (the
 * caller parses it with cJSON: another form, or something wrong, which that says); -1 when
 * out of memory. src and off: where the line is in a source of b (src -1: none, kept). */
int index_scan_line(struct index_builder *b, const char *line, size_t len, int src, uint64_t off);

void index_scan_free(struct index_scan *s); /* accepts NULL */

/* Decodes the n bytes at s, JSON string content with only the escapes cJSON prints (\" \\
 * \b \f \n \r \t \u00xx), into out (n bytes at least); returns the decoded length. */
size_t index_unescape(const char *s, size_t n, char *out);

/* Moves every entry of from into b, with its totals; from is freed. -1 when out of memory
 * (nothing moved, from freed). */
int index_absorb(struct index_builder *b, struct index_builder *from);

#endif
