/* html.h — a capture report as one self-contained HTML page (html*.c): the capture, charts of
 * the classes, a table of every session that sorts and filters by class, anomaly and endpoint,
 * and each chosen session's diagram inline as SVG with its checks and explanations beside it.
 *
 * Self-contained: no network, no other file (styles and a small script are in the page).
 * Every word comes from templates/<lang>.txt, as in the PDF; it prints (print styles) and reads
 * on a phone (the diagram and its text stack, the table scrolls sideways). The page needs no
 * script to be read: sorting and filtering are what the script adds. */
#ifndef PCAP2REPORT_HTML_H
#define PCAP2REPORT_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "pdf_options.h"
#include "report.h"

/* The table lists at most this many sessions; the CSV and the JSON list every one. */
enum { HTML_TABLE_MAX = 50000 };

/* Writes the page. The diagrams are those the PDF would draw (opt's max_diagrams, session or
 * stream filter). Returns 0, or -1 with a sentence in err. */
int html_write_report(FILE *out, const struct capture_report *r, const struct pdf_options *opt, char *err,
                      size_t errlen);

struct index_builder;

/* Writes the batch's index.html: totals and a table of every input of b (after index_write,
 * which sorts them) linking to its reports. Returns 0, or -1 with a sentence in err. */
int html_write_index(FILE *out, struct index_builder *b, const struct pdf_options *opt, char *err, size_t errlen);

#endif
