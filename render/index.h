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

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

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

/* The number of entries, and entry i in the order index_write wrote them (call it first):
 * 0, or -1 when out of memory. row's strings are lent until the next index_row or index_free. */
size_t index_count(const struct index_builder *b);
int index_row(struct index_builder *b, size_t i, struct index_row *row);

/* Whether an entry lists an HTML report (then the batch writes index.html). */
bool index_has_html(const struct index_builder *b);

/* Adds every entry of an index written earlier (a shard's), text being its len bytes; name is
 * for messages. All entries or none. Returns 0, or -1 with "NAME: not a pcap2report index:
 * ..." (or out of memory) in err. */
int index_merge_text(struct index_builder *b, const char *name, const char *text, size_t len, char *err,
                     size_t errlen);

/* The longest line index_merge_lines takes: an entry is about 1.2 KB, with paths and a
 * reason of a few KB at most. */
enum { INDEX_LINE_MAX = 1 << 20 };

/* Adds every entry of a shard index read from in, when it is laid out as index_write writes
 * it (the document up to "inputs" on the first line, then one entry per line): an entry at a
 * time, so that the shard's size is not bounded by what a whole-document parse holds (a shard
 * of 4 million entries is 5 GB). All entries or none. Returns 0; 1 when the text is not in
 * that layout (the caller then reads it whole for index_merge_text, which says what is
 * wrong; nothing was added); -1 with "NAME: not a pcap2report index: entry N: ..." or "NAME:
 * out of memory" in err. When in is a regular file read from its start, the lines taken stay
 * there: a duplicate of its descriptor is kept until index_free, and they are read again
 * (and checked to be what was merged) when the index is written; the file must not be
 * changed meanwhile (index_write then fails). */
int index_merge_lines(struct index_builder *b, const char *name, FILE *in, char *err, size_t errlen);

/* Writes the index to out (the caller made the file). Returns 0, or -1 with a sentence in err
 * (out of memory, a merged shard that changed since, or "write error": the caller's stream
 * knows the system's reason). */
int index_write(struct index_builder *b, FILE *out, const char *tool_version, char *err, size_t errlen);

/* The PDF outputs of the entries, sorted as the index is written: *paths (malloc'd; the
 * strings stay owned by the builder, valid until index_free or the next call) gets the
 * outputs.pdf of every entry that has one. Returns how many, or -1 when out of memory. */
ssize_t index_pdf_outputs(struct index_builder *b, const char ***paths);

struct pdf_batch;

/* Fills the counts of the batch's one-page PDF summary (pdf_writer.h) from the entries; the
 * failed inputs' strings stay owned by the builder (valid until index_free). Returns 0 or -1
 * when out of memory. */
int index_batch_summary(struct index_builder *b, struct pdf_batch *out);

#endif
