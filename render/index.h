/* index.h — the batch index (OUT/index.json): every input of a batch, with its status,
 * its summary counts and its output paths.
 *
 * Entries come from a conversion run or from the reports a folder holds (index_add, given the
 * first lines of each report), or from the index files that sharded runs left behind
 * (index_merge_text); the index is always written sorted by output path, so it is the same
 * whatever the order in which inputs finished or shards were merged.
 *
 * Everything read back is checked before it is used, since a report or a shard index on a
 * shared disk may have been edited: every number must be a whole count from 0 to 2^53 (a
 * double holds those exactly), every class name one this version knows, every output path
 * relative and without "..", every string a string. A file that fails is refused whole,
 * with the first thing wrong in it. This module reads and writes no file itself: the
 * program hands it text (bounded reads: readfile.h) and a stream (outfile.h). */
#ifndef PCAP2REPORT_INDEX_H
#define PCAP2REPORT_INDEX_H

#include <stddef.h>
#include <stdio.h>

#define PCAP2REPORT_INDEX_SCHEMA_VERSION "1.1.0"

/* At least the first three lines of a report (header, "input", "summary"), which is what
 * index_add reads: the first REPORT_HEAD_MAX bytes are always enough for a report this
 * version wrote (warnings are capped per kind, names by the file system). */
enum { INDEX_REPORT_HEAD_MAX = 1 << 20 };

struct index_builder;

struct index_builder *index_new(void); /* NULL when out of memory */
void index_free(struct index_builder *b); /* accepts NULL */

/* One input of a batch. */
struct index_input {
    const char *input;        /* as given or found; NULL for a report found in a folder */
    const char *status;       /* "converted", "up-to-date", "failed" or "skipped" */
    const char *reason;       /* why it failed or was skipped, or NULL */
    const char *json_rel;     /* output paths relative to OUT, NULL when not written */
    const char *pdf_rel;
    const char *html_rel;     /* the HTML report, CSV table and folder of SVG diagrams: */
    const char *csv_rel;      /* recorded only when written (--format html, csv, svg) */
    const char *svg_rel;
    const char *renamed_from; /* the JSON's name before a clash renamed it ("index.json"), or NULL */
    const char *head;         /* for a converted or up-to-date input with json_rel: the first */
    size_t head_len;          /* bytes of its report (INDEX_REPORT_HEAD_MAX at most) */
};

/* Adds one input; for a converted or up-to-date one, its file name, SHA-256, packets,
 * warnings and summary are read from head. Returns 0, or -1 with a sentence in err (out of
 * memory, or "not a pcap2report report: ..." with what is wrong). */
int index_add(struct index_builder *b, const struct index_input *in, char *err, size_t errlen);

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

/* Adds every entry of an index written earlier (a shard's), text being its len bytes; name is
 * for messages. All entries or none. Returns 0, or -1 with "NAME: not a pcap2report index:
 * ..." (or out of memory) in err. */
int index_merge_text(struct index_builder *b, const char *name, const char *text, size_t len, char *err,
                     size_t errlen);

/* Writes the index to out (the caller made the file). Returns 0, or -1 with a sentence in err
 * (out of memory, or "write error": the caller's stream knows the system's reason). */
int index_write(struct index_builder *b, FILE *out, const char *tool_version, char *err, size_t errlen);

struct pdf_batch;

/* Fills the counts of the batch's one-page PDF summary (pdf_writer.h) from the entries; the
 * failed inputs' strings stay owned by the builder (valid until index_free). Returns 0 or -1
 * when out of memory. */
int index_batch_summary(struct index_builder *b, struct pdf_batch *out);

#endif
