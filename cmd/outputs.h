/* outputs.h — one capture's outputs: the JSON, PDF, HTML and CSV reports and the SVG
 * diagrams, each made through outfile.h (a temporary in its folder, synced, then given its
 * name) and named when it is complete, whatever became of the others, so no output is ever
 * partial; or one of them to standard output. And reading a report's first lines back for the
 * index (whether outputs are up to date: uptodate.h). */
#ifndef PCAP2REPORT_OUTPUTS_H
#define PCAP2REPORT_OUTPUTS_H

#include <stddef.h>

#include "outfile.h"
#include "report.h"
#include "settings.h"

/* Where one capture's outputs go, as paths below OUT; NULL for those not requested. The SVG
 * diagrams go into the folder svg_dir as session-N.svg, N the session's number. */
struct output_paths {
    char *json, *pdf, *html, *csv, *svg_dir;
};

/* What became of one output: failed, with a sentence naming it and the reason in err
 * ("cannot write out/x.json: No space left on device"). In the order of output_paths. */
enum { OUTPUT_JSON, OUTPUT_PDF, OUTPUT_HTML, OUTPUT_CSV, OUTPUT_SVG, OUTPUTS };
struct output_result {
    bool failed;
    char err[512];
};

/* The path of output k (OUTPUT_*) in paths, NULL when not requested. */
const char *outputs_path(const struct output_paths *paths, int k);

/* Writes the requested outputs below OUT, each on its own: an output is complete under its
 * name or not there at all, whatever became of the others (the SVG diagrams as one output:
 * all of the chosen sessions' files, or those this run wrote removed again). 0 when every
 * requested output was written, else -1 with res[] saying which failed and why. */
int outputs_write(const struct settings *st, const struct capture_report *r, const struct outdir *out,
                  const struct output_paths *paths, struct output_result res[OUTPUTS]);

/* Writes the one output st asks for to standard output (the JSON, the PDF, the CSV, the HTML,
 * or the SVG of the one session --sessions or --tcp-stream chose); 0 or -1 with err. A reader
 * that went away (EPIPE) ends the program as SIGPIPE would (interrupt_die). */
int outputs_write_stdout(const struct settings *st, const struct capture_report *r, char *err, size_t errlen);

/* The first bytes (INDEX_REPORT_HEAD_MAX at most) of the report OUT/rel, a regular file reached
 * without following a link below OUT: malloc'd, NUL-terminated, length in *len. NULL with
 * "OUT/rel: reason" in err. */
char *outputs_read_head(const struct outdir *out, const char *rel, size_t *len, char *err, size_t errlen);

#endif
