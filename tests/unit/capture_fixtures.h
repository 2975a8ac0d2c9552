/* capture_fixtures.h — captures written into the scratch folder and analysed, for the
 * capture_analyze() tests (test_capture.c, test_capture_run.c). */
#ifndef PCAP2REPORT_CAPTURE_FIXTURES_H
#define PCAP2REPORT_CAPTURE_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "pktbuild.h"

#define TS0 (1700000000LL * 1000000000LL + 123456000LL)
#define STEP_NS 1000000LL

/* The classic session's addresses, ports and ISNs (pkt_flow_classic). */
extern const struct pkt_flow classic_flow;

struct pkt_flow flow_for(int linktype, int ip_version, int vlan_tags, bool be_af);

void write_classic(const char *path, const struct pkt_flow *f, bool nanosecond, int64_t ts0);

void write_bytes(const char *path, const void *data, size_t n);

struct capture_report *analyze_ok(const char *path, const struct capture_options *opt);

/* Asserts that capture_analyze fails and that its message names the file. */
void analyze_fails(const char *path, const struct capture_options *opt, const char *must_contain);

const struct capture_warning *find_warning(const struct capture_report *r, const char *code);

uint64_t outcome_sum(const struct capture_report *r);

/* The SHA-256 and size of a file by another route: sha256sum(1) and stat(2). */
void assert_fingerprint(const struct capture_report *r, const char *path);

/* The classic session, as every link type must report it. */
void assert_classic(const struct capture_report *r, int ip_version, const char *what);

/* Offset of the 1-based record `packet` in a little-endian classic pcap file. */
long record_offset(const char *path, int packet);

#endif
