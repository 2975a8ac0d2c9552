/* uptodate.h — whether a capture's reports on disk are what this run would write, so that a
 * rerun can leave them alone.
 *
 * A report is up to date when it records what made it, and all of that matches this run:
 *   - the capture: its SHA-256 (and, in the JSON, its size), against the file as it is now.
 *     The capture is hashed on every rerun whose other facts match: timestamps prove
 *     nothing (cp -p, unzip, rsync -t and touch -d all give a new content an old time),
 *     and the measured cost (docs/benchmark.md) is a fraction of a conversion;
 *   - the version of pcap2report, and every option that shapes an output: the JSON's first
 *     line records the analysis options (filter, session cap, idle timeout), the PDF's
 *     /Keywords (pdf_read.h) those and the PDF's own (--lang, --max-diagrams, --sessions,
 *     --absolute-seq, --pdfa) and SOURCE_DATE_EPOCH when it was set (unless it was the
 *     capture's first second: such a PDF is converted again on a rerun with it set, to the
 *     same bytes, since what the capture's date is would take reading the capture).
 * Each requested output must be a regular file below OUT, reached without following a link.
 * The HTML report, the CSV table and the SVG diagrams record neither the capture nor the
 * options (--lang, --sessions, --tcp-stream, ... shape them; a CSV has no place for a record),
 * so a run that asks for any of them is never up to date: it converts again, which is always
 * right and costs a conversion. The wording files are not recorded: after editing them, --force. */
#ifndef PCAP2REPORT_UPTODATE_H
#define PCAP2REPORT_UPTODATE_H

#include <stdbool.h>

#include "outfile.h"
#include "outputs.h"
#include "settings.h"

/* True when every requested output of input (paths below OUT; NULL when not requested)
 * records this capture and these settings: only the JSON and the PDF can. Standard input, a FIFO and anything
 * that cannot be read are never up to date: they are converted, and fail there with their
 * reason when they must. */
bool uptodate_check(const char *input, const struct outdir *out, const struct output_paths *paths,
                    const struct settings *st);

#endif
