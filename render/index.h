/* index.h — the batch index (OUT/index.json): every input of a batch, with its status,
 * its summary counts and its output paths.
 *
 * Entries come from a conversion run (index_add) or from the index files that sharded runs
 * left behind (index_merge_file); the index is always written sorted by output path, so it
 * is the same whatever the order in which inputs finished or shards were merged. */
#ifndef PCAP2REPORT_INDEX_H
#define PCAP2REPORT_INDEX_H

#include <stddef.h>

#define PCAP2REPORT_INDEX_SCHEMA_VERSION "1.0.0"

struct index_builder;

struct index_builder *index_new(void); /* NULL when out of memory */
void index_free(struct index_builder *b); /* accepts NULL */

/* One input. status is "converted", "up-to-date", "failed" or "skipped"; reason may be NULL.
 * json_rel and pdf_rel are output paths relative to out_dir (NULL when not written); for a
 * converted or up-to-date input the summary is read from out_dir/json_rel. Returns 0 or -1
 * with err filled. */
int index_add(struct index_builder *b, const char *input, const char *status, const char *reason,
              const char *out_dir, const char *json_rel, const char *pdf_rel, char *err, size_t errlen);

/* Records the entry just added's other outputs (paths relative to out_dir; NULL for those not
 * written): its HTML report, CSV table and folder of SVG diagrams. Returns 0 or -1 (memory). */
int index_add_outputs(struct index_builder *b, const char *html_rel, const char *csv_rel, const char *svg_rel);

/* One entry as the batch's index.html shows it; strings borrowed from the builder, NULL when
 * absent; counts -1 without a summary. */
struct index_row {
    const char *input, *status, *reason, *file_name;
    const char *json, *pdf, *html, *csv, *svg;
    double packets, sessions;
};

/* The number of entries, and entry i in the order index_write wrote them (call it first). */
size_t index_count(const struct index_builder *b);
void index_row(const struct index_builder *b, size_t i, struct index_row *row);

/* Adds every entry of an index file written earlier (a shard's). Returns 0 or -1. */
int index_merge_file(struct index_builder *b, const char *path, char *err, size_t errlen);

/* Adds a converted entry for every capture report found under dir (for folders converted
 * without shard indexes). Returns 0 or -1. */
int index_scan_reports(struct index_builder *b, const char *dir, char *err, size_t errlen);

/* Writes the index to path (via a temporary file and a rename). Returns 0 or -1. */
int index_write(struct index_builder *b, const char *path, const char *tool_version, char *err, size_t errlen);

struct pdf_batch;

/* Fills the counts of the batch's one-page PDF summary (pdf_writer.h) from the entries; the
 * failed inputs' strings stay owned by the builder (valid until index_free). Returns 0 or -1
 * when out of memory. */
int index_batch_summary(struct index_builder *b, struct pdf_batch *out);

#endif
