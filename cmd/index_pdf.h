/* index_pdf.h — `pcap2report index`'s OUT/index.pdf: the batch on one page, as a run on one
 * machine with PDF output writes it, so that a sharded run loses nothing. */
#ifndef PCAP2REPORT_INDEX_PDF_H
#define PCAP2REPORT_INDEX_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include "index.h"
#include "outfile.h"

/* When the entries of b have PDF reports, writes first/index.pdf with the options those PDFs
 * record (pdf_read.h: language, PDF/A, the analysis and diagram options, SOURCE_DATE_EPOCH),
 * the same bytes as `pcap2report -o OUT` writes for the same inputs. The PDFs are looked for
 * in folders[0..n) in order. When they record different options, or one cannot be read,
 * says so and writes none (*wrote false). Returns 0, or -1 with err when writing failed. */
int index_pdf_write(struct index_builder *b, char **folders, int n, const struct outdir *first, bool *wrote,
                    char *err, size_t errlen);

#endif
