/* capture.h — analyses one capture file from first byte to finished session records.
 *
 * This is the pipeline's driver: it reads packets with libpcap (hashing every byte of the
 * file on the way), decodes them, feeds the session table and classifies each session. The
 * result is a read-only report (report.h) that renderers turn into JSON or PDF; it holds no
 * packets. */
#ifndef PCAP2REPORT_CAPTURE_H
#define PCAP2REPORT_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cores.h"
#include "report.h"

/* The session cap the program applies unless told otherwise (--max-sessions): a million
 * sessions is far above what a capture of real traffic a student or an analyst converts holds,
 * and a capture that reaches it is reported (the session-cap warning). Each session open at
 * once costs about 1.1 to 1.6 KB of memory, each other one a few dozen bytes when sessions can
 * leave memory (capture_options.spill_dir), 1.1 to 1.6 KB too when they cannot
 * (docs/bad-input.md). */
#define CAPTURE_DEFAULT_MAX_SESSIONS 1000000ULL

struct capture_options {
    uint64_t max_sessions;   /* 0: no limit */
    int64_t idle_timeout_ns; /* 0: the default */
    const char *filter;      /* a BPF (tcpdump) expression, or NULL */
    /* Called every progress_every packets when set; a nonzero return stops the reading. */
    int (*progress)(void *arg, uint64_t packets, uint64_t bytes_read);
    void *progress_arg;
    struct core_budget *cores; /* helper threads only while it spares a core; NULL: none */
    /* Where sessions that are finished, or cannot finish soon, go to leave memory: a
     * temporary file without a name in this directory (table.h). NULL: they stay in memory. */
    const char *spill_dir;
    bool spill_eagerly; /* for tests: every session leaves memory at every segment */
};

/* Analyses the capture at path ("-" for standard input). On success returns 0 and sets *out
 * (free it with capture_report_free); problems inside the file (a damaged tail, bad packets)
 * are warnings in the report. On failure (cannot open, not a capture, unsupported link type,
 * bad filter, out of memory) returns -1 and writes a sentence into err. */
int capture_analyze(const char *path, const struct capture_options *opt,
                    struct capture_report **out, char *err, size_t errlen);

void capture_report_free(struct capture_report *r); /* accepts NULL */

#endif
