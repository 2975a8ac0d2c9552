/* outputs.h — one capture's outputs: the JSON and PDF reports, each made through outfile.h
 * (a temporary in its folder, synced, then given its name) and named when it is complete,
 * whatever became of the other, so no output is ever partial; or one of them to standard output. And reading a
 * report's first lines back for the index (whether outputs are up to date: uptodate.h). */
#ifndef PCAP2REPORT_OUTPUTS_H
#define PCAP2REPORT_OUTPUTS_H

#include <stddef.h>

#include "outfile.h"
#include "report.h"
#include "settings.h"

/* What became of one output: failed, with a sentence naming it and the reason in err
 * ("cannot write out/x.json: No space left on device"). */
enum { OUTPUT_JSON, OUTPUT_PDF, OUTPUTS };
struct output_result {
    bool failed;
    char err[512];
};

/* Writes the requested outputs (NULL paths are not) below OUT, each on its own: an output is
 * complete under its name or not there at all, whatever became of the other. 0 when every
 * requested output was written, else -1 with res[OUTPUT_JSON] and res[OUTPUT_PDF] saying
 * which failed and why. */
int outputs_write(const struct settings *st, const struct capture_report *r, const struct outdir *out,
                  const char *json_rel, const char *pdf_rel, struct output_result res[OUTPUTS]);

/* Writes the JSON (the PDF when st->formats is FORMAT_PDF alone) to standard output; 0 or -1
 * as outputs_write. A reader that went away
 * (EPIPE) ends the program as SIGPIPE would (interrupt_die). */
int outputs_write_stdout(const struct settings *st, const struct capture_report *r, char *err, size_t errlen);

/* The first bytes (INDEX_REPORT_HEAD_MAX at most) of the report OUT/rel, a regular file reached
 * without following a link below OUT: malloc'd, NUL-terminated, length in *len. NULL with
 * "OUT/rel: reason" in err. */
char *outputs_read_head(const struct outdir *out, const char *rel, size_t *len, char *err, size_t errlen);

#endif
