/* pdf_wording.h — the template keys the PDF documents use: the report, the batch summary, a
 * student's feedback and the grader's reasons (docs/grading.md).
 *
 * Every sentence a reader sees comes from templates/<lang>.txt; this schema is the contract
 * with those files: a translation must define every key, and may use only the placeholders
 * listed for it. Pass it to pdf_templates_load. */
#ifndef PCAP2REPORT_PDF_WORDING_H
#define PCAP2REPORT_PDF_WORDING_H

#include <stddef.h>

#include "pdf_templates.h"

extern const struct tpl_key_spec pdf_wording_schema[];
extern const size_t pdf_wording_schema_len;

#endif
