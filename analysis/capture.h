/* capture.h — analyses one capture file from first byte to finished session records.
 *
 * This is the pipeline's driver: it reads packets with libpcap (hashing every byte of the
 * file on the way), decodes them, feeds the session table and classifies each session. The
 * result is a read-only report that renderers turn into JSON or PDF; it holds no packets. */
#ifndef PCAP2REPORT_CAPTURE_H
#define PCAP2REPORT_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "session.h"
#include "session_table.h"

struct capture_options {
    uint64_t max_sessions;   /* 0: no limit */
    int64_t idle_timeout_ns; /* 0: the default */
    const char *filter;      /* a BPF (tcpdump) expression, or NULL */
    /* Called every progress_every packets when set; a nonzero return stops the reading. */
    int (*progress)(void *arg, uint64_t packets, uint64_t bytes_read);
    void *progress_arg;
};

struct capture_warning {
    char code[24];    /* "damaged-tail", "caplen-exceeds-len", "truncated", ... */
    uint64_t packet;  /* 1-based packet number, 0 when not about one packet */
    char message[200];
};

/* Packet counts by outcome; total = the sum of the others. */
struct capture_counts {
    uint64_t total;
    uint64_t by_outcome[DECODE_OUTCOMES];
    uint64_t filtered_out;  /* rejected by the BPF filter */
    uint64_t session_cap;   /* TCP segments dropped because the session cap was reached */
};

struct host_checksums {
    uint8_t ip_version;
    uint8_t addr[16];
    uint64_t packets, bad;
};

struct capture_report {
    char *path;      /* as given; "-" for standard input */
    char *file_name; /* base name, or "-" */
    uint64_t size_bytes;
    char sha256[65];
    const char *format;    /* "pcap" or "pcapng" */
    int link_type;         /* DLT value */
    char link_name[32];    /* libpcap's name, or "DLT_<n>" */
    int ts_digits;         /* 6 (microseconds) or 9 (nanoseconds) */
    struct capture_counts counts;
    bool have_packets;
    int64_t first_ts, last_ts; /* ns since the epoch */
    struct capture_warning *warnings;
    size_t n_warnings;
    uint64_t warnings_suppressed; /* beyond the per-kind limit */
    /* Hosts all of whose segments had a bad TCP checksum: checksum offload, most likely. */
    struct host_checksums *offload_hosts;
    size_t n_offload_hosts;
    uint64_t bad_checksums;
    struct session_table *table;
    size_t n_sessions;
    uint64_t sessions_dropped;
    unsigned handshake_counts[HANDSHAKE_CLASSES];
    unsigned teardown_counts[TEARDOWN_CLASSES];
    uint64_t anomaly_counts[ANOMALIES];
};

/* Analyses the capture at path ("-" for standard input). On success returns 0 and sets *out
 * (free it with capture_report_free); problems inside the file (a damaged tail, bad packets)
 * are warnings in the report. On failure (cannot open, not a capture, unsupported link type,
 * bad filter, out of memory) returns -1 and writes a sentence into err. */
int capture_analyze(const char *path, const struct capture_options *opt,
                    struct capture_report **out, char *err, size_t errlen);

void capture_report_free(struct capture_report *r); /* accepts NULL */

/* Helper threads (hashing while reading, rendering JSON) pay off only on a core that no other
 * capture of this process is using, as in batch mode every core already converts one. Each
 * capture being analysed or rendered holds a core from capture_hold() to capture_release()
 * (capture_analyze does so itself); capture_core_to_spare() is true while the cores held
 * leave at least one free for each of them. The process uses at most the cores available to
 * it, or fewer when capture_limit_cores(n) says so (n = 1: no helper threads at all). Safe from any
 * thread; capture_limit_cores is meant to be called once, before any capture is read. */
void capture_hold(void);
void capture_release(void);
bool capture_core_to_spare(void);
void capture_limit_cores(unsigned n);
unsigned capture_available_cores(void); /* the CPUs this process may run on, at least 1 */

static inline const struct session *capture_session(const struct capture_report *r, size_t i)
{
    return session_table_get(r->table, i);
}

#endif
