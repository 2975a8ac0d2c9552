/* outputs.h — one capture's outputs: the JSON, PDF, HTML and CSV reports and the SVG diagrams,
 * written under temporary names and renamed into place only when all are complete, so no output
 * is ever partial; or one output to standard output. And whether existing outputs are up to
 * date. */
#ifndef PCAP2REPORT_OUTPUTS_H
#define PCAP2REPORT_OUTPUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"
#include "settings.h"

/* Where one capture's outputs go; NULL for those not requested. The SVG diagrams go into
 * svg_dir as session-N.svg, N the session's number. */
struct output_paths {
    char *json, *pdf, *html, *csv, *svg_dir;
};

/* Up to date: every requested output exists and is newer than the capture (for the SVG
 * diagrams, their folder), and the JSON was written by this version with the same analysis
 * options (its first line, which records them, is what we would write now). The other
 * outputs' own options (--lang, ...) are not recorded: after changing them, --force. */
bool outputs_up_to_date(const char *input, const struct output_paths *paths, const struct settings *st);

/* Writes the requested outputs; 0, or -1 with a sentence naming the output in err, and nothing
 * left behind. */
int outputs_write(const struct settings *st, const struct capture_report *r, const struct output_paths *paths,
                  char *err, size_t errlen);

/* Writes the one output st asks for to standard output (the JSON, the CSV, the HTML, or the
 * SVG of the one session --sessions or --tcp-stream chose); 0 or -1 as outputs_write. */
int outputs_write_stdout(const struct settings *st, const struct capture_report *r, char *err, size_t errlen);

/* A temporary name beside path, unique per process and thread (malloc'd; NULL when out of
 * memory). */
char *outputs_temp_name(const char *path);

#endif
