/* scratch.h — a scratch folder per test, paths in it, and the output of shell commands, for
 * tests that write files and read them back with other tools (pdfinfo, pdftotext, ...). */
#ifndef PCAP2REPORT_SCRATCH_H
#define PCAP2REPORT_SCRATCH_H

/* Creates /tmp/<prefix>-XXXXXX for this test (a Criterion suite's .init); asserts success. */
void scratch_create(const char *prefix);

/* Removes the folder and everything in it (a suite's .fini). */
void scratch_remove(void);

/* The folder itself, and <folder>/<name> in one of 32 rotating static buffers. */
const char *scratch_dir(void);
const char *scratch_path(const char *name);

/* Standard output of a shell command, as a malloc'd string; asserts the command succeeded. */
char *scratch_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
