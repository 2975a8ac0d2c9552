/* index_builder.h — the index module's own view of its builder, shared by index.c (adding,
 * writing) and index_merge.c (taking shard indexes in); not for other modules. */
#ifndef PCAP2REPORT_INDEX_BUILDER_H
#define PCAP2REPORT_INDEX_BUILDER_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "index.h"

/* An entry as the index keeps it: its line, printed once when it is added, and what sorting
 * and the batch summary need. A merged shard of millions of entries costs its text, not a
 * cJSON tree of each (about ten times as much). */
struct entry {
    char *line;         /* the entry as the index writes it */
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
};

/* The entry statuses, in the order of by_status. */
extern const char *const index_statuses[4];

/* Adds entry e, which the caller still owns and frees; line is its text when the caller knows
 * it is exactly what cJSON_PrintUnformatted would make of e (else it is printed here). -1
 * when out of memory. */
int index_append(struct index_builder *b, const cJSON *e, const char *line, size_t line_len);

/* Moves every entry of from into b, with its totals; from is freed. -1 when out of memory
 * (nothing moved, from freed). */
int index_absorb(struct index_builder *b, struct index_builder *from);

#endif
