/* pdf_offload.h — which bad checksums a PDF shows as errors, and which as expected.
 *
 * When every segment a host sent has a bad TCP checksum (capture_report.offload_hosts), the
 * capture was most likely taken on that host, whose network card fills checksums in after
 * the capture point (checksum offload): nothing was wrong on the wire. The first page says so
 * once; then a session whose bad checksums all come from such hosts gets a quiet mark in the
 * table, no red bad-checksum, no tag on its arrows, and a note instead of an anomaly on its
 * page. A bad checksum from any other host stays an error. The JSON keeps the facts as they
 * are (the anomaly, the counts, input.checksums.offload_suspected): docs/json.md. */
#ifndef PCAP2REPORT_PDF_OFFLOAD_H
#define PCAP2REPORT_PDF_OFFLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "report.h"

/* Whether the host at addr (16 bytes, as a session side holds it; ip_version 4 or 6) is one
 * whose checksums are all bad. */
bool pdf_offload_host(const struct capture_report *r, int ip_version, const uint8_t *addr);

/* Whether s has the bad-checksum anomaly and offload explains it: every side of s that sent a
 * bad checksum is an offload host. */
bool pdf_offload_explains(const struct capture_report *r, const struct session *s);

/* The anomalies of s to show as such (bit 1u << enum anomaly): all of them but a bad-checksum
 * that offload explains. */
uint32_t pdf_alarming_anomalies(const struct capture_report *r, const struct session *s);

/* How many sessions have the anomaly a shown as such: r->anomaly_counts[a], less the sessions
 * whose bad-checksum offload explains. */
uint64_t pdf_alarming_count(const struct capture_report *r, int a);

#endif
