/* outputs.h — one capture's outputs: the JSON, PDF, HTML and CSV reports and the SVG
 * diagrams, each made through outfile.h (a temporary in its folder, synced, then given its
 * name) and named only when all are complete, so no output is ever partial; or one output to
 * standard output. And whether existing outputs are up to date, and reading a report's first
 * lines back for the index. */
#ifndef PCAP2REPORT_OUTPUTS_H
#define PCAP2REPORT_OUTPUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "outfile.h"
#include "report.h"
#include "settings.h"

/* Where one capture's outputs go, as paths below OUT; NULL for those not requested. The SVG
 * diagrams go into the folder svg_dir as session-N.svg, N the session's number. */
struct output_paths {
    char *json, *pdf, *html, *csv, *svg_dir;
};

/* Up to date: every requested output is a regular file below OUT (the SVG diagrams' a folder),
 * reached without following a link, newer than the capture, and the JSON was written by this
 * version with the same analysis options (its first line, which records them, is what we
 * would write now). The other outputs' own options (--lang, ...) are not recorded: after
 * changing them, --force. */
bool outputs_up_to_date(const char *input, const struct outdir *out, const struct output_paths *paths,
                        const struct settings *st);

/* Writes the requested outputs below OUT; 0, or -1 with a sentence naming the output and the
 * reason in err ("cannot write out/x.json: No space left on device"), and nothing left
 * behind. */
int outputs_write(const struct settings *st, const struct capture_report *r, const struct outdir *out,
                  const struct output_paths *paths, char *err, size_t errlen);

/* Writes the one output st asks for to standard output (the JSON, the CSV, the HTML, or the
 * SVG of the one session --sessions or --tcp-stream chose); 0 or -1 as outputs_write. A
 * reader that went away (EPIPE) ends the program as SIGPIPE would (interrupt_die). */
int outputs_write_stdout(const struct settings *st, const struct capture_report *r, char *err, size_t errlen);

/* The first bytes (INDEX_REPORT_HEAD_MAX at most) of the report OUT/rel, a regular file reached
 * without following a link below OUT: malloc'd, NUL-terminated, length in *len. NULL with
 * "OUT/rel: reason" in err. */
char *outputs_read_head(const struct outdir *out, const char *rel, size_t *len, char *err, size_t errlen);

#endif
