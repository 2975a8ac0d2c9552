/* csv.h — a capture's sessions as CSV (RFC 4180), one row per session, for spreadsheets and
 * scripts (docs/csv.md lists the columns).
 *
 * The columns are those of Zeek's conn.log that a capture of TCP gives (ts, the endpoints,
 * duration, bytes and packets each way, conn_state, history) under Zeek's names, then
 * pcap2report's own: Wireshark's tcp.stream and completeness, the handshake and teardown
 * classes, the active closer, the RST sender, the anomalies, the final states. A header row
 * comes first; lines end in CRLF; a field is quoted when it holds a comma, a quote or a line
 * break, its quotes doubled. Streamed: memory does not grow with the sessions. */
#ifndef PCAP2REPORT_CSV_H
#define PCAP2REPORT_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

/* Writes the header row and one row per session of r. Returns 0, or -1 with a sentence in err
 * when writing failed. */
int csv_write_report(FILE *out, const struct capture_report *r, char *err, size_t errlen);

/* Writes s as one CSV field (quoted when RFC 4180 needs it, invalid UTF-8 replaced by U+FFFD). */
void csv_field(FILE *out, const char *s);

#endif
