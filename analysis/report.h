/* report.h — the capture report: what the analysis of one capture leaves for the renderers.
 *
 * It holds the capture's identity (name, size, SHA-256, format, its interfaces with their link
 * types), packet counts by outcome, warnings with their packet numbers, checksum findings, the per-class counts and
 * every session record (session.h); no packets. Renderers read it and never change it. The
 * schema version names the JSON document's vocabulary (docs/json.md), which the PDF records
 * too. */
#ifndef PCAP2REPORT_REPORT_H
#define PCAP2REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "session.h"
#include "table.h"

#define PCAP2REPORT_SCHEMA_NAME "pcap2report"
#define PCAP2REPORT_SCHEMA_VERSION "1.1.0"

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

/* One interface of the capture: a pcap file has one, a pcapng file one per Interface
 * Description Block, each with its own link type and snap length (issue 15). */
struct capture_interface {
    int link_type;       /* DLT value */
    char link_name[32];  /* libpcap's name, or "DLT_<n>" */
    uint32_t snaplen;    /* 0: none given (pcapng) */
    unsigned section;    /* pcapng section it belongs to (0, 1, ...) */
    char name[64];       /* pcapng if_name, or ""; bytes as written */
    uint64_t packets;    /* packets read on it */
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
    int link_type;         /* DLT value of the first interface (a pcap file's only one) */
    char link_name[32];    /* libpcap's name, or "DLT_<n>" */
    struct capture_interface *interfaces; /* in file order; at least one */
    size_t n_interfaces, cap_interfaces;
    int ts_digits;         /* 6 (microseconds) or 9 (nanoseconds) */
    struct capture_counts counts;
    bool have_packets;
    int64_t first_ts, last_ts; /* ns since the epoch */
    struct capture_warning *warnings;
    size_t n_warnings, cap_warnings;
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
    /* Sessions per encapsulation kind: a session counts once for each kind on its path in
     * either direction; [ENCAP_NONE] counts those without any. */
    uint64_t encap_counts[ENCAP_KINDS];
    /* Sessions over IPv6; the conn.log records Zeek would write for all sessions, and the
     * sessions whose records Zeek's timers split in several (zeek.h). */
    uint64_t ipv6_sessions, zeek_records, zeek_split_sessions;
};

/* The i-th session (0-based, in order of first packet), read through the caller's view v
 * (table.h: zero-initialised, one per thread, released when done): valid until v is used again. */
static inline const struct session *capture_session(const struct capture_report *r, size_t i,
                                                    struct session_view *v)
{
    return session_table_get(r->table, i, v);
}

#endif
