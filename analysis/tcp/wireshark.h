/* wireshark.h — Wireshark's tcp.completeness of a session (internal to analysis/tcp). */
#ifndef PCAP2REPORT_WIRESHARK_H
#define PCAP2REPORT_WIRESHARK_H

#include "decode.h"
#include "session.h"

/* Adds segment p's bits to s->wireshark_completeness. */
void wireshark_update(struct session *s, const struct decoded_packet *p);

#endif
