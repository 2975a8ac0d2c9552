/* outputs.h — one capture's outputs: the JSON and PDF reports, written under temporary names
 * and renamed into place only when all are complete, so no output is ever partial; or the
 * JSON to standard output. And whether existing outputs are up to date. */
#ifndef PCAP2REPORT_OUTPUTS_H
#define PCAP2REPORT_OUTPUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"
#include "settings.h"

/* Up to date: every requested output exists and is newer than the capture, and the JSON was
 * written by this version with the same analysis options (its first line, which records
 * them, is what we would write now). The PDF's own options (--lang, ...) are not recorded:
 * after changing them, --force. json_path or pdf_path is NULL when not requested. */
bool outputs_up_to_date(const char *input, const char *json_path, const char *pdf_path,
                        const struct settings *st);

/* Writes the requested outputs (NULL paths are not); 0, or -1 with a sentence naming the
 * output in err, and nothing left behind. */
int outputs_write(const struct settings *st, const struct capture_report *r, const char *json_path,
                  const char *pdf_path, char *err, size_t errlen);

/* Writes the JSON to standard output; 0 or -1 as outputs_write. */
int outputs_write_stdout(const struct settings *st, const struct capture_report *r, char *err, size_t errlen);

/* A temporary name beside path, unique per process and thread (malloc'd; NULL when out of
 * memory). */
char *outputs_temp_name(const char *path);

#endif
