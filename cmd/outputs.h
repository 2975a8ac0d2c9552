/* outputs.h — one capture's outputs: the JSON and PDF reports, each made through outfile.h
 * (a temporary in its folder, synced, then given its name) and named only when both are
 * complete, so no output is ever partial; or one of them to standard output. And reading a
 * report's first lines back for the index (whether outputs are up to date: uptodate.h). */
#ifndef PCAP2REPORT_OUTPUTS_H
#define PCAP2REPORT_OUTPUTS_H

#include <stddef.h>

#include "outfile.h"
#include "report.h"
#include "settings.h"

/* Writes the requested outputs (NULL paths are not) below OUT; 0, or -1 with a sentence naming
 * the output and the reason in err ("cannot write out/x.json: No space left on device"), and
 * nothing left behind. */
int outputs_write(const struct settings *st, const struct capture_report *r, const struct outdir *out,
                  const char *json_rel, const char *pdf_rel, char *err, size_t errlen);

/* Writes the JSON (the PDF when st->formats is FORMAT_PDF alone) to standard output; 0 or -1
 * as outputs_write. A reader that went away
 * (EPIPE) ends the program as SIGPIPE would (interrupt_die). */
int outputs_write_stdout(const struct settings *st, const struct capture_report *r, char *err, size_t errlen);

/* The first bytes (INDEX_REPORT_HEAD_MAX at most) of the report OUT/rel, a regular file reached
 * without following a link below OUT: malloc'd, NUL-terminated, length in *len. NULL with
 * "OUT/rel: reason" in err. */
char *outputs_read_head(const struct outdir *out, const char *rel, size_t *len, char *err, size_t errlen);

#endif
