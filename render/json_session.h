/* json_session.h — one session record as a JSON object (docs/json.md), for render/json.c. */
#ifndef PCAP2REPORT_JSON_SESSION_H
#define PCAP2REPORT_JSON_SESSION_H

#include "json_text.h"
#include "session.h"

/* Writes s at a as one JSON object, times with ts_digits (6 or 9) after the point; returns the
 * cursor after it. */
struct json_at json_session(struct json_buf *b, struct json_at a, const struct session *s, int ts_digits);

#endif
