/* capfilter.h — a BPF (tcpdump) filter applied to packets of any link type.
 *
 * A BPF program is compiled for one link type, and a pcapng file can hold several: the
 * expression is compiled once per DLT as packets of that link type appear (pcap_open_dead
 * plus pcap_compile), and run with pcap_offline_filter on the packet's bytes, wherever they
 * came from (capfile.h). */
#ifndef PCAP2REPORT_CAPFILTER_H
#define PCAP2REPORT_CAPFILTER_H

#include <stddef.h>
#include <stdint.h>

struct capfilter;

/* Keeps a copy of expr; nothing is compiled yet. NULL when out of memory. */
struct capfilter *capfilter_new(const char *expr);

/* Compiles the expression for dlt now, so that a bad expression is reported before any
 * packet is read: 0, or -1 with the reason in err (as capfilter_match). */
int capfilter_prepare(struct capfilter *f, int dlt, char *err, size_t errlen);

/* 1 when the packet matches, 0 when not; -1 when the expression does not compile for this
 * link type (or out of memory), with the reason in err: the caller must not go on as if the
 * packet had been filtered. Later calls for the same dlt return -1 again, cheaply. */
int capfilter_match(struct capfilter *f, int dlt, const uint8_t *data, uint32_t caplen, uint32_t len,
                    char *err, size_t errlen);

void capfilter_free(struct capfilter *f); /* accepts NULL */

/* Whether expr is a filter at all, before any capture is read: 0 when it compiles for at
 * least one of the link types captures usually have (Ethernet, Linux cooked v1 and v2, raw
 * IP, BSD loopback, 802.11 with radiotap), else -1 with libpcap's reason for Ethernet in err
 * ("syntax error"). A filter that compiles for some of them and not for a capture's own link
 * type fails that capture only (capfilter_match). Not thread-safe before libpcap 1.8: call it
 * while the program has one thread. */
int capfilter_check(const char *expr, char *err, size_t errlen);

#endif
